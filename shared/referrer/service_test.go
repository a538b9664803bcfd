package referrer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// memStore is a Store in memory that keeps the all-or-nothing promise of
// AddAddendum.
type memStore struct {
	referrals map[string]*Referral // by reference
	addenda   []Addendum
	audit     []audit.Entry
	idem      map[string]*idempotency.Record
	guesses   map[guessKey]int // tries counted, by reference and window
	lookups   int              // calls of ReferralByReference
	err       error            // returned by every call when set
	auditErr  error            // returned by AppendAudit and AddAddendum when set
	guessErr  error            // returned by TakeGuess when set
}

type guessKey struct {
	reference string
	window    time.Time
}

func newStore(recs ...*Referral) *memStore {
	st := &memStore{referrals: map[string]*Referral{}, idem: map[string]*idempotency.Record{}, guesses: map[guessKey]int{}}
	for _, r := range recs {
		st.referrals[r.Reference] = r
	}
	return st
}

func (m *memStore) ReferralByReference(_ context.Context, reference string) (*Referral, error) {
	m.lookups++
	if m.err != nil {
		return nil, m.err
	}
	r, ok := m.referrals[reference]
	if !ok {
		return nil, ErrNotFound
	}
	c := *r
	return &c, nil
}

func (m *memStore) AddendaSent(_ context.Context, id string) ([]Sent, error) {
	if m.err != nil {
		return nil, m.err
	}
	var out []Sent
	for _, a := range m.addenda {
		if a.ReferralID == id {
			out = append(out, Sent{ID: a.ID, ReceivedAt: a.ReceivedAt})
		}
	}
	return out, nil
}

func (m *memStore) AppendAudit(_ context.Context, e audit.Entry) error {
	if m.auditErr != nil {
		return m.auditErr
	}
	m.audit = append(m.audit, e)
	return nil
}

func (m *memStore) AddAddendum(_ context.Context, a *Addendum, idem *idempotency.Record, e audit.Entry, max int) error {
	if m.auditErr != nil {
		return m.auditErr
	}
	if idem != nil && m.idem[idem.KeyHash] != nil {
		return idempotency.ErrKeyUsed
	}
	n := 0
	for _, x := range m.addenda {
		if x.ReferralID == a.ReferralID {
			n++
		}
	}
	if n >= max {
		return ErrTooManyAddenda
	}
	if idem != nil {
		m.idem[idem.KeyHash] = idem
	}
	m.addenda = append(m.addenda, *a)
	m.audit = append(m.audit, e)
	return nil
}

func (m *memStore) TakeGuess(_ context.Context, reference string, window time.Time, max int, expires time.Time) error {
	if m.guessErr != nil {
		return m.guessErr
	}
	if !expires.After(window.Add(GuessWindow)) {
		return errors.New("the count would be forgotten before its window ends")
	}
	k := guessKey{reference, window}
	if m.guesses[k] >= max {
		return ErrTooManyGuesses
	}
	m.guesses[k]++
	return nil
}

func (m *memStore) GiveBackGuess(_ context.Context, reference string, window time.Time) error {
	k := guessKey{reference, window}
	if m.guesses[k] == 0 {
		return errors.New("nothing to give back")
	}
	m.guesses[k]--
	return nil
}

func (m *memStore) Idempotency(_ context.Context, keyHash string, _ time.Time) (*idempotency.Record, error) {
	return m.idem[keyHash], nil
}

var (
	t0      = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	now     = t0.Add(26*time.Hour + 123456789*time.Nanosecond)
	decided = t0.Add(25 * time.Hour)
)

const (
	tokenA = "tokenA-0123456789abcdefghijklmnopqrstuvwxyz"
	tokenB = "tokenB-0123456789abcdefghijklmnopqrstuvwxyz"
)

