// Package chart draws bar charts as server-rendered SVG that reads without
// JavaScript and passes a strict content security policy: no style
// attributes, no style or script elements, only presentation attributes.
//
// A chart is an image with a name and a description (its Title and
// Summary), so a screen reader announces it as one picture; the figures
// themselves are given to everyone by the data table of Table, which the
// page renders next to the chart with its own table component.
//
// The drawing uses GOV.UK colours: blue bars (#1d70b8) on white, black text
// (#0b0c0c), and reference lines in dashed black, each labelled in text
// beside it, so that nothing is told by colour alone. Every chart is 600
// user units wide and scales to the width of its container (width="100%"),
// with 18-unit text: 14px or more wherever the chart is drawn 470px wide or
// more.
package chart

import (
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// Bar is one bar of a chart.
type Bar struct {
	// Label names the bar: a category or a week. It is drawn under the bar
	// (beside it in a horizontal chart), wrapped or shortened to fit.
	Label string
	// Value is the bar's length on the axis. Negative and non-finite
	// values are drawn as 0, and values above the chart's Max as Max.
	Value float64
	// Shown is the value as written next to the bar and in the table,
	// such as "24%", "3" or "41 min". Empty, the value is written with
	// at most one decimal place, followed by the chart's Suffix.
	Shown string
}

// Line is a reference line drawn across a chart at a value, such as
// England's re-referral rate.
type Line struct {
	// Label names the line, such as "England, 2014-15".
	Label string
	// Value is where the line crosses the axis (clamped as Bar.Value).
	Value float64
	// Shown is the value as written, such as "24%". Empty, the value is
	// written as for a Bar.
	Shown string
	// Source is where the figure comes from, such as "Department for
	// Education, Characteristics of children in need". It is given in the
	// table.
	Source string
}

// Chart is a bar chart with optional reference lines.
type Chart struct {
	// ID is unique on the page. The SVG's title and description elements
	// have the ids ID+"-title" and ID+"-desc"; characters other than
	// ASCII letters, digits, "-" and "_" become "-", and an empty ID is
	// "chart".
	ID string
	// Title names the chart; it is the SVG's title element, and so its
	// accessible name ("Bar chart" when Title is blank). The page shows it
	// too, usually as the heading above the chart.
	Title string
	// Summary says in a sentence or two what the chart shows; it is the
	// SVG's desc element.
	Summary string
	// Unit labels the value axis, such as "Referrals" or "Per cent of
	// referrals". It heads the table's value column.
	Unit string
	// Category heads the table's label column, such as "Week" or
	// "Referral source"; empty, it is "Category".
	Category string
	// Suffix follows the numbers on the axis and the values written for
	// bars and lines without a Shown, such as "%" or " min".
	Suffix string
	// Max is the end of the value axis. 0 (or a negative or non-finite
	// value) means the smallest round number at or above every bar and
	// line.
	Max float64
	// Bars are the bars, in order: left to right, or top to bottom.
	Bars []Bar
	// Lines are the reference lines.
	Lines []Line
	// Horizontal draws the bars across, one row each, labels on the left:
	// for long labels or many bars. A chart whose bars are too many for
	// their values to be written above them is drawn this way anyway.
	Horizontal bool
}

// Empty reports whether no bar has a value above 0: the page may then say
// that there is nothing to show rather than show the chart.
func (c Chart) Empty() bool {
	for _, b := range c.Bars {
		if clamp(b.Value) > 0 {
			return false
		}
	}
	return true
}

// Table returns the chart as a data table: a heading row, then a row for
// each bar (its label and shown value) and, after them, one for each
// reference line. When the chart has lines, there is a third column
// giving each line's source, empty for the bars.
func (c Chart) Table() (head []string, rows [][]string) {
	category, unit := c.Category, c.Unit
	if category == "" {
		category = "Category"
	}
	if unit == "" {
		unit = "Value"
	}
	head = []string{category, unit}
	if len(c.Lines) > 0 {
		head = append(head, "Source")
	}
	for _, b := range c.Bars {
		row := []string{b.Label, c.shown(b.Shown, b.Value)}
		if len(c.Lines) > 0 {
			row = append(row, "")
		}
		rows = append(rows, row)
	}
	for _, l := range c.Lines {
		rows = append(rows, []string{l.Label, c.shown(l.Shown, l.Value), l.Source})
	}
	return head, rows
}

// SVG returns the chart as an svg element, for a page to include as is.
// Its text comes from the chart's fields and is escaped.
func (c Chart) SVG() template.HTML {
	var b strings.Builder
	if err := svgTemplate().Execute(&b, c.layout()); err != nil {
		// The template and its data are the package's own; this is not
		// expected to happen.
		return ""
	}
	return template.HTML(b.String())
}

// Geometry, in user units.
const (
	width      = 600 // of the viewBox
	fontSize   = 18
	lineHeight = 22
	ascent     = 13  // of a line of text above its baseline, roughly
	plotHeight = 240 // of a vertical chart's bars area
	barMax     = 72  // the widest a vertical bar is drawn
	barDepth   = 24  // of a horizontal bar
	minSlot    = 36  // the least width for a vertical bar and its label
	refColumn  = 160 // right of a vertical chart, for the lines' labels
	labelMax   = 220 // the widest a horizontal chart's label column gets
)

const svgSource = `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="{{.Labelledby}}" viewBox="0 0 {{.W}} {{.H}}" width="100%" font-family="GDS Transport, arial, sans-serif" font-size="{{.FontSize}}">` +
	`<title id="{{.TitleID}}">{{.Title}}</title>` +
	`{{if .DescID}}<desc id="{{.DescID}}">{{.Summary}}</desc>{{end}}` +
	`<g class="app-chart__grid" stroke="#b1b4b6" stroke-width="1">{{range .Grid}}<line x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}"/>{{end}}</g>` +
	`<g class="app-chart__bars" fill="#1d70b8">{{range .Bars}}<rect class="app-chart__bar" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"><title>{{.Title}}</title></rect>{{end}}</g>` +
	`<line class="app-chart__axis" x1="{{.Axis.X1}}" y1="{{.Axis.Y1}}" x2="{{.Axis.X2}}" y2="{{.Axis.Y2}}" stroke="#0b0c0c" stroke-width="2"/>` +
	`{{if .Refs}}<g class="app-chart__references" stroke="#0b0c0c">` +
	`{{range .Refs}}<line class="app-chart__reference" x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}" stroke-width="3" stroke-dasharray="8 5"/>{{end}}` +
	`{{range .Leaders}}<line x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}" stroke-width="1.5"/>{{end}}` +
	`</g>{{end}}` +
	`{{if .Backs}}<g fill="#ffffff">{{range .Backs}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"/>{{end}}</g>{{end}}` +
	`<g fill="#0b0c0c" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">` +
	`{{range .Texts}}<text x="{{.X}}" y="{{.Y}}"{{with .Anchor}} text-anchor="{{.}}"{{end}}>{{.S}}</text>{{end}}` +
	`</g></svg>`

// untitled is the name of a chart without a title.
const untitled = "Bar chart"

// svgTemplate is parsed when the first chart is drawn, not at start.
var svgTemplate = sync.OnceValue(func() *template.Template { return template.Must(template.New("chart").Parse(svgSource)) })

// view is what the template draws; numbers are already formatted.
type view struct {
	W, H, FontSize              string
	Labelledby, TitleID, DescID string
	Title, Summary              string
	Grid, Refs, Leaders         []segment
	Axis                        segment
	Bars, Backs                 []box
	Texts                       []text
}

type segment struct{ X1, Y1, X2, Y2 string }

type box struct{ X, Y, W, H, Title string }

type text struct{ X, Y, Anchor, S string }

// drawing collects a chart's parts in numbers before they are formatted.
type drawing struct {
	h                   float64
	grid, refs, leaders [][4]float64
	axis                [4]float64
	bars, backs         [][4]float64
	barTitles           []string
	texts               []text
}

func (d *drawing) text(x, y float64, anchor, s string) {
	d.texts = append(d.texts, text{X: num(x), Y: num(y), Anchor: anchor, S: s})
}

// layout draws the chart.
func (c Chart) layout() view {
	id := cleanID(c.ID)
	v := view{
		W:        num(width),
		FontSize: num(fontSize),
		TitleID:  id + "-title",
		Title:    cleanText(c.Title),
		Summary:  cleanText(c.Summary),
	}
	if strings.TrimSpace(v.Title) == "" {
		v.Title = untitled
	}
	v.Labelledby = v.TitleID
	if strings.TrimSpace(v.Summary) != "" {
		v.DescID = id + "-desc"
		v.Labelledby += " " + v.DescID
	}
	a := c.axis()
	var d drawing
	if c.Horizontal || !c.fitsVertical(a) {
		d = c.horizontal(a)
	} else {
		d = c.vertical(a)
	}
	v.H = num(d.h)
	segs := func(ss [][4]float64) []segment {
		out := make([]segment, len(ss))
		for i, s := range ss {
			out[i] = segment{num(s[0]), num(s[1]), num(s[2]), num(s[3])}
		}
		return out
	}
	boxes := func(bs [][4]float64, titles []string) []box {
		out := make([]box, len(bs))
		for i, b := range bs {
			out[i] = box{X: num(b[0]), Y: num(b[1]), W: num(b[2]), H: num(b[3])}
			if titles != nil {
				out[i].Title = titles[i]
			}
		}
		return out
	}
	v.Grid, v.Refs, v.Leaders = segs(d.grid), segs(d.refs), segs(d.leaders)
	v.Axis = segs([][4]float64{d.axis})[0]
	v.Bars, v.Backs = boxes(d.bars, d.barTitles), boxes(d.backs, nil)
	v.Texts = d.texts
	return v
}

// axis is the value axis: 0 to max, with ticks every step.
type axis struct {
	max, step float64
	decimals  int // of the tick numbers
}

// ticks returns the tick values: 0, step, 2×step, ... up to max.
func (a axis) ticks() []float64 {
	var out []float64
	for i := 0; ; i++ {
		t := round(float64(i)*a.step, a.decimals)
		if t > a.max*(1+1e-9) {
			break
		}
		out = append(out, t)
	}
	return out
}

// frac is where v falls on the axis, from 0 to 1.
func (a axis) frac(v float64) float64 {
	return min(clamp(v), a.max) / a.max
}

// axis chooses the value axis: Max if given, otherwise the smallest round
// number at or above every value. Ticks are 1, 2, 2.5 or 5 times a power of
// ten apart, at most five intervals; when every value is a whole number,
// they are whole numbers too.
func (c Chart) axis() axis {
	largest, whole := 0.0, true
	note := func(v float64) {
		v = clamp(v)
		largest = max(largest, v)
		if v != math.Trunc(v) {
			whole = false
		}
	}
	for _, b := range c.Bars {
		note(b.Value)
	}
	for _, l := range c.Lines {
		note(l.Value)
	}
	fixed := clamp(c.Max)
	if fixed > 0 {
		largest = fixed
		if fixed != math.Trunc(fixed) {
			whole = false
		}
	}
	if largest == 0 {
		largest = 1
	}
	step, decimals := niceStep(largest, whole)
	a := axis{step: step, decimals: decimals}
	if fixed > 0 {
		a.max = fixed
		// Show the end of the axis to the precision it was given.
		if d := decimalsOf(fixed); d > a.decimals {
			a.decimals = d
		}
	} else {
		a.max = round(math.Ceil(largest/step-1e-9)*step, decimals)
	}
	return a
}

// niceStep returns the smallest round step (1, 2, 2.5 or 5 times a power of
// ten; at least 1 and whole when whole is set) that divides 0 to m into at
// most five intervals, and the decimal places its multiples need.
func niceStep(m float64, whole bool) (float64, int) {
	k := int(math.Floor(math.Log10(m/5))) - 1
	for ; ; k++ {
		for _, mant := range []float64{1, 2, 2.5, 5} {
			step := mant * math.Pow10(k)
			if whole && (step < 1 || step != math.Trunc(step)) {
				continue
			}
			if math.Ceil(m/step-1e-9) <= 5 {
				d := max(0, -k)
				if mant == 2.5 && k <= 0 {
					d++
				}
				return step, d
			}
		}
	}
}

// decimalsOf returns the decimal places v needs, up to 3.
func decimalsOf(v float64) int {
	for d := 0; d < 3; d++ {
		if math.Abs(round(v, d)-v) < 1e-9 {
			return d
		}
	}
	return 3
}

// tickLabel writes a tick value.
func (c Chart) tickLabel(a axis, t float64) string {
	return formatNumber(t, a.decimals) + c.Suffix
}

// shown is the value as written: shown if given, else the value with at
// most one decimal place and the suffix.
func (c Chart) shown(shown string, v float64) string {
	if shown != "" {
		return shown
	}
	return formatNumber(clamp(v), decimalsOf(round(clamp(v), 1))) + c.Suffix
}

// refText is a reference line's label as drawn.
func (c Chart) refText(l Line) string {
	label, shown := strings.Join(strings.Fields(cleanText(l.Label)), " "), cleanText(c.shown(l.Shown, l.Value))
	switch {
	case label == "":
		return shown
	case shown == "":
		return label
	}
	return label + ": " + shown
}

// tickGutter is the width of the widest tick label.
func (c Chart) tickGutter(a axis) float64 {
	w := 0.0
	for _, t := range a.ticks() {
		w = max(w, textWidth(c.tickLabel(a, t)))
	}
	return w
}

// verticalPlot returns the left and right ends of a vertical chart's bars
// area.
func (c Chart) verticalPlot(a axis) (left, right float64) {
	left = min(max(c.tickGutter(a)+10, 24), width/3)
	right = width - 4
	if len(c.Lines) > 0 {
		right = width - refColumn
	}
	return left, right
}

// fitsVertical reports whether every bar has room for its value above it
// and a label under it.
func (c Chart) fitsVertical(a axis) bool {
	if len(c.Bars) == 0 {
		return true
	}
	left, right := c.verticalPlot(a)
	slot := (right - left) / float64(len(c.Bars))
	if slot < minSlot {
		return false
	}
	for _, b := range c.Bars {
		if textWidth(cleanText(c.shown(b.Shown, b.Value))) > slot-4 {
			return false
		}
	}
	return true
}

// vertical draws upright bars over a horizontal axis.
func (c Chart) vertical(a axis) drawing {
	var d drawing
	top := 30.0
	if c.Unit != "" {
		top = 48
		d.text(0, fontSize, "", strings.Join(wrap(cleanText(c.Unit), width, 1), ""))
	}
	left, right := c.verticalPlot(a)
	bottom := top + plotHeight
	y := func(v float64) float64 { return r1(bottom - a.frac(v)*plotHeight) }

	for _, t := range a.ticks() {
		ty := y(t)
		d.grid = append(d.grid, [4]float64{left, ty, right, ty})
		d.text(left-8, ty+6, "end", c.tickLabel(a, t))
	}
	d.axis = [4]float64{left, bottom, right, bottom}

	lines := 0
	if n := len(c.Bars); n > 0 {
		slot := (right - left) / float64(n)
		bw := r1(min(slot*0.7, barMax))
		for i, b := range c.Bars {
			mid := left + slot*(float64(i)+0.5)
			x := r1(mid - bw/2)
			by := y(b.Value)
			shown := cleanText(c.shown(b.Shown, b.Value))
			label := strings.Join(strings.Fields(cleanText(b.Label)), " ")
			d.bars = append(d.bars, [4]float64{x, by, bw, r1(bottom - by)})
			d.barTitles = append(d.barTitles, barTitle(label, shown))
			d.text(mid, by-6, "middle", shown)
			ls := wrap(label, slot-4, 2)
			for j, l := range ls {
				d.text(mid, bottom+4+fontSize+float64(j*lineHeight), "middle", l)
			}
			lines = max(lines, len(ls))
		}
	}
	d.h = bottom + 12
	if lines > 0 {
		d.h = bottom + 4 + float64(lines*lineHeight) + 8
	}

	// Reference lines across, labelled in the column on the right, the
	// labels moved apart where they would overlap and joined to their
	// lines by a short leader.
	type label struct {
		y     float64 // of the line
		top   float64 // of the label
		lines []string
	}
	var labels []label
	for _, l := range c.Lines {
		ly := y(l.Value)
		d.refs = append(d.refs, [4]float64{left, ly, right, ly})
		ls := wrap(c.refText(l), refColumn-14, 3)
		labels = append(labels, label{y: ly, top: ly - float64(len(ls)*lineHeight)/2, lines: ls})
	}
	slices.SortStableFunc(labels, func(p, q label) int {
		switch {
		case p.y < q.y:
			return -1
		case p.y > q.y:
			return 1
		}
		return 0
	})
	height := func(l label) float64 { return float64(len(l.lines) * lineHeight) }
	for i := range labels {
		if i > 0 {
			labels[i].top = max(labels[i].top, labels[i-1].top+height(labels[i-1])+4)
		}
		labels[i].top = max(labels[i].top, 2)
	}
	for i := len(labels) - 1; i >= 0; i-- {
		limit := d.h - 2
		if i < len(labels)-1 {
			limit = labels[i+1].top - 4
		}
		labels[i].top = max(min(labels[i].top, limit-height(labels[i])), 2)
	}
	for i := range labels {
		if i > 0 {
			labels[i].top = max(labels[i].top, labels[i-1].top+height(labels[i-1])+4)
		}
		l := labels[i]
		mid := l.top + height(l)/2
		d.leaders = append(d.leaders, [4]float64{right, l.y, right + 8, r1(mid)})
		for j, s := range l.lines {
			d.text(right+12, l.top+float64(j*lineHeight)+ascent+4, "", s)
		}
		d.h = max(d.h, l.top+height(l)+4)
	}
	return d
}

// horizontal draws one row for each bar, labels on the left, the axis
// along the bottom and the reference lines' labels stacked above.
func (c Chart) horizontal(a axis) drawing {
	var d drawing
	labels := make([]string, len(c.Bars))
	shown, full := make([]string, len(c.Bars)), make([]string, len(c.Bars))
	labelW, valueW := 0.0, 0.0
	for i, b := range c.Bars {
		labels[i] = strings.Join(strings.Fields(cleanText(b.Label)), " ")
		// A value gets at most a third of the width.
		full[i] = cleanText(c.shown(b.Shown, b.Value))
		shown[i] = strings.Join(wrap(full[i], width/3, 1), "")
		labelW = max(labelW, textWidth(labels[i]))
		valueW = max(valueW, textWidth(shown[i]))
	}
	ticks := a.ticks()
	firstTick, lastTick := 0.0, 0.0
	if len(ticks) > 0 {
		firstTick = textWidth(c.tickLabel(a, ticks[0]))
		lastTick = textWidth(c.tickLabel(a, ticks[len(ticks)-1]))
	}
	right := width - max(valueW+10, lastTick/2+2, 4)
	// The labels take what is left when the bars have a third of the
	// width, at most labelMax.
	labelW = max(min(labelW, labelMax, right-width/3-10), 0)
	left := max(labelW+10, min(firstTick/2+2, right-width/3))
	wrapped := make([][]string, len(labels))
	rowLines := 1
	for i, l := range labels {
		wrapped[i] = wrap(l, labelW, 2)
		rowLines = max(rowLines, len(wrapped[i]))
	}
	rowH := float64(rowLines*lineHeight + 14)
	x := func(v float64) float64 { return r1(left + a.frac(v)*(right-left)) }

	// The reference lines' labels, stacked, one above the other, in
	// ascending order of value; each line rises to its label.
	type ref struct {
		x   float64
		idx int
	}
	refs := make([]ref, len(c.Lines))
	for i, l := range c.Lines {
		refs[i] = ref{x(l.Value), i}
	}
	slices.SortStableFunc(refs, func(p, q ref) int {
		switch {
		case p.x < q.x:
			return -1
		case p.x > q.x:
			return 1
		}
		return 0
	})
	y := 4.0
	lineX := make([]float64, len(c.Lines))
	lineTop := make([]float64, len(c.Lines))
	for _, r := range refs {
		s := c.refText(c.Lines[r.idx])
		rightRoom, leftRoom := width-2-(r.x+8), r.x-8-2
		anchor, tx, room := "", r.x+8, rightRoom
		if textWidth(s) > rightRoom && leftRoom > rightRoom {
			anchor, tx, room = "end", r.x-8, leftRoom
		}
		ls := wrap(s, room, 3)
		wide := 0.0
		for _, l := range ls {
			wide = max(wide, textWidth(l))
		}
		bx := tx - 3
		if anchor == "end" {
			bx = tx - wide - 3
		}
		d.backs = append(d.backs, [4]float64{r1(bx), y, r1(wide + 6), float64(len(ls) * lineHeight)})
		for j, l := range ls {
			d.text(tx, y+float64(j*lineHeight)+ascent+4, anchor, l)
		}
		lineX[r.idx], lineTop[r.idx] = r.x, y
		y += float64(len(ls)*lineHeight) + 4
	}
	top := max(y+4, 8)

	for i := range c.Bars {
		rowTop := top + float64(i)*rowH
		mid := rowTop + rowH/2
		bx := x(c.Bars[i].Value)
		d.bars = append(d.bars, [4]float64{left, r1(mid - barDepth/2), r1(bx - left), barDepth})
		d.barTitles = append(d.barTitles, barTitle(labels[i], full[i]))
		d.text(bx+6, mid+6, "", shown[i])
		first := mid + 6 - float64((len(wrapped[i])-1)*lineHeight)/2
		for j, l := range wrapped[i] {
			d.text(labelW, first+float64(j*lineHeight), "end", l)
		}
	}
	bottom := top + float64(len(c.Bars))*rowH
	if len(c.Bars) == 0 {
		bottom = top + rowH
	}
	// Every tick has a gridline; when their labels are too wide to sit
	// side by side, only every second (or third...) tick is labelled,
	// counting from 0.
	every := 1
	if len(ticks) > 1 {
		gap := x(ticks[1]) - x(ticks[0])
		for gap > 0 && float64(every)*gap < c.tickGutter(a)+8 && every < len(ticks) {
			every++
		}
	}
	for i, t := range ticks {
		tx := x(t)
		d.grid = append(d.grid, [4]float64{tx, top, tx, bottom})
		if i%every == 0 {
			d.text(tx, bottom+4+fontSize, "middle", c.tickLabel(a, t))
		}
	}
	d.axis = [4]float64{left, top, left, bottom}
	d.h = bottom + 4 + fontSize + 8
	if c.Unit != "" {
		mid := left + (right-left)/2
		unit := strings.Join(wrap(cleanText(c.Unit), 2*min(mid, width-mid), 1), "")
		d.text(mid, bottom+4+fontSize+lineHeight+4, "middle", unit)
		d.h += lineHeight + 4
	}
	// The lines, in the order given, each from its label down.
	for i := range c.Lines {
		d.refs = append(d.refs, [4]float64{lineX[i], lineTop[i], lineX[i], bottom})
	}
	return d
}

// barTitle is the tooltip of a bar.
func barTitle(label, shown string) string {
	if label == "" {
		return shown
	}
	return label + ": " + shown
}

// clamp is v, or 0 when v is negative or not finite.
func clamp(v float64) float64 {
	if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// round rounds v to d decimal places.
func round(v float64, d int) float64 {
	p := math.Pow10(d)
	return math.Round(v*p) / p
}

// r1 rounds a coordinate to one decimal place.
func r1(v float64) float64 { return round(v, 1) }

// num writes a coordinate with at most one decimal place.
func num(v float64) string {
	v = r1(v)
	if v == 0 {
		v = 0 // not -0
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// formatNumber writes v with d decimal places (halves rounded away from
// zero) and commas between thousands; very large numbers are written in
// exponent form.
func formatNumber(v float64, d int) string {
	if math.Abs(v) >= 1e15 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	s := strconv.FormatFloat(round(v, d), 'f', d, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return sign + b.String()
}

// cleanID keeps ASCII letters, digits, "-" and "_" of id, others becoming
// "-"; empty, it is "chart".
func cleanID(id string) string {
	b := []byte(id)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return "chart"
	}
	return string(b)
}

// cleanText replaces what XML cannot hold (invalid UTF-8, control
// characters other than tab, newline and carriage return, U+FFFE, U+FFFF)
// with a space or U+FFFD.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20:
			return ' '
		case r == 0xFFFE || r == 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

// textWidth estimates the width of s drawn at the chart's font size, erring
// on the wide side.
func textWidth(s string) float64 {
	em := 0.0
	for _, r := range s {
		switch {
		case strings.ContainsRune(" .,:;'|!ilIjft()[]", r):
			em += 0.32
		case r == 'm' || r == 'w' || r == 'M' || r == 'W' || r == '%' || r == '@':
			em += 0.9
		case r >= '0' && r <= '9':
			em += 0.58
		case unicode.IsUpper(r):
			em += 0.7
		case unicode.IsLower(r):
			em += 0.56
		default:
			em += 0.65
		}
	}
	return em * fontSize
}

// wrap breaks s into lines no wider than w, at spaces, at most maxLines of
// them; what does not fit is cut short with an ellipsis.
func wrap(s string, w float64, maxLines int) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for _, word := range words {
		if cur == "" {
			cur = word
			continue
		}
		if textWidth(cur+" "+word) <= w {
			cur += " " + word
			continue
		}
		lines = append(lines, cur)
		cur = word
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if len(lines) > maxLines {
		rest := strings.Join(lines[maxLines-1:], " ")
		lines = append(lines[:maxLines-1], truncate(rest+"…", w))
	}
	for i, l := range lines {
		if textWidth(l) > w {
			lines[i] = truncate(l, w)
		}
	}
	return lines
}

// truncate shortens s, ending it with an ellipsis, until it is no wider
// than w.
func truncate(s string, w float64) string {
	rs := []rune(strings.TrimSuffix(s, "…"))
	for len(rs) > 0 {
		t := strings.TrimRight(string(rs), " ,.;:-") + "…"
		if textWidth(t) <= w {
			return t
		}
		rs = rs[:len(rs)-1]
	}
	return "…"
}
