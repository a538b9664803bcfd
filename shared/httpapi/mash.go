package httpapi

import (
	"context"
	"net/http"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/stats"
)

// MASH is what the MASH's routes need of the domain.
type MASH interface {
	Queue(ctx context.Context, q casework.QueueQuery, req audit.Request) (*casework.QueuePage, error)
	AuditTrail(ctx context.Context, id string, req audit.Request) (*casework.Trail, error)
}

// Decider records screening decisions.
type Decider interface {
	Decide(ctx context.Context, referralID string, body []byte, m audit.Request) (*decision.Decision, error)
}

// TriageQueue handles GET /triage-queue, for MASH staff.
func TriageQueue(svc MASH) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		_, who, err := Caller(req, auth.MASH, auth.MASHManager)
		if err != nil {
			return Response{}, err
		}
		q, err := casework.ParseQueueQuery(req.QueryStringParameters)
		if err != nil {
			return Response{}, err
		}
		page, err := svc.Queue(ctx, q, who)
		if err != nil {
			return Response{}, err
		}
		return JSON(http.StatusOK, page), nil
	}
}

// DecideReferral handles POST /referrals/{id}/decisions, for MASH staff.
func DecideReferral(svc Decider) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		_, who, err := Caller(req, auth.MASH, auth.MASHManager)
		if err != nil {
			return Response{}, err
		}
		body, err := JSONBody(req, decision.MaxBody)
		if err != nil {
			return Response{}, err
		}
		d, err := svc.Decide(ctx, req.PathParameters["id"], body, who)
		if err != nil {
			return Response{}, err
		}
		resp := JSON(http.StatusCreated, d)
		resp.Headers["Location"] = "/referrals/" + d.ReferralID
		return resp, nil
	}
}

// ReferralAudit handles GET /referrals/{id}/audit, for the MASH manager.
func ReferralAudit(svc MASH) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		_, who, err := Caller(req, auth.MASHManager)
		if err != nil {
			return Response{}, err
		}
		trail, err := svc.AuditTrail(ctx, req.PathParameters["id"], who)
		if err != nil {
			return Response{}, err
		}
		return JSON(http.StatusOK, trail), nil
	}
}

// Figurer computes the MASH manager's figures.
type Figurer interface {
	Figures(ctx context.Context, params map[string]string) (*stats.Figures, error)
}

// Stats handles GET /stats?from=&to=, for the MASH manager.
func Stats(svc Figurer) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		if _, _, err := Caller(req, auth.MASHManager); err != nil {
			return Response{}, err
		}
		f, err := svc.Figures(ctx, req.QueryStringParameters)
		if err != nil {
			return Response{}, err
		}
		return JSON(http.StatusOK, f), nil
	}
}
