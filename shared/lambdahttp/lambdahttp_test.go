package lambdahttp

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/csc-frontdoor/frontdoor/shared/deadline"
	"github.com/csc-frontdoor/frontdoor/shared/logging"
)

const testHost = "a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com"

// event returns an event as API Gateway sends it for method and target
// (an escaped path with an optional query), over HTTPS.
func event(method, target string, mods ...func(*events.APIGatewayV2HTTPRequest)) events.APIGatewayV2HTTPRequest {
	path, query, _ := strings.Cut(target, "?")
	ev := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       "$default",
		RawPath:        path,
		RawQueryString: query,
		Headers: map[string]string{
			"accept":            "text/html",
			"host":              testHost,
			"user-agent":        "lambdahttp-test",
			"x-forwarded-for":   "192.0.2.10",
			"x-forwarded-port":  "443",
			"x-forwarded-proto": "https",
		},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:   "$default",
			AccountID:  "123456789012",
			Stage:      "$default",
			RequestID:  "oHth3TCRydZDew=",
			APIID:      "a1b2c3d4e5",
			DomainName: testHost,
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:   method,
				Path:     path,
				Protocol: "HTTP/1.1",
				SourceIP: "192.0.2.10",
			},
		},
	}
	for _, m := range mods {
		m(&ev)
	}
	return ev
}

func withHeader(k, v string) func(*events.APIGatewayV2HTTPRequest) {
	return func(ev *events.APIGatewayV2HTTPRequest) { ev.Headers[k] = v }
}

func withBody(body string, b64 bool) func(*events.APIGatewayV2HTTPRequest) {
	return func(ev *events.APIGatewayV2HTTPRequest) { ev.Body, ev.IsBase64Encoded = body, b64 }
}

// invoke runs h through the adapter with ev, failing on an error.
func invoke(t *testing.T, h http.Handler, ev events.APIGatewayV2HTTPRequest, opts ...Option) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := Handler(h, opts...)(context.Background(), ev)
	if err != nil {
		t.Fatalf("Handler returned an error: %v", err)
	}
	return resp
}

// body returns the response body as bytes, decoding base64.
func body(t *testing.T, resp events.APIGatewayV2HTTPResponse) []byte {
	t.Helper()
	if !resp.IsBase64Encoded {
		return []byte(resp.Body)
	}
	b, err := base64.StdEncoding.DecodeString(resp.Body)
	if err != nil {
		t.Fatalf("body is not base64: %v", err)
	}
	return b
}

// captureLog sends slog's default logger to a buffer until the test ends.
func captureLog(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(logging.New(&buf, "DEBUG"))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return &buf
}

func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for l := range strings.Lines(buf.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", l)
		}
		lines = append(lines, m)
	}
	return lines
}

