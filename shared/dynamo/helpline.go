package dynamo

// Helpline calls:
//
//	item                 pk                   sk                 gsi1pk / gsi1sk (ByState)
//	helpline call        HELPLINE#<id>        HELPLINE           HELPLINE#<yyyy-mm>#CONCERN or #NO-CONCERN / <calledAt>#<id>
//	audit entry          HELPLINE#<id>        AUDIT#<ulid>       -
//	idempotency record   IDEMPOTENCY#<hash>   IDEMPOTENCY        -   (expiresAt: TTL; the key hashed with the adviser's subject)
//
// A call stays in its ByState partition for good: the month (UTC) it was
// taken, split by whether it raised a safeguarding concern. The index
// projects keys only, so a filter on the concern could not be applied in
// the query; with the split, a list of concern calls reads only those, and
// a list of every call merges the two partitions of each month.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/page"
)

var _ helpline.Store = (*Store)(nil)

// helplineItem turns a call record into its item.
func helplineItem(rec *helpline.Record) (map[string]types.AttributeValue, error) {
	call, err := formEncoder.Encode(rec.Call)
	if err != nil {
		return nil, fmt.Errorf("encode helpline call %s: %w", rec.ID, err)
	}
	if rec.EscalationSecret == "" {
		return nil, fmt.Errorf("helpline call %s has no escalation secret", rec.ID)
	}
	item := helplineKey(rec.ID)
	item["type"] = s("helpline-call")
	item["id"] = s(rec.ID)
	item["status"] = s(string(rec.Status))
	item["version"] = n(int64(rec.Version))
	item["calledAt"] = s(rec.CalledAt.UTC().Format(keyTime))
	item["loggedAt"] = s(rec.LoggedAt.UTC().Format(keyTime))
	item["loggedBy"] = s(rec.LoggedBy)
	item["escalationSecret"] = s(rec.EscalationSecret)
	item["safeguardingConcern"] = &types.AttributeValueMemberBOOL{Value: rec.Call.Concern()}
	item["call"] = call
	item["gsi1pk"] = s(helplinePartition(rec.CalledAt, rec.Call.Concern()))
	item["gsi1sk"] = s(atKey(rec.CalledAt, rec.ID))
	return item, nil
}

// helplineFromItem turns an item back into a call record.
func helplineFromItem(item map[string]types.AttributeValue) (*helpline.Record, error) {
	var raw struct {
		ID               string `dynamodbav:"id"`
		Status           string `dynamodbav:"status"`
		Version          int    `dynamodbav:"version"`
		CalledAt         string `dynamodbav:"calledAt"`
		LoggedAt         string `dynamodbav:"loggedAt"`
		LoggedBy         string `dynamodbav:"loggedBy"`
		EscalationSecret string `dynamodbav:"escalationSecret"`
		ReferralID       string `dynamodbav:"referralId"`
		EscalatedAt      string `dynamodbav:"escalatedAt"`
		EscalatedBy      string `dynamodbav:"escalatedBy"`
	}
	if err := attributevalue.UnmarshalMap(item, &raw); err != nil {
		return nil, fmt.Errorf("decode helpline call item: %w", err)
	}
	rec := &helpline.Record{
		ID: raw.ID, Status: helpline.Status(raw.Status), Version: raw.Version, LoggedBy: raw.LoggedBy,
		EscalationSecret: raw.EscalationSecret, ReferralID: raw.ReferralID, EscalatedBy: raw.EscalatedBy,
	}
	var err error
	if rec.CalledAt, err = time.Parse(keyTime, raw.CalledAt); err != nil {
		return nil, fmt.Errorf("decode calledAt of helpline call %s: %w", raw.ID, err)
	}
	if rec.LoggedAt, err = time.Parse(keyTime, raw.LoggedAt); err != nil {
		return nil, fmt.Errorf("decode loggedAt of helpline call %s: %w", raw.ID, err)
	}
	if rec.EscalatedAt, err = optionalKeyTime(raw.EscalatedAt); err != nil {
		return nil, fmt.Errorf("decode escalatedAt of helpline call %s: %w", raw.ID, err)
	}
	if err := formDecoder.Decode(item["call"], &rec.Call); err != nil {
		return nil, fmt.Errorf("decode helpline call %s: %w", raw.ID, err)
	}
	return rec, nil
}

