package apigw

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	testIssuer   = "http://127.0.0.1:3000/local-issuer"
	testAudience = "frontdoor-api"
	testKid      = "key-1"
)

var (
	keysOnce          sync.Once
	signKey, rogueKey *rsa.PrivateKey
)

// testKeys are the issuer's key and another key nobody published.
func testKeys(t *testing.T) (issuer, rogue *rsa.PrivateKey) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if signKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if rogueKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return signKey, rogueKey
}

// keySet publishes one key under testKid for testIssuer.
type keySet struct{ pub crypto.PublicKey }

func (k keySet) Key(issuer, kid string) (crypto.PublicKey, error) {
	if issuer != testIssuer || kid != testKid {
		return nil, errors.New("unknown key")
	}
	return k.pub, nil
}

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// claims are valid claims for a MASH screener, for the test to spoil.
func claims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss": testIssuer, "aud": testAudience, "sub": "screener-1", "scope": "mash",
		"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(),
	}
}

func sign(t *testing.T, method jwt.SigningMethod, key any, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func authGateway(t *testing.T, inv Invoker, log *bytes.Buffer) *Gateway {
	t.Helper()
	key, _ := testKeys(t)
	a := &Authorizer{Name: "FrontDoorJwt", Header: "Authorization", Issuer: testIssuer, Audience: []string{testAudience, "other-app"}, Keys: keySet{&key.PublicKey}}
	opts := Options{Now: func() time.Time { return now }}
	if log != nil {
		opts.Log = slog.New(slog.NewJSONHandler(log, nil))
	}
	g, err := New([]Route{
		{Method: "POST", Path: "/referrals", Function: "Submit"},
		{Method: "GET", Path: "/referrals/{id}", Function: "Get", Authorizer: a, Scopes: []string{"mash", "mash-manager"}},
		{Method: "GET", Path: "/me", Function: "Me", Authorizer: a},
	}, inv, opts)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func with(c jwt.MapClaims, k string, v any) jwt.MapClaims {
	if v == nil {
		delete(c, k)
	} else {
		c[k] = v
	}
	return c
}

func TestJWTAuthorizer(t *testing.T) {
	key, rogue := testKeys(t)
	good := func(c jwt.MapClaims) string { return sign(t, jwt.SigningMethodRS256, key, testKid, c) }
	valid := good(claims())
	parts := strings.Split(valid, ".")
	sig := []byte(parts[2])
	sig[10] ^= 1
	if sig[10] == '.' {
		sig[10] = 'A'
	}
	tamperedSig := parts[0] + "." + parts[1] + "." + string(sig)
	morePower := good(with(claims(), "scope", "mash mash-manager"))
	tamperedClaims := parts[0] + "." + strings.Split(morePower, ".")[1] + "." + parts[2]
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	noneTok, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		path   string
		header string
		status int
	}{
		{"valid", "/referrals/01J0", "Bearer " + valid, 200},
		{"bearer in lower case", "/referrals/01J0", "bearer " + valid, 200},
		{"token without Bearer", "/referrals/01J0", valid, 200},
		{"one of several audiences", "/referrals/01J0", "Bearer " + good(with(claims(), "aud", []string{"someone-else", testAudience})), 200},
		{"client_id when no aud", "/referrals/01J0", "Bearer " + good(with(with(claims(), "aud", nil), "client_id", "other-app")), 200},
		{"scp string", "/referrals/01J0", "Bearer " + good(with(with(claims(), "scope", nil), "scp", "openid mash-manager")), 200},
		// Scopes that could be read two ways are refused, as the functions
		// refuse them (auth.ParseScope): they see a list flattened.
		{"scp list", "/referrals/01J0", "Bearer " + good(with(with(claims(), "scope", nil), "scp", []string{"openid", "mash-manager"})), 403},
		{"scope list", "/referrals/01J0", "Bearer " + good(with(claims(), "scope", []string{"mash"})), 403},
		{"scope list with a space in an element", "/referrals/01J0", "Bearer " + good(with(claims(), "scope", []string{"police", "x mash"})), 403},
		{"scope a number", "/referrals/01J0", "Bearer " + good(with(claims(), "scope", 7)), 403},
		{"scope an object", "/referrals/01J0", "Bearer " + good(with(claims(), "scope", map[string]string{"mash": "yes"})), 403},
		{"scope and scp both", "/referrals/01J0", "Bearer " + good(with(claims(), "scp", "mash")), 403},
		{"brackets in the string", "/referrals/01J0", "Bearer " + good(with(claims(), "scope", "[mash]")), 403},
		{"odd scope on a route without scopes", "/me", "Bearer " + good(with(claims(), "scope", []string{"police"})), 403},
		{"not valid before now: fine", "/referrals/01J0", "Bearer " + good(with(claims(), "nbf", now.Add(-time.Second).Unix())), 200},
		{"route without scopes: any role", "/me", "Bearer " + good(with(claims(), "scope", "police")), 200},
		{"route without scopes: no scope", "/me", "Bearer " + good(with(claims(), "scope", nil)), 200},

		{"no header", "/referrals/01J0", "", 401},
		{"Bearer and nothing", "/referrals/01J0", "Bearer ", 401},
		{"Basic", "/referrals/01J0", "Basic dXNlcjpwYXNz", 401},
		{"garbage", "/referrals/01J0", "Bearer abc.def", 401},
		{"expired", "/referrals/01J0", "Bearer " + good(with(claims(), "exp", now.Add(-time.Second).Unix())), 401},
		{"expires now", "/referrals/01J0", "Bearer " + good(with(claims(), "exp", now.Unix())), 401},
		{"no exp", "/referrals/01J0", "Bearer " + good(with(claims(), "exp", nil)), 401},
		{"not valid yet", "/referrals/01J0", "Bearer " + good(with(claims(), "nbf", now.Add(time.Minute).Unix())), 401},
		{"issued in the future", "/referrals/01J0", "Bearer " + good(with(claims(), "iat", now.Add(time.Minute).Unix())), 401},
		{"other issuer", "/referrals/01J0", "Bearer " + good(with(claims(), "iss", "https://evil.example")), 401},
		{"no issuer", "/referrals/01J0", "Bearer " + good(with(claims(), "iss", nil)), 401},
		{"other audience", "/referrals/01J0", "Bearer " + good(with(claims(), "aud", "another-api")), 401},
		{"aud wins over client_id", "/referrals/01J0", "Bearer " + good(with(with(claims(), "aud", "another-api"), "client_id", testAudience)), 401},
		{"no aud, wrong client_id", "/referrals/01J0", "Bearer " + good(with(with(claims(), "aud", nil), "client_id", "x")), 401},
		{"no aud, no client_id", "/referrals/01J0", "Bearer " + good(with(claims(), "aud", nil)), 401},
		{"signature altered", "/referrals/01J0", "Bearer " + tamperedSig, 401},
		{"claims altered", "/referrals/01J0", "Bearer " + tamperedClaims, 401},
		{"another key, same kid", "/referrals/01J0", "Bearer " + sign(t, jwt.SigningMethodRS256, rogue, testKid, claims()), 401},
		{"unknown kid", "/referrals/01J0", "Bearer " + sign(t, jwt.SigningMethodRS256, key, "key-2", claims()), 401},
		{"no kid", "/referrals/01J0", "Bearer " + sign(t, jwt.SigningMethodRS256, key, "", claims()), 401},
		{"alg none", "/referrals/01J0", "Bearer " + noneTok, 401},
		{"HS256 keyed with the public key", "/referrals/01J0", "Bearer " + sign(t, jwt.SigningMethodHS256, pubDER, testKid, claims()), 401},
		{"RS512", "/referrals/01J0", "Bearer " + sign(t, jwt.SigningMethodRS512, key, testKid, claims()), 401},

		{"wrong role", "/referrals/01J0", "Bearer " + good(with(claims(), "scope", "police provider-aa")), 403},
		{"no scope", "/referrals/01J0", "Bearer " + good(with(claims(), "scope", nil)), 403},
		{"role as a substring", "/referrals/01J0", "Bearer " + good(with(claims(), "scope", "mash-managers")), 403},

		{"open route, no token", "/referrals", "", 200},
		{"open route, bad token", "/referrals", "Bearer " + tamperedSig, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			rec := &recorder{reply: []byte(`{"statusCode":200}`)}
			method := "GET"
			if tt.path == "/referrals" {
				method = "POST"
			}
			req := httptest.NewRequest(method, tt.path, nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			w := httptest.NewRecorder()
			authGateway(t, rec, &log).ServeHTTP(w, req)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d (%s; log %s)", w.Code, tt.status, w.Body.String(), log.String())
			}
			switch tt.status {
			case 401:
				if w.Body.String() != `{"message":"Unauthorized"}` || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("body %s, WWW-Authenticate %q", w.Body.String(), w.Header().Get("WWW-Authenticate"))
				}
			case 403:
				if w.Body.String() != `{"message":"Forbidden"}` {
					t.Errorf("body %s", w.Body.String())
				}
			}
			if invoked := rec.function != ""; invoked != (tt.status == 200) {
				t.Errorf("function invoked: %v, want %v", invoked, tt.status == 200)
			}
			if tt.status != 200 && !strings.Contains(log.String(), `"deny":`) {
				t.Errorf("access log %s does not say why the request was refused", log.String())
			}
			if tok := strings.TrimPrefix(tt.header, "Bearer "); len(tok) > 8 && strings.Contains(log.String(), tok) {
				t.Error("the access log holds the token")
			}
		})
	}
}

