package triage_test

import (
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/triage"
)

var testSecret = []byte("test-secret-for-child-keys")

func zoe() referral.Child {
	return referral.Child{
		FirstName: "Zoë", LastName: "O'Neil-Smith", DateOfBirth: "2015-04-01",
		Sex: referral.SexFemale, NHSNumber: "943 476 5919",
		Address: referral.Address{Line1: "1 High Street", Postcode: "SW1A 1AA"},
	}
}

func TestChildKeysCount(t *testing.T) {
	noNHS := zoe()
	noNHS.NHSNumber = ""
	noDOB := zoe()
	noDOB.DateOfBirth, noDOB.EstimatedAge = "", new(int)
	unborn := referral.Child{LastName: "Smith", ExpectedDateOfDelivery: "2026-12-01", Address: referral.Address{Line1: "1 High Street", Postcode: "SW1A 1AA"}}
	noFirst := zoe()
	noFirst.FirstName, noFirst.NHSNumber = "", ""
	badPostcode := zoe()
	badPostcode.Address.Postcode = "not a postcode"
	tests := []struct {
		name string
		c    referral.Child
		want int
	}{
		{"NHS number and name", zoe(), 2},
		{"no NHS number: name key only", noNHS, 1},
		{"no date of birth: NHS key only", noDOB, 1},
		{"unborn, no date of birth or NHS number", unborn, 0},
		{"no first name and no NHS number", noFirst, 0},
		{"postcode that does not parse: NHS key only", badPostcode, 1},
		{"zero child", referral.Child{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := triage.ChildKeys(tt.c, testSecret); len(got) != tt.want {
				t.Errorf("ChildKeys gave %d keys %q, want %d", len(got), got, tt.want)
			}
		})
	}
}

func TestChildKeysNHSNumberSpacing(t *testing.T) {
	a := zoe()
	b := zoe()
	b.NHSNumber = "9434765919"
	// Everything else about b differs, so only the NHS key can match.
	b.FirstName, b.LastName, b.DateOfBirth, b.Address.Postcode = "Someone", "Else", "2010-01-01", "M1 1AE"
	ka, kb := triage.ChildKeys(a, testSecret), triage.ChildKeys(b, testSecret)
	if len(ka) != 2 || len(kb) != 2 {
		t.Fatalf("keys %q and %q, want two each", ka, kb)
	}
	if ka[0] != kb[0] {
		t.Errorf("NHS key differs for \"943 476 5919\" and \"9434765919\": %s, %s", ka[0], kb[0])
	}
	if ka[1] == kb[1] {
		t.Errorf("different children have the same name key")
	}
	c := zoe()
	c.NHSNumber = "9434765920"
	if kc := triage.ChildKeys(c, testSecret); kc[0] == ka[0] {
		t.Errorf("different NHS numbers give the same key")
	}
}

// nameKey returns the one key of a child without an NHS number.
func nameKey(t *testing.T, c referral.Child) string {
	t.Helper()
	c.NHSNumber = ""
	keys := triage.ChildKeys(c, testSecret)
	if len(keys) != 1 {
		t.Fatalf("ChildKeys(%+v) = %q, want one name key", c, keys)
	}
	return keys[0]
}

func TestChildKeysNameKey(t *testing.T) {
	base := nameKey(t, zoe())
	same := []struct {
		name   string
		change func(c *referral.Child)
	}{
		{"upper case without accents, hyphens or apostrophes", func(c *referral.Child) { c.FirstName, c.LastName = "ZOE", "ONEILSMITH" }},
		{"lower case", func(c *referral.Child) { c.FirstName, c.LastName = "zoe", "oneilsmith" }},
		{"decomposed ë", func(c *referral.Child) { c.FirstName = "Zoe\u0308" }},
		{"spaces instead of hyphen and apostrophe", func(c *referral.Child) { c.LastName = "O Neil Smith" }},
		{"curly apostrophe and spaces around", func(c *referral.Child) { c.FirstName, c.LastName = "  Zoë ", "O’Neil - Smith" }},
		{"postcode without space", func(c *referral.Child) { c.Address.Postcode = "SW1A1AA" }},
		{"postcode lower case and extra spaces", func(c *referral.Child) { c.Address.Postcode = " sw1a  1aa " }},
		{"other address lines differ", func(c *referral.Child) { c.Address.Line1, c.Address.Town = "Flat 2", "London" }},
		{"known-as and school differ", func(c *referral.Child) { c.KnownAs, c.School = "Zo", "Another School" }},
	}
	for _, tt := range same {
		t.Run("same/"+tt.name, func(t *testing.T) {
			c := zoe()
			tt.change(&c)
			if got := nameKey(t, c); got != base {
				t.Errorf("name key differs: %s, want %s", got, base)
			}
		})
	}
	different := []struct {
		name   string
		change func(c *referral.Child)
	}{
		{"date of birth", func(c *referral.Child) { c.DateOfBirth = "2015-04-02" }},
		{"postcode", func(c *referral.Child) { c.Address.Postcode = "SW1A 1AB" }},
		{"first name", func(c *referral.Child) { c.FirstName = "Zara" }},
		{"last name", func(c *referral.Child) { c.LastName = "O'Neil" }},
		{"first and last name swapped", func(c *referral.Child) { c.FirstName, c.LastName = "O'Neil-Smith", "Zoë" }},
		{"letters moved between first and last name", func(c *referral.Child) { c.FirstName, c.LastName = "ZoeO", "NeilSmith" }},
	}
	for _, tt := range different {
		t.Run("different/"+tt.name, func(t *testing.T) {
			c := zoe()
			tt.change(&c)
			if got := nameKey(t, c); got == base {
				t.Errorf("a different %s gives the same name key", tt.name)
			}
		})
	}
}

func TestChildKeysSecret(t *testing.T) {
	a := triage.ChildKeys(zoe(), testSecret)
	b := triage.ChildKeys(zoe(), []byte("another secret"))
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("keys %q and %q, want two each", a, b)
	}
	for i := range a {
		if a[i] == b[i] {
			t.Errorf("key %d is the same under two secrets", i)
		}
	}
	// Same secret, same keys.
	if again := triage.ChildKeys(zoe(), slices.Clone(testSecret)); !slices.Equal(a, again) {
		t.Errorf("keys not stable: %q then %q", a, again)
	}
}

func TestChildKeysRevealNothing(t *testing.T) {
	c := zoe()
	keys := triage.ChildKeys(c, testSecret)
	if len(keys) != 2 || keys[0] == keys[1] {
		t.Fatalf("keys %q, want two distinct", keys)
	}
	forbidden := []string{"zoe", "zoë", "oneil", "smith", "9434765919", "943 476 5919", "2015-04-01", "20150401", "sw1a", "1aa"}
	for _, k := range keys {
		if len(k) != 64 {
			t.Errorf("key %q has length %d, want 64 (hex of SHA-256)", k, len(k))
		}
		if b, err := hex.DecodeString(k); err != nil || hex.EncodeToString(b) != k {
			t.Errorf("key %q is not lower-case hex", k)
		}
		for _, f := range forbidden {
			if strings.Contains(strings.ToLower(k), f) {
				t.Errorf("key %q contains %q", k, f)
			}
		}
	}
}
