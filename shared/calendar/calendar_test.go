package calendar

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// day is a test helper: the date value (midnight UTC) of s (YYYY-MM-DD).
func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		t.Fatalf("bad test date %q: %v", s, err)
	}
	return d
}

func utc(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad test instant %q: %v", s, err)
	}
	return d
}

func london(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatalf("load Europe/London: %v", err)
	}
	return loc
}

// local is a test helper: the instant of wall time s ("2006-01-02 15:04") in London.
func local(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02 15:04", s, london(t))
	if err != nil {
		t.Fatalf("bad test local time %q: %v", s, err)
	}
	return d
}

func TestDayNumbersMatchTimePackage(t *testing.T) {
	start := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := start; d.Year() < 2500; d = d.AddDate(0, 0, 1) {
		z := daysFromCivil(d.Year(), int(d.Month()), d.Day())
		if want := int(d.Unix() / 86400); z != want {
			t.Fatalf("daysFromCivil(%s) = %d, want %d", d.Format(dateLayout), z, want)
		}
		if y, m, dd := civilFromDays(z); y != d.Year() || m != int(d.Month()) || dd != d.Day() {
			t.Fatalf("civilFromDays(%d) = %d-%d-%d, want %s", z, y, m, dd, d.Format(dateLayout))
		}
		if w := weekdayOf(z); w != d.Weekday() {
			t.Fatalf("weekdayOf(%s) = %v, want %v", d.Format(dateLayout), w, d.Weekday())
		}
	}
}

func TestEasterSunday(t *testing.T) {
	for _, want := range []string{
		"1961-04-02", "1999-04-04",
		"2000-04-23", "2002-03-31", "2008-03-23", "2011-04-24", "2016-03-27", "2019-04-21",
		"2020-04-12", "2022-04-17", "2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28",
		"2038-04-25", "2100-03-28", "2285-03-22",
	} {
		y := day(t, want).Year()
		m, d := easterSunday(y)
		if got := fmt.Sprintf("%04d-%02d-%02d", y, m, d); got != want {
			t.Errorf("easterSunday(%d) = %s, want %s", y, got, want)
		}
	}
}

func TestHolidaysFullYears(t *testing.T) {
	tests := []struct {
		year int
		want []string
	}{
		{2002, []string{"2002-01-01", "2002-03-29", "2002-04-01", "2002-05-06", "2002-06-03", "2002-06-04", "2002-08-26", "2002-12-25", "2002-12-26"}},
		// 25 Dec Sat, 26 Dec Sun: Mon 27 and Tue 28 Dec.
		{2004, []string{"2004-01-01", "2004-04-09", "2004-04-12", "2004-05-03", "2004-05-31", "2004-08-30", "2004-12-27", "2004-12-28"}},
		{2010, []string{"2010-01-01", "2010-04-02", "2010-04-05", "2010-05-03", "2010-05-31", "2010-08-30", "2010-12-27", "2010-12-28"}},
		// New Year Sat -> Mon 3 Jan; royal wedding; 25 Dec Sun -> Mon 26, Tue 27.
		{2011, []string{"2011-01-03", "2011-04-22", "2011-04-25", "2011-04-29", "2011-05-02", "2011-05-30", "2011-08-29", "2011-12-26", "2011-12-27"}},
		// New Year Sun -> Mon 2 Jan; Diamond Jubilee.
		{2012, []string{"2012-01-02", "2012-04-06", "2012-04-09", "2012-05-07", "2012-06-04", "2012-06-05", "2012-08-27", "2012-12-25", "2012-12-26"}},
		// 25 Dec Sun: Boxing Day Mon 26, Christmas substitute Tue 27.
		{2016, []string{"2016-01-01", "2016-03-25", "2016-03-28", "2016-05-02", "2016-05-30", "2016-08-29", "2016-12-26", "2016-12-27"}},
		// VE Day 75 moves Early May to Fri 8 May; 26 Dec Sat -> Mon 28.
		{2020, []string{"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"}},
		// 25 Dec Sat -> Mon 27, Tue 28.
		{2021, []string{"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28"}},
		// New Year Sat -> Mon 3 Jan; Platinum Jubilee; state funeral; 25 Dec Sun.
		{2022, []string{"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"}},
		// New Year Sun -> Mon 2 Jan; coronation.
		{2023, []string{"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"}},
		{2024, []string{"2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26"}},
		{2025, []string{"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"}},
		// 25 Dec Fri, 26 Dec Sat -> Mon 28.
		{2026, []string{"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"}},
		// 25 Dec Sat -> Mon 27, Tue 28.
		{2027, []string{"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"}},
	}
	c := EnglandAndWales()
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.year), func(t *testing.T) {
			got := c.Holidays(tt.year)
			var gotS []string
			for _, h := range got {
				if h.Location() != time.UTC || h.Hour() != 0 || h.Minute() != 0 || h.Second() != 0 || h.Nanosecond() != 0 {
					t.Errorf("holiday %v is not midnight UTC", h)
				}
				gotS = append(gotS, h.Format(dateLayout))
			}
			if strings.Join(gotS, " ") != strings.Join(tt.want, " ") {
				t.Errorf("Holidays(%d) =\n  %v\nwant\n  %v", tt.year, gotS, tt.want)
			}
			for _, w := range tt.want {
				if !c.IsHoliday(day(t, w)) {
					t.Errorf("IsHoliday(%s) = false", w)
				}
			}
		})
	}
}

