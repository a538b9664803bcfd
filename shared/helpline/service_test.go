package helpline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// fakeStore keeps calls, idempotency records and audit entries in memory.
type fakeStore struct {
	mu      sync.Mutex
	calls   map[string]*Record
	idem    map[string]*idempotency.Record
	audit   []audit.Entry
	failing error // returned by every write when set
	// idemFails is returned by Idempotency when set.
	idemFails error
	// idemLost makes Idempotency find nothing, as if the record had expired
	// between the write and the read.
	idemLost bool
	// markFails is returned by MarkHelplineCallEscalated while positive
	// counts remain.
	markFails []error
	listed    ListQuery
	list      []Record
	more      bool
}

func newFakeStore() *fakeStore {
	return &fakeStore{calls: map[string]*Record{}, idem: map[string]*idempotency.Record{}}
}

// CreateHelplineCall writes all or nothing, as the DynamoDB store does: an
// unexpired record for the key (expiresAt not before the call's loggedAt)
// refuses the whole write.
func (f *fakeStore) CreateHelplineCall(_ context.Context, rec *Record, idem *idempotency.Record, entry audit.Entry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing != nil {
		return f.failing
	}
	if idem != nil {
		if prev, ok := f.idem[idem.KeyHash]; ok && !prev.ExpiresAt.Before(rec.LoggedAt) {
			return fmt.Errorf("create: %w", idempotency.ErrKeyUsed)
		}
	}
	if _, ok := f.calls[rec.ID]; ok {
		return errors.New("exists")
	}
	if idem != nil {
		cp := *idem
		f.idem[idem.KeyHash] = &cp
	}
	c := *rec
	f.calls[rec.ID] = &c
	f.audit = append(f.audit, entry)
	return nil
}

func (f *fakeStore) Idempotency(_ context.Context, keyHash string, now time.Time) (*idempotency.Record, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.idemFails != nil {
		return nil, f.idemFails
	}
	prev, ok := f.idem[keyHash]
	if !ok || f.idemLost || now.After(prev.ExpiresAt) {
		return nil, nil
	}
	cp := *prev
	return &cp, nil
}

func (f *fakeStore) HelplineCall(_ context.Context, id string) (*Record, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.calls[id]
	if !ok {
		return nil, fmt.Errorf("get %s: %w", id, ErrNotFound)
	}
	cp := *c
	return &cp, nil
}

func (f *fakeStore) ListHelplineCalls(_ context.Context, q ListQuery) ([]Record, bool, error) {
	f.listed = q
	return f.list, f.more, nil
}

func (f *fakeStore) AppendAudits(_ context.Context, entries []audit.Entry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing != nil {
		return f.failing
	}
	f.audit = append(f.audit, entries...)
	return nil
}

func (f *fakeStore) MarkHelplineCallEscalated(_ context.Context, e Escalation, entry audit.Entry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.markFails) > 0 {
		err := f.markFails[0]
		f.markFails = f.markFails[1:]
		return err
	}
	c, ok := f.calls[e.CallID]
	if !ok || c.Status != StatusLogged || c.Version != e.Version {
		return ErrChanged
	}
	c.Status, c.ReferralID, c.EscalatedAt, c.EscalatedBy = StatusEscalated, e.ReferralID, &e.At, e.By
	c.Version++
	f.audit = append(f.audit, entry)
	return nil
}

func (f *fakeStore) actions() []audit.Action {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []audit.Action
	for _, e := range f.audit {
		out = append(out, e.Action)
	}
	return out
}

// intakeStore is an in-memory intake.Store with real idempotency, so that
// escalations go through the real intake.Service.
type intakeStore struct {
	mu        sync.Mutex
	referrals map[string]*referral.Record
	idem      map[string]*idempotency.Record
	entries   []audit.Entry
}

func newIntakeStore() *intakeStore {
	return &intakeStore{referrals: map[string]*referral.Record{}, idem: map[string]*idempotency.Record{}}
}

func (s *intakeStore) CreateReferral(_ context.Context, rec *referral.Record, idem *idempotency.Record, entry audit.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if idem != nil {
		if _, used := s.idem[idem.KeyHash]; used {
			return idempotency.ErrKeyUsed
		}
		s.idem[idem.KeyHash] = idem
	}
	cp := *rec
	s.referrals[rec.ID] = &cp
	s.entries = append(s.entries, entry)
	return nil
}

