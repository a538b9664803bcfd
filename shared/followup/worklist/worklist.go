// Package worklist serves the follow-up providers: the return home interview
// service and the appropriate adult service each list and work their own
// follow-ups only (accept, record attempts, complete, record a decline), and
// see only what they need to know about the person each is for. The MASH
// manager may list every follow-up, read only, for oversight.
//
// Who may do what is decided here, from the caller's roles, not only by the
// API's authorizer:
//
//   - provider-rhi lists and works return home interviews;
//   - provider-aa lists and works appropriate adult follow-ups;
//   - mash-manager lists all follow-ups (s38(6) accommodation, which the
//     local authority's placements team finds, and FGM police reports,
//     which are the MASH's own task, included) and records nothing.
//
// s38(6) accommodation and FGM police reports have no provider role: no
// provider sees them, and they are worked by the MASH.
//
// A follow-up of another service is "not found" for a provider, so that its
// existence is not revealed. Every follow-up shown is audited, and every
// event is stored with its audit entry in one all-or-nothing write.
package worklist

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/custody"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/page"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// Store keeps follow-ups and reads the records they come from.
type Store interface {
	// FollowUp returns the follow-up with the given id, or an error
	// wrapping followup.ErrNotFound.
	FollowUp(ctx context.Context, id string) (*followup.FollowUp, error)
	// ListFollowUps returns a page of follow-ups; an error wrapping
	// page.ErrBadCursor for a cursor it did not hand out for q.
	ListFollowUps(ctx context.Context, q followup.ListQuery) (followup.Page, error)
	// ReferralsByID and CustodyRequestsByID read records by id; an id not
	// found is left out of the map.
	ReferralsByID(ctx context.Context, ids []string) (map[string]*referral.Record, error)
	CustodyRequestsByID(ctx context.Context, ids []string) (map[string]*custody.Record, error)
	// RecordFollowUpEvent stores f (as it is after ev) if its version is
	// still prev, the event ev and the audit entry, all or nothing; an
	// error wrapping followup.ErrChanged when the version is not prev.
	RecordFollowUpEvent(ctx context.Context, prev int, f followup.FollowUp, ev followup.Event, entry audit.Entry) error
	// AppendAudits writes audit entries, none overwriting another.
	AppendAudits(ctx context.Context, es []audit.Entry) error
}

// Referrals makes referrals through the intake, as any referral is made:
// stored RECEIVED, audited and queued for triage.
type Referrals interface {
	Submit(ctx context.Context, sub intake.Submission) (intake.Receipt, bool, error)
}

// Caller is who is asking, and through which route.
type Caller struct {
	// Roles are the caller's roles; what they may see and do follows from
	// them.
	Roles []auth.Role
	// Request is who asks, through which route and API request, as the
	// audit trail records them; its actor's Role is replaced by the role
	// they act in for each follow-up.
	audit.Request
}

// Service lists follow-ups for providers and records their events.
type Service struct {
	store     Store
	referrals Referrals
	now       func() time.Time
}

// New returns a Service. referrals makes the referrals completed return
// home interviews ask for; now is the clock (time.Now in production).
func New(store Store, referrals Referrals, now func() time.Time) *Service {
	return &Service{store: store, referrals: referrals, now: now}
}

// actors maps each provider role to the provider it works for.
var actors = map[auth.Role]followup.Provider{
	auth.ProviderRHI: followup.ProviderRHIService,
	auth.ProviderAA:  followup.ProviderAppropriateAdult,
}

// ActingRole returns the role among roles in which the caller may record
// events on follow-ups of provider p, and true; false when none may.
func ActingRole(roles []auth.Role, p followup.Provider) (auth.Role, bool) {
	for _, r := range roles {
		if q, ok := actors[r]; ok && q == p {
			return r, true
		}
	}
	return "", false
}

// ReadingRole returns the role among roles in which the caller may see
// follow-ups of provider p (their own provider role first, then
// mash-manager), and true; false when none may.
func ReadingRole(roles []auth.Role, p followup.Provider) (auth.Role, bool) {
	if r, ok := ActingRole(roles, p); ok {
		return r, true
	}
	if slices.Contains(roles, auth.MASHManager) {
		return auth.MASHManager, true
	}
	return "", false
}

// Visible returns the providers whose follow-ups a caller with roles may
// see, in the order of followup.Providers.
func Visible(roles []auth.Role) []followup.Provider {
	var out []followup.Provider
	for _, p := range followup.Providers {
		if _, ok := ReadingRole(roles, p); ok {
			out = append(out, p)
		}
	}
	return out
}

