package triage

import (
	"fmt"
	"time"
)

// WorkingDays counts working days; *calendar.Calendar is one.
type WorkingDays interface {
	// AddWorkingDays returns close of business on the nth working day after
	// the day of t.
	AddWorkingDays(t time.Time, n int) time.Time
}

// Limit is a clock's limit: elapsed hours, or working days ending at close
// of business. Exactly one is set.
type Limit struct {
	Hours       int `json:"hours,omitempty"`
	WorkingDays int `json:"workingDays,omitempty"`
}

// Due is when a clock with this limit that started at start runs out.
func (l Limit) Due(start time.Time, cal WorkingDays) time.Time {
	if l.Hours > 0 {
		return start.UTC().Add(time.Duration(l.Hours) * time.Hour)
	}
	return cal.AddWorkingDays(start, l.WorkingDays).UTC()
}

func (l Limit) valid() bool { return (l.Hours > 0) != (l.WorkingDays > 0) }

// Clocks are the statutory and local clocks that start when a referral is
// received.
type Clocks struct {
	// ScreeningWorkingDays is the limit for the screening decision.
	ScreeningWorkingDays int `json:"screeningWorkingDays"`
	// Priority is the limit for each priority.
	Priority map[Priority]Limit `json:"priority"`
}

func (c Clocks) check() []error {
	var errs []error
	if c.ScreeningWorkingDays < 1 {
		errs = append(errs, fmt.Errorf("clocks: screeningWorkingDays must be at least 1"))
	}
	for _, p := range []Priority{Red, Amber, Green} {
		if l, ok := c.Priority[p]; !ok || !l.valid() {
			errs = append(errs, fmt.Errorf("clocks: priority %s needs exactly one of hours or workingDays, above 0", p))
		}
	}
	for p := range c.Priority {
		if p.rank() < 0 {
			errs = append(errs, fmt.Errorf("clocks: %q is not RED, AMBER or GREEN", p))
		}
	}
	return errs
}

// DueTimes returns when the screening decision and the priority's clock are
// due for a referral received at received.
func (rs *Rules) DueTimes(p Priority, received time.Time, cal WorkingDays) (screening, priority time.Time) {
	screening = rs.ScreeningDue(received, cal)
	priority = rs.Clocks.Priority[p].Due(received, cal)
	return screening, priority
}

// ScreeningDue is when the screening decision on a referral received then
// is due: what a referrer is told on submitting it.
func (rs *Rules) ScreeningDue(received time.Time, cal WorkingDays) time.Time {
	return cal.AddWorkingDays(received, rs.Clocks.ScreeningWorkingDays).UTC()
}
