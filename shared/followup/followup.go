// Package followup is the domain of the follow-ups the front door starts by
// itself, so that nobody has to remember them: a return home interview after
// a missing episode, an appropriate adult and same-night accommodation for a
// child in police custody, and the police report a regulated professional
// must make about a known case of female genital mutilation.
//
// The package is pure: it imports no AWS code and never reads the clock.
// Every function that needs the current time takes it as an argument.
//
// A follow-up is created from a Command, the queue message that asks for it.
// A Command carries references only (a kind, a source record's id, a child's
// index in that record) and never personal data. Its FollowUpID is derived
// from those references alone, so the same command always names the same
// follow-up; the store makes creation exactly-once with a conditional put on
// that id.
package followup

import (
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
)

// Kind is a kind of follow-up.
type Kind string

// The kinds of follow-up.
const (
	// KindReturnHomeInterview is the independent interview offered to a child
	// who has returned from a missing episode.
	KindReturnHomeInterview Kind = "RETURN_HOME_INTERVIEW"
	// KindAppropriateAdult is an appropriate adult attending a child in
	// police custody (PACE Code C).
	KindAppropriateAdult Kind = "APPROPRIATE_ADULT"
	// KindS38Accommodation is local authority accommodation for a child
	// charged and denied bail (PACE s38(6)).
	KindS38Accommodation Kind = "S38_ACCOMMODATION"
	// KindFGMPoliceReport is the report to the police that a regulated
	// professional must make of a known case of FGM (FGM Act 2003 s5B).
	KindFGMPoliceReport Kind = "FGM_POLICE_REPORT"
)

// Kinds lists every kind of follow-up.
var Kinds = []Kind{KindReturnHomeInterview, KindAppropriateAdult, KindS38Accommodation, KindFGMPoliceReport}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return k.code() != "" }

// code is the short code of k used in follow-up ids, or "" for an unknown kind.
func (k Kind) code() string {
	switch k {
	case KindReturnHomeInterview:
		return "RHI"
	case KindAppropriateAdult:
		return "AA"
	case KindS38Accommodation:
		return "S38"
	case KindFGMPoliceReport:
		return "FGM"
	}
	return ""
}

// Label returns the name of k fit to show a person, for example "Return home
// interview". An unknown kind is returned as it is.
func (k Kind) Label() string {
	switch k {
	case KindReturnHomeInterview:
		return "Return home interview"
	case KindAppropriateAdult:
		return "Appropriate adult"
	case KindS38Accommodation:
		return "Section 38(6) accommodation"
	case KindFGMPoliceReport:
		return "FGM police report"
	}
	return string(k)
}

// Provider returns the service responsible for follow-ups of kind k, or ""
// for an unknown kind.
func (k Kind) Provider() Provider {
	switch k {
	case KindReturnHomeInterview:
		return ProviderRHIService
	case KindAppropriateAdult:
		return ProviderAppropriateAdult
	case KindS38Accommodation:
		return ProviderPlacements
	case KindFGMPoliceReport:
		return ProviderMASH
	}
	return ""
}

// SourceType returns the type of record a follow-up of kind k comes from:
// a referral for a return home interview or an FGM police report, a custody
// request for an appropriate adult or s38(6) accommodation. It is "" for an
// unknown kind.
func (k Kind) SourceType() SourceType {
	switch k {
	case KindReturnHomeInterview, KindFGMPoliceReport:
		return SourceReferral
	case KindAppropriateAdult, KindS38Accommodation:
		return SourceCustodyRequest
	}
	return ""
}

// Provider is the service that carries out a follow-up.
type Provider string

// The providers.
const (
	// ProviderRHIService is the return home interview service.
	ProviderRHIService Provider = "rhi-service"
	// ProviderAppropriateAdult is the appropriate adult service.
	ProviderAppropriateAdult Provider = "appropriate-adult-service"
	// ProviderPlacements is the out-of-hours and placements team, which finds
	// s38(6) accommodation.
	ProviderPlacements Provider = "placements"
	// ProviderMASH is the multi-agency safeguarding hub, which makes sure the
	// FGM police report is made.
	ProviderMASH Provider = "mash"
)

// Providers lists every provider, in the order of Kinds.
var Providers = []Provider{ProviderRHIService, ProviderAppropriateAdult, ProviderPlacements, ProviderMASH}

// Status is where a follow-up is in its life.
type Status string

// The statuses of a follow-up.
const (
	// StatusOpen: created, not yet done, not yet past due (as far as the
	// store knows).
	StatusOpen Status = "OPEN"
	// StatusOverdue: past its due time, not yet accepted and not done.
	StatusOverdue Status = "OVERDUE"
	// StatusAccepted: the provider has taken it on and is working on it.
	// An accepted follow-up that passes its due time stays ACCEPTED, with
	// OverdueAt set.
	StatusAccepted Status = "ACCEPTED"
	// StatusCompleted: done. Final.
	StatusCompleted Status = "COMPLETED"
	// StatusDeclined: offered, and the child declined it. Final.
	StatusDeclined Status = "DECLINED"
	// StatusCancelled: no longer needed. Final.
	StatusCancelled Status = "CANCELLED"
)

// Statuses lists every status.
var Statuses = []Status{StatusOpen, StatusOverdue, StatusAccepted, StatusCompleted, StatusDeclined, StatusCancelled}

// ActiveStatuses are the statuses of follow-ups still to be done.
var ActiveStatuses = []Status{StatusOpen, StatusOverdue, StatusAccepted}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusOpen, StatusOverdue, StatusAccepted, StatusCompleted, StatusDeclined, StatusCancelled:
		return true
	}
	return false
}

