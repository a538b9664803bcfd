package dynamo

// Follow-ups as their providers work them:
//
//	item                 pk                   sk                 gsi1pk / gsi1sk (ByState)
//	follow-up            <source pk>          FOLLOWUP#<id>      FOLLOWUP#<provider>#<status> / <flag>#<dueAt>#<id>
//	follow-up event      FOLLOWUP#<id>        EVENT#<ulid>       -
//	audit entry          FOLLOWUP#<id>        AUDIT#<ulid>       -
//
// <flag> is 0 once the follow-up was flagged overdue, 1 before.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/custody"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/followup/worklist"
	"github.com/csc-frontdoor/frontdoor/shared/page"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

var _ worklist.Store = (*Store)(nil)

func followUpFromItem(item map[string]types.AttributeValue) (*followup.FollowUp, error) {
	var f followup.FollowUp
	if err := formDecoder.Decode(&types.AttributeValueMemberM{Value: item}, &f); err != nil {
		return nil, fmt.Errorf("decode follow-up: %w", err)
	}
	return &f, nil
}

// FollowUp returns the follow-up with the given id (consistent read), or an
// error wrapping followup.ErrNotFound.
func (st *Store) FollowUp(ctx context.Context, id string) (*followup.FollowUp, error) {
	key, ok := followUpKey(id)
	if !ok {
		return nil, fmt.Errorf("follow-up %q: %w", id, followup.ErrNotFound)
	}
	item, err := st.getItem(ctx, key, "follow-up "+id, followup.ErrNotFound)
	if err != nil {
		return nil, err
	}
	return followUpFromItem(item)
}

// RecordFollowUpEvent writes, in one transaction: the follow-up as it is
// after the event (every attribute of f set, on condition that its version
// is still prev), the event (pk FOLLOWUP#<id>, sk EVENT#<ulid>) and the
// audit entry, neither overwriting anything. It returns an error wrapping
// followup.ErrChanged when the version is not prev.
func (st *Store) RecordFollowUpEvent(ctx context.Context, prev int, f followup.FollowUp, ev followup.Event, entry audit.Entry) error {
	if entry.Subject != audit.FollowUp(f.ID) || ev.FollowUpID != f.ID {
		return fmt.Errorf("record event on follow-up %s: event or audit entry is for another record", f.ID)
	}
	item, err := followUpItem(f)
	if err != nil {
		return err
	}
	key := map[string]types.AttributeValue{"pk": item["pk"], "sk": item["sk"]}
	names := map[string]string{}
	values := map[string]types.AttributeValue{":prev": n(int64(prev))}
	var sets []string
	attrs := make([]string, 0, len(item))
	for name := range item {
		if name != "pk" && name != "sk" {
			attrs = append(attrs, name)
		}
	}
	slices.Sort(attrs)
	for i, name := range attrs {
		names[fmt.Sprintf("#a%d", i)] = name
		values[fmt.Sprintf(":a%d", i)] = item[name]
		sets = append(sets, fmt.Sprintf("#a%d = :a%d", i, i))
	}
	names["#version"] = "version"
	evItem, err := formEncoder.Encode(ev)
	if err != nil {
		return fmt.Errorf("encode event on follow-up %s: %w", f.ID, err)
	}
	evm := evItem.(*types.AttributeValueMemberM).Value
	evm["pk"], evm["sk"], evm["type"] = s(followUpPrefix+f.ID), s(eventPrefix+ev.ID), s("follow-up-event")
	notExists := aws.String("attribute_not_exists(pk)")
	_, err = st.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                 &st.table,
			Key:                       key,
			UpdateExpression:          aws.String("SET " + strings.Join(sets, ", ")),
			ConditionExpression:       aws.String("#version = :prev"),
			ExpressionAttributeNames:  names,
			ExpressionAttributeValues: values,
		}},
		{Put: &types.Put{TableName: &st.table, Item: evm, ConditionExpression: notExists}},
		{Put: &types.Put{TableName: &st.table, Item: auditItem(entry), ConditionExpression: notExists}},
	}})
	if conditionFailed(err, 0) {
		return fmt.Errorf("record event on follow-up %s: %w", f.ID, followup.ErrChanged)
	}
	if err != nil {
		return fmt.Errorf("record event on follow-up %s: %w", f.ID, err)
	}
	return nil
}

// ReferralsByID reads referrals by id; an id not found is left out.
func (st *Store) ReferralsByID(ctx context.Context, ids []string) (map[string]*referral.Record, error) {
	return readByID(ctx, st, "referrals", ids, referralKey, recordFromItem, func(r *referral.Record) string { return r.ID })
}

