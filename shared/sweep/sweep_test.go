package sweep

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// fakeStore keeps referrals and follow-ups in memory with the semantics the
// Store interface promises: flags are set once.
type fakeStore struct {
	readErr    error                // returned by every Referral read when set
	unqueued   map[string]time.Time // id → received
	queued     []string
	awaiting   map[string]time.Time // id → decision due
	overdue    map[string]bool
	audits     []audit.Entry
	followUps  map[Key]time.Time // key → due
	fuOverdue  map[Key]bool
	failMarkID string
	custody    map[string]CustodyRequest
	custodyQ   []string
	sentAt     map[string]time.Time // queued id → last sent to the triage queue
	resends    map[string]int
	untriaged  map[string]bool
	records    map[string]*referral.Record
}

func (f *fakeStore) Referral(_ context.Context, id string) (*referral.Record, error) {
	if f.readErr != nil {
		return nil, f.readErr
	}
	if r, ok := f.records[id]; ok {
		return r, nil
	}
	return nil, referral.ErrNotFound
}

func (f *fakeStore) StaleQueued(_ context.Context, before time.Time, limit int) ([]string, error) {
	var out []string
	for id, at := range f.sentAt {
		if at.Before(before) && !f.untriaged[id] {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out[:min(limit, len(out))], nil
}

func (f *fakeStore) RecordResend(_ context.Context, id string, at time.Time, max int) (bool, error) {
	if _, ok := f.sentAt[id]; !ok || f.untriaged[id] || f.resends[id] >= max {
		return false, nil
	}
	f.resends[id]++
	f.sentAt[id] = at
	return true, nil
}

func (f *fakeStore) MarkUntriaged(_ context.Context, id string, _ time.Time, e audit.Entry) (bool, error) {
	if _, ok := f.sentAt[id]; !ok || f.untriaged[id] {
		return false, nil
	}
	f.untriaged[id] = true
	f.audits = append(f.audits, e)
	return true, nil
}

func (f *fakeStore) UnqueuedCustodyRequests(_ context.Context, before time.Time, limit int) ([]CustodyRequest, error) {
	var out []CustodyRequest
	for _, c := range f.custody {
		if c.ReceivedAt.Before(before) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b CustodyRequest) int { return strings.Compare(a.ID, b.ID) })
	return out[:min(limit, len(out))], nil
}

func (f *fakeStore) MarkCustodyQueued(_ context.Context, id string, _ time.Time) error {
	delete(f.custody, id)
	f.custodyQ = append(f.custodyQ, id)
	return nil
}

type fakeFollowUps struct {
	sent []followup.Command
	err  error
}

func (q *fakeFollowUps) SendFollowUps(_ context.Context, cmds []followup.Command) error {
	if q.err != nil {
		return q.err
	}
	q.sent = append(q.sent, cmds...)
	return nil
}

func (f *fakeStore) UnqueuedReferrals(_ context.Context, before time.Time, limit int) ([]string, error) {
	var out []string
	for id, at := range f.unqueued {
		if at.Before(before) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out[:min(limit, len(out))], nil
}

func (f *fakeStore) MarkQueued(_ context.Context, id string, _ time.Time) error {
	if id == f.failMarkID {
		return errors.New("store down")
	}
	delete(f.unqueued, id)
	f.queued = append(f.queued, id)
	return nil
}

func (f *fakeStore) DueReferrals(_ context.Context, now time.Time, limit int) ([]string, error) {
	var out []string
	for id, due := range f.awaiting {
		if due.Before(now) && !f.overdue[id] {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out[:min(limit, len(out))], nil
}

func (f *fakeStore) MarkReferralOverdue(_ context.Context, id string, _ time.Time, e audit.Entry) (bool, error) {
	if f.overdue[id] {
		return false, nil
	}
	f.overdue[id] = true
	f.audits = append(f.audits, e)
	return true, nil
}

func (f *fakeStore) DueFollowUps(_ context.Context, now time.Time, limit int) ([]Key, error) {
	var out []Key
	for k, due := range f.followUps {
		if due.Before(now) && !f.fuOverdue[k] {
			out = append(out, k)
		}
	}
	return out[:min(limit, len(out))], nil
}

func (f *fakeStore) MarkFollowUpOverdue(_ context.Context, k Key, _ time.Time, e audit.Entry) (bool, error) {
	if f.fuOverdue[k] {
		return false, nil
	}
	f.fuOverdue[k] = true
	f.audits = append(f.audits, e)
	return true, nil
}

type fakeTriage struct {
	sent []string
	fail bool
}

func (q *fakeTriage) EnqueueReferral(_ context.Context, id string) error {
	if q.fail {
		return errors.New("queue down")
	}
	q.sent = append(q.sent, id)
	return nil
}

type fakeDLQ map[string]int

func (d fakeDLQ) Depths(context.Context) (map[string]int, error) { return d, nil }

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func newStore() *fakeStore {
	return &fakeStore{
		unqueued: map[string]time.Time{
			"old":   now.Add(-10 * time.Minute),
			"edge":  now.Add(-2*time.Minute - time.Second),
			"fresh": now.Add(-30 * time.Second),
		},
		awaiting: map[string]time.Time{
			"late":    now.Add(-time.Minute),
			"on-time": now.Add(time.Hour),
		},
		overdue: map[string]bool{},
		sentAt: map[string]time.Time{
			"lost":   now.Add(-25 * time.Minute),
			"recent": now.Add(-10 * time.Minute),
		},
		resends:   map[string]int{},
		untriaged: map[string]bool{},
		records: map[string]*referral.Record{
			"lost": {ID: "lost", Status: referral.StatusQueued, Form: referral.Referral{
				Children:       []referral.Child{{FirstName: "Test"}},
				MissingEpisode: &referral.MissingEpisode{ReturnedAt: "2026-11-22T08:15:00Z"},
			}},
			"recent": {ID: "recent", Status: referral.StatusQueued, Form: referral.Referral{Children: []referral.Child{{FirstName: "Test"}}}},
		},
		followUps: map[Key]time.Time{{"1", "REFERRAL#a", "FOLLOWUP#1"}: now.Add(-time.Second), {"2", "REFERRAL#b", "FOLLOWUP#2"}: now.Add(time.Minute)},
		fuOverdue: map[Key]bool{},
		custody: map[string]CustodyRequest{
			"01KAQ3ZZ8Q7X3V4N5M6K7J8H9G": {ID: "01KAQ3ZZ8Q7X3V4N5M6K7J8H9G", ReceivedAt: now.Add(-5 * time.Minute), AppropriateAdult: true, Accommodation: true},
			"01KAQ3ZZ8Q7X3V4N5M6K7J8H9H": {ID: "01KAQ3ZZ8Q7X3V4N5M6K7J8H9H", ReceivedAt: now.Add(-10 * time.Second), AppropriateAdult: true},
		},
	}
}

func TestRunRequeuesFlagsAndReports(t *testing.T) {
	st, q := newStore(), &fakeTriage{}
	svc := New(st, q, &fakeFollowUps{}, fakeDLQ{"TriageDeadLetterQueue": 0, "FollowUpDeadLetterQueue": 2}, Options{})
	r, err := svc.Run(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(q.sent, []string{"edge", "old", "lost"}) || !slices.Equal(st.queued, []string{"edge", "old"}) {
		t.Errorf("queued %v (sent %v), want edge and old but not the referral stored 30 s ago, and lost sent again", st.queued, q.sent)
	}
	if r.Requeued != 2 || r.Resent != 1 || r.Untriaged != 0 || r.OverdueReferrals != 1 || r.OverdueFollowUps != 1 || r.DeadLetterMessages != 2 {
		t.Errorf("report %+v", r)
	}
	if !st.overdue["late"] || st.overdue["on-time"] {
		t.Errorf("overdue %v, want only late", st.overdue)
	}
	// The sweep makes its own audit entries: one for the late decision,
	// one for the overdue follow-up, each by the system.
	if len(st.audits) != 2 ||
		st.audits[0].Action != audit.Overdue || st.audits[0].Subject != audit.Referral("late") ||
		st.audits[1].Action != followup.ActionOverdue || st.audits[1].Subject != audit.FollowUp("1") {
		t.Errorf("audit %+v", st.audits)
	}
	for _, e := range st.audits {
		if e.Actor != audit.System("sweep") || e.ID == "" || !e.At.Equal(now) || e.Route != "" {
			t.Errorf("audit entry %+v is not the sweep's own", e)
		}
	}

	again, err := svc.Run(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	if again.Requeued != 0 || again.Resent != 0 || again.OverdueReferrals != 0 || again.OverdueFollowUps != 0 {
		t.Errorf("second run %+v changed something", again)
	}
}

func TestRunResendsALostReferralThenEscalatesIt(t *testing.T) {
	st, q, fu := newStore(), &fakeTriage{}, &fakeFollowUps{}
	svc := New(st, q, fu, fakeDLQ{}, Options{})
	at := now
	for i := 1; i <= DefaultMaxResends; i++ {
		r, err := svc.Run(context.Background(), at)
		if err != nil {
			t.Fatal(err)
		}
		if r.Untriaged != 0 || st.resends["lost"] != i {
			t.Fatalf("run %d: report %+v, %d resends of lost", i, r, st.resends["lost"])
		}
		at = at.Add(DefaultResendAfter + time.Minute)
	}
	if n := slices.Index(q.sent, "lost"); n < 0 {
		t.Fatal("lost never sent again")
	}
	lostFollowUps := func() (out []followup.Command) {
		for _, c := range fu.sent {
			if c.SourceID == "lost" {
				out = append(out, c)
			}
		}
		return out
	}
	if got := lostFollowUps(); len(got) != 0 {
		t.Fatalf("follow-ups %+v started while lost was still being sent again", got)
	}
	// The escalation waits for the referral's follow-ups to be started.
	sent := len(q.sent)
	fu.err = errors.New("follow-up queue down")
	if r, err := svc.Run(context.Background(), at); err == nil || r.Untriaged != 0 || st.untriaged["lost"] {
		t.Fatalf("report %+v, error %v: want lost not escalated before its follow-ups are started", r, err)
	}
	fu.err = nil
	r, err := svc.Run(context.Background(), at)
	if err != nil {
		t.Fatal(err)
	}
	if r.Untriaged != 1 || !st.untriaged["lost"] || slices.Contains(q.sent[sent:], "lost") {
		t.Fatalf("report %+v, sent after the last resend %v: want lost escalated, not sent", r, q.sent[sent:])
	}
	if got := lostFollowUps(); len(got) != 1 || got[0].Kind != followup.KindReturnHomeInterview {
		t.Errorf("follow-ups %+v, want lost's return home interview started when it was escalated", got)
	}
	untriagedEntries := func() (n int) {
		for _, e := range st.audits {
			if e.Action == audit.Untriaged && e.Subject == audit.Referral("lost") && e.Actor == audit.System("sweep") {
				n++
			}
		}
		return n
	}
	if n := untriagedEntries(); n != 1 {
		t.Errorf("%d untriaged audit entries for lost, want 1", n)
	}
	for range 5 {
		at = at.Add(DefaultResendAfter + time.Minute)
		if _, err := svc.Run(context.Background(), at); err != nil {
			t.Fatal(err)
		}
	}
	if n := untriagedEntries(); n != 1 || st.resends["lost"] != DefaultMaxResends {
		t.Errorf("after more runs: %d untriaged entries, %d resends; want 1 and %d", n, st.resends["lost"], DefaultMaxResends)
	}
}

// A referral sent again the most times whose record cannot be read has no
// follow-ups to start: it is escalated all the same (a person must read
// it), and the run reports the error. One that could not be read just now
// waits for the next run.
func TestRunEscalatesAnUnreadableReferral(t *testing.T) {
	for _, tc := range []struct {
		name      string
		err       error
		escalated bool
	}{
		{"damaged", fmt.Errorf("%w: decode receivedAt of referral lost: bad time", referral.ErrUnreadable), true},
		{"not read just now", errors.New("connection refused"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, fu := newStore(), &fakeFollowUps{}
			svc := New(st, &fakeTriage{}, fu, fakeDLQ{}, Options{})
			at := now
			for range DefaultMaxResends {
				if _, err := svc.Run(context.Background(), at); err != nil {
					t.Fatal(err)
				}
				at = at.Add(DefaultResendAfter + time.Minute)
			}
			st.readErr = tc.err
			r, err := svc.Run(context.Background(), at)
			if !errors.Is(err, tc.err) {
				t.Errorf("run error %v, want it to report %v", err, tc.err)
			}
			if got := st.untriaged["lost"]; got != tc.escalated || (r.Untriaged == 1) != tc.escalated {
				t.Errorf("escalated %v (report %+v), want %v", got, r, tc.escalated)
			}
			for _, c := range fu.sent {
				if c.SourceID == "lost" {
					t.Errorf("follow-up %+v started for a referral that was not read", c)
				}
			}
		})
	}
}

func TestRunSendsFollowUpsOfUnqueuedCustodyRequests(t *testing.T) {
	st, fu := newStore(), &fakeFollowUps{}
	r, err := New(st, &fakeTriage{}, fu, fakeDLQ{}, Options{}).Run(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	if r.CustodyResent != 1 || !slices.Equal(st.custodyQ, []string{"01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"}) {
		t.Fatalf("report %+v, marked %v: want only the request stored 5 minutes ago", r, st.custodyQ)
	}
	var kinds []followup.Kind
	for _, c := range fu.sent {
		kinds = append(kinds, c.Kind)
	}
	if !slices.Equal(kinds, []followup.Kind{followup.KindAppropriateAdult, followup.KindS38Accommodation}) {
		t.Errorf("commands %v, want appropriate adult and s38(6)", kinds)
	}
}

func TestRunCarriesOnPastFailures(t *testing.T) {
	st, q := newStore(), &fakeTriage{}
	st.failMarkID = "edge"
	r, err := New(st, q, &fakeFollowUps{}, fakeDLQ{}, Options{}).Run(context.Background(), now)
	if err == nil {
		t.Fatal("no error for a failed mark")
	}
	if r.Requeued != 1 || r.OverdueReferrals != 1 || r.OverdueFollowUps != 1 {
		t.Errorf("report %+v: one failure stopped the rest", r)
	}
}

func TestRunWithQueueDownLeavesReferralsUnqueued(t *testing.T) {
	st := newStore()
	r, err := New(st, &fakeTriage{fail: true}, &fakeFollowUps{}, fakeDLQ{}, Options{}).Run(context.Background(), now)
	if err == nil || r.Requeued != 0 || r.Resent != 0 || len(st.queued) != 0 || len(st.unqueued) != 3 {
		t.Errorf("report %+v, err %v, queued %v: want nothing marked queued", r, err, st.queued)
	}
}

// A backlog larger than a page in every phase (after an outage of SQS, or
// of triage, say) is worked through in one run, each item once, a page
// (Limit) at a time; the next run has nothing left.
func TestRunWorksThroughABacklogInOneRun(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 7, 12} {
		st := newStore()
		st.unqueued, st.sentAt, st.custody = map[string]time.Time{}, map[string]time.Time{}, map[string]CustodyRequest{}
		st.records = map[string]*referral.Record{}
		for i := range n {
			st.unqueued[fmt.Sprintf("u%02d", i)] = now.Add(-time.Hour - time.Duration(i)*time.Minute)
			id := fmt.Sprintf("s%02d", i)
			st.sentAt[id] = now.Add(-time.Hour - time.Duration(i)*time.Minute)
			st.records[id] = &referral.Record{ID: id, Status: referral.StatusQueued}
			c := fmt.Sprintf("c%02d", i)
			st.custody[c] = CustodyRequest{ID: c, ReceivedAt: now.Add(-time.Hour), AppropriateAdult: true}
		}
		q := &fakeTriage{}
		svc := New(st, q, &fakeFollowUps{}, fakeDLQ{}, Options{Limit: 3})
		r, err := svc.Run(context.Background(), now)
		if err != nil {
			t.Fatal(err)
		}
		if r.Requeued != n || r.Resent != n || r.CustodyResent != n || len(q.sent) != 2*n || len(st.unqueued) != 0 || len(st.custody) != 0 {
			t.Errorf("%d of each, pages of 3: report %+v, %d sent, %d left unqueued, %d custody left; want every one once",
				n, r, len(q.sent), len(st.unqueued), len(st.custody))
		}
		if again, err := svc.Run(context.Background(), now); err != nil || again.Requeued != 0 || again.Resent != 0 || again.CustodyResent != 0 {
			t.Errorf("%d of each: the next run %+v, %v; want nothing left", n, again, err)
		}
	}
}

// A run works through at most maxPages pages of a phase: a backlog larger
// than that is finished by the runs after it.
func TestRunStopsAtMaxPages(t *testing.T) {
	st := newStore()
	st.unqueued = map[string]time.Time{}
	n := maxPages + 5
	for i := range n {
		st.unqueued[fmt.Sprintf("u%03d", i)] = now.Add(-time.Hour)
	}
	svc := New(st, &fakeTriage{}, &fakeFollowUps{}, fakeDLQ{}, Options{Limit: 1})
	first, _ := svc.Run(context.Background(), now)
	second, _ := svc.Run(context.Background(), now)
	if first.Requeued != maxPages || second.Requeued != n-maxPages {
		t.Errorf("requeued %d then %d with pages of 1; want %d then %d", first.Requeued, second.Requeued, maxPages, n-maxPages)
	}
}

func TestNow(t *testing.T) {
	clock := now.Add(time.Hour)
	if got := Now(time.Time{}, clock); !got.Equal(clock) {
		t.Errorf("no scheduled time: %s, want the clock", got)
	}
	if got := Now(now, clock); !got.Equal(now) {
		t.Errorf("scheduled time: %s, want %s", got, now)
	}
}

// The metrics the alarms watch are the run's counts, each under its
// name in template.yaml.
func TestReportMetrics(t *testing.T) {
	r := Report{OverdueFollowUps: 1, OverdueReferrals: 2, Untriaged: 3, DeadLetterMessages: 4, Requeued: 9}
	want := map[string]int{"OverdueFollowUps": 1, "OverdueDecisions": 2, "UntriagedReferrals": 3, "DeadLetterMessages": 4}
	if got := r.Metrics(); !maps.Equal(got, want) {
		t.Errorf("metrics %v, want %v", got, want)
	}
}

// A backlog of overdue clocks larger than a page (after missed runs, say)
// is escalated in one run, each once; the next run has nothing left.
func TestRunEscalatesABacklogInOneRun(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 7, 12} {
		st := newStore()
		st.awaiting, st.followUps = map[string]time.Time{}, map[Key]time.Time{}
		for i := range n {
			st.awaiting[fmt.Sprintf("r%02d", i)] = now.Add(-time.Duration(i+1) * time.Minute)
			st.followUps[Key{ID: fmt.Sprintf("f%02d", i)}] = now.Add(-time.Duration(i+1) * time.Minute)
		}
		svc := New(st, &fakeTriage{}, &fakeFollowUps{}, fakeDLQ{}, Options{Limit: 3})
		r, err := svc.Run(context.Background(), now)
		if err != nil {
			t.Fatal(err)
		}
		if r.OverdueReferrals != n || r.OverdueFollowUps != n || len(st.overdue) != n || len(st.fuOverdue) != n {
			t.Errorf("%d due, pages of 3: report %+v, %d and %d flagged; want all %d of each", n, r, len(st.overdue), len(st.fuOverdue), n)
		}
		if again, err := svc.Run(context.Background(), now); err != nil || again.OverdueReferrals != 0 || again.OverdueFollowUps != 0 {
			t.Errorf("%d due: the next run %+v, %v; want nothing left", n, again, err)
		}
	}
}
