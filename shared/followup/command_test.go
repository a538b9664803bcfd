package followup

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

const (
	refID  = "01J9ZQ4X7V3M5N8P2R6T0W1Y4A"
	refID2 = "01J9ZQ4X7V3M5N8P2R6T0W1Y4B"
	cusID  = "01JA0B1C2D3E4F5G6H7J8K9M0N"
)

func TestFixtureIDsAreULIDs(t *testing.T) {
	for _, id := range []string{refID, refID2, cusID} {
		if !ids.IsULID(id) {
			t.Fatalf("%s is not a ULID", id)
		}
	}
}

func validCommand() Command {
	return Command{
		Type: CommandType, Kind: KindReturnHomeInterview, SourceType: SourceReferral,
		SourceID: refID, ChildIndex: 1, StartAt: utc(2026, time.June, 15, 9, 0, 0),
	}
}

func boolp(b bool) *bool { return &b }

func TestCommandValidateAccepts(t *testing.T) {
	at := utc(2026, time.June, 15, 9, 0, 0)
	cmds := []Command{validCommand()}
	cmds = append(cmds, ForCustody(cusID, at, true, true)...)
	cmds = append(cmds, Command{Type: CommandType, Kind: KindFGMPoliceReport, SourceType: SourceReferral, SourceID: refID, StartAt: at})
	cmds = append(cmds, Command{Type: CommandType, Kind: KindReturnHomeInterview, SourceType: SourceReferral, SourceID: refID, ChildIndex: referral.MaxChildren - 1, StartAt: at})
	for _, c := range cmds {
		if err := c.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", c, err)
		}
	}
}