// Final reports whether a follow-up in status s is finished: nothing more
// can be recorded on it.
func (s Status) Final() bool {
	return s == StatusCompleted || s == StatusDeclined || s == StatusCancelled
}

// SourceType is the type of record a follow-up comes from.
type SourceType string

// The source types.
const (
	// SourceReferral is a multi-agency referral (shared/referral).
	SourceReferral SourceType = "referral"
	// SourceCustodyRequest is a request from the police about a child in
	// custody.
	SourceCustodyRequest SourceType = "custody-request"
)

// Valid reports whether s is a known source type.
func (s SourceType) Valid() bool { return s.code() != "" }

// code is the short code of s used in follow-up ids, or "" if unknown.
func (s SourceType) code() string {
	switch s {
	case SourceReferral:
		return "REF"
	case SourceCustodyRequest:
		return "CUS"
	}
	return ""
}

// FollowUp is a follow-up as stored.
type FollowUp struct {
	// ID is the Command's FollowUpID.
	ID         string     `json:"id"`
	Kind       Kind       `json:"kind"`
	Provider   Provider   `json:"provider"`
	Status     Status     `json:"status"`
	SourceType SourceType `json:"sourceType"`
	SourceID   string     `json:"sourceId"`
	// ChildIndex is the child's index in the referral's children; 0 for a
	// custody request and for a follow-up about the whole referral.
	ChildIndex int `json:"childIndex"`
	// StartAt is when the clock started; DueAt is when the follow-up is due.
	StartAt   time.Time `json:"startAt"`
	DueAt     time.Time `json:"dueAt"`
	CreatedAt time.Time `json:"createdAt"`
	// OverdueAt is when the follow-up was marked overdue; nil until then.
	// It is kept after the follow-up is accepted, completed or declined, so
	// that the figures count it as overdue.
	OverdueAt *time.Time `json:"overdueAt,omitempty"`
	Version   int        `json:"version"`

	// AcceptedAt is when the provider accepted the follow-up.
	AcceptedAt *time.Time `json:"acceptedAt,omitempty"`
	// Attempts are the provider's attempts, in the order recorded.
	Attempts []Attempt `json:"attempts,omitempty"`
	// CompletedAt is when the completion was recorded.
	CompletedAt *time.Time `json:"completedAt,omitempty"`
	// ReturnHomeInterview is the record of a completed return home
	// interview.
	ReturnHomeInterview *ReturnHomeInterview `json:"returnHomeInterview,omitempty"`
	// AppropriateAdult is the record of a completed appropriate adult
	// attendance.
	AppropriateAdult *AppropriateAdultAttendance `json:"appropriateAdult,omitempty"`
	// Decline is the child's decline of a return home interview.
	Decline *Decline `json:"decline,omitempty"`
	// NewReferralID is the referral made because a completed return home
	// interview found one was needed; that referral's origin names this
	// follow-up.
	NewReferralID string `json:"newReferralId,omitempty"`
}

// New returns the follow-up that c asks for, created at now: it validates c,
// works out the due time with clocks and cal, and sets the provider for the
// kind, status OPEN and version 1. All times are in UTC. The error is an
// *apperr.Error: Invalid for a bad command, Internal for a zero now or bad
// clocks.
func New(c Command, clocks Clocks, cal WorkingDays, now time.Time) (FollowUp, error) {
	if err := c.Validate(); err != nil {
		return FollowUp{}, err
	}
	if now.IsZero() {
		return FollowUp{}, apperr.New(apperr.Internal, "no current time given")
	}
	due, err := clocks.Due(c.Kind, c.StartAt, cal)
	if err != nil {
		if apperr.As(err) == nil {
			err = apperr.Wrap(err, apperr.Internal, "cannot work out when the follow-up is due")
		}
		return FollowUp{}, err
	}
	return FollowUp{
		ID:         c.FollowUpID(),
		Kind:       c.Kind,
		Provider:   c.Kind.Provider(),
		Status:     StatusOpen,
		SourceType: c.SourceType,
		SourceID:   c.SourceID,
		ChildIndex: c.ChildIndex,
		StartAt:    c.StartAt.UTC(),
		DueAt:      due.UTC(),
		CreatedAt:  now.UTC().Truncate(time.Millisecond),
		Version:    1,
	}, nil
}

// IsOverdue reports whether f should now be flagged overdue: it is OPEN or
// ACCEPTED, not yet flagged (OverdueAt is nil), and now is after its due
// time. It is false for a follow-up that is already flagged, OVERDUE or
// finished, and false at the due instant itself.
func (f FollowUp) IsOverdue(now time.Time) bool {
	return (f.Status == StatusOpen || f.Status == StatusAccepted) && f.OverdueAt == nil && now.After(f.DueAt)
}

// MarkOverdue returns f flagged overdue at now, and true, when IsOverdue(now)
// holds: an OPEN follow-up becomes OVERDUE, an ACCEPTED one stays ACCEPTED;
// OverdueAt is set and the version goes up by one. Otherwise it returns f
// unchanged and false.
func (f FollowUp) MarkOverdue(now time.Time) (FollowUp, bool) {
	if !f.IsOverdue(now) {
		return f, false
	}
	at := now.UTC()
	f.OverdueAt = &at
	if f.Status == StatusOpen {
		f.Status = StatusOverdue
	}
	f.Version++
	return f, true
}

// Flagged reports whether f was ever flagged overdue.
func (f FollowUp) Flagged() bool { return f.OverdueAt != nil }
