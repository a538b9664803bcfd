// Package openid signs staff in to the pages with an OpenID Connect
// provider (Cognito's hosted UI in AWS, the local issuer of `make run`),
// by the authorization code flow with PKCE, through
// github.com/coreos/go-oidc and golang.org/x/oauth2: this package writes
// none of the protocol. It is the pages' adapter to the identity provider.
//
// A person's roles are read as the API reads them: from the access token's
// scopes, by auth.FromClaims, after the token is verified against the
// provider's keys and the API's audience, exactly as the HTTP API's JWT
// authorizer checks it.
package openid

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// Client is one relying party of one provider. Its methods are safe for
// concurrent use.
type Client struct {
	issuer, clientID string
	// secret is a confidential client's secret; empty for a public client.
	secret string
	// audience admits an access token whose "aud" (or, with no "aud", its
	// "client_id") is one of these: the API's AuthAudience.
	audience []string
	hc       *http.Client
	now      func() time.Time

	mu       sync.Mutex
	provider *oidc.Provider
}

// New returns a client of the provider at issuer, registered there as
// clientID, accepting access tokens for audience. The provider's discovery
// document is read on first use, not here, so that the pages start without
// it. now is the clock the tokens are checked by.
func New(issuer, clientID string, audience []string, hc *http.Client, now func() time.Time) *Client {
	return &Client{issuer: issuer, clientID: clientID, audience: audience, hc: hc, now: now}
}

// WithClientSecret makes c a confidential client, which authenticates its
// code exchanges with secret (PKCE is still used), and returns c. The
// secret goes as HTTP Basic authentication, the provider's default,
// unless its discovery document offers only client_secret_post. It is for
// setting up, before c is first used.
func (c *Client) WithClientSecret(secret string) *Client {
	c.secret = secret
	return c
}

// Issuer is the provider's issuer URL.
func (c *Client) Issuer() string { return c.issuer }

// NewVerifier returns a fresh PKCE code verifier.
func NewVerifier() string { return oauth2.GenerateVerifier() }

// discover returns the provider, reading its discovery document the first
// time; a failure is tried again on the next call.
func (c *Client) discover(ctx context.Context) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, c.hc), c.issuer)
	if err != nil {
		return nil, fmt.Errorf("openid: discovery: %w", err)
	}
	c.provider = p
	return p, nil
}

func (c *Client) config(p *oidc.Provider, redirectURL string) *oauth2.Config {
	ep := p.Endpoint()
	// A public client: its id goes in the form, never as Basic auth, so
	// the code is not spent on a first try the provider refuses. A
	// confidential client says at once how it authenticates, for the same
	// reason.
	ep.AuthStyle = oauth2.AuthStyleInParams
	if c.secret != "" {
		ep.AuthStyle = oauth2.AuthStyleInHeader
		var d struct {
			Methods []string `json:"token_endpoint_auth_methods_supported"`
		}
		if p.Claims(&d) == nil && !slices.Contains(d.Methods, "client_secret_basic") && slices.Contains(d.Methods, "client_secret_post") {
			ep.AuthStyle = oauth2.AuthStyleInParams
		}
	}
	return &oauth2.Config{
		ClientID: c.clientID, ClientSecret: c.secret, Endpoint: ep, RedirectURL: redirectURL,
		Scopes: []string{oidc.ScopeOpenID},
	}
}

// AuthURL is the provider's sign-in page for a person who will come back
// to redirectURL with state, the ID token to carry nonce, and the code to
// be exchanged with verifier (sent as its S256 challenge).
func (c *Client) AuthURL(ctx context.Context, redirectURL, state, nonce, verifier string) (string, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return "", err
	}
	return c.config(p, redirectURL).AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)), nil
}

// ErrRefused is a sign-in the provider's answer does not prove: a code
// that cannot be exchanged, a token that does not verify, a nonce that
// does not match, or scopes that cannot be read.
var ErrRefused = errors.New("openid: the sign-in could not be verified")

// Exchange trades the code the person came back with for their tokens,
// verifies both, and returns who signed in with which roles.
func (c *Client) Exchange(ctx context.Context, redirectURL, code, verifier, nonce string) (auth.Principal, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return auth.Principal{}, err
	}
	ctx = oidc.ClientContext(ctx, c.hc)
	tok, err := c.config(p, redirectURL).Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return auth.Principal{}, fmt.Errorf("%w: exchange: %w", ErrRefused, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return auth.Principal{}, fmt.Errorf("%w: no ID token", ErrRefused)
	}
	id, err := p.Verifier(&oidc.Config{ClientID: c.clientID, Now: c.now}).Verify(ctx, raw)
	if err != nil {
		return auth.Principal{}, fmt.Errorf("%w: ID token: %w", ErrRefused, err)
	}
	if subtle.ConstantTimeCompare([]byte(id.Nonce), []byte(nonce)) != 1 || nonce == "" {
		return auth.Principal{}, fmt.Errorf("%w: the ID token's nonce is not the one sent", ErrRefused)
	}
	// The access token, as the HTTP API's authorizer checks it: signed by
	// the provider, for the API's audience (or client).
	at, err := p.Verifier(&oidc.Config{SkipClientIDCheck: true, Now: c.now}).Verify(ctx, tok.AccessToken)
	if err != nil {
		return auth.Principal{}, fmt.Errorf("%w: access token: %w", ErrRefused, err)
	}
	var claims map[string]any
	if err := at.Claims(&claims); err != nil {
		return auth.Principal{}, fmt.Errorf("%w: access token claims: %w", ErrRefused, err)
	}
	if !c.forAudience(at.Audience, claims) {
		return auth.Principal{}, fmt.Errorf("%w: the access token is not for this API", ErrRefused)
	}
	if at.Subject != id.Subject {
		return auth.Principal{}, fmt.Errorf("%w: the tokens name different people", ErrRefused)
	}
	strs := map[string]string{"sub": at.Subject}
	for _, k := range []string{"scope", "scp"} {
		if v, ok := claims[k]; ok {
			s, isString := v.(string)
			if !isString {
				return auth.Principal{}, fmt.Errorf("%w: the access token's %s is not a string", ErrRefused, k)
			}
			strs[k] = s
		}
	}
	pr, err := auth.FromClaims(strs)
	if err != nil {
		return auth.Principal{}, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	return pr, nil
}

// forAudience applies the HTTP API's rule: the token's "aud" must hold one
// of the audience; a token without "aud" must have a "client_id" that is
// one (Cognito's access tokens).
func (c *Client) forAudience(aud []string, claims map[string]any) bool {
	if _, has := claims["aud"]; has {
		return slices.ContainsFunc(aud, func(a string) bool { return slices.Contains(c.audience, a) })
	}
	id, _ := claims["client_id"].(string)
	return id != "" && slices.Contains(c.audience, id)
}
