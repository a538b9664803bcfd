package govuk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// frontendVersion is the GOV.UK Frontend release the templates mirror.
const frontendVersion = "6.6.0"

// components are the components checked against their fixtures: the
// fixtures' folder, the template and a new option struct for its options.
var components = []struct {
	dir, name string
	opts      func() any
}{
	{"back-link", "govukBackLink", func() any { return new(BackLink) }},
	{"button", "govukButton", func() any { return new(Button) }},
	{"checkboxes", "govukCheckboxes", func() any { return new(Checkboxes) }},
	{"date-input", "govukDateInput", func() any { return new(DateInput) }},
	{"details", "govukDetails", func() any { return new(Details) }},
	{"error-message", "govukErrorMessage", func() any { return new(ErrorMessage) }},
	{"error-summary", "govukErrorSummary", func() any { return new(ErrorSummary) }},
	{"fieldset", "govukFieldset", func() any { return new(Fieldset) }},
	{"hint", "govukHint", func() any { return new(Hint) }},
	{"input", "govukInput", func() any { return new(Input) }},
	{"inset-text", "govukInsetText", func() any { return new(InsetText) }},
	{"label", "govukLabel", func() any { return new(Label) }},
	{"notification-banner", "govukNotificationBanner", func() any { return new(NotificationBanner) }},
	{"panel", "govukPanel", func() any { return new(Panel) }},
	{"radios", "govukRadios", func() any { return new(Radios) }},
	{"summary-list", "govukSummaryList", func() any { return new(SummaryList) }},
	{"table", "govukTable", func() any { return new(Table) }},
	{"tag", "govukTag", func() any { return new(Tag) }},
	{"textarea", "govukTextarea", func() any { return new(Textarea) }},
	{"warning-text", "govukWarningText", func() any { return new(WarningText) }},
}

// skipped are the fixtures ("component/fixture name") that use what the Go
// templates deliberately do not support, each with the reason. A name here
// that is not a fixture fails the test, so the list cannot go stale.
var skipped = map[string]string{}

// fixture is one entry of a component's fixtures.json.
type fixture struct {
	Name    string          `json:"name"`
	Options json.RawMessage `json:"options"`
	HTML    string          `json:"html"`
	Hidden  bool            `json:"hidden"`
}

// frontendDir is GOV.UK Frontend's dist/govuk folder under the module
// root's node_modules; the test fails, not skips, without it.
func frontendDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
	pkg := filepath.Join(dir, "node_modules", "govuk-frontend")
	b, err := os.ReadFile(filepath.Join(pkg, "package.json"))
	if err != nil {
		t.Fatalf("GOV.UK Frontend is not installed (%v): run `make web-assets` in %s", err, dir)
	}
	var meta struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Version != frontendVersion {
		t.Fatalf("node_modules has GOV.UK Frontend %s, the templates mirror %s: run `make web-assets`", meta.Version, frontendVersion)
	}
	return filepath.Join(pkg, "dist", "govuk")
}

func newTemplates(t testing.TB) *template.Template {
	t.Helper()
	tmpl, err := Add(template.New("test"))
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}

