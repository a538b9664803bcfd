package dynamo_test

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/custody"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
)

// TestCreateReferralWritesEveryItem checks the one transaction of a new
// referral: the referral (in the unqueued partition and its month), its
// reference claim, its idempotency record and its audit entry, and nothing
// else.
func TestCreateReferralWritesEveryItem(t *testing.T) {
	f := newFixture(t)
	rec := newReferral(t, "single-child.json", t0)
	idem := idemRecord("key-1", "hash-1", rec.ID, []byte(`{"id":"`+rec.ID+`"}`), t0)
	entry := submittedEntry(rec)
	if err := f.store.CreateReferral(t.Context(), rec, idem, entry); err != nil {
		t.Fatalf("CreateReferral: %v", err)
	}
	got := f.keys(t)
	slices.Sort(got)
	want := []string{
		"IDEMPOTENCY#" + idem.KeyHash + " / IDEMPOTENCY",
		"REFERRAL#" + rec.ID + " / AUDIT#" + entry.ID,
		"REFERRAL#" + rec.ID + " / REFERRAL",
		"REFNO#" + rec.Reference + " / REFNO",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("items\n %q\nwant\n %q", got, want)
	}
	item := f.item(t, "REFERRAL#"+rec.ID, "REFERRAL")
	received := rec.ReceivedAt.Format(keyTime)
	for attr, want := range map[string]string{
		"gsi1pk": dynamo.QueueUnqueued, "gsi1sk": received + "#" + rec.ID,
		"gsi3pk": dynamo.StatsReferrals + "2026-11", "gsi3sk": received + "#" + rec.ID,
		"status": "RECEIVED", "receiptTokenHash": rec.ReceiptTokenHash, "referralSource": rec.Source,
	} {
		if got := str(item, attr); got != want {
			t.Errorf("referral %s = %q, want %q", attr, got, want)
		}
	}
	if claim := f.item(t, "REFNO#"+rec.Reference, "REFNO"); str(claim, "referralId") != rec.ID {
		t.Errorf("reference claim names %q, want %s", str(claim, "referralId"), rec.ID)
	}
}

// TestCreateReferralExactlyOnce stores a referral, then tries again with the
// same idempotency key, reference or id: each is refused with the error the
// intake acts on, and the failed transaction leaves nothing behind.
func TestCreateReferralExactlyOnce(t *testing.T) {
	f := newFixture(t)
	first := newReferral(t, "single-child.json", t0)
	firstIdem := idemRecord("key-1", "hash-1", first.ID, []byte(`{"first":true}`), t0)
	if err := f.store.CreateReferral(t.Context(), first, firstIdem, submittedEntry(first)); err != nil {
		t.Fatalf("CreateReferral: %v", err)
	}
	later := t0.Add(time.Minute)
	tests := []struct {
		name string
		// again returns the second attempt's record and idempotency record.
		again func() (*referral.Record, *idempotency.Record)
		// want is the sentinel the store must return, nil for an error that
		// is none of them.
		want error
	}{
		{"same idempotency key, another referral", func() (*referral.Record, *idempotency.Record) {
			rec := newReferral(t, "siblings.json", later)
			return rec, idemRecord("key-1", "hash-2", rec.ID, []byte(`{}`), later)
		}, idempotency.ErrKeyUsed},
		{"same idempotency key and reference (a retry of the same request)", func() (*referral.Record, *idempotency.Record) {
			rec := newReferral(t, "single-child.json", later)
			rec.Reference = first.Reference
			return rec, idemRecord("key-1", "hash-1", rec.ID, []byte(`{}`), later)
		}, idempotency.ErrKeyUsed},
		{"same reference, another referral", func() (*referral.Record, *idempotency.Record) {
			rec := newReferral(t, "siblings.json", later)
			rec.Reference = first.Reference
			return rec, idemRecord("key-2", "hash-2", rec.ID, []byte(`{}`), later)
		}, intake.ErrReferenceTaken},
		{"same reference, no idempotency key", func() (*referral.Record, *idempotency.Record) {
			rec := newReferral(t, "siblings.json", later)
			rec.Reference = first.Reference
			return rec, nil
		}, intake.ErrReferenceTaken},
		{"same id and reference, another key", func() (*referral.Record, *idempotency.Record) {
			rec := *first
			return &rec, idemRecord("key-3", "hash-1", rec.ID, []byte(`{}`), later)
		}, intake.ErrReferenceTaken},
		{"same id, another reference", func() (*referral.Record, *idempotency.Record) {
			rec := *first
			rec.Reference = ids.NewReference()
			return &rec, nil
		}, nil},
	}
	before := f.keys(t)
	slices.Sort(before)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, idem := tt.again()
			err := f.store.CreateReferral(t.Context(), rec, idem, submittedEntry(rec))
			switch {
			case err == nil:
				t.Fatal("stored twice")
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("err = %v, want %v", err, tt.want)
			case tt.want == nil && (errors.Is(err, idempotency.ErrKeyUsed) || errors.Is(err, intake.ErrReferenceTaken) || !isConditionFailure(err)):
				t.Fatalf("err = %v, want the failed condition on the referral item", err)
			}
			after := f.keys(t)
			slices.Sort(after)
			if !slices.Equal(after, before) {
				t.Errorf("the failed write left items:\n got %q\nwant %q", after, before)
			}
			got, err := f.store.Referral(t.Context(), first.ID)
			if err != nil || got.Reference != first.Reference || got.Version != 1 || got.Form.Children[0].FirstName != first.Form.Children[0].FirstName {
				t.Errorf("first referral now %+v, %v", got, err)
			}
			prev, err := f.store.Idempotency(t.Context(), firstIdem.KeyHash, later)
			if err != nil || prev == nil || prev.ReferralID != first.ID || prev.RequestHash != "hash-1" {
				t.Errorf("idempotency record now %+v, %v", prev, err)
			}
		})
	}
}

