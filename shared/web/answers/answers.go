// Package answers turns the referral pages' answers, as typed and kept in a
// draft, into the referral the API would receive, and places each problem
// the referral's validation finds on the page and form field that asks for
// it. It decides nothing about what a referral must hold: that is
// referral.Validate's alone.
package answers

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/internal/lazyre"
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

	r.Referrer = Referrer(a(PageReferrer), "")
	r.Consent = Consent(a(PageConsent), "")

	for _, id := range d.Lists[ListChildren] {
		page := ListChildren + "/" + id
		c, cerrs := buildChild(page, a(page))
		r.Children = append(r.Children, c)
		errs = append(errs, cerrs...)
	}

	for _, id := range d.Lists[ListHousehold] {
		page := ListHousehold + "/" + id
		v := a(page)
		dob, err := ParseDate(v.Get("dateOfBirth-day"), v.Get("dateOfBirth-month"), v.Get("dateOfBirth-year"))
		if err != nil {
			errs = append(errs, FieldError{Page: page, Field: "dateOfBirth-" + err.Part, Message: err.Message})
		}
		r.Household = append(r.Household, referral.HouseholdMember{
			Name: v.Get("name"), Relationship: v.Get("relationship"), DateOfBirth: dob,
			ParentalResponsibility: yesNo(v.Get("parentalResponsibility")),
			AllegedPerpetrator:     yesNo(v.Get("allegedPerpetrator")),
		})
	}
	for _, id := range d.Lists[ListProfessionals] {
		v := a(ListProfessionals + "/" + id)
		r.Professionals = append(r.Professionals, referral.Professional{
			Name: v.Get("name"), Role: v.Get("role"), Organisation: v.Get("organisation"),
			Email: v.Get("email"), Phone: v.Get("phone"),
		})
	}

	r.Concerns = Concerns(a(PageConcerns), "")
	r.Concerns.ImmediateRisk = yesNo(a(PageRisk).Get("immediateRisk"))
	// The missing episode is asked for only when the concern says the
	// child went missing; once asked, an unanswered page is Validate's to
	// point out.
	if r.HasCategory(referral.CategoryMissing) {
		e, merrs := buildMissing(a(PageMissing))
		r.MissingEpisode = e
		errs = append(errs, merrs...)
	}
	return r, errs
}

// Referrer is the referrer the answers v give, each named prefix and its
// member.
func Referrer(v url.Values, prefix string) referral.Referrer {
	g := func(name string) string { return v.Get(prefix + name) }
	return referral.Referrer{
		Name: g("name"), Role: g("role"), Organisation: g("organisation"),
		AgencyType: referral.AgencyType(g("agencyType")), Email: g("email"), Phone: g("phone"),
		RegulatedProfessional: yesNo(g("regulatedProfessional")),
	}
}

// Consent is the consent the answers v give, each named prefix and its
// member.
func Consent(v url.Values, prefix string) referral.Consent {
	return referral.Consent{
		FamilyAware: yesNo(v.Get(prefix + "familyAware")), FamilyConsents: yesNo(v.Get(prefix + "familyConsents")),
		NoConsentReason: v.Get(prefix + "noConsentReason"),
	}
}

// Concerns are the concerns the answers v give, each named prefix and its
// member; the immediate risk is among them when v has it.
func Concerns(v url.Values, prefix string) referral.Concerns {
	c := referral.Concerns{
		Categories: []referral.Category{}, Account: v.Get(prefix + "account"), ChildsWords: v.Get(prefix + "childsWords"),
		ImmediateRisk: yesNo(v.Get(prefix + "immediateRisk")),
	}
	for _, cat := range v[prefix+"categories"] {
		c.Categories = append(c.Categories, referral.Category(cat))
	}
	if n := v.Get(prefix + "levelOfNeed"); n != "" {
		level, err := strconv.Atoi(n)
		if err != nil {
			level = -1 // not one of the choices: Validate says so
		}
		c.LevelOfNeed = referral.LevelOfNeed(level)
	}
	return c
}

