package govuk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strings"
)

// Attributes are extra HTML attributes for a component's element, as the
// Nunjucks `attributes` option: a map from attribute name to value. They are
// rendered in name order (Nunjucks keeps the object's order; Go maps have
// none), each value HTML-escaped.
//
// Names are the page code's own and must be plain attribute names (letters,
// digits and `-_.:@`); event handler attributes (on…) and srcdoc are
// refused, and the values of URL attributes (href, src, action, formaction,
// …) lose any scheme other than http, https, mailto and tel, as
// html/template would treat them, so that a value taken from a user stays
// harmless. A bad name makes the template fail rather than render.
type Attributes map[string]Attribute

// Attribute is one attribute's value: text, or the GOV.UK Frontend 6.x
// `{value, optional}` form. The zero value renders name="".
//
// In JSON an attribute is a string, a number, a boolean, null, or an object
// {"value": …, "optional": bool} whose value is one of those.
type Attribute struct {
	// Value is the attribute's text (used unless Bool is set or Null is true).
	Value string
	// Bool, when set, makes the value a boolean: with Optional, true renders
	// the name alone (a boolean attribute such as `hidden`) and false leaves
	// the attribute out; without Optional it renders "true" or "false".
	Bool *bool
	// Null marks a missing value (null or undefined in Nunjucks): left out
	// when Optional, otherwise rendered name="".
	Null bool
	// Optional is the 6.x `optional: true`: the attribute is left out when
	// its value is missing or false, and rendered as a bare name when true.
	Optional bool
}

// Attr returns a plain text attribute value.
func Attr(value string) Attribute { return Attribute{Value: value} }

// Flag returns an optional boolean attribute: when on it renders the name
// alone (for example `hidden`), when off it is left out.
func Flag(on bool) Attribute { return Attribute{Bool: &on, Optional: true} }

// Bool returns a pointer to b, for the options that tell false apart from
// unset (RadioItem.Checked, DateItem.Error, Input.Spellcheck, ...).
func Bool(b bool) *bool { return &b }

// UnmarshalJSON decodes a Nunjucks attribute value: a string, number,
// boolean, null or {value, optional} object.
func (a *Attribute) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var o struct {
			Value    json.RawMessage `json:"value"`
			Optional bool            `json:"optional"`
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			return fmt.Errorf("govuk: attribute: %w", err)
		}
		var v Attribute
		if len(o.Value) == 0 {
			v.Null = true
		} else if err := v.scalar(o.Value); err != nil {
			return err
		}
		v.Optional = o.Optional
		*a = v
		return nil
	}
	*a = Attribute{}
	return a.scalar(b)
}

func (a *Attribute) scalar(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		a.Null = true
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")):
		v := b[0] == 't'
		a.Bool = &v
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, &a.Value)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("govuk: attribute value %s: not a string, number, boolean or null", b)
		}
		a.Value = n.String()
	}
	return nil
}

// MarshalJSON encodes the attribute in the form UnmarshalJSON reads.
func (a Attribute) MarshalJSON() ([]byte, error) {
	var v any = a.Value
	if a.Null {
		v = nil
	} else if a.Bool != nil {
		v = *a.Bool
	}
	if a.Optional {
		return json.Marshal(map[string]any{"value": v, "optional": true})
	}
	return json.Marshal(v)
}

// errAttrName is wrapped by the errors renderAttributes returns.
var errAttrName = errors.New("govuk: attribute name not allowed")

// validAttrName reports whether name is a plain attribute name that needs
// no escaping.
func validAttrName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_', r == ':', r == '@':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}

// urlAttrs are the attributes whose values are URLs, as html/template sees
// them.
var urlAttrs = map[string]bool{
	"action": true, "archive": true, "background": true, "cite": true,
	"classid": true, "codebase": true, "data": true, "formaction": true,
	"href": true, "icon": true, "longdesc": true, "manifest": true,
	"poster": true, "profile": true, "src": true, "usemap": true,
	"xmlns": true, "xlink:href": true,
}

// safeURL returns u unless it has a scheme other than http, https, mailto
// or tel, in which case it returns html/template's "#ZgotmplZ".
func safeURL(u string) string {
	scheme, _, ok := strings.Cut(u, ":")
	if !ok || strings.ContainsAny(scheme, "/?#") {
		return u
	}
	switch strings.ToLower(strings.TrimSpace(scheme)) {
	case "http", "https", "mailto", "tel":
		return u
	}
	return "#ZgotmplZ"
}

// renderAttributes renders attrs as ` name="value"` pairs, as
// govukAttributes does, escaping each value.
func renderAttributes(attrs Attributes) (template.HTMLAttr, error) {
	if len(attrs) == 0 {
		return "", nil
	}
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, name := range names {
		lower := strings.ToLower(name)
		if !validAttrName(name) || strings.HasPrefix(lower, "on") || lower == "srcdoc" {
			return "", fmt.Errorf("%w: %q", errAttrName, name)
		}
		a := attrs[name]
		var value string
		switch {
		case a.Null:
			if a.Optional {
				continue
			}
		case a.Bool != nil:
			if a.Optional {
				if *a.Bool {
					b.WriteString(" " + name)
				}
				continue
			}
			value = fmt.Sprint(*a.Bool)
		default:
			value = a.Value
		}
		if urlAttrs[strings.TrimPrefix(lower, "data-")] {
			value = safeURL(value)
		}
		b.WriteString(" " + name + `="` + template.HTMLEscapeString(value) + `"`)
	}
	return template.HTMLAttr(b.String()), nil
}
