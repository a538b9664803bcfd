// Package calendar is the England and Wales working-day calendar used to run
// statutory clocks: it knows the bank holidays of England and Wales and counts
// working days to a close-of-business deadline in Europe/London.
//
// Bank holidays are derived from the standing rules (New Year's Day, Good
// Friday, Easter Monday, the Early May, Spring and Summer bank holidays,
// Christmas Day and Boxing Day, with their substitute days) and adjusted by
// royal proclamations, which are data: the embedded proclamations.json holds
// those made since 2000, and WithProclamations replaces that set so that a new
// proclamation can be added without a code change.
//
// The rules are precomputed for 2000–2100. Years outside that range are still
// computed by the same rules (and any proclamation dated in them) on first use
// and cached; no call panics. Rules before 1971 or far in the future are not
// historically accurate, only rule-consistent.
//
// A *Calendar is immutable after construction and safe for concurrent use.
package calendar

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
	_ "time/tzdata" // Europe/London must load on hosts without a zoneinfo database.
)

// Kinds of Proclamation.
const (
	// KindAdded is a proclamation that creates an extra bank holiday.
	KindAdded = "added"
	// KindMoved is a proclamation that moves a rule-based bank holiday
	// (Replaces) to another date (Date).
	KindMoved = "moved"
)

const (
	dateLayout = "2006-01-02"

	// MinPrecomputedYear and MaxPrecomputedYear bound the years whose holidays
	// are precomputed when a Calendar is constructed. Other years are computed
	// by rule on demand.
	MinPrecomputedYear = 2000
	// MaxPrecomputedYear is the last precomputed year; see MinPrecomputedYear.
	MaxPrecomputedYear = 2100

	defaultCOBHour   = 17
	defaultCOBMinute = 0
)

//go:embed proclamations.json
var embeddedJSON []byte

// embeddedProclamations parses the embedded set when it is first needed,
// not at start; a test asserts that its error is nil, so EnglandAndWales
// never has to panic.
var embeddedProclamations = sync.OnceValues(func() ([]Proclamation, error) { return ParseProclamations(embeddedJSON) })

// The years the calendar and every date the front door is asked for span:
// a date outside them is refused as input (the holidays are computed for
// them, and a time past 9999 cannot be written as RFC 3339).
const (
	FirstYear = 2000
	LastYear  = 2100
)

// InRange reports whether t falls in the years FirstYear to LastYear, in
// England.
func InRange(t time.Time) bool {
	y := t.In(London()).Year()
	return y >= FirstYear && y <= LastYear
}

// London is Europe/London, the zone in which every time is shown and every
// day, working day and date is counted. Its rules are embedded in the binary
// (time/tzdata), so it loads on a host with no zone database; should that
// data ever be unreadable the program stops, rather than count England's
// days in another zone. It is loaded when first asked for, not at start.
var London = sync.OnceValue(func() *time.Location { return mustLoad("Europe/London") })

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("calendar: the " + name + " time zone cannot be loaded: " + err.Error())
	}
	return loc
}

// Proclamation is a bank holiday made by royal proclamation rather than by
// rule. Kind "added" creates an extra holiday on Date; kind "moved" moves the
// rule-based holiday on Replaces to Date.
type Proclamation struct {
	// Date is the proclaimed holiday, YYYY-MM-DD.
	Date string `json:"date"`
	// Kind is KindAdded ("added") or KindMoved ("moved").
	Kind string `json:"kind"`
	// Replaces is the YYYY-MM-DD date of the rule-based holiday moved by a
	// KindMoved proclamation; it must be empty for KindAdded.
	Replaces string `json:"replaces,omitempty"`
	// Name describes the holiday, e.g. "Coronation of King Charles III".
	Name string `json:"name"`
}

