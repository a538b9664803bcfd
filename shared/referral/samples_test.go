package referral

import (
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
)

const samplesDir = "../../events/referrals"

// validSamples are the sample bodies that must be accepted at now.
var validSamples = []string{"single-child.json", "siblings.json", "unborn.json", "missing-episode.json", "immediate-risk.json"}

func sample(tb testing.TB, name string) []byte {
	tb.Helper()
	return formtest.Sample(tb, samplesDir, name)
}

func TestValidSamples(t *testing.T) {
	for _, name := range validSamples {
		t.Run(name, func(t *testing.T) {
			// The sample, and its canonical form, pass at now.
			r2 := formtest.Canonical(t, sample(t, name), Decode, func(r *Referral) error { return Validate(r, now) })
			// Samples other than the unborn baby stay valid for years.
			if name != "unborn.json" {
				later := time.Date(2032, 12, 31, 12, 0, 0, 0, time.UTC)
				if err := Validate(r2, later); err != nil {
					t.Errorf("Validate at %s: %q", later.Format(time.DateOnly), formtest.FieldsOf(t, err))
				}
			}
		})
	}
}

func TestSampleContents(t *testing.T) {
	get := func(name string) *Referral {
		r, err := Decode(sample(t, name))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := get("siblings.json"); len(r.Children) != 3 {
		t.Errorf("siblings.json has %d children", len(r.Children))
	}
	if r := get("unborn.json"); !r.Children[0].IsUnborn() || !r.HasCategory(CategoryUnbornBaby) || !r.HasCategory(CategoryDomesticAbuse) {
		t.Error("unborn.json is not an unborn baby with domestic abuse")
	}
	if r := get("missing-episode.json"); !r.HasCategory(CategoryMissing) || r.MissingEpisode == nil || r.MissingEpisode.ReturnedAt == "" {
		t.Error("missing-episode.json has no return")
	}
	r := get("immediate-risk.json")
	if r.Concerns.ImmediateRisk == nil || !*r.Concerns.ImmediateRisk || !r.HasCategory(CategorySexualAbuse) || r.Concerns.LevelOfNeed != NeedChildProtection {
		t.Error("immediate-risk.json is not an immediate-risk, level-4 sexual abuse disclosure")
	}
}

func TestInvalidSample(t *testing.T) {
	r, err := Decode(sample(t, "invalid-many-errors.json"))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	got := formtest.FieldsOf(t, Validate(r, now))
	want := []string{
		"referrer.role", "referrer.agencyType", "referrer.email",
		"children[0].dateOfBirth", "children[0].nhsNumber", "children[0].address.postcode",
		"consent.noConsentReason", "concerns.immediateRisk", "concerns.levelOfNeed", "missingEpisode",
	}
	if !slices.Equal(got, want) {
		t.Errorf("fields %q, want %q", got, want)
	}
}

func BenchmarkDecodeValidate(b *testing.B) {
	body := sample(b, "siblings.json")
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
