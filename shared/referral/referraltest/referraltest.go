// Package referraltest builds referrals for the tests and benchmarks of
// more than one package. It is imported by tests only.
package referraltest

import (
	"fmt"
	"slices"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// FillToLimits fills a valid referral r (as the intake would receive it
// at now) to the validator's limits: referral.MaxChildren children (the
// last an unborn baby, so that every category can be chosen), each with a
// current location as well as an address; MaxHousehold household members;
// MaxProfessionals other professionals; every category once; a missing
// episode; the family not consenting, with the reason; every free-form
// answer at its longest, MaxShortText characters for a short answer and
// MaxFreeText for free text. Answers with a format (dates, postcodes, NHS
// numbers, UPNs, email addresses, phone numbers) keep r's values. The text
// is ASCII, so it is as many bytes as characters. The result is larger
// than the intake's body limit (intake.MaxBodyBytes): the validator's
// limits are per field, the body's is the whole.
func FillToLimits(r *referral.Referral, now time.Time) {
	short := func(s string) string { return fill(s+" ", referral.MaxShortText) }
	free := func(s string) string { return fill(s+"\n\n", referral.MaxFreeText) }
	address := func(a referral.Address, what string) *referral.Address {
		return &referral.Address{Line1: short(a.Line1), Line2: short(what), Town: short(a.Town), Postcode: a.Postcode}
	}

	p := &r.Referrer
	p.Name, p.Role, p.Organisation = short(p.Name), short(p.Role), short(p.Organisation)

	child := r.Children[0]
	r.Children = nil
	for i := range referral.MaxChildren {
		c := child
		c.FirstName, c.LastName, c.KnownAs = short(fmt.Sprintf("%s %d", child.FirstName, i+1)), short(child.LastName), short("Known as")
		c.School, c.GP, c.Language = short(child.School), short(child.GP), short(child.Language)
		c.Address, c.CurrentLocation = *address(child.Address, "Home"), address(child.Address, "Staying with a relative")
		c.Disability = free("Test disability: needs help with reading and with unfamiliar places; sees a speech and language therapist.")
		if i == referral.MaxChildren-1 {
			c.DateOfBirth, c.ExpectedDateOfDelivery = "", referral.Today(now).AddDate(0, 3, 0).Format(time.DateOnly)
		}
		r.Children = append(r.Children, c)
	}
	member := r.Household[0]
	r.Household = nil
	for i := range referral.MaxHousehold {
		m := member
		m.Name, m.Relationship = short(fmt.Sprintf("%s %d", member.Name, i+1)), short(member.Relationship)
		r.Household = append(r.Household, m)
	}
	for i := range referral.MaxProfessionals {
		r.Professionals = append(r.Professionals, referral.Professional{
			Name: short(fmt.Sprintf("Test referral.Professional %d", i+1)), Role: short("Family support worker"),
			Organisation: short("Example Family Support Service"), Email: p.Email, Phone: p.Phone,
		})
	}
	r.Consent.FamilyConsents = new(false)
	r.Consent.NoConsentReason = free("Test reason: the parents said they do not want children's services involved.")

	r.Concerns.Categories = slices.Clone(referral.Categories)
	r.Concerns.Account = free(r.Concerns.Account)
	r.Concerns.ChildsWords = free(r.Concerns.ChildsWords)
	r.MissingEpisode = &referral.MissingEpisode{
		WentMissingAt: now.Add(-60 * time.Hour).Format(time.RFC3339), ReturnedAt: now.Add(-26 * time.Hour).Format(time.RFC3339),
		WhereFound: free("Test location: a railway station in another town."), PoliceReference: short("TEST-MISSING-0001"),
	}
}

// fill repeats s to exactly n characters.
func fill(s string, n int) string {
	rs := make([]rune, 0, n+len(s))
	for len(rs) < n {
		rs = append(rs, []rune(s)...)
	}
	return string(rs[:n])
}
