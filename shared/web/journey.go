package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/csc-frontdoor/frontdoor/shared/web/answers"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
)

// cookieName is the draft's cookie: __Host- so that it is sent only to
// this host over HTTPS and cannot be set by a sibling domain.
const cookieName = "__Host-frontdoor-draft"

// routes registers the pages.
func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.start)
	mux.HandleFunc("POST /refer/start", s.begin)
	for _, q := range s.questions() {
		mux.HandleFunc("GET /refer/"+q.key, s.withDraft(q.show))
		mux.HandleFunc("POST /refer/"+q.key, s.withDraft(q.save))
	}
	s.listRoutes(mux)
	s.checkRoutes(mux)
	s.statusRoutes(mux)
	mux.HandleFunc("GET /help/{page}", s.help)
	if s.cfg.SignIn != nil {
		s.staffRoutes(mux)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.showError(w, r, http.StatusNotFound, "notFound", false)
	})
}

// helpPages are the pages the footer links to.
var helpPages = []string{"accessibility", "privacy", "cookies"}

// help shows a page of the footer: its title and paragraphs from the
// catalogue (help.<page>.title, .bodyN).
func (s *Server) help(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("page")
	if !slices.Contains(helpPages, name) {
		s.showError(w, r, http.StatusNotFound, "notFound", false)
		return
	}
	title := s.text.T("help." + name + ".title")
	s.render(w, r, http.StatusOK, "error", Page{Title: title, Data: errorPage{Heading: title, Body: s.paragraphs("help." + name)}})
}

// startPage is the start page's data.
type startPage struct {
	Emergency govuk.WarningText
	Start     govuk.Button
}

// start shows the start page.
func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "start", Page{
		Title: s.text.T("start.title"),
		Data: startPage{
			Emergency: govuk.WarningText{Text: s.text.T("start.notEmergency"), IconFallbackText: s.text.T("common.warning")},
			Start:     govuk.Button{Text: s.text.T("start.button"), IsStartButton: true},
		},
	})
}

// begin starts a draft and sends the referrer to the first question. The
// start form carries no token (there is no draft yet to tie one to); a
// cross-site post is refused by the cross-origin protection, and could only
// start an empty draft.
func (s *Server) begin(w http.ResponseWriter, r *http.Request) {
	d := draft.New()
	d.UpdatedAt = s.cfg.Now().UTC()
	if err := s.cfg.Drafts.SaveDraft(r.Context(), d); err != nil {
		s.unavailable(w, r, err)
		return
	}
	setDraftCookie(w, d.ID)
	http.Redirect(w, r, "/refer/"+answers.PageRisk, http.StatusSeeOther)
}

// setDraftCookie names the draft in the browser.
func setDraftCookie(w http.ResponseWriter, id string) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: id, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		// A session cookie: gone when the browser closes; the draft itself
		// expires after draft.Idle.
	})
}

// draftHandler handles a request on the referrer's draft.
type draftHandler func(w http.ResponseWriter, r *http.Request, d *draft.Draft)

// withDraft reads the draft the cookie names; a request without one, or
// whose draft expired, is sent to begin again. A post must carry the
// draft's token.
func (s *Server) withDraft(h draftHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, ok := s.cookieDraft(w, r)
		if !ok {
			return
		}
		if r.Method == http.MethodPost && !checkToken(r, d.CSRF) {
			s.showError(w, r, http.StatusForbidden, "badToken", false)
			return
		}
		if d.Receipt != nil {
			http.Redirect(w, r, "/refer/confirmation", http.StatusSeeOther)
			return
		}
		h(w, r, d)
	}
}

// cookieDraft reads the draft the cookie names. Without one, or when it
// expired, it shows the page to begin again, and when the store cannot be
// read the unavailable page; either way it reports false.
func (s *Server) cookieDraft(w http.ResponseWriter, r *http.Request) (*draft.Draft, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		s.showError(w, r, http.StatusNotFound, "expired", true)
		return nil, false
	}
	d, err := s.cfg.Drafts.Draft(r.Context(), c.Value, s.cfg.Now())
	if errors.Is(err, draft.ErrNotFound) {
		s.showError(w, r, http.StatusNotFound, "expired", true)
		return nil, false
	}
	if err != nil {
		s.unavailable(w, r, err)
		return nil, false
	}
	return d, true
}

// question is one question page of the journey.
type question struct {
	s   *Server
	key string
	// fields are the form fields the page keeps.
	fields []string
	// title is the catalogue key of the page's title.
	title string
	// view builds the page's components from its answers and errors.
	view func(v url.Values, errs map[string]string) questionPage
	// back is the page before; next where the page goes once its answers
	// are saved.
	back, next func(d *draft.Draft) string
}