// CreateHelplineCall writes, in one transaction: the idempotency record
// (when idem is not nil; see idempotencyPut), the call and its audit entry,
// neither of the last two overwriting an existing item. An unexpired
// idempotency record for idem's key gives idempotency.ErrKeyUsed.
func (st *Store) CreateHelplineCall(ctx context.Context, rec *helpline.Record, idem *idempotency.Record, entry audit.Entry) error {
	item, err := helplineItem(rec)
	if err != nil {
		return err
	}
	if entry.Subject != audit.HelplineCall(rec.ID) {
		return fmt.Errorf("create helpline call %s: audit entry is for another record", rec.ID)
	}
	if err := st.createKeyed(ctx, idem, rec.LoggedAt, item, entry, nil, nil); err != nil {
		return fmt.Errorf("create helpline call %s: %w", rec.ID, err)
	}
	return nil
}

// HelplineCall returns the call with the given id, or helpline.ErrNotFound.
func (st *Store) HelplineCall(ctx context.Context, id string) (*helpline.Record, error) {
	item, err := st.getItem(ctx, helplineKey(id), "helpline call "+id, helpline.ErrNotFound)
	if err != nil {
		return nil, err
	}
	return helplineFromItem(item)
}

// MarkHelplineCallEscalated sets the call ESCALATED with the referral's id,
// if it is still LOGGED at e.Version, and writes the audit entry, in one
// transaction. A call not as expected gives helpline.ErrChanged.
func (st *Store) MarkHelplineCallEscalated(ctx context.Context, e helpline.Escalation, entry audit.Entry) error {
	if entry.Subject != audit.HelplineCall(e.CallID) {
		return fmt.Errorf("escalate helpline call %s: audit entry is for another record", e.CallID)
	}
	_, err := st.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{
			TableName: &st.table,
			Key:       helplineKey(e.CallID),
			UpdateExpression: aws.String("SET #status = :escalated, referralId = :ref, escalatedAt = :at, escalatedBy = :by, " +
				"version = version + :one"),
			ConditionExpression:      aws.String("attribute_exists(pk) AND #status = :logged AND version = :version"),
			ExpressionAttributeNames: map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":escalated": s(string(helpline.StatusEscalated)), ":logged": s(string(helpline.StatusLogged)),
				":ref": s(e.ReferralID), ":at": s(e.At.UTC().Format(keyTime)), ":by": s(e.By),
				":version": n(int64(e.Version)), ":one": n(1),
			},
		}},
		{Put: &types.Put{TableName: &st.table, Item: auditItem(entry), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
	}})
	if conditionFailed(err, 0) {
		return fmt.Errorf("escalate helpline call %s: %w", e.CallID, helpline.ErrChanged)
	}
	if err != nil {
		return fmt.Errorf("escalate helpline call %s: %w", e.CallID, err)
	}
	return nil
}

// helplineKeyed is a call found in ByState: its sort key and id.
type helplineKeyed struct{ sk, id string }

// ListHelplineCalls returns at most q.Limit calls of q, newest first, and
// whether there are more.
//
// It walks the months of the range from the newest, querying each month's
// partitions (one, or both halves when the list is not filtered on the
// concern) newest first for the keys of the calls in range, until it has
// one more than a page; the halves of a month are merged by sort key.
// Months are disjoint in time, so the order holds across them. The calls
// are then read by key in one batch.
//
// A list of one adviser's calls (q.Mine) reads the range's calls a full
// page at a time and keeps the adviser's, until it has one more than a
// page or the range is read: the index holds no adviser, and the range is
// at most helpline.MaxRange.
func (st *Store) ListHelplineCalls(ctx context.Context, q helpline.ListQuery) ([]helpline.Record, bool, error) {
	if !q.Mine {
		return st.listHelplineCalls(ctx, q)
	}
	all := q
	all.Mine, all.LoggedBy, all.Limit = false, "", page.MaxLimit
	var mine []helpline.Record
	for {
		recs, more, err := st.listHelplineCalls(ctx, all)
		if err != nil {
			return nil, false, err
		}
		for _, r := range recs {
			if q.LoggedBy != "" && r.LoggedBy == q.LoggedBy {
				if len(mine) == q.Limit {
					return mine, true, nil
				}
				mine = append(mine, r)
			}
		}
		if !more || len(recs) == 0 {
			return mine, false, nil
		}
		last := helpline.PositionOf(&recs[len(recs)-1])
		all.After = &last
	}
}