// twoReferrals returns a store with referral A (7K3Q-9F2H, awaiting a
// decision) and referral B (2345-6789, decided), each with its own token.
func twoReferrals() *memStore {
	return newStore(
		&Referral{ID: "01KAQ3AAAAAAAAAAAAAAAAAAAA", Reference: "7K3Q-9F2H", Status: referral.StatusAwaitingDecision, ReceivedAt: t0, ReceiptTokenHash: ids.Hash(tokenA)},
		&Referral{ID: "01KAQ3BBBBBBBBBBBBBBBBBBBB", Reference: "2345-6789", Status: referral.StatusDecided, ReceivedAt: t0, ReceiptTokenHash: ids.Hash(tokenB), DecidedAt: &decided},
	)
}

func request(reference, token string) Request {
	return Request{Reference: reference, Token: token, Request: audit.Request{Actor: audit.Anonymous("192.0.2.9"), Route: "GET /referrer/referrals/{reference}", RequestID: "req-1"}}
}

func addendum(reference, token, body, key string) AddendumRequest {
	r := request(reference, token)
	r.Route = "POST /referrer/referrals/{reference}/addenda"
	return AddendumRequest{Request: r, Body: []byte(body), IdempotencyKey: key}
}

const validBody = `{"information":"The child told a teacher again today.","urgent":false}`

func TestStageOf(t *testing.T) {
	tests := []struct {
		status referral.Status
		want   Stage
	}{
		{referral.StatusReceived, StageReceived},
		{referral.StatusQueued, StageReceived},
		{referral.StatusAwaitingDecision, StageWithMASH},
		{referral.StatusDecided, StageDecided},
		{"TRANSFERRED", StageWithMASH}, // unknown: with the MASH
		{"", StageWithMASH},
	}
	for _, tt := range tests {
		if got := StageOf(tt.status); got != tt.want {
			t.Errorf("StageOf(%q) = %q, want %q", tt.status, got, tt.want)
		}
		if descriptions[StageOf(tt.status)] == "" {
			t.Errorf("no description for stage %q", StageOf(tt.status))
		}
	}
}

// Every way of not matching a referral gets the same answer, and neither
// route writes or reveals anything.
func TestNotFoundForEveryFailure(t *testing.T) {
	tests := []struct {
		name, reference, token string
		wantLookup             bool
	}{
		{"unknown reference", "2345-6788", tokenA, true},
		{"wrong token", "7K3Q-9F2H", "not-the-token", true},
		{"token of another referral", "7K3Q-9F2H", tokenB, true},
		{"token differs in case", "7K3Q-9F2H", strings.ToUpper(tokenA), true},
		{"malformed reference", "7K3Q-9F2", tokenA, false},
		{"reference with letters never used", "7K3O-9F2H", tokenA, false},
		{"reference path trick", "../7K3Q-9F2H", tokenA, false},
		{"empty reference", "", tokenA, false},
	}
	for _, tt := range tests {
		for _, route := range []string{"status", "addendum"} {
			t.Run(tt.name+"/"+route, func(t *testing.T) {
				st := twoReferrals()
				svc := New(st, func() time.Time { return now })
				var err error
				if route == "status" {
					var got *Status
					got, err = svc.Status(context.Background(), request(tt.reference, tt.token))
					if got != nil {
						t.Errorf("status returned: %+v", got)
					}
				} else {
					_, _, err = svc.AddAddendum(context.Background(), addendum(tt.reference, tt.token, validBody, "k1"))
				}
				e := apperr.As(err)
				if e == nil || e.Code != apperr.NotFound || e.Message != notFoundMessage || len(e.Fields) != 0 {
					t.Fatalf("error %v; want exactly the one not-found problem", err)
				}
				if e.Err != nil {
					t.Errorf("the not-found error carries a cause (%v): every failure must look the same", e.Err)
				}
				if (st.lookups > 0) != tt.wantLookup {
					t.Errorf("lookups = %d, want a lookup: %v", st.lookups, tt.wantLookup)
				}
				if counted := len(st.guesses) == 1; counted != tt.wantLookup {
					t.Errorf("tries counted %v, want the try counted: %v", st.guesses, tt.wantLookup)
				}
				if len(st.audit) != 0 || len(st.addenda) != 0 || len(st.idem) != 0 {
					t.Errorf("written: %d audit, %d addenda, %d idempotency records", len(st.audit), len(st.addenda), len(st.idem))
				}
			})
		}
	}
}

