package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// fuzzSQSBodies returns the message bodies of the SQS event in file.
func fuzzSQSBodies(f *testing.F, file string) []string {
	f.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		f.Fatal(err)
	}
	var ev events.SQSEvent
	if err := json.Unmarshal(b, &ev); err != nil || len(ev.Records) == 0 {
		f.Fatalf("%s: %v %+v", file, err, ev)
	}
	var out []string
	for _, r := range ev.Records {
		out = append(out, r.Body)
	}
	return out
}

// fuzzRun runs consume on the messages with bodies, whose ids are
// m<first>, m<first+1>, ..., and returns what the handler reports it
// handled (appended to *handled) and the ids the response lists as failed.
func fuzzRun(t *testing.T, what string, consume func(context.Context, events.SQSEvent) (events.SQSEventResponse, error),
	handled *[]string, bodies []string, first int) (ok, failed []string) {
	t.Helper()
	ev := events.SQSEvent{}
	for i, b := range bodies {
		ev.Records = append(ev.Records, events.SQSMessage{MessageId: fmt.Sprintf("m%d", first+i), Body: b,
			Attributes: map[string]string{"ApproximateReceiveCount": "1"}, EventSource: "aws:sqs"})
	}
	*handled = nil
	resp, err := consume(context.Background(), ev)
	if err != nil {
		t.Fatalf("%s: the batch handler returned an error: %v", what, err)
	}
	if resp.BatchItemFailures == nil {
		t.Errorf("%s: BatchItemFailures is null, not a list", what)
	}
	for _, fl := range resp.BatchItemFailures {
		failed = append(failed, fl.ItemIdentifier)
	}
	return slices.Clone(*handled), failed
}

// fuzzFollowUpStore keeps follow-ups in memory, each id once.
type fuzzFollowUpStore struct {
	mu   sync.Mutex
	byID map[string]followup.FollowUp
}

func (s *fuzzFollowUpStore) CreateFollowUp(_ context.Context, f followup.FollowUp) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[f.ID]; ok {
		return false, nil
	}
	s.byID[f.ID] = f
	return true, nil
}

// FuzzConsume feeds batches of three messages with any bodies to the two
// consumers the front door runs: the triage queue's (referral messages)
// and the follow-up queue's (follow-up commands, handled by the real
// follow-up service with the real clocks and calendar and a store that
// never fails), with a handler that fails the messages failMask picks.
// Whatever the bodies, nothing panics; every message is handled or listed
// in BatchItemFailures, never both and never neither; a message fares the
// same in the batch as alone; and every follow-up created is one that can
// be worked: OPEN at version 1, of a known kind, due after its start.
func FuzzConsume(f *testing.F) {
	triageBody := fuzzSQSBodies(f, "../../events/triage/referral-received.json")[0]
	commandBody := fuzzSQSBodies(f, "../../events/follow-up/return-home-interview.json")[0]
	f.Add(triageBody, commandBody, `{"type":"referral.received","referralId":"x","extra":1}`, uint8(0))
	f.Add(commandBody, triageBody, `{"type":"followup.create","kind":"FGM_POLICE_REPORT","sourceType":"referral","sourceId":"01KAQ3ZZ8Q7X3V4N5M6K7J8H9G","childIndex":0,"startAt":"2026-12-24T16:59:59Z"}`, uint8(0xff))
	f.Add(`{"type":"followup.create","kind":"S38_ACCOMMODATION","sourceType":"custody-request","sourceId":"01KAQ3ZZ8Q7X3V4N5M6K7J8H9G","childIndex":0,"startAt":"2026-03-29T21:00:00+01:00"}`,
		`{"type":"followup.create","kind":"APPROPRIATE_ADULT","sourceType":"custody-request","sourceId":"01KAQ3ZZ8Q7X3V4N5M6K7J8H9G","childIndex":1,"startAt":"2026-11-21T23:10:00Z"}`,
		`{"startAt":"9999-12-31T23:59:59-23:59","kind":"FGM_POLICE_REPORT"}`, uint8(0x0f))
	f.Add(``, `null`, `{} trailing`, uint8(1))
	f.Add(`[]`, `"referral.received"`, `{"type":"followup.create","kind":"RETURN_HOME_INTERVIEW","sourceType":"referral","sourceId":"01KAQ3ZZ8Q7X3V4N5M6K7J8H9G","childIndex":9,"startAt":"0000-01-01T00:00:00+01:00"}`, uint8(2))

	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.Cleanup(func() { slog.SetDefault(prev) })
	cal := calendar.EnglandAndWales()
	now := time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC)

	f.Fuzz(func(t *testing.T, b0, b1, b2 string, failMask uint8) {
		bodies := []string{b0, b1, b2}
		var handled []string
		// fail picks the messages the triage handler fails by their content,
		// so that a message fares the same wherever it is in a batch.
		fail := func(s string) bool { return failMask&(1<<(len(s)%8)) != 0 }
		triage := Consume(func(_ context.Context, m referral.TriageMessage) error {
			if fail(m.Type + m.ReferralID) {
				return fmt.Errorf("handler fails %q", m.ReferralID)
			}
			handled = append(handled, fmt.Sprintf("%q %q", m.Type, m.ReferralID))
			return nil
		})
		store := &fuzzFollowUpStore{byID: map[string]followup.FollowUp{}}
		svc := followup.NewService(store, followup.DefaultClocks(), cal, func() time.Time { return now })
		followUps := Consume(func(ctx context.Context, c followup.Command) error {
			if err := svc.Create(ctx, c); err != nil {
				return err
			}
			if err := c.Validate(); err != nil {
				t.Errorf("Create accepted the command %+v, which Validate refuses: %v", c, err)
			}
			handled = append(handled, c.FollowUpID())
			return nil
		})

		for _, c := range []struct {
			name    string
			consume func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)
		}{{"triage", triage}, {"follow-up", followUps}} {
			// Alone, a message is handled or listed as failed, not both, not
			// neither.
			var wantOK, wantFailed []string
			for i, b := range bodies {
				what := fmt.Sprintf("%s consumer, message %d alone", c.name, i)
				ok, failed := fuzzRun(t, what, c.consume, &handled, []string{b}, i)
				id := fmt.Sprintf("m%d", i)
				switch {
				case len(ok) == 1 && len(failed) == 0:
				case len(ok) == 0 && slices.Equal(failed, []string{id}):
				default:
					t.Fatalf("%s: handled %q, failures %q", what, ok, failed)
				}
				wantOK, wantFailed = append(wantOK, ok...), append(wantFailed, failed...)
			}
			// In a batch, each fares as it did alone: nothing dropped, nothing
			// both, no id listed that is not in the batch, none twice.
			what := c.name + " consumer, batch"
			ok, failed := fuzzRun(t, what, c.consume, &handled, bodies, 0)
			if !slices.Equal(ok, wantOK) || !slices.Equal(failed, wantFailed) {
				t.Errorf("%s: handled %q and failed %q, alone %q and %q", what, ok, failed, wantOK, wantFailed)
			}
		}

		for id, fu := range store.byID {
			if fu.ID != id || fu.Status != followup.StatusOpen || fu.Version != 1 || !fu.Kind.Valid() ||
				!fu.DueAt.After(fu.StartAt) || fu.DueAt.Location() != time.UTC || fu.StartAt.Location() != time.UTC {
				t.Errorf("follow-up created: %+v", fu)
			}
		}
	})
}