// ListStatuses are the statuses a list may be filtered by.
var ListStatuses = []followup.Status{
	followup.StatusOpen, followup.StatusOverdue, followup.StatusAccepted, followup.StatusCompleted, followup.StatusDeclined,
}

// Query is what GET /follow-ups asks for.
type Query struct {
	// Statuses to list; the active ones (OPEN, OVERDUE, ACCEPTED) unless
	// the status parameter names one.
	Statuses []followup.Status
	// Overdue, when set, keeps only follow-ups flagged overdue (true) or
	// never flagged (false).
	Overdue *bool
	Cursor  string
	Limit   int
}

// followUpList is how messages name the list.
const followUpList = "the follow-up list"

// ParseQuery reads the query string of GET /follow-ups: status (OPEN,
// OVERDUE, ACCEPTED, COMPLETED or DECLINED), overdue (true or false),
// cursor (the "next" of the page before) and limit (1 to page.MaxLimit,
// default page.DefaultLimit). The error is an *apperr.Error with code Malformed naming
// each parameter at fault, an unknown one included.
func ParseQuery(params map[string]string) (Query, error) {
	p := page.Parse(followUpList, params, "status", "overdue")
	q := Query{Statuses: followup.ActiveStatuses, Overdue: p.Bool("overdue"), Cursor: p.Cursor(), Limit: p.Limit()}
	if v, ok := p.Get("status"); ok {
		if s := followup.Status(v); slices.Contains(ListStatuses, s) {
			q.Statuses = []followup.Status{s}
		} else {
			p.Fail("status", "The status is OPEN, OVERDUE, ACCEPTED, COMPLETED or DECLINED.")
		}
	}
	if err := p.Err(); err != nil {
		return Query{}, err
	}
	return q, nil
}

// List is one page of follow-ups.
type List struct {
	FollowUps []View `json:"followUps"`
	// Next is the cursor of the next page; empty on the last.
	Next string `json:"next,omitempty"`
}

// List returns the page of follow-ups q asks for among those the caller may
// see, most urgent first (flagged overdue before the others, then by due
// time), and audits each one shown. A caller who may see none gets a
// Forbidden error; a page that cannot be audited is not shown.
func (s *Service) List(ctx context.Context, c Caller, q Query) (*List, error) {
	providers := Visible(c.Roles)
	if len(providers) == 0 {
		return nil, apperr.New(apperr.Forbidden, "This needs one of the roles: %s, %s, %s.", auth.ProviderRHI, auth.ProviderAA, auth.MASHManager)
	}
	found, err := s.store.ListFollowUps(ctx, followup.ListQuery{
		Providers: providers, Statuses: q.Statuses, Overdue: q.Overdue, Cursor: q.Cursor, Limit: q.Limit,
	})
	if errors.Is(err, page.ErrBadCursor) {
		return nil, page.CursorError(followUpList)
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The follow-ups could not be read just now. Please try again.")
	}
	shown := make([]followup.FollowUp, 0, len(found.FollowUps))
	for _, f := range found.FollowUps {
		if !slices.Contains(providers, f.Provider) {
			slog.ErrorContext(ctx, "store listed a follow-up of another provider; left out", "followUpId", f.ID, "provider", f.Provider)
			continue
		}
		shown = append(shown, f)
	}
	src, err := s.sources(ctx, shown)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	out := &List{FollowUps: make([]View, 0, len(shown)), Next: found.Next}
	entries := make([]audit.Entry, 0, len(shown))
	for _, f := range shown {
		role, _ := ReadingRole(c.Roles, f.Provider)
		out.FollowUps = append(out.FollowUps, viewOf(f, src))
		entries = append(entries, s.entry(c, role, f.ID, followup.ActionListed, now))
	}
	if err := s.store.AppendAudits(ctx, entries); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The follow-ups could not be read just now (the read could not be audited). Please try again.")
	}
	slog.InfoContext(ctx, "follow-ups listed", "count", len(shown), "more", found.Next != "")
	return out, nil
}

// read reads follow-up id; one that does not exist, or an id that is not
// a follow-up's, is not found.
func (s *Service) read(ctx context.Context, id string) (*followup.FollowUp, error) {
	if _, ok := followup.ParseID(id); !ok {
		return nil, notFound()
	}
	f, err := s.store.FollowUp(ctx, id)
	if errors.Is(err, followup.ErrNotFound) {
		return nil, notFound()
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The follow-up could not be read just now. Please try again.")
	}
	return f, nil
}

