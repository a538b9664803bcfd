package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/followup"
)

var _ followup.Store = (*Store)(nil)

// followUpItem turns a follow-up into its item: pk <source>, sk
// FOLLOWUP#<id>, in ByState by provider, status, flag and due time.
func followUpItem(f followup.FollowUp) (map[string]types.AttributeValue, error) {
	item, err := formEncoder.Encode(f)
	if err != nil {
		return nil, fmt.Errorf("encode follow-up %s: %w", f.ID, err)
	}
	m := item.(*types.AttributeValueMemberM).Value
	m["pk"] = s(sourcePK(f.SourceType, f.SourceID))
	m["sk"] = s(followUpPrefix + f.ID)
	m["type"] = s("follow-up")
	m["gsi1pk"] = s(followUpPartition(f.Provider, f.Status))
	m["gsi1sk"] = s(followUpSortKey(f))
	m["gsi3pk"] = s(StatsFollowUps + f.StartAt.UTC().Format("2006-01"))
	m["gsi3sk"] = s(atKey(f.StartAt, f.ID))
	if f.AppropriateAdult != nil {
		m["arrivedAt"] = s(f.AppropriateAdult.ArrivedAt.UTC().Format(time.RFC3339Nano))
	}
	return m, nil
}

// CreateFollowUp writes the follow-up (pk <source>, sk FOLLOWUP#<id>, in
// ByState FOLLOWUP#<provider>#OPEN by due time) unless it exists.
func (st *Store) CreateFollowUp(ctx context.Context, f followup.FollowUp) (bool, error) {
	m, err := followUpItem(f)
	if err != nil {
		return false, err
	}
	_, err = st.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &st.table, Item: m, ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	if conditionFailed(err, 0) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("create follow-up %s: %w", f.ID, err)
	}
	return true, nil
}

// FollowUps returns the follow-ups of a referral or custody request.
func (st *Store) FollowUps(ctx context.Context, t followup.SourceType, id string) ([]followup.FollowUp, error) {
	out, err := st.db.Query(ctx, &dynamodb.QueryInput{
		TableName:              &st.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :fu)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": s(sourcePK(t, id)), ":fu": s(followUpPrefix),
		},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("query follow-ups of %s: %w", id, err)
	}
	fs := make([]followup.FollowUp, 0, len(out.Items))
	for _, item := range out.Items {
		var f followup.FollowUp
		if err := formDecoder.Decode(&types.AttributeValueMemberM{Value: item}, &f); err != nil {
			return nil, fmt.Errorf("decode follow-up of %s: %w", id, err)
		}
		fs = append(fs, f)
	}
	return fs, nil
}
