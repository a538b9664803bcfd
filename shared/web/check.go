package web

import (
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/lambdahttp"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/web/answers"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
)

// submitRoute is the route recorded in the audit trail and the scope of
// the submission's idempotency key.
const submitRoute = "POST " + pathCheck

// checkRoutes registers check answers, the submission and the confirmation.
func (s *Server) checkRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+pathCheck, s.withDraft(func(w http.ResponseWriter, r *http.Request, d *draft.Draft) {
		s.showCheck(w, r, http.StatusOK, d, nil)
	}))
	mux.HandleFunc("POST "+pathCheck, s.withDraft(s.submit))
	mux.HandleFunc("GET "+pathConfirmation, s.confirmation)
}

// allProblems are the problems of the whole referral the draft makes, each
// on its page, one per field, in the journey's order.
func (s *Server) allProblems(d *draft.Draft) []answers.FieldError {
	form, found := answers.Build(d)
	// The API's strict reading of the same referral: control characters,
	// sizes.
	if body, err := json.Marshal(form); err == nil {
		if _, err := referral.Decode(body); err != nil {
			found = append(found, s.place(d, err)...)
		}
	}
	found = append(found, s.place(d, referral.Validate(form, s.cfg.Now()))...)
	var out []answers.FieldError
	seen := map[string]bool{}
	for _, e := range found {
		if k := e.Page + "#" + e.Field; !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// place places a validation error's problems on their pages. A problem no
// page asks for is a fault of ours: it is logged by its path and shown on
// check answers.
func (s *Server) place(d *draft.Draft, err error) []answers.FieldError {
	placed, unplaced := answers.PlaceAll(d, err)
	for _, u := range unplaced {
		slog.Error("a referral problem no page asks for", "field", u.Field)
		placed = append(placed, answers.FieldError{Page: "check-answers", Field: "", Message: u.Message})
	}
	return placed
}

// checkPage is the check answers page's data.
type checkPage struct {
	Cards  []govuk.SummaryList
	Lists  []checkList
	Button govuk.Button
}

// checkList links to a list's page, to add or remove items.
type checkList struct {
	Href, Text string
}

// showCheck shows every answer with a link to change it, and the problems
// that stop the referral being sent, each linked to its page and field.
func (s *Server) showCheck(w http.ResponseWriter, r *http.Request, status int, d *draft.Draft, errs []answers.FieldError) {
	var summary *govuk.ErrorSummary
	if len(errs) > 0 {
		summary = &govuk.ErrorSummary{TitleText: s.text.T("error.summaryTitle")}
		for _, e := range errs {
			item := govuk.ErrorItem{Text: e.Message}
			if e.Field != "" {
				item.Href = "/refer/" + e.Page + "?return=check#" + fieldID(e.Field, allDates)
			}
			summary.ErrorList = append(summary.ErrorList, item)
		}
	}
	form, _ := answers.Build(d)
	page := checkPage{Cards: s.cards(form, func(section string, i int) string {
		if ids := d.Lists[section]; i < len(ids) && (section == answers.ListChildren || section == answers.ListHousehold || section == answers.ListProfessionals) {
			return section + "/" + ids[i]
		}
		return section
	}), Button: govuk.Button{Text: s.text.T("check.button"), PreventDoubleClick: true}}
	for _, l := range s.lists() {
		page.Lists = append(page.Lists, checkList{Href: "/refer/" + l.key + "?return=check", Text: s.text.T(l.key + ".check.manage")})
	}
	s.render(w, r, status, "check", Page{
		Title:        s.text.T("check.title"),
		BackLink:     &govuk.BackLink{Href: s.lastQuestion(d), Text: s.text.T("common.back")},
		ErrorSummary: summary,
		CSRF:         d.CSRF,
		Data:         page,
	})
}

// lastQuestion is the page before check answers.
func (s *Server) lastQuestion(d *draft.Draft) string {
	if hasMissing(d) {
		return pathMissing
	}
	return pathConcerns
}

// allDates are the date inputs' prefixes, whose problems link to the day.
var allDates = []string{"dateOfBirth", "expectedDateOfDelivery", "wentMissingAt", "returnedAt"}

// rows builds a summary card's rows, each with a change link to its field
// on page, or none when page is empty (a referral as staff read it).
type rows struct {
	s    *Server
	page string
	list []govuk.SummaryRow
}

func (b *rows) add(key, field, value string) {
	b.addHTML(key, field, template.HTML(template.HTMLEscapeString(value)))
}

func (b *rows) addHTML(key, field string, value template.HTML) {
	if value == "" {
		value = template.HTML(template.HTMLEscapeString(b.s.text.T("check.notGiven")))
	}
	row := govuk.SummaryRow{Key: govuk.SummaryCell{Text: key}, Value: govuk.SummaryCell{HTML: value}}
	if b.page != "" {
		row.Actions = govuk.SummaryActions{Items: []govuk.Action{{
			Href: "/refer/" + b.page + "?return=check#" + fieldID(field, allDates),
			Text: b.s.text.T("common.change"), VisuallyHiddenText: strings.ToLower(key[:1]) + key[1:],
		}}}
	}
	b.list = append(b.list, row)
}

// card is a summary card titled title.
func card(title string, b *rows) govuk.SummaryList {
	return govuk.SummaryList{Card: &govuk.SummaryCard{Title: &govuk.CardTitle{Text: title}}, Rows: b.list}
}

// cards are the summary cards of every answer of a referral: on check
// answers, as it will be sent, each with a link to change it on its page
// (page gives the page of a section, and of the i-th item of a list);
// staff read it with page nil, without links.
func (s *Server) cards(f *referral.Referral, page func(section string, i int) string) []govuk.SummaryList {
	on := func(section string, i int) string {
		if page == nil {
			return ""
		}
		return page(section, i)
	}
	t := s.text.T
	yn := func(b *bool) string {
		switch {
		case b == nil:
			return ""
		case *b:
			return t("common.yes")
		}
		return t("common.no")
	}
	var out []govuk.SummaryList

	risk := &rows{s: s, page: on(answers.PageRisk, 0)}
	risk.add(t("risk.title"), "immediateRisk", yn(f.Concerns.ImmediateRisk))
	out = append(out, card(t("check.risk"), risk))

	you := &rows{s: s, page: on(answers.PageReferrer, 0)}
	rf := f.Referrer
	you.add(t("referrer.name.label"), "name", rf.Name)
	you.add(t("referrer.role.label"), "role", rf.Role)
	you.add(t("referrer.organisation.label"), "organisation", rf.Organisation)
	agency := ""
	if rf.AgencyType != "" && s.text.Has("agency."+string(rf.AgencyType)) {
		agency = t("agency." + string(rf.AgencyType))
	}
	you.add(t("check.agencyType"), "agencyType", agency)
	you.add(t("referrer.email.label"), "email", rf.Email)
	you.add(t("referrer.phone.label"), "phone", rf.Phone)
	you.add(t("referrer.regulatedProfessional.legend"), "regulatedProfessional", yn(rf.RegulatedProfessional))
	out = append(out, card(t("referrer.title"), you))

	con := &rows{s: s, page: on(answers.PageConsent, 0)}
	con.add(t("consent.familyAware.legend"), "familyAware", yn(f.Consent.FamilyAware))
	con.add(t("consent.familyConsents.legend"), "familyConsents", yn(f.Consent.FamilyConsents))
	con.add(t("consent.noConsentReason.label"), "noConsentReason", f.Consent.NoConsentReason)
	out = append(out, card(t("consent.title"), con))

	for i, c := range f.Children {
		b := &rows{s: s, page: on(answers.ListChildren, i)}
		b.add(t("child.firstName.label"), "firstName", c.FirstName)
		b.add(t("child.lastName.label"), "lastName", c.LastName)
		b.add(t("child.knownAs.label"), "knownAs", c.KnownAs)
		switch {
		case c.ExpectedDateOfDelivery != "":
			b.add(t("child.expectedDateOfDelivery.legend"), "expectedDateOfDelivery", longDate(c.ExpectedDateOfDelivery))
		case c.EstimatedAge != nil:
			b.add(t("child.estimatedAge.label"), "estimatedAge", strconv.Itoa(*c.EstimatedAge))
		default:
			b.add(t("child.dateOfBirth.legend"), "dateOfBirth", longDate(c.DateOfBirth))
		}
		sex := ""
		if c.Sex != "" && s.text.Has("sex."+string(c.Sex)) {
			sex = t("sex." + string(c.Sex))
		}
		b.add(t("sex.legend"), "sex", sex)
		b.add(t("child.nhsNumber.label"), "nhsNumber", c.NHSNumber)
		b.addHTML(t("check.address"), "addressLine1", lines(c.Address.Line1, c.Address.Line2, c.Address.Town, c.Address.Postcode))
		b.add(t("child.school.label"), "school", c.School)
		b.add(t("child.upn.label"), "upn", c.UPN)
		b.add(t("child.gp.label"), "gp", c.GP)
		b.add(t("child.language.label"), "language", c.Language)
		b.add(t("child.interpreterNeeded.legend"), "interpreterNeeded", yn(c.InterpreterNeeded))
		b.add(t("child.disability.label"), "disability", c.Disability)
		out = append(out, card(t("children.item.caption", "n", strconv.Itoa(i+1)), b))
	}
	for i, h := range f.Household {
		b := &rows{s: s, page: on(answers.ListHousehold, i)}
		b.add(t("household.name.label"), "name", h.Name)
		b.add(t("household.relationship.label"), "relationship", h.Relationship)
		b.add(t("household.dateOfBirth.legend"), "dateOfBirth", longDate(h.DateOfBirth))
		b.add(t("household.parentalResponsibility.legend"), "parentalResponsibility", yn(h.ParentalResponsibility))
		b.add(t("household.allegedPerpetrator.legend"), "allegedPerpetrator", yn(h.AllegedPerpetrator))
		out = append(out, card(t("household.item.caption", "n", strconv.Itoa(i+1)), b))
	}
	for i, p := range f.Professionals {
		b := &rows{s: s, page: on(answers.ListProfessionals, i)}
		b.add(t("professionals.name.label"), "name", p.Name)
		b.add(t("professionals.role.label"), "role", p.Role)
		b.add(t("professionals.organisation.label"), "organisation", p.Organisation)
		b.add(t("professionals.email.label"), "email", p.Email)
		b.add(t("professionals.phone.label"), "phone", p.Phone)
		out = append(out, card(t("professionals.item.caption", "n", strconv.Itoa(i+1)), b))
	}

	cc := &rows{s: s, page: on(answers.PageConcerns, 0)}
	var cats []string
	for _, c := range f.Concerns.Categories {
		if s.text.Has("category." + string(c)) {
			cats = append(cats, t("category."+string(c)))
		}
	}
	cc.addHTML(t("concerns.categories.legend"), "categories", lines(cats...))
	cc.add(t("concerns.account.label"), "account", f.Concerns.Account)
	cc.add(t("concerns.childsWords.label"), "childsWords", f.Concerns.ChildsWords)
	need := ""
	if v := strconv.Itoa(int(f.Concerns.LevelOfNeed)); s.text.Has("need." + v) {
		need = t("need." + v)
	}
	cc.add(t("need.legend"), "levelOfNeed", need)
	out = append(out, card(t("concerns.title"), cc))

	if e := f.MissingEpisode; e != nil {
		m := &rows{s: s, page: on(answers.PageMissing, 0)}
		m.add(t("missing.wentMissingAt.legend"), "wentMissingAt", longTime(e.WentMissingAt))
		returned := ""
		switch {
		case e.StillMissing:
			returned = t("missing.returned.no")
		case e.ReturnedAt != "":
			returned = longTime(e.ReturnedAt)
		}
		m.add(t("missing.returnedAt.legend"), "returned", returned)
		if !e.StillMissing {
			m.add(t("missing.whereFound.label"), "whereFound", e.WhereFound)
		}
		m.add(t("missing.policeReference.label"), "policeReference", e.PoliceReference)
		out = append(out, card(t("missing.title"), m))
	}
	return out
}

// lines shows values one to a line, leaving out the empty ones.
func lines(values ...string) template.HTML {
	var b strings.Builder
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("<br>")
		}
		b.WriteString(template.HTMLEscapeString(v))
	}
	return template.HTML(b.String())
}

