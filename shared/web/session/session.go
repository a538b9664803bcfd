// Package session keeps the signed-in sessions of the staff pages: who
// signed in, with which roles, since when and when last seen, under a
// random id that only the person's cookie holds. A session ends after Idle
// without a request, after Absolute however busy, or when its person signs
// out; an ended session is never used again.
//
// Signing in happens in two steps, each with its own id: a pending session
// holds the OpenID Connect state, nonce and PKCE verifier while the person
// is at the identity provider; on their return it is used up and a new,
// active session made, so that an id seen before sign-in is worth nothing
// after it.
package session

import (
	"context"
	"errors"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// The lifetimes of a session.
const (
	// Idle is how long a session lasts without a request.
	Idle = 30 * time.Minute
	// Absolute is the longest a session lasts: a working day.
	Absolute = 10 * time.Hour
	// SigningIn is how long a person has at the identity provider.
	SigningIn = 10 * time.Minute
	// touchEvery is how stale LastSeenAt may be before a request saves it
	// again, so that not every page view is a write.
	touchEvery = time.Minute
)

// Status is where a session is in its life.
type Status string

// The statuses of a session.
const (
	// Pending: the person is signing in at the identity provider.
	Pending Status = "pending"
	// Active: signed in.
	Active Status = "active"
	// Ended: signed out, or used up (a pending session once its person
	// returned). Never active again.
	Ended Status = "ended"
)

// Errors a Store returns, and Check.
var (
	// ErrNotFound: there is no session with that id, or it expired.
	ErrNotFound = errors.New("no such session")
	// ErrChanged: the session was saved by another request since it was
	// read.
	ErrChanged = errors.New("session changed")
	// ErrEnded: the session has ended or timed out.
	ErrEnded = errors.New("the session has ended")
)

// Session is one person's sign-in to the staff pages.
type Session struct {
	// ID is the session's secret name, the value of its cookie. Stores keep
	// it only hashed.
	ID     string `json:"-"`
	Status Status `json:"status"`

	// While pending: the OpenID Connect state and nonce, the PKCE
	// verifier, and the page to return to.
	State    string `json:"state,omitempty"`
	Nonce    string `json:"nonce,omitempty"`
	Verifier string `json:"verifier,omitempty"`
	ReturnTo string `json:"returnTo,omitempty"`

	// Once active: who signed in (the identity provider's subject, which
	// the audit trail records) and their roles.
	Subject string      `json:"subject,omitempty"`
	Roles   []auth.Role `json:"roles,omitempty"`
	// Issuer is the identity provider the person signed in at: a session
	// is good only at the provider the pages use now.
	Issuer string `json:"issuer,omitempty"`
	// CSRF is the token the session's forms carry.
	CSRF string `json:"csrf,omitempty"`

	StartedAt  time.Time `json:"startedAt"`
	LastSeenAt time.Time `json:"lastSeenAt"`

	// Version counts the saves; a save is refused unless it follows the
	// version read.
	Version int `json:"-"`
	// ExpiresAt is when the store forgets the session: the end of its
	// Lifetime, the table's time-to-live.
	ExpiresAt time.Time `json:"-"`
}

// Store keeps sessions.
type Store interface {
	// Session returns the session with id, or ErrNotFound when there is
	// none or the store has forgotten it by now.
	Session(ctx context.Context, id string, now time.Time) (*Session, error)
	// SaveSession writes s as version s.Version+1, on condition that the
	// stored one is s.Version (0: none), to be forgotten at s.Expiry(), and
	// sets s.Version and s.ExpiresAt. It returns ErrChanged (wrapped or not)
	// when the condition fails.
	SaveSession(ctx context.Context, s *Session) error
}

// NewPending returns a pending session for a person about to sign in,
// with a fresh id, state, nonce and PKCE verifier.
func NewPending(returnTo, verifier string, now time.Time) *Session {
	now = now.UTC()
	return &Session{
		ID: ids.NewToken(), Status: Pending,
		State: ids.NewToken(), Nonce: ids.NewToken(), Verifier: verifier, ReturnTo: returnTo,
		StartedAt: now, LastSeenAt: now,
	}
}

// Activate returns the active session that a pending one becomes once
// its person has signed in as principal at issuer, with a fresh id and form
// token; the pending one is ended.
func (s *Session) Activate(p auth.Principal, issuer string, now time.Time) *Session {
	now = now.UTC()
	s.Status, s.State, s.Nonce, s.Verifier = Ended, "", "", ""
	s.LastSeenAt = now
	return &Session{
		ID: ids.NewToken(), Status: Active, Subject: p.Subject, Roles: p.Roles, Issuer: issuer, CSRF: ids.NewToken(),
		StartedAt: now, LastSeenAt: now,
	}
}

// Expiry is when the session ends if nothing happens: for an active one
// Idle after it was last seen, but never later than Absolute after it
// started; for a pending one SigningIn after it started; for an ended one
// when it ended.
func (s *Session) Expiry() time.Time {
	switch s.Status {
	case Active:
		idle, absolute := s.LastSeenAt.Add(Idle), s.StartedAt.Add(Absolute)
		if idle.Before(absolute) {
			return idle
		}
		return absolute
	case Pending:
		return s.StartedAt.Add(SigningIn)
	}
	return s.LastSeenAt
}

// Check returns ErrEnded unless the session is of status want and has not
// expired by now.
func (s *Session) Check(want Status, now time.Time) error {
	if s.Status != want || !now.Before(s.Expiry()) {
		return ErrEnded
	}
	return nil
}

// Touch records a request at now and reports whether the session should
// be saved: when it was last seen more than a minute ago.
func (s *Session) Touch(now time.Time) bool {
	if now.Sub(s.LastSeenAt) < touchEvery {
		return false
	}
	s.LastSeenAt = now.UTC()
	return true
}

// End ends the session at now (signing out).
func (s *Session) End(now time.Time) {
	s.Status, s.CSRF = Ended, ""
	s.LastSeenAt = now.UTC()
}
