package calendar

import (
	"sort"
	"time"
)

// Date arithmetic in this package works on civil day numbers: the number of
// days since 1970-01-01 in the proleptic Gregorian calendar. They are cheap to
// step through and need no time zone.

// daysFromCivil returns the day number of the civil date y-m-d.
// Algorithm from Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := m - 3
	if m <= 2 {
		mp = m + 9
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// weekdayOf returns the day of the week of a day number (1970-01-01 was a Thursday).
func weekdayOf(z int) time.Weekday {
	w := (z + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// dayToTime returns the day number as a date value: midnight UTC.
func dayToTime(z int) time.Time {
	y, m, d := civilFromDays(z)
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
}

// easterSunday returns the month and day of Easter Sunday in year y, using the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher).
func easterSunday(y int) (month, day int) {
	a := y % 19
	b := y / 100
	c := y % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month = (h + l - 7*m + 114) / 31
	day = (h+l-7*m+114)%31 + 1
	return month, day
}

// firstMonday returns the day number of the first Monday of month m in year y.
func firstMonday(y, m int) int {
	z := daysFromCivil(y, m, 1)
	return z + (int(time.Monday)-int(weekdayOf(z))+7)%7
}

// lastMonday returns the day number of the last Monday of month m in year y.
func lastMonday(y, m int) int {
	ny, nm := y, m+1
	if nm == 13 {
		ny, nm = y+1, 1
	}
	z := daysFromCivil(ny, nm, 1) - 1 // last day of month m
	return z - (int(weekdayOf(z))-int(time.Monday)+7)%7
}

// ruleHolidays returns the day numbers of the bank holidays of England and
// Wales in year y derived from the standing rules alone (no proclamations).
func ruleHolidays(y int) []int {
	out := make([]int, 0, 8)

	// New Year's Day, substitute the following Monday if it falls at a weekend.
	ny := daysFromCivil(y, 1, 1)
	switch weekdayOf(ny) {
	case time.Saturday:
		ny += 2
	case time.Sunday:
		ny++
	}
	out = append(out, ny)

	// Good Friday and Easter Monday.
	em, ed := easterSunday(y)
	easter := daysFromCivil(y, em, ed)
	out = append(out, easter-2, easter+1)

	// Early May, Spring and Summer bank holidays.
	out = append(out, firstMonday(y, 5), lastMonday(y, 5), lastMonday(y, 8))

	// Christmas Day and Boxing Day with their substitutes.
	xmas := daysFromCivil(y, 12, 25)
	switch weekdayOf(xmas) {
	case time.Saturday: // Mon 27 for Christmas, Tue 28 for Boxing Day
		out = append(out, xmas+2, xmas+3)
	case time.Sunday: // Boxing Day Mon 26, Christmas substitute Tue 27
		out = append(out, xmas+1, xmas+2)
	case time.Friday: // Boxing Day Sat 26 -> Mon 28
		out = append(out, xmas, xmas+3)
	default:
		out = append(out, xmas, xmas+1)
	}
	return out
}

// procEntry is a proclamation reduced to day numbers.
type procEntry struct {
	day         int
	replaces    int
	hasReplaces bool
}

// compileProclamations converts proclamations to day numbers, skipping entries
// whose dates do not parse or whose kind is unknown (ParseProclamations
// rejects such entries; WithProclamations must not panic).
func compileProclamations(ps []Proclamation) []procEntry {
	out := make([]procEntry, 0, len(ps))
	for _, p := range ps {
		day, ok := parseDay(p.Date)
		if !ok {
			continue
		}
		e := procEntry{day: day}
		switch p.Kind {
		case KindAdded:
		case KindMoved:
			r, ok := parseDay(p.Replaces)
			if !ok {
				continue
			}
			e.replaces, e.hasReplaces = r, true
		default:
			continue
		}
		out = append(out, e)
	}
	return out
}

// parseDay parses a YYYY-MM-DD date into a day number.
func parseDay(s string) (int, bool) {
	if len(s) != len(dateLayout) {
		return 0, false
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return 0, false
	}
	return daysFromCivil(t.Year(), int(t.Month()), t.Day()), true
}

// computeYear returns the sorted, de-duplicated day numbers of the holidays
// falling in year y: the rule-based holidays, less any moved by a
// proclamation, plus the proclaimed dates falling in y.
func computeYear(y int, procs []procEntry) []int {
	set := make(map[int]struct{}, 12)
	for _, z := range ruleHolidays(y) {
		set[z] = struct{}{}
	}
	for _, p := range procs {
		if p.hasReplaces {
			delete(set, p.replaces)
		}
	}
	for _, p := range procs {
		if py, _, _ := civilFromDays(p.day); py == y {
			set[p.day] = struct{}{}
		}
	}
	out := make([]int, 0, len(set))
	for z := range set {
		out = append(out, z)
	}
	sort.Ints(out)
	return out
}
