package openid_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/infra/localauth"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/openid"
)

// provider is the local issuer of `make run`, a real OpenID Connect
// provider, served for the test.
type provider struct {
	srv      *httptest.Server
	issuer   string
	redirect string
	browser  *http.Client
}

func newProvider(t *testing.T) *provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	a, err := localauth.New(key, localauth.IssuerFor(base), localauth.DefaultAudience)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = a.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	browser := srv.Client()
	browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &provider{srv: srv, issuer: a.Issuer, redirect: base + "/staff/auth/callback", browser: browser}
}

// signIn does what the person does at the provider: opens its sign-in
// page, chooses a user and roles, and comes back with a code.
func (p *provider) signIn(t *testing.T, authURL, user string, roles ...string) (code, state string) {
	t.Helper()
	resp, err := p.browser.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign-in page: %d", resp.StatusCode)
	}
	u, _ := url.Parse(authURL)
	form := u.Query()
	form.Set("user", user)
	form["role"] = roles
	form.Set("action", "sign-in")
	req, _ := http.NewRequest(http.MethodPost, p.issuer+"/authorize", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err = p.browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || err != nil || !strings.HasPrefix(back.String(), p.redirect+"?") {
		t.Fatalf("sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return back.Query().Get("code"), back.Query().Get("state")
}

// The code flow with PKCE against the local issuer: the person's subject
// and roles come back verified; a wrong nonce or verifier, a token for
// another API and a code used twice are refused.
func TestCodeFlow(t *testing.T) {
	p := newProvider(t)
	ctx := context.Background()
	c := openid.New(p.issuer, localauth.WebClientID, []string{localauth.DefaultAudience}, p.srv.Client(), time.Now)
	verifier := openid.NewVerifier()
	authURL, err := c.AuthURL(ctx, p.redirect, "state-1", "nonce-1", verifier)
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := url.Parse(authURL); u.Query().Get("code_challenge_method") != "S256" || u.Query().Get("nonce") != "nonce-1" || u.Query().Get("code_challenge") == "" {
		t.Errorf("sign-in URL %s", authURL)
	}
	code, state := p.signIn(t, authURL, "screener-7", "mash", "mash-manager")
	if state != "state-1" {
		t.Errorf("state %q", state)
	}
	who, err := c.Exchange(ctx, p.redirect, code, verifier, "nonce-1")
	if err != nil {
		t.Fatal(err)
	}
	if who.Subject != "screener-7" || len(who.Roles) != 2 || !who.Has(auth.MASH) || !who.Has(auth.MASHManager) {
		t.Errorf("signed in as %+v", who)
	}
	if _, err := c.Exchange(ctx, p.redirect, code, verifier, "nonce-1"); !errors.Is(err, openid.ErrRefused) {
		t.Errorf("a code used twice: %v", err)
	}

	refusals := []struct {
		name string
		c    *openid.Client
		do   func(c *openid.Client, code, verifier string) error
	}{
		{"another nonce", c, func(c *openid.Client, code, verifier string) error {
			_, err := c.Exchange(ctx, p.redirect, code, verifier, "nonce-2")
			return err
		}},
		{"another verifier", c, func(c *openid.Client, code, _ string) error {
			_, err := c.Exchange(ctx, p.redirect, code, openid.NewVerifier(), "nonce-1")
			return err
		}},
		{"a token for another API", openid.New(p.issuer, localauth.WebClientID, []string{"another-api"}, p.srv.Client(), time.Now),
			func(c *openid.Client, code, verifier string) error {
				_, err := c.Exchange(ctx, p.redirect, code, verifier, "nonce-1")
				return err
			}},
		{"tokens expired by the client's clock", openid.New(p.issuer, localauth.WebClientID, []string{localauth.DefaultAudience}, p.srv.Client(),
			func() time.Time { return time.Now().Add(2 * time.Hour) }),
			func(c *openid.Client, code, verifier string) error {
				_, err := c.Exchange(ctx, p.redirect, code, verifier, "nonce-1")
				return err
			}},
	}
	for _, tt := range refusals {
		v := openid.NewVerifier()
		u, err := tt.c.AuthURL(ctx, p.redirect, "s", "nonce-1", v)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := p.signIn(t, u, "screener-7", "mash")
		if err := tt.do(tt.c, code, v); !errors.Is(err, openid.ErrRefused) {
			t.Errorf("%s: %v, want ErrRefused", tt.name, err)
		}
	}
}

// A provider that cannot be reached is an error at sign-in, not at start,
// and is tried again.
func TestDiscoveryIsLazy(t *testing.T) {
	c := openid.New("http://127.0.0.1:1/none", "x", []string{"y"}, &http.Client{Timeout: time.Second}, time.Now)
	if _, err := c.AuthURL(context.Background(), "http://127.0.0.1/cb", "s", "n", "v"); err == nil {
		t.Error("an unreachable provider gave a sign-in URL")
	}
}

// recorder keeps the token requests a client sends, then sends them on.
type recorder struct {
	next  http.RoundTripper
	token []*http.Request
	forms []url.Values
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/token") {
		body, _ := io.ReadAll(req.Body)
		req.Body.Close()
		form, _ := url.ParseQuery(string(body))
		r.token, r.forms = append(r.token, req), append(r.forms, form)
		req.Body = io.NopCloser(strings.NewReader(string(body)))
	}
	return r.next.RoundTrip(req)
}

// A public client sends its id in the form and no secret; a confidential
// one authenticates with its secret as HTTP Basic, the default of a
// provider that names no method, and never puts it in the form.
func TestClientAuthentication(t *testing.T) {
	p := newProvider(t)
	for _, tt := range []struct {
		name   string
		secret string
	}{{"public", ""}, {"confidential", "s3cret/with+chars"}} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{next: p.srv.Client().Transport}
			c := openid.New(p.issuer, localauth.WebClientID, []string{localauth.DefaultAudience}, &http.Client{Transport: rec}, time.Now)
			if tt.secret != "" {
				c = c.WithClientSecret(tt.secret)
			}
			verifier := openid.NewVerifier()
			authURL, err := c.AuthURL(context.Background(), p.redirect, "state-1", "nonce-1", verifier)
			if err != nil {
				t.Fatal(err)
			}
			code, _ := p.signIn(t, authURL, "screener-7", "mash")
			_, err = c.Exchange(context.Background(), p.redirect, code, verifier, "nonce-1")
			if len(rec.token) != 1 {
				t.Fatalf("%d token requests (%v), want 1", len(rec.token), err)
			}
			id, secret, basic := rec.token[0].BasicAuth()
			// RFC 6749 2.3.1: both are form-encoded inside Basic.
			secret, _ = url.QueryUnescape(secret)
			form := rec.forms[0]
			switch {
			case tt.secret == "" && (err != nil || basic || form.Get("client_id") != localauth.WebClientID || form.Has("client_secret")):
				t.Errorf("public client: %v, basic %v, form %v", err, basic, form)
			case tt.secret != "" && (!basic || id != localauth.WebClientID || secret != tt.secret || form.Has("client_secret") || form.Get("code_verifier") != verifier):
				t.Errorf("confidential client: basic %v as %q, form %v", basic, id, form)
			}
		})
	}
}
