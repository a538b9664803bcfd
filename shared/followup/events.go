package followup

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// A provider works a follow-up by recording events on it:
//
//	OPEN or OVERDUE ──ACCEPT──► ACCEPTED ──ATTEMPT (any number)──► ACCEPTED
//	                                     ──COMPLETE──► COMPLETED (final)
//	                                     ──DECLINE───► DECLINED (final; return home interviews only)
//
// Each event names the version of the follow-up it was made on; an event on
// any other version is refused, so two people working the same follow-up
// cannot overwrite each other. A follow-up flagged overdue keeps OverdueAt
// whatever happens next.

// Limits on an event.
const (
	// MaxEventBody is the largest event body read, in bytes (128 KiB: a
	// completion that asks for a new referral carries its account of the
	// concerns, up to referral.MaxFreeText characters).
	MaxEventBody = 128 << 10
	// MaxOutcomeText is the longest attempt outcome, decline reason or
	// custody outcome detail, in characters.
	MaxOutcomeText = 1000
	// MaxRecordText is the longest answer in a return home interview
	// record, in characters.
	MaxRecordText = 4000
	// MaxAttempts is the most attempts recorded on one follow-up.
	MaxAttempts = 50
	// MaxClockSkew is how far after the moment an event is received a time
	// in it may be, allowing for clocks that are a little fast.
	MaxClockSkew = 5 * time.Minute
)

// EventType is the type of an event a provider records.
type EventType string

// The event types.
const (
	// EventAccept: the provider takes the follow-up on.
	EventAccept EventType = "ACCEPT"
	// EventAttempt: an attempt to carry it out (a visit, a call), whatever
	// its outcome.
	EventAttempt EventType = "ATTEMPT"
	// EventComplete: it was carried out; the record of it.
	EventComplete EventType = "COMPLETE"
	// EventDecline: the child declined a return home interview.
	EventDecline EventType = "DECLINE"
)

// EventTypes lists every event type.
var EventTypes = []EventType{EventAccept, EventAttempt, EventComplete, EventDecline}

// Valid reports whether t is one of EventTypes.
func (t EventType) Valid() bool { return slices.Contains(EventTypes, t) }

// Action returns the audit action of an event of type t.
func (t EventType) Action() audit.Action {
	switch t {
	case EventAccept:
		return ActionAccepted
	case EventAttempt:
		return ActionAttempted
	case EventComplete:
		return ActionCompleted
	case EventDecline:
		return ActionDeclined
	}
	return audit.Action("follow-up." + strings.ToLower(string(t)))
}

// The audit actions on follow-ups.
const (
	// ActionListed: a follow-up was shown to someone in a list.
	ActionListed audit.Action = "follow-up.listed"
	// ActionViewed: a follow-up was shown to someone on its own page.
	ActionViewed audit.Action = "follow-up.viewed"
	// ActionAccepted: the provider accepted the follow-up.
	ActionAccepted audit.Action = "follow-up.accepted"
	// ActionAttempted: the provider recorded an attempt.
	ActionAttempted audit.Action = "follow-up.attempted"
	// ActionCompleted: the provider recorded the completion.
	ActionCompleted audit.Action = "follow-up.completed"
	// ActionDeclined: the provider recorded that the child declined.
	ActionDeclined audit.Action = "follow-up.declined"
	// ActionOverdue: the sweep flagged the follow-up overdue and escalated
	// it to the MASH manager.
	ActionOverdue audit.Action = "follow-up.overdue"
)

// Method is how an attempt or an interview was made.
type Method string

// The methods.
const (
	MethodInPerson Method = "IN_PERSON"
	MethodPhone    Method = "PHONE"
	MethodVideo    Method = "VIDEO"
	MethodOther    Method = "OTHER"
)

// Methods lists every method.
var Methods = []Method{MethodInPerson, MethodPhone, MethodVideo, MethodOther}

// Valid reports whether m is one of Methods.
func (m Method) Valid() bool { return slices.Contains(Methods, m) }

// CustodyOutcome is how a detainee's time in custody ended while the
// appropriate adult was there.
type CustodyOutcome string

// The custody outcomes.
const (
	OutcomeReleased CustodyOutcome = "RELEASED"
	OutcomeBailed   CustodyOutcome = "BAILED"
	OutcomeCharged  CustodyOutcome = "CHARGED"
	OutcomeOther    CustodyOutcome = "OTHER"
)

