package dynamo

// Escalations to the MASH manager, written once by the sweep (see
// escalation() in sweep.go) and acknowledged once by the manager:
//
//	item         pk                   sk           gsi1pk / gsi1sk (ByState)
//	escalation   ESCALATION#<name>    ESCALATION   ESCALATION#OPEN / <raisedAt>#<name>, then
//	                                               ESCALATION#ACKNOWLEDGED / <acknowledgedAt>#<name>
//
// <name> is escalation.Key.Name: REFERRAL#<id>, REFERRAL#<id>#TRIAGE or
// FOLLOWUP#<id>.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/escalation"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/page"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

var _ escalation.Store = (*Store)(nil)

// escalationCursor is where a page of escalations ended: the status listed
// and the last escalation's sort key.
type escalationCursor struct {
	Status escalation.Status `json:"s"`
	SK     string            `json:"k"`
}

// escalationSortKey splits a ByState sort key "<time>#<name>"; false when
// it is not of that shape.
func escalationSortKey(sk string) (escalation.Key, bool) {
	at, name, ok := strings.Cut(sk, "#")
	if _, err := time.Parse(keyTime, at); !ok || err != nil {
		return escalation.Key{}, false
	}
	return escalation.ParseName(name)
}

// decodeEscalationCursor reads a cursor, checking that it was made for a
// list of the status asked for and names an escalation's sort key.
func decodeEscalationCursor(text string, status escalation.Status) (escalationCursor, error) {
	var c escalationCursor
	if err := page.Decode(text, &c); err != nil || c.Status != status {
		return c, page.ErrBadCursor
	}
	if _, ok := escalationSortKey(c.SK); !ok {
		return c, page.ErrBadCursor
	}
	return c, nil
}

// Escalations pages through one ByState partition of escalations: open
// ones ascending (oldest raised first), acknowledged ones descending (most
// recently acknowledged first). The index holds keys only: the page's
// escalations are read by key (consistently, keeping only those still in
// the partition), then the referrals and follow-ups they are about.
func (st *Store) Escalations(ctx context.Context, q escalation.Query) ([]escalation.Record, string, error) {
	part, ok := escalationPartitions[q.Status]
	if !ok || q.Limit < 1 {
		return nil, "", fmt.Errorf("list escalations: status %q, limit %d", q.Status, q.Limit)
	}
	in := &dynamodb.QueryInput{
		TableName:                 &st.table,
		IndexName:                 aws.String(IndexByState),
		KeyConditionExpression:    aws.String("gsi1pk = :p"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": s(part)},
		ScanIndexForward:          aws.Bool(q.Status == escalation.StatusOpen),
		// One more than the page, to know whether there is a next.
		Limit: aws.Int32(int32(q.Limit + 1)),
	}
	if q.Cursor != "" {
		cur, err := decodeEscalationCursor(q.Cursor, q.Status)
		if err != nil {
			return nil, "", err
		}
		k, _ := escalationSortKey(cur.SK)
		in.ExclusiveStartKey = escalationKey(k)
		in.ExclusiveStartKey["gsi1pk"], in.ExclusiveStartKey["gsi1sk"] = s(part), s(cur.SK)
	}
	var entries []map[string]types.AttributeValue
	p := dynamodb.NewQueryPaginator(st.db, in)
	for p.HasMorePages() && len(entries) <= q.Limit {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, "", fmt.Errorf("query %s: %w", part, err)
		}
		entries = append(entries, out.Items...)
	}
	next := ""
	if len(entries) > q.Limit {
		entries = entries[:q.Limit]
		next = page.Encode(escalationCursor{Status: q.Status, SK: entries[q.Limit-1]["gsi1sk"].(*types.AttributeValueMemberS).Value})
	}
	keys := make([]map[string]types.AttributeValue, len(entries))
	for i, e := range entries {
		keys[i] = map[string]types.AttributeValue{"pk": e["pk"], "sk": e["sk"]}
	}
	items, err := st.batchGet(ctx, keys)
	if err != nil {
		return nil, "", fmt.Errorf("read escalations: %w", err)
	}
	byPK := make(map[string]map[string]types.AttributeValue, len(items))
	for _, item := range items {
		if str(item, "gsi1pk") == part {
			byPK[str(item, "pk")] = item
		}
	}
	recs := make([]escalation.Record, 0, len(entries))
	for _, e := range entries {
		item, ok := byPK[str(e, "pk")]
		if !ok {
			continue // acknowledged since the index was read
		}
		r, err := escalationFromItem(item)
		if err != nil {
			return nil, "", err
		}
		recs = append(recs, r)
	}
	if err := st.escalationSubjects(ctx, recs); err != nil {
		return nil, "", err
	}
	return recs, next, nil
}

// Escalation returns one escalation with its referral or follow-up.
func (st *Store) Escalation(ctx context.Context, k escalation.Key) (*escalation.Record, error) {
	item, err := st.getItem(ctx, escalationKey(k), "escalation "+k.Name(), escalation.ErrNotFound)
	if err != nil {
		return nil, err
	}
	r, err := escalationFromItem(item)
	if err != nil {
		return nil, err
	}
	recs := []escalation.Record{r}
	if err := st.escalationSubjects(ctx, recs); err != nil {
		return nil, err
	}
	return &recs[0], nil
}

