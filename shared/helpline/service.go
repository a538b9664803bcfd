package helpline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// The audit actions on a helpline call.
const (
	ActionLogged    audit.Action = "helpline.call-logged"
	ActionRead      audit.Action = "helpline.call-read"
	ActionEscalated audit.Action = "helpline.call-escalated"
)

// Store keeps helpline calls.
type Store interface {
	// CreateHelplineCall writes the call, its idempotency record (when
	// idem is not nil) and its audit entry, all or nothing, never
	// overwriting anything but an expired idempotency record. It returns
	// idempotency.ErrKeyUsed (wrapped or not) when an unexpired
	// record for idem's key hash exists.
	CreateHelplineCall(ctx context.Context, rec *Record, idem *idempotency.Record, entry audit.Entry) error
	idempotency.Reader
	// HelplineCall returns the call with the given id, read consistently,
	// or ErrNotFound.
	HelplineCall(ctx context.Context, id string) (*Record, error)
	// ListHelplineCalls returns at most q.Limit calls of q, newest first,
	// and whether there are more after them; with q.Mine, only the calls
	// q.LoggedBy logged.
	ListHelplineCalls(ctx context.Context, q ListQuery) ([]Record, bool, error)
	// AppendAudits writes audit entries, never overwriting one.
	AppendAudits(ctx context.Context, entries []audit.Entry) error
	// MarkHelplineCallEscalated records the escalation of a call, with its
	// audit entry, all or nothing, only if the call is still LOGGED at
	// e.Version; otherwise it returns ErrChanged (or ErrNotFound).
	MarkHelplineCallEscalated(ctx context.Context, e Escalation, entry audit.Entry) error
}

// Escalation is the link from a call to the referral made from it.
type Escalation struct {
	CallID string
	// Version is the version of the call read before the referral was made.
	Version    int
	ReferralID string
	At         time.Time
	// By is the subject of the adviser who escalated the call.
	By string
}

// ReferralSubmitter makes referrals: the intake every referral goes
// through (validation, storage, audit, triage queue).
type ReferralSubmitter interface {
	Submit(ctx context.Context, sub intake.Submission) (intake.Receipt, bool, error)
}

// Service logs, lists and escalates helpline calls.
type Service struct {
	store     Store
	referrals ReferralSubmitter
	now       func() time.Time
}

// NewService returns a Service. now is the clock; pass time.Now in
// production.
func NewService(store Store, referrals ReferralSubmitter, now func() time.Time) *Service {
	return &Service{store: store, referrals: referrals, now: now}
}

// Receipt is what the adviser gets back when a call is logged.
type Receipt struct {
	ID                  string    `json:"id"`
	Status              Status    `json:"status"`
	Version             int       `json:"version"`
	CalledAt            time.Time `json:"calledAt"`
	LoggedAt            time.Time `json:"loggedAt"`
	SafeguardingConcern bool      `json:"safeguardingConcern"`
	Message             string    `json:"message"`
}

// Messages on a receipt.
const (
	loggedMessage  = "The call is logged."
	concernMessage = "The call is logged. It raised a safeguarding concern: escalate it to the MASH as a referral " +
		"(POST /helpline-calls/%s/referrals) now. If a child is in immediate danger, call 999 first."
)

// Log decodes, validates and stores a call with its audit entry. It returns
// the receipt and whether it is a replay of an earlier request.
//
// idempotencyKey is the request's Idempotency-Key header, empty when none
// was sent; it must pass idempotency.Key.Check. With a key, the call,
// its idempotency record and its audit entry are written in one
// all-or-nothing write, and for idempotency.TTL the same adviser
// sending the same key again gets the first receipt back and nothing more
// is stored: the same call (after Validate has normalised it) is a replay,
// a different call is refused naming Idempotency-Key. Keys are scoped to the
// adviser (the actor's subject), so two advisers' keys never collide.
//
// Every error is an *apperr.Error; on any error nothing has been written.
func (s *Service) Log(ctx context.Context, body []byte, idempotencyKey string, meta audit.Request) (*Receipt, bool, error) {
	// The key is the adviser's: scoped to their subject.
	key := idempotency.Key{Route: meta.Route, Scope: meta.Actor.ID, Value: idempotencyKey}
	if err := key.Check(); err != nil {
		return nil, false, err
	}
	call, err := Decode(body)
	if err != nil {
		return nil, false, err
	}
	now := s.clock()
	calledAt, err := Validate(call, now)
	if err != nil {
		return nil, false, err
	}
	rec := &Record{
		ID:               ids.NewULID(now),
		Status:           StatusLogged,
		Version:          1,
		CalledAt:         calledAt,
		LoggedAt:         now,
		LoggedBy:         meta.Actor.ID,
		EscalationSecret: ids.NewToken(),
		Call:             *call,
	}
	r := &Receipt{
		ID: rec.ID, Status: rec.Status, Version: rec.Version, CalledAt: rec.CalledAt, LoggedAt: rec.LoggedAt,
		SafeguardingConcern: call.Concern(), Message: loggedMessage,
	}
	if call.Concern() {
		r.Message = fmt.Sprintf(concernMessage, rec.ID)
	}
	// No referral is made, so the record's ReferralID stays empty: the
	// call's id is in the receipt kept.
	idem, err := idempotency.NewRecord(key, call, r, "", now)
	if err != nil {
		return nil, false, apperr.Wrap(err, apperr.Internal, "The call could not be processed.")
	}
	entry := s.entry(rec.ID, ActionLogged, meta, now)
	err = s.store.CreateHelplineCall(ctx, rec, idem, entry)
	switch {
	case errors.Is(err, idempotency.ErrKeyUsed) && idem != nil:
		return s.replay(ctx, idem, now)
	case err != nil:
		return nil, false, apperr.Wrap(err, apperr.Unavailable,
			"The call could not be logged just now and has not been saved. Please try again in a minute.")
	}
	slog.InfoContext(ctx, "helpline call logged", "helplineCallId", rec.ID, "safeguardingConcern", call.Concern())
	return r, false, nil
}

