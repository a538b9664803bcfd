// Package localauth is the identity provider of the local stack. In AWS the
// HTTP API's JWT authorizer trusts an OpenID Connect issuer (Cognito or any
// other) and checks each token against the issuer's published keys; locally
// the issuer is this package: an RSA signing key kept on this machine, created
// on first use, that mints RS256 tokens carrying the caller's roles as
// scopes, and hands the gateway its public key, as a JWKS endpoint would.
//
// It is also a small OpenID Connect provider for the staff web pages, which
// sign people in with the authorization code flow and PKCE exactly as they do
// against the real identity provider in AWS: Handler serves the discovery
// document, the key set, an authorization endpoint whose sign-in page lets a
// developer choose any user id and roles, and a token endpoint that exchanges
// a one-time code for an access token and an ID token. The one client it
// knows is WebClientID, a public client that proves itself with PKCE.
//
// The key is for local use only. It lives under the local data directory
// (.local/auth/signing-key.pem, git-ignored), readable by its owner only, and
// is never committed.
package localauth

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// KeyFile is the name of the signing key's file in its directory.
const KeyFile = "signing-key.pem"

// KeyBits is the size of a new signing key.
const KeyBits = 2048

// DefaultAudience is the audience the template's AuthAudience parameter
// defaults to.
const DefaultAudience = "frontdoor-api"

// IssuerPath is the path under the local HTTP API at which the local issuer
// lives: its issuer URL is the API's base URL followed by this path.
const IssuerPath = "/local-issuer"

// IssuerFor returns the local issuer's URL for an API served at baseURL
// ("http://127.0.0.1:3000" gives "http://127.0.0.1:3000/local-issuer").
func IssuerFor(baseURL string) string {
	return strings.TrimRight(baseURL, "/") + IssuerPath
}

// Authority signs tokens with the local key and gives its public key to
// whoever verifies them.
type Authority struct {
	// Issuer is the "iss" of the tokens it mints.
	Issuer string
	// Audience is the "aud" of the tokens it mints.
	Audience string
	// TokenTTL is how long the tokens its token endpoint issues are valid;
	// zero means DefaultTokenTTL.
	TokenTTL time.Duration
	key      *rsa.PrivateKey
	kid      string
	now      func() time.Time
	// codes are the authorization codes not yet exchanged, shared by every
	// copy of the authority.
	codes *codeStore
}

// Open loads the signing key in dir, creating it first when there is none,
// and returns an authority minting tokens for issuer and audience.
func Open(dir, issuer, audience string) (*Authority, error) {
	key, err := LoadOrCreateKey(filepath.Join(dir, KeyFile))
	if err != nil {
		return nil, err
	}
	return New(key, issuer, audience)
}

// New returns an authority signing with key.
func New(key *rsa.PrivateKey, issuer, audience string) (*Authority, error) {
	if key == nil || key.N.BitLen() < KeyBits {
		return nil, fmt.Errorf("localauth: the signing key must be RSA of at least %d bits", KeyBits)
	}
	if issuer == "" || audience == "" {
		return nil, errors.New("localauth: issuer and audience are required")
	}
	return &Authority{Issuer: issuer, Audience: audience, key: key, kid: Thumbprint(&key.PublicKey), now: time.Now, codes: newCodeStore()}, nil
}

// WithClock returns a copy of the authority that reads the time from now.
func (a *Authority) WithClock(now func() time.Time) *Authority {
	c := *a
	c.now = now
	return &c
}

// KeyID is the "kid" of the tokens it signs: the RFC 7638 thumbprint of
// its public key.
func (a *Authority) KeyID() string { return a.kid }

// Claims describe one token. Zero fields take the authority's defaults in
// Sign.
type Claims struct {
	Subject string
	// Roles become the space-separated "scope" claim.
	Roles []string
	// Issuer and Audience replace the authority's own when set.
	Issuer, Audience string
	// IssuedAt, NotBefore and Expires are the token's times; IssuedAt
	// defaults to now, Expires is required, NotBefore is left out when zero.
	IssuedAt, NotBefore, Expires time.Time
	// Extra claims are set last, replacing any of the above: tests use them
	// for tokens whose scopes take other forms (a list, a number, "scp").
	Extra map[string]any
}

// Mint returns a signed token for sub with roles, valid for ttl from now.
func (a *Authority) Mint(sub string, roles []string, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		return "", errors.New("localauth: a token must be valid for a positive time")
	}
	now := a.now()
	return a.Sign(Claims{Subject: sub, Roles: roles, IssuedAt: now, Expires: now.Add(ttl)})
}

