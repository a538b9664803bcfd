package localauth

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// fuzzKey is one signing key for every fuzzed authority.
var fuzzKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, KeyBits) })

const (
	fuzzIssuer   = "http://127.0.0.1:3000" + IssuerPath
	fuzzRedirect = "http://127.0.0.1:3000/staff/auth/callback"
	// fuzzVerifier is the PKCE code verifier of the seeds' sign-ins.
	fuzzVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)

var fuzzTime = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func fuzzChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// fuzzAuthority is a fresh authority, with no codes pending, on a fixed
// clock.
func fuzzAuthority(t testing.TB) *Authority {
	t.Helper()
	key, err := fuzzKey()
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(key, fuzzIssuer, DefaultAudience)
	if err != nil {
		t.Fatal(err)
	}
	return a.WithClock(func() time.Time { return fuzzTime })
}

// fuzzSignIn is a good sign-in form for fuzzVerifier.
func fuzzSignIn() url.Values {
	return url.Values{
		"response_type": {"code"}, "client_id": {WebClientID}, "redirect_uri": {fuzzRedirect}, "scope": {"openid mash"},
		"state": {"state-1"}, "nonce": {"nonce-1"}, "code_challenge": {fuzzChallenge(fuzzVerifier)}, "code_challenge_method": {"S256"},
		"user": {"screener-7"}, "role": {"mash", "mash-manager"}, "action": {"sign-in"},
	}
}

// fuzzServe sends req to the authority's handler and fails t on a server
// error, or a redirect anywhere but the local API (the issuer's own scheme
// and host) or with a line break in it.
func fuzzServe(t *testing.T, a *Authority, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	a.Handler().ServeHTTP(w, req)
	if w.Code >= 500 {
		t.Fatalf("%s %s: status %d: %s", req.Method, req.URL.Path, w.Code, w.Body)
	}
	if w.Code >= 300 && w.Code < 400 {
		loc := w.Header().Get("Location")
		u, err := url.Parse(loc)
		if err != nil || strings.ContainsAny(loc, "\r\n") || u.Scheme != "http" || u.Host != "127.0.0.1:3000" || u.User != nil || u.Fragment != "" {
			t.Fatalf("%s %s: status %d redirects to %q (%v), not the local API", req.Method, req.URL.Path, w.Code, loc, err)
		}
	}
	return w
}

