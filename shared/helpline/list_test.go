package helpline

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/page"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestParseListQuery(t *testing.T) {
	// now is 2026-11-23T10:00:00Z; the default range ends 5 minutes after
	// it, allowing for callers' clocks.
	defaultTo := utc("2026-11-23T10:05:00Z")
	tests := []struct {
		name     string
		params   map[string]string
		from, to string // RFC 3339, UTC
		concern  *bool
		limit    int
	}{
		{"defaults", nil, "2026-10-24T10:05:00Z", "2026-11-23T10:05:00Z", nil, page.DefaultLimit},
		{"dates in winter (GMT)", map[string]string{"from": "2026-11-01", "to": "2026-11-23"}, "2026-11-01T00:00:00Z", "2026-11-24T00:00:00Z", nil, page.DefaultLimit},
		{"dates in summer (BST): days in England", map[string]string{"from": "2026-06-01", "to": "2026-06-30"}, "2026-05-31T23:00:00Z", "2026-06-30T23:00:00Z", nil, page.DefaultLimit},
		{"a day across the clocks going back", map[string]string{"from": "2026-10-25", "to": "2026-10-25"}, "2026-10-24T23:00:00Z", "2026-10-26T00:00:00Z", nil, page.DefaultLimit},
		{"times with offsets", map[string]string{"from": "2026-11-20T09:00:00+01:00", "to": "2026-11-21T12:30:00Z"}, "2026-11-20T08:00:00Z", "2026-11-21T12:30:00Z", nil, page.DefaultLimit},
		{"from only", map[string]string{"from": "2026-11-20"}, "2026-11-20T00:00:00Z", "2026-11-23T10:05:00Z", nil, page.DefaultLimit},
		{"from only, long ago: the range stops at the most", map[string]string{"from": "2026-01-01"}, "2026-01-01T00:00:00Z", "2026-04-03T00:00:00Z", nil, page.DefaultLimit},
		{"to only", map[string]string{"to": "2026-09-30"}, "2026-08-31T23:00:00Z", "2026-09-30T23:00:00Z", nil, page.DefaultLimit},
		{"exactly 92 days", map[string]string{"from": "2026-08-01T00:00:00Z", "to": "2026-11-01T00:00:00Z"}, "2026-08-01T00:00:00Z", "2026-11-01T00:00:00Z", nil, page.DefaultLimit},
		{"concern", map[string]string{"safeguardingConcern": "true"}, "2026-10-24T10:05:00Z", defaultTo.Format(time.RFC3339), yes(), page.DefaultLimit},
		{"no concern", map[string]string{"safeguardingConcern": "false"}, "2026-10-24T10:05:00Z", defaultTo.Format(time.RFC3339), no(), page.DefaultLimit},
		{"limit", map[string]string{"limit": "100"}, "2026-10-24T10:05:00Z", defaultTo.Format(time.RFC3339), nil, 100},
		{"limit 1", map[string]string{"limit": "1"}, "2026-10-24T10:05:00Z", defaultTo.Format(time.RFC3339), nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseListQuery(tt.params, now)
			if err != nil {
				t.Fatalf("ParseListQuery: %v %+v", err, apperr.As(err).Fields)
			}
			if !q.From.Equal(utc(tt.from)) || !q.To.Equal(utc(tt.to)) {
				t.Errorf("range %s to %s, want %s to %s", q.From, q.To, tt.from, tt.to)
			}
			if !sameConcern(q.Concern, tt.concern) {
				t.Errorf("concern %v, want %v", q.Concern, tt.concern)
			}
			if q.Limit != tt.limit {
				t.Errorf("limit %d, want %d", q.Limit, tt.limit)
			}
			if q.After != nil {
				t.Errorf("after = %+v, want none", q.After)
			}
		})
	}
}