// Get returns follow-up id as the caller may see it (as List shows it),
// and audits the reading. A follow-up the caller may not see is not found,
// exactly as one that does not exist.
func (s *Service) Get(ctx context.Context, c Caller, id string) (*View, error) {
	f, err := s.read(ctx, id)
	if err != nil {
		return nil, err
	}
	role, ok := ReadingRole(c.Roles, f.Provider)
	if !ok || !slices.Contains(Visible(c.Roles), f.Provider) {
		slog.WarnContext(ctx, "reading a follow-up of another service refused", "followUpId", id, "provider", f.Provider)
		return nil, notFound()
	}
	src, err := s.sources(ctx, []followup.FollowUp{*f})
	if err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	if err := s.store.AppendAudits(ctx, []audit.Entry{s.entry(c, role, f.ID, followup.ActionViewed, now)}); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The follow-up could not be read just now (the read could not be audited). Please try again.")
	}
	v := viewOf(*f, src)
	return &v, nil
}

// entry is the audit entry of what the caller did, in role, to follow-up id.
func (s *Service) entry(c Caller, role auth.Role, id string, action audit.Action, now time.Time) audit.Entry {
	actor := c.Actor
	actor.Role = string(role)
	return c.Request.As(actor).Entry(audit.FollowUp(id), action, now)
}

// sources reads the records fs come from.
func (s *Service) sources(ctx context.Context, fs []followup.FollowUp) (Sources, error) {
	var refIDs, cusIDs []string
	for _, f := range fs {
		switch f.SourceType {
		case followup.SourceReferral:
			if !slices.Contains(refIDs, f.SourceID) {
				refIDs = append(refIDs, f.SourceID)
			}
		case followup.SourceCustodyRequest:
			if !slices.Contains(cusIDs, f.SourceID) {
				cusIDs = append(cusIDs, f.SourceID)
			}
		}
	}
	src := Sources{Referrals: map[string]*referral.Record{}, CustodyRequests: map[string]*custody.Record{}}
	var err error
	if len(refIDs) > 0 {
		if src.Referrals, err = s.store.ReferralsByID(ctx, refIDs); err != nil {
			return Sources{}, apperr.Wrap(err, apperr.Unavailable, "The follow-ups could not be read just now. Please try again.")
		}
	}
	if len(cusIDs) > 0 {
		if src.CustodyRequests, err = s.store.CustodyRequestsByID(ctx, cusIDs); err != nil {
			return Sources{}, apperr.Wrap(err, apperr.Unavailable, "The follow-ups could not be read just now. Please try again.")
		}
	}
	for _, f := range fs {
		if (f.SourceType == followup.SourceReferral && src.Referrals[f.SourceID] == nil) ||
			(f.SourceType == followup.SourceCustodyRequest && src.CustodyRequests[f.SourceID] == nil) {
			slog.ErrorContext(ctx, "follow-up's source record not found", "followUpId", f.ID, "sourceType", f.SourceType, "sourceId", f.SourceID)
		}
	}
	return src, nil
}

// notFound is the answer for a follow-up that does not exist or that the
// caller may not work: the same, so that another service's follow-ups are
// not revealed.
func notFound() error {
	return apperr.New(apperr.NotFound, "There is no follow-up with that id for your service.")
}

// Record records the event in body on follow-up id for the caller, and
// returns the follow-up as it is after it. See followup.Apply for the rules
// and the errors. A follow-up the caller may not work is not found.
//
// Completing a return home interview that says a new referral is needed
// makes that referral through the intake first (stored, audited and queued
// for triage like any other, its origin naming this follow-up), then
// records the completion with the new referral's id, so the two are linked
// both ways. The referral is made under an idempotency key taken from the
// follow-up and the referral's content, so sending the same completion
// again (after a failure, or a conflict) makes no second referral.
func (s *Service) Record(ctx context.Context, c Caller, id string, body []byte) (*View, error) {
	p, err := s.prepare(ctx, c, id, body)
	if err != nil {
		return nil, err
	}
	next, ev := p.next, p.ev
	if p.form != nil {
		refID, err := s.makeReferral(ctx, c, p.actor, p.f.ID, p.form)
		if err != nil {
			return nil, err
		}
		next.NewReferralID, ev.NewReferralID = refID, refID
	}
	ev.ID, ev.RecordedBy = ids.NewULID(p.now), p.actor
	entry := s.entry(c, p.role, p.f.ID, p.req.Type.Action(), p.now)
	err = s.store.RecordFollowUpEvent(ctx, p.f.Version, next, ev, entry)
	if errors.Is(err, followup.ErrChanged) {
		return nil, s.changed(ctx, id, next.NewReferralID)
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The event could not be recorded just now. Please send it again.")
	}
	slog.InfoContext(ctx, "follow-up event recorded", "followUpId", id, "kind", p.f.Kind, "type", ev.Type,
		"status", next.Status, "version", next.Version, "newReferralId", next.NewReferralID)
	v := viewOf(next, p.src)
	return &v, nil
}

