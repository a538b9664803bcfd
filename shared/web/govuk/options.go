package govuk

import "html/template"

// The option types below mirror the GOV.UK Frontend 6.6.0 macro options
// (each component's macro-options.json). Their JSON names are the Nunjucks
// option names, so a Nunjucks options object decodes into them.
//
// Text and HTML pairs: Text is escaped, HTML is trusted markup and is used
// instead of Text when set, as in Nunjucks. Never put user input in an HTML
// field without escaping it first.
//
// Options that Nunjucks tells apart from unset when false are *bool: use
// Bool to set them.

// Label is the option set of govukLabel.
type Label struct {
	// Text is the label's text.
	Text string `json:"text,omitempty"`
	// HTML is the label's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// For is the id of the control the label is for.
	For string `json:"for,omitempty"`
	// IsPageHeading wraps the label in an h1.
	IsPageHeading bool `json:"isPageHeading,omitempty"`
	// Classes are extra classes for the label.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the label.
	Attributes Attributes `json:"attributes,omitempty"`
}

// Hint is the option set of govukHint.
type Hint struct {
	// Text is the hint's text.
	Text string `json:"text,omitempty"`
	// HTML is the hint's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// ID is the hint's id (components that own a hint set it themselves).
	ID string `json:"id,omitempty"`
	// Classes are extra classes for the hint.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the hint.
	Attributes Attributes `json:"attributes,omitempty"`
}

// ErrorMessage is the option set of govukErrorMessage.
type ErrorMessage struct {
	// Text is the error's text.
	Text string `json:"text,omitempty"`
	// HTML is the error's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// ID is the message's id (components that own one set it themselves).
	ID string `json:"id,omitempty"`
	// Classes are extra classes for the message.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the message.
	Attributes Attributes `json:"attributes,omitempty"`
	// VisuallyHiddenText is the prefix read out before the message;
	// "Error" when empty.
	VisuallyHiddenText string `json:"visuallyHiddenText,omitempty"`
	// NoVisuallyHiddenText drops the prefix (Nunjucks visuallyHiddenText ""
	// or false, which is how it reads from JSON).
	NoVisuallyHiddenText bool `json:"-"`
}

// Legend is a fieldset's legend.
type Legend struct {
	// Text is the legend's text.
	Text string `json:"text,omitempty"`
	// HTML is the legend's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// Classes are extra classes for the legend.
	Classes string `json:"classes,omitempty"`
	// IsPageHeading wraps the legend's content in an h1.
	IsPageHeading bool `json:"isPageHeading,omitempty"`
}

// Fieldset is the option set of govukFieldset.
type Fieldset struct {
	// DescribedBy is the fieldset's aria-describedby (radios, checkboxes
	// and date input add their hint and error ids to it).
	DescribedBy string `json:"describedBy,omitempty"`
	// Legend is the fieldset's legend; none when nil or empty.
	Legend *Legend `json:"legend,omitempty"`
	// Classes are extra classes for the fieldset.
	Classes string `json:"classes,omitempty"`
	// Role is the fieldset's role attribute.
	Role string `json:"role,omitempty"`
	// Attributes are extra attributes for the fieldset.
	Attributes Attributes `json:"attributes,omitempty"`
	// HTML is the fieldset's content (the Nunjucks caller block's place).
	HTML template.HTML `json:"html,omitempty"`
}

// Content is text or markup put before or after a form group's controls.
type Content struct {
	// Text is the content's text.
	Text string `json:"text,omitempty"`
	// HTML is the content's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
}

// FormGroup is the form group around a single control (Input, Textarea).
type FormGroup struct {
	// Classes are extra classes for the form group.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the form group.
	Attributes Attributes `json:"attributes,omitempty"`
	// BeforeInput is put before the control.
	BeforeInput *Content `json:"beforeInput,omitempty"`
	// AfterInput is put after the control.
	AfterInput *Content `json:"afterInput,omitempty"`
}

