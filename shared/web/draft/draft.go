// Package draft keeps referrals being written in the web pages: each page's
// answers as typed, under a random id that only the referrer's cookie holds,
// for Idle after the last change, and once the referral is sent only
// its receipt, for AfterSending.
package draft

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
)

// Idle is how long a draft is kept after its last change. It holds
// personal data about children, so it is not kept longer than the working
// session it belongs to; the start page says so.
const Idle = 4 * time.Hour

// AfterSending is how long a sent draft keeps its receipt: long enough to
// show the confirmation again after a refresh, the back button or a second
// click, and no longer, because the receipt token is kept only hashed
// anywhere else.
const AfterSending = 30 * time.Minute

// Lifetime is how long the draft is kept after its last save: Idle, or
// AfterSending once it holds a receipt.
func (d *Draft) Lifetime() time.Duration {
	if d.Receipt != nil {
		return AfterSending
	}
	return Idle
}

// Errors a Drafts store returns.
var (
	// ErrNotFound: there is no draft with that id, or it has expired.
	ErrNotFound = errors.New("no such draft")
	// ErrChanged: the draft was saved by another request since it was
	// read.
	ErrChanged = errors.New("draft changed")
)

// Draft is a referral being written: the answers to each page as typed,
// kept until the referral is sent, and then only the receipt.
type Draft struct {
	// ID is the draft's secret name, the value of its cookie. Stores keep
	// it only hashed.
	ID string `json:"-"`
	// CSRF is the token the draft's forms carry.
	CSRF string `json:"csrf"`
	// Answers holds each page's fields as posted, by page key, so that
	// what was typed survives an error, the back button and a refresh.
	Answers map[string]url.Values `json:"answers,omitempty"`
	// Lists holds the ids of the items of each list (children, household,
	// professionals), in order.
	Lists map[string][]string `json:"lists,omitempty"`
	// HelplineCall, for a referral a helpline adviser makes from a call,
	// is the call's id: the referral is then sent as the call's escalation,
	// by the adviser whose session Staff names (its id hashed).
	HelplineCall string `json:"helplineCall,omitempty"`
	Staff        string `json:"staff,omitempty"`
	// Receipt is the referral's receipt once it is sent; the answers are
	// then gone.
	Receipt *intake.Receipt `json:"receipt,omitempty"`
	// Version counts the saves; a save is refused unless it follows the
	// version read.
	Version   int       `json:"-"`
	UpdatedAt time.Time `json:"-"`
	// ExpiresAt is when the draft is forgotten: its Lifetime after its
	// last save.
	ExpiresAt time.Time `json:"-"`
}

// Store keeps drafts.
type Store interface {
	// Draft returns the draft with id, or ErrNotFound when there is none
	// or it expired before now.
	Draft(ctx context.Context, id string, now time.Time) (*Draft, error)
	// SaveDraft writes d as version d.Version+1, on condition that the
	// stored one is d.Version (0: none), to expire d.Lifetime() after
	// d.UpdatedAt, and sets d.Version and d.ExpiresAt. It returns
	// ErrChanged (wrapped or not) when the condition fails.
	SaveDraft(ctx context.Context, d *Draft) error
}

// New returns a new empty draft, with a fresh secret id and form token.
func New() *Draft {
	return &Draft{ID: ids.NewToken(), CSRF: ids.NewToken(), Answers: map[string]url.Values{}, Lists: map[string][]string{}}
}
