package lambdahttp

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// responseWriter buffers a response as net/http's server would send it:
// the headers as they were when the status was written, the status (200 if
// the handler wrote a body first), and the body.
type responseWriter struct {
	header http.Header
	sent   http.Header // header as it was at WriteHeader
	status int
	body   bytes.Buffer
}

func newResponseWriter() *responseWriter {
	return &responseWriter{header: make(http.Header)}
}

// Header returns the headers to send; changes after WriteHeader have no
// effect, as with net/http.
func (w *responseWriter) Header() http.Header { return w.header }

// WriteHeader sets the status the first time a final status is written.
// Informational (1xx) statuses are dropped: the response goes whole.
func (w *responseWriter) WriteHeader(code int) {
	if code < 100 || code > 999 {
		// As net/http does.
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if w.status != 0 {
		return
	}
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		return
	}
	w.status = code
	w.sent = w.header.Clone()
}

// Write buffers p, writing the status 200 first if none was.
func (w *responseWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	return w.body.Write(p)
}

// WriteString is Write for a string, without copying it.
func (w *responseWriter) WriteString(s string) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	return w.body.WriteString(s)
}

// bodyAllowed reports whether a response with status may have a body.
func bodyAllowed(status int) bool {
	return (status < 100 || status > 199) && status != http.StatusNoContent && status != http.StatusNotModified
}

// response turns what was written into the event API Gateway expects. For a
// HEAD request the body is dropped but its length kept in Content-Length.
func (w *responseWriter) response(head bool) events.APIGatewayV2HTTPResponse {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	h, body := w.sent, w.body.Bytes()
	if len(body) > 0 {
		// As net/http does: a handler that sets no Content-Type (not even
		// an empty one, which asks for none) gets the sniffed one.
		if _, ok := h["Content-Type"]; !ok && h.Get("Transfer-Encoding") == "" {
			h.Set("Content-Type", http.DetectContentType(body))
		}
		if head && h.Get("Content-Length") == "" {
			h.Set("Content-Length", strconv.Itoa(len(body)))
		}
	}
	if head {
		body = nil
	}

	resp := events.APIGatewayV2HTTPResponse{
		StatusCode: w.status,
		Headers:    make(map[string]string, len(h)),
	}
	// Sorted, so that cookies under two spellings of Set-Cookie keep an order.
	for _, k := range slices.Sorted(maps.Keys(h)) {
		name := http.CanonicalHeaderKey(k)
		if strings.HasPrefix(k, http.TrailerPrefix) || !isToken(name) {
			continue
		}
		for _, v := range h[k] {
			// As net/http does: no header splitting.
			v = newlines.Replace(v)
			switch {
			case name == "Set-Cookie":
				resp.Cookies = append(resp.Cookies, v)
			case resp.Headers[name] != "":
				resp.Headers[name] += ", " + v
			default:
				resp.Headers[name] = v
			}
		}
	}

	if len(body) > 0 {
		if isText(h.Get("Content-Type")) && utf8.Valid(body) {
			resp.Body = string(body)
		} else {
			resp.Body = base64.StdEncoding.EncodeToString(body)
			resp.IsBase64Encoded = true
		}
	}
	return resp
}

var newlines = strings.NewReplacer("\r", " ", "\n", " ")

// isText reports whether a body of media type contentType can go as text.
func isText(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	switch mt {
	case "application/json", "application/javascript", "application/xml",
		"application/x-www-form-urlencoded", "image/svg+xml":
		return true
	}
	return strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "+xml")
}

// responseSize is the size of resp as Lambda's runtime encodes it, as JSON
// (without HTML escaping), give or take a few bytes of punctuation.
func responseSize(resp events.APIGatewayV2HTTPResponse) int {
	const fixed = len(`{"statusCode":000,"headers":{},"multiValueHeaders":null,"body":,"isBase64Encoded":true,"cookies":[]}`)
	n := fixed + jsonLen(resp.Body)
	for k, v := range resp.Headers {
		n += jsonLen(k) + jsonLen(v) + 2
	}
	for _, c := range resp.Cookies {
		n += jsonLen(c) + 1
	}
	return n
}

// jsonLen is the length of s as a JSON string.
func jsonLen(s string) int {
	n := 2
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f':
			n += 2
		case c < 0x20:
			n += 6
		case c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9):
			// U+2028 and U+2029, always escaped.
			n += 6
			i += 2
		default:
			n++
		}
	}
	return n
}
