package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/page"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
)

const refID = "01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"

var now = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)

// memStore is a Store in memory.
type memStore struct {
	recs      map[string]*referral.Record
	decisions []decision.Decision
	audits    []audit.Entry
	queue     []*referral.Record
	next      string
	queueErr  error
	auditErr  error
	gotQuery  QueueQuery
	trail     []audit.Entry
	addenda   []referrer.Addendum
}

func (m *memStore) Referral(_ context.Context, id string) (*referral.Record, error) {
	if r, ok := m.recs[id]; ok {
		return r, nil
	}
	return nil, fmt.Errorf("get %s: %w", id, ErrNotFound)
}
func (m *memStore) FollowUps(context.Context, followup.SourceType, string) ([]followup.FollowUp, error) {
	return nil, nil
}
func (m *memStore) Decisions(context.Context, string) ([]decision.Decision, error) {
	return m.decisions, nil
}
func (m *memStore) Addenda(context.Context, string) ([]referrer.Addendum, error) {
	return m.addenda, nil
}
func (m *memStore) AppendAudit(_ context.Context, e audit.Entry) error {
	if m.auditErr != nil {
		return m.auditErr
	}
	m.audits = append(m.audits, e)
	return nil
}
func (m *memStore) AppendAudits(_ context.Context, es []audit.Entry) error {
	if m.auditErr != nil {
		return m.auditErr
	}
	m.audits = append(m.audits, es...)
	return nil
}
func (m *memStore) TriageQueue(_ context.Context, q QueueQuery) ([]*referral.Record, string, error) {
	m.gotQuery = q
	return m.queue, m.next, m.queueErr
}
func (m *memStore) AuditTrail(context.Context, string, int) ([]audit.Entry, bool, error) {
	return append(slices.Clone(m.trail), m.audits...), false, nil
}

var screener = audit.Request{Actor: audit.Actor{ID: "s1", Role: "mash"}, Route: "GET /triage-queue", RequestID: "req-1"}

func TestParseQueueQuery(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name   string
		params map[string]string
		want   QueueQuery
		fields []string
	}{
		{"none", nil, QueueQuery{Limit: page.DefaultLimit}, nil},
		{"all", map[string]string{"priority": "RED", "overdue": "true", "limit": "10", "cursor": "abc"}, QueueQuery{Priority: "RED", Overdue: &yes, Limit: 10, Cursor: "abc"}, nil},
		{"not overdue", map[string]string{"overdue": "false"}, QueueQuery{Overdue: &no, Limit: page.DefaultLimit}, nil},
		{"largest limit", map[string]string{"limit": "100"}, QueueQuery{Limit: 100}, nil},
		{"lower-case priority", map[string]string{"priority": "red"}, QueueQuery{}, []string{"priority"}},
		{"overdue yes", map[string]string{"overdue": "yes"}, QueueQuery{}, []string{"overdue"}},
		{"overdue 1", map[string]string{"overdue": "1"}, QueueQuery{}, []string{"overdue"}},
		{"limit 0", map[string]string{"limit": "0"}, QueueQuery{}, []string{"limit"}},
		{"limit 101", map[string]string{"limit": "101"}, QueueQuery{}, []string{"limit"}},
		{"limit words", map[string]string{"limit": "ten"}, QueueQuery{}, []string{"limit"}},
		{"unknown and bad", map[string]string{"sort": "x", "priority": "PINK"}, QueueQuery{}, []string{"priority", "sort"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQueueQuery(tt.params)
			if tt.fields != nil {
				got := apperr.FieldNames(err)
				if apperr.CodeOf(err) != apperr.Malformed || !slices.Equal(got, tt.fields) {
					t.Fatalf("got %v (fields %v), want Malformed on %v", err, got, tt.fields)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.Priority != tt.want.Priority || q.Limit != tt.want.Limit || q.Cursor != tt.want.Cursor ||
				(q.Overdue == nil) != (tt.want.Overdue == nil) || (q.Overdue != nil && *q.Overdue != *tt.want.Overdue) {
				t.Errorf("got %+v, want %+v", q, tt.want)
			}
		})
	}
}

func screened(id string, due time.Time, overdueAt *time.Time) *referral.Record {
	return &referral.Record{
		ID: id, Reference: "REF-" + id[len(id)-4:], Status: referral.StatusAwaitingDecision, Source: "2A",
		Form:      referral.Referral{Children: make([]referral.Child, 2)},
		Screening: &referral.Screening{Priority: "AMBER", Reasons: []string{"missing"}, DecisionDueAt: due, OverdueAt: overdueAt},
	}
}

func TestQueueSummarisesAndAuditsEachReferral(t *testing.T) {
	flagged := now.Add(-time.Hour)
	untriagedAt := now.Add(-3 * time.Hour)
	st := &memStore{
		queue: []*referral.Record{
			{ID: "01KAQ3ZZ8Q7X3V4N5M6K7J0000", Reference: "REF-0000", Status: referral.StatusQueued, Source: "6",
				Form: referral.Referral{Children: make([]referral.Child, 1)}, UntriagedAt: &untriagedAt},
			screened("01KAQ3ZZ8Q7X3V4N5M6K7J0001", now.Add(-2*time.Hour), &flagged),
			screened("01KAQ3ZZ8Q7X3V4N5M6K7J0002", now.Add(-time.Minute), nil), // past due, not yet flagged
			screened("01KAQ3ZZ8Q7X3V4N5M6K7J0003", now.Add(time.Hour), nil),
		},
		next: "cursor-2",
	}
	page, err := New(st, func() time.Time { return now }).Queue(context.Background(), QueueQuery{Priority: "AMBER", Limit: 3}, screener)
	if err != nil {
		t.Fatal(err)
	}
	if st.gotQuery.Priority != "AMBER" || st.gotQuery.Limit != 3 {
		t.Errorf("store asked for %+v", st.gotQuery)
	}
	if len(page.Items) != 4 || page.Next != "cursor-2" {
		t.Fatalf("page %+v", page)
	}
	if u := page.Items[0]; !u.Untriaged || !u.Overdue || u.UntriagedAt == nil || !u.UntriagedAt.Equal(untriagedAt) ||
		u.Priority != "" || u.DecisionDueAt != nil || u.Status != referral.StatusQueued || u.Children != 1 {
		t.Errorf("untriaged item %+v, want untriaged, overdue, its time, no priority or due times", u)
	}
	var overdue []bool
	for _, it := range page.Items[1:] {
		if it.Untriaged || it.DecisionDueAt == nil || it.UntriagedAt != nil {
			t.Errorf("screened item %+v shown as untriaged or without due time", it)
		}
		overdue = append(overdue, it.Overdue)
		if it.Children != 2 || it.Priority != "AMBER" || it.ReferralSource != "2A" || len(it.Reasons) != 1 {
			t.Errorf("item %+v", it)
		}
	}
	if !slices.Equal(overdue, []bool{true, true, false}) {
		t.Errorf("overdue %v, want flagged and past due overdue, the third not", overdue)
	}
	if len(st.audits) != 4 {
		t.Fatalf("%d audit entries, want one per referral listed", len(st.audits))
	}
	for i, e := range st.audits {
		if e.Action != ActionListed || e.Subject != audit.Referral(page.Items[i].ID) || e.Actor != screener.Actor || e.RequestID != "req-1" {
			t.Errorf("audit %+v", e)
		}
	}
}

func TestQueueErrors(t *testing.T) {
	tests := []struct {
		name  string
		store *memStore
		code  apperr.Code
	}{
		{"forged cursor", &memStore{queueErr: fmt.Errorf("decode: %w", page.ErrBadCursor)}, apperr.Malformed},
		{"store down", &memStore{queueErr: errors.New("timeout")}, apperr.Unavailable},
		{"audit down", &memStore{queue: []*referral.Record{screened(refID, now, nil)}, auditErr: errors.New("timeout")}, apperr.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := New(tt.store, func() time.Time { return now }).Queue(context.Background(), QueueQuery{Limit: 25}, screener)
			if page != nil || apperr.CodeOf(err) != tt.code {
				t.Errorf("got %v, %v; want %s and no page", page, err, tt.code)
			}
		})
	}
}