func TestHolidaysEveryYear(t *testing.T) {
	// Years with proclamations that add a day; 2020 only moves one.
	extra := map[int]int{2002: 1, 2011: 1, 2012: 1, 2022: 2, 2023: 1}
	c := EnglandAndWales()
	for y := MinPrecomputedYear; y <= MaxPrecomputedYear; y++ {
		hs := c.Holidays(y)
		if want := 8 + extra[y]; len(hs) != want {
			t.Errorf("%d: %d holidays, want %d: %v", y, len(hs), want, hs)
		}
		seen := map[time.Time]bool{}
		for i, h := range hs {
			if h.Year() != y {
				t.Errorf("%d: holiday %s is in another year", y, h.Format(dateLayout))
			}
			if w := h.Weekday(); w == time.Saturday || w == time.Sunday {
				t.Errorf("%d: holiday %s is a %v", y, h.Format(dateLayout), w)
			}
			if seen[h] {
				t.Errorf("%d: holiday %s duplicated", y, h.Format(dateLayout))
			}
			seen[h] = true
			if i > 0 && !hs[i-1].Before(h) {
				t.Errorf("%d: holidays not sorted: %v", y, hs)
			}
			if !c.IsHoliday(h) || c.IsWorkingDay(h) {
				t.Errorf("%d: %s not reported as a holiday", y, h.Format(dateLayout))
			}
		}
	}
	// Every other weekday of the precomputed range is a working day.
	for d := day(t, "2000-01-01"); d.Year() <= MaxPrecomputedYear; d = d.AddDate(0, 0, 1) {
		hol := false
		for _, h := range c.Holidays(d.Year()) {
			if h.Equal(d) {
				hol = true
			}
		}
		weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		if got, want := c.IsWorkingDay(d), !hol && !weekend; got != want {
			t.Fatalf("IsWorkingDay(%s) = %v, want %v", d.Format(dateLayout), got, want)
		}
	}
}

