// Package apigw serves Lambda functions over HTTP as an API Gateway HTTP API
// does, with the version 2.0 payload format: it matches the request to a route
// from the template, checks the caller's token when the route has a JWT
// authorizer (signature, issuer, audience, expiry, scopes; 401 or 403 without
// invoking anything, as the HTTP API answers), turns the request into an
// events.APIGatewayV2HTTPRequest carrying the verified claims, invokes the
// route's function and writes its events.APIGatewayV2HTTPResponse back.
package apigw

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/csc-frontdoor/frontdoor/infra/lambdart"
)

// MaxBody is the largest request body an HTTP API accepts (10 MB).
const MaxBody = 10 << 20

// Invoker invokes one function by name with a JSON payload.
type Invoker interface {
	Invoke(ctx context.Context, function string, payload []byte) ([]byte, error)
}

// Route sends requests with Method (or "ANY") and a path matching Path (which
// may hold {name} segments and a final {name+}) to Function.
type Route struct {
	Method   string
	Path     string
	Function string
	// Authorizer checks the caller's token before the function runs; nil
	// for an open route.
	Authorizer *Authorizer
	// Scopes, when not empty, admit only tokens holding at least one of
	// them.
	Scopes []string
}

// Key is the route key, as API Gateway writes it: "POST /referrals".
func (r Route) Key() string { return r.Method + " " + r.Path }

// Options tune the gateway.
type Options struct {
	// Stage is reported in the request context; "$default" when empty.
	Stage string
	// Log receives one access-log line per request (never bodies, headers or
	// query strings). Nil discards.
	Log *slog.Logger
	// Now is the clock for request times and token validity; time.Now
	// when nil.
	Now func() time.Time
	// Leeway is the clock skew allowed on a token's exp, nbf and iat; zero
	// allows none.
	Leeway time.Duration
}

// Gateway is an http.Handler for a set of routes.
type Gateway struct {
	routes []compiled
	inv    Invoker
	opts   Options
}

type compiled struct {
	Route
	segs []string
}

// New returns a gateway for routes. More specific routes win over ones with
// parameters, as in API Gateway.
func New(routes []Route, inv Invoker, opts Options) (*Gateway, error) {
	if opts.Stage == "" {
		opts.Stage = "$default"
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	g := &Gateway{inv: inv, opts: opts}
	seen := map[string]bool{}
	for _, r := range routes {
		r.Method = strings.ToUpper(r.Method)
		if r.Method == "" {
			r.Method = "ANY"
		}
		if !strings.HasPrefix(r.Path, "/") {
			return nil, fmt.Errorf("apigw: route %q: path must start with /", r.Key())
		}
		if seen[r.Key()] {
			return nil, fmt.Errorf("apigw: route %q is defined twice", r.Key())
		}
		if a := r.Authorizer; a != nil && (a.Header == "" || a.Issuer == "" || len(a.Audience) == 0 || a.Keys == nil) {
			return nil, fmt.Errorf("apigw: route %q: authorizer %s needs a header, an issuer, an audience and keys", r.Key(), a.Name)
		}
		if r.Authorizer == nil && len(r.Scopes) > 0 {
			return nil, fmt.Errorf("apigw: route %q has scopes but no authorizer", r.Key())
		}
		seen[r.Key()] = true
		g.routes = append(g.routes, compiled{Route: r, segs: split(r.Path)})
	}
	sort.SliceStable(g.routes, func(i, j int) bool { return specificity(g.routes[i]) > specificity(g.routes[j]) })
	return g, nil
}

func split(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// specificity orders routes: more literal segments first, greedy last, and a
// named method before ANY.
func specificity(c compiled) int {
	s := 0
	for _, seg := range c.segs {
		switch {
		case strings.HasSuffix(seg, "+}"):
		case strings.HasPrefix(seg, "{"):
			s += 10
		default:
			s += 100
		}
	}
	s *= 2
	if c.Method != "ANY" {
		s++
	}
	return s
}

// match reports whether c matches method and path, with its path parameters.
func (c compiled) match(method string, segs []string) (map[string]string, bool) {
	if c.Method != "ANY" && c.Method != method {
		return nil, false
	}
	params := map[string]string{}
	for i, seg := range c.segs {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "+}") {
			if i >= len(segs) {
				return nil, false
			}
			params[seg[1:len(seg)-2]] = strings.Join(segs[i:], "/")
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			params[seg[1:len(seg)-1]] = segs[i]
			continue
		}
		if seg != segs[i] {
			return nil, false
		}
	}
	if len(segs) != len(c.segs) {
		return nil, false
	}
	if len(params) == 0 {
		params = nil
	}
	return params, true
}

func (g *Gateway) route(method, path string) (compiled, map[string]string, bool) {
	segs := split(path)
	for i := range segs {
		if u, err := url.PathUnescape(segs[i]); err == nil {
			segs[i] = u
		}
	}
	for _, c := range g.routes {
		if params, ok := c.match(method, segs); ok {
			return c, params, true
		}
	}
	return compiled{}, nil, false
}

// ServeHTTP handles one request.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := g.opts.Now()
	reqID := newRequestID(start)
	w.Header().Set("Apigw-Requestid", reqID)
	status, routeKey, deny := g.serve(w, r, reqID, start)
	attrs := []any{
		"requestId", reqID,
		"routeKey", routeKey,
		"method", r.Method,
		"status", status,
		"ms", g.opts.Now().Sub(start).Milliseconds(),
	}
	if deny != "" {
		attrs = append(attrs, "deny", deny)
	}
	g.opts.Log.Info("request", attrs...)
}

