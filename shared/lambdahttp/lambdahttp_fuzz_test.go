package lambdahttp

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// FuzzHandler sends events with any method, raw path, raw query, header,
// cookie, protocol and body (base64 or not) through Handler to a handler
// that reads everything a request has and echoes it: the body back as the
// body, a query value and the header back as response headers, with a 2xx
// status the query may choose. Whatever the event, the adapter never
// panics nor returns an error, and answers either with the handler's own
// status (the handler having seen the method and the body as sent) or,
// without calling the handler, with 400 for an event no request can be
// built from; never a 5xx. Its response is one API Gateway takes: header
// names that are tokens, no line breaks in any header or cookie, a body
// that is valid UTF-8 or else base64, and, but for HEAD and statuses
// without one, the body the handler wrote.
func FuzzHandler(f *testing.F) {
	b64 := base64.StdEncoding.EncodeToString
	f.Add("GET", "/", "", "accept", "text/html", "", "HTTP/1.1", "", false)
	f.Add("POST", "/referrals", "a=1&b=%20", "content-type", "application/json", "session=abc", "HTTP/2", `{"referrer": {}}`, false)
	f.Add("PUT", "/staff/referrals/01KAQ3ZZ8Q7X3V4N5M6K7J8H9G", "status=204", "content-type", "application/octet-stream", "a=b", "HTTP/3", b64([]byte{0, 1, 0xff, 0xfe}), true)
	f.Add("HEAD", "/a%2Fb/%E2%82%AC", "h=x%0D%0ASet-Cookie:%20evil=1", "Host", "example.org", "", "", "hello", false)
	f.Add("GET", "/%zz", "", "", "", "", "", "", false)
	f.Add("GET", "relative", "", "", "", "", "", "", false)
	f.Add("GET", "/a b", "", "", "", "", "", "", false)
	f.Add("GET", "/a?b", "", "", "", "", "", "", false)
	f.Add("G ET", "/", "", "", "", "", "", "", false)
	f.Add("", "", "", "", "", "", "", "", false)
	f.Add("POST", "/", ";;;&&=%", "content-type", "application/x-www-form-urlencoded", "=;=", "HTTP/9.9", "a=%ZZ", false)
	f.Add("POST", "/", "", "x-forwarded-proto", " HTTPS ", "", "HTTP/1.0", "not base64!", true)
	f.Add("GET", "/", "status=299&h=\xff", "content-type", "text/plain; charset=\"", "", "", "\xff\xfe", false)
	f.Add("OPTIONS", "//", "", "bad header\r\n", "v\r\nx", "a\r\nb", "", "\u2028", false)

	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.Cleanup(func() { slog.SetDefault(prev) })

	f.Fuzz(func(t *testing.T, method, rawPath, rawQuery, headerName, headerValue, cookie, proto, body string, isBase64 bool) {
		var (
			called     bool
			seenMethod string
			seenBody   []byte
			status     int
		)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			called, seenMethod = true, r.Method
			b, err := io.ReadAll(r.Body)
			if err != nil {
				t.Errorf("reading the body: %v", err)
			}
			seenBody = b
			_ = r.ParseForm()
			_ = r.Cookies()
			_, _ = r.Cookie("session")
			_ = r.URL.String()
			_ = r.URL.EscapedPath()
			_ = r.UserAgent()
			_ = r.Referer()
			_, _, _ = r.BasicAuth()
			q := r.URL.Query()
			status = http.StatusOK
			if n, err := strconv.Atoi(q.Get("status")); err == nil && n >= 200 && n <= 299 {
				status = n
			}
			w.Header().Set("X-Echo", q.Get("h"))
			if headerName != "" {
				w.Header()[headerName] = []string{r.Header.Get(headerName)}
			}
			w.Header().Add("Set-Cookie", r.Header.Get("Cookie"))
			if ct := r.Header.Get("Content-Type"); ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			w.WriteHeader(status)
			_, _ = w.Write(b)
		})

		ev := events.APIGatewayV2HTTPRequest{
			Version: "2.0", RouteKey: "$default", RawPath: rawPath, RawQueryString: rawQuery,
			Headers: map[string]string{"host": "a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com", "x-forwarded-proto": "https"},
			Body:    body, IsBase64Encoded: isBase64,
			RequestContext: events.APIGatewayV2HTTPRequestContext{
				RouteKey: "$default", Stage: "$default", RequestID: "fuzz", DomainName: "a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com",
				HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: rawPath, Protocol: proto, SourceIP: "192.0.2.10"},
			},
		}
		if headerName != "" {
			ev.Headers[headerName] = headerValue
		}
		if cookie != "" {
			ev.Cookies = strings.Split(cookie, ";")
		}

		resp, err := Handler(h)(context.Background(), ev)
		if err != nil {
			t.Fatalf("Handler returned an error: %v", err)
		}
		if resp.StatusCode >= 500 {
			t.Fatalf("status %d for an event from the client (handler called: %v)", resp.StatusCode, called)
		}
		if !called {
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d without calling the handler", resp.StatusCode)
			}
			return
		}
		if resp.StatusCode != status {
			t.Errorf("status %d, the handler wrote %d", resp.StatusCode, status)
		}

		wantMethod := method
		if wantMethod == "" {
			wantMethod = http.MethodGet
		}
		if seenMethod != wantMethod {
			t.Errorf("the handler saw method %q, sent %q", seenMethod, method)
		}
		wantBody := []byte(body)
		if isBase64 {
			var derr error
			if wantBody, derr = base64.StdEncoding.DecodeString(body); derr != nil {
				t.Fatalf("the handler was called for a body that is not base64: %v", derr)
			}
		}
		if !bytes.Equal(seenBody, wantBody) {
			t.Errorf("the handler saw the body %q, sent %q", seenBody, wantBody)
		}

		for k, v := range resp.Headers {
			if !isToken(k) || strings.ContainsAny(v, "\r\n") {
				t.Errorf("response header %q: %q", k, v)
			}
		}
		for _, c := range resp.Cookies {
			if strings.ContainsAny(c, "\r\n") {
				t.Errorf("response cookie %q", c)
			}
		}
		got := []byte(resp.Body)
		if resp.IsBase64Encoded {
			var derr error
			if got, derr = base64.StdEncoding.DecodeString(resp.Body); derr != nil {
				t.Fatalf("response body is not base64: %v", derr)
			}
		} else if !utf8.ValidString(resp.Body) {
			t.Errorf("response body is neither UTF-8 nor base64: %q", resp.Body)
		}
		switch {
		case wantMethod == http.MethodHead || !bodyAllowed(status):
			if len(got) != 0 {
				t.Errorf("response body %q for %s with status %d", got, wantMethod, status)
			}
		case !bytes.Equal(got, wantBody):
			t.Errorf("response body %q, the handler wrote %q", got, wantBody)
		}
		if _, err := json.Marshal(resp); err != nil {
			t.Errorf("response cannot be sent to Lambda: %v", err)
		}
	})
}
