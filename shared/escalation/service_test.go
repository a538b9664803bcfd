package escalation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/page"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

var now = time.Date(2026, 11, 25, 9, 30, 0, 123456789, time.UTC)

var manager = audit.Request{Actor: audit.Actor{ID: "m1", Role: "mash-manager", IP: "192.0.2.1"}, Route: "POST /escalations/{id}/acknowledgements", RequestID: "req-1"}

// memStore is a Store in memory.
type memStore struct {
	recs     map[Key]*Record
	page     []Record
	next     string
	listErr  error
	readErr  error
	ackErr   error
	auditErr error
	// raceBy, when set, acknowledges the escalation as that person just
	// before the acknowledgement asked for is written.
	raceBy  string
	gotQ    Query
	acked   []Acknowledgement
	entries []audit.Entry
}

func (m *memStore) Escalations(_ context.Context, q Query) ([]Record, string, error) {
	m.gotQ = q
	return m.page, m.next, m.listErr
}

func (m *memStore) Escalation(_ context.Context, k Key) (*Record, error) {
	if m.readErr != nil {
		return nil, m.readErr
	}
	r, ok := m.recs[k]
	if !ok {
		return nil, fmt.Errorf("get %s: %w", k.Name(), ErrNotFound)
	}
	c := *r
	return &c, nil
}

func (m *memStore) Acknowledge(_ context.Context, k Key, a Acknowledgement, e audit.Entry) error {
	if m.ackErr != nil {
		return m.ackErr
	}
	r := m.recs[k]
	if m.raceBy != "" {
		r.Acknowledgement = &Acknowledgement{By: m.raceBy, At: a.At.Add(-time.Second)}
	}
	if r == nil || r.Acknowledgement != nil {
		return fmt.Errorf("acknowledge %s: %w", k.Name(), ErrNotOpen)
	}
	r.Acknowledgement = &a
	m.acked = append(m.acked, a)
	m.entries = append(m.entries, e)
	return nil
}

func (m *memStore) AppendAudits(_ context.Context, es []audit.Entry) error {
	if m.auditErr != nil {
		return m.auditErr
	}
	m.entries = append(m.entries, es...)
	return nil
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]string
		want   Query
		fields []string
	}{
		{"none: open, 25", nil, Query{Status: StatusOpen, Limit: page.DefaultLimit}, nil},
		{"all", map[string]string{"status": "acknowledged", "limit": "10", "cursor": "abc"}, Query{Status: StatusAcknowledged, Limit: 10, Cursor: "abc"}, nil},
		{"open", map[string]string{"status": "open"}, Query{Status: StatusOpen, Limit: page.DefaultLimit}, nil},
		{"smallest limit", map[string]string{"limit": "1"}, Query{Status: StatusOpen, Limit: 1}, nil},
		{"largest limit", map[string]string{"limit": "100"}, Query{Status: StatusOpen, Limit: 100}, nil},
		{"upper-case status", map[string]string{"status": "OPEN"}, Query{}, []string{"status"}},
		{"empty status", map[string]string{"status": ""}, Query{}, []string{"status"}},
		{"closed", map[string]string{"status": "closed"}, Query{}, []string{"status"}},
		{"limit 0", map[string]string{"limit": "0"}, Query{}, []string{"limit"}},
		{"limit 101", map[string]string{"limit": "101"}, Query{}, []string{"limit"}},
		{"limit +5", map[string]string{"limit": "+5"}, Query{}, []string{"limit"}},
		{"limit words", map[string]string{"limit": "ten"}, Query{}, []string{"limit"}},
		{"unknown and bad, each named", map[string]string{"sort": "x", "next": "y", "status": "all", "limit": "-1"}, Query{}, []string{"limit", "next", "sort", "status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQuery(tt.params)
			if tt.fields != nil {
				if apperr.CodeOf(err) != apperr.Malformed || !slices.Equal(apperr.FieldNames(err), tt.fields) {
					t.Fatalf("got %v (fields %v), want Malformed naming %v", err, apperr.FieldNames(err), tt.fields)
				}
				return
			}
			if err != nil || q != tt.want {
				t.Fatalf("got %+v, %v; want %+v", q, err, tt.want)
			}
		})
	}
}

