// Package govuk holds html/template versions of the GOV.UK Frontend 6.6.0
// component macros (govukInput, govukRadios, govukErrorSummary, ...), with
// the same markup, classes and conditional logic as each component's
// template.njk, checked against the components' own fixtures.
//
// Add parses them into a template set; a page then calls a component with
// its option struct, a value or a pointer:
//
//	t, err := govuk.Add(template.New("page"))
//	// page: {{template "govukInput" .NameInput}} with NameInput a govuk.Input
//
// Every text option is escaped by html/template. The HTML options
// (template.HTML) are trusted markup; Attributes values are escaped by the
// package. Nunjucks caller blocks have no equivalent: use the HTML option
// (Fieldset.HTML, Panel.HTML, ...) instead.
package govuk

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"reflect"
	"strings"
)

//go:embed templates/*.gohtml
var templateFiles embed.FS

// Names are the templates Add defines, one for each component macro.
var Names = []string{
	"govukBackLink", "govukButton", "govukCheckboxes", "govukDateInput",
	"govukDetails", "govukErrorMessage", "govukErrorSummary", "govukFieldset",
	"govukHint", "govukInput", "govukInsetText", "govukLabel",
	"govukNotificationBanner", "govukPanel", "govukRadios", "govukSummaryList",
	"govukTable", "govukTag", "govukTextarea", "govukWarningText",
}

// Add parses every component template into t (defined as "govukInput",
// "govukRadios", ...; see Names), adding the functions the components need
// (all named govuk…), and returns t. Call it on a fresh template, before
// parsing pages: govuk.Add(template.New("page")).
func Add(t *template.Template) (*template.Template, error) {
	t = t.Funcs(funcs)
	names, err := fs.Glob(templateFiles, "templates/*.gohtml")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		b, err := templateFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if _, err := t.New("govuk/" + path.Base(name)).Parse(string(b)); err != nil {
			return nil, fmt.Errorf("govuk: %s: %w", name, err)
		}
	}
	return t, nil
}

// funcs are the template functions the components use.
var funcs = template.FuncMap{
	"govukDeref":         deref,
	"govukAttrs":         renderAttributes,
	"govukContent":       content,
	"govukHas":           hasContent,
	"govukJoin":          joinIDs,
	"govukContains":      strings.Contains,
	"govukBoolString":    boolString,
	"govukLevel":         headingLevel,
	"govukHeading":       newHeading,
	"govukLabelFor":      labelFor,
	"govukWithHintID":    hintWithID,
	"govukWithErrorID":   errorWithID,
	"govukErrorPrefix":   errorPrefix,
	"govukFieldsetFor":   fieldsetFor,
	"govukInputElement":  newInputElement,
	"govukRadioItems":    radioItems,
	"govukCheckboxItems": checkboxItems,
	"govukDateItems":     dateItems,
	"govukIsZero":        isZero,
	"govukAction":        newAction,
	"govukPanelButton":   panelButton,
	"govukBannerTitle":   bannerTitle,
	"govukCardTitle":     cardTitle,
	"govukClasses":       classes,
}

// deref turns a pointer to options into the options (the zero value for
// nil), so that every component takes a value or a pointer.
func deref(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer {
		return v
	}
	if rv.IsNil() {
		return reflect.Zero(rv.Type().Elem()).Interface()
	}
	return rv.Elem().Interface()
}

// content is Nunjucks' `html | safe if html else text`: the markup when
// set, otherwise the text, which html/template escapes.
func content(html template.HTML, text string) any {
	if html != "" {
		return html
	}
	return text
}

// hasContent reports whether v (a *Content or *Affix) is set and has text
// or markup.
func hasContent(v any) bool {
	switch c := v.(type) {
	case *Content:
		return c != nil && (c.Text != "" || c.HTML != "")
	case *Affix:
		return c != nil && (c.Text != "" || c.HTML != "")
	}
	return false
}

// joinIDs appends id to the space-separated ids in list.
func joinIDs(list, id string) string {
	if list == "" {
		return id
	}
	return list + " " + id
}

// boolString renders a set boolean option as "true" or "false".
func boolString(b *bool) string {
	if b != nil && *b {
		return "true"
	}
	return "false"
}

// headingLevel is level when it is a heading level (1 to 6), otherwise def.
func headingLevel(level, def int) int {
	if level >= 1 && level <= 6 {
		return level
	}
	return def
}

// heading is what _govukHeading renders: <hN class id>content</hN>.
type heading struct {
	Level   int
	Class   string
	ID      string
	Content any
}

func newHeading(level int, class, id string, content any) heading {
	return heading{Level: level, Class: class, ID: id, Content: content}
}

// labelFor is the label a control passes on: its label's options (none
// when nil) for id.
func labelFor(l *Label, id string) Label {
	if l == nil {
		return Label{For: id}
	}
	return Label{HTML: l.HTML, Text: l.Text, Classes: l.Classes, IsPageHeading: l.IsPageHeading, Attributes: l.Attributes, For: id}
}

// hintWithID is a control's hint with the id the control gives it.
func hintWithID(h *Hint, id string) Hint {
	return Hint{ID: id, Classes: h.Classes, Attributes: h.Attributes, HTML: h.HTML, Text: h.Text}
}

