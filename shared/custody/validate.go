package custody

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	// The rule on dates of birth uses the calendar in England whatever the
	// zone database of the machine holds.

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/internal/lazyre"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// Validate checks a decoded custody request against the rules, as received
// at now. It first normalises r in place (see Normalise), so the request
// that passes is the canonical one to store.
//
// A date of birth is judged by the calendar in England: "today" is now's
// date in Europe/London. DetainedAt must be no more than MaxDetainedAhead
// after now and no more than MaxDetainedAgo before it. Validate returns nil,
// or an *apperr.Error with code apperr.Invalid listing every problem found,
// each with the path of the field it concerns and a message saying how to
// put it right.
func Validate(r *Request, now time.Time) error {
	if r == nil {
		return apperr.New(apperr.Invalid, "There is no custody request to check.")
	}
	Normalise(r)
	v := &validator{r: r, now: now, today: referral.Today(now)}
	v.suite()
	v.officer()
	v.detainee()
	v.circumstances()
	v.detainedAt()
	v.requests()
	return v.Err("The custody request has something to correct")
}

// Normalise puts r into its canonical form, in place: every text answer
// without surrounding white space, the NHS number without spaces and a
// valid postcode in capitals with one space before the inward code.
// Validate calls it.
func Normalise(r *Request) {
	if r == nil {
		return
	}
	for _, s := range []*string{
		&r.CustodySuite, &r.CustodyNumber, &r.ParentUnavailableReason, &r.Language, &r.DetainedAt, &r.AccommodationReason,
		&r.Officer.Name, &r.Officer.Rank, &r.Officer.CollarNumber, &r.Officer.Phone, &r.Officer.Email,
		&r.Detainee.FirstName, &r.Detainee.LastName, &r.Detainee.KnownAs, &r.Detainee.DateOfBirth,
	} {
		*s = strings.TrimSpace(*s)
	}
	r.Detainee.Sex = referral.Sex(strings.TrimSpace(string(r.Detainee.Sex)))
	r.Detainee.NHSNumber = strings.ReplaceAll(strings.TrimSpace(r.Detainee.NHSNumber), " ", "")
	if a := r.Detainee.Address; a != nil {
		a.Line1 = strings.TrimSpace(a.Line1)
		a.Line2 = strings.TrimSpace(a.Line2)
		a.Town = strings.TrimSpace(a.Town)
		if pc, ok := referral.NormalisePostcode(a.Postcode); ok {
			a.Postcode = pc
		} else {
			a.Postcode = strings.TrimSpace(a.Postcode)
		}
	}
}

// custodyNumberPattern is the shape of a custody record number.
var custodyNumberPattern = lazyre.New(`^[A-Za-z0-9/-]+$`)

// Messages used in more than one place.
const (
	msgShort    = "Shorten this to 200 characters or fewer"
	msgFree     = "Shorten this to 2,000 characters or fewer. Give the rest when the local authority calls you back"
	msgDate     = "Enter a real date in the form YYYY-MM-DD, like 2010-03-27"
	msgTime     = "Enter a date and time with its offset from UTC, like 2026-11-20T21:30:00Z or 2026-06-20T21:30:00+01:00"
	msgPostcode = "Enter a real UK postcode, like M1 1AE"
	msgS38      = "Accommodation under PACE s38(6) is only for a child who has been charged and refused bail: "
)

// validator collects the problems with one request.
type validator struct {
	referral.Problems
	r     *Request
	now   time.Time
	today time.Time // today's date in England, at midnight UTC
}

// short and free check a text answer, already trimmed, of each length;
// required is as for referral.Problems.Text.
func (v *validator) short(field, s, required string) {
	v.Text(field, s, MaxShortText, required, msgShort)
}
func (v *validator) free(field, s, required string) { v.Text(field, s, MaxFreeText, required, msgFree) }

func (v *validator) suite() {
	v.short("custodySuite", v.r.CustodySuite, "Enter the name of the custody suite")
	switch n := v.r.CustodyNumber; {
	case n == "":
		v.Add("custodyNumber", "Enter the custody record number")
	case utf8.RuneCountInString(n) > MaxCustodyNumber:
		v.Add("custodyNumber", fmt.Sprintf("Shorten the custody record number to %d characters or fewer", MaxCustodyNumber))
	case !custodyNumberPattern().MatchString(n):
		v.Add("custodyNumber", "Enter the custody record number using only letters, digits, / and -")
	}
}

func (v *validator) officer() {
	o := v.r.Officer
	v.short("officer.name", o.Name, "Enter your name")
	v.short("officer.rank", o.Rank, "")
	v.short("officer.collarNumber", o.CollarNumber, "")
	v.Phone("officer.phone", o.Phone, "Enter a phone number the local authority can call you back on")
	v.Email("officer.email", o.Email, "")
}