func TestDecodeAcknowledgement(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		note   string
		code   apperr.Code
		fields []string
	}{
		{"no note", `{}`, "", "", nil},
		{"a note", `{"note": "Spoke to the team lead; screening at 10:00."}`, "Spoke to the team lead; screening at 10:00.", "", nil},
		{"a note with space around it", `{"note": "  Seen.\n"}`, "Seen.", "", nil},
		{"a blank note is none", `{"note": "   "}`, "", "", nil},
		{"a null note is none", `{"note": null}`, "", "", nil},
		{"1000 characters", `{"note": "` + strings.Repeat("é", MaxNote) + `"}`, strings.Repeat("é", MaxNote), "", nil},
		{"1001 characters", `{"note": "` + strings.Repeat("é", MaxNote+1) + `"}`, "", apperr.Invalid, []string{"note"}},
		{"a note that is not text", `{"note": 5}`, "", apperr.Malformed, []string{"note"}},
		{"an unknown member", `{"note": "x", "priority": "high"}`, "", apperr.Malformed, []string{"priority"}},
		{"Note spelt otherwise", `{"Note": "x"}`, "", apperr.Malformed, []string{"Note"}},
		{"not an object", `["note"]`, "", apperr.Malformed, nil},
		{"not JSON", `note: x`, "", apperr.Malformed, nil},
		{"two objects", `{} {}`, "", apperr.Malformed, nil},
		{"empty", ``, "", apperr.Malformed, nil},
		{"too large", `{"note": "` + strings.Repeat("x", MaxBody) + `"}`, "", apperr.TooLarge, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			note, err := DecodeAcknowledgement([]byte(tt.body))
			if tt.code == "" {
				if err != nil || note != tt.note {
					t.Fatalf("got %q, %v; want %q", note, err, tt.note)
				}
				return
			}
			if apperr.CodeOf(err) != tt.code {
				t.Fatalf("got %v; want %s", err, tt.code)
			}
			if tt.fields != nil && !slices.Equal(apperr.FieldNames(err), tt.fields) {
				t.Errorf("fields %v, want %v", apperr.FieldNames(err), tt.fields)
			}
			if strings.Contains(err.Error(), "high") || strings.Contains(err.Error(), "xxxx") {
				t.Errorf("the error repeats the body: %v", err)
			}
		})
	}
}

func TestListAuditsEachEscalationListed(t *testing.T) {
	raised := now.Add(-2 * time.Hour)
	st := &memStore{
		page: []Record{
			{Key: Key{ClockTriage, audit.Referral(refID)}, RaisedAt: raised, Referral: &referral.Record{ID: refID, Reference: "FD-1", Status: referral.StatusQueued}},
			{Key: Key{ClockFollowUp, audit.FollowUp(fuID)}, RaisedAt: raised.Add(time.Minute)},
		},
		next: "next-page",
	}
	req := audit.Request{Actor: audit.Actor{ID: "m1", Role: "mash-manager"}, Route: "GET /escalations", RequestID: "req-2"}
	q := Query{Status: StatusOpen, Limit: 2, Cursor: "c"}
	page, err := New(st, func() time.Time { return now }).List(context.Background(), q, req)
	if err != nil {
		t.Fatal(err)
	}
	if st.gotQ != q {
		t.Errorf("the store was asked %+v, want %+v", st.gotQ, q)
	}
	if len(page.Items) != 2 || page.Next != "next-page" || page.Items[0].Subject.Reference != "FD-1" || page.Items[1].Subject.ID != fuID {
		t.Fatalf("page %+v", page)
	}
	if len(st.entries) != 2 {
		t.Fatalf("%d audit entries, want one for each escalation listed", len(st.entries))
	}
	for i, want := range []audit.Subject{audit.Referral(refID), audit.FollowUp(fuID)} {
		e := st.entries[i]
		if e.Subject != want || e.Action != ActionListed || e.Actor != req.Actor || e.Route != req.Route || e.RequestID != req.RequestID || !e.At.Equal(now) || e.ID == "" {
			t.Errorf("entry %d: %+v; want %s listed by the manager", i, e, want)
		}
	}
	if st.entries[0].ID == st.entries[1].ID {
		t.Error("two entries share an id")
	}
}

func TestListFailures(t *testing.T) {
	tests := []struct {
		name   string
		st     *memStore
		code   apperr.Code
		fields []string
	}{
		{"a cursor the store did not make", &memStore{listErr: fmt.Errorf("list: %w", page.ErrBadCursor)}, apperr.Malformed, []string{"cursor"}},
		{"the store is down", &memStore{listErr: errors.New("timeout")}, apperr.Unavailable, nil},
		{"the listing cannot be audited: nothing is shown", &memStore{page: []Record{{Key: Key{ClockDecision, audit.Referral(refID)}}}, auditErr: errors.New("timeout")}, apperr.Unavailable, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := New(tt.st, func() time.Time { return now }).List(context.Background(), Query{Status: StatusOpen, Limit: 5}, manager)
			if page != nil || apperr.CodeOf(err) != tt.code || !slices.Equal(apperr.FieldNames(err), tt.fields) {
				t.Fatalf("got %+v, %v (fields %v); want %s naming %v", page, err, apperr.FieldNames(err), tt.code, tt.fields)
			}
		})
	}
}

