package dynamo_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/page"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/triage"
)

// TestSaveScreening moves a referral to AWAITING_DECISION in the MASH queue
// by decision due time, once: a second screening changes nothing.
func TestSaveScreening(t *testing.T) {
	f := newFixture(t)
	for _, queued := range []bool{false, true} {
		name := "from RECEIVED"
		if queued {
			name = "from QUEUED"
		}
		t.Run(name, func(t *testing.T) {
			rec := f.storeReferral(t, "single-child.json", t0)
			want := 2
			if queued {
				if err := f.store.MarkQueued(t.Context(), rec.ID, t0.Add(time.Second)); err != nil {
					t.Fatal(err)
				}
				want = 3
			}
			due := t0.Add(4 * time.Hour)
			sc := screening("AMBER", due, t0.Add(time.Minute))
			ok, err := f.store.SaveScreening(t.Context(), rec.ID, sc, systemEntry(audit.Referral(rec.ID), audit.Triaged, "triage", t0.Add(time.Minute)))
			if err != nil || !ok {
				t.Fatalf("SaveScreening = %v, %v", ok, err)
			}
			got, err := f.store.Referral(t.Context(), rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != referral.StatusAwaitingDecision || got.Version != want || got.Screening == nil || !reflect.DeepEqual(*got.Screening, sc) {
				t.Errorf("after SaveScreening: status %s, version %d (want %d), screening %+v", got.Status, got.Version, want, got.Screening)
			}
			item := f.item(t, "REFERRAL#"+rec.ID, "REFERRAL")
			if g1, g2 := str(item, "gsi1pk"), str(item, "gsi1sk"); g1 != dynamo.QueueAwaitingDecision || g2 != due.Format(keyTime)+"#"+rec.ID {
				t.Errorf("in ByState %s / %s, want the MASH queue by due time", g1, g2)
			}

			again := screening("RED", due.Add(-time.Hour), t0.Add(2*time.Minute))
			ok, err = f.store.SaveScreening(t.Context(), rec.ID, again, systemEntry(audit.Referral(rec.ID), audit.Triaged, "triage", t0.Add(2*time.Minute)))
			if err != nil || ok {
				t.Fatalf("second SaveScreening = %v, %v; want false, nil", ok, err)
			}
			now, err := f.store.Referral(t.Context(), rec.ID)
			if err != nil || now.Version != want || now.Screening.Priority != "AMBER" {
				t.Errorf("the second screening changed the referral: %+v, %v", now, err)
			}
			if n := f.countPrefix(t, "REFERRAL#"+rec.ID, "AUDIT#"); n != 2 {
				t.Errorf("%d audit entries, want 2 (submitted, triaged once)", n)
			}
		})
	}
	t.Run("missing referral", func(t *testing.T) {
		before := len(f.keys(t))
		id := ids.NewULID(t0)
		ok, err := f.store.SaveScreening(t.Context(), id, screening("RED", t0, t0), systemEntry(audit.Referral(id), audit.Triaged, "triage", t0))
		if err != nil || ok {
			t.Errorf("SaveScreening of a missing referral = %v, %v; want false, nil", ok, err)
		}
		if after := len(f.keys(t)); after != before {
			t.Errorf("%d items, were %d", after, before)
		}
	})
}

// TestAddScreening keeps the late screening of a referral decided by hand
// before its triage succeeded, once, leaving it DECIDED and out of the queue;
// a referral not decided, or already screened, is left as it is.
func TestAddScreening(t *testing.T) {
	f := newFixture(t)
	rec := f.storeUntriaged(t, t0, t0.Add(2*time.Hour))
	read, err := f.store.Referral(t.Context(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := newDecision(t, rec.ID, t0.Add(3*time.Hour), "")
	if err := f.store.SaveDecision(t.Context(), d, read.Version, staffRequest.Entry(audit.Referral(rec.ID), decision.ActionDecided, d.DecidedAt)); err != nil {
		t.Fatalf("SaveDecision on the untriaged referral: %v", err)
	}
	sc := screening("GREEN", t0.Add(24*time.Hour), t0.Add(4*time.Hour))
	entry := func() audit.Entry {
		return systemEntry(audit.Referral(rec.ID), audit.Triaged, "triage", t0.Add(4*time.Hour))
	}
	if ok, err := f.store.AddScreening(t.Context(), rec.ID, sc, entry()); err != nil || !ok {
		t.Fatalf("AddScreening = %v, %v", ok, err)
	}
	got, err := f.store.Referral(t.Context(), rec.ID)
	if err != nil || got.Status != referral.StatusDecided || got.Screening == nil || got.Screening.Priority != "GREEN" {
		t.Fatalf("after AddScreening: %+v, %v", got, err)
	}
	if item := f.item(t, "REFERRAL#"+rec.ID, "REFERRAL"); str(item, "gsi1pk") != "" {
		t.Errorf("a decided referral is in ByState %s", str(item, "gsi1pk"))
	}
	if ok, err := f.store.AddScreening(t.Context(), rec.ID, screening("RED", t0, t0), entry()); err != nil || ok {
		t.Errorf("second AddScreening = %v, %v; want false, nil", ok, err)
	}
	if again, _ := f.store.Referral(t.Context(), rec.ID); again.Version != got.Version || again.Screening.Priority != "GREEN" {
		t.Errorf("the second AddScreening changed the referral: %+v", again)
	}
	awaiting := f.storeTriaged(t, t0, "RED", t0.Add(time.Hour))
	if ok, err := f.store.AddScreening(t.Context(), awaiting.ID, sc, systemEntry(audit.Referral(awaiting.ID), audit.Triaged, "triage", t0)); err != nil || ok {
		t.Errorf("AddScreening on a referral awaiting a decision = %v, %v; want false, nil", ok, err)
	}
}

// followUpSink takes the follow-up commands the triage sends.
type followUpSink struct{ cmds []followup.Command }

// SendFollowUps keeps the commands.
func (s *followUpSink) SendFollowUps(_ context.Context, cmds []followup.Command) error {
	s.cmds = append(s.cmds, cmds...)
	return nil
}

// TestTriageFindsEarlierReferrals triages referrals through the real triage
// service on the Store: each moves to AWAITING_DECISION, its children are
// linked in the ByChild index, and a later referral of the same child finds
// the earlier one (a re-referral), most recent first, while a referral of
// other children finds none.
func TestTriageFindsEarlierReferrals(t *testing.T) {
	f := newFixture(t)
	secret := []byte("test child match key")
	clock := t0
	sink := &followUpSink{}
	svc := triage.NewService(f.store, sink, triage.DefaultRules(), cal, secret, func() time.Time { return clock })

	triaged := func(rec *referral.Record) *referral.Record {
		t.Helper()
		clock = rec.ReceivedAt.Add(time.Minute)
		if err := svc.Triage(t.Context(), rec.ID); err != nil {
			t.Fatalf("Triage %s: %v", rec.ID, err)
		}
		got, err := f.store.Referral(t.Context(), rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != referral.StatusAwaitingDecision || got.Screening == nil {
			t.Fatalf("after Triage: status %s, screening %v", got.Status, got.Screening)
		}
		return got
	}
	earliest := f.storeReferral(t, "single-child.json", t0.AddDate(0, -2, 0))
	earlier := f.storeReferral(t, "single-child.json", t0.AddDate(0, -1, 0))
	siblings := f.storeReferral(t, "siblings.json", t0.AddDate(0, 0, -7))
	latest := f.storeReferral(t, "single-child.json", t0)

	if got := triaged(earliest); len(got.Screening.EarlierReferrals) != 0 || got.Screening.ReReferral {
		t.Errorf("first referral of the child: earlier %v, re-referral %v", got.Screening.EarlierReferrals, got.Screening.ReReferral)
	}
	triaged(earlier)
	if got := triaged(siblings); len(got.Screening.EarlierReferrals) != 0 {
		t.Errorf("referral of other children found %v", got.Screening.EarlierReferrals)
	}
	got := triaged(latest)
	want := []referral.EarlierReferral{{ID: earlier.ID, ReceivedAt: earlier.ReceivedAt}, {ID: earliest.ID, ReceivedAt: earliest.ReceivedAt}}
	if !reflect.DeepEqual(got.Screening.EarlierReferrals, want) || !got.Screening.ReReferral {
		t.Errorf("latest referral: earlier %+v, re-referral %v; want %+v, true", got.Screening.EarlierReferrals, got.Screening.ReReferral, want)
	}

	// ByChild holds each child key once per referral, most recent first.
	keys := triage.ChildKeys(latest.Form.Children[0], secret)
	if len(keys) != 2 {
		t.Fatalf("%d child keys, want 2 (NHS number; name, birth date and postcode)", len(keys))
	}
	for _, k := range keys {
		if err := f.store.LinkChild(t.Context(), latest.ID, latest.ReceivedAt, k); err != nil {
			t.Fatalf("LinkChild again: %v", err)
		}
		found, err := f.store.ReferralsOfChild(t.Context(), k)
		if err != nil {
			t.Fatal(err)
		}
		want := []referral.EarlierReferral{{ID: latest.ID, ReceivedAt: latest.ReceivedAt}, want[0], want[1]}
		if !reflect.DeepEqual(found, want) {
			t.Errorf("ReferralsOfChild = %+v, want %+v", found, want)
		}
	}
	if n := f.countPrefix(t, "REFERRAL#"+latest.ID, "CHILD#"); n != 2 {
		t.Errorf("latest referral has %d child links, want 2", n)
	}
	if found, err := f.store.ReferralsOfChild(t.Context(), "no-such-key"); err != nil || len(found) != 0 {
		t.Errorf("ReferralsOfChild(unknown) = %v, %v", found, err)
	}
	// A second delivery of the message screens nothing again.
	clock = t0.Add(time.Hour)
	if err := svc.Triage(t.Context(), latest.ID); err != nil {
		t.Fatal(err)
	}
	if again, _ := f.store.Referral(t.Context(), latest.ID); again.Version != got.Version || !again.Screening.TriagedAt.Equal(got.Screening.TriagedAt) {
		t.Errorf("triaged twice: version %d → %d", got.Version, again.Version)
	}
}

// queueStory is a triage queue in every state: two untriaged referrals, two
// overdue and five awaiting a decision, and referrals that must not be
// listed (received, queued, decided).
type queueStory struct {
	// untriaged, overdue and awaiting are the ids in queue order within
	// each partition; priority gives each triaged referral's priority.
	untriaged, overdue, awaiting []string
	priority                     map[string]string
}

// all is the whole queue in order.
func (q queueStory) all() []string {
	return slices.Concat(q.untriaged, q.overdue, q.awaiting)
}

// only keeps the ids of ids whose priority is p, untriaged ones always.
func (q queueStory) only(p string, ids []string) []string {
	var out []string
	for _, id := range ids {
		if pr, ok := q.priority[id]; !ok || pr == p {
			out = append(out, id)
		}
	}
	return out
}

// storeQueue writes the queue story.
func (f *fixture) storeQueue(t *testing.T) queueStory {
	t.Helper()
	q := queueStory{priority: map[string]string{}}
	// Untriaged, listed by time escalated: the second escalated first.
	u1 := f.storeUntriaged(t, t0.Add(-5*time.Hour), t0.Add(-1*time.Hour))
	u2 := f.storeUntriaged(t, t0.Add(-4*time.Hour), t0.Add(-2*time.Hour))
	q.untriaged = []string{u2.ID, u1.ID}
	// Overdue, by due time.
	for i, p := range []string{"GREEN", "RED"} {
		rec := f.storeTriaged(t, t0.Add(-8*time.Hour), p, t0.Add(time.Duration(i-3)*time.Hour))
		ok, err := f.store.MarkReferralOverdue(t.Context(), rec.ID, t0, systemEntry(audit.Referral(rec.ID), audit.Overdue, "sweep", t0))
		if err != nil || !ok {
			t.Fatalf("MarkReferralOverdue = %v, %v", ok, err)
		}
		q.overdue, q.priority[rec.ID] = append(q.overdue, rec.ID), p
	}
	// Awaiting, stored out of due order.
	dues := []time.Duration{5, 1, 4, 2, 3}
	prios := []string{"RED", "AMBER", "GREEN", "RED", "AMBER"}
	byDue := map[time.Duration]string{}
	for i, d := range dues {
		rec := f.storeTriaged(t, t0.Add(time.Duration(i)*time.Minute), prios[i], t0.Add(d*time.Hour))
		byDue[d], q.priority[rec.ID] = rec.ID, prios[i]
	}
	for d := time.Duration(1); d <= 5; d++ {
		q.awaiting = append(q.awaiting, byDue[d])
	}
	// Not in the queue: received, queued and not yet triaged, decided.
	f.storeReferral(t, "single-child.json", t0)
	queued := f.storeReferral(t, "single-child.json", t0)
	if err := f.store.MarkQueued(t.Context(), queued.ID, t0); err != nil {
		t.Fatal(err)
	}
	decided := f.storeTriaged(t, t0, "RED", t0.Add(30*time.Minute))
	d := newDecision(t, decided.ID, t0.Add(time.Hour), "")
	if err := f.store.SaveDecision(t.Context(), d, 3, staffRequest.Entry(audit.Referral(decided.ID), decision.ActionDecided, d.DecidedAt)); err != nil {
		t.Fatalf("SaveDecision: %v", err)
	}
	return q
}

// pageQueue reads every page of the triage queue for q with page size
// limit and returns the ids in the order listed.
func pageQueue(t *testing.T, st *dynamo.Store, q casework.QueueQuery, limit int) []string {
	t.Helper()
	q.Limit = limit
	var seen []string
	for _, r := range everyPage(t, "TriageQueue", limit, func(cursor string) ([]*referral.Record, string, error) {
		q.Cursor = cursor
		return st.TriageQueue(t.Context(), q)
	}) {
		seen = append(seen, r.ID)
	}
	return seen
}

// TestTriageQueue pages through the MASH queue with every filter and
// several page sizes: untriaged first, then overdue, then by due time, each
// referral exactly once, the priority filter keeping untriaged referrals.
func TestTriageQueue(t *testing.T) {
	f := newFixture(t)
	q := f.storeQueue(t)
	yes, no := true, false
	tests := []struct {
		name  string
		query casework.QueueQuery
		want  []string
	}{
		{"everything", casework.QueueQuery{}, q.all()},
		{"RED", casework.QueueQuery{Priority: "RED"}, q.only("RED", q.all())},
		{"GREEN", casework.QueueQuery{Priority: "GREEN"}, q.only("GREEN", q.all())},
		{"overdue", casework.QueueQuery{Overdue: &yes}, slices.Concat(q.untriaged, q.overdue)},
		{"overdue RED", casework.QueueQuery{Overdue: &yes, Priority: "RED"}, q.only("RED", slices.Concat(q.untriaged, q.overdue))},
		{"not overdue", casework.QueueQuery{Overdue: &no}, q.awaiting},
		{"not overdue AMBER", casework.QueueQuery{Overdue: &no, Priority: "AMBER"}, q.only("AMBER", q.awaiting)},
	}
	if len(q.all()) != 9 || len(q.only("RED", q.all())) != 5 {
		t.Fatalf("the story is not as meant: %d in the queue, %d RED or untriaged", len(q.all()), len(q.only("RED", q.all())))
	}
	for _, tt := range tests {
		for _, limit := range []int{1, 2, 3, 4, 100} {
			t.Run(fmt.Sprintf("%s/limit %d", tt.name, limit), func(t *testing.T) {
				if got := pageQueue(t, f.store, tt.query, limit); !slices.Equal(got, tt.want) {
					t.Errorf("listed\n %q\nwant\n %q", got, tt.want)
				}
			})
		}
	}
}

// TestTriageQueueBadCursor refuses cursors the store did not make for the
// list: malformed, altered, or for a list with fewer partitions.
func TestTriageQueueBadCursor(t *testing.T) {
	f := newFixture(t)
	f.storeQueue(t)
	_, cursor, err := f.store.TriageQueue(t.Context(), casework.QueueQuery{Limit: 3})
	if err != nil || cursor == "" {
		t.Fatalf("first page: cursor %q, %v", cursor, err)
	}
	// alter rewrites the cursor's JSON members with fn.
	alter := func(fn func(m map[string]any)) string {
		b, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil {
			t.Fatalf("the cursor is not base64url JSON as documented: %v", err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("the cursor is not base64url JSON as documented: %v", err)
		}
		fn(m)
		out, _ := json.Marshal(m)
		return base64.RawURLEncoding.EncodeToString(out)
	}
	// onStrings and onNumbers change the sort key or the partition.
	onStrings := func(fn func(string) string) string {
		return alter(func(m map[string]any) {
			for k, v := range m {
				if s, ok := v.(string); ok {
					m[k] = fn(s)
				}
			}
		})
	}
	onNumbers := func(n float64) string {
		return alter(func(m map[string]any) {
			for k, v := range m {
				if _, ok := v.(float64); ok {
					m[k] = n
				}
			}
		})
	}
	no := false
	tests := []struct {
		name   string
		cursor string
		query  casework.QueueQuery
	}{
		{"not base64url", "not a cursor!", casework.QueueQuery{}},
		{"not JSON", base64.RawURLEncoding.EncodeToString([]byte("queue")), casework.QueueQuery{}},
		{"an extra member", alter(func(m map[string]any) { m["x"] = 1 }), casework.QueueQuery{}},
		{"a partition out of range", onNumbers(7), casework.QueueQuery{}},
		{"a negative partition", onNumbers(-1), casework.QueueQuery{}},
		{"a partition the not-overdue list does not have", onNumbers(2), casework.QueueQuery{Overdue: &no}},
		{"a sort key without a time", onStrings(func(s string) string { _, id, _ := strings.Cut(s, "#"); return "yesterday#" + id }), casework.QueueQuery{}},
		{"a sort key without a referral id", onStrings(func(s string) string { at, _, _ := strings.Cut(s, "#"); return at + "#REFERRAL" }), casework.QueueQuery{}},
		{"a sort key of another item", onStrings(func(s string) string { return "FOLLOWUP#" + s }), casework.QueueQuery{}},
		{"truncated", cursor[:len(cursor)/2], casework.QueueQuery{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.query.Cursor, tt.query.Limit = tt.cursor, 3
			recs, next, err := f.store.TriageQueue(t.Context(), tt.query)
			if !errors.Is(err, page.ErrBadCursor) {
				t.Errorf("TriageQueue = %d referrals, %q, %v; want page.ErrBadCursor", len(recs), next, err)
			}
		})
	}
	// The cursor as made still works.
	if _, _, err := f.store.TriageQueue(t.Context(), casework.QueueQuery{Limit: 3, Cursor: cursor}); err != nil {
		t.Errorf("the cursor as made: %v", err)
	}
}
