// Package intake receives referrals: it validates a submission, stores it
// with its idempotency record and first audit entry in one all-or-nothing
// write, queues it for triage and hands the referrer a receipt.
//
// The order of writes is what keeps a referral from being lost: the referral
// is stored first, then a message carrying its id is sent to the triage
// queue. It is stored as QUEUED, in the sweep's partition of referrals
// queued and not yet triaged, so that a sending that sends its message
// (nearly every one) writes once: nothing is written after the send. If the
// send fails, the referral is put back to RECEIVED, the referrer still gets
// a receipt, and the sweep queues it within minutes. If the sending stops
// between the write and the send (out of time, or its process killed), the
// referral is QUEUED with no message: a retry of the sending after
// MaxSendingTime sends it, and otherwise the sweep sends it again as it does
// any referral left untriaged (sweep.DefaultResendAfter).
package intake

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// Limits on a submission.
const (
	// MaxBodyBytes is the largest referral body accepted: 256 KiB.
	MaxBodyBytes = 256 << 10
	// referenceAttempts bounds redraws of a human reference on collision.
	referenceAttempts = 5
)

// ErrReferenceTaken is what a Store returns when the human reference
// belongs to another referral.
var ErrReferenceTaken = errors.New("reference already taken")

// Store keeps referrals.
type Store interface {
	// CreateReferral writes the referral, the claim on its reference, the
	// idempotency record (when idem is not nil) and the audit entry, all or
	// nothing. It returns idempotency.ErrKeyUsed or ErrReferenceTaken
	// (wrapped or not) when the matching condition fails.
	CreateReferral(ctx context.Context, rec *referral.Record, idem *idempotency.Record, entry audit.Entry) error
	idempotency.Reader
	// MarkQueued records that the triage message of an untriaged referral
	// (RECEIVED or QUEUED) was sent at at.
	MarkQueued(ctx context.Context, id string, at time.Time) error
	// MarkUnqueued puts a QUEUED referral whose message could not be sent
	// back to RECEIVED (received at receivedAt), for the sweep to queue.
	MarkUnqueued(ctx context.Context, id string, receivedAt time.Time) error
	// Referral reads a stored referral.
	Referral(ctx context.Context, id string) (*referral.Record, error)
}

// Queue takes referrals for triage. Messages carry the id only.
type Queue interface {
	EnqueueReferral(ctx context.Context, id string) error
}

// Submission is one POST of a referral.
type Submission struct {
	Body []byte
	// Idempotency is the Idempotency-Key sent, with its scope (none for a
	// partner's referral; for one the system makes, the record it is made
	// from); its Value is empty when none was sent.
	Idempotency idempotency.Key
	// Request is who submitted it, through which route and API request.
	audit.Request
	// Origin links a referral made from a helpline call or a follow-up to
	// it; nil for a partner's referral.
	Origin *referral.Origin
}

// Receipt is what the referrer gets back at once.
type Receipt struct {
	ID           string          `json:"id"`
	Reference    string          `json:"reference"`
	ReceivedAt   time.Time       `json:"receivedAt"`
	Status       referral.Status `json:"status"`
	ReceiptToken string          `json:"receiptToken"`
	Message      string          `json:"message"`
	// Urgent is set when the referrer said the child is at immediate risk.
	Urgent string `json:"urgent,omitempty"`
}

// Messages shown on a receipt.
const (
	receivedMessage = "Your referral has been received by the multi-agency safeguarding hub. " +
		"Keep the reference and receipt token: you need both to check its status or add information."
	urgentMessage = "You said the child is at immediate risk. If you have not already done so, call 999 now. " +
		"This referral does not replace an emergency call."
)

// MaxSendingTime bounds how long a sending of a referral can run: the
// timeout of every function that submits one (10 s in template.yaml, which a
// test keeps at most this). A referral still unqueued this long after it was
// received will never be queued by its first sending.
const MaxSendingTime = 10 * time.Second

// Service handles submissions.
type Service struct {
	store Store
	queue Queue
	now   func() time.Time
}

// New returns a Service. now is the clock; pass time.Now in production.
func New(store Store, queue Queue, now func() time.Time) *Service {
	return &Service{store: store, queue: queue, now: now}
}

