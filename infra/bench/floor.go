package bench

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// Floor is the least work a submission could do, from a warm Go client:
// one conditional PutItem of an item the size of a stored referral, then
// one SendMessage of its key.
type Floor struct {
	db    *dynamodb.Client
	sqs   *sqs.Client
	table string
	queue string
	item  map[string]types.AttributeValue
}

// FloorQueue is the queue the floor sends to: its own, which nothing reads.
const FloorQueue = "BenchFloorQueue"

// NewFloor prepares the floor on table, modelled on like, a referral item
// as the product stored it. The copy keeps its size but takes no part in
// the table's indexes (their key attributes are renamed), so that the
// floor is one write of the same bytes.
func NewFloor(ctx context.Context, db *dynamodb.Client, sq *sqs.Client, table string, like map[string]types.AttributeValue) (*Floor, error) {
	if len(like) == 0 {
		return nil, errors.New("bench: the floor needs a stored referral to copy")
	}
	q, err := sq.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(FloorQueue)})
	if err != nil {
		return nil, fmt.Errorf("bench: floor queue: %w", err)
	}
	item := maps.Clone(like)
	for k, v := range like {
		if strings.HasPrefix(k, "gsi") {
			delete(item, k)
			item["x"+k] = v
		}
	}
	return &Floor{db: db, sqs: sq, table: table, queue: aws.ToString(q.QueueUrl), item: item}, nil
}

// Op returns the floor's operation; run names the keys it writes, so that
// each run's are new.
func (f *Floor) Op(run string) Op {
	return func(ctx context.Context, i int) error {
		pk := "BENCHFLOOR#" + run + "#" + strconv.Itoa(i)
		item := maps.Clone(f.item)
		item["pk"] = &types.AttributeValueMemberS{Value: pk}
		_, err := f.db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName:           aws.String(f.table),
			Item:                item,
			ConditionExpression: aws.String("attribute_not_exists(pk)"),
		})
		if err != nil {
			return fmt.Errorf("floor PutItem: %w", err)
		}
		if _, err := f.sqs.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(f.queue), MessageBody: aws.String(pk)}); err != nil {
			return fmt.Errorf("floor SendMessage: %w", err)
		}
		return nil
	}
}

// Purge empties the floor's queue.
func (f *Floor) Purge(ctx context.Context) error {
	_, err := f.sqs.PurgeQueue(ctx, &sqs.PurgeQueueInput{QueueUrl: aws.String(f.queue)})
	return err
}