func (v *validator) detainee() {
	const p = "detainee"
	d := v.r.Detainee
	v.short(p+".firstName", d.FirstName, "Enter the detainee's first name")
	v.short(p+".lastName", d.LastName, "Enter the detainee's last name")
	v.short(p+".knownAs", d.KnownAs, "")
	switch {
	case d.DateOfBirth == "" && d.EstimatedAge == nil:
		v.Add(p+".dateOfBirth", "Enter the detainee's date of birth or, if it is not known, their estimated age")
	case d.DateOfBirth == "":
	default:
		dob, ok := referral.ParseDate(d.DateOfBirth)
		switch {
		case !ok:
			v.Add(p+".dateOfBirth", msgDate)
		case dob.After(v.today):
			v.Add(p+".dateOfBirth", "Enter a date of birth that is not in the future")
		}
	}
	if d.EstimatedAge != nil {
		if a := *d.EstimatedAge; a < 0 || a > MaxEstimatedAge {
			v.Add(p+".estimatedAge", fmt.Sprintf("Enter an estimated age from 0 to %d years, or leave it out and give the date of birth", MaxEstimatedAge))
		}
	}
	v.Sex(p+".sex", d.Sex, "Choose the detainee's sex: female, male, other or unknown")
	if a := d.Address; a != nil {
		v.short(p+".address.line1", a.Line1, "")
		v.short(p+".address.line2", a.Line2, "")
		v.short(p+".address.town", a.Town, "")
		switch {
		case a.Postcode == "":
			v.Add(p+".address.postcode", "Enter the postcode of the address, or leave the address out if it is not known")
		default:
			if _, ok := referral.NormalisePostcode(a.Postcode); !ok {
				v.Add(p+".address.postcode", msgPostcode)
			}
		}
	}
	v.NHSNumber(p+".nhsNumber", d.NHSNumber, "Enter the NHS number as 10 digits, like 943 476 5919")
}

func (v *validator) circumstances() {
	r := v.r
	if r.UnderEighteen == nil {
		v.Add("underEighteen", "Say whether the detainee is, or appears to be, under 18")
	}
	if r.AppropriateAdultRequested {
		v.free("parentUnavailableReason", r.ParentUnavailableReason,
			"Say why no parent, guardian or other appropriate adult can attend")
	} else {
		v.free("parentUnavailableReason", r.ParentUnavailableReason, "")
	}
	if r.InterpreterNeeded != nil && *r.InterpreterNeeded {
		v.short("language", r.Language, "Enter the language the detainee needs an interpreter for")
	} else {
		v.short("language", r.Language, "")
	}
}

func (v *validator) detainedAt() {
	s := v.r.DetainedAt
	if s == "" {
		v.Add("detainedAt", "Enter when the detainee's detention was authorised")
		return
	}
	t, err := time.Parse(time.RFC3339, s)
	switch {
	case err != nil:
		v.Add("detainedAt", msgTime)
	case t.After(v.now.Add(MaxDetainedAhead)):
		v.Add("detainedAt", "Enter a time of detention that is not in the future")
	case t.Before(v.now.Add(-MaxDetainedAgo)):
		v.Add("detainedAt", "Enter a time of detention within the last 96 hours. "+
			"For a detention that started earlier, call the local authority's out of hours service")
	}
}

// requests checks what is asked for against who the detainee is and where
// their case stands.
func (v *validator) requests() {
	r := v.r
	under18 := r.UnderEighteen != nil && *r.UnderEighteen
	if !r.AppropriateAdultRequested && !r.AccommodationRequested {
		v.Add("appropriateAdultRequested", "Request an appropriate adult, accommodation under PACE s38(6), or both")
	}
	// An unanswered underEighteen is reported above; do not report it twice.
	if r.AppropriateAdultRequested && r.UnderEighteen != nil && !under18 && !r.VulnerableAdult {
		v.Add("appropriateAdultRequested", "An appropriate adult can be requested only for a detainee who is, or appears to be, "+
			"under 18 or who may be a vulnerable adult. Correct underEighteen or vulnerableAdult, or do not request one")
	}
	if r.AccommodationRequested {
		if !r.Charged {
			v.Add("charged", msgS38+"say the detainee has been charged, or do not request accommodation")
		}
		if !r.BailRefused {
			v.Add("bailRefused", msgS38+"say bail has been refused, or do not request accommodation")
		}
		if r.UnderEighteen != nil && !under18 {
			v.Add("underEighteen", "Accommodation under PACE s38(6) is only for a detainee who is, or appears to be, under 18. "+
				"Do not request accommodation for an adult")
		}
	}
	v.free("accommodationReason", r.AccommodationReason, "")
}
