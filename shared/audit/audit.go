// Package audit describes the append-only trail of who read or changed a
// referral, a custody request, a follow-up or a helpline call. Every read and
// change writes an Entry about one Subject; entries are never updated or
// deleted.
package audit

import (
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// Action is what was done.
type Action string

// The actions recorded.
const (
	Submitted Action = "referral.submitted"
	Read      Action = "referral.read"
	// Triaged: the system screened the referral (priority, due times,
	// earlier referrals).
	Triaged Action = "referral.triaged"
	// Overdue: the sweep found the referral's decision overdue and
	// escalated it.
	Overdue Action = "referral.overdue"
	// Untriaged: the sweep sent the referral to the triage queue again
	// several times and it is still not triaged; escalated to the MASH
	// manager to screen by hand.
	Untriaged Action = "referral.untriaged"
)

// System is the actor for what the front door does by itself; name is the
// function, e.g. "triage" or "sweep".
func System(name string) Actor { return Actor{ID: name, Role: "system"} }

// Actor is who did it. Until staff sign in (roles arrive with the JWT
// authorizer), callers are recorded by kind and source address only.
type Actor struct {
	ID   string `json:"id"`   // subject of the caller's token, or "anonymous"
	Role string `json:"role"` // role from the token, or "public" for unauthenticated partners
	IP   string `json:"ip,omitempty"`
}

// Anonymous is the actor for a request that carries no credentials.
func Anonymous(ip string) Actor { return Actor{ID: "anonymous", Role: "public", IP: ip} }

// SubjectType is the kind of record an entry is about.
type SubjectType string

// The kinds of record audited.
const (
	SubjectReferral     SubjectType = "referral"
	SubjectCustody      SubjectType = "custody-request"
	SubjectFollowUp     SubjectType = "follow-up"
	SubjectHelplineCall SubjectType = "helpline-call"
)

// Subject is the record an entry is about.
type Subject struct {
	Type SubjectType `json:"type"`
	ID   string      `json:"id"`
}

// Referral is the subject for the referral with the given id.
func Referral(id string) Subject { return Subject{Type: SubjectReferral, ID: id} }

// Custody is the subject for the custody request with the given id.
func Custody(id string) Subject { return Subject{Type: SubjectCustody, ID: id} }

// FollowUp is the subject for the follow-up with the given id.
func FollowUp(id string) Subject { return Subject{Type: SubjectFollowUp, ID: id} }

// HelplineCall is the subject for the helpline call with the given id.
func HelplineCall(id string) Subject { return Subject{Type: SubjectHelplineCall, ID: id} }

// Entry is one line of the trail.
type Entry struct {
	ID      string    `json:"id"` // ULID, so entries sort by time
	At      time.Time `json:"at"`
	Subject Subject   `json:"subject"`
	Action  Action    `json:"action"`
	Actor   Actor     `json:"actor"`
	// Route and RequestID are set for what came through the API (e.g.
	// "GET /referrals/{id}" and the API's request id, to join with logs);
	// the system's own work has neither.
	Route     string `json:"route,omitempty"`
	RequestID string `json:"requestId,omitempty"`
}

// Request says who asked, through which route and in which API request:
// what every audit entry of a person's request records.
type Request struct {
	Actor     Actor
	Route     string
	RequestID string
}

// As is the same request made by actor: the same person acting in another
// role, say.
func (r Request) As(actor Actor) Request {
	r.Actor = actor
	return r
}

// Entry is the audit entry of the request's action on subject at at, with
// a fresh id.
func (r Request) Entry(subject Subject, action Action, at time.Time) Entry {
	return Entry{
		ID: ids.NewULID(at), At: at, Subject: subject, Action: action,
		Actor: r.Actor, Route: r.Route, RequestID: r.RequestID,
	}
}
