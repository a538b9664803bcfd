package web

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/web/answers"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
)

// list is one of the journey's lists (children, household members,
// professionals): a page listing the items added, with change and remove
// links and the question whether to add another (the Design System's
// add-to-a-list pattern, which needs no JavaScript), and a page per item.
type list struct {
	key string
	// max is the most items the referral may hold (referral.Max...).
	max int
	// fields are the item page's form fields.
	fields []string
	// view builds an item's page.
	view func(v url.Values, errs map[string]string) []field
	// name is how an item is named in the list.
	name       func(v url.Values) string
	back, next string
}

// lists are the journey's lists, in order.
func (s *Server) lists() []list {
	return []list{
		{
			key: answers.ListChildren, max: referral.MaxChildren,
			fields: []string{
				"firstName", "lastName", "knownAs", "born",
				"dateOfBirth-day", "dateOfBirth-month", "dateOfBirth-year",
				"expectedDateOfDelivery-day", "expectedDateOfDelivery-month", "expectedDateOfDelivery-year",
				"estimatedAge", "sex", "nhsNumber", "school", "upn",
				"addressLine1", "addressLine2", "addressTown", "addressPostcode",
				"gp", "language", "interpreterNeeded", "disability",
			},
			view: s.childFields, name: childName, back: pathConsent, next: pathHousehold,
		},
		{
			key: answers.ListHousehold, max: referral.MaxHousehold,
			fields: []string{"name", "relationship", "dateOfBirth-day", "dateOfBirth-month", "dateOfBirth-year", "parentalResponsibility", "allegedPerpetrator"},
			view: func(v url.Values, errs map[string]string) []field {
				return []field{
					{Input: s.input(v, errs, "name", "household.name", "off", "")},
					{Input: s.input(v, errs, "relationship", "household.relationship", "off", "")},
					{DateInput: s.dateInput(v, errs, "dateOfBirth", "household.dateOfBirth")},
					{Radios: s.yesNo(v, errs, "parentalResponsibility", "household.parentalResponsibility")},
					{Radios: s.yesNo(v, errs, "allegedPerpetrator", "household.allegedPerpetrator")},
				}
			},
			name: func(v url.Values) string { return v.Get("name") }, back: pathChildren, next: pathProfessional,
		},
		{
			key: answers.ListProfessionals, max: referral.MaxProfessionals,
			fields: []string{"name", "role", "organisation", "email", "phone"},
			view: func(v url.Values, errs map[string]string) []field {
				return []field{
					{Input: s.input(v, errs, "name", "professionals.name", "off", "")},
					{Input: s.input(v, errs, "role", "professionals.role", "off", "")},
					{Input: s.input(v, errs, "organisation", "professionals.organisation", "off", "")},
					{Input: s.input(v, errs, "email", "professionals.email", "off", "email")},
					{Input: s.input(v, errs, "phone", "professionals.phone", "off", "tel")},
				}
			},
			name: func(v url.Values) string { return v.Get("name") }, back: pathHousehold, next: pathConcerns,
		},
	}
}

// childName is a child's name in the list: the names given, if any.
func childName(v url.Values) string {
	if n := strings.TrimSpace(v.Get("firstName") + " " + v.Get("lastName")); n != "" {
		return n
	}
	return ""
}

