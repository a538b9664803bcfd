package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
)

var _ draft.Store = (*Store)(nil)

// draftKey is the key of a draft: its id hashed, so that the table never
// holds the cookie that names it.
func draftKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(draftPrefix + ids.Hash(id)), "sk": s(draftSK)}
}

// Draft returns the draft with id, or draft.ErrNotFound when there is none
// or it expired before now (the table's time-to-live removes expired items
// only some time later).
func (st *Store) Draft(ctx context.Context, id string, now time.Time) (*draft.Draft, error) {
	out, err := st.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &st.table, Key: draftKey(id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("get draft: %w", err)
	}
	if out.Item == nil {
		return nil, fmt.Errorf("get draft: %w", draft.ErrNotFound)
	}
	body, _ := out.Item["draft"].(*types.AttributeValueMemberS)
	version, _ := out.Item["version"].(*types.AttributeValueMemberN)
	expires, _ := out.Item["expiresAt"].(*types.AttributeValueMemberN)
	updated, _ := out.Item["updatedAt"].(*types.AttributeValueMemberS)
	if body == nil || version == nil || expires == nil || updated == nil {
		return nil, errors.New("decode draft: an attribute is missing")
	}
	exp, err := strconv.ParseInt(expires.Value, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("decode draft expiresAt: %w", err)
	}
	if !now.Before(time.Unix(exp, 0)) {
		return nil, fmt.Errorf("get draft: expired: %w", draft.ErrNotFound)
	}
	d := &draft.Draft{ID: id, ExpiresAt: time.Unix(exp, 0).UTC()}
	if err := json.Unmarshal([]byte(body.Value), d); err != nil {
		return nil, fmt.Errorf("decode draft: %w", err)
	}
	if d.Version, err = strconv.Atoi(version.Value); err != nil {
		return nil, fmt.Errorf("decode draft version: %w", err)
	}
	if d.UpdatedAt, err = time.Parse(keyTime, updated.Value); err != nil {
		return nil, fmt.Errorf("decode draft updatedAt: %w", err)
	}
	return d, nil
}

// SaveDraft writes the draft as its next version, on condition that the
// stored one is the version it was read at (none for version 0), with its
// expiresAt, the table's time-to-live, moved to its Lifetime (draft.Idle,
// or draft.AfterSending once sent) from its UpdatedAt.
func (st *Store) SaveDraft(ctx context.Context, d *draft.Draft) error {
	body, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode draft: %w", err)
	}
	d.ExpiresAt = d.UpdatedAt.Add(d.Lifetime())
	item := draftKey(d.ID)
	item["type"] = s("draft")
	item["draft"] = s(string(body))
	item["version"] = n(int64(d.Version + 1))
	item["updatedAt"] = s(d.UpdatedAt.UTC().Format(keyTime))
	item["expiresAt"] = n(d.ExpiresAt.Unix())
	in := &dynamodb.PutItemInput{TableName: &st.table, Item: item}
	if d.Version == 0 {
		in.ConditionExpression = aws.String("attribute_not_exists(pk)")
	} else {
		in.ConditionExpression = aws.String("version = :v")
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":v": n(int64(d.Version))}
	}
	_, err = st.db.PutItem(ctx, in)
	if conditionFailed(err, 0) {
		return fmt.Errorf("save draft: %w", draft.ErrChanged)
	}
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	d.Version++
	return nil
}
