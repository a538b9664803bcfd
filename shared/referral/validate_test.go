package referral

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
)

// now is the moment every test referral is received: Monday 23 November 2026.
var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// validReferral returns a referral that passes Validate at now.
func validReferral() *Referral {
	return &Referral{
		Referrer: Referrer{
			Name: "Test Referrer", Role: "Teacher", Organisation: "Example School", AgencyType: AgencyEducation,
			Email: "teacher@school.example.org", Phone: "0161 496 0000",
		},
		Children: []Child{{
			FirstName: "Test", LastName: "Child", DateOfBirth: "2016-05-01", Sex: SexFemale,
			Address: Address{Line1: "1 Imaginary Street", Postcode: "M1 1AE"},
		}},
		Consent: Consent{FamilyAware: new(true), FamilyConsents: new(true)},
		Concerns: Concerns{
			Categories: []Category{CategoryNeglect}, Account: "Test account.", ImmediateRisk: new(false), LevelOfNeed: NeedChildInNeed,
		},
	}
}

func TestValidReferralPasses(t *testing.T) {
	if err := Validate(validReferral(), now); err != nil {
		t.Fatalf("Validate: %v (%v)", err, formtest.FieldsOf(t, err))
	}
}

func TestValidateNil(t *testing.T) {
	if apperr.CodeOf(Validate(nil, now)) != apperr.Invalid {
		t.Error("Validate(nil) is not Invalid")
	}
}

func children(n int) []Child {
	c := validReferral().Children[0]
	cs := make([]Child, n)
	for i := range cs {
		cs[i] = c
	}
	return cs
}

