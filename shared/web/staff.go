package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
	"github.com/csc-frontdoor/frontdoor/shared/web/session"
)

// The staff pages sign people in with OpenID Connect (authorization code
// with PKCE) and keep who signed in, with their roles, in a session kept
// server-side (package session), named by a __Host- cookie.

// SignIn is the identity provider: package openid in production.
type SignIn interface {
	// AuthURL is the provider's sign-in page, to come back to redirectURL.
	AuthURL(ctx context.Context, redirectURL, state, nonce, verifier string) (string, error)
	// Exchange trades the code for the person's verified identity.
	Exchange(ctx context.Context, redirectURL, code, verifier, nonce string) (auth.Principal, error)
	// Issuer is the provider's issuer URL, which each session keeps.
	Issuer() string
}

// sessionCookie names a staff session.
const sessionCookie = "__Host-frontdoor-session"

// The staff pages' paths.
const (
	pathStaff     = "/staff"
	pathSignIn    = "/staff/sign-in"
	pathCallback  = "/staff/auth/callback"
	pathSignOut   = "/staff/sign-out"
	pathSignedOut = "/staff/signed-out"
)

// staffRoles are the roles that work in the staff pages (police officers
// use the API from their own systems).
var staffRoles = []auth.Role{auth.MASH, auth.MASHManager, auth.Helpline, auth.ProviderRHI, auth.ProviderAA}

// staffRoutes registers the staff pages.
func (s *Server) staffRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+pathSignIn, s.signIn)
	mux.HandleFunc("GET "+pathCallback, s.callback)
	mux.HandleFunc("GET "+pathSignedOut, s.signedOut)
	for _, p := range s.staffPages() {
		mux.HandleFunc(p.pattern, s.withStaff(p.roles, p.h))
	}
}

// staffRoute is a staff page: its route, who may use it (nil: anyone
// signed in), and its handler.
type staffRoute struct {
	pattern string
	roles   []auth.Role
	h       staffHandler
}

// staffPages are the staff pages behind sign-in.
func (s *Server) staffPages() []staffRoute {
	return []staffRoute{
		{"POST " + pathSignOut, nil, s.signOut},
		{"GET " + pathStaff, staffRoles, s.staffHome},
		{"GET " + pathQueue, mashRoles, s.queue},
		{"GET /staff/referrals/{id}", mashRoles, s.referral},
		{"GET /staff/referrals/{id}/decision", mashRoles, s.decisionForm},
		{"POST /staff/referrals/{id}/decision", mashRoles, s.decide},
		{"GET " + pathFigures, managerRoles, s.figures},
		{"GET " + pathCensus, managerRoles, s.census},
		{"GET " + pathEscalations, managerRoles, s.escalations},
		{"POST /staff/escalations/{id}", managerRoles, s.acknowledge},
		{"GET /staff/referrals/{id}/audit", managerRoles, s.auditTrail},
		{"GET " + pathFollowUps, providerRoles, s.followUps},
		{"GET /staff/follow-ups/{id}", providerRoles, s.followUp},
		{"POST /staff/follow-ups/{id}", providerActing, s.recordEvent},
		{"GET " + pathCalls, helplineRoles, s.calls},
		{"GET " + pathNewCall, helplineRoles, s.newCall},
		{"POST " + pathNewCall, helplineRoles, s.logCall},
		{"POST /staff/calls/{id}/refer", helplineRoles, s.referCall},
	}
}

// StaffAccess lists every staff page behind sign-in, by its route
// pattern, with the roles that may use it (nil: anyone signed in): the
// access the pages check, for the tests that call every page as every
// role.
func StaffAccess() map[string][]auth.Role {
	out := map[string][]auth.Role{}
	for _, p := range (*Server)(nil).staffPages() {
		out[p.pattern] = p.roles
	}
	return out
}

// staffHandler handles a request of a signed-in person.
type staffHandler func(w http.ResponseWriter, r *http.Request, ses *session.Session)

