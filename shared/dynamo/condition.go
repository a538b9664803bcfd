package dynamo

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// conditionFailed reports whether err is a write refused because the
// condition of item i failed: in a TransactWriteItems, the item at index i
// of TransactItems (each item's reason is told apart, so that a failed
// audit entry is never taken for a stale version); in a single PutItem or
// UpdateItem, its condition, as item 0. Any other error, a transaction
// cancelled for another reason or another item included, is not.
func conditionFailed(err error, i int) bool {
	var cancelled *types.TransactionCanceledException
	if errors.As(err, &cancelled) {
		r := cancelled.CancellationReasons
		return i >= 0 && i < len(r) && aws.ToString(r[i].Code) == "ConditionalCheckFailed"
	}
	var ccf *types.ConditionalCheckFailedException
	return i == 0 && errors.As(err, &ccf)
}
