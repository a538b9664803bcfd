// Package formtest holds the checks that the tests of the submitted forms
// (the referral form and the custody request) share: refusing a body that
// does not decode strictly, naming the fields a validation error is about,
// and accepting a valid sample in its canonical form.
//
// It also holds the checks the fuzz tests of the decoders share. It is
// imported by tests only.
package formtest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
)

// FieldsOf returns the field paths of a validation error, in order, or nil
// for a nil error. It fails t unless err is an *apperr.Error with code
// apperr.Invalid whose every field has a message.
func FieldsOf(t testing.TB, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	e := apperr.As(err)
	if e == nil {
		t.Fatalf("error %T is not an *apperr.Error: %v", err, err)
	}
	if e.Code != apperr.Invalid {
		t.Errorf("code %q, want %q", e.Code, apperr.Invalid)
	}
	var fs []string
	for _, f := range e.Fields {
		if f.Message == "" {
			t.Errorf("field %s has no message", f.Field)
		}
		fs = append(fs, f.Field)
	}
	return fs
}

// Form is a form under test: how to make one that passes, and how to
// validate one.
type Form[T any] struct {
	Valid    func() *T
	Validate func(*T) error
}

// Check runs, as a subtest called name, Validate on a Valid form changed by
// mutate, and checks that the error names exactly the fields want, in
// order; want nil means the changed form must pass.
func (f Form[T]) Check(t *testing.T, name string, mutate func(*T), want []string) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		v := f.Valid()
		mutate(v)
		if got := FieldsOf(t, f.Validate(v)); !slices.Equal(got, want) {
			t.Errorf("fields %q, want %q", got, want)
		}
	})
}

// Decoder is a form's strict Decode.
type Decoder[T any] func(body []byte) (*T, error)

// Refuses runs, as a subtest called name, the decoder on body and checks
// that it is refused with an *apperr.Error of code apperr.Malformed that
// names exactly fields, in order, with each field's message starting with
// its path, and whose message contains message.
func (d Decoder[T]) Refuses(t *testing.T, name, body string, fields []string, message string) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		v, err := d([]byte(body))
		if err == nil {
			t.Fatalf("accepted: %+v", v)
		}
		e := apperr.As(err)
		if e == nil || e.Code != apperr.Malformed {
			t.Fatalf("error %v, want an *apperr.Error with code %q", err, apperr.Malformed)
		}
		var got []string
		for _, f := range e.Fields {
			got = append(got, f.Field)
			if !strings.HasPrefix(f.Message, f.Field+" ") {
				t.Errorf("message %q does not name its field", f.Message)
			}
		}
		if !slices.Equal(got, fields) {
			t.Errorf("fields %q, want %q", got, fields)
		}
		if !strings.Contains(e.Message, message) {
			t.Errorf("message %q does not contain %q", e.Message, message)
		}
	})
}

// RefusesNonForms runs Refuses on the bodies that every strict decoder
// refuses, whatever its form: no body, only white space, text that is not
// JSON, JSON that is not an object, and an object with a member that no
// form has.
func (d Decoder[T]) RefusesNonForms(t *testing.T) {
	t.Helper()
	for _, c := range []struct {
		name, body string
		fields     []string
		message    string
	}{
		{"empty", ``, nil, "empty"},
		{"white space only", "  \n\t ", nil, "empty"},
		{"not JSON", `name=Test`, nil, "at byte 2 "},
		{"array", `[]`, nil, "must be a JSON object"},
		{"null", `null`, nil, "must be a JSON object"},
		{"unknown top-level field", `{"nickname": "x"}`, []string{"nickname"}, ""},
	} {
		d.Refuses(t, c.name, c.body, c.fields, c.message)
	}
}

// Err decodes body and returns the *apperr.Error it is refused with,
// failing t at once when it is accepted or refused with another error.
func (d Decoder[T]) Err(t testing.TB, body string) *apperr.Error {
	t.Helper()
	_, err := d([]byte(body))
	e := apperr.As(err)
	if e == nil {
		t.Fatalf("Decode(%s): %v", body, err)
	}
	return e
}

// NeverEchoes checks that the error each of bodies is refused with repeats
// none of values: not in its message, nor in any field's path or message.
func (d Decoder[T]) NeverEchoes(t *testing.T, bodies []string, values ...string) {
	t.Helper()
	for _, b := range bodies {
		e := d.Err(t, b)
		text := e.Error()
		for _, f := range e.Fields {
			text += " " + f.Field + " " + f.Message
		}
		for _, v := range values {
			if strings.Contains(text, v) {
				t.Errorf("error for %s repeats a value: %s", b, text)
				break
			}
		}
	}
}

// Sample returns the contents of the sample body called name in the folder
// dir, failing t at once when it cannot be read.
func Sample(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Canonical decodes body, which must pass validate, and checks that its
// canonical form (the validated form as JSON) decodes and passes validate
// again without changing. It returns the form decoded from the canonical
// form, validated.
func Canonical[T any](t *testing.T, body []byte, decode Decoder[T], validate func(*T) error) *T {
	t.Helper()
	v, err := decode(body)
	if err != nil {
		t.Fatalf("Decode: %v %+v", err, fieldErrors(err))
	}
	if err := validate(v); err != nil {
		t.Fatalf("Validate: %v %q", err, FieldsOf(t, err))
	}
	canonical, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := decode(canonical)
	if err != nil {
		t.Fatalf("Decode canonical: %v", err)
	}
	if err := validate(v2); err != nil {
		t.Fatalf("Validate canonical: %q", FieldsOf(t, err))
	}
	again, err := json.Marshal(v2)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(canonical) {
		t.Error("the canonical form changes when validated again")
	}
	return v2
}

// fieldErrors is the field errors of err, if it has any.
func fieldErrors(err error) []apperr.FieldError {
	if e := apperr.As(err); e != nil {
		return e.Fields
	}
	return nil
}

// CheckError fails t unless err is an *apperr.Error with one of the
// codes allowed, a message, and a message for each field error.
func CheckError(t *testing.T, stage string, err error, allowed ...apperr.Code) {
	t.Helper()
	e := apperr.As(err)
	if e == nil {
		t.Fatalf("%s: error %T is not an *apperr.Error: %v", stage, err, err)
	}
	if !slices.Contains(allowed, e.Code) {
		t.Fatalf("%s: code %q, want one of %q: %v", stage, e.Code, allowed, err)
	}
	if e.Message == "" {
		t.Errorf("%s: error without a message: %+v", stage, e)
	}
	for _, fe := range e.Fields {
		if fe.Message == "" {
			t.Errorf("%s: field error %q without a message", stage, fe.Field)
		}
	}
}

// SameError fails t unless a and b are both nil or the same
// *apperr.Error: code, message and field errors in order.
func SameError(t *testing.T, what string, a, b error) {
	t.Helper()
	if (a == nil) != (b == nil) {
		t.Fatalf("%s: %v, then %v", what, a, b)
	}
	if a == nil {
		return
	}
	ea, eb := apperr.As(a), apperr.As(b)
	if ea == nil || eb == nil || ea.Code != eb.Code || ea.Message != eb.Message || !slices.Equal(ea.Fields, eb.Fields) {
		t.Fatalf("%s: %+v, then %+v", what, ea, eb)
	}
}

// JSON is v as JSON, to compare.
func JSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// AddSamples adds every file pattern matches to f's seed corpus, and fails
// when there is none.
func AddSamples(f *testing.F, pattern string) {
	f.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		f.Fatalf("no samples %s: %v", pattern, err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}