func fuzzPost(path, body string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, fuzzIssuer+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// FuzzAuthorize sends any parameters to the authorization endpoint, as
// the query of a GET and as the sign-in form's POST (with any
// Sec-Fetch-Site), and exchanges any code it gives for tokens. Nothing
// panics and nothing answers with a server error; the endpoint shows a
// page (200, or 400 for a request it refuses) or sends the browser back,
// only ever to the local API (302 from GET, 303 from POST); a POST from
// another site is refused (403); and a code it gives can be exchanged
// with its verifier, or is refused with 400.
func FuzzAuthorize(f *testing.F) {
	good := fuzzSignIn()
	f.Add(good.Encode(), "")
	f.Add(good.Encode(), "same-origin")
	f.Add(good.Encode(), "cross-site")
	noRoles := fuzzSignIn()
	delete(noRoles, "role")
	f.Add(noRoles.Encode(), "")
	cancel := fuzzSignIn()
	cancel.Set("action", "cancel")
	f.Add(cancel.Encode(), "none")
	for _, mod := range []func(url.Values){
		func(v url.Values) { v.Set("redirect_uri", "http://127.0.0.1:3000@evil.example/") },
		func(v url.Values) { v.Set("redirect_uri", "//evil.example/") },
		func(v url.Values) { v.Set("redirect_uri", "HTTP://127.0.0.1:3000/x#frag") },
		func(v url.Values) { v.Set("redirect_uri", "http://127.0.0.1:3000\\@evil.example/") },
		func(v url.Values) { v.Add("state", "two") },
		func(v url.Values) { v.Set("scope", "openid\u00a0mash") },
		func(v url.Values) { v.Set("scope", "mash") },
		func(v url.Values) { v.Set("prompt", "login none") },
		func(v url.Values) { v.Set("code_challenge_method", "plain") },
		func(v url.Values) { v.Set("user", "a b") },
		func(v url.Values) { v.Set("user", strings.Repeat("x", 65)) },
		func(v url.Values) { v.Set("state", "\r\nLocation: http://evil.example/") },
		func(v url.Values) { v.Set("client_id", "other") },
	} {
		v := fuzzSignIn()
		mod(v)
		f.Add(v.Encode(), "")
	}
	f.Add("", "")
	f.Add("%zz=1&a", "")
	f.Add("client_id=frontdoor-web&client_id=frontdoor-web", "")

	f.Fuzz(func(t *testing.T, params, site string) {
		a := fuzzAuthority(t)

		get := httptest.NewRequest(http.MethodGet, fuzzIssuer+authorizePath, nil)
		get.URL.RawQuery = params
		w := fuzzServe(t, a, get)
		if !slices.Contains([]int{http.StatusOK, http.StatusFound, http.StatusBadRequest}, w.Code) {
			t.Fatalf("GET %s?%s: status %d", authorizePath, params, w.Code)
		}

		post := fuzzPost(authorizePath, params)
		if site != "" {
			post.Header.Set("Sec-Fetch-Site", site)
		}
		w = fuzzServe(t, a, post)
		crossSite := site != "" && site != "same-origin" && site != "none"
		switch {
		case crossSite && w.Code != http.StatusForbidden:
			t.Fatalf("POST %s from Sec-Fetch-Site %q: status %d", authorizePath, site, w.Code)
		case !crossSite && !slices.Contains([]int{http.StatusSeeOther, http.StatusBadRequest}, w.Code):
			t.Fatalf("POST %s %q: status %d", authorizePath, params, w.Code)
		}
		if w.Code != http.StatusSeeOther {
			return
		}
		back, _ := url.Parse(w.Header().Get("Location"))
		code := back.Query().Get("code")
		if code == "" {
			if back.Query().Get("error") == "" {
				t.Fatalf("POST %s sent the browser back with neither a code nor an error: %s", authorizePath, back)
			}
			return
		}
		form, _ := url.ParseQuery(params)
		exchange := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {form.Get("redirect_uri")},
			"client_id": {WebClientID}, "code_verifier": {fuzzVerifier}}
		w = fuzzServe(t, a, fuzzPost(tokenPath, exchange.Encode()))
		switch w.Code {
		case http.StatusOK:
			fuzzCheckTokens(t, a, w, form.Get("user"), form.Get("nonce"))
		case http.StatusBadRequest:
			if form.Get("code_challenge") == fuzzChallenge(fuzzVerifier) {
				t.Errorf("the code for a good sign-in is refused: %s", w.Body)
			}
		default:
			t.Fatalf("POST %s: status %d: %s", tokenPath, w.Code, w.Body)
		}
	})
}