// TestFixtures renders every fixture of every component and compares it
// with the fixture's HTML, normalised (see normalise).
func TestFixtures(t *testing.T) {
	root := frontendDir(t)
	tmpl := newTemplates(t)
	seen := map[string]bool{}
	var summary []string
	for _, c := range components {
		b, err := os.ReadFile(filepath.Join(root, "components", c.dir, "fixtures.json"))
		if err != nil {
			t.Fatalf("%v: run `make web-assets`", err)
		}
		var file struct {
			Fixtures []fixture `json:"fixtures"`
		}
		if err := json.Unmarshal(b, &file); err != nil {
			t.Fatalf("%s: %v", c.dir, err)
		}
		if len(file.Fixtures) == 0 {
			t.Fatalf("%s: no fixtures", c.dir)
		}
		var passed, skips, failed int
		for _, f := range file.Fixtures {
			key := c.dir + "/" + f.Name
			seen[key] = true
			if reason, ok := skipped[key]; ok {
				skips++
				t.Run(key, func(t *testing.T) { t.Skip(reason) })
				continue
			}
			ok := t.Run(key, func(t *testing.T) {
				opts := c.opts()
				if err := decodeOptions(f.Options, opts); err != nil {
					t.Fatalf("options %s: %v", f.Options, err)
				}
				var buf bytes.Buffer
				if err := tmpl.ExecuteTemplate(&buf, c.name, opts); err != nil {
					t.Fatalf("render: %v", err)
				}
				want, err := normalise(f.HTML)
				if err != nil {
					t.Fatalf("fixture html: %v", err)
				}
				got, err := normalise(buf.String())
				if err != nil {
					t.Fatalf("rendered html: %v", err)
				}
				if got != want {
					t.Errorf("options %s\nrendered:\n%s\n\nfixture:\n%s\n\nnormalised, first difference:\n%s", f.Options, buf.String(), f.HTML, firstDiff(got, want))
				}
			})
			if ok {
				passed++
			} else {
				failed++
			}
		}
		summary = append(summary, fmt.Sprintf("%-20s %3d fixtures: %3d passed, %d failed, %d skipped", c.dir, len(file.Fixtures), passed, failed, skips))
	}
	for key := range skipped {
		if !seen[key] {
			t.Errorf("skipped fixture %q is not a fixture", key)
		}
	}
	t.Log("fixtures per component:\n" + strings.Join(summary, "\n"))
}

// decodeOptions decodes a fixture's options into opts (a pointer to an
// option struct), refusing options the struct does not have. Nunjucks is
// loosely typed and Go is not, so first the values are brought to the
// Go field's type, as Nunjucks would use them: a number given for a
// string option becomes its text, a falsy value (false, null, "") given
// for an object or list option becomes unset, and false given for a string
// option becomes "". Options the struct does not have are refused.
func decodeOptions(raw json.RawMessage, opts any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	v, err := coerce(v, reflect.TypeOf(opts).Elem())
	if err != nil {
		return fmt.Errorf("options%w", err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	dec = json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(opts)
}

func falsy(v any) bool {
	return v == nil || v == false || v == ""
}

var (
	attributeType = reflect.TypeFor[Attribute]()
	dateItemType  = reflect.TypeFor[DateItem]()
)

// coerce brings the JSON value v to Go type t (see decodeOptions), and
// refuses a key that t has no field for, at any depth (the option types'
// own UnmarshalJSON methods do not refuse them).
func coerce(v any, t reflect.Type) (any, error) {
	switch {
	case t == attributeType:
		return v, nil // Attribute decodes every Nunjucks form itself.
	case (t == dateItemType || t == reflect.PointerTo(dateItemType)) && v == false:
		return v, nil // DateItem decodes false as Omit.
	}
	switch t.Kind() {
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Struct && falsy(v) {
			return nil, nil
		}
		return coerce(v, t.Elem())
	case reflect.String:
		switch x := v.(type) {
		case json.Number:
			return x.String(), nil
		case bool:
			if !x {
				return "", nil
			}
		case nil:
			return "", nil
		}
		return v, nil
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			if falsy(v) {
				return nil, nil
			}
			return v, nil
		}
		out := make([]any, len(list))
		for i, e := range list {
			c, err := coerce(e, t.Elem())
			if err != nil {
				return nil, fmt.Errorf("[%d]%w", i, err)
			}
			out[i] = c
		}
		return out, nil
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			if falsy(v) {
				return nil, nil
			}
			return v, nil
		}
		out := map[string]any{}
		for k, e := range m {
			c, err := coerce(e, t.Elem())
			if err != nil {
				return nil, fmt.Errorf(".%s%w", k, err)
			}
			out[k] = c
		}
		return out, nil
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			if falsy(v) {
				return nil, nil
			}
			return v, nil
		}
		fields := map[string]reflect.Type{}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name != "" && name != "-" {
				fields[name] = f.Type
			}
		}
		out := map[string]any{}
		for k, e := range m {
			ft, ok := fields[k]
			if !ok {
				return nil, fmt.Errorf(".%s: %s has no such option", k, t.Name())
			}
			c, err := coerce(e, ft)
			if err != nil {
				return nil, fmt.Errorf(".%s%w", k, err)
			}
			out[k] = c
		}
		return out, nil
	}
	return v, nil
}

