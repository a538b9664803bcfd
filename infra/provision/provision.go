// Package provision creates the tables and queues of a SAM template in the
// local DynamoDB and SQS, idempotently: what exists is left as it is.
package provision

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
)

// Table creates the table named name as t describes it, with its indexes and
// time-to-live, unless a table of that name exists. It waits until the table
// is active.
func Table(ctx context.Context, c *dynamodb.Client, name string, t samtemplate.Table) error {
	_, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	var nf *ddbtypes.ResourceNotFoundException
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &nf):
		return fmt.Errorf("provision: describe table %s: %w", name, err)
	}
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: ddbtypes.BillingModePayPerRequest,
	}
	for _, a := range t.AttributeDefinitions {
		in.AttributeDefinitions = append(in.AttributeDefinitions, ddbtypes.AttributeDefinition{
			AttributeName: aws.String(a.Name), AttributeType: ddbtypes.ScalarAttributeType(a.Type),
		})
	}
	in.KeySchema = keySchema(t.KeySchema)
	for _, g := range t.GSIs {
		p := &ddbtypes.Projection{ProjectionType: ddbtypes.ProjectionType(g.ProjectionType)}
		if len(g.NonKeyAttributes) > 0 {
			p.NonKeyAttributes = g.NonKeyAttributes
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, ddbtypes.GlobalSecondaryIndex{
			IndexName: aws.String(g.Name), KeySchema: keySchema(g.KeySchema), Projection: p,
		})
	}
	if t.StreamViewType != "" {
		in.StreamSpecification = &ddbtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: ddbtypes.StreamViewType(t.StreamViewType)}
	}
	if _, err := c.CreateTable(ctx, in); err != nil {
		return fmt.Errorf("provision: create table %s: %w", name, err)
	}
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) { o.MinDelay = 100 * time.Millisecond })
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, time.Minute); err != nil {
		return fmt.Errorf("provision: wait for table %s: %w", name, err)
	}
	if t.TTLAttribute != "" {
		_, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
			TableName:               aws.String(name),
			TimeToLiveSpecification: &ddbtypes.TimeToLiveSpecification{AttributeName: aws.String(t.TTLAttribute), Enabled: aws.Bool(true)},
		})
		if err != nil {
			return fmt.Errorf("provision: time to live on %s: %w", name, err)
		}
	}
	return nil
}

func keySchema(ks []samtemplate.Key) []ddbtypes.KeySchemaElement {
	out := make([]ddbtypes.KeySchemaElement, 0, len(ks))
	for _, k := range ks {
		out = append(out, ddbtypes.KeySchemaElement{AttributeName: aws.String(k.Name), KeyType: ddbtypes.KeyType(k.Type)})
	}
	return out
}

// Queues creates every queue, dead-letter queues first so that redrive
// policies can name them, and returns each queue's URL by logical id. A
// queue's name is its logical id. arn gives the ARN of a queue by name.
func Queues(ctx context.Context, c *sqs.Client, queues []samtemplate.Queue, arn func(name string) string) (map[string]string, error) {
	urls := map[string]string{}
	byID := map[string]samtemplate.Queue{}
	for _, q := range queues {
		byID[q.LogicalID] = q
	}
	var create func(q samtemplate.Queue, depth int) error
	create = func(q samtemplate.Queue, depth int) error {
		if _, done := urls[q.LogicalID]; done {
			return nil
		}
		if depth > len(queues) {
			return fmt.Errorf("provision: queue %s: dead-letter queues form a cycle", q.LogicalID)
		}
		attrs := map[string]string{
			string(sqstypes.QueueAttributeNameVisibilityTimeout):      strconv.Itoa(q.VisibilityTimeout),
			string(sqstypes.QueueAttributeNameMessageRetentionPeriod): strconv.Itoa(q.RetentionSeconds),
		}
		if q.DeadLetter != "" {
			dlq, ok := byID[q.DeadLetter]
			if !ok {
				return fmt.Errorf("provision: queue %s: dead-letter queue %s is not in the template", q.LogicalID, q.DeadLetter)
			}
			if err := create(dlq, depth+1); err != nil {
				return err
			}
			policy, _ := json.Marshal(map[string]any{"deadLetterTargetArn": arn(dlq.LogicalID), "maxReceiveCount": q.MaxReceiveCount})
			attrs[string(sqstypes.QueueAttributeNameRedrivePolicy)] = string(policy)
		}
		out, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(q.LogicalID), Attributes: attrs})
		if err != nil {
			return fmt.Errorf("provision: create queue %s: %w", q.LogicalID, err)
		}
		urls[q.LogicalID] = aws.ToString(out.QueueUrl)
		return nil
	}
	for _, q := range queues {
		if err := create(q, 0); err != nil {
			return nil, err
		}
	}
	return urls, nil
}