func TestValidate(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) } // runes, not bytes
	tests := []struct {
		name   string
		mutate func(r *Referral)
		want   []string // exact field paths, in order; nil means valid
	}{
		// referrer
		{"referrer all blank", func(r *Referral) { r.Referrer = Referrer{} },
			[]string{"referrer.name", "referrer.role", "referrer.organisation", "referrer.agencyType", "referrer.email", "referrer.phone"}},
		{"referrer name only spaces", func(r *Referral) { r.Referrer.Name = "  \t" }, []string{"referrer.name"}},
		{"referrer name 200 characters", func(r *Referral) { r.Referrer.Name = long(200) }, nil},
		{"referrer name 201 characters", func(r *Referral) { r.Referrer.Name = long(201) }, []string{"referrer.name"}},
		{"unknown agency type", func(r *Referral) { r.Referrer.AgencyType = "school" }, []string{"referrer.agencyType"}},
		{"email with display name", func(r *Referral) { r.Referrer.Email = "Test <t@example.org>" }, []string{"referrer.email"}},
		{"email in angle brackets", func(r *Referral) { r.Referrer.Email = "<t@example.org>" }, []string{"referrer.email"}},
		{"two emails", func(r *Referral) { r.Referrer.Email = "a@example.org, b@example.org" }, []string{"referrer.email"}},
		{"email without dotted domain", func(r *Referral) { r.Referrer.Email = "t@localhost" }, []string{"referrer.email"}},
		{"email domain ends in dot", func(r *Referral) { r.Referrer.Email = "t@example." }, []string{"referrer.email"}},
		{"email without @", func(r *Referral) { r.Referrer.Email = "example.org" }, []string{"referrer.email"}},
		{"email with spaces around", func(r *Referral) { r.Referrer.Email = "  t@example.org " }, nil},
		{"phone international", func(r *Referral) { r.Referrer.Phone = "+44 161 496 0000" }, nil},
		{"phone international with (0)", func(r *Referral) { r.Referrer.Phone = "+44 (0)161 496 0000" }, nil},
		{"phone with brackets and dashes", func(r *Referral) { r.Referrer.Phone = "(0161) 496-0000" }, nil},
		{"phone mobile", func(r *Referral) { r.Referrer.Phone = "07700900000" }, nil},
		{"phone 10 digits", func(r *Referral) { r.Referrer.Phone = "016977 4000" }, nil},
		{"phone 9 digits", func(r *Referral) { r.Referrer.Phone = "0161 49600" }, []string{"referrer.phone"}},
		{"phone 12 digits", func(r *Referral) { r.Referrer.Phone = "0161 496 00000" }, []string{"referrer.phone"}},
		{"phone not starting 0", func(r *Referral) { r.Referrer.Phone = "1161 496 0000" }, []string{"referrer.phone"}},
		{"phone other country", func(r *Referral) { r.Referrer.Phone = "+1 202 555 0100" }, []string{"referrer.phone"}},
		{"phone with letters", func(r *Referral) { r.Referrer.Phone = "0161 496 0000 ext 2" }, []string{"referrer.phone"}},
		{"phone plus inside", func(r *Referral) { r.Referrer.Phone = "0+44161 496 0000" }, []string{"referrer.phone"}},
		{"fgm without regulated professional", func(r *Referral) { r.Concerns.Categories = []Category{CategoryFGM} },
			[]string{"referrer.regulatedProfessional"}},
		{"fgm, not a regulated professional", func(r *Referral) {
			r.Concerns.Categories = []Category{CategoryFGM}
			r.Referrer.RegulatedProfessional = new(false)
		}, nil},

		// children: count
		{"no children", func(r *Referral) { r.Children = nil }, []string{"children"}},
		{"10 children", func(r *Referral) { r.Children = children(MaxChildren) }, nil},
		{"11 children", func(r *Referral) { r.Children = children(MaxChildren + 1) }, []string{"children"}},

		// children: names
		{"child without names", func(r *Referral) { r.Children[0].FirstName, r.Children[0].LastName = " ", "" },
			[]string{"children[0].firstName"}},
		{"child with last name only", func(r *Referral) { r.Children[0].FirstName = "" }, nil},
		{"child first name too long", func(r *Referral) { r.Children[0].FirstName = long(201) }, []string{"children[0].firstName"}},
		{"child known-as too long", func(r *Referral) { r.Children[0].KnownAs = long(201) }, []string{"children[0].knownAs"}},

		// children: dates
		{"no date of birth, due date or age", func(r *Referral) { r.Children[0].DateOfBirth = "" },
			[]string{"children[0].dateOfBirth"}},
		{"date of birth and estimated age", func(r *Referral) { r.Children[0].EstimatedAge = new(8) },
			[]string{"children[0].estimatedAge"}},
		{"date of birth and due date", func(r *Referral) {
			r.Children[0].ExpectedDateOfDelivery = "2027-01-01"
			r.Concerns.Categories = append(r.Concerns.Categories, CategoryUnbornBaby)
		}, []string{"children[0].expectedDateOfDelivery"}},
		{"date of birth today", func(r *Referral) { r.Children[0].DateOfBirth = "2026-11-23" }, nil},
		{"date of birth tomorrow", func(r *Referral) { r.Children[0].DateOfBirth = "2026-11-24" }, []string{"children[0].dateOfBirth"}},
		{"date of birth not a date", func(r *Referral) { r.Children[0].DateOfBirth = "2016-02-30" }, []string{"children[0].dateOfBirth"}},
		{"date of birth wrong layout", func(r *Referral) { r.Children[0].DateOfBirth = "01/05/2016" }, []string{"children[0].dateOfBirth"}},
		{"date of birth unpadded", func(r *Referral) { r.Children[0].DateOfBirth = "2016-5-1" }, []string{"children[0].dateOfBirth"}},
		{"17, 18th birthday tomorrow", func(r *Referral) { r.Children[0].DateOfBirth = "2008-11-24" }, nil},
		{"18th birthday today", func(r *Referral) { r.Children[0].DateOfBirth = "2008-11-23" }, []string{"children[0].dateOfBirth"}},
		{"adult", func(r *Referral) { r.Children[0].DateOfBirth = "1990-01-01" }, []string{"children[0].dateOfBirth"}},
		{"estimated age 0", func(r *Referral) { r.Children[0].DateOfBirth, r.Children[0].EstimatedAge = "", new(0) }, nil},
		{"estimated age 17", func(r *Referral) { r.Children[0].DateOfBirth, r.Children[0].EstimatedAge = "", new(17) }, nil},
		{"estimated age 18", func(r *Referral) { r.Children[0].DateOfBirth, r.Children[0].EstimatedAge = "", new(18) },
			[]string{"children[0].estimatedAge"}},
		{"estimated age -1", func(r *Referral) { r.Children[0].DateOfBirth, r.Children[0].EstimatedAge = "", new(-1) },
			[]string{"children[0].estimatedAge"}},

		// children: unborn
		{"unborn, no names", unborn("2027-03-01"), nil},
		{"unborn due 28 days ago", unborn("2026-10-26"), nil},
		{"unborn due 29 days ago", unborn("2026-10-25"), []string{"children[0].expectedDateOfDelivery"}},
		{"unborn due in 10 months", unborn("2027-09-23"), nil},
		{"unborn due in 10 months and a day", unborn("2027-09-24"), []string{"children[0].expectedDateOfDelivery"}},
		{"unborn due date not a date", unborn("2027-13-01"), []string{"children[0].expectedDateOfDelivery"}},
		{"unborn without the category", func(r *Referral) {
			unborn("2027-03-01")(r)
			r.Concerns.Categories = []Category{CategoryDomesticAbuse}
		}, []string{"concerns.categories"}},
		{"unborn category without an unborn child", func(r *Referral) {
			r.Concerns.Categories = []Category{CategoryUnbornBaby}
		}, []string{"concerns.categories"}},
		{"unborn and a born sibling", func(r *Referral) {
			sib := r.Children[0]
			unborn("2027-03-01")(r)
			r.Children = append(r.Children, sib)
		}, nil},
		{"unborn without postcode", func(r *Referral) {
			unborn("2027-03-01")(r)
			r.Children[0].Address.Postcode = ""
		}, []string{"children[0].address.postcode"}},

		// children: sex
		{"sex missing", func(r *Referral) { r.Children[0].Sex = "" }, []string{"children[0].sex"}},
		{"sex not in list", func(r *Referral) { r.Children[0].Sex = "f" }, []string{"children[0].sex"}},
		{"sex unknown", func(r *Referral) { r.Children[0].Sex = SexUnknown }, nil},

		// children: NHS number
		{"NHS number", func(r *Referral) { r.Children[0].NHSNumber = "9434765919" }, nil},
		{"NHS number with spaces", func(r *Referral) { r.Children[0].NHSNumber = "943 476 5919" }, nil},
		{"NHS number wrong check digit", func(r *Referral) { r.Children[0].NHSNumber = "9434765918" }, []string{"children[0].nhsNumber"}},
		{"NHS number check digit 10", func(r *Referral) { r.Children[0].NHSNumber = "9991234560" }, []string{"children[0].nhsNumber"}},
		{"NHS number 9 digits", func(r *Referral) { r.Children[0].NHSNumber = "943476591" }, []string{"children[0].nhsNumber"}},
		{"NHS number letters", func(r *Referral) { r.Children[0].NHSNumber = "94347659AB" }, []string{"children[0].nhsNumber"}},

		// children: UPN
		{"UPN", func(r *Referral) { r.Children[0].UPN = "K352999926001" }, nil},
		{"UPN lower case", func(r *Referral) { r.Children[0].UPN = "k352999926001" }, nil},
		{"temporary UPN", func(r *Referral) { r.Children[0].UPN = "W35299992600A" }, nil},
		{"UPN wrong check letter", func(r *Referral) { r.Children[0].UPN = "A352999926001" }, []string{"children[0].upn"}},
		{"UPN 12 characters", func(r *Referral) { r.Children[0].UPN = "K35299992600" }, []string{"children[0].upn"}},
		{"UPN letter in the middle", func(r *Referral) { r.Children[0].UPN = "K3529999X6001" }, []string{"children[0].upn"}},

		// children: address
		{"address blank", func(r *Referral) { r.Children[0].Address = Address{} },
			[]string{"children[0].address.line1", "children[0].address.postcode"}},
		{"postcode invalid", func(r *Referral) { r.Children[0].Address.Postcode = "M1 1A" }, []string{"children[0].address.postcode"}},
		{"postcode lower case without space", func(r *Referral) { r.Children[0].Address.Postcode = "sw1a1aa" }, nil},
		{"current location valid", func(r *Referral) {
			r.Children[0].CurrentLocation = &Address{Line1: "2 Pretend Road", Postcode: "GIR 0AA"}
		}, nil},
		{"current location incomplete", func(r *Referral) {
			r.Children[0].CurrentLocation = &Address{Postcode: "nowhere"}
		}, []string{"children[0].currentLocation.line1", "children[0].currentLocation.postcode"}},
		{"address line 2 too long", func(r *Referral) { r.Children[0].Address.Line2 = long(201) }, []string{"children[0].address.line2"}},
		{"disability 20000 characters", func(r *Referral) { r.Children[0].Disability = long(MaxFreeText) }, nil},
		{"disability 20001 characters", func(r *Referral) { r.Children[0].Disability = long(MaxFreeText + 1) }, []string{"children[0].disability"}},
		{"problems in the second child", func(r *Referral) {
			r.Children = children(2)
			r.Children[1].NHSNumber = "123"
			r.Children[1].Sex = ""
		}, []string{"children[1].sex", "children[1].nhsNumber"}},

		// household
		{"household member", func(r *Referral) {
			r.Household = []HouseholdMember{{Name: "Test Parent", Relationship: "Father", DateOfBirth: "1980-01-01", ParentalResponsibility: new(true)}}
		}, nil},
		{"household member blank", func(r *Referral) { r.Household = []HouseholdMember{{}} },
			[]string{"household[0].name", "household[0].relationship"}},
		{"household date of birth tomorrow", func(r *Referral) {
			r.Household = []HouseholdMember{{Name: "Test", Relationship: "Aunt", DateOfBirth: "2026-11-24"}}
		}, []string{"household[0].dateOfBirth"}},
		{"household date of birth not a date", func(r *Referral) {
			r.Household = []HouseholdMember{{Name: "Test", Relationship: "Aunt", DateOfBirth: "1980-02-30"}}
		}, []string{"household[0].dateOfBirth"}},
		{"30 household members", func(r *Referral) { r.Household = household(MaxHousehold) }, nil},
		{"31 household members", func(r *Referral) { r.Household = household(MaxHousehold + 1) }, []string{"household"}},

		// professionals
		{"professional", func(r *Referral) {
			r.Professionals = []Professional{{Name: "Test GP", Organisation: "Example Surgery", Email: "gp@example.org", Phone: "0161 496 0001"}}
		}, nil},
		{"professional blank", func(r *Referral) { r.Professionals = []Professional{{}} },
			[]string{"professionals[0].name", "professionals[0].organisation"}},
		{"professional bad contact", func(r *Referral) {
			r.Professionals = []Professional{{Name: "Test", Organisation: "Example", Email: "gp@", Phone: "12345"}}
		}, []string{"professionals[0].email", "professionals[0].phone"}},
		{"20 professionals", func(r *Referral) { r.Professionals = professionals(MaxProfessionals) }, nil},
		{"21 professionals", func(r *Referral) { r.Professionals = professionals(MaxProfessionals + 1) }, []string{"professionals"}},

		// consent
		{"consent not answered", func(r *Referral) { r.Consent = Consent{} }, []string{"consent.familyAware"}},
		{"aware, consent not answered", func(r *Referral) { r.Consent = Consent{FamilyAware: new(true)} }, []string{"consent.familyConsents"}},
		{"not aware, no reason", func(r *Referral) { r.Consent = Consent{FamilyAware: new(false)} }, []string{"consent.noConsentReason"}},
		{"not aware, reason blank", func(r *Referral) { r.Consent = Consent{FamilyAware: new(false), NoConsentReason: "  "} },
			[]string{"consent.noConsentReason"}},
		{"not aware, with reason", func(r *Referral) { r.Consent = Consent{FamilyAware: new(false), NoConsentReason: "Significant harm."} }, nil},
		{"does not consent, no reason", func(r *Referral) { r.Consent = Consent{FamilyAware: new(true), FamilyConsents: new(false)} },
			[]string{"consent.noConsentReason"}},
		{"does not consent, reason 20001 characters", func(r *Referral) {
			r.Consent = Consent{FamilyAware: new(true), FamilyConsents: new(false), NoConsentReason: long(MaxFreeText + 1)}
		}, []string{"consent.noConsentReason"}},

		// concerns
		{"no categories", func(r *Referral) { r.Concerns.Categories = nil }, []string{"concerns.categories"}},
		{"unknown category", func(r *Referral) { r.Concerns.Categories = []Category{CategoryNeglect, "bullying"} },
			[]string{"concerns.categories[1]"}},
		{"duplicate category", func(r *Referral) { r.Concerns.Categories = []Category{CategoryNeglect, CategoryNeglect} },
			[]string{"concerns.categories[1]"}},
		{"every category once", func(r *Referral) {
			r.Concerns.Categories = slices.Clone(Categories)
			r.Referrer.RegulatedProfessional = new(true)
			r.Children = append(r.Children, Child{ExpectedDateOfDelivery: "2027-03-01", Sex: SexUnknown, Address: r.Children[0].Address})
			r.MissingEpisode = &MissingEpisode{WentMissingAt: "2026-11-20T21:30:00Z", StillMissing: true}
		}, nil},
		{"too many categories", func(r *Referral) {
			r.Concerns.Categories = append(slices.Clone(Categories), CategoryNeglect)
			r.Referrer.RegulatedProfessional = new(true)
			r.Children = append(r.Children, Child{ExpectedDateOfDelivery: "2027-03-01", Sex: SexUnknown, Address: r.Children[0].Address})
			r.MissingEpisode = &MissingEpisode{WentMissingAt: "2026-11-20T21:30:00Z", StillMissing: true}
		}, []string{"concerns.categories", "concerns.categories[19]"}},
		{"account blank", func(r *Referral) { r.Concerns.Account = " \n" }, []string{"concerns.account"}},
		{"account 20000 characters", func(r *Referral) { r.Concerns.Account = long(MaxFreeText) }, nil},
		{"account 20001 characters", func(r *Referral) { r.Concerns.Account = long(MaxFreeText + 1) }, []string{"concerns.account"}},
		{"child's words 20001 characters", func(r *Referral) { r.Concerns.ChildsWords = long(MaxFreeText + 1) }, []string{"concerns.childsWords"}},
		{"immediate risk not answered", func(r *Referral) { r.Concerns.ImmediateRisk = nil }, []string{"concerns.immediateRisk"}},
		{"immediate risk yes", func(r *Referral) { r.Concerns.ImmediateRisk = new(true) }, nil},
		{"level of need missing", func(r *Referral) { r.Concerns.LevelOfNeed = 0 }, []string{"concerns.levelOfNeed"}},
		{"level of need 1", func(r *Referral) { r.Concerns.LevelOfNeed = 1 }, nil},
		{"level of need 4", func(r *Referral) { r.Concerns.LevelOfNeed = 4 }, nil},
		{"level of need 5", func(r *Referral) { r.Concerns.LevelOfNeed = 5 }, []string{"concerns.levelOfNeed"}},
		{"level of need -1", func(r *Referral) { r.Concerns.LevelOfNeed = -1 }, []string{"concerns.levelOfNeed"}},

		// missing episode
		{"missing, returned", missing(&MissingEpisode{WentMissingAt: "2026-11-20T21:30:00Z", ReturnedAt: "2026-11-22T08:15:00+00:00"}), nil},
		{"missing, still missing", missing(&MissingEpisode{WentMissingAt: "2026-11-23T09:00:00Z", StillMissing: true}), nil},
		{"missing, went missing now", missing(&MissingEpisode{WentMissingAt: "2026-11-23T10:00:00Z", StillMissing: true}), nil},
		{"missing category without episode", missing(nil), []string{"missingEpisode"}},
		{"episode without missing category", func(r *Referral) {
			r.MissingEpisode = &MissingEpisode{WentMissingAt: "2026-11-20T21:30:00Z", StillMissing: true}
		}, []string{"missingEpisode"}},
		{"episode blank", missing(&MissingEpisode{}), []string{"missingEpisode.wentMissingAt", "missingEpisode.returnedAt"}},
		{"went missing not RFC 3339", missing(&MissingEpisode{WentMissingAt: "2026-11-20 21:30", StillMissing: true}),
			[]string{"missingEpisode.wentMissingAt"}},
		{"went missing without offset", missing(&MissingEpisode{WentMissingAt: "2026-11-20T21:30:00", StillMissing: true}),
			[]string{"missingEpisode.wentMissingAt"}},
		{"went missing in the future", missing(&MissingEpisode{WentMissingAt: "2026-11-23T10:00:01Z", StillMissing: true}),
			[]string{"missingEpisode.wentMissingAt"}},
		{"went missing in the future by offset", missing(&MissingEpisode{WentMissingAt: "2026-11-23T09:30:00-01:00", StillMissing: true}),
			[]string{"missingEpisode.wentMissingAt"}},
		{"went missing in year 0", missing(&MissingEpisode{WentMissingAt: "0000-01-01T00:00:00+01:00", ReturnedAt: "0000-01-01T00:30:00+01:00"}),
			[]string{"missingEpisode.wentMissingAt", "missingEpisode.returnedAt"}},
		{"went missing in 1999", missing(&MissingEpisode{WentMissingAt: "1999-12-31T21:30:00Z", StillMissing: true}),
			[]string{"missingEpisode.wentMissingAt"}},
		{"returned and still missing", missing(&MissingEpisode{WentMissingAt: "2026-11-20T21:30:00Z", ReturnedAt: "2026-11-22T08:15:00Z", StillMissing: true}),
			[]string{"missingEpisode.stillMissing"}},
		{"returned before went missing", missing(&MissingEpisode{WentMissingAt: "2026-11-20T21:30:00Z", ReturnedAt: "2026-11-20T21:29:59Z"}),
			[]string{"missingEpisode.returnedAt"}},
		{"returned as went missing", missing(&MissingEpisode{WentMissingAt: "2026-11-20T21:30:00Z", ReturnedAt: "2026-11-20T22:30:00+01:00"}), nil},
		{"returned in the future", missing(&MissingEpisode{WentMissingAt: "2026-11-20T21:30:00Z", ReturnedAt: "2026-11-23T10:00:01Z"}),
			[]string{"missingEpisode.returnedAt"}},
		{"returned not RFC 3339", missing(&MissingEpisode{WentMissingAt: "2026-11-20T21:30:00Z", ReturnedAt: "yesterday"}),
			[]string{"missingEpisode.returnedAt"}},
		{"police reference 201 characters", missing(&MissingEpisode{WentMissingAt: "2026-11-20T21:30:00Z", StillMissing: true, PoliceReference: long(201)}),
			[]string{"missingEpisode.policeReference"}},

		// every problem is reported, in form order
		{"many problems", func(r *Referral) {
			r.Referrer.Email = "x"
			r.Children[0].Sex = ""
			r.Consent.FamilyConsents = nil
			r.Concerns.LevelOfNeed = 0
		}, []string{"referrer.email", "children[0].sex", "consent.familyConsents", "concerns.levelOfNeed"}},
	}
	form := formtest.Form[Referral]{Valid: validReferral, Validate: func(r *Referral) error { return Validate(r, now) }}
	for _, tt := range tests {
		form.Check(t, tt.name, tt.mutate, tt.want)
	}
}