// Check judges the event in body on follow-up id for the caller by every
// rule Record applies, and writes nothing: no event, no referral, no
// audit entry. It returns the error Record would return before writing, or
// nil when Record would go on to write. Pages use it to ask one part of an
// event before the next (the new referral after the interview).
func (s *Service) Check(ctx context.Context, c Caller, id string, body []byte) error {
	_, err := s.prepare(ctx, c, id, body)
	return err
}

// prepared is an event judged and applied, not yet written.
type prepared struct {
	f     *followup.FollowUp
	req   *followup.EventRequest
	next  followup.FollowUp
	ev    followup.Event
	src   Sources
	role  auth.Role
	actor audit.Actor
	now   time.Time
	// form is the new referral to make, or nil.
	form *referral.Referral
}

// prepare decodes and checks the event in body, reads follow-up id and what
// it came from, and applies the event, refusing one the caller may not
// send; it writes nothing.
func (s *Service) prepare(ctx context.Context, c Caller, id string, body []byte) (*prepared, error) {
	req, err := followup.DecodeEvent(body)
	if err != nil {
		return nil, err
	}
	if err := req.Check(); err != nil {
		return nil, err
	}
	f, err := s.read(ctx, id)
	if err != nil {
		return nil, err
	}
	role, ok := ActingRole(c.Roles, f.Provider)
	if !ok {
		slog.WarnContext(ctx, "event on a follow-up of another service refused", "followUpId", id, "provider", f.Provider)
		return nil, notFound()
	}
	src, err := s.sources(ctx, []followup.FollowUp{*f})
	if err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	next, ev, err := followup.Apply(*f, *req, now)
	var form *referral.Referral
	if nr := newReferralOf(req, *f); nr != nil && (err == nil || apperr.CodeOf(err) == apperr.Invalid) {
		rec := src.Referrals[f.SourceID]
		if rec == nil || f.ChildIndex >= len(rec.Form.Children) {
			return nil, apperr.New(apperr.Internal, "The referral that started this interview could not be read, so no new referral can be made from it.")
		}
		form = nr.Form(rec.Form.Children[f.ChildIndex])
		err = mergeInvalid(err, referralProblems(referral.Validate(form, now)))
	}
	if err != nil {
		return nil, err
	}
	actor := c.Actor
	actor.Role = string(role)
	return &prepared{f: f, req: req, next: next, ev: ev, src: src, role: role, actor: actor, now: now, form: form}, nil
}

// changed is the Conflict error for an event on a follow-up changed since
// it was read, giving its version now when it can be read, and saying what
// became of the referral made for it (newReferralID), if any: it says only
// what is so.
func (s *Service) changed(ctx context.Context, id, newReferralID string) error {
	cur, err := s.store.FollowUp(ctx, id)
	if err != nil {
		e := apperr.New(apperr.Conflict, "This follow-up changed since you read it. Read it again, check what changed, and send your event with its version now.")
		if newReferralID != "" {
			e.Message += " The new referral " + newReferralID + " was made and is with the MASH."
		}
		return e
	}
	if cur.Status != followup.StatusCompleted {
		e := followup.Changed(cur.Version)
		if newReferralID != "" {
			e.Message += " The new referral " + newReferralID + " was made; sending the completion again with that version links it to this follow-up and makes no other."
		}
		return e
	}
	e := apperr.New(apperr.Conflict, "This follow-up was completed by another event meanwhile (version %d now).", cur.Version)
	switch {
	case newReferralID != "" && cur.NewReferralID == newReferralID:
		e.Message += " It links the new referral " + newReferralID + ", the one your completion asked for."
	case newReferralID != "":
		e.Message += " The new referral " + newReferralID + " was made for your completion and is with the MASH, not linked to this follow-up."
	case cur.NewReferralID != "":
		e.Message += " It links the new referral " + cur.NewReferralID + "."
	}
	return e
}

