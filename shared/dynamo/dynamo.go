// Package dynamo stores the front door's records in one DynamoDB table. Its
// key design (every item type, its keys, index entries and partitions) is
// in keys.go; docs/data-model.md gives the access patterns and the index
// that serves each.
package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// Compile-time checks that Store serves the domain packages.
var (
	_ intake.Store   = (*Store)(nil)
	_ casework.Store = (*Store)(nil)
)

// API is the part of the DynamoDB client the store uses.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
}

// NewClient returns a DynamoDB client for cfg, at the endpoint the
// environment sets (lambdaenv.Endpoint), if any. At such an endpoint
// (DynamoDB Local) response checksum validation is turned off, as DynamoDB
// Local requires with SDK v2.
func NewClient(cfg aws.Config) *dynamodb.Client {
	endpoint := lambdaenv.Endpoint("DYNAMODB")
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.BaseEndpoint = endpoint
		o.DisableValidateResponseChecksum = endpoint != nil
	})
}

// Store is the DynamoDB implementation of the domain's stores.
type Store struct {
	db    API
	table string
}

// New returns a Store on the named table.
func New(db API, table string) *Store { return &Store{db: db, table: table} }

var (
	formEncoder = attributevalue.NewEncoder(func(o *attributevalue.EncoderOptions) { o.TagKey = "json" })
	formDecoder = attributevalue.NewDecoder(func(o *attributevalue.DecoderOptions) { o.TagKey = "json" })
)

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

// createKeyed writes a new item and its audit entry, with the idempotency
// record idem when it is not nil (see idempotencyPut), and the write extra
// when it is not nil, in one transaction, neither the item nor the entry
// overwriting an existing item; an unexpired idempotency record for idem's
// key gives idempotency.ErrKeyUsed, and extra's failed condition gives
// extraFailed.
func (st *Store) createKeyed(ctx context.Context, idem *idempotency.Record, at time.Time, item map[string]types.AttributeValue, entry audit.Entry,
	extra *types.TransactWriteItem, extraFailed error) error {
	notExists := aws.String("attribute_not_exists(pk)")
	var writes []types.TransactWriteItem
	idemIndex := -1
	if idem != nil {
		idemIndex = len(writes)
		writes = append(writes, st.idempotencyPut(idem, at))
	}
	writes = append(writes,
		types.TransactWriteItem{Put: &types.Put{TableName: &st.table, Item: item, ConditionExpression: notExists}},
		types.TransactWriteItem{Put: &types.Put{TableName: &st.table, Item: auditItem(entry), ConditionExpression: notExists}},
	)
	extraIndex := -1
	if extra != nil {
		extraIndex = len(writes)
		writes = append(writes, *extra)
	}
	_, err := st.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: writes})
	switch {
	case conditionFailed(err, idemIndex):
		return idempotency.ErrKeyUsed
	case conditionFailed(err, extraIndex):
		return extraFailed
	}
	return err
}

// idempotencyPut is the transaction write that records an idempotency key
// and the response to replay, unless an unexpired record for the key exists.
func (st *Store) idempotencyPut(idem *idempotency.Record, now time.Time) types.TransactWriteItem {
	item := idempotencyKey(idem.KeyHash)
	item["type"] = s("idempotency")
	item["requestHash"] = s(idem.RequestHash)
	item["referralId"] = s(idem.ReferralID)
	item["response"] = &types.AttributeValueMemberB{Value: idem.Response}
	item["expiresAt"] = n(idem.ExpiresAt.Unix())
	return types.TransactWriteItem{Put: &types.Put{
		TableName: &st.table, Item: item,
		// An expired record that TTL has not yet removed may be reused.
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR expiresAt < :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": n(now.Unix())},
	}}
}

// referralItem turns a record into its item.
func referralItem(rec *referral.Record) (map[string]types.AttributeValue, error) {
	form, err := formEncoder.Encode(rec.Form)
	if err != nil {
		return nil, fmt.Errorf("encode referral form: %w", err)
	}
	item := referralKey(rec.ID)
	item["type"] = s("referral")
	item["id"] = s(rec.ID)
	item["reference"] = s(rec.Reference)
	item["status"] = s(string(rec.Status))
	item["receivedAt"] = s(rec.ReceivedAt.UTC().Format(keyTime))
	item["referralSource"] = s(rec.Source)
	item["receiptTokenHash"] = s(rec.ReceiptTokenHash)
	item["version"] = n(int64(rec.Version))
	item["form"] = form
	if rec.QueuedAt != nil {
		item["queuedAt"] = s(rec.QueuedAt.UTC().Format(keyTime))
	}
	item["gsi3pk"] = s(StatsReferrals + rec.ReceivedAt.UTC().Format("2006-01"))
	item["gsi3sk"] = s(atKey(rec.ReceivedAt, rec.ID))
	if rec.Origin != nil {
		item["origin"] = &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
			"type": s(rec.Origin.Type), "id": s(rec.Origin.ID),
		}}
	}
	switch {
	case rec.Status == referral.StatusReceived:
		item["gsi1pk"] = s(QueueUnqueued)
		item["gsi1sk"] = s(atKey(rec.ReceivedAt, rec.ID))
	case rec.Status == referral.StatusQueued && rec.QueuedAt != nil:
		item["gsi1pk"] = s(QueueQueued)
		item["gsi1sk"] = s(atKey(*rec.QueuedAt, rec.ID))
	}
	return item, nil
}