// TestIdempotencyReplay reads back what a submission with a key left, as the
// intake does to replay a retried submission, and sees an expired record
// neither returned nor blocking a new submission with the same key.
func TestIdempotencyReplay(t *testing.T) {
	f := newFixture(t)
	rec := newReferral(t, "single-child.json", t0)
	receipt := []byte(`{"id":"` + rec.ID + `","reference":"` + rec.Reference + `"}`)
	idem := idemRecord("retry-key", "request-hash", rec.ID, receipt, t0)
	if err := f.store.CreateReferral(t.Context(), rec, idem, submittedEntry(rec)); err != nil {
		t.Fatalf("CreateReferral: %v", err)
	}
	got, err := f.store.Idempotency(t.Context(), idem.KeyHash, t0.Add(time.Hour))
	if err != nil || got == nil {
		t.Fatalf("Idempotency = %v, %v", got, err)
	}
	if got.KeyHash != idem.KeyHash || got.RequestHash != "request-hash" || got.ReferralID != rec.ID ||
		!bytes.Equal(got.Response, receipt) || !got.ExpiresAt.Equal(idem.ExpiresAt) {
		t.Errorf("Idempotency = %+v, want %+v", got, idem)
	}
	if item := f.item(t, "IDEMPOTENCY#"+idem.KeyHash, "IDEMPOTENCY"); num(item, "expiresAt") == "" {
		t.Errorf("idempotency record has no expiresAt (the TTL attribute): %v", item)
	}
	if got, err := f.store.Idempotency(t.Context(), ids.Hash("never-sent"), t0); err != nil || got != nil {
		t.Errorf("Idempotency of a key never sent = %+v, %v; want nil, nil", got, err)
	}
	expired := idem.ExpiresAt.Add(time.Second)
	if got, err := f.store.Idempotency(t.Context(), idem.KeyHash, expired); err != nil || got != nil {
		t.Errorf("Idempotency after it expired = %+v, %v; want nil, nil", got, err)
	}
	// The key may be used again once expired, even before TTL removes it.
	again := newReferral(t, "siblings.json", expired)
	if err := f.store.CreateReferral(t.Context(), again, idemRecord("retry-key", "other-hash", again.ID, []byte(`{}`), expired), submittedEntry(again)); err != nil {
		t.Fatalf("CreateReferral with an expired key: %v", err)
	}
	if got, err := f.store.Idempotency(t.Context(), idem.KeyHash, expired); err != nil || got == nil || got.ReferralID != again.ID {
		t.Errorf("Idempotency after reuse = %+v, %v; want the new referral's", got, err)
	}
}

