package httpapi

import (
	"context"
	"net/http"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
)

// Submitter takes referrals.
type Submitter interface {
	Submit(ctx context.Context, sub intake.Submission) (intake.Receipt, bool, error)
}

// SubmitReferral handles POST /referrals.
func SubmitReferral(svc Submitter) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		body, err := JSONBody(req, intake.MaxBodyBytes)
		if err != nil {
			return Response{}, err
		}
		receipt, replayed, err := svc.Submit(ctx, intake.Submission{
			Body: body,
			// A partner has no account: the key is scoped to the route.
			Idempotency: idempotency.Key{Route: req.RouteKey, Value: Header(req, idempotency.Header)},
			Request:     Anonymous(req),
		})
		if err != nil {
			return Response{}, err
		}
		resp := JSON(http.StatusAccepted, receipt)
		if replayed {
			resp.Headers["Idempotent-Replayed"] = "true"
		}
		return resp, nil
	}
}

// ReferralReader reads referrals for staff.
type ReferralReader interface {
	Referral(ctx context.Context, id string, req audit.Request) (*casework.ReferralView, error)
}

// GetReferral handles GET /referrals/{id}, for MASH staff.
func GetReferral(svc ReferralReader) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		_, who, err := Caller(req, auth.MASH, auth.MASHManager)
		if err != nil {
			return Response{}, err
		}
		rec, err := svc.Referral(ctx, req.PathParameters["id"], who)
		if err != nil {
			return Response{}, err
		}
		return JSON(http.StatusOK, rec), nil
	}
}