// Sign returns a token with exactly the claims c (and the defaults named on
// Claims), signed RS256 with the local key. Tests use it for tokens that must
// be refused: expired, not yet valid, for another audience.
func (a *Authority) Sign(c Claims) (string, error) {
	if strings.TrimSpace(c.Subject) == "" {
		return "", errors.New("localauth: a token needs a subject")
	}
	if c.Expires.IsZero() {
		return "", errors.New("localauth: a token needs an expiry")
	}
	for _, r := range c.Roles {
		if r == "" || strings.ContainsAny(r, " \t\r\n") {
			return "", fmt.Errorf("localauth: role %q: a role is one word", r)
		}
	}
	if c.Issuer == "" {
		c.Issuer = a.Issuer
	}
	if c.Audience == "" {
		c.Audience = a.Audience
	}
	if c.IssuedAt.IsZero() {
		c.IssuedAt = a.now()
	}
	claims := jwt.MapClaims{
		"iss":   c.Issuer,
		"aud":   c.Audience,
		"sub":   c.Subject,
		"scope": strings.Join(c.Roles, " "),
		"iat":   c.IssuedAt.Unix(),
		"exp":   c.Expires.Unix(),
	}
	if !c.NotBefore.IsZero() {
		claims["nbf"] = c.NotBefore.Unix()
	}
	for k, v := range c.Extra {
		claims[k] = v
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = a.kid
	s, err := tok.SignedString(a.key)
	if err != nil {
		return "", fmt.Errorf("localauth: sign: %w", err)
	}
	return s, nil
}

// ErrUnknownKey is returned for a key the issuer does not publish.
var ErrUnknownKey = errors.New("no such key at the issuer")

// Key returns the public key that issuer publishes under kid, as the HTTP
// API finds it in the issuer's JWKS. It is the gateway's key source.
func (a *Authority) Key(issuer, kid string) (crypto.PublicKey, error) {
	if issuer != a.Issuer || kid != a.kid {
		return nil, ErrUnknownKey
	}
	return &a.key.PublicKey, nil
}

// JWK is one RSA public key of a JSON Web Key Set (RFC 7517).
type JWK struct {
	Kty string `json:"kty"`
	Use string `json:"use,omitempty"`
	Alg string `json:"alg,omitempty"`
	Kid string `json:"kid,omitempty"`
	N   string `json:"n"`
	E   string `json:"e"`
}

func publicJWK(pub *rsa.PublicKey) JWK {
	return JWK{
		Kty: "RSA",
		N:   base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E:   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}
}

// Thumbprint is the RFC 7638 JWK thumbprint of an RSA public key
// (base64url of the SHA-256 of its canonical JWK).
func Thumbprint(pub *rsa.PublicKey) string {
	j := publicJWK(pub)
	canon := fmt.Sprintf(`{"e":%q,"kty":"RSA","n":%q}`, j.E, j.N)
	sum := sha256.Sum256([]byte(canon))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// JWKS is the issuer's key set, as its jwks_uri serves it.
func (a *Authority) JWKS() []byte {
	k := publicJWK(&a.key.PublicKey)
	k.Use, k.Alg, k.Kid = "sig", "RS256", a.kid
	b, _ := json.Marshal(struct {
		Keys []JWK `json:"keys"`
	}{[]JWK{k}})
	return b
}

// Handler serves the issuer at the issuer's path (mount it there):
//
//   - GET <issuer path>/.well-known/openid-configuration, the OpenID Connect
//     discovery document;
//   - GET <issuer path>/.well-known/jwks.json, the key set, which the HTTP API
//     and the staff web pages verify tokens with;
//   - GET <issuer path>/authorize, the authorization endpoint, which checks
//     the request and shows the local sign-in page;
//   - POST <issuer path>/authorize, the sign-in page's form, which issues an
//     authorization code and sends the browser back to the client; it refuses
//     cross-origin requests;
//   - POST <issuer path>/token, the token endpoint, which exchanges a code
//     for tokens.
func (a *Authority) Handler() http.Handler {
	u, err := url.Parse(a.Issuer)
	base := ""
	if err == nil {
		base = strings.TrimRight(u.Path, "/")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+base+"/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		doc, _ := json.Marshal(a.discovery())
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(doc)
	})
	mux.HandleFunc("GET "+base+"/.well-known/jwks.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(a.JWKS())
	})
	mux.HandleFunc("GET "+base+authorizePath, a.authorizeGet)
	mux.Handle("POST "+base+authorizePath, http.NewCrossOriginProtection().Handler(http.HandlerFunc(a.authorizePost)))
	mux.HandleFunc("POST "+base+tokenPath, a.token)
	return mux
}

// LoadOrCreateKey loads the RSA private key in the PEM file at path. When
// there is no file it creates a new key there first: the directory with mode
// 0700, the file with mode 0600, written whole to a temporary file and then
// linked into place, so that a reader never sees half a key and two starting
// processes end up with the same one.
func LoadOrCreateKey(path string) (*rsa.PrivateKey, error) {
	key, err := LoadKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := createKey(path); err != nil {
		return nil, err
	}
	return LoadKey(path)
}

// LoadKey loads the RSA private key in the PEM file at path. It refuses a
// file that others than its owner can read.
func LoadKey(path string) (*rsa.PrivateKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("localauth: signing key: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("localauth: signing key: %w", err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("localauth: signing key %s has mode %#o: it must be readable by its owner only (chmod 600)", path, perm)
	}
	src, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("localauth: signing key %s: %w", path, err)
	}
	block, _ := pem.Decode(src)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("localauth: signing key %s: not a PEM \"PRIVATE KEY\"", path)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("localauth: signing key %s: %w", path, err)
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok || key.N.BitLen() < KeyBits {
		return nil, fmt.Errorf("localauth: signing key %s: want an RSA key of at least %d bits", path, KeyBits)
	}
	return key, nil
}

func createKey(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("localauth: %w", err)
	}
	key, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return fmt.Errorf("localauth: generate key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("localauth: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".signing-key-*")
	if err != nil {
		return fmt.Errorf("localauth: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("localauth: %w", err)
	}
	if err := pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		tmp.Close()
		return fmt.Errorf("localauth: write key: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("localauth: write key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("localauth: write key: %w", err)
	}
	// A link fails when the file exists: whoever links first wins and
	// everyone loads that key.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("localauth: %w", err)
	}
	return nil
}