// FuzzToken signs in well, then sends any token request (with the code
// put where the body says CODE) and any Authorization header to the token
// endpoint. Nothing panics and nothing answers with a server error: the
// answer is the tokens (200), or an OAuth error (400, or 401 for a client
// that tries to authenticate), as JSON, never cached; and a code, once
// tried, works no more.
func FuzzToken(f *testing.F) {
	good := url.Values{"grant_type": {"authorization_code"}, "code": {"CODE"}, "redirect_uri": {fuzzRedirect},
		"client_id": {WebClientID}, "code_verifier": {fuzzVerifier}}
	f.Add(good.Encode(), "")
	f.Add(good.Encode(), "Basic ZnJvbnRkb29yLXdlYjo=")
	f.Add(strings.Replace(good.Encode(), "CODE", "CODE&code=CODE", 1), "")
	for _, mod := range []func(url.Values){
		func(v url.Values) { v.Set("grant_type", "refresh_token") },
		func(v url.Values) { v.Del("grant_type") },
		func(v url.Values) { v.Set("code", "not-the-code") },
		func(v url.Values) { v.Set("client_id", "other") },
		func(v url.Values) { v.Set("redirect_uri", fuzzRedirect+"/") },
		func(v url.Values) { v.Del("redirect_uri") },
		func(v url.Values) { v.Set("code_verifier", fuzzVerifier[1:]) },
		func(v url.Values) { v.Set("code_verifier", strings.Repeat("A", 43)) },
		func(v url.Values) { v.Set("code_verifier", fuzzVerifier+"\x00") },
	} {
		v := url.Values{}
		for k, vs := range good {
			v[k] = slices.Clone(vs)
		}
		mod(v)
		f.Add(v.Encode(), "")
	}
	f.Add("", "")
	f.Add("%", "")
	f.Add("grant_type=authorization_code;code=CODE", "")

	f.Fuzz(func(t *testing.T, body, authorization string) {
		a := fuzzAuthority(t)
		w := fuzzServe(t, a, fuzzPost(authorizePath, fuzzSignIn().Encode()))
		back, _ := url.Parse(w.Header().Get("Location"))
		code := back.Query().Get("code")
		if w.Code != http.StatusSeeOther || code == "" {
			t.Fatalf("the good sign-in gave %d %s", w.Code, back)
		}

		req := fuzzPost(tokenPath, strings.ReplaceAll(body, "CODE", code))
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		w = fuzzServe(t, a, req)
		if w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("token response headers %v", w.Header())
		}
		switch w.Code {
		case http.StatusOK:
			fuzzCheckTokens(t, a, w, "screener-7", "nonce-1")
			// The code is used up.
			again := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {fuzzRedirect},
				"client_id": {WebClientID}, "code_verifier": {fuzzVerifier}}
			if w := fuzzServe(t, a, fuzzPost(tokenPath, again.Encode())); w.Code != http.StatusBadRequest {
				t.Errorf("a code worked twice: %d", w.Code)
			}
		case http.StatusBadRequest, http.StatusUnauthorized:
			var e oauthError
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Code == "" || e.Description == "" {
				t.Errorf("status %d with the body %q (%v)", w.Code, w.Body, err)
			}
		default:
			t.Fatalf("POST %s: status %d: %s", tokenPath, w.Code, w.Body)
		}
	})
}

// fuzzCheckTokens fails t unless w is a token response whose access token
// the authority signed for user, and whose ID token carries nonce.
func fuzzCheckTokens(t *testing.T, a *Authority, w *httptest.ResponseRecorder, user, nonce string) {
	t.Helper()
	var resp tokenResponse
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || resp.TokenType != "Bearer" || resp.AccessToken == "" || resp.IDToken == "" {
		t.Fatalf("token response %q (%v)", w.Body, err)
	}
	keyFunc := func(tok *jwt.Token) (any, error) { return a.Key(a.Issuer, tok.Header["kid"].(string)) }
	for _, tok := range []struct {
		name, s, aud string
	}{{"access token", resp.AccessToken, DefaultAudience}, {"ID token", resp.IDToken, WebClientID}} {
		claims := jwt.MapClaims{}
		parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return fuzzTime }),
			jwt.WithAudience(tok.aud), jwt.WithIssuer(fuzzIssuer), jwt.WithExpirationRequired())
		if _, err := parser.ParseWithClaims(tok.s, claims, keyFunc); err != nil {
			t.Fatalf("%s: %v", tok.name, err)
		}
		if claims["sub"] != user {
			t.Errorf("%s: subject %v, want %q", tok.name, claims["sub"], user)
		}
		if tok.name == "ID token" && claims["nonce"] != nonce {
			t.Errorf("%s: nonce %v, want %q", tok.name, claims["nonce"], nonce)
		}
	}
}
