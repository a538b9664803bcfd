package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/referrer"
)

// guessesKey is the key of the count of tries on a reference in the window
// that starts at window.
func guessesKey(reference string, window time.Time) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk": s(guessesPrefix + reference),
		"sk": s(windowPrefix + window.UTC().Format(keyTime)),
	}
}

// TakeGuess counts one try on reference in the window that starts at
// window with one conditional update (ADD tries 1 while tries < max), so
// that tries racing each other cannot pass max together. It returns
// referrer.ErrTooManyGuesses when max are counted already. The count's
// expiresAt (the table's time-to-live) is expires.
func (st *Store) TakeGuess(ctx context.Context, reference string, window time.Time, max int, expires time.Time) error {
	_, err := st.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           &st.table,
		Key:                 guessesKey(reference, window),
		UpdateExpression:    aws.String("SET #type = :type, expiresAt = :expires ADD tries :one"),
		ConditionExpression: aws.String("attribute_not_exists(tries) OR tries < :max"),
		ExpressionAttributeNames: map[string]string{
			"#type": "type",
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":type": s("guesses"), ":expires": n(expires.Unix()), ":one": n(1), ":max": n(int64(max)),
		},
	})
	if conditionFailed(err, 0) {
		return fmt.Errorf("take a try on reference %s: %w", reference, referrer.ErrTooManyGuesses)
	}
	if err != nil {
		return fmt.Errorf("take a try on reference %s: %w", reference, err)
	}
	return nil
}

// errNothingToGiveBack: a give-back found no try counted in its window.
var errNothingToGiveBack = errors.New("no try is counted")

// GiveBackGuess uncounts one try on reference in the window that starts at
// window, never below zero.
func (st *Store) GiveBackGuess(ctx context.Context, reference string, window time.Time) error {
	_, err := st.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           &st.table,
		Key:                 guessesKey(reference, window),
		UpdateExpression:    aws.String("ADD tries :minus"),
		ConditionExpression: aws.String("tries > :zero"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":minus": n(-1), ":zero": n(0),
		},
	})
	if conditionFailed(err, 0) {
		err = errNothingToGiveBack
	}
	if err != nil {
		return fmt.Errorf("give back a try on reference %s in the window from %s: %w", reference, window.UTC().Format(keyTime), err)
	}
	return nil
}
