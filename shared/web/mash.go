package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/lambdahttp"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
	"github.com/csc-frontdoor/frontdoor/shared/web/session"
)

// The MASH screener's pages: the triage queue, a referral, and recording a
// decision, over the services the API's MASH routes use.

// Casework reads referrals for staff, auditing every read: the service of
// GET /triage-queue and GET /referrals/{id}.
type Casework interface {
	Queue(ctx context.Context, q casework.QueueQuery, req audit.Request) (*casework.QueuePage, error)
	Referral(ctx context.Context, id string, req audit.Request) (*casework.ReferralView, error)
}

// Decisions records screening decisions: the service of POST
// /referrals/{id}/decisions.
type Decisions interface {
	Decide(ctx context.Context, referralID string, body []byte, m audit.Request) (*decision.Decision, error)
}

// mashRoles may screen referrals.
var mashRoles = []auth.Role{auth.MASH, auth.MASHManager}

const pathQueue = "/staff/queue"

// staffRequest is who asks, in which of roles, through which page: what the
// services audit.
func staffRequest(r *http.Request, ses *session.Session, roles []auth.Role) audit.Request {
	role := ""
	if i := slices.IndexFunc(ses.Roles, func(have auth.Role) bool { return slices.Contains(roles, have) }); i >= 0 {
		role = string(ses.Roles[i])
	}
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	return audit.Request{
		Actor: audit.Actor{ID: ses.Subject, Role: role, IP: ip},
		Route: r.Method + " " + r.Pattern[strings.Index(r.Pattern, " ")+1:], RequestID: lambdahttp.RequestID(r),
	}
}

// hasRole reports whether have holds one of roles.
func hasRole(have, roles []auth.Role) bool {
	return slices.ContainsFunc(have, func(r auth.Role) bool { return slices.Contains(roles, r) })
}

// staffFailure shows a service's error as a page: not found, unavailable,
// or a fault.
func (s *Server) staffFailure(w http.ResponseWriter, r *http.Request, err error) {
	e := apperr.As(err)
	switch {
	case e != nil && e.Code == apperr.NotFound:
		s.showError(w, r, http.StatusNotFound, "notFound", false)
	case e != nil && e.Code == apperr.Forbidden:
		s.showError(w, r, http.StatusForbidden, "noAccess", false)
	case e != nil && e.Code == apperr.Unavailable:
		s.unavailable(w, r, err)
	default:
		s.fail(w, r, err)
	}
}

// queuePage is the triage queue's data.
type queuePage struct {
	Filters []field
	Apply   govuk.Button
	Table   *govuk.Table
	Next    string
	Empty   bool
}

