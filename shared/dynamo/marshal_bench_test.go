package dynamo

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// The benchmarks of storing a referral measure referralItem, the encoding
// of a referral.Record as the item CreateReferral writes (the form by
// attributevalue, the rest by hand). They need no DynamoDB.

// benchNow is when the benchmarks' referrals are received: the `now` of
// shared/referral's tests, at which its samples are valid.
var benchNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// BenchmarkMarshalTypical measures encoding the record of a typical
// referral (events/referrals/single-child.json, decoded and validated) as
// its DynamoDB item.
func BenchmarkMarshalTypical(b *testing.B) {
	benchReferralItem(b, benchForm(b, nil))
}

// BenchmarkMarshalLarge is BenchmarkMarshalTypical for the largest referral
// referral.Validate accepts (see fillToLimits).
func BenchmarkMarshalLarge(b *testing.B) {
	benchReferralItem(b, benchForm(b, fillToLimits))
}

// benchReferralItem measures referralItem of a record of form, made as the
// intake makes it.
func benchReferralItem(b *testing.B, form *referral.Referral) {
	rec := &referral.Record{
		ID: ids.NewULID(benchNow), Reference: ids.NewReference(), Status: referral.StatusReceived, ReceivedAt: benchNow,
		Source: form.Referrer.AgencyType.ReferralSource(), ReceiptTokenHash: ids.Hash(ids.NewToken()), Version: 1, Form: *form,
	}
	if _, err := referralItem(rec); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := referralItem(rec); err != nil {
			b.Fatal(err)
		}
	}
}

// benchForm is the typical sample, changed by change when it is not nil,
// as the intake has it to store: decoded from its JSON and validated, the
// benchmark failing unless it passes.
func benchForm(b *testing.B, change func(*referral.Referral)) *referral.Referral {
	b.Helper()
	body := formtest.Sample(b, "../../events/referrals", "single-child.json")
	if change != nil {
		r := decodeValid(b, body)
		change(r)
		var err error
		if body, err = json.Marshal(r); err != nil {
			b.Fatal(err)
		}
	}
	return decodeValid(b, body)
}

// decodeValid decodes body and validates it at benchNow, failing b at once
// unless it passes both.
func decodeValid(b *testing.B, body []byte) *referral.Referral {
	b.Helper()
	r, err := referral.Decode(body)
	if err != nil {
		b.Fatalf("Decode: %v", err)
	}
	if err := referral.Validate(r, benchNow); err != nil {
		b.Fatalf("Validate: %v %q", err, formtest.FieldsOf(b, err))
	}
	return r
}

// fillToLimits fills the typical sample r to the validator's limits, as
// largeReferral in shared/referral's bench_test.go does (kept in step with
// it by hand: test code cannot be shared between the packages):
// MaxChildren children (the last an unborn baby, so that every category
// can be chosen), each with a current location as well as an address;
// MaxHousehold household members; MaxProfessionals other professionals;
// every category once; a missing episode; the family not consenting, with
// the reason; every free-form answer at its longest, MaxShortText
// characters for a short answer and MaxFreeText for free text. Answers
// with a format keep the sample's values. The text is ASCII.
func fillToLimits(r *referral.Referral) {
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
			c.DateOfBirth, c.ExpectedDateOfDelivery = "", referral.Today(benchNow).AddDate(0, 3, 0).Format(time.DateOnly)
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
			Name: short(fmt.Sprintf("Test Professional %d", i+1)), Role: short("Family support worker"),
			Organisation: short("Example Family Support Service"), Email: p.Email, Phone: p.Phone,
		})
	}
	r.Consent.FamilyConsents = new(false)
	r.Consent.NoConsentReason = free("Test reason: the parents said they do not want children's services involved.")

	r.Concerns.Categories = slices.Clone(referral.Categories)
	r.Concerns.Account = free(r.Concerns.Account)
	r.Concerns.ChildsWords = free(r.Concerns.ChildsWords)
	r.MissingEpisode = &referral.MissingEpisode{
		WentMissingAt: benchNow.Add(-60 * time.Hour).Format(time.RFC3339), ReturnedAt: benchNow.Add(-26 * time.Hour).Format(time.RFC3339),
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
