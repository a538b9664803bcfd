package web

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/followup/worklist"
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
// for (or, for the MASH manager, of all), most urgent first.
func (s *Server) followUps(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	q, err := worklist.ParseQuery(map[string]string{"limit": "50"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.cfg.Worklist.List(r.Context(), s.caller(r, ses), q)
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
	s.renderStaff(w, r, http.StatusOK, "follow-ups", ses, Page{Title: t("followUps.title"), Data: struct{ Table *govuk.Table }{table}})
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

// findFollowUp is the follow-up id among those the person may see.
func (s *Server) findFollowUp(ctx context.Context, c worklist.Caller, id string) (*worklist.View, error) {
	q := worklist.Query{Statuses: worklist.ListStatuses, Limit: 100}
	for range 50 {
		l, err := s.cfg.Worklist.List(ctx, c, q)
		if err != nil {
			return nil, err
		}
		for i := range l.FollowUps {
			if l.FollowUps[i].ID == id {
				return &l.FollowUps[i], nil
			}
		}
		if l.Next == "" {
			break
		}
		q.Cursor = l.Next
	}
	return nil, apperr.New(apperr.NotFound, "There is no such follow-up.")
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
	v, err := s.findFollowUp(r.Context(), s.caller(r, ses), r.PathValue("id"))
	if err != nil {
		s.staffFailure(w, r, err)
		return
	}
	var banner *govuk.NotificationBanner
	if r.URL.Query().Get("recorded") == "1" {
		banner = &govuk.NotificationBanner{Type: "success", Text: s.text.T("followUp.recorded")}
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
			p.Forms = append(p.Forms, eventForm{Type: "COMPLETE", Heading: t("followUp.rhi.heading"), Fields: []field{
				{DateInput: s.dateInput(vals, errs, "returnHomeInterview-interviewedAt", "followUp.interviewedAt")},
				{Input: s.timeInput(vals, errs, "returnHomeInterview-interviewedAt-time")},
				{Radios: s.choices(vals, errs, "returnHomeInterview-method", "method", methods)},
				{Textarea: s.textarea(vals, errs, "returnHomeInterview-pushFactors", "followUp.pushFactors", 3)},
				{Textarea: s.textarea(vals, errs, "returnHomeInterview-pullFactors", "followUp.pullFactors", 3)},
				{Textarea: s.textarea(vals, errs, "returnHomeInterview-whereChildWas", "followUp.whereChildWas", 3)},
				{Textarea: s.textarea(vals, errs, "returnHomeInterview-withWhom", "followUp.withWhom", 3)},
				{Radios: s.yesNo(vals, errs, "returnHomeInterview-harmSuffered", "followUp.harmSuffered")},
				{Radios: s.yesNo(vals, errs, "returnHomeInterview-exploitationSigns", "followUp.exploitationSigns")},
				{Radios: s.yesNo(vals, errs, "returnHomeInterview-newReferralNeeded", "followUp.newReferralNeeded")},
			}, Button: govuk.Button{Text: t("followUp.complete.button"), PreventDoubleClick: true}})
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
		return []string{f.Radios.Name}
	case f.Textarea != nil:
		return []string{f.Textarea.Name}
	}
	return nil
}

// recordEvent sends one of the forms through the service the API uses.
func (s *Server) recordEvent(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	id := r.PathValue("id")
	f := r.PostForm
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
		if f.Has("returnHomeInterview-method") || f.Has("returnHomeInterview-interviewedAt-day") {
			body["returnHomeInterview"] = map[string]any{
				"interviewedAt": at("returnHomeInterview-interviewedAt"), "method": f.Get("returnHomeInterview-method"),
				"pushFactors": f.Get("returnHomeInterview-pushFactors"), "pullFactors": f.Get("returnHomeInterview-pullFactors"),
				"whereChildWas": f.Get("returnHomeInterview-whereChildWas"), "withWhom": f.Get("returnHomeInterview-withWhom"),
				"harmSuffered": yes("returnHomeInterview-harmSuffered"), "exploitationSigns": yes("returnHomeInterview-exploitationSigns"),
				"newReferralNeeded": yes("returnHomeInterview-newReferralNeeded"),
			}
		} else {
			body["appropriateAdult"] = map[string]any{"arrivedAt": at("appropriateAdult-arrivedAt"), "leftAt": at("appropriateAdult-leftAt"), "outcome": f.Get("appropriateAdult-outcome")}
		}
	}
	b, err := json.Marshal(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := s.caller(r, ses)
	_, err = s.cfg.Worklist.Record(r.Context(), c, id, b)
	if err == nil && len(errs) == 0 {
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
			name := strings.ReplaceAll(fe.Field, ".", "-")
			if _, dup := errs[name]; !dup {
				errs[name] = fe.Message
			}
		}
		if len(e.Fields) == 0 {
			errs[""] = e.Message
		}
	}
	v, ferr := s.findFollowUp(r.Context(), c, id)
	if ferr != nil {
		s.staffFailure(w, r, ferr)
		return
	}
	s.showFollowUp(w, r, http.StatusUnprocessableEntity, ses, v, f, errs, nil)
}
