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
// one SendMessage of its key. Its transaction floor is the same with the
// one write the product makes instead: a transaction of copies of the
// items one submission writes (the referral, its reference claim, its
// idempotency record, its audit entry), each conditional.
type Floor struct {
	db    *dynamodb.Client
	sqs   *sqs.Client
	table string
	queue string
	items []map[string]types.AttributeValue
}

// FloorQueue is the queue the floor sends to: its own, which nothing reads.
const FloorQueue = "BenchFloorQueue"

// NewFloor prepares the floor on table, modelled on like, the items one
// submission stored, its referral first. The copies keep their size but
// take no part in the table's indexes (their key attributes are renamed),
// so that the floor writes the same bytes and no more.
func NewFloor(ctx context.Context, db *dynamodb.Client, sq *sqs.Client, table string, like []map[string]types.AttributeValue) (*Floor, error) {
	if len(like) == 0 || len(like[0]) == 0 {
		return nil, errors.New("bench: the floor needs a stored referral to copy")
	}
	q, err := sq.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(FloorQueue)})
	if err != nil {
		return nil, fmt.Errorf("bench: floor queue: %w", err)
	}
	f := &Floor{db: db, sqs: sq, table: table, queue: aws.ToString(q.QueueUrl)}
	for _, l := range like {
		item := maps.Clone(l)
		for k, v := range l {
			if strings.HasPrefix(k, "gsi") {
				delete(item, k)
				item["x"+k] = v
			}
		}
		f.items = append(f.items, item)
	}
	return f, nil
}

// copyAs is item k of the model under the partition key pk.
func (f *Floor) copyAs(k int, pk string) map[string]types.AttributeValue {
	item := maps.Clone(f.items[k])
	item["pk"] = &types.AttributeValueMemberS{Value: pk}
	return item
}

// send sends the floor's message.
func (f *Floor) send(ctx context.Context, body string) error {
	if _, err := f.sqs.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(f.queue), MessageBody: aws.String(body)}); err != nil {
		return fmt.Errorf("floor SendMessage: %w", err)
	}
	return nil
}

// TxOp returns the transaction floor's operation; run names its keys.
func (f *Floor) TxOp(run string) Op {
	return func(ctx context.Context, i int) error {
		pk := "BENCHFLOOR#" + run + "#" + strconv.Itoa(i)
		writes := make([]types.TransactWriteItem, len(f.items))
		for k := range f.items {
			writes[k] = types.TransactWriteItem{Put: &types.Put{
				TableName:           aws.String(f.table),
				Item:                f.copyAs(k, pk+"#"+strconv.Itoa(k)),
				ConditionExpression: aws.String("attribute_not_exists(pk)"),
			}}
		}
		if _, err := f.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: writes}); err != nil {
			return fmt.Errorf("floor TransactWriteItems: %w", err)
		}
		return f.send(ctx, pk)
	}
}

// Op returns the floor's operation; run names the keys it writes, so that
// each run's are new.
func (f *Floor) Op(run string) Op {
	return func(ctx context.Context, i int) error {
		pk := "BENCHFLOOR#" + run + "#" + strconv.Itoa(i)
		_, err := f.db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName:           aws.String(f.table),
			Item:                f.copyAs(0, pk),
			ConditionExpression: aws.String("attribute_not_exists(pk)"),
		})
		if err != nil {
			return fmt.Errorf("floor PutItem: %w", err)
		}
		return f.send(ctx, pk)
	}
}

// Purge empties the floor's queue.
func (f *Floor) Purge(ctx context.Context) error {
	_, err := f.sqs.PurgeQueue(ctx, &sqs.PurgeQueueInput{QueueUrl: aws.String(f.queue)})
	return err
}
