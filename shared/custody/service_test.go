package custody

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
)

// memStore is an in-memory Store.
type memStore struct {
	idem      map[string]*idempotency.Record
	claims    map[string]string
	followUps map[string]*followup.FollowUp
	records   map[string]*Record
	entries   []audit.Entry
	queued    map[string]time.Time
	createErr error
	markErr   error
}

func newMemStore() *memStore {
	return &memStore{records: map[string]*Record{}, queued: map[string]time.Time{}, idem: map[string]*idempotency.Record{}}
}

func (m *memStore) CreateCustodyRequest(_ context.Context, rec *Record, idem *idempotency.Record, claim Claim, entry audit.Entry) error {
	if m.createErr != nil {
		return m.createErr
	}
	if m.claims == nil {
		m.claims = map[string]string{}
	}
	if m.claims[claim.Key] != claim.Replaces {
		return ErrClaimTaken
	}
	if _, ok := m.records[rec.ID]; ok {
		return errors.New("exists")
	}
	if idem != nil {
		if _, ok := m.idem[idem.KeyHash]; ok {
			return idempotency.ErrKeyUsed
		}
		m.idem[idem.KeyHash] = idem
	}
	m.claims[claim.Key] = rec.ID
	cp := *rec
	m.records[rec.ID] = &cp
	m.entries = append(m.entries, entry)
	return nil
}

func (m *memStore) MarkCustodyQueued(_ context.Context, id string, at time.Time) error {
	if m.markErr != nil {
		return m.markErr
	}
	if _, ok := m.records[id]; !ok {
		return errors.New("no such custody request")
	}
	m.queued[id] = at
	return nil
}

// memFollowUps records the commands sent.
type memFollowUps struct {
	sent []followup.Command
	err  error
}

func (f *memFollowUps) SendFollowUps(_ context.Context, cmds []followup.Command) error {
	if f.err != nil {
		return f.err
	}
	f.sent = append(f.sent, cmds...)
	return nil
}

// noWorkingDays is a WorkingDays the custody clocks never need.
type noWorkingDays struct{}

func (noWorkingDays) AddWorkingDays(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

func body(t *testing.T, r *Request) []byte {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// captureLogs sends slog's default logger to a buffer until the test ends.
var logMu sync.Mutex

func captureLogs(t *testing.T) *bytes.Buffer {
	t.Helper()
	logMu.Lock()
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(prev); logMu.Unlock() })
	return &buf
}

