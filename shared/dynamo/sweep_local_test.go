package dynamo_test

import (
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/custody"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/escalation"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/sweep"
)

// idsOf returns the ids of the records.
func idsOf(recs ...*referral.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

// TestUnqueuedReferrals finds referrals stored but never queued, stored
// before the time asked, oldest first, at most the limit.
func TestUnqueuedReferrals(t *testing.T) {
	f := newFixture(t)
	a := f.storeReferral(t, "single-child.json", t0)
	queued := f.storeReferral(t, "single-child.json", t0.Add(time.Minute))
	c := f.storeReferral(t, "siblings.json", t0.Add(2*time.Minute))
	f.storeReferral(t, "single-child.json", t0.Add(10*time.Minute))
	if err := f.store.MarkQueued(t.Context(), queued.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		before time.Time
		limit  int
		want   []string
	}{
		{t0.Add(5 * time.Minute), 10, idsOf(a, c)},
		{t0.Add(5 * time.Minute), 1, idsOf(a)},
		{t0.Add(2 * time.Minute), 10, idsOf(a)},
		{t0, 10, nil},
	}
	for _, tt := range tests {
		got, err := f.store.UnqueuedReferrals(t.Context(), tt.before, tt.limit)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("UnqueuedReferrals(%s, %d) = %q, %v; want %q", tt.before.Format(time.TimeOnly), tt.limit, got, err, tt.want)
		}
	}
}