// ParseProclamations strictly decodes a JSON array of proclamations: unknown
// fields, trailing data, dates that are not valid YYYY-MM-DD calendar dates,
// unknown kinds, a "moved" entry without replaces, an "added" entry with
// replaces, and an empty name are all errors. Errors name the offending entry
// by index and date.
func ParseProclamations(data []byte) ([]Proclamation, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ps []Proclamation
	if err := dec.Decode(&ps); err != nil {
		return nil, fmt.Errorf("calendar: decoding proclamations: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("calendar: decoding proclamations: trailing data after the array")
	}
	for i, p := range ps {
		if err := p.validate(); err != nil {
			return nil, fmt.Errorf("calendar: proclamation %d (date %q, name %q): %w", i, p.Date, p.Name, err)
		}
	}
	return ps, nil
}

func (p Proclamation) validate() error {
	if _, ok := parseDay(p.Date); !ok {
		return fmt.Errorf("date %q is not a valid YYYY-MM-DD date", p.Date)
	}
	if p.Name == "" {
		return errors.New("name is empty")
	}
	switch p.Kind {
	case KindAdded:
		if p.Replaces != "" {
			return fmt.Errorf("kind %q must not have replaces", p.Kind)
		}
	case KindMoved:
		if p.Replaces == "" {
			return fmt.Errorf("kind %q needs replaces", p.Kind)
		}
		if _, ok := parseDay(p.Replaces); !ok {
			return fmt.Errorf("replaces %q is not a valid YYYY-MM-DD date", p.Replaces)
		}
	default:
		return fmt.Errorf("unknown kind %q (want %q or %q)", p.Kind, KindAdded, KindMoved)
	}
	return nil
}

// Calendar is a working-day calendar. Construct it with EnglandAndWales; the
// zero value is not usable. It is safe for concurrent use.
type Calendar struct {
	loc       *time.Location
	cobHour   int
	cobMinute int
	procSet   bool
	rawProcs  []Proclamation
	procs     []procEntry

	// bits has one bit per day from firstDay (1 Jan MinPrecomputedYear) to
	// lastDay (31 Dec MaxPrecomputedYear); read-only after construction.
	bits     []uint64
	firstDay int
	lastDay  int

	mu    sync.Mutex
	other map[int]map[int]struct{} // year -> holiday day numbers, outside the precomputed range
}

// Option configures a Calendar.
type Option func(*Calendar)

// WithCloseOfBusiness sets the local time of close of business returned by
// AddWorkingDays (default 17:00). Values outside 0–23 hours or 0–59 minutes
// are ignored.
func WithCloseOfBusiness(hour, minute int) Option {
	return func(c *Calendar) {
		if hour < 0 || hour > 23 || minute < 0 || minute > 59 {
			return
		}
		c.cobHour, c.cobMinute = hour, minute
	}
}

// WithLocation sets the location whose calendar dates and close of business
// are used (default Europe/London). A nil location is ignored.
func WithLocation(loc *time.Location) Option {
	return func(c *Calendar) {
		if loc != nil {
			c.loc = loc
		}
	}
}

// WithProclamations replaces the embedded proclamations with p, so that a new
// proclamation can be added as data (pass the embedded ones too to keep
// them; see Proclamations). Entries should be validated with
// ParseProclamations; an entry with an unparseable date or unknown kind is
// skipped rather than causing a panic. A "moved" entry whose Replaces is not a
// rule-based holiday still adds its Date.
func WithProclamations(p []Proclamation) Option {
	return func(c *Calendar) {
		c.procSet = true
		c.rawProcs = append([]Proclamation(nil), p...)
	}
}

// Proclamations returns a copy of the proclamations embedded in the package
// (proclamations.json), e.g. to extend them with WithProclamations.
func Proclamations() []Proclamation {
	p, _ := embeddedProclamations()
	return append([]Proclamation(nil), p...)
}

// EnglandAndWales returns the calendar of bank holidays of England and Wales:
// the standing rules for every year (precomputed for 2000–2100, computed on
// demand and cached for other years) adjusted by the embedded proclamations,
// with close of business at 17:00 Europe/London unless options say otherwise.
// It never panics.
func EnglandAndWales(opts ...Option) *Calendar {
	c := &Calendar{
		loc:       London(),
		cobHour:   defaultCOBHour,
		cobMinute: defaultCOBMinute,
		other:     make(map[int]map[int]struct{}),
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if !c.procSet {
		c.rawProcs = Proclamations()
	}
	c.procs = compileProclamations(c.rawProcs)

	c.firstDay = daysFromCivil(MinPrecomputedYear, 1, 1)
	c.lastDay = daysFromCivil(MaxPrecomputedYear, 12, 31)
	c.bits = make([]uint64, (c.lastDay-c.firstDay)/64+1)
	for y := MinPrecomputedYear; y <= MaxPrecomputedYear; y++ {
		for _, z := range computeYear(y, c.procs) {
			i := z - c.firstDay
			c.bits[i/64] |= 1 << (uint(i) % 64)
		}
	}
	return c
}

// Holidays returns the bank holidays falling in year, sorted, as date values
// (midnight UTC). Years outside 2000–2100 are computed by rule.
func (c *Calendar) Holidays(year int) []time.Time {
	days := computeYear(year, c.procs)
	out := make([]time.Time, len(days))
	for i, z := range days {
		out[i] = dayToTime(z)
	}
	return out
}

// IsHoliday reports whether the calendar date of t in the calendar's location
// (Europe/London by default) is a bank holiday. A date value from Holidays
// (midnight UTC) falls on the same date in Europe/London.
func (c *Calendar) IsHoliday(t time.Time) bool {
	return c.holiday(c.localDay(t))
}

// IsWorkingDay reports whether the calendar date of t in the calendar's
// location (Europe/London by default) is Monday to Friday and not a bank
// holiday.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	return c.working(c.localDay(t))
}

// AddWorkingDays returns close of business (17:00 local by default) on the
// nth working day after the local calendar day of t, whatever the time of day
// of t: one working day from Thursday 10:00 or 23:59 is Friday at close of
// business. The result is in UTC.
//
// For n ≤ 0 it returns close of business on the day of t if that is a working
// day, otherwise on the next working day; that instant may be earlier than t.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	z := c.localDay(t)
	if n <= 0 {
		for !c.working(z) {
			z++
		}
	} else {
		for n > 0 {
			z++
			if c.working(z) {
				n--
			}
		}
	}
	return c.at(z, c.cobHour, c.cobMinute)
}

