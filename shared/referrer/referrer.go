// Package referrer serves the partner professionals who made a referral and
// have no account: with the reference and the receipt token from their
// receipt they can see where their referral is in the front door's workflow
// (never its content, outcome or priority) and add information to it as an
// addendum. The referral they sent is never changed.
//
// A reference and a token are checked together, and every failure (unknown
// or malformed reference, wrong token) gets the same not-found answer, after
// the same reads, so the API cannot be used to find out which references
// exist. Tries on one reference that do not succeed are counted, known
// reference or not: after MaxGuesses in a GuessWindow, every try on it is
// refused until the window ends, so a receipt token cannot be guessed by
// trying.
package referrer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// The audit actions of a referrer's requests.
const (
	// ActionStatusChecked: the referrer read the referral's status.
	ActionStatusChecked audit.Action = "referral.status-checked"
	// ActionAddendumAdded: the referrer added an addendum.
	ActionAddendumAdded audit.Action = "referral.addendum-added"
)

// Limits on an addendum.
const (
	// MaxBodyBytes is the largest addendum body accepted: 64 KiB, room for
	// the longest information even when every character takes several
	// bytes (most scripts other than Latin take 2 or 3 in UTF-8, and 6 when
	// a client escapes them as \uXXXX).
	MaxBodyBytes = 64 << 10
	// MaxInformationLength is the longest addendum text, in characters
	// (runes).
	MaxInformationLength = 10000
	// MaxAddenda is the most addenda one referral takes online; beyond it
	// the referrer is asked to telephone the hub.
	MaxAddenda = 100
)

// Limits on guessing a receipt token.
const (
	// GuessWindow is the span over which the tries on one reference are
	// counted: fixed windows of a quarter of an hour.
	GuessWindow = 15 * time.Minute
	// MaxGuesses is the most tries on one reference in a GuessWindow that
	// may fail (a wrong token, or no referral with that reference); further
	// tries in that window are refused, with the right token too. With a
	// 256-bit token that is at most 960 guesses a day at each reference,
	// and a referrer who mistypes is held up for a quarter of an hour at
	// most.
	MaxGuesses = 10
)

// Errors a Store returns.
var (
	// ErrNotFound: there is no referral with that reference.
	ErrNotFound = errors.New("referral not found")
	// ErrTooManyAddenda: the referral already has MaxAddenda addenda.
	ErrTooManyAddenda = errors.New("too many addenda")
	// ErrTooManyGuesses: the tries on a reference in a window are used up.
	ErrTooManyGuesses = errors.New("too many tries on the reference")
)

// Stage is where a referral is in the front door's workflow, in terms a
// referrer understands. It never says what was decided.
type Stage string

// The stages a referrer sees.
const (
	// StageReceived: stored and waiting to be screened.
	StageReceived Stage = "received"
	// StageWithMASH: screened and waiting for a MASH decision.
	StageWithMASH Stage = "with-mash"
	// StageDecided: a MASH screener recorded a decision.
	StageDecided Stage = "decided"
)

// StageOf maps a referral's status to the stage a referrer sees. A status
// it does not know is shown as with the MASH: the referral is in the hub's
// hands, and the referrer is told nothing more.
func StageOf(s referral.Status) Stage {
	switch s {
	case referral.StatusReceived, referral.StatusQueued:
		return StageReceived
	case referral.StatusDecided:
		return StageDecided
	}
	return StageWithMASH
}

// descriptions say what each stage means, for the status response.
var descriptions = map[Stage]string{
	StageReceived: "Your referral has been received and is waiting to be screened by the multi-agency safeguarding hub.",
	StageWithMASH: "Your referral has been screened and is with the multi-agency safeguarding hub, waiting for a decision.",
	StageDecided: "The multi-agency safeguarding hub has recorded a decision on your referral. " +
		"The hub tells referrers what happens next; if you have not heard, contact the hub.",
}

// Referral is what a referrer's request needs of a stored referral: its
// identity, workflow status and receipt token hash, never its content.
type Referral struct {
	ID               string
	Reference        string
	Status           referral.Status
	ReceivedAt       time.Time
	ReceiptTokenHash string
	// DecidedAt is when the decision in force was recorded, once there is
	// one.
	DecidedAt *time.Time
}

// Addendum is information a referrer added to a referral after sending it.
// It is stored as it was received and never changed.
type Addendum struct {
	ID          string    `json:"id"`
	ReferralID  string    `json:"referralId"`
	ReceivedAt  time.Time `json:"receivedAt"`
	Information string    `json:"information"`
	// Urgent is the referrer's view that the information needs the hub's
	// attention at once.
	Urgent bool `json:"urgent"`
}

