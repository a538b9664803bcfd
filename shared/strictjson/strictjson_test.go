package strictjson

import (
	"slices"
	"strings"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
)

type note struct {
	Name  string   `json:"name" text:"line"`
	Text  string   `json:"text"`
	Lines []string `json:"lines"`
	Tags  []string `json:"tags" text:"line"`
}

// TestUnsafeTextRefused: control characters and bidirectional controls are
// refused in every string of every form, each field named, and the value
// never repeated; line breaks and tabs stay for free text.
func TestUnsafeTextRefused(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		fields []string
	}{
		{"plain text", `{"name":"Test Name","text":"Line one.\nLine two.\r\nIndented:\tthree."}`, nil},
		{"accents and other scripts", `{"name":"Zoë Łukasz محمد","text":"naïve café"}`, nil},
		{"NUL", `{"name":"Test\u0000Name"}`, []string{"name"}},
		{"bell", `{"name":"Test\u0007"}`, []string{"name"}},
		{"escape", `{"text":"Test\u001b[31m red"}`, []string{"text"}},
		{"DEL", `{"name":"Test\u007f"}`, []string{"name"}},
		{"a C1 control", `{"name":"Test\u0085"}`, []string{"name"}},
		{"right-to-left override", `{"name":"Test\u202eeman"}`, []string{"name"}},
		{"left-to-right embedding", `{"text":"a\u202ab"}`, []string{"text"}},
		{"first strong isolate", `{"text":"a\u2068b"}`, []string{"text"}},
		{"in a list, each named", `{"lines":["ok","bad\u0000","also\u202e"]}`, []string{"lines[1]", "lines[2]"}},
		{"two fields", `{"name":"a\u0001","text":"b\u0002"}`, []string{"name", "text"}},
		// A one-line field (text:"line") takes no line break or tab; free
		// text does.
		{"a line break in a name", `{"name":"Test\nName"}`, []string{"name"}},
		{"a carriage return in a name", `{"name":"Test\rName"}`, []string{"name"}},
		{"a tab in a name", `{"name":"Test\tName"}`, []string{"name"}},
		{"a line break in a one-line list", `{"tags":["ok","two\nlines"]}`, []string{"tags[1]"}},
		{"line breaks in free text", `{"text":"one\ntwo","lines":["a\nb"]}`, nil},
		// Invalid UTF-8 and lone surrogates are read as U+FFFD, as
		// encoding/json reads them, and the checks go on past them.
		{"invalid UTF-8, then a problem", "{\"text\":\"\xff\xfe\",\"name\":\"a\\nb\"}", []string{"name"}},
		{"a lone surrogate, then a problem", `{"text":"\ud800","name":"a\nb"}`, []string{"name"}},
		{"a name given twice", `{"name":"a","text":"b","name":"c"}`, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode[note]([]byte(tt.body), Form{What: "note"})
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if apperr.CodeOf(err) != apperr.Malformed || !slices.Equal(apperr.FieldNames(err), tt.fields) {
				t.Fatalf("err %v (fields %v), want fields %v", err, apperr.FieldNames(err), tt.fields)
			}
			for _, f := range apperr.As(err).Fields {
				if slices.ContainsFunc([]string{"Test", "eman", "bad", "red"}, func(s string) bool { return strings.Contains(f.Message, s) }) {
					t.Errorf("message %q repeats the value", f.Message)
				}
			}
		})
	}
}
