package intake

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// memStore keeps records in memory, with the same conditions as the
// DynamoDB store; the DynamoDB store itself is tested end to end in infra/e2e.
type memStore struct {
	referrals  map[string]*referral.Record
	references map[string]bool
	idem       map[string]*idempotency.Record
	audit      []audit.Entry
	takenRefs  int   // the next n references drawn are reported taken
	createErr  error // returned by CreateReferral when set
	markErr    error // returned by MarkQueued and MarkUnqueued when set
	// updates counts the writes after CreateReferral; unqueueCtx is the
	// context MarkUnqueued was last called with.
	updates    int
	unqueueCtx context.Context
}

func newMemStore() *memStore {
	return &memStore{referrals: map[string]*referral.Record{}, references: map[string]bool{}, idem: map[string]*idempotency.Record{}}
}

func (m *memStore) CreateReferral(_ context.Context, rec *referral.Record, idem *idempotency.Record, e audit.Entry) error {
	if m.createErr != nil {
		return m.createErr
	}
	if idem != nil {
		if prev, ok := m.idem[idem.KeyHash]; ok && !prev.ExpiresAt.Before(rec.ReceivedAt) {
			return idempotency.ErrKeyUsed
		}
	}
	if m.takenRefs > 0 || m.references[rec.Reference] {
		m.takenRefs--
		return ErrReferenceTaken
	}
	cp := *rec
	m.referrals[rec.ID] = &cp
	m.references[rec.Reference] = true
	if idem != nil {
		ic := *idem
		m.idem[idem.KeyHash] = &ic
	}
	m.audit = append(m.audit, e)
	return nil
}

func (m *memStore) Idempotency(_ context.Context, keyHash string, at time.Time) (*idempotency.Record, error) {
	if i, ok := m.idem[keyHash]; ok && !at.After(i.ExpiresAt) {
		return i, nil
	}
	return nil, nil
}

// MarkQueued marks an untriaged referral queued at at, as the DynamoDB
// store does; a triaged one is left as it is.
func (m *memStore) MarkQueued(_ context.Context, id string, at time.Time) error {
	m.updates++
	if m.markErr != nil {
		return m.markErr
	}
	if r := m.referrals[id]; r != nil && !r.Status.Triaged() {
		r.Status, r.QueuedAt = referral.StatusQueued, &at
	}
	return nil
}

// MarkUnqueued moves a QUEUED referral back to RECEIVED; any other is left
// as it is.
func (m *memStore) MarkUnqueued(ctx context.Context, id string, _ time.Time) error {
	m.updates++
	m.unqueueCtx = ctx
	if m.markErr != nil {
		return m.markErr
	}
	if r := m.referrals[id]; r != nil && r.Status == referral.StatusQueued {
		r.Status, r.QueuedAt = referral.StatusReceived, nil
	}
	return nil
}

func (m *memStore) Referral(_ context.Context, id string) (*referral.Record, error) {
	r, ok := m.referrals[id]
	if !ok {
		return nil, errors.New("no such referral")
	}
	cp := *r
	return &cp, nil
}

type memQueue struct {
	sent []string
	err  error
}

func (q *memQueue) EnqueueReferral(_ context.Context, id string) error {
	if q.err != nil {
		return q.err
	}
	q.sent = append(q.sent, id)
	return nil
}

