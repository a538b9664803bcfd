package session

import (
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

var t0 = time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)

// A session ends after 30 idle minutes, after 10 hours however busy, ten
// minutes into signing in, and at once when ended.
func TestCheck(t *testing.T) {
	active := func(lastSeen time.Duration) *Session {
		return &Session{Status: Active, StartedAt: t0, LastSeenAt: t0.Add(lastSeen)}
	}
	tests := []struct {
		name string
		s    *Session
		want Status
		at   time.Duration
		ok   bool
	}{
		{"just signed in", active(0), Active, time.Minute, true},
		{"29 idle minutes", active(0), Active, 29 * time.Minute, true},
		{"30 idle minutes", active(0), Active, 30 * time.Minute, false},
		{"busy, 9 hours 59", active(9*time.Hour + 50*time.Minute), Active, 9*time.Hour + 59*time.Minute, true},
		{"busy, 10 hours", active(9*time.Hour + 59*time.Minute), Active, 10 * time.Hour, false},
		{"pending, 9 minutes", &Session{Status: Pending, StartedAt: t0, LastSeenAt: t0}, Pending, 9 * time.Minute, true},
		{"pending, 10 minutes", &Session{Status: Pending, StartedAt: t0, LastSeenAt: t0}, Pending, 10 * time.Minute, false},
		{"pending is not active", &Session{Status: Pending, StartedAt: t0, LastSeenAt: t0}, Active, time.Minute, false},
		{"active is not pending", active(0), Pending, time.Minute, false},
		{"ended", &Session{Status: Ended, StartedAt: t0, LastSeenAt: t0}, Active, 0, false},
		{"ended, asked as ended", &Session{Status: Ended, StartedAt: t0, LastSeenAt: t0}, Ended, 0, false},
	}
	for _, tt := range tests {
		if err := tt.s.Check(tt.want, t0.Add(tt.at)); (err == nil) != tt.ok {
			t.Errorf("%s: Check = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

// Signing in ends the pending session and makes an active one under a new
// id, with a form token and without the sign-in secrets.
func TestActivate(t *testing.T) {
	p := NewPending("/staff", "v", t0)
	if p.ID == "" || p.State == "" || p.Nonce == "" || p.State == p.Nonce || p.Status != Pending {
		t.Fatalf("pending %+v", p)
	}
	a := p.Activate(auth.Principal{Subject: "s", Roles: []auth.Role{auth.MASH}}, "https://issuer.example", t0.Add(time.Minute))
	if p.Status != Ended || p.State != "" || p.Nonce != "" || p.Verifier != "" {
		t.Errorf("the pending session after sign-in %+v", p)
	}
	if a.ID == p.ID || a.Status != Active || a.Subject != "s" || a.Issuer != "https://issuer.example" || a.CSRF == "" || a.State != "" || !a.StartedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("active %+v", a)
	}
	if err := a.Check(Active, t0.Add(2*time.Minute)); err != nil {
		t.Error(err)
	}
	a.End(t0.Add(3 * time.Minute))
	if err := a.Check(Active, t0.Add(3*time.Minute)); err == nil || a.CSRF != "" {
		t.Error("an ended session still works")
	}
}

// A request saves the session at most once a minute.
func TestTouch(t *testing.T) {
	s := &Session{Status: Active, StartedAt: t0, LastSeenAt: t0}
	if s.Touch(t0.Add(59 * time.Second)) {
		t.Error("saved within the minute")
	}
	if !s.Touch(t0.Add(time.Minute)) || !s.LastSeenAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("not saved after a minute: %v", s.LastSeenAt)
	}
}