// queue shows a page of the triage queue: untriaged and overdue first,
// with priorities and due times in words, filters and paging.
func (s *Server) queue(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	in := r.URL.Query()
	params := map[string]string{}
	for _, k := range []string{"priority", "cursor"} {
		if v := in.Get(k); v != "" {
			params[k] = v
		}
	}
	if in.Get("overdue") == "true" {
		params["overdue"] = "true"
	}
	params["limit"] = "25"
	q, err := casework.ParseQueueQuery(params)
	if err != nil {
		// A filter or cursor not of these pages: start again.
		http.Redirect(w, r, pathQueue, http.StatusSeeOther)
		return
	}
	pg, err := s.cfg.Casework.Queue(r.Context(), q, staffRequest(r, ses, mashRoles))
	if err != nil {
		s.staffFailure(w, r, err)
		return
	}
	now := s.cfg.Now()
	t := s.text.T
	table := &govuk.Table{
		Caption: t("queue.caption"), CaptionClasses: "govuk-visually-hidden",
		Head: []govuk.TableCell{{Text: t("queue.reference")}, {Text: t("queue.priority")}, {Text: t("queue.due")}, {Text: t("queue.received")}, {Text: t("queue.children"), Format: "numeric"}, {Text: t("queue.reReferral")}},
	}
	for _, it := range pg.Items {
		due := t("queue.untriaged")
		if it.DecisionDueAt != nil {
			due = dueIn(*it.DecisionDueAt, now)
		}
		reRef := ""
		if it.ReReferral {
			reRef = t("common.yes")
		}
		table.Rows = append(table.Rows, []govuk.TableCell{
			{HTML: s.link("/staff/referrals/"+it.ID, it.Reference)},
			{HTML: s.priorityTag(it.Priority)},
			{Text: due},
			{Text: when(it.ReceivedAt)},
			{Text: strconv.Itoa(it.Children), Format: "numeric"},
			{Text: reRef},
		})
	}
	priorities := []govuk.RadioItem{{Value: "", Text: t("queue.filter.all")}}
	for _, p := range []string{"RED", "AMBER", "GREEN"} {
		priorities = append(priorities, govuk.RadioItem{Value: p, Text: t("priority." + p)})
	}
	data := queuePage{
		Filters: []field{
			{Radios: &govuk.Radios{Name: "priority", IDPrefix: "priority", Value: in.Get("priority"), Classes: "govuk-radios--inline govuk-radios--small",
				Fieldset: &govuk.Fieldset{Legend: &govuk.Legend{Text: t("queue.filter.priority"), Classes: "govuk-fieldset__legend--s"}}, Items: priorities}},
			{Checkboxes: &govuk.Checkboxes{Name: "overdue", IDPrefix: "overdue", Values: in["overdue"], Classes: "govuk-checkboxes--small",
				Fieldset: &govuk.Fieldset{Legend: &govuk.Legend{Text: t("queue.filter.overdueLegend"), Classes: "govuk-fieldset__legend--s"}},
				Items:    []govuk.CheckboxItem{{Value: "true", Text: t("queue.filter.overdue")}}}},
		},
		Apply: govuk.Button{Text: t("queue.filter.apply"), Classes: "govuk-button--secondary"},
		Table: table, Empty: len(pg.Items) == 0,
	}
	if pg.Next != "" {
		next := url.Values{"cursor": {pg.Next}}
		if p := in.Get("priority"); p != "" {
			next.Set("priority", p)
		}
		if in.Get("overdue") == "true" {
			next.Set("overdue", "true")
		}
		data.Next = pathQueue + "?" + next.Encode()
	}
	s.renderStaff(w, r, http.StatusOK, "queue", ses, Page{Title: t("queue.title"), Data: data})
}

// priorityTag is a priority as a GOV.UK tag: its colour and its word.
func (s *Server) priorityTag(p string) template.HTML {
	classes := map[string]string{"RED": "govuk-tag--red", "AMBER": "govuk-tag--orange", "GREEN": "govuk-tag--green"}
	text := s.text.T("queue.untriagedTag")
	class, ok := classes[p]
	if ok {
		text = s.text.T("priority." + p)
	} else {
		class = "govuk-tag--grey"
	}
	return s.component("govukTag", govuk.Tag{Text: text, Classes: class})
}

// dueIn says when something is due, in England: "overdue by 2 hours",
// "today 17:00", "tomorrow 09:30", "Mon 7 Dec 17:00".
func dueIn(due, now time.Time) string {
	if now.After(due) {
		return "overdue by " + span(now.Sub(due))
	}
	d, n := due.In(calendar.London()), now.In(calendar.London())
	day := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, calendar.London())
	}
	switch day(d).Sub(day(n)).Round(time.Hour) {
	case 0:
		return "today " + d.Format("15:04")
	case 24 * time.Hour:
		return "tomorrow " + d.Format("15:04")
	}
	return d.Format("Mon 2 Jan 15:04")
}

// span is a duration in words, to the minute, hour or day.
func span(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return strconv.Itoa(n) + " " + unit + "s"
	}
	switch {
	case d < time.Hour:
		return plural(max(1, int(d.Minutes())), "minute")
	case d < 48*time.Hour:
		return plural(int(d.Hours()), "hour")
	}
	return plural(int(d.Hours()/24), "day")
}

// referralPage is a referral's page data.
type referralPage struct {
	View      *casework.ReferralView
	Status    string
	Screening *govuk.SummaryList
	Reasons   []string
	Earlier   []earlierLink
	Cards     []govuk.SummaryList
	Addenda   []addendumView
	FollowUps *govuk.Table
	Decisions []decisionView
	Decide    *govuk.Button
	Banner    *govuk.NotificationBanner
	// Trail links to the audit trail, for the MASH manager.
	Trail string
}

type earlierLink struct{ Href, Text string }

type addendumView struct {
	When, Information string
	Urgent            bool
}

type decisionView struct {
	Summary    govuk.SummaryList
	Superseded bool
}

