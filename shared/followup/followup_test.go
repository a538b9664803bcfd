package followup

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
)

func TestKindMetadata(t *testing.T) {
	tests := []struct {
		kind     Kind
		provider Provider
		label    string
		source   SourceType
	}{
		{KindReturnHomeInterview, "rhi-service", "Return home interview", SourceReferral},
		{KindAppropriateAdult, "appropriate-adult-service", "Appropriate adult", SourceCustodyRequest},
		{KindS38Accommodation, "placements", "Section 38(6) accommodation", SourceCustodyRequest},
		{KindFGMPoliceReport, "mash", "FGM police report", SourceReferral},
		{"HOME_VISIT", "", "HOME_VISIT", ""},
	}
	for _, tt := range tests {
		if got := tt.kind.Provider(); got != tt.provider {
			t.Errorf("%s.Provider() = %q, want %q", tt.kind, got, tt.provider)
		}
		if got := tt.kind.Label(); got != tt.label {
			t.Errorf("%s.Label() = %q, want %q", tt.kind, got, tt.label)
		}
		if got := tt.kind.SourceType(); got != tt.source {
			t.Errorf("%s.SourceType() = %q, want %q", tt.kind, got, tt.source)
		}
		if got, want := tt.kind.Valid(), tt.provider != ""; got != want {
			t.Errorf("%s.Valid() = %v, want %v", tt.kind, got, want)
		}
	}
	for _, s := range Statuses {
		if !s.Valid() {
			t.Errorf("%s.Valid() = false", s)
		}
	}
	if Status("DONE").Valid() {
		t.Error(`Status("DONE").Valid() = true`)
	}
}

func TestNew(t *testing.T) {
	cal := calendar.EnglandAndWales()
	now := time.Date(2026, time.October, 24, 22, 10, 0, 0, time.FixedZone("BST", 3600))
	tests := []struct {
		name     string
		cmd      Command
		provider Provider
		due      time.Time
	}{
		{"return home interview", Command{Type: CommandType, Kind: KindReturnHomeInterview, SourceType: SourceReferral, SourceID: refID, ChildIndex: 2, StartAt: utc(2026, time.October, 24, 19, 0, 0)},
			ProviderRHIService, utc(2026, time.October, 27, 19, 0, 0)},
		{"appropriate adult", Command{Type: CommandType, Kind: KindAppropriateAdult, SourceType: SourceCustodyRequest, SourceID: cusID, StartAt: utc(2026, time.October, 24, 20, 30, 0)},
			ProviderAppropriateAdult, utc(2026, time.October, 24, 22, 30, 0)},
		{"s38 accommodation late", Command{Type: CommandType, Kind: KindS38Accommodation, SourceType: SourceCustodyRequest, SourceID: cusID, StartAt: utc(2026, time.October, 24, 20, 30, 0)},
			ProviderPlacements, utc(2026, time.October, 25, 6, 0, 0)},
		{"FGM report", Command{Type: CommandType, Kind: KindFGMPoliceReport, SourceType: SourceReferral, SourceID: refID, StartAt: utc(2026, time.October, 23, 10, 0, 0)},
			ProviderMASH, utc(2026, time.October, 26, 17, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := New(tt.cmd, DefaultClocks(), cal, now)
			if err != nil {
				t.Fatalf("New() error = %v", err)
			}
			want := FollowUp{
				ID: tt.cmd.FollowUpID(), Kind: tt.cmd.Kind, Provider: tt.provider, Status: StatusOpen,
				SourceType: tt.cmd.SourceType, SourceID: tt.cmd.SourceID, ChildIndex: tt.cmd.ChildIndex,
				StartAt: tt.cmd.StartAt, DueAt: tt.due, CreatedAt: now.UTC(), Version: 1,
			}
			if f != want {
				t.Errorf("New() =\n %+v\nwant\n %+v", f, want)
			}
			if f.CreatedAt.Location() != time.UTC || f.DueAt.Location() != time.UTC || f.StartAt.Location() != time.UTC {
				t.Error("times are not in UTC")
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	cal := calendar.EnglandAndWales()
	now := utc(2026, time.June, 15, 9, 0, 0)
	bad := validCommand()
	bad.SourceID = "nope"
	if _, err := New(bad, DefaultClocks(), cal, now); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("New(invalid command) error = %v, want invalid", err)
	}
	if _, err := New(validCommand(), DefaultClocks(), cal, time.Time{}); apperr.CodeOf(err) != apperr.Internal {
		t.Errorf("New(zero now) error = %v, want internal", err)
	}
	if _, err := New(validCommand(), Clocks{}, cal, now); apperr.CodeOf(err) != apperr.Internal {
		t.Errorf("New(zero clocks) error = %v, want internal", err)
	}
	fgm := Command{Type: CommandType, Kind: KindFGMPoliceReport, SourceType: SourceReferral, SourceID: refID, StartAt: now}
	if _, err := New(fgm, DefaultClocks(), nil, now); apperr.CodeOf(err) != apperr.Internal {
		t.Errorf("New(FGM, nil calendar) error = %v, want internal", err)
	}
}

func TestFollowUpJSON(t *testing.T) {
	f, err := New(validCommand(), DefaultClocks(), nil, utc(2026, time.June, 15, 9, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"id":`, `"kind":`, `"provider":`, `"status":"OPEN"`, `"sourceType":`, `"sourceId":`, `"childIndex":1`, `"startAt":`, `"dueAt":"2026-06-18T09:00:00Z"`, `"createdAt":`, `"version":1`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("json %s lacks %s", b, key)
		}
	}
	if strings.Contains(string(b), "overdueAt") {
		t.Errorf("json %s has overdueAt while nil", b)
	}
	var back FollowUp
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back != f {
		t.Errorf("round trip = %+v, want %+v", back, f)
	}
}

func TestIsOverdue(t *testing.T) {
	due := utc(2026, time.June, 15, 17, 0, 0)
	tests := []struct {
		name   string
		status Status
		now    time.Time
		want   bool
	}{
		{"open, before due", StatusOpen, due.Add(-time.Minute), false},
		{"open, at due", StatusOpen, due, false},
		{"open, just after due", StatusOpen, due.Add(time.Nanosecond), true},
		{"open, long after due", StatusOpen, due.Add(72 * time.Hour), true},
		{"open, after due in another zone", StatusOpen, due.Add(time.Second).In(time.FixedZone("BST", 3600)), true},
		{"already overdue", StatusOverdue, due.Add(time.Hour), false},
		{"completed", StatusCompleted, due.Add(time.Hour), false},
		{"cancelled", StatusCancelled, due.Add(time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := FollowUp{Status: tt.status, DueAt: due}
			if got := f.IsOverdue(tt.now); got != tt.want {
				t.Errorf("IsOverdue(%s) = %v, want %v", tt.now, got, tt.want)
			}
		})
	}
}
