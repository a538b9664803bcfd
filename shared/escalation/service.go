package escalation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/page"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// The audit actions of this package, filed under the referral or follow-up
// an escalation is about.
const (
	ActionListed       audit.Action = "escalation.listed"
	ActionAcknowledged audit.Action = "escalation.acknowledged"
)

// Limits of an acknowledgement.
const (
	// MaxNote is the most characters a note may have.
	MaxNote = 1000
	// MaxBody is the largest acknowledgement body accepted, in bytes.
	MaxBody = 8 << 10
)

// Errors a Store returns.
var (
	// ErrNotFound: there is no escalation with that key.
	ErrNotFound = errors.New("escalation not found")
	// ErrNotOpen: the escalation is no longer open (it was acknowledged
	// meanwhile).
	ErrNotOpen = errors.New("escalation not open")
)

// Query selects a page of escalations.
type Query struct {
	Status Status
	// Cursor is where the last page ended; empty for the first page.
	Cursor string
	Limit  int
}

// Store reads and acknowledges escalations.
type Store interface {
	// Escalations returns a page of escalations in q.Status, each with its
	// referral or follow-up, and the cursor of the next page (empty at the
	// end): open ones oldest raised first, acknowledged ones most recently
	// acknowledged first. It returns page.ErrBadCursor for a cursor it did not
	// make for that status.
	Escalations(ctx context.Context, q Query) ([]Record, string, error)
	// Escalation returns the escalation with key k and its referral or
	// follow-up, or an error wrapping ErrNotFound.
	Escalation(ctx context.Context, k Key) (*Record, error)
	// Acknowledge records a, and writes entry, in one transaction, on
	// condition that the escalation is open; an error wrapping ErrNotOpen
	// when it is not.
	Acknowledge(ctx context.Context, k Key, a Acknowledgement, entry audit.Entry) error
	// AppendAudits writes audit entries, none overwriting another.
	AppendAudits(ctx context.Context, es []audit.Entry) error
}

// Service serves the MASH manager's escalations.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service. now is the clock; pass time.Now in production.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// Page is one page of escalations.
type Page struct {
	Items []Escalation `json:"items"`
	// Next is the cursor of the next page; empty on the last.
	Next string `json:"next,omitempty"`
}

// escalationList is how messages name the list.
const escalationList = "the list of escalations"

// ParseQuery reads the query string of GET /escalations: status (open or
// acknowledged), cursor and limit, naming each parameter at fault.
func ParseQuery(params map[string]string) (Query, error) {
	p := page.Parse(escalationList, params, "status")
	q := Query{Status: StatusOpen, Cursor: p.Cursor(), Limit: p.Limit()}
	if v, ok := p.Get("status"); ok {
		switch s := Status(v); s {
		case StatusOpen, StatusAcknowledged:
			q.Status = s
		default:
			p.Fail("status", "The status is open or acknowledged.")
		}
	}
	if err := p.Err(); err != nil {
		return Query{}, err
	}
	return q, nil
}

// List returns a page of escalations and audits each one listed, under the
// referral or follow-up it is about, before returning it.
func (s *Service) List(ctx context.Context, q Query, req audit.Request) (*Page, error) {
	recs, next, err := s.store.Escalations(ctx, q)
	if errors.Is(err, page.ErrBadCursor) {
		return nil, page.CursorError(escalationList)
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The escalations could not be read just now. Please try again.")
	}
	now := s.now().UTC()
	out := &Page{Items: make([]Escalation, 0, len(recs)), Next: next}
	entries := make([]audit.Entry, 0, len(recs))
	for _, r := range recs {
		out.Items = append(out.Items, View(r, false))
		entries = append(entries, req.Entry(r.Key.Subject, ActionListed, now))
	}
	if err := s.store.AppendAudits(ctx, entries); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The escalations could not be read just now (the read could not be audited). Please try again.")
	}
	return out, nil
}

// AcknowledgementForm is the body of an acknowledgement.
type AcknowledgementForm struct {
	// Note is optional, at most MaxNote characters.
	Note string `json:"note"`
}

// DecodeAcknowledgement reads and checks an acknowledgement's body and
// returns its note, trimmed ("" for none). It is strict: exactly one JSON
// object whose only member may be note, a string (400 otherwise); a note
// over MaxNote characters is refused with 422.
func DecodeAcknowledgement(body []byte) (string, error) {
	if len(body) > MaxBody {
		return "", apperr.New(apperr.TooLarge, "The acknowledgement is larger than %d KiB.", MaxBody>>10)
	}
	f, err := strictjson.Decode[AcknowledgementForm](body, strictjson.Form{What: "acknowledgement", FieldOf: "an acknowledgement"})
	if err != nil {
		return "", err
	}
	note := strings.TrimSpace(f.Note)
	if n := utf8.RuneCountInString(note); n > MaxNote {
		return "", apperr.WithFields(strictjson.ProblemsMessage(1, "The acknowledgement has something to correct"), []apperr.FieldError{{
			Field: "note", Message: fmt.Sprintf("The note must be at most %d characters; it has %d.", MaxNote, n),
		}})
	}
	return note, nil
}

// Acknowledge records that the MASH manager acknowledged the escalation
// with the given id, once, with the audit entry in the same write, and
// returns the escalation as it now is (with the note). An escalation
// already acknowledged is a conflict that says by whom and when.
func (s *Service) Acknowledge(ctx context.Context, id string, body []byte, req audit.Request) (*Escalation, error) {
	k, ok := ParseID(id)
	if !ok {
		return nil, apperr.New(apperr.NotFound, "There is no escalation with that id. Use the id of an escalation as GET /escalations lists it.")
	}
	note, err := DecodeAcknowledgement(body)
	if err != nil {
		return nil, err
	}
	rec, err := s.read(ctx, k)
	if err != nil {
		return nil, err
	}
	if rec.Acknowledgement != nil {
		return nil, acknowledged(rec.Acknowledgement)
	}
	// Stored to the millisecond, so shown so from the start.
	now := s.now().UTC().Truncate(time.Millisecond)
	ack := Acknowledgement{By: req.Actor.ID, At: now, Note: note}
	entry := req.Entry(k.Subject, ActionAcknowledged, now)
	err = s.store.Acknowledge(ctx, k, ack, entry)
	if errors.Is(err, ErrNotOpen) {
		// Acknowledged by someone else since it was read: say by whom.
		if again, rerr := s.read(ctx, k); rerr == nil && again.Acknowledgement != nil {
			return nil, acknowledged(again.Acknowledgement)
		}
		return nil, apperr.Wrap(err, apperr.Conflict, "This escalation was acknowledged while you were acknowledging it. List the acknowledged escalations to see by whom.")
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The acknowledgement could not be recorded just now. Please try again.")
	}
	rec.Acknowledgement = &ack
	e := View(*rec, true)
	return &e, nil
}

// read reads one escalation, as an *apperr.Error when it cannot.
func (s *Service) read(ctx context.Context, k Key) (*Record, error) {
	rec, err := s.store.Escalation(ctx, k)
	if errors.Is(err, ErrNotFound) {
		return nil, apperr.New(apperr.NotFound, "There is no escalation with the id %s.", k.ID())
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The escalation could not be read just now. Please try again.")
	}
	return rec, nil
}

// acknowledged is the conflict of an escalation acknowledged already.
func acknowledged(a *Acknowledgement) error {
	return apperr.New(apperr.Conflict, "This escalation was already acknowledged by %s at %s. An escalation is acknowledged once.",
		a.By, a.At.UTC().Format(time.RFC3339))
}