func (s *intakeStore) Idempotency(_ context.Context, keyHash string, _ time.Time) (*idempotency.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idem[keyHash], nil
}

func (s *intakeStore) MarkQueued(_ context.Context, id string, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.referrals[id]; ok && !r.Status.Triaged() {
		r.Status = referral.StatusQueued
	}
	return nil
}

func (s *intakeStore) MarkUnqueued(_ context.Context, id string, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.referrals[id]; ok && r.Status == referral.StatusQueued {
		r.Status = referral.StatusReceived
	}
	return nil
}

func (s *intakeStore) Referral(_ context.Context, id string) (*referral.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.referrals[id]
	if !ok {
		return nil, errors.New("no such referral")
	}
	cp := *r
	return &cp, nil
}

func (s *intakeStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.referrals)
}

type queue struct{ ids []string }

func (q *queue) EnqueueReferral(_ context.Context, id string) error {
	q.ids = append(q.ids, id)
	return nil
}

// rig is a Service on fakes, with the real intake behind it.
type rig struct {
	svc       *Service
	store     *fakeStore
	referrals *intakeStore
	queue     *queue
}

func newRig() *rig {
	r := &rig{store: newFakeStore(), referrals: newIntakeStore(), queue: &queue{}}
	clock := func() time.Time { return now }
	r.svc = NewService(r.store, intake.New(r.referrals, r.queue, clock), clock)
	return r
}

var adviser = audit.Request{
	Actor: audit.Actor{ID: "adviser-1", Role: "helpline", IP: "192.0.2.1"}, Route: "POST /helpline-calls", RequestID: "req-1",
}