// longDate shows YYYY-MM-DD as 3 February 2016.
func longDate(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return d.Format("2 January 2006")
}

// longTime shows an RFC 3339 time in England as 30 November 2026 at 10:00pm.
func longTime(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.In(calendar.London()).Format("2 January 2006 at 3:04pm")
}

// submit sends the referral through the intake the API uses. The draft's
// id makes the idempotency key, so that a double click, a form sent again
// or the back button never makes two referrals: each gets the first's
// receipt. Once sent, the draft keeps only the receipt.
func (s *Server) submit(w http.ResponseWriter, r *http.Request, d *draft.Draft) {
	if errs := s.allProblems(d); len(errs) > 0 {
		s.showCheck(w, r, http.StatusUnprocessableEntity, d, errs)
		return
	}
	form, _ := answers.Build(d)
	body, err := json.Marshal(form)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var receipt intake.Receipt
	if d.HelplineCall != "" {
		// A helpline adviser's referral from a call: sent as the call's
		// escalation, by the adviser who began it, signed in.
		ses, serr := s.staffSession(r)
		if serr != nil || !hasRole(ses.Roles, helplineRoles) || ids.Hash(ses.ID) != d.Staff {
			s.showError(w, r, http.StatusForbidden, "noAccess", false)
			return
		}
		var er *helpline.EscalationReceipt
		if er, _, err = s.cfg.Helpline.Escalate(r.Context(), d.HelplineCall, body, staffRequest(r, ses, helplineRoles)); err == nil {
			receipt = er.Receipt
		}
	} else {
		ip, _, _ := net.SplitHostPort(r.RemoteAddr)
		receipt, _, err = s.cfg.Referrals.Submit(r.Context(), intake.Submission{
			Body: body,
			Idempotency: idempotency.Key{
				Route: submitRoute, Scope: "draft",
				Value: ids.Hash("submit\x00" + d.ID),
			},
			Request: audit.Request{Actor: audit.Anonymous(ip), Route: submitRoute, RequestID: lambdahttp.RequestID(r)},
		})
	}
	if err != nil {
		switch e := apperr.As(err); {
		case e != nil && e.Code == apperr.Invalid:
			s.showCheck(w, r, http.StatusUnprocessableEntity, d, s.place(d, err))
		case e != nil && e.Code == apperr.Conflict:
			// The call was escalated: by the first of a double click, whose
			// receipt the draft then holds, or by someone else.
			if cur, derr := s.cfg.Drafts.Draft(r.Context(), d.ID, s.cfg.Now()); derr == nil && cur.Receipt != nil {
				http.Redirect(w, r, pathConfirmation, http.StatusSeeOther)
				return
			}
			s.showCheck(w, r, http.StatusConflict, d, []answers.FieldError{{Page: "check-answers", Message: e.Message}})
		case e != nil && e.Code == apperr.Unavailable:
			s.unavailable(w, r, err)
		default:
			s.fail(w, r, err)
		}
		return
	}
	if err := s.keepReceipt(r, d, receipt); err != nil {
		// The referral is received; only the draft could not say so. The
		// confirmation is shown from the receipt, and the same form sent
		// again gets the same receipt.
		slog.WarnContext(r.Context(), "referral sent but its draft not updated", "referralId", receipt.ID, "error", err)
		s.showConfirmation(w, r, receipt)
		return
	}
	http.Redirect(w, r, pathConfirmation, http.StatusSeeOther)
}

