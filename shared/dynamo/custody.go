package dynamo

// Custody requests:
//
//	item                 pk                   sk                 gsi1pk / gsi1sk (ByState)
//	custody request      CUSTODY#<id>         CUSTODY            CUSTODY#RECEIVED / <receivedAt>#<id> while unqueued
//	audit entry          CUSTODY#<id>         AUDIT#<ulid>       -
//	follow-up            CUSTODY#<id>         FOLLOWUP#<id>      FOLLOWUP#<provider>#<status> / <flag>#<dueAt>#<id>

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/custody"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/sweep"
)

var _ custody.Store = (*Store)(nil)

// custodyItem turns a custody record into its item, status RECEIVED, in the
// unqueued partition of ByState.
func custodyItem(rec *custody.Record) (map[string]types.AttributeValue, error) {
	req, err := formEncoder.Encode(rec.Request)
	if err != nil {
		return nil, fmt.Errorf("encode custody request %s: %w", rec.ID, err)
	}
	received := rec.ReceivedAt.UTC().Format(keyTime)
	item := custodyKey(rec.ID)
	item["type"] = s("custody-request")
	item["id"] = s(rec.ID)
	item["reference"] = s(rec.Reference)
	item["status"] = s(custody.StatusReceived)
	item["receivedAt"] = s(received)
	item["version"] = n(1)
	item["request"] = req
	item["gsi1pk"] = s(CustodyUnqueued)
	item["gsi1sk"] = s(received + "#" + rec.ID)
	return item, nil
}

// CreateCustodyRequest writes the custody request and its audit entry in one
// transaction, neither overwriting an existing item.
func (st *Store) CreateCustodyRequest(ctx context.Context, rec *custody.Record, idem *idempotency.Record, claim custody.Claim, entry audit.Entry) error {
	item, err := custodyItem(rec)
	if err != nil {
		return err
	}
	if entry.Subject != audit.Custody(rec.ID) {
		return fmt.Errorf("create custody request %s: audit entry is for another record", rec.ID)
	}
	claimItem := custodyClaimKey(claim.Key)
	claimItem["type"], claimItem["requestId"] = s("custody-claim"), s(rec.ID)
	put := &types.Put{TableName: &st.table, Item: claimItem, ConditionExpression: aws.String("attribute_not_exists(pk)")}
	if claim.Replaces != "" {
		put.ConditionExpression = aws.String("requestId = :old")
		put.ExpressionAttributeValues = map[string]types.AttributeValue{":old": s(claim.Replaces)}
	}
	if err := st.createKeyed(ctx, idem, rec.ReceivedAt, item, entry, &types.TransactWriteItem{Put: put}, custody.ErrClaimTaken); err != nil {
		return fmt.Errorf("create custody request %s: %w", rec.ID, err)
	}
	return nil
}

// CustodyClaim returns the id of the request holding the claim on a custody
// record, or "" when none does.
func (st *Store) CustodyClaim(ctx context.Context, key string) (string, error) {
	item, err := st.getItem(ctx, custodyClaimKey(key), "custody claim", nil)
	if err != nil || item == nil {
		return "", err
	}
	v, _ := item["requestId"].(*types.AttributeValueMemberS)
	if v == nil {
		return "", fmt.Errorf("custody claim has no request id")
	}
	return v.Value, nil
}

// MarkCustodyQueued moves a RECEIVED custody request to QUEUED and takes it
// out of the unqueued partition. One already past RECEIVED is left as it is.
func (st *Store) MarkCustodyQueued(ctx context.Context, id string, at time.Time) error {
	_, err := st.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                &st.table,
		Key:                      custodyKey(id),
		UpdateExpression:         aws.String("SET #status = :queued, queuedAt = :at, version = version + :one REMOVE gsi1pk, gsi1sk"),
		ConditionExpression:      aws.String("#status = :received"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":queued": s(custody.StatusQueued), ":received": s(custody.StatusReceived),
			":at": s(at.UTC().Format(keyTime)), ":one": n(1),
		},
	})
	if conditionFailed(err, 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mark custody request %s queued: %w", id, err)
	}
	return nil
}

// UnqueuedCustodyRequests returns the custody requests stored before before
// whose follow-up commands were never sent, oldest first, at most limit.
func (st *Store) UnqueuedCustodyRequests(ctx context.Context, before time.Time, limit int) ([]sweep.CustodyRequest, error) {
	items, err := st.before(ctx, CustodyUnqueued, before, limit)
	if err != nil {
		return nil, err
	}
	out := make([]sweep.CustodyRequest, 0, len(items))
	for _, id := range idsFrom(items) {
		got, err := st.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &st.table, Key: custodyKey(id), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return nil, fmt.Errorf("get custody request %s: %w", id, err)
		}
		if got.Item == nil {
			continue
		}
		var req custody.Request
		if err := formDecoder.Decode(got.Item["request"], &req); err != nil {
			return nil, fmt.Errorf("decode custody request %s: %w", id, err)
		}
		at, _ := got.Item["receivedAt"].(*types.AttributeValueMemberS)
		if at == nil {
			return nil, fmt.Errorf("custody request %s has no receivedAt", id)
		}
		received, err := time.Parse(keyTime, at.Value)
		if err != nil {
			return nil, fmt.Errorf("decode receivedAt of custody request %s: %w", id, err)
		}
		out = append(out, sweep.CustodyRequest{
			ID: id, ReceivedAt: received,
			AppropriateAdult: req.AppropriateAdultRequested, Accommodation: req.AccommodationRequested,
		})
	}
	return out, nil
}
