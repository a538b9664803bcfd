// Package stats computes the figures the MASH manager is asked for, from the
// stored referrals and follow-ups of a period: referrals received (by
// census referral source), the re-referral rate, the share of screening
// decisions made within one working day, the share of return home
// interviews completed within 72 hours, the appropriate adult's time to
// arrival (median and 90th percentile), and what is overdue, by type.
//
// Each figure is about a cohort fixed by the period: referrals received in
// it, and follow-ups started in it (the child's return, the custody
// request). Later events of that cohort count wherever they fall, so the
// figures of a past period settle once its cohort's work is done.
package stats

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
)

// MaxDays is the longest period asked for at once.
const MaxDays = 366

// london is the zone the period's days are in.
var london = calendar.London

// Period is [From, To): whole days in England, From's midnight to the
// midnight after the last day.
type Period struct {
	From, To time.Time
}

// ParsePeriod reads from and to, dates (2026-11-01) of the first and last
// day, both included, naming each parameter at fault. Left out, to is today
// and from is the first day of to's month, both in England at now: with
// neither, the period is this month so far.
func ParsePeriod(params map[string]string, now time.Time) (Period, error) {
	var fs []apperr.FieldError
	day := func(name string) time.Time {
		v, ok := params[name]
		if !ok {
			return time.Time{}
		}
		if v == "" {
			fs = append(fs, apperr.FieldError{Field: name, Message: "Give the " + name + " date, like 2026-11-01, or leave " + name + " out."})
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, v, london())
		if err != nil {
			fs = append(fs, apperr.FieldError{Field: name, Message: "The " + name + " date is a date like 2026-11-01."})
		} else if !calendar.InRange(t) {
			fs = append(fs, apperr.FieldError{Field: name, Message: fmt.Sprintf("The %s date is a date from %d-01-01 to %d-12-31.", name, calendar.FirstYear, calendar.LastYear)})
			return time.Time{}
		}
		return t
	}
	for name := range params {
		if name != "from" && name != "to" {
			fs = append(fs, apperr.FieldError{Field: name, Message: "The figures take only from and to."})
		}
	}
	from, last := day("from"), day("to")
	if len(fs) == 0 && last.IsZero() {
		y, m, d := now.In(london()).Date()
		last = time.Date(y, m, d, 0, 0, 0, 0, london())
	}
	if len(fs) == 0 && from.IsZero() {
		from = time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, london())
	}
	if len(fs) == 0 {
		to := time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, london())
		switch {
		case to.Before(from) || to.Equal(from):
			fs = append(fs, apperr.FieldError{Field: "to", Message: "The to date must be on or after the from date."})
		case to.After(from.AddDate(0, 0, MaxDays)):
			fs = append(fs, apperr.FieldError{Field: "to", Message: "Ask for at most " + strconv.Itoa(MaxDays) + " days at once."})
		}
		if len(fs) == 0 {
			return Period{From: from.UTC(), To: to.UTC()}, nil
		}
	}
	slices.SortFunc(fs, func(a, b apperr.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return Period{}, &apperr.Error{Code: apperr.Malformed, Message: "The figures cannot be computed for these dates.", Fields: fs}
}

// Weeks names the weeks the period touches, by the date of their Monday in
// England, oldest first.
func (p Period) Weeks() []string {
	var out []string
	for d := mondayOf(p.From); d.Before(p.To); d = d.AddDate(0, 0, 7) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out
}

// mondayOf is the start, in England, of the Monday of t's week.
func mondayOf(t time.Time) time.Time {
	l := t.In(london())
	back := (int(l.Weekday()) + 6) % 7 // days since Monday
	return time.Date(l.Year(), l.Month(), l.Day()-back, 0, 0, 0, 0, london())
}

// weekOf names t's week by its Monday in England.
func weekOf(t time.Time) string { return mondayOf(t).Format(time.DateOnly) }

// Contains reports whether t is in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// Months returns the months ("2026-11", in UTC) the period touches, for
// stores that keep items by month.
func (p Period) Months() []string {
	var out []string
	for m := time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(p.To); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// Referral is what the figures need of a referral.
type Referral struct {
	// ID is the referral's id: each one exported is audited.
	ID         string
	ReceivedAt time.Time
	// Source is the census referral source code.
	Source     string
	ReReferral bool
	// ScreeningDueAt is set once triaged; FirstDecidedAt once decided.
	ScreeningDueAt *time.Time
	FirstDecidedAt *time.Time
	// DecisionOverdue: the sweep flagged the decision overdue.
	DecisionOverdue bool
	// NoFurtherAction and PrimaryNeed are the current decision's: the
	// census's NFA flag, and its need code when the decision gave one.
	NoFurtherAction bool
	PrimaryNeed     string
}

// FollowUp is what the figures need of a follow-up.
type FollowUp struct {
	Kind followup.Kind
	// StartAt is when its clock started: the child's return, the custody
	// request.
	StartAt time.Time
	DueAt   time.Time
	Status  followup.Status
	// CompletedAt is set once completed; ArrivedAt when the appropriate
	// adult arrived.
	CompletedAt *time.Time
	ArrivedAt   *time.Time
	// Overdue: the sweep flagged it overdue.
	Overdue bool
}

// OverdueDecision is the Overdue key of screening decisions; the other
// keys are follow-up kinds.
const OverdueDecision = "SCREENING_DECISION"

// Figures are the manager's figures for a period. A share or rate is nil
// when nothing was there to divide.
type Figures struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`

	ReferralsReceived int            `json:"referralsReceived"`
	BySource          map[string]int `json:"referralsBySource"`
	// ByWeek counts the referrals received in each week of the period,
	// by the date (YYYY-MM-DD) of its Monday in England; every week of
	// the period is there, none received is 0.
	ByWeek         map[string]int `json:"referralsByWeek"`
	ReReferrals    int            `json:"reReferrals"`
	ReReferralRate *float64       `json:"reReferralRate"`

	Decided                  int      `json:"decided"`
	DecidedWithinOneDay      int      `json:"decidedWithinOneWorkingDay"`
	ShareDecidedWithinOneDay *float64 `json:"shareDecidedWithinOneWorkingDay"`
	AwaitingDecision         int      `json:"awaitingDecision"`

	ReturnHomeInterviews     int      `json:"returnHomeInterviews"`
	RHICompletedWithin72h    int      `json:"returnHomeInterviewsCompletedWithin72h"`
	ShareRHICompletedIn72h   *float64 `json:"shareReturnHomeInterviewsCompletedWithin72h"`
	AppropriateAdults        int      `json:"appropriateAdultRequests"`
	AppropriateAdultsArrived int      `json:"appropriateAdultsArrived"`
	MedianMinutesToArrival   *float64 `json:"appropriateAdultMedianMinutesToArrival"`
	P90MinutesToArrival      *float64 `json:"appropriateAdult90thPercentileMinutesToArrival"`

	// Overdue counts what the sweep flagged overdue, by type:
	// OverdueDecision and each follow-up kind.
	Overdue map[string]int `json:"overdue"`
}

// Compute works out the figures of the period from the referrals received
// and the follow-ups started in it (others are ignored).
func Compute(p Period, refs []Referral, fus []FollowUp) Figures {
	f := Figures{From: p.From, To: p.To, BySource: map[string]int{}, ByWeek: map[string]int{}, Overdue: map[string]int{}}
	for _, w := range p.Weeks() {
		f.ByWeek[w] = 0
	}
	for _, r := range refs {
		if !p.Contains(r.ReceivedAt) {
			continue
		}
		f.ReferralsReceived++
		f.BySource[r.Source]++
		f.ByWeek[weekOf(r.ReceivedAt)]++
		if r.ReReferral {
			f.ReReferrals++
		}
		switch {
		case r.FirstDecidedAt != nil:
			f.Decided++
			if r.ScreeningDueAt != nil && !r.FirstDecidedAt.After(*r.ScreeningDueAt) {
				f.DecidedWithinOneDay++
			}
		default:
			f.AwaitingDecision++
		}
		if r.DecisionOverdue {
			f.Overdue[OverdueDecision]++
		}
	}
	f.ReReferralRate = share(f.ReReferrals, f.ReferralsReceived)
	f.ShareDecidedWithinOneDay = share(f.DecidedWithinOneDay, f.Decided)

	var arrivals []float64
	for _, u := range fus {
		if !p.Contains(u.StartAt) {
			continue
		}
		if u.Overdue {
			f.Overdue[string(u.Kind)]++
		}
		switch u.Kind {
		case followup.KindReturnHomeInterview:
			f.ReturnHomeInterviews++
			if u.Status == followup.StatusCompleted && u.CompletedAt != nil && !u.CompletedAt.After(u.DueAt) {
				f.RHICompletedWithin72h++
			}
		case followup.KindAppropriateAdult:
			f.AppropriateAdults++
			if u.ArrivedAt != nil {
				f.AppropriateAdultsArrived++
				arrivals = append(arrivals, u.ArrivedAt.Sub(u.StartAt).Minutes())
			}
		}
	}
	f.ShareRHICompletedIn72h = share(f.RHICompletedWithin72h, f.ReturnHomeInterviews)
	f.MedianMinutesToArrival = percentile(arrivals, 50)
	f.P90MinutesToArrival = percentile(arrivals, 90)
	return f
}

// share is n/of rounded to 4 places, or nil when of is 0.
func share(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	v := math.Round(float64(n)/float64(of)*1e4) / 1e4
	return &v
}

// percentile is the nearest-rank pth percentile of xs (rounded to 0.1), or
// nil when there are none.
func percentile(xs []float64, p float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	v := math.Round(s[max(rank, 1)-1]*10) / 10
	return &v
}

// Store reads what the figures need, by month of receipt (referrals) or of
// the start of the clock (follow-ups), months as Period.Months names them,
// and records who exported which referral.
type Store interface {
	ReferralFacts(ctx context.Context, months []string) ([]Referral, error)
	FollowUpFacts(ctx context.Context, months []string) ([]FollowUp, error)
	AppendAudits(ctx context.Context, es []audit.Entry) error
}

// ActionExported is the audit action for a referral in a census export.
const ActionExported audit.Action = "referral.census-exported"

// CensusHeader are the census export's columns.
var CensusHeader = []string{"ReferralDate", "ReferralSource", "ReReferral", "ReferralNFA", "PrimaryNeedCode"}

// Census returns the period's referrals as rows shaped like the children
// in need census's referral module, oldest first: the date received (in
// England), the source code, the re-referral and no-further-action flags
// (1 or 0), and the primary need code where a decision gave one. No names,
// no free text, no ids.
func Census(p Period, refs []Referral) [][]string {
	var in []Referral
	for _, r := range refs {
		if p.Contains(r.ReceivedAt) {
			in = append(in, r)
		}
	}
	slices.SortStableFunc(in, func(a, b Referral) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	rows := make([][]string, 0, len(in))
	for _, r := range in {
		rows = append(rows, []string{r.ReceivedAt.In(london()).Format(time.DateOnly), r.Source, flag(r.ReReferral), flag(r.NoFurtherAction), r.PrimaryNeed})
	}
	return rows
}

// CensusExport returns the rows of the period the query parameters give
// (see ParsePeriod) and the period, after auditing each referral exported
// as read by req.
func (s *Service) CensusExport(ctx context.Context, params map[string]string, req audit.Request) (Period, [][]string, error) {
	p, err := ParsePeriod(params, s.now())
	if err != nil {
		return Period{}, nil, err
	}
	refs, err := s.store.ReferralFacts(ctx, p.Months())
	if err != nil {
		return Period{}, nil, apperr.Wrap(err, apperr.Unavailable, "The referrals could not be read just now. Please try again.")
	}
	now := s.now().UTC()
	var entries []audit.Entry
	for _, r := range refs {
		if p.Contains(r.ReceivedAt) {
			entries = append(entries, req.Entry(audit.Referral(r.ID), ActionExported, now))
		}
	}
	if err := s.store.AppendAudits(ctx, entries); err != nil {
		return Period{}, nil, apperr.Wrap(err, apperr.Unavailable, "The referrals could not be exported just now (the export could not be audited). Please try again.")
	}
	return p, Census(p, refs), nil
}

// Service computes the figures from the store.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service; now is the clock that says which month is
// this month.
func NewService(store Store, now func() time.Time) *Service { return &Service{store: store, now: now} }

// Figures returns the figures of the period given by the query parameters
// from and to (see ParsePeriod).
func (s *Service) Figures(ctx context.Context, params map[string]string) (*Figures, error) {
	p, err := ParsePeriod(params, s.now())
	if err != nil {
		return nil, err
	}
	refs, err := s.store.ReferralFacts(ctx, p.Months())
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The figures could not be computed just now. Please try again.")
	}
	fus, err := s.store.FollowUpFacts(ctx, p.Months())
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The figures could not be computed just now. Please try again.")
	}
	f := Compute(p, refs, fus)
	return &f, nil
}