// TestRequest checks the request a handler sees for an event.
func TestRequest(t *testing.T) {
	captureLog(t) // the refusals' warnings
	tests := []struct {
		name  string
		event events.APIGatewayV2HTTPRequest
		// check runs in the handler; nil means the handler must not run.
		check func(t *testing.T, r *http.Request)
		// status is the status wanted (200, what the handler answers, if 0).
		status int
	}{
		{
			name:  "method, proto, host and headers",
			event: event("GET", "/refer/start", withHeader("accept-language", "en-GB,en;q=0.9"), withHeader("x-multi", "a, b")),
			check: func(t *testing.T, r *http.Request) {
				if r.Method != "GET" || r.Proto != "HTTP/1.1" || r.ProtoMajor != 1 || r.ProtoMinor != 1 {
					t.Errorf("method %q proto %q %d.%d", r.Method, r.Proto, r.ProtoMajor, r.ProtoMinor)
				}
				if r.Host != testHost {
					t.Errorf("Host = %q", r.Host)
				}
				if _, ok := r.Header["Host"]; ok {
					t.Errorf("Host is in r.Header, as net/http's server never puts it")
				}
				if got := r.Header["Accept-Language"]; !slices.Equal(got, []string{"en-GB,en;q=0.9"}) {
					t.Errorf("Accept-Language = %q", got)
				}
				if got := r.Header["X-Multi"]; !slices.Equal(got, []string{"a, b"}) {
					t.Errorf("X-Multi = %q, want one value as API Gateway joined it", got)
				}
				if r.Header.Get("X-Forwarded-Proto") != "https" {
					t.Errorf("X-Forwarded-Proto = %q", r.Header.Get("X-Forwarded-Proto"))
				}
				if r.URL.Host != "" || r.URL.Scheme != "" {
					t.Errorf("URL %q is not origin-form as on a server", r.URL)
				}
				if r.RequestURI != "/refer/start" {
					t.Errorf("RequestURI = %q", r.RequestURI)
				}
				if r.Body != http.NoBody || r.ContentLength != 0 {
					t.Errorf("empty body: Body %T, ContentLength %d", r.Body, r.ContentLength)
				}
			},
		},
		{
			name: "host from domainName when no host header",
			event: event("GET", "/", func(ev *events.APIGatewayV2HTTPRequest) {
				delete(ev.Headers, "host")
				ev.RequestContext.DomainName = "refer.example.gov.uk"
			}),
			check: func(t *testing.T, r *http.Request) {
				if r.Host != "refer.example.gov.uk" {
					t.Errorf("Host = %q", r.Host)
				}
			},
		},
		{
			name: "cookies field becomes one Cookie header",
			event: event("GET", "/", func(ev *events.APIGatewayV2HTTPRequest) {
				ev.Cookies = []string{"draft=abc123", "seen=1", "theme=dark"}
			}),
			check: func(t *testing.T, r *http.Request) {
				if got := r.Header["Cookie"]; !slices.Equal(got, []string{"draft=abc123; seen=1; theme=dark"}) {
					t.Errorf("Cookie = %q", got)
				}
				for name, want := range map[string]string{"draft": "abc123", "seen": "1", "theme": "dark"} {
					c, err := r.Cookie(name)
					if err != nil || c.Value != want {
						t.Errorf("r.Cookie(%q) = %v, %v; want %q", name, c, err, want)
					}
				}
				if n := len(r.Cookies()); n != 3 {
					t.Errorf("%d cookies, want 3", n)
				}
			},
		},
		{
			name: "base64 form post",
			event: event("POST", "/refer/child",
				withHeader("content-type", "application/x-www-form-urlencoded"),
				withBody(base64.StdEncoding.EncodeToString([]byte("name=Test+Child&concern=a%26b+%C3%A9&csrf=tok&concern=second")), true)),
			check: func(t *testing.T, r *http.Request) {
				if r.ContentLength != int64(len("name=Test+Child&concern=a%26b+%C3%A9&csrf=tok&concern=second")) {
					t.Errorf("ContentLength = %d", r.ContentLength)
				}
				if err := r.ParseForm(); err != nil {
					t.Fatalf("ParseForm: %v", err)
				}
				if got := r.PostFormValue("name"); got != "Test Child" {
					t.Errorf("name = %q", got)
				}
				if got := r.PostForm["concern"]; !slices.Equal(got, []string{"a&b é", "second"}) {
					t.Errorf("concern = %q", got)
				}
				if got := r.PostFormValue("csrf"); got != "tok" {
					t.Errorf("csrf = %q", got)
				}
			},
		},
		{
			name:  "plain text body",
			event: event("POST", "/echo", withHeader("content-type", "text/plain"), withBody("hello, world", false)),
			check: func(t *testing.T, r *http.Request) {
				b, err := io.ReadAll(r.Body)
				if err != nil || string(b) != "hello, world" {
					t.Errorf("body %q, %v", b, err)
				}
				if r.ContentLength != 12 {
					t.Errorf("ContentLength = %d", r.ContentLength)
				}
				if err := r.Body.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			},
		},
		{
			name:   "bad base64 body",
			event:  event("POST", "/refer/child", withBody("bm90IGJhc2U2NA=!", true)),
			status: http.StatusBadRequest,
		},
		{
			name:  "repeated query keys",
			event: event("GET", "/search?a=1&a=2&b=x%20y&c"),
			check: func(t *testing.T, r *http.Request) {
				q := r.URL.Query()
				if !slices.Equal(q["a"], []string{"1", "2"}) || q.Get("b") != "x y" || !q.Has("c") {
					t.Errorf("query = %v", q)
				}
				if r.URL.RawQuery != "a=1&a=2&b=x%20y&c" {
					t.Errorf("RawQuery = %q", r.URL.RawQuery)
				}
				if r.RequestURI != "/search?a=1&a=2&b=x%20y&c" {
					t.Errorf("RequestURI = %q", r.RequestURI)
				}
			},
		},
		{
			name:  "escaped path",
			event: event("GET", "/a%2Fb/c%20d?x=1"),
			check: func(t *testing.T, r *http.Request) {
				if r.URL.Path != "/a/b/c d" {
					t.Errorf("Path = %q", r.URL.Path)
				}
				if r.URL.RawPath != "/a%2Fb/c%20d" || r.URL.EscapedPath() != "/a%2Fb/c%20d" {
					t.Errorf("RawPath = %q, EscapedPath = %q", r.URL.RawPath, r.URL.EscapedPath())
				}
				if r.RequestURI != "/a%2Fb/c%20d?x=1" {
					t.Errorf("RequestURI = %q", r.RequestURI)
				}
				if r.URL.RequestURI() != "/a%2Fb/c%20d?x=1" {
					t.Errorf("URL.RequestURI() = %q", r.URL.RequestURI())
				}
			},
		},
		{
			name:  "needlessly escaped path kept as sent",
			event: event("GET", "/%41b%2fc"),
			check: func(t *testing.T, r *http.Request) {
				if r.URL.Path != "/Ab/c" || r.URL.EscapedPath() != "/%41b%2fc" {
					t.Errorf("Path %q, EscapedPath %q", r.URL.Path, r.URL.EscapedPath())
				}
			},
		},
		{name: "bad escape in path", event: event("GET", "/a%zzb"), status: http.StatusBadRequest},
		{name: "truncated escape in path", event: event("GET", "/a%2"), status: http.StatusBadRequest},
		{name: "space in path", event: event("GET", "/a b"), status: http.StatusBadRequest},
		{name: "control character in path", event: event("GET", "/a\nb"), status: http.StatusBadRequest},
		{name: "path without slash", event: event("GET", "refer"), status: http.StatusBadRequest},
		{name: "invalid method", event: event("GE T", "/"), status: http.StatusBadRequest},
		{
			name:  "remote address",
			event: event("GET", "/"),
			check: func(t *testing.T, r *http.Request) {
				if r.RemoteAddr != "192.0.2.10:0" {
					t.Errorf("RemoteAddr = %q", r.RemoteAddr)
				}
			},
		},
		{
			name: "IPv6 remote address",
			event: event("GET", "/", func(ev *events.APIGatewayV2HTTPRequest) {
				ev.RequestContext.HTTP.SourceIP = "2001:db8::1"
			}),
			check: func(t *testing.T, r *http.Request) {
				if r.RemoteAddr != "[2001:db8::1]:0" {
					t.Errorf("RemoteAddr = %q", r.RemoteAddr)
				}
			},
		},
		{
			name:  "https sets TLS",
			event: event("GET", "/"),
			check: func(t *testing.T, r *http.Request) {
				if r.TLS == nil {
					t.Error("r.TLS is nil for X-Forwarded-Proto https")
				}
			},
		},
		{
			name:  "http leaves TLS nil",
			event: event("GET", "/", withHeader("x-forwarded-proto", "http")),
			check: func(t *testing.T, r *http.Request) {
				if r.TLS != nil {
					t.Error("r.TLS is set for X-Forwarded-Proto http")
				}
				if r.Header.Get("X-Forwarded-Proto") != "http" {
					t.Errorf("X-Forwarded-Proto = %q", r.Header.Get("X-Forwarded-Proto"))
				}
			},
		},
		{
			name: "HTTP/2",
			event: event("GET", "/", func(ev *events.APIGatewayV2HTTPRequest) {
				ev.RequestContext.HTTP.Protocol = "HTTP/2.0"
			}),
			check: func(t *testing.T, r *http.Request) {
				if r.Proto != "HTTP/2.0" || r.ProtoMajor != 2 || r.ProtoMinor != 0 {
					t.Errorf("proto %q %d.%d", r.Proto, r.ProtoMajor, r.ProtoMinor)
				}
			},
		},
		{
			name: "request id and event",
			event: event("GET", "/", func(ev *events.APIGatewayV2HTTPRequest) {
				ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
					JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
						Claims: map[string]string{"sub": "staff-1", "scope": "mash"},
					},
				}
			}),
			check: func(t *testing.T, r *http.Request) {
				if got := RequestID(r); got != "oHth3TCRydZDew=" {
					t.Errorf("RequestID = %q", got)
				}
				if got := logging.RequestID(r.Context()); got != "oHth3TCRydZDew=" {
					t.Errorf("logging.RequestID = %q", got)
				}
				ev, ok := Event(r)
				if !ok || ev.RequestContext.Authorizer == nil || ev.RequestContext.Authorizer.JWT.Claims["sub"] != "staff-1" {
					t.Errorf("Event = %+v, %v", ev.RequestContext.Authorizer, ok)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				called = true
				if tt.check == nil {
					t.Error("handler called")
					return
				}
				tt.check(t, r)
			})
			resp := invoke(t, h, tt.event)
			want := tt.status
			if want == 0 {
				want = http.StatusOK
			}
			if resp.StatusCode != want {
				t.Errorf("status %d, want %d (body %q)", resp.StatusCode, want, resp.Body)
			}
			if tt.check != nil && !called {
				t.Error("handler not called")
			}
		})
	}
}

