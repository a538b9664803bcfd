package dynamo_test

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/page"
)

// callKeyHash is the hash a helpline call's Idempotency-Key is kept under,
// as README.md documents it: scoped to the adviser.
func callKeyHash(subject, key string) string {
	return ids.Hash("helpline-call\x00" + subject + "\x00" + key)
}

// callIdempotency is the idempotency record of logging rec with key.
func callIdempotency(rec *helpline.Record, key, requestHash string) *idempotency.Record {
	return &idempotency.Record{
		KeyHash: callKeyHash(adviser, key), RequestHash: requestHash,
		Response: []byte(`{"id":"` + rec.ID + `"}`), ExpiresAt: rec.LoggedAt.Add(idempotency.TTL),
	}
}

// TestCreateHelplineCallOnce logs calls with and without an
// Idempotency-Key: the call, its audit entry and the idempotency record are
// written together, a retry with the key is refused with
// idempotency.ErrKeyUsed and its receipt can be replayed, and no
// refused write leaves anything behind.
func TestCreateHelplineCallOnce(t *testing.T) {
	f := newFixture(t)
	calledAt := time.Date(2026, 11, 23, 9, 15, 0, 0, time.UTC)
	rec := newCall(t, "named-carer-concern.json", calledAt)
	idem := callIdempotency(rec, "key-1", "call-hash-1")
	entry := callEntry(rec)
	if err := f.store.CreateHelplineCall(t.Context(), rec, idem, entry); err != nil {
		t.Fatalf("CreateHelplineCall: %v", err)
	}
	got := f.keys(t)
	slices.Sort(got)
	want := []string{"HELPLINE#" + rec.ID + " / AUDIT#" + entry.ID, "HELPLINE#" + rec.ID + " / HELPLINE", "IDEMPOTENCY#" + idem.KeyHash + " / IDEMPOTENCY"}
	if !slices.Equal(got, want) {
		t.Fatalf("items\n %q\nwant\n %q", got, want)
	}
	item := f.item(t, "HELPLINE#"+rec.ID, "HELPLINE")
	if str(item, "gsi1pk") != "HELPLINE#2026-11#CONCERN" || str(item, "gsi1sk") != rec.CalledAt.Format(keyTime)+"#"+rec.ID {
		t.Errorf("call in ByState %s / %s", str(item, "gsi1pk"), str(item, "gsi1sk"))
	}
	if back, err := f.store.HelplineCall(t.Context(), rec.ID); err != nil || !reflect.DeepEqual(back, rec) {
		t.Errorf("HelplineCall = %+v, %v\nwant %+v", back, err, rec)
	}
	prev, err := f.store.Idempotency(t.Context(), idem.KeyHash, rec.LoggedAt.Add(time.Hour))
	if err != nil || prev == nil || prev.RequestHash != "call-hash-1" || prev.ReferralID != "" || !bytes.Equal(prev.Response, idem.Response) {
		t.Errorf("Idempotency = %+v, %v; want the receipt kept", prev, err)
	}

	anonymous := newCall(t, "anonymous-parent.json", calledAt.Add(time.Minute))
	wrongEntry := callEntry(anonymous)
	wrongEntry.Subject = audit.HelplineCall(rec.ID)
	again := newCall(t, "named-carer-concern.json", calledAt)
	sameID := *newCall(t, "anonymous-parent.json", calledAt)
	sameID.ID = rec.ID
	tests := []struct {
		name  string
		rec   *helpline.Record
		idem  *idempotency.Record
		entry audit.Entry
		want  error // nil: any error
	}{
		{"the same key, another call", anonymous, callIdempotency(anonymous, "key-1", "call-hash-2"), callEntry(anonymous), idempotency.ErrKeyUsed},
		{"the same key, the same call again", again, callIdempotency(again, "key-1", "call-hash-1"), callEntry(again), idempotency.ErrKeyUsed},
		{"a call id already taken", &sameID, nil, callEntry(&sameID), nil},
		{"an audit entry for another call", anonymous, callIdempotency(anonymous, "key-2", "call-hash-2"), wrongEntry, nil},
	}
	before := f.keys(t)
	slices.Sort(before)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.store.CreateHelplineCall(t.Context(), tt.rec, tt.idem, tt.entry)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("CreateHelplineCall = %v, want %v", err, cmp.Or[error](tt.want, errors.New("an error")))
			}
			after := f.keys(t)
			slices.Sort(after)
			if !slices.Equal(after, before) {
				t.Errorf("the refused write left items:\n got %q\nwant %q", after, before)
			}
		})
	}
	// Another adviser's same key is another key.
	other := newCall(t, "anonymous-parent.json", calledAt.Add(2*time.Minute))
	otherIdem := callIdempotency(other, "key-1", "call-hash-3")
	otherIdem.KeyHash = callKeyHash("adviser-2", "key-1")
	if err := f.store.CreateHelplineCall(t.Context(), other, otherIdem, callEntry(other)); err != nil {
		t.Errorf("another adviser's key-1: %v", err)
	}
	if item := f.item(t, "HELPLINE#"+other.ID, "HELPLINE"); str(item, "gsi1pk") != "HELPLINE#2026-11#NO-CONCERN" {
		t.Errorf("a call without concern in %s", str(item, "gsi1pk"))
	}
	if _, err := f.store.HelplineCall(t.Context(), ids.NewULID(t0)); !errors.Is(err, helpline.ErrNotFound) {
		t.Errorf("HelplineCall(missing) = %v, want helpline.ErrNotFound", err)
	}
}

