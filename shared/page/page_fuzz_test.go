package page

import (
	"encoding/base64"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// fuzzCursor has the shapes of the stores' cursors: a number, text, a
// yes/no, a list and a map.
type fuzzCursor struct {
	Part int               `json:"p"`
	SK   string            `json:"k"`
	Flag *bool             `json:"c,omitempty"`
	Done []string          `json:"done,omitempty"`
	At   map[string]string `json:"at,omitempty"`
}

// FuzzDecode feeds any text to Decode as a cursor. It never panics; it
// refuses with ErrBadCursor itself, the error a list turns into its
// Malformed answer, and nothing else; and what it accepts is at most
// MaxCursor long and reads back as itself once encoded again.
func FuzzDecode(f *testing.F) {
	yes := true
	f.Add(Encode(fuzzCursor{Part: 2, SK: "2026-11-23T10:00:00.000Z#01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"}))
	f.Add(Encode(fuzzCursor{Flag: &yes, Done: []string{"rhi"}, At: map[string]string{"aa": "x"}}))
	for _, raw := range []string{`{}`, `{"p": 1}{}`, `{"p": 1}]`, `{"p": 1e3}`, `{"p": 99999999999999999999}`, `{"x": 1}`, `[]`, `null`, `{"k": "\ud800"}`, `{"p":1} `, "{\"k\": \"\xff\"}"} {
		f.Add(base64.RawURLEncoding.EncodeToString([]byte(raw)))
	}
	f.Add("")
	f.Add("e30=")
	f.Add("e30")
	f.Add("e31")
	f.Add(strings.Repeat("A", MaxCursor+1))

	f.Fuzz(func(t *testing.T, cursor string) {
		var c fuzzCursor
		err := Decode(cursor, &c)
		if err != nil {
			if err != ErrBadCursor {
				t.Fatalf("Decode(%q) = %v, want ErrBadCursor", cursor, err)
			}
			return
		}
		if cursor == "" || len(cursor) > MaxCursor {
			t.Fatalf("Decode accepted a cursor of %d characters", len(cursor))
		}
		var back fuzzCursor
		if err := Decode(Encode(c), &back); err != nil || !reflect.DeepEqual(back, c) {
			t.Fatalf("cursor %q reads %+v, which encoded reads back as %+v (%v)", cursor, c, back, err)
		}
	})
}

// The parameters FuzzQuery gives, in the order of its arguments; bit i of
// present says whether the i-th is given.
var fuzzQueryParams = []string{ParamLimit, ParamCursor, "flag"}

// FuzzQuery feeds any limit, cursor and true/false filter, and one
// parameter of any name, to a list's Query. It never panics; the limit it
// gives is from 1 to MaxLimit, the one asked for when that is a whole
// number in range written plainly, DefaultLimit otherwise; the filter is
// nil, true or false as given; and every problem is in one *apperr.Error
// with code Malformed, field errors sorted, each naming a parameter given
// (or none, for a name it will not repeat) with a message.
func FuzzQuery(f *testing.F) {
	f.Add(uint8(0), "", "", "", "", "")
	f.Add(uint8(7), "100", "abc", "true", "", "")
	f.Add(uint8(1|8), "0", "", "", "Limit", "1")
	f.Add(uint8(1|4), "+5", "", "TRUE", "", "")
	f.Add(uint8(1|2), "007", "", "", "", "")
	f.Add(uint8(2|8), "", strings.Repeat("x", MaxCursor+1), "", "a b\x00", "")
	f.Add(uint8(1|8), "-1", "", "", "flag", "false")
	f.Add(uint8(8), "", "", "", "", "x")

	f.Fuzz(func(t *testing.T, present uint8, limit, cursor, flag, extraName, extraValue string) {
		params := map[string]string{}
		for i, v := range []string{limit, cursor, flag} {
			if present&(1<<i) != 0 {
				params[fuzzQueryParams[i]] = v
			}
		}
		if present&8 != 0 {
			params[extraName] = extraValue
		}
		q := Parse("the test list", params, "flag")
		n := q.Limit()
		c := q.Cursor()
		b := q.Bool("flag")
		err := q.Err()

		if n < 1 || n > MaxLimit {
			t.Errorf("limit %d", n)
		}
		if v, ok := params[ParamLimit]; ok {
			if want, e := strconv.Atoi(v); e == nil && want >= 1 && want <= MaxLimit && strconv.Itoa(want) == v {
				if n != want {
					t.Errorf("limit=%q gives %d", v, n)
				}
			} else if n != DefaultLimit || !slices.Contains(apperr.FieldNames(err), ParamLimit) {
				t.Errorf("limit=%q gives %d and %v", v, n, err)
			}
		} else if n != DefaultLimit {
			t.Errorf("no limit gives %d", n)
		}
		if c != params[ParamCursor] {
			t.Errorf("cursor %q, want %q", c, params[ParamCursor])
		}
		switch v, ok := params["flag"]; {
		case !ok || (v != "true" && v != "false"):
			if b != nil {
				t.Errorf("flag=%q gives %v", v, *b)
			}
		case b == nil || *b != (v == "true"):
			t.Errorf("flag=%q gives %v", v, b)
		}

		if err == nil {
			return
		}
		e := apperr.As(err)
		if e == nil || e.Code != apperr.Malformed || e.Message == "" || len(e.Fields) == 0 {
			t.Fatalf("error %#v", err)
		}
		if !slices.IsSortedFunc(e.Fields, func(a, b apperr.FieldError) int { return strings.Compare(a.Field, b.Field) }) {
			t.Errorf("field errors not sorted: %+v", e.Fields)
		}
		for _, fe := range e.Fields {
			if fe.Message == "" {
				t.Errorf("field error %q without a message", fe.Field)
			}
			if _, given := params[fe.Field]; fe.Field != "" && !given {
				t.Errorf("field error names %q, which was not given", fe.Field)
			}
			if fe.Field != "" && fe.Field != ParamLimit && fe.Field != ParamCursor && fe.Field != "flag" && !strictjson.PlausibleName(fe.Field) {
				t.Errorf("field error repeats the name %q", fe.Field)
			}
		}
	})
}