func plain(w http.ResponseWriter, status int, msg string) int {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"message":%q}`, msg)
	return status
}

// serve answers one request and returns its status, its route key and, for
// a request refused by the authorizer, why.
func (g *Gateway) serve(w http.ResponseWriter, r *http.Request, reqID string, now time.Time) (int, string, string) {
	c, params, ok := g.route(r.Method, r.URL.EscapedPath())
	if !ok {
		return plain(w, http.StatusNotFound, "Not Found"), "-", ""
	}
	var jwtCtx *events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription
	if c.Authorizer != nil {
		claims, scopes, d := g.authorize(r, c)
		if d != nil {
			reason := d.reason
			if reason == "" {
				reason = "no token"
			}
			return d.write(w), c.Key(), reason
		}
		jwtCtx = &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: scopes}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return plain(w, http.StatusBadRequest, "Bad Request"), c.Key(), ""
	}
	if len(body) > MaxBody {
		return plain(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large"), c.Key(), ""
	}
	ev := g.event(r, c, params, body, reqID, now)
	if jwtCtx != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: jwtCtx}
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return plain(w, http.StatusInternalServerError, "Internal Server Error"), c.Key(), ""
	}
	out, err := g.inv.Invoke(r.Context(), c.Function, payload)
	if err != nil {
		g.opts.Log.Error("invocation failed", "requestId", reqID, "function", c.Function, "error", lambdart.Describe(err))
		return plain(w, http.StatusInternalServerError, "Internal Server Error"), c.Key(), ""
	}
	return writeResponse(w, out), c.Key(), ""
}

func (g *Gateway) event(r *http.Request, c compiled, params map[string]string, body []byte, reqID string, now time.Time) events.APIGatewayV2HTTPRequest {
	headers := map[string]string{}
	var cookies []string
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, v := range vs {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[lk] = strings.Join(vs, ",")
	}
	headers["host"] = r.Host
	if len(body) > 0 || r.ContentLength >= 0 {
		headers["content-length"] = strconv.Itoa(len(body))
	}
	headers["x-forwarded-proto"] = "http"
	var query map[string]string
	if q := r.URL.Query(); len(q) > 0 {
		query = map[string]string{}
		for k, vs := range q {
			query[k] = strings.Join(vs, ",")
		}
	}
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	headers["x-forwarded-for"] = ip
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              c.Key(),
		RawPath:               r.URL.EscapedPath(),
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: query,
		PathParameters:        params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     c.Key(),
			AccountID:    "000000000000",
			Stage:        g.opts.Stage,
			RequestID:    reqID,
			APIID:        "local",
			DomainName:   r.Host,
			DomainPrefix: strings.Split(r.Host, ".")[0],
			Time:         now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      r.URL.Path,
				Protocol:  r.Proto,
				SourceIP:  ip,
				UserAgent: r.UserAgent(),
			},
		},
	}
	if len(body) > 0 {
		if isText(headers["content-type"]) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

// isText reports whether API Gateway passes a request body of this type as
// text. An HTTP API does so only for text/*, application/json,
// application/xml and application/javascript; every other body, a form post
// (application/x-www-form-urlencoded) and a body with no Content-Type among
// them, reaches the function base64-encoded.
func isText(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if contentType == "" || err != nil {
		return false
	}
	return strings.HasPrefix(mt, "text/") || mt == "application/json" || mt == "application/xml" || mt == "application/javascript"
}

// writeResponse writes the function's response. As in API Gateway, a
// response without a statusCode is taken as a 200 JSON body, and one that is
// not JSON at all is a 500.
func writeResponse(w http.ResponseWriter, out []byte) int {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(out, &probe); err != nil {
		if json.Valid(out) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(out)
			return http.StatusOK
		}
		return plain(w, http.StatusInternalServerError, "Internal Server Error")
	}
	if _, ok := probe["statusCode"]; !ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(out)
		return http.StatusOK
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode < 100 || resp.StatusCode > 599 {
		return plain(w, http.StatusInternalServerError, "Internal Server Error")
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			return plain(w, http.StatusInternalServerError, "Internal Server Error")
		}
		body = b
	}
	h := w.Header()
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		h.Add("Set-Cookie", c)
	}
	if h.Get("Content-Type") == "" && len(body) > 0 {
		h.Set("Content-Type", "application/json")
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
	return resp.StatusCode
}

func newRequestID(t time.Time) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s%x", strconv.FormatInt(t.UnixMilli(), 36), b)
}