// normalise parses s as an HTML fragment (in body) and writes it back one
// node a line: elements with their attributes sorted (the class attribute
// as a sorted set of classes), text with whitespace runs collapsed and
// trimmed (text that is only whitespace dropped), comments dropped.
func normalise(s string) (string, error) {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		indent := strings.Repeat("  ", depth)
		switch n.Type {
		case html.TextNode:
			if text := strings.Join(strings.Fields(n.Data), " "); text != "" {
				fmt.Fprintf(&b, "%s%q\n", indent, text)
			}
			return
		case html.ElementNode:
			var attrs []string
			for _, a := range n.Attr {
				val := a.Val
				if a.Key == "class" {
					classes := strings.Fields(val)
					slices.Sort(classes)
					val = strings.Join(slices.Compact(classes), " ")
				}
				name := a.Key
				if a.Namespace != "" {
					name = a.Namespace + ":" + name
				}
				attrs = append(attrs, fmt.Sprintf("%s=%q", name, val))
			}
			slices.Sort(attrs)
			fmt.Fprintf(&b, "%s<%s", indent, n.Data)
			for _, a := range attrs {
				b.WriteString(" " + a)
			}
			b.WriteString(">\n")
		default:
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	for _, n := range nodes {
		walk(n, 0)
	}
	return b.String(), nil
}

// firstDiff shows the normalised lines around the first difference.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	from := max(0, i-3)
	line := func(l []string, i int) string {
		if i < len(l) {
			return l[i]
		}
		return "(end)"
	}
	var b strings.Builder
	for j := from; j < i; j++ {
		fmt.Fprintf(&b, "   %s\n", g[j])
	}
	fmt.Fprintf(&b, "got  %s\nwant %s\n", line(g, i), line(w, i))
	return b.String()
}

// TestNormaliseDetectsDifferences keeps the comparison honest: markup that
// differs must not normalise to the same thing.
func TestNormaliseDetectsDifferences(t *testing.T) {
	same := [][2]string{
		{`<p class="a b" id="x">  Hi   there </p>`, "<p id=\"x\" class=\"b a\">\nHi there</p>"},
		{`<input disabled name="n">`, `<input name="n" disabled="">`},
	}
	for _, c := range same {
		a, _ := normalise(c[0])
		b, _ := normalise(c[1])
		if a != b {
			t.Errorf("%q and %q should normalise alike:\n%s\n%s", c[0], c[1], a, b)
		}
	}
	differ := [][2]string{
		{`<p class="a">x</p>`, `<p class="a b">x</p>`},
		{`<p id="x">x</p>`, `<p id="y">x</p>`},
		{`<p>x</p>`, `<div>x</div>`},
		{`<p>x</p>`, `<p>y</p>`},
		{`<p><span>x</span></p>`, `<p>x</p>`},
		{`<input name="n">`, `<input name="n" checked>`},
	}
	for _, c := range differ {
		a, _ := normalise(c[0])
		b, _ := normalise(c[1])
		if a == b {
			t.Errorf("%q and %q should differ", c[0], c[1])
		}
	}
}

