package chart

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// node is an element of parsed SVG.
type node struct {
	name     string
	attr     map[string]string
	children []*node
	text     string // character data directly inside
	parent   *node
}

// parseSVG decodes s as XML, failing the test if it is not well formed or
// has more than one root element.
func parseSVG(t *testing.T, s string) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	var root, cur *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attr: map[string]string{}, parent: cur}
			for _, a := range tok.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			if cur == nil {
				if root != nil {
					t.Fatalf("more than one root element")
				}
				root = n
			} else {
				cur.children = append(cur.children, n)
			}
			cur = n
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			if cur == nil {
				if strings.TrimSpace(string(tok)) != "" {
					t.Fatalf("text outside the root: %q", tok)
				}
				continue
			}
			cur.text += string(tok)
		}
	}
	if root == nil {
		t.Fatalf("no element in %q", s)
	}
	return root
}

// all returns the elements under n (n included) for which keep is true,
// in document order.
func (n *node) all(keep func(*node) bool) []*node {
	var out []*node
	if keep(n) {
		out = append(out, n)
	}
	for _, c := range n.children {
		out = append(out, c.all(keep)...)
	}
	return out
}

func (n *node) named(name string) []*node {
	return n.all(func(m *node) bool { return m.name == name })
}

func (n *node) classed(class string) []*node {
	return n.all(func(m *node) bool { return m.attr["class"] == class })
}

func (n *node) f(t *testing.T, attr string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr[attr], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.name, attr, n.attr[attr], err)
	}
	return v
}

// texts returns the text elements' content, in order.
func (n *node) texts() []string {
	var out []string
	for _, m := range n.named("text") {
		out = append(out, m.text)
	}
	return out
}

// viewBox returns the width and height of the root's viewBox.
func viewBox(t *testing.T, root *node) (w, h float64) {
	t.Helper()
	f := strings.Fields(root.attr["viewBox"])
	if len(f) != 4 || f[0] != "0" || f[1] != "0" {
		t.Fatalf("viewBox = %q", root.attr["viewBox"])
	}
	w, err1 := strconv.ParseFloat(f[2], 64)
	h, err2 := strconv.ParseFloat(f[3], 64)
	if err1 != nil || err2 != nil || w <= 0 || h <= 0 {
		t.Fatalf("viewBox = %q", root.attr["viewBox"])
	}
	return w, h
}

const nasty = `<script>alert(1)</script> & "x"`

var weeks = []Bar{
	{Label: "w/c 3 Nov", Value: 12},
	{Label: "w/c 10 Nov", Value: 18},
	{Label: "w/c 17 Nov", Value: 9},
	{Label: "w/c 24 Nov", Value: 15},
}

