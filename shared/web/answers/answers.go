// Package answers turns the referral pages' answers, as typed and kept in a
// draft, into the referral the API would receive, and places each problem
// the referral's validation finds on the page and form field that asks for
// it. It decides nothing about what a referral must hold: that is
// referral.Validate's alone.
package answers

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
)

// The keys of the pages' answers in a draft. Items of a list are kept
// under <list>/<item id>.
const (
	PageRisk          = "immediate-risk"
	PageReferrer      = "referrer"
	PageConsent       = "consent"
	PageConcerns      = "concerns"
	PageMissing       = "missing-episode"
	ListChildren      = "children"
	ListHousehold     = "household"
	ListProfessionals = "professionals"
)

// FieldError is one answer that cannot be used, by its form field.
type FieldError struct {
	Page    string // the page key (an item's: children/<id>)
	Field   string // the form field's name, which is also its id
	Message string
}

// Build makes the referral the draft's answers say, as the API would
// receive it, and the errors of answers that cannot be turned into one at
// all (a date that is not a date). Everything else is for
// referral.Validate to judge.
func Build(d *draft.Draft) (*referral.Referral, []FieldError) {
	var errs []FieldError
	r := &referral.Referral{}
	a := func(page string) url.Values { return d.Answers[page] }

	r.Concerns.ImmediateRisk = yesNo(a(PageRisk).Get("immediateRisk"))

	ref := a(PageReferrer)
	r.Referrer = referral.Referrer{
		Name: ref.Get("name"), Role: ref.Get("role"), Organisation: ref.Get("organisation"),
		AgencyType: referral.AgencyType(ref.Get("agencyType")), Email: ref.Get("email"), Phone: ref.Get("phone"),
		RegulatedProfessional: yesNo(ref.Get("regulatedProfessional")),
	}

	con := a(PageConsent)
	r.Consent = referral.Consent{
		FamilyAware: yesNo(con.Get("familyAware")), FamilyConsents: yesNo(con.Get("familyConsents")),
		NoConsentReason: con.Get("noConsentReason"),
	}

	for _, id := range d.Lists[ListChildren] {
		page := ListChildren + "/" + id
		c, cerrs := buildChild(page, a(page))
		r.Children = append(r.Children, c)
		errs = append(errs, cerrs...)
	}

	cc := a(PageConcerns)
	for _, c := range cc["categories"] {
		r.Concerns.Categories = append(r.Concerns.Categories, referral.Category(c))
	}
	r.Concerns.Account, r.Concerns.ChildsWords = cc.Get("account"), cc.Get("childsWords")
	if v := cc.Get("levelOfNeed"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1 // not one of the choices: Validate says so
		}
		r.Concerns.LevelOfNeed = referral.LevelOfNeed(n)
	}
	return r, errs
}

// buildChild makes a child from its page's answers.
func buildChild(page string, v url.Values) (referral.Child, []FieldError) {
	var errs []FieldError
	c := referral.Child{
		FirstName: v.Get("firstName"), LastName: v.Get("lastName"), KnownAs: v.Get("knownAs"),
		Sex: referral.Sex(v.Get("sex")), NHSNumber: v.Get("nhsNumber"), School: v.Get("school"), UPN: v.Get("upn"),
		Address: referral.Address{Line1: v.Get("addressLine1"), Line2: v.Get("addressLine2"), Town: v.Get("addressTown"), Postcode: v.Get("addressPostcode")},
		GP:      v.Get("gp"), Language: v.Get("language"), InterpreterNeeded: yesNo(v.Get("interpreterNeeded")),
		Disability: v.Get("disability"),
	}
	date := func(prefix string) string {
		s, err := ParseDate(v.Get(prefix+"-day"), v.Get(prefix+"-month"), v.Get(prefix+"-year"))
		if err != nil {
			errs = append(errs, FieldError{Page: page, Field: prefix + "-" + err.Part, Message: err.Message})
		}
		return s
	}
	switch v.Get("born") {
	case "yes":
		c.DateOfBirth = date("dateOfBirth")
	case "unborn":
		c.ExpectedDateOfDelivery = date("expectedDateOfDelivery")
	case "unknown":
		if s := strings.TrimSpace(v.Get("estimatedAge")); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				errs = append(errs, FieldError{Page: page, Field: "estimatedAge", Message: "Enter the child's age in whole years, as a number"})
			} else {
				c.EstimatedAge = &n
			}
		}
	}
	return c, errs
}

// yesNo reads a yes/no radio: nil when not answered.
func yesNo(v string) *bool {
	switch v {
	case "yes":
		t := true
		return &t
	case "no":
		f := false
		return &f
	}
	return nil
}

// DateError says which part of a date input is wrong.
type DateError struct {
	Part    string // day, month or year: the sub-field the error links to
	Message string
}

func (e *DateError) Error() string { return e.Message }

// months are the month names and abbreviations a person may type.
var months = map[string]time.Month{}

func init() {
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		months[name] = m
		months[name[:3]] = m
	}
	months["sept"] = time.September
}

var digits = regexp.MustCompile(`^[0-9]+$`)

// ParseDate reads a date input (day, month, year) as YYYY-MM-DD. All three
// empty is no date (""). The month may be a number or a month's name or
// its first three letters, in any case, as the Design System asks.
func ParseDate(day, month, year string) (string, *DateError) {
	day, month, year = strings.TrimSpace(day), strings.TrimSpace(month), strings.TrimSpace(year)
	if day == "" && month == "" && year == "" {
		return "", nil
	}
	switch {
	case day == "":
		return "", &DateError{"day", "The date must include a day"}
	case month == "":
		return "", &DateError{"month", "The date must include a month"}
	case year == "":
		return "", &DateError{"year", "The date must include a year"}
	}
	m, ok := months[strings.ToLower(strings.TrimSuffix(month, "."))]
	if !ok {
		n, err := strconv.Atoi(month)
		if !digits.MatchString(month) || err != nil || n < 1 || n > 12 {
			return "", &DateError{"month", "The month must be a number from 1 to 12 or the name of a month"}
		}
		m = time.Month(n)
	}
	if !digits.MatchString(year) || len(year) != 4 {
		return "", &DateError{"year", "The year must include 4 numbers"}
	}
	y, _ := strconv.Atoi(year)
	d, err := strconv.Atoi(day)
	if !digits.MatchString(day) || err != nil || d < 1 || d > daysIn(m, y) {
		return "", &DateError{"day", "The date must be a real date"}
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), nil
}

// daysIn returns the number of days in month m of year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
