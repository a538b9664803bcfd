package dynamo_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// newDecision returns the screener's decision of the sample
// events/decisions/no-further-action.json on the referral, made at at,
// correcting supersedes (empty for a first decision), as the decision
// service builds it.
func newDecision(t *testing.T, referralID string, at time.Time, supersedes string) decision.Decision {
	t.Helper()
	req, err := decision.Decode(sampleBody(t, "decisions/no-further-action.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := decision.Validate(req); err != nil {
		t.Fatal(err)
	}
	at = at.UTC().Truncate(time.Millisecond)
	return decision.Decision{
		ID: ids.NewULID(at), ReferralID: referralID,
		Outcome: req.Outcome, Rationale: req.Rationale, LevelOfNeed: *req.LevelOfNeed, PrimaryNeed: req.PrimaryNeed,
		AdviceGiven: req.AdviceGiven, TransferTo: req.TransferTo, AllocatedWorker: req.AllocatedWorker,
		ReferrerInformed: *req.ReferrerInformed, ReferrerNotInformedReason: req.ReferrerNotInformedReason,
		DecidedBy: staffRequest.Actor.ID, DecidedByRole: staffRequest.Actor.Role, DecidedAt: at, Supersedes: supersedes,
	}
}

// decide saves d on the version read, with its audit entry.
func (f *fixture) decide(t *testing.T, d decision.Decision, read int) error {
	t.Helper()
	action := decision.ActionDecided
	if d.Supersedes != "" {
		action = decision.ActionCorrected
	}
	return f.store.SaveDecision(t.Context(), d, read, staffRequest.Entry(audit.Referral(d.ReferralID), action, d.DecidedAt))
}

// TestSaveDecision records a decision and its correction on a triaged
// referral: DECIDED, out of the MASH queue, each version bumped, the
// superseded decision marked, the first decision time kept.
func TestSaveDecision(t *testing.T) {
	f := newFixture(t)
	rec := f.storeTriaged(t, t0, "AMBER", t0.Add(6*time.Hour))
	read, err := f.store.Referral(t.Context(), rec.ID)
	if err != nil || read.Version != 3 {
		t.Fatalf("triaged referral: %+v, %v", read, err)
	}
	first := newDecision(t, rec.ID, t0.Add(time.Hour), "")
	if err := f.decide(t, first, 3); err != nil {
		t.Fatalf("SaveDecision: %v", err)
	}
	got, err := f.store.Referral(t.Context(), rec.ID)
	if err != nil || got.Status != referral.StatusDecided || got.Version != 4 {
		t.Fatalf("after the decision: %+v, %v", got, err)
	}
	item := f.item(t, "REFERRAL#"+rec.ID, "REFERRAL")
	if str(item, "gsi1pk") != "" || str(item, "gsi1sk") != "" {
		t.Errorf("a decided referral is still in ByState: %s / %s", str(item, "gsi1pk"), str(item, "gsi1sk"))
	}
	if q := f.indexPartition(t, dynamo.IndexByState, "gsi1pk", dynamo.QueueAwaitingDecision); len(q) != 0 {
		t.Errorf("MASH queue still holds %q", q)
	}
	if ds, err := f.store.Decisions(t.Context(), rec.ID); err != nil || !reflect.DeepEqual(ds, []decision.Decision{first}) {
		t.Errorf("Decisions = %+v, %v; want %+v", ds, err, first)
	}

	correction := newDecision(t, rec.ID, t0.Add(2*time.Hour), first.ID)
	if err := f.decide(t, correction, 4); err != nil {
		t.Fatalf("SaveDecision of the correction: %v", err)
	}
	superseded := first
	superseded.SupersededBy = correction.ID
	if ds, err := f.store.Decisions(t.Context(), rec.ID); err != nil || !reflect.DeepEqual(ds, []decision.Decision{superseded, correction}) {
		t.Errorf("Decisions = %+v, %v; want %+v", ds, err, []decision.Decision{superseded, correction})
	}
	if cur := decision.Current(mustDecisions(t, f, rec.ID)); cur == nil || cur.ID != correction.ID {
		t.Errorf("current decision %+v, want the correction", cur)
	}
	item = f.item(t, "REFERRAL#"+rec.ID, "REFERRAL")
	if got := str(item, "firstDecidedAt"); got != first.DecidedAt.Format(keyTime) {
		t.Errorf("firstDecidedAt = %q, want the first decision's %s", got, first.DecidedAt.Format(keyTime))
	}
	if num(item, "version") != "5" {
		t.Errorf("version %s, want 5", num(item, "version"))
	}
	byRef, err := f.store.ReferralByReference(t.Context(), rec.Reference)
	if err != nil || byRef.Status != referral.StatusDecided || byRef.DecidedAt == nil || !byRef.DecidedAt.Equal(correction.DecidedAt) {
		t.Errorf("ReferralByReference = %+v, %v; want decided at the correction's time", byRef, err)
	}
	if n := f.countPrefix(t, "REFERRAL#"+rec.ID, "AUDIT#"); n != 4 {
		t.Errorf("%d audit entries, want 4 (submitted, triaged, decided, corrected)", n)
	}
}

// mustDecisions returns the referral's decisions.
func mustDecisions(t *testing.T, f *fixture, id string) []decision.Decision {
	t.Helper()
	ds, err := f.store.Decisions(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestSaveDecisionRefused tries decisions that must be refused as stale:
// on a version no longer current, a second correction of the same
// decision, a correction of a decision that does not exist, and decisions
// on referrals not awaiting one. Each leaves every item as it was.
func TestSaveDecisionRefused(t *testing.T) {
	f := newFixture(t)
	decided := f.storeTriaged(t, t0, "RED", t0.Add(time.Hour))
	first := newDecision(t, decided.ID, t0.Add(time.Hour), "")
	if err := f.decide(t, first, 3); err != nil {
		t.Fatal(err)
	}
	correction := newDecision(t, decided.ID, t0.Add(2*time.Hour), first.ID)
	if err := f.decide(t, correction, 4); err != nil {
		t.Fatal(err)
	}
	awaiting := f.storeTriaged(t, t0, "GREEN", t0.Add(8*time.Hour))
	queued := f.storeReferral(t, "single-child.json", t0)
	if err := f.store.MarkQueued(t.Context(), queued.ID, t0); err != nil {
		t.Fatal(err)
	}
	received := f.storeReferral(t, "single-child.json", t0)
	at := t0.Add(3 * time.Hour)
	tests := []struct {
		name string
		d    decision.Decision
		read int
	}{
		{"first decision on a stale version", newDecision(t, awaiting.ID, at, ""), 2},
		{"first decision on a version ahead", newDecision(t, awaiting.ID, at, ""), 4},
		{"correction on a stale version", newDecision(t, decided.ID, at, correction.ID), 4},
		{"second correction of the same decision", newDecision(t, decided.ID, at, first.ID), 5},
		{"correction of a decision that does not exist", newDecision(t, decided.ID, at, ids.NewULID(t0)), 5},
		{"decision on a referral queued but not triaged", newDecision(t, queued.ID, at, ""), 2},
		{"decision on a referral not yet queued", newDecision(t, received.ID, at, ""), 1},
		{"decision on a referral that does not exist", newDecision(t, ids.NewULID(t0), at, ""), 1},
	}
	before := f.keys(t)
	slices.Sort(before)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := f.decide(t, tt.d, tt.read); !errors.Is(err, decision.ErrStale) {
				t.Fatalf("SaveDecision = %v, want decision.ErrStale", err)
			}
			after := f.keys(t)
			slices.Sort(after)
			if !slices.Equal(after, before) {
				t.Errorf("the refused decision left items:\n got %q\nwant %q", after, before)
			}
		})
	}
	if ds := mustDecisions(t, f, decided.ID); len(ds) != 2 || ds[0].SupersededBy != correction.ID || ds[1].SupersededBy != "" {
		t.Errorf("decisions now %+v", ds)
	}
	for id, version := range map[string]int{decided.ID: 5, awaiting.ID: 3, queued.ID: 2, received.ID: 1} {
		if rec, err := f.store.Referral(t.Context(), id); err != nil || rec.Version != version {
			t.Errorf("referral %s: %+v, %v; want version %d", id, rec, err, version)
		}
	}
}

