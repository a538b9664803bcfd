package answers

import (
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		day, month, year string
		want             string
		part             string // the sub-field an error links to; "" for none
	}{
		{"", "", "", "", ""},
		{"27", "3", "2015", "2015-03-27", ""},
		{" 7 ", "03", "2015", "2015-03-07", ""},
		{"27", "March", "2015", "2015-03-27", ""},
		{"27", "mar", "2015", "2015-03-27", ""},
		{"27", "MAR.", "2015", "2015-03-27", ""},
		{"1", "Sept", "2015", "2015-09-01", ""},
		{"29", "2", "2024", "2024-02-29", ""},
		{"29", "2", "2023", "", "day"},
		{"31", "april", "2015", "", "day"},
		{"0", "1", "2015", "", "day"},
		{"", "1", "2015", "", "day"},
		{"1", "", "2015", "", "month"},
		{"1", "1", "", "", "year"},
		{"1", "13", "2015", "", "month"},
		{"1", "Marchember", "2015", "", "month"},
		{"1", "-1", "2015", "", "month"},
		{"1", "1", "15", "", "year"},
		{"1", "1", "２０１５", "", "year"},
		{"1x", "1", "2015", "", "day"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.day, tt.month, tt.year)
		if got != tt.want || (err == nil) != (tt.part == "") || (err != nil && err.Part != tt.part) {
			t.Errorf("ParseDate(%q, %q, %q) = %q, %v; want %q, error on %q", tt.day, tt.month, tt.year, got, err, tt.want, tt.part)
		}
		if err != nil && err.Message == "" {
			t.Errorf("ParseDate(%q, %q, %q): an error without a message", tt.day, tt.month, tt.year)
		}
	}
}

func twoChildren() *draft.Draft {
	d := draft.New()
	d.Lists[ListChildren] = []string{"a1", "b2"}
	d.Lists[ListHousehold] = []string{"h1"}
	return d
}

func TestPlace(t *testing.T) {
	d := twoChildren()
	tests := []struct {
		path        string
		page, field string
		ok          bool
	}{
		{"referrer.name", PageReferrer, "name", true},
		{"referrer.agencyType", PageReferrer, "agencyType", true},
		{"referrer", PageReferrer, "name", true},
		{"consent.noConsentReason", PageConsent, "noConsentReason", true},
		{"concerns.immediateRisk", PageRisk, "immediateRisk", true},
		{"concerns.categories[2]", PageConcerns, "categories", true},
		{"concerns.account", PageConcerns, "account", true},
		{"children", ListChildren, "add", true},
		{"children[0].firstName", "children/a1", "firstName", true},
		{"children[1].dateOfBirth", "children/b2", "dateOfBirth", true},
		{"children[1].expectedDateOfDelivery", "children/b2", "expectedDateOfDelivery", true},
		{"children[1].estimatedAge", "children/b2", "estimatedAge", true},
		{"children[1]", "children/b2", "born", true},
		{"children[0].address.postcode", "children/a1", "addressPostcode", true},
		{"children[0].address.line1", "children/a1", "addressLine1", true},
		{"children[2].firstName", "", "", false},
		{"household[0]", "household/h1", "name", true},
		{"household[0].dateOfBirth", "household/h1", "dateOfBirth", true},
		{"missingEpisode.returnedAt", PageMissing, "returnedAt", true},
		{"missingEpisode.wentMissingAt", PageMissing, "wentMissingAt", true},
		{"missingEpisode", PageMissing, "wentMissingAt", true},
		{"missingEpisode.stillMissing", PageMissing, "returned", true},
		{"missingEpisode.policeReference", PageMissing, "policeReference", true},
		{"professionals[0]", "", "", false},
		{"somethingElse", "", "", false},
	}
	for _, tt := range tests {
		got, ok := Place(d, tt.path)
		if ok != tt.ok || got.Page != tt.page || got.Field != tt.field {
			t.Errorf("Place(%q) = %+v, %v; want %s / %s, %v", tt.path, got, ok, tt.page, tt.field, tt.ok)
		}
	}
}

