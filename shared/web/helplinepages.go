package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/internal/lazyre"
	"github.com/csc-frontdoor/frontdoor/shared/web/answers"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
	"github.com/csc-frontdoor/frontdoor/shared/web/session"
)

// The helpline adviser's pages: log a call (the caller may be anonymous)
// and the adviser's own recent calls, over the service of the API's
// helpline routes.

// Helpline logs and lists the parenting helpline's calls.
type Helpline interface {
	Log(ctx context.Context, body []byte, idempotencyKey string, meta audit.Request) (*helpline.Receipt, bool, error)
	List(ctx context.Context, params map[string]string, meta audit.Request) (*helpline.Page, error)
	Escalate(ctx context.Context, callID string, body []byte, meta audit.Request) (*helpline.EscalationReceipt, bool, error)
}

var helplineRoles = []auth.Role{auth.Helpline}

const (
	pathCalls   = "/staff/calls"
	pathNewCall = "/staff/calls/new"
)

// callsPage is the adviser's list of calls.
type callsPage struct {
	Banner *govuk.NotificationBanner
	New    govuk.Button
	Table  *govuk.Table
	// Next is the next page's link, when there is one.
	Next string
}

// calls lists the calls the adviser logged in the last 7 days, newest
// first, a page at a time (every one shown is audited by the service).
func (s *Server) calls(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	params := map[string]string{"loggedBy": "me", "limit": "50"}
	if c := r.URL.Query().Get("cursor"); c != "" {
		// The cursor holds the range of the first page.
		params["cursor"] = c
	} else {
		params["from"] = s.cfg.Now().Add(-7 * 24 * time.Hour).UTC().Format(time.RFC3339)
	}
	pg, err := s.cfg.Helpline.List(r.Context(), params, staffRequest(r, ses, helplineRoles))
	if e := apperr.As(err); e != nil && e.Code == apperr.Malformed && params["cursor"] != "" {
		// A cursor not of these pages: start again.
		http.Redirect(w, r, pathCalls, http.StatusSeeOther)
		return
	}
	if err != nil {
		s.staffFailure(w, r, err)
		return
	}
	t := s.text.T
	p := callsPage{New: govuk.Button{Text: t("calls.new"), Href: pathNewCall}}
	if pg.Next != "" {
		p.Next = pathCalls + "?" + url.Values{"cursor": {pg.Next}}.Encode()
	}
	var rows [][]govuk.TableCell
	for _, c := range pg.Calls {
		caller := t("callerType." + string(c.Call.Caller.Type))
		if c.Call.Caller.Anonymous != nil && *c.Call.Caller.Anonymous {
			caller += ", " + t("calls.anonymous")
		}
		var topics []string
		for _, tp := range c.Call.Topics {
			topics = append(topics, t("topic."+string(tp)))
		}
		concern := t("common.no")
		if c.Call.Concern() {
			concern = t("common.yes")
			if c.Status == helpline.StatusEscalated {
				concern += ", " + t("calls.escalated")
			}
		}
		action := govuk.TableCell{}
		if c.Call.Concern() && c.Status == helpline.StatusLogged {
			action.HTML = s.component("refer-call", struct{ ID, CSRF, Text, Hidden string }{c.ID, ses.CSRF, t("calls.refer"), when(c.CalledAt)})
		}
		rows = append(rows, []govuk.TableCell{{Text: when(c.CalledAt)}, {Text: caller}, {Text: strings.Join(topics, ", ")}, {Text: concern}, action})
	}
	if len(rows) > 0 {
		p.Table = &govuk.Table{Caption: t("calls.caption"), CaptionClasses: "govuk-visually-hidden",
			Head: []govuk.TableCell{{Text: t("calls.calledAt")}, {Text: t("calls.caller")}, {Text: t("calls.topics")}, {Text: t("calls.concern")},
				{HTML: s.component("visually-hidden", t("calls.action"))}}, Rows: rows}
	}
	switch r.URL.Query().Get("logged") {
	case "concern":
		p.Banner = &govuk.NotificationBanner{Type: "success", Text: t("calls.loggedConcern")}
	case "yes":
		p.Banner = &govuk.NotificationBanner{Type: "success", Text: t("calls.logged")}
	}
	s.renderStaff(w, r, http.StatusOK, "calls", ses, Page{Title: t("calls.title"), Data: p})
}

