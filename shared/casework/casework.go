// Package casework serves the people who work referrals: the triage queue,
// a referral with its history (earlier referrals, screening, decisions,
// follow-ups), and its audit trail. Every read is written to the audit trail
// before anything is returned; a read that cannot be audited is refused.
package casework

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
)

// ErrNotFound is returned by a Store when there is no such referral.
var ErrNotFound = referral.ErrNotFound

// Store reads referrals and appends to the audit trail.
type Store interface {
	// Referral returns the referral with the given id, or ErrNotFound.
	Referral(ctx context.Context, id string) (*referral.Record, error)
	// FollowUps returns the follow-ups of a referral or custody request.
	FollowUps(ctx context.Context, t followup.SourceType, id string) ([]followup.FollowUp, error)
	// Decisions returns the referral's screening decisions, oldest first.
	Decisions(ctx context.Context, referralID string) ([]decision.Decision, error)
	// Addenda returns what the referrer added later, oldest first.
	Addenda(ctx context.Context, referralID string) ([]referrer.Addendum, error)
	// AppendAudit writes one audit entry; it never overwrites one.
	AppendAudit(ctx context.Context, e audit.Entry) error
	QueueStore
	AuditStore
}

// Service reads referrals for staff.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service. now is the clock; pass time.Now in production.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// ReferralView is a referral as staff see it: the record (with its
// screening and earlier referrals of the same child once triaged), its
// decisions (oldest first; the current one is not superseded), what the
// referrer added later, and the follow-ups the system started for it.
type ReferralView struct {
	*referral.Record
	Decisions []decision.Decision `json:"decisions"`
	Addenda   []referrer.Addendum `json:"addenda"`
	FollowUps []followup.FollowUp `json:"followUps"`
}

// Referral returns the referral with the given id, and its follow-ups, after
// auditing the read.
func (s *Service) Referral(ctx context.Context, id string, req audit.Request) (*ReferralView, error) {
	if !ids.IsULID(id) {
		return nil, apperr.New(apperr.NotFound, "There is no referral with that id. A referral id is 26 characters, like 01JDCQ2Z8Q7X3V4N5M6K7J8H9G.")
	}
	rec, err := s.store.Referral(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, apperr.New(apperr.NotFound, "There is no referral with the id %s.", id)
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The referral could not be read just now. Please try again.")
	}
	now := s.now().UTC()
	entry := req.Entry(audit.Referral(id), audit.Read, now)
	if err := s.store.AppendAudit(ctx, entry); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The referral could not be read just now (the read could not be audited). Please try again.")
	}
	fus, err := s.store.FollowUps(ctx, followup.SourceReferral, id)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The referral's follow-ups could not be read just now. Please try again.")
	}
	ds, err := s.store.Decisions(ctx, id)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The referral's decisions could not be read just now. Please try again.")
	}
	if ds == nil {
		ds = []decision.Decision{}
	}
	adds, err := s.store.Addenda(ctx, id)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The referral's addenda could not be read just now. Please try again.")
	}
	if adds == nil {
		adds = []referrer.Addendum{}
	}
	if fus == nil {
		fus = []followup.FollowUp{}
	}
	slog.InfoContext(ctx, "referral read", "referralId", id, "role", req.Actor.Role)
	return &ReferralView{Record: rec, Decisions: ds, Addenda: adds, FollowUps: fus}, nil
}
