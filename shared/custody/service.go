package custody

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// The audit actions on a custody request.
const (
	// ActionSubmitted: a custody request received.
	ActionSubmitted audit.Action = "custody.submitted"
	// ActionLinked: another request for the same custody record, received
	// while this one was open, and linked to it.
	ActionLinked audit.Action = "custody.linked"
)

// Status values of a stored custody request.
const (
	// StatusReceived: stored, follow-up commands not yet known to be sent.
	StatusReceived = "RECEIVED"
	// StatusQueued: the follow-up commands were sent.
	StatusQueued = "QUEUED"
)

// Store keeps custody requests.
type Store interface {
	// CreateCustodyRequest writes the request (status RECEIVED, findable by
	// a sweep among the unqueued), the idempotency record when idem is not
	// nil, and the audit entry, all or nothing, never overwriting anything.
	// It returns idempotency.ErrKeyUsed (wrapped or not) when an unexpired
	// record for idem's key exists.
	//
	// It also writes claim: the custody record's claim names rec, on
	// condition that no request holds it, or (claim.Replaces set) that the
	// one named there still does; otherwise ErrClaimTaken.
	CreateCustodyRequest(ctx context.Context, rec *Record, idem *idempotency.Record, claim Claim, entry audit.Entry) error
	// CustodyClaim returns the id of the request that holds the claim on a
	// custody record (ClaimKey), or "" when none does.
	CustodyClaim(ctx context.Context, key string) (string, error)
	// CustodyRequestsByID reads requests by id; one not found is left out.
	CustodyRequestsByID(ctx context.Context, ids []string) (map[string]*Record, error)
	// FollowUp returns the follow-up with the given id, or an error
	// wrapping followup.ErrNotFound.
	FollowUp(ctx context.Context, id string) (*followup.FollowUp, error)
	// AppendAudits writes audit entries, none overwriting another.
	AppendAudits(ctx context.Context, es []audit.Entry) error
	idempotency.Reader
	// MarkCustodyQueued records that the request's follow-up commands were
	// sent. A request already marked is left as it is.
	MarkCustodyQueued(ctx context.Context, id string, at time.Time) error
}

// ErrClaimTaken is what a Store returns when another request took the claim
// on the custody record first.
var ErrClaimTaken = errors.New("custody record claimed by another request")

// Claim is a custody request's hold on its custody record (suite and
// custody number), so that a second request for the same detained person
// while the first is open is linked to it, not made again.
type Claim struct {
	// Key is ClaimKey of the record.
	Key string
	// Replaces is the request that held the claim before, whose follow-ups
	// are done; "" when none did.
	Replaces string
}

// ClaimKey names a custody record: its suite and custody number, compared
// without regard to case or spacing, hashed (it is no one's name, but it
// identifies a detention).
func ClaimKey(suite, number string) string {
	norm := func(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), " ")) }
	return ids.Hash(norm(suite) + "\x00" + norm(number))
}

const linkedMessage = "A request for this custody record is already open (reference %s): this one is linked to it, and no second appropriate adult or accommodation is asked for. " +
	"If the appropriate adult has not arrived by the time shown, telephone the emergency duty team."

// FollowUps takes follow-up commands. Messages carry references only.
type FollowUps interface {
	SendFollowUps(ctx context.Context, cmds []followup.Command) error
}

// Receipt is what the custody officer gets back at once.
type Receipt struct {
	ID         string    `json:"id"`
	Reference  string    `json:"reference"`
	ReceivedAt time.Time `json:"receivedAt"`
	// FollowUps says what the local authority will do, and by when.
	FollowUps []ReceiptFollowUp `json:"followUps"`
	Message   string            `json:"message"`
	// Linked is set when the request was linked to an open request for the
	// same custody record, whose receipt this is, instead of being made.
	Linked bool `json:"linked,omitempty"`
}

// ReceiptFollowUp is one follow-up named on a receipt.
type ReceiptFollowUp struct {
	Kind  followup.Kind `json:"kind"`
	Label string        `json:"label"`
	DueAt time.Time     `json:"dueAt"`
}

const receivedMessage = "Your request has been received by the local authority. " +
	"Quote the reference if you call about it. If an appropriate adult has not arrived by the time shown, telephone the emergency duty team."

