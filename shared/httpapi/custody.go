package httpapi

import (
	"context"
	"net/http"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/custody"
)

// CustodySubmitter takes custody requests.
type CustodySubmitter interface {
	Submit(ctx context.Context, body []byte, meta audit.Request) (*custody.Receipt, error)
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
		receipt, err := svc.Submit(ctx, body, who)
		if err != nil {
			return Response{}, err
		}
		return JSON(http.StatusAccepted, receipt), nil
	}
}
