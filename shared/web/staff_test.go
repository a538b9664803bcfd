package web

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/escalation"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/page"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
	"github.com/csc-frontdoor/frontdoor/shared/web/session"
)

// memSessions is a session.Store in memory that keeps the version
// condition and forgets what expired.
type memSessions struct {
	mu sync.Mutex
	m  map[string]session.Session
}

func (m *memSessions) Session(_ context.Context, id string, now time.Time) (*session.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.m[id]
	if !ok || !now.Before(s.ExpiresAt) {
		return nil, session.ErrNotFound
	}
	return &s, nil
}

func (m *memSessions) SaveSession(_ context.Context, s *session.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cur, ok := m.m[s.ID]; (ok && cur.Version != s.Version) || (!ok && s.Version != 0) {
		return session.ErrChanged
	}
	s.Version++
	s.ExpiresAt = s.Expiry()
	m.m[s.ID] = *s
	return nil
}

// fakeProvider signs in whoever the code names, once, if the verifier and
// nonce are the ones of the sign-in.
type fakeProvider struct {
	mu      sync.Mutex
	pending map[string][2]string // state -> verifier, nonce
	codes   map[string]auth.Principal
}

func (f *fakeProvider) Issuer() string { return "https://idp.example" }

func (f *fakeProvider) AuthURL(_ context.Context, redirect, state, nonce, verifier string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending[state] = [2]string{verifier, nonce}
	return "https://idp.example/authorize?" + url.Values{"state": {state}, "redirect_uri": {redirect}}.Encode(), nil
}

func (f *fakeProvider) Exchange(_ context.Context, _, code, verifier, nonce string) (auth.Principal, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.codes[code]
	delete(f.codes, code)
	for _, v := range f.pending {
		if ok && v[0] == verifier && v[1] == nonce {
			return p, nil
		}
	}
	return auth.Principal{}, errors.New("refused")
}

func newStaffServer(t *testing.T, clock *time.Time) (*Server, *fakeProvider) {
	t.Helper()
	idp := &fakeProvider{pending: map[string][2]string{}, codes: map[string]auth.Principal{}}
	s, err := New(Config{Drafts: &memDrafts{m: map[string]draft.Draft{}}, HubPhone: "01632 960000",
		Sessions: &memSessions{m: map[string]session.Session{}}, SignIn: idp, NewVerifier: func() string { return "verifier-" + time.Now().String() },
		Now: func() time.Time { return *clock }})
	if err != nil {
		t.Fatal(err)
	}
	return s, idp
}

// signIn signs in as p and returns the session's cookie.
func signInAs(t *testing.T, s *Server, idp *fakeProvider, p auth.Principal, returnTo string) *http.Cookie {
	t.Helper()
	w := serve(s, http.MethodGet, "/staff/sign-in?"+url.Values{"return": {returnTo}}.Encode(), nil, nil)
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "https://idp.example/authorize?") {
		t.Fatalf("sign-in: %d %v", w.Code, w.Header())
	}
	u, _ := url.Parse(w.Header().Get("Location"))
	if got := u.Query().Get("redirect_uri"); got != "http://example.com/staff/auth/callback" {
		t.Errorf("redirect_uri %q", got)
	}
	pending := w.Result().Cookies()[0]
	code := "code-" + p.Subject
	idp.codes[code] = p
	w = serve(s, http.MethodGet, "/staff/auth/callback?"+url.Values{"state": {u.Query().Get("state")}, "code": {code}}.Encode(), nil, pending)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != returnPath(returnTo) {
		t.Fatalf("callback: %d %v", w.Code, w.Header())
	}
	active := w.Result().Cookies()[0]
	if active.Name != sessionCookie || active.Value == pending.Value || !active.Secure || !active.HttpOnly || active.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v (pending %s)", active, pending.Value)
	}
	// The pending session cannot sign in again.
	idp.codes[code] = p
	if w := serve(s, http.MethodGet, "/staff/auth/callback?"+url.Values{"state": {u.Query().Get("state")}, "code": {code}}.Encode(), nil, pending); w.Code != http.StatusUnauthorized {
		t.Errorf("the pending session used twice: %d", w.Code)
	}
	return active
}

