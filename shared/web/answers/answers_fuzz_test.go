package answers

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/calendar"
)

// fuzzCheckDateError fails t unless err is a refusal a page can show: a
// message, on one of the parts allowed.
func fuzzCheckDateError(t *testing.T, call string, got string, err *DateError, parts ...string) {
	t.Helper()
	if got != "" {
		t.Errorf("%s = %q with the error %v", call, got, err)
	}
	if err.Message == "" || err.Error() != err.Message {
		t.Errorf("%s: error %+v without a message", call, err)
	}
	if !slices.Contains(parts, err.Part) {
		t.Errorf("%s: error on part %q, want one of %q", call, err.Part, parts)
	}
}

func blankAll(ss ...string) bool {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// FuzzParseDate feeds any day, month and year to ParseDate. It never
// panics; it gives "" for a date left blank, a real date as YYYY-MM-DD
// that reads back as itself, or a *DateError with a message on the day,
// the month or the year; and it says the same every time.
func FuzzParseDate(f *testing.F) {
	for _, s := range [][3]string{
		{"27", "3", "2015"}, {" 1 ", "Sept.", "2016"}, {"29", "feb", "2024"}, {"29", "2", "2023"}, {"31", "April", "2026"},
		{"", "", ""}, {" ", "\t", "\n"}, {"1", "", "2020"}, {"01", "012", "2020"}, {"1", "13", "2020"}, {"+1", "1", "2020"},
		{"1", "1", "20201"}, {"1", "1", "0000"}, {"99999999999999999999", "1", "2020"}, {"1", "-1", "2020"}, {"1", "١", "٢٠٢٠"},
		{"31", "decemBER", "9999"}, {"1", "ja", "2020"}, {"1", "mays", "2020"}, {"0", "1", "2020"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, day, month, year string) {
		call := fmt.Sprintf("ParseDate(%q, %q, %q)", day, month, year)
		got, err := ParseDate(day, month, year)
		got2, err2 := ParseDate(day, month, year)
		if got != got2 || (err == nil) != (err2 == nil) || (err != nil && *err != *err2) {
			t.Fatalf("%s is not deterministic: %q %v, then %q %v", call, got, err, got2, err2)
		}
		if err != nil {
			fuzzCheckDateError(t, call, got, err, "day", "month", "year")
			return
		}
		if blankAll(day, month, year) {
			if got != "" {
				t.Errorf("%s = %q for a date left blank", call, got)
			}
			return
		}
		d, perr := time.Parse(time.DateOnly, got)
		if perr != nil || d.Format(time.DateOnly) != got {
			t.Fatalf("%s = %q, not a real date (%v)", call, got, perr)
		}
		// The day and year are as typed, and the date's own parts read back
		// as it.
		if n, _ := strconv.Atoi(strings.TrimSpace(day)); n != d.Day() {
			t.Errorf("%s = %q: day %d", call, got, n)
		}
		if n, _ := strconv.Atoi(strings.TrimSpace(year)); n != d.Year() {
			t.Errorf("%s = %q: year %d", call, got, n)
		}
		if again, err := ParseDate(strconv.Itoa(d.Day()), strconv.Itoa(int(d.Month())), got[:4]); again != got || err != nil {
			t.Errorf("%s = %q, but its parts give %q, %v", call, got, again, err)
		}
	})
}

// FuzzParseDateTime feeds any day, month, year and time of day to
// ParseDateTime. It never panics; it gives "" when all four are blank, an
// RFC 3339 time on that date in England with the offset in force there
// then, or a *DateError with a message on the day, month, year or time;
// and the time it gives, typed in again as a wall-clock time, gives itself.
func FuzzParseDateTime(f *testing.F) {
	for _, s := range [][4]string{
		{"20", "11", "2026", "21:30"}, {"20", "6", "2026", "2:30pm"}, {"29", "3", "2026", "1:30"}, {"25", "10", "2026", "01:30"},
		{"25", "oct", "2026", "1.30 a.m."}, {"1", "1", "2026", "12am"}, {"1", "1", "2026", "12pm"}, {"1", "1", "2026", "0:00"},
		{"", "", "", ""}, {"", "", "", "14:30"}, {"1", "1", "2026", ""}, {"1", "1", "2026", "24:00"}, {"1", "1", "2026", "13pm"},
		{"1", "1", "2026", "9"}, {"1", "1", "2026", "9am"}, {"1", "1", "2026", "23:60"}, {"1", "1", "2026", "14:30:00"},
		{"1", "1", "1000", "10:00"}, {"31", "12", "9999", "23:59"}, {"1", "1", "0000", "00:00"}, {"1", "1", "2026", "0 pm"},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, day, month, year, clock string) {
		call := fmt.Sprintf("ParseDateTime(%q, %q, %q, %q)", day, month, year, clock)
		got, err := ParseDateTime(day, month, year, clock)
		got2, err2 := ParseDateTime(day, month, year, clock)
		if got != got2 || (err == nil) != (err2 == nil) || (err != nil && *err != *err2) {
			t.Fatalf("%s is not deterministic: %q %v, then %q %v", call, got, err, got2, err2)
		}
		if err != nil {
			fuzzCheckDateError(t, call, got, err, "day", "month", "year", "time")
			return
		}
		if got == "" {
			if !blankAll(day, month, year, clock) {
				t.Errorf("%s = \"\" for a time not left blank", call)
			}
			return
		}
		at, perr := time.Parse(time.RFC3339, got)
		if perr != nil || at.Format(time.RFC3339) != got {
			t.Fatalf("%s = %q, not an RFC 3339 time (%v)", call, got, perr)
		}
		date, derr := ParseDate(day, month, year)
		if derr != nil || got[:10] != date {
			t.Errorf("%s = %q, not on the date %q (%v)", call, got, date, derr)
		}
		// Before 1847 London kept its local mean time, 1 minute 15 seconds
		// behind Greenwich, an offset RFC 3339 cannot write: the checks of
		// the offset hold from then on.
		if _, off := at.In(calendar.London()).Zone(); off%60 != 0 {
			return
		}
		local := at.In(calendar.London())
		if local.Format(time.RFC3339) != got {
			t.Errorf("%s = %q, but that is %s in England", call, got, local.Format(time.RFC3339))
		}
		wall := fmt.Sprintf("%02d:%02d", local.Hour(), local.Minute())
		if again, err := ParseDateTime(day, month, year, wall); again != got || err != nil {
			t.Errorf("%s = %q, but %s that day gives %q, %v", call, got, wall, again, err)
		}
	})
}