func TestParseListQueryRefuses(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]string
		want   map[string]string // field → part of message
	}{
		{"unknown parameter", map[string]string{"safeguarding": "true"}, map[string]string{"safeguarding": "not a parameter"}},
		{"unknown parameter that could be data", map[string]string{"Zebedee Smith": "1"}, map[string]string{"": "not one of"}},
		{"bad from", map[string]string{"from": "23/11/2026"}, map[string]string{"from": "as a date"}},
		{"not a real date", map[string]string{"to": "2026-02-30"}, map[string]string{"to": "as a date"}},
		{"time without offset", map[string]string{"from": "2026-11-20T09:00:00"}, map[string]string{"from": "as a date"}},
		{"empty to", map[string]string{"to": ""}, map[string]string{"to": "as a date"}},
		{"from after to", map[string]string{"from": "2026-11-20", "to": "2026-11-19"}, map[string]string{"to": "after from"}},
		{"from equals to", map[string]string{"from": "2026-11-20T00:00:00Z", "to": "2026-11-20T00:00:00Z"}, map[string]string{"to": "after from"}},
		{"from in the future", map[string]string{"from": "2026-12-01"}, map[string]string{"to": "after from"}},
		{"over 92 days", map[string]string{"from": "2026-08-01T00:00:00Z", "to": "2026-11-01T00:00:01Z"}, map[string]string{"to": "92 days"}},
		{"bad concern", map[string]string{"safeguardingConcern": "yes"}, map[string]string{"safeguardingConcern": "true or"}},
		{"another adviser", map[string]string{"loggedBy": "adviser-2"}, map[string]string{"loggedBy": "as me"}},
		{"to in year 9999", map[string]string{"to": "9999-12-31"}, map[string]string{"to": "from 2000 to 2100"}},
		{"from in year 0", map[string]string{"from": "0000-01-01"}, map[string]string{"from": "from 2000 to 2100"}},
		{"a time in year 9999", map[string]string{"to": "9999-12-31T23:59:59Z"}, map[string]string{"to": "from 2000 to 2100"}},
		{"limit 0", map[string]string{"limit": "0"}, map[string]string{"limit": "from 1 to 100"}},
		{"limit over the most", map[string]string{"limit": "101"}, map[string]string{"limit": "from 1 to 100"}},
		{"limit not a number", map[string]string{"limit": "ten"}, map[string]string{"limit": "from 1 to 100"}},
		{"limit given twice", map[string]string{"limit": "10,20"}, map[string]string{"limit": "from 1 to 100"}},
		{"garbled cursor", map[string]string{"cursor": "not-a-cursor!"}, map[string]string{"cursor": "cannot be read"}},
		{"empty cursor", map[string]string{"cursor": ""}, map[string]string{"cursor": "cannot be read"}},
		{"cursor of other JSON", map[string]string{"cursor": base64.RawURLEncoding.EncodeToString([]byte(`{"x":1}`))}, map[string]string{"cursor": "cannot be read"}},
		{"cursor with a bad id", map[string]string{"cursor": base64.RawURLEncoding.EncodeToString(
			[]byte(`{"f":"2026-11-01T00:00:00Z","t":"2026-11-02T00:00:00Z","at":"2026-11-01T10:00:00Z","id":"nope"}`))}, map[string]string{"cursor": "cannot be read"}},
		{"cursor too long", map[string]string{"cursor": strings.Repeat("A", 1000)}, map[string]string{"cursor": "cannot be read"}},
		{"several problems", map[string]string{"from": "x", "limit": "0", "safeguardingConcern": "1"},
			map[string]string{"from": "as a date", "limit": "from 1", "safeguardingConcern": "true or"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseListQuery(tt.params, now)
			if apperr.CodeOf(err) != apperr.Malformed {
				t.Fatalf("err = %v, want malformed", err)
			}
			got := fieldsOf(t, err)
			for f, part := range tt.want {
				if !strings.Contains(got[f], part) {
					t.Errorf("%q: message %q, want it to contain %q", f, got[f], part)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("problems %v, want %v", got, tt.want)
			}
			if e := apperr.As(err); strings.Contains(e.Message+e.Fields[0].Message, "Zebedee") {
				t.Errorf("the error repeats a parameter that may be personal data")
			}
		})
	}
}

