package localauth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/net/html"
	"golang.org/x/oauth2"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// sharedKey is one signing key for the tests of the sign-in, which need
// many authorities and no key files.
var sharedKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, KeyBits) })

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testProvider is an authority served by an httptest server, whose issuer
// is the server's URL followed by IssuerPath, as in the local stack.
type testProvider struct {
	srv         *httptest.Server
	a           *Authority
	clock       *testClock
	issuer      string
	redirectURI string
	// client does not follow redirects.
	client *http.Client
}

func newTestProvider(t *testing.T) *testProvider {
	t.Helper()
	key, err := sharedKey()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	a, err := New(key, base+IssuerPath, DefaultAudience)
	if err != nil {
		t.Fatal(err)
	}
	clk := &testClock{t: time.Now().Truncate(time.Second)}
	a = a.WithClock(clk.Now)
	srv.Config.Handler = a.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &testProvider{srv: srv, a: a, clock: clk, issuer: a.Issuer, redirectURI: base + "/staff/auth/callback", client: client}
}

// authParams returns a good authorization request for verifier.
func (p *testProvider) authParams(verifier string) url.Values {
	return url.Values{
		"response_type":         {"code"},
		"client_id":             {WebClientID},
		"redirect_uri":          {p.redirectURI},
		"scope":                 {"openid mash"},
		"state":                 {"state-1"},
		"nonce":                 {"nonce-1"},
		"code_challenge":        {oauth2.S256ChallengeFromVerifier(verifier)},
		"code_challenge_method": {"S256"},
	}
}

// signInForm returns the sign-in form for a good request, choosing a user
// and roles.
func (p *testProvider) signInForm(verifier string) url.Values {
	v := p.authParams(verifier)
	v.Set("user", "screener-7")
	v["role"] = []string{"mash", "mash-manager"}
	v.Set("action", "sign-in")
	return v
}

func (p *testProvider) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := p.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func (p *testProvider) getAuthorize(t *testing.T, q url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, p.issuer+"/authorize?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p.do(t, req)
}

func (p *testProvider) postForm(t *testing.T, path string, form url.Values, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, p.issuer+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, vs := range header {
		req.Header[k] = vs
	}
	return p.do(t, req)
}

var sameOrigin = http.Header{"Sec-Fetch-Site": {"same-origin"}}

// code signs in through the form and returns the code the client gets.
func (p *testProvider) code(t *testing.T, verifier string) string {
	t.Helper()
	resp, _ := p.postForm(t, "/authorize", p.signInForm(verifier), sameOrigin)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d, want 303", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	code := loc.Query().Get("code")
	if code == "" {
		t.Fatalf("sign-in redirected to %s, without a code", loc.Redacted())
	}
	return code
}

// tokenForm is a good token request for code.
func (p *testProvider) tokenForm(code, verifier string) url.Values {
	return url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {p.redirectURI},
		"client_id":     {WebClientID},
		"code_verifier": {verifier},
	}
}

// exchange posts a token request and returns the status and the JSON body.
func (p *testProvider) exchange(t *testing.T, form url.Values, header http.Header) (*http.Response, map[string]any) {
	t.Helper()
	resp, body := p.postForm(t, "/token", form, header)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("token response Content-Type %q", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("token response Cache-Control %q, want no-store", cc)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("token response %q: %v", body, err)
	}
	return resp, m
}

func parseHTML(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if match(d) {
			out = append(out, d)
		}
	}
	return out
}

func elements(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == tag }
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func hasAncestor(n *html.Node, tag string) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == tag {
			return p
		}
	}
	return nil
}