func TestSubmit(t *testing.T) {
	meta := audit.Request{Actor: audit.Anonymous("192.0.2.1"), Route: "POST /custody-requests", RequestID: "req-1"}
	aa := followup.KindAppropriateAdult
	s38 := followup.KindS38Accommodation
	tests := []struct {
		name       string
		body       func(t *testing.T) []byte
		sendErr    error
		markErr    error
		createErr  error
		wantCode   apperr.Code // "" for a receipt
		wantFields []string
		wantKinds  []followup.Kind
		wantDue    []time.Time
		wantQueued bool
	}{
		{
			name:       "appropriate adult only",
			body:       func(t *testing.T) []byte { return body(t, validRequest()) },
			wantKinds:  []followup.Kind{aa},
			wantDue:    []time.Time{now.Add(2 * time.Hour)},
			wantQueued: true,
		},
		{
			name: "appropriate adult and s38(6) accommodation",
			body: func(t *testing.T) []byte {
				r := validRequest()
				accommodation(r)
				return body(t, r)
			},
			wantKinds: []followup.Kind{aa, s38},
			// 23:00 GMT is after 21:00: accommodation is due at 06:00 next morning.
			wantDue:    []time.Time{now.Add(2 * time.Hour), time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)},
			wantQueued: true,
		},
		{
			name:      "send fails: stored, receipt, not queued",
			body:      func(t *testing.T) []byte { return body(t, validRequest()) },
			sendErr:   errors.New("queue down"),
			wantKinds: []followup.Kind{aa},
			wantDue:   []time.Time{now.Add(2 * time.Hour)},
		},
		{
			name:       "mark fails: stored, sent, receipt",
			body:       func(t *testing.T) []byte { return body(t, validRequest()) },
			markErr:    errors.New("table busy"),
			wantKinds:  []followup.Kind{aa},
			wantDue:    []time.Time{now.Add(2 * time.Hour)},
			wantQueued: false,
		},
		{
			name:      "store fails",
			body:      func(t *testing.T) []byte { return body(t, validRequest()) },
			createErr: errors.New("table down"),
			wantCode:  apperr.Unavailable,
		},
		{
			name: "invalid",
			body: func(t *testing.T) []byte {
				r := validRequest()
				r.Detainee.LastName, r.Officer.Phone = "", "12"
				return body(t, r)
			},
			wantCode:   apperr.Invalid,
			wantFields: []string{"officer.phone", "detainee.lastName"},
		},
		{
			name:     "malformed",
			body:     func(t *testing.T) []byte { return []byte(`{"custodySuite": 1}`) },
			wantCode: apperr.Malformed,
		},
		{
			name: "too large",
			body: func(t *testing.T) []byte {
				return []byte(`{"custodySuite":"` + strings.Repeat("x", MaxBody) + `"}`)
			},
			wantCode: apperr.TooLarge,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := captureLogs(t)
			store := newMemStore()
			store.markErr, store.createErr = tt.markErr, tt.createErr
			fus := &memFollowUps{err: tt.sendErr}
			svc := NewService(store, fus, noWorkingDays{}, func() time.Time { return now })
			got, _, err := svc.Submit(context.Background(), tt.body(t), "", meta)

			if tt.wantCode != "" {
				if apperr.CodeOf(err) != tt.wantCode {
					t.Fatalf("error %v, want code %s", err, tt.wantCode)
				}
				if got != nil {
					t.Errorf("receipt %+v with an error", got)
				}
				if tt.wantFields != nil {
					if fs := formtest.FieldsOf(t, err); !slices.Equal(fs, tt.wantFields) {
						t.Errorf("fields %q, want %q", fs, tt.wantFields)
					}
				}
				if len(store.records) != 0 || len(store.entries) != 0 || len(fus.sent) != 0 || len(store.queued) != 0 {
					t.Errorf("wrote on error: %d records, %d entries, %d sent, %d queued",
						len(store.records), len(store.entries), len(fus.sent), len(store.queued))
				}
				return
			}
			if err != nil {
				t.Fatalf("Submit: %v", err)
			}

			// The receipt.
			if !ids.IsULID(got.ID) || len(got.Reference) != ids.ReferenceLength+1 || !got.ReceivedAt.Equal(now) || got.Message == "" {
				t.Errorf("receipt %+v", got)
			}
			var kinds []followup.Kind
			var due []time.Time
			for _, f := range got.FollowUps {
				kinds = append(kinds, f.Kind)
				due = append(due, f.DueAt)
				if f.Label != f.Kind.Label() {
					t.Errorf("label %q for %s", f.Label, f.Kind)
				}
			}
			if !slices.Equal(kinds, tt.wantKinds) || !slices.EqualFunc(due, tt.wantDue, time.Time.Equal) {
				t.Errorf("follow-ups %v due %v, want %v due %v", kinds, due, tt.wantKinds, tt.wantDue)
			}

			// Stored, with its audit entry.
			rec := store.records[got.ID]
			if rec == nil {
				t.Fatal("not stored")
			}
			if rec.Reference != got.Reference || !rec.ReceivedAt.Equal(now) || rec.Request.Detainee.LastName != "Detainee" {
				t.Errorf("stored %+v", rec)
			}
			if len(store.entries) != 1 {
				t.Fatalf("%d audit entries", len(store.entries))
			}
			e := store.entries[0]
			if e.Subject != audit.Custody(got.ID) || e.Action != ActionSubmitted || e.Actor != meta.Actor ||
				e.Route != meta.Route || e.RequestID != meta.RequestID || !e.At.Equal(now) || !ids.IsULID(e.ID) {
				t.Errorf("audit entry %+v", e)
			}

			// Commands sent (unless sending failed).
			if tt.sendErr == nil {
				var sentKinds []followup.Kind
				for _, c := range fus.sent {
					sentKinds = append(sentKinds, c.Kind)
					if err := c.Validate(); err != nil {
						t.Errorf("command %+v: %v", c, err)
					}
					if c.SourceID != got.ID || !c.StartAt.Equal(now) {
						t.Errorf("command %+v", c)
					}
				}
				if !slices.Equal(sentKinds, tt.wantKinds) {
					t.Errorf("sent %v, want %v", sentKinds, tt.wantKinds)
				}
			}
			if _, queued := store.queued[got.ID]; queued != tt.wantQueued {
				t.Errorf("marked queued %v, want %v", queued, tt.wantQueued)
			}

			// No personal data in the logs; the id is there.
			out := logs.String()
			if !strings.Contains(out, got.ID) {
				t.Errorf("logs do not name the custody request: %s", out)
			}
			for _, personal := range []string{"Detainee", "Test Officer", "0161 496 0311", "TF/04512/26", "Testford", "Test reason"} {
				if strings.Contains(out, personal) {
					t.Errorf("logs contain %q: %s", personal, out)
				}
			}
		})
	}
}

