package web

import (
	"bytes"
	"html/template"
	"net/url"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/web/answers"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
)

// questions are the journey's question pages, in order.
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
			next: func(*draft.Draft) string { return "/refer/" + answers.PageReferrer },
		},
		{
			s: s, key: answers.PageReferrer, title: "referrer.title",
			fields: []string{"name", "role", "organisation", "agencyType", "email", "phone", "regulatedProfessional"},
			view: func(v url.Values, errs map[string]string) questionPage {
				var agencies []govuk.RadioItem
				for _, a := range referral.AgencyTypes {
					agencies = append(agencies, govuk.RadioItem{Value: string(a), Text: s.text.T("agency." + string(a))})
				}
				return questionPage{Heading: s.text.T("referrer.title"), Fields: []field{
					{Input: s.input(v, errs, "name", "referrer.name", "name", "")},
					{Input: s.input(v, errs, "role", "referrer.role", "organization-title", "")},
					{Input: s.input(v, errs, "organisation", "referrer.organisation", "organization", "")},
					{Radios: &govuk.Radios{
						Name: "agencyType", IDPrefix: "agencyType", Value: v.Get("agencyType"),
						Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T("referrer.agencyType"), Classes: "govuk-fieldset__legend--m"}},
						ErrorMessage: s.errorMessage(errs, "agencyType"),
						Items:        agencies,
					}},
					{Input: s.input(v, errs, "email", "referrer.email", "email", "email")},
					{Input: s.input(v, errs, "phone", "referrer.phone", "tel", "tel")},
					{Radios: s.yesNo(v, errs, "regulatedProfessional", "referrer.regulatedProfessional")},
				}}
			},
			next: func(*draft.Draft) string { return "/refer/" + answers.PageConsent },
		},
	}
}

// input is a text input for field, labelled by the catalogue's <key>.label
// (and <key>.hint when there is one).
func (s *Server) input(v url.Values, errs map[string]string, name, key, autocomplete, typ string) *govuk.Input {
	in := &govuk.Input{
		ID: name, Name: name, Value: v.Get(name), Type: typ, Autocomplete: autocomplete,
		Label:        &govuk.Label{Text: s.text.T(key + ".label"), Classes: "govuk-label--s"},
		Hint:         s.hint(key + ".hint"),
		ErrorMessage: s.errorMessage(errs, name),
	}
	if typ == "email" || typ == "tel" {
		off := false
		in.Spellcheck = &off
	}
	return in
}

// yesNo is a yes/no question inline, its legend and hint from the
// catalogue's <key>.legend and <key>.hint.
func (s *Server) yesNo(v url.Values, errs map[string]string, name, key string) *govuk.Radios {
	return &govuk.Radios{
		Name: name, IDPrefix: name, Value: v.Get(name), Classes: "govuk-radios--inline",
		Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T(key + ".legend"), Classes: "govuk-fieldset__legend--s"}},
		Hint:         s.hint(key + ".hint"),
		ErrorMessage: s.errorMessage(errs, name),
		Items:        []govuk.RadioItem{{Value: "yes", Text: s.text.T("common.yes")}, {Value: "no", Text: s.text.T("common.no")}},
	}
}

// hint is the catalogue's hint under key, or none when it has none.
func (s *Server) hint(key string) *govuk.Hint {
	if !s.text.Has(key) {
		return nil
	}
	return &govuk.Hint{Text: s.text.T(key)}
}

// errorMessage is the field's error, or none.
func (s *Server) errorMessage(errs map[string]string, field string) *govuk.ErrorMessage {
	m, ok := errs[field]
	if !ok {
		return nil
	}
	return &govuk.ErrorMessage{Text: m, VisuallyHiddenText: s.text.T("error.messagePrefix")}
}

// component renders one component to HTML, for another's html option. A
// component that cannot render is a fault found by every page test.
func (s *Server) component(name string, data any) template.HTML {
	var buf bytes.Buffer
	if err := s.pages["question"].ExecuteTemplate(&buf, name, data); err != nil {
		panic(err)
	}
	return template.HTML(buf.String()) // rendered by html/template: escaped
}
