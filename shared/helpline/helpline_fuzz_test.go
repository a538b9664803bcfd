package helpline

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
	"github.com/csc-frontdoor/frontdoor/shared/page"
)

// fuzzNow is the moment every fuzzed call is logged and every list asked
// for: the day the samples in events/helpline are valid on.
var fuzzNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// FuzzDecodeValidate feeds any body to Decode and, when it decodes, to
// Validate. Whatever the body, neither panics; Decode refuses with an
// *apperr.Error with code Malformed or TooLarge, Validate with code
// Invalid; a call validates the same way every time, and one that passes
// gives its start in UTC, to the millisecond, within the window a call may
// be logged in; its canonical form decodes and passes again unchanged.
func FuzzDecodeValidate(f *testing.F) {
	formtest.AddSamples(f, "../../events/helpline/*.json")
	f.Add([]byte(`{"caller": {"anonymous": true, "anonymous": false}}`))
	f.Add([]byte(`{"durationMinutes": 1e999}`))
	f.Add([]byte(`{"calledAt": "2026-11-23T09:40:00.123456789+14:00"}`))
	f.Add([]byte(`null`))

	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := Decode(body)
		if err != nil {
			formtest.CheckError(t, "Decode", err, apperr.Malformed, apperr.TooLarge)
			if c != nil {
				t.Errorf("Decode returned a call with its error: %+v", c)
			}
			return
		}
		if c == nil {
			t.Fatal("Decode returned neither a call nor an error")
		}
		again, err := Decode(body)
		if err != nil || !reflect.DeepEqual(c, again) {
			t.Fatalf("Decode is not deterministic: %+v, then %+v (%v)", c, again, err)
		}
		at, err1 := Validate(c, fuzzNow)
		if err1 != nil {
			formtest.CheckError(t, "Validate", err1, apperr.Invalid)
			if !at.IsZero() {
				t.Errorf("Validate refused the call but gave its time %s", at)
			}
		}
		normalised := formtest.JSON(t, c)
		at2, err2 := Validate(c, fuzzNow)
		at3, err3 := Validate(again, fuzzNow)
		formtest.SameError(t, "Validate twice", err1, err2)
		formtest.SameError(t, "Validate of the body decoded again", err1, err3)
		if !at.Equal(at2) || !at.Equal(at3) {
			t.Errorf("Validate gives the call's time as %s, %s and %s", at, at2, at3)
		}
		if twice := formtest.JSON(t, c); twice != normalised {
			t.Errorf("Normalise is not idempotent:\n%s\nthen\n%s", normalised, twice)
		}
		if err1 != nil {
			return
		}
		if at.Location() != time.UTC || !at.Equal(at.Truncate(time.Millisecond)) ||
			at.After(fuzzNow.Add(MaxCalledAhead)) || at.Before(fuzzNow.Add(-MaxCalledAgo)) {
			t.Errorf("a valid call's time is %s (%s)", at, at.Location())
		}
		if c.SafeguardingConcern == nil || c.FollowUpCallAgreed == nil || c.Caller.Anonymous == nil {
			t.Errorf("a valid call has an unanswered question: %s", normalised)
		}
		back, err := Decode([]byte(normalised))
		if err != nil {
			t.Fatalf("the canonical form of a valid call does not decode: %v %+v\n%s", err, apperr.As(err), normalised)
		}
		if _, err := Validate(back, fuzzNow); err != nil {
			t.Fatalf("the canonical form of a valid call does not validate: %v %q\n%s", err, apperr.FieldNames(err), normalised)
		}
		if b := formtest.JSON(t, back); b != normalised {
			t.Errorf("the canonical form changes when read back:\n%s\n%s", normalised, b)
		}
	})
}

// FuzzCheckEscalationForm feeds any body to the check of the referral
// form an escalation sends (POST /helpline-calls/{id}/referrals). It never
// panics; it refuses with an *apperr.Error with code Malformed, TooLarge
// or Invalid, each with a message, and judges a body the same way twice.
func FuzzCheckEscalationForm(f *testing.F) {
	formtest.AddSamples(f, "../../events/helpline/escalation-referral.json")
	formtest.AddSamples(f, "../../events/referrals/*.json")
	f.Add([]byte(`{"referrer": {"agencyType": "education"}}`))
	f.Add([]byte(`{"referrer": {"agencyType": "helpline"}, "referrer": {}}`))

	f.Fuzz(func(t *testing.T, body []byte) {
		err := checkForm(body, fuzzNow)
		if err != nil {
			formtest.CheckError(t, "checkForm", err, apperr.Malformed, apperr.TooLarge, apperr.Invalid)
		}
		formtest.SameError(t, "checkForm twice", err, checkForm(body, fuzzNow))
	})
}

// The parameters FuzzParseListQuery gives, in the order of its arguments;
// bit i of present says whether the i-th is given.
var fuzzListParams = []string{"from", "to", "safeguardingConcern", "loggedBy", page.ParamCursor, page.ParamLimit}