// keepReceipt replaces the draft's answers, which hold personal data, with
// the receipt. When another request saved the draft meanwhile (the second
// of a double click) it is read again: once it holds the receipt nothing
// is left to do.
func (s *Server) keepReceipt(r *http.Request, d *draft.Draft, receipt intake.Receipt) error {
	for range 3 {
		d.Receipt, d.Answers, d.Lists = &receipt, map[string]url.Values{}, map[string][]string{}
		d.UpdatedAt = s.cfg.Now().UTC()
		err := s.cfg.Drafts.SaveDraft(r.Context(), d)
		if !errors.Is(err, draft.ErrChanged) {
			return err
		}
		if d, err = s.cfg.Drafts.Draft(r.Context(), d.ID, s.cfg.Now()); err != nil {
			return err
		}
		if d.Receipt != nil {
			return nil
		}
	}
	return draft.ErrChanged
}

// confirmationPage is the confirmation page's data.
type confirmationPage struct {
	Phone     string
	Panel     govuk.Panel
	Token     string
	Due       string
	Emergency *govuk.WarningText
}

// confirmation shows the receipt of the draft's referral.
func (s *Server) confirmation(w http.ResponseWriter, r *http.Request) {
	d, ok := s.cookieDraft(w, r)
	if !ok {
		return
	}
	if d.Receipt == nil {
		http.Redirect(w, r, pathCheck, http.StatusSeeOther)
		return
	}
	s.showConfirmation(w, r, *d.Receipt)
}