// TestListHelplineCalls pages through calls over three months, newest
// first, with and without the concern filter and with several page sizes:
// every call in [from, to) exactly once, none outside.
func TestListHelplineCalls(t *testing.T) {
	f := newFixture(t)
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	var in []*helpline.Record
	log := func(sample string, at time.Time) *helpline.Record {
		rec := newCall(t, sample, at)
		if err := f.store.CreateHelplineCall(t.Context(), rec, nil, callEntry(rec)); err != nil {
			t.Fatalf("CreateHelplineCall: %v", err)
		}
		return rec
	}
	samples := []string{"named-carer-concern.json", "anonymous-parent.json", "anonymous-parent.json"}
	at := from
	for i := range 14 {
		in = append(in, log(samples[i%3], at))
		at = at.Add(time.Duration(70+i)*time.Hour + time.Duration(i)*time.Millisecond)
	}
	// Two calls at the same moment: the higher id first.
	in = append(in, log("named-carer-concern.json", at), log("anonymous-parent.json", at))
	// At the edges: from is in, to is out, and calls outside the range.
	in = append(in, log("anonymous-parent.json", to.Add(-time.Second)))
	log("named-carer-concern.json", to)
	log("anonymous-parent.json", to.Add(48*time.Hour))
	log("named-carer-concern.json", from.Add(-time.Millisecond))
	log("anonymous-parent.json", from.AddDate(0, 0, -10))
	for _, r := range in {
		if !r.CalledAt.Before(to) || r.CalledAt.Before(from) {
			t.Fatalf("call at %s is outside the range: the story is not as meant", r.CalledAt)
		}
	}
	slices.SortFunc(in, func(a, b *helpline.Record) int {
		return cmp.Or(b.CalledAt.Compare(a.CalledAt), strings.Compare(b.ID, a.ID))
	})
	months := map[string]bool{}
	for _, r := range in {
		months[r.CalledAt.Format("2006-01")] = true
	}
	if len(months) != 2 {
		t.Fatalf("calls in %d months, meant 2 (October, November)", len(months))
	}
	expected := func(concern *bool) []string {
		var out []string
		for _, r := range in {
			if concern == nil || r.Call.Concern() == *concern {
				out = append(out, r.ID)
			}
		}
		return out
	}
	yes, no := true, false
	for _, filter := range []struct {
		name    string
		concern *bool
	}{{"every call", nil}, {"concerns", &yes}, {"no concern", &no}} {
		want := expected(filter.concern)
		for _, limit := range []int{1, 2, 3, 7, page.MaxLimit} {
			t.Run(fmt.Sprintf("%s/limit %d", filter.name, limit), func(t *testing.T) {
				recs := everyCall(t, f, helpline.ListQuery{From: from, To: to, Concern: filter.concern, Limit: limit})
				var got []string
				for _, r := range recs {
					got = append(got, r.ID)
					if filter.concern != nil && r.Call.Concern() != *filter.concern {
						t.Errorf("call %s with concern %v listed", r.ID, r.Call.Concern())
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("listed\n %q\nwant\n %q", got, want)
				}
			})
		}
	}
	for _, bad := range []helpline.ListQuery{
		{From: from, To: to, Limit: 0},
		{From: from, To: to, Limit: page.MaxLimit + 1},
		{From: to, To: from, Limit: 10},
	} {
		if _, _, err := f.store.ListHelplineCalls(t.Context(), bad); err == nil {
			t.Errorf("ListHelplineCalls(%+v) accepted", bad)
		}
	}
}

// TestEscalateHelplineCall escalates a logged call once, at the version
// read: a second escalation, one on a stale version, or one of a call that
// does not exist is refused with helpline.ErrChanged and writes nothing.
func TestEscalateHelplineCall(t *testing.T) {
	f := newFixture(t)
	rec := newCall(t, "named-carer-concern.json", time.Date(2026, 11, 23, 9, 15, 0, 0, time.UTC))
	if err := f.store.CreateHelplineCall(t.Context(), rec, nil, callEntry(rec)); err != nil {
		t.Fatal(err)
	}
	other := newCall(t, "named-carer-concern.json", time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC))
	if err := f.store.CreateHelplineCall(t.Context(), other, nil, callEntry(other)); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	escalate := func(callID string, version int) error {
		e := helpline.Escalation{CallID: callID, Version: version, ReferralID: ids.NewULID(at), At: at, By: adviser}
		entry := audit.Request{Actor: audit.Actor{ID: adviser, Role: "helpline"}, Route: "POST /helpline-calls/{id}/referrals"}.
			Entry(audit.HelplineCall(callID), helpline.ActionEscalated, at)
		return f.store.MarkHelplineCallEscalated(t.Context(), e, entry)
	}
	e := helpline.Escalation{CallID: rec.ID, Version: 1, ReferralID: ids.NewULID(at), At: at, By: adviser}
	entry := audit.Request{Actor: audit.Actor{ID: adviser, Role: "helpline"}}.Entry(audit.HelplineCall(rec.ID), helpline.ActionEscalated, at)
	if err := f.store.MarkHelplineCallEscalated(t.Context(), e, entry); err != nil {
		t.Fatalf("MarkHelplineCallEscalated: %v", err)
	}
	got, err := f.store.HelplineCall(t.Context(), rec.ID)
	if err != nil || got.Status != helpline.StatusEscalated || got.Version != 2 || got.ReferralID != e.ReferralID ||
		got.EscalatedAt == nil || !got.EscalatedAt.Equal(at) || got.EscalatedBy != adviser {
		t.Fatalf("after the escalation: %+v, %v", got, err)
	}
	tests := []struct {
		name    string
		call    string
		version int
	}{
		{"again at the version read before", rec.ID, 1},
		{"again at the version now", rec.ID, 2},
		{"another call at a stale version", other.ID, 3},
		{"a call that does not exist", ids.NewULID(at), 1},
	}
	before := f.keys(t)
	slices.Sort(before)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := escalate(tt.call, tt.version)
			if !errors.Is(err, helpline.ErrChanged) && !errors.Is(err, helpline.ErrNotFound) {
				t.Fatalf("MarkHelplineCallEscalated = %v, want helpline.ErrChanged (or ErrNotFound)", err)
			}
			after := f.keys(t)
			slices.Sort(after)
			if !slices.Equal(after, before) {
				t.Errorf("the refused escalation left items:\n got %q\nwant %q", after, before)
			}
		})
	}
	if now, _ := f.store.HelplineCall(t.Context(), rec.ID); now.ReferralID != e.ReferralID || now.Version != 2 {
		t.Errorf("the refused escalations changed the call: %+v", now)
	}
	if now, _ := f.store.HelplineCall(t.Context(), other.ID); now.Status != helpline.StatusLogged || now.Version != 1 {
		t.Errorf("the other call changed: %+v", now)
	}
}