func TestOutOfRangeYearsByRule(t *testing.T) {
	c := EnglandAndWales()
	for _, tt := range []struct {
		year int
		want []string
	}{
		// Rules only: the millennium holiday of 31 Dec 1999 is deliberately not included.
		{1999, []string{"1999-01-01", "1999-04-02", "1999-04-05", "1999-05-03", "1999-05-31", "1999-08-30", "1999-12-27", "1999-12-28"}},
		{2101, []string{"2101-01-03", "2101-04-15", "2101-04-18", "2101-05-02", "2101-05-30", "2101-08-29", "2101-12-26", "2101-12-27"}},
	} {
		var got []string
		for _, h := range c.Holidays(tt.year) {
			got = append(got, h.Format(dateLayout))
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("Holidays(%d) = %v, want %v", tt.year, got, tt.want)
		}
		for _, w := range tt.want {
			if c.IsWorkingDay(day(t, w)) {
				t.Errorf("IsWorkingDay(%s) = true, want false", w)
			}
		}
	}
	// Far outside the range: no panic, sensible answers.
	for _, y := range []int{1, 1066, 1752, 9999, 10000, -44} {
		if n := len(c.Holidays(y)); n != 8 {
			t.Errorf("Holidays(%d) has %d entries, want 8", y, n)
		}
	}
	if got, want := c.AddWorkingDays(local(t, "2101-12-23 09:00"), 1), local(t, "2101-12-28 17:00"); !got.Equal(want) {
		t.Errorf("AddWorkingDays over Christmas 2101 = %v, want %v", got, want)
	}
	if got, want := c.AddWorkingDays(local(t, "1999-12-24 09:00"), 1), local(t, "1999-12-29 17:00"); !got.Equal(want) {
		t.Errorf("AddWorkingDays over Christmas 1999 = %v, want %v", got, want)
	}
}

