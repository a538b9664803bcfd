package apigw

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/csc-frontdoor/frontdoor/infra/lambdart"
)

// recorder is an Invoker that records the event and answers with reply.
type recorder struct {
	function string
	event    events.APIGatewayV2HTTPRequest
	reply    []byte
	err      error
}

func (r *recorder) Invoke(_ context.Context, function string, payload []byte) ([]byte, error) {
	r.function = function
	if err := json.Unmarshal(payload, &r.event); err != nil {
		return nil, err
	}
	return r.reply, r.err
}

var routes = []Route{
	{Method: "POST", Path: "/referrals", Function: "Submit"},
	{Method: "GET", Path: "/referrals/{id}", Function: "Get"},
	{Method: "GET", Path: "/referrals/queue", Function: "Queue"},
	{Method: "ANY", Path: "/static/{proxy+}", Function: "Static"},
	{Method: "GET", Path: "/", Function: "Home"},
}

func gateway(t *testing.T, inv Invoker, log *bytes.Buffer) *Gateway {
	t.Helper()
	opts := Options{}
	if log != nil {
		opts.Log = slog.New(slog.NewJSONHandler(log, nil))
	}
	g, err := New(routes, inv, opts)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestRouting(t *testing.T) {
	tests := []struct {
		method, path string
		function     string
		params       map[string]string
	}{
		{"POST", "/referrals", "Submit", nil},
		{"GET", "/referrals/01J0ABC", "Get", map[string]string{"id": "01J0ABC"}},
		{"GET", "/referrals/queue", "Queue", nil},
		{"GET", "/static/css/app.css", "Static", map[string]string{"proxy": "css/app.css"}},
		{"DELETE", "/static/x", "Static", map[string]string{"proxy": "x"}},
		{"GET", "/", "Home", nil},
		{"GET", "/referrals", "", nil},
		{"POST", "/referrals/01J0ABC", "", nil},
		{"GET", "/referrals/a/b", "", nil},
		{"GET", "/static", "", nil},
		{"GET", "/nowhere", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := &recorder{reply: []byte(`{"statusCode":204}`)}
			w := httptest.NewRecorder()
			gateway(t, rec, nil).ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
			if tt.function == "" {
				if w.Code != http.StatusNotFound || rec.function != "" {
					t.Fatalf("status %d, function %q; want 404 and no invocation", w.Code, rec.function)
				}
				if got := w.Body.String(); got != `{"message":"Not Found"}` {
					t.Errorf("body %s", got)
				}
				return
			}
			if w.Code != http.StatusNoContent || rec.function != tt.function {
				t.Fatalf("status %d, function %q; want 204 from %s", w.Code, rec.function, tt.function)
			}
			if len(rec.event.PathParameters) != len(tt.params) {
				t.Fatalf("path parameters %v, want %v", rec.event.PathParameters, tt.params)
			}
			for k, v := range tt.params {
				if rec.event.PathParameters[k] != v {
					t.Errorf("path parameter %s = %q, want %q", k, rec.event.PathParameters[k], v)
				}
			}
		})
	}
}

func TestNewRejectsBadRoutes(t *testing.T) {
	for _, rs := range [][]Route{
		{{Method: "GET", Path: "nope", Function: "F"}},
		{{Method: "GET", Path: "/a", Function: "F"}, {Method: "get", Path: "/a", Function: "G"}},
	} {
		if _, err := New(rs, &recorder{}, Options{}); err == nil {
			t.Errorf("New(%v) accepted", rs)
		}
	}
}