// FormGroupInputs is the form group around a set of controls (Radios,
// Checkboxes, DateInput).
type FormGroupInputs struct {
	// Classes are extra classes for the form group.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the form group.
	Attributes Attributes `json:"attributes,omitempty"`
	// BeforeInputs is put before the controls.
	BeforeInputs *Content `json:"beforeInputs,omitempty"`
	// AfterInputs is put after the controls.
	AfterInputs *Content `json:"afterInputs,omitempty"`
}

// Affix is an input's prefix or suffix.
type Affix struct {
	// Text is the affix's text.
	Text string `json:"text,omitempty"`
	// HTML is the affix's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// Classes are extra classes for the affix.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the affix.
	Attributes Attributes `json:"attributes,omitempty"`
}

// Wrapper is the element an input's prefix, suffix and before/after
// content are wrapped in with the input.
type Wrapper struct {
	// Classes are extra classes for the wrapper.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the wrapper.
	Attributes Attributes `json:"attributes,omitempty"`
}

// Input is the option set of govukInput, a text input.
type Input struct {
	// ID is the input's id; Name when empty.
	ID string `json:"id,omitempty"`
	// Name is the input's name.
	Name string `json:"name,omitempty"`
	// Type is the input's type; "text" when empty.
	Type string `json:"type,omitempty"`
	// Inputmode is the input's inputmode attribute.
	Inputmode string `json:"inputmode,omitempty"`
	// Value is the input's value.
	Value string `json:"value,omitempty"`
	// Disabled disables the input.
	Disabled bool `json:"disabled,omitempty"`
	// DescribedBy are ids put first in the input's aria-describedby.
	DescribedBy string `json:"describedBy,omitempty"`
	// Label is the input's label.
	Label *Label `json:"label,omitempty"`
	// Hint is the input's hint, with id ID-hint.
	Hint *Hint `json:"hint,omitempty"`
	// ErrorMessage is the input's error, with id ID-error; it puts the form
	// group and the input in their error state.
	ErrorMessage *ErrorMessage `json:"errorMessage,omitempty"`
	// Prefix is shown before the input.
	Prefix *Affix `json:"prefix,omitempty"`
	// Suffix is shown after the input.
	Suffix *Affix `json:"suffix,omitempty"`
	// FormGroup is the form group around the input.
	FormGroup FormGroup `json:"formGroup,omitzero"`
	// Classes are extra classes for the input.
	Classes string `json:"classes,omitempty"`
	// Autocomplete is the input's autocomplete attribute.
	Autocomplete string `json:"autocomplete,omitempty"`
	// Pattern is the input's pattern attribute.
	Pattern string `json:"pattern,omitempty"`
	// Spellcheck sets the spellcheck attribute to true or false; none when nil.
	Spellcheck *bool `json:"spellcheck,omitempty"`
	// Autocapitalize is the input's autocapitalize attribute.
	Autocapitalize string `json:"autocapitalize,omitempty"`
	// InputWrapper is the wrapper used with a prefix, suffix or before/after
	// content.
	InputWrapper Wrapper `json:"inputWrapper,omitzero"`
	// Attributes are extra attributes for the input.
	Attributes Attributes `json:"attributes,omitempty"`
}

// DateItem is one input of a DateInput (day, month, year or other).
type DateItem struct {
	// ID is the input's id; the DateInput's ID-name when empty.
	ID string `json:"id,omitempty"`
	// Name is the input's name (without the DateInput's NamePrefix).
	Name string `json:"name,omitempty"`
	// Label is the label's text; the name, capitalised, when empty.
	Label string `json:"label,omitempty"`
	// Value is the input's value.
	Value string `json:"value,omitempty"`
	// Error shows the input in its error state. Nil leaves it to the
	// DateInput: with an ErrorMessage and no item in error, every item whose
	// Error is not false is shown in error.
	Error *bool `json:"error,omitempty"`
	// Autocomplete is the input's autocomplete attribute.
	Autocomplete string `json:"autocomplete,omitempty"`
	// Pattern is the input's pattern attribute.
	Pattern string `json:"pattern,omitempty"`
	// Inputmode is the input's inputmode; "numeric" when empty.
	Inputmode string `json:"inputmode,omitempty"`
	// Classes are extra classes for the input; a govuk-input--width-N class
	// replaces the default width.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the input.
	Attributes Attributes `json:"attributes,omitempty"`
	// Omit leaves this input out when set as DateInput.Day, Month or Year
	// (Nunjucks `day: false`). In JSON it is the value false.
	Omit bool `json:"-"`
}