// Signing in, the staff home by role, no access without a staff role,
// the idle timeout, and signing out.
func TestStaffSignIn(t *testing.T) {
	clock := now
	s, idp := newStaffServer(t, &clock)

	w := serve(s, http.MethodGet, "/staff", nil, nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/staff/sign-in?return=%2Fstaff" {
		t.Fatalf("signed out: %d %v", w.Code, w.Header())
	}
	// A state that is not the sign-in's is refused.
	w = serve(s, http.MethodGet, "/staff/sign-in", nil, nil)
	pending := w.Result().Cookies()[0]
	if w := serve(s, http.MethodGet, "/staff/auth/callback?state=other&code=x", nil, pending); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "could not be signed in") {
		t.Errorf("wrong state: %d", w.Code)
	}
	if w := serve(s, http.MethodGet, "/staff/auth/callback?state=x&code=x", nil, nil); w.Code != http.StatusUnauthorized {
		t.Errorf("no cookie: %d", w.Code)
	}

	c := signInAs(t, s, idp, auth.Principal{Subject: "screener-1", Roles: []auth.Role{auth.MASH}}, "/staff")
	w = serve(s, http.MethodGet, "/staff", nil, c)
	body := checkHTML(t, w)
	if w.Code != 200 || !strings.Contains(body, "screener-1") || !strings.Contains(body, "MASH screener") || !strings.Contains(body, `action="/staff/sign-out"`) {
		t.Fatalf("home: %d\n%s", w.Code, body)
	}
	for _, p := range accessProblems(body) {
		t.Errorf("home: %s", p)
	}

	police := signInAs(t, s, idp, auth.Principal{Subject: "officer-1", Roles: []auth.Role{auth.Police}}, "/staff")
	if w := serve(s, http.MethodGet, "/staff", nil, police); w.Code != http.StatusForbidden || strings.Contains(w.Body.String(), "officer-1") {
		t.Errorf("a police officer on the staff pages: %d", w.Code)
	}

	// A session signed in at another provider (the pages have since moved
	// to another issuer): signed out.
	other := signInAs(t, s, idp, auth.Principal{Subject: "screener-2", Roles: []auth.Role{auth.MASH}}, "/staff")
	ses, _ := s.cfg.Sessions.Session(context.Background(), other.Value, clock)
	ses.Issuer = "https://another-idp.example"
	if err := s.cfg.Sessions.SaveSession(context.Background(), ses); err != nil {
		t.Fatal(err)
	}
	if w := serve(s, http.MethodGet, "/staff", nil, other); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/staff/sign-in") {
		t.Errorf("a session of another issuer: %d %v", w.Code, w.Header())
	}

	// Idle for 31 minutes: signed out.
	clock = now.Add(31 * time.Minute)
	if w := serve(s, http.MethodGet, "/staff", nil, c); w.Code != http.StatusSeeOther {
		t.Errorf("after 31 idle minutes: %d", w.Code)
	}

	c = signInAs(t, s, idp, auth.Principal{Subject: "screener-1", Roles: []auth.Role{auth.MASH}}, "/staff/queue?x=1")
	if w := serve(s, http.MethodPost, "/staff/sign-out", url.Values{}, c); w.Code != http.StatusForbidden {
		t.Errorf("sign-out without the token: %d", w.Code)
	}
	ses, _ = s.cfg.Sessions.Session(context.Background(), c.Value, clock)
	w = serve(s, http.MethodPost, "/staff/sign-out", url.Values{"csrf": {ses.CSRF}}, c)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/staff/signed-out" || w.Result().Cookies()[0].MaxAge >= 0 {
		t.Fatalf("sign-out: %d %v", w.Code, w.Header())
	}
	if w := serve(s, http.MethodGet, "/staff", nil, c); w.Code != http.StatusSeeOther {
		t.Errorf("the session after sign-out: %d", w.Code)
	}
	if w := serve(s, http.MethodPost, "/staff/sign-out", url.Values{"csrf": {ses.CSRF}}, c); w.Code != http.StatusUnauthorized {
		t.Errorf("a post after sign-out: %d", w.Code)
	}
}

