package followup

import (
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
)

// WorkingDays counts working days. *calendar.Calendar satisfies it.
type WorkingDays interface {
	// AddWorkingDays returns close of business on the nth working day after
	// the local calendar day of t, in UTC.
	AddWorkingDays(t time.Time, n int) time.Time
}

// TimeOfDay is a wall-clock time in a Clocks' Location.
type TimeOfDay struct {
	Hour, Minute, Second int
}

func (t TimeOfDay) valid() bool {
	return t.Hour >= 0 && t.Hour < 24 && t.Minute >= 0 && t.Minute < 60 && t.Second >= 0 && t.Second < 60
}

func (t TimeOfDay) seconds() int { return t.Hour*3600 + t.Minute*60 + t.Second }

// Clocks holds how long each kind of follow-up has. DefaultClocks gives the
// front door's settings; every field can be changed.
type Clocks struct {
	// ReturnHomeInterview is the elapsed time from a child's return to the
	// return home interview: 72 hours by default. It is elapsed time, not
	// wall-clock time: across a change of the clocks the local due time moves
	// by an hour.
	ReturnHomeInterview time.Duration
	// AppropriateAdult is the elapsed time from the request to the
	// appropriate adult's arrival: 2 hours by default.
	AppropriateAdult time.Duration
	// S38EndOfDay is when s38(6) accommodation is due on the local day the
	// request was received: 23:59:59 by default.
	S38EndOfDay TimeOfDay
	// S38LateAfter is the local time from which a request counts as late:
	// 21:00:00 by default. A request received at or after it is due at
	// S38NextMorning on the next local day.
	S38LateAfter TimeOfDay
	// S38NextMorning is when s38(6) accommodation for a late request is due
	// on the next local day: 06:00:00 by default.
	S38NextMorning TimeOfDay
	// FGMWorkingDays is how many working days after the referral was received
	// the FGM police report is due, at close of business: 1 by default.
	FGMWorkingDays int
	// Location is the local time zone of the s38(6) clock; nil means
	// Europe/London. (The FGM clock uses the WorkingDays calendar's own time
	// zone; the elapsed-time clocks need none.)
	Location *time.Location
}

// DefaultClocks returns the front door's clocks: a return home interview 72
// hours after the return, an appropriate adult 2 hours after the request,
// s38(6) accommodation the same night (23:59:59, or 06:00 the next morning
// for a request at or after 21:00) in Europe/London, and the FGM police report
// by close of the next working day.
func DefaultClocks() Clocks {
	return Clocks{
		ReturnHomeInterview: 72 * time.Hour,
		AppropriateAdult:    2 * time.Hour,
		S38EndOfDay:         TimeOfDay{Hour: 23, Minute: 59, Second: 59},
		S38LateAfter:        TimeOfDay{Hour: 21},
		S38NextMorning:      TimeOfDay{Hour: 6},
		FGMWorkingDays:      1,
	}
}

// Validate reports whether the clocks make sense: positive durations, valid
// times of day with the late cut-off no later than the end of the day, and at
// least one working day for the FGM report. The error is an *apperr.Error
// with code Internal, since clocks are configuration, not caller input.
func (c Clocks) Validate() error {
	switch {
	case c.ReturnHomeInterview <= 0:
		return apperr.New(apperr.Internal, "the return home interview clock must be positive")
	case c.AppropriateAdult <= 0:
		return apperr.New(apperr.Internal, "the appropriate adult clock must be positive")
	case !c.S38EndOfDay.valid() || !c.S38LateAfter.valid() || !c.S38NextMorning.valid():
		return apperr.New(apperr.Internal, "the s38(6) clock times must be valid times of day")
	case c.S38LateAfter.seconds() > c.S38EndOfDay.seconds():
		return apperr.New(apperr.Internal, "the s38(6) late cut-off must not be after the end of the day")
	case c.FGMWorkingDays < 1:
		return apperr.New(apperr.Internal, "the FGM police report clock must be at least one working day")
	}
	return nil
}

// location is the zone the s38(6) clock counts its evening in: Location,
// or Europe/London.
func (c Clocks) location() *time.Location {
	if c.Location != nil {
		return c.Location
	}
	return calendar.London()
}

// Due returns when a follow-up of kind k whose clock started at start is due,
// in UTC:
//
//   - RETURN_HOME_INTERVIEW: start + ReturnHomeInterview (72 h of elapsed
//     time; a return at 20:00 BST on the Saturday before the clocks go back
//     is due at 19:00 GMT on the Tuesday).
//   - APPROPRIATE_ADULT: start + AppropriateAdult (2 h of elapsed time).
//   - S38_ACCOMMODATION: "same night". Take the local (Location) day and
//     wall-clock time of start. If that time is before S38LateAfter (21:00),
//     it is due at S38EndOfDay (23:59:59) local on that same day; if it is at
//     or after S38LateAfter, at S38NextMorning (06:00) local on the next day.
//     Local times are wall-clock times, so the rule holds on the days the
//     clocks change (neither 23:59:59 nor 06:00 falls in a change in
//     Europe/London).
//   - FGM_POLICE_REPORT: cal.AddWorkingDays(start, FGMWorkingDays), close of
//     business on the next working day after the day the referral was
//     received; cal must not be nil.
//
// The error is an *apperr.Error: Invalid for an unknown kind or a zero start,
// Internal for invalid clocks or a missing calendar.
func (c Clocks) Due(k Kind, start time.Time, cal WorkingDays) (time.Time, error) {
	if !k.Valid() {
		return time.Time{}, apperr.New(apperr.Invalid, "unknown follow-up kind")
	}
	if start.IsZero() {
		return time.Time{}, apperr.New(apperr.Invalid, "the follow-up's clock has no start time")
	}
	if err := c.Validate(); err != nil {
		return time.Time{}, err
	}
	switch k {
	case KindReturnHomeInterview:
		return start.Add(c.ReturnHomeInterview).UTC(), nil
	case KindAppropriateAdult:
		return start.Add(c.AppropriateAdult).UTC(), nil
	case KindS38Accommodation:
		loc := c.location()
		local := start.In(loc)
		y, m, d := local.Date()
		at := c.S38EndOfDay
		h, mi, s := local.Clock()
		if (TimeOfDay{h, mi, s}).seconds() >= c.S38LateAfter.seconds() {
			at, d = c.S38NextMorning, d+1 // time.Date normalises the day
		}
		return time.Date(y, m, d, at.Hour, at.Minute, at.Second, 0, loc).UTC(), nil
	default: // KindFGMPoliceReport
		if cal == nil {
			return time.Time{}, apperr.New(apperr.Internal, "no working-day calendar for the FGM police report clock")
		}
		return cal.AddWorkingDays(start, c.FGMWorkingDays).UTC(), nil
	}
}
