// Package page is the one way the front door's lists are paged: the query
// parameters every list takes (limit and cursor, and its own filters), the
// refusal of any other, and the opaque cursor that says where a page ended.
//
// A page's JSON names the cursor of the next page "next", on every list; it
// is absent on the last page. A client sends it back as the cursor
// parameter, unchanged, with the same filters.
package page

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// Limits of every list.
const (
	// DefaultLimit is how many items a page holds when limit is left out.
	DefaultLimit = 25
	// MaxLimit is the most items a page may hold.
	MaxLimit = 100
	// MaxCursor is the longest cursor any list accepts, in characters.
	MaxCursor = 4096
)

// The parameters every list takes.
const (
	ParamCursor = "cursor"
	ParamLimit  = "limit"
)

// ErrBadCursor is what Decode, and a store reading a cursor, return for a
// cursor that was not made for the list asked for.
var ErrBadCursor = errors.New("bad cursor")

// Encode returns the opaque cursor of v, a struct of the store's own: its
// JSON in base64url. Encode panics if v cannot be marshalled, which is a
// programming error.
func Encode(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("page: cursor: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Decode reads a cursor made by Encode into v, strictly: no longer than
// MaxCursor, base64url of one JSON object with no member v does not have,
// and nothing after it. It returns ErrBadCursor otherwise. What the members
// hold is for the caller to check.
func Decode(cursor string, v any) error {
	if cursor == "" || len(cursor) > MaxCursor {
		return ErrBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !bytes.HasPrefix(b, []byte("{")) {
		return ErrBadCursor
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return ErrBadCursor
	}
	// Nothing may follow the value, not even a stray bracket.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return ErrBadCursor
	}
	return nil
}

// Query reads the query parameters of one list, collecting every problem so
// that all are told at once.
type Query struct {
	list   string
	params map[string]string
	fields []apperr.FieldError
}

// Parse starts reading params for the list named (as a message says it:
// "the triage queue"). Besides cursor and limit the list takes only the
// filters named; any other parameter is a problem, so that a misspelt
// filter is never silently ignored.
func Parse(list string, params map[string]string, filters ...string) *Query {
	q := &Query{list: list, params: params}
	known := append(slices.Clone(filters), ParamCursor, ParamLimit)
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if slices.Contains(known, name) {
			continue
		}
		if strictjson.PlausibleName(name) {
			q.Fail(name, fmt.Sprintf("%s is not a parameter of %s. Use %s.", name, list, orList(known)))
		} else {
			// Not repeated: it may be anything, data included.
			q.Fail("", fmt.Sprintf("The query has a parameter that is not one of %s.", orList(known)))
		}
	}
	return q
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Fail records a problem with a parameter.
func (q *Query) Fail(field, message string) {
	q.fields = append(q.fields, apperr.FieldError{Field: field, Message: message})
}

// Has reports whether the parameter was given.
func (q *Query) Has(name string) bool {
	_, ok := q.params[name]
	return ok
}

// Get returns the parameter's value, and whether it was given.
func (q *Query) Get(name string) (string, bool) {
	v, ok := q.params[name]
	return v, ok
}

// Limit returns the limit parameter: a whole number from 1 to MaxLimit,
// DefaultLimit when it is left out.
func (q *Query) Limit() int {
	v, ok := q.params[ParamLimit]
	if !ok {
		return DefaultLimit
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > MaxLimit || strconv.Itoa(n) != v {
		q.Fail(ParamLimit, fmt.Sprintf("The limit is a whole number from 1 to %d.", MaxLimit))
		return DefaultLimit
	}
	return n
}

// Cursor returns the cursor parameter, "" when it is left out. One that
// is given empty or longer than MaxCursor is a problem; what it holds is
// for the list's store to check.
func (q *Query) Cursor() string {
	v, ok := q.params[ParamCursor]
	if ok && (v == "" || len(v) > MaxCursor) {
		q.Fail(ParamCursor, cursorMessage(q.list))
	}
	return v
}

// Bool returns a true/false parameter, nil when it is left out.
func (q *Query) Bool(name string) *bool {
	v, ok := q.params[name]
	if !ok {
		return nil
	}
	switch v {
	case "true", "false":
		b := v == "true"
		return &b
	}
	q.Fail(name, fmt.Sprintf("Use %[1]s=true or %[1]s=false, or leave %[1]s out.", name))
	return nil
}

// Err returns every problem recorded, as one *apperr.Error with code
// apperr.Malformed naming each parameter at fault (sorted), or nil.
func (q *Query) Err() error {
	if len(q.fields) == 0 {
		return nil
	}
	fs := slices.Clone(q.fields)
	slices.SortStableFunc(fs, func(a, b apperr.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return &apperr.Error{Code: apperr.Malformed, Message: capitalise(q.list) + " cannot be listed with these parameters.", Fields: fs}
}

// CursorError is the error a list gives when its store refused the cursor
// (ErrBadCursor).
func CursorError(list string) error {
	return &apperr.Error{Code: apperr.Malformed, Message: capitalise(list) + " cannot be listed with these parameters.",
		Fields: []apperr.FieldError{{Field: ParamCursor, Message: cursorMessage(list)}}}
}

func cursorMessage(list string) string {
	return "This cursor cannot be read: it was not made by " + list + " with these filters. " +
		"Send the \"next\" of the page before exactly as it came, with the same filters, or leave cursor out to start from the first page."
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