func TestCodeFlowWithOIDCClient(t *testing.T) {
	p := newTestProvider(t)
	ctx := oidc.ClientContext(context.Background(), p.srv.Client())
	provider, err := oidc.NewProvider(ctx, p.issuer)
	if err != nil {
		t.Fatal(err)
	}
	conf := oauth2.Config{
		ClientID:    WebClientID,
		Endpoint:    provider.Endpoint(),
		RedirectURL: p.redirectURI,
		Scopes:      []string{oidc.ScopeOpenID, "mash"},
	}
	verifier := oauth2.GenerateVerifier()
	state, nonce := rand.Text(), rand.Text()
	authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))

	// The sign-in page.
	req, err := http.NewRequest(http.MethodGet, authURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := p.do(t, req)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET authorize: %d %s", resp.StatusCode, body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); csp != pageCSP {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	doc := parseHTML(t, body)
	forms := findAll(doc, elements("form"))
	if len(forms) != 1 {
		t.Fatalf("%d forms", len(forms))
	}
	form := forms[0]
	if m, _ := attr(form, "method"); m != "post" {
		t.Errorf("form method %q", m)
	}
	action, _ := attr(form, "action")
	hidden := url.Values{}
	checked := map[string]bool{}
	for _, in := range findAll(form, elements("input")) {
		name, _ := attr(in, "name")
		value, _ := attr(in, "value")
		switch typ, _ := attr(in, "type"); typ {
		case "hidden":
			hidden.Add(name, value)
		case "checkbox":
			_, on := attr(in, "checked")
			checked[value] = on
		}
	}
	asked, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range authParams {
		if got, want := hidden[name], asked.Query()[name]; !slices.Equal(got, want) {
			t.Errorf("hidden field %s = %q, want %q", name, got, want)
		}
	}
	for _, r := range auth.Roles {
		on, listed := checked[string(r)]
		if !listed {
			t.Errorf("role %s is not offered", r)
		}
		if on != (r == auth.MASH) {
			t.Errorf("role %s ticked = %v, want it ticked only when the scope asks for it", r, on)
		}
	}

	// Signing in as a chosen user with chosen roles.
	signIn := url.Values{}
	for k, vs := range hidden {
		signIn[k] = vs
	}
	signIn.Set("user", "screener-7")
	signIn["role"] = []string{"mash-manager", "mash"}
	signIn.Set("action", "sign-in")
	target, err := asked.Parse(action)
	if err != nil {
		t.Fatal(err)
	}
	req, err = http.NewRequest(http.MethodPost, target.String(), strings.NewReader(signIn.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, _ = p.do(t, req)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST authorize: %d, want 303", resp.StatusCode)
	}
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Scheme + "://" + back.Host + back.Path; got != p.redirectURI {
		t.Errorf("sent back to %s, want %s", got, p.redirectURI)
	}
	if back.Query().Get("state") != state {
		t.Error("the state did not come back")
	}
	code := back.Query().Get("code")
	if len(code) != 43 {
		t.Errorf("code of %d characters, want 43 (32 bytes, base64url)", len(code))
	}

	// The exchange.
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if tok.TokenType != "Bearer" || tok.ExpiresIn != int64(DefaultTokenTTL/time.Second) {
		t.Errorf("token type %q, expires in %d", tok.TokenType, tok.ExpiresIn)
	}
	rawID, _ := tok.Extra("id_token").(string)
	idv := provider.Verifier(&oidc.Config{ClientID: WebClientID, Now: p.clock.Now})
	id, err := idv.Verify(ctx, rawID)
	if err != nil {
		t.Fatalf("ID token: %v", err)
	}
	if id.Nonce != nonce {
		t.Errorf("ID token nonce %q, want the request's", id.Nonce)
	}
	if id.Subject != "screener-7" || id.Issuer != p.issuer {
		t.Errorf("ID token sub %q iss %q", id.Subject, id.Issuer)
	}
	var idClaims struct {
		Scope    string `json:"scope"`
		AuthTime int64  `json:"auth_time"`
	}
	if err := id.Claims(&idClaims); err != nil {
		t.Fatal(err)
	}
	if idClaims.Scope != "mash mash-manager" || idClaims.AuthTime != p.clock.Now().Unix() {
		t.Errorf("ID token claims %+v", idClaims)
	}
	if err := id.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Errorf("at_hash: %v", err)
	}

	atv := provider.Verifier(&oidc.Config{ClientID: DefaultAudience, Now: p.clock.Now})
	at, err := atv.Verify(ctx, tok.AccessToken)
	if err != nil {
		t.Fatalf("access token: %v", err)
	}
	var atClaims map[string]any
	if err := at.Claims(&atClaims); err != nil {
		t.Fatal(err)
	}
	strs := map[string]string{}
	for k, v := range atClaims {
		if s, ok := v.(string); ok {
			strs[k] = s
		}
	}
	if strs["client_id"] != WebClientID {
		t.Errorf("access token client_id %q", strs["client_id"])
	}
	who, err := auth.FromClaims(strs)
	if err != nil {
		t.Fatal(err)
	}
	if who.Subject != "screener-7" || !slices.Equal(who.Roles, []auth.Role{auth.MASH, auth.MASHManager}) {
		t.Errorf("access token is for %+v", who)
	}

	// Each token is for its own audience only.
	if _, err := idv.Verify(ctx, tok.AccessToken); err == nil {
		t.Error("the access token passed as an ID token")
	}
	if _, err := atv.Verify(ctx, rawID); err == nil {
		t.Error("the ID token passed as an access token")
	}
	// A code works once.
	if _, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier)); err == nil {
		t.Error("the code was exchanged twice")
	}
}