// TestSaveDecisionOnUntriaged decides a referral the triage never reached
// (QUEUED in the UNTRIAGED partition): DECIDED and out of the queue.
func TestSaveDecisionOnUntriaged(t *testing.T) {
	f := newFixture(t)
	rec := f.storeUntriaged(t, t0, t0.Add(time.Hour))
	read, err := f.store.Referral(t.Context(), rec.ID)
	if err != nil || read.Status != referral.StatusQueued || read.UntriagedAt == nil {
		t.Fatalf("untriaged referral: %+v, %v", read, err)
	}
	d := newDecision(t, rec.ID, t0.Add(2*time.Hour), "")
	if err := f.decide(t, d, read.Version); err != nil {
		t.Fatalf("SaveDecision: %v", err)
	}
	if got, _ := f.store.Referral(t.Context(), rec.ID); got.Status != referral.StatusDecided || got.Version != read.Version+1 {
		t.Errorf("after the decision: %+v", got)
	}
	if u := f.indexPartition(t, dynamo.IndexByState, "gsi1pk", dynamo.QueueUntriaged); len(u) != 0 {
		t.Errorf("UNTRIAGED partition still holds %q", u)
	}
}

// TestSaveDecisionAuditClashIsNotStale: when the decision's audit entry
// cannot be written (an entry with its id is already there), the decision
// is refused as a failure of the store, not as a stale version, which
// would send the screener to read again and decide on what did not change.
func TestSaveDecisionAuditClashIsNotStale(t *testing.T) {
	f := newFixture(t)
	rec := f.storeTriaged(t, t0, "AMBER", t0.Add(6*time.Hour))
	read, err := f.store.Referral(t.Context(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := newDecision(t, rec.ID, t0.Add(time.Hour), "")
	entry := staffRequest.Entry(audit.Referral(rec.ID), decision.ActionDecided, d.DecidedAt)
	if err := f.store.AppendAudits(t.Context(), []audit.Entry{entry}); err != nil {
		t.Fatal(err)
	}
	before := f.keys(t)
	slices.Sort(before)
	err = f.store.SaveDecision(t.Context(), d, read.Version, entry)
	if err == nil || errors.Is(err, decision.ErrStale) {
		t.Fatalf("SaveDecision with a clashing audit entry = %v, want a failure that is not ErrStale", err)
	}
	if after := f.keys(t); !slices.Equal(before, slices.Sorted(slices.Values(after))) {
		t.Errorf("items changed though the decision was refused:\nbefore %v\nafter  %v", before, after)
	}
	// The same decision with its own entry goes through at the same version.
	if err := f.decide(t, d, read.Version); err != nil {
		t.Fatalf("the decision with a fresh audit entry: %v", err)
	}
}