// Acknowledge moves an open escalation to ESCALATION#ACKNOWLEDGED (by time
// acknowledged) with who acknowledged it, when, and the note, and writes
// the audit entry, in one transaction on condition that it is still open.
func (st *Store) Acknowledge(ctx context.Context, k escalation.Key, a escalation.Acknowledgement, entry audit.Entry) error {
	at := a.At.UTC().Format(keyTime)
	set := "SET gsi1pk = :ack, gsi1sk = :sk, acknowledgedAt = :at, acknowledgedBy = :by"
	values := map[string]types.AttributeValue{
		":ack": s(EscalationsAcknowledged), ":open": s(EscalationsOpen),
		":sk": s(at + "#" + k.Name()), ":at": s(at), ":by": s(a.By),
	}
	if a.Note != "" {
		set += ", note = :note"
		values[":note"] = s(a.Note)
	}
	_, err := st.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                 &st.table,
			Key:                       escalationKey(k),
			UpdateExpression:          aws.String(set),
			ConditionExpression:       aws.String("gsi1pk = :open"),
			ExpressionAttributeValues: values,
		}},
		{Put: &types.Put{TableName: &st.table, Item: auditItem(entry), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
	}})
	if conditionFailed(err, 0) {
		return fmt.Errorf("acknowledge escalation %s: %w", k.Name(), escalation.ErrNotOpen)
	}
	if err != nil {
		return fmt.Errorf("acknowledge escalation %s: %w", k.Name(), err)
	}
	return nil
}

// escalationFromItem reads an escalation item back.
func escalationFromItem(item map[string]types.AttributeValue) (escalation.Record, error) {
	var raw struct {
		PK             string `dynamodbav:"pk"`
		RaisedAt       string `dynamodbav:"raisedAt"`
		AcknowledgedAt string `dynamodbav:"acknowledgedAt"`
		AcknowledgedBy string `dynamodbav:"acknowledgedBy"`
		Note           string `dynamodbav:"note"`
	}
	if err := attributevalue.UnmarshalMap(item, &raw); err != nil {
		return escalation.Record{}, fmt.Errorf("decode escalation: %w", err)
	}
	k, ok := escalation.ParseName(strings.TrimPrefix(raw.PK, escalationPrefix))
	if !ok {
		return escalation.Record{}, fmt.Errorf("decode escalation: key %q is not an escalation's", raw.PK)
	}
	r := escalation.Record{Key: k}
	var err error
	if r.RaisedAt, err = time.Parse(keyTime, raw.RaisedAt); err != nil {
		return escalation.Record{}, fmt.Errorf("decode raisedAt of escalation %s: %w", k.Name(), err)
	}
	if raw.AcknowledgedAt != "" {
		at, err := time.Parse(keyTime, raw.AcknowledgedAt)
		if err != nil {
			return escalation.Record{}, fmt.Errorf("decode acknowledgedAt of escalation %s: %w", k.Name(), err)
		}
		r.Acknowledgement = &escalation.Acknowledgement{By: raw.AcknowledgedBy, At: at, Note: raw.Note}
	}
	return r, nil
}

// escalationSubjects reads the referrals and follow-ups the escalations are
// about, in one batch of each, and sets them on recs; one that cannot be
// found is left nil.
func (st *Store) escalationSubjects(ctx context.Context, recs []escalation.Record) error {
	var refIDs []string
	var fuKeys []map[string]types.AttributeValue
	for _, r := range recs {
		switch r.Key.Subject.Type {
		case audit.SubjectReferral:
			refIDs = append(refIDs, r.Key.Subject.ID)
		case audit.SubjectFollowUp:
			if key, ok := followUpKey(r.Key.Subject.ID); ok {
				fuKeys = append(fuKeys, key)
			}
		}
	}
	var refs map[string]*referral.Record
	if len(refIDs) > 0 {
		var err error
		if refs, err = st.ReferralsByID(ctx, dedupe(refIDs)); err != nil {
			return fmt.Errorf("read the referrals escalated: %w", err)
		}
	}
	fus := map[string]*followup.FollowUp{}
	if len(fuKeys) > 0 {
		items, err := st.batchGet(ctx, fuKeys)
		if err != nil {
			return fmt.Errorf("read the follow-ups escalated: %w", err)
		}
		for _, item := range items {
			f, err := followUpFromItem(item)
			if err != nil {
				return err
			}
			fus[f.ID] = f
		}
	}
	for i := range recs {
		switch recs[i].Key.Subject.Type {
		case audit.SubjectReferral:
			recs[i].Referral = refs[recs[i].Key.Subject.ID]
		case audit.SubjectFollowUp:
			recs[i].FollowUp = fus[recs[i].Key.Subject.ID]
		}
	}
	return nil
}

// dedupe returns ids without repeats, in their first order: a batch read
// refuses a key given twice (a referral escalated both as untriaged and as
// overdue).
func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// str returns a string attribute of an item, or "".
func str(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}