// DateInput is the option set of govukDateInput.
type DateInput struct {
	// ID is the date input's id and the start of its items' ids.
	ID string `json:"id,omitempty"`
	// NamePrefix is put, with "-", before each item's name.
	NamePrefix string `json:"namePrefix,omitempty"`
	// Items are the inputs; day, month and year (from Day, Month, Year and
	// Values) when empty.
	Items []DateItem `json:"items,omitempty"`
	// Hint is the date input's hint, with id ID-hint.
	Hint *Hint `json:"hint,omitempty"`
	// ErrorMessage is the date input's error, with id ID-error.
	ErrorMessage *ErrorMessage `json:"errorMessage,omitempty"`
	// FormGroup is the form group around the date input.
	FormGroup FormGroupInputs `json:"formGroup,omitzero"`
	// Fieldset wraps the inputs in a fieldset (with role group) when set.
	Fieldset *Fieldset `json:"fieldset,omitempty"`
	// Day replaces the default day item.
	Day *DateItem `json:"day,omitempty"`
	// Month replaces the default month item.
	Month *DateItem `json:"month,omitempty"`
	// Year replaces the default year item.
	Year *DateItem `json:"year,omitempty"`
	// Values are the items' values by name: "day", "month", "year", or an
	// item's full name with NamePrefix.
	Values map[string]string `json:"values,omitempty"`
	// Classes are extra classes for the date input.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the date input.
	Attributes Attributes `json:"attributes,omitempty"`
}

// ItemLabel is the label options of a radio or checkbox item.
type ItemLabel struct {
	// Classes are extra classes for the item's label.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the item's label.
	Attributes Attributes `json:"attributes,omitempty"`
}

// Conditional is content revealed when a radio or checkbox is checked.
type Conditional struct {
	// HTML is the revealed content.
	HTML template.HTML `json:"html,omitempty"`
}

// RadioItem is one radio of Radios, or a divider. An item with nothing set
// is skipped (a falsy item in Nunjucks).
type RadioItem struct {
	// Text is the item's label text.
	Text string `json:"text,omitempty"`
	// HTML is the item's label markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// ID is the input's id; IDPrefix, IDPrefix-2, ... when empty.
	ID string `json:"id,omitempty"`
	// Value is the input's value.
	Value string `json:"value,omitempty"`
	// Label holds the label's classes and attributes.
	Label *ItemLabel `json:"label,omitempty"`
	// Hint is the item's hint, with id ID-item-hint.
	Hint *Hint `json:"hint,omitempty"`
	// Divider, when set, makes the item a divider with this text ("or").
	Divider string `json:"divider,omitempty"`
	// Checked checks the radio (true) or keeps it unchecked (false) whatever
	// Radios.Value; nil checks it when its Value is Radios.Value.
	Checked *bool `json:"checked,omitempty"`
	// Conditional is content revealed when the radio is checked.
	Conditional *Conditional `json:"conditional,omitempty"`
	// Disabled disables the radio.
	Disabled bool `json:"disabled,omitempty"`
	// Attributes are extra attributes for the input.
	Attributes Attributes `json:"attributes,omitempty"`
}

// Radios is the option set of govukRadios.
type Radios struct {
	// Fieldset wraps the radios in a fieldset when set.
	Fieldset *Fieldset `json:"fieldset,omitempty"`
	// Hint is the group's hint, with id IDPrefix-hint.
	Hint *Hint `json:"hint,omitempty"`
	// ErrorMessage is the group's error, with id IDPrefix-error.
	ErrorMessage *ErrorMessage `json:"errorMessage,omitempty"`
	// FormGroup is the form group around the radios.
	FormGroup FormGroupInputs `json:"formGroup,omitzero"`
	// IDPrefix starts the items' ids; Name when empty.
	IDPrefix string `json:"idPrefix,omitempty"`
	// Name is every radio's name.
	Name string `json:"name,omitempty"`
	// Items are the radios and dividers.
	Items []RadioItem `json:"items,omitempty"`
	// Value checks the item with this value.
	Value string `json:"value,omitempty"`
	// Classes are extra classes for the radios' container.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the radios' container.
	Attributes Attributes `json:"attributes,omitempty"`
}

