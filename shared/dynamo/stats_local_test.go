package dynamo_test

import (
	"cmp"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/stats"
)

// TestReferralFacts reads the figures' facts of the referrals received in
// the months asked for, from the ByMonth index: the time received, the
// source code, and once triaged, decided or flagged overdue, the due time,
// re-referral, first decision time and the overdue flag.
func TestReferralFacts(t *testing.T) {
	f := newFixture(t)
	oct := f.storeReferral(t, "single-child.json", time.Date(2026, 10, 31, 23, 59, 59, 999e6, time.UTC))
	received := f.storeReferral(t, "siblings.json", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	decided := f.storeTriaged(t, time.Date(2026, 11, 5, 9, 0, 0, 0, time.UTC), "AMBER", time.Date(2026, 11, 6, 17, 0, 0, 0, time.UTC))
	decidedAt := time.Date(2026, 11, 6, 11, 0, 0, 0, time.UTC)
	if err := f.decide(t, newDecision(t, decided.ID, decidedAt, ""), 3); err != nil {
		t.Fatal(err)
	}
	overdue := f.storeTriaged(t, time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), "RED", time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
	if ok, err := f.store.MarkReferralOverdue(t.Context(), overdue.ID, t0, systemEntry(audit.Referral(overdue.ID), audit.Overdue, "sweep", t0)); err != nil || !ok {
		t.Fatal(ok, err)
	}
	f.storeReferral(t, "single-child.json", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	again := f.storeReferral(t, "single-child.json", time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC))
	sc := screening("GREEN", time.Date(2026, 11, 11, 17, 0, 0, 0, time.UTC), again.ReceivedAt.Add(time.Minute))
	sc.ReReferral, sc.EarlierReferrals = true, []referral.EarlierReferral{{ID: oct.ID, ReceivedAt: oct.ReceivedAt}}
	if ok, err := f.store.SaveScreening(t.Context(), again.ID, sc, systemEntry(audit.Referral(again.ID), audit.Triaged, "triage", sc.TriagedAt)); err != nil || !ok {
		t.Fatal(ok, err)
	}

	ptr := func(t time.Time) *time.Time { return &t }
	octFact := stats.Referral{ID: oct.ID, ReceivedAt: oct.ReceivedAt, Source: oct.Source}
	novFacts := []stats.Referral{
		{ID: received.ID, ReceivedAt: received.ReceivedAt, Source: received.Source},
		// The sample decision is no further action.
		{ID: decided.ID, ReceivedAt: decided.ReceivedAt, Source: decided.Source, ScreeningDueAt: ptr(time.Date(2026, 11, 6, 17, 0, 0, 0, time.UTC)), FirstDecidedAt: &decidedAt, NoFurtherAction: true},
		{ID: again.ID, ReceivedAt: again.ReceivedAt, Source: again.Source, ScreeningDueAt: ptr(time.Date(2026, 11, 11, 17, 0, 0, 0, time.UTC)), ReReferral: true},
		{ID: overdue.ID, ReceivedAt: overdue.ReceivedAt, Source: overdue.Source, ScreeningDueAt: ptr(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)), DecisionOverdue: true},
	}
	tests := []struct {
		months []string
		want   []stats.Referral
	}{
		{[]string{"2026-11"}, novFacts},
		{[]string{"2026-10", "2026-11"}, append([]stats.Referral{octFact}, novFacts...)},
		{[]string{"2026-10"}, []stats.Referral{octFact}},
		{[]string{"2026-09"}, nil},
		{nil, nil},
	}
	for _, tt := range tests {
		got, err := f.store.ReferralFacts(t.Context(), tt.months)
		if err != nil {
			t.Fatalf("ReferralFacts(%q): %v", tt.months, err)
		}
		slices.SortFunc(got, func(a, b stats.Referral) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ReferralFacts(%q) =\n%+v\nwant\n%+v", tt.months, got, tt.want)
		}
	}
}

// TestFollowUpFacts reads the figures' facts of the follow-ups whose clock
// started in the months asked for: kind, times, status, and once done or
// flagged, the completion and arrival times and the overdue flag.
func TestFollowUpFacts(t *testing.T) {
	f := newFixture(t)
	ref := ids.NewULID(t0)
	open := f.storeFollowUp(t, newFollowUp(t, followup.KindReturnHomeInterview, ref, 0, time.Date(2026, 11, 22, 8, 15, 0, 0, time.UTC)))
	flagged := f.storeFollowUp(t, newFollowUp(t, followup.KindReturnHomeInterview, ref, 1, time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)))
	if ok, err := f.store.MarkFollowUpOverdue(t.Context(), sweepKey("REFERRAL#"+ref, flagged.ID), t0, sweepEntry(sweepKey("REFERRAL#"+ref, flagged.ID), t0)); err != nil || !ok {
		t.Fatal(ok, err)
	}
	// An appropriate adult accepted and completed: the sample says when
	// they arrived.
	cus := ids.NewULID(t0)
	aa := f.storeFollowUp(t, newFollowUp(t, followup.KindAppropriateAdult, cus, 0, time.Date(2026, 11, 21, 23, 0, 0, 0, time.UTC)))
	accepted, ev, entry := applyEvent(t, aa, eventRequest(t, "accept.json", 1), aa.StartAt.Add(5*time.Minute))
	if err := f.store.RecordFollowUpEvent(t.Context(), 1, accepted, ev, entry); err != nil {
		t.Fatal(err)
	}
	completed, ev, entry := applyEvent(t, accepted, eventRequest(t, "complete-appropriate-adult.json", 2), t0)
	if err := f.store.RecordFollowUpEvent(t.Context(), 2, completed, ev, entry); err != nil {
		t.Fatal(err)
	}
	october := f.storeFollowUp(t, newFollowUp(t, followup.KindFGMPoliceReport, ids.NewULID(t0), 0, time.Date(2026, 10, 30, 12, 0, 0, 0, time.UTC)))

	arrived := time.Date(2026, 11, 22, 0, 10, 0, 0, time.UTC)
	completedAt := t0
	nov := []stats.FollowUp{
		{Kind: followup.KindReturnHomeInterview, StartAt: flagged.StartAt, DueAt: flagged.DueAt, Status: followup.StatusOverdue, Overdue: true},
		{Kind: followup.KindAppropriateAdult, StartAt: aa.StartAt, DueAt: aa.DueAt, Status: followup.StatusCompleted, CompletedAt: &completedAt, ArrivedAt: &arrived},
		{Kind: followup.KindReturnHomeInterview, StartAt: open.StartAt, DueAt: open.DueAt, Status: followup.StatusOpen},
	}
	oct := stats.FollowUp{Kind: followup.KindFGMPoliceReport, StartAt: october.StartAt, DueAt: october.DueAt, Status: followup.StatusOpen}
	tests := []struct {
		months []string
		want   []stats.FollowUp
	}{
		{[]string{"2026-11"}, nov},
		{[]string{"2026-11", "2026-10"}, append([]stats.FollowUp{oct}, nov...)},
		{[]string{"2026-12"}, nil},
	}
	for _, tt := range tests {
		got, err := f.store.FollowUpFacts(t.Context(), tt.months)
		if err != nil {
			t.Fatalf("FollowUpFacts(%q): %v", tt.months, err)
		}
		slices.SortFunc(got, func(a, b stats.FollowUp) int { return cmp.Compare(a.StartAt.UnixNano(), b.StartAt.UnixNano()) })
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("FollowUpFacts(%q) =\n%+v\nwant\n%+v", tt.months, got, tt.want)
		}
	}
}
