package referral

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
)

// fuzzNow is the moment every fuzzed referral is received: the day the
// samples in events/referrals are valid on.
var fuzzNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// FuzzDecodeValidate feeds any body to Decode and, when it decodes, to
// Validate. Whatever the body, neither panics; Decode refuses with an
// *apperr.Error with code Malformed, Validate with code Invalid, each
// error with a message and every field error with one; a referral that
// decodes validates the same way every time; and the canonical form of a
// referral that passes (its JSON) decodes and passes again unchanged.
func FuzzDecodeValidate(f *testing.F) {
	formtest.AddSamples(f, "../../events/referrals/*.json")
	f.Add([]byte(`{"referrer": {"name": "Test"}, "children": [{"firstName": "Test", "estimatedAge": 4}], "concerns": {"levelOfNeed": 2}}`))
	f.Add([]byte(`{"concerns": {"immediateRisk": false, "immediateRisk": true}}`))
	f.Add([]byte(`{"concerns": {"levelOfNeed": 99999999999999999999}}`))
	f.Add([]byte("{\"referrer\": {\"name\": \"\xff\xfe\"}}"))
	f.Add([]byte(``))
	f.Add([]byte(`null`))

	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := Decode(body)
		if err != nil {
			formtest.CheckError(t, "Decode", err, apperr.Malformed)
			if r != nil {
				t.Errorf("Decode returned a referral with its error: %+v", r)
			}
			return
		}
		if r == nil {
			t.Fatal("Decode returned neither a referral nor an error")
		}
		again, err := Decode(body)
		if err != nil || !reflect.DeepEqual(r, again) {
			t.Fatalf("Decode is not deterministic: %+v, then %+v (%v)", r, again, err)
		}

		err1 := Validate(r, fuzzNow)
		if err1 != nil {
			formtest.CheckError(t, "Validate", err1, apperr.Invalid)
		}
		// The same referral, normalised by the first Validate, and the one
		// decoded afresh are judged alike, and normalise alike.
		normalised := formtest.JSON(t, r)
		err2 := Validate(r, fuzzNow)
		err3 := Validate(again, fuzzNow)
		formtest.SameError(t, "Validate twice", err1, err2)
		formtest.SameError(t, "Validate of the body decoded again", err1, err3)
		if twice := formtest.JSON(t, r); twice != normalised {
			t.Errorf("Normalise is not idempotent:\n%s\nthen\n%s", normalised, twice)
		}
		if other := formtest.JSON(t, again); other != normalised {
			t.Errorf("two decodings of one body normalise differently:\n%s\n%s", normalised, other)
		}
		if err1 != nil {
			return
		}

		// The canonical form, as stored and shown, reads back and passes.
		canonical, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("Marshal of a valid referral: %v", err)
		}
		back, err := Decode(canonical)
		if err != nil {
			t.Fatalf("the canonical form of a valid referral does not decode: %v %+v\n%s", err, apperr.As(err), canonical)
		}
		if err := Validate(back, fuzzNow); err != nil {
			t.Fatalf("the canonical form of a valid referral does not validate: %v %+v\n%s", err, apperr.FieldNames(err), canonical)
		}
		if b2, _ := json.Marshal(back); string(b2) != string(canonical) {
			t.Errorf("the canonical form changes when read back:\n%s\n%s", canonical, b2)
		}
	})
}