// childFields are a child's questions: an unborn baby is asked the expected
// date of delivery, a child whose date of birth is not known an age.
func (s *Server) childFields(v url.Values, errs map[string]string) []field {
	age := s.input(v, errs, "estimatedAge", "child.estimatedAge", "off", "")
	age.Inputmode, age.Classes = "numeric", "govuk-input--width-3"
	born := &govuk.Radios{
		Name: "born", IDPrefix: "born", Value: v.Get("born"),
		Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T("child.born.legend"), Classes: "govuk-fieldset__legend--s"}},
		ErrorMessage: s.errorMessage(errs, "born"),
		Items: []govuk.RadioItem{
			{Value: "yes", Text: s.text.T("child.born.yes"), Conditional: &govuk.Conditional{HTML: s.component("question-fields", []field{{DateInput: s.dateInput(v, errs, "dateOfBirth", "child.dateOfBirth")}})}},
			{Value: "unborn", Text: s.text.T("child.born.unborn"), Conditional: &govuk.Conditional{HTML: s.component("question-fields", []field{{DateInput: s.dateInput(v, errs, "expectedDateOfDelivery", "child.expectedDateOfDelivery")}})}},
			{Value: "unknown", Text: s.text.T("child.born.unknown"), Conditional: &govuk.Conditional{HTML: s.component("question-fields", []field{{Input: age}})}},
		},
	}
	var sexes []string
	for _, x := range referral.Sexes {
		sexes = append(sexes, string(x))
	}
	postcode := s.input(v, errs, "addressPostcode", "child.addressPostcode", "off", "")
	postcode.Classes = "govuk-input--width-10"
	nhs := s.input(v, errs, "nhsNumber", "child.nhsNumber", "off", "")
	nhs.Inputmode, nhs.Classes = "numeric", "govuk-input--width-10"
	return []field{
		{Input: s.input(v, errs, "firstName", "child.firstName", "off", "")},
		{Input: s.input(v, errs, "lastName", "child.lastName", "off", "")},
		{Input: s.input(v, errs, "knownAs", "child.knownAs", "off", "")},
		{Radios: born},
		{Radios: s.choices(v, errs, "sex", "sex", sexes)},
		{Input: nhs},
		{Input: s.input(v, errs, "addressLine1", "child.addressLine1", "off", "")},
		{Input: s.input(v, errs, "addressLine2", "child.addressLine2", "off", "")},
		{Input: s.input(v, errs, "addressTown", "child.addressTown", "off", "")},
		{Input: postcode},
		{Input: s.input(v, errs, "school", "child.school", "off", "")},
		{Input: s.input(v, errs, "upn", "child.upn", "off", "")},
		{Input: s.input(v, errs, "gp", "child.gp", "off", "")},
		{Input: s.input(v, errs, "language", "child.language", "off", "")},
		{Radios: s.yesNo(v, errs, "interpreterNeeded", "child.interpreterNeeded")},
		{Textarea: s.textarea(v, errs, "disability", "child.disability", 3)},
	}
}

// listRoutes registers each list's pages.
func (s *Server) listRoutes(mux *http.ServeMux) {
	for _, l := range s.lists() {
		base := "/refer/" + l.key
		mux.HandleFunc("GET "+base, s.withDraft(func(w http.ResponseWriter, r *http.Request, d *draft.Draft) {
			s.showList(w, r, http.StatusOK, l, d, "")
		}))
		mux.HandleFunc("POST "+base, s.withDraft(func(w http.ResponseWriter, r *http.Request, d *draft.Draft) { s.addOrGoOn(w, r, l, d) }))
		mux.HandleFunc("GET "+base+"/{item}", s.withItem(l, func(w http.ResponseWriter, r *http.Request, d *draft.Draft, id string) {
			s.itemQuestion(l, d, id).show(w, r, d)
		}))
		mux.HandleFunc("POST "+base+"/{item}", s.withItem(l, func(w http.ResponseWriter, r *http.Request, d *draft.Draft, id string) {
			s.itemQuestion(l, d, id).save(w, r, d)
		}))
		mux.HandleFunc("GET "+base+"/{item}/remove", s.withItem(l, func(w http.ResponseWriter, r *http.Request, d *draft.Draft, id string) {
			s.showRemove(w, r, http.StatusOK, l, d, id, "")
		}))
		mux.HandleFunc("POST "+base+"/{item}/remove", s.withItem(l, s.remove(l)))
	}
}

// withItem is withDraft for an item of list l, which must be in the draft.
func (s *Server) withItem(l list, h func(w http.ResponseWriter, r *http.Request, d *draft.Draft, id string)) http.HandlerFunc {
	return s.withDraft(func(w http.ResponseWriter, r *http.Request, d *draft.Draft) {
		id := r.PathValue("item")
		if !slices.Contains(d.Lists[l.key], id) {
			s.showError(w, r, http.StatusNotFound, "notFound", false)
			return
		}
		h(w, r, d, id)
	})
}

