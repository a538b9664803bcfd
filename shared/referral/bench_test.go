package referral

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
)

// typicalSample is the typical referral: one child, one household member,
// one category and a few lines of free text.
const typicalSample = "single-child.json"

// BenchmarkDecodeValidateTypical measures what the intake does with a
// typical referral's body before it stores it: the strict Decode and then
// Validate at now (which normalises the form in place), for
// single-child.json.
func BenchmarkDecodeValidateTypical(b *testing.B) {
	benchDecodeValidate(b, sample(b, typicalSample))
}

// BenchmarkDecodeValidateLarge is BenchmarkDecodeValidateTypical for the
// largest referral Validate accepts (see largeReferral).
func BenchmarkDecodeValidateLarge(b *testing.B) {
	benchDecodeValidate(b, largeBody(b))
}

// BenchmarkMarshalJSONTypical measures json.Marshal of a typical referral
// (single-child.json) as decoded and validated: what
// idempotency.NewRecord hashes for a submission with an Idempotency-Key,
// and what the web pages marshal to read a draft strictly on every saved
// page. Storing it is another encoding, measured by shared/dynamo's
// BenchmarkMarshalTypical.
func BenchmarkMarshalJSONTypical(b *testing.B) {
	benchMarshalJSON(b, sample(b, typicalSample))
}

// BenchmarkMarshalJSONLarge is BenchmarkMarshalJSONTypical for the largest
// referral Validate accepts (see largeReferral).
func BenchmarkMarshalJSONLarge(b *testing.B) {
	benchMarshalJSON(b, largeBody(b))
}

// The large referral is valid and at every limit: one more child or one
// more character of free text is refused. The benchmarks check that it
// passes too, but they do not run with the tests.
func TestLargeReferral(t *testing.T) {
	r := decodeValid(t, largeBody(t))
	if len(r.Children) != MaxChildren || len(r.Household) != MaxHousehold || len(r.Professionals) != MaxProfessionals ||
		len(r.Concerns.Categories) != MaxCategories || r.MissingEpisode == nil {
		t.Fatalf("%d children, %d household, %d professionals, %d categories; want %d, %d, %d, %d and a missing episode",
			len(r.Children), len(r.Household), len(r.Professionals), len(r.Concerns.Categories),
			MaxChildren, MaxHousehold, MaxProfessionals, MaxCategories)
	}
	for name, s := range map[string]string{
		"referrer.name": r.Referrer.Name, "children[9].address.line2": r.Children[9].Address.Line2,
		"concerns.account": r.Concerns.Account, "children[9].disability": r.Children[9].Disability,
	} {
		want := MaxShortText
		if name == "concerns.account" || name == "children[9].disability" {
			want = MaxFreeText
		}
		if n := utf8.RuneCountInString(s); n != want {
			t.Errorf("%s is %d characters, want %d", name, n, want)
		}
	}
	for _, c := range []struct {
		field  string
		mutate func(r *Referral)
	}{
		{"children", func(r *Referral) { r.Children = append(r.Children, r.Children[0]) }},
		{"concerns.account", func(r *Referral) { r.Concerns.Account += "x" }},
		{"children[0].lastName", func(r *Referral) { r.Children[0].LastName += "x" }},
	} {
		r := decodeValid(t, largeBody(t))
		c.mutate(r)
		if got := formtest.FieldsOf(t, Validate(r, now)); !slices.Equal(got, []string{c.field}) {
			t.Errorf("one more on %s: fields %q", c.field, got)
		}
	}
}

// benchDecodeValidate measures Decode and Validate of body, which must
// pass: it is checked once first, so that the loop cannot measure a
// refusal.
func benchDecodeValidate(b *testing.B, body []byte) {
	decodeValid(b, body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := Decode(body)
		if err != nil {
			b.Fatal(err)
		}
		if err := Validate(r, now); err != nil {
			b.Fatal(err)
		}
	}
}

// benchMarshalJSON measures json.Marshal of the referral body decodes to,
// validated.
func benchMarshalJSON(b *testing.B, body []byte) {
	r := decodeValid(b, body)
	out, err := json.Marshal(r)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(r); err != nil {
			b.Fatal(err)
		}
	}
}