// errorWithID is a control's error message with the id the control gives it.
func errorWithID(e *ErrorMessage, id string) ErrorMessage {
	return ErrorMessage{ID: id, Classes: e.Classes, Attributes: e.Attributes, HTML: e.HTML, Text: e.Text, VisuallyHiddenText: e.VisuallyHiddenText, NoVisuallyHiddenText: e.NoVisuallyHiddenText}
}

// errorPrefix is the visually hidden prefix of an error message.
func errorPrefix(e ErrorMessage) string {
	switch {
	case e.NoVisuallyHiddenText:
		return ""
	case e.VisuallyHiddenText == "":
		return "Error"
	}
	return e.VisuallyHiddenText
}

// fieldsetFor is the fieldset a group of controls is wrapped in.
func fieldsetFor(f *Fieldset, describedBy, role string) Fieldset {
	return Fieldset{DescribedBy: describedBy, Classes: f.Classes, Role: role, Attributes: f.Attributes, Legend: f.Legend}
}

// inputElement is what _govukInputElement renders.
type inputElement struct {
	Input       Input
	ID          string
	Class       string
	DescribedBy string
}

func newInputElement(in Input, id, describedBy string) inputElement {
	class := "govuk-input"
	if in.Classes != "" {
		class += " " + in.Classes
	}
	if in.ErrorMessage != nil {
		class += " govuk-input--error"
	}
	return inputElement{Input: in, ID: id, Class: class, DescribedBy: describedBy}
}

// isZero reports whether v is its type's zero value (a falsy item).
func isZero(v any) bool {
	return v == nil || reflect.ValueOf(v).IsZero()
}

// itemID is a radio's or checkbox's id: its own, or the prefix numbered
// from the second item on.
func itemID(own, prefix string, index int) string {
	if own != "" {
		return own
	}
	if index > 1 {
		return fmt.Sprintf("%s-%d", prefix, index)
	}
	return prefix
}

// choice is one radio or checkbox (or divider) as the templates render it.
type choice struct {
	Divider         string
	ID              string
	Name            string
	Value           string
	Checked         bool
	Disabled        bool
	Behaviour       string
	ConditionalID   string
	ConditionalHTML template.HTML
	DescribedBy     string
	HasHint         bool
	Label           Label
	Hint            Hint
	Attributes      Attributes
}

func newChoice(kind, id, name, value string, checked, disabled bool, text string, html template.HTML, label *ItemLabel, hint *Hint, cond *Conditional, attrs Attributes) choice {
	c := choice{ID: id, Name: name, Value: value, Checked: checked, Disabled: disabled, Attributes: attrs}
	c.ConditionalID = "conditional-" + id
	if cond != nil {
		c.ConditionalHTML = cond.HTML
	}
	c.Label = Label{HTML: html, Text: text, Classes: "govuk-" + kind + "__label", For: id}
	if label != nil {
		if label.Classes != "" {
			c.Label.Classes += " " + label.Classes
		}
		c.Label.Attributes = label.Attributes
	}
	if hint != nil && (hint.Text != "" || hint.HTML != "") {
		c.HasHint = true
		c.Hint = Hint{ID: id + "-item-hint", Classes: "govuk-" + kind + "__hint", Attributes: hint.Attributes, HTML: hint.HTML, Text: hint.Text}
		if hint.Classes != "" {
			c.Hint.Classes += " " + hint.Classes
		}
	}
	return c
}

// radioItems are the radios' items as rendered, falsy items left out.
func radioItems(r Radios) []choice {
	prefix := r.IDPrefix
	if prefix == "" {
		prefix = r.Name
	}
	var out []choice
	for i, item := range r.Items {
		if isZero(item) {
			continue
		}
		if item.Divider != "" {
			out = append(out, choice{Divider: item.Divider})
			continue
		}
		id := itemID(item.ID, prefix, i+1)
		checked := r.Value != "" && item.Value == r.Value
		if item.Checked != nil {
			checked = *item.Checked
		}
		c := newChoice("radios", id, r.Name, item.Value, checked, item.Disabled, item.Text, item.HTML, item.Label, item.Hint, item.Conditional, item.Attributes)
		if c.HasHint {
			c.DescribedBy = c.Hint.ID
		}
		out = append(out, c)
	}
	return out
}

// checkboxItems are the checkboxes' items as rendered, falsy items left
// out; describedBy is the group's, which each box carries when there is no
// fieldset.
func checkboxItems(cb Checkboxes, describedBy string) []choice {
	prefix := cb.IDPrefix
	if prefix == "" {
		prefix = cb.Name
	}
	if cb.Fieldset != nil {
		describedBy = ""
	}
	var out []choice
	for i, item := range cb.Items {
		if isZero(item) {
			continue
		}
		if item.Divider != "" {
			out = append(out, choice{Divider: item.Divider})
			continue
		}
		id := itemID(item.ID, prefix, i+1)
		name := item.Name
		if name == "" {
			name = cb.Name
		}
		checked := false
		for _, v := range cb.Values {
			if v == item.Value {
				checked = true
			}
		}
		if item.Checked != nil {
			checked = *item.Checked
		}
		c := newChoice("checkboxes", id, name, item.Value, checked, item.Disabled, item.Text, item.HTML, item.Label, item.Hint, item.Conditional, item.Attributes)
		c.Behaviour = item.Behaviour
		c.DescribedBy = describedBy
		if c.HasHint {
			c.DescribedBy = strings.TrimSpace(describedBy + " " + c.Hint.ID)
		}
		out = append(out, c)
	}
	return out
}

