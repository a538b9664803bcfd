package casework

import (
	"context"
	"errors"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/page"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// ActionListed is the audit action for a referral shown in a page of the
// triage queue.
const ActionListed audit.Action = "referral.listed"

// QueueQuery selects a page of the triage queue.
type QueueQuery struct {
	// Priority is RED, AMBER or GREEN; empty for all.
	Priority string
	// Overdue, when set, keeps only overdue (true) or only not yet overdue
	// (false) referrals.
	Overdue *bool
	// Cursor is where the last page ended; empty for the first page.
	Cursor string
	Limit  int
}

// QueueStore reads the triage queue.
type QueueStore interface {
	// TriageQueue returns referrals awaiting a decision matching q:
	// untriaged ones first (whatever the priority asked for, since theirs
	// is not known; they are overdue), then overdue ones, then by decision
	// due time; and the cursor of the next page (empty at the end). It
	// returns page.ErrBadCursor for a cursor it did not make.
	TriageQueue(ctx context.Context, q QueueQuery) ([]*referral.Record, string, error)
	// AppendAudits writes audit entries, none overwriting another.
	AppendAudits(ctx context.Context, es []audit.Entry) error
}

// QueueItem is a referral as a line of the triage queue: enough to choose
// what to open next, no more. An untriaged referral (its automatic screening
// failed every time it was tried) has no priority, reasons or due times: it
// is overdue and comes first, to be screened by hand.
type QueueItem struct {
	ID             string          `json:"id"`
	Reference      string          `json:"reference"`
	Status         referral.Status `json:"status"`
	ReceivedAt     time.Time       `json:"receivedAt"`
	Untriaged      bool            `json:"untriaged"`
	UntriagedAt    *time.Time      `json:"untriagedAt,omitempty"`
	Priority       string          `json:"priority,omitempty"`
	Reasons        []string        `json:"reasons,omitempty"`
	DecisionDueAt  *time.Time      `json:"decisionDueAt,omitempty"`
	ScreeningDueAt *time.Time      `json:"screeningDueAt,omitempty"`
	PriorityDueAt  *time.Time      `json:"priorityDueAt,omitempty"`
	Overdue        bool            `json:"overdue"`
	ReReferral     bool            `json:"reReferral"`
	Children       int             `json:"children"`
	ReferralSource string          `json:"referralSource"`
}

// QueuePage is one page of the triage queue.
type QueuePage struct {
	Items []QueueItem `json:"items"`
	// Next is the cursor of the next page; empty on the last.
	Next string `json:"next,omitempty"`
}

// queueList is how messages name the triage queue.
const queueList = "the triage queue"

// ParseQueueQuery reads the query string of GET /triage-queue: priority
// (RED, AMBER or GREEN), overdue (true or false), cursor and limit, naming
// each parameter at fault.
func ParseQueueQuery(params map[string]string) (QueueQuery, error) {
	p := page.Parse(queueList, params, "priority", "overdue")
	q := QueueQuery{Overdue: p.Bool("overdue"), Cursor: p.Cursor(), Limit: p.Limit()}
	switch v, _ := p.Get("priority"); v {
	case "", "RED", "AMBER", "GREEN":
		q.Priority = v
	default:
		p.Fail("priority", "The priority is RED, AMBER or GREEN.")
	}
	if err := p.Err(); err != nil {
		return QueueQuery{}, err
	}
	return q, nil
}

// Queue lists a page of the triage queue and audits each referral shown.
func (s *Service) Queue(ctx context.Context, q QueueQuery, req audit.Request) (*QueuePage, error) {
	recs, next, err := s.store.TriageQueue(ctx, q)
	if errors.Is(err, page.ErrBadCursor) {
		return nil, page.CursorError(queueList)
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The triage queue could not be read just now. Please try again.")
	}
	now := s.now().UTC()
	out := &QueuePage{Items: make([]QueueItem, 0, len(recs)), Next: next}
	entries := make([]audit.Entry, 0, len(recs))
	for _, r := range recs {
		out.Items = append(out.Items, queueItem(r, now))
		entries = append(entries, req.Entry(audit.Referral(r.ID), ActionListed, now))
	}
	if err := s.store.AppendAudits(ctx, entries); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The triage queue could not be read just now (the read could not be audited). Please try again.")
	}
	return out, nil
}

// queueItem summarises r; it is overdue once flagged by the sweep or past
// its decision due time, and always when it could not be triaged.
func queueItem(r *referral.Record, now time.Time) QueueItem {
	it := QueueItem{
		ID: r.ID, Reference: r.Reference, Status: r.Status, ReceivedAt: r.ReceivedAt,
		Children: len(r.Form.Children), ReferralSource: r.Source,
	}
	if sc := r.Screening; sc != nil {
		it.Priority, it.Reasons, it.ReReferral = sc.Priority, sc.Reasons, sc.ReReferral
		it.DecisionDueAt, it.ScreeningDueAt, it.PriorityDueAt = &sc.DecisionDueAt, &sc.ScreeningDueAt, &sc.PriorityDueAt
		it.Overdue = sc.OverdueAt != nil || now.After(sc.DecisionDueAt)
		return it
	}
	it.Untriaged, it.UntriagedAt, it.Overdue = true, r.UntriagedAt, true
	return it
}