func TestAddWorkingDays(t *testing.T) {
	def := EnglandAndWales()
	tests := []struct {
		name string
		cal  *Calendar
		from time.Time
		n    int
		want time.Time // compared as instants
	}{
		{"Thu 10:00 +1 is Fri", def, local(t, "2026-06-11 10:00"), 1, utc(t, "2026-06-12T16:00:00Z")},
		{"Thu 23:59 +1 is Fri", def, local(t, "2026-06-11 23:59"), 1, utc(t, "2026-06-12T16:00:00Z")},
		{"Thu 00:00 +1 is Fri", def, local(t, "2026-06-11 00:00"), 1, utc(t, "2026-06-12T16:00:00Z")},
		{"Fri 16:59 +1 is Mon", def, local(t, "2026-06-12 16:59"), 1, local(t, "2026-06-15 17:00")},
		{"Fri 18:00 +1 is Mon", def, local(t, "2026-06-12 18:00"), 1, local(t, "2026-06-15 17:00")},
		{"Sat +1 is Mon", def, local(t, "2026-06-13 12:00"), 1, local(t, "2026-06-15 17:00")},
		{"Sun 23:30 +1 is Mon", def, local(t, "2026-06-14 23:30"), 1, local(t, "2026-06-15 17:00")},
		{"Fri before spring bank holiday", def, local(t, "2026-05-22 09:00"), 1, utc(t, "2026-05-26T16:00:00Z")},
		{"on the bank holiday itself", def, local(t, "2026-05-25 09:00"), 1, local(t, "2026-05-26 17:00")},
		{"Christmas 2026", def, local(t, "2026-12-24 09:00"), 1, utc(t, "2026-12-29T17:00:00Z")},
		{"Christmas into New Year 2027", def, local(t, "2026-12-31 09:00"), 1, utc(t, "2027-01-04T17:00:00Z")},
		{"Christmas 2027 Sat", def, local(t, "2027-12-24 09:00"), 1, utc(t, "2027-12-29T17:00:00Z")},
		{"New Year 2022 substitute", def, local(t, "2021-12-31 09:00"), 1, utc(t, "2022-01-04T17:00:00Z")},
		{"Easter 2026", def, local(t, "2026-04-02 09:00"), 1, utc(t, "2026-04-07T16:00:00Z")},
		{"into BST", def, local(t, "2026-03-27 09:00"), 1, utc(t, "2026-03-30T16:00:00Z")},
		{"into GMT", def, local(t, "2026-10-23 09:00"), 1, utc(t, "2026-10-26T17:00:00Z")},
		{"UTC evening is next day in London", def, utc(t, "2026-06-04T23:30:00Z"), 1, utc(t, "2026-06-08T16:00:00Z")},
		{"UTC evening same day in winter", def, utc(t, "2026-01-08T23:30:00Z"), 1, utc(t, "2026-01-09T17:00:00Z")},
		{"input in another zone", def, time.Date(2026, 6, 11, 20, 0, 0, 0, time.FixedZone("EDT", -4*3600)), 1, utc(t, "2026-06-15T16:00:00Z")},
		{"n=3 across spring bank holiday", def, local(t, "2026-05-22 09:00"), 3, utc(t, "2026-05-28T16:00:00Z")},
		{"n=45 across summer bank holiday", def, local(t, "2026-07-17 09:00"), 45, utc(t, "2026-09-21T16:00:00Z")},
		{"n=45 across Christmas", def, local(t, "2026-11-20 09:00"), 45, utc(t, "2027-01-27T17:00:00Z")},
		{"n=10 across Easter", def, local(t, "2026-03-27 09:00"), 10, utc(t, "2026-04-14T16:00:00Z")},
		{"2022 moved spring holiday is a working day", def, local(t, "2022-05-27 09:00"), 1, local(t, "2022-05-30 17:00")},
		{"2022 jubilee Tue", def, local(t, "2022-05-31 09:00"), 1, local(t, "2022-06-01 17:00")},
		{"2022 jubilee Wed", def, local(t, "2022-06-01 09:00"), 1, local(t, "2022-06-06 17:00")},
		{"2022 jubilee Wed +2", def, local(t, "2022-06-01 09:00"), 2, local(t, "2022-06-07 17:00")},
		{"2022 state funeral", def, local(t, "2022-09-16 09:00"), 1, local(t, "2022-09-20 17:00")},
		{"2020 VE day moved", def, local(t, "2020-05-01 09:00"), 1, local(t, "2020-05-04 17:00")},
		{"2020 VE day", def, local(t, "2020-05-07 09:00"), 1, local(t, "2020-05-11 17:00")},
		{"close of business 16:00", EnglandAndWales(WithCloseOfBusiness(16, 0)), local(t, "2026-06-11 10:00"), 1, utc(t, "2026-06-12T15:00:00Z")},
		{"close of business 16:30 GMT", EnglandAndWales(WithCloseOfBusiness(16, 30)), local(t, "2026-01-08 10:00"), 1, utc(t, "2026-01-09T16:30:00Z")},
		{"invalid close of business ignored", EnglandAndWales(WithCloseOfBusiness(25, 0)), local(t, "2026-06-11 10:00"), 1, local(t, "2026-06-12 17:00")},
		{"without proclamation", def, local(t, "2031-06-12 09:00"), 1, utc(t, "2031-06-13T16:00:00Z")},
		{"new proclamation as data", EnglandAndWales(WithProclamations(append(Proclamations(),
			Proclamation{Date: "2031-06-13", Kind: KindAdded, Name: "Hypothetical"}))),
			local(t, "2031-06-12 09:00"), 1, utc(t, "2031-06-16T16:00:00Z")},
		{"no proclamations: 2023 coronation is a working day", EnglandAndWales(WithProclamations(nil)),
			local(t, "2023-05-05 09:00"), 1, local(t, "2023-05-08 17:00")},
		{"UTC location", EnglandAndWales(WithLocation(time.UTC)), utc(t, "2026-06-04T23:30:00Z"), 1, utc(t, "2026-06-05T17:00:00Z")},
		{"n=0 on a working day, after close", def, local(t, "2026-06-11 18:00"), 0, local(t, "2026-06-11 17:00")},
		{"n=0 on Saturday", def, local(t, "2026-06-13 10:00"), 0, local(t, "2026-06-15 17:00")},
		{"n=-3 on a bank holiday", def, local(t, "2026-12-25 10:00"), -3, local(t, "2026-12-29 17:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cal.AddWorkingDays(tt.from, tt.n)
			if !got.Equal(tt.want) {
				t.Errorf("AddWorkingDays(%v, %d) = %v (%v), want %v (%v)", tt.from, tt.n,
					got, got.In(london(t)), tt.want.UTC(), tt.want.In(london(t)))
			}
			if got.Location() != time.UTC {
				t.Errorf("result location = %v, want UTC", got.Location())
			}
			if tt.n >= 1 && !tt.cal.IsWorkingDay(got) {
				t.Errorf("result %v is not a working day", got)
			}
		})
	}
}