func TestCommandValidateRejects(t *testing.T) {
	tests := []struct {
		name   string
		mut    func(*Command)
		fields []string
	}{
		{"wrong type", func(c *Command) { c.Type = "referral.received" }, []string{"type"}},
		{"empty type", func(c *Command) { c.Type = "" }, []string{"type"}},
		{"unknown kind", func(c *Command) { c.Kind = "HOME_VISIT" }, []string{"kind"}},
		{"lower-case kind", func(c *Command) { c.Kind = "return_home_interview" }, []string{"kind"}},
		{"unknown source type", func(c *Command) { c.SourceType = "email" }, []string{"sourceType"}},
		{"kind from wrong source", func(c *Command) { c.SourceType = SourceCustodyRequest; c.ChildIndex = 0 }, []string{"sourceType"}},
		{"custody kind from referral", func(c *Command) { c.Kind = KindAppropriateAdult; c.ChildIndex = 0 }, []string{"sourceType"}},
		{"empty id", func(c *Command) { c.SourceID = "" }, []string{"sourceId"}},
		{"lower-case ULID", func(c *Command) { c.SourceID = strings.ToLower(refID) }, []string{"sourceId"}},
		{"short id", func(c *Command) { c.SourceID = refID[:25] }, []string{"sourceId"}},
		{"not a ULID", func(c *Command) { c.SourceID = "CSC-ABCD-1234" }, []string{"sourceId"}},
		{"negative child", func(c *Command) { c.ChildIndex = -1 }, []string{"childIndex"}},
		{"child past the limit", func(c *Command) { c.ChildIndex = referral.MaxChildren }, []string{"childIndex"}},
		{"custody with a child index", func(c *Command) {
			c.Kind, c.SourceType, c.SourceID, c.ChildIndex = KindS38Accommodation, SourceCustodyRequest, cusID, 2
		}, []string{"childIndex"}},
		{"FGM with a child index", func(c *Command) { c.Kind = KindFGMPoliceReport }, []string{"childIndex"}},
		{"zero start", func(c *Command) { c.StartAt = time.Time{} }, []string{"startAt"}},
		{"everything wrong", func(c *Command) { *c = Command{ChildIndex: -3} }, []string{"type", "kind", "sourceId", "childIndex", "startAt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCommand()
			tt.mut(&c)
			err := c.Validate()
			e := apperr.As(err)
			if e == nil || e.Code != apperr.Invalid {
				t.Fatalf("Validate() = %v, want *apperr.Error with code invalid", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
				if c.SourceID != "" && strings.Contains(f.Message, c.SourceID) {
					t.Errorf("message %q repeats the submitted id", f.Message)
				}
			}
			if !reflect.DeepEqual(got, tt.fields) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestCommandJSON(t *testing.T) {
	c := validCommand()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"followup.create","kind":"RETURN_HOME_INTERVIEW","sourceType":"referral","sourceId":"` + refID + `","childIndex":1,"startAt":"2026-06-15T09:00:00Z"}`
	if string(b) != want {
		t.Errorf("json = %s\nwant   %s", b, want)
	}
	var back Command
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back != c {
		t.Errorf("round trip = %+v, want %+v", back, c)
	}
}

func TestFollowUpIDDeterministic(t *testing.T) {
	c := validCommand()
	want := "FU-RHI-REF-" + refID + "-1"
	if got := c.FollowUpID(); got != want {
		t.Errorf("FollowUpID() = %q, want %q", got, want)
	}
	// The same references give the same id whatever the start time or type.
	c2 := c
	c2.StartAt = c.StartAt.Add(time.Hour)
	c2.Type = ""
	if c2.FollowUpID() != want {
		t.Errorf("FollowUpID() changed with StartAt/Type: %q", c2.FollowUpID())
	}
	// The same command from ForReferral twice gives the same ids.
	rec := returnedRecord(2)
	a, b := ForReferral(rec), ForReferral(rec)
	for i := range a {
		if a[i].FollowUpID() != b[i].FollowUpID() {
			t.Errorf("ForReferral ids differ between calls: %q vs %q", a[i].FollowUpID(), b[i].FollowUpID())
		}
	}
	if got := ForCustody(cusID, time.Time{}, false, true)[0].FollowUpID(); got != "FU-S38-CUS-"+cusID+"-0" {
		t.Errorf("s38 FollowUpID() = %q", got)
	}
}

func TestFollowUpIDUnique(t *testing.T) {
	seen := map[string]Command{}
	check := func(c Command) {
		id := c.FollowUpID()
		if len(id) > 80 {
			t.Errorf("FollowUpID() = %q is %d characters", id, len(id))
		}
		if prev, ok := seen[id]; ok {
			t.Errorf("FollowUpID() %q for both %+v and %+v", id, prev, c)
		}
		seen[id] = c
	}
	kinds := append([]Kind{"", "X", "RHI"}, Kinds...)
	sources := []SourceType{SourceReferral, SourceCustodyRequest, "", "REF"}
	sourceIDs := []string{refID, refID2, cusID, "", "a-b", "a", "b-0"}
	for _, k := range kinds {
		for _, s := range sources {
			for _, id := range sourceIDs {
				for _, ci := range []int{-1, 0, 1, 2, 9, 10, 1 << 62} {
					check(Command{Kind: k, SourceType: s, SourceID: id, ChildIndex: ci})
				}
			}
		}
	}
	// Fields that would run together if simply joined.
	check(Command{Kind: "A", SourceType: "B-C", SourceID: "D"})
	check(Command{Kind: "A-B", SourceType: "C", SourceID: "D"})
}

func TestFollowUpIDHashedForInvalid(t *testing.T) {
	c := Command{Kind: KindReturnHomeInterview, SourceType: SourceReferral, SourceID: "Jane Smith 2011-04-03", ChildIndex: 0}
	id := c.FollowUpID()
	if !strings.HasPrefix(id, "FU-H-") || len(id) != 45 || strings.Contains(id, "Jane") {
		t.Errorf("FollowUpID() = %q, want FU-H- and 40 hex digits", id)
	}
}

func TestForCustody(t *testing.T) {
	at := time.Date(2026, time.June, 15, 22, 0, 0, 0, time.FixedZone("BST", 3600))
	tests := []struct {
		name      string
		aa, accom bool
		want      []Kind
	}{
		{"neither", false, false, nil},
		{"appropriate adult", true, false, []Kind{KindAppropriateAdult}},
		{"accommodation", false, true, []Kind{KindS38Accommodation}},
		{"both", true, true, []Kind{KindAppropriateAdult, KindS38Accommodation}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmds := ForCustody(cusID, at, tt.aa, tt.accom)
			var kinds []Kind
			for _, c := range cmds {
				kinds = append(kinds, c.Kind)
				if c.Type != CommandType || c.SourceType != SourceCustodyRequest || c.SourceID != cusID || c.ChildIndex != 0 {
					t.Errorf("command = %+v", c)
				}
				if !c.StartAt.Equal(at) || c.StartAt.Location() != time.UTC {
					t.Errorf("StartAt = %s, want %s in UTC", c.StartAt, at)
				}
				if err := c.Validate(); err != nil {
					t.Errorf("Validate() = %v", err)
				}
			}
			if !reflect.DeepEqual(kinds, tt.want) {
				t.Errorf("kinds = %v, want %v", kinds, tt.want)
			}
		})
	}
}
