package helpline

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	// Dates in a list's range are days in England whatever the zone
	// database of the machine holds.

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// Limits on a list of calls.
const (
	// DefaultLimit and MaxLimit are the default and largest page sizes.
	DefaultLimit = 25
	MaxLimit     = 100
	// DefaultRange is how far back a list goes when from is not given.
	DefaultRange = 30 * 24 * time.Hour
	// MaxRange is the longest range one list may cover: a quarter.
	MaxRange = 92 * 24 * time.Hour
	// maxCursor is the longest cursor accepted, in characters.
	maxCursor = 400
)

// ListParameters are the query parameters GET /helpline-calls takes.
var ListParameters = []string{"from", "to", "safeguardingConcern", "cursor", "limit"}

// ListQuery asks for the calls that started in [From, To), newest first.
type ListQuery struct {
	// From and To bound when the calls started, in UTC: From included, To
	// not.
	From, To time.Time
	// Concern, when set, keeps only the calls logged with (true) or
	// without (false) a safeguarding concern.
	Concern *bool
	// After, when set, is the last call of the previous page: the list
	// goes on with the calls after it in newest-first order.
	After *Position
	// Limit is the most calls to return, 1 to MaxLimit.
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
	// NextCursor, when present, asks for the next page: send it as cursor
	// with the same from, to and safeguardingConcern.
	NextCursor string `json:"nextCursor,omitempty"`
}

// london is the zone in which a date in a list's range is a day.
var london = calendar.London

// dateOnly matches a date without a time.
var dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// ParseListQuery reads the query parameters of GET /helpline-calls, as
// asked at now:
//
//   - from and to: a date (YYYY-MM-DD, a whole day in England: from starts
//     the day, to ends it) or a date and time with its offset (RFC 3339; to
//     is then not included). By default to is now, allowing for callers'
//     clocks a little fast, and from is DefaultRange before to. The range
//     is at most MaxRange.
//   - safeguardingConcern: true or false, to keep only those calls.
//   - cursor: the nextCursor of the previous page. It holds the range and
//     filter of its list: from, to and safeguardingConcern may be left out,
//     and when given must be the same as for the first page.
//   - limit: 1 to MaxLimit, DefaultLimit by default.
//
// Any other parameter is refused, so that a misspelt filter is not
// silently ignored. Every problem is listed in one *apperr.Error with code
// apperr.Malformed, each naming its parameter.
func ParseListQuery(params map[string]string, now time.Time) (ListQuery, error) {
	p := &queryParser{params: params}
	q := ListQuery{Limit: DefaultLimit}
	for _, name := range sortedKeys(params) {
		if !slices.Contains(ListParameters, name) {
			if plausibleName.MatchString(name) {
				p.add(name, name+" is not a parameter of this list. Use "+strings.Join(ListParameters, ", "))
			} else {
				p.add("", "The query has a parameter that is not one of "+strings.Join(ListParameters, ", "))
			}
		}
	}
	from, fromOK := p.time("from", false)
	to, toOK := p.time("to", true)
	v, concernGiven := params["safeguardingConcern"]
	if concernGiven {
		switch v {
		case "true", "false":
			b := v == "true"
			q.Concern = &b
		default:
			p.add("safeguardingConcern", "Use safeguardingConcern=true or safeguardingConcern=false, or leave it out for every call")
		}
	}
	if v, ok := params["limit"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxLimit {
			p.add("limit", fmt.Sprintf("Enter a limit from 1 to %d", MaxLimit))
		}
		q.Limit = n
	}
	// A range that is wrong is the fault of to, or of the cursor it came
	// from.
	rangeField, rangeMsg := "to", ""
	if v, ok := params["cursor"]; ok {
		// The cursor holds the range and filter of its list: what the query
		// leaves out comes from it, and what the query gives must match it.
		c, msg := parseCursor(v)
		switch {
		case msg != "":
			p.add("cursor", msg)
		case !fromOK || !toOK:
		case !from.IsZero() && !from.Equal(c.from), !to.IsZero() && !to.Equal(c.to), concernGiven && !sameConcern(q.Concern, c.concern):
			p.add("cursor", "This cursor belongs to a list with another from, to or safeguardingConcern. "+
				"Send it with the same ones as the first page, or leave cursor out to start again")
		default:
			from, to, q.Concern, q.After = c.from, c.to, c.concern, &c.after
			rangeField, rangeMsg = "cursor", msgCursor
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
			p.add(rangeField, cmp.Or(rangeMsg, "Enter a to that is after from"))
		case to.Sub(from) > MaxRange:
			p.add(rangeField, cmp.Or(rangeMsg, fmt.Sprintf("Ask for at most %d days at a time: bring from and to closer together", int(MaxRange/(24*time.Hour)))))
		case q.After != nil && (q.After.CalledAt.Before(from) || !q.After.CalledAt.Before(to)):
			p.add("cursor", msgCursor)
		}
	}
	q.From, q.To = from, to
	if len(p.fields) > 0 {
		return ListQuery{}, &apperr.Error{
			Code:    apperr.Malformed,
			Message: strictjson.ProblemsMessage(len(p.fields), "The list of helpline calls cannot be given"),
			Fields:  p.fields,
		}
	}
	return q, nil
}