// decodeValid decodes body and validates it at now, failing tb at once
// unless it passes both.
func decodeValid(tb testing.TB, body []byte) *Referral {
	tb.Helper()
	r, err := Decode(body)
	if err != nil {
		tb.Fatalf("Decode: %v", err)
	}
	if err := Validate(r, now); err != nil {
		tb.Fatalf("Validate: %v %q", err, formtest.FieldsOf(tb, err))
	}
	return r
}

// largeBody is largeReferral as a body, checked to pass Decode and
// Validate.
func largeBody(tb testing.TB) []byte {
	tb.Helper()
	body, err := json.Marshal(largeReferral(tb))
	if err != nil {
		tb.Fatal(err)
	}
	decodeValid(tb, body)
	return body
}

// largeReferral is the typical sample filled to the validator's limits:
// MaxChildren children (the last an unborn baby, so that every category
// can be chosen), each with a current location as well as an address;
// MaxHousehold household members; MaxProfessionals other professionals;
// every category once (MaxCategories); a missing episode; the family not
// consenting, with the reason; every answer that is free-form text at its
// longest, MaxShortText characters for a short answer and MaxFreeText for
// free text. Answers with a format (dates, postcodes, NHS numbers, UPNs,
// email addresses, phone numbers) keep the sample's values. The text is
// ASCII, so it is as many bytes as characters.
//
// shared/dynamo's marshal_bench_test.go builds the same referral.
func largeReferral(tb testing.TB) *Referral {
	tb.Helper()
	r := decodeValid(tb, sample(tb, typicalSample))
	short := func(s string) string { return fill(s+" ", MaxShortText) }
	free := func(s string) string { return fill(s+"\n\n", MaxFreeText) }
	address := func(a Address, what string) *Address {
		return &Address{Line1: short(a.Line1), Line2: short(what), Town: short(a.Town), Postcode: a.Postcode}
	}

	p := &r.Referrer
	p.Name, p.Role, p.Organisation = short(p.Name), short(p.Role), short(p.Organisation)

	child := r.Children[0]
	r.Children = nil
	for i := range MaxChildren {
		c := child
		c.FirstName, c.LastName, c.KnownAs = short(fmt.Sprintf("%s %d", child.FirstName, i+1)), short(child.LastName), short("Known as")
		c.School, c.GP, c.Language = short(child.School), short(child.GP), short(child.Language)
		c.Address, c.CurrentLocation = *address(child.Address, "Home"), address(child.Address, "Staying with a relative")
		c.Disability = free("Test disability: needs help with reading and with unfamiliar places; sees a speech and language therapist.")
		if i == MaxChildren-1 {
			c.DateOfBirth, c.ExpectedDateOfDelivery = "", Today(now).AddDate(0, 3, 0).Format(dateLayout)
		}
		r.Children = append(r.Children, c)
	}
	member := r.Household[0]
	r.Household = nil
	for i := range MaxHousehold {
		m := member
		m.Name, m.Relationship = short(fmt.Sprintf("%s %d", member.Name, i+1)), short(member.Relationship)
		r.Household = append(r.Household, m)
	}
	for i := range MaxProfessionals {
		r.Professionals = append(r.Professionals, Professional{
			Name: short(fmt.Sprintf("Test Professional %d", i+1)), Role: short("Family support worker"),
			Organisation: short("Example Family Support Service"), Email: p.Email, Phone: p.Phone,
		})
	}
	r.Consent.FamilyConsents = new(false)
	r.Consent.NoConsentReason = free("Test reason: the parents said they do not want children's services involved.")

	r.Concerns.Categories = slices.Clone(Categories)
	r.Concerns.Account = free(r.Concerns.Account)
	r.Concerns.ChildsWords = free(r.Concerns.ChildsWords)
	r.MissingEpisode = &MissingEpisode{
		WentMissingAt: now.Add(-60 * time.Hour).Format(time.RFC3339), ReturnedAt: now.Add(-26 * time.Hour).Format(time.RFC3339),
		WhereFound: free("Test location: a railway station in another town."), PoliceReference: short("TEST-MISSING-0001"),
	}
	return r
}

// fill repeats s to exactly n characters.
func fill(s string, n int) string {
	rs := make([]rune, 0, n+len(s))
	for len(rs) < n {
		rs = append(rs, []rune(s)...)
	}
	return string(rs[:n])
}