var charts = []struct {
	name string
	c    Chart
}{
	{"normal", Chart{ID: "weeks", Title: "Referrals by week", Summary: "Referrals rose in the second week.", Unit: "Referrals", Category: "Week", Bars: weeks}},
	{"empty", Chart{ID: "none", Title: "Referrals by week", Summary: "No referrals.", Unit: "Referrals"}},
	{"no fields", Chart{}},
	{"one bar", Chart{ID: "one", Title: "One", Summary: "One bar.", Bars: []Bar{{Label: "Police", Value: 4}}}},
	{"all zero", Chart{ID: "zero", Title: "Overdue", Summary: "Nothing overdue.", Unit: "Items", Bars: []Bar{{"Screening decisions", 0, ""}, {"Return home interviews", 0, ""}, {"Appropriate adults", 0, ""}}}},
	{"large values", Chart{ID: "big", Title: "Big", Summary: "Large.", Bars: []Bar{{"A", 1234567, "1,234,567"}, {"B", 987654321, ""}}}},
	{"huge values", Chart{ID: "huge", Title: "Huge", Summary: "Huge.", Bars: []Bar{{"A", 1e300, ""}, {"B", 5e299, ""}}}},
	{"tiny values", Chart{ID: "tiny", Title: "Tiny", Summary: "Tiny.", Bars: []Bar{{"A", 0.0003, ""}, {"B", 0.0001, ""}}}},
	{"odd values", Chart{ID: "odd", Title: "Odd", Summary: "Odd.", Bars: []Bar{{"neg", -5, ""}, {"nan", math.NaN(), ""}, {"inf", math.Inf(1), ""}, {"ok", 2, ""}}, Lines: []Line{{"neg", -1, "", ""}, {"nan", math.NaN(), "", ""}}}},
	{"lines above bars", Chart{ID: "rr", Title: "Re-referral rate", Summary: "Below England's and Manchester's rates.", Unit: "Per cent of referrals", Suffix: "%",
		Bars:  []Bar{{"This period", 19.5, "19.5%"}},
		Lines: []Line{{"England, 2014-15", 24, "24%", "Department for Education, Characteristics of children in need"}, {"Manchester, 2014-15", 31, "31%", "Department for Education, Characteristics of children in need"}}}},
	{"lines close together", Chart{ID: "close", Title: "Close", Summary: "Close lines.", Suffix: "%", Bars: []Bar{{"Now", 10, ""}},
		Lines: []Line{{"One", 24, "", ""}, {"Two", 24.5, "", ""}, {"Three", 25, "", ""}, {"Four", 0, "", ""}}}},
	{"many lines", Chart{ID: "lines", Title: "Lines", Summary: "Lines.", Bars: []Bar{{"Now", 1, ""}},
		Lines: []Line{{"A long reference line label that wraps", 1, "", ""}, {"B long reference line label that wraps", 1, "", ""}, {"C long reference line label that wraps", 1, "", ""}, {"D long reference line label that wraps", 1, "", ""}, {"E long reference line label that wraps", 1, "", ""}, {"F long reference line label that wraps", 1, "", ""}}}},
	{"horizontal", Chart{ID: "src", Title: "Referrals by source", Summary: "Most came from the police.", Unit: "Referrals", Category: "Source", Horizontal: true,
		Bars:  []Bar{{"Police", 40, ""}, {"Schools", 22, ""}, {"Individual: family member, relative or carer", 2, ""}},
		Lines: []Line{{"Average", 21, "", "Last year"}, {"Highest month last year", 39, "", "Last year"}}}},
	{"long shown values", Chart{ID: "long", Title: "Long", Summary: "Long.", Horizontal: true, Bars: []Bar{{"A label that is long enough to wrap", 3, strings.Repeat("three referrals ", 30)}, {"B", 1, "one"}}}},
	{"horizontal empty", Chart{ID: "hnone", Title: "None", Horizontal: true, Lines: []Line{{"Line", 3, "", ""}}}},
	{"many bars", Chart{ID: "year", Title: "Referrals by week", Summary: "A year.", Unit: "Referrals", Bars: func() []Bar {
		var bs []Bar
		for i := range 52 {
			bs = append(bs, Bar{Label: fmt.Sprintf("Week %d", i+1), Value: float64(i % 7)})
		}
		return bs
	}()}},
	{"nasty text", Chart{ID: nasty, Title: nasty, Summary: nasty, Unit: nasty, Suffix: nasty, Bars: []Bar{{nasty, 1, nasty}, {"bad \x00\x01 \xff bytes \uFFFE", 2, ""}}, Lines: []Line{{nasty, 1, nasty, nasty}}}},
}