// NextWorkingDay returns the start (local midnight) of the first working day
// after the local calendar day of t, in UTC.
func (c *Calendar) NextWorkingDay(t time.Time) time.Time {
	z := c.localDay(t) + 1
	for !c.working(z) {
		z++
	}
	return c.at(z, 0, 0)
}

func (c *Calendar) localDay(t time.Time) int {
	y, m, d := t.In(c.loc).Date()
	return daysFromCivil(y, int(m), d)
}

func (c *Calendar) at(z, hour, minute int) time.Time {
	y, m, d := civilFromDays(z)
	return time.Date(y, time.Month(m), d, hour, minute, 0, 0, c.loc).UTC()
}

func (c *Calendar) working(z int) bool {
	switch weekdayOf(z) {
	case time.Saturday, time.Sunday:
		return false
	}
	return !c.holiday(z)
}

func (c *Calendar) holiday(z int) bool {
	if z >= c.firstDay && z <= c.lastDay {
		i := z - c.firstDay
		return c.bits[i/64]&(1<<(uint(i)%64)) != 0
	}
	y, _, _ := civilFromDays(z)
	c.mu.Lock()
	defer c.mu.Unlock()
	set, ok := c.other[y]
	if !ok {
		days := computeYear(y, c.procs)
		set = make(map[int]struct{}, len(days))
		for _, d := range days {
			set[d] = struct{}{}
		}
		c.other[y] = set
	}
	_, hol := set[z]
	return hol
}
