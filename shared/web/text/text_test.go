package text

import (
	"reflect"
	"strings"
	"testing"
)

func TestCatalogue(t *testing.T) {
	c, err := Load("en")
	if err != nil {
		t.Fatal(err)
	}
	if c.Lang() != "en" || len(c.Keys()) == 0 {
		t.Fatalf("lang %q, %d keys", c.Lang(), len(c.Keys()))
	}
	for _, k := range c.Keys() {
		if strings.TrimSpace(c.T(k)) == "" {
			t.Errorf("%s is empty", k)
		}
	}
	if _, err := Load("xx"); err == nil {
		t.Error("a catalogue for xx")
	}
}

func TestT(t *testing.T) {
	c := &Catalogue{lang: "en", messages: map[string]string{"due": "Screened by {time} on {day}.", "plain": "Hello"}}
	tests := []struct {
		key  string
		args []any
		want string
	}{
		{"plain", nil, "Hello"},
		{"due", []any{"time", "17:00", "day", "Friday"}, "Screened by 17:00 on Friday."},
		{"due", []any{"time", "17:00"}, "Screened by 17:00 on {day}."},
		{"due", []any{"time", "<b>", "day", 3}, "Screened by <b> on 3."},
		{"nope", nil, "[[nope]]"},
	}
	for _, tt := range tests {
		if got := c.T(tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%q, %v) = %q, want %q", tt.key, tt.args, got, tt.want)
		}
	}
	if !Missing(c.T("nope")) || !Missing(c.T("due")) || Missing(c.T("plain")) || Missing(c.T("due", "time", "1", "day", "2")) {
		t.Error("Missing does not tell a missing key or an unfilled placeholder")
	}
	if got := c.Placeholders("due"); !reflect.DeepEqual(got, []string{"day", "time"}) {
		t.Errorf("Placeholders = %v", got)
	}
}