func TestDiscoveryDocument(t *testing.T) {
	p := newTestProvider(t)
	resp, err := p.srv.Client().Get(p.issuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	scopes := []any{"openid"}
	for _, r := range auth.Roles {
		scopes = append(scopes, string(r))
	}
	want := map[string]any{
		"issuer":                                p.issuer,
		"authorization_endpoint":                p.issuer + "/authorize",
		"token_endpoint":                        p.issuer + "/token",
		"jwks_uri":                              p.issuer + "/.well-known/jwks.json",
		"response_types_supported":              []any{"code"},
		"grant_types_supported":                 []any{"authorization_code"},
		"code_challenge_methods_supported":      []any{"S256"},
		"token_endpoint_auth_methods_supported": []any{"none"},
		"id_token_signing_alg_values_supported": []any{"RS256"},
		"subject_types_supported":               []any{"public"},
		"scopes_supported":                      scopes,
	}
	for k, v := range want {
		got, _ := json.Marshal(doc[k])
		w, _ := json.Marshal(v)
		if string(got) != string(w) {
			t.Errorf("%s = %s, want %s", k, got, w)
		}
	}
	claims, _ := doc["claims_supported"].([]any)
	for _, c := range []any{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "scope"} {
		if !slices.Contains(claims, c) {
			t.Errorf("claims_supported %v lacks %s", claims, c)
		}
	}
}

func TestAuthorizeRefusesWithoutRedirecting(t *testing.T) {
	p := newTestProvider(t)
	verifier := oauth2.GenerateVerifier()
	host := strings.TrimPrefix(p.srv.URL, "http://")
	hostname, port, _ := strings.Cut(host, ":")
	tests := []struct {
		name   string
		change func(url.Values)
	}{
		{"wrong client_id", func(v url.Values) { v.Set("client_id", "another-client") }},
		{"no client_id", func(v url.Values) { v.Del("client_id") }},
		{"client_id twice", func(v url.Values) { v.Add("client_id", WebClientID) }},
		{"redirect_uri to another host", func(v url.Values) { v.Set("redirect_uri", "http://evil.example/staff/auth/callback") }},
		{"redirect_uri to another port", func(v url.Values) {
			other := "1"
			if port == "1" {
				other = "2"
			}
			v.Set("redirect_uri", "http://"+hostname+":"+other+"/staff/auth/callback")
		}},
		{"redirect_uri by another scheme", func(v url.Values) { v.Set("redirect_uri", "https://"+host+"/staff/auth/callback") }},
		{"redirect_uri with a user", func(v url.Values) { v.Set("redirect_uri", "http://evil.example@"+host+"/staff/auth/callback") }},
		{"redirect_uri with a fragment", func(v url.Values) { v.Set("redirect_uri", p.redirectURI+"#x") }},
		{"relative redirect_uri", func(v url.Values) { v.Set("redirect_uri", "/staff/auth/callback") }},
		{"scheme-relative redirect_uri", func(v url.Values) { v.Set("redirect_uri", "//evil.example/staff/auth/callback") }},
		{"no redirect_uri", func(v url.Values) { v.Del("redirect_uri") }},
		{"redirect_uri twice", func(v url.Values) { v.Add("redirect_uri", "http://evil.example/") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := p.authParams(verifier)
			tt.change(q)
			resp, body := p.getAuthorize(t, q)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, want 400", resp.StatusCode)
			}
			if loc := resp.Header.Get("Location"); loc != "" {
				t.Errorf("redirected to %s", loc)
			}
			if !strings.Contains(body, "cannot be used") || strings.Contains(body, "<form") {
				t.Errorf("not the refusal page: %s", body)
			}
		})
	}
	// The same request, unchanged, is good: the cases above fail for their
	// change alone.
	if resp, _ := p.getAuthorize(t, p.authParams(verifier)); resp.StatusCode != http.StatusOK {
		t.Errorf("good request: %d", resp.StatusCode)
	}
}

