package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// StaleQueued returns referrals last sent to the triage queue before before
// and still not triaged: the ByState QUEUED partition is ordered by the time
// of the last send.
func (st *Store) StaleQueued(ctx context.Context, before time.Time, limit int) ([]string, error) {
	items, err := st.before(ctx, QueueQueued, before, limit)
	return idsFrom(items), err
}

// RecordResend moves a queued referral to the end of the QUEUED partition
// (its last send is now at) and counts the resend, unless it was already
// sent again max times or is no longer queued.
func (st *Store) RecordResend(ctx context.Context, id string, at time.Time, max int) (bool, error) {
	_, err := st.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                &st.table,
		Key:                      referralKey(id),
		UpdateExpression:         aws.String("SET gsi1sk = :sk, resends = if_not_exists(resends, :zero) + :one, lastResentAt = :at, version = version + :one"),
		ConditionExpression:      aws.String("#status = :queued AND gsi1pk = :part AND (attribute_not_exists(resends) OR resends < :max)"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":queued": s(string(referral.StatusQueued)), ":part": s(QueueQueued),
			":sk": s(atKey(at, id)), ":at": s(at.UTC().Format(keyTime)),
			":zero": n(0), ":one": n(1), ":max": n(int64(max)),
		},
	})
	if conditionFailed(err, 0) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("record resend of referral %s: %w", id, err)
	}
	return true, nil
}

// MarkUntriaged moves a queued referral that was sent again the most times
// to the UNTRIAGED partition (by time escalated), with the audit entry and
// an escalation to the MASH manager, once. Its status stays QUEUED, so that
// if its message is redriven from the dead-letter queue and succeeds, the
// triage still goes through.
func (st *Store) MarkUntriaged(ctx context.Context, id string, now time.Time, entry audit.Entry) (bool, error) {
	return st.transactOnce(ctx, "mark referral "+id+" untriaged", []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                &st.table,
			Key:                      referralKey(id),
			UpdateExpression:         aws.String("SET gsi1pk = :untriaged, gsi1sk = :sk, untriagedAt = :at, version = version + :one"),
			ConditionExpression:      aws.String("#status = :queued AND gsi1pk = :part"),
			ExpressionAttributeNames: map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":untriaged": s(QueueUntriaged), ":part": s(QueueQueued), ":queued": s(string(referral.StatusQueued)),
				":sk": s(atKey(now, id)), ":at": s(now.UTC().Format(keyTime)), ":one": n(1),
			},
		}},
		{Put: &types.Put{TableName: &st.table, Item: auditItem(entry), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		st.escalation(referralPrefix+id+"#TRIAGE", referralPrefix+id, "triage", now),
	})
}