func body(t *testing.T, c *Call) []byte {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLog(t *testing.T) {
	r := newRig()
	c := validCall()
	c.SafeguardingConcern = yes()
	got, _, err := r.svc.Log(context.Background(), body(t, c), "", adviser)
	if err != nil {
		t.Fatal(err)
	}
	if !ids.IsULID(got.ID) || got.Status != StatusLogged || got.Version != 1 || !got.LoggedAt.Equal(now) || !got.SafeguardingConcern {
		t.Errorf("receipt %+v", got)
	}
	if !strings.Contains(got.Message, "/helpline-calls/"+got.ID+"/referrals") {
		t.Errorf("a call with a concern: message %q does not say how to escalate it", got.Message)
	}
	rec := r.store.calls[got.ID]
	if rec == nil {
		t.Fatal("call not stored")
	}
	if rec.LoggedBy != "adviser-1" || rec.EscalationSecret == "" || !rec.CalledAt.Equal(utc("2026-11-23T09:30:00Z")) {
		t.Errorf("stored %+v", rec)
	}
	if len(r.store.audit) != 1 {
		t.Fatalf("%d audit entries, want 1", len(r.store.audit))
	}
	e := r.store.audit[0]
	if e.Subject != audit.HelplineCall(got.ID) || e.Action != ActionLogged || e.Actor != adviser.Actor ||
		e.Route != adviser.Route || e.RequestID != adviser.RequestID || !e.At.Equal(now) || !ids.IsULID(e.ID) {
		t.Errorf("audit entry %+v", e)
	}

	other, _, err := r.svc.Log(context.Background(), body(t, validCall()), "", adviser)
	if err != nil {
		t.Fatal(err)
	}
	if other.Message != loggedMessage {
		t.Errorf("a call without a concern: message %q", other.Message)
	}
	if r.store.calls[other.ID].EscalationSecret == rec.EscalationSecret {
		t.Error("two calls share an escalation secret")
	}
}

// TestLogTimesAsStored: the receipt shows the times as they are stored, to
// the millisecond.
func TestLogTimesAsStored(t *testing.T) {
	r := newRig()
	r.svc.now = func() time.Time { return now.Add(123456789 * time.Nanosecond) }
	got, _, err := r.svc.Log(context.Background(), body(t, validCall()), "", adviser)
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Add(123 * time.Millisecond); !got.LoggedAt.Equal(want) || !r.store.calls[got.ID].LoggedAt.Equal(want) {
		t.Errorf("loggedAt %v (stored %v), want %v", got.LoggedAt, r.store.calls[got.ID].LoggedAt, want)
	}
}

func TestLogRefusesAndWritesNothing(t *testing.T) {
	bad := validCall()
	bad.Topics = nil
	tests := []struct {
		name   string
		body   []byte
		key    string
		fail   error
		code   apperr.Code
		fields []string
	}{
		{"malformed", []byte(`{"topic":[]}`), "", nil, apperr.Malformed, []string{"topic"}},
		{"too large", []byte(`{"adviceGiven":"` + strings.Repeat("a", MaxBody) + `"}`), "", nil, apperr.TooLarge, nil},
		{"invalid", body(t, bad), "", nil, apperr.Invalid, []string{"topics"}},
		{"invalid, with a key", body(t, bad), "key-1", nil, apperr.Invalid, []string{"topics"}},
		{"store down", body(t, validCall()), "", errors.New("down"), apperr.Unavailable, nil},
		{"store down, with a key", body(t, validCall()), "key-1", errors.New("down"), apperr.Unavailable, nil},
		{"key with a space", body(t, validCall()), "key 1", nil, apperr.Invalid, []string{"Idempotency-Key"}},
		{"key with a control character", body(t, validCall()), "key\t1", nil, apperr.Invalid, []string{"Idempotency-Key"}},
		{"key not ASCII", body(t, validCall()), "clé-1", nil, apperr.Invalid, []string{"Idempotency-Key"}},
		{"key too long", body(t, validCall()), strings.Repeat("k", idempotency.MaxKeyLength+1), nil, apperr.Invalid, []string{"Idempotency-Key"}},
		// The key is checked first, whatever the body.
		{"bad key and a malformed body", []byte(`{"topic":[]}`), "key 1", nil, apperr.Invalid, []string{"Idempotency-Key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig()
			r.store.failing = tt.fail
			got, replayed, err := r.svc.Log(context.Background(), tt.body, tt.key, adviser)
			if apperr.CodeOf(err) != tt.code || got != nil || replayed {
				t.Fatalf("got %+v, replayed %v, err = %v; want %s", got, replayed, err, tt.code)
			}
			var fields []string
			for _, f := range apperr.As(err).Fields {
				fields = append(fields, f.Field)
			}
			if !slices.Equal(fields, tt.fields) {
				t.Errorf("fields %v, want %v", fields, tt.fields)
			}
			if len(r.store.calls) != 0 || len(r.store.audit) != 0 || len(r.store.idem) != 0 {
				t.Errorf("written: %d calls, %d audit entries, %d idempotency records", len(r.store.calls), len(r.store.audit), len(r.store.idem))
			}
		})
	}
}

// TestLogKeepsTheIdempotencyRecord: a call logged with a key is stored with
// a record of the key, scoped to the adviser, remembered for a day, that
// holds the receipt as sent; a call logged without one has none.
func TestLogKeepsTheIdempotencyRecord(t *testing.T) {
	r := newRig()
	c := validCall()
	c.SafeguardingConcern = yes()
	got, replayed, err := r.svc.Log(context.Background(), body(t, c), "key-1", adviser)
	if err != nil || replayed {
		t.Fatalf("Log: %v, replayed %v", err, replayed)
	}
	if len(r.store.idem) != 1 {
		t.Fatalf("%d idempotency records, want 1", len(r.store.idem))
	}
	idem := r.store.idem[idempotency.Key{Route: adviser.Route, Scope: "adviser-1", Value: "key-1"}.Hash()]
	if idem == nil {
		t.Fatalf("no idempotency record under the key hashed with the adviser: %v", r.store.idem)
	}
	if !idem.ExpiresAt.Equal(now.Add(idempotency.TTL)) || idem.ExpiresAt.Sub(now) != 24*time.Hour || idem.RequestHash == "" || idem.ReferralID != "" {
		t.Errorf("record %+v", idem)
	}
	want, _ := json.Marshal(got)
	if string(idem.Response) != string(want) {
		t.Errorf("kept response %s, want the receipt %s", idem.Response, want)
	}
	if strings.Contains(string(idem.Response), "Test advice") || strings.Contains(string(idem.Response), "0161") {
		t.Errorf("the kept response holds the call's content: %s", idem.Response)
	}

	if _, _, err := r.svc.Log(context.Background(), body(t, c), "", adviser); err != nil {
		t.Fatal(err)
	}
	if len(r.store.idem) != 1 || len(r.store.calls) != 2 {
		t.Errorf("without a key: %d idempotency records, %d calls; want 1 and 2", len(r.store.idem), len(r.store.calls))
	}
}

// TestLogIdempotency: a call is logged with a key, then a second request
// is made; whether it replays the first receipt, logs a new call or is
// refused.
func TestLogIdempotency(t *testing.T) {
	first := validCall()
	first.SafeguardingConcern = yes() // its receipt's message names the call
	firstBody := body(t, first)

	// The same call written differently: members in another order, white
	// space between them and around the codes (which Validate trims).
	var m map[string]any
	if err := json.Unmarshal(firstBody, &m); err != nil {
		t.Fatal(err)
	}
	m["topics"] = []string{"  sleep "}
	m["caller"].(map[string]any)["type"] = " parent"
	reformatted, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	var members []string
	for k, v := range m {
		b, _ := json.Marshal(v)
		members = append(members, fmt.Sprintf("%q: %s", k, b))
	}
	slices.Sort(members)
	slices.Reverse(members)
	reordered := []byte("{\n  " + strings.Join(members, ",\n  ") + "\n}")

	different := validCall()
	different.SafeguardingConcern = yes()
	different.DurationMinutes = 21
	otherAdviser := adviser
	otherAdviser.Actor.ID = "adviser-2"

	tests := []struct {
		name     string
		body     []byte
		key      string
		meta     audit.Request
		after    time.Duration // after the first request
		prepare  func(*fakeStore)
		code     apperr.Code // "" for success
		replayed bool
		calls    int // calls stored after both requests
	}{
		{"same key, same call", firstBody, "key-1", adviser, time.Minute, nil, "", true, 1},
		{"same key, same call written differently", reformatted, "key-1", adviser, time.Minute, nil, "", true, 1},
		{"same key, same call, members in another order", reordered, "key-1", adviser, 0, nil, "", true, 1},
		{"same key, same call, just within a day", firstBody, "key-1", adviser, idempotency.TTL - time.Second, nil, "", true, 1},
		{"same key, another call", body(t, different), "key-1", adviser, time.Minute, nil, apperr.Invalid, false, 1},
		{"same key, same call, another adviser", firstBody, "key-1", otherAdviser, time.Minute, nil, "", false, 2},
		{"another key, same call", firstBody, "key-2", adviser, time.Minute, nil, "", false, 2},
		{"no key, same call", firstBody, "", adviser, time.Minute, nil, "", false, 2},
		{"same key, same call, over a day later", firstBody, "key-1", adviser, idempotency.TTL + time.Second, nil, "", false, 2},
		{"same key, another call, over a day later", body(t, different), "key-1", adviser, idempotency.TTL + time.Second, nil, "", false, 2},
		{"the record expires between the write and the read", firstBody, "key-1", adviser, time.Minute,
			func(f *fakeStore) { f.idemLost = true }, apperr.Conflict, false, 1},
		{"the record cannot be read", firstBody, "key-1", adviser, time.Minute,
			func(f *fakeStore) { f.idemFails = errors.New("throttled") }, apperr.Unavailable, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig()
			one, replayed, err := r.svc.Log(context.Background(), firstBody, "key-1", adviser)
			if err != nil || replayed {
				t.Fatalf("first: %v, replayed %v", err, replayed)
			}
			if tt.prepare != nil {
				tt.prepare(r.store)
			}
			r.svc.now = func() time.Time { return now.Add(tt.after) }
			two, replayed, err := r.svc.Log(context.Background(), tt.body, tt.key, tt.meta)
			if (err == nil) != (tt.code == "") || (err != nil && apperr.CodeOf(err) != tt.code) {
				t.Fatalf("second: err = %v, want %q", err, tt.code)
			}
			if replayed != tt.replayed {
				t.Errorf("replayed %v, want %v", replayed, tt.replayed)
			}
			switch {
			case tt.code != "":
				if two != nil {
					t.Errorf("receipt %+v with an error", two)
				}
				if tt.code == apperr.Invalid {
					if f := fieldsOf(t, err); len(f) != 1 || f["Idempotency-Key"] == "" {
						t.Errorf("fields %v, want Idempotency-Key only", f)
					}
				}
			case tt.replayed:
				a, _ := json.Marshal(one)
				b, _ := json.Marshal(two)
				if string(a) != string(b) {
					t.Errorf("replay %s, want the first receipt %s", b, a)
				}
			default:
				if two.ID == one.ID || r.store.calls[two.ID] == nil || r.store.calls[two.ID].LoggedBy != tt.meta.Actor.ID {
					t.Errorf("second receipt %+v: want a new call stored, logged by %s", two, tt.meta.Actor.ID)
				}
			}
			if len(r.store.calls) != tt.calls || len(r.store.audit) != tt.calls {
				t.Errorf("%d calls and %d audit entries stored, want %d of each", len(r.store.calls), len(r.store.audit), tt.calls)
			}
			for _, e := range r.store.audit {
				if e.Action != ActionLogged || r.store.calls[e.Subject.ID] == nil {
					t.Errorf("audit entry %+v", e)
				}
			}
		})
	}
}