// callFields are the log-a-call form's fields.
var callFields = []string{"calledAt-day", "calledAt-month", "calledAt-year", "calledAt-time", "durationMinutes", "callerType", "anonymous",
	"firstName", "phone", "email", "childAgeBands", "topics", "adviceGiven", "signposting", "safeguardingConcern", "followUpCallAgreed", "key"}

// newCall shows the form to log a call, the time of the call set to now.
func (s *Server) newCall(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	now := s.cfg.Now().In(calendar.London())
	v := url.Values{
		"calledAt-day": {strconv.Itoa(now.Day())}, "calledAt-month": {strconv.Itoa(int(now.Month()))},
		"calledAt-year": {strconv.Itoa(now.Year())}, "calledAt-time": {now.Format("15:04")},
		"key": {ids.NewToken()},
	}
	s.showCallForm(w, r, http.StatusOK, ses, v, nil)
}

// codes are a list of codes as strings.
func codes[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = string(c)
	}
	return out
}

// checkboxes are checkboxes of values labelled <key>.<value>.
func (s *Server) checkboxes(v url.Values, errs map[string]string, name, key string, values []string) *govuk.Checkboxes {
	c := &govuk.Checkboxes{
		Name: name, IDPrefix: name, Values: v[name],
		Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T(key + ".legend"), Classes: "govuk-fieldset__legend--s"}},
		Hint:         s.hint(key + ".hint"),
		ErrorMessage: s.errorMessage(errs, name),
	}
	for _, val := range values {
		c.Items = append(c.Items, govuk.CheckboxItem{Value: val, Text: s.text.T(strings.TrimSuffix(key, "s") + "." + val)})
	}
	return c
}

// showCallForm shows the log-a-call form with values and errors.
func (s *Server) showCallForm(w http.ResponseWriter, r *http.Request, status int, ses *session.Session, v url.Values, errs map[string]string) {
	t := s.text.T
	duration := s.input(v, errs, "durationMinutes", "call.durationMinutes", "off", "")
	duration.Inputmode, duration.Classes = "numeric", "govuk-input--width-3"
	anonymous := s.yesNo(v, errs, "anonymous", "call.anonymous")
	anonymous.Classes = ""
	anonymous.Items[1].Conditional = &govuk.Conditional{HTML: s.component("question-fields", []field{
		{Input: s.input(v, errs, "firstName", "call.firstName", "off", "")},
		{Input: s.input(v, errs, "phone", "call.phone", "off", "tel")},
		{Input: s.input(v, errs, "email", "call.email", "off", "email")},
	})}
	fields := []field{
		{DateInput: s.dateInput(v, errs, "calledAt", "call.calledAt")},
		{Input: s.timeInput(v, errs, "calledAt-time")},
		{Input: duration},
		{Radios: s.choices(v, errs, "callerType", "callerType", codes(helpline.CallerTypes))},
		{Radios: anonymous},
		{Checkboxes: s.checkboxes(v, errs, "childAgeBands", "ageBands", codes(helpline.AgeBands))},
		{Checkboxes: s.checkboxes(v, errs, "topics", "topics", codes(helpline.Topics))},
		{Textarea: s.textarea(v, errs, "adviceGiven", "call.adviceGiven", 6)},
		{Checkboxes: s.checkboxes(v, errs, "signposting", "signposts", codes(helpline.Signposts))},
		{Radios: s.yesNo(v, errs, "safeguardingConcern", "call.safeguardingConcern")},
		{Radios: s.yesNo(v, errs, "followUpCallAgreed", "call.followUpCallAgreed")},
		{Hidden: []string{"key", v.Get("key")}},
	}
	summary := s.summary(errs, append([]string{"calledAt"}, callFields...), []string{"calledAt"})
	s.renderStaff(w, r, status, "question", ses, Page{
		Title: t("call.title"), ErrorSummary: summary, CSRF: ses.CSRF,
		BackLink: &govuk.BackLink{Href: pathCalls, Text: t("common.back")},
		Data: questionPage{Heading: t("call.title"), Lead: []string{t("call.lead")}, Fields: fields,
			Button: govuk.Button{Text: t("call.button"), PreventDoubleClick: true}},
	})
}

// callPath maps a call's JSON paths to the form's fields.
var callPath = lazyre.New(`^(?:caller\.)?([A-Za-z]+)(?:\[\d+\])?`)

