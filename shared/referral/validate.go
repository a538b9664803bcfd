package referral

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	// The rules on dates use the calendar in England whatever the zone
	// database of the machine holds.

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/internal/lazyre"
)

// london is the zone whose calendar decides what "today" is.
var london = calendar.London

// Today is now's date in England (Europe/London), as midnight UTC: the
// "today" that dates of birth and other dates are judged against.
func Today(now time.Time) time.Time {
	y, m, d := now.In(london()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateLayout is the layout of every date (not time) on the form.
const dateLayout = "2006-01-02"

// Validate checks a decoded referral against the rules of the form, as
// received at now. It first normalises r in place (see Normalise), so the
// referral that passes is the canonical one to store.
//
// Dates are judged by the calendar in England: "today" is now's date in
// Europe/London. Validate returns nil, or an *apperr.Error with code
// apperr.Invalid listing every problem found, each with the path of the
// field it concerns and a message saying how to put it right.
func Validate(r *Referral, now time.Time) error {
	if r == nil {
		return apperr.New(apperr.Invalid, "There is no referral to check.")
	}
	Normalise(r)
	v := &validator{r: r, now: now, today: Today(now)}
	v.referrer()
	v.children()
	v.household()
	v.professionals()
	v.consent()
	v.concerns()
	v.missingEpisode()
	return v.Err("The referral has something to correct")
}

// Normalise puts r's identifiers into their canonical forms, in place: NHS
// numbers without spaces, UPNs in capitals, valid postcodes in capitals with
// one space before the inward code, and email addresses, phone numbers and
// dates without surrounding white space. Validate calls it.
func Normalise(r *Referral) {
	if r == nil {
		return
	}
	r.Referrer.Email = strings.TrimSpace(r.Referrer.Email)
	r.Referrer.Phone = strings.TrimSpace(r.Referrer.Phone)
	for i := range r.Children {
		c := &r.Children[i]
		c.NHSNumber = strings.ReplaceAll(strings.TrimSpace(c.NHSNumber), " ", "")
		c.UPN = strings.ToUpper(strings.TrimSpace(c.UPN))
		c.DateOfBirth = strings.TrimSpace(c.DateOfBirth)
		c.ExpectedDateOfDelivery = strings.TrimSpace(c.ExpectedDateOfDelivery)
		normaliseAddress(&c.Address)
		if c.CurrentLocation != nil {
			normaliseAddress(c.CurrentLocation)
		}
	}
	for i := range r.Household {
		r.Household[i].DateOfBirth = strings.TrimSpace(r.Household[i].DateOfBirth)
	}
	for i := range r.Professionals {
		r.Professionals[i].Email = strings.TrimSpace(r.Professionals[i].Email)
		r.Professionals[i].Phone = strings.TrimSpace(r.Professionals[i].Phone)
	}
	if e := r.MissingEpisode; e != nil {
		e.WentMissingAt = strings.TrimSpace(e.WentMissingAt)
		e.ReturnedAt = strings.TrimSpace(e.ReturnedAt)
	}
}

func normaliseAddress(a *Address) {
	if pc, ok := NormalisePostcode(a.Postcode); ok {
		a.Postcode = pc
	} else {
		a.Postcode = strings.TrimSpace(a.Postcode)
	}
}

// ValidNHSNumber reports whether s is a valid NHS number: 10 digits, spaces
// allowed between them, whose last digit is the modulus 11 check digit of
// the first nine (weights 10 down to 2; check = 11 - sum mod 11, where 11
// becomes 0 and 10 means the number cannot be valid).
func ValidNHSNumber(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) != 10 || !AllDigits(s) {
		return false
	}
	sum := 0
	for i := range 9 {
		sum += int(s[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	switch check {
	case 11:
		check = 0
	case 10:
		return false
	}
	return int(s[9]-'0') == check
}

// upnLetters maps a value 0..22 to its letter in a unique pupil number; I, O
// and S are not used.
const upnLetters = "ABCDEFGHJKLMNPQRTUVWXYZ"

var upnPattern = lazyre.New(`^[A-HJ-NPQRT-Z][0-9]{11}[0-9A-HJ-NPQRT-Z]$`)

// ValidUPN reports whether s is a valid Department for Education unique
// pupil number: a check letter, 11 digits, and a 12th digit (a permanent
// UPN) or a letter (a temporary UPN). The check letter is the modulus 23 sum
// of characters 2 to 13 weighted by their positions (2 to 13), a final
// letter counting as its value in the same table (A=0 ... Z=22, without I, O
// and S). Letters must be capitals; Normalise makes them so.
func ValidUPN(s string) bool {
	if !upnPattern().MatchString(s) {
		return false
	}
	sum := 0
	for i := 1; i < 13; i++ {
		n := int(s[i] - '0')
		if s[i] >= 'A' {
			n = strings.IndexByte(upnLetters, s[i])
		}
		sum += n * (i + 1)
	}
	return s[0] == upnLetters[sum%23]
}

// postcodePattern is the UK postcode pattern without the space: the
// outward code in its six shapes (A9, A99, AA9, AA99, A9A, AA9A) and the
// inward code (9AA), or the special GIR 0AA.
var postcodePattern = lazyre.New(`^(?:GIR0AA|(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z][A-HJ-Y][0-9][A-Z])[0-9][A-Z]{2})$`)

// NormalisePostcode checks that s is a UK postcode, in any case and with or
// without spaces, and returns it in capitals with one space before the
// inward code ("sw1a1aa" gives "SW1A 1AA"). It returns "", false when s is
// not a postcode.
func NormalisePostcode(s string) (string, bool) {
	compact := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if !postcodePattern().MatchString(compact) {
		return "", false
	}
	return compact[:len(compact)-3] + " " + compact[len(compact)-3:], true
}

// ValidEmail reports whether s is one bare email address (no display name,
// no angle brackets) whose domain has a dot in it.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
		!strings.HasSuffix(domain, ".") && !strings.Contains(domain, "..")
}

// ValidPhone reports whether s is a UK phone number: digits with optional
// spaces, dashes and brackets, starting 0 or +44 (a "(0)" after +44 is
// allowed), whose national form, with its leading 0, has 10 or 11 digits.
func ValidPhone(s string) bool {
	var digits strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	n := digits.String()
	switch {
	case strings.HasPrefix(s, "+"):
		if !strings.HasPrefix(n, "44") {
			return false
		}
		n = strings.TrimPrefix(n[2:], "0")
		n = "0" + n
	case !strings.HasPrefix(n, "0"):
		return false
	}
	return len(n) == 10 || len(n) == 11
}

// AllDigits reports whether s is made of ASCII digits only.
func AllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseDate parses a YYYY-MM-DD date that exists in the calendar.
func ParseDate(s string) (time.Time, bool) {
	t, err := time.Parse(dateLayout, s)
	return t, err == nil && len(s) == len(dateLayout)
}

// Messages used in more than one place.
const (
	msgFree      = "Shorten this to 20,000 characters or fewer. You can send more as an addendum after the referral is received"
	msgDate      = "Enter a real date in the form YYYY-MM-DD, like 2015-03-27"
	msgTime      = "Enter a date and time with its offset from UTC, like 2026-11-20T21:30:00Z or 2026-06-20T21:30:00+01:00"
	msgPostcode  = "Enter a real UK postcode, like M1 1AE"
	msgOneOfDate = "Give only one of date of birth, expected date of delivery and estimated age"
)

// validator collects the problems with one referral.
type validator struct {
	Problems
	r     *Referral
	now   time.Time
	today time.Time // today's date in England, at midnight UTC
}

// short and free check a text answer of each length; required is as for
// Problems.Text.
func (v *validator) short(field, s, required string) {
	v.Text(field, s, MaxShortText, required, msgShort)
}
func (v *validator) free(field, s, required string) { v.Text(field, s, MaxFreeText, required, msgFree) }

// pastDate checks an optional date that must exist and not be after today.
func (v *validator) pastDate(field, s, future string) (time.Time, bool) {
	d, ok := ParseDate(s)
	switch {
	case !ok:
		v.Add(field, msgDate)
		return d, false
	case d.After(v.today):
		v.Add(field, future)
		return d, false
	}
	return d, true
}

func (v *validator) referrer() {
	p := v.r.Referrer
	v.short("referrer.name", p.Name, "Enter your name")
	v.short("referrer.role", p.Role, "Enter your role or job title")
	v.short("referrer.organisation", p.Organisation, "Enter the name of your organisation")
	switch {
	case p.AgencyType == "":
		v.Add("referrer.agencyType", "Choose the type of agency you work for")
	case !p.AgencyType.Valid():
		v.Add("referrer.agencyType", "Choose an agency type from the list on the form")
	}
	v.Email("referrer.email", p.Email, "Enter your email address")
	v.Phone("referrer.phone", p.Phone, "Enter your phone number")
	if p.RegulatedProfessional == nil && v.r.HasCategory(CategoryFGM) {
		v.Add("referrer.regulatedProfessional", "Say whether you are a regulated health or social care professional or a teacher: "+
			"if you are, you must also report a known case of FGM to the police yourself")
	}
}

func (v *validator) children() {
	cs := v.r.Children
	switch {
	case len(cs) == 0:
		v.Add("children", "Add the child, or each child, the referral is about")
	case len(cs) > MaxChildren:
		v.Add("children", fmt.Sprintf("Refer at most %d children at once. Send another referral for the others", MaxChildren))
		cs = cs[:MaxChildren]
	}
	unborn := 0
	for i, c := range cs {
		v.child(fmt.Sprintf("children[%d]", i), c)
		if c.IsUnborn() {
			unborn++
		}
	}
	has := v.r.HasCategory(CategoryUnbornBaby)
	switch {
	case unborn > 0 && !has:
		v.Add("concerns.categories", "Add the unborn-baby category: the referral includes a child with an expected date of delivery")
	case unborn == 0 && has:
		v.Add("concerns.categories", "The unborn-baby category needs a child with an expected date of delivery. "+
			"Add the unborn baby as a child, or remove the category")
	}
}

func (v *validator) child(p string, c Child) {
	if !c.IsUnborn() && blank(c.FirstName) && blank(c.LastName) {
		v.Add(p+".firstName", "Enter the child's first name or last name, or both")
	}
	v.short(p+".firstName", c.FirstName, "")
	v.short(p+".lastName", c.LastName, "")
	v.short(p+".knownAs", c.KnownAs, "")

	given := 0
	if c.DateOfBirth != "" {
		given++
		if d, ok := v.pastDate(p+".dateOfBirth", c.DateOfBirth, "Enter a date of birth in the past"); ok && !v.today.Before(d.AddDate(18, 0, 0)) {
			v.Add(p+".dateOfBirth", "This person is 18 or over. Children's services cannot take this referral: contact adult social care instead")
		}
	}
	if c.ExpectedDateOfDelivery != "" {
		if given++; given > 1 {
			v.Add(p+".expectedDateOfDelivery", msgOneOfDate)
		}
		v.dueDate(p+".expectedDateOfDelivery", c.ExpectedDateOfDelivery)
	}
	if c.EstimatedAge != nil {
		if given++; given > 1 {
			v.Add(p+".estimatedAge", msgOneOfDate)
		}
		if a := *c.EstimatedAge; a < 0 || a > 17 {
			v.Add(p+".estimatedAge", "Enter an estimated age from 0 to 17. For a person aged 18 or over, contact adult social care")
		}
	}
	if given == 0 {
		v.Add(p+".dateOfBirth", "Enter the child's date of birth; for an unborn baby, the expected date of delivery; "+
			"or, if you do not know the date of birth, an estimated age")
	}

	v.Sex(p+".sex", c.Sex, "Choose the child's sex: female, male, other or unknown")
	v.NHSNumber(p+".nhsNumber", c.NHSNumber, "Enter the child's NHS number as 10 digits, like 943 476 5919")
	v.short(p+".school", c.School, "")
	if c.UPN != "" && !ValidUPN(c.UPN) {
		if len(c.UPN) == 13 && upnPattern().MatchString(c.UPN) {
			v.Add(p+".upn", "This is not a valid unique pupil number: check each character, or leave it out if you are not sure of it")
		} else {
			v.Add(p+".upn", "Enter the unique pupil number as 13 characters: a letter, then 12 digits (a temporary UPN ends in a letter)")
		}
	}
	v.address(p+".address", c.Address)
	if c.CurrentLocation != nil {
		v.address(p+".currentLocation", *c.CurrentLocation)
	}
	v.short(p+".gp", c.GP, "")
	v.short(p+".language", c.Language, "")
	v.free(p+".disability", c.Disability, "")
}

// dueDate checks an expected date of delivery: a real date, at most 28 days
// ago (later than that the baby has been born) and at most 10 months ahead.
func (v *validator) dueDate(field, s string) {
	d, ok := ParseDate(s)
	switch {
	case !ok:
		v.Add(field, msgDate)
	case d.Before(v.today.AddDate(0, 0, -28)):
		v.Add(field, "This expected date of delivery is more than 28 days ago. If the baby has been born, "+
			"enter the date of birth instead")
	case d.After(v.today.AddDate(0, 10, 0)):
		v.Add(field, "Enter an expected date of delivery no more than 10 months from today")
	}
}

func (v *validator) address(p string, a Address) {
	v.short(p+".line1", a.Line1, "Enter the first line of the address")
	v.short(p+".line2", a.Line2, "")
	v.short(p+".town", a.Town, "")
	switch {
	case blank(a.Postcode):
		v.Add(p+".postcode", "Enter the postcode. For an unborn baby, give the mother's address")
	default:
		if _, ok := NormalisePostcode(a.Postcode); !ok {
			v.Add(p+".postcode", msgPostcode)
		}
	}
}

func (v *validator) household() {
	hs := v.r.Household
	if len(hs) > MaxHousehold {
		v.Add("household", fmt.Sprintf("List at most %d people in the household and significant others. Add the most important; you can send more as an addendum", MaxHousehold))
		hs = hs[:MaxHousehold]
	}
	for i, h := range hs {
		p := fmt.Sprintf("household[%d]", i)
		v.short(p+".name", h.Name, "Enter the person's name, or a description if you do not know it")
		v.short(p+".relationship", h.Relationship, "Enter the person's relationship to the child")
		if h.DateOfBirth != "" {
			v.pastDate(p+".dateOfBirth", h.DateOfBirth, "Enter a date of birth in the past")
		}
	}
}

func (v *validator) professionals() {
	ps := v.r.Professionals
	if len(ps) > MaxProfessionals {
		v.Add("professionals", fmt.Sprintf("List at most %d other professionals. Add the most involved; you can send more as an addendum", MaxProfessionals))
		ps = ps[:MaxProfessionals]
	}
	for i, pr := range ps {
		p := fmt.Sprintf("professionals[%d]", i)
		v.short(p+".name", pr.Name, "Enter the professional's name")
		v.short(p+".role", pr.Role, "")
		v.short(p+".organisation", pr.Organisation, "Enter the professional's organisation")
		v.Email(p+".email", pr.Email, "")
		v.Phone(p+".phone", pr.Phone, "")
	}
}

func (v *validator) consent() {
	c := v.r.Consent
	if c.FamilyAware == nil {
		v.Add("consent.familyAware", "Say whether the family knows about this referral")
	}
	if c.FamilyAware != nil && *c.FamilyAware && c.FamilyConsents == nil {
		v.Add("consent.familyConsents", "Say whether the family agrees to this referral")
	}
	noConsent := (c.FamilyAware != nil && !*c.FamilyAware) || (c.FamilyConsents != nil && !*c.FamilyConsents)
	if noConsent {
		v.free("consent.noConsentReason", c.NoConsentReason, "Say why the family does not know of or agree to this referral. "+
			"Consent is not needed where the concern is significant harm, but record why")
	} else {
		v.free("consent.noConsentReason", c.NoConsentReason, "")
	}
}

func (v *validator) concerns() {
	c := v.r.Concerns
	switch {
	case len(c.Categories) == 0:
		v.Add("concerns.categories", "Choose at least one category of concern")
	case len(c.Categories) > MaxCategories:
		v.Add("concerns.categories", fmt.Sprintf("Choose at most %d categories, each once", MaxCategories))
	}
	seen := map[Category]bool{}
	for i, cat := range c.Categories {
		p := fmt.Sprintf("concerns.categories[%d]", i)
		switch {
		case !cat.Valid():
			v.Add(p, "Choose categories from the list on the form")
		case seen[cat]:
			v.Add(p, "Choose each category only once")
		}
		seen[cat] = true
	}
	v.free("concerns.account", c.Account, "Describe what you are worried about and why")
	v.free("concerns.childsWords", c.ChildsWords, "")
	if c.ImmediateRisk == nil {
		v.Add("concerns.immediateRisk", "Say whether the child is at immediate risk. If they are, call 999 first")
	}
	switch {
	case c.LevelOfNeed == 0:
		v.Add("concerns.levelOfNeed", "Choose your view of the level of need, from 1 (universal) to 4 (child protection)")
	case !c.LevelOfNeed.Valid():
		v.Add("concerns.levelOfNeed", "Choose a level of need from 1 (universal) to 4 (child protection)")
	}
}

func (v *validator) missingEpisode() {
	e := v.r.MissingEpisode
	missing := v.r.HasCategory(CategoryMissing)
	switch {
	case e == nil && missing:
		v.Add("missingEpisode", "Add the missing episode: when the child went missing, and when they returned or that they are still missing")
		return
	case e == nil:
		return
	case !missing:
		v.Add("missingEpisode", "Add the missing category to the concerns, or remove the missing episode")
	}
	var went time.Time
	wentOK := false
	if e.WentMissingAt == "" {
		v.Add("missingEpisode.wentMissingAt", "Enter when the child went missing")
	} else {
		went, wentOK = v.pastTime("missingEpisode.wentMissingAt", e.WentMissingAt, "Enter a time the child went missing that is not in the future")
	}
	switch {
	case e.ReturnedAt != "" && e.StillMissing:
		v.Add("missingEpisode.stillMissing", "Give either the time the child returned or say they are still missing, not both")
	case e.ReturnedAt == "" && !e.StillMissing:
		v.Add("missingEpisode.returnedAt", "Enter when the child returned, or say they are still missing")
	}
	if e.ReturnedAt != "" {
		back, ok := v.pastTime("missingEpisode.returnedAt", e.ReturnedAt, "Enter a time the child returned that is not in the future")
		if ok && wentOK && back.Before(went) {
			v.Add("missingEpisode.returnedAt", "Enter a time the child returned that is after the time they went missing")
		}
	}
	v.free("missingEpisode.whereFound", e.WhereFound, "")
	v.short("missingEpisode.policeReference", e.PoliceReference, "")
}

// pastTime checks an RFC 3339 time that must not be after now, nor before
// the calendar's first year.
func (v *validator) pastTime(field, s, future string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	switch {
	case err != nil:
		v.Add(field, msgTime)
		return t, false
	case t.After(v.now):
		v.Add(field, future)
		return t, false
	case !calendar.InRange(t):
		// Before the calendar's first year: a slip, and a time no clock
		// or due time can be counted from.
		v.Add(field, fmt.Sprintf("Enter a time from %d onwards", calendar.FirstYear))
		return t, false
	}
	return t, true
}
