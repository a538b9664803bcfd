package dynamo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/triage"
)

var _ triage.Store = (*Store)(nil)

// MaxChildLinks bounds how many earlier referrals of one child are read.
const MaxChildLinks = 200

// LinkChild writes the child link item of a referral: pk REFERRAL#<id>, sk
// CHILD#<key>, in the ByChild index under CHILD#<key> by time received. The
// key is a keyed hash; writing it again changes nothing.
func (st *Store) LinkChild(ctx context.Context, referralID string, receivedAt time.Time, key string) error {
	_, err := st.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &st.table, Item: map[string]types.AttributeValue{
		"pk":     s(referralPrefix + referralID),
		"sk":     s(childPrefix + key),
		"type":   s("child-link"),
		"gsi2pk": s(childPrefix + key),
		"gsi2sk": s(atKey(receivedAt, referralID)),
	}})
	if err != nil {
		return fmt.Errorf("link child to referral %s: %w", referralID, err)
	}
	return nil
}

// ReferralsOfChild returns the referrals linked to the child match key, most
// recent first, at most MaxChildLinks.
func (st *Store) ReferralsOfChild(ctx context.Context, key string) ([]referral.EarlierReferral, error) {
	out, err := st.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 &st.table,
		IndexName:                 aws.String(IndexByChild),
		KeyConditionExpression:    aws.String("gsi2pk = :k"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":k": s(childPrefix + key)},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(MaxChildLinks),
	})
	if err != nil {
		return nil, fmt.Errorf("query referrals of a child: %w", err)
	}
	var found []referral.EarlierReferral
	for _, item := range out.Items {
		sk, ok := item["gsi2sk"].(*types.AttributeValueMemberS)
		if !ok {
			continue
		}
		at, id, ok := strings.Cut(sk.Value, "#")
		if !ok {
			continue
		}
		t, err := time.Parse(keyTime, at)
		if err != nil {
			return nil, fmt.Errorf("decode child link %q: %w", sk.Value, err)
		}
		found = append(found, referral.EarlierReferral{ID: id, ReceivedAt: t})
	}
	return found, nil
}

// SaveScreening stores the screening and moves a RECEIVED or QUEUED
// referral to AWAITING_DECISION, in the MASH queue (ByState
// REFERRAL#AWAITING_DECISION by decision due time), with the audit entry, in
// one transaction. It reports false when the referral was already triaged.
func (st *Store) SaveScreening(ctx context.Context, id string, sc referral.Screening, entry audit.Entry) (bool, error) {
	return st.writeScreening(ctx, id, sc, entry,
		"SET #status = :awaiting, screening = :sc, gsi1pk = :g1pk, gsi1sk = :g1sk, version = version + :one",
		"#status IN (:received, :queued)",
		map[string]types.AttributeValue{
			":awaiting": s(string(referral.StatusAwaitingDecision)),
			":received": s(string(referral.StatusReceived)),
			":queued":   s(string(referral.StatusQueued)),
			":g1pk":     s(QueueAwaitingDecision),
			":g1sk":     s(atKey(sc.DecisionDueAt, id)),
		})
}

// AddScreening stores the screening of a referral decided by hand before it
// was screened, leaving it DECIDED and out of the queue, with the audit
// entry, in one transaction. It reports false when the referral already has
// a screening or is not decided.
func (st *Store) AddScreening(ctx context.Context, id string, sc referral.Screening, entry audit.Entry) (bool, error) {
	return st.writeScreening(ctx, id, sc, entry,
		"SET screening = :sc, version = version + :one",
		"#status = :decided AND attribute_not_exists(screening)",
		map[string]types.AttributeValue{":decided": s(string(referral.StatusDecided))})
}

// writeScreening updates the referral with the screening as :sc (and
// :one), on the condition, with the audit entry, in one transaction; false
// when the condition fails.
func (st *Store) writeScreening(ctx context.Context, id string, sc referral.Screening, entry audit.Entry, update, cond string, values map[string]types.AttributeValue) (bool, error) {
	screening, err := formEncoder.Encode(sc)
	if err != nil {
		return false, fmt.Errorf("encode screening of referral %s: %w", id, err)
	}
	values[":sc"], values[":one"] = screening, n(1)
	_, err = st.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                 &st.table,
			Key:                       referralKey(id),
			UpdateExpression:          aws.String(update),
			ConditionExpression:       aws.String(cond),
			ExpressionAttributeNames:  map[string]string{"#status": "status"},
			ExpressionAttributeValues: values,
		}},
		{Put: &types.Put{TableName: &st.table, Item: auditItem(entry), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
	}})
	if conditionFailed(err, 0) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("save screening of referral %s: %w", id, err)
	}
	return true, nil
}
