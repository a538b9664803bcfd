package triage_test

import (
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/triage"
)

// utc parses an RFC 3339 instant; the expectations below are written in UTC,
// worked out by hand from London local time (GMT = UTC+0 from 25 Oct 2026 to
// 28 Mar 2027, BST = UTC+1 otherwise).
func utc(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDueTimesDefaultRules(t *testing.T) {
	rs := triage.DefaultRules()
	cal := calendar.EnglandAndWales()
	tests := []struct {
		name     string
		received string
		red      string // 4 elapsed hours
		amber    string // 17:00 London, 1 working day on; also the screening due time
		green    string // 17:00 London, 3 working days on
	}{
		{"Thursday morning, GMT", "2026-11-05T09:30:00Z",
			"2026-11-05T13:30:00Z", "2026-11-06T17:00:00Z", "2026-11-10T17:00:00Z"},
		{"Thursday morning, BST", "2026-06-11T09:00:00+01:00",
			"2026-06-11T12:00:00Z", "2026-06-12T16:00:00Z", "2026-06-16T16:00:00Z"},
		{"Friday 16:59 London, GMT", "2026-11-06T16:59:00Z",
			"2026-11-06T20:59:00Z", "2026-11-09T17:00:00Z", "2026-11-11T17:00:00Z"},
		{"Friday 16:59 London, BST", "2026-07-10T15:59:00Z",
			"2026-07-10T19:59:00Z", "2026-07-13T16:00:00Z", "2026-07-15T16:00:00Z"},
		// 23:30 UTC on Thursday is 00:30 BST on Friday: the London day counts.
		{"Thursday 23:30 UTC is Friday in London", "2026-07-09T23:30:00Z",
			"2026-07-10T03:30:00Z", "2026-07-13T16:00:00Z", "2026-07-15T16:00:00Z"},
		{"Saturday", "2026-11-07T10:00:00Z",
			"2026-11-07T14:00:00Z", "2026-11-09T17:00:00Z", "2026-11-11T17:00:00Z"},
		// Friday 23 Oct 2026 16:00 BST; by Monday London is on GMT, so 17:00 is 17:00Z.
		{"Friday before the October clock change", "2026-10-23T15:00:00Z",
			"2026-10-23T19:00:00Z", "2026-10-26T17:00:00Z", "2026-10-28T17:00:00Z"},
		// 00:30Z on Sun 25 Oct 2026 is 01:30 BST; clocks go back at 01:00Z.
		// Four elapsed hours is 04:30Z (04:30 GMT), three hours later on the wall clock.
		{"October clock change day", "2026-10-25T00:30:00Z",
			"2026-10-25T04:30:00Z", "2026-10-26T17:00:00Z", "2026-10-28T17:00:00Z"},
		// Good Friday 26 Mar 2027 and Easter Monday 29 Mar are holidays; clocks
		// go forward on Sun 28 Mar, so Tuesday 17:00 BST is 16:00Z.
		{"Thursday before Easter 2027", "2027-03-25T14:00:00Z",
			"2027-03-25T18:00:00Z", "2027-03-30T16:00:00Z", "2027-04-01T16:00:00Z"},
		{"Good Friday 2027", "2027-03-26T10:00:00Z",
			"2027-03-26T14:00:00Z", "2027-03-30T16:00:00Z", "2027-04-01T16:00:00Z"},
		// 00:30Z on Sun 28 Mar 2027 is 00:30 GMT; clocks go forward at 01:00Z.
		// Four elapsed hours is 04:30Z = 05:30 BST, not 04:30 BST.
		{"March 2027 clock change day (Easter Sunday)", "2027-03-28T00:30:00Z",
			"2027-03-28T04:30:00Z", "2027-03-30T16:00:00Z", "2027-04-01T16:00:00Z"},
		{"March 2027 clock change day, afternoon", "2027-03-28T15:00:00+01:00",
			"2027-03-28T18:00:00Z", "2027-03-30T16:00:00Z", "2027-04-01T16:00:00Z"},
		// Christmas Day is Fri 25 Dec 2026; Boxing Day is Sat 26 Dec, substitute Mon 28 Dec.
		{"Christmas Eve 2026", "2026-12-24T11:00:00Z",
			"2026-12-24T15:00:00Z", "2026-12-29T17:00:00Z", "2026-12-31T17:00:00Z"},
		{"Christmas Eve 2026, 22:00", "2026-12-24T22:00:00Z",
			"2026-12-25T02:00:00Z", "2026-12-29T17:00:00Z", "2026-12-31T17:00:00Z"},
		// New Year's Day 2027 is Friday 1 January.
		{"Wednesday 30 Dec 2026", "2026-12-30T09:00:00Z",
			"2026-12-30T13:00:00Z", "2026-12-31T17:00:00Z", "2027-01-05T17:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			received := utc(t, tt.received)
			for _, c := range []struct {
				p    triage.Priority
				want string
			}{{triage.Red, tt.red}, {triage.Amber, tt.amber}, {triage.Green, tt.green}} {
				screening, due := rs.DueTimes(c.p, received, cal)
				if want := utc(t, c.want); !due.Equal(want) {
					t.Errorf("%s due = %s, want %s", c.p, due.Format(time.RFC3339), want.Format(time.RFC3339))
				}
				if want := utc(t, tt.amber); !screening.Equal(want) {
					t.Errorf("%s: screening due = %s, want %s (1 working day)", c.p, screening.Format(time.RFC3339), want.Format(time.RFC3339))
				}
				if due.Location() != time.UTC || screening.Location() != time.UTC {
					t.Errorf("%s: due times not in UTC: %v, %v", c.p, due.Location(), screening.Location())
				}
			}
		})
	}
}

// countingDays is a fake calendar: every day is a working day, with close of
// business at midnight UTC; it counts its calls.
type countingDays struct{ calls int }

func (c *countingDays) AddWorkingDays(t time.Time, n int) time.Time {
	c.calls++
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d+n, 0, 0, 0, 0, time.UTC)
}

func TestLimitDue(t *testing.T) {
	start := time.Date(2026, 5, 5, 10, 15, 0, 0, time.FixedZone("X", 3*3600)) // 07:15Z
	tests := []struct {
		name      string
		l         triage.Limit
		want      time.Time
		wantCalls int
	}{
		{"hours ignore the calendar", triage.Limit{Hours: 30}, time.Date(2026, 5, 6, 13, 15, 0, 0, time.UTC), 0},
		{"working days use the calendar", triage.Limit{WorkingDays: 2}, time.Date(2026, 5, 7, 0, 0, 0, 0, time.UTC), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := &countingDays{}
			got := tt.l.Due(start, cal)
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("Due = %v, want %v in UTC", got, tt.want)
			}
			if cal.calls != tt.wantCalls {
				t.Errorf("calendar called %d times, want %d", cal.calls, tt.wantCalls)
			}
		})
	}
}
