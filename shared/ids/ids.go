// Package ids makes the identifiers the product hands out: ULIDs for records,
// short human references that can be read over the phone, and secret receipt
// tokens.
package ids

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
)

// NewULID returns a new ULID for the moment t, as a 26-character string. The
// random part comes from a monotonic, concurrency-safe source of
// cryptographic randomness, so ids made in the same millisecond still sort in
// the order they were made.
func NewULID(t time.Time) string {
	return ulid.MustNew(ulid.Timestamp(t), ulid.DefaultEntropy()).String()
}

// IsULID reports whether s is a well-formed ULID in canonical upper case.
func IsULID(s string) bool {
	if len(s) != ulid.EncodedSize || strings.ToUpper(s) != s {
		return false
	}
	_, err := ulid.ParseStrict(s)
	return err == nil
}

// referenceAlphabet holds the characters of a human reference: digits and
// capital letters without 0, 1, I, L, O and U, which are misread or misheard.
const referenceAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// ReferenceLength is the number of characters in a human reference, not
// counting the hyphen: 30^8 (about 6.6 × 10^11) possible references.
const ReferenceLength = 8

// NewReference returns a random human reference such as "7K3Q-9F2H": eight
// characters from an alphabet without look-alikes, in two groups of four.
// References are random, so callers must still claim one with a conditional
// write and draw again on the rare collision.
func NewReference() string {
	var b [ReferenceLength]byte
	// rejection sampling keeps every character equally likely
	const limit = 256 - 256%len(referenceAlphabet)
	var buf [32]byte
	for i := 0; i < ReferenceLength; {
		rand.Read(buf[:])
		for _, c := range buf {
			if int(c) < limit && i < ReferenceLength {
				b[i] = referenceAlphabet[int(c)%len(referenceAlphabet)]
				i++
			}
		}
	}
	return string(b[:4]) + "-" + string(b[4:])
}

// NormaliseReference turns what a person typed ("7k3q 9f2h", "7K3Q9F2H") into
// the canonical form of a reference, and reports whether it is one.
func NormaliseReference(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
			continue
		case strings.ContainsRune(referenceAlphabet, r):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	if b.Len() != ReferenceLength {
		return "", false
	}
	v := b.String()
	return v[:4] + "-" + v[4:], true
}

// NewToken returns a new secret token: 32 random bytes, base64url without
// padding (43 characters).
func NewToken() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Hash returns the hex SHA-256 of s. Secrets such as receipt tokens are stored
// only as their hash.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
