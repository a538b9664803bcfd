package casework

import (
	"context"
	"errors"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// ActionTrailRead is the audit action for a reading of a referral's audit
// trail: reading who read a referral is itself recorded.
const ActionTrailRead audit.Action = "referral.audit-read"

// MaxTrail is the most audit entries returned at once, newest last.
const MaxTrail = 1000

// AuditStore reads a referral's audit trail.
type AuditStore interface {
	// AuditTrail returns the newest max entries filed under the referral,
	// oldest first, and whether older ones were left out.
	AuditTrail(ctx context.Context, referralID string, max int) ([]audit.Entry, bool, error)
}

// Trail is a referral's audit trail.
type Trail struct {
	ReferralID string        `json:"referralId"`
	Entries    []audit.Entry `json:"entries"`
	// Truncated says older entries were left out (more than MaxTrail).
	Truncated bool `json:"truncated"`
}

// AuditTrail returns the referral's audit trail, after recording this read
// of it (so the trail returned ends with it).
func (s *Service) AuditTrail(ctx context.Context, id string, req audit.Request) (*Trail, error) {
	if !ids.IsULID(id) {
		return nil, apperr.New(apperr.NotFound, "There is no referral with that id. A referral id is 26 characters, like 01JDCQ2Z8Q7X3V4N5M6K7J8H9G.")
	}
	if _, err := s.store.Referral(ctx, id); errors.Is(err, ErrNotFound) {
		return nil, apperr.New(apperr.NotFound, "There is no referral with the id %s.", id)
	} else if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The referral could not be read just now. Please try again.")
	}
	now := s.now().UTC()
	entry := req.Entry(audit.Referral(id), ActionTrailRead, now)
	if err := s.store.AppendAudit(ctx, entry); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The audit trail could not be read just now (the read could not be audited). Please try again.")
	}
	es, truncated, err := s.store.AuditTrail(ctx, id, MaxTrail)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The audit trail could not be read just now. Please try again.")
	}
	return &Trail{ReferralID: id, Entries: es, Truncated: truncated}, nil
}
