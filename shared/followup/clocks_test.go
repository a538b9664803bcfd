package followup

import (
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
)

func mustLondon(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// utc builds a UTC instant.
func utc(y int, m time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, m, d, h, mi, s, 0, time.UTC)
}

func TestDefaultClocksValid(t *testing.T) {
	c := DefaultClocks()
	if err := c.Validate(); err != nil {
		t.Fatalf("DefaultClocks().Validate() = %v", err)
	}
	if c.ReturnHomeInterview != 72*time.Hour || c.AppropriateAdult != 2*time.Hour || c.FGMWorkingDays != 1 {
		t.Errorf("DefaultClocks() = %+v", c)
	}
}

func TestDue(t *testing.T) {
	london := mustLondon(t)
	lon := func(y int, m time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, m, d, h, mi, s, 0, london)
	}
	cal := calendar.EnglandAndWales()
	clocks := DefaultClocks()

	tests := []struct {
		name  string
		kind  Kind
		start time.Time
		want  time.Time
	}{
		// Return home interview: 72 h of elapsed time.
		{"RHI plain week", KindReturnHomeInterview, lon(2026, time.June, 15, 9, 30, 0), utc(2026, time.June, 18, 8, 30, 0)},
		// Clocks go back at 02:00 BST on Sun 25 Oct 2026: Sat 20:00 BST (19:00Z)
		// is due Tue 27 Oct 19:00 GMT, which is 19:00Z: exactly 72 h later
		// and an hour earlier on the wall clock.
		{"RHI across October clock change", KindReturnHomeInterview, lon(2026, time.October, 24, 20, 0, 0), utc(2026, time.October, 27, 19, 0, 0)},
		// Clocks go forward at 01:00 GMT on Sun 29 Mar 2026: Sat 12:00 GMT is
		// due Tue 31 Mar 12:00Z = 13:00 BST.
		{"RHI across March clock change", KindReturnHomeInterview, lon(2026, time.March, 28, 12, 0, 0), utc(2026, time.March, 31, 12, 0, 0)},

		// Appropriate adult: 2 h of elapsed time.
		{"AA daytime", KindAppropriateAdult, lon(2026, time.June, 15, 14, 10, 0), utc(2026, time.June, 15, 15, 10, 0)},
		// 00:30 BST on Sun 25 Oct 2026 (23:30Z Sat) + 2 h = 01:30Z = 01:30 GMT.
		{"AA across October clock change", KindAppropriateAdult, lon(2026, time.October, 25, 0, 30, 0), utc(2026, time.October, 25, 1, 30, 0)},

		// s38(6): same night.
		{"S38 afternoon BST", KindS38Accommodation, lon(2026, time.June, 15, 14, 0, 0), utc(2026, time.June, 15, 22, 59, 59)},
		{"S38 last second before 21:00", KindS38Accommodation, lon(2026, time.June, 15, 20, 59, 59), utc(2026, time.June, 15, 22, 59, 59)},
		{"S38 exactly 21:00 is late", KindS38Accommodation, lon(2026, time.June, 15, 21, 0, 0), utc(2026, time.June, 16, 5, 0, 0)},
		{"S38 23:30 BST", KindS38Accommodation, lon(2026, time.June, 15, 23, 30, 0), utc(2026, time.June, 16, 5, 0, 0)},
		{"S38 winter afternoon GMT", KindS38Accommodation, lon(2026, time.December, 1, 16, 0, 0), utc(2026, time.December, 1, 23, 59, 59)},
		// 23:30Z Sun 14 Jun is 00:30 BST Mon 15 Jun: the local day counts.
		{"S38 local day differs from UTC day", KindS38Accommodation, utc(2026, time.June, 14, 23, 30, 0), utc(2026, time.June, 15, 22, 59, 59)},
		// 22:30 BST Sat 24 Oct; the clocks go back overnight; 06:00 GMT Sunday.
		{"S38 late, night the clocks go back", KindS38Accommodation, lon(2026, time.October, 24, 22, 30, 0), utc(2026, time.October, 25, 6, 0, 0)},
		// On the day the clocks go back, 10:00 GMT is due 23:59:59 GMT.
		{"S38 on the day the clocks go back", KindS38Accommodation, lon(2026, time.October, 25, 10, 0, 0), utc(2026, time.October, 25, 23, 59, 59)},
		// 21:15 BST Sun 25 Oct 2026 does not exist: that day 21:15 is GMT.
		{"S38 late on the day the clocks go back", KindS38Accommodation, lon(2026, time.October, 25, 21, 15, 0), utc(2026, time.October, 26, 6, 0, 0)},
		// 22:00 GMT Sat 28 Mar; the clocks go forward overnight; 06:00 BST = 05:00Z.
		{"S38 late, night the clocks go forward", KindS38Accommodation, lon(2026, time.March, 28, 22, 0, 0), utc(2026, time.March, 29, 5, 0, 0)},
		{"S38 late on New Year's Eve", KindS38Accommodation, lon(2026, time.December, 31, 23, 30, 0), utc(2027, time.January, 1, 6, 0, 0)},

		// FGM police report: 17:00 local on the next working day.
		{"FGM midweek", KindFGMPoliceReport, lon(2026, time.June, 10, 11, 0, 0), utc(2026, time.June, 11, 16, 0, 0)},
		{"FGM Friday over a weekend", KindFGMPoliceReport, lon(2026, time.November, 6, 10, 0, 0), utc(2026, time.November, 9, 17, 0, 0)},
		{"FGM Saturday", KindFGMPoliceReport, lon(2026, time.November, 7, 10, 0, 0), utc(2026, time.November, 9, 17, 0, 0)},
		// Fri 22 May 2026, then the weekend and the spring bank holiday (Mon 25 May).
		{"FGM over spring bank holiday", KindFGMPoliceReport, lon(2026, time.May, 22, 16, 0, 0), utc(2026, time.May, 26, 16, 0, 0)},
		// Thu 2 Apr 2026, then Good Friday, the weekend and Easter Monday.
		{"FGM over Easter", KindFGMPoliceReport, lon(2026, time.April, 2, 15, 0, 0), utc(2026, time.April, 7, 16, 0, 0)},
		// Thu 24 Dec 2026, then Christmas Day (Fri), the weekend and the Boxing
		// Day substitute (Mon 28 Dec).
		{"FGM over Christmas", KindFGMPoliceReport, lon(2026, time.December, 24, 12, 0, 0), utc(2026, time.December, 29, 17, 0, 0)},
		// 00:30 BST Thu 11 Jun is 23:30Z Wed 10 Jun: the local day (Thursday) counts.
		{"FGM just after local midnight", KindFGMPoliceReport, lon(2026, time.June, 11, 0, 30, 0), utc(2026, time.June, 12, 16, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := clocks.Due(tt.kind, tt.start, cal)
			if err != nil {
				t.Fatalf("Due() error = %v", err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("Due() = %s (%s local), want %s", got, got.In(london), tt.want)
			}
			if got.Location() != time.UTC {
				t.Errorf("Due() location = %v, want UTC", got.Location())
			}
			if !got.After(tt.start) {
				t.Errorf("Due() = %s is not after start %s", got, tt.start)
			}
		})
	}
}

