// Package web serves the front door's pages: the online referral form
// partners use and the referrer's status and addendum pages, in the GOV.UK
// Design System, server-rendered with html/template over GOV.UK Frontend's
// components (package govuk), with every word from the message catalogue
// (package text). The pages call the same services as the JSON API (intake,
// referrer) and validate with the same rules (referral.Validate); nothing
// here decides what a referral must hold.
//
// Every page works without JavaScript. Answers are kept in a draft (Drafts)
// named by a random id in a cookie, never in a URL. Every form that changes
// state is checked for cross-origin requests (http.CrossOriginProtection)
// and carries a token tied to the draft.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
	"github.com/csc-frontdoor/frontdoor/shared/web/assets"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
	"github.com/csc-frontdoor/frontdoor/shared/web/session"
	"github.com/csc-frontdoor/frontdoor/shared/web/text"
)

//go:embed templates
var templateFiles embed.FS

// MaxFormBytes is the largest form a page accepts, as the API accepts a
// referral (256 KiB): room for the longest free text even percent-encoded.
const MaxFormBytes = intake.MaxBodyBytes

// Submitter stores and queues a referral: the intake the API uses.
type Submitter interface {
	Submit(ctx context.Context, sub intake.Submission) (intake.Receipt, bool, error)
}

// Referrers answers referrers: the service the API's referrer routes use.
type Referrers interface {
	Status(ctx context.Context, req referrer.Request) (*referrer.Status, error)
	AddAddendum(ctx context.Context, req referrer.AddendumRequest) (*referrer.Receipt, bool, error)
}

// Config is what the pages need.
type Config struct {
	Drafts    draft.Store
	Referrals Submitter
	Referrers Referrers
	// HubPhone is the multi-agency safeguarding hub's telephone number,
	// given to referrers.
	HubPhone string
	// ScreeningDue is when the hub's screening decision on a referral
	// received then is due (triage's rule), told to the referrer.
	ScreeningDue func(received time.Time) time.Time
	// Casework and Decisions serve the MASH screener's pages; Helpline
	// the helpline adviser's.
	Casework  Casework
	Decisions Decisions
	Helpline  Helpline
	// Figures serves the MASH manager's figures; Worklist the follow-up
	// providers' pages.
	Figures  Figures
	Worklist Worklist
	// Escalations and Trails serve the MASH manager's escalations and a
	// referral's audit trail.
	Escalations Escalations
	Trails      Trails
	// Sessions, SignIn and NewVerifier serve the staff pages, which are
	// left out when SignIn is nil.
	Sessions    session.Store
	SignIn      SignIn
	NewVerifier func() string
	// Now is the clock; time.Now in production.
	Now func() time.Time
}

// Server is the pages' http.Handler.
type Server struct {
	cfg     Config
	text    *text.Catalogue
	assets  *assets.Set
	pages   *pageSet
	handler http.Handler
}

// New returns the pages' server. It fails when the assets cannot be loaded:
// a function that cannot show its pages should not start. The templates are
// parsed as each page is first shown (a cold start parses only the one it
// shows); every page is parsed by the package's tests.
func New(cfg Config) (*Server, error) {
	if cfg.HubPhone == "" {
		return nil, errors.New("web: the hub's telephone number is not set")
	}
	set, err := assets.Load()
	if err != nil {
		return nil, err
	}
	cat, err := text.Load("en")
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, text: cat, assets: set}
	if s.pages, err = parsePages(cat, set); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+assets.Prefix, set)
	s.routes(mux)
	s.handler = s.protect(mux)
	return s, nil
}

// ServeHTTP serves a page or an asset.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// pageSet is the pages' templates, each parsed the first time it is asked
// for, on a clone of the layout and the components (parsed once, when the
// first page is).
type pageSet struct {
	pages map[string]func() (*template.Template, error)
}

