package web

import (
	"net/url"

	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
)

// The form components of the question pages, each labelled from the
// catalogue: <key>.label or <key>.legend, and <key>.hint when there is one.

// input is a text input for field name.
func (s *Server) input(v url.Values, errs map[string]string, name, key, autocomplete, typ string) *govuk.Input {
	in := &govuk.Input{
		ID: name, Name: name, Value: v.Get(name), Type: typ, Autocomplete: autocomplete,
		Label:        &govuk.Label{Text: s.text.T(key + ".label"), Classes: "govuk-label--s"},
		Hint:         s.hint(key + ".hint"),
		ErrorMessage: s.errorMessage(errs, name),
	}
	if typ == "email" || typ == "tel" {
		in.Spellcheck = govuk.Bool(false)
	}
	return in
}

// textarea is a free-text answer.
func (s *Server) textarea(v url.Values, errs map[string]string, name, key string, rows int) *govuk.Textarea {
	return &govuk.Textarea{
		ID: name, Name: name, Value: v.Get(name), Rows: rows, Spellcheck: govuk.Bool(true),
		Label:        &govuk.Label{Text: s.text.T(key + ".label"), Classes: "govuk-label--s"},
		Hint:         s.hint(key + ".hint"),
		ErrorMessage: s.errorMessage(errs, name),
	}
}

// yesNo is a yes/no question inline.
func (s *Server) yesNo(v url.Values, errs map[string]string, name, key string) *govuk.Radios {
	return &govuk.Radios{
		Name: name, IDPrefix: name, Value: v.Get(name), Classes: "govuk-radios--inline",
		Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T(key + ".legend"), Classes: "govuk-fieldset__legend--s"}},
		Hint:         s.hint(key + ".hint"),
		ErrorMessage: s.errorMessage(errs, name),
		Items:        []govuk.RadioItem{{Value: "yes", Text: s.text.T("common.yes")}, {Value: "no", Text: s.text.T("common.no")}},
	}
}

// dateInput is a date input for the fields <prefix>-day, -month and
// -year. A problem with the whole date (errs[prefix]) shows every part in
// error; one with a part only that part.
func (s *Server) dateInput(v url.Values, errs map[string]string, prefix, key string) *govuk.DateInput {
	d := &govuk.DateInput{
		ID: prefix, NamePrefix: prefix,
		Fieldset: &govuk.Fieldset{Role: "group", Legend: &govuk.Legend{Text: s.text.T(key + ".legend"), Classes: "govuk-fieldset__legend--s"}},
		Hint:     s.hint(key + ".hint"),
	}
	msg, whole := errs[prefix]
	for _, part := range []string{"day", "month", "year"} {
		field := prefix + "-" + part
		m, inError := errs[field]
		if inError && msg == "" {
			msg = m
		}
		width := "govuk-input--width-2"
		if part == "year" {
			width = "govuk-input--width-4"
		}
		if part == "month" {
			// Room for a month's name, which the page accepts.
			width = "govuk-input--width-5"
		}
		if whole || inError {
			width += " govuk-input--error"
		}
		d.Items = append(d.Items, govuk.DateItem{Name: part, Value: v.Get(field), Classes: width, Inputmode: inputmode(part)})
	}
	if msg != "" {
		d.ErrorMessage = &govuk.ErrorMessage{Text: msg, VisuallyHiddenText: s.text.T("error.messagePrefix")}
	}
	return d
}

// inputmode is a date part's: numeric, but text for the month, which may
// be a name.
func inputmode(part string) string {
	if part == "month" {
		return "text"
	}
	return "numeric"
}

// choices are radios of the values, each labelled <key>.<value>.
func (s *Server) choices(v url.Values, errs map[string]string, name, key string, values []string) *govuk.Radios {
	r := &govuk.Radios{
		Name: name, IDPrefix: name, Value: v.Get(name),
		Fieldset:     &govuk.Fieldset{Legend: &govuk.Legend{Text: s.text.T(key + ".legend"), Classes: "govuk-fieldset__legend--s"}},
		Hint:         s.hint(key + ".hint"),
		ErrorMessage: s.errorMessage(errs, name),
	}
	for _, val := range values {
		r.Items = append(r.Items, govuk.RadioItem{Value: val, Text: s.text.T(key + "." + val), Hint: s.hint(key + "." + val + ".hint")})
	}
	return r
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

// fieldID is the id of the control a problem with field links to: the
// first part of a date input for a problem with the whole date.
func fieldID(field string, dates []string) string {
	for _, d := range dates {
		if field == d {
			return d + "-day"
		}
	}
	return field
}