func TestMissingTokenNamesTheHeader(t *testing.T) {
	st := twoReferrals()
	svc := New(st, func() time.Time { return now })
	_, err := svc.Status(context.Background(), request("7K3Q-9F2H", ""))
	_, _, err2 := svc.AddAddendum(context.Background(), addendum("7K3Q-9F2H", "", validBody, ""))
	for _, err := range []error{err, err2} {
		e := apperr.As(err)
		if e == nil || e.Code != apperr.Malformed || len(e.Fields) != 1 || e.Fields[0].Field != TokenHeader {
			t.Fatalf("error %v; want Malformed naming %s", err, TokenHeader)
		}
	}
	if st.lookups != 0 || len(st.audit) != 0 {
		t.Errorf("a request without a token looked up %d referrals and wrote %d audit entries", st.lookups, len(st.audit))
	}
}

func TestStatus(t *testing.T) {
	second := t0.Add(2 * time.Hour)
	tests := []struct {
		name        string
		reference   string
		token       string
		status      referral.Status
		addenda     []time.Time
		wantStage   Stage
		wantDecided bool
	}{
		{"received", "7K3Q-9F2H", tokenA, referral.StatusReceived, nil, StageReceived, false},
		{"queued", "7K3Q-9F2H", tokenA, referral.StatusQueued, nil, StageReceived, false},
		{"with the MASH, typed in lower case with a space", "7k3q 9f2h", tokenA, referral.StatusAwaitingDecision, []time.Time{t0.Add(time.Hour), second}, StageWithMASH, false},
		{"typed without the hyphen", "7K3Q9F2H", tokenA, referral.StatusAwaitingDecision, nil, StageWithMASH, false},
		{"decided", "2345-6789", tokenB, referral.StatusDecided, []time.Time{second}, StageDecided, true},
		{"unknown status", "7K3Q-9F2H", tokenA, "SOMETHING_NEW", nil, StageWithMASH, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := twoReferrals()
			ref, _ := ids.NormaliseReference(tt.reference)
			rec := st.referrals[ref]
			rec.Status = tt.status
			rec.DecidedAt = &decided // set even when not decided: must not show
			for _, at := range tt.addenda {
				st.addenda = append(st.addenda, Addendum{ID: ids.NewULID(at), ReferralID: rec.ID, ReceivedAt: at, Information: "secret text"})
			}
			got, err := New(st, func() time.Time { return now }).Status(context.Background(), request(tt.reference, tt.token))
			if err != nil {
				t.Fatal(err)
			}
			if got.Reference != ref || !got.ReceivedAt.Equal(t0) || got.Status != tt.wantStage || got.Description != descriptions[tt.wantStage] {
				t.Errorf("got %+v", got)
			}
			if (got.DecidedAt != nil) != tt.wantDecided {
				t.Errorf("decidedAt = %v, want shown: %v", got.DecidedAt, tt.wantDecided)
			}
			if got.AddendaCount != len(tt.addenda) || len(got.Addenda) != len(tt.addenda) {
				t.Fatalf("addenda %d %v, want %d", got.AddendaCount, got.Addenda, len(tt.addenda))
			}
			for i, at := range tt.addenda {
				if !got.Addenda[i].ReceivedAt.Equal(at) {
					t.Errorf("addendum %d at %v, want %v", i, got.Addenda[i].ReceivedAt, at)
				}
			}
			if len(st.audit) != 1 {
				t.Fatalf("%d audit entries, want 1", len(st.audit))
			}
			e := st.audit[0]
			if e.Action != ActionStatusChecked || e.Subject != audit.Referral(rec.ID) || e.Actor != audit.Anonymous("192.0.2.9") ||
				!e.At.Equal(now) || e.Route != "GET /referrer/referrals/{reference}" || e.RequestID != "req-1" {
				t.Errorf("audit entry %+v", e)
			}
			body, _ := json.Marshal(got)
			if bytes.Contains(body, []byte("secret text")) || bytes.Contains(body, []byte(rec.ID)) {
				t.Errorf("the status shows content or the referral id: %s", body)
			}
			var keys map[string]any
			_ = json.Unmarshal(body, &keys)
			for k := range keys {
				if !slices.Contains([]string{"reference", "receivedAt", "status", "description", "decidedAt", "addendaCount", "addenda"}, k) {
					t.Errorf("the status has an unexpected member %q", k)
				}
			}
		})
	}
}