// capitalize is Nunjucks' capitalize filter.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(strings.ToLower(s))
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// dateItems are the date input's inputs, as govukDateInput passes them to
// govukInput.
func dateItems(d DateInput) []Input {
	def := func(p *DateItem, name, width string) *DateItem {
		if p != nil {
			return p
		}
		return &DateItem{Name: name, Value: d.Values[name], Classes: "govuk-input--width-" + width}
	}
	day := def(d.Day, "day", "2")
	month := def(d.Month, "month", "2")
	year := def(d.Year, "year", "4")

	var items []*DateItem
	if len(d.Items) > 0 {
		for i := range d.Items {
			if !isZero(d.Items[i]) && !d.Items[i].Omit {
				items = append(items, &d.Items[i])
			}
		}
	} else {
		for _, item := range []*DateItem{day, month, year} {
			if !item.Omit {
				items = append(items, item)
			}
		}
	}

	hasError := func(item *DateItem) bool {
		return item.Error != nil && *item.Error || strings.Contains(item.Classes, "govuk-input--error")
	}
	anyItemHasError := false
	for _, item := range items {
		anyItemHasError = anyItemHasError || hasError(item)
	}

	namePrefix := ""
	if d.NamePrefix != "" {
		namePrefix = d.NamePrefix + "-"
	}
	out := make([]Input, 0, len(items))
	for _, item := range items {
		name, value, width := item.Name, item.Value, "2"
		is := func(part *DateItem, partName string) bool {
			return item == part || item.Name != "" && (item.Name == partName || item.Name == part.Name)
		}
		orDefault := func(s, def string) string {
			if s == "" {
				return def
			}
			return s
		}
		switch {
		case is(day, "day"):
			name, value = orDefault(item.Name, "day"), orDefault(item.Value, day.Value)
		case is(month, "month"):
			name, value = orDefault(item.Name, "month"), orDefault(item.Value, month.Value)
		case is(year, "year"):
			name, value = orDefault(item.Name, "year"), orDefault(item.Value, year.Value)
			width = "4"
		}

		var classes []string
		errorFalse := item.Error != nil && !*item.Error
		if !strings.Contains(item.Classes, "govuk-input--error") &&
			(hasError(item) || !errorFalse && d.ErrorMessage != nil && !anyItemHasError) {
			classes = append(classes, "govuk-input--error")
		}
		if !strings.Contains(item.Classes, "govuk-input--width-") {
			classes = append(classes, "govuk-input--width-"+width)
		}
		if item.Classes != "" {
			classes = append(classes, item.Classes)
		}

		label := item.Label
		if label == "" {
			label = capitalize(name)
		}
		id := item.ID
		if id == "" {
			id = d.ID + "-" + name
		}
		if value == "" {
			value = d.Values[namePrefix+name]
		}
		inputmode := item.Inputmode
		if inputmode == "" {
			inputmode = "numeric"
		}
		out = append(out, Input{
			Label:        &Label{Text: label, Classes: "govuk-date-input__label"},
			ID:           id,
			Classes:      strings.TrimSpace("govuk-date-input__input " + strings.Join(classes, " ")),
			Name:         namePrefix + name,
			Value:        value,
			Type:         "text",
			Inputmode:    inputmode,
			Autocomplete: item.Autocomplete,
			Pattern:      item.Pattern,
			Attributes:   item.Attributes,
		})
	}
	return out
}

// action is a summary list or card action link with the card's title.
type action struct {
	Action
	CardTitle *CardTitle
}

func newAction(a Action, title *CardTitle) action { return action{Action: a, CardTitle: title} }

// panelButton is the button an interruption panel's action renders as.
func panelButton(a PanelAction) Button {
	b := Button{Text: a.Text, Type: a.Type, Classes: "govuk-button--inverse", Href: a.Href, Attributes: a.Attributes}
	if b.Type == "" {
		b.Type = "button"
	}
	if a.Classes != "" {
		b.Classes += " " + a.Classes
	}
	return b
}

// bannerTitle is a notification banner's title.
func bannerTitle(n NotificationBanner) any {
	switch {
	case n.TitleHTML != "":
		return n.TitleHTML
	case n.TitleText != "":
		return n.TitleText
	case n.Type == "success":
		return "Success"
	}
	return "Important"
}

// cardTitle is the title of card, nil without one.
func cardTitle(card *SummaryCard) *CardTitle {
	if card == nil {
		return nil
	}
	return card.Title
}

// classes is base followed by the extra classes, if any.
func classes(base, extra string) string {
	if extra == "" {
		return base
	}
	return base + " " + extra
}
