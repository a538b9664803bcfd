package referrer

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// Service answers referrers.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service. now is the clock; pass time.Now in production.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// Status returns where the referral that req's reference and token identify
// is in the workflow, and when the referrer added information to it, after
// auditing the check. Every error is an *apperr.Error; every reference and
// token that do not match a referral together get the same NotFound error.
func (s *Service) Status(ctx context.Context, req Request) (*Status, error) {
	rec, err := s.find(ctx, req)
	if err != nil {
		return nil, err
	}
	sent, err := s.store.AddendaSent(ctx, rec.ID)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The status of your referral could not be checked just now. Please try again in a minute.")
	}
	now := s.now().UTC()
	if err := s.store.AppendAudit(ctx, s.entry(rec.ID, ActionStatusChecked, req, now)); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The status of your referral could not be checked just now. Please try again in a minute.")
	}
	stage := StageOf(rec.Status)
	st := &Status{
		Reference:    rec.Reference,
		ReceivedAt:   rec.ReceivedAt,
		Status:       stage,
		Description:  descriptions[stage],
		AddendaCount: len(sent),
		Addenda:      sent,
	}
	if st.Addenda == nil {
		st.Addenda = []Sent{}
	}
	if stage == StageDecided {
		st.DecidedAt = rec.DecidedAt
	}
	slog.InfoContext(ctx, "referral status checked", "referralId", rec.ID, "status", string(stage))
	return st, nil
}

// AddAddendum stores the information in req's body as an addendum to the
// referral that req's reference and token identify, with its audit entry,
// and returns the receipt and whether it is a replay of an earlier request
// with the same Idempotency-Key. The referral as sent is never changed;
// only its count of addenda and its version move, so that a decision made
// on what a screener read before the addendum arrived is refused as stale.
// Every error is an *apperr.Error; on any error nothing has been written.
func (s *Service) AddAddendum(ctx context.Context, req AddendumRequest) (*Receipt, bool, error) {
	if err := (idempotency.Key{Value: req.IdempotencyKey}).Check(); err != nil {
		return nil, false, err
	}
	form, err := Decode(req.Body)
	if err != nil {
		return nil, false, err
	}
	if err := Validate(form); err != nil {
		return nil, false, err
	}
	rec, err := s.find(ctx, req.Request)
	if err != nil {
		return nil, false, err
	}

	// Times are stored to the millisecond: the receipt shows what is kept.
	now := s.now().UTC().Truncate(time.Millisecond)
	a := &Addendum{ID: ids.NewULID(now), ReferralID: rec.ID, ReceivedAt: now, Information: form.Information, Urgent: *form.Urgent}
	receipt := newReceipt(rec, a)
	// The referrer has no account: the key is scoped to the referral.
	key := idempotency.Key{Route: req.Route, Scope: rec.ID, Value: req.IdempotencyKey}
	idem, err := idempotency.NewRecord(key, form, receipt, rec.ID, now)
	if err != nil {
		return nil, false, apperr.Wrap(err, apperr.Internal, "The addendum could not be processed.")
	}
	err = s.store.AddAddendum(ctx, a, idem, s.entry(rec.ID, ActionAddendumAdded, req.Request, now), MaxAddenda)
	switch {
	case errors.Is(err, idempotency.ErrKeyUsed) && idem != nil:
		return s.replay(ctx, idem, now)
	case errors.Is(err, ErrTooManyAddenda):
		return nil, false, apperr.Wrap(err, apperr.Conflict,
			"This referral already has %d addenda, the most we take online. Telephone the multi-agency safeguarding hub to give them this information.", MaxAddenda)
	case err != nil:
		return nil, false, apperr.Wrap(err, apperr.Unavailable,
			"The information could not be stored just now and has not been added. Please try again in a minute with the same Idempotency-Key; if it is urgent, telephone the multi-agency safeguarding hub.")
	}
	if a.Urgent && rec.Status == referral.StatusDecided {
		slog.WarnContext(ctx, "urgent addendum on a referral already decided", "referralId", rec.ID)
	}
	slog.InfoContext(ctx, "addendum added", "referralId", rec.ID, "addendumId", a.ID, "urgent", a.Urgent)
	return receipt, false, nil
}