// A status check that cannot be audited is refused; one with no addenda
// lists none as an empty list.
func TestStatusStoreFailures(t *testing.T) {
	st := twoReferrals()
	st.auditErr = errors.New("dynamodb down")
	_, err := New(st, func() time.Time { return now }).Status(context.Background(), request("7K3Q-9F2H", tokenA))
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Errorf("audit failure: %v, want Unavailable", err)
	}
	st = twoReferrals()
	st.err = errors.New("dynamodb down")
	_, err = New(st, func() time.Time { return now }).Status(context.Background(), request("7K3Q-9F2H", tokenA))
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Errorf("lookup failure: %v, want Unavailable (not the not-found answer)", err)
	}
	st = twoReferrals()
	got, err := New(st, func() time.Time { return now }).Status(context.Background(), request("7K3Q-9F2H", tokenA))
	if err != nil {
		t.Fatal(err)
	}
	if body, _ := json.Marshal(got); !bytes.Contains(body, []byte(`"addenda":[]`)) {
		t.Errorf("no addenda: %s; want an empty list", body)
	}
}

// captureLogs sends the default logger to a buffer for the test.
func captureLogs(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return &buf
}

func TestAddAddendum(t *testing.T) {
	tests := []struct {
		name        string
		reference   string
		token       string
		body        string
		wantUrgent  bool
		wantWarning bool
		wantInMsg   []string
		wantNotMsg  []string
	}{
		{"not urgent", "7K3Q-9F2H", tokenA, validBody, false, false, []string{"7K3Q-9F2H", "unchanged"}, []string{"999", "decision"}},
		{"urgent", "7k3q-9f2h", tokenA, `{"urgent":true,"information":"He has gone missing again."}`, true, false, []string{"999"}, []string{"decision"}},
		{"urgent on a decided referral", "2345-6789", tokenB, `{"information":"She is back with him.","urgent":true}`, true, true, []string{"999", "telephone"}, nil},
		{"not urgent on a decided referral", "2345-6789", tokenB, validBody, false, false, nil, []string{"999", "telephone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := captureLogs(t)
			st := twoReferrals()
			ref, _ := ids.NormaliseReference(tt.reference)
			rec := st.referrals[ref]
			r, replayed, err := New(st, func() time.Time { return now }).AddAddendum(context.Background(), addendum(tt.reference, tt.token, tt.body, "key-1"))
			if err != nil || replayed {
				t.Fatalf("AddAddendum: %v, replayed %v", err, replayed)
			}
			var form Form
			_ = json.Unmarshal([]byte(tt.body), &form)
			if len(st.addenda) != 1 {
				t.Fatalf("%d addenda stored", len(st.addenda))
			}
			a := st.addenda[0]
			if a.ReferralID != rec.ID || a.Information != form.Information || a.Urgent != tt.wantUrgent || !a.ReceivedAt.Equal(now.Truncate(time.Millisecond)) || !ids.IsULID(a.ID) {
				t.Errorf("stored %+v", a)
			}
			if r.ID != a.ID || r.Reference != rec.Reference || !r.ReceivedAt.Equal(now.Truncate(time.Millisecond)) || r.Urgent != tt.wantUrgent {
				t.Errorf("receipt %+v", r)
			}
			for _, s := range tt.wantInMsg {
				if !strings.Contains(r.Message, s) {
					t.Errorf("message %q lacks %q", r.Message, s)
				}
			}
			for _, s := range tt.wantNotMsg {
				if strings.Contains(r.Message, s) {
					t.Errorf("message %q has %q", r.Message, s)
				}
			}
			if len(st.audit) != 1 || st.audit[0].Action != ActionAddendumAdded || st.audit[0].Subject != audit.Referral(rec.ID) ||
				st.audit[0].Actor != audit.Anonymous("192.0.2.9") {
				t.Errorf("audit %+v", st.audit)
			}
			idem := st.idem[idempotency.Key{Route: "POST /referrer/referrals/{reference}/addenda", Scope: rec.ID, Value: "key-1"}.Hash()]
			if idem == nil || idem.ReferralID != rec.ID || !idem.ExpiresAt.Equal(now.Truncate(time.Millisecond).Add(idempotency.TTL)) {
				t.Errorf("idempotency record %+v", idem)
			}
			if strings.Contains(logs.String(), form.Information) {
				t.Errorf("the logs hold the information: %s", logs)
			}
			warned := strings.Contains(logs.String(), `"level":"WARN"`)
			if warned != tt.wantWarning {
				t.Errorf("warning logged: %v, want %v: %s", warned, tt.wantWarning, logs)
			}
			if warned && !strings.Contains(logs.String(), `"referralId":"`+rec.ID+`"`) {
				t.Errorf("the warning does not name the referral: %s", logs)
			}
		})
	}
}

