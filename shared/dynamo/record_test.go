package dynamo

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// A referral item read back whole is the record it was made from; one with
// an attribute damaged is referral.ErrUnreadable, whichever it is.
func TestRecordFromItemDamaged(t *testing.T) {
	at := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
	rec := &referral.Record{ID: "01JD0000000000000000000000", Reference: "FD-AAAA-BBBB", Status: referral.StatusQueued,
		ReceivedAt: at, QueuedAt: &at, Version: 2, Form: referral.Referral{Concerns: referral.Concerns{Account: "An account."}}}
	good, err := referralItem(rec)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := recordFromItem(good); err != nil || back.ID != rec.ID || !back.ReceivedAt.Equal(at) || back.Form.Concerns.Account != "An account." {
		t.Fatalf("read back %+v, %v", back, err)
	}
	for _, tc := range []struct {
		attr string
		v    types.AttributeValue
	}{
		{"receivedAt", &types.AttributeValueMemberS{Value: "not a time"}},
		{"queuedAt", &types.AttributeValueMemberS{Value: "yesterday"}},
		{"untriagedAt", &types.AttributeValueMemberS{Value: "2026-13-01"}},
		{"version", &types.AttributeValueMemberS{Value: "two"}},
		{"form", &types.AttributeValueMemberS{Value: "a form"}},
		{"origin", &types.AttributeValueMemberN{Value: "1"}},
		{"screening", &types.AttributeValueMemberL{}},
	} {
		item := map[string]types.AttributeValue{}
		for k, v := range good {
			item[k] = v
		}
		item[tc.attr] = tc.v
		if _, err := recordFromItem(item); !errors.Is(err, referral.ErrUnreadable) {
			t.Errorf("%s damaged: %v, want referral.ErrUnreadable", tc.attr, err)
		}
	}
}
