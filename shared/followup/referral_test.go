package followup

import (
	"reflect"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

var receivedAt = utc(2026, time.October, 24, 21, 5, 0)

// baseRecord is a stored referral about the given children with no missing
// episode and no FGM concern.
func baseRecord(children ...referral.Child) *referral.Record {
	return &referral.Record{
		ID: refID, Reference: "CSC-TEST-0001", Status: referral.StatusQueued,
		ReceivedAt: receivedAt, Version: 1,
		Form: referral.Referral{
			Referrer: referral.Referrer{
				Name: "A Referrer", Role: "Teacher", Organisation: "A School",
				AgencyType: referral.AgencyEducation, Email: "a@example.org", Phone: "01632 960000",
			},
			Children: children,
			Concerns: referral.Concerns{
				Categories:  []referral.Category{referral.CategoryNeglect},
				Account:     "An account.",
				LevelOfNeed: referral.NeedChildInNeed,
			},
		},
	}
}

func bornChild(dob string) referral.Child {
	return referral.Child{FirstName: "C", LastName: "D", DateOfBirth: dob, Sex: referral.SexFemale,
		Address: referral.Address{Line1: "1 Road", Postcode: "AB1 2CD"}}
}

func unbornChild() referral.Child {
	return referral.Child{ExpectedDateOfDelivery: "2027-01-10", Sex: referral.SexUnknown,
		Address: referral.Address{Line1: "1 Road", Postcode: "AB1 2CD"}}
}

// returnedRecord has n born children and a missing episode that ended at
// 20:00 BST on Sat 24 Oct 2026.
func returnedRecord(n int) *referral.Record {
	var cs []referral.Child
	for range n {
		cs = append(cs, bornChild("2012-03-04"))
	}
	rec := baseRecord(cs...)
	rec.Form.MissingEpisode = &referral.MissingEpisode{
		WentMissingAt: "2026-10-23T18:00:00+01:00",
		ReturnedAt:    "2026-10-24T20:00:00+01:00",
	}
	return rec
}

func TestForReferral(t *testing.T) {
	returned := utc(2026, time.October, 24, 19, 0, 0)
	rhi := func(i int) Command {
		return Command{Type: CommandType, Kind: KindReturnHomeInterview, SourceType: SourceReferral, SourceID: refID, ChildIndex: i, StartAt: returned}
	}
	fgm := Command{Type: CommandType, Kind: KindFGMPoliceReport, SourceType: SourceReferral, SourceID: refID, StartAt: receivedAt}
	withFGM := func(rec *referral.Record, regulated *bool) *referral.Record {
		rec.Form.Concerns.Categories = append(rec.Form.Concerns.Categories, referral.CategoryFGM)
		rec.Form.Referrer.RegulatedProfessional = regulated
		return rec
	}

	tests := []struct {
		name string
		rec  *referral.Record
		want []Command
	}{
		{"nil record", nil, nil},
		{"no missing episode", baseRecord(bornChild("2012-03-04")), nil},
		{"no missing episode, regulated referrer, no FGM", func() *referral.Record {
			r := baseRecord(bornChild("2012-03-04"))
			r.Form.Referrer.RegulatedProfessional = boolp(true)
			return r
		}(), nil},
		{"still missing", func() *referral.Record {
			r := returnedRecord(1)
			r.Form.MissingEpisode.ReturnedAt = ""
			r.Form.MissingEpisode.StillMissing = true
			return r
		}(), nil},
		{"still missing even with a return time", func() *referral.Record {
			r := returnedRecord(1)
			r.Form.MissingEpisode.StillMissing = true
			return r
		}(), nil},
		{"missing episode without a return time", func() *referral.Record {
			r := returnedRecord(1)
			r.Form.MissingEpisode.ReturnedAt = ""
			return r
		}(), nil},
		{"unparseable return time is skipped", func() *referral.Record {
			r := returnedRecord(1)
			r.Form.MissingEpisode.ReturnedAt = "24/10/2026 20:00"
			return r
		}(), nil},
		{"returned, one child", returnedRecord(1), []Command{rhi(0)}},
		{"returned, two children and one unborn", func() *referral.Record {
			r := baseRecord(bornChild("2012-03-04"), unbornChild(), bornChild("2014-05-06"))
			r.Form.MissingEpisode = returnedRecord(0).Form.MissingEpisode
			return r
		}(), []Command{rhi(0), rhi(2)}},
		{"returned, only an unborn child", func() *referral.Record {
			r := baseRecord(unbornChild())
			r.Form.MissingEpisode = returnedRecord(0).Form.MissingEpisode
			return r
		}(), nil},
		{"FGM, regulated professional", withFGM(baseRecord(bornChild("2015-01-01")), boolp(true)), []Command{fgm}},
		{"FGM, not a regulated professional", withFGM(baseRecord(bornChild("2015-01-01")), boolp(false)), nil},
		{"FGM, regulated professional not answered", withFGM(baseRecord(bornChild("2015-01-01")), nil), nil},
		{"FGM with two children is one report", withFGM(baseRecord(bornChild("2015-01-01"), bornChild("2016-01-01")), boolp(true)), []Command{fgm}},
		{"returned and FGM: interviews first, then the report", withFGM(returnedRecord(2), boolp(true)), []Command{rhi(0), rhi(1), fgm}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ForReferral(tt.rec)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ForReferral() =\n %+v\nwant\n %+v", got, tt.want)
			}
			for _, c := range got {
				if err := c.Validate(); err != nil {
					t.Errorf("command %+v: Validate() = %v", c, err)
				}
				if c.StartAt.Location() != time.UTC {
					t.Errorf("StartAt %s is not in UTC", c.StartAt)
				}
			}
		})
	}
}

func TestForReferralReturnTimeOffsets(t *testing.T) {
	// The same instant written with different offsets gives the same command.
	for _, s := range []string{"2026-10-24T20:00:00+01:00", "2026-10-24T19:00:00Z", "2026-10-24T21:00:00+02:00"} {
		r := returnedRecord(1)
		r.Form.MissingEpisode.ReturnedAt = s
		got := ForReferral(r)
		if len(got) != 1 || !got[0].StartAt.Equal(utc(2026, time.October, 24, 19, 0, 0)) {
			t.Errorf("ReturnedAt %q: commands = %+v", s, got)
		}
	}
}
