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
// one of the allowed roles, and returns who asked as the audit trail
// records it (see asked).
func Caller(req Request, allowed ...auth.Role) (auth.Principal, audit.Request, error) {
	p, err := Principal(req)
	if err != nil {
		return auth.Principal{}, audit.Request{}, err
	}
	role, err := p.Require(allowed...)
	if err != nil {
		return auth.Principal{}, audit.Request{}, err
	}
	return p, asked(req, p.Actor(role, req.RequestContext.HTTP.SourceIP)), nil
}

// Anonymous returns who asked through an open route (a partner's referral,
// a referrer's status check): a caller with no account, known only by
// their address.
func Anonymous(req Request) audit.Request {
	return asked(req, audit.Anonymous(req.RequestContext.HTTP.SourceIP))
}

// asked is the one place that says who asked, through which route and in
// which API request: what every audit entry of a person's request records.
func asked(req Request, actor audit.Actor) audit.Request {
	return audit.Request{Actor: actor, Route: req.RouteKey, RequestID: req.RequestContext.RequestID}
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
