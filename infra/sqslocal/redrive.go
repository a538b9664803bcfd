package sqslocal

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// RedriveAPI is the part of the SQS client Redrive uses.
type RedriveAPI interface {
	GetQueueAttributes(ctx context.Context, in *sqs.GetQueueAttributesInput, opts ...func(*sqs.Options)) (*sqs.GetQueueAttributesOutput, error)
	ReceiveMessage(ctx context.Context, in *sqs.ReceiveMessageInput, opts ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error)
	SendMessage(ctx context.Context, in *sqs.SendMessageInput, opts ...func(*sqs.Options)) (*sqs.SendMessageOutput, error)
	DeleteMessage(ctx context.Context, in *sqs.DeleteMessageInput, opts ...func(*sqs.Options)) (*sqs.DeleteMessageOutput, error)
}

// redriveVisibility hides a message being moved from other receivers of
// the dead-letter queue while it is sent on.
const redriveVisibility = 60

// Redrive moves the messages waiting on the dead-letter queue at from back
// to the queue at to, as SQS's own message move task (StartMessageMoveTask,
// which the emulator lacks) does in AWS. It moves at most as many as were
// waiting when it began, so a message that fails again and comes back
// meanwhile is not moved twice in one run. Each is sent before it is
// deleted: a failure between the two leaves a copy on both queues, which
// the idempotent consumers make harmless, and never loses one. It returns
// how many it moved.
func Redrive(ctx context.Context, client RedriveAPI, from, to string) (int, error) {
	a, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(from), AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameApproximateNumberOfMessages},
	})
	if err != nil {
		return 0, fmt.Errorf("sqslocal: redrive %s: %w", from, err)
	}
	waiting, err := strconv.Atoi(a.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessages)])
	if err != nil {
		return 0, fmt.Errorf("sqslocal: redrive %s: depth: %w", from, err)
	}
	moved := 0
	for moved < waiting {
		out, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(from), MaxNumberOfMessages: int32(min(10, waiting-moved)),
			VisibilityTimeout: redriveVisibility, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"},
		})
		if err != nil {
			return moved, fmt.Errorf("sqslocal: redrive %s: %w", from, err)
		}
		if len(out.Messages) == 0 {
			return moved, nil
		}
		for _, m := range out.Messages {
			if _, err := client.SendMessage(ctx, &sqs.SendMessageInput{
				QueueUrl: aws.String(to), MessageBody: m.Body, MessageAttributes: m.MessageAttributes,
			}); err != nil {
				return moved, fmt.Errorf("sqslocal: redrive to %s: %w", to, err)
			}
			if _, err := client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(from), ReceiptHandle: m.ReceiptHandle}); err != nil {
				return moved, fmt.Errorf("sqslocal: redrive: delete from %s (the message is on both queues): %w", from, err)
			}
			moved++
		}
	}
	return moved, nil
}
