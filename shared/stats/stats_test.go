package stats

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		name       string
		params     map[string]string
		from, to   string // UTC, RFC 3339
		wantFields []string
	}{
		{"a winter month", map[string]string{"from": "2026-11-01", "to": "2026-11-30"}, "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", nil},
		{"a summer day is London's", map[string]string{"from": "2026-07-01", "to": "2026-07-01"}, "2026-06-30T23:00:00Z", "2026-07-01T23:00:00Z", nil},
		{"over the clocks going back", map[string]string{"from": "2026-10-25", "to": "2026-10-25"}, "2026-10-24T23:00:00Z", "2026-10-26T00:00:00Z", nil},
		{"a leap year", map[string]string{"from": "2028-01-01", "to": "2028-12-31"}, "2028-01-01T00:00:00Z", "2029-01-01T00:00:00Z", nil},
		{"neither: this month so far", map[string]string{}, "2026-11-01T00:00:00Z", "2026-11-21T00:00:00Z", nil},
		{"only to: from the first of its month", map[string]string{"to": "2026-10-25"}, "2026-09-30T23:00:00Z", "2026-10-26T00:00:00Z", nil},
		{"only from: to today", map[string]string{"from": "2026-11-10"}, "2026-11-10T00:00:00Z", "2026-11-21T00:00:00Z", nil},
		{"only from, after today", map[string]string{"from": "2026-12-05"}, "", "", []string{"to"}},
		{"empty", map[string]string{"from": "", "to": ""}, "", "", []string{"from", "to"}},
		// The end of 9999-12-31 is in year 10000, which no RFC 3339 time can
		// write: dates are bounded to the calendar's years.
		{"year 9999", map[string]string{"from": "9999-12-31", "to": "9999-12-31"}, "", "", []string{"from", "to"}},
		{"year 0", map[string]string{"from": "0000-01-01", "to": "2026-11-01"}, "", "", []string{"from"}},
		{"the first and last years", map[string]string{"from": "2100-12-31", "to": "2100-12-31"}, "2100-12-31T00:00:00Z", "2101-01-01T00:00:00Z", nil},
		{"before the first year", map[string]string{"from": "1999-12-31", "to": "2000-01-01"}, "", "", []string{"from"}},
		{"not dates", map[string]string{"from": "1/11/2026", "to": "2026-13-01"}, "", "", []string{"from", "to"}},
		{"backwards", map[string]string{"from": "2026-11-02", "to": "2026-11-01"}, "", "", []string{"to"}},
		{"too long", map[string]string{"from": "2025-01-01", "to": "2026-01-02"}, "", "", []string{"to"}},
		{"unknown parameter", map[string]string{"from": "2026-11-01", "to": "2026-11-02", "team": "a"}, "", "", []string{"team"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePeriod(tt.params, time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
			if tt.wantFields != nil {
				got := apperr.FieldNames(err)
				if apperr.CodeOf(err) != apperr.Malformed || !slices.Equal(got, tt.wantFields) {
					t.Fatalf("got %v (fields %v), want %v", err, got, tt.wantFields)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.From.Format(time.RFC3339) != tt.from || p.To.Format(time.RFC3339) != tt.to {
				t.Errorf("period %s – %s, want %s – %s", p.From.Format(time.RFC3339), p.To.Format(time.RFC3339), tt.from, tt.to)
			}
		})
	}
}

func fixedNow() time.Time { return time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC) }

// TestDefaultPeriodIsThisMonthInEngland: just after midnight on 1 August in
// England it is still 31 July in UTC, and the period is 1 August so far.
func TestDefaultPeriodIsThisMonthInEngland(t *testing.T) {
	p, err := ParsePeriod(map[string]string{}, time.Date(2026, 7, 31, 23, 30, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 7, 31, 23, 0, 0, 0, time.UTC); !p.From.Equal(want) || !p.To.Equal(want.Add(24*time.Hour)) {
		t.Errorf("period %s – %s, want 1 August in London", p.From, p.To)
	}
}

func TestMonths(t *testing.T) {
	p := Period{From: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)}
	if got := p.Months(); !slices.Equal(got, []string{"2026-11", "2026-12", "2027-01"}) {
		t.Errorf("months %v", got)
	}
	summer := Period{From: time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC), To: time.Date(2026, 7, 1, 23, 0, 0, 0, time.UTC)}
	if got := summer.Months(); !slices.Equal(got, []string{"2026-06", "2026-07"}) {
		t.Errorf("1 July in London starts in June in UTC: months %v", got)
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr(t time.Time) *time.Time { return &t }

func f(v float64) *float64 { return &v }

func eq(a, b *float64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

// TestComputeOnKnownData works the figures of November 2026 from a small
// data set whose answers are worked out by hand in the comments.
func TestComputeOnKnownData(t *testing.T) {
	p := Period{From: at("2026-11-01T00:00:00Z"), To: at("2026-12-01T00:00:00Z")}
	due := at("2026-11-03T17:00:00Z")
	refs := []Referral{
		// Decided before its due time: within one working day.
		{ReceivedAt: at("2026-11-02T09:00:00Z"), Source: "2A", ScreeningDueAt: &due, FirstDecidedAt: ptr(at("2026-11-03T16:59:00Z"))},
		// Decided exactly at its due time: still within.
		{ReceivedAt: at("2026-11-02T10:00:00Z"), Source: "2A", ReReferral: true, ScreeningDueAt: &due, FirstDecidedAt: &due},
		// Decided late, flagged overdue.
		{ReceivedAt: at("2026-11-02T11:00:00Z"), Source: "6", ScreeningDueAt: &due, FirstDecidedAt: ptr(at("2026-11-04T09:00:00Z")), DecisionOverdue: true},
		// Not decided yet; a re-referral.
		{ReceivedAt: at("2026-11-30T23:59:59Z"), Source: "3A", ReReferral: true},
		// Outside the period on both sides: ignored.
		{ReceivedAt: at("2026-10-31T23:59:59Z"), Source: "2A", ReReferral: true},
		{ReceivedAt: at("2026-12-01T00:00:00Z"), Source: "2A"},
	}
	fus := []FollowUp{
		// RHIs: one completed in time, one late (overdue), one declined, one open.
		{Kind: followup.KindReturnHomeInterview, StartAt: at("2026-11-05T20:00:00Z"), DueAt: at("2026-11-08T20:00:00Z"), Status: followup.StatusCompleted, CompletedAt: ptr(at("2026-11-07T10:00:00Z"))},
		{Kind: followup.KindReturnHomeInterview, StartAt: at("2026-11-06T20:00:00Z"), DueAt: at("2026-11-09T20:00:00Z"), Status: followup.StatusCompleted, CompletedAt: ptr(at("2026-11-10T10:00:00Z")), Overdue: true},
		{Kind: followup.KindReturnHomeInterview, StartAt: at("2026-11-07T20:00:00Z"), DueAt: at("2026-11-10T20:00:00Z"), Status: followup.StatusDeclined},
		{Kind: followup.KindReturnHomeInterview, StartAt: at("2026-11-29T20:00:00Z"), DueAt: at("2026-12-02T20:00:00Z"), Status: followup.StatusOpen},
		// Appropriate adults: arrivals after 30, 60, 90, 100 and 200 minutes, and one not yet arrived.
		{Kind: followup.KindAppropriateAdult, StartAt: at("2026-11-10T01:00:00Z"), ArrivedAt: ptr(at("2026-11-10T01:30:00Z"))},
		{Kind: followup.KindAppropriateAdult, StartAt: at("2026-11-11T01:00:00Z"), ArrivedAt: ptr(at("2026-11-11T02:00:00Z"))},
		{Kind: followup.KindAppropriateAdult, StartAt: at("2026-11-12T01:00:00Z"), ArrivedAt: ptr(at("2026-11-12T02:30:00Z"))},
		{Kind: followup.KindAppropriateAdult, StartAt: at("2026-11-13T01:00:00Z"), ArrivedAt: ptr(at("2026-11-13T02:40:00Z"))},
		{Kind: followup.KindAppropriateAdult, StartAt: at("2026-11-14T01:00:00Z"), ArrivedAt: ptr(at("2026-11-14T04:20:00Z")), Overdue: true},
		{Kind: followup.KindAppropriateAdult, StartAt: at("2026-11-15T01:00:00Z")},
		// Started before the period: ignored, though overdue.
		{Kind: followup.KindAppropriateAdult, StartAt: at("2026-10-31T23:00:00Z"), ArrivedAt: ptr(at("2026-11-01T09:00:00Z")), Overdue: true},
	}
	got := Compute(p, refs, fus)

	if got.ReferralsReceived != 4 || got.ReReferrals != 2 || !eq(got.ReReferralRate, f(0.5)) {
		t.Errorf("referrals %d, re-referrals %d, rate %v; want 4, 2, 0.5", got.ReferralsReceived, got.ReReferrals, got.ReReferralRate)
	}
	if got.BySource["2A"] != 2 || got.BySource["6"] != 1 || got.BySource["3A"] != 1 || len(got.BySource) != 3 {
		t.Errorf("by source %v", got.BySource)
	}
	// 2 of 3 decided within one working day.
	if got.Decided != 3 || got.DecidedWithinOneDay != 2 || !eq(got.ShareDecidedWithinOneDay, f(0.6667)) || got.AwaitingDecision != 1 {
		t.Errorf("decisions %d within %d share %v awaiting %d", got.Decided, got.DecidedWithinOneDay, got.ShareDecidedWithinOneDay, got.AwaitingDecision)
	}
	// 1 of 4 return home interviews completed within 72 hours.
	if got.ReturnHomeInterviews != 4 || got.RHICompletedWithin72h != 1 || !eq(got.ShareRHICompletedIn72h, f(0.25)) {
		t.Errorf("RHIs %d within %d share %v", got.ReturnHomeInterviews, got.RHICompletedWithin72h, got.ShareRHICompletedIn72h)
	}
	// Minutes 30, 60, 90, 100, 200: median (rank 3) 90, 90th percentile (rank 5) 200.
	if got.AppropriateAdults != 6 || got.AppropriateAdultsArrived != 5 || !eq(got.MedianMinutesToArrival, f(90)) || !eq(got.P90MinutesToArrival, f(200)) {
		t.Errorf("AAs %d arrived %d median %v p90 %v", got.AppropriateAdults, got.AppropriateAdultsArrived, got.MedianMinutesToArrival, got.P90MinutesToArrival)
	}
	if got.Overdue[OverdueDecision] != 1 || got.Overdue[string(followup.KindReturnHomeInterview)] != 1 || got.Overdue[string(followup.KindAppropriateAdult)] != 1 || len(got.Overdue) != 3 {
		t.Errorf("overdue %v", got.Overdue)
	}
}

func TestComputeWithNothingHasNoRates(t *testing.T) {
	got := Compute(Period{From: at("2026-11-01T00:00:00Z"), To: at("2026-12-01T00:00:00Z")}, nil, nil)
	if got.ReReferralRate != nil || got.ShareDecidedWithinOneDay != nil || got.ShareRHICompletedIn72h != nil ||
		got.MedianMinutesToArrival != nil || got.P90MinutesToArrival != nil || got.ReferralsReceived != 0 {
		t.Errorf("figures of nothing %+v", got)
	}
}

func TestPercentileNearestRank(t *testing.T) {
	tests := []struct {
		xs   []float64
		p    float64
		want float64
	}{
		{[]float64{5}, 50, 5},
		{[]float64{5}, 90, 5},
		{[]float64{4, 1, 3, 2}, 50, 2},
		{[]float64{4, 1, 3, 2}, 90, 4},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90, 9},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 90, 10},
		{[]float64{12.345}, 50, 12.3},
	}
	for _, tt := range tests {
		if got := percentile(tt.xs, tt.p); got == nil || *got != tt.want {
			t.Errorf("percentile(%v, %v) = %v, want %v", tt.xs, tt.p, got, tt.want)
		}
	}
}

type memFacts struct {
	refs     []Referral
	fus      []FollowUp
	months   []string
	err      error
	audited  []audit.Entry
	auditErr error
}

func (m *memFacts) AppendAudits(_ context.Context, es []audit.Entry) error {
	if m.auditErr != nil {
		return m.auditErr
	}
	m.audited = append(m.audited, es...)
	return nil
}

func (m *memFacts) ReferralFacts(_ context.Context, months []string) ([]Referral, error) {
	m.months = months
	return m.refs, m.err
}
func (m *memFacts) FollowUpFacts(context.Context, []string) ([]FollowUp, error) { return m.fus, m.err }

func TestServiceFigures(t *testing.T) {
	st := &memFacts{refs: []Referral{{ReceivedAt: at("2026-11-05T10:00:00Z"), Source: "6"}}}
	f, err := NewService(st, fixedNow).Figures(context.Background(), map[string]string{"from": "2026-11-01", "to": "2026-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	if f.ReferralsReceived != 1 || !slices.Equal(st.months, []string{"2026-11"}) {
		t.Errorf("figures %+v from months %v", f, st.months)
	}
	if _, err := NewService(st, fixedNow).Figures(context.Background(), map[string]string{"from": "x"}); apperr.CodeOf(err) != apperr.Malformed {
		t.Errorf("bad period: %v", err)
	}
	st.err = errors.New("timeout")
	if _, err := NewService(st, fixedNow).Figures(context.Background(), map[string]string{"from": "2026-11-01", "to": "2026-11-30"}); apperr.CodeOf(err) != apperr.Unavailable {
		t.Errorf("store down: %v", err)
	}
}

// The census export: the period's referrals only, oldest first, the date
// in England, flags as 1 or 0, the need code where decided; each referral
// exported is audited first, and nothing is exported unaudited.
func TestCensusExport(t *testing.T) {
	st := &memFacts{refs: []Referral{
		{ID: "b", ReceivedAt: at("2026-11-20T23:30:00Z"), Source: "2A", NoFurtherAction: true},
		{ID: "a", ReceivedAt: at("2026-11-01T00:30:00Z"), Source: "6", ReReferral: true, PrimaryNeed: "N1"},
		// Still October in England (BST ended on 25 October, so this is GMT).
		{ID: "x", ReceivedAt: at("2026-10-31T23:59:00Z"), Source: "3F"},
		{ID: "c", ReceivedAt: at("2026-12-01T00:00:00Z"), Source: "8"},
	}}
	req := audit.Request{Actor: audit.Actor{ID: "manager-1", Role: "mash-manager"}, Route: "GET /staff/figures/census.csv"}
	p, rows, err := NewService(st, fixedNow).CensusExport(context.Background(), map[string]string{"from": "2026-11-01", "to": "2026-11-30"}, req)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"2026-11-01", "6", "1", "0", "N1"}, {"2026-11-20", "2A", "0", "1", ""}}
	if !reflect.DeepEqual(rows, want) || !p.Contains(at("2026-11-15T00:00:00Z")) {
		t.Errorf("rows %v, want %v", rows, want)
	}
	var ids []string
	for _, e := range st.audited {
		if e.Action != ActionExported || e.Actor.ID != "manager-1" {
			t.Errorf("audit entry %+v", e)
		}
		ids = append(ids, e.Subject.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"a", "b"}) {
		t.Errorf("audited %v, want a and b", ids)
	}
	st.auditErr = errors.New("down")
	if _, rows, err := NewService(st, fixedNow).CensusExport(context.Background(), map[string]string{"from": "2026-11-01", "to": "2026-11-30"}, req); apperr.CodeOf(err) != apperr.Unavailable || rows != nil {
		t.Errorf("unaudited export: %v rows, %v", rows, err)
	}
	if _, _, err := NewService(st, fixedNow).CensusExport(context.Background(), map[string]string{"to": "x"}, req); apperr.CodeOf(err) != apperr.Malformed {
		t.Errorf("bad period: %v", err)
	}
}

