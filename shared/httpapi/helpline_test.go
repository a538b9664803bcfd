package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
)

// fakeHelpline is a Helpline that records what it was asked.
type fakeHelpline struct {
	called   string
	body     string
	key      string
	params   map[string]string
	callID   string
	meta     audit.Request
	replayed bool
	err      error
}

func (f *fakeHelpline) Log(_ context.Context, body []byte, key string, meta audit.Request) (*helpline.Receipt, bool, error) {
	f.called, f.body, f.key, f.meta = "log", string(body), key, meta
	if f.err != nil {
		return nil, false, f.err
	}
	return &helpline.Receipt{ID: "01KAQ3ZJ8Q7X3V4N5M6K7J8H9G", Status: helpline.StatusLogged, Version: 1}, f.replayed, nil
}

func (f *fakeHelpline) List(_ context.Context, params map[string]string, meta audit.Request) (*helpline.Page, error) {
	f.called, f.params, f.meta = "list", params, meta
	if f.err != nil {
		return nil, f.err
	}
	return &helpline.Page{Calls: []helpline.Record{{ID: "01KAQ3ZJ8Q7X3V4N5M6K7J8H9G"}}, Next: "abc"}, nil
}

func (f *fakeHelpline) Escalate(_ context.Context, id string, body []byte, meta audit.Request) (*helpline.EscalationReceipt, bool, error) {
	f.called, f.callID, f.body, f.meta = "escalate", id, string(body), meta
	if f.err != nil {
		return nil, false, f.err
	}
	return &helpline.EscalationReceipt{Receipt: intake.Receipt{ID: "01KAQ40000000000000000000R", Reference: "7K3Q-9F2H"}, HelplineCallID: id}, f.replayed, nil
}

func helplineReq(route, scope, body string) Request {
	r := req("application/json", body, false)
	r.RouteKey = route
	r.RequestContext.RequestID = "req-7"
	r.RequestContext.HTTP.SourceIP = "192.0.2.9"
	if route == "POST /helpline-calls/{id}/referrals" {
		r.PathParameters = map[string]string{"id": "01KAQ3ZJ8Q7X3V4N5M6K7J8H9G"}
	}
	if route == "GET /helpline-calls" {
		r.Headers = map[string]string{}
		r.Body = ""
		r.QueryStringParameters = map[string]string{"safeguardingConcern": "true"}
	}
	if scope != "" {
		r = signedIn(r, "user-1", scope)
	}
	return r
}

// withKey adds an Idempotency-Key header, in lower case as the HTTP API
// passes headers.
func withKey(r Request, key string) Request {
	r.Headers["idempotency-key"] = key
	return r
}

