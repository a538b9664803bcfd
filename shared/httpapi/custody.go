package httpapi

import (
	"context"
	"net/http"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/custody"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
)

// CustodySubmitter takes custody requests.
type CustodySubmitter interface {
	Submit(ctx context.Context, body []byte, idempotencyKey string, meta audit.Request) (*custody.Receipt, bool, error)
}

// SubmitCustodyRequest handles POST /custody-requests, for police custody.
func SubmitCustodyRequest(svc CustodySubmitter) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		_, who, err := Caller(req, auth.Police)
		if err != nil {
			return Response{}, err
		}
		body, err := JSONBody(req, custody.MaxBody)
		if err != nil {
			return Response{}, err
		}
		receipt, replayed, err := svc.Submit(ctx, body, Header(req, idempotency.Header), who)
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