// FuzzParseListQuery feeds any values of the list's parameters, and one
// parameter of any name, to ParseListQuery. It never panics; it refuses
// with an *apperr.Error with code Malformed naming a parameter (or none,
// for a name it will not repeat) in each field error; and what it accepts
// is a list it can page: a range from before to, at most MaxRange long, in
// UTC, a limit from 1 to page.MaxLimit, a cursor position inside the
// range, and a cursor for a page of it that reads back as the same list.
func FuzzParseListQuery(f *testing.F) {
	const all = 1<<6 - 1
	q, err := ParseListQuery(map[string]string{"from": "2026-11-01", "to": "2026-11-23", "safeguardingConcern": "true", "loggedBy": "me"}, fuzzNow)
	if err != nil {
		f.Fatal(err)
	}
	good := Cursor(q, Position{CalledAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), ID: "01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"})
	f.Add(uint8(0), "", "", "", "", "", "", "", "")
	f.Add(uint8(all), "2026-11-01", "2026-11-23", "true", "me", good, "10", "", "")
	f.Add(uint8(1<<4), "", "", "", "", good, "", "", "")
	f.Add(uint8(1<<0|1<<1|1<<6), "2026-11-20T09:00:00+01:00", "2026-11-21T12:30:00Z", "", "", "", "", "form", "2026-11-01")
	f.Add(uint8(1<<0), "2026-01-01", "", "", "", "", "", "", "")
	f.Add(uint8(1<<1), "", "2100-12-31", "", "", "", "", "", "")
	f.Add(uint8(1<<0|1<<1), "1999-12-31T23:59:59-01:00", "2000-01-01", "", "", "", "", "", "")
	f.Add(uint8(1<<2|1<<3|1<<5), "", "", "TRUE", "you", "", "0100", "", "")
	f.Add(uint8(1<<4|1<<6), "", "", "", "", "eyJmIjoiIn0", "", "a b\x00", "x")

	f.Fuzz(func(t *testing.T, present uint8, from, to, concern, loggedBy, cursor, limit, extraName, extraValue string) {
		params := map[string]string{}
		for i, v := range []string{from, to, concern, loggedBy, cursor, limit} {
			if present&(1<<i) != 0 {
				params[fuzzListParams[i]] = v
			}
		}
		if present&(1<<6) != 0 {
			params[extraName] = extraValue
		}
		q, err := ParseListQuery(params, fuzzNow)
		q2, err2 := ParseListQuery(params, fuzzNow)
		formtest.SameError(t, "ParseListQuery twice", err, err2)
		if !reflect.DeepEqual(q, q2) {
			t.Fatalf("ParseListQuery is not deterministic: %+v, then %+v", q, q2)
		}
		if err != nil {
			formtest.CheckError(t, "ParseListQuery", err, apperr.Malformed)
			for _, fe := range apperr.As(err).Fields {
				if fe.Field != "" && !slices.Contains(fuzzListParams, fe.Field) && (present&(1<<6) == 0 || fe.Field != extraName) {
					t.Errorf("field error names %q, which is not a parameter given", fe.Field)
				}
			}
			if !reflect.DeepEqual(q, ListQuery{}) {
				t.Errorf("ParseListQuery refused the query but gave %+v", q)
			}
			return
		}
		fuzzCheckList(t, params, q)

		// A cursor for the page after a call at the start of the range
		// reads back, alone, as the same list.
		pos := Position{CalledAt: q.From, ID: "01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"}
		next := map[string]string{page.ParamCursor: Cursor(q, pos)}
		nq, err := ParseListQuery(next, fuzzNow)
		if err != nil {
			t.Fatalf("the cursor of an accepted list is refused: %v %+v (list %+v)", err, apperr.As(err).Fields, q)
		}
		fuzzCheckList(t, next, nq)
		if !nq.From.Equal(q.From) || !nq.To.Equal(q.To) || !sameConcern(nq.Concern, q.Concern) || nq.Mine != q.Mine ||
			nq.After == nil || !nq.After.CalledAt.Equal(pos.CalledAt) || nq.After.ID != pos.ID {
			t.Errorf("the cursor reads back as %+v, want the list %+v after %+v", nq, q, pos)
		}
	})
}

// fuzzCheckList fails t unless q is a list ParseListQuery may accept for
// params.
func fuzzCheckList(t *testing.T, params map[string]string, q ListQuery) {
	t.Helper()
	if q.From.Location() != time.UTC || q.To.Location() != time.UTC {
		t.Errorf("range %s to %s is not in UTC", q.From, q.To)
	}
	if !q.From.Before(q.To) || q.To.Sub(q.From) > MaxRange {
		t.Errorf("range %s to %s", q.From, q.To)
	}
	if q.Limit < 1 || q.Limit > page.MaxLimit {
		t.Errorf("limit %d", q.Limit)
	}
	if _, ok := params[page.ParamLimit]; !ok && q.Limit != page.DefaultLimit {
		t.Errorf("limit %d without a limit parameter", q.Limit)
	}
	if v, ok := params["loggedBy"]; ok && (v != "me" || !q.Mine) {
		t.Errorf("loggedBy=%q gives mine %v", v, q.Mine)
	}
	if a := q.After; a != nil {
		if a.CalledAt.Before(q.From) || !a.CalledAt.Before(q.To) || !ids.IsULID(a.ID) {
			t.Errorf("cursor position %+v outside the range %s to %s", a, q.From, q.To)
		}
	} else if _, ok := params[page.ParamCursor]; ok {
		t.Errorf("a cursor was given but the list has no position")
	}
}