// unborn makes the first child an unborn baby due on edd, with the
// unborn-baby category.
func unborn(edd string) func(r *Referral) {
	return func(r *Referral) {
		c := &r.Children[0]
		c.FirstName, c.LastName, c.DateOfBirth, c.Sex = "", "", "", SexUnknown
		c.ExpectedDateOfDelivery = edd
		r.Concerns.Categories = []Category{CategoryUnbornBaby, CategoryDomesticAbuse}
	}
}

// missing adds the missing category and the episode e.
func missing(e *MissingEpisode) func(r *Referral) {
	return func(r *Referral) {
		r.Concerns.Categories = append(r.Concerns.Categories, CategoryMissing)
		r.MissingEpisode = e
	}
}

func household(n int) []HouseholdMember {
	hs := make([]HouseholdMember, n)
	for i := range hs {
		hs[i] = HouseholdMember{Name: "Test Person", Relationship: "Relative"}
	}
	return hs
}

func professionals(n int) []Professional {
	ps := make([]Professional, n)
	for i := range ps {
		ps[i] = Professional{Name: "Test Professional", Organisation: "Example"}
	}
	return ps
}

func TestValidateUsesTheCalendarInEngland(t *testing.T) {
	// 23:30 UTC on 30 June is 00:30 on 1 July in London: a baby born
	// "today" in England on 1 July is not born in the future.
	late := time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC)
	r := validReferral()
	r.Children[0].DateOfBirth = "2026-07-01"
	if err := Validate(r, late); err != nil {
		t.Errorf("born today in England: %v", formtest.FieldsOf(t, err))
	}
	r.Children[0].DateOfBirth = "2026-07-02"
	if got := formtest.FieldsOf(t, Validate(r, late)); !slices.Equal(got, []string{"children[0].dateOfBirth"}) {
		t.Errorf("born tomorrow in England: fields %q", got)
	}
}