func TestListAuditsEveryCallReturned(t *testing.T) {
	r := newRig()
	r.store.list = []Record{
		{ID: "01KAQ3ZJ8Q7X3V4N5M6K7J8H9H", CalledAt: utc("2026-11-23T09:00:00Z")},
		{ID: "01KAQ3ZJ8Q7X3V4N5M6K7J8H9G", CalledAt: utc("2026-11-22T09:00:00Z")},
	}
	r.store.more = true
	meta := audit.Request{Actor: audit.Actor{ID: "manager-1", Role: "mash-manager"}, Route: "GET /helpline-calls", RequestID: "req-2"}
	page, err := r.svc.List(context.Background(), map[string]string{"limit": "2", "safeguardingConcern": "true"}, meta)
	if err != nil {
		t.Fatal(err)
	}
	if r.store.listed.Limit != 2 || r.store.listed.Concern == nil || !*r.store.listed.Concern {
		t.Errorf("store asked %+v", r.store.listed)
	}
	if len(page.Calls) != 2 || page.Next == "" {
		t.Fatalf("page %+v", page)
	}
	var audited []string
	for _, e := range r.store.audit {
		if e.Action != ActionRead || e.Actor != meta.Actor || e.Route != meta.Route || e.RequestID != "req-2" {
			t.Errorf("audit entry %+v", e)
		}
		audited = append(audited, e.Subject.ID)
	}
	if !slices.Equal(audited, []string{r.store.list[0].ID, r.store.list[1].ID}) {
		t.Errorf("audited %v, want both calls", audited)
	}
	// The cursor continues after the last call, with the same query.
	next, err := ParseListQuery(map[string]string{"cursor": page.Next}, now)
	if err != nil {
		t.Fatal(err)
	}
	if next.After == nil || next.After.ID != r.store.list[1].ID || !sameConcern(next.Concern, yes()) {
		t.Errorf("next page %+v", next)
	}

	r.store.more = false
	page, err = r.svc.List(context.Background(), nil, meta)
	if err != nil || page.Next != "" {
		t.Errorf("last page: cursor %q, err %v", page.Next, err)
	}
}