// CustodyOutcomes lists every custody outcome.
var CustodyOutcomes = []CustodyOutcome{OutcomeReleased, OutcomeBailed, OutcomeCharged, OutcomeOther}

// Valid reports whether o is one of CustodyOutcomes.
func (o CustodyOutcome) Valid() bool { return slices.Contains(CustodyOutcomes, o) }

// Attempt is one attempt to carry out a follow-up.
type Attempt struct {
	// At is when the attempt was made; RecordedAt when it was recorded.
	At         time.Time `json:"at"`
	Method     Method    `json:"method"`
	Outcome    string    `json:"outcome"`
	RecordedAt time.Time `json:"recordedAt"`
}

// ReturnHomeInterview is the record of a return home interview.
type ReturnHomeInterview struct {
	InterviewedAt time.Time `json:"interviewedAt"`
	Method        Method    `json:"method"`
	// PushFactors: what made the child leave; PullFactors: what drew them
	// away.
	PushFactors string `json:"pushFactors"`
	PullFactors string `json:"pullFactors"`
	// WhereChildWas and WithWhom: where the child was while missing, and
	// with whom.
	WhereChildWas       string `json:"whereChildWas"`
	WithWhom            string `json:"withWhom"`
	HarmSuffered        bool   `json:"harmSuffered"`
	HarmDetails         string `json:"harmDetails,omitempty"`
	ExploitationSigns   bool   `json:"exploitationSigns"`
	ExploitationDetails string `json:"exploitationDetails,omitempty"`
	// NewReferralNeeded: the interview found a new concern that needs a
	// referral to the MASH; the referral made is the follow-up's
	// NewReferralID.
	NewReferralNeeded bool `json:"newReferralNeeded"`
}

// AppropriateAdultAttendance is the record of an appropriate adult's
// attendance at a custody suite. The time requested is the follow-up's
// StartAt and the time accepted its AcceptedAt.
type AppropriateAdultAttendance struct {
	ArrivedAt time.Time      `json:"arrivedAt"`
	LeftAt    time.Time      `json:"leftAt"`
	Outcome   CustodyOutcome `json:"outcome"`
	// OutcomeDetail says more about the outcome; required for OTHER.
	OutcomeDetail string `json:"outcomeDetail,omitempty"`
}

// Decline records that the child declined a return home interview.
type Decline struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

// Event is one event recorded on a follow-up, as stored (append-only).
type Event struct {
	// ID is a ULID.
	ID         string      `json:"id"`
	FollowUpID string      `json:"followUpId"`
	Type       EventType   `json:"eventType"`
	RecordedAt time.Time   `json:"recordedAt"`
	RecordedBy audit.Actor `json:"recordedBy"`
	// Version is the follow-up's version after the event.
	Version             int                         `json:"version"`
	AcceptedAt          *time.Time                  `json:"acceptedAt,omitempty"`
	Attempt             *Attempt                    `json:"attempt,omitempty"`
	ReturnHomeInterview *ReturnHomeInterview        `json:"returnHomeInterview,omitempty"`
	AppropriateAdult    *AppropriateAdultAttendance `json:"appropriateAdult,omitempty"`
	Decline             *Decline                    `json:"decline,omitempty"`
	NewReferralID       string                      `json:"newReferralId,omitempty"`
}

// EventRequest is the body of POST /follow-ups/{id}/events: the event's
// type, the version of the follow-up it was made on, and the section for
// its type. Times are RFC 3339 with an offset from UTC.
type EventRequest struct {
	Type    EventType `json:"type"`
	Version int       `json:"version"`
	// AcceptedAt is, for ACCEPT, when the provider accepted; the time the
	// event is received when left out.
	AcceptedAt          string                    `json:"acceptedAt,omitempty"`
	Attempt             *AttemptInput             `json:"attempt,omitempty"`
	ReturnHomeInterview *ReturnHomeInterviewInput `json:"returnHomeInterview,omitempty"`
	AppropriateAdult    *AppropriateAdultInput    `json:"appropriateAdult,omitempty"`
	Decline             *DeclineInput             `json:"decline,omitempty"`
}

// AttemptInput is the attempt section of an ATTEMPT event.
type AttemptInput struct {
	At      string `json:"at"`
	Method  Method `json:"method"`
	Outcome string `json:"outcome"`
}

