package httpapi

import (
	"context"
	"net/http"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
)

// Helpline is what the parenting helpline's routes need of the domain.
type Helpline interface {
	Log(ctx context.Context, body []byte, idempotencyKey string, meta audit.Request) (*helpline.Receipt, bool, error)
	List(ctx context.Context, params map[string]string, meta audit.Request) (*helpline.Page, error)
	Escalate(ctx context.Context, callID string, body []byte, meta audit.Request) (*helpline.EscalationReceipt, bool, error)
}

// LogHelplineCall handles POST /helpline-calls, for helpline advisers. A
// retry by the same adviser with the same Idempotency-Key gets the first
// receipt again, with the header Idempotent-Replayed: true.
func LogHelplineCall(svc Helpline) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		_, who, err := Caller(req, auth.Helpline)
		if err != nil {
			return Response{}, err
		}
		body, err := JSONBody(req, helpline.MaxBody)
		if err != nil {
			return Response{}, err
		}
		receipt, replayed, err := svc.Log(ctx, body, Header(req, "Idempotency-Key"), who)
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

// ListHelplineCalls handles GET /helpline-calls, for helpline advisers and,
// for oversight, MASH managers.
func ListHelplineCalls(svc Helpline) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		_, who, err := Caller(req, auth.Helpline, auth.MASHManager)
		if err != nil {
			return Response{}, err
		}
		page, err := svc.List(ctx, req.QueryStringParameters, who)
		if err != nil {
			return Response{}, err
		}
		return JSON(http.StatusOK, page), nil
	}
}

// EscalateHelplineCall handles POST /helpline-calls/{id}/referrals, for
// helpline advisers: the body is a referral form as POST /referrals takes
// it. The answer is the referral's receipt, 201 Created, with the header
// Idempotent-Replayed when an earlier attempt had already made the
// referral.
func EscalateHelplineCall(svc Helpline) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		_, who, err := Caller(req, auth.Helpline)
		if err != nil {
			return Response{}, err
		}
		body, err := JSONBody(req, intake.MaxBodyBytes)
		if err != nil {
			return Response{}, err
		}
		receipt, replayed, err := svc.Escalate(ctx, req.PathParameters["id"], body, who)
		if err != nil {
			return Response{}, err
		}
		resp := JSON(http.StatusCreated, receipt)
		resp.Headers["Location"] = "/referrals/" + receipt.ID
		if replayed {
			resp.Headers["Idempotent-Replayed"] = "true"
		}
		return resp, nil
	}
}
