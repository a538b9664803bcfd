package page

import (
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
)

type where struct {
	Part int    `json:"p"`
	SK   string `json:"k"`
}

func TestCursorRoundTrip(t *testing.T) {
	in := where{Part: 2, SK: "2026-11-20T10:00:00.000Z#01JC5Z8A00ZZZZZZZZZZZZZZZZ"}
	c := Encode(in)
	if strings.ContainsAny(c, "+/=") {
		t.Errorf("cursor %q is not URL-safe", c)
	}
	var out where
	if err := Decode(c, &out); err != nil || out != in {
		t.Fatalf("Decode = %+v, %v; want %+v", out, err, in)
	}
}

func TestDecodeRefuses(t *testing.T) {
	b64 := base64.RawURLEncoding.EncodeToString
	tests := []struct{ name, cursor string }{
		{"empty", ""},
		{"not base64url", "not a cursor!"},
		{"padded base64", base64.URLEncoding.EncodeToString([]byte(`{"p":1}`))},
		{"not JSON", b64([]byte("hello"))},
		{"unknown member", b64([]byte(`{"p":1,"x":2}`))},
		{"wrong type", b64([]byte(`{"p":"one"}`))},
		{"two values", b64([]byte(`{"p":1}{"p":2}`))},
		{"trailing bytes", b64([]byte(`{"p":1}x`))},
		{"a trailing bracket", b64([]byte(`{"p":1}]`))},
		{"a trailing brace", b64([]byte(`{"p":1}}`))},
		{"null", b64([]byte(`null`))},
		{"too long", b64([]byte(`{"k":"` + strings.Repeat("a", MaxCursor) + `"}`))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w where
			if err := Decode(tt.cursor, &w); !errors.Is(err, ErrBadCursor) {
				t.Errorf("Decode(%q) = %v, want ErrBadCursor", tt.cursor, err)
			}
		})
	}
}

func TestQuery(t *testing.T) {
	tests := []struct {
		name       string
		params     map[string]string
		limit      int
		cursor     string
		overdue    *bool
		wantFields []string
	}{
		{"defaults", map[string]string{}, 25, "", nil, nil},
		{"all given", map[string]string{"limit": "100", "cursor": "abc", "overdue": "true"}, 100, "abc", ptr(true), nil},
		{"false", map[string]string{"overdue": "false", "limit": "1"}, 1, "", ptr(false), nil},
		{"limit zero", map[string]string{"limit": "0"}, 25, "", nil, []string{"limit"}},
		{"limit too big", map[string]string{"limit": "101"}, 25, "", nil, []string{"limit"}},
		{"limit not a number", map[string]string{"limit": "ten"}, 25, "", nil, []string{"limit"}},
		{"limit not plain", map[string]string{"limit": "+5"}, 25, "", nil, []string{"limit"}},
		{"limit leading zero", map[string]string{"limit": "05"}, 25, "", nil, []string{"limit"}},
		{"empty cursor", map[string]string{"cursor": ""}, 25, "", nil, []string{"cursor"}},
		{"cursor too long", map[string]string{"cursor": strings.Repeat("A", MaxCursor+1)}, 25, "", nil, []string{"cursor"}},
		{"overdue not a boolean", map[string]string{"overdue": "yes"}, 25, "", nil, []string{"overdue"}},
		{"unknown parameter", map[string]string{"priorty": "RED"}, 25, "", nil, []string{"priorty"}},
		{"unknown parameter not repeated", map[string]string{"<script>": "x"}, 25, "", nil, []string{""}},
		{"every problem at once, sorted", map[string]string{"limit": "x", "cursor": "", "zzz": "1", "overdue": "2"}, 25, "", nil, []string{"cursor", "limit", "overdue", "zzz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := Parse("the test list", tt.params, "overdue")
			limit, cursor, overdue := q.Limit(), q.Cursor(), q.Bool("overdue")
			err := q.Err()
			if tt.wantFields != nil {
				if apperr.CodeOf(err) != apperr.Malformed || !slices.Equal(apperr.FieldNames(err), tt.wantFields) {
					t.Fatalf("err %v (fields %v), want fields %v", err, apperr.FieldNames(err), tt.wantFields)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if limit != tt.limit || cursor != tt.cursor || !sameBool(overdue, tt.overdue) {
				t.Errorf("limit %d cursor %q overdue %v, want %d %q %v", limit, cursor, overdue, tt.limit, tt.cursor, tt.overdue)
			}
		})
	}
}

func TestMessagesSayWhatToDo(t *testing.T) {
	err := Parse("the triage queue", map[string]string{"colour": "red"}, "priority", "overdue").Err()
	var e *apperr.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 {
		t.Fatalf("err %v", err)
	}
	if want := "colour is not a parameter of the triage queue. Use priority, overdue, cursor or limit."; e.Fields[0].Message != want {
		t.Errorf("message %q, want %q", e.Fields[0].Message, want)
	}
	if !strings.HasPrefix(e.Message, "The triage queue cannot be listed") {
		t.Errorf("message %q", e.Message)
	}
	ce := CursorError("the escalations")
	if got := apperr.FieldNames(ce); apperr.CodeOf(ce) != apperr.Malformed || !slices.Equal(got, []string{"cursor"}) {
		t.Errorf("CursorError: %v %v", ce, got)
	}
}

func ptr(b bool) *bool { return &b }

func sameBool(a, b *bool) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
