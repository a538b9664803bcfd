package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
)

var _ referrer.Store = (*Store)(nil)

// noReferral is an id no referral has (not a ULID): what an unknown
// reference's second read asks for.
const noReferral = "-"

// ReferralByReference returns what a referrer's request needs of the
// referral with the given reference: its reference claim leads to the
// referral, of which only the identity, status, times and receipt token hash
// are read, never the form. It returns referrer.ErrNotFound when no referral
// has the reference.
func (st *Store) ReferralByReference(ctx context.Context, reference string) (*referrer.Referral, error) {
	claim, err := st.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &st.table, ConsistentRead: aws.Bool(true),
		Key:                  referenceKey(reference),
		ProjectionExpression: aws.String("referralId"),
	})
	if err != nil {
		return nil, fmt.Errorf("get reference claim: %w", err)
	}
	var c struct {
		ReferralID string `dynamodbav:"referralId"`
	}
	if claim.Item == nil {
		// An unknown reference does the same reads as a known one, of a
		// referral that cannot exist, so that the time taken does not tell
		// which references exist.
		c.ReferralID = noReferral
	} else if err := attributevalue.UnmarshalMap(claim.Item, &c); err != nil || c.ReferralID == "" {
		return nil, fmt.Errorf("decode reference claim: %w", errors.Join(err, errors.New("no referral id")))
	}
	out, err := st.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &st.table, ConsistentRead: aws.Bool(true), Key: referralKey(c.ReferralID),
		ProjectionExpression: aws.String("#id, #ref, #status, #received, #token, #decision.#decidedAt"),
		ExpressionAttributeNames: map[string]string{
			"#id": "id", "#ref": "reference", "#status": "status", "#received": "receivedAt",
			"#token": "receiptTokenHash", "#decision": "decision", "#decidedAt": "decidedAt",
		},
	})
	if err != nil {
		return nil, fmt.Errorf("get referral %s: %w", c.ReferralID, err)
	}
	if claim.Item == nil {
		return nil, fmt.Errorf("get reference claim: %w", referrer.ErrNotFound)
	}
	if out.Item == nil {
		return nil, fmt.Errorf("get referral %s of its reference claim: %w", c.ReferralID, referrer.ErrNotFound)
	}
	var raw struct {
		ID               string `dynamodbav:"id"`
		Reference        string `dynamodbav:"reference"`
		Status           string `dynamodbav:"status"`
		ReceivedAt       string `dynamodbav:"receivedAt"`
		ReceiptTokenHash string `dynamodbav:"receiptTokenHash"`
		Decision         struct {
			DecidedAt string `dynamodbav:"decidedAt"`
		} `dynamodbav:"decision"`
	}
	if err := attributevalue.UnmarshalMap(out.Item, &raw); err != nil {
		return nil, fmt.Errorf("decode referral %s: %w", c.ReferralID, err)
	}
	rec := &referrer.Referral{
		ID: raw.ID, Reference: raw.Reference, Status: referral.Status(raw.Status), ReceiptTokenHash: raw.ReceiptTokenHash,
	}
	if rec.ReceivedAt, err = time.Parse(keyTime, raw.ReceivedAt); err != nil {
		return nil, fmt.Errorf("decode receivedAt of referral %s: %w", raw.ID, err)
	}
	if rec.DecidedAt, err = optionalKeyTime(raw.Decision.DecidedAt); err != nil {
		return nil, fmt.Errorf("decode decidedAt of referral %s: %w", raw.ID, err)
	}
	return rec, nil
}

// AddendaSent returns the id and time of each addendum of a referral,
// oldest first.
func (st *Store) AddendaSent(ctx context.Context, referralID string) ([]referrer.Sent, error) {
	all, err := st.Addenda(ctx, referralID)
	if err != nil {
		return nil, err
	}
	out := make([]referrer.Sent, len(all))
	for i, a := range all {
		out[i] = referrer.Sent{ID: a.ID, ReceivedAt: a.ReceivedAt}
	}
	return out, nil
}