// CustodyRequestsByID reads custody requests by id; an id not found is
// left out.
func (st *Store) CustodyRequestsByID(ctx context.Context, ids []string) (map[string]*custody.Record, error) {
	return readByID(ctx, st, "custody requests", ids, custodyKey, custodyFromItem, func(r *custody.Record) string { return r.ID })
}

// custodyFromItem turns a custody request's item back into its record.
func custodyFromItem(item map[string]types.AttributeValue) (*custody.Record, error) {
	var raw struct {
		ID         string `dynamodbav:"id"`
		Reference  string `dynamodbav:"reference"`
		ReceivedAt string `dynamodbav:"receivedAt"`
	}
	if err := formDecoder.Decode(&types.AttributeValueMemberM{Value: item}, &raw); err != nil {
		return nil, fmt.Errorf("decode custody request: %w", err)
	}
	rec := &custody.Record{ID: raw.ID, Reference: raw.Reference}
	var err error
	if rec.ReceivedAt, err = time.Parse(keyTime, raw.ReceivedAt); err != nil {
		return nil, fmt.Errorf("decode receivedAt of custody request %s: %w", raw.ID, err)
	}
	if err := formDecoder.Decode(item["request"], &rec.Request); err != nil {
		return nil, fmt.Errorf("decode custody request %s: %w", raw.ID, err)
	}
	return rec, nil
}