// Submit validates, stores and queues a referral. It returns the receipt and
// whether it is a replay of an earlier submission with the same
// Idempotency-Key. Every error is an *apperr.Error; on any error nothing has
// been written.
func (s *Service) Submit(ctx context.Context, sub Submission) (Receipt, bool, error) {
	if err := sub.Idempotency.Check(); err != nil {
		return Receipt{}, false, err
	}
	if len(sub.Body) > MaxBodyBytes {
		return Receipt{}, false, apperr.New(apperr.TooLarge,
			"The referral is larger than %d KiB. Shorten the free-text sections or send long documents as an addendum.", MaxBodyBytes>>10)
	}
	form, err := referral.Decode(sub.Body)
	if err != nil {
		return Receipt{}, false, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	if err := referral.Validate(form, now); err != nil {
		return Receipt{}, false, err
	}

	token := ids.NewToken()
	rec := &referral.Record{
		ID:               ids.NewULID(now),
		Status:           referral.StatusQueued,
		ReceivedAt:       now,
		QueuedAt:         &now,
		Source:           form.Referrer.AgencyType.ReferralSource(),
		ReceiptTokenHash: ids.Hash(token),
		Version:          1,
		Origin:           sub.Origin,
		Form:             *form,
	}
	var receipt Receipt
	var idem *idempotency.Record
	for attempt := 1; ; attempt++ {
		rec.Reference = ids.NewReference()
		receipt = newReceipt(rec, token, form.Concerns.ImmediateRisk)
		if idem, err = idempotency.NewRecord(sub.Idempotency, form, receipt, rec.ID, now); err != nil {
			return Receipt{}, false, apperr.Wrap(err, apperr.Internal, "The referral could not be processed.")
		}
		entry := sub.Request.Entry(audit.Referral(rec.ID), audit.Submitted, now)
		err = s.store.CreateReferral(ctx, rec, idem, entry)
		switch {
		case err == nil:
		case errors.Is(err, ErrReferenceTaken) && attempt < referenceAttempts:
			continue
		case errors.Is(err, idempotency.ErrKeyUsed):
			return s.replay(ctx, idem, now)
		case ctx.Err() != nil:
			// Out of time: the write may yet land. Sent again with the
			// same key, it is received once.
			return Receipt{}, false, apperr.Wrap(err, apperr.Unavailable,
				"The referral could not be confirmed as received just now. Send it again (with the same Idempotency-Key): it will not be received twice. If it is urgent, telephone the safeguarding hub.")
		default:
			return Receipt{}, false, apperr.Wrap(err, apperr.Unavailable,
				"The referral could not be stored just now and has not been received. Please try again in a minute; if it is urgent, telephone the safeguarding hub.")
		}
		break
	}

	log := slog.With("referralId", rec.ID, "reference", rec.Reference)
	log.InfoContext(ctx, "referral stored", "children", len(form.Children), "source", rec.Source)
	s.send(ctx, log, rec)
	return receipt, false, nil
}

// unqueueTime bounds putting a referral back to RECEIVED after its send
// failed, which may be because the sending ran out of time: it runs on
// past the request's deadline, within the second the handlers keep
// before the function's timeout.
const unqueueTime = 500 * time.Millisecond

// send sends the referral stored as queued for triage. A failure is
// logged, not returned: the referral is safe in the store and put back to
// RECEIVED, the sweep queues it, and the referrer keeps their receipt.
func (s *Service) send(ctx context.Context, log *slog.Logger, rec *referral.Record) {
	err := s.queue.EnqueueReferral(ctx, rec.ID)
	if err == nil {
		log.InfoContext(ctx, "referral queued")
		return
	}
	log.WarnContext(ctx, "referral stored but not queued; the sweep will queue it", "error", err)
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), unqueueTime)
	defer cancel()
	if err := s.store.MarkUnqueued(uctx, rec.ID, rec.ReceivedAt); err != nil {
		log.WarnContext(ctx, "referral not queued and still marked queued; the sweep will send it again as untriaged", "error", err)
	}
}

// enqueue sends an untriaged referral id for triage and marks it queued. A
// failure is logged, not returned: the referral is safe in the store and
// shows as unqueued, the sweep queues it, and the referrer keeps their
// receipt.
func (s *Service) enqueue(ctx context.Context, log *slog.Logger, id string) {
	if err := s.queue.EnqueueReferral(ctx, id); err != nil {
		log.WarnContext(ctx, "referral stored but not queued; the sweep will queue it", "error", err)
		return
	}
	if err := s.store.MarkQueued(ctx, id, s.now().UTC()); err != nil {
		// The message is on the queue; a later re-queue by the sweep is a
		// harmless duplicate because triage is idempotent.
		log.WarnContext(ctx, "referral queued but not marked queued", "error", err)
		return
	}
	log.InfoContext(ctx, "referral queued")
}

// replay answers a submission whose Idempotency-Key was used before.
func (s *Service) replay(ctx context.Context, idem *idempotency.Record, now time.Time) (Receipt, bool, error) {
	r, err := idempotency.Replay[Receipt](ctx, s.store, idem, now, "referral")
	if err != nil {
		return Receipt{}, false, err
	}
	log := slog.With("referralId", r.ID)
	log.InfoContext(ctx, "idempotent replay")
	// The first sending may have stored the referral and stopped before
	// sending its message (out of time, say): once it can no longer be
	// running, the retry sends it now rather than leaving it for the sweep.
	// If the first sending did send it, triage takes the second message as
	// the duplicate it is. A retry while the first may still be running
	// (clients retrying at once) leaves the sending to it, and to the sweep
	// if it fails, so the referral is sent once.
	rec, err := s.store.Referral(ctx, r.ID)
	switch {
	case err != nil:
		log.WarnContext(ctx, "replayed referral not read; the sweep queues it if it is untriaged", "error", err)
	case rec.Status.Triaged():
	case now.Sub(rec.ReceivedAt) < MaxSendingTime:
		log.InfoContext(ctx, "replayed referral not triaged yet; its first sending may still queue it")
	case rec.Status == referral.StatusQueued && rec.QueuedAt != nil && !rec.QueuedAt.Equal(rec.ReceivedAt):
		log.InfoContext(ctx, "replayed referral already sent again; the sweep sends it again if it stays untriaged")
	default:
		// RECEIVED (its send failed), or QUEUED as its first sending stored
		// it: sent, and marked sent now, so that later retries send nothing.
		s.enqueue(ctx, log, r.ID)
	}
	return *r, true, nil
}

// newReceipt is the receipt of rec: its status is RECEIVED, what the
// referrer is told, however far the referral has gone.
func newReceipt(rec *referral.Record, token string, immediateRisk *bool) Receipt {
	r := Receipt{
		ID:           rec.ID,
		Reference:    rec.Reference,
		ReceivedAt:   rec.ReceivedAt,
		Status:       referral.StatusReceived,
		ReceiptToken: token,
		Message:      receivedMessage,
	}
	if immediateRisk != nil && *immediateRisk {
		r.Urgent = urgentMessage
	}
	return r
}