// TestSVGWellFormed checks every sample chart for well-formed XML, the
// accessible name and description, the viewBox, the font, coordinates
// inside the viewBox, and nothing a strict content security policy would
// block.
func TestSVGWellFormed(t *testing.T) {
	for _, tc := range charts {
		t.Run(tc.name, func(t *testing.T) {
			out := string(tc.c.SVG())
			root := parseSVG(t, out)
			if root.name != "svg" || root.attr["xmlns"] != "http://www.w3.org/2000/svg" {
				t.Fatalf("root = <%s xmlns=%q>", root.name, root.attr["xmlns"])
			}
			if root.attr["role"] != "img" {
				t.Errorf("role = %q", root.attr["role"])
			}
			if root.attr["width"] != "100%" {
				t.Errorf("width = %q", root.attr["width"])
			}
			if _, ok := root.attr["height"]; ok {
				t.Errorf("has a fixed height")
			}
			if root.attr["font-family"] != "GDS Transport, arial, sans-serif" {
				t.Errorf("font-family = %q", root.attr["font-family"])
			}
			w, h := viewBox(t, root)
			if w != 600 {
				t.Errorf("viewBox width = %v", w)
			}
			// 18 units in 600 is 14px once the chart is 467px wide.
			if fs := root.f(t, "font-size"); fs/w*467 < 14 {
				t.Errorf("font-size %v too small", fs)
			}

			ids := map[string]*node{}
			for _, n := range root.all(func(*node) bool { return true }) {
				if id, ok := n.attr["id"]; ok {
					if ids[id] != nil {
						t.Errorf("id %q twice", id)
					}
					ids[id] = n
				}
				if _, ok := n.attr["style"]; ok {
					t.Errorf("style attribute on <%s>", n.name)
				}
				if _, ok := n.attr["font-size"]; ok && n != root {
					t.Errorf("font-size changed on <%s>", n.name)
				}
				for a := range n.attr {
					if strings.HasPrefix(a, "on") || a == "href" {
						t.Errorf("attribute %s on <%s>", a, n.name)
					}
				}
				switch n.name {
				case "style", "script", "foreignObject", "a", "image", "use":
					t.Errorf("<%s> element", n.name)
				}
				for _, a := range []string{"x", "x1", "x2", "width"} {
					if _, ok := n.attr[a]; ok && n != root {
						if v := n.f(t, a); v < 0 || v > w {
							t.Errorf("<%s %s=%v> outside 0..%v", n.name, a, v, w)
						}
					}
				}
				for _, a := range []string{"y", "y1", "y2", "height"} {
					if _, ok := n.attr[a]; ok {
						if v := n.f(t, a); v < 0 || v > h {
							t.Errorf("<%s %s=%v> outside 0..%v", n.name, a, v, h)
						}
					}
				}
			}

			refs := strings.Fields(root.attr["aria-labelledby"])
			if len(refs) == 0 {
				t.Fatalf("no aria-labelledby")
			}
			for _, id := range refs {
				if ids[id] == nil {
					t.Errorf("aria-labelledby names %q, not in the SVG", id)
				}
			}
			title, desc := ids[refs[0]], (*node)(nil)
			if title == nil || title.name != "title" || title.parent != root || root.children[0] != title {
				t.Fatalf("aria-labelledby does not start with the svg's first child, its title")
			}
			want := cleanText(tc.c.Title)
			if want == "" {
				want = "Bar chart"
			}
			if title.text != want {
				t.Errorf("title = %q, want %q", title.text, want)
			}
			if len(refs) > 1 {
				desc = ids[refs[1]]
			}
			if tc.c.Summary != "" {
				if desc == nil || desc.name != "desc" || desc.parent != root {
					t.Fatalf("aria-labelledby does not name the desc")
				}
				if want := cleanText(tc.c.Summary); desc.text != want {
					t.Errorf("desc = %q, want %q", desc.text, want)
				}
			} else if len(refs) > 1 || len(root.named("desc")) > 0 {
				t.Errorf("desc without a summary")
			}

			if got := len(root.classed("app-chart__bar")); got != len(tc.c.Bars) {
				t.Errorf("%d bars drawn, want %d", got, len(tc.c.Bars))
			}
			if got := len(root.classed("app-chart__reference")); got != len(tc.c.Lines) {
				t.Errorf("%d reference lines drawn, want %d", got, len(tc.c.Lines))
			}
			for _, r := range root.classed("app-chart__reference") {
				if r.attr["stroke-dasharray"] == "" {
					t.Errorf("reference line not dashed")
				}
			}

			// As part of an HTML page, the SVG is the same tree.
			doc, err := html.Parse(strings.NewReader("<!DOCTYPE html><html><body><p>Before</p>" + out + "<p>After</p></body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			var count func(*html.Node) (elements, bodyChildren int)
			count = func(n *html.Node) (int, int) {
				e, b := 0, 0
				if n.Type == html.ElementNode && n.Namespace == "svg" {
					e++
				}
				if n.Type == html.ElementNode && n.Data == "body" {
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						b++
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					ce, cb := count(c)
					e, b = e+ce, b+cb
				}
				return e, b
			}
			e, b := count(doc)
			if want := len(root.all(func(*node) bool { return true })); e != want || b != 3 {
				t.Errorf("in HTML: %d svg elements (want %d), %d body children (want 3)", e, want, b)
			}
		})
	}
}

// TestDeterministic checks that the same chart draws the same way.
func TestDeterministic(t *testing.T) {
	for _, tc := range charts {
		if a, b := tc.c.SVG(), tc.c.SVG(); a != b {
			t.Errorf("%s: two drawings differ", tc.name)
		}
	}
}

// TestBarsProportional checks that bar lengths are proportional to their
// values, negative values drawn as nothing and values above Max as Max.
func TestBarsProportional(t *testing.T) {
	bars := []Bar{{"a", 100, ""}, {"b", 50, ""}, {"c", 25, ""}, {"d", 0, ""}, {"e", -10, ""}}
	for _, horizontal := range []bool{false, true} {
		t.Run(fmt.Sprint("horizontal=", horizontal), func(t *testing.T) {
			root := parseSVG(t, string(Chart{Title: "t", Bars: bars, Horizontal: horizontal}.SVG()))
			rects := root.classed("app-chart__bar")
			if len(rects) != len(bars) {
				t.Fatalf("%d bars", len(rects))
			}
			length, across := "height", "width"
			if horizontal {
				length, across = "width", "height"
			}
			full := rects[0].f(t, length)
			if full < 100 {
				t.Fatalf("bar for 100 is %v long", full)
			}
			for i, b := range bars {
				want := full * max(b.Value, 0) / 100
				if got := rects[i].f(t, length); math.Abs(got-want) > 0.15 {
					t.Errorf("bar for %v: %s %v, want %v", b.Value, length, got, want)
				}
				if rects[i].f(t, across) != rects[0].f(t, across) {
					t.Errorf("bars of different thickness")
				}
			}
			// All bars stand on the same baseline.
			for _, r := range rects {
				if horizontal {
					if r.f(t, "x") != rects[0].f(t, "x") {
						t.Errorf("bars start at different x")
					}
				} else if e := r.f(t, "y") + r.f(t, "height"); math.Abs(e-(rects[0].f(t, "y")+full)) > 0.15 {
					t.Errorf("bar ends at %v", e)
				}
			}
		})
	}

	root := parseSVG(t, string(Chart{Title: "t", Max: 100, Bars: []Bar{{"a", 100, ""}, {"b", 150, ""}}}.SVG()))
	rects := root.classed("app-chart__bar")
	if rects[0].f(t, "height") != rects[1].f(t, "height") {
		t.Errorf("bar above Max not drawn at Max")
	}
}

// TestManyBarsAcross checks that bars too many to label upright are drawn
// across, one row each, without overlapping.
func TestManyBarsAcross(t *testing.T) {
	var bs []Bar
	for i := range 52 {
		bs = append(bs, Bar{Label: fmt.Sprintf("Week %d", i+1), Value: float64(i)})
	}
	root := parseSVG(t, string(Chart{Title: "t", Bars: bs}.SVG()))
	rects := root.classed("app-chart__bar")
	for i := 1; i < len(rects); i++ {
		prev, r := rects[i-1], rects[i]
		if r.f(t, "x") != prev.f(t, "x") || r.f(t, "y") < prev.f(t, "y")+prev.f(t, "height") {
			t.Fatalf("bars %d and %d not in rows", i-1, i)
		}
	}
	texts := strings.Join(root.texts(), "|")
	for _, b := range bs {
		if !strings.Contains("|"+texts+"|", "|"+b.Label+"|") {
			t.Errorf("label %q not drawn", b.Label)
		}
	}

	// Five short bars stand upright.
	root = parseSVG(t, string(Chart{Title: "t", Bars: bs[:5]}.SVG()))
	rects = root.classed("app-chart__bar")
	if rects[1].f(t, "x") <= rects[0].f(t, "x") {
		t.Errorf("five bars not side by side")
	}
}

// TestReferenceLine checks that a reference line is drawn where its value
// falls on the axis, dashed, with its label and value in text.
func TestReferenceLine(t *testing.T) {
	for _, horizontal := range []bool{false, true} {
		t.Run(fmt.Sprint("horizontal=", horizontal), func(t *testing.T) {
			c := Chart{Title: "Re-referral rate", Suffix: "%", Horizontal: horizontal,
				Bars:  []Bar{{"This period", 60, ""}, {"Last period", 24, ""}},
				Lines: []Line{{"England, 2014-15", 24, "24%", "DfE"}, {"Manchester, 2014-15", 31, "31%", "DfE"}, {"Target", 60, "", ""}}}
			root := parseSVG(t, string(c.SVG()))
			rects := root.classed("app-chart__bar")
			lines := root.classed("app-chart__reference")
			axis := root.classed("app-chart__axis")[0]
			grid := root.classed("app-chart__grid")[0].named("line")
			if len(lines) != 3 || len(rects) != 2 {
				t.Fatalf("%d lines, %d bars", len(lines), len(rects))
			}
			// The axis ends at 60 (ticks 0, 20, 40, 60): where 0 and 60 are
			// tells where every value is.
			var zero, end, pos func(n *node) float64
			if horizontal {
				zero = func(*node) float64 { return axis.f(t, "x1") }
				end = func(*node) float64 { return grid[len(grid)-1].f(t, "x1") }
				pos = func(n *node) float64 { return n.f(t, "x1") }
			} else {
				zero = func(*node) float64 { return axis.f(t, "y1") }
				end = func(*node) float64 { return grid[len(grid)-1].f(t, "y1") }
				pos = func(n *node) float64 { return n.f(t, "y1") }
			}
			if len(grid) != 4 {
				t.Fatalf("%d gridlines, want 4", len(grid))
			}
			for i, l := range c.Lines {
				want := zero(nil) + (end(nil)-zero(nil))*l.Value/60
				if got := pos(lines[i]); math.Abs(got-want) > 0.15 {
					t.Errorf("line %q at %v, want %v", l.Label, got, want)
				}
				if horizontal && lines[i].attr["x1"] != lines[i].attr["x2"] || !horizontal && lines[i].attr["y1"] != lines[i].attr["y2"] {
					t.Errorf("line %q not straight across the axis", l.Label)
				}
			}
			// A line at a bar's value meets the bar's end.
			if horizontal {
				if got, want := lines[2].f(t, "x1"), rects[0].f(t, "x")+rects[0].f(t, "width"); got != want {
					t.Errorf("target line at x %v, bar ends at %v", got, want)
				}
			} else if got, want := lines[0].f(t, "y1"), rects[1].f(t, "y"); got != want {
				t.Errorf("England line at y %v, bar top at %v", got, want)
			}
			texts := strings.Join(root.texts(), " ")
			for _, s := range []string{"England, 2014-15: 24%", "Manchester, 2014-15: 31%", "Target: 60%"} {
				if !strings.Contains(texts, s) {
					t.Errorf("label %q not in %q", s, texts)
				}
			}
		})
	}
}

// TestReferenceLabelsApart checks that reference lines' labels do not
// overlap, however close the lines.
func TestReferenceLabelsApart(t *testing.T) {
	for _, tc := range charts {
		if len(tc.c.Lines) < 2 || tc.c.Horizontal {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			root := parseSVG(t, string(tc.c.SVG()))
			_, right := tc.c.verticalPlot(tc.c.axis())
			var ys []float64
			for _, n := range root.named("text") {
				if n.f(t, "x") > right {
					ys = append(ys, n.f(t, "y"))
				}
			}
			for i := 1; i < len(ys); i++ {
				if ys[i]-ys[i-1] < lineHeight-0.15 {
					t.Errorf("labels' lines at y %v and %v", ys[i-1], ys[i])
				}
			}
		})
	}
}

// TestEscaping checks that text from the data is escaped, never markup.
func TestEscaping(t *testing.T) {
	c := Chart{ID: nasty, Title: nasty, Summary: nasty, Unit: nasty, Bars: []Bar{{nasty, 1, "1"}}, Lines: []Line{{nasty, 1, "1", nasty}}}
	for _, horizontal := range []bool{false, true} {
		c.Horizontal = horizontal
		out := string(c.SVG())
		for _, bad := range []string{"<script", "</script", `"x"`, "& "} {
			if strings.Contains(out, bad) {
				t.Errorf("%q in output", bad)
			}
		}
		if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;") {
			t.Errorf("escaped text not found in %s", out)
		}
		root := parseSVG(t, out)
		if got := root.named("title")[0].text; got != nasty {
			t.Errorf("title = %q", got)
		}
		if got := root.named("desc")[0].text; got != nasty {
			t.Errorf("desc = %q", got)
		}
		if got := root.classed("app-chart__bar")[0].named("title")[0].text; got != nasty+": 1" {
			t.Errorf("bar title = %q", got)
		}
		if got := root.attr["aria-labelledby"]; strings.ContainsAny(got, `<>&"`) || len(strings.Fields(got)) != 2 {
			t.Errorf("aria-labelledby = %q", got)
		}
	}
}

