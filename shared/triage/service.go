package triage

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// ReReferralWindow is how recent an earlier referral of the same child must
// be for this one to be a re-referral: 12 months (the children in need census
// definition).
const ReReferralWindow = 12

// Store is what triage needs of the database.
type Store interface {
	// Referral returns the referral, or an error wrapping
	// referral.ErrNotFound when there is none.
	Referral(ctx context.Context, id string) (*referral.Record, error)
	// LinkChild records that the referral is about the child with the match
	// key; doing so again changes nothing.
	LinkChild(ctx context.Context, referralID string, receivedAt time.Time, key string) error
	// ReferralsOfChild returns the referrals linked to the match key.
	ReferralsOfChild(ctx context.Context, key string) ([]referral.EarlierReferral, error)
	// SaveScreening stores the screening and moves the referral to
	// AWAITING_DECISION with the audit entry, in one conditional write. It
	// reports false, changing nothing, when the referral was already
	// triaged.
	SaveScreening(ctx context.Context, id string, sc referral.Screening, entry audit.Entry) (bool, error)
	// AddScreening stores the screening of a referral decided by hand
	// before it could be screened, with the audit entry, in one conditional
	// write; its status stays DECIDED. It reports false, changing nothing,
	// when the referral already has a screening.
	AddScreening(ctx context.Context, id string, sc referral.Screening, entry audit.Entry) (bool, error)
}

// FollowUps sends follow-up commands.
type FollowUps interface {
	SendFollowUps(ctx context.Context, cmds []followup.Command) error
}

// Service triages referrals.
type Service struct {
	store     Store
	followUps FollowUps
	rules     *Rules
	cal       WorkingDays
	secret    []byte
	now       func() time.Time
}

// NewService returns a triage service. secret keys the child match hashes;
// now is the clock.
func NewService(store Store, followUps FollowUps, rules *Rules, cal WorkingDays, secret []byte, now func() time.Time) *Service {
	return &Service{store: store, followUps: followUps, rules: rules, cal: cal, secret: secret, now: now}
}

// Screen works out a referral's screening: priority with reasons, due times,
// and earlier referrals of the same children (earlier linked referrals, most
// recent first; a re-referral when one is within ReReferralWindow months).
func (s *Service) Screen(rec *referral.Record, earlier []referral.EarlierReferral, now time.Time) referral.Screening {
	a := s.rules.Assess(&rec.Form)
	screening, priority := s.rules.DueTimes(a.Priority, rec.ReceivedAt, s.cal)
	sc := referral.Screening{
		Priority: string(a.Priority), Reasons: a.Reasons, RulesVersion: a.RulesVersion,
		ScreeningDueAt: screening, PriorityDueAt: priority, DecisionDueAt: minTime(screening, priority),
		EarlierReferrals: []referral.EarlierReferral{}, TriagedAt: now.UTC(),
	}
	window := rec.ReceivedAt.AddDate(0, -ReReferralWindow, 0)
	seen := map[string]bool{rec.ID: true}
	for _, e := range earlier {
		if seen[e.ID] || !isEarlier(e, rec) {
			continue
		}
		seen[e.ID] = true
		sc.EarlierReferrals = append(sc.EarlierReferrals, e)
		if !e.ReceivedAt.Before(window) {
			sc.ReReferral = true
		}
	}
	slices.SortFunc(sc.EarlierReferrals, func(a, b referral.EarlierReferral) int { return b.ReceivedAt.Compare(a.ReceivedAt) })
	return sc
}

// isEarlier orders referrals by time received, then by id for the same
// millisecond.
func isEarlier(e referral.EarlierReferral, rec *referral.Record) bool {
	if c := e.ReceivedAt.Compare(rec.ReceivedAt); c != 0 {
		return c < 0
	}
	return e.ID < rec.ID
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// Triage screens the referral with the id once. A referral already triaged
// is not screened again, but its follow-up commands are sent again, since a
// redelivered message may be all that is left of a run that stopped after
// saving; follow-ups are created once however often they are asked for.
//
// A referral that could not be triaged in time is screened by hand and may
// be decided before its message, redriven from the dead-letter queue, comes
// back: it is then screened all the same (its child linked, so that later
// referrals find it, and its screening kept for the record) but stays
// DECIDED, and its follow-ups start.
func (s *Service) Triage(ctx context.Context, id string) error {
	rec, err := s.store.Referral(ctx, id)
	if err != nil {
		return fmt.Errorf("triage %s: %w", id, err)
	}
	switch {
	case !rec.Status.Triaged():
		if err := s.screen(ctx, rec, s.store.SaveScreening); err != nil {
			return err
		}
	case rec.Screening == nil:
		if err := s.screen(ctx, rec, s.store.AddScreening); err != nil {
			return err
		}
	default:
		slog.InfoContext(ctx, "referral already triaged", "referralId", id)
	}
	cmds := followup.ForReferral(rec)
	if len(cmds) == 0 {
		return nil
	}
	if err := s.followUps.SendFollowUps(ctx, cmds); err != nil {
		return fmt.Errorf("triage %s: send follow-ups: %w", id, err)
	}
	return nil
}

// saveFunc stores a screening with its audit entry, reporting false when
// the referral was already screened.
type saveFunc func(ctx context.Context, id string, sc referral.Screening, entry audit.Entry) (bool, error)

// screen links the referral's children, screens it and stores the screening
// with save.
func (s *Service) screen(ctx context.Context, rec *referral.Record, save saveFunc) error {
	var keys []string
	for _, c := range rec.Form.Children {
		keys = append(keys, ChildKeys(c, s.secret)...)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	var earlier []referral.EarlierReferral
	for _, k := range keys {
		if err := s.store.LinkChild(ctx, rec.ID, rec.ReceivedAt, k); err != nil {
			return fmt.Errorf("triage %s: %w", rec.ID, err)
		}
	}
	for _, k := range keys {
		found, err := s.store.ReferralsOfChild(ctx, k)
		if err != nil {
			return fmt.Errorf("triage %s: %w", rec.ID, err)
		}
		earlier = append(earlier, found...)
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	sc := s.Screen(rec, earlier, now)
	entry := audit.Entry{ID: ids.NewULID(now), At: now, Subject: audit.Referral(rec.ID), Action: audit.Triaged, Actor: audit.System("triage")}
	applied, err := save(ctx, rec.ID, sc, entry)
	if err != nil {
		return fmt.Errorf("triage %s: %w", rec.ID, err)
	}
	if !applied {
		slog.InfoContext(ctx, "referral already triaged", "referralId", rec.ID)
		return nil
	}
	if !rec.Status.Triaged() {
		rec.Status = referral.StatusAwaitingDecision
	}
	rec.Screening = &sc
	slog.InfoContext(ctx, "referral triaged", "referralId", rec.ID, "reference", rec.Reference,
		"priority", sc.Priority, "decisionDueAt", sc.DecisionDueAt, "reReferral", sc.ReReferral, "earlierReferrals", len(sc.EarlierReferrals))
	return nil
}