// withStaff runs h for a signed-in person holding one of roles (any role
// when roles is nil). Someone not signed in, or whose session has ended, is
// sent to sign in and brought back; someone without the role is told they
// have no access, and nothing more. A post must carry the session's token.
func (s *Server) withStaff(roles []auth.Role, h staffHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		now := s.cfg.Now()
		ses, err := s.staffSession(r)
		switch {
		case errors.Is(err, session.ErrNotFound), errors.Is(err, session.ErrEnded):
			if r.Method != http.MethodGet {
				s.showStaffError(w, r, http.StatusUnauthorized, "signedOut")
				return
			}
			http.Redirect(w, r, pathSignIn+"?"+url.Values{"return": {r.URL.RequestURI()}}.Encode(), http.StatusSeeOther)
			return
		case err != nil:
			s.unavailable(w, r, err)
			return
		}
		if roles != nil && !hasRole(ses.Roles, roles) {
			s.showError(w, r, http.StatusForbidden, "noAccess", false)
			return
		}
		if r.Method == http.MethodPost && !checkToken(r, ses.CSRF) {
			s.showError(w, r, http.StatusForbidden, "badToken", false)
			return
		}
		if ses.Touch(now) {
			if err := s.cfg.Sessions.SaveSession(r.Context(), ses); err != nil && !errors.Is(err, session.ErrChanged) {
				s.unavailable(w, r, err)
				return
			}
		}
		h(w, r, ses)
	}
}

// staffSession is the active session the request's cookie names.
func (s *Server) staffSession(r *http.Request) (*session.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, session.ErrNotFound
	}
	ses, err := s.cfg.Sessions.Session(r.Context(), c.Value, s.cfg.Now())
	if err != nil {
		return nil, err
	}
	if err := ses.Check(session.Active, s.cfg.Now()); err != nil {
		return nil, err
	}
	if ses.Issuer != s.cfg.SignIn.Issuer() {
		// Signed in at a provider the pages no longer use: sign in again.
		slog.WarnContext(r.Context(), "staff session of another issuer refused")
		return nil, session.ErrEnded
	}
	return ses, nil
}

// setSessionCookie names ses in the browser; an empty id clears it.
func setSessionCookie(w http.ResponseWriter, id string) {
	c := &http.Cookie{Name: sessionCookie, Value: id, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if id == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// returnPath is where sign-in goes back to: a staff page of this site, or
// the staff home.
func returnPath(p string) string {
	if p == pathStaff || (strings.HasPrefix(p, pathStaff+"/") && !strings.HasPrefix(p, pathSignIn) && !strings.ContainsAny(p, "\\\x00") && !strings.Contains(p, "//")) {
		return p
	}
	return pathStaff
}

// callbackURL is this site's sign-in return address, as the provider must
// have it registered.
func callbackURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + pathCallback
}

// signIn starts signing in: a pending session holds the state, nonce and
// PKCE verifier, and the person goes to the provider.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	p := session.NewPending(returnPath(r.URL.Query().Get("return")), s.cfg.NewVerifier(), s.cfg.Now())
	to, err := s.cfg.SignIn.AuthURL(r.Context(), callbackURL(r), p.State, p.Nonce, p.Verifier)
	if err != nil {
		s.unavailable(w, r, err)
		return
	}
	if err := s.cfg.Sessions.SaveSession(r.Context(), p); err != nil {
		s.unavailable(w, r, err)
		return
	}
	setSessionCookie(w, p.ID)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// callback is where the provider sends the person back: the pending
// session's state must match, the code is exchanged and verified, and an
// active session under a new id replaces the pending one.
func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	now := s.cfg.Now()
	q := r.URL.Query()
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		s.showStaffError(w, r, http.StatusUnauthorized, "signInFailed")
		return
	}
	p, err := s.cfg.Sessions.Session(r.Context(), c.Value, now)
	if err == nil {
		err = p.Check(session.Pending, now)
	}
	if err != nil {
		if errors.Is(err, session.ErrNotFound) || errors.Is(err, session.ErrEnded) {
			s.showStaffError(w, r, http.StatusUnauthorized, "signInFailed")
			return
		}
		s.unavailable(w, r, err)
		return
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(p.State)) != 1 || q.Get("code") == "" {
		// A provider's error (the person cancelled), or an answer that is
		// not to this sign-in.
		slog.WarnContext(r.Context(), "staff sign-in refused", "reason", "state or code", "providerError", oauthCode(q.Get("error")))
		s.showStaffError(w, r, http.StatusUnauthorized, "signInFailed")
		return
	}
	who, err := s.cfg.SignIn.Exchange(r.Context(), callbackURL(r), q.Get("code"), p.Verifier, p.Nonce)
	if err != nil {
		slog.WarnContext(r.Context(), "staff sign-in refused", "error", err)
		s.showStaffError(w, r, http.StatusUnauthorized, "signInFailed")
		return
	}
	active := p.Activate(who, s.cfg.SignIn.Issuer(), now)
	// The pending session is used up first: its code cannot sign in twice.
	if err := s.cfg.Sessions.SaveSession(r.Context(), p); err != nil {
		if errors.Is(err, session.ErrChanged) {
			s.showStaffError(w, r, http.StatusUnauthorized, "signInFailed")
			return
		}
		s.unavailable(w, r, err)
		return
	}
	if err := s.cfg.Sessions.SaveSession(r.Context(), active); err != nil {
		s.unavailable(w, r, err)
		return
	}
	// The roles only: a subject may be a person's name at some providers.
	slog.InfoContext(r.Context(), "staff signed in", "roles", who.Roles)
	setSessionCookie(w, active.ID)
	http.Redirect(w, r, p.ReturnTo, http.StatusSeeOther)
}

