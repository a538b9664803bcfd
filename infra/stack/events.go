package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/csc-frontdoor/frontdoor/infra/lambdart"
	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
	"github.com/csc-frontdoor/frontdoor/infra/sqslocal"
)

// startEventSources starts a poller for every SQS event source and a ticker
// for every schedule, as Lambda's event source mappings and EventBridge do.
func (s *Stack) startEventSources(ctx context.Context) error {
	for _, f := range s.tpl.Functions {
		for _, e := range f.SQS {
			url, ok := s.queues[e.Queue]
			if !ok {
				return fmt.Errorf("stack: %s event %s: queue %s is not in the template", f.LogicalID, e.Name, e.Queue)
			}
			g, ok := s.gates[f.LogicalID]
			if !ok {
				g = &gate{}
				s.gates[f.LogicalID] = g
			}
			s.workers.Add(1)
			go func() {
				defer s.workers.Done()
				s.pollSQS(ctx, f.LogicalID, e, url, g)
			}()
		}
		if s.cfg.DisableSchedules {
			continue
		}
		for _, e := range f.Schedules {
			if !e.Enabled {
				continue
			}
			every, err := e.Every()
			if err != nil {
				return fmt.Errorf("stack: %s: %w", f.LogicalID, err)
			}
			s.workers.Add(1)
			go func() {
				defer s.workers.Done()
				s.schedule(ctx, f.LogicalID, e, every)
			}()
		}
	}
	return nil
}

// pollSQS receives batches from the queue and invokes the function with
// them. Messages the function handled are deleted; with
// ReportBatchItemFailures only those it did not list as failed; on a function
// error none, so they come back after the visibility timeout and reach the
// dead-letter queue after maxReceiveCount receives, as in Lambda.
func (s *Stack) pollSQS(ctx context.Context, function string, e samtemplate.SQSEvent, url string, g *gate) {
	for ctx.Err() == nil {
		g.run.Lock()
		s.pollOnce(ctx, function, e, url)
		g.run.Unlock()
	}
}

// Pause stops the function's SQS event sources after the batch in hand, so
// that a test can look at a queue without the function taking its messages.
// It returns once the function is no longer receiving.
func (s *Stack) Pause(function string) {
	if g, ok := s.gates[function]; ok {
		g.pause()
	}
}

// Resume restarts event sources stopped by Pause.
// Resuming a function that is not paused does nothing.
func (s *Stack) Resume(function string) {
	if g, ok := s.gates[function]; ok {
		g.resume()
	}
}

// gate lets a function's pollers run unless paused. Pause and Resume may be
// called any number of times, in any order.
type gate struct {
	run    sync.Mutex // held by a poller for each batch, and while paused
	mu     sync.Mutex // guards paused
	paused bool
}

func (g *gate) pause() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.paused {
		g.run.Lock()
		g.paused = true
	}
}

func (g *gate) resume() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.paused {
		g.run.Unlock()
		g.paused = false
	}
}

func (s *Stack) pollOnce(ctx context.Context, function string, e samtemplate.SQSEvent, url string) {
	batch := int32(min(max(e.BatchSize, 1), 10))
	{
		out, err := s.sqsClient.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl:                    aws.String(url),
			MaxNumberOfMessages:         batch,
			WaitTimeSeconds:             1,
			MessageAttributeNames:       []string{"All"},
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameAll},
		})
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("receive failed", "function", function, "queue", e.Queue, "error", err.Error())
				sleep(ctx, time.Second)
			}
			return
		}
		if len(out.Messages) > 0 {
			s.deliver(ctx, function, e, url, out.Messages)
		}
	}
}

func (s *Stack) deliver(ctx context.Context, function string, e samtemplate.SQSEvent, url string, msgs []sqstypes.Message) {
	ev := events.SQSEvent{Records: make([]events.SQSMessage, 0, len(msgs))}
	for _, m := range msgs {
		rec := events.SQSMessage{
			MessageId:         aws.ToString(m.MessageId),
			ReceiptHandle:     aws.ToString(m.ReceiptHandle),
			Body:              aws.ToString(m.Body),
			Md5OfBody:         aws.ToString(m.MD5OfBody),
			Attributes:        m.Attributes,
			MessageAttributes: map[string]events.SQSMessageAttribute{},
			EventSource:       "aws:sqs",
			EventSourceARN:    sqslocal.QueueARN(e.Queue),
			AWSRegion:         sqslocal.Region,
		}
		for k, a := range m.MessageAttributes {
			rec.MessageAttributes[k] = events.SQSMessageAttribute{StringValue: a.StringValue, BinaryValue: a.BinaryValue, DataType: aws.ToString(a.DataType)}
		}
		ev.Records = append(ev.Records, rec)
		if s.cfg.Messages != nil {
			fmt.Fprintf(s.cfg.Messages, "%s %s\n", e.Queue, rec.Body)
		}
	}
	payload, _ := json.Marshal(ev)
	out, err := s.Invoke(context.WithoutCancel(ctx), function, payload)
	if err != nil {
		s.log.Warn("batch failed; messages return after the visibility timeout", "function", function, "queue", e.Queue, "messages", len(msgs), "error", lambdart.Describe(err))
		return
	}
	failed := map[string]bool{}
	if e.ReportBatchItemFailures {
		var resp events.SQSEventResponse
		if len(out) > 0 && string(out) != "null" {
			if err := json.Unmarshal(out, &resp); err != nil {
				s.log.Warn("unreadable batch response; the whole batch is retried", "function", function)
				return
			}
		}
		for _, f := range resp.BatchItemFailures {
			failed[f.ItemIdentifier] = true
		}
	}
	var entries []sqstypes.DeleteMessageBatchRequestEntry
	for i, m := range msgs {
		if failed[aws.ToString(m.MessageId)] {
			continue
		}
		entries = append(entries, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(fmt.Sprint(i)), ReceiptHandle: m.ReceiptHandle})
	}
	if len(failed) > 0 {
		s.log.Warn("batch item failures; they return after the visibility timeout", "function", function, "queue", e.Queue, "failed", len(failed))
	}
	for _, en := range entries {
		// One by one: the emulator's DeleteMessageBatch result is unreliable.
		if _, err := s.sqsClient.DeleteMessage(context.WithoutCancel(ctx), &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: en.ReceiptHandle}); err != nil {
			s.log.Error("delete failed; the message will be delivered again", "function", function, "queue", e.Queue, "error", err.Error())
		}
	}
}

// schedule invokes the function every interval with an EventBridge
// scheduled event.
func (s *Stack) schedule(ctx context.Context, function string, e samtemplate.ScheduleEvent, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			payload, _ := json.Marshal(ScheduledEvent(function, e.Name, now))
			if _, err := s.Invoke(context.WithoutCancel(ctx), function, payload); err != nil {
				s.log.Error("scheduled invocation failed", "function", function, "event", e.Name, "error", lambdart.Describe(err))
			}
		}
	}
}

// ScheduledEvent is the event EventBridge sends a function on a schedule.
func ScheduledEvent(function, rule string, at time.Time) events.EventBridgeEvent {
	return events.EventBridgeEvent{
		Version:    "0",
		ID:         fmt.Sprintf("%d", at.UnixNano()),
		DetailType: "Scheduled Event",
		Source:     "aws.events",
		AccountID:  sqslocal.AccountID,
		Time:       at.UTC(),
		Region:     Region,
		Resources:  []string{"arn:aws:events:" + Region + ":" + sqslocal.AccountID + ":rule/" + function + "-" + rule},
		Detail:     json.RawMessage("{}"),
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