// TestRequestOutsideAdapter checks the accessors on a request that did not
// come through Handler.
func TestRequestOutsideAdapter(t *testing.T) {
	r, _ := http.NewRequest("GET", "/", nil)
	if got := RequestID(r); got != "" {
		t.Errorf("RequestID = %q", got)
	}
	if _, ok := Event(r); ok {
		t.Error("Event reports an event")
	}
}

// TestContext checks that the Lambda context is the request's, its
// deadline brought forward by deadline.Margin for answering in time.
func TestContext(t *testing.T) {
	type key struct{}
	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), key{}, "lambda"), time.Minute)
	defer cancel()
	want, _ := ctx.Deadline()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(key{}) != "lambda" {
			t.Error("the Lambda context's values are lost")
		}
		if got, ok := r.Context().Deadline(); !ok || !got.Equal(want.Add(-deadline.Margin)) {
			t.Errorf("deadline %v, %v; want %v", got, ok, want.Add(-deadline.Margin))
		}
	})
	if _, err := Handler(h)(ctx, event("GET", "/")); err != nil {
		t.Fatal(err)
	}
}

// TestResponse checks the event made of what a handler writes.
func TestResponse(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	woff2 := []byte("wOF2\x00\x01\x00\x00\x00\x00\x1a\x2c\x00\x0a\x00\x00\x00\x00\x30\xd8\xff\xfe\x80")
	tests := []struct {
		name  string
		serve http.HandlerFunc
		want  func(t *testing.T, resp events.APIGatewayV2HTTPResponse)
	}{
		{
			name: "Set-Cookie headers go to cookies in order",
			serve: func(w http.ResponseWriter, r *http.Request) {
				http.SetCookie(w, &http.Cookie{Name: "draft", Value: "abc", Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
				http.SetCookie(w, &http.Cookie{Name: "seen", Value: "1"})
				w.Header().Add("Set-Cookie", "old=; Max-Age=0")
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				io.WriteString(w, "<p>ok</p>")
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				want := []string{"draft=abc; Path=/; HttpOnly; Secure; SameSite=Lax", "seen=1", "old=; Max-Age=0"}
				if !slices.Equal(resp.Cookies, want) {
					t.Errorf("cookies = %q, want %q", resp.Cookies, want)
				}
				for k := range resp.Headers {
					if strings.EqualFold(k, "Set-Cookie") {
						t.Errorf("Set-Cookie in headers: %q", resp.Headers[k])
					}
				}
				if len(resp.MultiValueHeaders) != 0 {
					t.Errorf("multiValueHeaders = %v", resp.MultiValueHeaders)
				}
				// And as Lambda sends it.
				b, _ := json.Marshal(resp)
				var m struct {
					Cookies []string          `json:"cookies"`
					Headers map[string]string `json:"headers"`
				}
				json.Unmarshal(b, &m)
				if !slices.Equal(m.Cookies, want) || m.Headers["Set-Cookie"] != "" {
					t.Errorf("JSON %s", b)
				}
			},
		},
		{
			name: "Set-Cookie under a non-canonical name",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header()["set-cookie"] = []string{"a=1"}
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if !slices.Equal(resp.Cookies, []string{"a=1"}) || len(resp.Headers) != 0 {
					t.Errorf("cookies %q headers %q", resp.Cookies, resp.Headers)
				}
			},
		},
		{
			name: "repeated header joined",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Add("Vary", "Accept-Encoding")
				w.Header().Add("Vary", "Cookie")
				w.Header().Set("X-Frame-Options", "DENY")
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.Headers["Vary"] != "Accept-Encoding, Cookie" || resp.Headers["X-Frame-Options"] != "DENY" {
					t.Errorf("headers = %q", resp.Headers)
				}
			},
		},
		{
			name: "header values cannot split",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header()["X-Note"] = []string{"a\r\nSet-Cookie: evil=1"}
				w.Header()["Bad Name"] = []string{"x"}
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.Headers["X-Note"] != "a  Set-Cookie: evil=1" || len(resp.Cookies) != 0 {
					t.Errorf("headers %q cookies %q", resp.Headers, resp.Cookies)
				}
				if _, ok := resp.Headers["Bad Name"]; ok {
					t.Error("invalid header name sent")
				}
			},
		},
		{
			name:  "status defaults to 200 on write",
			serve: func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") },
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.StatusCode != 200 || resp.Body != "hello" || resp.IsBase64Encoded {
					t.Errorf("%d %q %v", resp.StatusCode, resp.Body, resp.IsBase64Encoded)
				}
				if ct := resp.Headers["Content-Type"]; ct != "text/plain; charset=utf-8" {
					t.Errorf("sniffed Content-Type = %q", ct)
				}
			},
		},
		{
			name:  "status defaults to 200 with nothing written",
			serve: func(w http.ResponseWriter, r *http.Request) {},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.StatusCode != 200 || resp.Body != "" || resp.Headers["Content-Type"] != "" {
					t.Errorf("%d %q %q", resp.StatusCode, resp.Body, resp.Headers)
				}
			},
		},
		{
			name: "first status wins; headers as at WriteHeader",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Before", "1")
				w.WriteHeader(http.StatusTeapot)
				w.Header().Set("X-After", "1")
				w.WriteHeader(http.StatusOK)
				io.WriteString(w, "short and stout")
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.StatusCode != http.StatusTeapot || resp.Body != "short and stout" {
					t.Errorf("%d %q", resp.StatusCode, resp.Body)
				}
				if resp.Headers["X-Before"] != "1" || resp.Headers["X-After"] != "" {
					t.Errorf("headers %q", resp.Headers)
				}
			},
		},
		{
			name: "informational status dropped",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusEarlyHints)
				w.WriteHeader(http.StatusCreated)
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.StatusCode != http.StatusCreated {
					t.Errorf("status %d", resp.StatusCode)
				}
			},
		},
		{
			name: "no body on 204",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusNoContent)
				if _, err := io.WriteString(w, "x"); err != http.ErrBodyNotAllowed {
					t.Errorf("Write on 204: %v", err)
				}
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.StatusCode != 204 || resp.Body != "" || resp.Headers["Content-Type"] != "" {
					t.Errorf("%d %q %q", resp.StatusCode, resp.Body, resp.Headers)
				}
			},
		},
		{
			name:  "HTML sniffed",
			serve: func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<!DOCTYPE html><title>x</title>") },
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.Headers["Content-Type"] != "text/html; charset=utf-8" || resp.IsBase64Encoded {
					t.Errorf("%q %v", resp.Headers, resp.IsBase64Encoded)
				}
			},
		},
		{
			name: "empty Content-Type stops sniffing",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = nil
				io.WriteString(w, "<!DOCTYPE html>")
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if _, ok := resp.Headers["Content-Type"]; ok {
					t.Errorf("Content-Type = %q", resp.Headers["Content-Type"])
				}
			},
		},
		{
			name: "woff2 font is base64",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "font/woff2")
				w.Write(woff2)
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if !resp.IsBase64Encoded || !bytes.Equal(body(t, resp), woff2) {
					t.Errorf("base64 %v body %q", resp.IsBase64Encoded, resp.Body)
				}
				if resp.Headers["Content-Type"] != "font/woff2" {
					t.Errorf("Content-Type %q", resp.Headers["Content-Type"])
				}
			},
		},
		{
			name:  "sniffed PNG is base64",
			serve: func(w http.ResponseWriter, r *http.Request) { w.Write(png) },
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.Headers["Content-Type"] != "image/png" || !resp.IsBase64Encoded || !bytes.Equal(body(t, resp), png) {
					t.Errorf("%q base64 %v", resp.Headers, resp.IsBase64Encoded)
				}
			},
		},
		{
			name: "SVG is text",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "image/svg+xml")
				io.WriteString(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>Crown ©</title></svg>`)
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.IsBase64Encoded || !strings.Contains(resp.Body, "Crown ©") {
					t.Errorf("base64 %v body %q", resp.IsBase64Encoded, resp.Body)
				}
			},
		},
		{
			name: "CSS is text",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/css; charset=utf-8")
				io.WriteString(w, `.govuk-body::before { content: "→"; }`)
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.IsBase64Encoded || resp.Body != `.govuk-body::before { content: "→"; }` {
					t.Errorf("base64 %v body %q", resp.IsBase64Encoded, resp.Body)
				}
			},
		},
		{
			name: "JSON types are text",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/problem+json")
				io.WriteString(w, `{"status":400}`)
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.IsBase64Encoded || resp.Body != `{"status":400}` {
					t.Errorf("base64 %v body %q", resp.IsBase64Encoded, resp.Body)
				}
			},
		},
		{
			name: "JavaScript is text",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/javascript")
				io.WriteString(w, `export {}`)
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.IsBase64Encoded {
					t.Error("JavaScript sent base64")
				}
			},
		},
		{
			name: "text that is not UTF-8 is base64",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain; charset=iso-8859-1")
				w.Write([]byte("caf\xe9"))
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if !resp.IsBase64Encoded || string(body(t, resp)) != "caf\xe9" {
					t.Errorf("base64 %v body %q", resp.IsBase64Encoded, resp.Body)
				}
			},
		},
		{
			name: "redirect",
			serve: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/refer/check", http.StatusSeeOther)
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.StatusCode != http.StatusSeeOther || resp.Headers["Location"] != "/refer/check" {
					t.Errorf("%d %q", resp.StatusCode, resp.Headers)
				}
			},
		},
		{
			name: "relative redirect resolved against the path",
			serve: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "check", http.StatusFound)
			},
			want: func(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
				if resp.StatusCode != http.StatusFound || resp.Headers["Location"] != "/refer/check" {
					t.Errorf("%d %q", resp.StatusCode, resp.Headers)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want(t, invoke(t, tt.serve, event("GET", "/refer/child")))
		})
	}
}

// TestHead checks that HEAD gets GET's status and headers and no body.
func TestHead(t *testing.T) {
	page := "<!DOCTYPE html><html><body><h1>Make a referral</h1></body></html>"
	handlers := []struct {
		name  string
		serve http.HandlerFunc
		body  string
		// headBody is whether the handler writes a body for HEAD too, as
		// most do (http.Redirect does not).
		headBody bool
	}{
		{"page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-store")
			http.SetCookie(w, &http.Cookie{Name: "draft", Value: "abc"})
			io.WriteString(w, page)
		}, page, true},
		{"page with Content-Length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(page)))
			io.WriteString(w, page)
		}, page, true},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/refer/start", http.StatusSeeOther)
		}, "", false},
		{"empty", func(w http.ResponseWriter, r *http.Request) {}, "", true},
	}
	for _, hh := range handlers {
		t.Run(hh.name, func(t *testing.T) {
			get := invoke(t, hh.serve, event("GET", "/refer"))
			head := invoke(t, hh.serve, event("HEAD", "/refer"))
			if head.StatusCode != get.StatusCode {
				t.Errorf("HEAD status %d, GET %d", head.StatusCode, get.StatusCode)
			}
			if head.Body != "" || head.IsBase64Encoded {
				t.Errorf("HEAD body %q", head.Body)
			}
			if hh.body != "" && get.Body != hh.body {
				t.Errorf("GET body %q", get.Body)
			}
			wantLen := ""
			if n := len(body(t, get)); n > 0 && hh.headBody {
				wantLen = strconv.Itoa(n)
			}
			if got := head.Headers["Content-Length"]; got != wantLen {
				t.Errorf("HEAD Content-Length %q, want %q", got, wantLen)
			}
			// The same headers otherwise.
			delete(head.Headers, "Content-Length")
			delete(get.Headers, "Content-Length")
			if fmt.Sprint(head.Headers) != fmt.Sprint(get.Headers) || !slices.Equal(head.Cookies, get.Cookies) {
				t.Errorf("HEAD headers %q %q\n GET headers %q %q", head.Headers, head.Cookies, get.Headers, get.Cookies)
			}
		})
	}
}

// TestPanic checks that a panic is a 500 page and one log line that holds
// nothing personal.
func TestPanic(t *testing.T) {
	logs := captureLog(t)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Half-Done", "1")
		http.SetCookie(w, &http.Cookie{Name: "draft", Value: "abc"})
		io.WriteString(w, "partial page")
		var m map[string]int
		m["boom"]++ // a nil map: a runtime panic
	})
	ev := event("POST", "/refer/child/ID123?name=Secret+Querystring",
		withHeader("content-type", "application/x-www-form-urlencoded"),
		withHeader("x-secret-header", "SecretHeaderValue"),
		withBody(base64.StdEncoding.EncodeToString([]byte("name=Secret+Bodyname")), true),
		func(ev *events.APIGatewayV2HTTPRequest) { ev.Cookies = []string{"draft=SecretCookie"} })
	resp, err := Handler(h)(context.Background(), ev)
	if err != nil {
		t.Fatalf("error to Lambda: %v", err)
	}
	if resp.StatusCode != 500 {
		t.Errorf("status %d", resp.StatusCode)
	}
	if !strings.Contains(resp.Body, ProblemMessage) || strings.Contains(resp.Body, "partial") {
		t.Errorf("body %q", resp.Body)
	}
	if resp.Headers["Cache-Control"] != "no-store" || !strings.HasPrefix(resp.Headers["Content-Type"], "text/html") {
		t.Errorf("headers %q", resp.Headers)
	}
	if resp.Headers["X-Half-Done"] != "" || len(resp.Cookies) != 0 {
		t.Errorf("the panicking handler's headers sent: %q %q", resp.Headers, resp.Cookies)
	}

	lines := logLines(t, logs)
	if len(lines) != 1 {
		t.Fatalf("%d log lines, want 1:\n%s", len(lines), logs)
	}
	l := lines[0]
	if l["level"] != "ERROR" || l["path"] != "/refer/child/ID123" || l["method"] != "POST" || l["requestId"] != "oHth3TCRydZDew=" {
		t.Errorf("log line %v", l)
	}
	if p, _ := l["panic"].(string); !strings.Contains(p, "nil map") {
		t.Errorf("panic = %q", p)
	}
	for _, secret := range []string{"Secret", "Querystring", "Bodyname", "SecretCookie", "SecretHeaderValue"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log holds %q: %s", secret, logs)
		}
	}
}

// TestAbortHandler checks that http.ErrAbortHandler is a 500 without a log.
func TestAbortHandler(t *testing.T) {
	logs := captureLog(t)
	resp := invoke(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) }), event("GET", "/"))
	if resp.StatusCode != 500 || logs.Len() != 0 {
		t.Errorf("status %d, log %q", resp.StatusCode, logs)
	}
}

// TestBadRequestLog checks what a refused request logs: a warning with
// the reason, nothing of the body.
func TestBadRequestLog(t *testing.T) {
	logs := captureLog(t)
	resp := invoke(t, http.NotFoundHandler(), event("POST", "/x?q=SecretQuery", withBody("U2VjcmV0Qm9keQ=!", true)))
	if resp.StatusCode != 400 || resp.Headers["Cache-Control"] != "no-store" {
		t.Errorf("%d %q", resp.StatusCode, resp.Headers)
	}
	lines := logLines(t, logs)
	if len(lines) != 1 || lines[0]["level"] != "WARN" || strings.Contains(logs.String(), "Secret") || strings.Contains(logs.String(), "U2Vj") {
		t.Errorf("log %s", logs)
	}
}

// TestMaxResponseBytes checks that a response too large for Lambda is a 500
// page, not a failed invocation.
func TestMaxResponseBytes(t *testing.T) {
	logs := captureLog(t)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Header().Set("Content-Type", r.URL.Query().Get("type"))
		w.Write(bytes.Repeat([]byte(r.URL.Query().Get("b")), n))
	})
	tests := []struct {
		target string
		ok     bool
	}{
		{"/?n=500&b=a&type=text/plain", true},
		{"/?n=1000&b=a&type=text/plain", false},
		{"/?n=400&b=%22&type=text/plain", false}, // escaped in JSON, twice the size
		{"/?n=550&b=a&type=font/woff2", false},   // base64, 4/3 the size
	}
	for _, tt := range tests {
		resp := invoke(t, h, event("GET", tt.target), MaxResponseBytes(800))
		if ok := resp.StatusCode == 200; ok != tt.ok {
			t.Errorf("%s: status %d", tt.target, resp.StatusCode)
		}
		if !tt.ok && !strings.Contains(resp.Body, ProblemMessage) {
			t.Errorf("%s: body %q", tt.target, resp.Body)
		}
	}
	if n := len(logLines(t, logs)); n != 3 {
		t.Errorf("%d log lines, want 3:\n%s", n, logs)
	}
	// The estimate is never below what Lambda's runtime sends.
	resp := events.APIGatewayV2HTTPResponse{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "text/html; charset=utf-8", "X-A": "\"q\"\t\x01"},
		Body:       "<p class=\"x\">a\\b\u2028c\r\n\x00</p>",
		Cookies:    []string{"a=1", "b=\"2\""},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(resp)
	if est, got := responseSize(resp), buf.Len(); est < got || est > got+32 {
		t.Errorf("estimate %d for %d bytes: %s", est, got, buf.Bytes())
	}
}

// TestFileServer checks static assets through http.FileServerFS and
// http.ServeContent: conditional requests and ranges.
func TestFileServer(t *testing.T) {
	css := "body { color: #0b0c0c; }\n"
	font := []byte("wOF2\x00\x01\x00\x00\x00\x00\x1a\x2c\x00\x0a\x00\x00\x00\x00\x30\xd8\xff\xfe\x80\x00")
	modTime := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	fsys := fstest.MapFS{
		"app.css":           {Data: []byte(css), ModTime: modTime},
		"fonts/light.woff2": {Data: font, ModTime: modTime},
	}
	files := http.StripPrefix("/assets", http.FileServerFS(fsys))
	// The way assets are served: with an ETag, which ServeContent checks
	// If-None-Match against.
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1-`+strings.TrimPrefix(r.URL.Path, "/assets/")+`"`)
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		files.ServeHTTP(w, r)
	})
	tests := []struct {
		name    string
		event   events.APIGatewayV2HTTPRequest
		status  int
		body    []byte
		headers map[string]string
	}{
		{
			name: "css", event: event("GET", "/assets/app.css"), status: 200, body: []byte(css),
			headers: map[string]string{"Content-Type": "text/css; charset=utf-8", "Etag": `"v1-app.css"`, "Last-Modified": "Sun, 01 Nov 2026 09:00:00 GMT", "Accept-Ranges": "bytes"},
		},
		{
			name: "font", event: event("GET", "/assets/fonts/light.woff2"), status: 200, body: font,
			headers: map[string]string{"Content-Type": "font/woff2", "Content-Length": strconv.Itoa(len(font))},
		},
		{
			name: "If-None-Match", event: event("GET", "/assets/app.css", withHeader("if-none-match", `"v0-app.css", "v1-app.css"`)), status: 304,
			headers: map[string]string{"Etag": `"v1-app.css"`},
		},
		{
			name: "If-None-Match on HEAD", event: event("HEAD", "/assets/app.css", withHeader("if-none-match", `"v1-app.css"`)), status: 304,
		},
		{
			name: "If-None-Match stale", event: event("GET", "/assets/app.css", withHeader("if-none-match", `"v0-app.css"`)), status: 200, body: []byte(css),
		},
		{
			name: "If-Modified-Since", event: event("GET", "/assets/app.css", withHeader("if-modified-since", "Sun, 01 Nov 2026 09:00:00 GMT")), status: 304,
		},
		{
			name: "range", event: event("GET", "/assets/fonts/light.woff2", withHeader("range", "bytes=0-3")), status: 206, body: font[:4],
			headers: map[string]string{"Content-Range": fmt.Sprintf("bytes 0-3/%d", len(font)), "Content-Length": "4", "Content-Type": "font/woff2"},
		},
		{
			name: "If-Range with the ETag", event: event("GET", "/assets/app.css", withHeader("range", "bytes=5-"), withHeader("if-range", `"v1-app.css"`)), status: 206, body: []byte(css[5:]),
		},
		{
			name: "range not satisfiable", event: event("GET", "/assets/app.css", withHeader("range", "bytes=1000-")), status: 416,
			body: []byte("invalid range: failed to overlap\n"),
		},
		{
			name: "HEAD", event: event("HEAD", "/assets/fonts/light.woff2"), status: 200,
			headers: map[string]string{"Content-Length": strconv.Itoa(len(font)), "Content-Type": "font/woff2"},
		},
		{
			name: "missing", event: event("GET", "/assets/none.css"), status: 404, body: []byte("404 page not found\n"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := invoke(t, h, tt.event)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := body(t, resp); !bytes.Equal(got, tt.body) {
				t.Errorf("body %q, want %q", got, tt.body)
			}
			for k, v := range tt.headers {
				if resp.Headers[k] != v {
					t.Errorf("%s = %q, want %q", k, resp.Headers[k], v)
				}
			}
		})
	}
}

