package apigw

import (
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// KeySource finds the public key an issuer signs with, by key id, as the
// HTTP API finds it in the JWKS that the issuer's OpenID Connect discovery
// document points to.
type KeySource interface {
	Key(issuer, kid string) (crypto.PublicKey, error)
}

// Authorizer is a JWT authorizer of the HTTP API.
type Authorizer struct {
	// Name is the authorizer's name in the template.
	Name string
	// Header carries the token ("Authorization"), with or without the
	// "Bearer " prefix.
	Header string
	// Issuer must equal the token's "iss"; the signing key is looked up
	// under it.
	Issuer string
	// Audience lists the audiences accepted: the token's "aud" (or, when it
	// has none, its "client_id") must match one of them.
	Audience []string
	// Keys gives the issuer's public keys.
	Keys KeySource
}

// validMethods are the signing algorithms the HTTP API's JWT authorizer
// accepts. Anything else, "none" and HMAC among them, is refused.
var validMethods = []string{jwt.SigningMethodRS256.Alg()}

// denial is why a request was refused before reaching its function.
type denial struct {
	status int
	// reason goes to the access log and the WWW-Authenticate header; it
	// never holds the token or its claims.
	reason string
	scopes []string
}

func unauthorized(format string, args ...any) *denial {
	return &denial{status: http.StatusUnauthorized, reason: fmt.Sprintf(format, args...)}
}

// write sends the HTTP API's answer to a refused request.
func (d *denial) write(w http.ResponseWriter) int {
	if d.status == http.StatusForbidden {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer scope=%q error="insufficient_scope" error_description=%q`, strings.Join(d.scopes, " "), d.reason))
		return plain(w, http.StatusForbidden, "Forbidden")
	}
	if d.reason == "" {
		w.Header().Set("WWW-Authenticate", "Bearer")
	} else {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer scope="" error="invalid_token" error_description=%q`, d.reason))
	}
	return plain(w, http.StatusUnauthorized, "Unauthorized")
}

// authorize checks the request's token against the route's authorizer and
// scopes, as the HTTP API does before it invokes anything, and returns what
// the function receives in requestContext.authorizer.jwt.
func (g *Gateway) authorize(r *http.Request, c compiled) (claims map[string]string, scopes []string, d *denial) {
	a := c.Authorizer
	raw := strings.TrimSpace(r.Header.Get(a.Header))
	if raw == "" {
		return nil, nil, &denial{status: http.StatusUnauthorized}
	}
	if len(raw) > 7 && strings.EqualFold(raw[:7], "bearer ") {
		raw = strings.TrimSpace(raw[7:])
	}
	now := g.opts.Now
	opts := []jwt.ParserOption{
		jwt.WithValidMethods(validMethods),
		jwt.WithIssuer(a.Issuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(g.opts.Leeway),
		jwt.WithTimeFunc(now),
	}
	tok, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errors.New("the token has no kid")
		}
		return a.Keys.Key(a.Issuer, kid)
	}, opts...)
	if err != nil {
		return nil, nil, unauthorized("%s", describe(err))
	}
	mc, ok := tok.Claims.(jwt.MapClaims)
	if !ok {
		return nil, nil, unauthorized("unreadable claims")
	}
	if _, has := mc["aud"]; has {
		v := jwt.NewValidator(jwt.WithAudience(a.Audience...), jwt.WithLeeway(g.opts.Leeway), jwt.WithTimeFunc(now))
		if err := v.Validate(mc); err != nil {
			return nil, nil, unauthorized("the token does not have a valid audience")
		}
	} else if id, _ := mc["client_id"].(string); id == "" || !slices.Contains(a.Audience, id) {
		return nil, nil, unauthorized("the token does not have a valid audience")
	}
	scopes, err = tokenScopes(mc)
	if err != nil {
		return nil, nil, &denial{status: http.StatusForbidden, reason: "the token's scopes must be one string of scopes separated by spaces", scopes: c.Scopes}
	}
	if len(c.Scopes) > 0 && !slices.ContainsFunc(c.Scopes, func(s string) bool { return slices.Contains(scopes, s) }) {
		return nil, nil, &denial{status: http.StatusForbidden, reason: "the token does not have the scopes this route needs", scopes: c.Scopes}
	}
	return claimStrings(mc), scopes, nil
}

// describe names what is wrong with a token in the words the HTTP API's
// WWW-Authenticate header uses.
func describe(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "the token is malformed"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return "the token signature is invalid or signed by an unknown key"
	case errors.Is(err, jwt.ErrTokenExpired):
		return "the token has expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "the token is not valid yet"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "the token does not have a valid issuer"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "the token lacks a required claim"
	default:
		return "the token is invalid"
	}
}

// tokenScopes are the token's scopes, read by the same rule as the
// functions read them (auth.ParseScope): the "scope" claim, or "scp" in a
// token without one, a string of scopes separated by spaces. A list, any
// other type, or both claims could be read two ways, and are refused.
func tokenScopes(mc jwt.MapClaims) ([]string, error) {
	scope, hasScope := mc["scope"]
	scp, hasScp := mc["scp"]
	hasScope, hasScp = hasScope && scope != nil, hasScp && scp != nil
	if hasScope && hasScp {
		return nil, errScopeClaims
	}
	if !hasScope && !hasScp {
		return nil, nil
	}
	if !hasScope {
		scope = scp
	}
	str, ok := scope.(string)
	if !ok {
		return nil, errScopeClaims
	}
	return auth.ParseScope(str)
}

var errScopeClaims = errors.New("the token's scopes must be one string claim, scope or scp, of scopes separated by spaces")

// claimStrings turns the claims into what the HTTP API passes a function:
// every value a string, numbers in full, lists as "[a b]".
func claimStrings(mc jwt.MapClaims) map[string]string {
	out := make(map[string]string, len(mc))
	for k, v := range mc {
		if v == nil {
			continue
		}
		out[k] = claimString(v)
	}
	return out
}

func claimString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = claimString(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	}
}
