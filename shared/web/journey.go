package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
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
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.showError(w, r, http.StatusNotFound, "notFound", false)
	})
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
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: d.ID, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		// A session cookie: gone when the browser closes; the draft itself
		// expires after draft.Idle.
	})
	http.Redirect(w, r, "/refer/"+answers.PageRisk, http.StatusSeeOther)
}

// draftHandler handles a request on the referrer's draft.
type draftHandler func(w http.ResponseWriter, r *http.Request, d *draft.Draft)

// withDraft reads the draft the cookie names; a request without one, or
// whose draft expired, is sent to begin again. A post must carry the
// draft's token.
func (s *Server) withDraft(h draftHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(cookieName)
		if err != nil || c.Value == "" {
			s.showError(w, r, http.StatusNotFound, "expired", true)
			return
		}
		d, err := s.cfg.Drafts.Draft(r.Context(), c.Value, s.cfg.Now())
		if errors.Is(err, draft.ErrNotFound) {
			s.showError(w, r, http.StatusNotFound, "expired", true)
			return
		}
		if err != nil {
			s.unavailable(w, r, err)
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
	// next is where the page goes once its answers are saved.
	next func(d *draft.Draft) string
}

// questionPage is the data of the question template.
type questionPage struct {
	Heading string
	Fields  []field
	Button  govuk.Button
}

// field is one component of a question page; one member is set.
type field struct {
	Input      *govuk.Input
	Radios     *govuk.Radios
	Checkboxes *govuk.Checkboxes
	Textarea   *govuk.Textarea
	DateInput  *govuk.DateInput
	Warning    *govuk.WarningText
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
	d.UpdatedAt = q.s.cfg.Now().UTC()
	if err := q.s.cfg.Drafts.SaveDraft(r.Context(), d); err != nil {
		if errors.Is(err, draft.ErrChanged) {
			// Another tab saved meanwhile: show what is kept now.
			http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
			return
		}
		q.s.unavailable(w, r, err)
		return
	}
	if errs := q.s.problems(d, q.key); len(errs) > 0 {
		q.s.renderQuestion(w, r, http.StatusUnprocessableEntity, q, d, v, errs)
		return
	}
	http.Redirect(w, r, q.next(d), http.StatusSeeOther)
}

// problems returns the problems on the page key of the referral the draft
// makes, in the order the rules find them: the answers' own (a date that
// is not a date), the strict reading's (control characters) and then
// referral.Validate's, the same rules as the API's.
func (s *Server) problems(d *draft.Draft, key string) []answers.FieldError {
	form, errs := answers.Build(d)
	var found []answers.FieldError
	for _, e := range errs {
		if e.Page == key {
			found = append(found, e)
		}
	}
	// The API's strict reading of the same referral: control characters,
	// sizes.
	if body, err := json.Marshal(form); err == nil {
		if _, err := referral.Decode(body); err != nil {
			placed, _ := answers.PlaceAll(d, err)
			found = append(found, onPage(placed, key)...)
		}
	}
	placed, _ := answers.PlaceAll(d, referral.Validate(form, s.cfg.Now()))
	return append(found, onPage(placed, key)...)
}

// onPage keeps the problems on page key, one per field (the first).
func onPage(errs []answers.FieldError, key string) []answers.FieldError {
	var out []answers.FieldError
	seen := map[string]bool{}
	for _, e := range errs {
		if e.Page == key && !seen[e.Field] {
			seen[e.Field] = true
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
			summary.ErrorList = append(summary.ErrorList, govuk.ErrorItem{Text: e.Message, Href: "#" + e.Field})
		}
	}
	page := q.view(v, byField)
	page.Button = govuk.Button{Text: s.text.T("common.continue"), PreventDoubleClick: true}
	s.render(w, r, status, "question", Page{
		Title:        s.text.T(q.title),
		BackLink:     &govuk.BackLink{Href: "/", Text: s.text.T("common.back")},
		ErrorSummary: summary,
		CSRF:         d.CSRF,
		Data:         page,
	})
}
