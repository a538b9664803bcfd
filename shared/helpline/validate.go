package helpline

import (
	"fmt"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// Messages used in more than one place.
const (
	msgShort     = "Shorten this to 200 characters or fewer"
	msgAdvice    = "Shorten the account of the advice given to 4,000 characters or fewer"
	msgTime      = "Enter the date and time the call started with its offset from UTC, like 2026-11-20T14:30:00Z or 2026-06-20T14:30:00+01:00"
	msgAnonymous = "Leave this out: the caller is anonymous, so nothing that could identify them is recorded. " +
		"If the caller chose to give it, say the caller is not anonymous"
)

// Validate checks a decoded call against the rules of the form, as logged
// at now. It first normalises c in place (see Normalise), so the call that
// passes is the canonical one to store, and returns CalledAt parsed, in
// UTC, to the millisecond.
//
// Validate returns an *apperr.Error with code apperr.Invalid listing every
// problem found, each with the path of the field it concerns and a message
// saying how to put it right, or nil.
func Validate(c *Call, now time.Time) (time.Time, error) {
	if c == nil {
		return time.Time{}, apperr.New(apperr.Invalid, "There is no helpline call to check.")
	}
	Normalise(c)
	v := &validator{c: c, now: now}
	v.calledAt()
	v.duration()
	v.caller()
	v.ageBands()
	v.topics()
	v.advice()
	v.signposting()
	if c.SafeguardingConcern == nil {
		v.Add("safeguardingConcern", "Say whether the call raised a safeguarding concern about a child")
	}
	if c.FollowUpCallAgreed == nil {
		v.Add("followUpCallAgreed", "Say whether a follow-up call was agreed with the caller")
	}
	if err := v.Err("The helpline call has something to correct"); err != nil {
		return time.Time{}, err
	}
	return v.at, nil
}

// Normalise puts c into its canonical form, in place: the time, the
// caller's details and every code without surrounding white space. The
// advice given is kept exactly as typed. Validate calls it.
func Normalise(c *Call) {
	if c == nil {
		return
	}
	c.CalledAt = strings.TrimSpace(c.CalledAt)
	c.Caller.Type = CallerType(strings.TrimSpace(string(c.Caller.Type)))
	c.Caller.FirstName = strings.TrimSpace(c.Caller.FirstName)
	c.Caller.Phone = strings.TrimSpace(c.Caller.Phone)
	c.Caller.Email = strings.TrimSpace(c.Caller.Email)
	trimCodes(c.ChildAgeBands)
	trimCodes(c.Topics)
	trimCodes(c.Signposting)
}

func trimCodes[T ~string](codes []T) {
	for i, s := range codes {
		codes[i] = T(strings.TrimSpace(string(s)))
	}
}

// validator collects the problems with one call.
type validator struct {
	referral.Problems
	c   *Call
	now time.Time
	at  time.Time // CalledAt parsed, once valid
}

func (v *validator) calledAt() {
	s := v.c.CalledAt
	if s == "" {
		v.Add("calledAt", "Enter the date and time the call started")
		return
	}
	t, err := time.Parse(time.RFC3339, s)
	switch {
	case err != nil:
		v.Add("calledAt", msgTime)
	case t.After(v.now.Add(MaxCalledAhead)):
		v.Add("calledAt", "Enter a time the call started that is not in the future")
	case t.Before(v.now.Add(-MaxCalledAgo)):
		v.Add("calledAt", "Enter a time within the last 30 days. A call is logged on the day it is taken; "+
			"for an older call, ask the helpline manager")
	default:
		v.at = t.UTC().Truncate(time.Millisecond)
	}
}

func (v *validator) duration() {
	if d := v.c.DurationMinutes; d < MinDuration || d > MaxDuration {
		v.Add("durationMinutes", fmt.Sprintf("Enter how long the call lasted, in whole minutes from %d to %d", MinDuration, MaxDuration))
	}
}

func (v *validator) caller() {
	const p = "caller."
	c := v.c.Caller
	switch {
	case c.Type == "":
		v.Add(p+"type", "Choose who called: "+choices(CallerTypes))
	case !c.Type.Valid():
		v.Add(p+"type", "Choose one of: "+choices(CallerTypes))
	}
	if c.Anonymous == nil {
		v.Add(p+"anonymous", "Say whether the caller is anonymous")
	}
	if c.Anonymous != nil && *c.Anonymous {
		// Nothing that could identify an anonymous caller is taken, not even
		// to be checked.
		for _, f := range []struct{ name, value string }{{"firstName", c.FirstName}, {"phone", c.Phone}, {"email", c.Email}} {
			if f.value != "" {
				v.Add(p+f.name, msgAnonymous)
			}
		}
		return
	}
	v.Text(p+"firstName", c.FirstName, MaxShortText, "", msgShort)
	// The phone number and email address follow the referral form's rules,
	// whose limit on their length is MaxShortText too.
	v.Phone(p+"phone", c.Phone, "")
	v.Email(p+"email", c.Email, "")
}

// ageBands allows a band more than once: the list has one entry per child,
// and two children can be in the same band.
func (v *validator) ageBands() {
	bands := v.c.ChildAgeBands
	switch {
	case len(bands) == 0:
		v.Add("childAgeBands", "Choose the age band of each child the call was about: "+choices(AgeBands))
	case len(bands) > MaxAgeBands:
		v.Add("childAgeBands", fmt.Sprintf("Give at most %d children's age bands", MaxAgeBands))
	}
	for i, b := range bands {
		if !b.Valid() {
			v.Add(fmt.Sprintf("childAgeBands[%d]", i), "Choose one of: "+choices(AgeBands))
		}
	}
}

func (v *validator) topics() {
	t := v.c.Topics
	switch {
	case len(t) == 0:
		v.Add("topics", "Choose at least one topic the call was about")
	case len(t) > MaxTopics:
		v.Add("topics", fmt.Sprintf("Choose at most %d topics, each once", MaxTopics))
	}
	codes(v, "topics", t, "Choose topics from the list on the form")
}

func (v *validator) signposting() {
	s := v.c.Signposting
	if len(s) > MaxSignposts {
		v.Add("signposting", fmt.Sprintf("Choose at most %d services, each once", MaxSignposts))
	}
	codes(v, "signposting", s, "Choose services from the list on the form")
}

// codes checks each code of a list that takes each code at most once.
func codes[T interface {
	~string
	Valid() bool
}](v *validator, field string, list []T, invalid string) {
	seen := map[T]bool{}
	for i, c := range list {
		p := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case !c.Valid():
			v.Add(p, invalid)
		case seen[c]:
			v.Add(p, "Choose each one only once")
		}
		seen[c] = true
	}
}

func (v *validator) advice() {
	v.Text("adviceGiven", v.c.AdviceGiven, MaxAdvice, "Describe the advice given", msgAdvice)
}