// TestTemplatesDefined checks that every component template is defined, and
// renders from a value, a pointer, a nil pointer and the zero value.
func TestTemplatesDefined(t *testing.T) {
	tmpl := newTemplates(t)
	for _, name := range Names {
		if tmpl.Lookup(name) == nil {
			t.Errorf("%s is not defined", name)
		}
	}
	for _, c := range components {
		if !slices.Contains(Names, c.name) {
			t.Errorf("%s is not in Names", c.name)
		}
		ptr := c.opts()
		for _, arg := range []any{ptr, reflect.ValueOf(ptr).Elem().Interface(), reflect.Zero(reflect.TypeOf(ptr)).Interface()} {
			if err := tmpl.ExecuteTemplate(&bytes.Buffer{}, c.name, arg); err != nil {
				t.Errorf("%s(%T): %v", c.name, arg, err)
			}
		}
	}
	if len(components) != len(Names) {
		t.Errorf("%d components tested, %d in Names", len(components), len(Names))
	}
}

func render(t *testing.T, name string, data any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := newTemplates(t).ExecuteTemplate(&buf, name, data); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return buf.String()
}

// TestEscaping checks that text options from users are escaped wherever
// they land: element content, attribute values, textarea content.
func TestEscaping(t *testing.T) {
	const evil = `"><script>alert(1)</script>`
	cases := map[string]struct {
		name string
		data any
	}{
		"input":         {"govukInput", Input{Name: "n", Value: evil, Label: &Label{Text: evil}, Hint: &Hint{Text: evil}, ErrorMessage: &ErrorMessage{Text: evil}, Prefix: &Affix{Text: evil}, Attributes: Attributes{"data-x": Attr(evil)}}},
		"textarea":      {"govukTextarea", &Textarea{Name: "n", Value: "</textarea>" + evil, Label: &Label{Text: evil}}},
		"radios":        {"govukRadios", Radios{Name: "n", Value: evil, Items: []RadioItem{{Value: evil, Text: evil, Hint: &Hint{Text: evil}}}, Fieldset: &Fieldset{Legend: &Legend{Text: evil}}}},
		"checkboxes":    {"govukCheckboxes", Checkboxes{Name: "n", Values: []string{evil}, Items: []CheckboxItem{{Value: evil, Text: evil}}}},
		"date input":    {"govukDateInput", DateInput{ID: "d", Values: map[string]string{"day": evil}}},
		"error summary": {"govukErrorSummary", ErrorSummary{TitleText: evil, ErrorList: []ErrorItem{{Href: "#" + evil, Text: evil}}}},
		"summary list":  {"govukSummaryList", SummaryList{Rows: []SummaryRow{{Key: SummaryCell{Text: evil}, Value: SummaryCell{Text: evil}, Actions: SummaryActions{Items: []Action{{Href: "/x", Text: evil, VisuallyHiddenText: evil}}}}}}},
		"button":        {"govukButton", Button{Text: evil, Value: evil, Name: evil}},
		"panel":         {"govukPanel", Panel{TitleText: evil, Text: evil}},
		"banner":        {"govukNotificationBanner", NotificationBanner{TitleText: evil, Text: evil}},
		"back link":     {"govukBackLink", BackLink{Text: evil, Href: "javascript:alert(1)"}},
		"table":         {"govukTable", Table{Caption: evil, Head: []TableCell{{Text: evil}}, Rows: [][]TableCell{{{Text: evil}}}}},
	}
	for name, c := range cases {
		out := render(t, c.name, c.data)
		if strings.Contains(out, "<script>") || strings.Contains(out, "javascript:") {
			t.Errorf("%s: not escaped:\n%s", name, out)
		}
		if !strings.Contains(out, "&lt;script&gt;") {
			t.Errorf("%s: escaped text missing:\n%s", name, out)
		}
	}
}

// TestHTMLOptions checks that the HTML options are kept as markup.
func TestHTMLOptions(t *testing.T) {
	out := render(t, "govukInsetText", InsetText{HTML: `<p class="x">Hi</p>`, Text: "ignored"})
	if !strings.Contains(out, `<p class="x">Hi</p>`) || strings.Contains(out, "ignored") {
		t.Errorf("HTML not used in place of Text:\n%s", out)
	}
}