// optionalKeyTime reads a time stored as keyTime; nil when it is not there.
func optionalKeyTime(v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(keyTime, v)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// recordFromItem turns an item back into a record.
func recordFromItem(item map[string]types.AttributeValue) (*referral.Record, error) {
	var raw struct {
		ID               string `dynamodbav:"id"`
		Reference        string `dynamodbav:"reference"`
		Status           string `dynamodbav:"status"`
		ReceivedAt       string `dynamodbav:"receivedAt"`
		QueuedAt         string `dynamodbav:"queuedAt"`
		UntriagedAt      string `dynamodbav:"untriagedAt"`
		Source           string `dynamodbav:"referralSource"`
		ReceiptTokenHash string `dynamodbav:"receiptTokenHash"`
		Version          int    `dynamodbav:"version"`
	}
	if err := attributevalue.UnmarshalMap(item, &raw); err != nil {
		return nil, fmt.Errorf("%w: decode referral item: %w", referral.ErrUnreadable, err)
	}
	rec := &referral.Record{
		ID: raw.ID, Reference: raw.Reference, Status: referral.Status(raw.Status),
		Source: raw.Source, ReceiptTokenHash: raw.ReceiptTokenHash, Version: raw.Version,
	}
	var err error
	if rec.ReceivedAt, err = time.Parse(keyTime, raw.ReceivedAt); err != nil {
		return nil, fmt.Errorf("%w: decode receivedAt of referral %s: %w", referral.ErrUnreadable, raw.ID, err)
	}
	if rec.QueuedAt, err = optionalKeyTime(raw.QueuedAt); err != nil {
		return nil, fmt.Errorf("%w: decode queuedAt of referral %s: %w", referral.ErrUnreadable, raw.ID, err)
	}
	if rec.UntriagedAt, err = optionalKeyTime(raw.UntriagedAt); err != nil {
		return nil, fmt.Errorf("%w: decode untriagedAt of referral %s: %w", referral.ErrUnreadable, raw.ID, err)
	}
	if err := formDecoder.Decode(item["form"], &rec.Form); err != nil {
		return nil, fmt.Errorf("%w: decode form of referral %s: %w", referral.ErrUnreadable, raw.ID, err)
	}
	if o, ok := item["origin"]; ok {
		rec.Origin = &referral.Origin{}
		if err := formDecoder.Decode(o, rec.Origin); err != nil {
			return nil, fmt.Errorf("%w: decode origin of referral %s: %w", referral.ErrUnreadable, raw.ID, err)
		}
	}
	if sc, ok := item["screening"]; ok {
		rec.Screening = &referral.Screening{}
		if err := formDecoder.Decode(sc, rec.Screening); err != nil {
			return nil, fmt.Errorf("%w: decode screening of referral %s: %w", referral.ErrUnreadable, raw.ID, err)
		}
	}
	return rec, nil
}

func auditItem(e audit.Entry) map[string]types.AttributeValue {
	actor := map[string]types.AttributeValue{"id": s(e.Actor.ID), "role": s(e.Actor.Role)}
	if e.Actor.IP != "" {
		actor["ip"] = s(e.Actor.IP)
	}
	return map[string]types.AttributeValue{
		"pk":          s(subjectPartitions[e.Subject.Type] + e.Subject.ID),
		"sk":          s(auditPrefix + e.ID),
		"type":        s("audit"),
		"id":          s(e.ID),
		"at":          s(e.At.UTC().Format(keyTime)),
		"subjectType": s(string(e.Subject.Type)),
		"subjectId":   s(e.Subject.ID),
		"action":      s(string(e.Action)),
		"actor":       &types.AttributeValueMemberM{Value: actor},
		"route":       s(e.Route),
		"requestId":   s(e.RequestID),
	}
}

// CreateReferral writes the referral, its reference claim, the idempotency
// record (if any) and the audit entry in one transaction.
func (st *Store) CreateReferral(ctx context.Context, rec *referral.Record, idem *idempotency.Record, entry audit.Entry) error {
	item, err := referralItem(rec)
	if err != nil {
		return err
	}
	notExists := aws.String("attribute_not_exists(pk)")
	var writes []types.TransactWriteItem
	idemIndex, refIndex := -1, -1
	if idem != nil {
		idemIndex = len(writes)
		writes = append(writes, st.idempotencyPut(idem, rec.ReceivedAt))
	}
	writes = append(writes, types.TransactWriteItem{Put: &types.Put{TableName: &st.table, Item: item, ConditionExpression: notExists}})
	refIndex = len(writes)
	claim := referenceKey(rec.Reference)
	claim["type"], claim["referralId"] = s("reference"), s(rec.ID)
	writes = append(writes,
		types.TransactWriteItem{Put: &types.Put{TableName: &st.table, ConditionExpression: notExists, Item: claim}},
		types.TransactWriteItem{Put: &types.Put{TableName: &st.table, Item: auditItem(entry), ConditionExpression: notExists}},
	)
	_, err = st.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: writes})
	switch {
	case conditionFailed(err, idemIndex):
		return fmt.Errorf("create referral %s: %w", rec.ID, idempotency.ErrKeyUsed)
	case conditionFailed(err, refIndex):
		return fmt.Errorf("create referral %s: %w", rec.ID, intake.ErrReferenceTaken)
	}
	if err != nil {
		return fmt.Errorf("create referral %s: %w", rec.ID, err)
	}
	return nil
}