// itemQuestion is the question page of item id of list l.
func (s *Server) itemQuestion(l list, d *draft.Draft, id string) question {
	n := slices.Index(d.Lists[l.key], id) + 1
	return question{
		s: s, key: l.key + "/" + id, title: l.key + ".item.title", fields: l.fields,
		view: func(v url.Values, errs map[string]string) questionPage {
			return questionPage{
				Caption: s.text.T(l.key+".item.caption", "n", strconv.Itoa(n)),
				Heading: s.text.T(l.key + ".item.title"),
				Fields:  l.view(v, errs),
			}
		},
		back: to("/refer/" + l.key), next: to("/refer/" + l.key),
	}
}

// showList shows list l with the items added and the question whether to
// add another; addErr is the problem with that answer.
func (s *Server) showList(w http.ResponseWriter, r *http.Request, status int, l list, d *draft.Draft, addErr string) {
	items := d.Lists[l.key]
	errs := map[string]string{}
	var summary *govuk.ErrorSummary
	if addErr != "" {
		errs["add"] = addErr
		summary = &govuk.ErrorSummary{TitleText: s.text.T("error.summaryTitle"), ErrorList: []govuk.ErrorItem{{Text: addErr, Href: "#add"}}}
	}
	page := questionPage{Heading: s.text.T(l.key+".list.title", "n", strconv.Itoa(len(items)))}
	if len(items) > 0 {
		rows := &govuk.SummaryList{Classes: "govuk-summary-list--long-key"}
		for i, id := range items {
			name := l.name(d.Answers[l.key+"/"+id])
			if name == "" {
				name = s.text.T(l.key+".item.caption", "n", strconv.Itoa(i+1))
			}
			href := "/refer/" + l.key + "/" + id
			rows.Rows = append(rows.Rows, govuk.SummaryRow{
				Key: govuk.SummaryCell{Text: name},
				Actions: govuk.SummaryActions{Items: []govuk.Action{
					{Href: withReturn(r, href), Text: s.text.T("common.change"), VisuallyHiddenText: name},
					{Href: withReturn(r, href+"/remove"), Text: s.text.T("common.remove"), VisuallyHiddenText: name},
				}},
			})
		}
		page.Fields = append(page.Fields, field{SummaryList: rows})
	} else {
		page.Lead = []string{s.text.T(l.key + ".list.none")}
	}
	page.Fields = append(page.Fields, field{Radios: &govuk.Radios{
		Name: "add", IDPrefix: "add", Classes: "govuk-radios--inline",
		Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T(l.key + ".list.add"), Classes: "govuk-fieldset__legend--m"}},
		Hint:         s.hint(l.key + ".list.hint"),
		ErrorMessage: s.errorMessage(errs, "add"),
		Items:        []govuk.RadioItem{{Value: "yes", Text: s.text.T("common.yes")}, {Value: "no", Text: s.text.T("common.no")}},
	}})
	page.Button = govuk.Button{Text: s.text.T("common.continue"), PreventDoubleClick: true}
	s.render(w, r, status, "question", Page{
		Title:        s.text.T(l.key + ".list.pageTitle"),
		BackLink:     &govuk.BackLink{Href: backTo(r, l.back), Text: s.text.T("common.back")},
		ErrorSummary: summary,
		CSRF:         d.CSRF,
		Data:         page,
	})
}

// withReturn keeps ?return=check on a link from a page opened from check
// answers.
func withReturn(r *http.Request, href string) string {
	if returning(r) {
		return href + "?return=check"
	}
	return href
}

