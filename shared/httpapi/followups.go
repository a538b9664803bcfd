package httpapi

import (
	"context"
	"net/http"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/followup/worklist"
)

// FollowUpWork lists follow-ups for providers and records their events.
type FollowUpWork interface {
	List(ctx context.Context, c worklist.Caller, q worklist.Query) (*worklist.List, error)
	Record(ctx context.Context, c worklist.Caller, id string, body []byte) (*worklist.View, error)
}

// workCaller checks that the caller of req holds one of the allowed roles
// and describes them to the worklist, with all their roles: which
// follow-ups they see follows from those.
func workCaller(req Request, allowed ...auth.Role) (worklist.Caller, error) {
	p, who, err := Caller(req, allowed...)
	if err != nil {
		return worklist.Caller{}, err
	}
	return worklist.Caller{Roles: p.Roles, Request: who}, nil
}

// ListFollowUps handles GET /follow-ups, for the follow-up providers (their
// own follow-ups) and the MASH manager (all, read only).
func ListFollowUps(svc FollowUpWork) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		c, err := workCaller(req, auth.ProviderRHI, auth.ProviderAA, auth.MASHManager)
		if err != nil {
			return Response{}, err
		}
		q, err := worklist.ParseQuery(req.QueryStringParameters)
		if err != nil {
			return Response{}, err
		}
		list, err := svc.List(ctx, c, q)
		if err != nil {
			return Response{}, err
		}
		return JSON(http.StatusOK, list), nil
	}
}

// RecordFollowUpEvent handles POST /follow-ups/{id}/events, for the
// follow-up providers: it answers 200 with the follow-up as it is after the
// event.
func RecordFollowUpEvent(svc FollowUpWork) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		c, err := workCaller(req, auth.ProviderRHI, auth.ProviderAA)
		if err != nil {
			return Response{}, err
		}
		body, err := JSONBody(req, followup.MaxEventBody)
		if err != nil {
			return Response{}, err
		}
		v, err := svc.Record(ctx, c, req.PathParameters["id"], body)
		if err != nil {
			return Response{}, err
		}
		return JSON(http.StatusOK, v), nil
	}
}