// Service handles custody requests.
type Service struct {
	store     Store
	followUps FollowUps
	now       func() time.Time
	cal       followup.WorkingDays
	clocks    followup.Clocks
}

// NewService returns a Service. cal is the working-day calendar the
// follow-up clocks use; now is the clock (time.Now in production).
func NewService(store Store, followUps FollowUps, cal followup.WorkingDays, now func() time.Time) *Service {
	return &Service{store: store, followUps: followUps, now: now, cal: cal, clocks: followup.DefaultClocks()}
}

// Submit decodes, validates and stores a custody request, then sends the
// commands for its follow-ups. It returns the receipt and whether it is a
// replay. idempotencyKey is the request's Idempotency-Key header, empty
// when none was sent: scoped to the officer (their subject), the same
// request sent again with it within idempotency.TTL gets the first receipt
// and makes nothing more, so that a police system's retries never ask for
// two appropriate adults. Every error is an *apperr.Error; on any error
// nothing has been written. If the commands cannot be sent the request stays
// stored (and unqueued, for the sweep) and the receipt is still returned.
func (s *Service) Submit(ctx context.Context, body []byte, idempotencyKey string, meta audit.Request) (*Receipt, bool, error) {
	key := idempotency.Key{Route: meta.Route, Scope: meta.Actor.ID, Value: idempotencyKey}
	if err := key.Check(); err != nil {
		return nil, false, err
	}
	if len(body) > MaxBody {
		return nil, false, apperr.New(apperr.TooLarge,
			"The request body is over %d KiB. A custody request is much smaller than that: shorten the free-text answers.", MaxBody>>10)
	}
	req, err := Decode(body)
	if err != nil {
		return nil, false, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	if err := Validate(req, now); err != nil {
		return nil, false, err
	}
	rec := &Record{
		ID:         ids.NewULID(now),
		Reference:  ids.NewReference(),
		ReceivedAt: now,
		Request:    *req,
	}
	cmds := followup.ForCustody(rec.ID, now, req.AppropriateAdultRequested, req.AccommodationRequested)
	receipt, err := s.receipt(rec, cmds)
	if err != nil {
		return nil, false, err
	}
	idem, err := idempotency.NewRecord(key, req, receipt, "", now)
	if err != nil {
		return nil, false, apperr.Wrap(err, apperr.Internal, "The custody request could not be processed.")
	}
	if idem != nil {
		// A retry replays before anything else is looked at.
		if prev, err := s.store.Idempotency(ctx, idem.KeyHash, now); err == nil && prev != nil {
			r, err := idempotency.Replay[Receipt](ctx, s.store, idem, now, "custody request")
			return r, err == nil, err
		}
	}
	entry := meta.Entry(audit.Custody(rec.ID), ActionSubmitted, now)
	claim := Claim{Key: ClaimKey(req.CustodySuite, req.CustodyNumber)}
	for attempt := 1; ; attempt++ {
		holder, err := s.store.CustodyClaim(ctx, claim.Key)
		if err != nil {
			return nil, false, apperr.Wrap(err, apperr.Unavailable, "The custody request could not be checked just now and has not been received. Please try again in a minute; if it is urgent, telephone the emergency duty team.")
		}
		if holder != "" {
			linked, err := s.linked(ctx, holder, req)
			if err != nil {
				return nil, false, err
			}
			if linked != nil {
				if err := s.store.AppendAudits(ctx, []audit.Entry{meta.Entry(audit.Custody(holder), ActionLinked, now)}); err != nil {
					return nil, false, apperr.Wrap(err, apperr.Unavailable, "The custody request could not be recorded just now and has not been received. Please try again in a minute; if it is urgent, telephone the emergency duty team.")
				}
				slog.InfoContext(ctx, "custody request linked to the open one for its custody record", "custodyRequestId", holder)
				return linked, false, nil
			}
		}
		claim.Replaces = holder
		err = s.store.CreateCustodyRequest(ctx, rec, idem, claim, entry)
		if errors.Is(err, ErrClaimTaken) && attempt < 3 {
			continue // another request took it meanwhile: look again
		}
		return s.stored(ctx, rec, cmds, receipt, idem, now, err)
	}
}

// stored finishes Submit once the request's write has been tried (err):
// a replay, a refusal, or the follow-ups sent.
func (s *Service) stored(ctx context.Context, rec *Record, cmds []followup.Command, receipt *Receipt, idem *idempotency.Record, now time.Time, err error) (*Receipt, bool, error) {
	if errors.Is(err, idempotency.ErrKeyUsed) && idem != nil {
		r, err := idempotency.Replay[Receipt](ctx, s.store, idem, now, "custody request")
		if err != nil {
			return nil, false, err
		}
		slog.InfoContext(ctx, "idempotent replay of a custody request", "custodyRequestId", r.ID)
		return r, true, nil
	}
	if err != nil {
		return nil, false, apperr.Wrap(err, apperr.Unavailable,
			"The custody request could not be stored just now and has not been received. Please try again in a minute; if it is urgent, telephone the emergency duty team.")
	}

	log := slog.With("custodyRequestId", rec.ID, "reference", rec.Reference)
	log.InfoContext(ctx, "custody request stored", "followUps", len(cmds))
	if err := s.followUps.SendFollowUps(ctx, cmds); err != nil {
		// The request is safe in the store and shows as unqueued; the sweep
		// sends its commands. The officer keeps the receipt.
		log.WarnContext(ctx, "custody request stored but follow-ups not sent; the sweep will send them", "error", err)
		return receipt, false, nil
	}
	if err := s.store.MarkCustodyQueued(ctx, rec.ID, s.now().UTC()); err != nil {
		// The commands are sent; sending them again is harmless because
		// follow-up ids come from the command.
		log.WarnContext(ctx, "custody follow-ups sent but request not marked queued", "error", err)
		return receipt, false, nil
	}
	log.InfoContext(ctx, "custody follow-ups sent")
	return receipt, false, nil
}

// linked returns the receipt of holder, the request that holds the claim
// on the same custody record, marked as linked, when its follow-ups cover
// everything req asks for and none of those is done; otherwise nil, and a
// new request is made. A follow-up not yet made counts as open: the
// request is that fresh.
func (s *Service) linked(ctx context.Context, holder string, req *Request) (*Receipt, error) {
	unavailable := func(err error) error {
		return apperr.Wrap(err, apperr.Unavailable, "The custody request could not be checked just now and has not been received. Please try again in a minute; if it is urgent, telephone the emergency duty team.")
	}
	recs, err := s.store.CustodyRequestsByID(ctx, []string{holder})
	if err != nil {
		return nil, unavailable(err)
	}
	prev := recs[holder]
	if prev == nil {
		return nil, nil
	}
	cmds := followup.ForCustody(prev.ID, prev.ReceivedAt, prev.Request.AppropriateAdultRequested, prev.Request.AccommodationRequested)
	for _, want := range followup.ForCustody(prev.ID, prev.ReceivedAt, req.AppropriateAdultRequested, req.AccommodationRequested) {
		i := slices.IndexFunc(cmds, func(c followup.Command) bool { return c.Kind == want.Kind })
		if i < 0 {
			return nil, nil
		}
		f, err := s.store.FollowUp(ctx, cmds[i].FollowUpID())
		switch {
		case errors.Is(err, followup.ErrNotFound):
		case err != nil:
			return nil, unavailable(err)
		case f.Status == followup.StatusCompleted || f.Status == followup.StatusDeclined:
			return nil, nil
		}
	}
	r, err := s.receipt(prev, cmds)
	if err != nil {
		return nil, err
	}
	r.Linked, r.Message = true, fmt.Sprintf(linkedMessage, prev.Reference)
	return r, nil
}

// receipt builds the receipt, with the due time of each follow-up.
func (s *Service) receipt(rec *Record, cmds []followup.Command) (*Receipt, error) {
	r := &Receipt{
		ID: rec.ID, Reference: rec.Reference, ReceivedAt: rec.ReceivedAt,
		FollowUps: make([]ReceiptFollowUp, 0, len(cmds)), Message: receivedMessage,
	}
	for _, c := range cmds {
		due, err := s.clocks.Due(c.Kind, c.StartAt, s.cal)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Internal, "The custody request could not be processed.")
		}
		r.FollowUps = append(r.FollowUps, ReceiptFollowUp{Kind: c.Kind, Label: c.Kind.Label(), DueAt: due.UTC()})
	}
	return r, nil
}
