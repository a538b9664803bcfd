package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/stats"
	"github.com/csc-frontdoor/frontdoor/shared/web/answers"
	"github.com/csc-frontdoor/frontdoor/shared/web/chart"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
	"github.com/csc-frontdoor/frontdoor/shared/web/session"
)

// The MASH manager's figures for a chosen period, as charts readable
// without JavaScript, each with its table and a summary in words, over the
// service of GET /stats.

// Figures computes the manager's figures and exports the period's
// referrals in the shape of the children in need census.
type Figures interface {
	Figures(ctx context.Context, params map[string]string) (*stats.Figures, error)
	CensusExport(ctx context.Context, params map[string]string, req audit.Request) (stats.Period, [][]string, error)
}

var managerRoles = []auth.Role{auth.MASHManager}

const pathFigures = "/staff/figures"

// The reference figures for re-referrals, with their sources (the brief).
const (
	englandReReferrals    = 24.0
	manchesterReReferrals = 31.0
)

// figureChart is one chart on the page: its SVG, table and summary.
type figureChart struct {
	Title   string
	Summary string
	SVG     template.HTML
	Table   *govuk.Table
	Empty   bool
}

// figuresPage is the figures page's data.
type figuresPage struct {
	Period  []field
	Show    govuk.Button
	Heading string
	Charts  []figureChart
	// Census downloads the period's referrals.
	Census string
}

// figures shows the period's figures.
func (s *Server) figures(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	t := s.text.T
	q := r.URL.Query()
	v := url.Values{}
	params := map[string]string{}
	errs := map[string]string{}
	for _, name := range []string{"from", "to"} {
		for _, part := range []string{"day", "month", "year"} {
			v.Set(name+"-"+part, q.Get(name+"-"+part))
		}
		d, derr := answers.ParseDate(q.Get(name+"-day"), q.Get(name+"-month"), q.Get(name+"-year"))
		switch {
		case derr != nil:
			errs[name+"-"+derr.Part] = derr.Message
		case d != "":
			params[name] = d
		}
	}
	status := http.StatusOK
	var f *stats.Figures
	if len(errs) == 0 {
		var err error
		f, err = s.cfg.Figures.Figures(r.Context(), params)
		if e := apperr.As(err); e != nil && e.Code == apperr.Malformed {
			for _, fe := range e.Fields {
				errs[fe.Field] = fe.Message
			}
		} else if err != nil {
			s.staffFailure(w, r, err)
			return
		}
	}
	p := figuresPage{
		Period: []field{
			{DateInput: s.dateInput(v, errs, "from", "figures.from")},
			{DateInput: s.dateInput(v, errs, "to", "figures.to")},
		},
		Show: govuk.Button{Text: t("figures.show"), Classes: "govuk-button--secondary"},
	}
	summary := s.summary(errs, []string{"from", "from-day", "from-month", "from-year", "to", "to-day", "to-month", "to-year"}, []string{"from", "to"})
	if summary != nil {
		status = http.StatusUnprocessableEntity
	}
	if f != nil {
		last := f.To.Add(-time.Nanosecond).In(calendar.London())
		p.Heading = t("figures.period", "from", f.From.In(calendar.London()).Format("2 January 2006"), "to", last.Format("2 January 2006"))
		p.Census = pathCensus + "?" + url.Values{"from": {f.From.In(calendar.London()).Format(time.DateOnly)}, "to": {last.Format(time.DateOnly)}}.Encode()
		for _, c := range s.figureCharts(f) {
			head, rows := c.Table()
			tbl := &govuk.Table{Caption: t("figures.tableOf", "title", c.Title), CaptionClasses: "govuk-table__caption--s"}
			for _, h := range head {
				tbl.Head = append(tbl.Head, govuk.TableCell{Text: h})
			}
			for _, row := range rows {
				var cells []govuk.TableCell
				for _, cell := range row {
					cells = append(cells, govuk.TableCell{Text: cell})
				}
				tbl.Rows = append(tbl.Rows, cells)
			}
			if len(rows) == 0 {
				// Nothing to count: the table says so, never left empty.
				none := []govuk.TableCell{{Text: t("figures.noneRow")}}
				for range head[1:] {
					none = append(none, govuk.TableCell{Text: "0"})
				}
				tbl.Rows = append(tbl.Rows, none)
			}
			p.Charts = append(p.Charts, figureChart{Title: c.Title, Summary: c.Summary, SVG: c.SVG(), Table: tbl, Empty: c.Empty()})
		}
	}
	s.renderStaff(w, r, status, "figures", ses, Page{Title: t("figures.title"), ErrorSummary: summary, Data: p})
}

