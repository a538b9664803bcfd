package httpapi

import (
	"context"
	"net/http"

	"github.com/csc-frontdoor/frontdoor/shared/referrer"
)

// ReferrerService answers referrers who hold a reference and a receipt
// token.
type ReferrerService interface {
	Status(ctx context.Context, req referrer.Request) (*referrer.Status, error)
	AddAddendum(ctx context.Context, req referrer.AddendumRequest) (*referrer.Receipt, bool, error)
}

// referrerRequest reads what every referrer route takes: the reference in
// the path and the receipt token in its header. The caller has no account,
// so the audit trail records them as anonymous, with their address.
func referrerRequest(req Request) referrer.Request {
	return referrer.Request{
		Reference: req.PathParameters["reference"],
		Token:     Header(req, referrer.TokenHeader),
		Request:   Anonymous(req),
	}
}

// ReferralStatus handles GET /referrer/referrals/{reference}: where the
// referral is in the workflow, for the referrer holding its receipt token.
func ReferralStatus(svc ReferrerService) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		st, err := svc.Status(ctx, referrerRequest(req))
		if err != nil {
			return Response{}, err
		}
		return JSON(http.StatusOK, st), nil
	}
}

// AddAddendum handles POST /referrer/referrals/{reference}/addenda: the
// referrer holding the receipt token adds information to their referral.
// A retry with the same Idempotency-Key gets the first receipt again, with
// the header Idempotent-Replayed: true.
func AddAddendum(svc ReferrerService) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		body, err := JSONBody(req, referrer.MaxBodyBytes)
		if err != nil {
			return Response{}, err
		}
		receipt, replayed, err := svc.AddAddendum(ctx, referrer.AddendumRequest{
			Request:        referrerRequest(req),
			Body:           body,
			IdempotencyKey: Header(req, "Idempotency-Key"),
		})
		if err != nil {
			return Response{}, err
		}
		resp := JSON(http.StatusCreated, receipt)
		if replayed {
			resp.Headers["Idempotent-Replayed"] = "true"
		}
		return resp, nil
	}
}