// TestMux runs a ServeMux with method and wildcard patterns end to end,
// from an event as API Gateway sends it in JSON.
func TestMux(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/refer/start", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /refer/{page}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "<h1>page %s</h1>", r.PathValue("page"))
	})
	mux.HandleFunc("POST /refer/{page}", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("draft")
		if err != nil {
			http.Error(w, "no draft", http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "page %s draft %s answer %s", r.PathValue("page"), c.Value, r.PostFormValue("answer"))
	})
	mux.HandleFunc("GET /docs/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "docs") })
	handler := http.NewCrossOriginProtection().Handler(mux)

	form := base64.StdEncoding.EncodeToString([]byte(url.Values{"answer": {"Yes & no"}}.Encode()))
	post := `{
  "version": "2.0",
  "routeKey": "$default",
  "rawPath": "/refer/child",
  "rawQueryString": "",
  "cookies": ["draft=d-42", "other=x"],
  "headers": {
    "content-type": "application/x-www-form-urlencoded",
    "content-length": "` + strconv.Itoa(len("answer=Yes+%26+no")) + `",
    "host": "` + testHost + `",
    "origin": "https://` + testHost + `",
    "sec-fetch-site": "same-origin",
    "x-forwarded-for": "192.0.2.10",
    "x-forwarded-port": "443",
    "x-forwarded-proto": "https"
  },
  "requestContext": {
    "accountId": "123456789012",
    "apiId": "a1b2c3d4e5",
    "domainName": "` + testHost + `",
    "domainPrefix": "a1b2c3d4e5",
    "http": {"method": "POST", "path": "/refer/child", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.10", "userAgent": "test"},
    "requestId": "req-1",
    "routeKey": "$default",
    "stage": "$default",
    "time": "23/Nov/2026:10:00:00 +0000",
    "timeEpoch": 1795428000000
  },
  "body": "` + form + `",
  "isBase64Encoded": true
}`
	var postEvent events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal([]byte(post), &postEvent); err != nil {
		t.Fatal(err)
	}
	crossSite := event("POST", "/refer/child", withHeader("sec-fetch-site", "cross-site"), withHeader("origin", "https://evil.example"),
		withHeader("content-type", "application/x-www-form-urlencoded"), withBody("answer=x", false),
		func(ev *events.APIGatewayV2HTTPRequest) { ev.Cookies = []string{"draft=d-42"} })

	tests := []struct {
		name     string
		event    events.APIGatewayV2HTTPRequest
		status   int
		body     string
		location string
	}{
		{"path value", event("GET", "/refer/child"), 200, "<h1>page child</h1>", ""},
		{"escaped path value", event("GET", "/refer/a%2Fb"), 200, "<h1>page a/b</h1>", ""},
		{"HEAD matches GET pattern", event("HEAD", "/refer/child"), 200, "", ""},
		{"root redirects", event("GET", "/"), 303, "", "/refer/start"},
		{"HEAD root redirects", event("HEAD", "/"), 303, "", "/refer/start"},
		{"form post from the JSON event", postEvent, 200, "page child draft d-42 answer Yes & no", ""},
		{"cross-site post refused", crossSite, 403, "", ""},
		{"method not allowed", event("PUT", "/refer/child"), 405, "Method Not Allowed\n", ""},
		{"not found", event("GET", "/nowhere"), 404, "404 page not found\n", ""},
		// ServeMux's own redirects (301 or 307, depending on the Go version).
		{"subtree redirect", event("GET", "/docs?x=1"), 0, "", "/docs/?x=1"},
		{"cleaned path redirect", event("GET", "/refer/../refer/child"), 0, "", "/refer/child"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := invoke(t, handler, tt.event)
			if tt.status == 0 && (resp.StatusCode != 301 && resp.StatusCode != 307) || tt.status != 0 && resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d (body %q)", resp.StatusCode, tt.status, resp.Body)
			}
			if tt.body != "" && resp.Body != tt.body {
				t.Errorf("body %q, want %q", resp.Body, tt.body)
			}
			if resp.Headers["Location"] != tt.location {
				t.Errorf("Location %q, want %q", resp.Headers["Location"], tt.location)
			}
			if tt.status == 405 && resp.Headers["Allow"] == "" {
				t.Error("no Allow header on 405")
			}
		})
	}
}