// referral shows a referral as staff read it (audited by the service):
// every section, its screening and reasons, earlier referrals, addenda,
// follow-ups and decisions.
func (s *Server) referral(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	v, err := s.cfg.Casework.Referral(r.Context(), r.PathValue("id"), staffRequest(r, ses, mashRoles))
	if err != nil {
		s.staffFailure(w, r, err)
		return
	}
	t := s.text.T
	now := s.cfg.Now()
	p := referralPage{View: v, Status: t("status." + string(v.Status)), Cards: s.cards(&v.Form, nil)}
	if sc := v.Screening; sc != nil {
		p.Screening = &govuk.SummaryList{Rows: []govuk.SummaryRow{
			{Key: govuk.SummaryCell{Text: t("referral.priority")}, Value: govuk.SummaryCell{HTML: s.priorityTag(sc.Priority)}},
			{Key: govuk.SummaryCell{Text: t("referral.decisionDue")}, Value: govuk.SummaryCell{Text: dueIn(sc.DecisionDueAt, now) + " (" + when(sc.DecisionDueAt) + ")"}},
			{Key: govuk.SummaryCell{Text: t("referral.reReferral")}, Value: govuk.SummaryCell{Text: map[bool]string{true: t("common.yes"), false: t("common.no")}[sc.ReReferral]}},
		}}
		p.Reasons = sc.Reasons
		for _, e := range sc.EarlierReferrals {
			p.Earlier = append(p.Earlier, earlierLink{Href: "/staff/referrals/" + e.ID, Text: t("referral.earlierOn", "date", when(e.ReceivedAt))})
		}
	}
	for _, a := range v.Addenda {
		p.Addenda = append(p.Addenda, addendumView{When: when(a.ReceivedAt), Information: a.Information, Urgent: a.Urgent})
	}
	if len(v.FollowUps) > 0 {
		p.FollowUps = &govuk.Table{Caption: t("referral.followUps"), CaptionClasses: "govuk-visually-hidden",
			Head: []govuk.TableCell{{Text: t("referral.followUp.kind")}, {Text: t("referral.followUp.status")}, {Text: t("referral.followUp.due")}}}
		for _, f := range v.FollowUps {
			due := dueIn(f.DueAt, now)
			switch {
			case f.CompletedAt != nil:
				due = t("followUp.completedOn", "when", when(*f.CompletedAt))
			case f.Status == followup.StatusDeclined || f.Status == followup.StatusCancelled:
				due = ""
			}
			p.FollowUps.Rows = append(p.FollowUps.Rows, []govuk.TableCell{{Text: t("followUpKind." + string(f.Kind))}, {Text: t("followUpStatus." + string(f.Status))}, {Text: due}})
		}
	}
	for _, d := range v.Decisions {
		p.Decisions = append(p.Decisions, decisionView{Summary: s.decisionSummary(d), Superseded: d.SupersededBy != ""})
	}
	if v.Status == referral.StatusAwaitingDecision || v.Status == referral.StatusDecided {
		label := t("referral.decide")
		if decision.Current(v.Decisions) != nil {
			label = t("referral.correct")
		}
		p.Decide = &govuk.Button{Text: label, Href: "/staff/referrals/" + v.ID + "/decision"}
	}
	if hasRole(ses.Roles, managerRoles) {
		p.Trail = "/staff/referrals/" + v.ID + "/audit"
	}
	if r.URL.Query().Get("decided") == "1" {
		p.Banner = &govuk.NotificationBanner{Type: "success", Text: t("referral.decided")}
	}
	s.renderStaff(w, r, http.StatusOK, "referral", ses, Page{Title: t("referral.title", "reference", v.Reference), Data: p})
}

// decisionSummary is a recorded decision as a summary list.
func (s *Server) decisionSummary(d decision.Decision) govuk.SummaryList {
	t := s.text.T
	rows := []govuk.SummaryRow{
		{Key: govuk.SummaryCell{Text: t("decision.outcome.legend")}, Value: govuk.SummaryCell{Text: t("outcome." + string(d.Outcome))}},
		{Key: govuk.SummaryCell{Text: t("decision.rationale.label")}, Value: govuk.SummaryCell{Text: d.Rationale}},
		{Key: govuk.SummaryCell{Text: t("decision.decidedBy")}, Value: govuk.SummaryCell{Text: d.DecidedBy + ", " + when(d.DecidedAt)}},
	}
	return govuk.SummaryList{Rows: rows}
}

// decisionPage is the decision form's data.
type decisionPage struct {
	Reference string
	Version   int
	Opened    string
	Supersede string
	Fields    []field
	Button    govuk.Button
}