// ReturnHomeInterviewInput is the section of a COMPLETE event on a return
// home interview. NewReferral is required when NewReferralNeeded is true and
// not allowed otherwise.
type ReturnHomeInterviewInput struct {
	InterviewedAt       string       `json:"interviewedAt"`
	Method              Method       `json:"method"`
	PushFactors         string       `json:"pushFactors"`
	PullFactors         string       `json:"pullFactors"`
	WhereChildWas       string       `json:"whereChildWas"`
	WithWhom            string       `json:"withWhom"`
	HarmSuffered        *bool        `json:"harmSuffered"`
	HarmDetails         string       `json:"harmDetails,omitempty"`
	ExploitationSigns   *bool        `json:"exploitationSigns"`
	ExploitationDetails string       `json:"exploitationDetails,omitempty"`
	NewReferralNeeded   *bool        `json:"newReferralNeeded"`
	NewReferral         *NewReferral `json:"newReferral,omitempty"`
}

// NewReferral is what the interviewer adds to make a referral of the child
// to the MASH: who refers (the interviewer), consent and the concerns. The
// child's details come from the referral that started the interview.
type NewReferral struct {
	Referrer referral.Referrer `json:"referrer"`
	Consent  referral.Consent  `json:"consent"`
	Concerns referral.Concerns `json:"concerns"`
}

// Form returns the referral form n makes about child: the interviewer as
// referrer, the consent and concerns given, and the child as the one child.
// No missing episode is carried over: it was referred already.
func (n NewReferral) Form(child referral.Child) *referral.Referral {
	return &referral.Referral{
		Referrer: n.Referrer,
		Children: []referral.Child{child},
		Consent:  n.Consent,
		Concerns: n.Concerns,
	}
}

// AppropriateAdultInput is the section of a COMPLETE event on an
// appropriate adult follow-up.
type AppropriateAdultInput struct {
	ArrivedAt     string         `json:"arrivedAt"`
	LeftAt        string         `json:"leftAt"`
	Outcome       CustodyOutcome `json:"outcome"`
	OutcomeDetail string         `json:"outcomeDetail,omitempty"`
}

// DeclineInput is the section of a DECLINE event.
type DeclineInput struct {
	At     string `json:"at"`
	Reason string `json:"reason,omitempty"`
}

// DecodeEvent reads an event from a request body, strictly: at most
// MaxEventBody bytes, exactly one JSON object, only known fields, each once,
// each of the right type. The error is an *apperr.Error: TooLarge, or
// Malformed naming every member at fault.
func DecodeEvent(body []byte) (*EventRequest, error) {
	if len(body) > MaxEventBody {
		return nil, apperr.New(apperr.TooLarge, "The event is over %d KiB. Shorten the free-text answers.", MaxEventBody>>10)
	}
	return strictjson.Decode[EventRequest](body, strictjson.Form{What: "follow-up event", FieldOf: "a follow-up event"})
}

// Check checks what can be checked of r without the follow-up: a known type
// and a version of at least 1. The error is an *apperr.Error with code
// Invalid.
func (r *EventRequest) Check() error {
	var fs []apperr.FieldError
	if !r.Type.Valid() {
		fs = append(fs, apperr.FieldError{Field: "type", Message: "Choose the type of event: ACCEPT, ATTEMPT, COMPLETE or DECLINE"})
	}
	if r.Version < 1 {
		fs = append(fs, apperr.FieldError{Field: "version", Message: "Give the version of the follow-up you read (a whole number from 1), so that a change made since is not overwritten"})
	}
	if len(fs) > 0 {
		return apperr.WithFields(strictjson.ProblemsMessage(len(fs), "The follow-up event has something to correct"), fs)
	}
	return nil
}

