package helpline

import (
	"slices"
	"strings"
)

// CallerType is who called, in relation to the children.
type CallerType string

// The caller types.
const (
	CallerParent        CallerType = "parent"
	CallerStepParent    CallerType = "step-parent"
	CallerCarerGuardian CallerType = "carer-guardian"
	CallerGrandparent   CallerType = "grandparent"
	CallerOtherRelative CallerType = "other-relative"
	CallerFamilyFriend  CallerType = "family-friend"
	CallerYoungPerson   CallerType = "young-person"
	CallerProfessional  CallerType = "professional"
	CallerOther         CallerType = "other"
)

// CallerTypes lists every caller type in the order the form shows them.
var CallerTypes = []CallerType{
	CallerParent, CallerStepParent, CallerCarerGuardian, CallerGrandparent, CallerOtherRelative,
	CallerFamilyFriend, CallerYoungPerson, CallerProfessional, CallerOther,
}

// Valid reports whether t is one of CallerTypes.
func (t CallerType) Valid() bool { return slices.Contains(CallerTypes, t) }

// AgeBand is the age band of a child a call was about.
type AgeBand string

// The age bands.
const (
	AgeUnborn  AgeBand = "unborn"
	Age0to4    AgeBand = "0-4"
	Age5to10   AgeBand = "5-10"
	Age11to15  AgeBand = "11-15"
	Age16to17  AgeBand = "16-17"
	Age18to25S AgeBand = "18-25-send" // a young adult with special educational needs or disabilities
)

// AgeBands lists every age band, youngest first.
var AgeBands = []AgeBand{AgeUnborn, Age0to4, Age5to10, Age11to15, Age16to17, Age18to25S}

// Valid reports whether b is one of AgeBands.
func (b AgeBand) Valid() bool { return slices.Contains(AgeBands, b) }

// Topic is something a call was about.
type Topic string

// The topics.
const (
	TopicBehaviour           Topic = "behaviour"
	TopicSleep               Topic = "sleep"
	TopicFeeding             Topic = "feeding"
	TopicDevelopment         Topic = "development"
	TopicSEND                Topic = "send"
	TopicMentalHealthChild   Topic = "mental-health-child"
	TopicMentalHealthParent  Topic = "mental-health-parent"
	TopicSubstanceMisuse     Topic = "substance-misuse"
	TopicDomesticAbuse       Topic = "domestic-abuse"
	TopicFamilyConflict      Topic = "family-conflict"
	TopicSeparationDivorce   Topic = "separation-divorce"
	TopicHousing             Topic = "housing"
	TopicMoney               Topic = "money"
	TopicSchoolEducation     Topic = "school-education"
	TopicOnlineSafety        Topic = "online-safety"
	TopicBullying            Topic = "bullying"
	TopicExploitationConcern Topic = "exploitation-concern"
	TopicOther               Topic = "other"
)

// Topics lists every topic in the order the form shows them.
var Topics = []Topic{
	TopicBehaviour, TopicSleep, TopicFeeding, TopicDevelopment, TopicSEND, TopicMentalHealthChild,
	TopicMentalHealthParent, TopicSubstanceMisuse, TopicDomesticAbuse, TopicFamilyConflict,
	TopicSeparationDivorce, TopicHousing, TopicMoney, TopicSchoolEducation, TopicOnlineSafety,
	TopicBullying, TopicExploitationConcern, TopicOther,
}

// Valid reports whether t is one of Topics.
func (t Topic) Valid() bool { return slices.Contains(Topics, t) }

// Signpost is a service a caller was pointed to.
type Signpost string

// The services callers are signposted to.
const (
	SignpostEarlyHelpHub         Signpost = "early-help-hub"
	SignpostGP                   Signpost = "gp"
	SignpostHealthVisitor        Signpost = "health-visitor"
	SignpostSchoolNurse          Signpost = "school-nurse"
	SignpostCAMHS                Signpost = "camhs"
	SignpostFamilyHubs           Signpost = "family-hubs"
	SignpostHousingOptions       Signpost = "housing-options"
	SignpostCitizensAdvice       Signpost = "citizens-advice"
	SignpostDomesticAbuseService Signpost = "domestic-abuse-service"
	SignpostPolice               Signpost = "police"
	SignpostNSPCC                Signpost = "nspcc"
	SignpostOther                Signpost = "other"
)

// Signposts lists every service in the order the form shows them.
var Signposts = []Signpost{
	SignpostEarlyHelpHub, SignpostGP, SignpostHealthVisitor, SignpostSchoolNurse, SignpostCAMHS,
	SignpostFamilyHubs, SignpostHousingOptions, SignpostCitizensAdvice, SignpostDomesticAbuseService,
	SignpostPolice, SignpostNSPCC, SignpostOther,
}

// Valid reports whether s is one of Signposts.
func (s Signpost) Valid() bool { return slices.Contains(Signposts, s) }

// choices writes a code list for a message: "a, b or c".
func choices[T ~string](codes []T) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = string(c)
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}
