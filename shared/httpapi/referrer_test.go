package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
)

// fakeReferrer is a ReferrerService that records its calls.
type fakeReferrer struct {
	statusReq   *referrer.Request
	addendumReq *referrer.AddendumRequest
	replayed    bool
	err         error
}

func (f *fakeReferrer) Status(_ context.Context, req referrer.Request) (*referrer.Status, error) {
	f.statusReq = &req
	if f.err != nil {
		return nil, f.err
	}
	return &referrer.Status{Reference: "7K3Q-9F2H", Status: referrer.StageWithMASH, Addenda: []referrer.Sent{}}, nil
}

func (f *fakeReferrer) AddAddendum(_ context.Context, req referrer.AddendumRequest) (*referrer.Receipt, bool, error) {
	f.addendumReq = &req
	if f.err != nil {
		return nil, false, f.err
	}
	return &referrer.Receipt{ID: "01KAQ3AAAAAAAAAAAAAAAAAAAA", Reference: "7K3Q-9F2H", ReceivedAt: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}, f.replayed, nil
}

func referrerReq(route, contentType, body string, headers map[string]string) Request {
	r := req(contentType, body, false)
	r.RouteKey = route
	r.PathParameters = map[string]string{"reference": "7k3q-9f2h"}
	r.RequestContext.RequestID = "req-7"
	r.RequestContext.HTTP.SourceIP = "198.51.100.4"
	for k, v := range headers {
		r.Headers[k] = v
	}
	return r
}

const (
	statusRoute   = "GET /referrer/referrals/{reference}"
	addendumRoute = "POST /referrer/referrals/{reference}/addenda"
)

func TestReferrerRoutes(t *testing.T) {
	notFound := apperr.New(apperr.NotFound, "We could not find a referral with that reference and receipt token. Check both against your receipt.")
	tests := []struct {
		name         string
		route        string
		req          Request
		svcErr       error
		replayed     bool
		wantStatus   int
		wantCalled   bool
		wantReplayed bool
	}{
		{"status", statusRoute, referrerReq(statusRoute, "", "", map[string]string{"receipt-token": "tok"}), nil, false, http.StatusOK, true, false},
		{"status, header name in other case", statusRoute, referrerReq(statusRoute, "", "", map[string]string{"Receipt-Token": "tok"}), nil, false, http.StatusOK, true, false},
		{"status not found", statusRoute, referrerReq(statusRoute, "", "", map[string]string{"receipt-token": "bad"}), notFound, false, http.StatusNotFound, true, false},
		{"status without token", statusRoute, referrerReq(statusRoute, "", "", nil),
			&apperr.Error{Code: apperr.Malformed, Message: "Send the token."}, false, http.StatusBadRequest, true, false},
		{"status, store down", statusRoute, referrerReq(statusRoute, "", "", map[string]string{"receipt-token": "tok"}),
			apperr.New(apperr.Unavailable, "later"), false, http.StatusServiceUnavailable, true, false},
		{"addendum", addendumRoute, referrerReq(addendumRoute, "application/json", `{"a":1}`, map[string]string{"receipt-token": "tok", "idempotency-key": "k1"}),
			nil, false, http.StatusCreated, true, false},
		{"addendum replayed", addendumRoute, referrerReq(addendumRoute, "application/json", `{"a":1}`, map[string]string{"receipt-token": "tok", "idempotency-key": "k1"}),
			nil, true, http.StatusCreated, true, true},
		{"addendum not found", addendumRoute, referrerReq(addendumRoute, "application/json", `{"a":1}`, map[string]string{"receipt-token": "bad"}),
			notFound, false, http.StatusNotFound, true, false},
		{"addendum invalid", addendumRoute, referrerReq(addendumRoute, "application/json", `{}`, map[string]string{"receipt-token": "tok"}),
			apperr.WithFields("fix", []apperr.FieldError{{Field: "information", Message: "Enter it."}}), false, http.StatusUnprocessableEntity, true, false},
		{"addendum too many", addendumRoute, referrerReq(addendumRoute, "application/json", `{}`, map[string]string{"receipt-token": "tok"}),
			apperr.New(apperr.Conflict, "phone"), false, http.StatusConflict, true, false},
		{"addendum not JSON", addendumRoute, referrerReq(addendumRoute, "text/plain", `{}`, map[string]string{"receipt-token": "tok"}),
			nil, false, http.StatusUnsupportedMediaType, false, false},
		{"addendum empty", addendumRoute, referrerReq(addendumRoute, "application/json", ``, map[string]string{"receipt-token": "tok"}),
			nil, false, http.StatusBadRequest, false, false},
		{"addendum too large", addendumRoute, referrerReq(addendumRoute, "application/json", strings.Repeat(" ", referrer.MaxBodyBytes+1), map[string]string{"receipt-token": "tok"}),
			nil, false, http.StatusRequestEntityTooLarge, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &fakeReferrer{err: tt.svcErr, replayed: tt.replayed}
			h := Handle(Routes(map[string]HandlerFunc{statusRoute: ReferralStatus(svc), addendumRoute: AddAddendum(svc)}))
			resp, err := h(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.wantStatus, resp.Body)
			}
			if got := resp.Headers["Idempotent-Replayed"] == "true"; got != tt.wantReplayed {
				t.Errorf("Idempotent-Replayed %v, want %v", got, tt.wantReplayed)
			}
			if resp.Headers["Cache-Control"] != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", resp.Headers["Cache-Control"])
			}
			var r *referrer.Request
			if svc.statusReq != nil {
				r = svc.statusReq
			}
			if svc.addendumReq != nil {
				r = &svc.addendumReq.Request
				if string(svc.addendumReq.Body) != tt.req.Body || svc.addendumReq.IdempotencyKey != tt.req.Headers["idempotency-key"] {
					t.Errorf("addendum request %+v", svc.addendumReq)
				}
			}
			if (r != nil) != tt.wantCalled {
				t.Fatalf("service called: %v, want %v", r != nil, tt.wantCalled)
			}
			if r == nil {
				return
			}
			wantToken := Header(tt.req, referrer.TokenHeader)
			if r.Reference != "7k3q-9f2h" || r.Token != wantToken || r.Actor != audit.Anonymous("198.51.100.4") ||
				r.Route != tt.route || r.RequestID != "req-7" {
				t.Errorf("request %+v", r)
			}
			if tt.wantStatus >= 400 {
				var p Problem
				if err := json.Unmarshal([]byte(resp.Body), &p); err != nil || p.Status != tt.wantStatus || resp.Headers["Content-Type"] != ProblemContentType {
					t.Errorf("problem %s (%v)", resp.Body, err)
				}
				if tt.svcErr == notFound && p.Detail != notFound.Message {
					t.Errorf("detail %q, want %q", p.Detail, notFound.Message)
				}
			}
		})
	}
}
