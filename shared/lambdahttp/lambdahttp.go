// Package lambdahttp runs a net/http handler tree on AWS Lambda behind an
// API Gateway HTTP API (payload format 2.0). It is the one place where an
// events.APIGatewayV2HTTPRequest becomes an *http.Request and what the
// handler wrote becomes an events.APIGatewayV2HTTPResponse, so that pages
// can be written, and tested, as ordinary net/http handlers.
//
// The request a handler sees is the one net/http's server would have given
// it for the same HTTP request: r.URL holds the path (decoded, with RawPath
// as sent) and the query only, the Host header is in r.Host, the cookies
// API Gateway moves out of the headers are back in one Cookie header, and
// the body is decoded. r.TLS is set when the client used HTTPS, as told by
// X-Forwarded-Proto.
//
// The response is buffered and sent whole. Set-Cookie headers go in the
// event's cookies field, as payload 2.0 wants; bodies that are not text go
// base64-encoded. A panicking handler gets a 500 page, one log line, and no
// error to Lambda, which would otherwise make API Gateway answer with its
// own.
//
// With a named (not $default) stage, API Gateway puts the stage name at the
// start of rawPath; the adapter passes the path on as it is.
package lambdahttp

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/csc-frontdoor/frontdoor/shared/deadline"
	"github.com/csc-frontdoor/frontdoor/shared/logging"
)

// DefaultMaxResponseBytes is the default of MaxResponseBytes: Lambda's limit
// on a synchronous invocation's response (6 MiB).
const DefaultMaxResponseBytes = 6 << 20

// ProblemMessage is the text of the page a handler's panic, or a response
// too large to return, is answered with.
const ProblemMessage = "Sorry, there is a problem with the service"

// Option changes how Handler adapts.
type Option func(*config)

type config struct {
	maxResponseBytes int
}

// MaxResponseBytes sets the largest response Handler returns to Lambda,
// counted as Lambda counts it: the JSON document, with the body as encoded
// (base64 for binary bodies) and escaped. A larger response is replaced by a
// 500 page and logged, rather than failing the invocation, which would make
// API Gateway answer with a 500 of its own and leave nothing in the logs to
// say why. The default is DefaultMaxResponseBytes; n <= 0 means the default.
func MaxResponseBytes(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxResponseBytes = n
		}
	}
}

// Handler adapts h to a Lambda handler for HTTP API payload 2.0 events. It
// never returns an error: requests that cannot be built (a path that is not
// validly escaped, a body that is not valid base64, an invalid method) are
// answered 400 without calling h, and a panic in h is answered 500.
//
// The request's context is ctx, carrying the event (see Event and RequestID)
// and the request id for logging (logging.WithRequestID).
func Handler(h http.Handler, opts ...Option) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	cfg := config{maxResponseBytes: DefaultMaxResponseBytes}
	for _, o := range opts {
		o(&cfg)
	}
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		ctx = logging.WithRequestID(ctx, ev.RequestContext.RequestID)
		// The handler gives up a second before the function would be
		// stopped, so that it can still answer "try again".
		ctx, cancel := deadline.Reserve(ctx)
		defer cancel()
		r, err := newRequest(ctx, ev)
		if err != nil {
			slog.WarnContext(ctx, "request refused", "method", ev.RequestContext.HTTP.Method, "path", ev.RawPath, "reason", err.Error())
			return badRequest(), nil
		}
		w := newResponseWriter()
		if !serve(ctx, h, w, r) {
			return problem(), nil
		}
		resp := w.response(r.Method == http.MethodHead)
		if n := responseSize(resp); n > cfg.maxResponseBytes {
			slog.ErrorContext(ctx, "response too large for Lambda", "method", r.Method, "path", ev.RawPath,
				"status", resp.StatusCode, "size", n, "max", cfg.maxResponseBytes)
			return problem(), nil
		}
		return resp, nil
	}
}

// serve runs h, reporting false if it panicked (after logging the panic).
func serve(ctx context.Context, h http.Handler, w http.ResponseWriter, r *http.Request) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			ok = false
			if p == http.ErrAbortHandler {
				// net/http's way to abort a response on purpose: not logged.
				return
			}
			// The method and path only: the query, the headers and the
			// body may hold personal data.
			slog.ErrorContext(ctx, "panic in handler", "method", r.Method, "path", r.URL.EscapedPath(),
				"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	h.ServeHTTP(w, r)
	return true
}

type eventKey struct{}

// Event returns the API Gateway event r was built from, and whether there is
// one (false for a request that did not come through Handler). Handlers use
// it for what a request does not carry, such as the authorizer's claims.
func Event(r *http.Request) (events.APIGatewayV2HTTPRequest, bool) {
	ev, ok := r.Context().Value(eventKey{}).(*events.APIGatewayV2HTTPRequest)
	if !ok {
		return events.APIGatewayV2HTTPRequest{}, false
	}
	return *ev, true
}