// CheckboxItem is one checkbox of Checkboxes, or a divider. An item with
// nothing set is skipped (a falsy item in Nunjucks).
type CheckboxItem struct {
	// Text is the item's label text.
	Text string `json:"text,omitempty"`
	// HTML is the item's label markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// ID is the input's id; IDPrefix, IDPrefix-2, ... when empty.
	ID string `json:"id,omitempty"`
	// Name is the input's name; Checkboxes.Name when empty.
	Name string `json:"name,omitempty"`
	// Value is the input's value.
	Value string `json:"value,omitempty"`
	// Label holds the label's classes and attributes.
	Label *ItemLabel `json:"label,omitempty"`
	// Hint is the item's hint, with id ID-item-hint.
	Hint *Hint `json:"hint,omitempty"`
	// Divider, when set, makes the item a divider with this text ("or").
	Divider string `json:"divider,omitempty"`
	// Checked checks the box (true) or keeps it unchecked (false) whatever
	// Checkboxes.Values; nil checks it when its Value is in Values.
	Checked *bool `json:"checked,omitempty"`
	// Conditional is content revealed when the box is checked.
	Conditional *Conditional `json:"conditional,omitempty"`
	// Behaviour "exclusive" unchecks the other boxes when this one is
	// checked (with JavaScript).
	Behaviour string `json:"behaviour,omitempty"`
	// Disabled disables the checkbox.
	Disabled bool `json:"disabled,omitempty"`
	// Attributes are extra attributes for the input.
	Attributes Attributes `json:"attributes,omitempty"`
}

// Checkboxes is the option set of govukCheckboxes.
type Checkboxes struct {
	// DescribedBy are ids put first in the aria-describedby of the
	// fieldset, or of each checkbox when there is no fieldset.
	DescribedBy string `json:"describedBy,omitempty"`
	// Fieldset wraps the checkboxes in a fieldset when set.
	Fieldset *Fieldset `json:"fieldset,omitempty"`
	// Hint is the group's hint, with id IDPrefix-hint.
	Hint *Hint `json:"hint,omitempty"`
	// ErrorMessage is the group's error, with id IDPrefix-error.
	ErrorMessage *ErrorMessage `json:"errorMessage,omitempty"`
	// FormGroup is the form group around the checkboxes.
	FormGroup FormGroupInputs `json:"formGroup,omitzero"`
	// IDPrefix starts the items' ids; Name when empty.
	IDPrefix string `json:"idPrefix,omitempty"`
	// Name is the checkboxes' name, unless an item has its own.
	Name string `json:"name,omitempty"`
	// Items are the checkboxes and dividers.
	Items []CheckboxItem `json:"items,omitempty"`
	// Values checks the items with these values.
	Values []string `json:"values,omitempty"`
	// Classes are extra classes for the checkboxes' container.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the checkboxes' container.
	Attributes Attributes `json:"attributes,omitempty"`
}

// Textarea is the option set of govukTextarea.
type Textarea struct {
	// ID is the textarea's id; Name when empty.
	ID string `json:"id,omitempty"`
	// Name is the textarea's name.
	Name string `json:"name,omitempty"`
	// Spellcheck sets the spellcheck attribute to true or false; none when nil.
	Spellcheck *bool `json:"spellcheck,omitempty"`
	// Rows is the number of rows shown; 5 when zero.
	Rows int `json:"rows,omitempty"`
	// Value is the textarea's content.
	Value string `json:"value,omitempty"`
	// Disabled disables the textarea.
	Disabled bool `json:"disabled,omitempty"`
	// DescribedBy are ids put first in the textarea's aria-describedby.
	DescribedBy string `json:"describedBy,omitempty"`
	// Label is the textarea's label.
	Label *Label `json:"label,omitempty"`
	// Hint is the textarea's hint, with id ID-hint.
	Hint *Hint `json:"hint,omitempty"`
	// ErrorMessage is the textarea's error, with id ID-error.
	ErrorMessage *ErrorMessage `json:"errorMessage,omitempty"`
	// FormGroup is the form group around the textarea.
	FormGroup FormGroup `json:"formGroup,omitzero"`
	// Classes are extra classes for the textarea.
	Classes string `json:"classes,omitempty"`
	// Autocomplete is the textarea's autocomplete attribute.
	Autocomplete string `json:"autocomplete,omitempty"`
	// Attributes are extra attributes for the textarea.
	Attributes Attributes `json:"attributes,omitempty"`
}