func TestAuthorizeRefusesBackToTheClient(t *testing.T) {
	p := newTestProvider(t)
	verifier := oauth2.GenerateVerifier()
	tests := []struct {
		name      string
		change    func(url.Values)
		wantError string
	}{
		{"no state", func(v url.Values) { v.Del("state") }, "invalid_request"},
		{"state twice", func(v url.Values) { v.Add("state", "other") }, "invalid_request"},
		{"no nonce", func(v url.Values) { v.Del("nonce") }, "invalid_request"},
		{"no code_challenge", func(v url.Values) { v.Del("code_challenge") }, "invalid_request"},
		{"code_challenge of 42 characters", func(v url.Values) { v.Set("code_challenge", strings.Repeat("a", 42)) }, "invalid_request"},
		{"code_challenge of 129 characters", func(v url.Values) { v.Set("code_challenge", strings.Repeat("a", 129)) }, "invalid_request"},
		{"code_challenge not base64url", func(v url.Values) { v.Set("code_challenge", strings.Repeat("a", 42)+"=") }, "invalid_request"},
		{"plain code_challenge_method", func(v url.Values) { v.Set("code_challenge_method", "plain") }, "invalid_request"},
		{"no code_challenge_method", func(v url.Values) { v.Del("code_challenge_method") }, "invalid_request"},
		{"no response_type", func(v url.Values) { v.Del("response_type") }, "invalid_request"},
		{"response_type token", func(v url.Values) { v.Set("response_type", "token") }, "unsupported_response_type"},
		{"scope without openid", func(v url.Values) { v.Set("scope", "mash") }, "invalid_scope"},
		{"unknown scope", func(v url.Values) { v.Set("scope", "openid admin") }, "invalid_scope"},
		{"prompt none", func(v url.Values) { v.Set("prompt", "none") }, "login_required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := p.authParams(verifier)
			tt.change(q)
			resp, _ := p.getAuthorize(t, q)
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("status %d, want 302", resp.StatusCode)
			}
			loc, err := url.Parse(resp.Header.Get("Location"))
			if err != nil {
				t.Fatal(err)
			}
			if got := loc.Scheme + "://" + loc.Host + loc.Path; got != p.redirectURI {
				t.Errorf("sent to %s, want %s", got, p.redirectURI)
			}
			back := loc.Query()
			if back.Get("error") != tt.wantError || back.Get("error_description") == "" {
				t.Errorf("error %q (%q), want %s", back.Get("error"), back.Get("error_description"), tt.wantError)
			}
			if wantState := q.Get("state"); len(q["state"]) == 1 && back.Get("state") != wantState {
				t.Errorf("state %q, want %q", back.Get("state"), wantState)
			}
			if len(q["state"]) == 0 && back.Has("state") {
				t.Error("a state came back that the request did not have")
			}
			if back.Has("code") {
				t.Error("a code came back with an error")
			}
		})
	}
	// Challenges of 43 (a real S256) and 128 characters are good.
	for _, c := range []string{oauth2.S256ChallengeFromVerifier(verifier), strings.Repeat("a", 128)} {
		q := p.authParams(verifier)
		q.Set("code_challenge", c)
		if resp, _ := p.getAuthorize(t, q); resp.StatusCode != http.StatusOK {
			t.Errorf("challenge of %d characters: %d", len(c), resp.StatusCode)
		}
	}
}