func TestAttributes(t *testing.T) {
	got, err := renderAttributes(Attributes{
		"data-b":   Attr(`a"b<c>&`),
		"data-a":   Attr("1"),
		"hidden":   Flag(true),
		"open":     Flag(false),
		"aria-x":   {Null: true},
		"aria-y":   {Null: true, Optional: true},
		"data-off": {Bool: Bool(false)},
		"href":     Attr("javascript:alert(1)"),
		"src":      Attr("https://example.com/a.png"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := ` aria-x="" data-a="1" data-b="a&#34;b&lt;c&gt;&amp;" data-off="false" hidden href="#ZgotmplZ" src="https://example.com/a.png"`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, name := range []string{"onclick", "ONLOAD", "srcdoc", `x" onload="y`, "a b", "", "1a", "x>"} {
		if _, err := renderAttributes(Attributes{name: Attr("v")}); !errors.Is(err, errAttrName) {
			t.Errorf("%q: want errAttrName, got %v", name, err)
		}
	}
	// A bad name fails the template rather than rendering.
	var buf bytes.Buffer
	if err := newTemplates(t).ExecuteTemplate(&buf, "govukTag", Tag{Text: "x", Attributes: Attributes{"onclick": Attr("x")}}); err == nil {
		t.Errorf("onclick rendered: %s", buf.String())
	}

	var a Attributes
	if err := json.Unmarshal([]byte(`{"s":"x","n":2,"t":true,"f":false,"z":null,"o":{"value":true,"optional":true},"p":{"value":"v"},"q":{"optional":true}}`), &a); err != nil {
		t.Fatal(err)
	}
	got, err = renderAttributes(a)
	if err != nil {
		t.Fatal(err)
	}
	want = ` f="false" n="2" o p="v" s="x" t="true" z=""`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back Attributes
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(a, back) {
		t.Errorf("round trip %s: %v %#v", b, err, back)
	}
	if err := json.Unmarshal([]byte(`{"x":[1]}`), &a); err == nil {
		t.Error("a list accepted as an attribute value")
	}
}

// TestDecodeOptions checks the fixture decoding: unknown options are
// refused at any depth, and the Nunjucks forms Go types cannot hold as they
// are decode to their flags.
func TestDecodeOptions(t *testing.T) {
	for _, raw := range []string{
		`{"label": {"txt": "x"}}`,
		`{"errorMessage": {"text": "x", "bogus": 1}}`,
		`{"prefix": {"text": "x", "bogus": 1}}`,
		`{"bogus": true}`,
	} {
		if err := decodeOptions(json.RawMessage(raw), new(Input)); err == nil {
			t.Errorf("%s accepted", raw)
		}
	}
	if err := decodeOptions(json.RawMessage(`{"items": [{"name": "day", "bogus": 1}]}`), new(DateInput)); err == nil {
		t.Error("unknown date item option accepted")
	}

	var e ErrorMessage
	if err := json.Unmarshal([]byte(`{"text": "x", "visuallyHiddenText": ""}`), &e); err != nil || !e.NoVisuallyHiddenText {
		t.Errorf(`visuallyHiddenText "": %+v, %v`, e, err)
	}
	if err := json.Unmarshal([]byte(`{"text": "x", "visuallyHiddenText": "Gwall"}`), &e); err != nil || e.NoVisuallyHiddenText || e.VisuallyHiddenText != "Gwall" || e.Text != "x" {
		t.Errorf(`visuallyHiddenText "Gwall": %+v, %v`, e, err)
	}
	var b Button
	if err := json.Unmarshal([]byte(`{"text": "x", "preventDoubleClick": false}`), &b); err != nil || !b.AllowDoubleClick || b.PreventDoubleClick || b.Text != "x" {
		t.Errorf("preventDoubleClick false: %+v, %v", b, err)
	}
	var d DateInput
	if err := json.Unmarshal([]byte(`{"day": false, "month": {"name": "m"}}`), &d); err != nil || d.Day == nil || !d.Day.Omit || d.Month.Name != "m" {
		t.Errorf("day false: %+v, %v", d, err)
	}
}