// Sent is what a referrer sees of an addendum they sent: when, not what.
type Sent struct {
	ID         string    `json:"id"`
	ReceivedAt time.Time `json:"receivedAt"`
}

// Store keeps what the service reads and writes.
type Store interface {
	// ReferralByReference returns the referral with the given reference
	// (in canonical form), or ErrNotFound.
	ReferralByReference(ctx context.Context, reference string) (*Referral, error)
	// AddendaSent returns the id and time of each addendum of a referral,
	// oldest first.
	AddendaSent(ctx context.Context, referralID string) ([]Sent, error)
	// AppendAudit writes one audit entry; it never overwrites one.
	AppendAudit(ctx context.Context, e audit.Entry) error
	// AddAddendum writes the addendum, the idempotency record (when idem is
	// not nil) and the audit entry, and counts the addendum on the referral
	// (bumping its version), all or nothing. It returns
	// idempotency.ErrKeyUsed when an unexpired record for the key
	// exists, and ErrTooManyAddenda when the referral already has max
	// addenda (wrapped or not).
	AddAddendum(ctx context.Context, a *Addendum, idem *idempotency.Record, entry audit.Entry, max int) error
	idempotency.Reader
	Guesses
}

// Guesses counts the tries on each reference, in fixed windows. A try is
// counted before its token is checked, and given back when it succeeds, so
// that tries racing each other cannot pass the limit together.
type Guesses interface {
	// TakeGuess counts one try on reference (in canonical form) in the
	// window that starts at window, unless max are counted there already:
	// then it returns ErrTooManyGuesses (wrapped or not) and counts
	// nothing. The count may be forgotten after expires.
	TakeGuess(ctx context.Context, reference string, window time.Time, max int, expires time.Time) error
	// GiveBackGuess uncounts a try that TakeGuess counted in that window.
	GiveBackGuess(ctx context.Context, reference string, window time.Time) error
}

// Request is one request of a referrer: the reference as they typed it and
// the receipt token, with who sent it and through which route.
type Request struct {
	Reference string
	Token     string
	// Request is who asks, through which route and API request (an
	// anonymous caller: referrers have no account).
	audit.Request
}

// AddendumRequest is one POST of an addendum.
type AddendumRequest struct {
	Request
	Body           []byte
	IdempotencyKey string // empty when the header was not sent
}

// Status is what a referrer is told about their referral.
type Status struct {
	Reference  string    `json:"reference"`
	ReceivedAt time.Time `json:"receivedAt"`
	Status     Stage     `json:"status"`
	// Description says what the status means, in a sentence.
	Description string `json:"description"`
	// DecidedAt is when the decision was recorded (status decided only).
	DecidedAt    *time.Time `json:"decidedAt,omitempty"`
	AddendaCount int        `json:"addendaCount"`
	Addenda      []Sent     `json:"addenda"`
}

// Receipt is what a referrer gets back for an addendum.
type Receipt struct {
	ID         string    `json:"id"`
	Reference  string    `json:"reference"`
	ReceivedAt time.Time `json:"receivedAt"`
	Urgent     bool      `json:"urgent"`
	Message    string    `json:"message"`
}

// TokenHeader is the request header that carries the receipt token. It is
// never sent in the URL, which ends up in access logs.
const TokenHeader = "Receipt-Token"

// notFoundMessage is the one answer to every reference and token that do
// not match a referral together.
const notFoundMessage = "We could not find a referral with that reference and receipt token. Check both against your receipt."

// errNotFound is the one error for a reference and token that do not match
// a referral together, whatever the reason.
func errNotFound() error { return apperr.New(apperr.NotFound, notFoundMessage) }

// errTooManyGuesses is the answer to a try on a reference whose tries in
// this window are used up; retry is how long until the window ends. It is
// the same for every reference, known or not.
func errTooManyGuesses(retry time.Duration) error {
	minutes := int((retry + time.Minute - 1) / time.Minute)
	unit := "minutes"
	if minutes == 1 {
		unit = "minute"
	}
	return &apperr.Error{
		Code: apperr.TooMany,
		Message: fmt.Sprintf("There have been too many tries with this reference just now. Check the reference and receipt token against your receipt "+
			"and try again in %d %s. If it is urgent, telephone the multi-agency safeguarding hub.", minutes, unit),
		RetryAfter: retry,
	}
}

// errNoToken is the answer to a request without a receipt token.
func errNoToken() error {
	return &apperr.Error{
		Code:    apperr.Malformed,
		Message: "Send the receipt token from your receipt in the " + TokenHeader + " header.",
		Fields: []apperr.FieldError{{
			Field:   TokenHeader,
			Message: "Send the receipt token you were given with the reference in the " + TokenHeader + " header (never in the address).",
		}},
	}
}
