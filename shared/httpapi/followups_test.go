package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/followup/worklist"
	"github.com/csc-frontdoor/frontdoor/shared/page"
)

// fakeWork is a FollowUpWork that records its calls.
type fakeWork struct {
	called bool
	caller worklist.Caller
	query  worklist.Query
	id     string
	body   string
	err    error
}

func (f *fakeWork) List(_ context.Context, c worklist.Caller, q worklist.Query) (*worklist.List, error) {
	f.called, f.caller, f.query = true, c, q
	if f.err != nil {
		return nil, f.err
	}
	return &worklist.List{FollowUps: []worklist.View{{FollowUp: followup.FollowUp{ID: "FU-1", Version: 3}}}, Next: "n1"}, nil
}

func (f *fakeWork) Record(_ context.Context, c worklist.Caller, id string, body []byte) (*worklist.View, error) {
	f.called, f.caller, f.id, f.body = true, c, id, string(body)
	if f.err != nil {
		return nil, f.err
	}
	return &worklist.View{FollowUp: followup.FollowUp{ID: id, Status: followup.StatusAccepted, Version: 2}}, nil
}

func followUpsRoutes(svc FollowUpWork) func(context.Context, Request) (Response, error) {
	return Handle(Routes(map[string]HandlerFunc{
		"GET /follow-ups":              ListFollowUps(svc),
		"POST /follow-ups/{id}/events": RecordFollowUpEvent(svc),
	}))
}

func listReq(scope string, query map[string]string) Request {
	r := req("", "", false)
	r.RouteKey, r.QueryStringParameters = "GET /follow-ups", query
	r.RequestContext.RequestID = "req-7"
	if scope == "" {
		return r
	}
	return signedIn(r, "worker-1", scope)
}

func eventReq(scope, contentType, body string) Request {
	r := req(contentType, body, false)
	r.RouteKey, r.PathParameters = "POST /follow-ups/{id}/events", map[string]string{"id": "FU-RHI-REF-01KAQ3ZZ8Q7X3V4N5M6K7J8H9G-0"}
	r.RequestContext.RequestID = "req-8"
	r.RequestContext.HTTP.SourceIP = "192.0.2.9"
	if scope == "" {
		return r
	}
	return signedIn(r, "worker-1", scope)
}

func TestFollowUpRoutes(t *testing.T) {
	tests := []struct {
		name       string
		req        Request
		svcErr     error
		wantStatus int
		wantCalled bool
		wantFields []string
	}{
		{"list as the RHI service", listReq("provider-rhi", map[string]string{"status": "OPEN"}), nil, http.StatusOK, true, nil},
		{"list as the MASH manager", listReq("mash-manager", nil), nil, http.StatusOK, true, nil},
		{"list signed out", listReq("", nil), nil, http.StatusUnauthorized, false, nil},
		{"list as a screener", listReq("mash police", nil), nil, http.StatusForbidden, false, nil},
		{"list with a bad parameter", listReq("provider-aa", map[string]string{"limit": "500"}), nil, http.StatusBadRequest, false, []string{"limit"}},
		{"list with a forged cursor", listReq("provider-aa", map[string]string{"cursor": "xyz"}),
			&apperr.Error{Code: apperr.Malformed, Message: "bad", Fields: []apperr.FieldError{{Field: "cursor", Message: "bad"}}}, http.StatusBadRequest, true, []string{"cursor"}},
		{"event", eventReq("provider-rhi", "application/json", `{"type":"ACCEPT","version":1}`), nil, http.StatusOK, true, nil},
		{"event signed out", eventReq("", "application/json", `{}`), nil, http.StatusUnauthorized, false, nil},
		{"event by the MASH manager", eventReq("mash-manager", "application/json", `{}`), nil, http.StatusForbidden, false, nil},
		{"event not JSON", eventReq("provider-aa", "text/plain", `{}`), nil, http.StatusUnsupportedMediaType, false, nil},
		{"event too large", eventReq("provider-aa", "application/json", strings.Repeat(" ", followup.MaxEventBody+1)), nil, http.StatusRequestEntityTooLarge, false, nil},
		{"event on another service's follow-up", eventReq("provider-aa", "application/json", `{}`), apperr.New(apperr.NotFound, "no"), http.StatusNotFound, true, nil},
		{"stale version", eventReq("provider-rhi", "application/json", `{}`), followup.Changed(4), http.StatusConflict, true, nil},
		{"bad fields", eventReq("provider-rhi", "application/json", `{}`),
			apperr.WithFields("fix", []apperr.FieldError{{Field: "attempt.at", Message: "Enter when"}}), http.StatusUnprocessableEntity, true, []string{"attempt.at"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &fakeWork{err: tt.svcErr}
			resp, err := followUpsRoutes(svc)(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus || svc.called != tt.wantCalled {
				t.Fatalf("status %d called %v, want %d %v: %s", resp.StatusCode, svc.called, tt.wantStatus, tt.wantCalled, resp.Body)
			}
			if tt.wantStatus >= 400 {
				var p Problem
				if err := json.Unmarshal([]byte(resp.Body), &p); err != nil || resp.Headers["Content-Type"] != ProblemContentType {
					t.Fatalf("problem %s (%v)", resp.Body, err)
				}
				var got []string
				for _, f := range p.Errors {
					got = append(got, f.Field)
				}
				if !slices.Equal(got, tt.wantFields) {
					t.Errorf("fields %v, want %v", got, tt.wantFields)
				}
			}
		})
	}
}

func TestFollowUpRoutesPassTheCaller(t *testing.T) {
	svc := &fakeWork{}
	resp, _ := followUpsRoutes(svc)(context.Background(), listReq("provider-aa mash-manager", map[string]string{"overdue": "true"}))
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Body, `"next":"n1"`) || !strings.Contains(resp.Body, `"id":"FU-1"`) {
		t.Fatalf("list: %d %s", resp.StatusCode, resp.Body)
	}
	c := svc.caller
	if !slices.Equal(c.Roles, []auth.Role{auth.ProviderAA, auth.MASHManager}) || c.Actor.ID != "worker-1" || c.Route != "GET /follow-ups" || c.RequestID != "req-7" {
		t.Errorf("caller %+v", c)
	}
	if svc.query.Overdue == nil || !*svc.query.Overdue || svc.query.Limit != page.DefaultLimit {
		t.Errorf("query %+v", svc.query)
	}

	svc = &fakeWork{}
	resp, _ = followUpsRoutes(svc)(context.Background(), eventReq("provider-rhi", "application/json", `{"type":"ACCEPT","version":1}`))
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Body, `"version":2`) {
		t.Fatalf("event: %d %s", resp.StatusCode, resp.Body)
	}
	if svc.id != "FU-RHI-REF-01KAQ3ZZ8Q7X3V4N5M6K7J8H9G-0" || svc.body != `{"type":"ACCEPT","version":1}` ||
		svc.caller.Actor.IP != "192.0.2.9" || svc.caller.Actor.Role != "provider-rhi" || svc.caller.Route != "POST /follow-ups/{id}/events" {
		t.Errorf("record called with %q %q %+v", svc.id, svc.body, svc.caller)
	}
}