// decisionForm shows the form to record a decision (or correct the
// current one) on the referral as read now.
func (s *Server) decisionForm(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	v, err := s.cfg.Casework.Referral(r.Context(), r.PathValue("id"), staffRequest(r, ses, mashRoles))
	if err != nil {
		s.staffFailure(w, r, err)
		return
	}
	s.showDecision(w, r, http.StatusOK, ses, v, url.Values{}, nil, nil)
}

// outcomeFields are the fields each outcome needs beyond the ones all
// share, by outcome: shown under its choice, named for it.
var outcomeFields = map[decision.Outcome][]string{
	decision.NoFurtherAction:    {"adviceGiven"},
	decision.EarlyHelp:          {"adviceGiven"},
	decision.Assessment:         {"primaryNeed"},
	decision.StrategyDiscussion: {"primaryNeed"},
	decision.Transfer:           {"transferTo"},
	decision.AllocatedWorker:    {"allocatedWorker"},
}

// formField is the form's name of a decision's field for an outcome: the
// conditional questions of two outcomes are two fields.
func formField(field string, o decision.Outcome) string {
	for _, f := range outcomeFields[o] {
		if f == field {
			return field + "-" + string(o)
		}
	}
	return field
}

// showDecision shows the decision form with values and errors; changed,
// when set, says what changed since the form was opened.
func (s *Server) showDecision(w http.ResponseWriter, r *http.Request, status int, ses *session.Session, v *casework.ReferralView, vals url.Values, errs map[string]string, changed []string) {
	t := s.text.T
	var items []govuk.RadioItem
	for _, o := range decision.Outcomes {
		item := govuk.RadioItem{Value: string(o), Text: t("outcome." + string(o))}
		var cond []field
		for _, f := range outcomeFields[o] {
			name := formField(f, o)
			switch f {
			case "adviceGiven":
				cond = append(cond, field{Textarea: s.textarea(vals, errs, name, "decision.adviceGiven", 4)})
			case "primaryNeed":
				var codes []govuk.RadioItem
				for i := 0; i <= 9; i++ {
					c := fmt.Sprintf("N%d", i)
					codes = append(codes, govuk.RadioItem{Value: c, Text: c + ": " + decision.PrimaryNeeds[c]})
				}
				cond = append(cond, field{Radios: &govuk.Radios{Name: name, IDPrefix: name, Value: vals.Get(name), Classes: "govuk-radios--small",
					Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: t("decision.primaryNeed.legend"), Classes: "govuk-fieldset__legend--s"}},
					ErrorMessage: s.errorMessage(errs, name), Items: codes}})
			default:
				cond = append(cond, field{Input: s.input(vals, errs, name, "decision."+f, "off", "")})
			}
		}
		if len(cond) > 0 {
			item.Conditional = &govuk.Conditional{HTML: s.component("question-fields", cond)}
		}
		items = append(items, item)
	}
	var needs []string
	for _, n := range referral.LevelsOfNeed {
		needs = append(needs, strconv.Itoa(int(n)))
	}
	need := s.choices(vals, errs, "levelOfNeed", "need", needs)
	informed := s.yesNo(vals, errs, "referrerInformed", "decision.referrerInformed")
	informed.Classes = ""
	informed.Items[1].Conditional = &govuk.Conditional{HTML: s.component("question-fields", []field{{Textarea: s.textarea(vals, errs, "referrerNotInformedReason", "decision.referrerNotInformedReason", 3)}})}
	opened := vals.Get("opened")
	if opened == "" || changed != nil {
		opened = s.cfg.Now().UTC().Format(time.RFC3339Nano)
	}
	p := decisionPage{
		Reference: v.Reference, Version: v.Version, Opened: opened,
		Fields: []field{
			{Radios: &govuk.Radios{Name: "outcome", IDPrefix: "outcome", Value: vals.Get("outcome"),
				Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: t("decision.outcome.legend"), Classes: "govuk-fieldset__legend--m"}},
				ErrorMessage: s.errorMessage(errs, "outcome"), Items: items}},
			{Textarea: s.textarea(vals, errs, "rationale", "decision.rationale", 6)},
			{Radios: need},
			{Radios: informed},
		},
		Button: govuk.Button{Text: t("decision.button"), PreventDoubleClick: true},
	}
	if cur := decision.Current(v.Decisions); cur != nil {
		p.Supersede = cur.ID
	}
	if read, err := strconv.Atoi(vals.Get("version")); err == nil && changed == nil {
		// Shown again with its errors: still the version first read, so
		// that a change meanwhile is still found.
		p.Version, p.Supersede = read, vals.Get("supersedes")
	}
	var summary *govuk.ErrorSummary
	if changed != nil {
		// Never a bare conflict: what changed, and the form again on the
		// referral as it is now.
		summary = &govuk.ErrorSummary{TitleText: t("decision.changed.title")}
		for _, c := range append(changed, t("decision.changed.check")) {
			summary.ErrorList = append(summary.ErrorList, govuk.ErrorItem{Text: c})
		}
	}
	if len(errs) > 0 {
		o := vals.Get("outcome")
		summary = s.summary(errs, []string{"outcome", "adviceGiven-" + o, "primaryNeed-" + o, "transferTo-" + o,
			"allocatedWorker-" + o, "rationale", "levelOfNeed", "referrerInformed", "referrerNotInformedReason"}, nil)
	}
	s.renderStaff(w, r, status, "decision", ses, Page{
		Title: t("decision.title"), ErrorSummary: summary, CSRF: ses.CSRF,
		BackLink: &govuk.BackLink{Href: "/staff/referrals/" + v.ID, Text: t("common.back")},
		Data:     p,
	})
}

