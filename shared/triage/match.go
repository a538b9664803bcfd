package triage

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// ChildKeys returns the keys under which a child is matched with earlier
// referrals: one from the NHS number, and one from the normalised name, date
// of birth and postcode. Each is a keyed hash (HMAC-SHA256 with secret), so
// the index holds nothing that identifies a child to anyone without the key.
// A child with neither (an unborn baby, say) has no keys.
func ChildKeys(c referral.Child, secret []byte) []string {
	var keys []string
	if nhs := strings.ReplaceAll(c.NHSNumber, " ", ""); nhs != "" {
		keys = append(keys, keyed(secret, "nhs:"+nhs))
	}
	first, last := normaliseName(c.FirstName), normaliseName(c.LastName)
	postcode, _ := referral.NormalisePostcode(c.Address.Postcode)
	if first != "" && last != "" && c.DateOfBirth != "" && postcode != "" {
		keys = append(keys, keyed(secret, "ndp:"+first+"|"+last+"|"+c.DateOfBirth+"|"+strings.ReplaceAll(postcode, " ", "")))
	}
	return keys
}

func keyed(secret []byte, s string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}

// normaliseName lower-cases a name and keeps only its letters, without
// accents: "Zoë O'Neil-Smith" and "zoe oneilsmith" are the same.
func normaliseName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