// Errors returned by Submit never repeat submitted values.
func TestSubmitErrorsDoNotEchoValues(t *testing.T) {
	r := validRequest()
	r.Detainee.LastName = strings.Repeat("Secretname", 30)
	r.Officer.Phone = "Secretphone"
	svc := NewService(newMemStore(), &memFollowUps{}, noWorkingDays{}, func() time.Time { return now })
	_, _, err := svc.Submit(context.Background(), body(t, r), "", audit.Request{})
	if err == nil {
		t.Fatal("accepted")
	}
	b, _ := json.Marshal(apperr.As(err))
	if strings.Contains(err.Error(), "Secret") || strings.Contains(string(b), "Secret") {
		t.Errorf("error repeats a value: %v %s", err, b)
	}
}

func (m *memStore) Idempotency(_ context.Context, keyHash string, _ time.Time) (*idempotency.Record, error) {
	return m.idem[keyHash], nil
}

// TestSubmitWithIdempotencyKey: a police system's retry with the same key
// gets the first receipt and makes no second request; the same key with
// another request is refused naming the header; another officer's same key
// is another key.
func TestSubmitWithIdempotencyKey(t *testing.T) {
	store := newMemStore()
	svc := NewService(store, &memFollowUps{}, noWorkingDays{}, func() time.Time { return now })
	changed := validRequest()
	changed.ParentUnavailableReason = "Test: another reason."
	officer := audit.Request{Actor: audit.Actor{ID: "officer-1", Role: "police"}, Route: "POST /custody-requests", RequestID: "req-1"}
	first, replayed, err := svc.Submit(context.Background(), body(t, validRequest()), "k-1", officer)
	if err != nil || replayed {
		t.Fatalf("first: %v, replayed %v", err, replayed)
	}
	again, replayed, err := svc.Submit(context.Background(), body(t, validRequest()), "k-1", officer)
	if err != nil || !replayed || again.ID != first.ID || again.Reference != first.Reference {
		t.Fatalf("retry: %+v, replayed %v, %v; want the first receipt %s", again, replayed, err, first.ID)
	}
	if len(store.records) != 1 {
		t.Errorf("%d requests stored after a retry, want 1", len(store.records))
	}
	_, _, err = svc.Submit(context.Background(), body(t, changed), "k-1", officer)
	if apperr.CodeOf(err) != apperr.Invalid || !slices.Contains(apperr.FieldNames(err), idempotency.Header) {
		t.Errorf("same key, another request: %v; want Invalid naming %s", err, idempotency.Header)
	}
	other := officer.As(audit.Actor{ID: "officer-2", Role: "police"})
	if _, replayed, err := svc.Submit(context.Background(), body(t, validRequest()), "k-1", other); err != nil || replayed {
		t.Errorf("another officer's key: %v, replayed %v", err, replayed)
	}
	if _, _, err := svc.Submit(context.Background(), body(t, validRequest()), "a b", officer); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("a key with a space: %v", err)
	}
}