// Addenda returns the addenda of a referral in full, oldest first (their
// sort keys are ULIDs), for the people who work the referral.
func (st *Store) Addenda(ctx context.Context, referralID string) ([]referrer.Addendum, error) {
	var out []referrer.Addendum
	err := st.queryPrefix(ctx, referralPrefix+referralID, addendumPrefix, func(item map[string]types.AttributeValue) error {
		a, err := addendumFromItem(item)
		if err != nil {
			return fmt.Errorf("decode addendum of referral %s: %w", referralID, err)
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

func addendumItem(a *referrer.Addendum) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk":          s(referralPrefix + a.ReferralID),
		"sk":          s(addendumPrefix + a.ID),
		"type":        s("addendum"),
		"id":          s(a.ID),
		"referralId":  s(a.ReferralID),
		"receivedAt":  s(a.ReceivedAt.UTC().Format(keyTime)),
		"information": s(a.Information),
		"urgent":      &types.AttributeValueMemberBOOL{Value: a.Urgent},
	}
}

func addendumFromItem(item map[string]types.AttributeValue) (referrer.Addendum, error) {
	var raw struct {
		ID          string `dynamodbav:"id"`
		ReferralID  string `dynamodbav:"referralId"`
		ReceivedAt  string `dynamodbav:"receivedAt"`
		Information string `dynamodbav:"information"`
		Urgent      bool   `dynamodbav:"urgent"`
	}
	if err := attributevalue.UnmarshalMap(item, &raw); err != nil {
		return referrer.Addendum{}, err
	}
	at, err := time.Parse(keyTime, raw.ReceivedAt)
	if err != nil {
		return referrer.Addendum{}, fmt.Errorf("receivedAt of addendum %s: %w", raw.ID, err)
	}
	return referrer.Addendum{ID: raw.ID, ReferralID: raw.ReferralID, ReceivedAt: at, Information: raw.Information, Urgent: raw.Urgent}, nil
}

// AddAddendum writes, in one transaction: the idempotency record (when idem
// is not nil), the addendum (REFERRAL#<id> / ADDENDUM#<ulid>), the count of
// addenda and a new version on the referral item (its form is untouched),
// and the audit entry. The version moves so that a decision recorded on
// what a screener read before the addendum arrived is refused as stale.
func (st *Store) AddAddendum(ctx context.Context, a *referrer.Addendum, idem *idempotency.Record, entry audit.Entry, max int) error {
	notExists := aws.String("attribute_not_exists(pk)")
	var writes []types.TransactWriteItem
	idemIndex := -1
	if idem != nil {
		idemIndex = len(writes)
		writes = append(writes, st.idempotencyPut(idem, a.ReceivedAt))
	}
	countIndex := len(writes) + 1
	writes = append(writes,
		types.TransactWriteItem{Put: &types.Put{TableName: &st.table, Item: addendumItem(a), ConditionExpression: notExists}},
		types.TransactWriteItem{Update: &types.Update{
			TableName:           &st.table,
			Key:                 referralKey(a.ReferralID),
			UpdateExpression:    aws.String("SET addendaCount = if_not_exists(addendaCount, :zero) + :one, version = version + :one"),
			ConditionExpression: aws.String("attribute_exists(pk) AND (attribute_not_exists(addendaCount) OR addendaCount < :max)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":zero": n(0), ":one": n(1), ":max": n(int64(max)),
			},
		}},
		types.TransactWriteItem{Put: &types.Put{TableName: &st.table, Item: auditItem(entry), ConditionExpression: notExists}},
	)
	_, err := st.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: writes})
	switch {
	case conditionFailed(err, idemIndex):
		return fmt.Errorf("add addendum %s: %w", a.ID, idempotency.ErrKeyUsed)
	case conditionFailed(err, countIndex):
		// Referrals are never deleted, and the caller has just read this
		// one: its condition fails only on the count.
		return fmt.Errorf("add addendum %s to referral %s: %w", a.ID, a.ReferralID, referrer.ErrTooManyAddenda)
	}
	if err != nil {
		return fmt.Errorf("add addendum %s to referral %s: %w", a.ID, a.ReferralID, err)
	}
	return nil
}