// TestAddWorkingDaysAgreesWithCounting checks AddWorkingDays against a naive
// count using IsWorkingDay and the time package, from every day of 2019–2028.
func TestAddWorkingDaysAgreesWithCounting(t *testing.T) {
	c := EnglandAndWales()
	loc := london(t)
	for d := time.Date(2019, 1, 1, 9, 0, 0, 0, loc); d.Year() < 2029; d = d.AddDate(0, 0, 1) {
		for _, n := range []int{1, 2, 5, 20} {
			cur, left := d, n
			for left > 0 {
				cur = cur.AddDate(0, 0, 1)
				if c.IsWorkingDay(cur) {
					left--
				}
			}
			want := time.Date(cur.Year(), cur.Month(), cur.Day(), 17, 0, 0, 0, loc)
			if got := c.AddWorkingDays(d, n); !got.Equal(want) {
				t.Fatalf("AddWorkingDays(%v, %d) = %v, want %v", d, n, got, want)
			}
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := EnglandAndWales()
	tests := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"ordinary Wednesday", local(t, "2026-06-10 12:00"), true},
		{"Saturday", local(t, "2026-06-13 12:00"), false},
		{"Sunday", local(t, "2026-06-14 12:00"), false},
		{"Good Friday", local(t, "2026-04-03 12:00"), false},
		{"Easter Monday", local(t, "2026-04-06 12:00"), false},
		{"Spring bank holiday", local(t, "2026-05-25 12:00"), false},
		{"Boxing Day substitute Mon 28 Dec 2026", local(t, "2026-12-28 12:00"), false},
		{"Boxing Day itself Sat 26 Dec 2026", local(t, "2026-12-26 12:00"), false},
		{"Tue 29 Dec 2026", local(t, "2026-12-29 12:00"), true},
		{"Christmas substitute Mon 27 Dec 2027", local(t, "2027-12-27 12:00"), false},
		{"Boxing Day substitute Tue 28 Dec 2027", local(t, "2027-12-28 12:00"), false},
		{"New Year substitute Mon 3 Jan 2022", local(t, "2022-01-03 12:00"), false},
		{"Christmas substitute Tue 27 Dec 2022", local(t, "2022-12-27 12:00"), false},
		{"Mon 30 May 2022 (holiday moved away)", local(t, "2022-05-30 12:00"), true},
		{"Thu 2 Jun 2022 (moved spring holiday)", local(t, "2022-06-02 12:00"), false},
		{"Mon 4 May 2020 (holiday moved away)", local(t, "2020-05-04 12:00"), true},
		{"Fri 8 May 2020 (VE Day)", local(t, "2020-05-08 12:00"), false},
		{"Mon 27 May 2002 (holiday moved away)", local(t, "2002-05-27 12:00"), true},
		{"23:30Z Sun 24 May 2026 is Mon 00:30 BST, a holiday", utc(t, "2026-05-24T23:30:00Z"), false},
		{"23:30Z Mon 25 May 2026 is Tue 00:30 BST", utc(t, "2026-05-25T23:30:00Z"), true},
		{"23:30Z Fri 5 Jun 2026 is Sat in London", utc(t, "2026-06-05T23:30:00Z"), false},
		{"23:30Z Sun 7 Jun 2026 is Mon in London", utc(t, "2026-06-07T23:30:00Z"), true},
		{"23:30Z in winter stays the same day", utc(t, "2026-01-09T23:30:00Z"), true},
		{"00:30 BST Sat is still Fri 23:30Z", utc(t, "2026-06-05T23:30:00Z").Add(-time.Hour), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkingDay(tt.at); got != tt.want {
				t.Errorf("IsWorkingDay(%v) = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

func TestNextWorkingDay(t *testing.T) {
	c := EnglandAndWales()
	for _, tt := range []struct{ from, want time.Time }{
		{local(t, "2026-06-11 10:00"), local(t, "2026-06-12 00:00")},
		{local(t, "2026-06-12 23:59"), local(t, "2026-06-15 00:00")},
		{local(t, "2026-12-24 09:00"), local(t, "2026-12-29 00:00")},
		{local(t, "2026-03-27 09:00"), utc(t, "2026-03-30T00:00:00+01:00")},
	} {
		got := c.NextWorkingDay(tt.from)
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("NextWorkingDay(%v) = %v, want %v in UTC", tt.from, got, tt.want.UTC())
		}
	}
}

func TestEmbeddedProclamations(t *testing.T) {
	if _, err := embeddedProclamations(); err != nil {
		t.Fatalf("embedded proclamations.json is invalid: %v", err)
	}
	want := []Proclamation{
		{Date: "2002-06-03", Kind: KindAdded},
		{Date: "2002-06-04", Kind: KindMoved, Replaces: "2002-05-27"},
		{Date: "2011-04-29", Kind: KindAdded},
		{Date: "2012-06-04", Kind: KindMoved, Replaces: "2012-05-28"},
		{Date: "2012-06-05", Kind: KindAdded},
		{Date: "2020-05-08", Kind: KindMoved, Replaces: "2020-05-04"},
		{Date: "2022-06-02", Kind: KindMoved, Replaces: "2022-05-30"},
		{Date: "2022-06-03", Kind: KindAdded},
		{Date: "2022-09-19", Kind: KindAdded},
		{Date: "2023-05-08", Kind: KindAdded},
	}
	got := Proclamations()
	if len(got) != len(want) {
		t.Fatalf("%d embedded proclamations, want %d", len(got), len(want))
	}
	rules := map[string]bool{}
	for y := MinPrecomputedYear; y <= MaxPrecomputedYear; y++ {
		for _, z := range ruleHolidays(y) {
			rules[dayToTime(z).Format(dateLayout)] = true
		}
	}
	for i, p := range got {
		if p.Date != want[i].Date || p.Kind != want[i].Kind || p.Replaces != want[i].Replaces {
			t.Errorf("proclamation %d = %+v, want %+v", i, p, want[i])
		}
		d := day(t, p.Date)
		if d.Year() < MinPrecomputedYear || d.Year() > MaxPrecomputedYear {
			t.Errorf("proclamation %d is outside %d–%d", i, MinPrecomputedYear, MaxPrecomputedYear)
		}
		if w := d.Weekday(); w == time.Saturday || w == time.Sunday {
			t.Errorf("proclamation %d falls on a %v", i, w)
		}
		if rules[p.Date] {
			t.Errorf("proclamation %d date %s is already a rule holiday", i, p.Date)
		}
		if p.Kind == KindMoved && !rules[p.Replaces] {
			t.Errorf("proclamation %d replaces %s, which is not a rule holiday", i, p.Replaces)
		}
	}
	// Round trip: the exported copy re-encodes to data that parses again.
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseProclamations(b); err != nil {
		t.Errorf("round trip: %v", err)
	}
	// Proclamations returns a copy.
	got[0].Date = "1900-01-01"
	if embedded, _ := embeddedProclamations(); embedded[0].Date == "1900-01-01" {
		t.Error("Proclamations returned the embedded slice, not a copy")
	}
}

func TestParseProclamations(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		wantErr []string // substrings; nil means success
	}{
		{"valid", `[{"date":"2030-01-02","kind":"added","name":"X"},{"date":"2030-06-04","kind":"moved","replaces":"2030-05-27","name":"Y"}]`, nil},
		{"empty array", `[]`, nil},
		{"unknown field", `[{"date":"2030-01-02","kind":"added","name":"X","region":"wales"}]`, []string{"region"}},
		{"bad date format", `[{"date":"2030/01/02","kind":"added","name":"X"}]`, []string{"proclamation 0", "2030/01/02"}},
		{"impossible date", `[{"date":"2030-01-02","kind":"added","name":"A"},{"date":"2030-02-30","kind":"added","name":"Leap"}]`, []string{"proclamation 1", "2030-02-30", "Leap"}},
		{"unpadded date", `[{"date":"2030-1-2","kind":"added","name":"X"}]`, []string{"proclamation 0", "2030-1-2"}},
		{"unknown kind", `[{"date":"2030-01-02","kind":"cancelled","name":"X"}]`, []string{"proclamation 0", "cancelled"}},
		{"missing kind", `[{"date":"2030-01-02","name":"X"}]`, []string{"proclamation 0", "kind"}},
		{"moved without replaces", `[{"date":"2030-06-04","kind":"moved","name":"X"}]`, []string{"proclamation 0", "2030-06-04", "replaces"}},
		{"moved with bad replaces", `[{"date":"2030-06-04","kind":"moved","replaces":"2030-13-01","name":"X"}]`, []string{"proclamation 0", "2030-13-01"}},
		{"added with replaces", `[{"date":"2030-06-04","kind":"added","replaces":"2030-05-27","name":"X"}]`, []string{"proclamation 0", "replaces"}},
		{"missing name", `[{"date":"2030-06-04","kind":"added"}]`, []string{"proclamation 0", "name"}},
		{"not an array", `{"date":"2030-06-04","kind":"added","name":"X"}`, []string{"decoding"}},
		{"trailing data", `[] []`, []string{"trailing"}},
		{"malformed", `[{"date":`, []string{"decoding"}},
		{"empty input", ``, []string{"decoding"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := ParseProclamations([]byte(tt.data))
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, got %+v", ps)
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestWithProclamationsSkipsInvalidEntries(t *testing.T) {
	c := EnglandAndWales(WithProclamations([]Proclamation{
		{Date: "not-a-date", Kind: KindAdded, Name: "bad"},
		{Date: "2030-01-02", Kind: "bogus", Name: "bad"},
		{Date: "2030-06-04", Kind: KindMoved, Replaces: "", Name: "bad"},
		{Date: "2030-01-03", Kind: KindAdded, Name: "good"},
		{Date: "2101-01-04", Kind: KindAdded, Name: "good, out of range"},
	}))
	for _, tt := range []struct {
		date string
		want bool
	}{
		{"2030-01-02", false}, {"2030-06-04", false}, {"2030-01-03", true}, {"2101-01-04", true}, {"2101-01-05", false},
	} {
		if got := c.IsHoliday(day(t, tt.date)); got != tt.want {
			t.Errorf("IsHoliday(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	c := EnglandAndWales()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for y := 1990 + g; y < 2120; y += 3 {
				from := time.Date(y, 12, 20, 9, 0, 0, 0, time.UTC)
				if got := c.AddWorkingDays(from, 10); !c.IsWorkingDay(got) {
					t.Errorf("AddWorkingDays(%v, 10) = %v is not a working day", from, got)
				}
				_ = c.Holidays(y)
			}
		}(g)
	}
	wg.Wait()
}

func BenchmarkAddWorkingDays(b *testing.B) {
	c := EnglandAndWales()
	from := time.Date(2026, 12, 18, 10, 0, 0, 0, time.UTC)
	for _, n := range []int{1, 45} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = c.AddWorkingDays(from, n)
			}
		})
	}
}

func TestLondon(t *testing.T) {
	if London().String() != "Europe/London" {
		t.Fatalf("London is %q", London())
	}
	for _, tt := range []struct {
		at   time.Time
		zone string
		off  int
	}{
		{time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), "GMT", 0},
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), "BST", 3600},
		{time.Date(2026, 10, 25, 0, 59, 0, 0, time.UTC), "BST", 3600},
		{time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), "GMT", 0},
	} {
		if zone, off := tt.at.In(London()).Zone(); zone != tt.zone || off != tt.off {
			t.Errorf("%s in London: %s %+d, want %s %+d", tt.at, zone, off, tt.zone, tt.off)
		}
	}
}
