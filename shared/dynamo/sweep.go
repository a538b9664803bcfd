package dynamo

import (
	"context"
	"fmt"
	"slices"
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

// DueFollowUps returns the follow-ups due before now and not yet flagged
// overdue, open or accepted, of every provider: the unflagged ("1#") part of
// each FOLLOWUP#<provider>#OPEN and FOLLOWUP#<provider>#ACCEPTED partition up
// to now. It reads up to limit from each and returns the limit due longest
// ago, whichever provider they are for, so that one provider's backlog does
// not hold back another's.
func (st *Store) DueFollowUps(ctx context.Context, now time.Time, limit int) ([]sweep.Key, error) {
	type due struct {
		sk  string
		key sweep.Key
	}
	var all []due
	for _, p := range followup.Providers {
		for _, status := range []followup.Status{followup.StatusOpen, followup.StatusAccepted} {
			part := followUpPartition(p, status)
			out, err := st.db.Query(ctx, &dynamodb.QueryInput{
				TableName:              &st.table,
				IndexName:              aws.String(IndexByState),
				KeyConditionExpression: aws.String("gsi1pk = :p AND gsi1sk BETWEEN :lo AND :hi"),
				ExpressionAttributeValues: map[string]types.AttributeValue{
					":p": s(part), ":lo": s(followUpUnflagged), ":hi": s(followUpUnflagged + now.UTC().Format(keyTime)),
				},
				Limit: aws.Int32(int32(limit)),
			})
			if err != nil {
				return nil, fmt.Errorf("query %s: %w", part, err)
			}
			for _, item := range out.Items {
				pk, _ := item["pk"].(*types.AttributeValueMemberS)
				sk, _ := item["sk"].(*types.AttributeValueMemberS)
				g, _ := item["gsi1sk"].(*types.AttributeValueMemberS)
				if pk != nil && sk != nil && g != nil {
					all = append(all, due{sk: g.Value, key: sweep.Key{ID: strings.TrimPrefix(sk.Value, followUpPrefix), PK: pk.Value, SK: sk.Value}})
				}
			}
		}
	}
	slices.SortFunc(all, func(a, b due) int { return strings.Compare(a.sk, b.sk) })
	keys := make([]sweep.Key, 0, min(limit, len(all)))
	for _, d := range all[:min(limit, len(all))] {
		keys = append(keys, d.key)
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
			"pk": s(escalationPrefix + what), "sk": s("ESCALATION"), "type": s("escalation"),
			"source": s(sourcePK), "clock": s(clock), "to": s("mash-manager"),
			"raisedAt": s(now.UTC().Format(keyTime)),
			"gsi1pk":   s(EscalationsOpen), "gsi1sk": s(atKey(now, what)),
		},
	}}
}

// transactOnce runs a transaction whose first item's condition says whether
// there is anything to do; it reports false when that condition failed. Any
// other item's failed condition (an escalation or audit entry already
// there) is an error, so that the work is never silently left undone.
func (st *Store) transactOnce(ctx context.Context, what string, items []types.TransactWriteItem) (bool, error) {
	_, err := st.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if conditionFailed(err, 0) {
		return false, nil
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
		st.escalation(referralPrefix+id, referralPrefix+id, "decision", now),
	})
}

// MarkFollowUpOverdue flags a follow-up overdue, once: an OPEN one becomes
// OVERDUE, an ACCEPTED one stays ACCEPTED; either moves to the flagged part
// of its partition, with its audit entry and an escalation to the MASH
// manager. It reads the follow-up first and writes on condition that its
// version is unchanged; false when there is nothing to flag (or it changed
// meanwhile, when the next sweep looks again).
func (st *Store) MarkFollowUpOverdue(ctx context.Context, k sweep.Key, now time.Time, entry audit.Entry) (bool, error) {
	id := k.ID
	key := map[string]types.AttributeValue{"pk": s(k.PK), "sk": s(k.SK)}
	got, err := st.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &st.table, Key: key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return false, fmt.Errorf("read follow-up %s: %w", id, err)
	}
	if got.Item == nil {
		return false, nil
	}
	var f followup.FollowUp
	if err := formDecoder.Decode(&types.AttributeValueMemberM{Value: got.Item}, &f); err != nil {
		return false, fmt.Errorf("decode follow-up %s: %w", id, err)
	}
	next, ok := f.MarkOverdue(now)
	if !ok {
		return false, nil
	}
	return st.transactOnce(ctx, "mark follow-up "+id+" overdue", []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                &st.table,
			Key:                      key,
			UpdateExpression:         aws.String("SET #status = :status, overdueAt = :at, gsi1pk = :part, gsi1sk = :sk, version = :next"),
			ConditionExpression:      aws.String("version = :prev"),
			ExpressionAttributeNames: map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":status": s(string(next.Status)), ":at": s(next.OverdueAt.Format(time.RFC3339Nano)),
				":part": s(followUpPartition(next.Provider, next.Status)), ":sk": s(followUpSortKey(next)),
				":prev": n(int64(f.Version)), ":next": n(int64(next.Version)),
			},
		}},
		st.escalation(followUpPrefix+id, k.PK, "follow-up", now),
		{Put: &types.Put{TableName: &st.table, Item: auditItem(entry), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
	})
}