func TestReferralShowsDecisions(t *testing.T) {
	st := &memStore{
		recs:      map[string]*referral.Record{refID: screened(refID, now, nil)},
		decisions: []decision.Decision{{ID: "d1", SupersededBy: "d2"}, {ID: "d2", Supersedes: "d1"}},
		addenda:   []referrer.Addendum{{ID: "a1", ReferralID: refID}},
	}
	v, err := New(st, func() time.Time { return now }).Referral(context.Background(), refID, screener)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Decisions) != 2 || v.FollowUps == nil || len(v.Addenda) != 1 {
		t.Errorf("view decisions %v addenda %v follow-ups %v", v.Decisions, v.Addenda, v.FollowUps)
	}
	if len(st.audits) != 1 || st.audits[0].Action != audit.Read {
		t.Errorf("audit %+v", st.audits)
	}
}

func TestAuditTrailRecordsItsOwnRead(t *testing.T) {
	manager := audit.Request{Actor: audit.Actor{ID: "m1", Role: "mash-manager"}, Route: "GET /referrals/{id}/audit", RequestID: "req-9"}
	st := &memStore{
		recs:  map[string]*referral.Record{refID: screened(refID, now, nil)},
		trail: []audit.Entry{{ID: "e1", Action: audit.Submitted}, {ID: "e2", Action: audit.Triaged}},
	}
	svc := New(st, func() time.Time { return now })
	tr, err := svc.AuditTrail(context.Background(), refID, manager)
	if err != nil {
		t.Fatal(err)
	}
	var actions []audit.Action
	for _, e := range tr.Entries {
		actions = append(actions, e.Action)
	}
	if !slices.Equal(actions, []audit.Action{audit.Submitted, audit.Triaged, ActionTrailRead}) || tr.ReferralID != refID {
		t.Errorf("trail %v", actions)
	}
	if last := tr.Entries[2]; last.Actor != manager.Actor || last.Route != manager.Route {
		t.Errorf("the read is recorded as %+v", last)
	}
	for _, id := range []string{"not-an-id", "01KAQ3ZZ8Q7X3V4N5M6K7J8H9Z"} {
		if _, err := svc.AuditTrail(context.Background(), id, manager); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("%s: %v, want NotFound", id, err)
		}
	}
	st.auditErr = errors.New("timeout")
	if _, err := svc.AuditTrail(context.Background(), refID, manager); apperr.CodeOf(err) != apperr.Unavailable {
		t.Errorf("unaudited read allowed: %v", err)
	}
}