func TestSignInFormRefuses(t *testing.T) {
	verifier := oauth2.GenerateVerifier()
	type outcome int
	const (
		formAgain outcome = iota // 400, the page again with the error
		refused                  // 400, the refusal page
		backError                // 303 to the client with an error
		forbidden                // 403, cross-origin
	)
	tests := []struct {
		name      string
		change    func(url.Values)
		header    http.Header
		want      outcome
		wantError string
	}{
		{name: "no role", change: func(v url.Values) { v.Del("role") }, want: formAgain},
		{name: "unknown role", change: func(v url.Values) { v["role"] = []string{"admin"} }, want: formAgain},
		{name: "a role and an unknown one", change: func(v url.Values) { v["role"] = []string{"mash", "admin"} }, want: formAgain},
		{name: "no user", change: func(v url.Values) { v.Del("user") }, want: formAgain},
		{name: "user with a space", change: func(v url.Values) { v.Set("user", "local staff") }, want: formAgain},
		{name: "user of 65 characters", change: func(v url.Values) { v.Set("user", strings.Repeat("u", 65)) }, want: formAgain},
		{name: "user not ASCII", change: func(v url.Values) { v.Set("user", "café") }, want: formAgain},
		{name: "user twice", change: func(v url.Values) { v.Add("user", "other") }, want: backError, wantError: "invalid_request"},
		{name: "redirect_uri changed to another host", change: func(v url.Values) { v.Set("redirect_uri", "http://evil.example/cb") }, want: refused},
		{name: "client_id changed", change: func(v url.Values) { v.Set("client_id", "other") }, want: refused},
		{name: "code_challenge removed", change: func(v url.Values) { v.Del("code_challenge") }, want: backError, wantError: "invalid_request"},
		{name: "code_challenge_method plain", change: func(v url.Values) { v.Set("code_challenge_method", "plain") }, want: backError, wantError: "invalid_request"},
		{name: "state removed", change: func(v url.Values) { v.Del("state") }, want: backError, wantError: "invalid_request"},
		{name: "nonce removed", change: func(v url.Values) { v.Del("nonce") }, want: backError, wantError: "invalid_request"},
		{name: "cancelled", change: func(v url.Values) { v.Set("action", "cancel") }, want: backError, wantError: "access_denied"},
		{name: "cross-site", header: http.Header{"Sec-Fetch-Site": {"cross-site"}}, want: forbidden},
		{name: "same-site, other origin", header: http.Header{"Sec-Fetch-Site": {"same-site"}}, want: forbidden},
		{name: "other Origin", header: http.Header{"Origin": {"http://evil.example"}}, want: forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestProvider(t)
			form := p.signInForm(verifier)
			if tt.change != nil {
				tt.change(form)
			}
			header := tt.header
			if header == nil {
				header = sameOrigin
			}
			resp, body := p.postForm(t, "/authorize", form, header)
			loc := resp.Header.Get("Location")
			switch tt.want {
			case formAgain:
				if resp.StatusCode != http.StatusBadRequest || loc != "" || !strings.Contains(body, "There is a problem") || !strings.Contains(body, "<form") {
					t.Errorf("status %d, Location %q, want the form again with the error", resp.StatusCode, loc)
				}
			case refused:
				if resp.StatusCode != http.StatusBadRequest || loc != "" || !strings.Contains(body, "cannot be used") {
					t.Errorf("status %d, Location %q, want the refusal page", resp.StatusCode, loc)
				}
			case backError:
				u, err := url.Parse(loc)
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode != http.StatusSeeOther || u.Query().Get("error") != tt.wantError || u.Query().Has("code") {
					t.Errorf("status %d, Location %s, want 303 with error %s", resp.StatusCode, loc, tt.wantError)
				}
				if !strings.HasPrefix(loc, p.redirectURI+"?") {
					t.Errorf("sent to %s", loc)
				}
			case forbidden:
				if resp.StatusCode != http.StatusForbidden || loc != "" {
					t.Errorf("status %d, Location %q, want 403", resp.StatusCode, loc)
				}
			}
			if n := p.a.codes.pending(); n != 0 {
				t.Errorf("%d codes issued", n)
			}
		})
	}
	// The form unchanged, and with a user id of 64 characters, is good.
	p := newTestProvider(t)
	for _, user := range []string{"screener-7", strings.Repeat("u", 64)} {
		form := p.signInForm(verifier)
		form.Set("user", user)
		if resp, _ := p.postForm(t, "/authorize", form, sameOrigin); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("user %q: %d", user, resp.StatusCode)
		}
	}
	if n := p.a.codes.pending(); n != 2 {
		t.Errorf("%d codes pending after two sign-ins", n)
	}
}