func TestEventCarriesTheRequest(t *testing.T) {
	rec := &recorder{reply: []byte(`{"statusCode":202,"body":"{}"}`)}
	req := httptest.NewRequest("POST", "/referrals?a=1&a=2&b=x", strings.NewReader(`{"x":1}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "k1")
	req.Header.Add("Cookie", "s=1; t=2")
	w := httptest.NewRecorder()
	gateway(t, rec, nil).ServeHTTP(w, req)
	ev := rec.event
	if ev.Version != "2.0" || ev.RouteKey != "POST /referrals" || ev.RawPath != "/referrals" || ev.RawQueryString != "a=1&a=2&b=x" {
		t.Errorf("event %+v", ev)
	}
	if ev.Headers["idempotency-key"] != "k1" || ev.Headers["content-type"] != "application/json" {
		t.Errorf("headers %v: want lower-case keys", ev.Headers)
	}
	if ev.QueryStringParameters["a"] != "1,2" || ev.QueryStringParameters["b"] != "x" {
		t.Errorf("query %v", ev.QueryStringParameters)
	}
	if len(ev.Cookies) != 2 || ev.Cookies[0] != "s=1" || ev.Cookies[1] != "t=2" {
		t.Errorf("cookies %v", ev.Cookies)
	}
	if ev.Body != `{"x":1}` || ev.IsBase64Encoded {
		t.Errorf("body %q base64 %v; want the JSON as text", ev.Body, ev.IsBase64Encoded)
	}
	rc := ev.RequestContext
	if rc.RequestID == "" || rc.RequestID != w.Header().Get("Apigw-Requestid") || rc.HTTP.Method != "POST" || rc.HTTP.SourceIP == "" || rc.Stage != "$default" || rc.TimeEpoch == 0 {
		t.Errorf("request context %+v", rc)
	}
}

func TestBinaryBodyIsBase64(t *testing.T) {
	rec := &recorder{reply: []byte(`{"statusCode":200}`)}
	req := httptest.NewRequest("POST", "/referrals", bytes.NewReader([]byte{0, 1, 2}))
	req.Header.Set("Content-Type", "application/octet-stream")
	gateway(t, rec, nil).ServeHTTP(httptest.NewRecorder(), req)
	if !rec.event.IsBase64Encoded || rec.event.Body != base64.StdEncoding.EncodeToString([]byte{0, 1, 2}) {
		t.Errorf("body %q base64 %v", rec.event.Body, rec.event.IsBase64Encoded)
	}
}

func TestResponses(t *testing.T) {
	tests := []struct {
		name    string
		reply   string
		err     error
		status  int
		body    string
		headers map[string]string
	}{
		{"full", `{"statusCode":202,"headers":{"Content-Type":"application/problem+json","Location":"/x"},"body":"{\"a\":1}"}`, nil, 202, `{"a":1}`, map[string]string{"Content-Type": "application/problem+json", "Location": "/x"}},
		{"cookies", `{"statusCode":200,"cookies":["a=1","b=2"],"body":"ok","headers":{"content-type":"text/plain"}}`, nil, 200, "ok", map[string]string{"Set-Cookie": "a=1"}},
		{"base64", `{"statusCode":200,"isBase64Encoded":true,"body":"aGk=","headers":{"content-type":"text/plain"}}`, nil, 200, "hi", nil},
		{"no status code", `{"hello":"world"}`, nil, 200, `{"hello":"world"}`, map[string]string{"Content-Type": "application/json"}},
		{"not JSON", `not json`, nil, 500, `{"message":"Internal Server Error"}`, nil},
		{"bad status", `{"statusCode":42}`, nil, 500, `{"message":"Internal Server Error"}`, nil},
		{"function error", ``, &lambdart.FunctionError{Type: "errorString", Message: "Jane Doe"}, 500, `{"message":"Internal Server Error"}`, nil},
		{"timeout", ``, lambdart.ErrTimeout, 500, `{"message":"Internal Server Error"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			rec := &recorder{reply: []byte(tt.reply), err: tt.err}
			w := httptest.NewRecorder()
			gateway(t, rec, &log).ServeHTTP(w, httptest.NewRequest("POST", "/referrals", nil))
			if w.Code != tt.status || w.Body.String() != tt.body {
				t.Fatalf("got %d %q, want %d %q", w.Code, w.Body.String(), tt.status, tt.body)
			}
			for k, v := range tt.headers {
				if got := w.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if strings.Contains(log.String(), "Jane Doe") {
				t.Errorf("a function's error message reached the log: %s", log.String())
			}
		})
	}
}

func TestOversizedBodyIs413WithoutInvoking(t *testing.T) {
	rec := &recorder{}
	w := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/referrals", bytes.NewReader(make([]byte, MaxBody+1)))
	req.Header.Set("Content-Type", "application/json")
	gateway(t, rec, nil).ServeHTTP(w, req)
	if w.Code != http.StatusRequestEntityTooLarge || rec.function != "" {
		t.Fatalf("status %d, function %q; want 413 and no invocation", w.Code, rec.function)
	}
}

func TestAccessLogHoldsNoContent(t *testing.T) {
	var log bytes.Buffer
	rec := &recorder{reply: []byte(`{"statusCode":202}`)}
	req := httptest.NewRequest("POST", "/referrals?name=Jane", strings.NewReader(`{"name":"Jane Doe"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Note", "Jane")
	gateway(t, rec, &log).ServeHTTP(httptest.NewRecorder(), req)
	line := log.String()
	if !strings.Contains(line, `"routeKey":"POST /referrals"`) || !strings.Contains(line, `"status":202`) {
		t.Errorf("access log %s lacks route key or status", line)
	}
	if strings.Contains(line, "Jane") {
		t.Errorf("access log holds request content: %s", line)
	}
}

// TestBodiesAsAnHTTPAPIPassesThem: text/*, JSON, XML and JavaScript bodies
// reach the function as text; every other body, a form post and a body
// without a Content-Type among them, base64-encoded, as in AWS.
func TestBodiesAsAnHTTPAPIPassesThem(t *testing.T) {
	tests := []struct {
		contentType string
		text        bool
	}{
		{"application/json", true},
		{"application/json; charset=utf-8", true},
		{"text/plain", true},
		{"text/csv; charset=utf-8", true},
		{"application/xml", true},
		{"application/javascript", true},
		{"application/x-www-form-urlencoded", false},
		{"multipart/form-data; boundary=x", false},
		{"application/problem+json", false},
		{"application/octet-stream", false},
		{"", false},
		{"not a media type;;", false},
	}
	for _, tt := range tests {
		if got := isText(tt.contentType); got != tt.text {
			t.Errorf("isText(%q) = %v, want %v", tt.contentType, got, tt.text)
		}
	}
}
