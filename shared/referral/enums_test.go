package referral

import (
	"slices"
	"testing"
)

func TestReferralSource(t *testing.T) {
	tests := []struct {
		agency AgencyType
		want   string
	}{
		{AgencyPolice, "6"},
		{AgencyHealth, "3F"},
		{AgencyEducation, "2A"},
		{AgencyEarlyYears, "2B"},
		{AgencyEarlyHelp, "5D"},
		{AgencyHousing, "4"},
		{AgencyProbation, "7"},
		{AgencyYouthJustice, "7"},
		{AgencyVoluntarySector, "8"},
		{AgencyHelpline, "5B"},
		{AgencyOther, "8"},
		{"", "10"},
		{"school", "10"},
	}
	for _, tt := range tests {
		if got := tt.agency.ReferralSource(); got != tt.want {
			t.Errorf("%q.ReferralSource() = %q, want %q", tt.agency, got, tt.want)
		}
	}
	// Every agency type has a test above.
	for _, a := range AgencyTypes {
		if !slices.ContainsFunc(tests, func(tt struct {
			agency AgencyType
			want   string
		}) bool {
			return tt.agency == a
		}) {
			t.Errorf("agency type %q has no test", a)
		}
	}
}

func TestEnumerations(t *testing.T) {
	if len(Categories) != MaxCategories {
		t.Errorf("%d categories, MaxCategories is %d", len(Categories), MaxCategories)
	}
	if len(AgencyTypes) != 11 || len(Sexes) != 4 || len(LevelsOfNeed) != 4 {
		t.Errorf("%d agency types, %d sexes, %d levels of need", len(AgencyTypes), len(Sexes), len(LevelsOfNeed))
	}
	for name, n := range map[string]int{
		"categories":   len(slices.Compact(slices.Sorted(slices.Values(Categories)))),
		"agency types": len(slices.Compact(slices.Sorted(slices.Values(AgencyTypes)))),
		"sexes":        len(slices.Compact(slices.Sorted(slices.Values(Sexes)))),
		"levels":       len(slices.Compact(slices.Sorted(slices.Values(LevelsOfNeed)))),
	} {
		want := map[string]int{"categories": MaxCategories, "agency types": 11, "sexes": 4, "levels": 4}[name]
		if n != want {
			t.Errorf("%s has duplicates", name)
		}
	}
	for _, c := range Categories {
		if !c.Valid() {
			t.Errorf("%q not valid", c)
		}
	}
	for _, a := range AgencyTypes {
		if !a.Valid() {
			t.Errorf("%q not valid", a)
		}
	}
	for _, l := range LevelsOfNeed {
		if !l.Valid() {
			t.Errorf("%d not valid", l)
		}
	}
	if Category("bullying").Valid() || AgencyType("school").Valid() || Sex("f").Valid() || LevelOfNeed(0).Valid() || LevelOfNeed(5).Valid() {
		t.Error("a value outside an enumeration is valid")
	}
}