func TestTokenEndpointRefuses(t *testing.T) {
	verifier := oauth2.GenerateVerifier()
	tests := []struct {
		name       string
		before     func(*testing.T, *testProvider, url.Values)
		change     func(url.Values)
		header     http.Header
		wantStatus int
		wantError  string
		// used is whether the refused request uses up the code.
		used bool
	}{
		{name: "wrong code_verifier", change: func(v url.Values) { v.Set("code_verifier", oauth2.GenerateVerifier()) }, wantStatus: 400, wantError: "invalid_grant", used: true},
		{name: "no code_verifier", change: func(v url.Values) { v.Del("code_verifier") }, wantStatus: 400, wantError: "invalid_request", used: true},
		{name: "code_verifier too short", change: func(v url.Values) { v.Set("code_verifier", "short") }, wantStatus: 400, wantError: "invalid_request", used: true},
		{name: "the challenge as verifier", change: func(v url.Values) { v.Set("code_verifier", oauth2.S256ChallengeFromVerifier(verifier)) }, wantStatus: 400, wantError: "invalid_grant", used: true},
		{name: "wrong client_id", change: func(v url.Values) { v.Set("client_id", "another-client") }, wantStatus: 401, wantError: "invalid_client", used: true},
		{name: "no client_id", change: func(v url.Values) { v.Del("client_id") }, wantStatus: 401, wantError: "invalid_client", used: true},
		{name: "other redirect_uri", change: func(v url.Values) { v.Set("redirect_uri", v.Get("redirect_uri")+"/other") }, wantStatus: 400, wantError: "invalid_grant", used: true},
		{name: "no redirect_uri", change: func(v url.Values) { v.Del("redirect_uri") }, wantStatus: 400, wantError: "invalid_request", used: true},
		{
			name:       "code used twice",
			before:     func(t *testing.T, p *testProvider, v url.Values) { exchangeOK(t, p, v) },
			wantStatus: 400, wantError: "invalid_grant", used: true,
		},
		{
			name:       "expired code",
			before:     func(_ *testing.T, p *testProvider, _ url.Values) { p.clock.Advance(CodeTTL) },
			wantStatus: 400, wantError: "invalid_grant", used: true,
		},
		{name: "unknown code", change: func(v url.Values) { v.Set("code", "not-a-code") }, wantStatus: 400, wantError: "invalid_grant"},
		{name: "no code", change: func(v url.Values) { v.Del("code") }, wantStatus: 400, wantError: "invalid_request"},
		{name: "code twice", change: func(v url.Values) { v.Add("code", v.Get("code")) }, wantStatus: 400, wantError: "invalid_request"},
		{name: "refresh_token grant", change: func(v url.Values) { v.Set("grant_type", "refresh_token") }, wantStatus: 400, wantError: "unsupported_grant_type"},
		{name: "no grant_type", change: func(v url.Values) { v.Del("grant_type") }, wantStatus: 400, wantError: "invalid_request"},
		{name: "client secret in Basic auth", header: http.Header{"Authorization": {"Basic ZnJvbnRkb29yLXdlYjo="}}, wantStatus: 401, wantError: "invalid_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestProvider(t)
			good := p.tokenForm(p.code(t, verifier), verifier)
			form := url.Values{}
			for k, vs := range good {
				form[k] = slices.Clone(vs)
			}
			if tt.change != nil {
				tt.change(form)
			}
			if tt.before != nil {
				tt.before(t, p, good)
			}
			resp, body := p.exchange(t, form, tt.header)
			if resp.StatusCode != tt.wantStatus || body["error"] != tt.wantError {
				t.Errorf("status %d, error %v, want %d %s", resp.StatusCode, body["error"], tt.wantStatus, tt.wantError)
			}
			if d, _ := body["error_description"].(string); d == "" {
				t.Error("no error_description")
			}
			if _, ok := body["access_token"]; ok {
				t.Error("an access token came with the error")
			}
			if resp.StatusCode == http.StatusUnauthorized && tt.header.Get("Authorization") != "" && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 for an Authorization header without WWW-Authenticate")
			}
			// The good request afterwards works only if the refused one left
			// the code alone.
			resp, _ = p.exchange(t, good, nil)
			if used := resp.StatusCode != http.StatusOK; used != tt.used {
				t.Errorf("code used up by the refused request: %v, want %v", used, tt.used)
			}
		})
	}
}

