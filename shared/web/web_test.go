package web

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/web/assets"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
	"github.com/csc-frontdoor/frontdoor/shared/web/text"
)

// memDrafts is a draft.Store in memory that keeps the version condition.
type memDrafts struct {
	mu sync.Mutex
	m  map[string]draft.Draft
}

func (m *memDrafts) Draft(_ context.Context, id string, now time.Time) (*draft.Draft, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.m[id]
	if !ok || !now.Before(d.ExpiresAt) {
		return nil, draft.ErrNotFound
	}
	return &d, nil
}

func (m *memDrafts) SaveDraft(_ context.Context, d *draft.Draft) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cur, ok := m.m[d.ID]; (ok && cur.Version != d.Version) || (!ok && d.Version != 0) {
		return draft.ErrChanged
	}
	d.Version++
	d.ExpiresAt = d.UpdatedAt.Add(d.Lifetime())
	m.m[d.ID] = *d
	return nil
}

var now = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

func newServer(t *testing.T) (*Server, *memDrafts) {
	t.Helper()
	drafts := &memDrafts{m: map[string]draft.Draft{}}
	s, err := New(Config{Drafts: drafts, HubPhone: "01632 960000", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return s, drafts
}

func serve(s *Server, method, path string, form url.Values, cookie *http.Cookie) *httptest.ResponseRecorder {
	var r *http.Request
	if form != nil {
		r = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, path, nil)
	}
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	if cookie != nil {
		r.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// checkHTML fails on a page without the security headers, with a message
// the catalogue lacked, or with inline script or style.
func checkHTML(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	body := w.Body.String()
	if w.Header().Get("Content-Security-Policy") != ContentSecurityPolicy || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", w.Header())
	}
	if text.Missing(body) {
		t.Errorf("a message is missing: %v", regexp.MustCompile(`\[\[[^\]]+\]\]`).FindAllString(body, -1))
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "style=") || strings.Contains(body, "<style") {
		t.Errorf("inline script or style: %s", body)
	}
	return body
}

// The pages do not start without the hub's number to give referrers.
func TestNewNeedsTheHubPhone(t *testing.T) {
	if _, err := New(Config{Drafts: &memDrafts{}, Now: time.Now}); err == nil {
		t.Error("the pages started without the hub's telephone number")
	}
}

// The start page, then a draft begun, the first question with an error
// (summary linked to the field, Error: in the title) and then answered.
func TestFirstSteps(t *testing.T) {
	s, drafts := newServer(t)
	w := serve(s, http.MethodGet, "/", nil, nil)
	if body := checkHTML(t, w); w.Code != 200 || !strings.Contains(body, "call 999") {
		t.Fatalf("start page %d", w.Code)
	}

	w = serve(s, http.MethodPost, "/refer/start", url.Values{}, nil)
	res := w.Result()
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/refer/immediate-risk" || len(res.Cookies()) != 1 {
		t.Fatalf("begin: %d %v", w.Code, w.Header())
	}
	c := res.Cookies()[0]
	if c.Name != cookieName || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Errorf("cookie %+v", c)
	}
	var d draft.Draft
	for _, v := range drafts.m {
		d = v
	}

	w = serve(s, http.MethodGet, "/refer/immediate-risk", nil, c)
	if body := checkHTML(t, w); w.Code != 200 || !strings.Contains(body, `name="immediateRisk"`) || !strings.Contains(body, d.CSRF) {
		t.Fatalf("question: %d", w.Code)
	}

	if w := serve(s, http.MethodPost, "/refer/immediate-risk", url.Values{"immediateRisk": {"yes"}}, c); w.Code != http.StatusForbidden {
		t.Errorf("a post without the token: %d", w.Code)
	}
	w = serve(s, http.MethodPost, "/refer/immediate-risk", url.Values{"csrf": {d.CSRF}}, c)
	body := checkHTML(t, w)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#immediateRisk"`) || !strings.Contains(body, "<title>Error:") {
		t.Fatalf("unanswered: %d %s", w.Code, body)
	}
	w = serve(s, http.MethodPost, "/refer/immediate-risk", url.Values{"csrf": {d.CSRF}, "immediateRisk": {"yes"}}, c)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/refer/referrer" {
		t.Fatalf("answered: %d %v", w.Code, w.Header())
	}
	w = serve(s, http.MethodGet, "/refer/immediate-risk", nil, c)
	if !strings.Contains(w.Body.String(), `value="yes" checked`) {
		t.Error("the answer did not survive a reload")
	}

	if w := serve(s, http.MethodGet, "/refer/referrer", nil, nil); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "Start again") {
		t.Errorf("no draft: %d", w.Code)
	}
	r := httptest.NewRequest(http.MethodPost, "/refer/start", nil)
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	cw := httptest.NewRecorder()
	s.ServeHTTP(cw, r)
	if cw.Code != http.StatusForbidden || len(drafts.m) != 1 {
		t.Errorf("cross-site start: %d, %d drafts", cw.Code, len(drafts.m))
	}
}

// TestEveryPageParses: the pages are parsed as each is first shown, so a
// page that cannot be parsed would only fail when someone asks for it;
// this parses every one.
func TestEveryPageParses(t *testing.T) {
	set, err := assets.Load()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := text.Load("en")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := parsePages(cat, set)
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(templateFiles, "templates/pages/*.gohtml")
	if err != nil || len(files) == 0 || len(ps.pages) != len(files) {
		t.Fatalf("%d pages for %d files (%v)", len(ps.pages), len(files), err)
	}
	for name := range ps.pages {
		if tpl, err := ps.get(name); err != nil || tpl.Lookup("layout") == nil {
			t.Errorf("page %s: %v", name, err)
		}
	}
	if _, err := ps.get("no-such-page"); err == nil {
		t.Error("an unknown page was found")
	}
}