// logCall logs the call through the service the API uses; the form's key
// makes sending it twice log it once.
func (s *Server) logCall(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	f := r.PostForm
	v := url.Values{}
	for _, k := range callFields {
		if vals, ok := f[k]; ok {
			v[k] = vals
		}
	}
	errs := map[string]string{}
	calledAt, derr := answers.ParseDateTime(v.Get("calledAt-day"), v.Get("calledAt-month"), v.Get("calledAt-year"), v.Get("calledAt-time"))
	if derr != nil {
		errs["calledAt-"+derr.Part] = derr.Message
	}
	caller := map[string]any{"type": v.Get("callerType")}
	switch v.Get("anonymous") {
	case "yes":
		caller["anonymous"] = true
	case "no":
		caller["anonymous"] = false
		for _, k := range []string{"firstName", "phone", "email"} {
			if x := strings.TrimSpace(v.Get(k)); x != "" {
				caller[k] = x
			}
		}
	}
	body := map[string]any{
		"calledAt": calledAt, "caller": caller, "adviceGiven": v.Get("adviceGiven"),
		"childAgeBands": orEmpty(v["childAgeBands"]), "topics": orEmpty(v["topics"]), "signposting": orEmpty(v["signposting"]),
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v.Get("durationMinutes"))); err == nil {
		body["durationMinutes"] = n
	} else if v.Get("durationMinutes") != "" {
		errs["durationMinutes"] = s.text.T("call.durationMinutes.number")
	}
	for _, k := range []string{"safeguardingConcern", "followUpCallAgreed"} {
		switch v.Get(k) {
		case "yes":
			body[k] = true
		case "no":
			body[k] = false
		}
	}
	b, err := json.Marshal(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rc, _, err := s.cfg.Helpline.Log(r.Context(), b, v.Get("key"), staffRequest(r, ses, helplineRoles))
	if err == nil && len(errs) == 0 {
		logged := "yes"
		if rc.SafeguardingConcern {
			logged = "concern"
		}
		http.Redirect(w, r, pathCalls+"?logged="+logged, http.StatusSeeOther)
		return
	}
	if e := apperr.As(err); err != nil && (e == nil || e.Code != apperr.Invalid) {
		s.staffFailure(w, r, err)
		return
	} else if e != nil {
		for _, fe := range e.Fields {
			name := fe.Field
			if m := callPath().FindStringSubmatch(fe.Field); m != nil {
				name = m[1]
				if strings.HasPrefix(fe.Field, "caller.type") {
					name = "callerType"
				}
			}
			if name == "calledAt" && (errs["calledAt-day"] != "" || errs["calledAt-month"] != "" || errs["calledAt-year"] != "" || errs["calledAt-time"] != "") {
				continue // the date's own error says it first
			}
			if _, dup := errs[name]; !dup {
				errs[name] = fe.Message
			}
		}
	}
	s.showCallForm(w, r, http.StatusUnprocessableEntity, ses, v, errs)
}

// orEmpty is a list as JSON wants it: [] for none.
func orEmpty(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// referCall starts the partners' referral pages for a call that raised a
// safeguarding concern, the adviser as referrer: a draft prefilled from
// the call, sent at the end as the call's escalation (one referral from a
// call, however often it is tried), by this adviser only.
func (s *Server) referCall(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	id := r.PathValue("id")
	pg, err := s.cfg.Helpline.List(r.Context(), map[string]string{"limit": "100"}, staffRequest(r, ses, helplineRoles))
	if err != nil {
		s.staffFailure(w, r, err)
		return
	}
	var call *helpline.Record
	for i := range pg.Calls {
		if pg.Calls[i].ID == id {
			call = &pg.Calls[i]
		}
	}
	if call == nil || !call.Call.Concern() || call.Status != helpline.StatusLogged {
		s.showError(w, r, http.StatusNotFound, "notFound", false)
		return
	}
	d := draft.New()
	d.UpdatedAt = s.cfg.Now().UTC()
	d.HelplineCall, d.Staff = id, ids.Hash(ses.ID)
	d.Answers[answers.PageReferrer] = url.Values{
		"role": {s.text.T("calls.referrerRole")}, "organisation": {s.text.T("calls.referrerOrganisation")}, "agencyType": {"helpline"},
	}
	d.Answers[answers.PageConcerns] = url.Values{"account": {s.text.T("calls.account", "when", when(call.CalledAt), "advice", call.Call.AdviceGiven)}}
	if err := s.cfg.Drafts.SaveDraft(r.Context(), d); err != nil {
		s.unavailable(w, r, err)
		return
	}
	setDraftCookie(w, d.ID)
	http.Redirect(w, r, "/refer/"+answers.PageRisk, http.StatusSeeOther)
}