// ErrorItem is one error in an ErrorSummary's list.
type ErrorItem struct {
	// Href is the link to the field in error (#id); no link when empty.
	Href string `json:"href,omitempty"`
	// Text is the error's text.
	Text string `json:"text,omitempty"`
	// HTML is the error's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// Attributes are extra attributes for the link.
	Attributes Attributes `json:"attributes,omitempty"`
}

// ErrorSummary is the option set of govukErrorSummary.
type ErrorSummary struct {
	// TitleText is the summary's heading.
	TitleText string `json:"titleText,omitempty"`
	// TitleHTML is the heading's markup, used instead of TitleText when set.
	TitleHTML template.HTML `json:"titleHtml,omitempty"`
	// DescriptionText is a paragraph under the heading.
	DescriptionText string `json:"descriptionText,omitempty"`
	// DescriptionHTML is the paragraph's markup, used instead of
	// DescriptionText when set.
	DescriptionHTML template.HTML `json:"descriptionHtml,omitempty"`
	// ErrorList are the errors listed.
	ErrorList []ErrorItem `json:"errorList,omitempty"`
	// DisableAutoFocus sets data-disable-auto-focus; none when nil.
	DisableAutoFocus *bool `json:"disableAutoFocus,omitempty"`
	// Classes are extra classes for the summary.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the summary.
	Attributes Attributes `json:"attributes,omitempty"`
}

// SummaryCell is a summary list row's key or value.
type SummaryCell struct {
	// Text is the cell's text.
	Text string `json:"text,omitempty"`
	// HTML is the cell's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// Classes are extra classes for the cell.
	Classes string `json:"classes,omitempty"`
}

// Action is a link in a summary list row or card ("Change").
type Action struct {
	// Href is the link's target.
	Href string `json:"href,omitempty"`
	// Text is the link's text.
	Text string `json:"text,omitempty"`
	// HTML is the link's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// VisuallyHiddenText follows the text for screen readers ("name").
	VisuallyHiddenText string `json:"visuallyHiddenText,omitempty"`
	// Classes are extra classes for the link.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the link.
	Attributes Attributes `json:"attributes,omitempty"`
}

// SummaryActions are a row's or a card's actions.
type SummaryActions struct {
	// Items are the action links.
	Items []Action `json:"items,omitempty"`
	// Classes are extra classes for the actions' container.
	Classes string `json:"classes,omitempty"`
}

// SummaryRow is one row of a SummaryList. A row with nothing set is
// skipped (a falsy row in Nunjucks).
type SummaryRow struct {
	// Classes are extra classes for the row.
	Classes string `json:"classes,omitempty"`
	// Key is the row's key (dt).
	Key SummaryCell `json:"key,omitzero"`
	// Value is the row's value (dd).
	Value SummaryCell `json:"value,omitzero"`
	// Actions are the row's links.
	Actions SummaryActions `json:"actions,omitzero"`
}

// CardTitle is a summary card's title.
type CardTitle struct {
	// Text is the title's text.
	Text string `json:"text,omitempty"`
	// HTML is the title's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// HeadingLevel is the heading's level, 1 to 6; 2 when zero.
	HeadingLevel int `json:"headingLevel,omitempty"`
	// Classes are extra classes for the title.
	Classes string `json:"classes,omitempty"`
}

// SummaryCard wraps a summary list in a card.
type SummaryCard struct {
	// Title is the card's title.
	Title *CardTitle `json:"title,omitempty"`
	// Actions are the card's links.
	Actions SummaryActions `json:"actions,omitzero"`
	// Classes are extra classes for the card.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the card.
	Attributes Attributes `json:"attributes,omitempty"`
}