// Apply records the event r on f, received at now, and returns the
// follow-up as it is after it and the event to store. It checks, in order:
//
//   - r passes Check (Invalid);
//   - r.Version is f's version (Conflict: it changed since the caller read
//     it; the message gives the version now);
//   - the event is one f's kind can have: a DECLINE only on a return home
//     interview, a COMPLETE only on a return home interview or an
//     appropriate adult (Invalid);
//   - f's status allows it: ACCEPT from OPEN or OVERDUE; ATTEMPT, COMPLETE
//     and DECLINE once ACCEPTED; nothing once COMPLETED, DECLINED or
//     CANCELLED; at most MaxAttempts attempts (Conflict);
//   - the event's section: present for its type and no other; times in
//     RFC 3339, not before f's StartAt and not more than MaxClockSkew after
//     now; methods and outcomes from their lists; text within its limits
//     (Invalid, naming every field at fault).
//
// The follow-up after the event has its version up by one. Apply does not
// set NewReferralID, nor the event's ID and RecordedBy: the caller does.
func Apply(f FollowUp, r EventRequest, now time.Time) (FollowUp, Event, error) {
	if err := r.Check(); err != nil {
		return f, Event{}, err
	}
	if r.Version != f.Version {
		return f, Event{}, Changed(f.Version)
	}
	if err := kindAllows(f.Kind, r.Type); err != nil {
		return f, Event{}, err
	}
	if err := statusAllows(f, r.Type); err != nil {
		return f, Event{}, err
	}
	now = now.UTC()
	v := &eventChecker{f: f, now: now}
	v.sections(r)
	next := f
	next.Version = f.Version + 1
	ev := Event{FollowUpID: f.ID, Type: r.Type, RecordedAt: now, Version: next.Version}
	switch r.Type {
	case EventAccept:
		at := now
		if r.AcceptedAt != "" {
			at = v.time("acceptedAt", r.AcceptedAt, "Enter when you accepted the follow-up")
		}
		next.Status, next.AcceptedAt, ev.AcceptedAt = StatusAccepted, &at, &at
	case EventAttempt:
		a := v.attempt(r.Attempt)
		next.Attempts = append(slices.Clone(f.Attempts), a)
		ev.Attempt = &a
	case EventComplete:
		next.Status, next.CompletedAt = StatusCompleted, &now
		if f.Kind == KindReturnHomeInterview {
			rhi := v.returnHomeInterview(r.ReturnHomeInterview)
			next.ReturnHomeInterview, ev.ReturnHomeInterview = &rhi, &rhi
		} else {
			aa := v.appropriateAdult(r.AppropriateAdult)
			next.AppropriateAdult, ev.AppropriateAdult = &aa, &aa
		}
	case EventDecline:
		d := v.decline(r.Decline)
		next.Status, next.Decline, ev.Decline = StatusDeclined, &d, &d
	}
	if len(v.fields) > 0 {
		return f, Event{}, apperr.WithFields(strictjson.ProblemsMessage(len(v.fields), "The follow-up event has something to correct"), v.fields)
	}
	return next, ev, nil
}

// Changed is the Conflict error for an event made on a version of a
// follow-up other than its version now.
func Changed(version int) *apperr.Error {
	return apperr.New(apperr.Conflict,
		"This follow-up changed since you read it (version %d now). Read it again, check what changed, and send your event with version %d.", version, version)
}

// kindAllows says whether a follow-up of kind k can have events of type t.
func kindAllows(k Kind, t EventType) error {
	switch {
	case t == EventDecline && k != KindReturnHomeInterview:
		return apperr.WithFields("Only a return home interview can be declined.", []apperr.FieldError{{
			Field: "type", Message: "A " + strings.ToLower(k.Label()) + " cannot be declined. Record an attempt, or complete it with its outcome",
		}})
	case t == EventComplete && k != KindReturnHomeInterview && k != KindAppropriateAdult:
		return apperr.WithFields("This kind of follow-up is completed by the MASH, not through this service.", []apperr.FieldError{{
			Field: "type", Message: "A " + strings.ToLower(k.Label()) + " cannot be completed here",
		}})
	}
	return nil
}

// statusAllows says whether f's status allows an event of type t.
func statusAllows(f FollowUp, t EventType) error {
	if f.Status.Final() {
		return apperr.New(apperr.Conflict, "This follow-up is %s: nothing more can be recorded on it.", strings.ToLower(string(f.Status)))
	}
	switch t {
	case EventAccept:
		if f.Status != StatusOpen && f.Status != StatusOverdue {
			return apperr.New(apperr.Conflict, "This follow-up is already accepted (status %s).", f.Status)
		}
	default:
		if f.Status != StatusAccepted {
			return apperr.New(apperr.Conflict, "Accept this follow-up first: it is %s, and an attempt, completion or decline is recorded only on an accepted follow-up.", f.Status)
		}
		if t == EventAttempt && len(f.Attempts) >= MaxAttempts {
			return apperr.New(apperr.Conflict, "This follow-up already has %d attempts, the most that can be recorded. Complete it, or ask the MASH manager to review it.", MaxAttempts)
		}
	}
	return nil
}