// replay answers a call logged with an Idempotency-Key the same adviser
// used before.
func (s *Service) replay(ctx context.Context, idem *idempotency.Record, now time.Time) (*Receipt, bool, error) {
	r, err := idempotency.Replay[Receipt](ctx, s.store, idem, now, "helpline call")
	if err != nil {
		return nil, false, err
	}
	slog.InfoContext(ctx, "idempotent replay of a helpline call", "helplineCallId", r.ID)
	return r, true, nil
}

// List returns one page of calls as params (the query parameters, see
// ParseListQuery) ask, after auditing the read of every call on it: a page
// whose reads cannot be audited is not given.
func (s *Service) List(ctx context.Context, params map[string]string, meta audit.Request) (*Page, error) {
	now := s.clock()
	q, err := ParseListQuery(params, now)
	if err != nil {
		return nil, err
	}
	if q.Mine {
		q.LoggedBy = meta.Actor.ID
	}
	recs, more, err := s.store.ListHelplineCalls(ctx, q)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The helpline calls could not be listed just now. Please try again.")
	}
	entries := make([]audit.Entry, len(recs))
	for i := range recs {
		entries[i] = s.entry(recs[i].ID, ActionRead, meta, now)
	}
	if err := s.store.AppendAudits(ctx, entries); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable,
			"The helpline calls could not be listed just now (the reads could not be audited). Please try again.")
	}
	page := &Page{Calls: recs, From: q.From, To: q.To}
	if page.Calls == nil {
		page.Calls = []Record{}
	}
	if more && len(recs) > 0 {
		page.Next = Cursor(q, PositionOf(&recs[len(recs)-1]))
	}
	slog.InfoContext(ctx, "helpline calls listed", "calls", len(recs), "more", more)
	return page, nil
}

// EscalationReceipt is what the adviser gets back when a call is escalated:
// the referral's receipt, as any referrer gets it, and the call it came
// from.
type EscalationReceipt struct {
	intake.Receipt
	HelplineCallID string `json:"helplineCallId"`
}