// SummaryList is the option set of govukSummaryList.
type SummaryList struct {
	// Rows are the list's rows.
	Rows []SummaryRow `json:"rows,omitempty"`
	// Card wraps the list in a summary card when set.
	Card *SummaryCard `json:"card,omitempty"`
	// Classes are extra classes for the list.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the list.
	Attributes Attributes `json:"attributes,omitempty"`
}

// Button is the option set of govukButton: a button, or a link styled as
// one when Href is set.
type Button struct {
	// Text is the button's text.
	Text string `json:"text,omitempty"`
	// HTML is the button's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// Type is the button's type; "submit" when empty.
	Type string `json:"type,omitempty"`
	// Name is the button's name.
	Name string `json:"name,omitempty"`
	// Value is the button's value.
	Value string `json:"value,omitempty"`
	// Disabled disables the button.
	Disabled bool `json:"disabled,omitempty"`
	// Href makes the button a link to Href.
	Href string `json:"href,omitempty"`
	// Classes are extra classes for the button.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the button.
	Attributes Attributes `json:"attributes,omitempty"`
	// PreventDoubleClick sets data-prevent-double-click="true": the button
	// ignores a second click within a second (with JavaScript).
	PreventDoubleClick bool `json:"preventDoubleClick,omitempty"`
	// AllowDoubleClick sets data-prevent-double-click="false", overriding
	// a page-wide setting (Nunjucks preventDoubleClick: false, which is how
	// it reads from JSON). PreventDoubleClick wins when both are set.
	AllowDoubleClick bool `json:"-"`
	// IsStartButton makes it a start button, with its arrow.
	IsStartButton bool `json:"isStartButton,omitempty"`
	// ID is the button's id.
	ID string `json:"id,omitempty"`
}

// PanelAction is a button or link in an interruption panel.
type PanelAction struct {
	// Text is the action's text.
	Text string `json:"text,omitempty"`
	// Type is the button's type; "button" when empty.
	Type string `json:"type,omitempty"`
	// Href makes the action a link (unless Type is "button").
	Href string `json:"href,omitempty"`
	// Classes are extra classes for the action.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the action.
	Attributes Attributes `json:"attributes,omitempty"`
}

// PanelActions are an interruption panel's actions.
type PanelActions struct {
	// Items are the actions.
	Items []PanelAction `json:"items,omitempty"`
	// Classes are extra classes for the actions' container.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the actions' container.
	Attributes Attributes `json:"attributes,omitempty"`
}

// Panel is the option set of govukPanel.
type Panel struct {
	// TitleText is the panel's heading.
	TitleText string `json:"titleText,omitempty"`
	// TitleHTML is the heading's markup, used instead of TitleText when set.
	TitleHTML template.HTML `json:"titleHtml,omitempty"`
	// HeadingLevel is the heading's level, 1 to 6; 1 when zero.
	HeadingLevel int `json:"headingLevel,omitempty"`
	// Text is the panel's body.
	Text string `json:"text,omitempty"`
	// HTML is the body's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// Classes are extra classes for the panel; govuk-panel--interruption
	// makes it an interruption panel.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the panel.
	Attributes Attributes `json:"attributes,omitempty"`
	// Actions are an interruption panel's buttons and links.
	Actions *PanelActions `json:"actions,omitempty"`
}

// WarningText is the option set of govukWarningText.
type WarningText struct {
	// Text is the warning's text.
	Text string `json:"text,omitempty"`
	// HTML is the warning's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// IconFallbackText is read out for the icon; "Warning" when empty.
	IconFallbackText string `json:"iconFallbackText,omitempty"`
	// Classes are extra classes for the warning.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the warning.
	Attributes Attributes `json:"attributes,omitempty"`
}

// BackLink is the option set of govukBackLink.
type BackLink struct {
	// Text is the link's text; "Back" when empty.
	Text string `json:"text,omitempty"`
	// HTML is the link's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// Href is the link's target; "#" when empty.
	Href string `json:"href,omitempty"`
	// Classes are extra classes for the link.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the link.
	Attributes Attributes `json:"attributes,omitempty"`
}

