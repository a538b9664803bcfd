package helpline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		code   apperr.Code
		fields []string // the fields named, in order
	}{
		{"valid", `{"calledAt":"2026-11-23T09:30:00Z","caller":{"type":"parent","anonymous":true},"topics":["sleep"]}`, "", nil},
		{"empty", "  ", apperr.Malformed, nil},
		{"not JSON", `{"calledAt":`, apperr.Malformed, nil},
		{"an array", `[]`, apperr.Malformed, nil},
		{"two objects", `{} {}`, apperr.Malformed, nil},
		{"unknown field", `{"callerName":"Test"}`, apperr.Malformed, []string{"callerName"}},
		{"unknown nested field", `{"caller":{"surname":"Test"}}`, apperr.Malformed, []string{"caller.surname"}},
		{"field in the wrong case", `{"CalledAt":"x"}`, apperr.Malformed, []string{"CalledAt"}},
		{"repeated field", `{"adviceGiven":"a","adviceGiven":"b"}`, apperr.Malformed, []string{"adviceGiven"}},
		{"wrong types, each named", `{"durationMinutes":"20","caller":{"anonymous":"yes"},"topics":"sleep","safeguardingConcern":1}`,
			apperr.Malformed, []string{"durationMinutes", "caller.anonymous", "topics", "safeguardingConcern"}},
		{"fractional duration", `{"durationMinutes":20.5}`, apperr.Malformed, []string{"durationMinutes"}},
		{"wrong type in a list", `{"childAgeBands":["0-4",5]}`, apperr.Malformed, []string{"childAgeBands[1]"}},
		{"too large", `{"adviceGiven":"` + strings.Repeat("a", MaxBody) + `"}`, apperr.TooLarge, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Decode([]byte(tt.body))
			if tt.code == "" {
				if err != nil || c == nil {
					t.Fatalf("Decode: %v", err)
				}
				return
			}
			if got := apperr.CodeOf(err); got != tt.code {
				t.Fatalf("code = %s, want %s (%v)", got, tt.code, err)
			}
			var got []string
			for _, f := range apperr.As(err).Fields {
				got = append(got, f.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestDecodeNeverRepeatsTheBody(t *testing.T) {
	for _, body := range []string{`{"Zebedee Smith":1}`, `{"caller":{"anonymous":"Zebedee Smith"}}`, `{"adviceGiven":"Zebedee Smith"`} {
		_, err := Decode([]byte(body))
		e := apperr.As(err)
		if e == nil {
			t.Fatalf("%s: no error", body)
		}
		all := e.Message
		for _, f := range e.Fields {
			all += f.Field + f.Message
		}
		if strings.Contains(all, "Zebedee") {
			t.Errorf("%s: the error repeats the body: %q", body, all)
		}
	}
}

const samplesDir = "../../events/helpline"

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(samplesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSamples checks the sample calls in events/helpline as if logged
// shortly after they were taken.
func TestSamples(t *testing.T) {
	loggedAt := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, name := range []string{"anonymous-parent.json", "named-carer-concern.json"} {
		c, err := Decode(sample(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := Validate(c, loggedAt); err != nil {
			t.Errorf("%s: %v %+v", name, err, apperr.As(err).Fields)
		}
	}
	c, err := Decode(sample(t, "invalid.json"))
	if err != nil {
		t.Fatalf("invalid.json must decode (its problems are the rules'): %v", err)
	}
	_, err = Validate(c, loggedAt)
	got := fieldsOf(t, err)
	want := []string{"calledAt", "durationMinutes", "caller.type", "caller.firstName", "caller.phone", "childAgeBands",
		"topics[1]", "topics[2]", "adviceGiven", "signposting[1]", "safeguardingConcern"}
	for _, f := range want {
		if _, ok := got[f]; !ok {
			t.Errorf("invalid.json: no problem reported with %s", f)
		}
	}
	if len(got) != len(want) {
		t.Errorf("invalid.json: %d problems, want %d: %v", len(got), len(want), got)
	}
	entries, err := os.ReadDir(samplesDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("%d files in %s, want 4: add new samples to this test", len(entries), samplesDir)
	}
}