// Escalate makes a referral from a call that raised a safeguarding
// concern. body is a referral form exactly as POST /referrals takes it, with
// the adviser as referrer (agency type "helpline", so that the census
// records the source as the local authority's own service). The referral
// goes through the same intake as any other (validation, storage, audit,
// triage queue), made by the adviser and with its origin set to the call;
// then the call is marked ESCALATED with the referral's id by a conditional
// update, with its audit entry. It returns the referral's receipt and
// whether an earlier attempt had already made the referral.
//
// A call is escalated at most once, and never into two referrals:
//
//   - A call already ESCALATED is refused (Conflict) with the referral's id,
//     before anything is made.
//   - The referral is submitted under an idempotency key derived from the
//     call's id and a secret kept on the call (never shown, so no one can
//     claim the key first through the open POST /referrals). Two advisers
//     escalating the same call at once, or a retry, get the same referral.
//   - If the referral is made but the call cannot then be marked (the
//     store fails between the two writes), the referral exists, linked to
//     the call by its origin, and is on its way to the MASH; the adviser is
//     told so and asked to escalate again with the same form. That retry
//     replays the referral made (the intake remembers the key for
//     intake.IdempotencyTTL) and marks the call with it. A retry with a
//     different form is refused rather than making a second referral. Only
//     a first retry more than intake.IdempotencyTTL later would make a
//     second referral, also linked to the call: a duplicate the MASH sees
//     (same origin, same child), never a lost one.
//   - If the mark finds the call changed (another request marked it), the
//     call is read again: escalated with this referral is success; with
//     another, a Conflict naming it.
func (s *Service) Escalate(ctx context.Context, callID string, body []byte, meta audit.Request) (*EscalationReceipt, bool, error) {
	if !ids.IsULID(callID) {
		return nil, false, apperr.New(apperr.NotFound, "There is no helpline call with that id. A call id is 26 characters, like 01JDCQ2Z8Q7X3V4N5M6K7J8H9G.")
	}
	rec, err := s.call(ctx, callID)
	if err != nil {
		return nil, false, err
	}
	if rec.Status == StatusEscalated {
		return nil, false, alreadyEscalated(rec)
	}
	if !rec.Call.Concern() {
		return nil, false, apperr.New(apperr.Conflict,
			"This call was logged without a safeguarding concern, so it cannot be escalated. "+
				"If you are now worried about a child, make a referral (POST /referrals); if a child is in immediate danger, call 999.")
	}
	if err := checkForm(body, s.clock()); err != nil {
		return nil, false, err
	}
	receipt, replayed, err := s.referrals.Submit(ctx, intake.Submission{
		Body: body,
		// Derived from the call: whoever retries, the same referral.
		Idempotency: idempotency.Key{Route: meta.Route, Scope: callID, Value: escalationKey(rec)},
		Request:     meta,
		Origin:      &referral.Origin{Type: referral.OriginHelplineCall, ID: callID},
	})
	if e := apperr.As(err); e != nil && slices.ContainsFunc(e.Fields, func(f apperr.FieldError) bool { return f.Field == "Idempotency-Key" }) {
		// The key is this call's: a referral was made from it before with a
		// different form, and the call was not marked.
		return nil, false, apperr.Wrap(err, apperr.Conflict,
			"A referral was already made from this call with a different form, but the call is not yet marked as escalated. "+
				"Send the same form as the first time to finish the escalation; no second referral will be made.")
	}
	if err != nil {
		return nil, false, err
	}
	log := slog.With("helplineCallId", callID, "referralId", receipt.ID, "reference", receipt.Reference)
	now := s.clock()
	esc := Escalation{CallID: callID, Version: rec.Version, ReferralID: receipt.ID, At: now, By: meta.Actor.ID}
	err = s.store.MarkHelplineCallEscalated(ctx, esc, s.entry(callID, ActionEscalated, meta, now))
	switch {
	case err == nil:
		log.InfoContext(ctx, "helpline call escalated", "replayed", replayed)
		return &EscalationReceipt{Receipt: receipt, HelplineCallID: callID}, replayed, nil
	case errors.Is(err, ErrChanged):
		cur, err := s.call(ctx, callID)
		if err != nil {
			return nil, false, err
		}
		if cur.Status == StatusEscalated && cur.ReferralID == receipt.ID {
			log.InfoContext(ctx, "helpline call escalated by a concurrent request with the same referral")
			return &EscalationReceipt{Receipt: receipt, HelplineCallID: callID}, true, nil
		}
		if cur.Status == StatusEscalated {
			return nil, false, alreadyEscalated(cur)
		}
	}
	log.WarnContext(ctx, "referral made from helpline call but the call not marked escalated", "error", err)
	return nil, false, apperr.Wrap(err, apperr.Unavailable,
		"The referral %s was made and is with the MASH, but the call could not be marked as escalated just now. "+
			"Escalate the call again with the same form: it links the same referral and makes no second one.", receipt.Reference)
}

// clock returns the time now, in UTC, to the millisecond: times are stored
// to the millisecond, and a receipt shows them as stored.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

// call reads a call for the service, with errors for the caller.
func (s *Service) call(ctx context.Context, id string) (*Record, error) {
	rec, err := s.store.HelplineCall(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, apperr.New(apperr.NotFound, "There is no helpline call with the id %s.", id)
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The helpline call could not be read just now. Please try again.")
	}
	return rec, nil
}

func alreadyEscalated(rec *Record) error {
	return apperr.New(apperr.Conflict, "This call was already escalated: referral %s was made from it. It cannot be escalated again.", rec.ReferralID)
}

// escalationKey is the idempotency key of the escalation of a call.
func escalationKey(rec *Record) string {
	return "helpline-call:" + rec.ID + ":" + rec.EscalationSecret
}

// checkForm checks the referral form of an escalation before it is
// submitted: everything the intake would check, and that the referrer is the
// helpline, all reported at once. A form that cannot be read gives the
// intake's own error.
func checkForm(body []byte, now time.Time) error {
	if len(body) > intake.MaxBodyBytes {
		return apperr.New(apperr.TooLarge,
			"The referral is larger than %d KiB. Shorten the free-text sections or send long documents as an addendum.", intake.MaxBodyBytes>>10)
	}
	form, err := referral.Decode(body)
	if err != nil {
		return err
	}
	var fields []apperr.FieldError
	if e := apperr.As(referral.Validate(form, now)); e != nil {
		if len(e.Fields) == 0 {
			return e
		}
		fields = e.Fields
	}
	if a := form.Referrer.AgencyType; a != referral.AgencyHelpline && a.Valid() {
		fields = append(fields, apperr.FieldError{Field: "referrer.agencyType",
			Message: "A referral from a helpline call is made by the helpline: choose helpline"})
	}
	if len(fields) == 0 {
		return nil
	}
	return apperr.WithFields(strictjson.ProblemsMessage(len(fields), "The referral has something to correct"), fields)
}

func (s *Service) entry(id string, action audit.Action, meta audit.Request, now time.Time) audit.Entry {
	return meta.Entry(audit.HelplineCall(id), action, now)
}
