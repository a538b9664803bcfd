package followup

import (
	"encoding/json"
	"reflect"
	"slices"
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
			if !reflect.DeepEqual(f, want) {
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
	if !reflect.DeepEqual(back, f) {
		t.Errorf("round trip = %+v, want %+v", back, f)
	}
}

func TestIsOverdue(t *testing.T) {
	due := utc(2026, time.June, 15, 17, 0, 0)
	flagged := due.Add(time.Minute)
	tests := []struct {
		name    string
		status  Status
		overdue *time.Time
		now     time.Time
		want    bool
	}{
		{"open, before due", StatusOpen, nil, due.Add(-time.Minute), false},
		{"open, at due", StatusOpen, nil, due, false},
		{"open, just after due", StatusOpen, nil, due.Add(time.Nanosecond), true},
		{"open, long after due", StatusOpen, nil, due.Add(72 * time.Hour), true},
		{"open, after due in another zone", StatusOpen, nil, due.Add(time.Second).In(time.FixedZone("BST", 3600)), true},
		{"already overdue", StatusOverdue, &flagged, due.Add(time.Hour), false},
		{"accepted, before due", StatusAccepted, nil, due.Add(-time.Second), false},
		{"accepted, after due", StatusAccepted, nil, due.Add(time.Second), true},
		{"accepted, already flagged", StatusAccepted, &flagged, due.Add(time.Hour), false},
		{"completed", StatusCompleted, nil, due.Add(time.Hour), false},
		{"declined", StatusDeclined, nil, due.Add(time.Hour), false},
		{"cancelled", StatusCancelled, nil, due.Add(time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := FollowUp{Status: tt.status, DueAt: due, OverdueAt: tt.overdue, Version: 3}
			if got := f.IsOverdue(tt.now); got != tt.want {
				t.Errorf("IsOverdue(%s) = %v, want %v", tt.now, got, tt.want)
			}
			next, ok := f.MarkOverdue(tt.now)
			if ok != tt.want {
				t.Fatalf("MarkOverdue(%s) ok = %v, want %v", tt.now, ok, tt.want)
			}
			if !ok {
				if !reflect.DeepEqual(next, f) {
					t.Errorf("MarkOverdue changed a follow-up it did not flag: %+v", next)
				}
				return
			}
			wantStatus := map[Status]Status{StatusOpen: StatusOverdue, StatusAccepted: StatusAccepted}[tt.status]
			if next.Status != wantStatus || next.Version != 4 || next.OverdueAt == nil || !next.OverdueAt.Equal(tt.now) || next.OverdueAt.Location() != time.UTC {
				t.Errorf("MarkOverdue = status %s version %d overdueAt %v, want %s, 4, %s in UTC", next.Status, next.Version, next.OverdueAt, wantStatus, tt.now)
			}
			if f.OverdueAt != tt.overdue || f.Status != tt.status {
				t.Error("MarkOverdue changed its receiver")
			}
		})
	}
}

func TestStatusFinal(t *testing.T) {
	for _, s := range Statuses {
		want := s == StatusCompleted || s == StatusDeclined || s == StatusCancelled
		if s.Final() != want {
			t.Errorf("%s.Final() = %v, want %v", s, s.Final(), want)
		}
	}
	for _, s := range ActiveStatuses {
		if s.Final() || !s.Valid() {
			t.Errorf("active status %s is final or not valid", s)
		}
	}
}

func TestProvidersCoverEveryKind(t *testing.T) {
	for _, k := range Kinds {
		if !slices.Contains(Providers, k.Provider()) {
			t.Errorf("the provider of %s is not in Providers", k)
		}
	}
	if len(Providers) != len(Kinds) {
		t.Errorf("Providers %v, want one per kind", Providers)
	}
}
