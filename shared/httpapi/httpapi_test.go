package httpapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/deadline"
	"github.com/csc-frontdoor/frontdoor/shared/logging"
)

func TestStatus(t *testing.T) {
	tests := []struct {
		code apperr.Code
		want int
	}{
		{apperr.Invalid, 422}, {apperr.Malformed, 400}, {apperr.TooLarge, 413}, {apperr.Unsupported, 415},
		{apperr.NotFound, 404}, {apperr.Conflict, 409}, {apperr.Unauthorized, 401}, {apperr.Forbidden, 403},
		{apperr.TooMany, 429}, {apperr.Unavailable, 503}, {apperr.Internal, 500}, {apperr.Code("nonsense"), 500},
	}
	for _, tt := range tests {
		if got := Status(tt.code); got != tt.want {
			t.Errorf("Status(%s) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func req(contentType, body string, b64 bool) Request {
	r := Request{Body: body, IsBase64Encoded: b64, Headers: map[string]string{}}
	if contentType != "" {
		r.Headers["content-type"] = contentType
	}
	return r
}

func TestJSONBody(t *testing.T) {
	tests := []struct {
		name string
		req  Request
		max  int
		want apperr.Code // "" for success
		body string
	}{
		{"json", req("application/json", `{"a":1}`, false), 100, "", `{"a":1}`},
		{"json utf-8", req("application/json; charset=utf-8", `{}`, false), 100, "", `{}`},
		{"json UTF-8 upper", req("Application/JSON; charset=UTF-8", `{}`, false), 100, "", `{}`},
		{"base64", req("application/json", base64.StdEncoding.EncodeToString([]byte(`{"b":2}`)), true), 100, "", `{"b":2}`},
		{"bad base64", req("application/json", "%%%", true), 100, apperr.Malformed, ""},
		{"latin-1", req("application/json; charset=iso-8859-1", `{}`, false), 100, apperr.Unsupported, ""},
		{"text", req("text/plain", `{}`, false), 100, apperr.Unsupported, ""},
		{"no content type", req("", `{}`, false), 100, apperr.Unsupported, ""},
		{"garbage content type", req(";;;", `{}`, false), 100, apperr.Unsupported, ""},
		{"empty", req("application/json", "", false), 100, apperr.Malformed, ""},
		{"blank", req("application/json", " \n\t", false), 100, apperr.Malformed, ""},
		{"at limit", req("application/json", `"`+strings.Repeat("x", 98)+`"`, false), 100, "", `"` + strings.Repeat("x", 98) + `"`},
		{"over limit", req("application/json", `"`+strings.Repeat("x", 99)+`"`, false), 100, apperr.TooLarge, ""},
		{"over limit, wrong type: size first", req("text/plain", strings.Repeat("x", 101), false), 100, apperr.TooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := JSONBody(tt.req, tt.max)
			if tt.want == "" {
				if err != nil || string(body) != tt.body {
					t.Fatalf("got %q, %v; want %q", body, err, tt.body)
				}
				return
			}
			if got := apperr.CodeOf(err); got != tt.want {
				t.Fatalf("error %v has code %s, want %s", err, got, tt.want)
			}
		})
	}
}

func TestHeaderIgnoresCase(t *testing.T) {
	r := Request{Headers: map[string]string{"idempotency-key": "a", "X-Mixed": "b"}}
	if Header(r, "Idempotency-Key") != "a" || Header(r, "x-mixed") != "b" || Header(r, "missing") != "" {
		t.Fatal("Header does not match names case-insensitively")
	}
}

func TestHandleWritesProblems(t *testing.T) {
	fields := []apperr.FieldError{{Field: "children[0].nhsNumber", Message: "Enter 10 digits"}}
	tests := []struct {
		name   string
		err    error
		panics bool
		status int
		fields int
		leak   string // text that must not reach the caller
		retry  string // the Retry-After header wanted ("" for none)
	}{
		{"invalid with fields", apperr.WithFields("Check the referral", fields), false, 422, 1, "", ""},
		{"wrapped not found", errors.Join(errors.New("context"), apperr.New(apperr.NotFound, "No such referral")), false, 404, 0, "", ""},
		// Every 503 says when to try again: 2 s when the error does not say.
		{"unavailable hides cause", apperr.Wrap(errors.New("dial tcp 10.0.0.1: secret detail"), apperr.Unavailable, "Try again"), false, 503, 0, "secret detail", "2"},
		{"unavailable with a longer retry time", &apperr.Error{Code: apperr.Unavailable, Message: "Try again", RetryAfter: 30 * time.Second}, false, 503, 0, "", "30"},
		{"a dependency out of time", fmt.Errorf("put item: %w", context.DeadlineExceeded), false, 503, 0, "put item", "2"},
		{"too many, retry after whole seconds rounded up", &apperr.Error{Code: apperr.TooMany, Message: "Wait", RetryAfter: 90*time.Second + time.Millisecond}, false, 429, 0, "", "91"},
		{"unavailable with a retry time", fmt.Errorf("put: %w", &apperr.Error{Code: apperr.Unavailable, Message: "Try again", RetryAfter: 2 * time.Second}), false, 503, 0, "", "2"},
		{"plain error is internal", errors.New("boom at line 12"), false, 500, 0, "boom", ""},
		{"panic is internal", nil, true, 500, 0, "kaboom", ""},
		{"a response that cannot be encoded", nil, false, 500, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := Handle(func(ctx context.Context, r Request) (Response, error) {
				if tt.panics {
					panic("kaboom")
				}
				if tt.err == nil {
					// A time past year 9999 has no RFC 3339 form.
					return JSON(http.StatusOK, map[string]time.Time{"to": time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}), nil
				}
				return Response{}, tt.err
			})
			r := Request{RouteKey: "POST /referrals"}
			r.RequestContext.RequestID = "req-123"
			resp, err := h(context.Background(), r)
			if err != nil {
				t.Fatalf("Handle returned an error to Lambda: %v", err)
			}
			if resp.StatusCode != tt.status || resp.Headers["Content-Type"] != ProblemContentType {
				t.Fatalf("status %d content type %q, want %d problem+json", resp.StatusCode, resp.Headers["Content-Type"], tt.status)
			}
			var p Problem
			if err := json.Unmarshal([]byte(resp.Body), &p); err != nil {
				t.Fatal(err)
			}
			if p.Status != tt.status || p.Title != http.StatusText(tt.status) || p.Detail == "" || p.RequestID != "req-123" || len(p.Errors) != tt.fields {
				t.Errorf("problem %+v", p)
			}
			if tt.leak != "" && strings.Contains(resp.Body, tt.leak) {
				t.Errorf("response leaks %q: %s", tt.leak, resp.Body)
			}
			if got, ok := resp.Headers["Retry-After"]; got != tt.retry || ok != (tt.retry != "") {
				t.Errorf("Retry-After %q (set %v), want %q", got, ok, tt.retry)
			}
		})
	}
}

func TestHandlePassesSuccess(t *testing.T) {
	h := Handle(func(ctx context.Context, r Request) (Response, error) {
		return JSON(http.StatusAccepted, map[string]string{"id": "x"}), nil
	})
	resp, _ := h(context.Background(), Request{})
	if resp.StatusCode != 202 || resp.Body != `{"id":"x"}` || resp.Headers["Cache-Control"] != "no-store" {
		t.Fatalf("unexpected response %+v", resp)
	}
}

// TestEveryInternalErrorIsLogged: each 500 is one ERROR line with the
// request id, whatever made it.
func TestEveryInternalErrorIsLogged(t *testing.T) {
	for name, h := range map[string]HandlerFunc{
		"an error": func(context.Context, Request) (Response, error) { return Response{}, errors.New("boom") },
		"a panic":  func(context.Context, Request) (Response, error) { panic("kaboom") },
		"unencoded": func(context.Context, Request) (Response, error) {
			return JSON(200, map[string]any{"c": make(chan int)}), nil
		},
	} {
		var buf bytes.Buffer
		prev := slog.Default()
		slog.SetDefault(logging.New(&buf, "INFO"))
		r := Request{RouteKey: "GET /stats"}
		r.RequestContext.RequestID = "req-500"
		resp, _ := Handle(h)(context.Background(), r)
		slog.SetDefault(prev)
		if resp.StatusCode != 500 || !strings.Contains(resp.Body, `"requestId":"req-500"`) || !strings.Contains(resp.Body, `"type":"urn:frontdoor:problem:internal"`) {
			t.Errorf("%s: %d %s", name, resp.StatusCode, resp.Body)
		}
		if n := strings.Count(buf.String(), `"level":"ERROR"`); n != 1 || !strings.Contains(buf.String(), "req-500") {
			t.Errorf("%s: %d ERROR lines with the request id, want 1:\n%s", name, n, buf.String())
		}
	}
}

// A handler whose dependency never answers gives up Margin before the
// function's deadline, and the caller gets a 503 to retry, in time.
func TestHandleGivesUpBeforeTheDeadline(t *testing.T) {
	end := time.Now().Add(deadline.Margin + 200*time.Millisecond)
	ctx, cancel := context.WithDeadline(context.Background(), end)
	defer cancel()
	h := Handle(func(ctx context.Context, r Request) (Response, error) {
		<-ctx.Done() // a database that does not answer
		return Response{}, fmt.Errorf("get item: %w", ctx.Err())
	})
	resp, err := h(ctx, Request{RouteKey: "POST /referrals"})
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Headers["Retry-After"] == "" {
		t.Fatalf("%d %v %v", resp.StatusCode, resp.Headers, err)
	}
	if !time.Now().Before(end) {
		t.Error("answered only after the function's deadline")
	}
}
