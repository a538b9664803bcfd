package dynamo

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestConditionFailed(t *testing.T) {
	cancelled := func(codes ...string) error {
		e := &types.TransactionCanceledException{Message: aws.String("Transaction cancelled")}
		for _, c := range codes {
			e.CancellationReasons = append(e.CancellationReasons, types.CancellationReason{Code: aws.String(c)})
		}
		return fmt.Errorf("operation error DynamoDB: TransactWriteItems: %w", e)
	}
	single := fmt.Errorf("operation error DynamoDB: UpdateItem: %w", &types.ConditionalCheckFailedException{})
	tests := []struct {
		name string
		err  error
		i    int
		want bool
	}{
		{"no error", nil, 0, false},
		{"another error", errors.New("timeout"), 0, false},
		{"the item's condition", cancelled("ConditionalCheckFailed", "None", "None"), 0, true},
		{"another item's condition: the audit entry, not a stale version", cancelled("None", "None", "ConditionalCheckFailed"), 0, false},
		{"the audit entry itself", cancelled("None", "None", "ConditionalCheckFailed"), 2, true},
		{"cancelled for a conflict", cancelled("TransactionConflict", "None"), 0, false},
		{"an index past the reasons", cancelled("ConditionalCheckFailed"), 3, false},
		{"no index", cancelled("ConditionalCheckFailed"), -1, false},
		{"no reasons", cancelled(), 0, false},
		{"a single write's condition is item 0", single, 0, true},
		{"a single write has no item 1", single, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := conditionFailed(tt.err, tt.i); got != tt.want {
				t.Errorf("conditionFailed(%v, %d) = %v, want %v", tt.err, tt.i, got, tt.want)
			}
		})
	}
}