// find returns the referral that req's reference and token identify
// together. A missing token is named; every other failure (a reference that
// is not one, an unknown reference, a wrong token) gets the same NotFound
// error, so that a caller cannot tell which references exist. Each try on a
// reference is counted first, and given back when it succeeds; once
// MaxGuesses have failed in this GuessWindow, the try is refused unchecked.
func (s *Service) find(ctx context.Context, req Request) (*Referral, error) {
	if req.Token == "" {
		return nil, errNoToken()
	}
	reference, ok := ids.NormaliseReference(req.Reference)
	if !ok {
		return nil, errNotFound()
	}
	now := s.now().UTC()
	window := now.Truncate(GuessWindow)
	err := s.store.TakeGuess(ctx, reference, window, MaxGuesses, window.Add(2*GuessWindow))
	if errors.Is(err, ErrTooManyGuesses) {
		slog.WarnContext(ctx, "tries on a reference used up", "reference", reference, "window", window)
		return nil, errTooManyGuesses(window.Add(GuessWindow).Sub(now))
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "Your referral could not be looked up just now. Please try again in a minute.")
	}
	rec, err := s.store.ReferralByReference(ctx, reference)
	if errors.Is(err, ErrNotFound) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "Your referral could not be looked up just now. Please try again in a minute.")
	}
	// Compared in constant time, so the time taken says nothing of how
	// much of the hash matched.
	if subtle.ConstantTimeCompare([]byte(ids.Hash(req.Token)), []byte(rec.ReceiptTokenHash)) != 1 {
		slog.WarnContext(ctx, "receipt token does not match the reference", "referralId", rec.ID)
		return nil, errNotFound()
	}
	if err := s.store.GiveBackGuess(ctx, reference, window); err != nil {
		// The try stays counted: the referrer has one try fewer in this
		// window, which is the safe way to be wrong.
		slog.WarnContext(ctx, "a successful try was not given back", "referralId", rec.ID, "error", err)
	}
	return rec, nil
}

// replay answers an addendum whose Idempotency-Key was used before on the
// same referral.
func (s *Service) replay(ctx context.Context, idem *idempotency.Record, now time.Time) (*Receipt, bool, error) {
	r, err := idempotency.Replay[Receipt](ctx, s.store, idem, now, "addendum")
	if err != nil {
		return nil, false, err
	}
	slog.InfoContext(ctx, "idempotent replay of an addendum", "addendumId", r.ID)
	return r, true, nil
}

// entry is the audit entry of a referrer's request.
func (s *Service) entry(referralID string, action audit.Action, req Request, now time.Time) audit.Entry {
	return req.Request.Entry(audit.Referral(referralID), action, now)
}

// Messages on an addendum's receipt.
const (
	addedMessage  = "Your information has been added to referral %s. The multi-agency safeguarding hub sees it with the referral; what you sent before is unchanged."
	urgentMessage = " You marked it urgent: if a child is in immediate danger, call 999 now."
	// decidedUrgentMessage: a decided referral is no longer on the hub's
	// queue, so urgent news must also reach a person.
	decidedUrgentMessage = " A decision has already been recorded on this referral, so telephone the multi-agency safeguarding hub as well, or make a new referral."
)

func newReceipt(rec *Referral, a *Addendum) *Receipt {
	msg := fmt.Sprintf(addedMessage, rec.Reference)
	if a.Urgent {
		msg += urgentMessage
		if rec.Status == referral.StatusDecided {
			msg += decidedUrgentMessage
		}
	}
	return &Receipt{ID: a.ID, Reference: rec.Reference, ReceivedAt: a.ReceivedAt, Urgent: a.Urgent, Message: msg}
}
