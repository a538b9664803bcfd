package web

import (
	"context"
	"encoding/json"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/followup/worklist"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/web/answers"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
	"github.com/csc-frontdoor/frontdoor/shared/web/session"
)

// The follow-up providers' pages: their own service's work list, the
// clocks in words, and accept, attempt, complete and decline as forms, over
// the service of the API's provider routes (which decides who sees and
// does what).

// Worklist lists follow-ups for providers and records their events.
type Worklist interface {
	List(ctx context.Context, c worklist.Caller, q worklist.Query) (*worklist.List, error)
	Record(ctx context.Context, c worklist.Caller, id string, body []byte) (*worklist.View, error)
	Check(ctx context.Context, c worklist.Caller, id string, body []byte) error
	Get(ctx context.Context, c worklist.Caller, id string) (*worklist.View, error)
}

// providerRoles may read follow-ups (the MASH manager too); providerActing
// may record what was done.
var (
	providerRoles  = []auth.Role{auth.ProviderRHI, auth.ProviderAA, auth.MASHManager}
	providerActing = []auth.Role{auth.ProviderRHI, auth.ProviderAA}
)

const pathFollowUps = "/staff/follow-ups"

func (s *Server) caller(r *http.Request, ses *session.Session) worklist.Caller {
	return worklist.Caller{Roles: ses.Roles, Request: staffRequest(r, ses, providerRoles)}
}

// followUps lists the active follow-ups of the providers the person works
// for (or, for the MASH manager, of all), most urgent first, 50 a page.
func (s *Server) followUps(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	params := map[string]string{"limit": "50"}
	if c := r.URL.Query().Get("cursor"); c != "" {
		params["cursor"] = c
	}
	q, err := worklist.ParseQuery(params)
	if err != nil {
		// A cursor not of these pages: start again.
		http.Redirect(w, r, pathFollowUps, http.StatusSeeOther)
		return
	}
	l, err := s.cfg.Worklist.List(r.Context(), s.caller(r, ses), q)
	if e := apperr.As(err); e != nil && e.Code == apperr.Malformed && q.Cursor != "" {
		http.Redirect(w, r, pathFollowUps, http.StatusSeeOther)
		return
	}
	if err != nil {
		s.staffFailure(w, r, err)
		return
	}
	t := s.text.T
	now := s.cfg.Now()
	var table *govuk.Table
	if len(l.FollowUps) > 0 {
		table = &govuk.Table{Caption: t("followUps.caption"), CaptionClasses: "govuk-visually-hidden",
			Head: []govuk.TableCell{{Text: t("followUps.who")}, {Text: t("referral.followUp.kind")}, {Text: t("referral.followUp.due")}, {Text: t("referral.followUp.status")}}}
		for _, f := range l.FollowUps {
			table.Rows = append(table.Rows, []govuk.TableCell{
				{HTML: s.link("/staff/follow-ups/"+f.ID, whoOf(f))},
				{Text: t("followUpKind." + string(f.Kind))},
				{Text: dueIn(f.DueAt, now)},
				{Text: t("followUpStatus." + string(f.Status))},
			})
		}
	}
	var next string
	if l.Next != "" {
		next = pathFollowUps + "?" + url.Values{"cursor": {l.Next}}.Encode()
	}
	s.renderStaff(w, r, http.StatusOK, "follow-ups", ses, Page{Title: t("followUps.title"), Data: struct {
		Table *govuk.Table
		Next  string
	}{table, next}})
}

// whoOf names the child or the detainee of a follow-up, or its kind.
func whoOf(v worklist.View) string {
	switch {
	case v.Child != nil && strings.TrimSpace(v.Child.FirstName+v.Child.LastName) != "":
		return strings.TrimSpace(v.Child.FirstName + " " + v.Child.LastName)
	case v.Custody != nil:
		return strings.TrimSpace(v.Custody.Detainee.FirstName + " " + v.Custody.Detainee.LastName)
	}
	return v.ID
}

