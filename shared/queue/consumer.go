package queue

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"
)

// Consume turns a handler of one message of type T into a Lambda handler of
// an SQS batch that reports partial batch failures: a message whose body is
// not a T, or whose handling fails, is listed as failed and comes back after
// the visibility timeout (and reaches the dead-letter queue after the
// redrive count); the rest of the batch is deleted. Only message ids and
// error texts are logged, never bodies.
func Consume[T any](handle func(ctx context.Context, msg T) error) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		resp := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{}}
		for _, rec := range ev.Records {
			if err := consumeOne(ctx, rec, handle); err != nil {
				slog.ErrorContext(ctx, "message failed; it will be retried", "messageId", rec.MessageId,
					"receiveCount", rec.Attributes["ApproximateReceiveCount"], "error", err.Error())
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: rec.MessageId})
			}
		}
		return resp, nil
	}
}

func consumeOne[T any](ctx context.Context, rec events.SQSMessage, handle func(context.Context, T) error) error {
	var msg T
	dec := json.NewDecoder(bytes.NewReader([]byte(rec.Body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&msg); err != nil {
		return fmt.Errorf("decode message: %w", err)
	}
	return handle(ctx, msg)
}
