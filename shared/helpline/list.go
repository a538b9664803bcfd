package helpline

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/internal/lazyre"
	"github.com/csc-frontdoor/frontdoor/shared/page"
)

// Limits on a list of calls.
const (
	// DefaultRange is how far back a list goes when from is not given.
	DefaultRange = 30 * 24 * time.Hour
	// MaxRange is the longest range one list may cover: a quarter.
	MaxRange = 92 * 24 * time.Hour
)

// ListFilters are the query parameters GET /helpline-calls takes besides
// cursor and limit.
var ListFilters = []string{"from", "to", "safeguardingConcern", "loggedBy"}

// callList is how messages name the list.
const callList = "the list of helpline calls"

// ListQuery asks for the calls that started in [From, To), newest first.
type ListQuery struct {
	// From and To bound when the calls started, in UTC: From included, To
	// not.
	From, To time.Time
	// Concern, when set, keeps only the calls logged with (true) or
	// without (false) a safeguarding concern.
	Concern *bool
	// Mine keeps only the calls the caller logged; LoggedBy is then the
	// caller's subject, which the service sets.
	Mine     bool
	LoggedBy string
	// After, when set, is the last call of the previous page: the list
	// goes on with the calls after it in newest-first order.
	After *Position
	// Limit is the most calls to return, 1 to page.MaxLimit.
	Limit int
}

// Position is a call's place in a list: newest first by CalledAt, then by
// ID, highest first.
type Position struct {
	CalledAt time.Time
	ID       string
}

// PositionOf returns the place of a call in a list.
func PositionOf(r *Record) Position { return Position{CalledAt: r.CalledAt, ID: r.ID} }

// Page is one page of a list of calls.
type Page struct {
	Calls []Record `json:"calls"`
	// From and To are the range listed, From included, To not.
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Next, when present, asks for the next page: send it as cursor with
	// the same from, to and safeguardingConcern, or with none of them.
	Next string `json:"next,omitempty"`
}

// london is the zone in which a date in a list's range is a day.
var london = calendar.London

// dateOnly matches a date without a time.
var dateOnly = lazyre.New(`^\d{4}-\d{2}-\d{2}$`)

// ParseListQuery reads the query parameters of GET /helpline-calls, as
// asked at now:
//
//   - from and to: a date (YYYY-MM-DD, a whole day in England: from starts
//     the day, to ends it) or a date and time with its offset (RFC 3339; to
//     is then not included). By default to is now, allowing for callers'
//     clocks a little fast, and from is DefaultRange before to. The range
//     is at most MaxRange.
//   - safeguardingConcern: true or false, to keep only those calls.
//   - loggedBy: me, to keep only the calls the caller logged.
//   - cursor: the next of the previous page. It holds the range and
//     filter of its list: from, to and safeguardingConcern may be left out,
//     and when given must be the same as for the first page.
//   - limit: 1 to page.MaxLimit, page.DefaultLimit by default.
//
// Any other parameter is refused, so that a misspelt filter is not
// silently ignored. Every problem is listed in one *apperr.Error with code
// apperr.Malformed, each naming its parameter.
func ParseListQuery(params map[string]string, now time.Time) (ListQuery, error) {
	p := page.Parse(callList, params, ListFilters...)
	q := ListQuery{Limit: p.Limit()}
	from, fromOK := parseTime(p, "from", false)
	to, toOK := parseTime(p, "to", true)
	q.Concern = p.Bool("safeguardingConcern")
	if v, ok := p.Get("loggedBy"); ok {
		if v != "me" {
			p.Fail("loggedBy", "Enter loggedBy as me, to list only the calls you logged, or leave it out")
		}
		q.Mine = true
	}
	// A range that is wrong is the fault of to, or of the cursor it came
	// from.
	rangeField, rangeMsg := "to", ""
	if v := p.Cursor(); v != "" {
		// The cursor holds the range and filter of its list: what the query
		// leaves out comes from it, and what the query gives must match it.
		c, err := parseCursor(v)
		switch {
		case err != nil:
			p.Fail(page.ParamCursor, msgCursor)
		case !fromOK || !toOK:
		case !from.IsZero() && !from.Equal(c.from), !to.IsZero() && !to.Equal(c.to), p.Has("safeguardingConcern") && !sameConcern(q.Concern, c.concern),
			p.Has("loggedBy") && q.Mine != c.mine:
			p.Fail(page.ParamCursor, "This cursor belongs to a list with another from, to, safeguardingConcern or loggedBy. "+
				"Send it with the same ones as the first page, or leave cursor out to start again")
		default:
			from, to, q.Concern, q.Mine, q.After = c.from, c.to, c.concern, c.mine, &c.after
			rangeField, rangeMsg = page.ParamCursor, msgCursor
		}
	}
	if fromOK && toOK {
		switch {
		case to.IsZero() && from.IsZero():
			to = now.UTC().Add(MaxCalledAhead).Truncate(time.Millisecond)
			from = to.Add(-DefaultRange)
		case to.IsZero():
			to = now.UTC().Add(MaxCalledAhead).Truncate(time.Millisecond)
			if to.Sub(from) > MaxRange {
				to = from.Add(MaxRange)
			}
		case from.IsZero():
			from = to.Add(-DefaultRange)
		}
		switch {
		case !from.Before(to):
			p.Fail(rangeField, cmp.Or(rangeMsg, "Enter a to that is after from"))
		case to.Sub(from) > MaxRange:
			p.Fail(rangeField, cmp.Or(rangeMsg, fmt.Sprintf("Ask for at most %d days at a time: bring from and to closer together", int(MaxRange/(24*time.Hour)))))
		case q.After != nil && (q.After.CalledAt.Before(from) || !q.After.CalledAt.Before(to)):
			p.Fail(page.ParamCursor, msgCursor)
		}
	}
	q.From, q.To = from, to
	if err := p.Err(); err != nil {
		return ListQuery{}, err
	}
	return q, nil
}