func TestListNothingGivenUnaudited(t *testing.T) {
	r := newRig()
	r.store.list = []Record{{ID: "01KAQ3ZJ8Q7X3V4N5M6K7J8H9H", CalledAt: utc("2026-11-23T09:00:00Z")}}
	r.store.failing = errors.New("down")
	page, err := r.svc.List(context.Background(), nil, adviser)
	if apperr.CodeOf(err) != apperr.Unavailable || page != nil {
		t.Errorf("page %v, err %v; want no page and unavailable", page, err)
	}
}

func TestListEmptyIsAList(t *testing.T) {
	r := newRig()
	page, err := r.svc.List(context.Background(), nil, adviser)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(page)
	if !strings.Contains(string(b), `"calls":[]`) {
		t.Errorf("empty page %s", b)
	}
}

func TestListBadQuery(t *testing.T) {
	r := newRig()
	_, err := r.svc.List(context.Background(), map[string]string{"cursor": "garbled"}, adviser)
	if _, ok := fieldsOf(t, err)["cursor"]; !ok || apperr.CodeOf(err) != apperr.Malformed {
		t.Errorf("err = %v, want malformed naming cursor", err)
	}
}

// logged logs a call with or without a concern and returns its id.
func (r *rig) logged(t *testing.T, concern bool) string {
	t.Helper()
	c := validCall()
	c.SafeguardingConcern = &concern
	got, _, err := r.svc.Log(context.Background(), body(t, c), "", adviser)
	if err != nil {
		t.Fatal(err)
	}
	return got.ID
}

