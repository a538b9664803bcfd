package dynamo_test

// Builders of valid domain records for the adapter tests: referral forms and
// helpline calls decoded from the samples in events/ and validated as the
// services validate them, follow-ups made by followup.New, and audit entries
// made by audit.Request. Every time is fixed; none is read from the clock.

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/custody"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// t0 is the fixed moment the tests' stories start: the samples are valid
// then (it is the `now` of the domain packages' own tests).
var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// keyTime is how the store writes times in keys (README.md): UTC, fixed
// width, so that they sort as text.
const keyTime = "2006-01-02T15:04:05.000Z"

// eventsDir holds the sample requests.
const eventsDir = "../../events"

// sampleBody reads a sample request, e.g. "referrals/single-child.json".
func sampleBody(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(eventsDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// referralForm decodes and validates (at t0) a sample referral form from
// events/referrals, as the intake does.
func referralForm(t testing.TB, sample string) *referral.Referral {
	t.Helper()
	form, err := referral.Decode(sampleBody(t, "referrals/"+sample))
	if err != nil {
		t.Fatalf("decode %s: %v", sample, err)
	}
	if err := referral.Validate(form, t0); err != nil {
		t.Fatalf("validate %s: %v", sample, err)
	}
	return form
}

// newReferral returns a referral record of the sample form as the intake
// makes one received at at: RECEIVED, version 1, a fresh id, reference and
// receipt token hash.
func newReferral(t testing.TB, sample string, at time.Time) *referral.Record {
	t.Helper()
	form := referralForm(t, sample)
	at = at.UTC().Truncate(time.Millisecond)
	return &referral.Record{
		ID:               ids.NewULID(at),
		Reference:        ids.NewReference(),
		Status:           referral.StatusReceived,
		ReceivedAt:       at,
		Source:           form.Referrer.AgencyType.ReferralSource(),
		ReceiptTokenHash: ids.Hash(ids.NewToken()),
		Version:          1,
		Form:             *form,
	}
}

// referrerActor is the partner who sends referrals in the tests.
var referrerActor = audit.Anonymous("192.0.2.10")

// submittedEntry is the audit entry the intake writes with a referral.
func submittedEntry(rec *referral.Record) audit.Entry {
	return audit.Request{Actor: referrerActor, Route: "POST /referrals", RequestID: "req-" + rec.ID}.
		Entry(audit.Referral(rec.ID), audit.Submitted, rec.ReceivedAt)
}

// systemEntry is an audit entry of the front door's own work on subject.
func systemEntry(subject audit.Subject, action audit.Action, name string, at time.Time) audit.Entry {
	return audit.Entry{ID: ids.NewULID(at), At: at.UTC(), Subject: subject, Action: action, Actor: audit.System(name)}
}

// staffRequest is a MASH screener's request, as the API records it.
var staffRequest = audit.Request{
	Actor: audit.Actor{ID: "screener-1", Role: "mash", IP: "198.51.100.7"},
	Route: "POST /referrals/{id}/decisions", RequestID: "req-staff",
}

// idempotency returns the idempotency record of a request sent with key at
// now, for the referral id, remembering response.
func idemRecord(key, requestHash, referralID string, response []byte, now time.Time) *idempotency.Record {
	return &idempotency.Record{
		KeyHash: ids.Hash(key), RequestHash: requestHash, ReferralID: referralID,
		Response: response, ExpiresAt: now.Add(idempotency.TTL),
	}
}

// storeReferral stores a new referral of the sample received at at (no
// idempotency key), failing the test if it cannot.
func (f *fixture) storeReferral(t testing.TB, sample string, at time.Time) *referral.Record {
	t.Helper()
	rec := newReferral(t, sample, at)
	if err := f.store.CreateReferral(t.Context(), rec, nil, submittedEntry(rec)); err != nil {
		t.Fatalf("CreateReferral: %v", err)
	}
	return rec
}

// screening is an automatic screening of the priority, due at due, as the
// triage writes one (the store keeps it as it is given).
func screening(priority string, due, triagedAt time.Time) referral.Screening {
	return referral.Screening{
		Priority: priority, Reasons: []string{"test: " + priority}, RulesVersion: "test",
		ScreeningDueAt: due, PriorityDueAt: due, DecisionDueAt: due,
		EarlierReferrals: []referral.EarlierReferral{}, TriagedAt: triagedAt.UTC(),
	}
}

// storeTriaged stores a referral received at at, marks it queued and saves
// a screening of the priority due at due: it is then AWAITING_DECISION in
// the MASH queue.
func (f *fixture) storeTriaged(t *testing.T, at time.Time, priority string, due time.Time) *referral.Record {
	t.Helper()
	rec := f.storeReferral(t, "single-child.json", at)
	if err := f.store.MarkQueued(t.Context(), rec.ID, at.Add(time.Second)); err != nil {
		t.Fatalf("MarkQueued: %v", err)
	}
	sc := screening(priority, due, at.Add(time.Minute))
	ok, err := f.store.SaveScreening(t.Context(), rec.ID, sc, systemEntry(audit.Referral(rec.ID), audit.Triaged, "triage", at.Add(time.Minute)))
	if err != nil || !ok {
		t.Fatalf("SaveScreening = %v, %v", ok, err)
	}
	return rec
}

// storeUntriaged stores a referral received at at, queued, sent again max
// times, and then taken out of those sent again at escalated: QUEUED in the
// UNTRIAGED partition, with an escalation.
func (f *fixture) storeUntriaged(t *testing.T, at, escalated time.Time) *referral.Record {
	t.Helper()
	rec := f.storeReferral(t, "single-child.json", at)
	if err := f.store.MarkQueued(t.Context(), rec.ID, at.Add(time.Second)); err != nil {
		t.Fatalf("MarkQueued: %v", err)
	}
	for i := range 3 {
		ok, err := f.store.RecordResend(t.Context(), rec.ID, at.Add(time.Duration(i+1)*20*time.Minute), 3)
		if err != nil || !ok {
			t.Fatalf("RecordResend %d = %v, %v", i+1, ok, err)
		}
	}
	ok, err := f.store.MarkUntriaged(t.Context(), rec.ID, escalated, systemEntry(audit.Referral(rec.ID), audit.Untriaged, "sweep", escalated))
	if err != nil || !ok {
		t.Fatalf("MarkUntriaged = %v, %v", ok, err)
	}
	return rec
}

// cal is the working-day calendar of the follow-up clocks.
var cal = calendar.EnglandAndWales()

// newFollowUp returns the follow-up of kind from the source record
// (referral or custody request id, child index) whose clock started at
// start, created at start, as followup.New makes it.
func newFollowUp(t *testing.T, kind followup.Kind, sourceID string, child int, start time.Time) followup.FollowUp {
	t.Helper()
	c := followup.Command{
		Type: followup.CommandType, Kind: kind, SourceType: kind.SourceType(),
		SourceID: sourceID, ChildIndex: child, StartAt: start,
	}
	fu, err := followup.New(c, followup.DefaultClocks(), cal, start)
	if err != nil {
		t.Fatalf("followup.New: %v", err)
	}
	return fu
}

// storeFollowUp creates the follow-up, failing the test unless it is new.
func (f *fixture) storeFollowUp(t *testing.T, fu followup.FollowUp) followup.FollowUp {
	t.Helper()
	created, err := f.store.CreateFollowUp(t.Context(), fu)
	if err != nil || !created {
		t.Fatalf("CreateFollowUp %s = %v, %v", fu.ID, created, err)
	}
	return fu
}

// providerActor is the provider's worker who records events.
var providerActor = audit.Actor{ID: "rhi-worker-1", Role: "provider"}

// applyEvent applies a provider's event request to fu at now, as the
// provider API does, and returns the follow-up after it, the event (with
// its id and who recorded it) and the audit entry.
func applyEvent(t *testing.T, fu followup.FollowUp, req followup.EventRequest, now time.Time) (followup.FollowUp, followup.Event, audit.Entry) {
	t.Helper()
	next, ev, err := followup.Apply(fu, req, now)
	if err != nil {
		t.Fatalf("followup.Apply %s: %v", req.Type, err)
	}
	ev.ID, ev.RecordedBy = ids.NewULID(now), providerActor
	entry := audit.Request{Actor: providerActor, Route: "POST /follow-ups/{id}/events", RequestID: "req-" + ev.ID}.
		Entry(audit.FollowUp(fu.ID), req.Type.Action(), now)
	return next, ev, entry
}

// adviser is the helpline adviser who logs calls.
const adviser = "adviser-1"

// newCall returns a helpline call record of the sample (events/helpline),
// called at calledAt and logged by the adviser ten minutes later, validated
// as the helpline service validates it.
func newCall(t *testing.T, sample string, calledAt time.Time) *helpline.Record {
	t.Helper()
	call, err := helpline.Decode(sampleBody(t, "helpline/"+sample))
	if err != nil {
		t.Fatalf("decode %s: %v", sample, err)
	}
	call.CalledAt = calledAt.UTC().Format(time.RFC3339)
	logged := calledAt.Add(10 * time.Minute).UTC()
	at, err := helpline.Validate(call, logged)
	if err != nil {
		t.Fatalf("validate %s: %v", sample, err)
	}
	return &helpline.Record{
		ID: ids.NewULID(logged), Status: helpline.StatusLogged, Version: 1,
		CalledAt: at, LoggedAt: logged, LoggedBy: adviser, EscalationSecret: ids.NewToken(), Call: *call,
	}
}

// callEntry is the audit entry of logging the call.
func callEntry(rec *helpline.Record) audit.Entry {
	return audit.Request{Actor: audit.Actor{ID: adviser, Role: "helpline"}, Route: "POST /helpline-calls", RequestID: "req-" + rec.ID}.
		Entry(audit.HelplineCall(rec.ID), helpline.ActionLogged, rec.LoggedAt)
}

// newCustody returns a custody request record of the sample
// (events/custody) received at at, validated as the custody service does.
func newCustody(t *testing.T, sample string, at time.Time) *custody.Record {
	t.Helper()
	req, err := custody.Decode(sampleBody(t, "custody/"+sample))
	if err != nil {
		t.Fatalf("decode %s: %v", sample, err)
	}
	req.DetainedAt = at.Add(-time.Hour).UTC().Format(time.RFC3339)
	if err := custody.Validate(req, at); err != nil {
		t.Fatalf("validate %s: %v", sample, err)
	}
	at = at.UTC().Truncate(time.Millisecond)
	return &custody.Record{ID: ids.NewULID(at), Reference: ids.NewReference(), ReceivedAt: at, Request: *req}
}

// custodyEntry is the audit entry the custody service writes with a
// request.
func custodyEntry(rec *custody.Record) audit.Entry {
	return audit.Request{Actor: audit.Actor{ID: "custody-suite-1", Role: "police"}, Route: "POST /custody-requests", RequestID: "req-" + rec.ID}.
		Entry(audit.Custody(rec.ID), custody.ActionSubmitted, rec.ReceivedAt)
}