// buildMissing makes the missing episode from its page's answers.
func buildMissing(v url.Values) (*referral.MissingEpisode, []FieldError) {
	var errs []FieldError
	at := func(prefix string) string {
		s, err := ParseDateTime(v.Get(prefix+"-day"), v.Get(prefix+"-month"), v.Get(prefix+"-year"), v.Get(prefix+"-time"))
		if err != nil {
			errs = append(errs, FieldError{Page: PageMissing, Field: prefix + "-" + err.Part, Message: err.Message})
		}
		return s
	}
	e := &referral.MissingEpisode{
		WentMissingAt:   at("wentMissingAt"),
		WhereFound:      v.Get("whereFound"),
		PoliceReference: v.Get("policeReference"),
	}
	switch v.Get("returned") {
	case "yes":
		e.ReturnedAt = at("returnedAt")
	case "no":
		e.StillMissing = true
		e.WhereFound = ""
	}
	return e, errs
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
	Part    string // day, month, year or time: the sub-field the error links to
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

var digits = lazyre.New(`^[0-9]+$`)

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
		if !digits().MatchString(month) || err != nil || n < 1 || n > 12 {
			return "", &DateError{"month", "The month must be a number from 1 to 12 or the name of a month"}
		}
		m = time.Month(n)
	}
	if !digits().MatchString(year) || len(year) != 4 {
		return "", &DateError{"year", "The year must include 4 numbers"}
	}
	y, _ := strconv.Atoi(year)
	d, err := strconv.Atoi(day)
	if !digits().MatchString(day) || err != nil || d < 1 || d > daysIn(m, y) {
		return "", &DateError{"day", "The date must be a real date"}
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), nil
}

// times are the times of day a person may type: 14:30, 14.30, 2:30pm,
// 2pm, 9am.
var times = lazyre.New(`^([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$`)

// ParseDateTime reads a date input and a time of day in England as RFC 3339
// with the offset in force then (BST or GMT). A time that does not exist
// (the hour lost when the clocks go forward) is read as the same time an
// hour later; one that happens twice (when they go back) as the first,
// whose deadlines come sooner.
// All four empty is no time ("").
func ParseDateTime(day, month, year, clock string) (string, *DateError) {
	date, derr := ParseDate(day, month, year)
	clock = strings.ToLower(strings.TrimSpace(clock))
	switch {
	case derr != nil:
		return "", derr
	case date == "" && clock == "":
		return "", nil
	case date == "":
		return "", &DateError{"day", "Enter the date as well as the time"}
	case clock == "":
		return "", &DateError{"time", "Enter the time, for example 14:30 or 2:30pm"}
	}
	m := times().FindStringSubmatch(clock)
	if m == nil {
		return "", &DateError{"time", "Enter the time as hours and minutes, for example 14:30 or 2:30pm"}
	}
	h, _ := strconv.Atoi(m[1])
	mins := 0
	if m[2] != "" {
		mins, _ = strconv.Atoi(m[2])
	}
	switch ampm := strings.ReplaceAll(m[3], ".", ""); {
	case ampm == "" && m[2] == "":
		return "", &DateError{"time", "Enter the time as hours and minutes, for example 14:30 or 2:30pm"}
	case ampm != "" && (h < 1 || h > 12):
		return "", &DateError{"time", "Enter a time from 1 to 12 before am or pm, or use the 24-hour clock"}
	case ampm == "am" && h == 12:
		h = 0
	case ampm == "pm" && h != 12:
		h += 12
	}
	if h > 23 || mins > 59 {
		return "", &DateError{"time", "Enter a real time, from 00:00 to 23:59"}
	}
	d, _ := time.Parse(time.DateOnly, date)
	t := time.Date(d.Year(), d.Month(), d.Day(), h, mins, 0, 0, calendar.London())
	// A wall time that happens twice is read as the first: the earlier
	// start makes the earlier deadline (a return home interview's 72 hours).
	if earlier := t.Add(-time.Hour); earlier.Hour() == t.Hour() && earlier.Minute() == t.Minute() {
		t = earlier
	}
	return t.Format(time.RFC3339), nil
}

// daysIn returns the number of days in month m of year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
