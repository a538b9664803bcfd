package web

import (
	"bytes"
	"html/template"
	"net/url"
	"strconv"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/web/answers"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
)

// The journey's paths.
const (
	pathRisk         = "/refer/" + answers.PageRisk
	pathReferrer     = "/refer/" + answers.PageReferrer
	pathConsent      = "/refer/" + answers.PageConsent
	pathChildren     = "/refer/" + answers.ListChildren
	pathHousehold    = "/refer/" + answers.ListHousehold
	pathProfessional = "/refer/" + answers.ListProfessionals
	pathConcerns     = "/refer/" + answers.PageConcerns
	pathMissing      = "/refer/" + answers.PageMissing
	pathCheck        = "/refer/check-answers"
	pathConfirmation = "/refer/confirmation"
)

// to is a fixed next or back page.
func to(path string) func(*draft.Draft) string { return func(*draft.Draft) string { return path } }

// questions are the journey's single question pages, in order; the lists
// (children, household, professionals) are between consent and concerns.
func (s *Server) questions() []question {
	return []question{
		{
			s: s, key: answers.PageRisk, title: "risk.title", fields: []string{"immediateRisk"},
			view: func(v url.Values, errs map[string]string) questionPage {
				warning := s.component("govukWarningText", govuk.WarningText{Text: s.text.T("risk.warning"), IconFallbackText: s.text.T("common.warning")})
				return questionPage{Fields: []field{{Radios: &govuk.Radios{
					Name: "immediateRisk", IDPrefix: "immediateRisk", Value: v.Get("immediateRisk"),
					Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T("risk.title"), IsPageHeading: true, Classes: "govuk-fieldset__legend--l"}},
					Hint:         s.hint("risk.hint"),
					ErrorMessage: s.errorMessage(errs, "immediateRisk"),
					Items: []govuk.RadioItem{
						{Value: "yes", Text: s.text.T("common.yes"), Conditional: &govuk.Conditional{HTML: warning}},
						{Value: "no", Text: s.text.T("common.no")},
					},
				}}}}
			},
			back: to("/"), next: to(pathReferrer),
		},
		{
			s: s, key: answers.PageReferrer, title: "referrer.title",
			fields: []string{"name", "role", "organisation", "agencyType", "email", "phone", "regulatedProfessional"},
			view: func(v url.Values, errs map[string]string) questionPage {
				var agencies []string
				for _, a := range referral.AgencyTypes {
					// The helpline refers from its own pages, which set it.
					if a != referral.AgencyHelpline || v.Get("agencyType") == string(a) {
						agencies = append(agencies, string(a))
					}
				}
				agency := s.choices(v, errs, "agencyType", "agency", agencies)
				agency.Fieldset.Legend.Classes = "govuk-fieldset__legend--m"
				return questionPage{Heading: s.text.T("referrer.title"), Fields: []field{
					{Input: s.input(v, errs, "name", "referrer.name", "name", "")},
					{Input: s.input(v, errs, "role", "referrer.role", "organization-title", "")},
					{Input: s.input(v, errs, "organisation", "referrer.organisation", "organization", "")},
					{Radios: agency},
					{Input: s.input(v, errs, "email", "referrer.email", "email", "email")},
					{Input: s.input(v, errs, "phone", "referrer.phone", "tel", "tel")},
					{Radios: s.yesNo(v, errs, "regulatedProfessional", "referrer.regulatedProfessional")},
				}}
			},
			back: to(pathRisk), next: to(pathConsent),
		},
		{
			s: s, key: answers.PageConsent, title: "consent.title",
			fields: []string{"familyAware", "familyConsents", "noConsentReason"},
			view: func(v url.Values, errs map[string]string) questionPage {
				return questionPage{Heading: s.text.T("consent.title"), Lead: []string{s.text.T("consent.lead")}, Fields: []field{
					{Radios: s.yesNo(v, errs, "familyAware", "consent.familyAware")},
					{Radios: s.yesNo(v, errs, "familyConsents", "consent.familyConsents")},
					{Textarea: s.textarea(v, errs, "noConsentReason", "consent.noConsentReason", 4)},
				}}
			},
			back: to(pathReferrer), next: to(pathChildren),
		},
		{
			s: s, key: answers.PageConcerns, title: "concerns.title",
			fields: []string{"categories", "account", "childsWords", "levelOfNeed"},
			view: func(v url.Values, errs map[string]string) questionPage {
				cats := &govuk.Checkboxes{
					Name: "categories", IDPrefix: "categories", Values: v["categories"],
					Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T("concerns.categories.legend"), Classes: "govuk-fieldset__legend--m"}},
					Hint:         s.hint("concerns.categories.hint"),
					ErrorMessage: s.errorMessage(errs, "categories"),
				}
				for _, c := range referral.Categories {
					cats.Items = append(cats.Items, govuk.CheckboxItem{Value: string(c), Text: s.text.T("category." + string(c))})
				}
				var needs []string
				for _, n := range referral.LevelsOfNeed {
					needs = append(needs, strconv.Itoa(int(n)))
				}
				need := s.choices(v, errs, "levelOfNeed", "need", needs)
				need.Fieldset.Legend.Classes = "govuk-fieldset__legend--m"
				account := s.textarea(v, errs, "account", "concerns.account", 10)
				account.Label.Classes = "govuk-label--m"
				words := s.textarea(v, errs, "childsWords", "concerns.childsWords", 5)
				words.Label.Classes = "govuk-label--m"
				return questionPage{Heading: s.text.T("concerns.title"), Fields: []field{
					{Checkboxes: cats}, {Textarea: account}, {Textarea: words}, {Radios: need},
				}}
			},
			back: to(pathProfessional),
			next: func(d *draft.Draft) string {
				if hasMissing(d) {
					return pathMissing
				}
				return pathCheck
			},
		},
		{
			s: s, key: answers.PageMissing, title: "missing.title",
			fields: []string{
				"wentMissingAt-day", "wentMissingAt-month", "wentMissingAt-year", "wentMissingAt-time",
				"returned", "returnedAt-day", "returnedAt-month", "returnedAt-year", "returnedAt-time",
				"whereFound", "policeReference",
			},
			view: func(v url.Values, errs map[string]string) questionPage {
				back := s.component("question-fields", []field{
					{DateInput: s.dateInput(v, errs, "returnedAt", "missing.returnedAt")},
					{Input: s.timeInput(v, errs, "returnedAt-time")},
					{Textarea: s.textarea(v, errs, "whereFound", "missing.whereFound", 3)},
				})
				return questionPage{Heading: s.text.T("missing.title"), Fields: []field{
					{DateInput: s.dateInput(v, errs, "wentMissingAt", "missing.wentMissingAt")},
					{Input: s.timeInput(v, errs, "wentMissingAt-time")},
					{Radios: &govuk.Radios{
						Name: "returned", IDPrefix: "returned", Value: v.Get("returned"),
						Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T("missing.returned.legend"), Classes: "govuk-fieldset__legend--s"}},
						ErrorMessage: s.errorMessage(errs, "returned"),
						Items: []govuk.RadioItem{
							{Value: "yes", Text: s.text.T("missing.returned.yes"), Conditional: &govuk.Conditional{HTML: back}},
							{Value: "no", Text: s.text.T("missing.returned.no")},
						},
					}},
					{Input: s.input(v, errs, "policeReference", "missing.policeReference", "off", "")},
				}}
			},
			back: to(pathConcerns), next: to(pathCheck),
		},
	}
}

// timeInput is the time of day after a date input.
func (s *Server) timeInput(v url.Values, errs map[string]string, name string) *govuk.Input {
	in := s.input(v, errs, name, "common.time", "off", "")
	in.Classes = "govuk-input--width-5"
	return in
}

// hasMissing reports whether the concerns say the child went missing, when
// the missing episode is asked for.
func hasMissing(d *draft.Draft) bool {
	for _, c := range d.Answers[answers.PageConcerns]["categories"] {
		if c == string(referral.CategoryMissing) {
			return true
		}
	}
	return false
}

// component renders a template (a component, or the question fields) to
// HTML, for another's html option. One that cannot render is a fault
// found by every page test.
func (s *Server) component(name string, data any) template.HTML {
	var buf bytes.Buffer
	if err := s.pages["question"].ExecuteTemplate(&buf, name, data); err != nil {
		panic(err)
	}
	return template.HTML(buf.String()) // rendered by html/template: escaped
}