// Referrals by week: each week of the period by its Monday in England,
// none received counted 0, across the clocks going back.
func TestByWeek(t *testing.T) {
	p, err := ParsePeriod(map[string]string{"from": "2026-10-21", "to": "2026-11-03"}, fixedNow())
	if err != nil {
		t.Fatal(err)
	}
	refs := []Referral{
		{ReceivedAt: at("2026-10-21T10:00:00Z")},
		// Sunday 23:30 in England (BST): still the week of 19 October.
		{ReceivedAt: at("2026-10-25T00:30:00Z")},
		// Monday 00:30 in England (GMT now): the week of 26 October.
		{ReceivedAt: at("2026-10-26T00:30:00Z")},
		{ReceivedAt: at("2026-11-03T23:00:00Z")},
		// Outside the period.
		{ReceivedAt: at("2026-11-04T00:00:00Z")},
	}
	got := Compute(p, refs, nil).ByWeek
	want := map[string]int{"2026-10-19": 2, "2026-10-26": 1, "2026-11-02": 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("by week %v, want %v", got, want)
	}
	if w := p.Weeks(); !slices.Equal(w, []string{"2026-10-19", "2026-10-26", "2026-11-02"}) {
		t.Errorf("weeks %v", w)
	}
	empty := Compute(p, nil, nil).ByWeek
	if !reflect.DeepEqual(empty, map[string]int{"2026-10-19": 0, "2026-10-26": 0, "2026-11-02": 0}) {
		t.Errorf("no referrals: %v", empty)
	}
}
