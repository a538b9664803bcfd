// Package sweep is the front door's safety net, run on a schedule: it flags
// referrals and follow-ups past their due time (once each, with an
// escalation to the MASH manager), queues again referrals that were stored
// but never queued, and reports how many messages wait in the dead-letter
// queues. Every step is bounded, and running it again changes nothing that
// is already done.
package sweep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// Defaults for Options.
const (
	// DefaultRequeueAfter is how long a referral may stay stored but
	// unqueued before the sweep queues it (the intake normally queues it
	// within a second).
	DefaultRequeueAfter = 2 * time.Minute
	// DefaultResendAfter is how long a queued referral may wait untriaged
	// before the sweep sends it to the triage queue again. It is longer than
	// a message can spend being retried on the queue (5 receives with a
	// 180 s visibility timeout), so a message still being retried is not
	// doubled; a double would be harmless, as triage is idempotent.
	DefaultResendAfter = 20 * time.Minute
	// DefaultMaxResends is how many times a referral is sent again before
	// the sweep stops and escalates it to the MASH manager as untriaged
	// (its message most likely fails every time and sits in the dead-letter
	// queue, so sending it again would only fill that queue).
	DefaultMaxResends = 3
	// DefaultLimit is the most items of each kind read at once: the
	// unqueued and resent referrals handled per run, and a page of the
	// overdue ones (of which a run escalates up to maxPages pages).
	DefaultLimit = 100
)

// Key names a stored follow-up: its id, and the item's keys, by which the
// store finds it again.
type Key struct{ ID, PK, SK string }

// sweeper is who the sweep's audit entries say did the work.
var sweeper = audit.Request{Actor: audit.System("sweep")}

// Store is what the sweep needs of the database.
type Store interface {
	// UnqueuedReferrals returns the ids of referrals stored before before
	// and not yet queued, oldest first, at most limit.
	UnqueuedReferrals(ctx context.Context, before time.Time, limit int) ([]string, error)
	// MarkQueued marks a referral queued.
	MarkQueued(ctx context.Context, id string, at time.Time) error
	// StaleQueued returns the ids of referrals last sent to the triage
	// queue before before and still not triaged, oldest first, at most
	// limit.
	StaleQueued(ctx context.Context, before time.Time, limit int) ([]string, error)
	// RecordResend records that a queued referral is sent to the triage
	// queue again at at, unless it was already sent again max times or is
	// no longer queued; it reports whether it was recorded.
	RecordResend(ctx context.Context, id string, at time.Time, max int) (bool, error)
	// Referral returns the stored referral.
	Referral(ctx context.Context, id string) (*referral.Record, error)
	// MarkUntriaged takes a queued referral out of those sent again, with
	// the audit entry and an escalation to the MASH manager, once; false if
	// already done or no longer queued (it was triaged after all).
	MarkUntriaged(ctx context.Context, id string, now time.Time, entry audit.Entry) (bool, error)
	// UnqueuedCustodyRequests returns the custody requests stored before
	// before whose follow-ups were never sent, at most limit.
	UnqueuedCustodyRequests(ctx context.Context, before time.Time, limit int) ([]CustodyRequest, error)
	// MarkCustodyQueued marks a custody request's follow-ups sent.
	MarkCustodyQueued(ctx context.Context, id string, at time.Time) error
	// DueReferrals returns the ids of referrals awaiting a decision whose
	// decision was due before now, at most limit.
	DueReferrals(ctx context.Context, now time.Time, limit int) ([]string, error)
	// MarkReferralOverdue flags the referral overdue with the audit entry and
	// an escalation to the MASH manager, once; false if already flagged or
	// no longer awaiting a decision.
	MarkReferralOverdue(ctx context.Context, id string, now time.Time, entry audit.Entry) (bool, error)
	// DueFollowUps returns the follow-ups not yet done (open or accepted)
	// and not yet flagged, due before now, longest overdue first, at most
	// limit.
	DueFollowUps(ctx context.Context, now time.Time, limit int) ([]Key, error)
	// MarkFollowUpOverdue flags the follow-up overdue with an escalation
	// and the audit entry, once; false if it is already flagged or done.
	MarkFollowUpOverdue(ctx context.Context, k Key, now time.Time, entry audit.Entry) (bool, error)
}

// CustodyRequest is a stored custody request whose follow-up commands were
// never sent.
type CustodyRequest struct {
	ID               string
	ReceivedAt       time.Time
	AppropriateAdult bool
	Accommodation    bool
}

// FollowUps sends follow-up commands.
type FollowUps interface {
	SendFollowUps(ctx context.Context, cmds []followup.Command) error
}