var escalator = audit.Request{Actor: audit.Actor{ID: "adviser-2", Role: "helpline"}, Route: "POST /helpline-calls/{id}/referrals", RequestID: "req-3"}

func TestEscalate(t *testing.T) {
	r := newRig()
	id := r.logged(t, true)
	got, replayed, err := r.svc.Escalate(context.Background(), id, sample(t, "escalation-referral.json"), escalator)
	if err != nil {
		t.Fatalf("Escalate: %v %+v", err, apperr.As(err))
	}
	if replayed || got.HelplineCallID != id || !ids.IsULID(got.ID) || got.ReceiptToken == "" {
		t.Errorf("receipt %+v, replayed %v", got, replayed)
	}
	ref := r.referrals.referrals[got.ID]
	if ref == nil {
		t.Fatal("no referral made")
	}
	if ref.Origin == nil || *ref.Origin != (referral.Origin{Type: referral.OriginHelplineCall, ID: id}) {
		t.Errorf("origin %+v", ref.Origin)
	}
	if ref.Source != "5B" {
		t.Errorf("census source %q, want 5B (the helpline)", ref.Source)
	}
	if e := r.referrals.entries[0]; e.Actor != escalator.Actor || e.Subject != audit.Referral(got.ID) {
		t.Errorf("referral audit entry %+v", e)
	}
	if !slices.Equal(r.queue.ids, []string{got.ID}) {
		t.Errorf("queued %v", r.queue.ids)
	}
	call := r.store.calls[id]
	if call.Status != StatusEscalated || call.ReferralID != got.ID || call.EscalatedBy != "adviser-2" || call.Version != 2 {
		t.Errorf("call %+v", call)
	}
	if a := r.store.actions(); !slices.Equal(a, []audit.Action{ActionLogged, ActionEscalated}) {
		t.Errorf("call audit %v", a)
	}

	// Again: refused, naming the referral, and nothing more made.
	_, _, err = r.svc.Escalate(context.Background(), id, sample(t, "escalation-referral.json"), escalator)
	if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(err.Error(), got.ID) {
		t.Errorf("second escalation: %v, want a conflict naming %s", err, got.ID)
	}
	if r.referrals.count() != 1 {
		t.Errorf("%d referrals, want 1", r.referrals.count())
	}
}

func TestEscalateRefuses(t *testing.T) {
	form := sample(t, "escalation-referral.json")
	var m map[string]any
	if err := json.Unmarshal(form, &m); err != nil {
		t.Fatal(err)
	}
	m["referrer"].(map[string]any)["agencyType"] = "education"
	otherAgency, _ := json.Marshal(m)
	m["concerns"].(map[string]any)["account"] = ""
	twoProblems, _ := json.Marshal(m)

	tests := []struct {
		name    string
		concern bool
		id      string // "" for the call logged
		body    []byte
		code    apperr.Code
		fields  []string
	}{
		{"not an id", true, "not-an-id", form, apperr.NotFound, nil},
		{"no such call", true, "01KAQ3ZJ8Q7X3V4N5M6K7J8H9G", form, apperr.NotFound, nil},
		{"no concern", false, "", form, apperr.Conflict, nil},
		{"not a referral", true, "", []byte(`{"call":1}`), apperr.Malformed, []string{"call"}},
		{"not from the helpline", true, "", otherAgency, apperr.Invalid, []string{"referrer.agencyType"}},
		{"every problem at once", true, "", twoProblems, apperr.Invalid, []string{"concerns.account", "referrer.agencyType"}},
		{"too large", true, "", []byte(`{"x":"` + strings.Repeat("a", intake.MaxBodyBytes) + `"}`), apperr.TooLarge, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig()
			id := r.logged(t, tt.concern)
			if tt.id != "" {
				id = tt.id
			}
			_, _, err := r.svc.Escalate(context.Background(), id, tt.body, escalator)
			if apperr.CodeOf(err) != tt.code {
				t.Fatalf("err = %v, want %s", err, tt.code)
			}
			var fields []string
			for _, f := range apperr.As(err).Fields {
				fields = append(fields, f.Field)
			}
			if !slices.Equal(fields, tt.fields) {
				t.Errorf("fields %v, want %v", fields, tt.fields)
			}
			if r.referrals.count() != 0 || len(r.queue.ids) != 0 {
				t.Errorf("a referral was made")
			}
			for _, c := range r.store.calls {
				if c.Status != StatusLogged {
					t.Errorf("call %s is %s", c.ID, c.Status)
				}
			}
		})
	}
}

