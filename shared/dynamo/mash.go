package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/page"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

var _ casework.QueueStore = (*Store)(nil)

// maxQueueScan bounds how many queue entries one page looks at when a
// priority filter skips most of them; the page then ends early with a
// cursor.
const maxQueueScan = 1000

// queueCursor is where a page of the triage queue ended: the partition
// (by its place in the list) and the last entry's sort key.
type queueCursor struct {
	Part int    `json:"p"`
	SK   string `json:"k"`
}

// decodeQueueCursor reads a cursor, checking that it names one of the parts
// partitions listed and an entry key of the queue's shape ("<time>#<ulid>").
func decodeQueueCursor(s string, parts int) (queueCursor, error) {
	var c queueCursor
	if err := page.Decode(s, &c); err != nil || c.Part < 0 || c.Part >= parts {
		return c, page.ErrBadCursor
	}
	at, id, ok := strings.Cut(c.SK, "#")
	if _, err := time.Parse(keyTime, at); !ok || err != nil || !ids.IsULID(id) {
		return c, page.ErrBadCursor
	}
	return c, nil
}

// queuePart is a ByState partition of the triage queue and the status its
// referrals must have to be listed from it (a referral read after it moved
// on is skipped, so none is listed twice).
type queuePart struct {
	key    string
	status referral.Status
}

// TriageQueue pages through the MASH queue: the UNTRIAGED partition (by
// time escalated; overdue, and listed whatever the priority asked for,
// since theirs is unknown), then OVERDUE, then AWAITING_DECISION, each by
// decision due time. The index holds keys only; the referrals are read by
// key and filtered by priority here.
func (st *Store) TriageQueue(ctx context.Context, q casework.QueueQuery) ([]*referral.Record, string, error) {
	parts := []queuePart{
		{QueueUntriaged, referral.StatusQueued},
		{QueueOverdue, referral.StatusAwaitingDecision},
		{QueueAwaitingDecision, referral.StatusAwaitingDecision},
	}
	if q.Overdue != nil && *q.Overdue {
		parts = parts[:2]
	} else if q.Overdue != nil {
		parts = parts[2:]
	}
	var cur queueCursor
	if q.Cursor != "" {
		var err error
		if cur, err = decodeQueueCursor(q.Cursor, len(parts)); err != nil {
			return nil, "", err
		}
	}
	var out []*referral.Record
	scanned := 0
	for part := cur.Part; part < len(parts); part++ {
		in := &dynamodb.QueryInput{
			TableName:              &st.table,
			IndexName:              aws.String(IndexByState),
			KeyConditionExpression: aws.String("gsi1pk = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":p": s(parts[part].key),
			},
			Limit: aws.Int32(int32(min(q.Limit, 100))),
		}
		if part == cur.Part && cur.SK != "" {
			_, id, _ := strings.Cut(cur.SK, "#")
			in.ExclusiveStartKey = map[string]types.AttributeValue{
				"gsi1pk": s(parts[part].key), "gsi1sk": s(cur.SK), "pk": s(referralPrefix + id), "sk": s("REFERRAL"),
			}
		}
		p := dynamodb.NewQueryPaginator(st.db, in)
		for p.HasMorePages() {
			got, err := p.NextPage(ctx)
			if err != nil {
				return nil, "", fmt.Errorf("query triage queue %s: %w", parts[part].key, err)
			}
			recs, err := st.referralsByKey(ctx, got.Items, parts[part].status)
			if err != nil {
				return nil, "", err
			}
			for i, key := range got.Items {
				scanned++
				sk := key["gsi1sk"].(*types.AttributeValueMemberS).Value
				if r := recs[i]; r != nil && (q.Priority == "" || r.Screening == nil || r.Screening.Priority == q.Priority) {
					out = append(out, r)
				}
				last := i == len(got.Items)-1 && !p.HasMorePages() && part == len(parts)-1
				if (len(out) == q.Limit || scanned >= maxQueueScan) && !last {
					return out, page.Encode(queueCursor{Part: part, SK: sk}), nil
				}
			}
		}
	}
	return out, "", nil
}

// referralsByKey reads the referrals whose index entries are keys, in the
// same order; an entry whose referral is gone, or no longer has the status
// (it moved on meanwhile), gives nil.
func (st *Store) referralsByKey(ctx context.Context, keys []map[string]types.AttributeValue, status referral.Status) ([]*referral.Record, error) {
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = strings.TrimPrefix(k["pk"].(*types.AttributeValueMemberS).Value, referralPrefix)
	}
	byID, err := st.ReferralsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read triage queue: %w", err)
	}
	out := make([]*referral.Record, len(ids))
	for i, id := range ids {
		if r := byID[id]; r != nil && r.Status == status && (status != referral.StatusQueued || r.UntriagedAt != nil) {
			out[i] = r
		}
	}
	return out, nil
}

