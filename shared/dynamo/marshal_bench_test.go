package dynamo

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/referral/referraltest"
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
// referral.Validate accepts (referraltest.FillToLimits).
func BenchmarkMarshalLarge(b *testing.B) {
	benchReferralItem(b, benchForm(b, func(r *referral.Referral) { referraltest.FillToLimits(r, benchNow) }))
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
