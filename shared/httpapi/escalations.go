package httpapi

import (
	"context"
	"net/http"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/escalation"
)

// Escalations is what the MASH manager's escalation routes need of the
// domain.
type Escalations interface {
	List(ctx context.Context, q escalation.Query, req audit.Request) (*escalation.Page, error)
	Acknowledge(ctx context.Context, id string, body []byte, req audit.Request) (*escalation.Escalation, error)
}

// ListEscalations handles GET /escalations, for the MASH manager.
func ListEscalations(svc Escalations) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		_, who, err := Caller(req, auth.MASHManager)
		if err != nil {
			return Response{}, err
		}
		q, err := escalation.ParseQuery(req.QueryStringParameters)
		if err != nil {
			return Response{}, err
		}
		page, err := svc.List(ctx, q, who)
		if err != nil {
			return Response{}, err
		}
		return JSON(http.StatusOK, page), nil
	}
}

// AcknowledgeEscalation handles POST /escalations/{id}/acknowledgements,
// for the MASH manager.
func AcknowledgeEscalation(svc Escalations) HandlerFunc {
	return func(ctx context.Context, req Request) (Response, error) {
		_, who, err := Caller(req, auth.MASHManager)
		if err != nil {
			return Response{}, err
		}
		body, err := JSONBody(req, escalation.MaxBody)
		if err != nil {
			return Response{}, err
		}
		e, err := svc.Acknowledge(ctx, req.PathParameters["id"], body, who)
		if err != nil {
			return Response{}, err
		}
		return JSON(http.StatusOK, e), nil
	}
}
