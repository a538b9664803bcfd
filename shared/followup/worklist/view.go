package worklist

import (
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/custody"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// View is a follow-up as a provider sees it: the follow-up itself (its
// clock, status, attempts and record) and the least about the person it is
// for that the provider needs to do it. It never carries the referral's or
// the custody request's content beyond that.
//
// For a return home interview (Child, MissingEpisode) the interviewer needs
// to find, contact and talk with the child: the child's names, date of birth
// or estimated age, sex, home address and where they are now if elsewhere,
// language and interpreter need; and the episode's times and police
// reference, to talk with the police about it. Left out: the referrer, the
// concerns and the referrer's account, the child's own words, household,
// other professionals, consent, NHS number, school, GP, disability, and
// where the child was found (the interview asks the child).
//
// For an appropriate adult (Custody) the appropriate adult needs to get to
// the right custody suite, ask for the right detainee and talk with them:
// the custody suite and custody number, when detained, the officer to ask
// for and their phone, the detainee's names, date of birth or estimated age
// and sex, whether they are (or appear) under 18 or a vulnerable adult, and
// interpreter need. Left out: why no parent can attend, the detainee's
// address and NHS number, charge, bail and accommodation details.
//
// An FGM police report has no subject here: it is the MASH's own task, and
// the MASH manager reads the referral itself.
type View struct {
	followup.FollowUp
	Child          *Child          `json:"child,omitempty"`
	MissingEpisode *MissingEpisode `json:"missingEpisode,omitempty"`
	Custody        *Custody        `json:"custody,omitempty"`
}

// Child is what a return home interviewer knows of the child.
type Child struct {
	FirstName         string            `json:"firstName,omitempty"`
	LastName          string            `json:"lastName,omitempty"`
	KnownAs           string            `json:"knownAs,omitempty"`
	DateOfBirth       string            `json:"dateOfBirth,omitempty"`
	EstimatedAge      *int              `json:"estimatedAge,omitempty"`
	Sex               referral.Sex      `json:"sex"`
	Address           referral.Address  `json:"address"`
	CurrentLocation   *referral.Address `json:"currentLocation,omitempty"`
	Language          string            `json:"language,omitempty"`
	InterpreterNeeded *bool             `json:"interpreterNeeded,omitempty"`
}

// MissingEpisode is what a return home interviewer knows of the episode.
type MissingEpisode struct {
	WentMissingAt   string `json:"wentMissingAt"`
	ReturnedAt      string `json:"returnedAt,omitempty"`
	PoliceReference string `json:"policeReference,omitempty"`
}

// Custody is what an appropriate adult knows of the custody request.
type Custody struct {
	// Reference is the custody request's reference, to quote.
	Reference         string    `json:"reference"`
	RequestedAt       time.Time `json:"requestedAt"`
	CustodySuite      string    `json:"custodySuite"`
	CustodyNumber     string    `json:"custodyNumber"`
	DetainedAt        string    `json:"detainedAt"`
	Officer           Officer   `json:"officer"`
	Detainee          Detainee  `json:"detainee"`
	UnderEighteen     *bool     `json:"underEighteen,omitempty"`
	VulnerableAdult   bool      `json:"vulnerableAdult,omitempty"`
	InterpreterNeeded *bool     `json:"interpreterNeeded,omitempty"`
	Language          string    `json:"language,omitempty"`
}

// Officer is the officer to ask for at the custody suite.
type Officer struct {
	Name         string `json:"name"`
	Rank         string `json:"rank,omitempty"`
	CollarNumber string `json:"collarNumber,omitempty"`
	Phone        string `json:"phone"`
}

// Detainee is the person in custody, as far as the appropriate adult needs.
type Detainee struct {
	FirstName    string       `json:"firstName"`
	LastName     string       `json:"lastName"`
	KnownAs      string       `json:"knownAs,omitempty"`
	DateOfBirth  string       `json:"dateOfBirth,omitempty"`
	EstimatedAge *int         `json:"estimatedAge,omitempty"`
	Sex          referral.Sex `json:"sex"`
}

// Sources are the records follow-ups come from, by id.
type Sources struct {
	Referrals       map[string]*referral.Record
	CustodyRequests map[string]*custody.Record
}

// viewOf returns f as a provider sees it, with what it needs from its
// source record (none when the record is missing from src).
func viewOf(f followup.FollowUp, src Sources) View {
	v := View{FollowUp: f}
	switch f.Kind {
	case followup.KindReturnHomeInterview:
		rec := src.Referrals[f.SourceID]
		if rec == nil || f.ChildIndex < 0 || f.ChildIndex >= len(rec.Form.Children) {
			return v
		}
		c := rec.Form.Children[f.ChildIndex]
		v.Child = &Child{
			FirstName: c.FirstName, LastName: c.LastName, KnownAs: c.KnownAs,
			DateOfBirth: c.DateOfBirth, EstimatedAge: c.EstimatedAge, Sex: c.Sex,
			Address: c.Address, CurrentLocation: c.CurrentLocation,
			Language: c.Language, InterpreterNeeded: c.InterpreterNeeded,
		}
		if me := rec.Form.MissingEpisode; me != nil {
			v.MissingEpisode = &MissingEpisode{WentMissingAt: me.WentMissingAt, ReturnedAt: me.ReturnedAt, PoliceReference: me.PoliceReference}
		}
	case followup.KindAppropriateAdult, followup.KindS38Accommodation:
		rec := src.CustodyRequests[f.SourceID]
		if rec == nil {
			return v
		}
		r := rec.Request
		v.Custody = &Custody{
			Reference: rec.Reference, RequestedAt: rec.ReceivedAt,
			CustodySuite: r.CustodySuite, CustodyNumber: r.CustodyNumber, DetainedAt: r.DetainedAt,
			Officer: Officer{Name: r.Officer.Name, Rank: r.Officer.Rank, CollarNumber: r.Officer.CollarNumber, Phone: r.Officer.Phone},
			Detainee: Detainee{
				FirstName: r.Detainee.FirstName, LastName: r.Detainee.LastName, KnownAs: r.Detainee.KnownAs,
				DateOfBirth: r.Detainee.DateOfBirth, EstimatedAge: r.Detainee.EstimatedAge, Sex: r.Detainee.Sex,
			},
			UnderEighteen: r.UnderEighteen, VulnerableAdult: r.VulnerableAdult,
			InterpreterNeeded: r.InterpreterNeeded, Language: r.Language,
		}
	}
	return v
}