// questionPage is the data of the question template.
type questionPage struct {
	// Caption is shown above the heading (the section: "Child 2").
	Caption string
	Heading string
	// Lead are paragraphs under the heading.
	Lead   []string
	Fields []field
	Button govuk.Button
}

// field is one component of a question page; one member is set.
type field struct {
	Input       *govuk.Input
	Radios      *govuk.Radios
	Checkboxes  *govuk.Checkboxes
	Textarea    *govuk.Textarea
	DateInput   *govuk.DateInput
	Warning     *govuk.WarningText
	SummaryList *govuk.SummaryList
	// Hidden is a hidden input: Hidden[0] its name, Hidden[1] its value.
	Hidden []string
	// Revealed names the fields inside the Radios' conditional reveals,
	// for the error summary's order.
	Revealed []string
}

// show shows the page with its saved answers.
func (q question) show(w http.ResponseWriter, r *http.Request, d *draft.Draft) {
	q.s.renderQuestion(w, r, http.StatusOK, q, d, d.Answers[q.key], nil)
}

// save keeps the page's answers and, when the referral's rules find
// nothing wrong with them, goes on; otherwise the page is shown again with
// its errors and the answers as typed.
func (q question) save(w http.ResponseWriter, r *http.Request, d *draft.Draft) {
	v := url.Values{}
	for _, f := range q.fields {
		if vals, ok := r.PostForm[f]; ok {
			v[f] = vals
		}
	}
	if d.Answers == nil {
		d.Answers = map[string]url.Values{}
	}
	d.Answers[q.key] = v
	if !q.s.saveOrRetry(w, r, d) {
		return
	}
	if errs := q.s.problems(d, q.key); len(errs) > 0 {
		q.s.renderQuestion(w, r, http.StatusUnprocessableEntity, q, d, v, errs)
		return
	}
	http.Redirect(w, r, onward(r, q.next(d)), http.StatusSeeOther)
}

// returning reports whether the page was opened from check answers, to
// which it then goes back: the only place a page returns to (?return=check),
// so that no link can send a person elsewhere.
func returning(r *http.Request) bool { return r.URL.Query().Get("return") == "check" }

// onward is where a saved page goes: next, or back to check answers when
// opened from there, unless next is a page that must be answered first
// (the missing episode a changed concern now asks for), which then
// returns.
func onward(r *http.Request, next string) string {
	switch {
	case !returning(r):
		return next
	case next == pathMissing:
		return next + "?return=check"
	}
	return pathCheck
}

// backTo is the back link: check answers when the page was opened from
// there.
func backTo(r *http.Request, back string) string {
	if returning(r) {
		return pathCheck
	}
	return back
}

// problems returns the problems on the page key of the referral the draft
// makes, in the order the rules find them: the answers' own (a date that
// is not a date), the strict reading's (control characters) and then
// referral.Validate's, the same rules as the API's.
func (s *Server) problems(d *draft.Draft, key string) []answers.FieldError {
	var out []answers.FieldError
	for _, e := range s.allProblems(d) {
		if e.Page == key {
			out = append(out, e)
		}
	}
	return out
}

// renderQuestion shows a question page with values and its errors: the
// error summary linking each to its field, and the message at the field.
func (s *Server) renderQuestion(w http.ResponseWriter, r *http.Request, status int, q question, d *draft.Draft, v url.Values, errs []answers.FieldError) {
	if v == nil {
		v = url.Values{}
	}
	byField := map[string]string{}
	var summary *govuk.ErrorSummary
	if len(errs) > 0 {
		summary = &govuk.ErrorSummary{TitleText: s.text.T("error.summaryTitle")}
		for _, e := range errs {
			if _, dup := byField[e.Field]; dup {
				continue
			}
			byField[e.Field] = e.Message
			summary.ErrorList = append(summary.ErrorList, govuk.ErrorItem{Text: e.Message, Href: "#" + fieldID(e.Field, allDates)})
		}
	}
	page := q.view(v, byField)
	if page.Button.Text == "" {
		page.Button = govuk.Button{Text: s.text.T("common.continue"), PreventDoubleClick: true}
	}
	s.render(w, r, status, "question", Page{
		Title:        s.text.T(q.title),
		BackLink:     &govuk.BackLink{Href: backTo(r, q.back(d)), Text: s.text.T("common.back")},
		ErrorSummary: summary,
		CSRF:         d.CSRF,
		Data:         page,
	})
}
