package dynamo_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
)

// newAddendum returns the sample addendum (events/referrer/addendum.json)
// to the referral, received at at, validated as the referrer service does.
func newAddendum(t *testing.T, referralID string, at time.Time) *referrer.Addendum {
	t.Helper()
	form, err := referrer.Decode(sampleBody(t, "referrer/addendum.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := referrer.Validate(form); err != nil {
		t.Fatal(err)
	}
	at = at.UTC().Truncate(time.Millisecond)
	return &referrer.Addendum{ID: ids.NewULID(at), ReferralID: referralID, ReceivedAt: at, Information: form.Information, Urgent: *form.Urgent}
}

// addendumEntry is the audit entry of a referrer adding a.
func addendumEntry(a *referrer.Addendum) audit.Entry {
	return audit.Request{Actor: referrerActor, Route: "POST /referrer/referrals/{reference}/addenda", RequestID: "req-" + a.ID}.
		Entry(audit.Referral(a.ReferralID), referrer.ActionAddendumAdded, a.ReceivedAt)
}

// addendumIdempotency is the idempotency record of an addendum sent with
// key, the key hashed with the referral's id as README.md documents.
func addendumIdempotency(a *referrer.Addendum, key, requestHash string) *idempotency.Record {
	return &idempotency.Record{
		KeyHash: ids.Hash("addendum\x00" + a.ReferralID + "\x00" + key), RequestHash: requestHash,
		ReferralID: a.ReferralID, Response: []byte(`{"id":"` + a.ID + `"}`), ExpiresAt: a.ReceivedAt.Add(idempotency.TTL),
	}
}

// TestAddAddendum adds addenda to a referral exactly once each, up to the
// limit: each is written with its idempotency record and audit entry and
// bumps the referral's version (its form untouched); a retried key, an
// addendum id taken, or one past the limit is refused and writes nothing.
func TestAddAddendum(t *testing.T) {
	f := newFixture(t)
	rec := f.storeTriaged(t, t0, "AMBER", t0.Add(8*time.Hour))
	read, err := f.store.Referral(t.Context(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	const max = 3
	first := newAddendum(t, rec.ID, t0.Add(time.Hour))
	idem := addendumIdempotency(first, "key-1", "addendum-hash-1")
	if err := f.store.AddAddendum(t.Context(), first, idem, addendumEntry(first), max); err != nil {
		t.Fatalf("AddAddendum: %v", err)
	}
	got, err := f.store.Referral(t.Context(), rec.ID)
	if err != nil || got.Version != read.Version+1 || !reflect.DeepEqual(got.Form, read.Form) || got.Status != read.Status {
		t.Errorf("after the addendum: version %d (was %d), form changed %v, status %s", got.Version, read.Version, !reflect.DeepEqual(got.Form, read.Form), got.Status)
	}
	if n := num(f.item(t, "REFERRAL#"+rec.ID, "REFERRAL"), "addendaCount"); n != "1" {
		t.Errorf("addendaCount %q, want 1", n)
	}
	// The decision a screener made on what they read before is stale now.
	d := newDecision(t, rec.ID, t0.Add(2*time.Hour), "")
	if err := f.decide(t, d, read.Version); !errors.Is(err, decision.ErrStale) {
		t.Errorf("decision on the version before the addendum = %v, want decision.ErrStale", err)
	}
	if prev, err := f.store.Idempotency(t.Context(), idem.KeyHash, first.ReceivedAt); err != nil || prev == nil || prev.RequestHash != "addendum-hash-1" {
		t.Errorf("Idempotency = %+v, %v", prev, err)
	}

	retry := newAddendum(t, rec.ID, t0.Add(90*time.Minute))
	taken := newAddendum(t, rec.ID, t0.Add(90*time.Minute))
	taken.ID = first.ID
	tests := []struct {
		name string
		a    *referrer.Addendum
		idem *idempotency.Record
		want error // nil: any error
	}{
		{"the same key again", retry, addendumIdempotency(retry, "key-1", "addendum-hash-1"), idempotency.ErrKeyUsed},
		{"the same key with another addendum", retry, addendumIdempotency(retry, "key-1", "addendum-hash-2"), idempotency.ErrKeyUsed},
		{"an addendum id taken", taken, nil, nil},
	}
	before := f.keys(t)
	slices.Sort(before)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.store.AddAddendum(t.Context(), tt.a, tt.idem, addendumEntry(tt.a), max)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("AddAddendum = %v, want %v", err, tt.want)
			}
			after := f.keys(t)
			slices.Sort(after)
			if !slices.Equal(after, before) {
				t.Errorf("the refused addendum left items:\n got %q\nwant %q", after, before)
			}
		})
	}

	added := []*referrer.Addendum{first}
	for i := range max - 1 {
		a := newAddendum(t, rec.ID, t0.Add(time.Duration(2+i)*time.Hour))
		if err := f.store.AddAddendum(t.Context(), a, nil, addendumEntry(a), max); err != nil {
			t.Fatalf("AddAddendum %d: %v", i+2, err)
		}
		added = append(added, a)
	}
	over := newAddendum(t, rec.ID, t0.Add(6*time.Hour))
	before = f.keys(t)
	slices.Sort(before)
	if err := f.store.AddAddendum(t.Context(), over, addendumIdempotency(over, "key-9", "h"), addendumEntry(over), max); !errors.Is(err, referrer.ErrTooManyAddenda) {
		t.Errorf("AddAddendum past the limit = %v, want referrer.ErrTooManyAddenda", err)
	}
	after := f.keys(t)
	slices.Sort(after)
	if !slices.Equal(after, before) {
		t.Errorf("the refused addendum left items:\n got %q\nwant %q", after, before)
	}

	all, err := f.store.Addenda(t.Context(), rec.ID)
	var want []referrer.Addendum
	var sent []referrer.Sent
	for _, a := range added {
		want, sent = append(want, *a), append(sent, referrer.Sent{ID: a.ID, ReceivedAt: a.ReceivedAt})
	}
	if err != nil || !reflect.DeepEqual(all, want) {
		t.Errorf("Addenda = %+v, %v\nwant %+v", all, err, want)
	}
	if got, err := f.store.AddendaSent(t.Context(), rec.ID); err != nil || !reflect.DeepEqual(got, sent) {
		t.Errorf("AddendaSent = %+v, %v; want %+v", got, err, sent)
	}
	if got, _ := f.store.Referral(t.Context(), rec.ID); got.Version != read.Version+max {
		t.Errorf("version %d, want %d (one per addendum)", got.Version, read.Version+max)
	}
	if n := f.countPrefix(t, "REFERRAL#"+rec.ID, "AUDIT#"); n != 2+max {
		t.Errorf("%d audit entries, want %d (submitted, triaged, one per addendum)", n, 2+max)
	}
	if none, err := f.store.Addenda(t.Context(), ids.NewULID(t0)); err != nil || len(none) != 0 {
		t.Errorf("Addenda of another referral = %+v, %v", none, err)
	}
}