// addOrGoOn adds an item and opens its page, or goes on when no more are
// to be added and the list is as the referral needs it.
func (s *Server) addOrGoOn(w http.ResponseWriter, r *http.Request, l list, d *draft.Draft) {
	switch r.PostForm.Get("add") {
	case "yes":
		if len(d.Lists[l.key]) >= l.max {
			s.showList(w, r, http.StatusUnprocessableEntity, l, d, s.text.T(l.key+".list.tooMany", "max", strconv.Itoa(l.max)))
			return
		}
		id := rand.Text()[:10]
		if d.Lists == nil {
			d.Lists = map[string][]string{}
		}
		d.Lists[l.key] = append(d.Lists[l.key], id)
		if !s.saveOrRetry(w, r, d) {
			return
		}
		http.Redirect(w, r, withReturn(r, "/refer/"+l.key+"/"+id), http.StatusSeeOther)
	case "no":
		if errs := s.problems(d, l.key); len(errs) > 0 {
			s.showList(w, r, http.StatusUnprocessableEntity, l, d, errs[0].Message)
			return
		}
		http.Redirect(w, r, onward(r, l.next), http.StatusSeeOther)
	default:
		s.showList(w, r, http.StatusUnprocessableEntity, l, d, s.text.T(l.key+".list.addError"))
	}
}

// showRemove asks whether to remove an item.
func (s *Server) showRemove(w http.ResponseWriter, r *http.Request, status int, l list, d *draft.Draft, id, problem string) {
	name := l.name(d.Answers[l.key+"/"+id])
	if name == "" {
		name = s.text.T(l.key+".item.caption", "n", strconv.Itoa(slices.Index(d.Lists[l.key], id)+1))
	}
	errs := map[string]string{}
	var summary *govuk.ErrorSummary
	if problem != "" {
		errs["confirm"] = problem
		summary = &govuk.ErrorSummary{TitleText: s.text.T("error.summaryTitle"), ErrorList: []govuk.ErrorItem{{Text: problem, Href: "#confirm"}}}
	}
	s.render(w, r, status, "question", Page{
		Title:        s.text.T(l.key + ".remove.title"),
		BackLink:     &govuk.BackLink{Href: withReturn(r, "/refer/"+l.key), Text: s.text.T("common.back")},
		ErrorSummary: summary,
		CSRF:         d.CSRF,
		Data: questionPage{
			Fields: []field{{Radios: &govuk.Radios{
				Name: "confirm", IDPrefix: "confirm", Classes: "govuk-radios--inline",
				Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T(l.key+".remove.legend", "name", name), IsPageHeading: true, Classes: "govuk-fieldset__legend--l"}},
				ErrorMessage: s.errorMessage(errs, "confirm"),
				Items:        []govuk.RadioItem{{Value: "yes", Text: s.text.T("common.yes")}, {Value: "no", Text: s.text.T("common.no")}},
			}}},
			Button: govuk.Button{Text: s.text.T("common.continue"), PreventDoubleClick: true},
		},
	})
}

// remove removes an item and its answers when the referrer confirms.
func (s *Server) remove(l list) func(w http.ResponseWriter, r *http.Request, d *draft.Draft, id string) {
	return func(w http.ResponseWriter, r *http.Request, d *draft.Draft, id string) {
		switch r.PostForm.Get("confirm") {
		case "yes":
			d.Lists[l.key] = slices.DeleteFunc(d.Lists[l.key], func(x string) bool { return x == id })
			delete(d.Answers, l.key+"/"+id)
			if !s.saveOrRetry(w, r, d) {
				return
			}
		case "no":
		default:
			s.showRemove(w, r, http.StatusUnprocessableEntity, l, d, id, s.text.T(l.key+".remove.error"))
			return
		}
		http.Redirect(w, r, withReturn(r, "/refer/"+l.key), http.StatusSeeOther)
	}
}

// saveOrRetry saves the draft; when another tab saved it meanwhile the
// page is asked for again, to show what is kept now. It reports whether
// the draft was saved.
func (s *Server) saveOrRetry(w http.ResponseWriter, r *http.Request, d *draft.Draft) bool {
	d.UpdatedAt = s.cfg.Now().UTC()
	err := s.cfg.Drafts.SaveDraft(r.Context(), d)
	switch {
	case err == nil:
		return true
	case errors.Is(err, draft.ErrChanged):
		http.Redirect(w, r, r.URL.RequestURI(), http.StatusSeeOther)
	default:
		s.unavailable(w, r, err)
	}
	return false
}