// TestIDs checks the ids the chart gives its title and description.
func TestIDs(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"re-referrals", "re-referrals"},
		{"", "chart"},
		{"a b", "a-b"},
		{"é", "--"},
	} {
		root := parseSVG(t, string(Chart{ID: tc.id, Title: "T", Summary: "S"}.SVG()))
		if got, want := root.attr["aria-labelledby"], tc.want+"-title "+tc.want+"-desc"; got != want {
			t.Errorf("ID %q: aria-labelledby = %q, want %q", tc.id, got, want)
		}
	}
}

// TestAxis checks the computed end of the axis and its ticks.
func TestAxis(t *testing.T) {
	for _, tc := range []struct {
		name   string
		c      Chart
		max    float64
		labels []string
	}{
		{"counts", Chart{Bars: []Bar{{"", 18, ""}, {"", 3, ""}}}, 20, []string{"0", "5", "10", "15", "20"}},
		{"few", Chart{Bars: []Bar{{"", 3, ""}}}, 3, []string{"0", "1", "2", "3"}},
		{"one", Chart{Bars: []Bar{{"", 1, ""}}}, 1, []string{"0", "1"}},
		{"seven", Chart{Bars: []Bar{{"", 7, ""}}}, 8, []string{"0", "2", "4", "6", "8"}},
		{"empty", Chart{}, 1, []string{"0", "1"}},
		{"zeros", Chart{Bars: []Bar{{"", 0, ""}}}, 1, []string{"0", "1"}},
		{"negative", Chart{Bars: []Bar{{"", -4, ""}}}, 1, []string{"0", "1"}},
		{"lines above bars", Chart{Suffix: "%", Bars: []Bar{{"", 19.5, ""}}, Lines: []Line{{"", 24, "", ""}, {"", 31, "", ""}}}, 40, []string{"0%", "10%", "20%", "30%", "40%"}},
		{"per cent", Chart{Suffix: "%", Bars: []Bar{{"", 99.5, ""}}}, 100, []string{"0%", "20%", "40%", "60%", "80%", "100%"}},
		{"fractions", Chart{Bars: []Bar{{"", 0.3, ""}}}, 0.3, []string{"0.0", "0.1", "0.2", "0.3"}},
		{"quarter", Chart{Bars: []Bar{{"", 0.9, ""}}}, 1, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{"two and a half", Chart{Bars: []Bar{{"", 11.5, ""}}}, 12.5, []string{"0.0", "2.5", "5.0", "7.5", "10.0", "12.5"}},
		{"minutes", Chart{Suffix: " min", Bars: []Bar{{"", 41, ""}, {"", 95.5, ""}}}, 100, []string{"0 min", "20 min", "40 min", "60 min", "80 min", "100 min"}},
		{"large", Chart{Bars: []Bar{{"", 1234567, ""}}}, 1250000, []string{"0", "250,000", "500,000", "750,000", "1,000,000", "1,250,000"}},
		{"given max", Chart{Max: 100, Suffix: "%", Bars: []Bar{{"", 120, ""}, {"", 3, ""}}}, 100, []string{"0%", "20%", "40%", "60%", "80%", "100%"}},
		{"given odd max", Chart{Max: 90, Bars: []Bar{{"", 3, ""}}}, 90, []string{"0", "20", "40", "60", "80"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.c.axis()
			if a.max != tc.max {
				t.Errorf("max = %v, want %v", a.max, tc.max)
			}
			var labels []string
			for _, tk := range a.ticks() {
				labels = append(labels, tc.c.tickLabel(a, tk))
			}
			if !reflect.DeepEqual(labels, tc.labels) {
				t.Errorf("ticks = %q, want %q", labels, tc.labels)
			}
			// The drawing shows the same tick labels, bottom to top.
			root := parseSVG(t, string(tc.c.SVG()))
			texts := strings.Join(root.texts(), "|")
			if !strings.Contains(texts, strings.Join(tc.labels, "|")) {
				t.Errorf("ticks %q not drawn: %q", tc.labels, texts)
			}
		})
	}
}

// TestAxisRound checks, over many values, that the computed axis covers
// every value and that its ticks are round and few.
func TestAxisRound(t *testing.T) {
	values := []float64{0, 0.0004, 0.013, 0.5, 0.99, 1, 1.5, 2, 3.3, 4, 6, 9, 9.99, 10, 11, 24, 31, 49.9, 50, 51, 99, 100, 101, 333, 999, 1001, 12345, 1e6, 7.7e8, 1e15, 3e200}
	for _, v := range values {
		for _, whole := range []bool{true, false} {
			if whole && v != math.Trunc(v) {
				continue
			}
			extra := 0.0
			if !whole {
				extra = 0.1 // one value not whole
			}
			c := Chart{Bars: []Bar{{"", v, ""}, {"", extra, ""}}, Lines: []Line{{"", math.Floor(v / 2), "", ""}}}
			a := c.axis()
			if a.max < v || a.max <= 0 {
				t.Errorf("%v: max %v", v, a.max)
			}
			if v > 0 && a.max > 2*v && v >= 1 {
				t.Errorf("%v: max %v more than twice the largest", v, a.max)
			}
			ticks := a.ticks()
			if len(ticks) < 2 || len(ticks) > 6 || ticks[0] != 0 {
				t.Errorf("%v: ticks %v", v, ticks)
			}
			if last := ticks[len(ticks)-1]; math.Abs(last-a.max) > a.max*1e-9 {
				t.Errorf("%v: last tick %v, max %v", v, last, a.max)
			}
			e := math.Pow10(int(math.Floor(math.Log10(a.step))))
			if m := a.step / e; !slicesContainsNear([]float64{1, 2, 2.5, 5}, m) {
				t.Errorf("%v: step %v not round", v, a.step)
			}
			if whole && (a.step != math.Trunc(a.step) || a.step < 1) {
				t.Errorf("%v: whole numbers with step %v", v, a.step)
			}
		}
	}
}

func slicesContainsNear(xs []float64, v float64) bool {
	for _, x := range xs {
		if math.Abs(x-v) < 1e-9 {
			return true
		}
	}
	return false
}

// TestTable checks the data table: the bars' labels and shown values,
// then the lines with their sources.
func TestTable(t *testing.T) {
	c := Chart{Unit: "Per cent of referrals", Category: "Period", Suffix: "%",
		Bars:  []Bar{{"This period", 19.5, "19.5%"}, {"Last period", 22, ""}, {"Before", -3, ""}},
		Lines: []Line{{"England, 2014-15", 24, "24%", "DfE, Characteristics of children in need"}, {"Manchester, 2014-15", 31, "", "DfE"}}}
	head, rows := c.Table()
	if want := []string{"Period", "Per cent of referrals", "Source"}; !reflect.DeepEqual(head, want) {
		t.Errorf("head = %q, want %q", head, want)
	}
	want := [][]string{
		{"This period", "19.5%", ""},
		{"Last period", "22%", ""},
		{"Before", "0%", ""},
		{"England, 2014-15", "24%", "DfE, Characteristics of children in need"},
		{"Manchester, 2014-15", "31%", "DfE"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows = %q, want %q", rows, want)
	}

	head, rows = Chart{Bars: []Bar{{"Police", 3, ""}, {"Schools", 2.25, ""}}}.Table()
	if !reflect.DeepEqual(head, []string{"Category", "Value"}) {
		t.Errorf("head = %q", head)
	}
	if want := [][]string{{"Police", "3"}, {"Schools", "2.3"}}; !reflect.DeepEqual(rows, want) {
		t.Errorf("rows = %q, want %q", rows, want)
	}

	head, rows = Chart{Unit: "Referrals"}.Table()
	if len(head) != 2 || rows != nil {
		t.Errorf("empty chart: %q %q", head, rows)
	}
}

// TestEmpty checks Empty.
func TestEmpty(t *testing.T) {
	for _, tc := range []struct {
		bars []Bar
		want bool
	}{
		{nil, true},
		{[]Bar{{"a", 0, ""}, {"b", -1, ""}, {"c", math.NaN(), ""}}, true},
		{[]Bar{{"a", 0, ""}, {"b", 0.5, ""}}, false},
	} {
		if got := (Chart{Bars: tc.bars}).Empty(); got != tc.want {
			t.Errorf("Empty(%v) = %v", tc.bars, got)
		}
	}
}

// TestLabelsFit checks that a long label is wrapped and shortened to fit
// under its bar.
func TestLabelsFit(t *testing.T) {
	long := "Individual: family member, relative or carer, and more words besides"
	c := Chart{Title: "t", Bars: []Bar{{long, 3, ""}, {"Police", 2, ""}, {"Schools", 1, ""}, {"Supercalifragilisticexpialidocious", 1, ""}}}
	root := parseSVG(t, string(c.SVG()))
	left, right := c.verticalPlot(c.axis())
	slot := (right - left) / 4
	var under []string
	bottom := root.classed("app-chart__axis")[0].f(t, "y1")
	for _, n := range root.named("text") {
		if n.f(t, "y") > bottom && n.attr["text-anchor"] == "middle" {
			under = append(under, n.text)
			if w := textWidth(n.text); w > slot-4 {
				t.Errorf("label line %q is %v wide, slot %v", n.text, w, slot)
			}
		}
	}
	joined := strings.Join(under, " ")
	if !strings.HasPrefix(joined, "Individual: family") || !strings.Contains(joined, "…") || !strings.Contains(joined, "Police") {
		t.Errorf("labels = %q", under)
	}
	// The whole label is the bar's tooltip.
	if got := root.classed("app-chart__bar")[0].named("title")[0].text; got != long+": 3" {
		t.Errorf("tooltip = %q", got)
	}
}

// TestWrap checks line breaking.
func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		s     string
		w     float64
		lines int
		want  []string
	}{
		{"", 100, 2, nil},
		{"Police", 100, 2, []string{"Police"}},
		{"Health services", 100, 2, []string{"Health", "services"}},
		{"Health services", 1000, 2, []string{"Health services"}},
		{"one two three four", 60, 2, []string{"one", "two t…"}},
		{"Supercalifragilistic", 100, 2, []string{"Supercali…"}},
		{"x", 1, 2, []string{"…"}},
	} {
		got := wrap(tc.s, tc.w, tc.lines)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("wrap(%q, %v, %d) = %q, want %q", tc.s, tc.w, tc.lines, got, tc.want)
		}
	}
}