func TestLeapDayBirthday(t *testing.T) {
	// A person born on 29 February turns 18 on 1 March in a common year.
	r := validReferral()
	r.Children[0].DateOfBirth = "2008-02-29"
	if err := Validate(r, time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("on 28 February 2026: %v", formtest.FieldsOf(t, err))
	}
	if err := Validate(r, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)); err == nil {
		t.Error("on 1 March 2026 the person is 18 but was accepted")
	}
}

func TestValidateNormalises(t *testing.T) {
	r := validReferral()
	r.Referrer.Email = "  teacher@school.example.org\n"
	r.Children[0].NHSNumber = " 943 476 5919 "
	r.Children[0].UPN = "k352999926001"
	r.Children[0].Address.Postcode = " sw1a1aa "
	r.Children[0].CurrentLocation = &Address{Line1: "x", Postcode: "m1   1ae"}
	r.Professionals = []Professional{{Name: "Test", Organisation: "Example", Email: " gp@example.org "}}
	if err := Validate(r, now); err != nil {
		t.Fatal(formtest.FieldsOf(t, err))
	}
	c := r.Children[0]
	got := []string{r.Referrer.Email, c.NHSNumber, c.UPN, c.Address.Postcode, c.CurrentLocation.Postcode, r.Professionals[0].Email}
	want := []string{"teacher@school.example.org", "9434765919", "K352999926001", "SW1A 1AA", "M1 1AE", "gp@example.org"}
	if !slices.Equal(got, want) {
		t.Errorf("normalised %q, want %q", got, want)
	}
}