// everyCall lists every call of q, page by page. The store pages by the
// last call's position, not by a cursor of its own: the next page starts
// after it, and a page followed by more is full.
func everyCall(t *testing.T, f *fixture, q helpline.ListQuery) []helpline.Record {
	t.Helper()
	return everyPage(t, "ListHelplineCalls", q.Limit, func(string) ([]helpline.Record, string, error) {
		recs, more, err := f.store.ListHelplineCalls(t.Context(), q)
		if err != nil || !more {
			return recs, "", err
		}
		if len(recs) != q.Limit {
			t.Fatalf("a page of %d calls, limit %d, with more", len(recs), q.Limit)
		}
		pos := helpline.PositionOf(&recs[len(recs)-1])
		q.After = &pos
		return recs, pos.ID, nil
	})
}

// TestListHelplineCallsOfOneAdviser lists one adviser's calls among more
// than a page of another's, one, two and a whole page at a time: every one
// of theirs, newest first, and none of the other's.
func TestListHelplineCallsOfOneAdviser(t *testing.T) {
	f := newFixture(t)
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 7)
	var want []string
	at := to.Add(-time.Minute)
	for i := range 130 {
		rec := newCall(t, "anonymous-parent.json", at)
		if i%40 == 3 {
			want = append(want, rec.ID)
		} else {
			rec.LoggedBy = "another-adviser"
		}
		if err := f.store.CreateHelplineCall(t.Context(), rec, nil, callEntry(rec)); err != nil {
			t.Fatal(err)
		}
		at = at.Add(-time.Hour)
	}
	for _, limit := range []int{1, 2, page.MaxLimit} {
		t.Run(fmt.Sprintf("limit %d", limit), func(t *testing.T) {
			recs := everyCall(t, f, helpline.ListQuery{From: from, To: to, Mine: true, LoggedBy: adviser, Limit: limit})
			var got []string
			for _, r := range recs {
				got = append(got, r.ID)
			}
			if !slices.Equal(got, want) {
				t.Errorf("listed\n %q\nwant\n %q", got, want)
			}
		})
	}
	q := helpline.ListQuery{From: from, To: to, Mine: true, Limit: page.MaxLimit}
	if recs, _, err := f.store.ListHelplineCalls(t.Context(), q); err != nil || len(recs) != 0 {
		t.Errorf("the calls of no one: %d, %v", len(recs), err)
	}
}

// TestListHelplineCallsAcrossAnEmptyMonth lists a range of three months
// whose middle month has no call, to the first instant of the next month,
// one call a page: the list goes on past the empty month.
func TestListHelplineCallsAcrossAnEmptyMonth(t *testing.T) {
	f := newFixture(t)
	var want []string
	for _, at := range []time.Time{
		time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC),
		time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 9, 30, 23, 0, 0, 0, time.UTC),
		time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
	} {
		rec := newCall(t, "anonymous-parent.json", at)
		if err := f.store.CreateHelplineCall(t.Context(), rec, nil, callEntry(rec)); err != nil {
			t.Fatal(err)
		}
		want = append(want, rec.ID)
	}
	q := helpline.ListQuery{From: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Limit: 1}
	var got []string
	for range len(want) + 1 {
		recs, more, err := f.store.ListHelplineCalls(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			got = append(got, r.ID)
		}
		if !more {
			break
		}
		pos := helpline.PositionOf(&recs[len(recs)-1])
		q.After = &pos
	}
	if !slices.Equal(got, want) {
		t.Errorf("listed\n %q\nwant\n %q", got, want)
	}
}