// RequestID returns API Gateway's id of the request r was built from
// (requestContext.requestId), or "" for a request that did not come through
// Handler. It is the reference to log and to show on error pages.
func RequestID(r *http.Request) string {
	ev, ok := r.Context().Value(eventKey{}).(*events.APIGatewayV2HTTPRequest)
	if !ok {
		return ""
	}
	return ev.RequestContext.RequestID
}

// newRequest builds the request net/http's server would have built for ev.
func newRequest(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (*http.Request, error) {
	method := ev.RequestContext.HTTP.Method
	if method == "" {
		method = http.MethodGet
	}
	if !isToken(method) {
		return nil, fmt.Errorf("invalid method %q", method)
	}

	rawPath := ev.RawPath
	if rawPath == "" {
		rawPath = "/"
	}
	u, err := parsePath(rawPath)
	if err != nil {
		return nil, err
	}
	u.RawQuery = ev.RawQueryString
	requestURI := rawPath
	if ev.RawQueryString != "" {
		requestURI += "?" + ev.RawQueryString
	}

	body := []byte(ev.Body)
	if ev.IsBase64Encoded {
		if body, err = base64.StdEncoding.DecodeString(ev.Body); err != nil {
			return nil, errors.New("body is not valid base64")
		}
	}

	header := make(http.Header, len(ev.Headers)+1)
	for k, v := range ev.Headers {
		k = http.CanonicalHeaderKey(k)
		header[k] = append(header[k], v)
	}
	if len(ev.Cookies) > 0 {
		// Payload 2.0 moves the Cookie header into cookies, one a cookie.
		header["Cookie"] = []string{strings.Join(ev.Cookies, "; ")}
	}
	host := header.Get("Host")
	if host == "" {
		host = ev.RequestContext.DomainName
	}
	// As net/http's server does: the host is in r.Host, not in the headers.
	delete(header, "Host")

	proto, major, minor := "HTTP/1.1", 1, 1
	if p := ev.RequestContext.HTTP.Protocol; p != "" {
		if p == "HTTP/2" || p == "HTTP/3" {
			p += ".0"
		}
		if maj, min, ok := http.ParseHTTPVersion(p); ok {
			proto, major, minor = p, maj, min
		}
	}

	r := &http.Request{
		Method:        method,
		URL:           u,
		Proto:         proto,
		ProtoMajor:    major,
		ProtoMinor:    minor,
		Header:        header,
		Body:          http.NoBody,
		ContentLength: int64(len(body)),
		Host:          host,
		RequestURI:    requestURI,
	}
	if len(body) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	if ip := ev.RequestContext.HTTP.SourceIP; ip != "" {
		r.RemoteAddr = net.JoinHostPort(ip, "0")
	}
	if strings.EqualFold(strings.TrimSpace(header.Get("X-Forwarded-Proto")), "https") {
		r.TLS = &tls.ConnectionState{}
	}
	return r.WithContext(context.WithValue(ctx, eventKey{}, &ev)), nil
}

// parsePath turns an escaped path as API Gateway sends it (rawPath) into a
// URL whose Path is decoded and whose EscapedPath is rawPath.
func parsePath(rawPath string) (*url.URL, error) {
	if rawPath[0] != '/' {
		return nil, errors.New("path does not start with /")
	}
	for i := 0; i < len(rawPath); i++ {
		// Nothing a request line could carry in its path: no spaces or
		// control characters, and no query or fragment.
		if b := rawPath[i]; b <= ' ' || b == 0x7f || b == '?' || b == '#' {
			return nil, fmt.Errorf("invalid byte %#x in path", b)
		}
	}
	u, err := url.ParseRequestURI(rawPath)
	if err != nil {
		return nil, errors.New("path is not validly escaped")
	}
	return u, nil
}

// isToken reports whether s is an HTTP token (RFC 9110), as a method or a
// header name must be.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || !tokenChars[c] {
			return false
		}
	}
	return true
}

var tokenChars = func() (t [128]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// badRequest is the answer to an event no request can be built from.
func badRequest() events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{
		StatusCode: http.StatusBadRequest,
		Headers: map[string]string{
			"Content-Type":           "text/plain; charset=utf-8",
			"Cache-Control":          "no-store",
			"X-Content-Type-Options": "nosniff",
		},
		Body: "400 Bad Request",
	}
}

// problem is the answer when the handler panicked.
func problem() events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{
		StatusCode: http.StatusInternalServerError,
		Headers: map[string]string{
			"Content-Type":           "text/html; charset=utf-8",
			"Cache-Control":          "no-store",
			"X-Content-Type-Options": "nosniff",
		},
		Body: problemPage,
	}
}

const problemPage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>` + ProblemMessage + `</title></head>
<body><h1>` + ProblemMessage + `</h1><p>Try again later.</p></body>
</html>
`
