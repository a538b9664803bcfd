package idempotency

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
)

// TestKeyHashIsScoped: a key is another key on another route, in another
// scope, or with its parts moved across the boundary.
func TestKeyHashIsScoped(t *testing.T) {
	base := Key{Route: "POST /helpline-calls", Scope: "adviser-1", Value: "key-1"}
	tests := []struct {
		name  string
		other Key
	}{
		{"another adviser", Key{Route: "POST /helpline-calls", Scope: "adviser-2", Value: "key-1"}},
		{"another key", Key{Route: "POST /helpline-calls", Scope: "adviser-1", Value: "key-2"}},
		{"another route", Key{Route: "POST /referrals", Scope: "adviser-1", Value: "key-1"}},
		{"no scope", Key{Route: "POST /helpline-calls", Value: "key-1"}},
		{"the boundary moved", Key{Route: "POST /helpline-calls", Scope: "adviser-1key", Value: "-1"}},
		{"route and scope run together", Key{Route: "POST /helpline-callsadviser-1", Value: "key-1"}},
	}
	for _, tt := range tests {
		if tt.other.Hash() == base.Hash() {
			t.Errorf("%s: same hash as %+v", tt.name, base)
		}
	}
	if base.Hash() != (Key{Route: "POST /helpline-calls", Scope: "adviser-1", Value: "key-1"}).Hash() || len(base.Hash()) != 64 {
		t.Errorf("the hash %q is not a stable SHA-256", base.Hash())
	}
}

func TestKeyCheck(t *testing.T) {
	tests := []struct {
		key string
		ok  bool
	}{
		{"", true},
		{"0f8fad5b-d9cb-469f-a165-70867728950e", true},
		{strings.Repeat("k", MaxKeyLength), true},
		{strings.Repeat("k", MaxKeyLength+1), false},
		{"a b", false},
		{"clé", false},
		{"tab\there", false},
		{"\x7f", false},
	}
	for _, tt := range tests {
		err := Key{Value: tt.key}.Check()
		if tt.ok != (err == nil) {
			t.Errorf("Check(%q) = %v, want ok %v", tt.key, err, tt.ok)
		}
		if err != nil && (apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(strings.Join(apperr.FieldNames(err), ","), Header)) {
			t.Errorf("Check(%q) = %v, want Invalid naming %s", tt.key, err, Header)
		}
	}
}

type receipt struct {
	ID string `json:"id"`
}

type store struct {
	rec *Record
	err error
}

func (s store) Idempotency(context.Context, string, time.Time) (*Record, error) { return s.rec, s.err }

func TestNewRecordAndReplay(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	key := Key{Route: "POST /referrals", Value: "k1"}
	if rec, err := NewRecord(Key{Route: "POST /referrals"}, "body", receipt{"r1"}, "r1", now); rec != nil || err != nil {
		t.Fatalf("no key: %+v, %v; want nothing kept", rec, err)
	}
	first, err := NewRecord(key, map[string]string{"a": "1"}, receipt{"r1"}, "r1", now)
	if err != nil {
		t.Fatal(err)
	}
	if first.KeyHash != key.Hash() || first.ReferralID != "r1" || !first.ExpiresAt.Equal(now.Add(TTL)) || string(first.Response) != `{"id":"r1"}` {
		t.Fatalf("record %+v", first)
	}
	same, _ := NewRecord(key, map[string]string{"a": "1"}, receipt{"r2"}, "r2", now)
	other, _ := NewRecord(key, map[string]string{"a": "2"}, receipt{"r3"}, "r3", now)
	if same.RequestHash != first.RequestHash || other.RequestHash == first.RequestHash {
		t.Fatal("the request hash does not tell requests apart")
	}

	tests := []struct {
		name   string
		store  store
		retry  *Record
		want   string
		code   apperr.Code
		naming string
	}{
		{"the same request: the first answer", store{rec: first}, same, "r1", "", ""},
		{"another request with the key", store{rec: first}, other, "", apperr.Invalid, Header},
		{"expired meanwhile", store{}, same, "", apperr.Conflict, ""},
		{"the store fails", store{err: errors.New("timeout")}, same, "", apperr.Unavailable, ""},
		{"a kept answer that cannot be read", store{rec: &Record{RequestHash: first.RequestHash, Response: []byte("{")}}, same, "", apperr.Internal, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Replay[receipt](context.Background(), tt.store, tt.retry, now, "referral")
			if tt.code != "" {
				if apperr.CodeOf(err) != tt.code || (tt.naming != "" && !strings.Contains(strings.Join(apperr.FieldNames(err), ","), tt.naming)) {
					t.Fatalf("err %v, want %s naming %q", err, tt.code, tt.naming)
				}
				return
			}
			if err != nil || r.ID != tt.want {
				t.Fatalf("Replay = %+v, %v; want %s", r, err, tt.want)
			}
		})
	}
}