// oauthCode is an OAuth error code as the provider sent it, when it is one
// (RFC 6749's are lower-case words joined by underscores), for the logs.
func oauthCode(s string) string {
	if len(s) > 40 || strings.Trim(s, "abcdefghijklmnopqrstuvwxyz_") != "" {
		return "other"
	}
	return s
}

// signOut ends the session on our side and clears the cookie.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	ses.End(s.cfg.Now())
	if err := s.cfg.Sessions.SaveSession(r.Context(), ses); err != nil && !errors.Is(err, session.ErrChanged) {
		s.unavailable(w, r, err)
		return
	}
	setSessionCookie(w, "")
	http.Redirect(w, r, pathSignedOut, http.StatusSeeOther)
}

// signedOut says the session has ended. The pages seen in it are gone from
// the browser too: from its back-forward cache, which keeps even a
// no-store page whole, so that the back button shows nothing of them.
func (s *Server) signedOut(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Clear-Site-Data", `"cache"`)
	s.render(w, r, http.StatusOK, "error", Page{Title: s.text.T("staff.signedOut.title"),
		Data: errorPage{Heading: s.text.T("staff.signedOut.title"), Body: s.paragraphs("staff.signedOut")}})
}

// navItem is one link of the staff pages' navigation.
type navItem struct {
	Href, Text string
	Active     bool
}

// staffNav is the navigation a person sees: what their roles allow.
func (s *Server) staffNav(ses *session.Session, current string) []navItem {
	items := []navItem{{Href: pathStaff, Text: s.text.T("staff.nav.home")}}
	has := func(roles []auth.Role) bool { return hasRole(ses.Roles, roles) }
	if has(mashRoles) {
		items = append(items, navItem{Href: pathQueue, Text: s.text.T("staff.nav.queue")})
	}
	if has(managerRoles) {
		items = append(items, navItem{Href: pathFigures, Text: s.text.T("staff.nav.figures")},
			navItem{Href: pathEscalations, Text: s.text.T("staff.nav.escalations")})
	}
	if has(providerRoles) {
		items = append(items, navItem{Href: pathFollowUps, Text: s.text.T("staff.nav.followUps")})
	}
	if has(helplineRoles) {
		items = append(items, navItem{Href: pathCalls, Text: s.text.T("staff.nav.calls")})
	}
	for i := range items {
		items[i].Active = items[i].Href == current || (items[i].Href != pathStaff && strings.HasPrefix(current, items[i].Href+"/"))
	}
	return items
}

// staffPage is the staff home's data.
type staffPage struct {
	Subject string
	Roles   []string
}

// staffHome shows who is signed in, with which roles.
func (s *Server) staffHome(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	var roles []string
	for _, role := range ses.Roles {
		roles = append(roles, s.text.T("role."+string(role)))
	}
	s.renderStaff(w, r, http.StatusOK, "staff-home", ses, Page{Title: s.text.T("staff.home.title"), Data: staffPage{Subject: ses.Subject, Roles: roles}})
}

// renderStaff renders a staff page with the navigation and the sign-out
// form.
func (s *Server) renderStaff(w http.ResponseWriter, r *http.Request, status int, name string, ses *session.Session, p Page) {
	p.Staff = &staffChrome{Nav: s.staffNav(ses, r.URL.Path), CSRF: ses.CSRF, SignOut: govuk.Button{Text: s.text.T("staff.signOut")}}
	s.render(w, r, status, name, p)
}

// staffChrome is what the layout shows around a staff page.
type staffChrome struct {
	Nav     []navItem
	CSRF    string
	SignOut govuk.Button
}
