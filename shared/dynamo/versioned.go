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
)

// A versioned item is a record the pages keep for a while (a draft, a
// session): a JSON body, a version that every save must follow, when it
// was last saved, and when it expires (the table's time-to-live, which
// removes an expired item only some time later, so reads check it too).
type versioned struct {
	Body      string
	Version   int
	UpdatedAt time.Time
	ExpiresAt time.Time
}

// errVersionedNotFound is returned by getVersioned for no item, or one
// expired by now.
var errVersionedNotFound = errors.New("not found")

// getVersioned reads the versioned item at key, strongly consistent.
func (st *Store) getVersioned(ctx context.Context, key map[string]types.AttributeValue, now time.Time) (*versioned, error) {
	out, err := st.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &st.table, Key: key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, err
	}
	if out.Item == nil {
		return nil, errVersionedNotFound
	}
	body, _ := out.Item["body"].(*types.AttributeValueMemberS)
	version, _ := out.Item["version"].(*types.AttributeValueMemberN)
	expires, _ := out.Item["expiresAt"].(*types.AttributeValueMemberN)
	updated, _ := out.Item["updatedAt"].(*types.AttributeValueMemberS)
	if body == nil || version == nil || expires == nil || updated == nil {
		return nil, errors.New("an attribute is missing")
	}
	exp, err := strconv.ParseInt(expires.Value, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("expiresAt: %w", err)
	}
	v := &versioned{Body: body.Value, ExpiresAt: time.Unix(exp, 0).UTC()}
	if !now.Before(v.ExpiresAt) {
		return nil, errVersionedNotFound
	}
	if v.Version, err = strconv.Atoi(version.Value); err != nil {
		return nil, fmt.Errorf("version: %w", err)
	}
	if v.UpdatedAt, err = time.Parse(keyTime, updated.Value); err != nil {
		return nil, fmt.Errorf("updatedAt: %w", err)
	}
	return v, nil
}

// errVersionChanged is returned by putVersioned when the stored version is
// not v.Version.
var errVersionChanged = errors.New("changed since read")

// putVersioned writes the item at key of type typ as version v.Version+1,
// on condition that the stored one is v.Version (none for 0).
func (st *Store) putVersioned(ctx context.Context, key map[string]types.AttributeValue, typ string, v versioned) error {
	item := key
	item["type"] = s(typ)
	item["body"] = s(v.Body)
	item["version"] = n(int64(v.Version + 1))
	item["updatedAt"] = s(v.UpdatedAt.UTC().Format(keyTime))
	item["expiresAt"] = n(v.ExpiresAt.Unix())
	in := &dynamodb.PutItemInput{TableName: &st.table, Item: item}
	if v.Version == 0 {
		in.ConditionExpression = aws.String("attribute_not_exists(pk)")
	} else {
		in.ConditionExpression = aws.String("version = :v")
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":v": n(int64(v.Version))}
	}
	_, err := st.db.PutItem(ctx, in)
	if conditionFailed(err, 0) {
		return errVersionChanged
	}
	return err
}

// readVersioned reads the versioned item at key and decodes its body into
// a new T, with v its version, when it was saved and when it expires. A
// missing or expired item is notFound; what names the record in errors.
func readVersioned[T any](ctx context.Context, st *Store, key map[string]types.AttributeValue, now time.Time, notFound error, what string) (*T, *versioned, error) {
	v, err := st.getVersioned(ctx, key, now)
	if errors.Is(err, errVersionedNotFound) {
		return nil, nil, fmt.Errorf("get %s: %w", what, notFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("get %s: %w", what, err)
	}
	out := new(T)
	if err := json.Unmarshal([]byte(v.Body), out); err != nil {
		return nil, nil, fmt.Errorf("decode %s: %w", what, err)
	}
	return out, v, nil
}

// saveVersioned writes body as the next version of the item at key (see
// putVersioned); a version that changed since it was read is changed.
func (st *Store) saveVersioned(ctx context.Context, key map[string]types.AttributeValue, what string, body any, version int, updated, expires time.Time, changed error) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode %s: %w", what, err)
	}
	err = st.putVersioned(ctx, key, what, versioned{Body: string(b), Version: version, UpdatedAt: updated, ExpiresAt: expires})
	if errors.Is(err, errVersionChanged) {
		return fmt.Errorf("save %s: %w", what, changed)
	}
	if err != nil {
		return fmt.Errorf("save %s: %w", what, err)
	}
	return nil
}