func TestAddAddendumIdempotency(t *testing.T) {
	other := `{"information":"Something else entirely.","urgent":false}`
	tests := []struct {
		name         string
		first, again AddendumRequest
		wantReplay   bool
		wantCode     apperr.Code
		wantAddenda  int
	}{
		{"same key, same addendum: the first receipt", addendum("7K3Q-9F2H", tokenA, validBody, "k"), addendum("7K3Q-9F2H", tokenA, validBody, "k"), true, "", 1},
		{"same key, same addendum with other spacing", addendum("7K3Q-9F2H", tokenA, validBody, "k"),
			addendum("7k3q9f2h", tokenA, strings.ReplaceAll(validBody, ",", " , "), "k"), true, "", 1},
		{"same key, other addendum: refused", addendum("7K3Q-9F2H", tokenA, validBody, "k"), addendum("7K3Q-9F2H", tokenA, other, "k"), false, apperr.Invalid, 1},
		{"same key on another referral: its own addendum", addendum("7K3Q-9F2H", tokenA, validBody, "k"), addendum("2345-6789", tokenB, validBody, "k"), false, "", 2},
		{"no key: two addenda", addendum("7K3Q-9F2H", tokenA, validBody, ""), addendum("7K3Q-9F2H", tokenA, validBody, ""), false, "", 2},
		{"other key: two addenda", addendum("7K3Q-9F2H", tokenA, validBody, "k"), addendum("7K3Q-9F2H", tokenA, validBody, "k2"), false, "", 2},
		{"same key, wrong token: not found, never the receipt", addendum("7K3Q-9F2H", tokenA, validBody, "k"), addendum("7K3Q-9F2H", tokenB, validBody, "k"), false, apperr.NotFound, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := twoReferrals()
			svc := New(st, func() time.Time { return now })
			first, _, err := svc.AddAddendum(context.Background(), tt.first)
			if err != nil {
				t.Fatal(err)
			}
			again, replayed, err := svc.AddAddendum(context.Background(), tt.again)
			if apperr.CodeOf(err) != tt.wantCode && !(err == nil && tt.wantCode == "") {
				t.Fatalf("again: %v, want code %q", err, tt.wantCode)
			}
			if tt.wantCode == apperr.Invalid {
				if e := apperr.As(err); len(e.Fields) != 1 || e.Fields[0].Field != "Idempotency-Key" {
					t.Errorf("fields %+v, want Idempotency-Key", e.Fields)
				}
			}
			if replayed != tt.wantReplay {
				t.Errorf("replayed = %v, want %v", replayed, tt.wantReplay)
			}
			if tt.wantReplay && *again != *first {
				t.Errorf("replay %+v, want the first receipt %+v", again, first)
			}
			if len(st.addenda) != tt.wantAddenda {
				t.Errorf("%d addenda stored, want %d", len(st.addenda), tt.wantAddenda)
			}
		})
	}
}

