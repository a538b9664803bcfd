package decision

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

const (
	fuzzReferralID = "01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"
	fuzzDecisionID = "01KAR0000000000000000000AA"
)

var fuzzNow = time.Date(2026, 11, 23, 15, 30, 0, 0, time.UTC)

// fuzzStore keeps one referral and its decisions, healthy: every error
// Decide gives with it is the request's fault.
type fuzzStore struct {
	rec       referral.Record
	decisions []Decision
	saved     []Decision
}

func (s *fuzzStore) Referral(_ context.Context, id string) (*referral.Record, error) {
	if id != s.rec.ID {
		return nil, fmt.Errorf("get %s: %w", id, referral.ErrNotFound)
	}
	c := s.rec
	return &c, nil
}

func (s *fuzzStore) Decisions(context.Context, string) ([]Decision, error) {
	return slices.Clone(s.decisions), nil
}

func (s *fuzzStore) SaveDecision(_ context.Context, d Decision, read int, _ audit.Entry) error {
	if read != s.rec.Version {
		return ErrStale
	}
	if d.Supersedes != "" && !slices.ContainsFunc(s.decisions, func(x Decision) bool { return x.ID == d.Supersedes && x.SupersededBy == "" }) {
		return ErrStale
	}
	s.saved = append(s.saved, d)
	return nil
}

// fuzzStores are a referral awaiting its first decision and one decided
// already, both at version 3.
func fuzzStores() []*fuzzStore {
	due := fuzzNow.Add(24 * time.Hour)
	awaiting := &fuzzStore{rec: referral.Record{ID: fuzzReferralID, Status: referral.StatusAwaitingDecision, Version: 3,
		Screening: &referral.Screening{Priority: "AMBER", ScreeningDueAt: due, DecisionDueAt: due}}}
	decided := &fuzzStore{rec: awaiting.rec, decisions: []Decision{{ID: fuzzDecisionID, ReferralID: fuzzReferralID, Outcome: EarlyHelp,
		Rationale: "Concerns are best met by the early help hub.", LevelOfNeed: referral.NeedEarlyHelp, AdviceGiven: "Early help hub.",
		ReferrerInformed: true, DecidedBy: "screener-1", DecidedByRole: "mash", DecidedAt: fuzzNow.Add(-time.Hour)}}}
	decided.rec.Status = referral.StatusDecided
	return []*fuzzStore{awaiting, decided}
}

// FuzzDecide feeds any body to Decode and Validate, and to Decide with a
// healthy store. Whatever the body, nothing panics; Decode refuses with an
// *apperr.Error with code Malformed or TooLarge, Validate with code
// Invalid, always the same way; a request that passes has every answer
// Decide needs; and Decide, whose store never fails, answers only with the
// caller's errors (Malformed, TooLarge, Invalid, Conflict), never a
// server's, or records the decision asked for.
func FuzzDecide(f *testing.F) {
	formtest.AddSamples(f, "../../events/decisions/*.json")
	f.Add([]byte(`{"version": 3, "outcome": "early-help", "adviceGiven": "x", "rationale": "Concerns are best met by early help.", "levelOfNeed": 2, "referrerInformed": true, "supersedes": "` + fuzzDecisionID + `"}`))
	f.Add([]byte(`{"version": 9223372036854775808}`))
	f.Add([]byte(`{"version": -1, "levelOfNeed": -9223372036854775808}`))
	f.Add([]byte(`{"outcome": "early-help", "outcome": "transfer-to-another-authority"}`))

	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.Cleanup(func() { slog.SetDefault(prev) })
	meta := audit.Request{Actor: audit.Actor{ID: "screener-1", Role: "mash", IP: "192.0.2.1"}, Route: "POST /referrals/{id}/decisions", RequestID: "req-1"}

	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := Decode(body)
		if err != nil {
			formtest.CheckError(t, "Decode", err, apperr.Malformed, apperr.TooLarge)
		} else {
			again, _ := Decode(body)
			if !reflect.DeepEqual(req, again) {
				t.Fatalf("Decode is not deterministic: %+v, then %+v", req, again)
			}
			err := Validate(req)
			if err != nil {
				formtest.CheckError(t, "Validate", err, apperr.Invalid)
			}
			formtest.SameError(t, "Validate twice", err, Validate(again))
			if err == nil && (req.Version == nil || req.LevelOfNeed == nil || req.ReferrerInformed == nil || !req.Outcome.Valid()) {
				t.Errorf("a valid decision lacks an answer Decide needs: %+v", req)
			}
		}

		for _, st := range fuzzStores() {
			d, err := New(st, func() time.Time { return fuzzNow }).Decide(context.Background(), fuzzReferralID, body, meta)
			if err != nil {
				formtest.CheckError(t, "Decide on a "+string(st.rec.Status)+" referral", err,
					apperr.Malformed, apperr.TooLarge, apperr.Invalid, apperr.Conflict)
				if d != nil || len(st.saved) != 0 {
					t.Errorf("Decide refused but gave %+v and saved %+v", d, st.saved)
				}
				continue
			}
			if req == nil {
				t.Fatalf("Decide accepted a body Decode refuses")
			}
			if d == nil || len(st.saved) != 1 || !reflect.DeepEqual(*d, st.saved[0]) {
				t.Fatalf("Decide gave %+v and saved %+v", d, st.saved)
			}
			if d.ReferralID != fuzzReferralID || d.Outcome != req.Outcome || d.Rationale != req.Rationale ||
				d.LevelOfNeed != *req.LevelOfNeed || d.ReferrerInformed != *req.ReferrerInformed || d.Supersedes != req.Supersedes ||
				!d.DecidedAt.Equal(fuzzNow) || d.DecidedBy != meta.Actor.ID {
				t.Errorf("decision %+v does not record the request %+v", d, req)
			}
		}
	})
}