// listHelplineCalls is ListHelplineCalls of every adviser's calls.
func (st *Store) listHelplineCalls(ctx context.Context, q helpline.ListQuery) ([]helpline.Record, bool, error) {
	if q.Limit < 1 || q.Limit > page.MaxLimit || !q.From.Before(q.To) {
		return nil, false, fmt.Errorf("list helpline calls: query out of bounds (limit %d, %s to %s)", q.Limit, q.From, q.To)
	}
	concerns := []bool{true, false}
	if q.Concern != nil {
		concerns = []bool{*q.Concern}
	}
	lower := q.From.UTC().Format(keyTime)
	// upper is inclusive: the last millisecond before To, with any id; or
	// the position of the last call of the previous page, itself excluded.
	newest := q.To.Add(-time.Millisecond)
	upper, exclude := newest.UTC().Format(keyTime)+"#~", ""
	if q.After != nil {
		newest = q.After.CalledAt
		upper = atKey(q.After.CalledAt, q.After.ID)
		exclude = upper
	}
	want := q.Limit + 1
	var found []helplineKeyed
	for month := monthStart(newest); !month.Before(monthStart(q.From)) && len(found) < want; month = month.AddDate(0, -1, 0) {
		var inMonth []helplineKeyed
		for _, c := range concerns {
			keys, err := st.helplineKeys(ctx, helplinePartition(month, c), lower, upper, exclude, want-len(found))
			if err != nil {
				return nil, false, err
			}
			inMonth = append(inMonth, keys...)
		}
		slices.SortFunc(inMonth, func(a, b helplineKeyed) int { return cmp.Compare(b.sk, a.sk) })
		found = append(found, inMonth...)
	}
	more := len(found) > q.Limit
	if more {
		found = found[:q.Limit]
	}
	ids := make([]string, len(found))
	for i, k := range found {
		ids[i] = k.id
	}
	recs, err := st.helplineCalls(ctx, ids)
	if err != nil {
		return nil, false, err
	}
	return recs, more, nil
}

func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// helplineKeys queries one ByState partition, newest first, for at most n
// calls whose sort key is between lower and upper (both included), leaving
// out the one whose sort key is exclude.
func (st *Store) helplineKeys(ctx context.Context, partition, lower, upper, exclude string, n int) ([]helplineKeyed, error) {
	if lower > upper {
		return nil, nil
	}
	var out []helplineKeyed
	p := dynamodb.NewQueryPaginator(st.db, &dynamodb.QueryInput{
		TableName:              &st.table,
		IndexName:              aws.String(IndexByState),
		KeyConditionExpression: aws.String("gsi1pk = :p AND gsi1sk BETWEEN :lo AND :hi"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":p": s(partition), ":lo": s(lower), ":hi": s(upper),
		},
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(int32(n + 1)),
	})
	for p.HasMorePages() && len(out) < n {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", partition, err)
		}
		for _, item := range page.Items {
			var k struct {
				SK string `dynamodbav:"gsi1sk"`
			}
			if err := attributevalue.UnmarshalMap(item, &k); err != nil {
				return nil, fmt.Errorf("decode key in %s: %w", partition, err)
			}
			_, id, ok := strings.Cut(k.SK, "#")
			if !ok {
				return nil, fmt.Errorf("key %q in %s has no id", k.SK, partition)
			}
			if k.SK != exclude && len(out) < n {
				out = append(out, helplineKeyed{sk: k.SK, id: id})
			}
		}
	}
	return out, nil
}

// helplineCalls reads calls by id, consistently, in batches, and returns
// them in the order of ids. A call listed in the index but not found (which
// cannot happen while calls are never deleted) is an error.
func (st *Store) helplineCalls(ctx context.Context, ids []string) ([]helpline.Record, error) {
	byID, err := readByID(ctx, st, "helpline calls", ids, helplineKey, helplineFromItem, func(r *helpline.Record) string { return r.ID })
	if err != nil {
		return nil, err
	}
	recs := make([]helpline.Record, 0, len(ids))
	for _, id := range ids {
		rec, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("get helpline call %s: listed but %w", id, helpline.ErrNotFound)
		}
		recs = append(recs, *rec)
	}
	return recs, nil
}