func TestAddAddendumRefusals(t *testing.T) {
	full := func() *memStore {
		st := twoReferrals()
		for i := 0; i < MaxAddenda; i++ {
			st.addenda = append(st.addenda, Addendum{ID: ids.NewULID(t0), ReferralID: "01KAQ3AAAAAAAAAAAAAAAAAAAA", ReceivedAt: t0})
		}
		return st
	}
	down := func() *memStore { st := twoReferrals(); st.auditErr = errors.New("dynamodb down"); return st }
	tests := []struct {
		name      string
		store     func() *memStore
		req       AddendumRequest
		want      apperr.Code
		wantField string
		lookup    bool
	}{
		{"key with a space", twoReferrals, addendum("7K3Q-9F2H", tokenA, validBody, "a key"), apperr.Invalid, "Idempotency-Key", false},
		{"key too long", twoReferrals, addendum("7K3Q-9F2H", tokenA, validBody, strings.Repeat("k", 256)), apperr.Invalid, "Idempotency-Key", false},
		{"not JSON", twoReferrals, addendum("7K3Q-9F2H", tokenA, `{"information":`, ""), apperr.Malformed, "", false},
		{"unknown field", twoReferrals, addendum("7K3Q-9F2H", tokenA, `{"information":"x","urgent":false,"childName":"x"}`, ""), apperr.Malformed, "childName", false},
		{"urgent as text", twoReferrals, addendum("7K3Q-9F2H", tokenA, `{"information":"x","urgent":"yes"}`, ""), apperr.Malformed, "urgent", false},
		{"no information", twoReferrals, addendum("7K3Q-9F2H", tokenA, `{"urgent":false}`, ""), apperr.Invalid, "information", false},
		{"too large", twoReferrals, addendum("7K3Q-9F2H", tokenA, `{"information":"`+strings.Repeat("x", MaxBodyBytes)+`","urgent":false}`, ""), apperr.TooLarge, "", false},
		{"a hundred already", full, addendum("7K3Q-9F2H", tokenA, validBody, ""), apperr.Conflict, "", true},
		{"store down", down, addendum("7K3Q-9F2H", tokenA, validBody, ""), apperr.Unavailable, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.store()
			before := len(st.addenda)
			_, _, err := New(st, func() time.Time { return now }).AddAddendum(context.Background(), tt.req)
			e := apperr.As(err)
			if e == nil || e.Code != tt.want {
				t.Fatalf("error %v, want code %s", err, tt.want)
			}
			if tt.wantField != "" && (len(e.Fields) == 0 || e.Fields[0].Field != tt.wantField) {
				t.Errorf("fields %+v, want %s", e.Fields, tt.wantField)
			}
			if (st.lookups > 0) != tt.lookup {
				t.Errorf("lookups %d, want a lookup: %v", st.lookups, tt.lookup)
			}
			if len(st.addenda) != before || len(st.audit) != 0 || len(st.idem) != 0 {
				t.Errorf("something was written")
			}
		})
	}
}

