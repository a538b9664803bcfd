package referral_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/referral/referraltest"
)

// now is when the benchmarks' referrals are received: the samples are
// valid then.
var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// sample reads a referral body from events/referrals.
func sample(tb testing.TB, name string) []byte {
	tb.Helper()
	return formtest.Sample(tb, "../../events/referrals", name)
}

// typicalSample is the typical referral: one child, one household member,
// one category and a few lines of free text.
const typicalSample = "single-child.json"

// BenchmarkDecodeValidateTypical measures what the intake does with a
// typical referral's body before it stores it: the strict referral.Decode and then
// referral.Validate at now (which normalises the form in place), for
// single-child.json.
func BenchmarkDecodeValidateTypical(b *testing.B) {
	benchDecodeValidate(b, sample(b, typicalSample))
}

// BenchmarkDecodeValidateLarge is BenchmarkDecodeValidateTypical for the
// largest referral referral.Validate accepts (see largeReferral).
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
// referral referral.Validate accepts (see largeReferral).
func BenchmarkMarshalJSONLarge(b *testing.B) {
	benchMarshalJSON(b, largeBody(b))
}

// The large referral is valid and at every limit: one more child or one
// more character of free text is refused. The benchmarks check that it
// passes too, but they do not run with the tests.
func TestLargeReferral(t *testing.T) {
	r := decodeValid(t, largeBody(t))
	if len(r.Children) != referral.MaxChildren || len(r.Household) != referral.MaxHousehold || len(r.Professionals) != referral.MaxProfessionals ||
		len(r.Concerns.Categories) != referral.MaxCategories || r.MissingEpisode == nil {
		t.Fatalf("%d children, %d household, %d professionals, %d categories; want %d, %d, %d, %d and a missing episode",
			len(r.Children), len(r.Household), len(r.Professionals), len(r.Concerns.Categories),
			referral.MaxChildren, referral.MaxHousehold, referral.MaxProfessionals, referral.MaxCategories)
	}
	for name, s := range map[string]string{
		"referrer.name": r.Referrer.Name, "children[9].address.line2": r.Children[9].Address.Line2,
		"concerns.account": r.Concerns.Account, "children[9].disability": r.Children[9].Disability,
	} {
		want := referral.MaxShortText
		if name == "concerns.account" || name == "children[9].disability" {
			want = referral.MaxFreeText
		}
		if n := utf8.RuneCountInString(s); n != want {
			t.Errorf("%s is %d characters, want %d", name, n, want)
		}
	}
	for _, c := range []struct {
		field  string
		mutate func(r *referral.Referral)
	}{
		{"children", func(r *referral.Referral) { r.Children = append(r.Children, r.Children[0]) }},
		{"concerns.account", func(r *referral.Referral) { r.Concerns.Account += "x" }},
		{"children[0].lastName", func(r *referral.Referral) { r.Children[0].LastName += "x" }},
	} {
		r := decodeValid(t, largeBody(t))
		c.mutate(r)
		if got := formtest.FieldsOf(t, referral.Validate(r, now)); !slices.Equal(got, []string{c.field}) {
			t.Errorf("one more on %s: fields %q", c.field, got)
		}
	}
}

// benchDecodeValidate measures referral.Decode and referral.Validate of body, which must
// pass: it is checked once first, so that the loop cannot measure a
// refusal.
func benchDecodeValidate(b *testing.B, body []byte) {
	decodeValid(b, body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := referral.Decode(body)
		if err != nil {
			b.Fatal(err)
		}
		if err := referral.Validate(r, now); err != nil {
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
func decodeValid(tb testing.TB, body []byte) *referral.Referral {
	tb.Helper()
	r, err := referral.Decode(body)
	if err != nil {
		tb.Fatalf("Decode: %v", err)
	}
	if err := referral.Validate(r, now); err != nil {
		tb.Fatalf("Validate: %v %q", err, formtest.FieldsOf(tb, err))
	}
	return r
}

// largeBody is largeReferral as a body, checked to pass referral.Decode and
// referral.Validate.
func largeBody(tb testing.TB) []byte {
	tb.Helper()
	body, err := json.Marshal(largeReferral(tb))
	if err != nil {
		tb.Fatal(err)
	}
	decodeValid(tb, body)
	return body
}

// largeReferral is the typical sample filled to the validator's limits
// (referraltest.FillToLimits).
func largeReferral(tb testing.TB) *referral.Referral {
	tb.Helper()
	r := decodeValid(tb, sample(tb, typicalSample))
	referraltest.FillToLimits(r, now)
	return r
}
