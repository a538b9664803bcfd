package httpapi

import (
	"context"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// Principal returns the signed-in caller of req, from the claims the JWT
// authorizer verified, or an Unauthorized error when there are none.
func Principal(req Request) (auth.Principal, error) {
	var claims map[string]string
	if a := req.RequestContext.Authorizer; a != nil && a.JWT != nil {
		claims = a.JWT.Claims
	}
	return auth.FromClaims(claims)
}

// Caller checks again, behind the authorizer, that the caller of req holds
// one of the allowed roles, and returns them as the audit trail records
// them: subject, the role they acted in, and source address.
func Caller(req Request, allowed ...auth.Role) (auth.Principal, audit.Actor, error) {
	p, err := Principal(req)
	if err != nil {
		return auth.Principal{}, audit.Actor{}, err
	}
	role, err := p.Require(allowed...)
	if err != nil {
		return auth.Principal{}, audit.Actor{}, err
	}
	return p, p.Actor(role, req.RequestContext.HTTP.SourceIP), nil
}

// Routes serves several routes from one function: it picks the handler by
// the request's route key ("GET /triage-queue"), as the HTTP API sets it.
func Routes(handlers map[string]HandlerFunc) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		h, ok := handlers[req.RouteKey]
		if !ok {
			return Response{}, apperr.New(apperr.NotFound, "This function does not serve %s.", req.RouteKey)
		}
		return h(ctx, req)
	}
}