// Tries on one reference that fail are bounded in each window, known
// reference or not, and the answer once they are used up is the same for
// both; tries that succeed are given back.
func TestGuessesBounded(t *testing.T) {
	window := now.Truncate(GuessWindow)
	wantRetry := window.Add(GuessWindow).Sub(now)
	tests := []struct {
		name      string
		reference string // the reference tried, with a wrong token
		after     string // then tried with tokenA, once the tries are used up
		succeeds  int    // successful tries with tokenA before the wrong ones
	}{
		{"known reference", "7K3Q-9F2H", "7K3Q-9F2H", 0},
		{"known reference after successes", "7K3Q-9F2H", "7K3Q-9F2H", 2 * MaxGuesses},
		{"known reference typed differently", "7k3q 9f2h", "7K3Q9F2H", 0},
		{"unknown reference", "2345-6788", "2345-6788", 0},
	}
	for _, tt := range tests {
		for _, route := range []string{"status", "addendum"} {
			t.Run(tt.name+"/"+route, func(t *testing.T) {
				st := twoReferrals()
				clock := now
				svc := New(st, func() time.Time { return clock })
				try := func(reference, token string) error {
					if route == "status" {
						_, err := svc.Status(context.Background(), request(reference, token))
						return err
					}
					_, _, err := svc.AddAddendum(context.Background(), addendum(reference, token, validBody, ""))
					return err
				}
				for i := range tt.succeeds {
					if err := try("7K3Q-9F2H", tokenA); err != nil {
						t.Fatalf("success %d: %v", i+1, err)
					}
				}
				for i := range MaxGuesses {
					if err := try(tt.reference, "wrong"); apperr.CodeOf(err) != apperr.NotFound {
						t.Fatalf("wrong try %d: %v, want the not-found answer", i+1, err)
					}
				}
				lookups := st.lookups
				err := try(tt.after, tokenA)
				e := apperr.As(err)
				if e == nil || e.Code != apperr.TooMany || e.RetryAfter != wantRetry {
					t.Fatalf("try %d with the right token: %v, want TooMany with RetryAfter %v", MaxGuesses+1, err, wantRetry)
				}
				if want := "try again in 15 minutes"; !strings.Contains(e.Message, want) {
					t.Errorf("message %q does not say %q", e.Message, want)
				}
				if st.lookups != lookups {
					t.Errorf("a refused try looked the reference up")
				}
				if err := try("2345-6789", tokenB); err != nil {
					t.Errorf("another reference is refused too: %v", err)
				}
				clock = window.Add(GuessWindow)
				wantErr := apperr.NotFound // the unknown reference is still unknown
				if tt.after == "7K3Q-9F2H" || tt.after == "7K3Q9F2H" {
					wantErr = ""
				}
				if err := try(tt.after, tokenA); (err == nil) != (wantErr == "") || (err != nil && apperr.CodeOf(err) != wantErr) {
					t.Errorf("in the next window: %v, want %q", err, wantErr)
				}
			})
		}
	}
}

// The message for the last minute of a window says one minute; a store that
// cannot count tries refuses the try as unavailable; a malformed reference,
// which is looked up nowhere, is counted nowhere.
func TestGuessesEdges(t *testing.T) {
	st := twoReferrals()
	end := now.Truncate(GuessWindow).Add(GuessWindow)
	svc := New(st, func() time.Time { return end.Add(-30 * time.Second) })
	for range MaxGuesses {
		_, _ = svc.Status(context.Background(), request("7K3Q-9F2H", "wrong"))
	}
	_, err := svc.Status(context.Background(), request("7K3Q-9F2H", tokenA))
	if e := apperr.As(err); e == nil || !strings.Contains(e.Message, "try again in 1 minute.") || e.RetryAfter != 30*time.Second {
		t.Errorf("last half minute: %v", err)
	}

	st = twoReferrals()
	st.guessErr = errors.New("dynamodb down")
	_, err = New(st, func() time.Time { return now }).Status(context.Background(), request("7K3Q-9F2H", tokenA))
	if apperr.CodeOf(err) != apperr.Unavailable || st.lookups != 0 {
		t.Errorf("counting fails: %v after %d lookups, want Unavailable before any", err, st.lookups)
	}

	st = twoReferrals()
	svc = New(st, func() time.Time { return now })
	for range 3 * MaxGuesses {
		_, _ = svc.Status(context.Background(), request("7K3Q-9F2", tokenA))
	}
	if len(st.guesses) != 0 {
		t.Errorf("malformed references counted: %v", st.guesses)
	}
	if _, err := svc.Status(context.Background(), request("7K3Q-9F2H", tokenA)); err != nil {
		t.Errorf("after malformed tries: %v", err)
	}
}
