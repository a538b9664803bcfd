package referral

import (
	"strings"
	"unicode/utf8"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// Messages of the checks that every form shares.
const (
	msgShort = "Shorten this to 200 characters or fewer"
	msgEmail = "Enter an email address in the correct format, like name@example.org"
	msgPhone = "Enter a UK phone number, like 0161 496 0000 or +44 161 496 0000"
)

// Problems collects what is wrong with a submitted form, field by field, so
// that every problem is reported at once. The referral form, the custody
// request and the helpline call form all check their answers with it. The
// zero value is an empty list.
type Problems struct {
	fields []apperr.FieldError
}

// Add records a problem with the field at path field; msg says how to put
// it right and must not repeat the answer.
func (p *Problems) Add(field, msg string) {
	p.fields = append(p.fields, apperr.FieldError{Field: field, Message: msg})
}

// Err returns nil when no problem has been added, or else an *apperr.Error
// with code apperr.Invalid listing every problem in the order added, whose
// message is summary followed by the count, as in "The referral has
// something to correct: there are 2 problems.".
func (p *Problems) Err(summary string) error {
	if len(p.fields) == 0 {
		return nil
	}
	return apperr.WithFields(strictjson.ProblemsMessage(len(p.fields), summary), p.fields)
}

// Text checks a text answer: when required is not empty the answer must
// not be blank (required is then the message), and it must be at most max
// characters (runes) long (tooLong is then the message).
func (p *Problems) Text(field, s string, max int, required, tooLong string) {
	switch {
	case required != "" && blank(s):
		p.Add(field, required)
	case utf8.RuneCountInString(s) > max:
		p.Add(field, tooLong)
	}
}

// Email checks an email address: at most MaxShortText characters and valid
// by ValidEmail. A blank answer is a problem only when required is not
// empty; required is then the message.
func (p *Problems) Email(field, s, required string) {
	p.contact(field, s, required, ValidEmail, msgEmail)
}

// Phone checks a phone number as Email checks an email address, by
// ValidPhone.
func (p *Problems) Phone(field, s, required string) {
	p.contact(field, s, required, ValidPhone, msgPhone)
}

func (p *Problems) contact(field, s, required string, valid func(string) bool, invalid string) {
	switch {
	case blank(s):
		if required != "" {
			p.Add(field, required)
		}
	case utf8.RuneCountInString(s) > MaxShortText:
		p.Add(field, msgShort)
	case !valid(s):
		p.Add(field, invalid)
	}
}

// NHSNumber checks an optional NHS number, with its spaces already removed:
// 10 digits (shape is then the message) that ValidNHSNumber accepts.
func (p *Problems) NHSNumber(field, n, shape string) {
	switch {
	case n == "":
	case len(n) != 10 || !AllDigits(n):
		p.Add(field, shape)
	case !ValidNHSNumber(n):
		p.Add(field, "This is not a valid NHS number: check each digit, or leave it out if you are not sure of it")
	}
}

// Sex checks a person's sex: given (blank is then the message) and one of
// the codes the forms offer.
func (p *Problems) Sex(field string, s Sex, blank string) {
	switch {
	case s == "":
		p.Add(field, blank)
	case !s.Valid():
		p.Add(field, "Choose female, male, other or unknown")
	}
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
