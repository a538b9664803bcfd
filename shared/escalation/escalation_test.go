package escalation

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

const (
	refID = "01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"
	fuID  = "FU-RHI-REF-01KAQ3ZZ8Q7X3V4N5M6K7J8H9G-0"
)

func TestParseName(t *testing.T) {
	tests := []struct {
		name string
		want Key
		ok   bool
	}{
		{"REFERRAL#" + refID, Key{ClockDecision, audit.Referral(refID)}, true},
		{"REFERRAL#" + refID + "#TRIAGE", Key{ClockTriage, audit.Referral(refID)}, true},
		{"FOLLOWUP#" + fuID, Key{ClockFollowUp, audit.FollowUp(fuID)}, true},
		{"FOLLOWUP#FU-AA-CUS-01KAQ3ZZ8Q7X3V4N5M6K7J8H9G-0", Key{ClockFollowUp, audit.FollowUp("FU-AA-CUS-01KAQ3ZZ8Q7X3V4N5M6K7J8H9G-0")}, true},
		{"REFERRAL#" + strings.ToLower(refID), Key{}, false},
		{"REFERRAL#" + refID + "#OVERDUE", Key{}, false},
		{"REFERRAL#" + refID + "#", Key{}, false},
		{"REFERRAL#not-an-id", Key{}, false},
		{"FOLLOWUP#" + refID, Key{}, false},
		// The same follow-up written another way is not its name.
		{"FOLLOWUP#FU-RHI-REF-01KAQ3ZZ8Q7X3V4N5M6K7J8H9G-00", Key{}, false},
		{"FOLLOWUP#FU-RHI-REF-01KAQ3ZZ8Q7X3V4N5M6K7J8H9G-+0", Key{}, false},
		{"CUSTODY#" + refID, Key{}, false},
		{refID, Key{}, false},
		{"", Key{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseName(tt.name)
			if ok != tt.ok || got != tt.want {
				t.Fatalf("ParseName = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
			if ok && got.Name() != tt.name {
				t.Errorf("Name() = %q, want it back as %q", got.Name(), tt.name)
			}
		})
	}
}

func TestIDs(t *testing.T) {
	keys := []Key{
		{ClockDecision, audit.Referral(refID)},
		{ClockTriage, audit.Referral(refID)},
		{ClockFollowUp, audit.FollowUp(fuID)},
	}
	seen := map[string]bool{}
	for _, k := range keys {
		id := k.ID()
		if strings.ContainsAny(id, "#/+=%?") {
			t.Errorf("id %q of %s is not safe in a URL path", id, k.Name())
		}
		if seen[id] {
			t.Errorf("id %q given twice", id)
		}
		seen[id] = true
		if got, ok := ParseID(id); !ok || got != k {
			t.Errorf("ParseID(%q) = %+v, %v; want %+v", id, got, ok, k)
		}
	}

	good := keys[0].ID()
	bad := []struct{ name, id string }{
		{"empty", ""},
		{"a referral id", refID},
		{"padded", base64.URLEncoding.EncodeToString([]byte("REFERRAL#" + refID))},
		{"standard alphabet", base64.StdEncoding.EncodeToString([]byte("FOLLOWUP#" + fuID + "??>"))},
		{"not base64", "REFERRAL#" + refID},
		{"one character short", good[:len(good)-1]},
		{"the name of nothing escalated", base64.RawURLEncoding.EncodeToString([]byte("CUSTODY#" + refID))},
		{"very long", strings.Repeat("A", 4000)},
	}
	for _, tt := range bad {
		if k, ok := ParseID(tt.id); ok {
			t.Errorf("%s: ParseID(%q) = %+v; want it refused", tt.name, tt.id, k)
		}
	}
}

func TestView(t *testing.T) {
	raised := time.Date(2026, 11, 24, 17, 0, 5, 0, time.UTC)
	due := time.Date(2026, 11, 24, 17, 0, 0, 0, time.UTC)
	ackAt := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	screened := &referral.Record{
		ID: refID, Reference: "FD-23456789", Status: referral.StatusAwaitingDecision,
		Form:      referral.Referral{Children: []referral.Child{{FirstName: "Secret"}}},
		Screening: &referral.Screening{Priority: "AMBER", Reasons: []string{"a reason"}, DecisionDueAt: due},
	}
	untriaged := &referral.Record{ID: refID, Reference: "FD-23456789", Status: referral.StatusQueued}
	fu := &followup.FollowUp{ID: fuID, Kind: followup.KindReturnHomeInterview, Provider: followup.ProviderRHIService, Status: followup.StatusOverdue, DueAt: due}
	ack := &Acknowledgement{By: "m1", At: ackAt, Note: "Spoke to the team lead."}

	tests := []struct {
		name     string
		rec      Record
		withNote bool
		want     Escalation
	}{
		{
			"overdue decision", Record{Key: Key{ClockDecision, audit.Referral(refID)}, RaisedAt: raised, Referral: screened}, false,
			Escalation{Clock: ClockDecision, Status: StatusOpen, RaisedAt: raised,
				Subject: Subject{Type: audit.SubjectReferral, ID: refID, Reference: "FD-23456789", Status: "AWAITING_DECISION", DecisionDueAt: &due}},
		},
		{
			"never triaged: no decision due time", Record{Key: Key{ClockTriage, audit.Referral(refID)}, RaisedAt: raised, Referral: untriaged}, false,
			Escalation{Clock: ClockTriage, Status: StatusOpen, RaisedAt: raised,
				Subject: Subject{Type: audit.SubjectReferral, ID: refID, Reference: "FD-23456789", Status: "QUEUED"}},
		},
		{
			"overdue follow-up", Record{Key: Key{ClockFollowUp, audit.FollowUp(fuID)}, RaisedAt: raised, FollowUp: fu}, false,
			Escalation{Clock: ClockFollowUp, Status: StatusOpen, RaisedAt: raised,
				Subject: Subject{Type: audit.SubjectFollowUp, ID: fuID, Kind: followup.KindReturnHomeInterview, Provider: followup.ProviderRHIService, Status: "OVERDUE", DueAt: &due}},
		},
		{
			"record not found: type and id only", Record{Key: Key{ClockFollowUp, audit.FollowUp(fuID)}, RaisedAt: raised}, false,
			Escalation{Clock: ClockFollowUp, Status: StatusOpen, RaisedAt: raised, Subject: Subject{Type: audit.SubjectFollowUp, ID: fuID}},
		},
		{
			"another record than the key's is not shown", Record{Key: Key{ClockDecision, audit.Referral("01KAQ3ZZ8Q7X3V4N5M6K7J0000")}, RaisedAt: raised, Referral: screened}, false,
			Escalation{Clock: ClockDecision, Status: StatusOpen, RaisedAt: raised, Subject: Subject{Type: audit.SubjectReferral, ID: "01KAQ3ZZ8Q7X3V4N5M6K7J0000"}},
		},
		{
			"acknowledged, in a list: no note", Record{Key: Key{ClockDecision, audit.Referral(refID)}, RaisedAt: raised, Referral: screened, Acknowledgement: ack}, false,
			Escalation{Clock: ClockDecision, Status: StatusAcknowledged, RaisedAt: raised,
				Subject:         Subject{Type: audit.SubjectReferral, ID: refID, Reference: "FD-23456789", Status: "AWAITING_DECISION", DecisionDueAt: &due},
				Acknowledgement: &Acknowledgement{By: "m1", At: ackAt}},
		},
		{
			"acknowledged, answering the acknowledgement: with the note", Record{Key: Key{ClockDecision, audit.Referral(refID)}, RaisedAt: raised, Referral: screened, Acknowledgement: ack}, true,
			Escalation{Clock: ClockDecision, Status: StatusAcknowledged, RaisedAt: raised,
				Subject:         Subject{Type: audit.SubjectReferral, ID: refID, Reference: "FD-23456789", Status: "AWAITING_DECISION", DecisionDueAt: &due},
				Acknowledgement: ack},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.ID = tt.rec.Key.ID()
			got, _ := json.Marshal(View(tt.rec, tt.withNote))
			want, _ := json.Marshal(tt.want)
			if string(got) != string(want) {
				t.Errorf("View =\n %s\nwant\n %s", got, want)
			}
			for _, secret := range []string{"Secret", "a reason", "AMBER"} {
				if strings.Contains(string(got), secret) {
					t.Errorf("the view shows %q from the referral: %s", secret, got)
				}
			}
		})
	}
	// The acknowledgement's note is not dropped from the record itself.
	if ack.Note == "" {
		t.Error("View changed the record's acknowledgement")
	}
}
