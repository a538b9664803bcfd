// Package idempotency lets a client retry a request that makes something (a
// referral, an addendum, a helpline call) and get the first answer back,
// never a second record, by sending the same Idempotency-Key.
//
// The one rule for scoping a key: a key belongs to the route it was sent to
// and to a scope, and is kept under the SHA-256 of the three (Key.Hash), so
// that the same key sent to another route, or by another caller, is another
// key. The scope is
//
//   - on a route that needs sign-in, the caller's subject (two helpline
//     advisers' keys never collide);
//   - on an open route about a record, that record (a referral's addenda:
//     the referral's id);
//   - on the open route that makes referrals, none: the partner has no
//     account, and a retry is known by its key alone;
//   - for a key the system derives itself (a referral made from a helpline
//     call or a follow-up), the record it is derived from, so that whoever
//     retries, the same referral is found.
//
// What is kept (Record) is the hash of the request as validated, so that a
// retry of the same request replays and the same key with another request
// is refused, and the answer sent the first time, for TTL.
package idempotency

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// Limits of a key.
const (
	// MaxKeyLength is the longest Idempotency-Key accepted.
	MaxKeyLength = 255
	// TTL is how long a key is remembered.
	TTL = 24 * time.Hour
	// Header is the request header that carries the key.
	Header = "Idempotency-Key"
)

// ErrKeyUsed is what a store returns when it cannot write a record because
// an unexpired one for the same key hash exists.
var ErrKeyUsed = errors.New("idempotency key already used")

// Key is an Idempotency-Key with what it is scoped to (see the package
// documentation).
type Key struct {
	// Route is the route the key was sent to ("POST /referrals").
	Route string
	// Scope is whose the key is: a caller's subject, or a record's id; ""
	// for none.
	Scope string
	// Value is the key as sent; "" when none was.
	Value string
}

// Given reports whether a key was sent.
func (k Key) Given() bool { return k.Value != "" }

// Hash is what the key is kept under: SHA-256 of route, scope and key.
func (k Key) Hash() string { return ids.Hash(k.Route + "\x00" + k.Scope + "\x00" + k.Value) }

// Check accepts no key, or 1 to MaxKeyLength visible ASCII characters, and
// otherwise returns an Invalid error naming the Idempotency-Key header.
func (k Key) Check() error {
	if k.Value == "" {
		return nil
	}
	bad := len(k.Value) > MaxKeyLength
	for i := 0; i < len(k.Value) && !bad; i++ {
		bad = k.Value[i] < 0x21 || k.Value[i] > 0x7e
	}
	if bad {
		return apperr.WithFields("The Idempotency-Key header is not valid.", []apperr.FieldError{{
			Field:   Header,
			Message: fmt.Sprintf("Send an Idempotency-Key of 1 to %d visible ASCII characters without spaces, such as a UUID.", MaxKeyLength),
		}})
	}
	return nil
}

// Record is what is kept of a request made with a key.
type Record struct {
	// KeyHash is Key.Hash.
	KeyHash string
	// RequestHash is the SHA-256 of the request as validated (its JSON).
	RequestHash string
	// ReferralID is the referral the request made or was about, if any.
	ReferralID string
	// Response is the answer sent the first time (JSON).
	Response []byte
	// ExpiresAt is when the key may be used again.
	ExpiresAt time.Time
}

// NewRecord returns the record to keep of request, made with key at now and
// answered with response, or nil when no key was sent. request and response
// are marshalled to JSON.
func NewRecord(key Key, request, response any, referralID string, now time.Time) (*Record, error) {
	if !key.Given() {
		return nil, nil
	}
	req, err := json.Marshal(request)
	if err != nil {
		return nil, fmt.Errorf("idempotency: request: %w", err)
	}
	resp, err := json.Marshal(response)
	if err != nil {
		return nil, fmt.Errorf("idempotency: response: %w", err)
	}
	return &Record{
		KeyHash: key.Hash(), RequestHash: ids.Hash(string(req)), ReferralID: referralID,
		Response: resp, ExpiresAt: now.Add(TTL),
	}, nil
}

// Reader reads what was kept of a request made with a key.
type Reader interface {
	// Idempotency returns the unexpired record for a key hash, or nil.
	Idempotency(ctx context.Context, keyHash string, now time.Time) (*Record, error)
}

// Replay answers a request whose write found rec's key hash taken: the
// response kept with the key, decoded into T, when the request is the same
// one; otherwise an *apperr.Error naming the Idempotency-Key header. noun
// names what the key was sent with ("referral", "addendum", "helpline
// call").
func Replay[T any](ctx context.Context, store Reader, rec *Record, now time.Time, noun string) (*T, error) {
	prev, err := store.Idempotency(ctx, rec.KeyHash, now)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "The %s could not be checked just now. Nothing new was saved; please try again in a minute.", noun)
	}
	if prev == nil {
		// The earlier record expired between the write and the read.
		return nil, apperr.New(apperr.Conflict, "This Idempotency-Key has just expired. Send the %s again with a new key.", noun)
	}
	if prev.RequestHash != rec.RequestHash {
		return nil, apperr.WithFields(fmt.Sprintf("This Idempotency-Key was already used for a different %s.", noun), []apperr.FieldError{{
			Field:   Header,
			Message: fmt.Sprintf("This key was already used with a different %s. Use a new key for each new %s; reuse a key only to retry the same one.", noun, noun),
		}})
	}
	var r T
	if err := json.Unmarshal(prev.Response, &r); err != nil {
		return nil, apperr.Wrap(err, apperr.Internal, "The earlier answer could not be read.")
	}
	return &r, nil
}