// readCounter is the DynamoDB client with its single-item reads counted.
type readCounter struct {
	*dynamodb.Client
	gets atomic.Int64
}

func (c *readCounter) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.gets.Add(1)
	return c.Client.GetItem(ctx, in, opts...)
}

// TestReferralByReferenceDoesTheSameWork: an unknown reference costs the
// same reads as a known one, so that how long a referrer's request takes
// does not tell which references exist; both answers are as before.
func TestReferralByReferenceDoesTheSameWork(t *testing.T) {
	f := newFixture(t)
	rec := f.storeReferral(t, "single-child.json", t0)
	counted := &readCounter{Client: f.db}
	st := dynamo.New(counted, f.table)
	if got, err := st.ReferralByReference(t.Context(), rec.Reference); err != nil || got.ID != rec.ID {
		t.Fatalf("known reference: %+v, %v", got, err)
	}
	known := counted.gets.Swap(0)
	if _, err := st.ReferralByReference(t.Context(), "ZZZZ-ZZZZ"); !errors.Is(err, referrer.ErrNotFound) {
		t.Fatalf("unknown reference: %v, want referrer.ErrNotFound", err)
	}
	if unknown := counted.gets.Load(); unknown != known || known != 2 {
		t.Errorf("reads: %d for a known reference, %d for an unknown one; want 2 and 2", known, unknown)
	}
}
