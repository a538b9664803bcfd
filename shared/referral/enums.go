package referral

import "slices"

// AgencyType is the kind of agency the referrer works for.
type AgencyType string

// The agency types a referrer can choose.
const (
	AgencyPolice          AgencyType = "police"
	AgencyHealth          AgencyType = "health"
	AgencyEducation       AgencyType = "education"
	AgencyEarlyYears      AgencyType = "early-years"
	AgencyEarlyHelp       AgencyType = "early-help"
	AgencyHousing         AgencyType = "housing"
	AgencyProbation       AgencyType = "probation"
	AgencyYouthJustice    AgencyType = "youth-justice"
	AgencyVoluntarySector AgencyType = "voluntary-sector"
	AgencyHelpline        AgencyType = "helpline"
	AgencyOther           AgencyType = "other"
)

// AgencyTypes lists every agency type in the order the form shows them.
var AgencyTypes = []AgencyType{
	AgencyPolice, AgencyHealth, AgencyEducation, AgencyEarlyYears, AgencyEarlyHelp, AgencyHousing,
	AgencyProbation, AgencyYouthJustice, AgencyVoluntarySector, AgencyHelpline, AgencyOther,
}

// Valid reports whether a is one of AgencyTypes.
func (a AgencyType) Valid() bool { return slices.Contains(AgencyTypes, a) }

// ReferralSource returns the children in need census referral source code for
// a referral from this kind of agency, or "10" (unknown) for a value that is
// not an agency type. Each agency type maps to exactly one code:
//
//   - police: 6 police.
//   - health: 3F other health services. The form does not say which part of
//     health (GP 3A, health visitor 3B, school nurse 3C, other primary health
//     3D, A&E 3E), so the general health code is used; a screener can refine it.
//   - education: 2A schools. Referrals from education overwhelmingly come
//     from schools; education services (2B) are the local authority's own.
//   - early-years: 2B education services. Nurseries and child minders acting
//     as early years providers are education settings that are not schools;
//     1C (acquaintance, including child minders) is for a child minder
//     acting as a private individual, not as a professional provider.
//   - early-help: 5D early help.
//   - housing: 4 housing.
//   - probation: 7 other legal agency (courts, probation, youth justice, ...).
//   - youth-justice: 7 other legal agency.
//   - voluntary-sector: 8 other.
//   - helpline: 5B other internal local authority services; the parenting
//     helpline is run by the local authority itself.
//   - other: 8 other.
func (a AgencyType) ReferralSource() string {
	switch a {
	case AgencyPolice:
		return "6"
	case AgencyHealth:
		return "3F"
	case AgencyEducation:
		return "2A"
	case AgencyEarlyYears:
		return "2B"
	case AgencyEarlyHelp:
		return "5D"
	case AgencyHousing:
		return "4"
	case AgencyProbation, AgencyYouthJustice:
		return "7"
	case AgencyVoluntarySector, AgencyOther:
		return "8"
	case AgencyHelpline:
		return "5B"
	}
	return "10"
}

// Category is a category of concern.
type Category string

// The categories of concern a referrer can choose.
const (
	CategoryPhysicalAbuse             Category = "physical-abuse"
	CategorySexualAbuse               Category = "sexual-abuse"
	CategoryEmotionalAbuse            Category = "emotional-abuse"
	CategoryNeglect                   Category = "neglect"
	CategoryDomesticAbuse             Category = "domestic-abuse"
	CategoryChildSexualExploitation   Category = "child-sexual-exploitation"
	CategoryChildCriminalExploitation Category = "child-criminal-exploitation"
	CategoryMissing                   Category = "missing"
	CategoryFGM                       Category = "fgm"
	CategoryRadicalisation            Category = "radicalisation"
	CategoryModernSlavery             Category = "modern-slavery"
	CategoryOnlineHarm                Category = "online-harm"
	CategorySelfHarm                  Category = "self-harm"
	CategoryParentalMentalHealth      Category = "parental-mental-health"
	CategoryParentalSubstanceMisuse   Category = "parental-substance-misuse"
	CategoryYoungCarer                Category = "young-carer"
	CategoryPrivateFostering          Category = "private-fostering"
	CategoryChildMissingEducation     Category = "child-missing-education"
	CategoryUnbornBaby                Category = "unborn-baby"
)

// Categories lists every category of concern in the order the form shows
// them. Its length is MaxCategories.
var Categories = []Category{
	CategoryPhysicalAbuse, CategorySexualAbuse, CategoryEmotionalAbuse, CategoryNeglect,
	CategoryDomesticAbuse, CategoryChildSexualExploitation, CategoryChildCriminalExploitation,
	CategoryMissing, CategoryFGM, CategoryRadicalisation, CategoryModernSlavery, CategoryOnlineHarm,
	CategorySelfHarm, CategoryParentalMentalHealth, CategoryParentalSubstanceMisuse,
	CategoryYoungCarer, CategoryPrivateFostering, CategoryChildMissingEducation, CategoryUnbornBaby,
}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool { return slices.Contains(Categories, c) }

// Sex is a child's sex as the referrer records it.
type Sex string

// The values of Sex.
const (
	SexFemale  Sex = "female"
	SexMale    Sex = "male"
	SexOther   Sex = "other"
	SexUnknown Sex = "unknown"
)

// Sexes lists every value of Sex.
var Sexes = []Sex{SexFemale, SexMale, SexOther, SexUnknown}

// Valid reports whether s is one of Sexes.
func (s Sex) Valid() bool { return slices.Contains(Sexes, s) }

// LevelOfNeed is the referrer's view of the child's level of need, on the
// four-level continuum of need. Zero means not answered.
type LevelOfNeed int

// The levels of need.
const (
	NeedUniversal       LevelOfNeed = 1 // needs met by universal services
	NeedEarlyHelp       LevelOfNeed = 2 // early help
	NeedChildInNeed     LevelOfNeed = 3 // child in need (Children Act 1989 s17)
	NeedChildProtection LevelOfNeed = 4 // child protection (Children Act 1989 s47)
)

// LevelsOfNeed lists every level of need, lowest first.
var LevelsOfNeed = []LevelOfNeed{NeedUniversal, NeedEarlyHelp, NeedChildInNeed, NeedChildProtection}

// Valid reports whether l is one of LevelsOfNeed.
func (l LevelOfNeed) Valid() bool { return l >= NeedUniversal && l <= NeedChildProtection }