// Build turns the answers into the referral the API would receive, and
// only a date or age that cannot be read is its own error.
func TestBuild(t *testing.T) {
	d := twoChildren()
	d.Answers = map[string]url.Values{
		PageRisk:     {"immediateRisk": {"no"}},
		PageReferrer: {"name": {"Ann Teacher"}, "role": {"Teacher"}, "organisation": {"Hill School"}, "agencyType": {"education"}, "email": {"a@school.example"}, "phone": {"0161 496 0000"}, "regulatedProfessional": {"yes"}},
		PageConsent:  {"familyAware": {"yes"}, "familyConsents": {"no"}, "noConsentReason": {"Mother refused."}},
		"children/a1": {"firstName": {"Sam"}, "lastName": {"Smith"}, "born": {"yes"}, "dateOfBirth-day": {"3"}, "dateOfBirth-month": {"feb"},
			"dateOfBirth-year": {"2016"}, "sex": {"male"}, "addressLine1": {"1 High St"}, "addressPostcode": {"M1 1AE"}, "interpreterNeeded": {"no"}},
		"children/b2": {"firstName": {"Lee"}, "born": {"unknown"}, "estimatedAge": {"ten"}, "dateOfBirth-day": {"9"}},
		PageConcerns:  {"categories": {"neglect", "emotional-abuse"}, "account": {"Often hungry."}, "levelOfNeed": {"3"}},
	}
	r, errs := Build(d)
	no, yes := false, true
	want := referral.Referrer{Name: "Ann Teacher", Role: "Teacher", Organisation: "Hill School", AgencyType: referral.AgencyEducation,
		Email: "a@school.example", Phone: "0161 496 0000", RegulatedProfessional: &yes}
	if !reflect.DeepEqual(r.Referrer, want) {
		t.Errorf("referrer %+v", r.Referrer)
	}
	if r.Concerns.ImmediateRisk == nil || *r.Concerns.ImmediateRisk {
		t.Errorf("immediate risk %v", r.Concerns.ImmediateRisk)
	}
	if *r.Consent.FamilyAware != true || *r.Consent.FamilyConsents != false || r.Consent.NoConsentReason != "Mother refused." {
		t.Errorf("consent %+v", r.Consent)
	}
	if len(r.Children) != 2 {
		t.Fatalf("%d children", len(r.Children))
	}
	c := r.Children[0]
	if c.DateOfBirth != "2016-02-03" || c.Sex != referral.SexMale || c.Address.Postcode != "M1 1AE" || *c.InterpreterNeeded != no || c.ExpectedDateOfDelivery != "" {
		t.Errorf("first child %+v", c)
	}
	if c := r.Children[1]; c.DateOfBirth != "" || c.EstimatedAge != nil {
		t.Errorf("second child: the date of birth of another choice was kept, or the age read: %+v", c)
	}
	if !reflect.DeepEqual(errs, []FieldError{{Page: "children/b2", Field: "estimatedAge", Message: "Enter the child's age in whole years, as a number"}}) {
		t.Errorf("errors %+v", errs)
	}
	if !reflect.DeepEqual(r.Concerns.Categories, []referral.Category{referral.CategoryNeglect, referral.CategoryEmotionalAbuse}) || r.Concerns.LevelOfNeed != referral.NeedChildInNeed {
		t.Errorf("concerns %+v", r.Concerns)
	}

	// What referral.Validate finds is placed on the pages.
	d.Answers["children/b2"].Set("estimatedAge", "30")
	r, _ = Build(d)
	placed, unplaced := PlaceAll(d, referral.Validate(r, time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)))
	if len(unplaced) != 0 {
		t.Errorf("unplaced %+v", unplaced)
	}
	found := false
	for _, p := range placed {
		if p.Page == "children/b2" && p.Field == "estimatedAge" && p.Message != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("an age of 30 is not placed on the second child's page: %+v", placed)
	}
}

func TestPlaceAllKeepsWhatNoPageAsks(t *testing.T) {
	err := apperr.WithFields("x", []apperr.FieldError{{Field: "referrer.name", Message: "Enter your name"}, {Field: "mystery", Message: "?"}})
	placed, unplaced := PlaceAll(twoChildren(), err)
	if len(placed) != 1 || placed[0].Message != "Enter your name" || len(unplaced) != 1 || unplaced[0].Field != "mystery" {
		t.Errorf("placed %+v unplaced %+v", placed, unplaced)
	}
	if p, u := PlaceAll(twoChildren(), nil); p != nil || u != nil {
		t.Error("no error placed something")
	}
}

func TestParseDateTime(t *testing.T) {
	tests := []struct {
		day, month, year, clock string
		want                    string
		part                    string
	}{
		{"", "", "", "", "", ""},
		{"2", "12", "2026", "14:30", "2026-12-02T14:30:00Z", ""},
		{"2", "dec", "2026", "2.30pm", "2026-12-02T14:30:00Z", ""},
		{"2", "12", "2026", "2pm", "2026-12-02T14:00:00Z", ""},
		{"2", "12", "2026", "12am", "2026-12-02T00:00:00Z", ""},
		{"2", "12", "2026", "12:15 p.m.", "2026-12-02T12:15:00Z", ""},
		{"2", "12", "2026", " 09:05 ", "2026-12-02T09:05:00Z", ""},
		// British Summer Time: an hour ahead of UTC.
		{"1", "7", "2026", "14:30", "2026-07-01T14:30:00+01:00", ""},
		// The clocks go forward at 01:00 on 29 March 2026: 01:30 does not
		// exist and is read as 02:30 BST.
		{"29", "3", "2026", "01:30", "2026-03-29T02:30:00+01:00", ""},
		{"29", "3", "2026", "00:30", "2026-03-29T00:30:00Z", ""},
		// They go back at 02:00 BST on 25 October 2026: 01:30 is the first.
		{"25", "10", "2026", "01:30", "2026-10-25T01:30:00+01:00", ""},
		{"25", "10", "2026", "03:00", "2026-10-25T03:00:00Z", ""},
		{"2", "12", "2026", "", "", "time"},
		{"", "", "", "14:30", "", "day"},
		{"2", "", "2026", "14:30", "", "month"},
		{"2", "12", "2026", "14", "", "time"},
		{"2", "12", "2026", "24:00", "", "time"},
		{"2", "12", "2026", "13pm", "", "time"},
		{"2", "12", "2026", "14:60", "", "time"},
		{"2", "12", "2026", "half two", "", "time"},
	}
	for _, tt := range tests {
		got, err := ParseDateTime(tt.day, tt.month, tt.year, tt.clock)
		if got != tt.want || (err == nil) != (tt.part == "") || (err != nil && err.Part != tt.part) {
			t.Errorf("ParseDateTime(%q, %q, %q, %q) = %q, %v; want %q, error on %q", tt.day, tt.month, tt.year, tt.clock, got, err, tt.want, tt.part)
		}
	}
}

