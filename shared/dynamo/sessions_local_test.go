package dynamo_test

import (
	"errors"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/web/session"
)

// TestSessions: a pending session is saved and read back, used up when
// its person signs in and replaced by an active one under a new id; a save
// that does not follow the version read is refused; a session past its
// idle time is not found.
func TestSessions(t *testing.T) {
	f := newFixture(t)
	p := session.NewPending("/staff/queue", "verifier", t0)
	if err := f.store.SaveSession(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	if !p.ExpiresAt.Equal(t0.Add(session.SigningIn)) || p.Version != 1 {
		t.Errorf("pending: version %d, expires %v", p.Version, p.ExpiresAt)
	}
	got, err := f.store.Session(t.Context(), p.ID, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != session.Pending || got.State != p.State || got.Nonce != p.Nonce || got.Verifier != "verifier" || got.ReturnTo != "/staff/queue" {
		t.Errorf("read back %+v", got)
	}
	stale := *got
	active := got.Activate(auth.Principal{Subject: "sub-1", Roles: []auth.Role{auth.MASH}}, "https://issuer.example", t0.Add(2*time.Minute))
	if err := f.store.SaveSession(t.Context(), got); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SaveSession(t.Context(), &stale); !errors.Is(err, session.ErrChanged) {
		t.Errorf("stale save: %v", err)
	}
	if _, err := f.store.Session(t.Context(), p.ID, t0.Add(3*time.Minute)); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("the used-up pending session: %v, want ErrNotFound", err)
	}
	if err := f.store.SaveSession(t.Context(), active); err != nil {
		t.Fatal(err)
	}
	a, err := f.store.Session(t.Context(), active.ID, t0.Add(3*time.Minute))
	if err != nil || a.Subject != "sub-1" || a.Issuer != "https://issuer.example" || len(a.Roles) != 1 || a.Roles[0] != auth.MASH || a.CSRF == "" || a.ID == p.ID {
		t.Fatalf("active %+v, %v", a, err)
	}
	if _, err := f.store.Session(t.Context(), active.ID, t0.Add(2*time.Minute+session.Idle)); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("past its idle time: %v, want ErrNotFound", err)
	}
}