func (m *memStore) CustodyClaim(_ context.Context, key string) (string, error) {
	return m.claims[key], nil
}

func (m *memStore) CustodyRequestsByID(_ context.Context, ids []string) (map[string]*Record, error) {
	out := map[string]*Record{}
	for _, id := range ids {
		if r := m.records[id]; r != nil {
			out[id] = r
		}
	}
	return out, nil
}

func (m *memStore) FollowUp(_ context.Context, id string) (*followup.FollowUp, error) {
	if f := m.followUps[id]; f != nil {
		return f, nil
	}
	return nil, followup.ErrNotFound
}

// TestSecondRequestForACustodyRecord: a second request for the same suite
// and custody number (whatever its case and spacing) while the first is
// open is linked to it, with the first's receipt, and asks for nothing
// more; once the first's appropriate adult is done, or when the second
// asks for what the first did not, a new request is made.
func TestSecondRequestForACustodyRecord(t *testing.T) {
	store := newMemStore()
	svc := NewService(store, &memFollowUps{}, noWorkingDays{}, func() time.Time { return now })
	officer := audit.Request{Actor: audit.Actor{ID: "officer-1", Role: "police"}, Route: "POST /custody-requests"}
	first, _, err := svc.Submit(context.Background(), body(t, validRequest()), "", officer)
	if err != nil || first.Linked {
		t.Fatalf("first: %+v, %v", first, err)
	}
	again := validRequest()
	again.CustodySuite, again.CustodyNumber = "  testford central  custody suite", "tf/04512/26"
	second, _, err := svc.Submit(context.Background(), body(t, again), "", officer)
	if err != nil || !second.Linked || second.ID != first.ID || second.Reference != first.Reference || !strings.Contains(second.Message, first.Reference) {
		t.Fatalf("second while the first is open: %+v, %v; want linked to %s", second, err, first.ID)
	}
	if len(store.records) != 1 {
		t.Fatalf("%d requests stored, want 1", len(store.records))
	}
	if last := store.entries[len(store.entries)-1]; last.Action != ActionLinked || last.Subject != audit.Custody(first.ID) || last.Actor != officer.Actor {
		t.Errorf("the linked request's audit entry %+v, want %s on %s by the officer", last, ActionLinked, first.ID)
	}
	// The first one's appropriate adult has been and gone.
	aa := followup.ForCustody(first.ID, first.ReceivedAt, true, false)[0]
	store.followUps = map[string]*followup.FollowUp{aa.FollowUpID(): {ID: aa.FollowUpID(), Status: followup.StatusCompleted}}
	third, _, err := svc.Submit(context.Background(), body(t, again), "", officer)
	if err != nil || third.Linked || third.ID == first.ID {
		t.Fatalf("after the first is done: %+v, %v; want a new request", third, err)
	}
	if len(store.records) != 2 || store.claims[ClaimKey(again.CustodySuite, again.CustodyNumber)] != third.ID {
		t.Errorf("%d requests; the claim is held by %s, want %s", len(store.records), store.claims[ClaimKey(again.CustodySuite, again.CustodyNumber)], third.ID)
	}
	// Another custody number is another record.
	other := validRequest()
	other.CustodyNumber = "TF/09999/26"
	if r, _, err := svc.Submit(context.Background(), body(t, other), "", officer); err != nil || r.Linked {
		t.Errorf("another custody number: %+v, %v", r, err)
	}
}

func (m *memStore) AppendAudits(_ context.Context, es []audit.Entry) error {
	m.entries = append(m.entries, es...)
	return nil
}