// parsePages finds the pages and prepares each to be parsed when first
// used.
func parsePages(cat *text.Catalogue, set *assets.Set) (*pageSet, error) {
	funcs := template.FuncMap{
		"t":    cat.T,
		"when": when,
		"lang": cat.Lang,
		"asset": func(name string) (string, error) {
			return set.URL(name)
		},
		"pager": func(labelKey, href string) struct{ Label, Href string } {
			return struct{ Label, Href string }{cat.T(labelKey), href}
		},
	}
	base := sync.OnceValues(func() (*template.Template, error) {
		base, err := govuk.Add(template.New("layout").Funcs(funcs))
		if err != nil {
			return nil, err
		}
		return base.ParseFS(templateFiles, "templates/layout.gohtml", "templates/fields.gohtml")
	})
	names, err := fs.Glob(templateFiles, "templates/pages/*.gohtml")
	if err != nil {
		return nil, err
	}
	ps := &pageSet{pages: map[string]func() (*template.Template, error){}}
	for _, name := range names {
		ps.pages[strings.TrimSuffix(strings.TrimPrefix(name, "templates/pages/"), ".gohtml")] = sync.OnceValues(func() (*template.Template, error) {
			b, err := base()
			if err != nil {
				return nil, err
			}
			t, err := b.Clone()
			if err != nil {
				return nil, err
			}
			if t, err = t.ParseFS(templateFiles, name); err != nil {
				return nil, fmt.Errorf("web: %s: %w", name, err)
			}
			return t, nil
		})
	}
	return ps, nil
}

// get returns the page's template, parsed.
func (ps *pageSet) get(name string) (*template.Template, error) {
	parse, ok := ps.pages[name]
	if !ok {
		return nil, fmt.Errorf("web: no page %q", name)
	}
	return parse()
}

// Page is what the layout shows around a page's own content.
type Page struct {
	// Title is the page's title without the service name; Error: is put
	// before it when the page shows errors.
	Title        string
	BackLink     *govuk.BackLink
	ErrorSummary *govuk.ErrorSummary
	// CSRF is the token every form that changes state carries.
	CSRF string
	// Staff, on a staff page, is the navigation and the sign-out form.
	Staff *staffChrome
	// Data is the page's own.
	Data any
}

// render writes the page with status. A page that cannot be rendered is a
// fault of ours: it is logged and the error page shown instead.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p Page) {
	t, err := s.pages.get(name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := p.Title + " - " + s.text.T("service.name")
	if p.Title == s.text.T("service.name") {
		title = p.Title
	}
	if p.ErrorSummary != nil {
		title = s.text.T("error.titlePrefix") + " " + title
	}
	p.Title = title
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		if name == "error" {
			http.Error(w, s.text.T("error.problem.title"), http.StatusInternalServerError)
			slog.ErrorContext(r.Context(), "error page could not be rendered", "error", err)
			return
		}
		s.fail(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// errorPage is the data of the error page.
type errorPage struct {
	Heading string
	Body    []string
	// Start, when set, is a link to begin again.
	Start bool
	// Staff, when set, is a link to the staff pages, to sign in again.
	Staff bool
}

// showError shows the error page with status and the catalogue's texts
// under key (error.<key>.title, .body).
func (s *Server) showError(w http.ResponseWriter, r *http.Request, status int, key string, start bool) {
	s.render(w, r, status, "error", Page{
		Title: s.text.T("error." + key + ".title"),
		Data:  errorPage{Heading: s.text.T("error." + key + ".title"), Body: s.paragraphs("error." + key), Start: start},
	})
}

// paragraphs are the catalogue's <prefix>.body1, .body2 and so on.
func (s *Server) paragraphs(prefix string) []string {
	var body []string
	for i := 1; s.text.Has(fmt.Sprintf("%s.body%d", prefix, i)); i++ {
		body = append(body, s.text.T(fmt.Sprintf("%s.body%d", prefix, i), "phone", s.cfg.HubPhone))
	}
	return body
}

// showStaffError is showError with a link to sign in to the staff pages
// again.
func (s *Server) showStaffError(w http.ResponseWriter, r *http.Request, status int, key string) {
	s.render(w, r, status, "error", Page{
		Title: s.text.T("error." + key + ".title"),
		Data:  errorPage{Heading: s.text.T("error." + key + ".title"), Body: s.paragraphs("error." + key), Staff: true},
	})
}

// fail logs a fault of ours (never a request's content) and shows the
// problem page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.DeadlineExceeded) {
		// A dependency that did not answer in the time there was.
		s.unavailable(w, r, err)
		return
	}
	slog.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "method", r.Method, "error", err)
	s.showError(w, r, http.StatusInternalServerError, "problem", false)
}

// unavailable shows the page for a dependency that is down: nothing was
// lost, try again.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	slog.WarnContext(r.Context(), "page unavailable", "path", r.URL.Path, "method", r.Method, "error", err)
	w.Header().Set("Retry-After", "60")
	s.showError(w, r, http.StatusServiceUnavailable, "unavailable", false)
}