// exchangeOK exchanges a good token request and returns the response.
func exchangeOK(t *testing.T, p *testProvider, form url.Values) map[string]any {
	t.Helper()
	resp, body := p.exchange(t, form, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("exchange: %d %v", resp.StatusCode, body["error_description"])
	}
	return body
}

func TestCodeValidUntilItsExpiry(t *testing.T) {
	p := newTestProvider(t)
	verifier := oauth2.GenerateVerifier()
	form := p.tokenForm(p.code(t, verifier), verifier)
	p.clock.Advance(CodeTTL - time.Second)
	exchangeOK(t, p, form)
}

func TestTokenTTL(t *testing.T) {
	p := newTestProvider(t)
	p.a.TokenTTL = 5 * time.Minute
	verifier := oauth2.GenerateVerifier()
	body := exchangeOK(t, p, p.tokenForm(p.code(t, verifier), verifier))
	if body["expires_in"] != float64(300) || body["token_type"] != "Bearer" {
		t.Errorf("expires_in %v, token_type %v", body["expires_in"], body["token_type"])
	}
	now := p.clock.Now()
	for _, name := range []string{"access_token", "id_token"} {
		raw, _ := body[name].(string)
		tok, err := jwt.Parse(raw, func(tk *jwt.Token) (any, error) {
			kid, _ := tk.Header["kid"].(string)
			return p.a.Key(p.issuer, kid)
		}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(p.clock.Now))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c := tok.Claims.(jwt.MapClaims)
		if c["iat"] != float64(now.Unix()) || c["exp"] != float64(now.Add(5*time.Minute).Unix()) {
			t.Errorf("%s: iat %v exp %v", name, c["iat"], c["exp"])
		}
		if c["sub"] != "screener-7" || c["scope"] != "mash mash-manager" {
			t.Errorf("%s: sub %v scope %v", name, c["sub"], c["scope"])
		}
	}
}