// NotificationBanner is the option set of govukNotificationBanner.
type NotificationBanner struct {
	// Text is the banner's content, shown as a heading paragraph.
	Text string `json:"text,omitempty"`
	// HTML is the banner's content, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// TitleText is the banner's title; "Success" or "Important" when empty.
	TitleText string `json:"titleText,omitempty"`
	// TitleHTML is the title's markup, used instead of TitleText when set.
	TitleHTML template.HTML `json:"titleHtml,omitempty"`
	// TitleHeadingLevel is the title's heading level, 1 to 6; 2 when zero.
	TitleHeadingLevel int `json:"titleHeadingLevel,omitempty"`
	// Type "success" makes a success banner (role alert).
	Type string `json:"type,omitempty"`
	// Role overrides the banner's role (alert or region by default).
	Role string `json:"role,omitempty"`
	// TitleID is the title's id; "govuk-notification-banner-title" when
	// empty.
	TitleID string `json:"titleId,omitempty"`
	// DisableAutoFocus sets data-disable-auto-focus; none when nil.
	DisableAutoFocus *bool `json:"disableAutoFocus,omitempty"`
	// Classes are extra classes for the banner.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the banner.
	Attributes Attributes `json:"attributes,omitempty"`
}

// Tag is the option set of govukTag.
type Tag struct {
	// Text is the tag's text.
	Text string `json:"text,omitempty"`
	// HTML is the tag's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// Classes are extra classes for the tag (its colour).
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the tag.
	Attributes Attributes `json:"attributes,omitempty"`
}

// TableCell is a table's header or body cell.
type TableCell struct {
	// Text is the cell's text.
	Text string `json:"text,omitempty"`
	// HTML is the cell's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// Format "numeric" right-aligns the cell.
	Format string `json:"format,omitempty"`
	// Classes are extra classes for the cell.
	Classes string `json:"classes,omitempty"`
	// Colspan is the cell's colspan; none when zero.
	Colspan int `json:"colspan,omitempty"`
	// Rowspan is the cell's rowspan; none when zero.
	Rowspan int `json:"rowspan,omitempty"`
	// Attributes are extra attributes for the cell.
	Attributes Attributes `json:"attributes,omitempty"`
}

// Table is the option set of govukTable.
type Table struct {
	// Rows are the body's rows; an empty row is skipped.
	Rows [][]TableCell `json:"rows,omitempty"`
	// Head are the header cells; no head when empty.
	Head []TableCell `json:"head,omitempty"`
	// Caption is the table's caption.
	Caption string `json:"caption,omitempty"`
	// CaptionClasses are extra classes for the caption.
	CaptionClasses string `json:"captionClasses,omitempty"`
	// FirstCellIsHeader makes each row's first cell a row header.
	FirstCellIsHeader bool `json:"firstCellIsHeader,omitempty"`
	// Classes are extra classes for the table.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the table.
	Attributes Attributes `json:"attributes,omitempty"`
}

// InsetText is the option set of govukInsetText.
type InsetText struct {
	// Text is the inset's text.
	Text string `json:"text,omitempty"`
	// HTML is the inset's markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// ID is the inset's id.
	ID string `json:"id,omitempty"`
	// Classes are extra classes for the inset.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the inset.
	Attributes Attributes `json:"attributes,omitempty"`
}

// Details is the option set of govukDetails.
type Details struct {
	// SummaryText is the summary's text.
	SummaryText string `json:"summaryText,omitempty"`
	// SummaryHTML is the summary's markup, used instead of SummaryText
	// when set.
	SummaryHTML template.HTML `json:"summaryHtml,omitempty"`
	// Text is the revealed text.
	Text string `json:"text,omitempty"`
	// HTML is the revealed markup, used instead of Text when set.
	HTML template.HTML `json:"html,omitempty"`
	// ID is the details element's id.
	ID string `json:"id,omitempty"`
	// Open opens the details.
	Open bool `json:"open,omitempty"`
	// Classes are extra classes for the details element.
	Classes string `json:"classes,omitempty"`
	// Attributes are extra attributes for the details element.
	Attributes Attributes `json:"attributes,omitempty"`
}