func TestDueRHIIsExactly72ElapsedHoursAcrossClockChange(t *testing.T) {
	london := mustLondon(t)
	start := time.Date(2026, time.October, 24, 20, 0, 0, 0, london)
	got, err := DefaultClocks().Due(KindReturnHomeInterview, start, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Sub(start); d != 72*time.Hour {
		t.Errorf("elapsed = %v, want 72h", d)
	}
	if local := got.In(london); local.Hour() != 19 || local.Day() != 27 {
		t.Errorf("local due = %s, want Tue 27 Oct 19:00 GMT", local)
	}
}

func TestDueConfigurable(t *testing.T) {
	cal := calendar.EnglandAndWales()
	c := DefaultClocks()
	c.ReturnHomeInterview = 48 * time.Hour
	c.AppropriateAdult = 4 * time.Hour
	c.FGMWorkingDays = 2
	c.S38LateAfter = TimeOfDay{Hour: 22}
	c.S38EndOfDay = TimeOfDay{Hour: 23, Minute: 30}
	c.S38NextMorning = TimeOfDay{Hour: 8}
	c.Location = time.UTC

	start := utc(2026, time.June, 15, 21, 30, 0) // Mon; 22:30 BST
	tests := []struct {
		kind Kind
		want time.Time
	}{
		{KindReturnHomeInterview, utc(2026, time.June, 17, 21, 30, 0)},
		{KindAppropriateAdult, utc(2026, time.June, 16, 1, 30, 0)},
		{KindS38Accommodation, utc(2026, time.June, 15, 23, 30, 0)}, // 21:30 UTC is before 22:00 UTC
		{KindFGMPoliceReport, utc(2026, time.June, 17, 16, 0, 0)},   // two working days, calendar's own zone
	}
	for _, tt := range tests {
		got, err := c.Due(tt.kind, start, cal)
		if err != nil {
			t.Fatalf("%s: %v", tt.kind, err)
		}
		if !got.Equal(tt.want) {
			t.Errorf("%s: Due() = %s, want %s", tt.kind, got, tt.want)
		}
	}
}

// fakeCal records its calls, to show that Due delegates to the calendar.
type fakeCal struct {
	gotT time.Time
	gotN int
}

func (f *fakeCal) AddWorkingDays(t time.Time, n int) time.Time {
	f.gotT, f.gotN = t, n
	return t.Add(time.Duration(n) * 1000 * time.Hour)
}

func TestDueFGMUsesCalendar(t *testing.T) {
	f := &fakeCal{}
	start := utc(2026, time.June, 15, 10, 0, 0)
	got, err := DefaultClocks().Due(KindFGMPoliceReport, start, f)
	if err != nil {
		t.Fatal(err)
	}
	if !f.gotT.Equal(start) || f.gotN != 1 {
		t.Errorf("AddWorkingDays called with (%s, %d), want (%s, 1)", f.gotT, f.gotN, start)
	}
	if want := start.Add(1000 * time.Hour); !got.Equal(want) {
		t.Errorf("Due() = %s, want %s", got, want)
	}
}

func TestDueErrors(t *testing.T) {
	cal := calendar.EnglandAndWales()
	start := utc(2026, time.June, 15, 10, 0, 0)
	bad := func(mut func(*Clocks)) Clocks { c := DefaultClocks(); mut(&c); return c }
	tests := []struct {
		name   string
		clocks Clocks
		kind   Kind
		start  time.Time
		cal    WorkingDays
		code   apperr.Code
	}{
		{"unknown kind", DefaultClocks(), Kind("HOME_VISIT"), start, cal, apperr.Invalid},
		{"empty kind", DefaultClocks(), "", start, cal, apperr.Invalid},
		{"zero start", DefaultClocks(), KindAppropriateAdult, time.Time{}, cal, apperr.Invalid},
		{"FGM without calendar", DefaultClocks(), KindFGMPoliceReport, start, nil, apperr.Internal},
		{"zero clocks", Clocks{}, KindAppropriateAdult, start, cal, apperr.Internal},
		{"negative RHI", bad(func(c *Clocks) { c.ReturnHomeInterview = -time.Hour }), KindReturnHomeInterview, start, cal, apperr.Internal},
		{"zero AA", bad(func(c *Clocks) { c.AppropriateAdult = 0 }), KindAppropriateAdult, start, cal, apperr.Internal},
		{"bad time of day", bad(func(c *Clocks) { c.S38EndOfDay = TimeOfDay{Hour: 24} }), KindS38Accommodation, start, cal, apperr.Internal},
		{"cut-off after end of day", bad(func(c *Clocks) {
			c.S38LateAfter = TimeOfDay{Hour: 23, Minute: 59, Second: 59}
			c.S38EndOfDay = TimeOfDay{Hour: 23}
		}), KindS38Accommodation, start, cal, apperr.Internal},
		{"zero FGM days", bad(func(c *Clocks) { c.FGMWorkingDays = 0 }), KindFGMPoliceReport, start, cal, apperr.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.clocks.Due(tt.kind, tt.start, tt.cal)
			if err == nil {
				t.Fatalf("Due() = %s, want error", got)
			}
			if e := apperr.As(err); e == nil || e.Code != tt.code {
				t.Errorf("Due() error = %v, want *apperr.Error with code %s", err, tt.code)
			}
		})
	}
}
