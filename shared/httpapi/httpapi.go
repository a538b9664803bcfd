// Package httpapi translates API Gateway HTTP API events (payload format 2.0)
// into calls on the domain services and their results into responses. It is
// the one place where error codes become HTTP statuses, and where errors are
// written as RFC 9457 problem details.
package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/deadline"
	"github.com/csc-frontdoor/frontdoor/shared/logging"
)

// Request and Response are the HTTP API's payload format 2.0 events.
type (
	Request  = events.APIGatewayV2HTTPRequest
	Response = events.APIGatewayV2HTTPResponse
)

// HandlerFunc handles one request. It returns either a response or an error;
// Handle turns the error into a problem response.
type HandlerFunc func(ctx context.Context, req Request) (Response, error)

// statuses maps each error code to its HTTP status: the only such table.
var statuses = map[apperr.Code]int{
	apperr.Invalid:      http.StatusUnprocessableEntity,
	apperr.Malformed:    http.StatusBadRequest,
	apperr.TooLarge:     http.StatusRequestEntityTooLarge,
	apperr.Unsupported:  http.StatusUnsupportedMediaType,
	apperr.NotFound:     http.StatusNotFound,
	apperr.Conflict:     http.StatusConflict,
	apperr.Unauthorized: http.StatusUnauthorized,
	apperr.Forbidden:    http.StatusForbidden,
	apperr.TooMany:      http.StatusTooManyRequests,
	apperr.Unavailable:  http.StatusServiceUnavailable,
	apperr.Internal:     http.StatusInternalServerError,
}

// Status returns the HTTP status for an error code.
func Status(code apperr.Code) int {
	if s, ok := statuses[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem details object, with the list of field
// errors as the extension member "errors" and the request id to quote when
// asking for help.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Errors    []apperr.FieldError `json:"errors,omitempty"`
	RequestID string              `json:"requestId,omitempty"`
}

// DefaultRetryAfter is how long a 503 tells the caller to wait when the
// error says nothing of it: long enough for a dependency's blip to pass.
const DefaultRetryAfter = 2 * time.Second

// ProblemContentType is the media type of problem responses.
const ProblemContentType = "application/problem+json"

// Handle wraps h: it puts the request id into the context for logging, turns
// errors and panics into problem responses, and logs one line per request
// with the route and status only.
func Handle(h HandlerFunc) func(context.Context, Request) (Response, error) {
	return func(ctx context.Context, req Request) (resp Response, _ error) {
		ctx = logging.WithRequestID(ctx, req.RequestContext.RequestID)
		defer func() {
			if p := recover(); p != nil {
				// Logged once, by problem, as every 500 is.
				resp = problem(ctx, req, fmt.Errorf("panic in handler: %v", p))
			}
			slog.InfoContext(ctx, "request", "route", req.RouteKey, "status", resp.StatusCode)
		}()
		// The handler gives up a second before the function would be
		// stopped, so that a dependency that hangs gets a 503 to retry,
		// never a gateway error.
		work, cancel := deadline.Reserve(ctx)
		defer cancel()
		resp, err := h(work, req)
		if err == nil && resp.Body == encodeFailed {
			err = errors.New("the response could not be encoded as JSON")
		}
		if err != nil {
			resp = problem(ctx, req, err)
		}
		return resp, nil
	}
}

// problem turns err into a problem response. Internal details stay in the log.
func problem(ctx context.Context, req Request, err error) Response {
	e := apperr.As(err)
	switch {
	case e == nil && errors.Is(err, context.DeadlineExceeded):
		// A dependency that did not answer in the time there was.
		e = apperr.Wrap(err, apperr.Unavailable, "This took too long just now. Please try again.")
	case e == nil:
		e = apperr.Wrap(err, apperr.Internal, "Something went wrong on our side.")
	}
	if e.Code == apperr.Unavailable && e.RetryAfter <= 0 {
		c := *e
		c.RetryAfter = DefaultRetryAfter
		e = &c
	}
	status := Status(e.Code)
	if status >= 500 {
		slog.ErrorContext(ctx, "request failed", "route", req.RouteKey, "code", string(e.Code), "error", err)
	}
	p := Problem{
		Type:      "urn:frontdoor:problem:" + string(e.Code),
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    e.Message,
		Errors:    e.Fields,
		RequestID: req.RequestContext.RequestID,
	}
	resp := JSON(status, p)
	resp.Headers["Content-Type"] = ProblemContentType
	if e.RetryAfter > 0 {
		// Whole seconds, rounded up, so that a caller who waits as told
		// is not refused again.
		resp.Headers["Retry-After"] = strconv.FormatInt(int64((e.RetryAfter+time.Second-1)/time.Second), 10)
	}
	return resp
}

// encodeFailed is the body of a response JSON could not encode; Handle
// turns it into a problem document with the request id, and logs it.
const encodeFailed = `{"title":"Internal Server Error","status":500}`

// JSON returns a response with v as its JSON body.
func JSON(status int, v any) Response {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(encodeFailed)
	}
	return Response{
		StatusCode: status,
		Headers: map[string]string{
			"Content-Type":           "application/json",
			"Cache-Control":          "no-store",
			"X-Content-Type-Options": "nosniff",
		},
		Body: string(body),
	}
}

// Header returns the value of a request header, whatever the case of its name.
func Header(req Request, name string) string {
	if v, ok := req.Headers[strings.ToLower(name)]; ok {
		return v
	}
	for k, v := range req.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// JSONBody returns the body of a request that must carry JSON, checking in
// turn its size (413), its media type (415) and that it is not empty (400).
func JSONBody(req Request, maxBytes int) ([]byte, error) {
	body := []byte(req.Body)
	if req.IsBase64Encoded {
		var err error
		if body, err = base64.StdEncoding.DecodeString(req.Body); err != nil {
			return nil, apperr.Wrap(err, apperr.Malformed, "The request body could not be read.")
		}
	}
	if len(body) > maxBytes {
		return nil, apperr.New(apperr.TooLarge, "The request body is %d KiB; the most accepted is %d KiB.", (len(body)+1023)>>10, maxBytes>>10)
	}
	ct := Header(req, "Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		return nil, apperr.New(apperr.Unsupported, "Send the request body as JSON with the header Content-Type: application/json.")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, apperr.New(apperr.Unsupported, "Send the body in UTF-8 (Content-Type: application/json; charset=utf-8).")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, apperr.New(apperr.Malformed, "The request body is empty. Send a JSON object.")
	}
	return body, nil
}
