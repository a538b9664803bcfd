// Package custody holds a police custody suite's request to the local
// authority (POST /custody-requests): for an appropriate adult for a child,
// or a vulnerable adult, in custody whose parent or guardian cannot attend
// (PACE Code C 1.5, 3.15), and, when a charged child is refused bail, for
// local authority accommodation under PACE s38(6).
//
// The package is pure domain code: the request's types, strict decoding of
// a submitted body and the rules a request must meet before it is accepted.
// Every error it returns is an *apperr.Error. Messages name fields by their
// JSON path (for example "detainee.lastName") and never repeat a submitted
// value: the values are personal data about people in custody.
package custody

import (
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// Limits on the size and content of a custody request.
const (
	// MaxBody is the largest request body Decode reads, in bytes (64 KiB).
	MaxBody = 64 << 10
	// MaxFreeText is the longest free-text answer, in characters (runes).
	MaxFreeText = 2000
	// MaxShortText is the longest name or other short answer, in characters.
	// The officer's phone and email are checked by the rules the referral
	// form uses (referral.Problems), whose limit, referral.MaxShortText, is
	// the same.
	MaxShortText = 200
	// MaxCustodyNumber is the longest custody record number, in characters.
	MaxCustodyNumber = 40
	// MaxEstimatedAge is the highest estimated age, in years, a detainee may
	// be given. Older detainees need a date of birth, or none at all if they
	// are vulnerable adults whose age is known only roughly.
	MaxEstimatedAge = 25
	// MaxDetainedAhead is how far after the moment of receipt DetainedAt may
	// be, allowing for clocks that are a little fast.
	MaxDetainedAhead = 5 * time.Minute
	// MaxDetainedAgo is how long before the moment of receipt DetainedAt may
	// be: 96 hours is the longest anyone can be detained without charge.
	MaxDetainedAgo = 96 * time.Hour
)

// Request is one request from a custody suite, as submitted.
type Request struct {
	// CustodySuite is the name of the custody suite holding the detainee.
	CustodySuite string `json:"custodySuite" text:"line"`
	// CustodyNumber is the custody record number: letters, digits, "/" and "-".
	CustodyNumber string   `json:"custodyNumber" text:"line"`
	Officer       Officer  `json:"officer"`
	Detainee      Detainee `json:"detainee"`
	// UnderEighteen answers "Is the detainee, or do they appear to be, under
	// 18?". Nil means not answered.
	UnderEighteen *bool `json:"underEighteen,omitempty"`
	// VulnerableAdult says whether the detainee is an adult the custody
	// officer suspects may be vulnerable (PACE Code C 1.4, 1.13(d)).
	VulnerableAdult bool `json:"vulnerableAdult,omitempty"`
	// ParentUnavailableReason says why no parent, guardian or other
	// appropriate adult can attend. Required when an appropriate adult is
	// requested.
	ParentUnavailableReason string `json:"parentUnavailableReason,omitempty"`
	// InterpreterNeeded says whether the detainee needs an interpreter; nil
	// means not answered.
	InterpreterNeeded *bool `json:"interpreterNeeded,omitempty"`
	// Language is the language to interpret; required when InterpreterNeeded
	// is true.
	Language string `json:"language,omitempty" text:"line"`
	// DetainedAt is when the detainee's detention was authorised, RFC 3339
	// with an offset from UTC.
	DetainedAt string `json:"detainedAt"`
	// AppropriateAdultRequested asks for an appropriate adult.
	AppropriateAdultRequested bool `json:"appropriateAdultRequested,omitempty"`
	// Charged says whether the detainee has been charged.
	Charged bool `json:"charged,omitempty"`
	// BailRefused says whether bail after charge has been refused.
	BailRefused bool `json:"bailRefused,omitempty"`
	// AccommodationRequested asks for local authority accommodation under
	// PACE s38(6) for a charged child refused bail.
	AccommodationRequested bool `json:"accommodationRequested,omitempty"`
	// AccommodationReason is anything the local authority should know about
	// the accommodation needed, such as whether it must be secure.
	AccommodationReason string `json:"accommodationReason,omitempty"`
}

// Officer is the police officer making the request.
type Officer struct {
	Name         string `json:"name" text:"line"`
	Rank         string `json:"rank,omitempty"`
	CollarNumber string `json:"collarNumber,omitempty"`
	// Phone is a UK phone number the local authority can call back on.
	Phone string `json:"phone" text:"line"`
	Email string `json:"email,omitempty" text:"line"`
}

// Detainee is the person in custody.
type Detainee struct {
	FirstName string `json:"firstName" text:"line"`
	LastName  string `json:"lastName" text:"line"`
	KnownAs   string `json:"knownAs,omitempty" text:"line"`
	// DateOfBirth is YYYY-MM-DD. A detainee has DateOfBirth, EstimatedAge
	// or both.
	DateOfBirth string `json:"dateOfBirth,omitempty"`
	// EstimatedAge in years, from 0 to MaxEstimatedAge, given when the date
	// of birth is not known or not believed.
	EstimatedAge *int         `json:"estimatedAge,omitempty"`
	Sex          referral.Sex `json:"sex"`
	// Address is the detainee's home address, when known.
	Address *referral.Address `json:"address,omitempty"`
	// NHSNumber is 10 digits; Validate removes any spaces.
	NHSNumber string `json:"nhsNumber,omitempty" text:"line"`
}

// DetainedTime returns DetainedAt parsed, in UTC. It returns an
// *apperr.Error with code apperr.Invalid, naming the field "detainedAt",
// when DetainedAt is not an RFC 3339 time with an offset.
func (r *Request) DetainedTime() (time.Time, error) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(r.DetainedAt))
	if err != nil {
		return time.Time{}, apperr.WithFields("The custody request has something to correct: there is 1 problem.",
			[]apperr.FieldError{{Field: "detainedAt", Message: msgTime}})
	}
	return t.UTC(), nil
}

// Record is a custody request as stored: the request exactly as accepted
// (after Validate has normalised it) and what the front door recorded
// about it.
type Record struct {
	ID         string    `json:"id"`
	Reference  string    `json:"reference"`
	ReceivedAt time.Time `json:"receivedAt"`
	Request    Request   `json:"request"`
}