// eventChecker collects the problems with one event's fields.
type eventChecker struct {
	f      FollowUp
	now    time.Time
	fields []apperr.FieldError
}

func (v *eventChecker) add(field, msg string) {
	v.fields = append(v.fields, apperr.FieldError{Field: field, Message: msg})
}

// sections checks that the event has the section its type needs and no
// other.
func (v *eventChecker) sections(r EventRequest) {
	want := map[EventType]string{EventAttempt: "attempt", EventDecline: "decline"}
	if r.Type == EventComplete {
		want[EventComplete] = "returnHomeInterview"
		if v.f.Kind == KindAppropriateAdult {
			want[EventComplete] = "appropriateAdult"
		}
	}
	given := map[string]bool{
		"attempt": r.Attempt != nil, "returnHomeInterview": r.ReturnHomeInterview != nil,
		"appropriateAdult": r.AppropriateAdult != nil, "decline": r.Decline != nil,
	}
	for _, name := range []string{"attempt", "returnHomeInterview", "appropriateAdult", "decline"} {
		switch {
		case name == want[r.Type] && !given[name]:
			v.add(name, fmt.Sprintf("Add the %s section: a %s event needs it", name, r.Type))
		case name != want[r.Type] && given[name]:
			v.add(name, fmt.Sprintf("Leave out the %s section: it does not belong in a %s event on a %s", name, r.Type, strings.ToLower(v.f.Kind.Label())))
		}
	}
	if r.AcceptedAt != "" && r.Type != EventAccept {
		v.add("acceptedAt", "Leave out acceptedAt: it belongs only in an ACCEPT event")
	}
}

const msgTime = "Enter a date and time with its offset from UTC, like 2026-11-20T21:30:00Z or 2026-06-20T21:30:00+01:00"

