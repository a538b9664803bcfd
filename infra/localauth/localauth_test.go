package localauth

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const testIssuer = "http://127.0.0.1:3000/local-issuer"

func testAuthority(t *testing.T) *Authority {
	t.Helper()
	a, err := Open(t.TempDir(), testIssuer, DefaultAudience)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestLoadOrCreateKeyCreatesOnceOwnerOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "auth")
	path := filepath.Join(dir, KeyFile)
	k1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if k1.N.BitLen() != KeyBits {
		t.Errorf("key has %d bits, want %d", k1.N.BitLen(), KeyBits)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %#o, want 0600", fi.Mode().Perm())
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("key directory mode %#o, want 0700", di.Mode().Perm())
	}
	k2, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !k1.Equal(k2) {
		t.Error("a second start made a new key")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the key", len(entries))
	}
}

func TestLoadOrCreateKeyConcurrentStartsAgree(t *testing.T) {
	path := filepath.Join(t.TempDir(), KeyFile)
	const n = 4
	keys := make([]*rsa.PrivateKey, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keys[i], errs[i] = LoadOrCreateKey(path)
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !keys[i].Equal(keys[0]) {
			t.Fatal("concurrent starts ended with different keys")
		}
	}
}

func TestLoadKeyRefuses(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.pem")
	if _, err := LoadOrCreateKey(good); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		body []byte
		mode os.FileMode
	}{
		{"readable by others", src, 0o644},
		{"not PEM", []byte("not a key"), 0o600},
		{"wrong PEM type", []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600},
		{"empty", nil, 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name+".pem")
			if err := os.WriteFile(p, tt.body, tt.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(p, tt.mode); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadKey(p); err == nil {
				t.Error("loaded")
			}
			if _, err := LoadOrCreateKey(p); err == nil {
				t.Error("LoadOrCreateKey replaced or loaded a bad key file")
			}
		})
	}
}

func TestMintVerifiesWithThePublishedKey(t *testing.T) {
	a := testAuthority(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	a = a.WithClock(func() time.Time { return now })
	tok, err := a.Mint("screener-1", []string{"mash", "mash-manager"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := jwt.Parse(tok, func(tk *jwt.Token) (any, error) {
		kid, _ := tk.Header["kid"].(string)
		return a.Key(testIssuer, kid)
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return now.Add(time.Minute) }))
	if err != nil {
		t.Fatal(err)
	}
	c := parsed.Claims.(jwt.MapClaims)
	want := map[string]any{
		"iss": testIssuer, "aud": DefaultAudience, "sub": "screener-1", "scope": "mash mash-manager",
		"iat": float64(now.Unix()), "exp": float64(now.Add(time.Hour).Unix()),
	}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("claim %s = %v, want %v", k, c[k], v)
		}
	}
	if _, ok := c["nbf"]; ok {
		t.Error("nbf set without being asked for")
	}
	if parsed.Header["alg"] != "RS256" || parsed.Header["kid"] != a.KeyID() {
		t.Errorf("header %v", parsed.Header)
	}
}

func TestSignRefuses(t *testing.T) {
	a := testAuthority(t)
	exp := time.Now().Add(time.Hour)
	tests := []struct {
		name string
		c    Claims
	}{
		{"no subject", Claims{Roles: []string{"mash"}, Expires: exp}},
		{"blank subject", Claims{Subject: " ", Expires: exp}},
		{"no expiry", Claims{Subject: "u"}},
		{"role with a space", Claims{Subject: "u", Roles: []string{"mash manager"}, Expires: exp}},
		{"empty role", Claims{Subject: "u", Roles: []string{""}, Expires: exp}},
	}
	for _, tt := range tests {
		if _, err := a.Sign(tt.c); err == nil {
			t.Errorf("%s: signed", tt.name)
		}
	}
	if _, err := a.Mint("u", nil, 0); err == nil {
		t.Error("minted a token valid for no time")
	}
}

func TestKeyOnlyForItsIssuerAndKid(t *testing.T) {
	a := testAuthority(t)
	if _, err := a.Key(testIssuer, a.KeyID()); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]string{{"http://elsewhere/issuer", a.KeyID()}, {testIssuer, "other-kid"}, {testIssuer, ""}} {
		if _, err := a.Key(c[0], c[1]); !errors.Is(err, ErrUnknownKey) {
			t.Errorf("Key(%q, %q) = %v, want ErrUnknownKey", c[0], c[1], err)
		}
	}
}

func TestNewRefuses(t *testing.T) {
	a := testAuthority(t)
	if _, err := New(a.key, "", DefaultAudience); err == nil {
		t.Error("accepted no issuer")
	}
	if _, err := New(a.key, testIssuer, ""); err == nil {
		t.Error("accepted no audience")
	}
	if _, err := New(nil, testIssuer, DefaultAudience); err == nil {
		t.Error("accepted no key")
	}
}

// The example of RFC 7638, section 3.1.
func TestThumbprintRFC7638(t *testing.T) {
	n, err := base64.RawURLEncoding.DecodeString("0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw")
	if err != nil {
		t.Fatal(err)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: 65537}
	if got, want := Thumbprint(pub), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"; got != want {
		t.Errorf("thumbprint %s, want %s", got, want)
	}
}

func TestHandlerServesDiscoveryAndKeys(t *testing.T) {
	a := testAuthority(t)
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	get := func(path string, v any) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	get(IssuerPath+"/.well-known/openid-configuration", &doc)
	if doc.Issuer != testIssuer || doc.JWKSURI != testIssuer+"/.well-known/jwks.json" {
		t.Errorf("discovery %+v", doc)
	}
	var set struct{ Keys []JWK }
	get(IssuerPath+"/.well-known/jwks.json", &set)
	if len(set.Keys) != 1 {
		t.Fatalf("%d keys", len(set.Keys))
	}
	k := set.Keys[0]
	n, _ := base64.RawURLEncoding.DecodeString(k.N)
	e, _ := base64.RawURLEncoding.DecodeString(k.E)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	if k.Kid != a.KeyID() || k.Alg != "RS256" || k.Use != "sig" || !pub.Equal(&a.key.PublicKey) {
		t.Errorf("JWKS key %+v does not match the signing key", k)
	}
	resp, err := http.Get(srv.URL + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("keys outside the issuer path: %d", resp.StatusCode)
	}
}
