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

// maxPages bounds the pages (Limit each) one run works through in each of
// its phases: what is left, the next run takes.
const maxPages = 50

// eachPage works through a phase's items a page at a time: page reads the
// next page (at most Limit), handle works on one item and says whether it
// moved it on (queued, sent, flagged). Each item moved on leaves the
// page's partition, so the next page is the next items; a short page, a
// page that moves nothing on (every item failed, or was done already),
// maxPages or the end of the run's time ends the phase. A backlog (after
// an outage, or a missed run) is so not left to the runs to come. It
// returns how many items it moved on; errors are added to errs.
func eachPage[T any](ctx context.Context, limit int, errs *[]error, page func() ([]T, error), handle func(T) (bool, error)) int {
	done := 0
	for range maxPages {
		if ctx.Err() != nil {
			break
		}
		items, err := page()
		*errs = append(*errs, err)
		moved := 0
		for _, it := range items {
			ok, err := handle(it)
			if err != nil {
				*errs = append(*errs, err)
				continue
			}
			if ok {
				moved++
			}
		}
		done += moved
		if len(items) < limit || moved == 0 {
			break
		}
	}
	return done
}

// Run sweeps once as of now. It carries on past a failing item, so one bad
// record cannot hold up the rest, and returns every error joined.
func (s *Service) Run(ctx context.Context, now time.Time) (Report, error) {
	now = now.UTC()
	var r Report
	var errs []error
	limit := s.opts.Limit

	r.Requeued = eachPage(ctx, limit, &errs, func() ([]string, error) {
		return s.store.UnqueuedReferrals(ctx, now.Add(-s.opts.RequeueAfter), limit)
	}, func(id string) (bool, error) {
		if err := s.triage.EnqueueReferral(ctx, id); err != nil {
			return false, err
		}
		if err := s.store.MarkQueued(ctx, id, now); err != nil {
			return false, err
		}
		slog.WarnContext(ctx, "referral queued by the sweep", "referralId", id)
		return true, nil
	})

	eachPage(ctx, limit, &errs, func() ([]string, error) {
		return s.store.StaleQueued(ctx, now.Add(-s.opts.ResendAfter), limit)
	}, func(id string) (bool, error) {
		resent, untriaged, err := s.resend(ctx, now, id)
		if resent {
			r.Resent++
		}
		if untriaged {
			r.Untriaged++
		}
		return resent || untriaged, err
	})

	r.CustodyResent = eachPage(ctx, limit, &errs, func() ([]CustodyRequest, error) {
		return s.store.UnqueuedCustodyRequests(ctx, now.Add(-s.opts.RequeueAfter), limit)
	}, func(c CustodyRequest) (bool, error) {
		cmds := followup.ForCustody(c.ID, c.ReceivedAt, c.AppropriateAdult, c.Accommodation)
		if err := s.followUps.SendFollowUps(ctx, cmds); err != nil {
			return false, err
		}
		if err := s.store.MarkCustodyQueued(ctx, c.ID, now); err != nil {
			return false, err
		}
		slog.WarnContext(ctx, "custody request follow-ups sent by the sweep", "custodyRequestId", c.ID, "commands", len(cmds))
		return true, nil
	})

	// Every clock that has run out is escalated in this run.
	r.OverdueReferrals = eachPage(ctx, limit, &errs, func() ([]string, error) {
		return s.store.DueReferrals(ctx, now, limit)
	}, func(id string) (bool, error) {
		flagged, err := s.store.MarkReferralOverdue(ctx, id, now, sweeper.Entry(audit.Referral(id), audit.Overdue, now))
		if flagged {
			slog.WarnContext(ctx, "referral decision overdue; escalated to the MASH manager", "referralId", id)
		}
		return flagged, err
	})
	r.OverdueFollowUps = eachPage(ctx, limit, &errs, func() ([]Key, error) {
		return s.store.DueFollowUps(ctx, now, limit)
	}, func(k Key) (bool, error) {
		flagged, err := s.store.MarkFollowUpOverdue(ctx, k, now, sweeper.Entry(audit.FollowUp(k.ID), followup.ActionOverdue, now))
		if flagged {
			slog.WarnContext(ctx, "follow-up overdue; escalated to the MASH manager", "followUpId", k.ID)
		}
		return flagged, err
	})

	var err error
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

// resend sends again a referral queued long ago and never triaged, or
// escalates it once it has been sent again the most times.
func (s *Service) resend(ctx context.Context, now time.Time, id string) (resent, untriaged bool, _ error) {
	ok, err := s.store.RecordResend(ctx, id, now, s.opts.MaxResends)
	if err != nil {
		return false, false, err
	}
	if ok {
		if err := s.triage.EnqueueReferral(ctx, id); err != nil {
			return false, false, err
		}
		slog.WarnContext(ctx, "referral queued long ago but not triaged; sent again", "referralId", id)
		return true, false, nil
	}
	// The follow-ups the referral calls for (a return home interview)
	// must not wait for a screening that keeps failing: they are started
	// before it is escalated, and again on each run until it is (each is
	// created once however often it is asked for).
	var followUpsErr error
	if err := s.startFollowUps(ctx, id); err != nil {
		if !errors.Is(err, referral.ErrUnreadable) {
			return false, false, err
		}
		// No run will read it: waiting for its follow-ups would leave it
		// unseen for good. It is escalated all the same, for a person to
		// read and screen, and the run reports the error.
		followUpsErr = err
		slog.ErrorContext(ctx, "referral cannot be read; its follow-ups cannot be started", "referralId", id)
	}
	flagged, err := s.store.MarkUntriaged(ctx, id, now, sweeper.Entry(audit.Referral(id), audit.Untriaged, now))
	if err != nil {
		return false, false, errors.Join(followUpsErr, err)
	}
	if flagged {
		slog.ErrorContext(ctx, "referral could not be triaged; escalated to the MASH manager to screen by hand", "referralId", id, "resends", s.opts.MaxResends)
	}
	return false, flagged, followUpsErr
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