// Idempotency returns the unexpired idempotency record for keyHash, or nil.
func (st *Store) Idempotency(ctx context.Context, keyHash string, now time.Time) (*idempotency.Record, error) {
	item, err := st.getItem(ctx, idempotencyKey(keyHash), "idempotency record", nil)
	if err != nil || item == nil {
		return nil, err
	}
	var raw struct {
		RequestHash string `dynamodbav:"requestHash"`
		ReferralID  string `dynamodbav:"referralId"`
		Response    []byte `dynamodbav:"response"`
		ExpiresAt   int64  `dynamodbav:"expiresAt"`
	}
	if err := attributevalue.UnmarshalMap(item, &raw); err != nil {
		return nil, fmt.Errorf("decode idempotency record: %w", err)
	}
	expires := time.Unix(raw.ExpiresAt, 0)
	if now.After(expires) {
		return nil, nil
	}
	return &idempotency.Record{KeyHash: keyHash, RequestHash: raw.RequestHash, ReferralID: raw.ReferralID, Response: raw.Response, ExpiresAt: expires}, nil
}

// MarkQueued records that the triage message of an untriaged referral was
// sent at at: RECEIVED or QUEUED, it is QUEUED in the queued partition by
// at, where the sweep finds it if its message is lost. A triaged referral
// is left as it is.
func (st *Store) MarkQueued(ctx context.Context, id string, at time.Time) error {
	_, err := st.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                &st.table,
		Key:                      referralKey(id),
		UpdateExpression:         aws.String("SET #status = :queued, queuedAt = :at, gsi1pk = :part, gsi1sk = :sk, version = version + :one"),
		ConditionExpression:      aws.String("#status IN (:received, :queued)"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":queued": s(string(referral.StatusQueued)), ":received": s(string(referral.StatusReceived)),
			":at": s(at.UTC().Format(keyTime)), ":one": n(1),
			":part": s(QueueQueued), ":sk": s(atKey(at, id)),
		},
	})
	if conditionFailed(err, 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mark referral %s queued: %w", id, err)
	}
	return nil
}

// MarkUnqueued puts a QUEUED referral whose message could not be sent back
// to RECEIVED, in the unqueued partition by receivedAt (when it was
// received), where the sweep queues it. A referral no longer QUEUED (sent
// again meanwhile, or triaged) is left as it is.
func (st *Store) MarkUnqueued(ctx context.Context, id string, receivedAt time.Time) error {
	_, err := st.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                &st.table,
		Key:                      referralKey(id),
		UpdateExpression:         aws.String("SET #status = :received, gsi1pk = :part, gsi1sk = :sk, version = version + :one REMOVE queuedAt"),
		ConditionExpression:      aws.String("#status = :queued AND attribute_not_exists(resends)"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":queued": s(string(referral.StatusQueued)), ":received": s(string(referral.StatusReceived)),
			":one": n(1), ":part": s(QueueUnqueued), ":sk": s(atKey(receivedAt, id)),
		},
	})
	if conditionFailed(err, 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mark referral %s unqueued: %w", id, err)
	}
	return nil
}

// Referral returns the referral with the given id, or casework.ErrNotFound.
func (st *Store) Referral(ctx context.Context, id string) (*referral.Record, error) {
	item, err := st.getItem(ctx, referralKey(id), "referral "+id, casework.ErrNotFound)
	if err != nil {
		return nil, err
	}
	return recordFromItem(item)
}

// getItem reads the item with the key, consistently. When there is none it
// returns notFound wrapped (what names the item), or nil and no error when
// notFound is nil.
func (st *Store) getItem(ctx context.Context, key map[string]types.AttributeValue, what string, notFound error) (map[string]types.AttributeValue, error) {
	out, err := st.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &st.table, Key: key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", what, err)
	}
	if out.Item == nil && notFound != nil {
		return nil, fmt.Errorf("get %s: %w", what, notFound)
	}
	return out.Item, nil
}

// AppendAudit writes one audit entry, never overwriting another.
func (st *Store) AppendAudit(ctx context.Context, e audit.Entry) error {
	_, err := st.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &st.table, Item: auditItem(e), ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	if err != nil {
		return fmt.Errorf("append audit entry for %s %s: %w", e.Subject.Type, e.Subject.ID, err)
	}
	return nil
}