// newReferralOf returns the new referral a COMPLETE event on a return home
// interview asks for, or nil.
func newReferralOf(r *followup.EventRequest, f followup.FollowUp) *followup.NewReferral {
	if r.Type != followup.EventComplete || f.Kind != followup.KindReturnHomeInterview || r.ReturnHomeInterview == nil {
		return nil
	}
	in := r.ReturnHomeInterview
	if in.NewReferralNeeded == nil || !*in.NewReferralNeeded {
		return nil
	}
	return in.NewReferral
}

// newReferralField is where the new referral sits in an event.
const newReferralField = "returnHomeInterview.newReferral"

// referralProblems turns the problems referral.Validate found with a new
// referral's form into problems with the event's fields: the referrer,
// consent and concerns are the event's; the child's details come from the
// referral that started the interview and are named as such; a missing
// episode is never asked for (Apply refuses the missing category).
func referralProblems(err error) []apperr.FieldError {
	e := apperr.As(err)
	if e == nil {
		return nil
	}
	if len(e.Fields) == 0 {
		return []apperr.FieldError{{Field: newReferralField, Message: e.Message}}
	}
	var out []apperr.FieldError
	for _, fe := range e.Fields {
		switch {
		case fe.Field == "missingEpisode" || strings.HasPrefix(fe.Field, "missingEpisode."):
		case fe.Field == "children" || strings.HasPrefix(fe.Field, "children["):
			out = append(out, apperr.FieldError{Field: newReferralField,
				Message: "The child's details on the referral that started this interview cannot be used for a new referral (" + fe.Message + "). Ask the MASH to make the referral."})
		default:
			out = append(out, apperr.FieldError{Field: newReferralField + "." + fe.Field, Message: fe.Message})
		}
	}
	return out
}

// mergeInvalid adds the field problems fs to err, an Invalid error or nil.
func mergeInvalid(err error, fs []apperr.FieldError) error {
	if len(fs) == 0 {
		return err
	}
	var all []apperr.FieldError
	if e := apperr.As(err); e != nil {
		all = append(all, e.Fields...)
	}
	all = append(all, fs...)
	return apperr.WithFields(strictjson.ProblemsMessage(len(all), "The follow-up event has something to correct"), all)
}

// NewReferralKey is the idempotency key of the referral made from follow-up
// id: one per follow-up.
func NewReferralKey(id string) string { return "follow-up-" + id + "-new-referral" }

// makeReferral submits form, made by actor from follow-up id, through the
// intake, and returns the new referral's id.
func (s *Service) makeReferral(ctx context.Context, c Caller, actor audit.Actor, id string, form *referral.Referral) (string, error) {
	body, err := json.Marshal(form)
	if err != nil {
		return "", apperr.Wrap(err, apperr.Internal, "The new referral could not be made.")
	}
	receipt, replayed, err := s.referrals.Submit(ctx, intake.Submission{
		Body: body,
		// Derived from the follow-up alone: however many completions race,
		// and whatever each says, one referral is made from a follow-up.
		// The same form again is the same referral; another form is
		// refused below.
		Idempotency: idempotency.Key{Route: c.Route, Scope: id, Value: NewReferralKey(id)},
		Request:     c.Request.As(actor),
		Origin:      &referral.Origin{Type: referral.OriginFollowUp, ID: id},
	})
	if err != nil {
		if e := apperr.As(err); e != nil && slices.ContainsFunc(e.Fields, func(f apperr.FieldError) bool { return f.Field == idempotency.Header }) {
			return "", apperr.New(apperr.Conflict, "A referral was already made from this follow-up, by a completion with another new referral: only one is made from a follow-up. Read the follow-up again: if it is not yet completed, send the completion with the same new referral as before; to add what differs, send the MASH an addendum to that referral.")
		}
		if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
			return "", mergeInvalid(nil, referralProblems(e))
		}
		return "", apperr.Wrap(err, apperr.CodeOf(err), "The new referral could not be made just now, so the completion was not recorded. Please send it again in a minute; if the child is at risk now, telephone the MASH.")
	}
	slog.InfoContext(ctx, "referral made from a follow-up", "followUpId", id, "referralId", receipt.ID, "replayed", replayed)
	return receipt.ID, nil
}
