package custody

import (
	"reflect"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
)

// fuzzNow is a fixed moment of receipt: 20 minutes after the detainedAt
// of events/custody/appropriate-adult.json.
var fuzzNow = time.Date(2026, 11, 21, 23, 0, 0, 0, time.UTC)

// FuzzDecodeValidate feeds any body to Decode and, when it decodes, to
// Validate, as received at a fixed moment and, when detainedAt can be
// read, 30 minutes after it. Whatever the body, nothing panics; Decode
// refuses with an *apperr.Error with code Malformed or TooLarge, Validate
// and DetainedTime with code Invalid; a request validates the same way
// every time; the canonical form of one that passes decodes and passes
// again unchanged; and the follow-ups it asks for each have a due time, as
// Submit's receipt needs (an error there would be a 500).
func FuzzDecodeValidate(f *testing.F) {
	formtest.AddSamples(f, "../../events/custody/*.json")
	f.Add([]byte(`{"custodySuite": "Test", "detainee": {"firstName": "Test", "estimatedAge": 15}, "underEighteen": true}`))
	f.Add([]byte(`{"detainedAt": "2026-11-21T22:40:00Z", "detainedAt": "2026-11-21T22:41:00Z"}`))
	f.Add([]byte(`{"detainee": {"estimatedAge": -99999999999999999999}}`))
	f.Add([]byte(``))

	cal := calendar.EnglandAndWales()
	clocks := followup.DefaultClocks()
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := Decode(body)
		if err != nil {
			formtest.CheckError(t, "Decode", err, apperr.Malformed, apperr.TooLarge)
			if r != nil {
				t.Errorf("Decode returned a request with its error: %+v", r)
			}
			return
		}
		if r == nil {
			t.Fatal("Decode returned neither a request nor an error")
		}
		nows := []time.Time{fuzzNow}
		if d, err := r.DetainedTime(); err != nil {
			formtest.CheckError(t, "DetainedTime", err, apperr.Invalid)
		} else {
			nows = append(nows, d.Add(30*time.Minute).UTC().Truncate(time.Millisecond))
		}
		for _, now := range nows {
			a, err := Decode(body)
			if err != nil {
				t.Fatalf("Decode is not deterministic: %v", err)
			}
			b, _ := Decode(body)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("Decode is not deterministic: %+v, then %+v", a, b)
			}
			err1 := Validate(a, now)
			if err1 != nil {
				formtest.CheckError(t, "Validate", err1, apperr.Invalid)
			}
			normalised := formtest.JSON(t, a)
			formtest.SameError(t, "Validate twice", err1, Validate(a, now))
			formtest.SameError(t, "Validate of the body decoded again", err1, Validate(b, now))
			if twice := formtest.JSON(t, a); twice != normalised {
				t.Errorf("Normalise is not idempotent:\n%s\nthen\n%s", normalised, twice)
			}
			if err1 != nil {
				continue
			}

			canonical := formtest.JSON(t, a)
			back, err := Decode([]byte(canonical))
			if err != nil {
				t.Fatalf("the canonical form of a valid request does not decode: %v %+v\n%s", err, apperr.As(err), canonical)
			}
			if err := Validate(back, now); err != nil {
				t.Fatalf("the canonical form of a valid request does not validate: %v %q\n%s", err, apperr.FieldNames(err), canonical)
			}
			if again := formtest.JSON(t, back); again != canonical {
				t.Errorf("the canonical form changes when read back:\n%s\n%s", canonical, again)
			}

			// What Submit does next, short of the store: the receipt's due
			// times.
			cmds := followup.ForCustody("01KAQ3ZZ8Q7X3V4N5M6K7J8H9G", now, a.AppropriateAdultRequested, a.AccommodationRequested)
			if len(cmds) == 0 {
				t.Errorf("a valid request asks for no follow-up: %s", canonical)
			}
			for _, c := range cmds {
				if err := c.Validate(); err != nil {
					t.Errorf("follow-up command %+v: %v", c, err)
				}
				if _, err := clocks.Due(c.Kind, c.StartAt, cal); err != nil {
					t.Errorf("due time of %s: %v", c.Kind, err)
				}
			}
		}
	})
}