// Triage queues referrals for triage.
type Triage interface {
	EnqueueReferral(ctx context.Context, id string) error
}

// DeadLetters reports the depth of each dead-letter queue by name.
type DeadLetters interface {
	Depths(ctx context.Context) (map[string]int, error)
}

// Options bound the sweep.
type Options struct {
	RequeueAfter time.Duration
	ResendAfter  time.Duration
	MaxResends   int
	Limit        int
}

// Report is what one run did.
type Report struct {
	Requeued           int            `json:"requeued"`
	Resent             int            `json:"resent"`
	Untriaged          int            `json:"untriaged"`
	CustodyResent      int            `json:"custodyResent"`
	OverdueReferrals   int            `json:"overdueReferrals"`
	OverdueFollowUps   int            `json:"overdueFollowUps"`
	DeadLetterDepths   map[string]int `json:"deadLetterDepths"`
	DeadLetterMessages int            `json:"deadLetterMessages"`
}

// Metrics are the counts of r the alarms watch, by metric name:
// follow-ups and decisions flagged overdue, referrals found untriaged, and
// messages in the dead-letter queues.
func (r Report) Metrics() map[string]int {
	return map[string]int{
		"OverdueFollowUps":   r.OverdueFollowUps,
		"OverdueDecisions":   r.OverdueReferrals,
		"UntriagedReferrals": r.Untriaged,
		"DeadLetterMessages": r.DeadLetterMessages,
	}
}

// Service runs the sweep.
type Service struct {
	store     Store
	triage    Triage
	followUps FollowUps
	dlq       DeadLetters
	opts      Options
}

// New returns a Service.
func New(store Store, triage Triage, followUps FollowUps, dlq DeadLetters, opts Options) *Service {
	if opts.RequeueAfter <= 0 {
		opts.RequeueAfter = DefaultRequeueAfter
	}
	if opts.ResendAfter <= 0 {
		opts.ResendAfter = DefaultResendAfter
	}
	if opts.MaxResends <= 0 {
		opts.MaxResends = DefaultMaxResends
	}
	if opts.Limit <= 0 {
		opts.Limit = DefaultLimit
	}
	return &Service{store: store, triage: triage, followUps: followUps, dlq: dlq, opts: opts}
}

// maxPages bounds the pages of overdue items one run escalates, of each
// kind (Limit each): what is left, the next run escalates.
const maxPages = 50

// Run sweeps once as of now. It carries on past a failing item, so one bad
// record cannot hold up the rest, and returns every error joined.
func (s *Service) Run(ctx context.Context, now time.Time) (Report, error) {
	now = now.UTC()
	var r Report
	var errs []error

	unqueued, err := s.store.UnqueuedReferrals(ctx, now.Add(-s.opts.RequeueAfter), s.opts.Limit)
	errs = append(errs, err)
	for _, id := range unqueued {
		if err := s.triage.EnqueueReferral(ctx, id); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := s.store.MarkQueued(ctx, id, now); err != nil {
			errs = append(errs, err)
			continue
		}
		r.Requeued++
		slog.WarnContext(ctx, "referral queued by the sweep", "referralId", id)
	}

	resent, untriaged, err := s.resend(ctx, now)
	errs = append(errs, err)
	r.Resent, r.Untriaged = resent, untriaged

	custody, err := s.store.UnqueuedCustodyRequests(ctx, now.Add(-s.opts.RequeueAfter), s.opts.Limit)
	errs = append(errs, err)
	for _, c := range custody {
		cmds := followup.ForCustody(c.ID, c.ReceivedAt, c.AppropriateAdult, c.Accommodation)
		if err := s.followUps.SendFollowUps(ctx, cmds); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := s.store.MarkCustodyQueued(ctx, c.ID, now); err != nil {
			errs = append(errs, err)
			continue
		}
		r.CustodyResent++
		slog.WarnContext(ctx, "custody request follow-ups sent by the sweep", "custodyRequestId", c.ID, "commands", len(cmds))
	}

	// Every clock that has run out is escalated in this run, a page at a
	// time: a backlog (after a run was missed, say) is not left to runs to
	// come. Each page flagged leaves the due partition, so the next page
	// is the next items; a page that flags nothing new, a short page or
	// the end of the run's time ends the phase.
	for page := 0; page < maxPages && ctx.Err() == nil; page++ {
		due, err := s.store.DueReferrals(ctx, now, s.opts.Limit)
		errs = append(errs, err)
		flaggedNow := 0
		for _, id := range due {
			flagged, err := s.store.MarkReferralOverdue(ctx, id, now, sweeper.Entry(audit.Referral(id), audit.Overdue, now))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if flagged {
				flaggedNow++
				slog.WarnContext(ctx, "referral decision overdue; escalated to the MASH manager", "referralId", id)
			}
		}
		r.OverdueReferrals += flaggedNow
		if len(due) < s.opts.Limit || flaggedNow == 0 {
			break
		}
	}

	for page := 0; page < maxPages && ctx.Err() == nil; page++ {
		fus, err := s.store.DueFollowUps(ctx, now, s.opts.Limit)
		errs = append(errs, err)
		flaggedNow := 0
		for _, k := range fus {
			flagged, err := s.store.MarkFollowUpOverdue(ctx, k, now, sweeper.Entry(audit.FollowUp(k.ID), followup.ActionOverdue, now))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if flagged {
				flaggedNow++
				slog.WarnContext(ctx, "follow-up overdue; escalated to the MASH manager", "followUpId", k.ID)
			}
		}
		r.OverdueFollowUps += flaggedNow
		if len(fus) < s.opts.Limit || flaggedNow == 0 {
			break
		}
	}

	r.DeadLetterDepths, err = s.dlq.Depths(ctx)
	errs = append(errs, err)
	for _, n := range r.DeadLetterDepths {
		r.DeadLetterMessages += n
	}
	level := slog.LevelInfo
	if r.DeadLetterMessages > 0 {
		level = slog.LevelError
	}
	slog.Log(ctx, level, "dead-letter queues", "depths", r.DeadLetterDepths, "total", r.DeadLetterMessages)
	slog.InfoContext(ctx, "sweep finished", "requeued", r.Requeued, "resent", r.Resent, "untriaged", r.Untriaged, "custodyResent", r.CustodyResent, "overdueReferrals", r.OverdueReferrals, "overdueFollowUps", r.OverdueFollowUps)
	if err := errors.Join(errs...); err != nil {
		return r, fmt.Errorf("sweep: %w", err)
	}
	return r, nil
}