// decide records the decision through the service the API uses; its
// field errors are shown at their fields, and a referral that changed
// since the form was opened is shown with what changed, never as a bare
// conflict.
func (s *Server) decide(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	id := r.PathValue("id")
	f := r.PostForm
	outcome := decision.Outcome(f.Get("outcome"))
	version, _ := strconv.Atoi(f.Get("version"))
	body := map[string]any{"version": version, "outcome": string(outcome), "rationale": f.Get("rationale")}
	if sup := f.Get("supersedes"); sup != "" {
		body["supersedes"] = sup
	}
	if n, err := strconv.Atoi(f.Get("levelOfNeed")); err == nil {
		body["levelOfNeed"] = n
	}
	for _, name := range outcomeFields[outcome] {
		if val := f.Get(formField(name, outcome)); val != "" {
			body[name] = val
		}
	}
	switch f.Get("referrerInformed") {
	case "yes":
		body["referrerInformed"] = true
	case "no":
		body["referrerInformed"] = false
		body["referrerNotInformedReason"] = f.Get("referrerNotInformedReason")
	}
	b, err := json.Marshal(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req := staffRequest(r, ses, mashRoles)
	_, err = s.cfg.Decisions.Decide(r.Context(), id, b, req)
	if err == nil {
		http.Redirect(w, r, "/staff/referrals/"+id+"?decided=1", http.StatusSeeOther)
		return
	}
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
		s.staffFailure(w, r, err)
		return
	}
	v, verr := s.cfg.Casework.Referral(r.Context(), id, req)
	if verr != nil {
		s.staffFailure(w, r, verr)
		return
	}
	if e.Code == apperr.Conflict {
		s.showDecision(w, r, http.StatusConflict, ses, v, f, nil, s.changesSince(v, f.Get("opened"), version))
		return
	}
	errs := map[string]string{}
	for _, fe := range e.Fields {
		name := formField(fe.Field, outcome)
		if _, dup := errs[name]; !dup {
			errs[name] = fe.Message
		}
	}
	if len(errs) == 0 {
		errs[""] = e.Message
	}
	s.showDecision(w, r, http.StatusUnprocessableEntity, ses, v, f, errs, nil)
}

// changesSince says what changed on the referral since the form was opened
// at opened, on version read: decisions and information added since.
func (s *Server) changesSince(v *casework.ReferralView, opened string, read int) []string {
	t := s.text.T
	since, _ := time.Parse(time.RFC3339Nano, opened)
	out := []string{t("decision.changed.version", "read", strconv.Itoa(read), "now", strconv.Itoa(v.Version))}
	for _, d := range v.Decisions {
		if d.DecidedAt.After(since) {
			out = append(out, t("decision.changed.decided", "by", d.DecidedBy, "when", when(d.DecidedAt), "outcome", t("outcome."+string(d.Outcome))))
		}
	}
	for _, a := range v.Addenda {
		if a.ReceivedAt.After(since) {
			out = append(out, t("decision.changed.addendum", "when", when(a.ReceivedAt)))
		}
	}
	return out
}