// link is a link to href with text, both escaped.
func (s *Server) link(href, text string) template.HTML {
	return template.HTML(`<a class="govuk-link" href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(text) + `</a>`)
}

// eventForm is one of a follow-up's forms.
type eventForm struct {
	Type    string
	Heading string
	Fields  []field
	Button  govuk.Button
}

// followUpPage is a follow-up's page data.
type followUpPage struct {
	View    *worklist.View
	Who     string
	Kind    string
	Details *govuk.SummaryList
	Forms   []eventForm
	Version int
	Banner  *govuk.NotificationBanner
}

// followUp shows a follow-up and the forms its provider may send now.
func (s *Server) followUp(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	v, err := s.cfg.Worklist.Get(r.Context(), s.caller(r, ses), r.PathValue("id"))
	if err != nil {
		s.staffFailure(w, r, err)
		return
	}
	var banner *govuk.NotificationBanner
	if r.URL.Query().Get("recorded") == "1" {
		key := "followUp.recorded"
		if v.NewReferralID != "" {
			key = "followUp.recordedWithReferral"
		}
		banner = &govuk.NotificationBanner{Type: "success", Text: s.text.T(key)}
	}
	s.showFollowUp(w, r, http.StatusOK, ses, v, url.Values{}, nil, banner)
}

// eventDates are the date inputs of the forms, by prefix.
var eventDates = []string{"attempt-at", "decline-at", "returnHomeInterview-interviewedAt", "appropriateAdult-arrivedAt", "appropriateAdult-leftAt"}

func (s *Server) showFollowUp(w http.ResponseWriter, r *http.Request, status int, ses *session.Session, v *worklist.View, vals url.Values, errs map[string]string, banner *govuk.NotificationBanner) {
	t := s.text.T
	now := s.cfg.Now()
	rows := []govuk.SummaryRow{
		{Key: govuk.SummaryCell{Text: t("referral.followUp.status")}, Value: govuk.SummaryCell{Text: t("followUpStatus." + string(v.Status))}},
		{Key: govuk.SummaryCell{Text: t("followUp.clockStarted")}, Value: govuk.SummaryCell{Text: when(v.StartAt)}},
	}
	switch {
	case v.CompletedAt != nil:
		rows = append(rows, govuk.SummaryRow{Key: govuk.SummaryCell{Text: t("followUp.completedAt")}, Value: govuk.SummaryCell{Text: when(*v.CompletedAt)}})
	case v.Status == followup.StatusDeclined || v.Status == followup.StatusCancelled:
	default:
		rows = append(rows, govuk.SummaryRow{Key: govuk.SummaryCell{Text: t("referral.followUp.due")}, Value: govuk.SummaryCell{Text: dueIn(v.DueAt, now) + " (" + when(v.DueAt) + ")"}})
	}
	if c := v.Child; c != nil {
		rows = append(rows, govuk.SummaryRow{Key: govuk.SummaryCell{Text: t("check.address")}, Value: govuk.SummaryCell{HTML: lines(c.Address.Line1, c.Address.Line2, c.Address.Town, c.Address.Postcode)}})
	}
	if e := v.MissingEpisode; e != nil {
		rows = append(rows, govuk.SummaryRow{Key: govuk.SummaryCell{Text: t("missing.wentMissingAt.legend")}, Value: govuk.SummaryCell{Text: longTime(e.WentMissingAt)}})
		if e.ReturnedAt != "" {
			rows = append(rows, govuk.SummaryRow{Key: govuk.SummaryCell{Text: t("missing.returnedAt.legend")}, Value: govuk.SummaryCell{Text: longTime(e.ReturnedAt)}})
		}
	}
	if c := v.Custody; c != nil {
		rows = append(rows,
			govuk.SummaryRow{Key: govuk.SummaryCell{Text: t("followUp.custodySuite")}, Value: govuk.SummaryCell{Text: c.CustodySuite + ", " + c.CustodyNumber}},
			govuk.SummaryRow{Key: govuk.SummaryCell{Text: t("followUp.officer")}, Value: govuk.SummaryCell{Text: c.Officer.Name + ", " + c.Officer.Phone}})
	}
	p := followUpPage{View: v, Who: whoOf(*v), Kind: t("followUpKind." + string(v.Kind)), Details: &govuk.SummaryList{Rows: rows}, Version: v.Version, Banner: banner}
	_, acting := worklist.ActingRole(ses.Roles, v.Provider)
	active := v.Status == followup.StatusOpen || v.Status == followup.StatusOverdue || v.Status == followup.StatusAccepted
	if acting && active {
		methods := []string{string(followup.MethodInPerson), string(followup.MethodPhone), string(followup.MethodVideo), string(followup.MethodOther)}
		if v.AcceptedAt == nil {
			p.Forms = append(p.Forms, eventForm{Type: "ACCEPT", Heading: t("followUp.accept.heading"), Button: govuk.Button{Text: t("followUp.accept.button"), PreventDoubleClick: true}})
		}
		if v.Kind == followup.KindReturnHomeInterview {
			p.Forms = append(p.Forms, eventForm{Type: "ATTEMPT", Heading: t("followUp.attempt.heading"), Fields: []field{
				{DateInput: s.dateInput(vals, errs, "attempt-at", "followUp.attemptAt")},
				{Input: s.timeInput(vals, errs, "attempt-at-time")},
				{Radios: s.choices(vals, errs, "attempt-method", "method", methods)},
				{Textarea: s.textarea(vals, errs, "attempt-outcome", "followUp.attemptOutcome", 3)},
			}, Button: govuk.Button{Text: t("followUp.attempt.button"), Classes: "govuk-button--secondary", PreventDoubleClick: true}})
			needed := s.yesNo(vals, errs, rhiPrefix+"newReferralNeeded", "followUp.newReferralNeeded")
			needed.Items[0].Hint = s.hint("followUp.newReferralNeeded.yes.hint")
			fields := []field{
				{DateInput: s.dateInput(vals, errs, rhiPrefix+"interviewedAt", "followUp.interviewedAt")},
				{Input: s.timeInput(vals, errs, rhiPrefix+"interviewedAt-time")},
				{Radios: s.choices(vals, errs, rhiPrefix+"method", "method", methods)},
				{Textarea: s.textarea(vals, errs, rhiPrefix+"pushFactors", "followUp.pushFactors", 3)},
				{Textarea: s.textarea(vals, errs, rhiPrefix+"pullFactors", "followUp.pullFactors", 3)},
				{Textarea: s.textarea(vals, errs, rhiPrefix+"whereChildWas", "followUp.whereChildWas", 3)},
				{Textarea: s.textarea(vals, errs, rhiPrefix+"withWhom", "followUp.withWhom", 3)},
				s.yesWithDetails(vals, errs, rhiPrefix+"harmSuffered", "followUp.harmSuffered", rhiPrefix+"harmDetails", "followUp.harmDetails"),
				s.yesWithDetails(vals, errs, rhiPrefix+"exploitationSigns", "followUp.exploitationSigns", rhiPrefix+"exploitationDetails", "followUp.exploitationDetails"),
				{Radios: needed},
			}
			// The new referral's answers, when the provider came back from
			// them to change the interview's, go with it again.
			fields = append(fields, hidden(vals, func(name string) bool { return strings.HasPrefix(name, nrPrefix) })...)
			p.Forms = append(p.Forms, eventForm{Type: "COMPLETE", Heading: t("followUp.rhi.heading"), Fields: fields,
				Button: govuk.Button{Text: t("followUp.complete.button"), PreventDoubleClick: true}})
		}
		if v.Kind == followup.KindAppropriateAdult {
			var outcomes []string
			for _, o := range followup.CustodyOutcomes {
				outcomes = append(outcomes, string(o))
			}
			p.Forms = append(p.Forms, eventForm{Type: "COMPLETE", Heading: t("followUp.aa.heading"), Fields: []field{
				{DateInput: s.dateInput(vals, errs, "appropriateAdult-arrivedAt", "followUp.arrivedAt")},
				{Input: s.timeInput(vals, errs, "appropriateAdult-arrivedAt-time")},
				{DateInput: s.dateInput(vals, errs, "appropriateAdult-leftAt", "followUp.leftAt")},
				{Input: s.timeInput(vals, errs, "appropriateAdult-leftAt-time")},
				{Radios: s.choices(vals, errs, "appropriateAdult-outcome", "custodyOutcome", outcomes)},
			}, Button: govuk.Button{Text: t("followUp.complete.button"), PreventDoubleClick: true}})
		}
		p.Forms = append(p.Forms, eventForm{Type: "DECLINE", Heading: t("followUp.decline.heading"), Fields: []field{
			{DateInput: s.dateInput(vals, errs, "decline-at", "followUp.declineAt")},
			{Input: s.timeInput(vals, errs, "decline-at-time")},
			{Textarea: s.textarea(vals, errs, "decline-reason", "followUp.declineReason", 3)},
		}, Button: govuk.Button{Text: t("followUp.decline.button"), Classes: "govuk-button--warning", PreventDoubleClick: true}})
	}
	var order []string
	for _, f := range p.Forms {
		for _, fl := range f.Fields {
			order = append(order, fieldNames(fl)...)
		}
	}
	summary := s.summary(errs, order, eventDates)
	s.renderStaff(w, r, status, "follow-up", ses, Page{Title: t("followUp.title", "kind", p.Kind), ErrorSummary: summary, CSRF: ses.CSRF,
		BackLink: &govuk.BackLink{Href: pathFollowUps, Text: t("common.back")}, Data: p})
}

// fieldNames are the form names a field's problems can be under.
func fieldNames(f field) []string {
	switch {
	case f.DateInput != nil:
		p := f.DateInput.NamePrefix
		return []string{p, p + "-day", p + "-month", p + "-year"}
	case f.Input != nil:
		return []string{f.Input.Name}
	case f.Radios != nil:
		return append([]string{f.Radios.Name}, f.Revealed...)
	case f.Textarea != nil:
		return []string{f.Textarea.Name}
	case f.Checkboxes != nil:
		return []string{f.Checkboxes.Name}
	}
	return nil
}

// The return home interview's form fields are named rhiPrefix and the
// event's member; the new referral's nrPrefix and its member.
const (
	rhiPrefix = "returnHomeInterview-"
	nrPrefix  = rhiPrefix + "newReferral-"
	// nrWhole names a problem with the new referral as a whole.
	nrWhole = rhiPrefix + "newReferral"
)

// yesWithDetails is a yes/no question whose yes reveals a free-text
// answer: the details the service asks for when the answer is yes.
func (s *Server) yesWithDetails(v url.Values, errs map[string]string, name, key, details, detailsKey string) field {
	q := s.yesNo(v, errs, name, key)
	q.Classes = "" // a conditional reveal is never inline
	q.Items[0].Conditional = &govuk.Conditional{HTML: s.component("question-fields", []field{{Textarea: s.textarea(v, errs, details, detailsKey, 3)}})}
	return field{Radios: q, Revealed: []string{details}}
}

// hidden carries the answers in v whose names keep says, in name order,
// as hidden fields: the part of a form asked on another page.
func hidden(v url.Values, keep func(string) bool) []field {
	var out []field
	for _, name := range slices.Sorted(maps.Keys(v)) {
		if !keep(name) {
			continue
		}
		for _, val := range v[name] {
			out = append(out, field{Hidden: []string{name, val}})
		}
	}
	return out
}

// recordEvent sends one of the forms through the service the API uses.
//
// A completed return home interview that says a new referral is needed is
// asked in two parts: the interview, checked by the service's rules but not
// recorded, then the new referral, sent together with the interview as one
// completion, as the API takes it. The interview's answers are carried in
// the second part's form, and back again to change them.
func (s *Server) recordEvent(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	id := r.PathValue("id")
	f := r.PostForm
	c := s.caller(r, ses)
	if f.Has("change") {
		s.reshowEvent(w, r, http.StatusOK, ses, id, f, nil, false)
		return
	}
	body, errs, needsReferral := eventBody(f)
	b, err := json.Marshal(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	askReferral := needsReferral && f.Get("part") != "referral"
	if askReferral {
		// The new referral is what the next part asks.
		err = withoutField(s.cfg.Worklist.Check(r.Context(), c, id, b), "returnHomeInterview.newReferral")
	} else {
		_, err = s.cfg.Worklist.Record(r.Context(), c, id, b)
	}
	if err == nil && len(errs) == 0 {
		if askReferral {
			s.reshowEvent(w, r, http.StatusOK, ses, id, f, nil, true)
			return
		}
		http.Redirect(w, r, "/staff/follow-ups/"+id+"?recorded=1", http.StatusSeeOther)
		return
	}
	e := apperr.As(err)
	if err != nil && (e == nil || (e.Code != apperr.Invalid && e.Code != apperr.Malformed && e.Code != apperr.Conflict)) {
		s.staffFailure(w, r, err)
		return
	}
	if e != nil {
		for _, fe := range e.Fields {
			name := formName(fe.Field)
			if _, dup := errs[name]; !dup {
				errs[name] = fe.Message
			}
		}
		if len(e.Fields) == 0 {
			errs[""] = e.Message
		}
	}
	referralOnly := f.Get("part") == "referral"
	for name := range errs {
		if !strings.HasPrefix(name, nrPrefix) && name != nrWhole {
			referralOnly = false
		}
	}
	if !referralOnly {
		// The new referral is asked again after the interview.
		maps.DeleteFunc(errs, func(name, _ string) bool { return strings.HasPrefix(name, nrPrefix) || name == nrWhole })
	}
	s.reshowEvent(w, r, http.StatusUnprocessableEntity, ses, id, f, errs, referralOnly)
}

// reshowEvent shows follow-up id again with the answers vals and the
// problems errs: its page, or the new referral's.
func (s *Server) reshowEvent(w http.ResponseWriter, r *http.Request, status int, ses *session.Session, id string, vals url.Values, errs map[string]string, newReferral bool) {
	v, err := s.cfg.Worklist.Get(r.Context(), s.caller(r, ses), id)
	if err != nil {
		s.staffFailure(w, r, err)
		return
	}
	if newReferral {
		s.showNewReferral(w, r, status, ses, v, vals, errs)
		return
	}
	s.showFollowUp(w, r, status, ses, v, vals, errs, nil)
}

// formName is the form field a problem with an event's field is shown on:
// dots become dashes, and a problem with one of a list's values is the
// list's.
func formName(field string) string {
	if i := strings.IndexByte(field, '['); i >= 0 && strings.HasSuffix(field, "]") {
		field = field[:i]
	}
	return strings.ReplaceAll(field, ".", "-")
}

// withoutField is err without its problem with field: nil when that was
// its only one.
func withoutField(err error, field string) error {
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid || len(e.Fields) == 0 {
		return err
	}
	rest := slices.DeleteFunc(slices.Clone(e.Fields), func(fe apperr.FieldError) bool { return fe.Field == field })
	if len(rest) == 0 {
		return nil
	}
	return apperr.WithFields(e.Message, rest)
}

// eventBody is the event the form f sends, as the API takes it; the
// problems with answers that cannot be turned into one (a date that is not
// a date); and whether it completes a return home interview that says a
// new referral is needed.
func eventBody(f url.Values) (map[string]any, map[string]string, bool) {
	version, _ := strconv.Atoi(f.Get("version"))
	typ := f.Get("type")
	body := map[string]any{"type": typ, "version": version}
	errs := map[string]string{}
	at := func(prefix string) string {
		v, derr := answers.ParseDateTime(f.Get(prefix+"-day"), f.Get(prefix+"-month"), f.Get(prefix+"-year"), f.Get(prefix+"-time"))
		if derr != nil {
			errs[prefix+"-"+derr.Part] = derr.Message
		}
		return v
	}
	yes := func(name string) any {
		switch f.Get(name) {
		case "yes":
			return true
		case "no":
			return false
		}
		return nil
	}
	// Details are sent only with a yes, so that text typed and then
	// answered no to is not kept.
	details := func(question, name string) string {
		if f.Get(question) == "yes" {
			return f.Get(name)
		}
		return ""
	}
	needsReferral := false
	switch typ {
	case "ATTEMPT":
		body["attempt"] = map[string]any{"at": at("attempt-at"), "method": f.Get("attempt-method"), "outcome": f.Get("attempt-outcome")}
	case "DECLINE":
		d := map[string]any{"at": at("decline-at")}
		if reason := f.Get("decline-reason"); reason != "" {
			d["reason"] = reason
		}
		body["decline"] = d
	case "COMPLETE":
		if f.Has(rhiPrefix+"method") || f.Has(rhiPrefix+"interviewedAt-day") {
			rhi := map[string]any{
				"interviewedAt": at(rhiPrefix + "interviewedAt"), "method": f.Get(rhiPrefix + "method"),
				"pushFactors": f.Get(rhiPrefix + "pushFactors"), "pullFactors": f.Get(rhiPrefix + "pullFactors"),
				"whereChildWas": f.Get(rhiPrefix + "whereChildWas"), "withWhom": f.Get(rhiPrefix + "withWhom"),
				"harmSuffered": yes(rhiPrefix + "harmSuffered"), "harmDetails": details(rhiPrefix+"harmSuffered", rhiPrefix+"harmDetails"),
				"exploitationSigns":   yes(rhiPrefix + "exploitationSigns"),
				"exploitationDetails": details(rhiPrefix+"exploitationSigns", rhiPrefix+"exploitationDetails"),
				"newReferralNeeded":   yes(rhiPrefix + "newReferralNeeded"),
			}
			needsReferral = f.Get(rhiPrefix+"newReferralNeeded") == "yes"
			if needsReferral && f.Get("part") == "referral" {
				rhi["newReferral"] = followup.NewReferral{
					Referrer: answers.Referrer(f, nrPrefix+"referrer-"),
					Consent:  answers.Consent(f, nrPrefix+"consent-"),
					Concerns: answers.Concerns(f, nrPrefix+"concerns-"),
				}
			}
			body["returnHomeInterview"] = rhi
		} else {
			body["appropriateAdult"] = map[string]any{"arrivedAt": at("appropriateAdult-arrivedAt"), "leftAt": at("appropriateAdult-leftAt"), "outcome": f.Get("appropriateAdult-outcome")}
		}
	}
	return body, errs, needsReferral
}

// newReferralPage is the new referral's page data.
type newReferralPage struct {
	Caption   string
	Lead      []string
	Version   int
	Interview []field
	Sections  []section
	Send      govuk.Button
	Change    govuk.Button
}

// section is a part of a page under its heading.
type section struct {
	Heading string
	Fields  []field
}

// showNewReferral asks for the new referral a return home interview found
// was needed, the interview's answers going with it.
func (s *Server) showNewReferral(w http.ResponseWriter, r *http.Request, status int, ses *session.Session, v *worklist.View, vals url.Values, errs map[string]string) {
	t := s.text.T
	var categories []referral.Category
	for _, c := range referral.Categories {
		// The missing episode was referred already.
		if c != referral.CategoryMissing {
			categories = append(categories, c)
		}
	}
	concerns := append([]field{{Radios: s.riskRadios(vals, errs, nrPrefix+"concerns-immediateRisk")}},
		s.concernFields(vals, errs, nrPrefix+"concerns-", categories)...)
	p := newReferralPage{
		Caption: t("followUpKind."+string(v.Kind)) + ": " + whoOf(*v),
		Lead:    []string{t("newReferral.lead", "who", whoOf(*v)), t("newReferral.sent")},
		Version: v.Version,
		Interview: hidden(vals, func(name string) bool {
			return strings.HasPrefix(name, rhiPrefix) && !strings.HasPrefix(name, nrPrefix)
		}),
		Sections: []section{
			{Heading: t("newReferral.referrer"), Fields: s.referrerFields(vals, errs, nrPrefix+"referrer-")},
			{Heading: t("consent.title"), Fields: s.consentFields(vals, errs, nrPrefix+"consent-")},
			{Heading: t("newReferral.concerns"), Fields: concerns},
		},
		Send:   govuk.Button{Text: t("newReferral.send"), PreventDoubleClick: true},
		Change: govuk.Button{Text: t("newReferral.change"), Name: "change", Value: "interview", Classes: "govuk-button--secondary"},
	}
	var order []string
	for _, sec := range p.Sections {
		for _, fl := range sec.Fields {
			order = append(order, fieldNames(fl)...)
		}
	}
	s.renderStaff(w, r, status, "new-referral", ses, Page{Title: t("newReferral.title"), ErrorSummary: s.summary(errs, order, nil), CSRF: ses.CSRF, Data: p})
}
