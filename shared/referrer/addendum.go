package referrer

import (
	"strings"
	"unicode/utf8"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// Form is the body of an addendum as a referrer sends it.
type Form struct {
	// Information is what the referrer adds, 1 to MaxInformationLength
	// characters.
	Information string `json:"information"`
	// Urgent must be answered: true when the referrer thinks the hub needs
	// to see it at once.
	Urgent *bool `json:"urgent"`
}

// Decode reads an addendum from a request body. It is strict: the body must
// be at most MaxBodyBytes and exactly one JSON object whose members are
// fields of the form, each once, with the field's type. A body over the
// limit gives an *apperr.Error with code apperr.TooLarge; any other problem
// one with code apperr.Malformed, listing every member at fault. No message
// repeats any part of the body.
func Decode(body []byte) (*Form, error) {
	if len(body) > MaxBodyBytes {
		return nil, apperr.New(apperr.TooLarge,
			"The addendum is larger than %d KiB. Send long information as two or more addenda.", MaxBodyBytes>>10)
	}
	return strictjson.Decode[Form](body, strictjson.Form{What: "addendum", FieldOf: "an addendum"})
}

// Validate checks a decoded addendum and returns nil or an *apperr.Error
// with code apperr.Invalid listing every problem, field by field.
func Validate(f *Form) error {
	if f == nil {
		return apperr.New(apperr.Invalid, "There is no addendum to check.")
	}
	var fields []apperr.FieldError
	switch {
	case strings.TrimSpace(f.Information) == "":
		fields = append(fields, apperr.FieldError{Field: "information", Message: "Enter the information you want to add to the referral."})
	case utf8.RuneCountInString(f.Information) > MaxInformationLength:
		fields = append(fields, apperr.FieldError{Field: "information",
			Message: "The information must be at most 10,000 characters. Send the rest as a second addendum."})
	}
	if f.Urgent == nil {
		fields = append(fields, apperr.FieldError{Field: "urgent",
			Message: "Say whether the information is urgent: true if the hub needs to see it at once, false if not."})
	}
	if len(fields) == 0 {
		return nil
	}
	return apperr.WithFields(strictjson.ProblemsMessage(len(fields), "The addendum has something to correct"), fields)
}