// TestEscalateRetryAfterTheMarkFails: the referral is made but the call
// cannot be marked; the retry links the same referral and makes no other.
func TestEscalateRetryAfterTheMarkFails(t *testing.T) {
	r := newRig()
	id := r.logged(t, true)
	r.store.markFails = []error{errors.New("throttled")}
	_, _, err := r.svc.Escalate(context.Background(), id, sample(t, "escalation-referral.json"), escalator)
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("err = %v, want unavailable", err)
	}
	if r.referrals.count() != 1 {
		t.Fatalf("%d referrals, want 1", r.referrals.count())
	}
	var first *referral.Record
	for _, ref := range r.referrals.referrals {
		first = ref
	}
	if !strings.Contains(apperr.As(err).Message, first.Reference) || !strings.Contains(apperr.As(err).Message, "again") {
		t.Errorf("message %q does not give the referral's reference and say to escalate again", apperr.As(err).Message)
	}
	if r.store.calls[id].Status != StatusLogged {
		t.Fatal("call marked although the mark failed")
	}

	// A retry with a different form does not make a second referral.
	var m map[string]any
	_ = json.Unmarshal(sample(t, "escalation-referral.json"), &m)
	m["concerns"].(map[string]any)["levelOfNeed"] = 4
	changed, _ := json.Marshal(m)
	_, _, err = r.svc.Escalate(context.Background(), id, changed, escalator)
	if apperr.CodeOf(err) != apperr.Conflict || len(apperr.As(err).Fields) != 0 {
		t.Errorf("retry with another form: %v, want a conflict without the internal key", err)
	}
	if r.referrals.count() != 1 {
		t.Fatalf("%d referrals after a retry with another form, want 1", r.referrals.count())
	}

	got, replayed, err := r.svc.Escalate(context.Background(), id, sample(t, "escalation-referral.json"), escalator)
	if err != nil {
		t.Fatal(err)
	}
	if !replayed || got.ID != first.ID {
		t.Errorf("retry: referral %s (replayed %v), want %s", got.ID, replayed, first.ID)
	}
	if r.referrals.count() != 1 {
		t.Errorf("%d referrals, want 1", r.referrals.count())
	}
	if c := r.store.calls[id]; c.Status != StatusEscalated || c.ReferralID != first.ID {
		t.Errorf("call %+v", c)
	}
}

// TestEscalateConcurrently: two advisers escalate the same call at once;
// one referral, linked, and neither is told of a failure.
func TestEscalateConcurrently(t *testing.T) {
	r := newRig()
	id := r.logged(t, true)
	form := sample(t, "escalation-referral.json")
	// Every attempt reads the call, LOGGED, before any goes on.
	const n = 8
	gate := &gatedStore{fakeStore: r.store, waiting: n, open: make(chan struct{})}
	r.svc.store = gate
	var wg sync.WaitGroup
	results := make([]*EscalationReceipt, n)
	errs := make([]error, n)
	for i := range results {
		wg.Go(func() {
			results[i], _, errs[i] = r.svc.Escalate(context.Background(), id, form, escalator)
		})
	}
	wg.Wait()
	if r.referrals.count() != 1 {
		t.Fatalf("%d referrals, want 1", r.referrals.count())
	}
	ref := r.store.calls[id].ReferralID
	for i, err := range errs {
		switch {
		case err == nil:
			if results[i].ID != ref {
				t.Errorf("escalation %d: referral %s, want %s", i, results[i].ID, ref)
			}
		case apperr.CodeOf(err) == apperr.Conflict:
			if !strings.Contains(err.Error(), ref) {
				t.Errorf("escalation %d: conflict %v does not name %s", i, err, ref)
			}
		default:
			t.Errorf("escalation %d: %v", i, err)
		}
	}
}