// time parses a required time that must lie between the follow-up's start
// and now (give or take MaxClockSkew). It returns the zero time when the
// field is at fault.
func (v *eventChecker) time(field, s, required string) time.Time {
	if strings.TrimSpace(s) == "" {
		v.add(field, required)
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	switch {
	case err != nil:
		v.add(field, msgTime)
		return time.Time{}
	case t.After(v.now.Add(MaxClockSkew)):
		v.add(field, "Enter a time that is not in the future")
		return time.Time{}
	case t.Before(v.f.StartAt):
		v.add(field, "Enter a time after the follow-up started ("+v.f.StartAt.Format(time.RFC3339)+")")
		return time.Time{}
	}
	return t.UTC()
}

// text checks a text answer: required (when required is not empty, the
// message) and at most max characters.
func (v *eventChecker) text(field, s string, max int, required string) {
	switch {
	case required != "" && strings.TrimSpace(s) == "":
		v.add(field, required)
	case utf8.RuneCountInString(s) > max:
		v.add(field, fmt.Sprintf("Shorten this to %d characters or fewer", max))
	}
}

func (v *eventChecker) method(field string, m Method) {
	if !m.Valid() {
		v.add(field, "Choose IN_PERSON, PHONE, VIDEO or OTHER")
	}
}

func (v *eventChecker) yesNo(field string, b *bool, question string) bool {
	if b == nil {
		v.add(field, question)
		return false
	}
	return *b
}

func (v *eventChecker) attempt(in *AttemptInput) Attempt {
	if in == nil {
		return Attempt{}
	}
	a := Attempt{
		At:         v.time("attempt.at", in.At, "Enter when the attempt was made"),
		Method:     in.Method,
		Outcome:    strings.TrimSpace(in.Outcome),
		RecordedAt: v.now,
	}
	v.method("attempt.method", in.Method)
	v.text("attempt.outcome", in.Outcome, MaxOutcomeText, "Say what happened, for example \"no answer; left a card\"")
	return a
}

func (v *eventChecker) returnHomeInterview(in *ReturnHomeInterviewInput) ReturnHomeInterview {
	if in == nil {
		return ReturnHomeInterview{}
	}
	const p = "returnHomeInterview."
	r := ReturnHomeInterview{
		InterviewedAt:       v.time(p+"interviewedAt", in.InterviewedAt, "Enter when the interview took place"),
		Method:              in.Method,
		PushFactors:         strings.TrimSpace(in.PushFactors),
		PullFactors:         strings.TrimSpace(in.PullFactors),
		WhereChildWas:       strings.TrimSpace(in.WhereChildWas),
		WithWhom:            strings.TrimSpace(in.WithWhom),
		HarmDetails:         strings.TrimSpace(in.HarmDetails),
		ExploitationDetails: strings.TrimSpace(in.ExploitationDetails),
	}
	v.method(p+"method", in.Method)
	notSaid := " (write \"not disclosed\" if the child would not say)"
	v.text(p+"pushFactors", in.PushFactors, MaxRecordText, "Record what made the child leave"+notSaid)
	v.text(p+"pullFactors", in.PullFactors, MaxRecordText, "Record what drew the child away"+notSaid)
	v.text(p+"whereChildWas", in.WhereChildWas, MaxRecordText, "Record where the child was while missing"+notSaid)
	v.text(p+"withWhom", in.WithWhom, MaxRecordText, "Record who the child was with while missing"+notSaid)
	r.HarmSuffered = v.yesNo(p+"harmSuffered", in.HarmSuffered, "Say whether the child suffered harm while missing")
	v.text(p+"harmDetails", in.HarmDetails, MaxRecordText, ifTrue(r.HarmSuffered, "Describe the harm the child suffered"))
	r.ExploitationSigns = v.yesNo(p+"exploitationSigns", in.ExploitationSigns, "Say whether there are signs of exploitation")
	v.text(p+"exploitationDetails", in.ExploitationDetails, MaxRecordText, ifTrue(r.ExploitationSigns, "Describe the signs of exploitation"))
	r.NewReferralNeeded = v.yesNo(p+"newReferralNeeded", in.NewReferralNeeded, "Say whether a new referral to the MASH is needed")
	switch {
	case r.NewReferralNeeded && in.NewReferral == nil:
		v.add(p+"newReferral", "Add the new referral: who you are (referrer), consent, and the concerns (categories, account, immediate risk, level of need)")
	case in.NewReferralNeeded != nil && !r.NewReferralNeeded && in.NewReferral != nil:
		v.add(p+"newReferral", "Leave out the new referral, or say that one is needed (newReferralNeeded: true)")
	case in.NewReferral != nil:
		for i, c := range in.NewReferral.Concerns.Categories {
			if c == referral.CategoryMissing {
				v.add(fmt.Sprintf("%snewReferral.concerns.categories[%d]", p, i),
					"The missing episode was referred already; choose the concerns the interview found")
			}
		}
	}
	return r
}

func ifTrue(b bool, s string) string {
	if b {
		return s
	}
	return ""
}

func (v *eventChecker) appropriateAdult(in *AppropriateAdultInput) AppropriateAdultAttendance {
	if in == nil {
		return AppropriateAdultAttendance{}
	}
	const p = "appropriateAdult."
	a := AppropriateAdultAttendance{
		ArrivedAt:     v.time(p+"arrivedAt", in.ArrivedAt, "Enter when the appropriate adult arrived at the custody suite"),
		LeftAt:        v.time(p+"leftAt", in.LeftAt, "Enter when the appropriate adult left the custody suite"),
		Outcome:       in.Outcome,
		OutcomeDetail: strings.TrimSpace(in.OutcomeDetail),
	}
	if acc := v.f.AcceptedAt; acc != nil && !a.ArrivedAt.IsZero() && a.ArrivedAt.Before(*acc) {
		v.add(p+"arrivedAt", "Enter an arrival time after the follow-up was accepted ("+acc.Format(time.RFC3339)+")")
	}
	if !a.ArrivedAt.IsZero() && !a.LeftAt.IsZero() && a.LeftAt.Before(a.ArrivedAt) {
		v.add(p+"leftAt", "Enter a time of leaving after the time of arrival")
	}
	if !in.Outcome.Valid() {
		v.add(p+"outcome", "Choose RELEASED, BAILED, CHARGED or OTHER")
	}
	v.text(p+"outcomeDetail", in.OutcomeDetail, MaxOutcomeText, ifTrue(in.Outcome == OutcomeOther, "Say what the outcome was"))
	return a
}

func (v *eventChecker) decline(in *DeclineInput) Decline {
	if in == nil {
		return Decline{}
	}
	d := Decline{
		At:     v.time("decline.at", in.At, "Enter when the child declined the interview"),
		Reason: strings.TrimSpace(in.Reason),
	}
	v.text("decline.reason", in.Reason, MaxOutcomeText, "")
	return d
}