func body(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../events/referrals/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fixedClock() time.Time { return now }

func TestSubmitStoresThenQueues(t *testing.T) {
	st, q := newMemStore(), &memQueue{}
	svc := New(st, q, fixedClock)
	r, replayed, err := svc.Submit(context.Background(), Submission{Body: body(t, "single-child.json"), Request: audit.Request{Actor: audit.Anonymous("192.0.2.1"), Route: "POST /referrals", RequestID: "req-1"}})
	if err != nil || replayed {
		t.Fatalf("Submit: %v, replayed %v", err, replayed)
	}
	rec := st.referrals[r.ID]
	if rec == nil {
		t.Fatal("referral not stored")
	}
	// Stored as queued, once: nothing is written after the send.
	if rec.Status != referral.StatusQueued || rec.QueuedAt == nil || !rec.QueuedAt.Equal(now) || rec.Reference != r.Reference || !rec.ReceivedAt.Equal(now) || rec.Version != 1 {
		t.Errorf("stored record %+v", rec)
	}
	if st.updates != 0 {
		t.Errorf("%d writes after the referral was stored, want none", st.updates)
	}
	if r.Status != referral.StatusReceived {
		t.Errorf("the receipt says %s, want %s", r.Status, referral.StatusReceived)
	}
	if rec.ReceiptTokenHash == "" || rec.ReceiptTokenHash == r.ReceiptToken {
		t.Error("the receipt token must be stored only as its hash")
	}
	if rec.Source == "" {
		t.Error("referral source code not set")
	}
	if len(q.sent) != 1 || q.sent[0] != r.ID {
		t.Errorf("queued %v, want [%s]", q.sent, r.ID)
	}
	if len(st.audit) != 1 || st.audit[0].Action != audit.Submitted || st.audit[0].Subject != audit.Referral(r.ID) || st.audit[0].RequestID != "req-1" {
		t.Errorf("audit %+v", st.audit)
	}
	if r.Urgent != "" {
		t.Errorf("urgent message on a referral without immediate risk: %q", r.Urgent)
	}
}

func TestSubmitKeepsTheOrigin(t *testing.T) {
	st := newMemStore()
	svc := New(st, &memQueue{}, fixedClock)
	origin := &referral.Origin{Type: referral.OriginHelplineCall, ID: "01JA0000000000000000000000"}
	r, _, err := svc.Submit(context.Background(), Submission{Body: body(t, "single-child.json"), Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	if got := st.referrals[r.ID].Origin; got == nil || *got != *origin {
		t.Errorf("stored origin %+v, want %+v", got, origin)
	}
	r, _, err = svc.Submit(context.Background(), Submission{Body: body(t, "single-child.json")})
	if err != nil {
		t.Fatal(err)
	}
	if got := st.referrals[r.ID].Origin; got != nil {
		t.Errorf("a partner's referral has origin %+v", got)
	}
}

func TestSubmitImmediateRiskSaysCall999(t *testing.T) {
	svc := New(newMemStore(), &memQueue{}, fixedClock)
	r, _, err := svc.Submit(context.Background(), Submission{Body: body(t, "immediate-risk.json")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Urgent, "999") {
		t.Errorf("urgent = %q, want a call-999 message", r.Urgent)
	}
}

func TestSubmitQueueFailureKeepsReferral(t *testing.T) {
	st, q := newMemStore(), &memQueue{err: errors.New("sqs down")}
	r, _, err := New(st, q, fixedClock).Submit(context.Background(), Submission{Body: body(t, "single-child.json")})
	if err != nil {
		t.Fatalf("a queue failure must still give the referrer a receipt: %v", err)
	}
	rec := st.referrals[r.ID]
	if rec == nil {
		t.Fatal("referral not stored")
	}
	if rec.Status != referral.StatusReceived || rec.QueuedAt != nil {
		t.Errorf("status %s queued at %v: a referral whose send failed must be back among the unqueued, for the sweep", rec.Status, rec.QueuedAt)
	}
}

// A send that failed because the request ran out of time: the referral is
// still put back to RECEIVED, on a context of its own.
func TestSubmitOutOfTimeAtTheSendUnqueues(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	st, q := newMemStore(), &cancelQueue{cancel: cancel}
	r, _, err := New(st, q, fixedClock).Submit(ctx, Submission{Body: body(t, "single-child.json")})
	if err != nil {
		t.Fatal(err)
	}
	if st.unqueueCtx == nil || st.unqueueCtx.Err() == nil && ctx.Err() == nil {
		t.Fatal("MarkUnqueued not called after the request ran out of time")
	}
	if st.referrals[r.ID].Status != referral.StatusReceived {
		t.Errorf("status %s, want RECEIVED", st.referrals[r.ID].Status)
	}
	if _, ok := st.unqueueCtx.Deadline(); !ok {
		t.Error("MarkUnqueued's context has no deadline of its own")
	}
}

// cancelQueue ends the request (cancel) as it sends, and fails.
type cancelQueue struct{ cancel context.CancelFunc }

func (q *cancelQueue) EnqueueReferral(ctx context.Context, _ string) error {
	q.cancel()
	return ctx.Err()
}

// The send failed and so did putting the referral back: the referrer
// still has a receipt, and the referral stays QUEUED, where the sweep
// sends it again as untriaged.
func TestSubmitUnqueueFailureStillReceipts(t *testing.T) {
	st, q := newMemStore(), &memQueue{err: errors.New("sqs down")}
	st.markErr = errors.New("throttled")
	r, _, err := New(st, q, fixedClock).Submit(context.Background(), Submission{Body: body(t, "single-child.json")})
	if err != nil || r.ID == "" {
		t.Fatalf("receipt %+v err %v", r, err)
	}
	if got := st.referrals[r.ID].Status; got != referral.StatusQueued {
		t.Errorf("status %s, want QUEUED", got)
	}
}

func TestSubmitRejectsWithoutWriting(t *testing.T) {
	big := make([]byte, MaxBodyBytes+1)
	tests := []struct {
		name string
		sub  Submission
		code apperr.Code
	}{
		{"invalid referral", Submission{Body: body(t, "invalid-many-errors.json")}, apperr.Invalid},
		{"malformed", Submission{Body: []byte(`{"referrer":`)}, apperr.Malformed},
		{"too large", Submission{Body: big}, apperr.TooLarge},
		{"key with space", Submission{Body: body(t, "single-child.json"), Idempotency: partnerKey("a b")}, apperr.Invalid},
		{"key too long", Submission{Body: body(t, "single-child.json"), Idempotency: partnerKey(strings.Repeat("k", 256))}, apperr.Invalid},
		{"key not ASCII", Submission{Body: body(t, "single-child.json"), Idempotency: partnerKey("clé")}, apperr.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, q := newMemStore(), &memQueue{}
			_, _, err := New(st, q, fixedClock).Submit(context.Background(), tt.sub)
			if got := apperr.CodeOf(err); got != tt.code {
				t.Fatalf("code %s (%v), want %s", got, err, tt.code)
			}
			if len(st.referrals) != 0 || len(q.sent) != 0 || len(st.audit) != 0 {
				t.Error("a rejected submission wrote something")
			}
		})
	}
}

func TestSubmitAcceptsLongestKey(t *testing.T) {
	_, _, err := New(newMemStore(), &memQueue{}, fixedClock).Submit(context.Background(),
		Submission{Body: body(t, "single-child.json"), Idempotency: partnerKey(strings.Repeat("k", idempotency.MaxKeyLength))})
	if err != nil {
		t.Fatalf("a %d-character key was rejected: %v", idempotency.MaxKeyLength, err)
	}
}

func TestSubmitRedrawsTakenReference(t *testing.T) {
	st := newMemStore()
	st.takenRefs = referenceAttempts - 1
	r, _, err := New(st, &memQueue{}, fixedClock).Submit(context.Background(), Submission{Body: body(t, "single-child.json")})
	if err != nil || st.referrals[r.ID].Reference != r.Reference {
		t.Fatalf("after %d collisions: %v", referenceAttempts-1, err)
	}

	st = newMemStore()
	st.takenRefs = referenceAttempts
	_, _, err = New(st, &memQueue{}, fixedClock).Submit(context.Background(), Submission{Body: body(t, "single-child.json")})
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("after %d collisions: %v, want unavailable", referenceAttempts, err)
	}
}

func TestSubmitStoreFailureIsUnavailable(t *testing.T) {
	st, q := newMemStore(), &memQueue{}
	st.createErr = errors.New("ProvisionedThroughputExceeded")
	_, _, err := New(st, q, fixedClock).Submit(context.Background(), Submission{Body: body(t, "single-child.json")})
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("code %s, want unavailable", apperr.CodeOf(err))
	}
	if e := apperr.As(err); strings.Contains(e.Message, "Provisioned") {
		t.Errorf("the message shown to the caller leaks the cause: %q", e.Message)
	}
	if len(q.sent) != 0 {
		t.Error("queued a referral that was not stored")
	}
}

func TestIdempotency(t *testing.T) {
	st, q := newMemStore(), &memQueue{}
	clock := now
	svc := New(st, q, func() time.Time { return clock })
	ctx := context.Background()
	first, replayed, err := svc.Submit(ctx, Submission{Body: body(t, "single-child.json"), Idempotency: partnerKey("key-1")})
	if err != nil || replayed {
		t.Fatal(err, replayed)
	}

	// Same key, same referral (even re-indented), an hour later, when it
	// has long been triaged: the first receipt again, and nothing sent.
	// (A retry of one still untriaged sends it once more:
	// TestReplaySendsAReferralStoppedBeforeItsSend.)
	st.referrals[first.ID].Status = referral.StatusAwaitingDecision
	clock = now.Add(time.Hour)
	again, replayed, err := svc.Submit(ctx, Submission{Body: []byte("  " + string(body(t, "single-child.json")) + "\n"), Idempotency: partnerKey("key-1")})
	if err != nil || !replayed || again != first {
		t.Fatalf("replay: %+v replayed=%v err=%v; want %+v", again, replayed, err, first)
	}
	if len(st.referrals) != 1 || len(q.sent) != 1 {
		t.Fatalf("a replay created %d referrals and %d messages", len(st.referrals), len(q.sent))
	}

	// Same key, different referral: rejected, naming the header.
	_, _, err = svc.Submit(ctx, Submission{Body: body(t, "siblings.json"), Idempotency: partnerKey("key-1")})
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "Idempotency-Key" {
		t.Fatalf("reuse with another body: %v", err)
	}

	// After the key expires it may be used again.
	clock = now.Add(idempotency.TTL + time.Second)
	_, replayed, err = svc.Submit(ctx, Submission{Body: body(t, "siblings.json"), Idempotency: partnerKey("key-1")})
	if err != nil || replayed || len(st.referrals) != 2 {
		t.Fatalf("expired key: replayed=%v err=%v referrals=%d", replayed, err, len(st.referrals))
	}

	// Different keys are different submissions.
	_, replayed, err = svc.Submit(ctx, Submission{Body: body(t, "single-child.json"), Idempotency: partnerKey("key-2")})
	if err != nil || replayed || len(st.referrals) != 3 {
		t.Fatalf("new key: replayed=%v err=%v referrals=%d", replayed, err, len(st.referrals))
	}
}

// partnerKey is an Idempotency-Key sent by a partner to POST /referrals.
func partnerKey(k string) idempotency.Key { return idempotency.Key{Route: "POST /referrals", Value: k} }

// A first sending stored but never queued (its queue down, or its time
// out before the send): a retry with the same key while the first sending
// may still be running leaves the queueing to it; a retry after that
// queues the referral, once; a replay of a queued referral sends nothing
// more.
func TestReplayQueuesAReferralNeverQueued(t *testing.T) {
	st, q := newMemStore(), &memQueue{err: errors.New("sqs down")}
	at := now
	svc := New(st, q, func() time.Time { return at })
	ctx := context.Background()
	send := func() Receipt {
		t.Helper()
		r, replayed, err := svc.Submit(ctx, Submission{Body: body(t, "single-child.json"), Idempotency: partnerKey("key-q")})
		if err != nil {
			t.Fatalf("at %v: %v", at, err)
		}
		if len(st.referrals) != 1 {
			t.Fatalf("%d referrals stored, want 1", len(st.referrals))
		}
		if at != now && !replayed {
			t.Fatalf("at %v: not a replay", at)
		}
		return r
	}
	first := send()
	if len(q.sent) != 0 {
		t.Fatalf("first: sent %v with the queue down", q.sent)
	}
	q.err = nil
	for _, tc := range []struct {
		after time.Duration
		sent  int
	}{
		{0, 0},
		{MaxSendingTime - time.Millisecond, 0},
		{MaxSendingTime, 1},
		{MaxSendingTime + time.Minute, 1},
	} {
		at = now.Add(tc.after)
		if again := send(); again.ID != first.ID {
			t.Fatalf("retry after %v: receipt for %s, want %s", tc.after, again.ID, first.ID)
		}
		if len(q.sent) != tc.sent {
			t.Fatalf("a retry %v after the first sending: sent %v, want %d message(s)", tc.after, q.sent, tc.sent)
		}
	}
	if q.sent[0] != first.ID {
		t.Errorf("sent %v, want %s", q.sent, first.ID)
	}
	if got := st.referrals[first.ID].Status; got != referral.StatusQueued {
		t.Errorf("status %s after the retry queued it, want QUEUED", got)
	}
}

// A first sending stored the referral (as queued) and stopped before its
// send, with nothing put back: a retry while it may still be running sends
// nothing; a retry after that sends it and marks it sent, once; a later
// retry sends nothing more, triaged or not (the sweep sends it again if it
// stays untriaged).
func TestReplaySendsAReferralStoppedBeforeItsSend(t *testing.T) {
	st, q := newMemStore(), &memQueue{err: errors.New("stopped")}
	st.markErr = errors.New("stopped")
	at := now
	svc := New(st, q, func() time.Time { return at })
	send := func() Receipt {
		t.Helper()
		r, _, err := svc.Submit(context.Background(), Submission{Body: body(t, "single-child.json"), Idempotency: partnerKey("key-s")})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := send()
	if got := st.referrals[first.ID].Status; got != referral.StatusQueued {
		t.Fatalf("status %s, want QUEUED with no message", got)
	}
	q.err, st.markErr = nil, nil
	for _, tc := range []struct {
		after   time.Duration
		triaged bool
		sent    int
	}{
		{0, false, 0},
		{MaxSendingTime - time.Millisecond, false, 0},
		{MaxSendingTime, false, 1},
		{MaxSendingTime + time.Minute, false, 1},
		{MaxSendingTime + 2*time.Minute, true, 1},
	} {
		at = now.Add(tc.after)
		if tc.triaged {
			st.referrals[first.ID].Status = referral.StatusAwaitingDecision
		}
		if again := send(); again.ID != first.ID {
			t.Fatalf("retry after %v: receipt for %s", tc.after, again.ID)
		}
		if len(q.sent) != tc.sent {
			t.Fatalf("a retry %v after the first sending: sent %v, want %d message(s)", tc.after, q.sent, tc.sent)
		}
	}
	if len(st.referrals) != 1 {
		t.Errorf("%d referrals stored, want 1", len(st.referrals))
	}
}

// A store that did not answer in the time there was may yet have stored
// the referral: the caller is told to send it again with the same key,
// never that it was not received.
func TestSubmitOutOfTime(t *testing.T) {
	st, q := newMemStore(), &memQueue{}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st.createErr = fmt.Errorf("transact write: %w", context.Canceled)
	_, _, err := New(st, q, fixedClock).Submit(ctx, Submission{Body: body(t, "single-child.json"), Idempotency: partnerKey("key-t")})
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Unavailable || !strings.Contains(e.Message, "same Idempotency-Key") || strings.Contains(e.Message, "has not been received") {
		t.Fatalf("error %v", err)
	}
}
