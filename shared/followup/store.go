package followup

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// Errors a store returns.
var (
	// ErrNotFound: there is no follow-up with that id.
	ErrNotFound = errors.New("follow-up not found")
	// ErrChanged: the follow-up's version is not the one the change was
	// made on; someone changed it in between.
	ErrChanged = errors.New("follow-up changed since it was read")
)

// ListQuery asks for a page of follow-ups.
type ListQuery struct {
	// Providers and Statuses: follow-ups of any of these providers in any
	// of these statuses. Both must be given.
	Providers []Provider
	Statuses  []Status
	// Overdue, when not nil, keeps only follow-ups that were (true) or were
	// never (false) flagged overdue.
	Overdue *bool
	// Cursor is where the previous page ended ("" for the first page); it
	// is only good for the same Providers, Statuses and Overdue.
	Cursor string
	// Limit is the most follow-ups on the page.
	Limit int
}

// Page is one page of follow-ups, most urgent first: those flagged overdue
// before the others, then by due time, earliest first.
type Page struct {
	FollowUps []FollowUp
	// Next is the cursor of the next page, or "" when this is the last.
	Next string
}

// ParseID returns the command whose FollowUpID is id (without its StartAt),
// and true, when id is a readable follow-up id
// ("FU-<kind>-<source>-<sourceId>-<childIndex>"); otherwise false. It lets
// a store find a follow-up beside the record it comes from.
func ParseID(id string) (Command, bool) {
	parts := strings.Split(id, "-")
	if len(parts) != 5 || parts[0] != "FU" || !ids.IsULID(parts[3]) {
		return Command{}, false
	}
	var c Command
	for _, k := range Kinds {
		if k.code() == parts[1] {
			c.Kind = k
		}
	}
	for _, s := range []SourceType{SourceReferral, SourceCustodyRequest} {
		if s.code() == parts[2] {
			c.SourceType = s
		}
	}
	n, err := strconv.Atoi(parts[4])
	if c.Kind == "" || c.SourceType == "" || err != nil || n < 0 {
		return Command{}, false
	}
	c.Type, c.SourceID, c.ChildIndex = CommandType, parts[3], n
	// The id must be the one the command gives (no "01" for "1") and the
	// command one Validate would accept, but for its start time.
	c.StartAt = time.Unix(0, 0)
	if c.FollowUpID() != id || c.Validate() != nil {
		return Command{}, false
	}
	c.StartAt = time.Time{}
	return c, true
}
