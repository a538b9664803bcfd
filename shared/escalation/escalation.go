// Package escalation puts before the MASH manager what the sweep escalated
// to them: a referral whose screening decision is overdue, a follow-up that
// is overdue, a referral the automatic screening never reached. The
// manager lists the escalations still open, oldest first, and acknowledges
// each once; every escalation listed, and every acknowledgement, is written
// to the audit trail of the referral or follow-up it is about.
//
// The package is pure: it imports no AWS code and never reads the clock.
package escalation

import (
	"encoding/base64"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// Clock is the clock that ran out.
type Clock string

// The clocks the sweep escalates.
const (
	// ClockDecision: a referral's screening decision is overdue.
	ClockDecision Clock = "decision"
	// ClockFollowUp: a follow-up is overdue.
	ClockFollowUp Clock = "follow-up"
	// ClockTriage: a referral could never be screened automatically (its
	// triage message failed every time it was sent).
	ClockTriage Clock = "triage"
)

// Status is where an escalation is: open until the manager acknowledges it.
type Status string

// The statuses of an escalation.
const (
	StatusOpen         Status = "open"
	StatusAcknowledged Status = "acknowledged"
)

// Key is what an escalation is about: the clock that ran out and the
// referral or follow-up whose clock it is. There is at most one escalation
// for each key.
type Key struct {
	Clock   Clock
	Subject audit.Subject
}

// Name is the key as the escalation is named where it is stored:
// REFERRAL#<id> for an overdue decision, REFERRAL#<id>#TRIAGE for a
// referral never triaged, FOLLOWUP#<id> for an overdue follow-up.
func (k Key) Name() string {
	switch k.Clock {
	case ClockDecision:
		return "REFERRAL#" + k.Subject.ID
	case ClockTriage:
		return "REFERRAL#" + k.Subject.ID + "#TRIAGE"
	case ClockFollowUp:
		return "FOLLOWUP#" + k.Subject.ID
	}
	return ""
}

// ParseName reads a name made by Name, checking that the id in it is a
// referral id or a follow-up id.
func ParseName(name string) (Key, bool) {
	kind, rest, _ := strings.Cut(name, "#")
	switch kind {
	case "REFERRAL":
		id, triage, found := strings.Cut(rest, "#")
		if !ids.IsULID(id) {
			return Key{}, false
		}
		if !found {
			return Key{Clock: ClockDecision, Subject: audit.Referral(id)}, true
		}
		if triage == "TRIAGE" {
			return Key{Clock: ClockTriage, Subject: audit.Referral(id)}, true
		}
	case "FOLLOWUP":
		if c, ok := followup.ParseID(rest); ok && c.FollowUpID() == rest {
			return Key{Clock: ClockFollowUp, Subject: audit.FollowUp(rest)}, true
		}
	}
	return Key{}, false
}

// ID is the escalation's id in the API: its name in unpadded base64url, so
// that it fits in a URL path. Callers treat it as opaque.
func (k Key) ID() string {
	return base64.RawURLEncoding.EncodeToString([]byte(k.Name()))
}

// maxIDLength bounds an id read from a request: the longest name is a
// follow-up's, well under 100 characters.
const maxIDLength = 200

// ParseID reads an id made by ID; false when it is not one.
func ParseID(id string) (Key, bool) {
	if len(id) > maxIDLength {
		return Key{}, false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(id)
	if err != nil {
		return Key{}, false
	}
	k, ok := ParseName(string(b))
	if !ok || k.ID() != id {
		return Key{}, false
	}
	return k, true
}

// Acknowledgement is the MASH manager's acknowledgement of an escalation.
type Acknowledgement struct {
	// By is the subject of the manager's token.
	By string    `json:"by"`
	At time.Time `json:"at"`
	// Note is what the manager wrote, if anything. It is free text, so it
	// is shown only in the answer to the acknowledgement, never in a list.
	Note string `json:"note,omitempty"`
}

// Record is an escalation as stored, with the referral or follow-up it is
// about as it is now (nil when it cannot be found).
type Record struct {
	Key             Key
	RaisedAt        time.Time
	Acknowledgement *Acknowledgement
	Referral        *referral.Record
	FollowUp        *followup.FollowUp
}

// Escalation is an escalation as the MASH manager sees it: what it is
// about and just enough of that record to act on, with no names and no
// free text.
type Escalation struct {
	ID              string           `json:"id"`
	Clock           Clock            `json:"clock"`
	Status          Status           `json:"status"`
	RaisedAt        time.Time        `json:"raisedAt"`
	Subject         Subject          `json:"subject"`
	Acknowledgement *Acknowledgement `json:"acknowledgement,omitempty"`
}

// Subject is the record an escalation is about: for a referral its
// reference, status and (once screened) decision due time; for a
// follow-up its kind, provider, status and due time. Only type and id are
// given when the record cannot be read.
type Subject struct {
	Type audit.SubjectType `json:"type"`
	ID   string            `json:"id"`

	Reference     string     `json:"reference,omitempty"`
	Status        string     `json:"status,omitempty"`
	DecisionDueAt *time.Time `json:"decisionDueAt,omitempty"`

	Kind     followup.Kind     `json:"kind,omitempty"`
	Provider followup.Provider `json:"provider,omitempty"`
	DueAt    *time.Time        `json:"dueAt,omitempty"`
}

// View is the escalation r as the manager sees it; withNote keeps the
// acknowledgement's note (only the answer to the acknowledgement does).
func View(r Record, withNote bool) Escalation {
	e := Escalation{
		ID: r.Key.ID(), Clock: r.Key.Clock, Status: StatusOpen, RaisedAt: r.RaisedAt.UTC(),
		Subject: Subject{Type: r.Key.Subject.Type, ID: r.Key.Subject.ID},
	}
	if a := r.Acknowledgement; a != nil {
		ack := *a
		ack.At = ack.At.UTC()
		if !withNote {
			ack.Note = ""
		}
		e.Status, e.Acknowledgement = StatusAcknowledged, &ack
	}
	switch {
	case r.Key.Subject.Type == audit.SubjectReferral && r.Referral != nil && r.Referral.ID == r.Key.Subject.ID:
		e.Subject.Reference, e.Subject.Status = r.Referral.Reference, string(r.Referral.Status)
		if sc := r.Referral.Screening; sc != nil {
			due := sc.DecisionDueAt.UTC()
			e.Subject.DecisionDueAt = &due
		}
	case r.Key.Subject.Type == audit.SubjectFollowUp && r.FollowUp != nil && r.FollowUp.ID == r.Key.Subject.ID:
		f := r.FollowUp
		due := f.DueAt.UTC()
		e.Subject.Kind, e.Subject.Provider, e.Subject.Status, e.Subject.DueAt = f.Kind, f.Provider, string(f.Status), &due
	}
	return e
}
