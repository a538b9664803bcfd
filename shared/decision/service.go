package decision

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// The audit actions of decisions.
const (
	// ActionDecided: a screener recorded the first decision.
	ActionDecided audit.Action = "referral.decided"
	// ActionCorrected: a screener recorded a decision that supersedes the
	// last.
	ActionCorrected audit.Action = "referral.decision-corrected"
)

// ErrStale is returned by a Store when the referral's version is no longer
// the one the decision was made on.
var ErrStale = errors.New("referral changed since it was read")

// Store keeps decisions.
type Store interface {
	// Referral returns the referral, or an error wrapping
	// referral.ErrNotFound.
	Referral(ctx context.Context, id string) (*referral.Record, error)
	// Decisions returns the referral's decisions, oldest first.
	Decisions(ctx context.Context, referralID string) ([]Decision, error)
	// SaveDecision stores d, marks the decision it supersedes (if any) as
	// superseded, moves the referral (still at version read, awaiting a
	// decision, decided or untriaged) to DECIDED and out of the MASH queue,
	// and writes the audit entry, all or nothing. It
	// returns ErrStale when the referral is no longer at version read or
	// the superseded decision was already superseded.
	SaveDecision(ctx context.Context, d Decision, read int, entry audit.Entry) error
}

// Service records decisions.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service. now is the clock; pass time.Now in production.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// Current returns the decision not superseded, if any.
func Current(ds []Decision) *Decision {
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].SupersededBy == "" {
			return &ds[i]
		}
	}
	return nil
}

// Decide records a decision on a referral from a request body. Every error
// is an *apperr.Error; on any error nothing has been written.
func (s *Service) Decide(ctx context.Context, referralID string, body []byte, m audit.Request) (*Decision, error) {
	if !ids.IsULID(referralID) {
		return nil, apperr.New(apperr.NotFound, "There is no referral with that id. A referral id is 26 characters, like 01JDCQ2Z8Q7X3V4N5M6K7J8H9G.")
	}
	req, err := Decode(body)
	if err != nil {
		return nil, err
	}
	if err := Validate(req); err != nil {
		return nil, err
	}
	rec, err := s.store.Referral(ctx, referralID)
	if errors.Is(err, referral.ErrNotFound) {
		return nil, apperr.New(apperr.NotFound, "There is no referral with the id %s.", referralID)
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The referral could not be read just now. Please try again.")
	}
	decisions, err := s.store.Decisions(ctx, referralID)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The referral's decisions could not be read just now. Please try again.")
	}
	if err := checkState(rec, Current(decisions), req); err != nil {
		return nil, err
	}
	if *req.Version != rec.Version {
		return nil, stale(referralID, *req.Version, rec.Version)
	}

	now := s.now().UTC().Truncate(time.Millisecond)
	d := Decision{
		ID: ids.NewULID(now), ReferralID: referralID,
		Outcome: req.Outcome, Rationale: req.Rationale, LevelOfNeed: *req.LevelOfNeed, PrimaryNeed: req.PrimaryNeed,
		AdviceGiven: req.AdviceGiven, TransferTo: req.TransferTo, AllocatedWorker: req.AllocatedWorker,
		ReferrerInformed: *req.ReferrerInformed, ReferrerNotInformedReason: req.ReferrerNotInformedReason,
		DecidedBy: m.Actor.ID, DecidedByRole: m.Actor.Role, DecidedAt: now, Supersedes: req.Supersedes,
	}
	if rec.Screening != nil {
		due := rec.Screening.ScreeningDueAt
		d.DueAt = &due
	}
	action := ActionDecided
	if d.Supersedes != "" {
		action = ActionCorrected
	}
	entry := m.Entry(audit.Referral(referralID), action, now)
	err = s.store.SaveDecision(ctx, d, rec.Version, entry)
	if errors.Is(err, ErrStale) {
		return nil, apperr.Wrap(err, apperr.Conflict, "The referral changed while you were deciding. Read it again (GET /referrals/%s) and check what changed before deciding.", referralID)
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The decision could not be recorded just now. Nothing was saved; please try again.")
	}
	slog.InfoContext(ctx, "decision recorded", "referralId", referralID, "decisionId", d.ID, "outcome", string(d.Outcome), "correction", d.Supersedes != "")
	return &d, nil
}

// checkState says whether the referral can take this decision now.
func checkState(rec *referral.Record, cur *Decision, req *Request) error {
	switch {
	case (rec.Status == referral.StatusAwaitingDecision || untriaged(rec)) && cur == nil:
		if req.Supersedes != "" {
			return apperr.WithFields("The decision cannot be recorded: there is 1 problem.", []apperr.FieldError{{
				Field: "supersedes", Message: "The referral has no decision to correct yet: leave supersedes out.",
			}})
		}
		return nil
	case rec.Status == referral.StatusDecided && cur != nil:
		if req.Supersedes == "" {
			return apperr.New(apperr.Conflict, "The referral already has a decision (%s, %s). Decisions are never changed: to correct it, send a new decision with \"supersedes\": %q.", cur.ID, cur.Outcome, cur.ID)
		}
		if req.Supersedes != cur.ID {
			return apperr.New(apperr.Conflict, "Decision %s is not the referral's current decision; the current one is %s. Read the referral again before correcting it.", req.Supersedes, cur.ID)
		}
		return nil
	case !rec.Status.Triaged():
		return apperr.New(apperr.Conflict, "The referral is still being screened automatically and is not awaiting a decision yet. Try again in a minute.")
	default:
		return apperr.New(apperr.Conflict, "The referral is not awaiting a decision (its status is %s).", rec.Status)
	}
}

// untriaged reports whether the referral's automatic screening failed every
// time it was tried, so that it waits for a screener to screen it by hand.
func untriaged(rec *referral.Record) bool {
	return rec.Status == referral.StatusQueued && rec.UntriagedAt != nil
}

func stale(id string, read, now int) error {
	return apperr.New(apperr.Conflict, "The referral changed since you read it: you read version %d and it is now at version %d. Read it again (GET /referrals/%s) and check what changed before deciding.", read, now, id)
}
