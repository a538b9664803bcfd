package govuk

import (
	"bytes"
	"encoding/json"
)

// The option types decode from Nunjucks options with encoding/json. These
// few need more than their field tags, for Nunjucks values that Go's types
// cannot hold as they are.

// isFalse reports whether the JSON value b is false.
func isFalse(b []byte) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("false")) }

// UnmarshalJSON decodes a date item; the value false (Nunjucks `day: false`)
// sets Omit.
func (d *DateItem) UnmarshalJSON(b []byte) error {
	if isFalse(b) {
		*d = DateItem{Omit: true}
		return nil
	}
	type plain DateItem
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*d = DateItem(p)
	return nil
}

// UnmarshalJSON decodes an error message; visuallyHiddenText "" or false
// sets NoVisuallyHiddenText.
func (e *ErrorMessage) UnmarshalJSON(b []byte) error {
	type plain ErrorMessage
	var aux struct {
		*plain
		VisuallyHiddenText json.RawMessage `json:"visuallyHiddenText"`
	}
	*e = ErrorMessage{}
	aux.plain = (*plain)(e)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	switch v := bytes.TrimSpace(aux.VisuallyHiddenText); {
	case len(v) == 0, bytes.Equal(v, []byte("null")):
	case isFalse(v), bytes.Equal(v, []byte(`""`)):
		e.NoVisuallyHiddenText = true
	default:
		if err := json.Unmarshal(v, &e.VisuallyHiddenText); err != nil {
			return err
		}
	}
	return nil
}

// UnmarshalJSON decodes a button; preventDoubleClick false sets
// AllowDoubleClick.
func (btn *Button) UnmarshalJSON(b []byte) error {
	type plain Button
	var aux struct {
		*plain
		PreventDoubleClick *bool `json:"preventDoubleClick"`
	}
	*btn = Button{}
	aux.plain = (*plain)(btn)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if aux.PreventDoubleClick != nil {
		btn.PreventDoubleClick = *aux.PreventDoubleClick
		btn.AllowDoubleClick = !*aux.PreventDoubleClick
	}
	return nil
}