// checkPage checks what axe-core checks that a page can get wrong here.
func checkPage(t *testing.T, resp *http.Response, body string) {
	t.Helper()
	if csp := resp.Header.Get("Content-Security-Policy"); csp != pageCSP {
		t.Errorf("Content-Security-Policy %q, want %q", csp, pageCSP)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	doc := parseHTML(t, body)
	htmls := findAll(doc, elements("html"))
	if len(htmls) != 1 {
		t.Fatalf("%d html elements", len(htmls))
	}
	if lang, _ := attr(htmls[0], "lang"); lang != "en" {
		t.Errorf("lang %q", lang)
	}
	if titles := findAll(doc, elements("title")); len(titles) != 1 || text(titles[0]) == "" {
		t.Errorf("%d titles", len(titles))
	}
	if h1 := findAll(doc, elements("h1")); len(h1) != 1 || text(h1[0]) == "" {
		t.Errorf("%d h1", len(h1))
	}
	mains := findAll(doc, elements("main"))
	if len(mains) != 1 {
		t.Fatalf("%d main", len(mains))
	}
	for _, tag := range []string{"script", "style", "link", "img", "iframe"} {
		if n := len(findAll(doc, elements(tag))); n != 0 {
			t.Errorf("%d <%s>", n, tag)
		}
	}
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
		for _, a := range n.Attr {
			if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s %s>", n.Data, a.Key)
			}
		}
		if n.Data != "html" && n.Data != "head" && n.Data != "body" && hasAncestor(n, "body") != nil && n.Data != "main" && hasAncestor(n, "main") == nil {
			t.Errorf("<%s> outside <main>", n.Data)
		}
	}
	ids := map[string]int{}
	for _, n := range findAll(doc, func(n *html.Node) bool { _, ok := attr(n, "id"); return ok }) {
		id, _ := attr(n, "id")
		ids[id]++
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q used %d times", id, n)
		}
	}
	labels := map[string]string{}
	for _, l := range findAll(doc, elements("label")) {
		f, _ := attr(l, "for")
		labels[f] = text(l)
	}
	for _, in := range findAll(doc, func(n *html.Node) bool {
		return n.Type == html.ElementNode && (n.Data == "input" || n.Data == "select" || n.Data == "textarea")
	}) {
		if typ, _ := attr(in, "type"); typ == "hidden" {
			continue
		}
		id, _ := attr(in, "id")
		if id == "" || labels[id] == "" {
			t.Errorf("%s %v has no label", in.Data, in.Attr)
		}
		if typ, _ := attr(in, "type"); typ == "checkbox" {
			fs := hasAncestor(in, "fieldset")
			if fs == nil || len(findAll(fs, elements("legend"))) != 1 {
				t.Errorf("checkbox %s is not in a fieldset with a legend", id)
			}
		}
	}
	for _, b := range findAll(doc, elements("button")) {
		if text(b) == "" {
			t.Error("a button without text")
		}
	}
	for _, a := range findAll(doc, elements("a")) {
		href, _ := attr(a, "href")
		if id, ok := strings.CutPrefix(href, "#"); ok && ids[id] != 1 {
			t.Errorf("link to #%s, which is not on the page", id)
		}
	}
}

func TestSignInPageIsPlainAndLabelled(t *testing.T) {
	p := newTestProvider(t)
	verifier := oauth2.GenerateVerifier()
	t.Run("sign-in", func(t *testing.T) {
		resp, body := p.getAuthorize(t, p.authParams(verifier))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		checkPage(t, resp, body)
		for _, want := range []string{"local development sign-in", "In AWS the real identity provider replaces it", `value="` + DefaultUser + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		for _, r := range auth.Roles {
			if !strings.Contains(body, `value="`+string(r)+`"`) {
				t.Errorf("role %s not offered", r)
			}
		}
	})
	t.Run("sign-in with errors", func(t *testing.T) {
		form := p.signInForm(verifier)
		form.Del("role")
		form.Set("user", "two words")
		resp, body := p.postForm(t, "/authorize", form, sameOrigin)
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d", resp.StatusCode)
		}
		checkPage(t, resp, body)
		for _, want := range []string{"<title>Error:", "Choose at least one role", "Enter a user id", `aria-invalid="true"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
	t.Run("refusal", func(t *testing.T) {
		q := p.authParams(verifier)
		q.Set("redirect_uri", "http://evil.example/")
		resp, body := p.getAuthorize(t, q)
		checkPage(t, resp, body)
	})
}

func TestHandlerRoutesOnlyUnderTheIssuerPath(t *testing.T) {
	p := newTestProvider(t)
	for _, c := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/authorize", http.StatusNotFound},
		{http.MethodPost, "/token", http.StatusNotFound},
		{http.MethodGet, IssuerPath + "/token", http.StatusMethodNotAllowed},
		{http.MethodDelete, IssuerPath + "/authorize", http.StatusMethodNotAllowed},
	} {
		req, err := http.NewRequest(c.method, p.srv.URL+c.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp, _ := p.do(t, req); resp.StatusCode != c.want {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, resp.StatusCode, c.want)
		}
	}
}