func TestHelplineHandlers(t *testing.T) {
	const (
		logRoute  = "POST /helpline-calls"
		listRoute = "GET /helpline-calls"
		escRoute  = "POST /helpline-calls/{id}/referrals"
	)
	handlers := map[string]func(Helpline) HandlerFunc{
		logRoute: LogHelplineCall, listRoute: ListHelplineCalls, escRoute: EscalateHelplineCall,
	}
	tests := []struct {
		name       string
		req        Request
		svcErr     error
		replayed   bool
		wantStatus int
		wantCalled string
		wantRole   string
	}{
		{"log", helplineReq(logRoute, "helpline", `{"a":1}`), nil, false, http.StatusCreated, "log", "helpline"},
		{"log with a key", withKey(helplineReq(logRoute, "helpline", `{"a":1}`), "key-1"), nil, false, http.StatusCreated, "log", "helpline"},
		{"log: replayed", withKey(helplineReq(logRoute, "helpline", `{"a":1}`), "key-1"), nil, true, http.StatusCreated, "log", "helpline"},
		{"log: key used for another call", withKey(helplineReq(logRoute, "helpline", `{"a":1}`), "key-1"),
			apperr.WithFields("used", []apperr.FieldError{{Field: "Idempotency-Key", Message: "x"}}), false, http.StatusUnprocessableEntity, "log", "helpline"},
		{"log: manager may not", helplineReq(logRoute, "mash-manager", `{}`), nil, false, http.StatusForbidden, "", ""},
		{"log: police may not", helplineReq(logRoute, "police", `{}`), nil, false, http.StatusForbidden, "", ""},
		{"log: not signed in", helplineReq(logRoute, "", `{}`), nil, false, http.StatusUnauthorized, "", ""},
		{"log: not JSON", func() Request {
			r := helplineReq(logRoute, "helpline", `{}`)
			r.Headers["content-type"] = "text/plain"
			return r
		}(),
			nil, false, http.StatusUnsupportedMediaType, "", ""},
		{"log: over 32 KiB", helplineReq(logRoute, "helpline", strings.Repeat(" ", helpline.MaxBody+1)), nil, false, http.StatusRequestEntityTooLarge, "", ""},
		{"log: invalid", helplineReq(logRoute, "helpline", `{}`),
			apperr.WithFields("fix", []apperr.FieldError{{Field: "topics", Message: "Choose"}}), false, http.StatusUnprocessableEntity, "log", "helpline"},
		{"list: adviser", helplineReq(listRoute, "helpline", ""), nil, false, http.StatusOK, "list", "helpline"},
		{"list: manager", helplineReq(listRoute, "mash-manager", ""), nil, false, http.StatusOK, "list", "mash-manager"},
		{"list: screener may not", helplineReq(listRoute, "mash", ""), nil, false, http.StatusForbidden, "", ""},
		{"list: provider may not", helplineReq(listRoute, "provider-rhi", ""), nil, false, http.StatusForbidden, "", ""},
		{"list: bad cursor", helplineReq(listRoute, "helpline", ""),
			&apperr.Error{Code: apperr.Malformed, Message: "bad", Fields: []apperr.FieldError{{Field: "cursor", Message: "x"}}}, false, http.StatusBadRequest, "list", "helpline"},
		{"escalate", helplineReq(escRoute, "helpline", `{"referrer":{}}`), nil, false, http.StatusCreated, "escalate", "helpline"},
		{"escalate: replayed", helplineReq(escRoute, "helpline", `{"referrer":{}}`), nil, true, http.StatusCreated, "escalate", "helpline"},
		{"escalate: manager may not", helplineReq(escRoute, "mash-manager", `{}`), nil, false, http.StatusForbidden, "", ""},
		{"escalate: already escalated", helplineReq(escRoute, "helpline", `{}`), apperr.New(apperr.Conflict, "already"), false, http.StatusConflict, "escalate", "helpline"},
		{"escalate: no such call", helplineReq(escRoute, "helpline", `{}`), apperr.New(apperr.NotFound, "none"), false, http.StatusNotFound, "escalate", "helpline"},
		{"escalate: over 256 KiB", helplineReq(escRoute, "helpline", strings.Repeat(" ", intake.MaxBodyBytes+1)), nil, false, http.StatusRequestEntityTooLarge, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &fakeHelpline{err: tt.svcErr, replayed: tt.replayed}
			resp, err := Handle(handlers[tt.req.RouteKey](svc))(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.wantStatus, resp.Body)
			}
			if svc.called != tt.wantCalled {
				t.Fatalf("service called %q, want %q", svc.called, tt.wantCalled)
			}
			if tt.wantCalled != "" {
				m := svc.meta
				if m.Actor.ID != "user-1" || m.Actor.Role != tt.wantRole || m.Actor.IP != "192.0.2.9" || m.Route != tt.req.RouteKey || m.RequestID != "req-7" {
					t.Errorf("meta %+v", m)
				}
			}
			if resp.StatusCode >= 400 {
				if resp.Headers["Content-Type"] != ProblemContentType {
					t.Errorf("content type %q", resp.Headers["Content-Type"])
				}
				return
			}
			switch tt.wantCalled {
			case "log":
				if svc.body != `{"a":1}` {
					t.Errorf("body %q", svc.body)
				}
				if svc.key != Header(tt.req, "Idempotency-Key") {
					t.Errorf("key %q, want %q", svc.key, Header(tt.req, "Idempotency-Key"))
				}
				if got := resp.Headers["Idempotent-Replayed"]; (got == "true") != tt.replayed {
					t.Errorf("Idempotent-Replayed %q, want %v", got, tt.replayed)
				}
			case "list":
				if svc.params["safeguardingConcern"] != "true" {
					t.Errorf("params %v", svc.params)
				}
				var p helpline.Page
				if err := json.Unmarshal([]byte(resp.Body), &p); err != nil || len(p.Calls) != 1 || p.Next != "abc" {
					t.Errorf("page %s (%v)", resp.Body, err)
				}
			case "escalate":
				if svc.callID != "01KAQ3ZJ8Q7X3V4N5M6K7J8H9G" || svc.body != `{"referrer":{}}` {
					t.Errorf("escalated %q with %q", svc.callID, svc.body)
				}
				if resp.Headers["Location"] != "/referrals/01KAQ40000000000000000000R" {
					t.Errorf("location %q", resp.Headers["Location"])
				}
				if got := resp.Headers["Idempotent-Replayed"]; (got == "true") != tt.replayed {
					t.Errorf("Idempotent-Replayed %q, want %v", got, tt.replayed)
				}
				if !strings.Contains(resp.Body, `"helplineCallId":"01KAQ3ZJ8Q7X3V4N5M6K7J8H9G"`) || !strings.Contains(resp.Body, `"reference":"7K3Q-9F2H"`) {
					t.Errorf("receipt %s", resp.Body)
				}
			}
		})
	}
}

// TestHelplineRecordHidesTheEscalationSecret: the secret behind an
// escalation's idempotency key never leaves the service.
func TestHelplineRecordHidesTheEscalationSecret(t *testing.T) {
	b, err := json.Marshal(helpline.Page{Calls: []helpline.Record{{ID: "x", EscalationSecret: "s3cr3t-value"}}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "s3cr3t-value") || strings.Contains(string(b), "scalation") {
		t.Errorf("the secret is in %s", b)
	}
}
