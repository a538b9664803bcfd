package followup

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// The sample event bodies in events/follow-ups each apply to a follow-up in
// the state the sample's version stands for.
func TestSampleEvents(t *testing.T) {
	rhiStart := utc(2026, time.November, 22, 8, 15, 0) // the return in events/referrals/missing-episode.json
	aaStart := utc(2026, time.November, 21, 23, 0, 0)
	now := utc(2026, time.November, 23, 16, 0, 0)
	accepted := func(f FollowUp, at time.Time) FollowUp {
		f.Status, f.AcceptedAt, f.Version = StatusAccepted, &at, f.Version+1
		return f
	}
	rhi := FollowUp{ID: "FU-RHI-REF-" + refID + "-0", Kind: KindReturnHomeInterview, Provider: ProviderRHIService, Status: StatusOpen,
		SourceType: SourceReferral, SourceID: refID, StartAt: rhiStart, DueAt: rhiStart.Add(72 * time.Hour), Version: 1}
	aa := FollowUp{ID: "FU-AA-CUS-" + cusID + "-0", Kind: KindAppropriateAdult, Provider: ProviderAppropriateAdult, Status: StatusOpen,
		SourceType: SourceCustodyRequest, SourceID: cusID, StartAt: aaStart, DueAt: aaStart.Add(2 * time.Hour), Version: 1}
	rhiAccepted := accepted(rhi, rhiStart.Add(time.Hour))
	rhiAttempted := rhiAccepted
	rhiAttempted.Attempts, rhiAttempted.Version = []Attempt{{At: rhiStart.Add(8 * time.Hour), Method: MethodPhone, Outcome: "No answer"}}, 3

	tests := []struct {
		file   string
		f      FollowUp
		fields []string
	}{
		{"accept.json", rhi, nil},
		{"accept-earlier.json", rhi, nil},
		{"attempt.json", rhiAccepted, nil},
		{"complete-return-home-interview.json", rhiAttempted, nil},
		{"complete-return-home-interview-new-referral.json", rhiAttempted, nil},
		{"decline.json", rhiAttempted, nil},
		{"complete-appropriate-adult.json", accepted(aa, aaStart.Add(30*time.Minute)), nil},
		{"invalid.json", rhiAccepted, []string{"attempt.at", "attempt.method", "attempt.outcome"}},
	}
	files, err := filepath.Glob("../../events/follow-ups/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tests) {
		t.Errorf("%d sample files, %d tested: test every sample", len(files), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("../../events/follow-ups", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			r, err := DecodeEvent(body)
			if err != nil {
				t.Fatalf("DecodeEvent() error = %v", err)
			}
			next, _, err := Apply(tt.f, *r, now)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Apply() error = %v", err)
				}
				if next.Version != tt.f.Version+1 {
					t.Errorf("version %d", next.Version)
				}
				if rh := r.ReturnHomeInterview; rh != nil && rh.NewReferral != nil {
					child := referral.Child{FirstName: "Test", LastName: "Missing-Child", DateOfBirth: "2015-02-01", Sex: referral.SexMale,
						Address: referral.Address{Line1: "14 Made-Up Lane", Postcode: "M40 8WN"}}
					if err := referral.Validate(rh.NewReferral.Form(child), now); err != nil {
						t.Errorf("the sample's new referral is not valid: %v", err)
					}
				}
				return
			}
			e := apperr.As(err)
			if e == nil || e.Code != apperr.Invalid {
				t.Fatalf("Apply() error = %v, want invalid", err)
			}
			got := apperr.FieldNames(err)
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
		})
	}
}