func TestMessagesDoNotEchoValues(t *testing.T) {
	r := validReferral()
	secret := "Zebedee-Secret"
	r.Referrer.Email = secret + "@"
	r.Referrer.Phone = secret
	r.Referrer.AgencyType = AgencyType(secret)
	r.Children[0].Sex = Sex(secret)
	r.Children[0].NHSNumber = secret
	r.Children[0].UPN = secret
	r.Children[0].DateOfBirth = secret
	r.Children[0].Address.Postcode = secret
	r.Concerns.Categories = []Category{Category(secret)}
	r.MissingEpisode = &MissingEpisode{WentMissingAt: secret, ReturnedAt: secret}
	err := apperr.As(Validate(r, now))
	if err == nil {
		t.Fatal("accepted")
	}
	if strings.Contains(err.Error(), secret) {
		t.Error("summary repeats a value")
	}
	for _, f := range err.Fields {
		if strings.Contains(strings.ToLower(f.Message), strings.ToLower(secret)) {
			t.Errorf("%s: message repeats the value: %s", f.Field, f.Message)
		}
	}
}

func TestValidNHSNumber(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"9434765919", true},
		{"943 476 5919", true},
		{"9991234500", true}, // check digit 0 from 11
		{"9991234519", true},
		{"4010232137", true},
		{"9434765918", false}, // wrong check digit
		{"9991234560", false}, // the first nine give check 10
		{"9991234561", false},
		{"943476591", false},   // 9 digits
		{"94347659190", false}, // 11 digits
		{"94347659A9", false},  // letter
		{"943-476-5919", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidNHSNumber(tt.in); got != tt.want {
			t.Errorf("ValidNHSNumber(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestValidUPN(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"K352999926001", true},
		{"B801200005001", true},
		{"P207000016049", true},
		{"W35299992600A", true}, // temporary
		{"G35299992600Z", true}, // temporary
		{"A801200005001", false},
		{"B207000016049", false},
		{"I352999926001", false}, // I is never a check letter
		{"K35299992600I", false},
		{"k352999926001", false}, // Normalise capitalises first
		{"K35299992600", false},
		{"K3529999260011", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidUPN(tt.in); got != tt.want {
			t.Errorf("ValidUPN(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNormalisePostcode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"SW1A 1AA", "SW1A 1AA", true},
		{"sw1a1aa", "SW1A 1AA", true},
		{" Sw1A  1aA ", "SW1A 1AA", true},
		{"M1 1AE", "M1 1AE", true},
		{"M11AE", "M1 1AE", true},
		{"GIR 0AA", "GIR 0AA", true},
		{"gir0aa", "GIR 0AA", true},
		{"B33 8TH", "B33 8TH", true},
		{"CR2 6XH", "CR2 6XH", true},
		{"DN55 1PT", "DN55 1PT", true},
		{"W1A 0AX", "W1A 0AX", true},
		{"EC1A 1BB", "EC1A 1BB", true},
		{"", "", false},
		{"SW1A", "", false},
		{"1AA SW1A", "", false},
		{"M1 1A", "", false},
		{"M1 1AEE", "", false},
		{"MM1A1 1AA", "", false},
		{"AI1 1AA", "", false}, // I is not a second letter
		{"M1 AAE", "", false},
		{"M1-1AE", "", false},
		{"GIR 0AB", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalisePostcode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalisePostcode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestHasCategoryAndIsUnborn(t *testing.T) {
	r := validReferral()
	if !r.HasCategory(CategoryNeglect) || r.HasCategory(CategoryMissing) {
		t.Error("HasCategory")
	}
	if r.Children[0].IsUnborn() || !(Child{ExpectedDateOfDelivery: "2027-01-01"}).IsUnborn() {
		t.Error("IsUnborn")
	}
}