func TestCursorRoundTrip(t *testing.T) {
	first, err := ParseListQuery(map[string]string{"from": "2026-11-01", "to": "2026-11-23", "safeguardingConcern": "true", "loggedBy": "me", "limit": "10"}, now)
	if err != nil {
		t.Fatal(err)
	}
	pos := Position{CalledAt: utc("2026-11-10T12:00:00.5Z"), ID: "01KAQ3ZJ8Q7X3V4N5M6K7J8H9G"}
	c := Cursor(first, pos)
	if strings.ContainsAny(c, "+/=") {
		t.Errorf("cursor %q is not base64url", c)
	}

	tests := []struct {
		name   string
		params map[string]string
		field  string // the field refused, or "" when accepted
	}{
		{"with the same query", map[string]string{"from": "2026-11-01", "to": "2026-11-23", "safeguardingConcern": "true", "cursor": c}, ""},
		{"alone: the cursor holds the query", map[string]string{"cursor": c}, ""},
		{"with another limit", map[string]string{"cursor": c, "limit": "50"}, ""},
		{"with another from", map[string]string{"from": "2026-11-02", "cursor": c}, "cursor"},
		{"with another to", map[string]string{"to": "2026-11-22", "cursor": c}, "cursor"},
		{"with another filter", map[string]string{"safeguardingConcern": "false", "cursor": c}, "cursor"},
		{"with the same adviser filter", map[string]string{"loggedBy": "me", "cursor": c}, ""},
		{"a day later, with the defaults", map[string]string{"cursor": c}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseListQuery(tt.params, now.Add(24*time.Hour))
			if tt.field != "" {
				if _, ok := fieldsOf(t, err)[tt.field]; !ok {
					t.Fatalf("err = %v, want a problem with %s", err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseListQuery: %v %+v", err, apperr.As(err).Fields)
			}
			if !q.From.Equal(first.From) || !q.To.Equal(first.To) || !sameConcern(q.Concern, first.Concern) || !q.Mine {
				t.Errorf("query %+v, want the first page's range and filter %+v", q, first)
			}
			if q.After == nil || !q.After.CalledAt.Equal(pos.CalledAt) || q.After.ID != pos.ID {
				t.Errorf("after = %+v, want %+v", q.After, pos)
			}
		})
	}
}

func TestCursorOutsideItsRangeIsRefused(t *testing.T) {
	q := ListQuery{From: utc("2026-11-01T00:00:00Z"), To: utc("2026-11-02T00:00:00Z"), Limit: 10}
	for _, at := range []string{"2026-10-31T23:59:59.999Z", "2026-11-02T00:00:00Z"} {
		c := Cursor(q, Position{CalledAt: utc(at), ID: "01KAQ3ZJ8Q7X3V4N5M6K7J8H9G"})
		_, err := ParseListQuery(map[string]string{"cursor": c}, now)
		if _, ok := fieldsOf(t, err)["cursor"]; !ok {
			t.Errorf("a cursor at %s, outside its range, was accepted: %v", at, err)
		}
	}
	// A forged cursor whose range is too long names the cursor.
	long := ListQuery{From: utc("2026-01-01T00:00:00Z"), To: utc("2026-11-01T00:00:00Z")}
	c := Cursor(long, Position{CalledAt: utc("2026-05-01T00:00:00Z"), ID: "01KAQ3ZJ8Q7X3V4N5M6K7J8H9G"})
	_, err := ParseListQuery(map[string]string{"cursor": c}, now)
	if got := fieldsOf(t, err); got["cursor"] == "" || len(got) != 1 {
		t.Errorf("a cursor with a forged range: %v, want a problem with cursor only", got)
	}
}

// loggedBy=me asks for the caller's own calls; leaving it out, everyone's.
func TestParseListQueryMine(t *testing.T) {
	for _, tt := range []struct {
		params map[string]string
		mine   bool
	}{{map[string]string{"loggedBy": "me"}, true}, {nil, false}} {
		q, err := ParseListQuery(tt.params, now)
		if err != nil || q.Mine != tt.mine || q.LoggedBy != "" {
			t.Errorf("%v: %+v %v, want mine %v (the service sets who)", tt.params, q, err, tt.mine)
		}
	}
}