// TestReferralRoundTrip reads referrals back by id (everything the record
// holds, the form as validated) and by reference (never the form).
func TestReferralRoundTrip(t *testing.T) {
	f := newFixture(t)
	for _, sample := range []string{"single-child.json", "siblings.json", "unborn.json", "missing-episode.json", "immediate-risk.json"} {
		t.Run(sample, func(t *testing.T) {
			rec := newReferral(t, sample, t0)
			rec.Origin = &referral.Origin{Type: referral.OriginHelplineCall, ID: ids.NewULID(t0)}
			if err := f.store.CreateReferral(t.Context(), rec, nil, submittedEntry(rec)); err != nil {
				t.Fatalf("CreateReferral: %v", err)
			}
			got, err := f.store.Referral(t.Context(), rec.ID)
			if err != nil {
				t.Fatalf("Referral: %v", err)
			}
			if !reflect.DeepEqual(got, rec) {
				t.Errorf("Referral =\n%+v\nwant\n%+v", got, rec)
			}
			byRef, err := f.store.ReferralByReference(t.Context(), rec.Reference)
			if err != nil {
				t.Fatalf("ReferralByReference: %v", err)
			}
			want := &referrer.Referral{ID: rec.ID, Reference: rec.Reference, Status: referral.StatusReceived, ReceivedAt: rec.ReceivedAt, ReceiptTokenHash: rec.ReceiptTokenHash}
			if !reflect.DeepEqual(byRef, want) {
				t.Errorf("ReferralByReference = %+v, want %+v", byRef, want)
			}
			byID, err := f.store.ReferralsByID(t.Context(), []string{rec.ID, ids.NewULID(t0)})
			if err != nil || len(byID) != 1 || !reflect.DeepEqual(byID[rec.ID], rec) {
				t.Errorf("ReferralsByID = %v, %v; want only %s", byID, err, rec.ID)
			}
		})
	}
}

// TestReferralNotFound checks the error of a missing referral against the
// sentinel each domain store interface documents.
func TestReferralNotFound(t *testing.T) {
	f := newFixture(t)
	f.storeReferral(t, "single-child.json", t0)
	missing := ids.NewULID(t0)
	_, err := f.store.Referral(t.Context(), missing)
	for _, tt := range []struct {
		name string
		want error
	}{
		{"casework.ErrNotFound (casework.Store, the Store's doc)", casework.ErrNotFound},
		{"referral.ErrNotFound (decision.Store, triage.Store)", referral.ErrNotFound},
	} {
		if !errors.Is(err, tt.want) {
			t.Errorf("Referral(missing) = %v; want %s", err, tt.name)
		}
	}
	if _, err := f.store.ReferralByReference(t.Context(), "ZZZZ-ZZZZ"); !errors.Is(err, referrer.ErrNotFound) {
		t.Errorf("ReferralByReference(missing) = %v; want referrer.ErrNotFound", err)
	}
}

