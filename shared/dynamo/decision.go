package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

var _ decision.Store = (*Store)(nil)

// Decisions returns a referral's decisions, oldest first (their sort keys
// are ULIDs).
func (st *Store) Decisions(ctx context.Context, referralID string) ([]decision.Decision, error) {
	var out []decision.Decision
	err := st.queryPrefix(ctx, referralPrefix+referralID, decisionPrefix, func(item map[string]types.AttributeValue) error {
		var d decision.Decision
		if err := formDecoder.Decode(&types.AttributeValueMemberM{Value: item}, &d); err != nil {
			return fmt.Errorf("decode decision of referral %s: %w", referralID, err)
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// queryPrefix calls fn with every item of the partition pk whose sort key
// begins with prefix, in sort key order.
func (st *Store) queryPrefix(ctx context.Context, pk, prefix string, fn func(map[string]types.AttributeValue) error) error {
	p := dynamodb.NewQueryPaginator(st.db, &dynamodb.QueryInput{
		TableName:              &st.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": s(pk), ":prefix": s(prefix),
		},
		ConsistentRead: aws.Bool(true),
	})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("query %s %s*: %w", pk, prefix, err)
		}
		for _, item := range out.Items {
			if err := fn(item); err != nil {
				return err
			}
		}
	}
	return nil
}

// SaveDecision stores the decision (REFERRAL#<id> / DECISION#<ulid>), marks
// the one it supersedes, moves the referral at version read (awaiting a
// decision, decided, or queued and untriaged) to DECIDED and
// out of the MASH queue (ByState), and writes the audit entry, in one
// transaction.
func (st *Store) SaveDecision(ctx context.Context, d decision.Decision, read int, entry audit.Entry) error {
	item, err := formEncoder.Encode(d)
	if err != nil {
		return fmt.Errorf("encode decision %s: %w", d.ID, err)
	}
	m := item.(*types.AttributeValueMemberM).Value
	m["pk"], m["sk"], m["type"] = s(referralPrefix+d.ReferralID), s(decisionPrefix+d.ID), s("decision")
	at := s(d.DecidedAt.UTC().Format(keyTime))
	summary := &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
		"id": s(d.ID), "outcome": s(string(d.Outcome)), "decidedAt": at,
	}}
	if d.PrimaryNeed != "" {
		// The census's need code, for the manager's export.
		summary.Value["primaryNeed"] = s(d.PrimaryNeed)
	}
	items := []types.TransactWriteItem{
		{Update: &types.Update{
			TableName: &st.table,
			Key:       referralKey(d.ReferralID),
			UpdateExpression: aws.String("SET #status = :decided, version = version + :one, decision = :summary, " +
				"firstDecidedAt = if_not_exists(firstDecidedAt, :at) REMOVE gsi1pk, gsi1sk"),
			ConditionExpression:      aws.String("version = :read AND (#status IN (:awaiting, :decided) OR (#status = :queued AND gsi1pk = :untriaged))"),
			ExpressionAttributeNames: map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":decided": s(string(referral.StatusDecided)), ":awaiting": s(string(referral.StatusAwaitingDecision)),
				":queued": s(string(referral.StatusQueued)), ":untriaged": s(QueueUntriaged),
				":read": n(int64(read)), ":one": n(1), ":summary": summary, ":at": at,
			},
		}},
		{Put: &types.Put{TableName: &st.table, Item: m, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		{Put: &types.Put{TableName: &st.table, Item: auditItem(entry), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
	}
	if d.Supersedes != "" {
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:           &st.table,
			Key:                 map[string]types.AttributeValue{"pk": s(referralPrefix + d.ReferralID), "sk": s(decisionPrefix + d.Supersedes)},
			UpdateExpression:    aws.String("SET supersededBy = :by"),
			ConditionExpression: aws.String("attribute_exists(pk) AND attribute_not_exists(supersededBy)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":by": s(d.ID),
			},
		}})
	}
	_, err = st.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	// The referral at the version read (item 0), or the decision it
	// supersedes still current (item 3): someone else decided meanwhile.
	if conditionFailed(err, 0) || conditionFailed(err, 3) {
		return fmt.Errorf("save decision %s: %w", d.ID, decision.ErrStale)
	}
	if err != nil {
		return fmt.Errorf("save decision %s on referral %s: %w", d.ID, d.ReferralID, err)
	}
	return nil
}