// resend sends again the referrals queued long ago and never triaged, and
// escalates those already sent again the most times.
func (s *Service) resend(ctx context.Context, now time.Time) (resent, untriaged int, _ error) {
	stale, err := s.store.StaleQueued(ctx, now.Add(-s.opts.ResendAfter), s.opts.Limit)
	errs := []error{err}
	for _, id := range stale {
		ok, err := s.store.RecordResend(ctx, id, now, s.opts.MaxResends)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			if err := s.triage.EnqueueReferral(ctx, id); err != nil {
				errs = append(errs, err)
				continue
			}
			resent++
			slog.WarnContext(ctx, "referral queued long ago but not triaged; sent again", "referralId", id)
			continue
		}
		// The follow-ups the referral calls for (a return home interview)
		// must not wait for a screening that keeps failing: they are
		// started before it is escalated, and again on each run until it
		// is (each is created once however often it is asked for).
		if err := s.startFollowUps(ctx, id); err != nil {
			errs = append(errs, err)
			if !errors.Is(err, referral.ErrUnreadable) {
				continue
			}
			// No run will read it: waiting for its follow-ups would leave
			// it unseen for good. It is escalated all the same, for a
			// person to read and screen, and the run reports the error.
			slog.ErrorContext(ctx, "referral cannot be read; its follow-ups cannot be started", "referralId", id)
		}
		flagged, err := s.store.MarkUntriaged(ctx, id, now, sweeper.Entry(audit.Referral(id), audit.Untriaged, now))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if flagged {
			untriaged++
			slog.ErrorContext(ctx, "referral could not be triaged; escalated to the MASH manager to screen by hand", "referralId", id, "resends", s.opts.MaxResends)
		}
	}
	return resent, untriaged, errors.Join(errs...)
}

// startFollowUps sends the follow-up commands of the referral with the id.
func (s *Service) startFollowUps(ctx context.Context, id string) error {
	rec, err := s.store.Referral(ctx, id)
	if err != nil {
		return fmt.Errorf("read untriaged referral %s: %w", id, err)
	}
	if cmds := followup.ForReferral(rec); len(cmds) > 0 {
		if err := s.followUps.SendFollowUps(ctx, cmds); err != nil {
			return fmt.Errorf("start follow-ups of untriaged referral %s: %w", id, err)
		}
	}
	return nil
}

// Now is the moment a run sweeps as of: the schedule's time from the event
// when it has one (so a run is repeatable with its event), else the clock's.
func Now(scheduled, clock time.Time) time.Time {
	if scheduled.IsZero() {
		return clock
	}
	return scheduled
}
