package helpline

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// Messages used in more than one place.
const (
	msgShort     = "Shorten this to 200 characters or fewer"
	msgAdvice    = "Shorten the account of the advice given to 4,000 characters or fewer"
	msgEmail     = "Enter an email address in the correct format, like name@example.org"
	msgPhone     = "Enter a UK phone number, like 0161 496 0000 or +44 161 496 0000"
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
		v.add("safeguardingConcern", "Say whether the call raised a safeguarding concern about a child")
	}
	if c.FollowUpCallAgreed == nil {
		v.add("followUpCallAgreed", "Say whether a follow-up call was agreed with the caller")
	}
	if len(v.fields) > 0 {
		return time.Time{}, apperr.WithFields(strictjson.ProblemsMessage(len(v.fields), "The helpline call has something to correct"), v.fields)
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
	c      *Call
	now    time.Time
	at     time.Time // CalledAt parsed, once valid
	fields []apperr.FieldError
}

func (v *validator) add(field, msg string) {
	v.fields = append(v.fields, apperr.FieldError{Field: field, Message: msg})
}

func (v *validator) calledAt() {
	s := v.c.CalledAt
	if s == "" {
		v.add("calledAt", "Enter the date and time the call started")
		return
	}
	t, err := time.Parse(time.RFC3339, s)
	switch {
	case err != nil:
		v.add("calledAt", msgTime)
	case t.After(v.now.Add(MaxCalledAhead)):
		v.add("calledAt", "Enter a time the call started that is not in the future")
	case t.Before(v.now.Add(-MaxCalledAgo)):
		v.add("calledAt", "Enter a time within the last 30 days. A call is logged on the day it is taken; "+
			"for an older call, ask the helpline manager")
	default:
		v.at = t.UTC().Truncate(time.Millisecond)
	}
}

func (v *validator) duration() {
	if d := v.c.DurationMinutes; d < MinDuration || d > MaxDuration {
		v.add("durationMinutes", fmt.Sprintf("Enter how long the call lasted, in whole minutes from %d to %d", MinDuration, MaxDuration))
	}
}

func (v *validator) caller() {
	const p = "caller."
	c := v.c.Caller
	switch {
	case c.Type == "":
		v.add(p+"type", "Choose who called: "+choices(CallerTypes))
	case !c.Type.Valid():
		v.add(p+"type", "Choose one of: "+choices(CallerTypes))
	}
	if c.Anonymous == nil {
		v.add(p+"anonymous", "Say whether the caller is anonymous")
	}
	if c.Anonymous != nil && *c.Anonymous {
		// Nothing that could identify an anonymous caller is taken, not even
		// to be checked.
		for _, f := range []struct{ name, value string }{{"firstName", c.FirstName}, {"phone", c.Phone}, {"email", c.Email}} {
			if f.value != "" {
				v.add(p+f.name, msgAnonymous)
			}
		}
		return
	}
	if utf8.RuneCountInString(c.FirstName) > MaxShortText {
		v.add(p+"firstName", msgShort)
	}
	v.contact(p+"phone", c.Phone, referral.ValidPhone, msgPhone)
	v.contact(p+"email", c.Email, referral.ValidEmail, msgEmail)
}

// contact checks an optional phone number or email address with valid,
// which the referral form uses too.
func (v *validator) contact(field, s string, valid func(string) bool, msg string) {
	switch {
	case s == "":
	case utf8.RuneCountInString(s) > MaxShortText:
		v.add(field, msgShort)
	case !valid(s):
		v.add(field, msg)
	}
}

// ageBands allows a band more than once: the list has one entry per child,
// and two children can be in the same band.
func (v *validator) ageBands() {
	bands := v.c.ChildAgeBands
	switch {
	case len(bands) == 0:
		v.add("childAgeBands", "Choose the age band of each child the call was about: "+choices(AgeBands))
	case len(bands) > MaxAgeBands:
		v.add("childAgeBands", fmt.Sprintf("Give at most %d children's age bands", MaxAgeBands))
	}
	for i, b := range bands {
		if !b.Valid() {
			v.add(fmt.Sprintf("childAgeBands[%d]", i), "Choose one of: "+choices(AgeBands))
		}
	}
}

func (v *validator) topics() {
	t := v.c.Topics
	switch {
	case len(t) == 0:
		v.add("topics", "Choose at least one topic the call was about")
	case len(t) > MaxTopics:
		v.add("topics", fmt.Sprintf("Choose at most %d topics, each once", MaxTopics))
	}
	codes(v, "topics", t, "Choose topics from the list on the form")
}

func (v *validator) signposting() {
	s := v.c.Signposting
	if len(s) > MaxSignposts {
		v.add("signposting", fmt.Sprintf("Choose at most %d services, each once", MaxSignposts))
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
			v.add(p, invalid)
		case seen[c]:
			v.add(p, "Choose each one only once")
		}
		seen[c] = true
	}
}

func (v *validator) advice() {
	a := v.c.AdviceGiven
	switch {
	case strings.TrimSpace(a) == "":
		v.add("adviceGiven", "Describe the advice given")
	case utf8.RuneCountInString(a) > MaxAdvice:
		v.add("adviceGiven", msgAdvice)
	}
}
