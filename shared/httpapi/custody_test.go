package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/custody"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
)

// fakeCustody is a CustodySubmitter that records its call.
type fakeCustody struct {
	called  bool
	body    string
	meta    audit.Request
	receipt *custody.Receipt
	err     error
}

func (f *fakeCustody) Submit(_ context.Context, body []byte, _ string, meta audit.Request) (*custody.Receipt, bool, error) {
	f.called, f.body, f.meta = true, string(body), meta
	return f.receipt, false, f.err
}

func custodyReq(contentType, body string) Request {
	r := req(contentType, body, false)
	r.RouteKey = "POST /custody-requests"
	r.RequestContext.RequestID = "req-42"
	r.RequestContext.HTTP.SourceIP = "192.0.2.7"
	return signedIn(r, "officer-1", "police")
}

// signedIn gives r the claims the JWT authorizer passes on for a caller
// with subject sub and the given scopes.
func signedIn(r Request, sub, scope string) Request {
	r.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
			Claims: map[string]string{"sub": sub, "scope": scope},
		},
	}
	return r
}

func TestSubmitCustodyRequest(t *testing.T) {
	at := time.Date(2026, 11, 21, 23, 0, 0, 0, time.UTC)
	receipt := &custody.Receipt{
		ID: "01JA0000000000000000000000", Reference: "7K3Q-9F2H", ReceivedAt: at,
		FollowUps: []custody.ReceiptFollowUp{{Kind: followup.KindAppropriateAdult, Label: "Appropriate adult", DueAt: at.Add(2 * time.Hour)}},
	}
	tests := []struct {
		name       string
		req        Request
		svcErr     error
		wantStatus int
		wantCalled bool
		wantFields []string
	}{
		{"accepted", custodyReq("application/json", `{"a":1}`), nil, http.StatusAccepted, true, nil},
		{"wrong content type", custodyReq("text/plain", `{}`), nil, http.StatusUnsupportedMediaType, false, nil},
		{"no content type", custodyReq("", `{}`), nil, http.StatusUnsupportedMediaType, false, nil},
		{"empty body", custodyReq("application/json", " "), nil, http.StatusBadRequest, false, nil},
		{"too large", custodyReq("application/json", strings.Repeat(" ", custody.MaxBody+1)), nil, http.StatusRequestEntityTooLarge, false, nil},
		{"invalid", custodyReq("application/json", `{}`),
			apperr.WithFields("fix it", []apperr.FieldError{{Field: "detainee.lastName", Message: "Enter the last name."}}),
			http.StatusUnprocessableEntity, true, []string{"detainee.lastName"}},
		{"store down", custodyReq("application/json", `{}`), apperr.New(apperr.Unavailable, "try again"), http.StatusServiceUnavailable, true, nil},
		{"not signed in", func() Request {
			r := custodyReq("application/json", `{"a":1}`)
			r.RequestContext.Authorizer = nil
			return r
		}(),
			nil, http.StatusUnauthorized, false, nil},
		{"wrong role", signedIn(custodyReq("application/json", `{"a":1}`), "u2", "mash helpline"), nil, http.StatusForbidden, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &fakeCustody{receipt: receipt, err: tt.svcErr}
			if tt.svcErr != nil {
				svc.receipt = nil
			}
			resp, err := Handle(SubmitCustodyRequest(svc))(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.wantStatus, resp.Body)
			}
			if svc.called != tt.wantCalled {
				t.Errorf("service called %v, want %v", svc.called, tt.wantCalled)
			}
			if resp.StatusCode == http.StatusAccepted {
				if resp.Headers["Content-Type"] != "application/json" || resp.Headers["Cache-Control"] != "no-store" {
					t.Errorf("headers %v", resp.Headers)
				}
				var got custody.Receipt
				if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
					t.Fatal(err)
				}
				if got.ID != receipt.ID || got.Reference != receipt.Reference || len(got.FollowUps) != 1 ||
					got.FollowUps[0].Kind != followup.KindAppropriateAdult || !got.FollowUps[0].DueAt.Equal(at.Add(2*time.Hour)) {
					t.Errorf("receipt %s", resp.Body)
				}
				if svc.body != `{"a":1}` || svc.meta.Route != "POST /custody-requests" || svc.meta.RequestID != "req-42" ||
					svc.meta.Actor.IP != "192.0.2.7" || svc.meta.Actor.ID != "officer-1" || svc.meta.Actor.Role != "police" {
					t.Errorf("service got body %q meta %+v", svc.body, svc.meta)
				}
				return
			}
			if resp.Headers["Content-Type"] != ProblemContentType {
				t.Errorf("content type %q", resp.Headers["Content-Type"])
			}
			var p Problem
			if err := json.Unmarshal([]byte(resp.Body), &p); err != nil {
				t.Fatal(err)
			}
			if p.Status != tt.wantStatus || p.RequestID != "req-42" || !strings.HasPrefix(p.Type, "urn:frontdoor:problem:") {
				t.Errorf("problem %+v", p)
			}
			var fields []string
			for _, f := range p.Errors {
				fields = append(fields, f.Field)
			}
			if strings.Join(fields, ",") != strings.Join(tt.wantFields, ",") {
				t.Errorf("fields %q, want %q", fields, tt.wantFields)
			}
		})
	}
}