// showConfirmation shows a receipt: the reference (two groups of four
// letters and digits without look-alikes, easy to read over the phone),
// the receipt token and how to keep it, and when the hub will have
// decided what happens next.
func (s *Server) showConfirmation(w http.ResponseWriter, r *http.Request, rc intake.Receipt) {
	ref := template.HTMLEscapeString(rc.Reference)
	p := confirmationPage{
		Panel: govuk.Panel{
			TitleText: s.text.T("confirmation.title"),
			HTML:      template.HTML(template.HTMLEscapeString(s.text.T("confirmation.reference")) + `<br><strong class="app-reference">` + ref + `</strong>`),
		},
		Token: rc.ReceiptToken, Phone: s.cfg.HubPhone,
		Due: dueWords(s.cfg.ScreeningDue(rc.ReceivedAt)),
	}
	if rc.Urgent != "" {
		p.Emergency = &govuk.WarningText{Text: s.text.T("risk.warning"), IconFallbackText: s.text.T("common.warning")}
	}
	s.render(w, r, http.StatusOK, "confirmation", Page{Title: s.text.T("confirmation.title"), Data: p})
}

// dueWords says when in England: 5pm on Thursday 3 December 2026.
func dueWords(t time.Time) string {
	t = t.In(calendar.London())
	clock := t.Format("3:04pm")
	clock = strings.Replace(clock, ":00", "", 1)
	return clock + " on " + t.Format("Monday 2 January 2006")
}
