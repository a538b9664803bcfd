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
				risk := s.riskRadios(v, errs, "immediateRisk")
				risk.Fieldset.Legend.IsPageHeading, risk.Fieldset.Legend.Classes = true, "govuk-fieldset__legend--l"
				return questionPage{Fields: []field{{Radios: risk}}}
			},
			back: to("/"), next: to(pathReferrer),
		},
		{
			s: s, key: answers.PageReferrer, title: "referrer.title",
			fields: []string{"name", "role", "organisation", "agencyType", "email", "phone", "regulatedProfessional"},
			view: func(v url.Values, errs map[string]string) questionPage {
				return questionPage{Heading: s.text.T("referrer.title"), Fields: s.referrerFields(v, errs, "")}
			},
			back: to(pathRisk), next: to(pathConsent),
		},
		{
			s: s, key: answers.PageConsent, title: "consent.title",
			fields: []string{"familyAware", "familyConsents", "noConsentReason"},
			view: func(v url.Values, errs map[string]string) questionPage {
				return questionPage{Heading: s.text.T("consent.title"), Lead: []string{s.text.T("consent.lead")}, Fields: s.consentFields(v, errs, "")}
			},
			back: to(pathReferrer), next: to(pathChildren),
		},
		{
			s: s, key: answers.PageConcerns, title: "concerns.title",
			fields: []string{"categories", "account", "childsWords", "levelOfNeed"},
			view: func(v url.Values, errs map[string]string) questionPage {
				return questionPage{Heading: s.text.T("concerns.title"), Fields: s.concernFields(v, errs, "", referral.Categories)}
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

// referrerFields ask who is referring, each field named prefix and its
// member of the referral's referrer.
func (s *Server) referrerFields(v url.Values, errs map[string]string, prefix string) []field {
	var agencies []string
	for _, a := range referral.AgencyTypes {
		// The helpline refers from its own pages, which set it.
		if a != referral.AgencyHelpline || v.Get(prefix+"agencyType") == string(a) {
			agencies = append(agencies, string(a))
		}
	}
	agency := s.choices(v, errs, prefix+"agencyType", "agency", agencies)
	agency.Fieldset.Legend.Classes = "govuk-fieldset__legend--m"
	return []field{
		{Input: s.input(v, errs, prefix+"name", "referrer.name", "name", "")},
		{Input: s.input(v, errs, prefix+"role", "referrer.role", "organization-title", "")},
		{Input: s.input(v, errs, prefix+"organisation", "referrer.organisation", "organization", "")},
		{Radios: agency},
		{Input: s.input(v, errs, prefix+"email", "referrer.email", "email", "email")},
		{Input: s.input(v, errs, prefix+"phone", "referrer.phone", "tel", "tel")},
		{Radios: s.yesNo(v, errs, prefix+"regulatedProfessional", "referrer.regulatedProfessional")},
	}
}

// consentFields ask about the family's consent, each field named prefix
// and its member of the referral's consent.
func (s *Server) consentFields(v url.Values, errs map[string]string, prefix string) []field {
	return []field{
		{Radios: s.yesNo(v, errs, prefix+"familyAware", "consent.familyAware")},
		{Radios: s.yesNo(v, errs, prefix+"familyConsents", "consent.familyConsents")},
		{Textarea: s.textarea(v, errs, prefix+"noConsentReason", "consent.noConsentReason", 4)},
	}
}

// concernFields ask what the referrer is worried about, offering the
// categories given, each field named prefix and its member of the
// referral's concerns.
func (s *Server) concernFields(v url.Values, errs map[string]string, prefix string, categories []referral.Category) []field {
	cats := &govuk.Checkboxes{
		Name: prefix + "categories", IDPrefix: prefix + "categories", Values: v[prefix+"categories"],
		Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T("concerns.categories.legend"), Classes: "govuk-fieldset__legend--m"}},
		Hint:         s.hint("concerns.categories.hint"),
		ErrorMessage: s.errorMessage(errs, prefix+"categories"),
	}
	for _, c := range categories {
		cats.Items = append(cats.Items, govuk.CheckboxItem{Value: string(c), Text: s.text.T("category." + string(c))})
	}
	var needs []string
	for _, n := range referral.LevelsOfNeed {
		needs = append(needs, strconv.Itoa(int(n)))
	}
	need := s.choices(v, errs, prefix+"levelOfNeed", "need", needs)
	need.Fieldset.Legend.Classes = "govuk-fieldset__legend--m"
	account := s.textarea(v, errs, prefix+"account", "concerns.account", 10)
	account.Label.Classes = "govuk-label--m"
	words := s.textarea(v, errs, prefix+"childsWords", "concerns.childsWords", 5)
	words.Label.Classes = "govuk-label--m"
	return []field{{Checkboxes: cats}, {Textarea: account}, {Textarea: words}, {Radios: need}}
}

// riskRadios ask whether a child is at immediate risk, a yes showing at
// once the warning to call 999.
func (s *Server) riskRadios(v url.Values, errs map[string]string, name string) *govuk.Radios {
	warning := s.component("govukWarningText", govuk.WarningText{Text: s.text.T("risk.warning"), IconFallbackText: s.text.T("common.warning")})
	return &govuk.Radios{
		Name: name, IDPrefix: name, Value: v.Get(name),
		Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T("risk.title"), Classes: "govuk-fieldset__legend--m"}},
		Hint:         s.hint("risk.hint"),
		ErrorMessage: s.errorMessage(errs, name),
		Items: []govuk.RadioItem{
			{Value: "yes", Text: s.text.T("common.yes"), Conditional: &govuk.Conditional{HTML: warning}},
			{Value: "no", Text: s.text.T("common.no")},
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
	t, err := s.pages.get("question")
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		panic(err)
	}
	return template.HTML(buf.String()) // rendered by html/template: escaped
}
