package custody

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

const samplesDir = "../../events/custody"

// validSamples are the sample bodies that must be accepted shortly after
// their detainedAt.
var validSamples = []string{"appropriate-adult.json", "appropriate-adult-and-accommodation.json"}

func sample(tb testing.TB, name string) []byte {
	tb.Helper()
	return formtest.Sample(tb, samplesDir, name)
}

// receivedSoonAfter is the moment a sample is taken to be received: 30
// minutes after its detainedAt.
func receivedSoonAfter(t *testing.T, r *Request) time.Time {
	t.Helper()
	d, err := r.DetainedTime()
	if err != nil {
		t.Fatalf("DetainedTime: %v", err)
	}
	return d.Add(30 * time.Minute)
}

func TestEverySampleDecodes(t *testing.T) {
	entries, err := os.ReadDir(samplesDir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".json" {
			continue
		}
		n++
		if _, err := Decode(sample(t, e.Name())); err != nil {
			t.Errorf("%s: Decode: %v %+v", e.Name(), err, apperr.As(err).Fields)
		}
	}
	if n != len(validSamples)+1 {
		t.Errorf("%d samples, want %d valid and 1 invalid: add new samples to this test", n, len(validSamples))
	}
}

func TestValidSamples(t *testing.T) {
	for _, name := range validSamples {
		t.Run(name, func(t *testing.T) {
			// The sample, and its canonical form, pass when received soon
			// after detention.
			r2 := formtest.Canonical(t, sample(t, name), Decode, func(r *Request) error {
				return Validate(r, receivedSoonAfter(t, r))
			})
			at := receivedSoonAfter(t, r2)
			// Received too long after detention, the sample is refused on
			// detainedAt alone.
			if got := formtest.FieldsOf(t, Validate(r2, at.Add(MaxDetainedAgo))); !slices.Equal(got, []string{"detainedAt"}) {
				t.Errorf("received 96 hours later: fields %q, want detainedAt", got)
			}
		})
	}
}

func TestSampleContents(t *testing.T) {
	get := func(name string) *Request {
		r, err := Decode(sample(t, name))
		if err != nil {
			t.Fatal(err)
		}
		Normalise(r)
		return r
	}
	r := get("appropriate-adult.json")
	if !r.AppropriateAdultRequested || r.AccommodationRequested || r.InterpreterNeeded == nil || *r.InterpreterNeeded ||
		r.Detainee.Sex != referral.SexMale || r.Detainee.Address.Postcode != "M1 1AE" || r.Detainee.NHSNumber != "9990000018" {
		t.Errorf("appropriate-adult.json is not an appropriate adult request without an interpreter: %+v", r)
	}
	if age := yearsOld(t, r); age != 15 {
		t.Errorf("appropriate-adult.json: detainee is %d, want 15", age)
	}
	r = get("appropriate-adult-and-accommodation.json")
	if !r.AppropriateAdultRequested || !r.AccommodationRequested || !r.Charged || !r.BailRefused || r.Language == "" {
		t.Errorf("appropriate-adult-and-accommodation.json does not request both for a charged child refused bail: %+v", r)
	}
	if age := yearsOld(t, r); age != 16 {
		t.Errorf("appropriate-adult-and-accommodation.json: detainee is %d, want 16", age)
	}
}

// yearsOld is the detainee's age in whole years when detained.
func yearsOld(t *testing.T, r *Request) int {
	t.Helper()
	dob, ok := referral.ParseDate(r.Detainee.DateOfBirth)
	d, err := r.DetainedTime()
	if !ok || err != nil {
		t.Fatalf("dates: %v %v", ok, err)
	}
	age := d.Year() - dob.Year()
	if d.Month() < dob.Month() || d.Month() == dob.Month() && d.Day() < dob.Day() {
		age--
	}
	return age
}

func TestInvalidSample(t *testing.T) {
	r, err := Decode(sample(t, "invalid.json"))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	// Its detainedAt cannot be parsed, so take a moment in the same night.
	got := formtest.FieldsOf(t, Validate(r, time.Date(2026, 11, 21, 23, 10, 0, 0, time.UTC)))
	want := []string{
		"custodyNumber", "officer.phone",
		"detainee.lastName", "detainee.estimatedAge", "detainee.address.postcode",
		"parentUnavailableReason", "language", "detainedAt",
		"appropriateAdultRequested", "charged", "underEighteen",
	}
	if !slices.Equal(got, want) {
		t.Errorf("fields %q, want %q", got, want)
	}
}
