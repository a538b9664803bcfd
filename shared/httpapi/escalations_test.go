package httpapi

import (
	"context"
	"net/http"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/escalation"
)

// fakeEscalations records who asked.
type fakeEscalations struct {
	called bool
	req    audit.Request
	q      escalation.Query
	body   string
}

func (f *fakeEscalations) List(_ context.Context, q escalation.Query, req audit.Request) (*escalation.Page, error) {
	f.called, f.req, f.q = true, req, q
	return &escalation.Page{Items: []escalation.Escalation{}}, nil
}

func (f *fakeEscalations) Acknowledge(_ context.Context, id string, body []byte, req audit.Request) (*escalation.Escalation, error) {
	f.called, f.req, f.body = true, req, string(body)
	return &escalation.Escalation{ID: id, Status: escalation.StatusAcknowledged}, nil
}

// Only the MASH manager reaches the escalations, whatever the HTTP API let
// through.
func TestEscalationRoutesCheckTheRoleAgain(t *testing.T) {
	routes := []struct {
		key     string
		handler func(Escalations) HandlerFunc
		body    string
		query   map[string]string
	}{
		{"GET /escalations", ListEscalations, "", map[string]string{"status": "acknowledged"}},
		{"POST /escalations/{id}/acknowledgements", AcknowledgeEscalation, `{"note":"seen"}`, nil},
	}
	callers := []struct {
		name, sub, scope string
		signedIn         bool
		want             int
	}{
		{"manager", "m1", "mash-manager", true, http.StatusOK},
		{"manager and screener", "m2", "mash mash-manager", true, http.StatusOK},
		{"screener", "s1", "mash", true, http.StatusForbidden},
		{"provider", "r1", "provider-rhi", true, http.StatusForbidden},
		{"not signed in", "", "", false, http.StatusUnauthorized},
	}
	for _, rt := range routes {
		for _, c := range callers {
			t.Run(rt.key+" as "+c.name, func(t *testing.T) {
				r := req("application/json", rt.body, false)
				r.RouteKey = rt.key
				r.QueryStringParameters = rt.query
				r.PathParameters = map[string]string{"id": "abc"}
				r.RequestContext.HTTP.SourceIP = "192.0.2.7"
				if c.signedIn {
					r = signedIn(r, c.sub, c.scope)
				}
				svc := &fakeEscalations{}
				resp, _ := Handle(rt.handler(svc))(context.Background(), r)
				if resp.StatusCode != c.want {
					t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.want, resp.Body)
				}
				if svc.called != (c.want == http.StatusOK) {
					t.Fatalf("service called %v", svc.called)
				}
				if svc.called && (svc.req.Actor.ID != c.sub || svc.req.Actor.Role != "mash-manager" || svc.req.Actor.IP != "192.0.2.7" || svc.req.Route != rt.key) {
					t.Errorf("request %+v", svc.req)
				}
				if svc.called && rt.query != nil && svc.q.Status != escalation.StatusAcknowledged {
					t.Errorf("query %+v", svc.q)
				}
				if svc.called && rt.body != "" && svc.body != rt.body {
					t.Errorf("body %q", svc.body)
				}
			})
		}
	}
}