// batchGet reads items by key (consistent reads, 100 keys a call,
// unprocessed keys read again), in no particular order; keys not found are
// left out.
func (st *Store) batchGet(ctx context.Context, keys []map[string]types.AttributeValue) ([]map[string]types.AttributeValue, error) {
	var items []map[string]types.AttributeValue
	for start := 0; start < len(keys); start += 100 {
		want := keys[start:min(start+100, len(keys))]
		for attempt := 0; len(want) > 0; attempt++ {
			if err := backoff(ctx, attempt); err != nil {
				return nil, fmt.Errorf("%d keys left unread: %w", len(want), err)
			}
			out, err := st.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
				st.table: {Keys: want, ConsistentRead: aws.Bool(true)},
			}})
			if err != nil {
				return nil, err
			}
			items = append(items, out.Responses[st.table]...)
			want = out.UnprocessedKeys[st.table].Keys
		}
	}
	return items, nil
}

// AppendAudits writes audit entries, each only if no item has its key, so
// that none can overwrite another (each has a fresh ULID): in transactions
// of 25 puts, each transaction all or nothing. A transaction, not a batch
// write, because allowing BatchWriteItem would allow deletes too, and
// nothing of the front door may delete.
func (st *Store) AppendAudits(ctx context.Context, es []audit.Entry) error {
	for start := 0; start < len(es); start += maxTransactPuts {
		batch := es[start:min(start+maxTransactPuts, len(es))]
		items := make([]types.TransactWriteItem, len(batch))
		for i, e := range batch {
			items[i] = types.TransactWriteItem{Put: &types.Put{
				TableName: &st.table, Item: auditItem(e), ConditionExpression: aws.String("attribute_not_exists(pk)"),
			}}
		}
		if _, err := st.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
			return fmt.Errorf("append %d audit entries: %w", len(batch), err)
		}
	}
	return nil
}

// maxTransactPuts is the most audit entries in one transaction: within
// every DynamoDB's limit, DynamoDB Local's included.
const maxTransactPuts = 25

// maxBatchAttempts bounds the retries of a batch's unprocessed items.
const maxBatchAttempts = 8

// backoff waits before a batch's attempt: not at all before the first, then
// 50 ms doubling each time; it gives up after maxBatchAttempts.
func backoff(ctx context.Context, attempt int) error {
	if attempt == 0 {
		return nil
	}
	if attempt >= maxBatchAttempts {
		return errors.New("still unprocessed after retries")
	}
	t := time.NewTimer(50 * time.Millisecond << (attempt - 1))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// AuditTrail returns the newest max audit entries filed under a referral,
// oldest first, and whether older ones were left out. It reads newest
// first so a long trail costs max items, not all of them.
func (st *Store) AuditTrail(ctx context.Context, referralID string, max int) ([]audit.Entry, bool, error) {
	out, err := st.db.Query(ctx, &dynamodb.QueryInput{
		TableName:              &st.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": s(referralPrefix + referralID), ":prefix": s(auditPrefix),
		},
		ScanIndexForward: aws.Bool(false),
		ConsistentRead:   aws.Bool(true),
		Limit:            aws.Int32(int32(max + 1)),
	})
	if err != nil {
		return nil, false, fmt.Errorf("read audit trail of referral %s: %w", referralID, err)
	}
	items := out.Items
	truncated := len(items) > max
	if len(items) > max {
		items = items[:max]
	}
	es := make([]audit.Entry, len(items))
	for i, item := range items {
		e, err := auditEntryFrom(item)
		if err != nil {
			return nil, false, fmt.Errorf("read audit trail of referral %s: %w", referralID, err)
		}
		es[len(items)-1-i] = e
	}
	return es, truncated, nil
}

// auditEntryFrom reads an audit item back.
func auditEntryFrom(item map[string]types.AttributeValue) (audit.Entry, error) {
	var raw struct {
		ID          string            `dynamodbav:"id"`
		At          string            `dynamodbav:"at"`
		SubjectType string            `dynamodbav:"subjectType"`
		SubjectID   string            `dynamodbav:"subjectId"`
		Action      string            `dynamodbav:"action"`
		Actor       map[string]string `dynamodbav:"actor"`
		Route       string            `dynamodbav:"route"`
		RequestID   string            `dynamodbav:"requestId"`
	}
	if err := attributevalue.UnmarshalMap(item, &raw); err != nil {
		return audit.Entry{}, fmt.Errorf("decode audit entry: %w", err)
	}
	at, err := time.Parse(keyTime, raw.At)
	if err != nil {
		return audit.Entry{}, fmt.Errorf("decode time of audit entry %s: %w", raw.ID, err)
	}
	return audit.Entry{
		ID: raw.ID, At: at, Subject: audit.Subject{Type: audit.SubjectType(raw.SubjectType), ID: raw.SubjectID},
		Action: audit.Action(raw.Action), Actor: audit.Actor{ID: raw.Actor["id"], Role: raw.Actor["role"], IP: raw.Actor["ip"]},
		Route: raw.Route, RequestID: raw.RequestID,
	}, nil
}
