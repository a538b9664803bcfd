package triage_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/triage"
)

func BenchmarkAssess(b *testing.B) {
	rs := triage.DefaultRules()
	f := form(boolPtr(false), referral.NeedChildInNeed,
		referral.CategoryNeglect, referral.CategoryDomesticAbuse, referral.CategoryParentalSubstanceMisuse,
		referral.CategoryChildCriminalExploitation, referral.CategoryMissing, referral.CategoryOnlineHarm,
		referral.CategorySelfHarm, referral.CategoryChildMissingEducation)
	if got := rs.Assess(f); got.Priority != triage.Amber || len(got.Reasons) != 3 {
		b.Fatalf("Assess = %+v, want AMBER with 3 reasons", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		rs.Assess(f)
	}
}

func BenchmarkScreen(b *testing.B) {
	s := triage.NewService(nil, nil, triage.DefaultRules(), calendar.EnglandAndWales(), testSecret, nil)
	rec := record()
	// 50 earlier referrals, one every 20 days back from the day before,
	// each found under two keys, as for a child linked by NHS number and name.
	var earlier []referral.EarlierReferral
	for i := range 50 {
		e := referral.EarlierReferral{ID: fmt.Sprintf("01HZ%022d", i), ReceivedAt: received.Add(-time.Duration(i*20+1) * 24 * time.Hour)}
		earlier = append(earlier, e, e)
	}
	now := received.Add(5 * time.Minute)
	if sc := s.Screen(&rec, earlier, now); len(sc.EarlierReferrals) != 50 || !sc.ReReferral {
		b.Fatalf("Screen listed %d earlier referrals (re-referral %v), want 50 and true", len(sc.EarlierReferrals), sc.ReReferral)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Screen(&rec, earlier, now)
	}
}
