package referrer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
)

func TestDecodeAndValidate(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantCode   apperr.Code // "" for accepted
		wantFields []string
	}{
		{"not urgent", `{"information":"The child said it happened again.","urgent":false}`, "", nil},
		{"urgent", `{"information":"x","urgent":true}`, "", nil},
		{"longest", `{"information":"` + strings.Repeat("é", MaxInformationLength) + `","urgent":false}`, "", nil},
		{"one character too long", `{"information":"` + strings.Repeat("é", MaxInformationLength+1) + `","urgent":false}`, apperr.Invalid, []string{"information"}},
		{"blank information", `{"information":" \n\t ","urgent":false}`, apperr.Invalid, []string{"information"}},
		{"empty object", `{}`, apperr.Invalid, []string{"information", "urgent"}},
		{"urgent null", `{"information":"x","urgent":null}`, apperr.Invalid, []string{"urgent"}},
		{"urgent as a string", `{"information":"x","urgent":"true"}`, apperr.Malformed, []string{"urgent"}},
		{"information as a number", `{"information":12,"urgent":false}`, apperr.Malformed, []string{"information"}},
		{"unknown field", `{"information":"x","urgent":false,"attachments":[]}`, apperr.Malformed, []string{"attachments"}},
		{"field twice", `{"information":"x","information":"y","urgent":false}`, apperr.Malformed, []string{"information"}},
		{"wrong case", `{"Information":"x","urgent":false}`, apperr.Malformed, []string{"Information"}},
		{"a list", `[{"information":"x","urgent":false}]`, apperr.Malformed, nil},
		{"two objects", `{"information":"x","urgent":false}{}`, apperr.Malformed, nil},
		{"empty body", ``, apperr.Malformed, nil},
		{"longest, every character escaped", `{"information":"` + strings.Repeat(`\u0B95`, MaxInformationLength) + `","urgent":false}`, "", nil},
		{"over the size limit", `{"information":"` + strings.Repeat("x", MaxBodyBytes) + `"}`, apperr.TooLarge, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Decode([]byte(tt.body))
			if err == nil {
				err = Validate(f)
			}
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := apperr.As(err)
			if e == nil || e.Code != tt.wantCode {
				t.Fatalf("error %v, want code %s", err, tt.wantCode)
			}
			var fields []string
			for _, fe := range e.Fields {
				fields = append(fields, fe.Field)
				if strings.Contains(fe.Message, "The child") {
					t.Errorf("a message repeats the body: %q", fe.Message)
				}
			}
			if tt.wantFields != nil && !slices.Equal(fields, tt.wantFields) {
				t.Errorf("fields %v, want %v", fields, tt.wantFields)
			}
		})
	}
}

// The sample addendum in events/referrer is accepted.
func TestSampleAddendum(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "events", "referrer", "addendum.json"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Decode(b)
	if err == nil {
		err = Validate(f)
	}
	if err != nil {
		t.Fatalf("events/referrer/addendum.json is refused: %v", err)
	}
}
