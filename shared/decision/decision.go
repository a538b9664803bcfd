// Package decision records a MASH screener's decision on a referral: the
// outcome, the rationale, the level of need (and primary need, for the
// children in need census), who decided and when, and whether the referrer
// was told. Decisions are append-only: a correction is a new decision that
// supersedes the last. A decision is made on the version of the referral the
// screener read; if the referral changed since, the decision is refused, so
// nobody decides on what they have not seen.
package decision

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// Outcome is what the screener decided.
type Outcome string

// The outcomes of a screening decision.
const (
	// NoFurtherAction: closed at the front door, with advice or
	// signposting (the census's "no further action" flag).
	NoFurtherAction Outcome = "no-further-action"
	// EarlyHelp: stepped down to early help.
	EarlyHelp Outcome = "early-help"
	// Assessment: a child-in-need assessment (Children Act 1989 s17).
	Assessment Outcome = "child-in-need-assessment"
	// StrategyDiscussion: a strategy discussion (Children Act 1989 s47).
	StrategyDiscussion Outcome = "strategy-discussion"
	// Transfer: transferred to another local authority.
	Transfer Outcome = "transfer-to-another-authority"
	// AllocatedWorker: passed to the worker already allocated to the child.
	AllocatedWorker Outcome = "pass-to-allocated-worker"
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{NoFurtherAction, EarlyHelp, Assessment, StrategyDiscussion, Transfer, AllocatedWorker}

// PrimaryNeeds are the children in need census's primary need codes.
var PrimaryNeeds = map[string]string{
	"N0": "not stated",
	"N1": "abuse or neglect",
	"N2": "child's disability or illness",
	"N3": "parental illness or disability",
	"N4": "family in acute stress",
	"N5": "family dysfunction",
	"N6": "socially unacceptable behaviour",
	"N7": "low income",
	"N8": "absent parenting",
	"N9": "cases other than children in need",
}

// Limits on a decision.
const (
	// MaxBody is the largest decision request accepted: 32 KiB.
	MaxBody = 32 << 10
	// MinRationale and MaxRationale bound the rationale, in characters.
	MinRationale = 20
	MaxRationale = 5000
	// MaxText bounds the other free-text fields, in characters.
	MaxText = 2000
	// MaxName bounds names of authorities and workers, in characters.
	MaxName = 200
)

// Request is a decision as a screener sends it.
type Request struct {
	// Version is the version of the referral the screener read.
	Version *int `json:"version"`
	// Supersedes is the id of the decision this one corrects; empty for
	// the first decision.
	Supersedes  string                `json:"supersedes,omitempty"`
	Outcome     Outcome               `json:"outcome"`
	Rationale   string                `json:"rationale"`
	LevelOfNeed *referral.LevelOfNeed `json:"levelOfNeed"`
	// PrimaryNeed is the census code N0–N9; required for an assessment or
	// a strategy discussion.
	PrimaryNeed string `json:"primaryNeed,omitempty"`
	// AdviceGiven is the advice or signposting; required for no further
	// action and early help.
	AdviceGiven string `json:"adviceGiven,omitempty"`
	// TransferTo is the local authority; required for a transfer.
	TransferTo string `json:"transferTo,omitempty" text:"line"`
	// AllocatedWorker identifies the worker; required when passing to one.
	AllocatedWorker  string `json:"allocatedWorker,omitempty" text:"line"`
	ReferrerInformed *bool  `json:"referrerInformed"`
	// ReferrerNotInformedReason is required when the referrer was not told.
	ReferrerNotInformedReason string `json:"referrerNotInformedReason,omitempty"`
}

// Decision is a recorded decision.
type Decision struct {
	ID                        string               `json:"id"`
	ReferralID                string               `json:"referralId"`
	Outcome                   Outcome              `json:"outcome"`
	Rationale                 string               `json:"rationale"`
	LevelOfNeed               referral.LevelOfNeed `json:"levelOfNeed"`
	PrimaryNeed               string               `json:"primaryNeed,omitempty"`
	AdviceGiven               string               `json:"adviceGiven,omitempty"`
	TransferTo                string               `json:"transferTo,omitempty" text:"line"`
	AllocatedWorker           string               `json:"allocatedWorker,omitempty" text:"line"`
	ReferrerInformed          bool                 `json:"referrerInformed"`
	ReferrerNotInformedReason string               `json:"referrerNotInformedReason,omitempty"`
	// DecidedBy is the screener's subject; DecidedByRole the role they
	// acted in.
	DecidedBy     string    `json:"decidedBy"`
	DecidedByRole string    `json:"decidedByRole"`
	DecidedAt     time.Time `json:"decidedAt"`
	// DueAt is when the screening decision was due; the first decision is
	// within timescale when DecidedAt is not after it.
	DueAt *time.Time `json:"dueAt,omitempty"`
	// Supersedes is the decision this one corrects; SupersededBy the one
	// that corrected this one.
	Supersedes   string `json:"supersedes,omitempty"`
	SupersededBy string `json:"supersededBy,omitempty"`
}

// NoFurtherAction reports whether the decision closes the referral at the
// front door (the census flag).
func (d Decision) NoFurtherAction() bool { return d.Outcome == NoFurtherAction }

// Decode reads a decision request strictly: unknown members, repeated
// members and wrong types are each named.
func Decode(body []byte) (*Request, error) {
	if len(body) > MaxBody {
		return nil, apperr.New(apperr.TooLarge, "The request body is over %d KiB. A decision is much smaller than that: shorten the rationale.", MaxBody>>10)
	}
	return strictjson.Decode[Request](body, strictjson.Form{What: "decision", FieldOf: "a decision"})
}

// Validate checks every rule of a decision request and returns an Invalid
// error listing each field at fault.
func Validate(r *Request) error {
	var fs []apperr.FieldError
	add := func(field, format string, args ...any) {
		fs = append(fs, apperr.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	text := func(field, v string, required bool, max int, what string) {
		n := utf8.RuneCountInString(strings.TrimSpace(v))
		switch {
		case n == 0 && required:
			add(field, "Enter %s.", what)
		case n > max:
			add(field, "%s must be %d characters or fewer; it is %d.", capital(what), max, n)
		}
	}
	if r.Version == nil {
		add("version", "Send the version of the referral you read (the \"version\" of GET /referrals/{id}), so a decision is never made on a referral that changed since.")
	} else if *r.Version < 1 {
		add("version", "The version is a whole number from 1.")
	}
	if r.Supersedes != "" && !ids.IsULID(r.Supersedes) {
		add("supersedes", "This is not a decision id: a decision id is 26 characters, like 01JDCQ2Z8Q7X3V4N5M6K7J8H9G.")
	}
	if r.Outcome == "" {
		add("outcome", "Choose an outcome: %s.", outcomeList())
	} else if !r.Outcome.Valid() {
		add("outcome", "%q is not an outcome. Choose one of: %s.", r.Outcome, outcomeList())
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(r.Rationale)); n < MinRationale {
		add("rationale", "Give the rationale for the decision, at least %d characters.", MinRationale)
	} else if n > MaxRationale {
		add("rationale", "The rationale must be %d characters or fewer; it is %d.", MaxRationale, n)
	}
	if r.LevelOfNeed == nil {
		add("levelOfNeed", "Choose the level of need: 1 universal, 2 early help, 3 child in need, 4 child protection.")
	} else if !r.LevelOfNeed.Valid() {
		add("levelOfNeed", "The level of need is 1 universal, 2 early help, 3 child in need or 4 child protection.")
	}
	needsPrimary := r.Outcome == Assessment || r.Outcome == StrategyDiscussion
	switch _, known := PrimaryNeeds[r.PrimaryNeed]; {
	case r.PrimaryNeed == "" && needsPrimary:
		add("primaryNeed", "Choose the primary need (N0 to N9): the census needs it for an assessment or a strategy discussion.")
	case r.PrimaryNeed != "" && !known:
		add("primaryNeed", "The primary need is a census code from N0 to N9.")
	}
	text("adviceGiven", r.AdviceGiven, r.Outcome == NoFurtherAction || r.Outcome == EarlyHelp, MaxText, "the advice or signposting given")
	text("transferTo", r.TransferTo, r.Outcome == Transfer, MaxName, "the local authority the referral is transferred to")
	text("allocatedWorker", r.AllocatedWorker, r.Outcome == AllocatedWorker, MaxName, "the allocated worker it is passed to")
	if r.ReferrerInformed == nil {
		add("referrerInformed", "Say whether the referrer was told of the decision (true or false).")
	}
	text("referrerNotInformedReason", r.ReferrerNotInformedReason, r.ReferrerInformed != nil && !*r.ReferrerInformed, MaxText, "why the referrer was not told")
	if r.ReferrerInformed != nil && *r.ReferrerInformed && r.ReferrerNotInformedReason != "" {
		add("referrerNotInformedReason", "Leave this out: the referrer was told.")
	}
	if len(fs) > 0 {
		return apperr.WithFields(strictjson.ProblemsMessage(len(fs), "The decision cannot be recorded"), fs)
	}
	return nil
}

// Valid reports whether o is one of Outcomes.
func (o Outcome) Valid() bool {
	for _, v := range Outcomes {
		if o == v {
			return true
		}
	}
	return false
}

func outcomeList() string {
	names := make([]string, len(Outcomes))
	for i, o := range Outcomes {
		names[i] = string(o)
	}
	return strings.Join(names, ", ")
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