// percent is a share as a percentage, and as shown.
func percent(share *float64) (float64, string) {
	if share == nil {
		return 0, "none"
	}
	return *share * 100, fmt.Sprintf("%.1f%%", *share*100)
}

// count is n of a thing, as the catalogue words it: count.<thing>.one for
// one, count.<thing>.other for any other number.
func (s *Server) count(thing string, n int) string {
	if n == 1 {
		return s.text.T("count." + thing + ".one")
	}
	return s.text.T("count."+thing+".other", "n", fmt.Sprint(n))
}

// orNone is none when there is nothing to say more of, else some.
func orNone(nothing bool, none, some string) string {
	if nothing {
		return none
	}
	return some
}

// figureCharts are the charts of the figures, each with its summary.
func (s *Server) figureCharts(f *stats.Figures) []chart.Chart {
	t := s.text.T
	var out []chart.Chart

	byWeek := chart.Chart{ID: "by-week", Title: t("figures.byWeek"), Unit: t("figures.referrals"), Category: t("figures.week")}
	weeks := make([]string, 0, len(f.ByWeek))
	for w := range f.ByWeek {
		weeks = append(weeks, w)
	}
	slices.Sort(weeks)
	for _, w := range weeks {
		label := w
		if d, err := time.Parse(time.DateOnly, w); err == nil {
			label = t("figures.weekOf", "date", d.Format("2 Jan"))
		}
		byWeek.Bars = append(byWeek.Bars, chart.Bar{Label: label, Value: float64(f.ByWeek[w]), Shown: fmt.Sprint(f.ByWeek[w])})
	}
	byWeek.Summary = t("figures.byWeek.summary", "referrals", s.count("referrals", f.ReferralsReceived), "weeks", s.count("weeks", len(weeks)))
	out = append(out, byWeek)

	bySource := chart.Chart{ID: "by-source", Title: t("figures.bySource"), Unit: t("figures.referrals"), Category: t("figures.source"), Horizontal: true}
	sources := make([]string, 0, len(f.BySource))
	for k := range f.BySource {
		sources = append(sources, k)
	}
	slices.Sort(sources)
	for _, k := range sources {
		label := k
		if s.text.Has("source." + k) {
			label = t("source." + k)
		}
		bySource.Bars = append(bySource.Bars, chart.Bar{Label: label, Value: float64(f.BySource[k]), Shown: fmt.Sprint(f.BySource[k])})
	}
	bySource.Summary = t("figures.bySource.summary", "referrals", s.count("referrals", f.ReferralsReceived), "sources", s.count("sources", len(sources)))
	out = append(out, bySource)

	rate, shown := percent(f.ReReferralRate)
	out = append(out, chart.Chart{ID: "re-referrals", Title: t("figures.reReferrals"), Unit: t("figures.percentOfReferrals"), Category: t("figures.period.label"), Suffix: "%", Max: 50,
		Summary: orNone(f.ReReferralRate == nil, t("figures.reReferrals.none"), t("figures.reReferrals.summary", "rate", shown, "n", fmt.Sprint(f.ReReferrals), "england", "24%", "manchester", "31%")),
		Bars:    []chart.Bar{{Label: t("figures.thisPeriod"), Value: rate, Shown: shown}},
		Lines: []chart.Line{
			{Label: t("figures.england"), Value: englandReReferrals, Shown: "24%", Source: t("figures.england.source")},
			{Label: t("figures.manchester"), Value: manchesterReReferrals, Shown: "31%", Source: t("figures.manchester.source")},
		}})

	dec, decShown := percent(f.ShareDecidedWithinOneDay)
	rhi, rhiShown := percent(f.ShareRHICompletedIn72h)
	out = append(out, chart.Chart{ID: "timeliness", Title: t("figures.timeliness"), Unit: t("figures.percent"), Category: t("figures.measure"), Suffix: "%", Max: 100,
		Summary: orNone(f.ShareDecidedWithinOneDay == nil && f.ShareRHICompletedIn72h == nil, t("figures.timeliness.none"),
			t("figures.timeliness.summary", "decisions", decShown, "decided", fmt.Sprint(f.Decided), "rhi", rhiShown, "interviews", fmt.Sprint(f.ReturnHomeInterviews))),
		Bars: []chart.Bar{
			{Label: t("figures.decisionsInOneDay"), Value: dec, Shown: decShown},
			{Label: t("figures.rhiIn72h"), Value: rhi, Shown: rhiShown},
		}})

	minutes := func(m *float64) (float64, string) {
		if m == nil {
			return 0, "none"
		}
		return *m, fmt.Sprintf("%.0f min", *m)
	}
	med, medShown := minutes(f.MedianMinutesToArrival)
	p90, p90Shown := minutes(f.P90MinutesToArrival)
	out = append(out, chart.Chart{ID: "appropriate-adults", Title: t("figures.arrival"), Unit: t("figures.minutes"), Category: t("figures.measure"), Suffix: " min",
		Summary: orNone(f.MedianMinutesToArrival == nil, orNone(f.AppropriateAdults == 0, t("figures.arrival.noneRequested"), t("figures.arrival.none", "n", fmt.Sprint(f.AppropriateAdults))),
			t("figures.arrival.summary", "n", fmt.Sprint(f.AppropriateAdults), "arrived", fmt.Sprint(f.AppropriateAdultsArrived), "median", medShown, "p90", p90Shown)),
		Bars: []chart.Bar{{Label: t("figures.median"), Value: med, Shown: medShown}, {Label: t("figures.p90"), Value: p90, Shown: p90Shown}}})

	overdue := chart.Chart{ID: "overdue", Title: t("figures.overdue"), Unit: t("figures.count"), Category: t("figures.type"), Horizontal: true}
	kinds := make([]string, 0, len(f.Overdue))
	total := 0
	for k, n := range f.Overdue {
		kinds = append(kinds, k)
		total += n
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		label := k
		if s.text.Has("overdueKind." + k) {
			label = t("overdueKind." + k)
		}
		overdue.Bars = append(overdue.Bars, chart.Bar{Label: label, Value: float64(f.Overdue[k]), Shown: fmt.Sprint(f.Overdue[k])})
	}
	overdue.Summary = t("figures.overdue.summary", "items", s.count("items", total))
	out = append(out, overdue)
	return out
}

const pathCensus = "/staff/figures/census.csv"

// census downloads the period's referrals as a CSV shaped like the
// children in need census's referral module: no names, no ids, and each
// referral in it audited as exported.
func (s *Server) census(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	params := map[string]string{}
	for _, k := range []string{"from", "to"} {
		if v := r.URL.Query().Get(k); v != "" {
			params[k] = v
		}
	}
	p, rows, err := s.cfg.Figures.CensusExport(r.Context(), params, staffRequest(r, ses, managerRoles))
	if e := apperr.As(err); e != nil && e.Code == apperr.Malformed {
		http.Redirect(w, r, pathFigures, http.StatusSeeOther)
		return
	}
	if err != nil {
		s.staffFailure(w, r, err)
		return
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(stats.CensusHeader)
	_ = cw.WriteAll(rows)
	if err := cw.Error(); err != nil {
		s.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("referrals-%s-to-%s.csv", p.From.In(calendar.London()).Format(time.DateOnly), p.To.Add(-time.Nanosecond).In(calendar.London()).Format(time.DateOnly))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = buf.WriteTo(w)
}
