// Package helpline holds the parenting helpline's call log: the form an
// adviser fills in for each call (POST /helpline-calls), the rules it must
// meet, listing calls for advisers and managers (GET /helpline-calls), and
// escalating a call that raised a safeguarding concern into a referral
// (POST /helpline-calls/{id}/referrals) through the same intake as any
// other referral.
//
// The helpline is open to any parent: there is no threshold, and a caller
// may stay anonymous, in which case nothing that could identify them is
// taken. The package is pure domain code. Every error it returns is an
// *apperr.Error whose messages name fields by their JSON path and never
// repeat a submitted value; nothing it logs holds a name, contact detail or
// free text.
package helpline

import (
	"errors"
	"time"
)

// Limits on a call and on lists of calls.
const (
	// MaxBody is the largest call body accepted, in bytes (32 KiB): the
	// longest possible call, with the advice at MaxAdvice characters of
	// four bytes each, is well under it.
	MaxBody = 32 << 10
	// MaxAdvice is the longest account of the advice given, in characters
	// (runes).
	MaxAdvice = 4000
	// MaxShortText is the longest first name, phone or email, in characters.
	MaxShortText = 200
	// MinDuration and MaxDuration bound a call's length, in minutes.
	MinDuration = 1
	MaxDuration = 600
	// MaxAgeBands, MaxTopics and MaxSignposts bound the lists of codes.
	MaxAgeBands  = 10
	MaxTopics    = 10
	MaxSignposts = 10
	// MaxCalledAhead is how far after the moment of logging CalledAt may
	// be, allowing for clocks that are a little fast.
	MaxCalledAhead = 5 * time.Minute
	// MaxCalledAgo is how long before the moment of logging CalledAt may
	// be: a call is logged while it is fresh, not reconstructed weeks later.
	MaxCalledAgo = 30 * 24 * time.Hour
)

// Call is one helpline call as the adviser logs it.
type Call struct {
	// CalledAt is when the call started, RFC 3339 with an offset from UTC.
	CalledAt string `json:"calledAt"`
	// DurationMinutes is how long the call lasted, MinDuration to
	// MaxDuration.
	DurationMinutes int    `json:"durationMinutes"`
	Caller          Caller `json:"caller"`
	// ChildAgeBands are the age bands of the children the call was about,
	// each at most once.
	ChildAgeBands []AgeBand `json:"childAgeBands"`
	// Topics are what the call was about, each at most once.
	Topics []Topic `json:"topics"`
	// AdviceGiven is the adviser's account of the advice given: free text,
	// never logged.
	AdviceGiven string `json:"adviceGiven"`
	// Signposting are the services the caller was pointed to, each at most
	// once; none is allowed.
	Signposting []Signpost `json:"signposting,omitempty"`
	// SafeguardingConcern answers "Did the call raise a safeguarding
	// concern?". It must be answered; nil means not answered. A call with
	// a concern can be escalated into a referral.
	SafeguardingConcern *bool `json:"safeguardingConcern"`
	// FollowUpCallAgreed answers "Was a follow-up call agreed?"; nil means
	// not answered.
	FollowUpCallAgreed *bool `json:"followUpCallAgreed"`
}

// Caller is who called. An anonymous caller gives nothing that could
// identify them.
type Caller struct {
	Type CallerType `json:"type"`
	// Anonymous must be answered; nil means not answered.
	Anonymous *bool `json:"anonymous"`
	// FirstName, Phone and Email are optional, and only for a caller who
	// is not anonymous. Phone is a UK number, Email one bare address.
	FirstName string `json:"firstName,omitempty" text:"line"`
	Phone     string `json:"phone,omitempty" text:"line"`
	Email     string `json:"email,omitempty" text:"line"`
}

// Concern reports whether the call was logged as raising a safeguarding
// concern.
func (c *Call) Concern() bool { return c.SafeguardingConcern != nil && *c.SafeguardingConcern }

// Status is where a logged call is in its life.
type Status string

// The statuses of a logged call.
const (
	// StatusLogged: the call is logged.
	StatusLogged Status = "LOGGED"
	// StatusEscalated: the call raised a safeguarding concern and a
	// referral was made from it (Record.ReferralID).
	StatusEscalated Status = "ESCALATED"
)

// Record is a call as stored: the call exactly as accepted (after Validate
// has normalised it) and what the front door recorded about it.
type Record struct {
	ID      string `json:"id"`
	Status  Status `json:"status"`
	Version int    `json:"version"`
	// CalledAt is Call.CalledAt parsed, in UTC, to the millisecond: the
	// order of lists.
	CalledAt time.Time `json:"calledAt"`
	LoggedAt time.Time `json:"loggedAt"`
	// LoggedBy is the subject of the adviser who logged the call.
	LoggedBy string `json:"loggedBy"`
	// ReferralID, EscalatedAt and EscalatedBy are set once the call is
	// escalated.
	ReferralID  string     `json:"referralId,omitempty"`
	EscalatedAt *time.Time `json:"escalatedAt,omitempty"`
	EscalatedBy string     `json:"escalatedBy,omitempty"`
	// EscalationSecret is a random secret, made when the call is logged
	// and never shown to anyone, from which the idempotency key of the
	// call's escalation is derived (see Service.Escalate).
	EscalationSecret string `json:"-"`
	Call             Call   `json:"call"`
}

// ErrNotFound is returned by a Store when there is no such call.
var ErrNotFound = errors.New("helpline call not found")

// ErrChanged is returned by a Store when a conditional update finds the call
// no longer as it was read.
var ErrChanged = errors.New("helpline call changed since it was read")