// The household, the professionals and the missing episode, which is
// built only when the concern says the child went missing.
func TestBuildListsAndMissing(t *testing.T) {
	d := twoChildren()
	d.Lists[ListProfessionals] = []string{"p1"}
	d.Answers = map[string]url.Values{
		"household/h1": {"name": {"Jo Smith"}, "relationship": {"Mother"}, "dateOfBirth-day": {"1"}, "dateOfBirth-month": {"June"},
			"dateOfBirth-year": {"1990"}, "parentalResponsibility": {"yes"}, "allegedPerpetrator": {"no"}},
		"professionals/p1": {"name": {"Dr Patel"}, "role": {"GP"}, "organisation": {"Hill Surgery"}, "email": {"gp@surgery.example"}},
		PageConcerns:       {"categories": {"neglect"}},
		PageMissing:        {"wentMissingAt-day": {"30"}, "wentMissingAt-month": {"11"}, "wentMissingAt-year": {"2026"}, "wentMissingAt-time": {"22:00"}, "returned": {"no"}, "whereFound": {"kept only when back"}},
	}
	r, errs := Build(d)
	yes, no := true, false
	if want := []referral.HouseholdMember{{Name: "Jo Smith", Relationship: "Mother", DateOfBirth: "1990-06-01", ParentalResponsibility: &yes, AllegedPerpetrator: &no}}; !reflect.DeepEqual(r.Household, want) || len(errs) != 0 {
		t.Errorf("household %+v, errors %+v", r.Household, errs)
	}
	if want := []referral.Professional{{Name: "Dr Patel", Role: "GP", Organisation: "Hill Surgery", Email: "gp@surgery.example"}}; !reflect.DeepEqual(r.Professionals, want) {
		t.Errorf("professionals %+v", r.Professionals)
	}
	if r.MissingEpisode != nil {
		t.Errorf("a missing episode without the missing concern: %+v", r.MissingEpisode)
	}

	d.Answers[PageConcerns]["categories"] = []string{"neglect", "missing"}
	r, errs = Build(d)
	if want := (&referral.MissingEpisode{WentMissingAt: "2026-11-30T22:00:00Z", StillMissing: true}); !reflect.DeepEqual(r.MissingEpisode, want) || len(errs) != 0 {
		t.Errorf("missing episode %+v, errors %+v", r.MissingEpisode, errs)
	}
	d.Answers[PageMissing].Set("returned", "yes")
	d.Answers[PageMissing]["returnedAt-day"] = []string{"1"}
	d.Answers[PageMissing]["returnedAt-month"] = []string{"12"}
	d.Answers[PageMissing]["returnedAt-year"] = []string{"2026"}
	d.Answers[PageMissing]["returnedAt-time"] = []string{"7am"}
	d.Answers["household/h1"].Set("dateOfBirth-month", "Jume")
	r, errs = Build(d)
	if want := (&referral.MissingEpisode{WentMissingAt: "2026-11-30T22:00:00Z", ReturnedAt: "2026-12-01T07:00:00Z", WhereFound: "kept only when back"}); !reflect.DeepEqual(r.MissingEpisode, want) {
		t.Errorf("missing episode %+v", r.MissingEpisode)
	}
	if !reflect.DeepEqual(errs, []FieldError{{Page: "household/h1", Field: "dateOfBirth-month", Message: "The month must be a number from 1 to 12 or the name of a month"}}) {
		t.Errorf("errors %+v", errs)
	}
	// An unanswered missing page is for Validate to point out, on that page.
	delete(d.Answers, PageMissing)
	r, _ = Build(d)
	placed, _ := PlaceAll(d, referral.Validate(r, time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)))
	found := false
	for _, p := range placed {
		found = found || (p.Page == PageMissing && p.Field == "wentMissingAt")
	}
	if !found {
		t.Errorf("an unanswered missing episode is not placed on its page: %+v", placed)
	}
}