// readByID reads records by id in batches (consistent reads), decoding
// each item with decode and filing it under id(record); an id not found is
// left out, and one given twice is read once. what names the records in
// errors.
func readByID[T any](ctx context.Context, st *Store, what string, ids []string,
	key func(string) map[string]types.AttributeValue,
	decode func(map[string]types.AttributeValue) (*T, error),
	id func(*T) string,
) (map[string]*T, error) {
	// BatchGetItem refuses a key given twice: each id is read once.
	keys := make([]map[string]types.AttributeValue, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, v := range ids {
		if !seen[v] {
			seen[v] = true
			keys = append(keys, key(v))
		}
	}
	items, err := st.batchGet(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	out := make(map[string]*T, len(items))
	for _, item := range items {
		rec, err := decode(item)
		if errors.Is(err, referral.ErrUnreadable) {
			// One damaged record must not stop a list of the others: it is
			// left out, as if not found, and said so (its key only).
			slog.ErrorContext(ctx, "stored record cannot be read; left out of the list", "what", what, "key", str(item, "pk"))
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id(rec)] = rec
	}
	return out, nil
}

// followUpPart is one ByState partition a list reads.
type followUpPart struct {
	name     string
	provider followup.Provider
}

// followUpCursor is where a list's page ended in each partition: the sort
// key of the last follow-up shown from it (At), or that it was shown to its
// end (Done). A partition in neither was not read yet.
type followUpCursor struct {
	At   map[string]string `json:"at,omitempty"`
	Done []string          `json:"done,omitempty"`
}

// decodeFollowUpCursor reads a list cursor and checks it could have been
// made for this list: it names only the list's partitions, each once, not
// all of them done, and each position is a sort key of a follow-up of that
// partition's provider with the list's flag.
func decodeFollowUpCursor(text string, parts []followUpPart, prefix string) (followUpCursor, error) {
	var c followUpCursor
	if err := page.Decode(text, &c); err != nil {
		return c, err
	}
	provider := map[string]followup.Provider{}
	for _, p := range parts {
		provider[p.name] = p.provider
	}
	done := map[string]bool{}
	for _, name := range c.Done {
		if _, ok := provider[name]; !ok || done[name] {
			return c, page.ErrBadCursor
		}
		if _, ok := c.At[name]; ok {
			return c, page.ErrBadCursor
		}
		done[name] = true
	}
	if len(c.Done) >= len(parts) || len(c.At)+len(c.Done) == 0 {
		return c, page.ErrBadCursor
	}
	for name, sk := range c.At {
		p, ok := provider[name]
		if !ok || !strings.HasPrefix(sk, prefix) {
			return c, page.ErrBadCursor
		}
		flag, rest, _ := strings.Cut(sk, "#")
		at, id, _ := strings.Cut(rest, "#")
		cmd, ok := followup.ParseID(id)
		if _, err := time.Parse(keyTime, at); err != nil || !ok || (flag != "0" && flag != "1") || cmd.Kind.Provider() != p {
			return c, page.ErrBadCursor
		}
	}
	return c, nil
}

// followUpEntry is one index entry read for a list.
type followUpEntry struct {
	part string
	sk   string
	key  map[string]types.AttributeValue
}

// ListFollowUps returns a page of the follow-ups q asks for. Each provider
// and status is a ByState partition, ordered by flag (overdue first) and due
// time; the page takes up to q.Limit entries from each partition after the
// cursor, merges them in that order and keeps the first q.Limit. The
// cursor (base64url JSON) records where the page ended in each partition.
// The follow-ups are then read by key, consistently.
func (st *Store) ListFollowUps(ctx context.Context, q followup.ListQuery) (followup.Page, error) {
	if q.Limit < 1 || len(q.Providers) == 0 || len(q.Statuses) == 0 {
		return followup.Page{}, errors.New("list follow-ups: no providers, statuses or limit")
	}
	var parts []followUpPart
	for _, p := range q.Providers {
		for _, status := range q.Statuses {
			parts = append(parts, followUpPart{name: followUpPartition(p, status), provider: p})
		}
	}
	prefix := ""
	if q.Overdue != nil {
		prefix = followUpUnflagged
		if *q.Overdue {
			prefix = followUpFlagged
		}
	}
	cur := followUpCursor{}
	if q.Cursor != "" {
		var err error
		if cur, err = decodeFollowUpCursor(q.Cursor, parts, prefix); err != nil {
			return followup.Page{}, err
		}
	}
	var entries []followUpEntry
	exhausted := map[string]bool{}
	for _, p := range parts {
		if slices.Contains(cur.Done, p.name) {
			continue
		}
		in := &dynamodb.QueryInput{
			TableName:                 &st.table,
			IndexName:                 aws.String(IndexByState),
			KeyConditionExpression:    aws.String("gsi1pk = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": s(p.name)},
			Limit:                     aws.Int32(int32(q.Limit)),
		}
		if prefix != "" {
			in.KeyConditionExpression = aws.String("gsi1pk = :p AND begins_with(gsi1sk, :f)")
			in.ExpressionAttributeValues[":f"] = s(prefix)
		}
		if sk := cur.At[p.name]; sk != "" {
			_, rest, _ := strings.Cut(sk, "#")
			_, id, _ := strings.Cut(rest, "#")
			key, _ := followUpKey(id)
			in.ExclusiveStartKey = map[string]types.AttributeValue{"gsi1pk": s(p.name), "gsi1sk": s(sk), "pk": key["pk"], "sk": key["sk"]}
		}
		out, err := st.db.Query(ctx, in)
		if err != nil {
			return followup.Page{}, fmt.Errorf("query %s: %w", p.name, err)
		}
		exhausted[p.name] = len(out.LastEvaluatedKey) == 0
		for _, item := range out.Items {
			sk, _ := item["gsi1sk"].(*types.AttributeValueMemberS)
			if sk == nil {
				continue
			}
			entries = append(entries, followUpEntry{part: p.name, sk: sk.Value, key: map[string]types.AttributeValue{"pk": item["pk"], "sk": item["sk"]}})
		}
	}
	slices.SortFunc(entries, func(a, b followUpEntry) int {
		if c := strings.Compare(a.sk, b.sk); c != 0 {
			return c
		}
		return strings.Compare(a.part, b.part)
	})
	shown := entries[:min(q.Limit, len(entries))]

	next := followUpCursor{At: map[string]string{}, Done: slices.Clone(cur.Done)}
	left := map[string]int{}
	for _, e := range entries[len(shown):] {
		left[e.part]++
	}
	for _, e := range shown {
		next.At[e.part] = e.sk
	}
	more := false
	for _, p := range parts {
		switch {
		case slices.Contains(cur.Done, p.name):
		case exhausted[p.name] && left[p.name] == 0:
			next.Done = append(next.Done, p.name)
			delete(next.At, p.name)
		default:
			more = true
			if _, ok := next.At[p.name]; !ok && cur.At[p.name] != "" {
				next.At[p.name] = cur.At[p.name]
			}
		}
	}

	keys := make([]map[string]types.AttributeValue, len(shown))
	for i, e := range shown {
		keys[i] = e.key
	}
	items, err := st.batchGet(ctx, keys)
	if err != nil {
		return followup.Page{}, fmt.Errorf("read follow-ups: %w", err)
	}
	byKey := make(map[string]*followup.FollowUp, len(items))
	for _, item := range items {
		f, err := followUpFromItem(item)
		if err != nil {
			return followup.Page{}, err
		}
		byKey[f.ID] = f
	}
	out := followup.Page{FollowUps: make([]followup.FollowUp, 0, len(shown))}
	for _, e := range shown {
		_, rest, _ := strings.Cut(e.sk, "#")
		_, id, _ := strings.Cut(rest, "#")
		if f := byKey[id]; f != nil {
			out.FollowUps = append(out.FollowUps, *f)
		}
	}
	if more {
		out.Next = page.Encode(next)
	}
	return out, nil
}
