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

	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/triage"
)

var (
	_ intake.Queue     = (*Sender)(nil)
	_ triage.FollowUps = (*Sender)(nil)
)

// API is the part of the SQS client the queue uses.
type API interface {
	SendMessage(ctx context.Context, in *sqs.SendMessageInput, opts ...func(*sqs.Options)) (*sqs.SendMessageOutput, error)
}

// Sender sends messages to one queue.
type Sender struct {
	client API
	url    string
}

// NewClient returns an SQS client for cfg, at the endpoint the environment
// sets (lambdaenv.Endpoint), if any.
func NewClient(cfg aws.Config) *sqs.Client {
	endpoint := lambdaenv.Endpoint("SQS")
	return sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = endpoint })
}

// NewSender returns a Sender for the queue at url.
func NewSender(client API, url string) *Sender { return &Sender{client: client, url: url} }

// EnqueueReferral sends a triage message carrying the referral's id.
func (q *Sender) EnqueueReferral(ctx context.Context, id string) error {
	return q.send(ctx, referral.TriageMessageType, id, referral.TriageMessage{Type: referral.TriageMessageType, ReferralID: id})
}

// SendFollowUps sends one follow-up command per message. Each carries
// references only (kind, source id, child index, start time).
func (q *Sender) SendFollowUps(ctx context.Context, cmds []followup.Command) error {
	for _, c := range cmds {
		if err := q.send(ctx, c.Type, c.SourceID, c); err != nil {
			return err
		}
	}
	return nil
}

func (q *Sender) send(ctx context.Context, typ, ref string, msg any) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("encode %s message: %w", typ, err)
	}
	_, err = q.client.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl:    &q.url,
		MessageBody: aws.String(string(body)),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"type": {DataType: aws.String("String"), StringValue: aws.String(typ)},
		},
	})
	if err != nil {
		return fmt.Errorf("send %s message for %s: %w", typ, ref, err)
	}
	return nil
}