func TestJWTClaimsReachTheFunction(t *testing.T) {
	key, _ := testKeys(t)
	c := with(with(claims(), "aud", []string{testAudience, "x"}), "scope", "mash mash-manager")
	c["admin"] = false
	c["org"] = map[string]any{"id": "mash"}
	rec := &recorder{reply: []byte(`{"statusCode":200}`)}
	req := httptest.NewRequest("GET", "/referrals/01J0", nil)
	req.Header.Set("Authorization", "Bearer "+sign(t, jwt.SigningMethodRS256, key, testKid, c))
	authGateway(t, rec, nil).ServeHTTP(httptest.NewRecorder(), req)
	a := rec.event.RequestContext.Authorizer
	if a == nil || a.JWT == nil {
		t.Fatalf("no authorizer context: %+v", rec.event.RequestContext)
	}
	want := map[string]string{
		"iss": testIssuer, "sub": "screener-1", "scope": "mash mash-manager", "aud": "[frontdoor-api x]",
		"exp": strconv.FormatInt(now.Add(time.Hour).Unix(), 10), "iat": strconv.FormatInt(now.Add(-time.Minute).Unix(), 10),
		"admin": "false", "org": `{"id":"mash"}`,
	}
	for k, v := range want {
		if a.JWT.Claims[k] != v {
			t.Errorf("claim %s = %q, want %q", k, a.JWT.Claims[k], v)
		}
	}
	if !slices.Equal(a.JWT.Scopes, []string{"mash", "mash-manager"}) {
		t.Errorf("scopes %v", a.JWT.Scopes)
	}

	rec = &recorder{reply: []byte(`{"statusCode":200}`)}
	authGateway(t, rec, nil).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/referrals", nil))
	if rec.event.RequestContext.Authorizer != nil {
		t.Errorf("an open route's event carries an authorizer context: %+v", rec.event.RequestContext.Authorizer)
	}
}

func TestNewRejectsIncompleteAuthorizers(t *testing.T) {
	key, _ := testKeys(t)
	full := Authorizer{Name: "J", Header: "Authorization", Issuer: testIssuer, Audience: []string{testAudience}, Keys: keySet{&key.PublicKey}}
	spoil := []func(a *Authorizer){
		func(a *Authorizer) { a.Header = "" },
		func(a *Authorizer) { a.Issuer = "" },
		func(a *Authorizer) { a.Audience = nil },
		func(a *Authorizer) { a.Keys = nil },
	}
	for i, f := range spoil {
		a := full
		f(&a)
		if _, err := New([]Route{{Method: "GET", Path: "/x", Function: "F", Authorizer: &a}}, &recorder{}, Options{}); err == nil {
			t.Errorf("case %d: accepted %+v", i, a)
		}
	}
	if _, err := New([]Route{{Method: "GET", Path: "/x", Function: "F", Scopes: []string{"mash"}}}, &recorder{}, Options{}); err == nil {
		t.Error("accepted scopes without an authorizer")
	}
	if _, err := New([]Route{{Method: "GET", Path: "/x", Function: "F", Authorizer: &full}}, &recorder{}, Options{}); err != nil {
		t.Error(err)
	}
}