// gatedStore holds the first reads of a call until there have been
// waiting of them.
type gatedStore struct {
	*fakeStore
	mu      sync.Mutex
	waiting int
	open    chan struct{}
}

func (s *gatedStore) HelplineCall(ctx context.Context, id string) (*Record, error) {
	rec, err := s.fakeStore.HelplineCall(ctx, id)
	s.mu.Lock()
	if s.waiting > 0 {
		s.waiting--
		if s.waiting == 0 {
			close(s.open)
		}
	}
	s.mu.Unlock()
	<-s.open
	return rec, err
}

// TestEscalateMarkRace: the mark finds the call changed because another
// request marked it in between: with this referral that is success, with
// another a conflict naming it.
func TestEscalateMarkRace(t *testing.T) {
	for _, same := range []bool{true, false} {
		t.Run(fmt.Sprintf("same referral %v", same), func(t *testing.T) {
			r := newRig()
			id := r.logged(t, true)
			form := sample(t, "escalation-referral.json")
			// The first attempt makes the referral and fails to mark.
			r.store.markFails = []error{errors.New("timeout")}
			if _, _, err := r.svc.Escalate(context.Background(), id, form, escalator); apperr.CodeOf(err) != apperr.Unavailable {
				t.Fatalf("first attempt: %v, want unavailable", err)
			}
			var made string
			for rid := range r.referrals.referrals {
				made = rid
			}
			other := *r.store.calls[id]
			other.Status, other.ReferralID = StatusEscalated, made
			if !same {
				other.ReferralID = "01KAQ3ZJ8Q7X3V4N5M6K7J8H9G"
			}
			r.svc.store = &racingStore{fakeStore: r.store, after: &other}
			got, replayed, err := r.svc.Escalate(context.Background(), id, form, escalator)
			if same {
				if err != nil || got.ID != made || !replayed {
					t.Errorf("got %+v, replayed %v, err %v; want referral %s", got, replayed, err, made)
				}
			} else if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(err.Error(), other.ReferralID) {
				t.Errorf("err = %v, want a conflict naming %s", err, other.ReferralID)
			}
			if r.referrals.count() != 1 {
				t.Errorf("%d referrals, want 1", r.referrals.count())
			}
		})
	}
}

// racingStore serves the call as the fake store has it until a mark is
// tried; the mark then finds it changed and every later read gives after,
// as if another request had marked it in between.
type racingStore struct {
	*fakeStore
	after  *Record
	marked bool
}

func (s *racingStore) HelplineCall(ctx context.Context, id string) (*Record, error) {
	if s.marked {
		cp := *s.after
		return &cp, nil
	}
	return s.fakeStore.HelplineCall(ctx, id)
}

func (s *racingStore) MarkHelplineCallEscalated(context.Context, Escalation, audit.Entry) error {
	s.marked = true
	return fmt.Errorf("mark: %w", ErrChanged)
}

// loggedBy=me asks the store for the caller's own calls, by the caller's
// subject, never by a name the request gives.
func TestListMine(t *testing.T) {
	r := newRig()
	meta := audit.Request{Actor: audit.Actor{ID: "adviser-7", Role: "helpline"}, Route: "GET /helpline-calls"}
	if _, err := r.svc.List(context.Background(), map[string]string{"loggedBy": "me"}, meta); err != nil {
		t.Fatal(err)
	}
	if !r.store.listed.Mine || r.store.listed.LoggedBy != "adviser-7" {
		t.Errorf("store asked %+v, want adviser-7's calls", r.store.listed)
	}
	if _, err := r.svc.List(context.Background(), nil, meta); err != nil || r.store.listed.Mine || r.store.listed.LoggedBy != "" {
		t.Errorf("without loggedBy, store asked %+v (%v), want every call", r.store.listed, err)
	}
}
