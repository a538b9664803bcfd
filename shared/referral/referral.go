// Package referral holds the multi-agency referral form: its sections as Go
// types, the enumerations the form offers, strict decoding of a submitted
// body and the rules a referral must meet before it is accepted.
//
// Every error the package returns is an *apperr.Error. Messages name fields
// by their JSON path (for example "children[1].nhsNumber") and never repeat
// a submitted value: the values are personal data about children.
package referral

import "strings"

// Limits on the size of a referral.
const (
	// MaxChildren is the most children one referral may be about.
	MaxChildren = 10
	// MaxHousehold is the most household members and significant others.
	MaxHousehold = 30
	// MaxProfessionals is the most other professionals listed.
	MaxProfessionals = 20
	// MaxCategories is the number of concern categories; a referral may
	// choose each at most once.
	MaxCategories = 19
	// MaxFreeText is the longest free-text answer, in characters (runes).
	MaxFreeText = 20000
	// MaxShortText is the longest name or other short answer, in characters.
	MaxShortText = 200
)

// Referral is one multi-agency referral form as submitted.
type Referral struct {
	Referrer       Referrer          `json:"referrer"`
	Children       []Child           `json:"children"`
	Household      []HouseholdMember `json:"household,omitempty"`
	Professionals  []Professional    `json:"professionals,omitempty"`
	Consent        Consent           `json:"consent"`
	Concerns       Concerns          `json:"concerns"`
	MissingEpisode *MissingEpisode   `json:"missingEpisode,omitempty"`
}

// Referrer is the professional making the referral.
type Referrer struct {
	Name         string     `json:"name" text:"line"`
	Role         string     `json:"role" text:"line"`
	Organisation string     `json:"organisation" text:"line"`
	AgencyType   AgencyType `json:"agencyType"`
	Email        string     `json:"email" text:"line"`
	Phone        string     `json:"phone" text:"line"`
	// RegulatedProfessional says whether the referrer is a regulated health
	// or social care professional or a teacher, who must report a known case
	// of FGM to the police. Nil means not answered.
	RegulatedProfessional *bool `json:"regulatedProfessional,omitempty"`
}

// Child is a child the referral is about, born or unborn.
type Child struct {
	FirstName string `json:"firstName,omitempty" text:"line"`
	LastName  string `json:"lastName,omitempty" text:"line"`
	KnownAs   string `json:"knownAs,omitempty" text:"line"`
	// DateOfBirth is YYYY-MM-DD. A child has exactly one of DateOfBirth,
	// ExpectedDateOfDelivery and EstimatedAge.
	DateOfBirth string `json:"dateOfBirth,omitempty"`
	// ExpectedDateOfDelivery is YYYY-MM-DD, given only for an unborn child.
	ExpectedDateOfDelivery string `json:"expectedDateOfDelivery,omitempty"`
	// EstimatedAge in years, given when the date of birth is not known.
	EstimatedAge *int   `json:"estimatedAge,omitempty"`
	Sex          Sex    `json:"sex"`
	NHSNumber    string `json:"nhsNumber,omitempty" text:"line"`
	School       string `json:"school,omitempty" text:"line"`
	// UPN is the Department for Education unique pupil number.
	UPN     string  `json:"upn,omitempty" text:"line"`
	Address Address `json:"address"`
	// CurrentLocation is where the child is now, when not at Address.
	CurrentLocation   *Address `json:"currentLocation,omitempty"`
	GP                string   `json:"gp,omitempty" text:"line"`
	Language          string   `json:"language,omitempty" text:"line"`
	InterpreterNeeded *bool    `json:"interpreterNeeded,omitempty"`
	Disability        string   `json:"disability,omitempty"`
}

// IsUnborn reports whether the child is an unborn baby, that is, has an
// expected date of delivery.
func (c Child) IsUnborn() bool { return strings.TrimSpace(c.ExpectedDateOfDelivery) != "" }

// Address is a UK postal address. For an unborn baby it is the mother's.
type Address struct {
	Line1    string `json:"line1" text:"line"`
	Line2    string `json:"line2,omitempty" text:"line"`
	Town     string `json:"town,omitempty" text:"line"`
	Postcode string `json:"postcode" text:"line"`
}

// HouseholdMember is a member of the child's household or another
// significant person in the child's life.
type HouseholdMember struct {
	Name         string `json:"name" text:"line"`
	Relationship string `json:"relationship" text:"line"`
	// DateOfBirth is YYYY-MM-DD, when known.
	DateOfBirth            string `json:"dateOfBirth,omitempty"`
	ParentalResponsibility *bool  `json:"parentalResponsibility,omitempty"`
	AllegedPerpetrator     *bool  `json:"allegedPerpetrator,omitempty"`
}

// Professional is another professional involved with the child or family.
type Professional struct {
	Name         string `json:"name" text:"line"`
	Role         string `json:"role,omitempty" text:"line"`
	Organisation string `json:"organisation" text:"line"`
	Email        string `json:"email,omitempty" text:"line"`
	Phone        string `json:"phone,omitempty" text:"line"`
}

// Consent records whether the family knows of and agrees to the referral.
type Consent struct {
	FamilyAware    *bool `json:"familyAware,omitempty"`
	FamilyConsents *bool `json:"familyConsents,omitempty"`
	// NoConsentReason is required when the family is not aware or does not
	// consent.
	NoConsentReason string `json:"noConsentReason,omitempty"`
}

// Concerns is what the referrer is worried about.
type Concerns struct {
	Categories []Category `json:"categories"`
	// Account is the referrer's free-text account of the concern.
	Account string `json:"account"`
	// ChildsWords is what the child said, in their own words.
	ChildsWords string `json:"childsWords,omitempty"`
	// ImmediateRisk is the referrer's answer to "Is the child at immediate
	// risk?"; nil means not answered.
	ImmediateRisk *bool       `json:"immediateRisk,omitempty"`
	LevelOfNeed   LevelOfNeed `json:"levelOfNeed"`
}

// MissingEpisode describes a child going missing from home or care.
type MissingEpisode struct {
	// WentMissingAt is RFC 3339 with an offset.
	WentMissingAt string `json:"wentMissingAt"`
	// ReturnedAt is RFC 3339 with an offset; empty while still missing.
	ReturnedAt      string `json:"returnedAt,omitempty"`
	StillMissing    bool   `json:"stillMissing,omitempty"`
	WhereFound      string `json:"whereFound,omitempty"`
	PoliceReference string `json:"policeReference,omitempty" text:"line"`
}

// HasCategory reports whether the referral's concerns include c.
func (r *Referral) HasCategory(c Category) bool {
	for _, have := range r.Concerns.Categories {
		if have == c {
			return true
		}
	}
	return false
}
