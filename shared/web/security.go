package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// ContentSecurityPolicy is every page's policy: nothing but this origin's
// own stylesheets, modules, images and fonts; no inline script or style;
// forms post only here; no framing.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
	"connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// protect wraps the pages: the security headers on every answer; cross-origin
// requests that change state refused; bodies bounded.
func (s *Server) protect(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.showError(w, r, http.StatusForbidden, "crossOrigin", true)
	}))
	inner := cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, MaxFormBytes)
			if err := r.ParseForm(); err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					s.showError(w, r, http.StatusRequestEntityTooLarge, "tooLarge", false)
					return
				}
				s.showError(w, r, http.StatusBadRequest, "badRequest", false)
				return
			}
		}
		next.ServeHTTP(w, r)
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if !strings.HasPrefix(r.URL.Path, "/assets/") {
			// Pages hold personal data: never kept by a browser or a cache.
			h.Set("Cache-Control", "no-store")
		}
		inner.ServeHTTP(w, r)
	})
}

// checkToken reports whether the form's token is the draft's, compared in
// constant time.
func checkToken(r *http.Request, want string) bool {
	got := r.PostFormValue(csrfField)
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// csrfField is the hidden field that carries the form's token.
const csrfField = "csrf"

// formCookie carries the token of the forms that have no draft (checking a
// referral, adding information to it): the form sends the cookie's value
// back, which a page on another site can neither read nor set.
const formCookie = "__Host-frontdoor-form"

// formToken returns the browser's form token, setting a new one when it
// has none.
func formToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(formCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	token := ids.NewToken()
	http.SetCookie(w, &http.Cookie{Name: formCookie, Value: token, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	// The request carries it from now on, so that a page rendered in the
	// same response shows it.
	r.AddCookie(&http.Cookie{Name: formCookie, Value: token})
	return token
}

// checkFormToken reports whether a form without a draft carries the
// browser's form token.
func checkFormToken(r *http.Request) bool {
	c, err := r.Cookie(formCookie)
	return err == nil && checkToken(r, c.Value)
}
