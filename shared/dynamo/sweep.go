package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/sweep"
)

var _ sweep.Store = (*Store)(nil)

// before queries a ByState partition for items whose gsi1sk (a time in
// keyTime, then #id) is before t, oldest first, at most limit, and returns
// their keys.
func (st *Store) before(ctx context.Context, partition string, t time.Time, limit int) ([]map[string]types.AttributeValue, error) {
	var items []map[string]types.AttributeValue
	p := dynamodb.NewQueryPaginator(st.db, &dynamodb.QueryInput{
		TableName:              &st.table,
		IndexName:              aws.String(IndexByState),
		KeyConditionExpression: aws.String("gsi1pk = :p AND gsi1sk < :t"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":p": s(partition), ":t": s(t.UTC().Format(keyTime)),
		},
		Limit: aws.Int32(int32(limit)),
	})
	for p.HasMorePages() && len(items) < limit {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", partition, err)
		}
		items = append(items, out.Items...)
	}
	if len(items) > limit {
		items = items[:limit]
	}
	return items, nil
}

// idsFrom takes the ids from gsi1sk values "<time>#<id>".
func idsFrom(items []map[string]types.AttributeValue) []string {
	out := make([]string, 0, len(items))
	for _, item := range items {
		if sk, ok := item["gsi1sk"].(*types.AttributeValueMemberS); ok {
			if _, id, ok := strings.Cut(sk.Value, "#"); ok {
				out = append(out, id)
			}
		}
	}
	return out
}

// UnqueuedReferrals returns referrals stored before before and never queued.
func (st *Store) UnqueuedReferrals(ctx context.Context, before time.Time, limit int) ([]string, error) {
	items, err := st.before(ctx, QueueUnqueued, before, limit)
	return idsFrom(items), err
}

// DueReferrals returns referrals awaiting a decision that was due before now.
func (st *Store) DueReferrals(ctx context.Context, now time.Time, limit int) ([]string, error) {
	items, err := st.before(ctx, QueueAwaitingDecision, now, limit)
	return idsFrom(items), err
}

// DueFollowUps returns open follow-ups due before now.
func (st *Store) DueFollowUps(ctx context.Context, now time.Time, limit int) ([]sweep.Key, error) {
	items, err := st.before(ctx, FollowUpsOpen, now, limit)
	if err != nil {
		return nil, err
	}
	keys := make([]sweep.Key, 0, len(items))
	for _, item := range items {
		pk, _ := item["pk"].(*types.AttributeValueMemberS)
		sk, _ := item["sk"].(*types.AttributeValueMemberS)
		if pk != nil && sk != nil {
			keys = append(keys, sweep.Key{PK: pk.Value, SK: sk.Value})
		}
	}
	return keys, nil
}

// escalation is the item that puts an overdue clock before the MASH
// manager: pk ESCALATION#<what>, in ByState ESCALATION#OPEN by time raised.
// Its condition makes it once only.
func (st *Store) escalation(what, sourcePK, clock string, now time.Time) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{
		TableName:           &st.table,
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
		Item: map[string]types.AttributeValue{
			"pk": s("ESCALATION#" + what), "sk": s("ESCALATION"), "type": s("escalation"),
			"source": s(sourcePK), "clock": s(clock), "to": s("mash-manager"),
			"raisedAt": s(now.UTC().Format(keyTime)),
			"gsi1pk":   s(EscalationsOpen), "gsi1sk": s(now.UTC().Format(keyTime) + "#" + what),
		},
	}}
}

// transactOnce runs a transaction whose first item's condition says whether
// there is anything to do; it reports false when that condition failed.
func (st *Store) transactOnce(ctx context.Context, what string, items []types.TransactWriteItem) (bool, error) {
	_, err := st.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	var cancelled *types.TransactionCanceledException
	if errors.As(err, &cancelled) {
		for _, r := range cancelled.CancellationReasons {
			if aws.ToString(r.Code) == "ConditionalCheckFailed" {
				return false, nil
			}
		}
	}
	if err != nil {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	return true, nil
}

// MarkReferralOverdue moves a referral awaiting a decision to the overdue
// partition, stamps screening.overdueAt, and writes the audit entry and the
// escalation, once.
func (st *Store) MarkReferralOverdue(ctx context.Context, id string, now time.Time, entry audit.Entry) (bool, error) {
	at := s(now.UTC().Format(time.RFC3339Nano))
	return st.transactOnce(ctx, "mark referral "+id+" overdue", []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                &st.table,
			Key:                      referralKey(id),
			UpdateExpression:         aws.String("SET gsi1pk = :overdue, screening.overdueAt = :at, version = version + :one"),
			ConditionExpression:      aws.String("#status = :awaiting AND gsi1pk = :queue"),
			ExpressionAttributeNames: map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":overdue": s(QueueOverdue), ":queue": s(QueueAwaitingDecision),
				":awaiting": s(string(referral.StatusAwaitingDecision)), ":at": at, ":one": n(1),
			},
		}},
		{Put: &types.Put{TableName: &st.table, Item: auditItem(entry), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		st.escalation("REFERRAL#"+id, "REFERRAL#"+id, "decision", now),
	})
}

// MarkFollowUpOverdue moves an open follow-up to OVERDUE with its
// escalation, once.
func (st *Store) MarkFollowUpOverdue(ctx context.Context, k sweep.Key, now time.Time) (bool, error) {
	id := strings.TrimPrefix(k.SK, "FOLLOWUP#")
	return st.transactOnce(ctx, "mark follow-up "+id+" overdue", []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                &st.table,
			Key:                      map[string]types.AttributeValue{"pk": s(k.PK), "sk": s(k.SK)},
			UpdateExpression:         aws.String("SET #status = :overdue, overdueAt = :at, gsi1pk = :part, version = version + :one"),
			ConditionExpression:      aws.String("#status = :open"),
			ExpressionAttributeNames: map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":overdue": s(string(followup.StatusOverdue)), ":open": s(string(followup.StatusOpen)),
				":part": s(FollowUpsOverdue), ":at": s(now.UTC().Format(time.RFC3339Nano)), ":one": n(1),
			},
		}},
		st.escalation("FOLLOWUP#"+id, k.PK, "follow-up", now),
	})
}
