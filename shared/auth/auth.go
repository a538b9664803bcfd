// Package auth says who a caller is and what they may do. The HTTP API's JWT
// authorizer checks the token's signature, issuer, audience and expiry, and
// each route's scopes, before a function runs; the functions check the
// caller's role again here, so that a route attached to the wrong authorizer
// or scopes still refuses the wrong people.
//
// A caller's roles are the token's scopes (the "scope" claim, or "scp" in a
// token without one: a string of scopes separated by spaces; see
// ParseScope), named exactly as the Role constants: "mash", "mash-manager",
// "police", "helpline", "provider-rhi", "provider-aa".
package auth

import (
	"slices"
	"strings"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
)

// Role is what a signed-in caller is allowed to do.
type Role string

// The roles.
const (
	// Police: a police custody officer (appropriate adults, s38(6)
	// accommodation).
	Police Role = "police"
	// Helpline: a parenting helpline adviser.
	Helpline Role = "helpline"
	// MASH: a MASH screener, who works the triage queue and decides.
	MASH Role = "mash"
	// MASHManager: a MASH manager, who also reads the audit trail and the
	// figures.
	MASHManager Role = "mash-manager"
	// ProviderRHI: the return home interview service.
	ProviderRHI Role = "provider-rhi"
	// ProviderAA: the appropriate adult service.
	ProviderAA Role = "provider-aa"
)

// Roles lists every role, in a stable order.
var Roles = []Role{Police, Helpline, MASH, MASHManager, ProviderRHI, ProviderAA}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Principal is a signed-in caller.
type Principal struct {
	// Subject is the token's "sub": who the caller is at the identity
	// provider. It is recorded in the audit trail; it is not a name.
	Subject string
	// Roles are the caller's known roles; scopes that are not roles are
	// left out.
	Roles []Role
}

// FromClaims returns the principal described by a verified token's claims,
// as the HTTP API passes them to a function (every value a string). It
// returns an Unauthorized error when there is no subject, which means the
// route was reached without the authorizer.
func FromClaims(claims map[string]string) (Principal, error) {
	sub := strings.TrimSpace(claims["sub"])
	if sub == "" {
		return Principal{}, apperr.New(apperr.Unauthorized, "Sign in: send a bearer token in the Authorization header.")
	}
	scope, hasScope := claims["scope"]
	scp, hasScp := claims["scp"]
	if hasScope && hasScp {
		return Principal{}, errScope
	}
	if !hasScope {
		scope = scp
	}
	scopes, err := ParseScope(scope)
	if err != nil {
		return Principal{}, err
	}
	p := Principal{Subject: sub}
	for _, f := range scopes {
		if r := Role(f); r.Valid() && !slices.Contains(p.Roles, r) {
			p.Roles = append(p.Roles, r)
		}
	}
	return p, nil
}

// errScope refuses a token whose scopes could be read more than one way.
var errScope = apperr.New(apperr.Forbidden,
	"The token's scopes cannot be read: send a token with one \"scope\" claim, a string of scopes separated by spaces, such as \"mash mash-manager\".")

// ParseScope reads a token's scope claim in its OAuth 2.0 form (RFC 6749
// section 3.3): scope tokens separated by spaces, each of visible ASCII
// characters. It is the one rule by which both the HTTP API's authorizer
// (run locally by infra/apigw) and the functions read roles, so that the two
// always agree. Anything that could be read two ways is refused with a
// Forbidden error: a list (the HTTP API hands a function a list claim
// flattened to "[a b]", which cannot be told from a string), brackets,
// quotes, backslashes and control characters.
func ParseScope(scope string) ([]string, error) {
	for _, c := range []byte(scope) {
		if c < 0x20 || c > 0x7e || c == '[' || c == ']' || c == '"' || c == '\\' {
			return nil, errScope
		}
	}
	return strings.Fields(scope), nil
}

// Has reports whether the principal holds any of the roles.
func (p Principal) Has(roles ...Role) bool {
	for _, r := range roles {
		if slices.Contains(p.Roles, r) {
			return true
		}
	}
	return false
}

// Require returns the first of allowed that the principal holds, to record
// as the role it acted in, or a Forbidden error naming the roles allowed.
func (p Principal) Require(allowed ...Role) (Role, error) {
	for _, r := range allowed {
		if slices.Contains(p.Roles, r) {
			return r, nil
		}
	}
	names := make([]string, len(allowed))
	for i, r := range allowed {
		names[i] = string(r)
	}
	return "", apperr.New(apperr.Forbidden, "This needs one of the roles: %s.", strings.Join(names, ", "))
}

// Actor is the principal as the audit trail records it, acting in role,
// from the given source address.
func (p Principal) Actor(role Role, ip string) audit.Actor {
	return audit.Actor{ID: p.Subject, Role: string(role), IP: ip}
}