// Sign-in returns only to a staff page of this site.
func TestReturnPath(t *testing.T) {
	for in, want := range map[string]string{
		"/staff": "/staff", "/staff/queue?page=2": "/staff/queue?page=2", "": "/staff", "/": "/staff",
		"//evil.example/staff": "/staff", "https://evil.example/staff": "/staff", "/staff//evil.example": "/staff",
		"/stafffoo": "/staff", "/staff/sign-in?return=/x": "/staff", "/staff/\\evil": "/staff", "/refer/check-answers": "/staff",
	} {
		if got := returnPath(in); got != want {
			t.Errorf("returnPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// Due times in words, in England: overdue by how much, today, tomorrow,
// or the day; over the clock change too.
func TestDueIn(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct{ due, now, want string }{
		{"2026-12-02T17:00:00Z", "2026-12-02T10:00:00Z", "today 17:00"},
		{"2026-12-03T09:30:00Z", "2026-12-02T10:00:00Z", "tomorrow 09:30"},
		{"2026-12-07T17:00:00Z", "2026-12-02T10:00:00Z", "Mon 7 Dec 17:00"},
		{"2026-12-02T08:00:00Z", "2026-12-02T10:00:00Z", "overdue by 2 hours"},
		{"2026-12-02T09:59:00Z", "2026-12-02T10:00:00Z", "overdue by 1 minute"},
		{"2026-12-02T09:15:00Z", "2026-12-02T10:00:00Z", "overdue by 45 minutes"},
		{"2026-11-29T10:00:00Z", "2026-12-02T10:00:00Z", "overdue by 3 days"},
		// British Summer Time: 16:00 UTC is 17:00 in England.
		{"2026-07-01T16:00:00Z", "2026-07-01T08:00:00Z", "today 17:00"},
		// The night the clocks go back: tomorrow is still tomorrow.
		{"2026-10-25T17:00:00Z", "2026-10-24T22:30:00Z", "tomorrow 17:00"},
		// Just after midnight in England, still the day before in UTC.
		{"2026-07-02T08:00:00Z", "2026-07-01T23:30:00Z", "today 09:00"},
		{"2026-07-02T08:00:00Z", "2026-07-01T22:30:00Z", "tomorrow 09:00"},
	}
	for _, tt := range tests {
		if got := dueIn(at(tt.due), at(tt.now)); got != tt.want {
			t.Errorf("dueIn(%s, %s) = %q, want %q", tt.due, tt.now, got, tt.want)
		}
	}
}

// memEscalations pages its escalations two at a time.
type memEscalations struct{ cursors []string }

func (m *memEscalations) List(_ context.Context, q escalation.Query, _ audit.Request) (*escalation.Page, error) {
	m.cursors = append(m.cursors, q.Cursor)
	switch q.Cursor {
	case "":
		return &escalation.Page{Items: []escalation.Escalation{{ID: "e1", Clock: escalation.ClockDecision, RaisedAt: now,
			Subject: escalation.Subject{Type: audit.SubjectReferral, ID: "r1", Reference: "ABCD-2345"}}}, Next: "page-2"}, nil
	case "page-2":
		return &escalation.Page{Items: []escalation.Escalation{}}, nil
	}
	return nil, page.CursorError("the list of escalations")
}

func (m *memEscalations) Acknowledge(context.Context, string, []byte, audit.Request) (*escalation.Escalation, error) {
	return &escalation.Escalation{}, nil
}

// The escalations page goes on to the next page, and a cursor not of these
// pages starts again.
func TestEscalationsPaging(t *testing.T) {
	clock := now
	s, idp := newStaffServer(t, &clock)
	esc := &memEscalations{}
	s.cfg.Escalations = esc
	c := signInAs(t, s, idp, auth.Principal{Subject: "manager-1", Roles: []auth.Role{auth.MASHManager}}, "/staff")
	checkPaging(t, s, c, "/staff/escalations", "ABCD-2345", "There are no open escalations")
	if want := []string{"", "page-2", "forged"}; !slices.Equal(esc.cursors, want) {
		t.Errorf("cursors asked %v, want %v", esc.cursors, want)
	}
}

// checkPaging reads the list at path, whose first page shows first and
// links to the next (cursor page-2), whose last says last and links to
// none; a forged cursor starts the list again.
func checkPaging(t *testing.T, s *Server, c *http.Cookie, path, first, last string) {
	t.Helper()
	w := serve(s, http.MethodGet, path, nil, c)
	body := checkHTML(t, w)
	if w.Code != 200 || !strings.Contains(body, `href="`+path+`?cursor=page-2"`) || !strings.Contains(body, first) {
		t.Fatalf("first page: %d\n%s", w.Code, body)
	}
	for _, p := range accessProblems(body) {
		t.Errorf("%s: %s", path, p)
	}
	w = serve(s, http.MethodGet, path+"?cursor=page-2", nil, c)
	if body := checkHTML(t, w); w.Code != 200 || strings.Contains(body, "cursor=") || !strings.Contains(body, last) {
		t.Errorf("last page: %d", w.Code)
	}
	if w := serve(s, http.MethodGet, path+"?cursor=forged", nil, c); w.Code != http.StatusSeeOther || w.Header().Get("Location") != path {
		t.Errorf("a forged cursor: %d %v", w.Code, w.Header())
	}
}

// memCalls pages the adviser's calls one at a time and keeps what it was
// asked.
type memCalls struct{ asked []map[string]string }

func (m *memCalls) List(_ context.Context, params map[string]string, _ audit.Request) (*helpline.Page, error) {
	m.asked = append(m.asked, params)
	call := helpline.Record{ID: "01KAQ3ZJ8Q7X3V4N5M6K7J8H9G", CalledAt: now.Add(-time.Hour), LoggedBy: "adviser-1", Status: helpline.StatusLogged,
		Call: helpline.Call{Caller: helpline.Caller{Type: helpline.CallerTypes[0]}}}
	switch params["cursor"] {
	case "":
		return &helpline.Page{Calls: []helpline.Record{call}, Next: "page-2"}, nil
	case "page-2":
		return &helpline.Page{Calls: []helpline.Record{}}, nil
	case "slow":
		return nil, fmt.Errorf("list calls: %w", context.DeadlineExceeded)
	}
	return nil, page.CursorError("the list of helpline calls")
}

func (m *memCalls) Log(context.Context, []byte, string, audit.Request) (*helpline.Receipt, bool, error) {
	return nil, false, errors.New("not here")
}

func (m *memCalls) Escalate(context.Context, string, []byte, audit.Request) (*helpline.EscalationReceipt, bool, error) {
	return nil, false, errors.New("not here")
}

// The adviser's calls page asks for their own calls of the last 7 days,
// goes on to the next page with the cursor alone, and a cursor not of
// these pages starts again.
func TestCallsPaging(t *testing.T) {
	clock := now
	s, idp := newStaffServer(t, &clock)
	calls := &memCalls{}
	s.cfg.Helpline = calls
	c := signInAs(t, s, idp, auth.Principal{Subject: "adviser-1", Roles: []auth.Role{auth.Helpline}}, "/staff")
	checkPaging(t, s, c, "/staff/calls", "<table", "You have not logged a call")
	// A store that did not answer in time: try again, not a fault.
	if w := serve(s, http.MethodGet, "/staff/calls?cursor=slow", nil, c); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Errorf("a store out of time: %d %v", w.Code, w.Header())
	}
	calls.asked = calls.asked[:len(calls.asked)-1]
	week := now.Add(-7 * 24 * time.Hour).UTC().Format(time.RFC3339)
	want := []map[string]string{
		{"loggedBy": "me", "limit": "50", "from": week},
		{"loggedBy": "me", "limit": "50", "cursor": "page-2"},
		{"loggedBy": "me", "limit": "50", "cursor": "forged"},
	}
	if len(calls.asked) != len(want) {
		t.Fatalf("asked %v, want %v", calls.asked, want)
	}
	for i := range want {
		if !maps.Equal(calls.asked[i], want[i]) {
			t.Errorf("page %d asked %v, want %v", i, calls.asked[i], want[i])
		}
	}
}
