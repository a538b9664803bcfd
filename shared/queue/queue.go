// Package queue sends the front door's messages to Amazon SQS. Messages carry
// references only (ids), never personal data: the data stays in DynamoDB.
package queue

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

var _ intake.Queue = (*Sender)(nil)

// API is the part of the SQS client the queue uses.
type API interface {
	SendMessage(ctx context.Context, in *sqs.SendMessageInput, opts ...func(*sqs.Options)) (*sqs.SendMessageOutput, error)
}

// Sender sends messages to one queue.
type Sender struct {
	client API
	url    string
}

// NewSender returns a Sender for the queue at url.
func NewSender(client API, url string) *Sender { return &Sender{client: client, url: url} }

// EnqueueReferral sends a triage message carrying the referral's id.
func (q *Sender) EnqueueReferral(ctx context.Context, id string) error {
	return q.send(ctx, referral.TriageMessage{Type: referral.TriageMessageType, ReferralID: id})
}

func (q *Sender) send(ctx context.Context, msg referral.TriageMessage) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("encode %s message: %w", msg.Type, err)
	}
	_, err = q.client.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl:    &q.url,
		MessageBody: aws.String(string(body)),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"type": {DataType: aws.String("String"), StringValue: aws.String(msg.Type)},
		},
	})
	if err != nil {
		return fmt.Errorf("send %s message for %s: %w", msg.Type, msg.ReferralID, err)
	}
	return nil
}
