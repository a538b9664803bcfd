package referral

import "time"

// Status is where a stored referral is in its life.
type Status string

// The statuses of a stored referral.
const (
	// StatusReceived: stored, its triage message not yet sent.
	StatusReceived Status = "RECEIVED"
	// StatusQueued: stored and on the triage queue.
	StatusQueued Status = "QUEUED"
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
	ReceiptTokenHash string   `json:"-"`
	Version          int      `json:"version"`
	Form             Referral `json:"referral"`
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