// plausibleName matches a parameter name that may be repeated in a message.
var plausibleName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,39}$`)

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

type queryParser struct {
	params map[string]string
	fields []apperr.FieldError
}

func (p *queryParser) add(field, msg string) {
	p.fields = append(p.fields, apperr.FieldError{Field: field, Message: msg})
}

// time reads from or to: zero when absent; ok false when it cannot be read.
// A date is a day in England: end says whether the moment wanted is the end
// of that day (the start of the next) rather than its start.
func (p *queryParser) time(name string, end bool) (time.Time, bool) {
	v, present := p.params[name]
	if !present {
		return time.Time{}, true
	}
	if dateOnly.MatchString(v) {
		d, err := time.ParseInLocation("2006-01-02", v, london)
		if err == nil {
			if end {
				d = d.AddDate(0, 0, 1)
			}
			return d.UTC(), true
		}
	} else if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC().Truncate(time.Millisecond), true
	}
	p.add(name, "Enter "+name+" as a date, like 2026-11-20, or a date and time with its offset from UTC, like 2026-11-20T14:30:00Z")
	return time.Time{}, false
}

// cursorJSON is what a cursor holds, before base64url: the range and
// filter of its list and the last call of the previous page.
type cursorJSON struct {
	From    string `json:"f"`
	To      string `json:"t"`
	Concern *bool  `json:"c,omitempty"`
	At      string `json:"at"`
	ID      string `json:"id"`
}

// listCursor is a cursor read.
type listCursor struct {
	from, to time.Time
	concern  *bool
	after    Position
}

// Cursor returns the opaque cursor for the page of q after pos.
func Cursor(q ListQuery, pos Position) string {
	b, _ := json.Marshal(cursorJSON{
		From: q.From.UTC().Format(time.RFC3339Nano), To: q.To.UTC().Format(time.RFC3339Nano), Concern: q.Concern,
		At: pos.CalledAt.UTC().Format(time.RFC3339Nano), ID: pos.ID,
	})
	return base64.RawURLEncoding.EncodeToString(b)
}

func sameConcern(a, b *bool) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

const msgCursor = "This cursor cannot be read. Send the nextCursor of the previous page exactly as it came, or leave cursor out to start from the first page"

// parseCursor reads a cursor, or says what is wrong with it.
func parseCursor(s string) (listCursor, string) {
	var c listCursor
	if s == "" || len(s) > maxCursor {
		return c, msgCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, msgCursor
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var raw cursorJSON
	if err := dec.Decode(&raw); err != nil || dec.More() {
		return c, msgCursor
	}
	var errs [3]error
	c.from, errs[0] = time.Parse(time.RFC3339Nano, raw.From)
	c.to, errs[1] = time.Parse(time.RFC3339Nano, raw.To)
	c.after.CalledAt, errs[2] = time.Parse(time.RFC3339Nano, raw.At)
	if errors.Join(errs[:]...) != nil || !ids.IsULID(raw.ID) {
		return c, msgCursor
	}
	c.from, c.to, c.after.CalledAt = c.from.UTC(), c.to.UTC(), c.after.CalledAt.UTC()
	c.concern, c.after.ID = raw.Concern, raw.ID
	return c, ""
}