// TestMarkQueued moves a RECEIVED referral to QUEUED by time sent; a second
// mark records the later send; a mark of a triaged referral, or of one that
// does not exist, changes nothing and is no error (the Store's documented
// "left as it is").
func TestMarkQueued(t *testing.T) {
	f := newFixture(t)
	rec := f.storeReferral(t, "single-child.json", t0)
	sent := t0.Add(3 * time.Second)
	if err := f.store.MarkQueued(t.Context(), rec.ID, sent); err != nil {
		t.Fatalf("MarkQueued: %v", err)
	}
	got, err := f.store.Referral(t.Context(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != referral.StatusQueued || got.Version != 2 || got.QueuedAt == nil || !got.QueuedAt.Equal(sent) {
		t.Errorf("after MarkQueued: status %s, version %d, queuedAt %v", got.Status, got.Version, got.QueuedAt)
	}
	sk := sent.Format(keyTime) + "#" + rec.ID
	if q := f.indexPartition(t, dynamo.IndexByState, "gsi1pk", dynamo.QueueQueued); !slices.Equal(q, []string{sk}) {
		t.Errorf("QUEUED partition = %q, want %q", q, sk)
	}
	if u := f.indexPartition(t, dynamo.IndexByState, "gsi1pk", dynamo.QueueUnqueued); len(u) != 0 {
		t.Errorf("still unqueued: %q", u)
	}

	// Sent again (a client's retry sending it): the later send is kept,
	// and the referral moves along its partition to it.
	resent := sent.Add(time.Minute)
	if err := f.store.MarkQueued(t.Context(), rec.ID, resent); err != nil {
		t.Fatalf("MarkQueued again: %v", err)
	}
	again, err := f.store.Referral(t.Context(), rec.ID)
	if err != nil || again.Status != referral.StatusQueued || again.Version != 3 || !again.QueuedAt.Equal(resent) {
		t.Errorf("a second MarkQueued: %+v, %v; want QUEUED at %v, version 3", again, err, resent)
	}
	if q := f.indexPartition(t, dynamo.IndexByState, "gsi1pk", dynamo.QueueQueued); !slices.Equal(q, []string{resent.Format(keyTime) + "#" + rec.ID}) {
		t.Errorf("QUEUED partition after the second send = %q", q)
	}
	// The triage may screen a referral before the intake marks it queued:
	// the late mark must not take it back out of the MASH queue.
	early := f.storeReferral(t, "single-child.json", t0)
	due := t0.Add(5 * time.Hour)
	if ok, err := f.store.SaveScreening(t.Context(), early.ID, screening("RED", due, t0), systemEntry(audit.Referral(early.ID), audit.Triaged, "triage", t0)); err != nil || !ok {
		t.Fatalf("SaveScreening = %v, %v", ok, err)
	}
	if err := f.store.MarkQueued(t.Context(), early.ID, sent); err != nil {
		t.Fatalf("MarkQueued after the screening: %v", err)
	}
	if got, _ := f.store.Referral(t.Context(), early.ID); got.Status != referral.StatusAwaitingDecision || got.QueuedAt != nil || got.Version != 2 {
		t.Errorf("a late MarkQueued changed a triaged referral: status %s, queuedAt %v, version %d", got.Status, got.QueuedAt, got.Version)
	}
	if q := f.indexPartition(t, dynamo.IndexByState, "gsi1pk", dynamo.QueueAwaitingDecision); !slices.Equal(q, []string{due.Format(keyTime) + "#" + early.ID}) {
		t.Errorf("MASH queue = %q, want the triaged referral", q)
	}
	before := len(f.keys(t))
	if err := f.store.MarkQueued(t.Context(), ids.NewULID(t0), sent); err != nil {
		t.Fatalf("MarkQueued of a missing referral: %v", err)
	}
	if after := len(f.keys(t)); after != before {
		t.Errorf("MarkQueued of a missing referral wrote an item: %d items, were %d", after, before)
	}
}

// TestStoredQueuedThenUnqueued: a referral stored as QUEUED, as the intake
// stores it, is in the queued partition by when it was queued, from the
// one write; MarkUnqueued (its send failed) moves it to the unqueued
// partition by when it was received, once, and leaves alone a referral
// sent again by the sweep, a triaged one and a missing one.
func TestStoredQueuedThenUnqueued(t *testing.T) {
	f := newFixture(t)
	queued := func() *referral.Record {
		t.Helper()
		rec := newReferral(t, "single-child.json", t0)
		rec.Status, rec.QueuedAt = referral.StatusQueued, &rec.ReceivedAt
		if err := f.store.CreateReferral(t.Context(), rec, nil, submittedEntry(rec)); err != nil {
			t.Fatalf("CreateReferral: %v", err)
		}
		return rec
	}
	rec := queued()
	sk := t0.Format(keyTime) + "#" + rec.ID
	if q := f.indexPartition(t, dynamo.IndexByState, "gsi1pk", dynamo.QueueQueued); !slices.Equal(q, []string{sk}) {
		t.Fatalf("QUEUED partition = %q, want %q", q, sk)
	}
	if got, err := f.store.Referral(t.Context(), rec.ID); err != nil || got.Status != referral.StatusQueued || got.QueuedAt == nil || !got.QueuedAt.Equal(t0) {
		t.Fatalf("stored: %+v, %v", got, err)
	}

	for range 2 {
		if err := f.store.MarkUnqueued(t.Context(), rec.ID, rec.ReceivedAt); err != nil {
			t.Fatalf("MarkUnqueued: %v", err)
		}
	}
	got, err := f.store.Referral(t.Context(), rec.ID)
	if err != nil || got.Status != referral.StatusReceived || got.QueuedAt != nil || got.Version != 2 {
		t.Errorf("after MarkUnqueued (twice): %+v, %v; want RECEIVED, no queuedAt, version 2", got, err)
	}
	if u := f.indexPartition(t, dynamo.IndexByState, "gsi1pk", dynamo.QueueUnqueued); !slices.Equal(u, []string{sk}) {
		t.Errorf("unqueued partition = %q, want %q", u, sk)
	}
	if q := f.indexPartition(t, dynamo.IndexByState, "gsi1pk", dynamo.QueueQueued); len(q) != 0 {
		t.Errorf("still queued: %q", q)
	}

	resent := queued()
	if ok, err := f.store.RecordResend(t.Context(), resent.ID, t0.Add(20*time.Minute), 3); err != nil || !ok {
		t.Fatalf("RecordResend = %v, %v", ok, err)
	}
	triaged := queued()
	due := t0.Add(5 * time.Hour)
	if ok, err := f.store.SaveScreening(t.Context(), triaged.ID, screening("RED", due, t0), systemEntry(audit.Referral(triaged.ID), audit.Triaged, "triage", t0)); err != nil || !ok {
		t.Fatalf("SaveScreening = %v, %v", ok, err)
	}
	for _, id := range []string{resent.ID, triaged.ID, ids.NewULID(t0)} {
		before, _ := f.store.Referral(t.Context(), id)
		if err := f.store.MarkUnqueued(t.Context(), id, t0); err != nil {
			t.Fatalf("MarkUnqueued of %s: %v", id, err)
		}
		if after, _ := f.store.Referral(t.Context(), id); before != nil && (after.Status != before.Status || after.Version != before.Version) {
			t.Errorf("MarkUnqueued changed %s: %s v%d, was %s v%d", id, after.Status, after.Version, before.Status, before.Version)
		}
	}
}

// TestAuditTrail reads a referral's audit trail back: the newest max
// entries, oldest first, exactly as written, and whether older ones were
// left out; an entry is never overwritten.
func TestAuditTrail(t *testing.T) {
	f := newFixture(t)
	rec := newReferral(t, "single-child.json", t0)
	written := []audit.Entry{submittedEntry(rec)}
	if err := f.store.CreateReferral(t.Context(), rec, nil, written[0]); err != nil {
		t.Fatalf("CreateReferral: %v", err)
	}
	other := f.storeReferral(t, "siblings.json", t0)
	for i := range 4 {
		e := staffRequest.Entry(audit.Referral(rec.ID), audit.Read, t0.Add(time.Duration(i+1)*time.Minute))
		if err := f.store.AppendAudit(t.Context(), e); err != nil {
			t.Fatalf("AppendAudit: %v", err)
		}
		written = append(written, e)
	}
	// Entries of another referral, and other items of this one, are not in
	// its trail.
	if err := f.store.AppendAudit(t.Context(), staffRequest.Entry(audit.Referral(other.ID), audit.Read, t0)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		max       int
		want      []audit.Entry
		truncated bool
	}{
		{10, written, false},
		{5, written, false},
		{4, written[1:], true},
		{1, written[4:], true},
	}
	for _, tt := range tests {
		got, truncated, err := f.store.AuditTrail(t.Context(), rec.ID, tt.max)
		if err != nil {
			t.Fatalf("AuditTrail(%d): %v", tt.max, err)
		}
		if truncated != tt.truncated || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("AuditTrail(%d) = %+v, %v\nwant %+v, %v", tt.max, got, truncated, tt.want, tt.truncated)
		}
	}
	if err := f.store.AppendAudit(t.Context(), written[2]); err == nil {
		t.Error("AppendAudit overwrote an entry")
	}
}

// TestAppendAudits writes more entries than one batch holds (25), on
// several referrals, and finds every one in its referral's trail.
func TestAppendAudits(t *testing.T) {
	f := newFixture(t)
	a := f.storeReferral(t, "single-child.json", t0)
	b := f.storeReferral(t, "siblings.json", t0)
	var es []audit.Entry
	for i := range 60 {
		id := a.ID
		if i%3 == 0 {
			id = b.ID
		}
		es = append(es, staffRequest.Entry(audit.Referral(id), casework.ActionListed, t0.Add(time.Duration(i)*time.Millisecond)))
	}
	if err := f.store.AppendAudits(t.Context(), es); err != nil {
		t.Fatalf("AppendAudits: %v", err)
	}
	for _, r := range []struct {
		id   string
		want int
	}{{a.ID, 40 + 1}, {b.ID, 20 + 1}} {
		if n := f.countPrefix(t, "REFERRAL#"+r.id, "AUDIT#"); n != r.want {
			t.Errorf("referral %s has %d audit entries, want %d", r.id, n, r.want)
		}
	}
}

// TestReferralsByIDRepeated reads referrals and custody requests by id with
// an id given twice, as a caller that does not dedupe would: the map has
// each once.
func TestReferralsByIDRepeated(t *testing.T) {
	f := newFixture(t)
	rec := f.storeReferral(t, "single-child.json", t0)
	if got, err := f.store.ReferralsByID(t.Context(), []string{rec.ID, rec.ID}); err != nil || len(got) != 1 || got[rec.ID] == nil {
		t.Errorf("ReferralsByID(id, id) = %v, %v; want the referral once", got, err)
	}
	cus := newCustody(t, "appropriate-adult.json", t0)
	if err := f.store.CreateCustodyRequest(t.Context(), cus, nil, custody.Claim{Key: cus.ID}, custodyEntry(cus)); err != nil {
		t.Fatal(err)
	}
	if got, err := f.store.CustodyRequestsByID(t.Context(), []string{cus.ID, cus.ID}); err != nil || len(got) != 1 || got[cus.ID] == nil {
		t.Errorf("CustodyRequestsByID(id, id) = %v, %v; want the request once", got, err)
	}
}

// TestReferralsByIDLeavesOutADamagedOne: one referral whose record cannot
// be read back does not stop a list of the others; read alone it is
// referral.ErrUnreadable.
func TestReferralsByIDLeavesOutADamagedOne(t *testing.T) {
	f := newFixture(t)
	good := f.storeReferral(t, "single-child.json", t0)
	bad := f.storeReferral(t, "siblings.json", t0.Add(time.Minute))
	if _, err := f.db.UpdateItem(t.Context(), &dynamodb.UpdateItemInput{
		TableName: aws.String(f.table),
		Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "REFERRAL#" + bad.ID}, "sk": &types.AttributeValueMemberS{Value: "REFERRAL"},
		},
		UpdateExpression:          aws.String("SET receivedAt = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberS{Value: "not a time"}},
	}); err != nil {
		t.Fatal(err)
	}
	got, err := f.store.ReferralsByID(t.Context(), []string{good.ID, bad.ID})
	if err != nil || len(got) != 1 || got[good.ID] == nil {
		t.Errorf("ReferralsByID = %v, %v; want only the readable %s", got, err, good.ID)
	}
	if _, err := f.store.Referral(t.Context(), bad.ID); !errors.Is(err, referral.ErrUnreadable) {
		t.Errorf("Referral(damaged) = %v, want referral.ErrUnreadable", err)
	}
}