func TestAcknowledge(t *testing.T) {
	decisionKey := Key{ClockDecision, audit.Referral(refID)}
	fuKey := Key{ClockFollowUp, audit.FollowUp(fuID)}
	raised := now.Add(-3 * time.Hour)
	earlier := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	open := func(k Key) *Record { return &Record{Key: k, RaisedAt: raised} }
	stored := func(recs ...*Record) map[Key]*Record {
		m := map[Key]*Record{}
		for _, r := range recs {
			m[r.Key] = r
		}
		return m
	}
	done := open(decisionKey)
	done.Acknowledgement = &Acknowledgement{By: "m0", At: earlier}

	tests := []struct {
		name string
		st   *memStore
		id   string
		body string
		// code is the error wanted; "" for success.
		code    apperr.Code
		message []string // parts of the error's message
		subject audit.Subject
		note    string
	}{
		{name: "an open decision escalation", st: &memStore{recs: stored(open(decisionKey))}, id: decisionKey.ID(), body: `{"note": " On it. "}`, subject: audit.Referral(refID), note: "On it."},
		{name: "an open follow-up escalation, no note", st: &memStore{recs: stored(open(fuKey))}, id: fuKey.ID(), body: `{}`, subject: audit.FollowUp(fuID)},
		{name: "acknowledged already: who and when", st: &memStore{recs: stored(done)}, id: decisionKey.ID(), body: `{}`, code: apperr.Conflict, message: []string{"m0", "2026-11-25T08:00:00Z"}},
		{name: "acknowledged by someone else meanwhile", st: &memStore{recs: stored(open(decisionKey)), raceBy: "m2"}, id: decisionKey.ID(), body: `{}`, code: apperr.Conflict, message: []string{"m2"}},
		{name: "no such escalation", st: &memStore{recs: stored()}, id: decisionKey.ID(), body: `{}`, code: apperr.NotFound},
		{name: "not an escalation id", st: &memStore{recs: stored(open(decisionKey))}, id: refID, body: `{}`, code: apperr.NotFound},
		{name: "a note too long", st: &memStore{recs: stored(open(decisionKey))}, id: decisionKey.ID(), body: `{"note": "` + strings.Repeat("x", MaxNote+1) + `"}`, code: apperr.Invalid},
		{name: "an unknown member", st: &memStore{recs: stored(open(decisionKey))}, id: decisionKey.ID(), body: `{"comment": "x"}`, code: apperr.Malformed},
		{name: "the store cannot be read", st: &memStore{readErr: errors.New("timeout")}, id: decisionKey.ID(), body: `{}`, code: apperr.Unavailable},
		{name: "the store cannot be written", st: &memStore{recs: stored(open(decisionKey)), ackErr: errors.New("timeout")}, id: decisionKey.ID(), body: `{}`, code: apperr.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := New(tt.st, func() time.Time { return now }).Acknowledge(context.Background(), tt.id, []byte(tt.body), manager)
			if tt.code != "" {
				if e != nil || apperr.CodeOf(err) != tt.code {
					t.Fatalf("got %+v, %v; want %s", e, err, tt.code)
				}
				for _, part := range tt.message {
					if !strings.Contains(apperr.As(err).Message, part) {
						t.Errorf("message %q does not say %q", apperr.As(err).Message, part)
					}
				}
				if len(tt.st.acked) != 0 || len(tt.st.entries) != 0 {
					t.Errorf("written though refused: %+v %+v", tt.st.acked, tt.st.entries)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			at := now.Truncate(time.Millisecond)
			want := Acknowledgement{By: "m1", At: at, Note: tt.note}
			if e.ID != tt.id || e.Status != StatusAcknowledged || e.Acknowledgement == nil || *e.Acknowledgement != want || !e.RaisedAt.Equal(raised) || e.Subject.ID != tt.subject.ID {
				t.Errorf("answer %+v (acknowledgement %+v); want it acknowledged by m1 at %s with note %q", e, e.Acknowledgement, at, tt.note)
			}
			if len(tt.st.acked) != 1 || tt.st.acked[0] != want {
				t.Errorf("stored %+v, want %+v", tt.st.acked, want)
			}
			if len(tt.st.entries) != 1 {
				t.Fatalf("%d audit entries, want 1", len(tt.st.entries))
			}
			if en := tt.st.entries[0]; en.Subject != tt.subject || en.Action != ActionAcknowledged || en.Actor != manager.Actor || en.Route != manager.Route || en.RequestID != manager.RequestID || !en.At.Equal(at) {
				t.Errorf("audit entry %+v", en)
			}
			// Once only.
			again, err := New(tt.st, func() time.Time { return now.Add(time.Minute) }).Acknowledge(context.Background(), tt.id, []byte(`{}`), manager)
			if again != nil || apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(err.Error(), "m1") {
				t.Errorf("second acknowledgement: %+v, %v; want a conflict naming m1", again, err)
			}
		})
	}
}
