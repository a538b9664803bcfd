package httpapi

import (
	"context"
	"net/http"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// fakeReader is a ReferralReader that records who asked.
type fakeReader struct {
	called bool
	req    audit.Request
}

func (f *fakeReader) Referral(_ context.Context, id string, req audit.Request) (*casework.ReferralView, error) {
	f.called, f.req = true, req
	return &casework.ReferralView{Record: &referral.Record{ID: id}}, nil
}

func TestGetReferralChecksTheRoleAgain(t *testing.T) {
	tests := []struct {
		name, sub, scope string
		signedIn         bool
		want             int
		wantRole         string
	}{
		{"screener", "s1", "mash", true, http.StatusOK, "mash"},
		{"manager", "m1", "mash-manager", true, http.StatusOK, "mash-manager"},
		{"both roles: acts as screener", "m2", "mash-manager mash", true, http.StatusOK, "mash"},
		{"police", "p1", "police", true, http.StatusForbidden, ""},
		{"provider", "r1", "provider-rhi", true, http.StatusForbidden, ""},
		{"no roles", "x1", "", true, http.StatusForbidden, ""},
		{"not signed in", "", "", false, http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req("", "", false)
			r.RouteKey = "GET /referrals/{id}"
			r.PathParameters = map[string]string{"id": "01JA0000000000000000000000"}
			r.RequestContext.HTTP.SourceIP = "192.0.2.9"
			if tt.signedIn {
				r = signedIn(r, tt.sub, tt.scope)
			}
			svc := &fakeReader{}
			resp, _ := Handle(GetReferral(svc))(context.Background(), r)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.want, resp.Body)
			}
			if svc.called != (tt.want == http.StatusOK) {
				t.Fatalf("service called %v", svc.called)
			}
			if svc.called && (svc.req.Actor.ID != tt.sub || svc.req.Actor.Role != tt.wantRole || svc.req.Actor.IP != "192.0.2.9") {
				t.Errorf("audited actor %+v", svc.req.Actor)
			}
		})
	}
}

func TestRoutesPicksByRouteKey(t *testing.T) {
	h := Routes(map[string]HandlerFunc{
		"GET /a": func(context.Context, Request) (Response, error) { return JSON(200, "a"), nil },
		"GET /b": func(context.Context, Request) (Response, error) { return JSON(201, "b"), nil },
	})
	for key, want := range map[string]int{"GET /a": 200, "GET /b": 201, "POST /a": 404} {
		resp, _ := Handle(h)(context.Background(), Request{RouteKey: key})
		if resp.StatusCode != want {
			t.Errorf("%s: status %d, want %d", key, resp.StatusCode, want)
		}
	}
}