// TestFormatNumber checks the numbers written on the axis.
func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		d    int
		want string
	}{
		{0, 0, "0"},
		{12.25, 1, "12.3"},
		{999, 0, "999"},
		{1000, 0, "1,000"},
		{1234567.5, 1, "1,234,567.5"},
		{-1500, 0, "-1,500"},
		{3e200, 0, "3e+200"},
	} {
		if got := formatNumber(tc.v, tc.d); got != tc.want {
			t.Errorf("formatNumber(%v, %d) = %q, want %q", tc.v, tc.d, got, tc.want)
		}
	}
}

// TestTickLabelsApart checks that the tick labels under a horizontal
// chart do not run into each other, however wide the numbers.
func TestTickLabelsApart(t *testing.T) {
	for _, c := range []Chart{
		{Horizontal: true, Bars: []Bar{{"Police", 1234567, ""}}},
		{Horizontal: true, Suffix: " minutes", Bars: []Bar{{"Median", 41, ""}, {"90th percentile", 95, ""}}},
		{Horizontal: true, Suffix: "%", Bars: []Bar{{"Within one working day", 87.5, ""}}},
	} {
		root := parseSVG(t, string(c.SVG()))
		bottom := root.classed("app-chart__axis")[0].f(t, "y2")
		var prevEnd float64 = -1
		labelled := 0
		for _, n := range root.named("text") {
			if n.attr["text-anchor"] != "middle" || n.f(t, "y") < bottom || n.f(t, "y") > bottom+lineHeight+4 {
				continue
			}
			labelled++
			w := textWidth(n.text)
			if start := n.f(t, "x") - w/2; start < prevEnd {
				t.Errorf("%q starts at %v, before the last label ends at %v", n.text, start, prevEnd)
			}
			prevEnd = n.f(t, "x") + w/2
		}
		if labelled < 2 {
			t.Errorf("%d tick labels for %v", labelled, c.Bars)
		}
	}
}