// parseTime reads from or to: zero when absent; ok false when it cannot be
// read. A date is a day in England: end says whether the moment wanted is
// the end of that day (the start of the next) rather than its start.
func parseTime(p *page.Query, name string, end bool) (time.Time, bool) {
	v, present := p.Get(name)
	if !present {
		return time.Time{}, true
	}
	if dateOnly().MatchString(v) {
		d, err := time.ParseInLocation("2006-01-02", v, london())
		if err == nil && calendar.InRange(d) {
			if end {
				d = d.AddDate(0, 0, 1)
			}
			return d.UTC(), true
		}
	} else if t, err := time.Parse(time.RFC3339, v); err == nil && calendar.InRange(t) {
		return t.UTC().Truncate(time.Millisecond), true
	}
	p.Fail(name, fmt.Sprintf("Enter %s as a date from %d to %d, like 2026-11-20, or a date and time with its offset from UTC, like 2026-11-20T14:30:00Z", name, calendar.FirstYear, calendar.LastYear))
	return time.Time{}, false
}

// cursorJSON is what a cursor holds: the range and filter of its list and
// the last call of the previous page.
type cursorJSON struct {
	From    string `json:"f"`
	To      string `json:"t"`
	Concern *bool  `json:"c,omitempty"`
	Mine    bool   `json:"m,omitempty"`
	At      string `json:"at"`
	ID      string `json:"id"`
}

// listCursor is a cursor read.
type listCursor struct {
	from, to time.Time
	concern  *bool
	mine     bool
	after    Position
}

// Cursor returns the opaque cursor for the page of q after pos.
func Cursor(q ListQuery, pos Position) string {
	return page.Encode(cursorJSON{
		From: q.From.UTC().Format(time.RFC3339Nano), To: q.To.UTC().Format(time.RFC3339Nano), Concern: q.Concern, Mine: q.Mine,
		At: pos.CalledAt.UTC().Format(time.RFC3339Nano), ID: pos.ID,
	})
}

func sameConcern(a, b *bool) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

const msgCursor = "This cursor cannot be read. Send the next of the previous page exactly as it came, or leave cursor out to start from the first page"

// parseCursor reads a cursor, or returns page.ErrBadCursor.
func parseCursor(s string) (listCursor, error) {
	var c listCursor
	var raw cursorJSON
	if err := page.Decode(s, &raw); err != nil {
		return c, err
	}
	var errs [3]error
	c.from, errs[0] = time.Parse(time.RFC3339Nano, raw.From)
	c.to, errs[1] = time.Parse(time.RFC3339Nano, raw.To)
	c.after.CalledAt, errs[2] = time.Parse(time.RFC3339Nano, raw.At)
	if errors.Join(errs[:]...) != nil || !ids.IsULID(raw.ID) {
		return c, page.ErrBadCursor
	}
	c.from, c.to, c.after.CalledAt = c.from.UTC(), c.to.UTC(), c.after.CalledAt.UTC()
	c.concern, c.mine, c.after.ID = raw.Concern, raw.Mine, raw.ID
	return c, nil
}