// TestStaleQueuedAndResends finds referrals queued but never triaged, by
// the time last sent; each resend moves one to the end, at most max times;
// then it is taken out of the queued partition as untriaged, once, with an
// escalation and an audit entry.
func TestStaleQueuedAndResends(t *testing.T) {
	f := newFixture(t)
	var recs []*referral.Record
	for i := range 3 {
		rec := f.storeReferral(t, "single-child.json", t0.Add(time.Duration(i)*time.Minute))
		if err := f.store.MarkQueued(t.Context(), rec.ID, rec.ReceivedAt.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
	triaged := f.storeTriaged(t, t0, "RED", t0.Add(time.Hour))
	stale := func(before time.Time) []string {
		got, err := f.store.StaleQueued(t.Context(), before, 10)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := stale(t0.Add(20 * time.Minute)); !slices.Equal(got, idsOf(recs...)) {
		t.Fatalf("StaleQueued = %q, want %q", got, idsOf(recs...))
	}
	if got, _ := f.store.StaleQueued(t.Context(), t0.Add(20*time.Minute), 2); !slices.Equal(got, idsOf(recs[:2]...)) {
		t.Errorf("StaleQueued limit 2 = %q", got)
	}
	// Resent at 30, 50 and 70 minutes: each time to the end of the queue.
	first := recs[0]
	for i := range 3 {
		at := t0.Add(time.Duration(30+20*i) * time.Minute)
		if ok, err := f.store.RecordResend(t.Context(), first.ID, at, 3); err != nil || !ok {
			t.Fatalf("RecordResend %d = %v, %v", i+1, ok, err)
		}
		if got := stale(at); !slices.Equal(got, idsOf(recs[1:]...)) {
			t.Errorf("after resend %d, StaleQueued(%s) = %q", i+1, at.Format(time.TimeOnly), got)
		}
		if got := stale(at.Add(time.Millisecond)); !slices.Equal(got, idsOf(recs[1], recs[2], first)) {
			t.Errorf("after resend %d, StaleQueued just after = %q", i+1, got)
		}
	}
	item := f.item(t, "REFERRAL#"+first.ID, "REFERRAL")
	if num(item, "resends") != "3" || num(item, "version") != "5" {
		t.Errorf("resends %s, version %s; want 3, 5", num(item, "resends"), num(item, "version"))
	}
	for _, tt := range []struct {
		name string
		id   string
	}{{"a fourth time", first.ID}, {"a triaged referral", triaged.ID}, {"a missing referral", ids.NewULID(t0)}} {
		if ok, err := f.store.RecordResend(t.Context(), tt.id, t0.Add(2*time.Hour), 3); err != nil || ok {
			t.Errorf("RecordResend %s = %v, %v; want false, nil", tt.name, ok, err)
		}
	}
	if got := f.item(t, "REFERRAL#"+first.ID, "REFERRAL"); num(got, "resends") != "3" {
		t.Errorf("resends now %s", num(got, "resends"))
	}

	escalated := t0.Add(90 * time.Minute)
	entry := systemEntry(audit.Referral(first.ID), audit.Untriaged, "sweep", escalated)
	if ok, err := f.store.MarkUntriaged(t.Context(), first.ID, escalated, entry); err != nil || !ok {
		t.Fatalf("MarkUntriaged = %v, %v", ok, err)
	}
	got, err := f.store.Referral(t.Context(), first.ID)
	if err != nil || got.Status != referral.StatusQueued || got.UntriagedAt == nil || !got.UntriagedAt.Equal(escalated) {
		t.Errorf("after MarkUntriaged: %+v, %v", got, err)
	}
	if u := f.indexPartition(t, dynamo.IndexByState, "gsi1pk", dynamo.QueueUntriaged); !slices.Equal(u, []string{escalated.Format(keyTime) + "#" + first.ID}) {
		t.Errorf("UNTRIAGED partition = %q", u)
	}
	if got := stale(t0.Add(3 * time.Hour)); !slices.Equal(got, idsOf(recs[1:]...)) {
		t.Errorf("StaleQueued after MarkUntriaged = %q", got)
	}
	esc := f.item(t, "ESCALATION#REFERRAL#"+first.ID+"#TRIAGE", "ESCALATION")
	if str(esc, "gsi1pk") != dynamo.EscalationsOpen || str(esc, "raisedAt") != escalated.Format(keyTime) {
		t.Errorf("escalation %v", esc)
	}
	before := f.keys(t)
	slices.Sort(before)
	again := systemEntry(audit.Referral(first.ID), audit.Untriaged, "sweep", escalated.Add(time.Hour))
	if ok, err := f.store.MarkUntriaged(t.Context(), first.ID, escalated.Add(time.Hour), again); err != nil || ok {
		t.Errorf("second MarkUntriaged = %v, %v; want false, nil", ok, err)
	}
	if ok, err := f.store.MarkUntriaged(t.Context(), triaged.ID, escalated, systemEntry(audit.Referral(triaged.ID), audit.Untriaged, "sweep", escalated)); err != nil || ok {
		t.Errorf("MarkUntriaged of a triaged referral = %v, %v; want false, nil", ok, err)
	}
	after := f.keys(t)
	slices.Sort(after)
	if !slices.Equal(after, before) {
		t.Errorf("the refused MarkUntriaged wrote:\n got %q\nwant %q", after, before)
	}
}

// TestDueReferralsAndOverdue finds referrals whose decision is due and
// flags each overdue once: moved to the OVERDUE partition, the screening
// stamped, an escalation raised and an audit entry written.
func TestDueReferralsAndOverdue(t *testing.T) {
	f := newFixture(t)
	late := f.storeTriaged(t, t0.Add(-6*time.Hour), "RED", t0.Add(-time.Hour))
	later := f.storeTriaged(t, t0.Add(-6*time.Hour), "AMBER", t0.Add(-30*time.Minute))
	notYet := f.storeTriaged(t, t0.Add(-6*time.Hour), "GREEN", t0.Add(time.Hour))
	if got, err := f.store.DueReferrals(t.Context(), t0, 10); err != nil || !slices.Equal(got, idsOf(late, later)) {
		t.Fatalf("DueReferrals = %q, %v; want %q", got, err, idsOf(late, later))
	}
	if got, _ := f.store.DueReferrals(t.Context(), t0, 1); !slices.Equal(got, idsOf(late)) {
		t.Errorf("DueReferrals limit 1 = %q", got)
	}
	entry := systemEntry(audit.Referral(late.ID), audit.Overdue, "sweep", t0)
	if ok, err := f.store.MarkReferralOverdue(t.Context(), late.ID, t0, entry); err != nil || !ok {
		t.Fatalf("MarkReferralOverdue = %v, %v", ok, err)
	}
	got, err := f.store.Referral(t.Context(), late.ID)
	if err != nil || got.Status != referral.StatusAwaitingDecision || got.Screening.OverdueAt == nil || !got.Screening.OverdueAt.Equal(t0) || got.Screening.Priority != "RED" {
		t.Errorf("after MarkReferralOverdue: %+v, %v", got.Screening, err)
	}
	if o := f.indexPartition(t, dynamo.IndexByState, "gsi1pk", dynamo.QueueOverdue); !slices.Equal(o, []string{t0.Add(-time.Hour).Format(keyTime) + "#" + late.ID}) {
		t.Errorf("OVERDUE partition = %q", o)
	}
	if esc := f.item(t, "ESCALATION#REFERRAL#"+late.ID, "ESCALATION"); str(esc, "gsi1pk") != dynamo.EscalationsOpen || str(esc, "clock") != "decision" {
		t.Errorf("escalation %v", esc)
	}
	if got, _ := f.store.DueReferrals(t.Context(), t0, 10); !slices.Equal(got, idsOf(later)) {
		t.Errorf("DueReferrals after flagging = %q", got)
	}
	audits := f.countPrefix(t, "REFERRAL#"+late.ID, "AUDIT#")
	if ok, err := f.store.MarkReferralOverdue(t.Context(), late.ID, t0.Add(time.Hour), systemEntry(audit.Referral(late.ID), audit.Overdue, "sweep", t0.Add(time.Hour))); err != nil || ok {
		t.Errorf("second MarkReferralOverdue = %v, %v; want false, nil", ok, err)
	}
	if n := f.countPrefix(t, "REFERRAL#"+late.ID, "AUDIT#"); n != audits {
		t.Errorf("the second flag wrote an audit entry: %d, were %d", n, audits)
	}
	if again, _ := f.store.Referral(t.Context(), late.ID); !again.Screening.OverdueAt.Equal(t0) || again.Version != got.Version {
		t.Errorf("the second flag changed the referral: %+v", again.Screening)
	}
	d := newDecision(t, notYet.ID, t0, "")
	if err := f.decide(t, d, 3); err != nil {
		t.Fatal(err)
	}
	if ok, err := f.store.MarkReferralOverdue(t.Context(), notYet.ID, t0.Add(2*time.Hour), systemEntry(audit.Referral(notYet.ID), audit.Overdue, "sweep", t0)); err != nil || ok {
		t.Errorf("MarkReferralOverdue of a decided referral = %v, %v; want false, nil", ok, err)
	}
}

// TestDueFollowUps finds the open and accepted follow-ups past due and not
// yet flagged, of every provider, due longest ago first, and flags each
// once: OPEN becomes OVERDUE, ACCEPTED stays ACCEPTED, both move to the
// flagged part of their partition with an escalation and an audit entry.
func TestDueFollowUps(t *testing.T) {
	f := newFixture(t)
	src := f.storeReferral(t, "missing-episode.json", t0.Add(-100*time.Hour))
	open := f.storeFollowUp(t, newFollowUp(t, followup.KindReturnHomeInterview, src.ID, 0, t0.Add(-74*time.Hour)))
	accepted := f.storeFollowUp(t, newFollowUp(t, followup.KindReturnHomeInterview, src.ID, 1, t0.Add(-73*time.Hour)))
	next, ev, entry := applyEvent(t, accepted, eventRequest(t, "accept.json", 1), t0.Add(-72*time.Hour))
	if err := f.store.RecordFollowUpEvent(t.Context(), 1, next, ev, entry); err != nil {
		t.Fatal(err)
	}
	cus := newCustody(t, "appropriate-adult.json", t0.Add(-150*time.Minute))
	aa := f.storeFollowUp(t, newFollowUp(t, followup.KindAppropriateAdult, cus.ID, 0, cus.ReceivedAt))
	f.storeFollowUp(t, newFollowUp(t, followup.KindReturnHomeInterview, src.ID, 2, t0.Add(-71*time.Hour))) // due in an hour
	keyOf := func(fu followup.FollowUp) sweep.Key {
		if fu.SourceType == followup.SourceCustodyRequest {
			return sweepKey("CUSTODY#"+fu.SourceID, fu.ID)
		}
		return sweepKey("REFERRAL#"+fu.SourceID, fu.ID)
	}
	want := []sweep.Key{keyOf(open), keyOf(accepted), keyOf(aa)}
	got, err := f.store.DueFollowUps(t.Context(), t0, 10)
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("DueFollowUps = %v, %v; want %v", got, err, want)
	}
	if got, _ := f.store.DueFollowUps(t.Context(), t0, 2); !slices.Equal(got, want[:2]) {
		t.Errorf("DueFollowUps limit 2 = %v", got)
	}
	for _, tt := range []struct {
		fu     followup.FollowUp
		status followup.Status
	}{{open, followup.StatusOverdue}, {accepted, followup.StatusAccepted}, {aa, followup.StatusOverdue}} {
		k := keyOf(tt.fu)
		if ok, err := f.store.MarkFollowUpOverdue(t.Context(), k, t0, sweepEntry(k, t0)); err != nil || !ok {
			t.Fatalf("MarkFollowUpOverdue %s = %v, %v", tt.fu.ID, ok, err)
		}
		fu, err := f.store.FollowUp(t.Context(), tt.fu.ID)
		if err != nil || fu.Status != tt.status || fu.OverdueAt == nil || !fu.OverdueAt.Equal(t0) {
			t.Errorf("after flagging %s: %+v, %v; want %s", tt.fu.ID, fu, err, tt.status)
			continue
		}
		item := f.item(t, k.PK, k.SK)
		wantPart := "FOLLOWUP#" + string(fu.Provider) + "#" + string(tt.status)
		if str(item, "gsi1pk") != wantPart || str(item, "gsi1sk") != "0#"+fu.DueAt.Format(keyTime)+"#"+fu.ID {
			t.Errorf("flagged %s in %s / %s", fu.ID, str(item, "gsi1pk"), str(item, "gsi1sk"))
		}
		if esc := f.item(t, "ESCALATION#FOLLOWUP#"+fu.ID, "ESCALATION"); str(esc, "gsi1pk") != dynamo.EscalationsOpen || str(esc, "source") != k.PK {
			t.Errorf("escalation %v", esc)
		}
		esc, err := f.store.Escalation(t.Context(), escalation.Key{Clock: escalation.ClockFollowUp, Subject: audit.FollowUp(fu.ID)})
		if err != nil || esc.FollowUp == nil || esc.FollowUp.ID != fu.ID || !esc.RaisedAt.Equal(t0) {
			t.Errorf("Escalation of %s = %+v, %v", fu.ID, esc, err)
		}
		audits := f.countPrefix(t, "FOLLOWUP#"+fu.ID, "AUDIT#")
		if ok, err := f.store.MarkFollowUpOverdue(t.Context(), k, t0.Add(time.Hour), sweepEntry(k, t0.Add(time.Hour))); err != nil || ok {
			t.Errorf("second MarkFollowUpOverdue = %v, %v; want false, nil", ok, err)
		}
		if again, _ := f.store.FollowUp(t.Context(), fu.ID); again.Version != fu.Version || !again.OverdueAt.Equal(t0) {
			t.Errorf("the second flag changed the follow-up: %+v", again)
		}
		if n := f.countPrefix(t, "FOLLOWUP#"+fu.ID, "AUDIT#"); n != audits {
			t.Errorf("the second flag wrote an audit entry")
		}
	}
	if got, err := f.store.DueFollowUps(t.Context(), t0, 10); err != nil || len(got) != 0 {
		t.Errorf("DueFollowUps after flagging = %v, %v", got, err)
	}
	if got, _ := f.store.DueFollowUps(t.Context(), t0.Add(2*time.Hour), 10); len(got) != 1 {
		t.Errorf("DueFollowUps two hours later = %v, want the one due in an hour", got)
	}
	if ok, err := f.store.MarkFollowUpOverdue(t.Context(), sweepKey("REFERRAL#"+src.ID, missingFollowUpID(t)), t0, sweepEntry(sweepKey("REFERRAL#"+src.ID, missingFollowUpID(t)), t0)); err != nil || ok {
		t.Errorf("MarkFollowUpOverdue of a missing follow-up = %v, %v; want false, nil", ok, err)
	}
}

// TestCustodyRequests stores custody requests once and finds those whose
// follow-ups were never sent, until marked queued (once).
func TestCustodyRequests(t *testing.T) {
	f := newFixture(t)
	a := newCustody(t, "appropriate-adult.json", t0)
	b := newCustody(t, "appropriate-adult-and-accommodation.json", t0.Add(time.Minute))
	if err := f.store.CreateCustodyRequest(t.Context(), a, nil, custody.Claim{Key: a.ID}, custodyEntry(a)); err != nil {
		t.Fatalf("CreateCustodyRequest: %v", err)
	}
	if err := f.store.CreateCustodyRequest(t.Context(), b, nil, custody.Claim{Key: b.ID}, custodyEntry(b)); err != nil {
		t.Fatalf("CreateCustodyRequest: %v", err)
	}
	before := f.keys(t)
	slices.Sort(before)
	if err := f.store.CreateCustodyRequest(t.Context(), a, nil, custody.Claim{Key: a.ID}, custodyEntry(a)); err == nil {
		t.Error("stored the same custody request twice")
	}
	if err := f.store.CreateCustodyRequest(t.Context(), b, nil, custody.Claim{Key: b.ID}, custodyEntry(a)); err == nil {
		t.Error("stored a custody request audited on another")
	}
	after := f.keys(t)
	slices.Sort(after)
	if !slices.Equal(after, before) {
		t.Errorf("the refused writes left items:\n got %q\nwant %q", after, before)
	}
	got, err := f.store.UnqueuedCustodyRequests(t.Context(), t0.Add(5*time.Minute), 10)
	want := []sweep.CustodyRequest{
		{ID: a.ID, ReceivedAt: a.ReceivedAt, AppropriateAdult: true},
		{ID: b.ID, ReceivedAt: b.ReceivedAt, AppropriateAdult: true, Accommodation: true},
	}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("UnqueuedCustodyRequests = %+v, %v; want %+v", got, err, want)
	}
	if got, _ := f.store.UnqueuedCustodyRequests(t.Context(), t0.Add(time.Minute), 10); !slices.Equal(got, want[:1]) {
		t.Errorf("UnqueuedCustodyRequests before b = %+v", got)
	}
	if err := f.store.MarkCustodyQueued(t.Context(), a.ID, t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := f.store.MarkCustodyQueued(t.Context(), a.ID, t0.Add(time.Hour)); err != nil {
		t.Fatalf("MarkCustodyQueued again: %v", err)
	}
	item := f.item(t, "CUSTODY#"+a.ID, "CUSTODY")
	if str(item, "status") != "QUEUED" || num(item, "version") != "2" || str(item, "queuedAt") != t0.Add(time.Second).Format(keyTime) {
		t.Errorf("queued custody request: status %s, version %s, queuedAt %s", str(item, "status"), num(item, "version"), str(item, "queuedAt"))
	}
	if got, _ := f.store.UnqueuedCustodyRequests(t.Context(), t0.Add(5*time.Minute), 10); !slices.Equal(got, want[1:]) {
		t.Errorf("UnqueuedCustodyRequests after queuing a = %+v", got)
	}
	byID, err := f.store.CustodyRequestsByID(t.Context(), []string{a.ID, b.ID, ids.NewULID(t0)})
	if err != nil || len(byID) != 2 || byID[a.ID].Reference != a.Reference || byID[b.ID].Request.CustodyNumber != b.Request.CustodyNumber {
		t.Errorf("CustodyRequestsByID = %+v, %v", byID, err)
	}
	if err := f.store.MarkCustodyQueued(t.Context(), ids.NewULID(t0), t0); err != nil || len(f.keys(t)) != len(before) {
		t.Errorf("MarkCustodyQueued of a missing request: %v, %d items (were %d)", err, len(f.keys(t)), len(before))
	}
}
