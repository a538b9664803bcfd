package referral

import (
	"errors"
	"time"
)

// ErrNotFound is returned by a store when there is no such referral.
var ErrNotFound = errors.New("not found")

// ErrUnreadable is returned by a store for a referral that is stored but
// cannot be read back (an attribute damaged, say): no retry will read it,
// so it is escalated for a person to deal with.
var ErrUnreadable = errors.New("stored referral cannot be read")

// Status is where a stored referral is in its life.
type Status string

// The statuses of a stored referral.
const (
	// StatusReceived: stored, its triage message not sent (its first
	// sending failed to send it): the sweep queues it.
	StatusReceived Status = "RECEIVED"
	// StatusQueued: stored and on the triage queue, or being put on it by
	// the sending that stored it (a referral is stored as queued, and put
	// back to RECEIVED if its message cannot be sent): the sweep sends it
	// again if it stays untriaged.
	StatusQueued Status = "QUEUED"
	// StatusAwaitingDecision: screened automatically (priority, due times,
	// earlier referrals) and waiting for a MASH screener's decision.
	StatusAwaitingDecision Status = "AWAITING_DECISION"
	// StatusDecided: a MASH screener recorded a decision.
	StatusDecided Status = "DECIDED"
)

// Triaged reports whether the automatic screening has been done.
func (s Status) Triaged() bool { return s != StatusReceived && s != StatusQueued }

// Screening is the automatic screening of a stored referral.
type Screening struct {
	// Priority is RED, AMBER or GREEN.
	Priority string `json:"priority"`
	// Reasons say why, one per matching rule of that priority.
	Reasons []string `json:"reasons"`
	// RulesVersion is the version of the priority rules applied.
	RulesVersion string `json:"rulesVersion"`
	// ScreeningDueAt is when the screening decision is due (1 working day).
	ScreeningDueAt time.Time `json:"screeningDueAt"`
	// PriorityDueAt is when the priority's clock runs out.
	PriorityDueAt time.Time `json:"priorityDueAt"`
	// DecisionDueAt is the earlier of the two: the MASH queue's order.
	DecisionDueAt time.Time `json:"decisionDueAt"`
	// ReReferral: an earlier referral of the same child was received
	// within 12 months (the children in need census definition).
	ReReferral bool `json:"reReferral"`
	// EarlierReferrals are the earlier referrals of the same children,
	// most recent first.
	EarlierReferrals []EarlierReferral `json:"earlierReferrals"`
	TriagedAt        time.Time         `json:"triagedAt"`
	// OverdueAt is set by the sweep when the decision became overdue.
	OverdueAt *time.Time `json:"overdueAt,omitempty"`
}

// EarlierReferral is a link to an earlier referral of the same child.
type EarlierReferral struct {
	ID         string    `json:"id"`
	ReceivedAt time.Time `json:"receivedAt"`
}

// Origin says where a referral made inside the front door came from: a
// helpline call escalated into a referral, or a return home interview that
// found a new referral was needed. Referrals from partners have none.
type Origin struct {
	// Type is "helpline-call" or "follow-up".
	Type string `json:"type"`
	// ID is the helpline call's or follow-up's id.
	ID string `json:"id"`
}

// The origins of a referral made inside the front door.
const (
	OriginHelplineCall = "helpline-call"
	OriginFollowUp     = "follow-up"
)

// Record is a referral as stored: the form exactly as accepted (after
// Validate has normalised it) and what the front door recorded about it.
type Record struct {
	ID         string     `json:"id"`
	Reference  string     `json:"reference"`
	Status     Status     `json:"status"`
	ReceivedAt time.Time  `json:"receivedAt"`
	QueuedAt   *time.Time `json:"queuedAt,omitempty"`
	// Source is the children in need census referral source code.
	Source string `json:"referralSource"`
	// ReceiptTokenHash is never sent to anyone.
	ReceiptTokenHash string `json:"-"`
	Version          int    `json:"version"`
	// Origin is set for a referral made from a helpline call or a
	// follow-up.
	Origin *Origin `json:"origin,omitempty"`
	// Screening is set once the referral has been triaged.
	Screening *Screening `json:"screening,omitempty"`
	// UntriagedAt is set when the automatic screening failed every time it
	// was tried and the referral was put before the MASH to screen by hand.
	UntriagedAt *time.Time `json:"untriagedAt,omitempty"`
	Form        Referral   `json:"referral"`
}

// TriageMessageType is the type of the message that asks for a referral to
// be triaged.
const TriageMessageType = "referral.received"

// TriageMessage asks for a referral to be triaged. It carries the referral's
// id only, never personal data.
type TriageMessage struct {
	Type       string `json:"type"`
	ReferralID string `json:"referralId"`
}
