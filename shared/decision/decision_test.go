package decision

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

const rationale = "Concerns meet the threshold for an assessment of need."

func body(fields string) []byte {
	base := `"version": 3, "rationale": "` + rationale + `", "levelOfNeed": 3, "referrerInformed": true`
	if fields != "" {
		base += ", " + fields
	}
	return []byte("{" + base + "}")
}

func TestValidate(t *testing.T) {
	long := strings.Repeat("x", MaxRationale+1)
	tests := []struct {
		name string
		body string
		want []string // fields at fault; nil for valid
	}{
		{"assessment with primary need", string(body(`"outcome": "child-in-need-assessment", "primaryNeed": "N1"`)), nil},
		{"strategy discussion with primary need", string(body(`"outcome": "strategy-discussion", "primaryNeed": "N4"`)), nil},
		{"no further action with advice", string(body(`"outcome": "no-further-action", "adviceGiven": "Signposted to the family hub."`)), nil},
		{"early help with advice", string(body(`"outcome": "early-help", "adviceGiven": "Family offered the early help hub."`)), nil},
		{"transfer with authority", string(body(`"outcome": "transfer-to-another-authority", "transferTo": "Leeds City Council"`)), nil},
		{"allocated worker", string(body(`"outcome": "pass-to-allocated-worker", "allocatedWorker": "SW-0042"`)), nil},
		{"referrer not told, with reason", `{"version": 1, "outcome": "early-help", "adviceGiven": "x", "rationale": "` + rationale + `", "levelOfNeed": 2, "referrerInformed": false, "referrerNotInformedReason": "Anonymous referrer."}`, nil},
		{"empty object", `{}`, []string{"version", "outcome", "rationale", "levelOfNeed", "referrerInformed"}},
		{"version zero", `{"version": 0, "outcome": "early-help", "adviceGiven": "x", "rationale": "` + rationale + `", "levelOfNeed": 2, "referrerInformed": true}`, []string{"version"}},
		{"unknown outcome", string(body(`"outcome": "close"`)), []string{"outcome"}},
		{"short rationale", `{"version": 1, "outcome": "early-help", "adviceGiven": "x", "rationale": "ok", "levelOfNeed": 2, "referrerInformed": true}`, []string{"rationale"}},
		{"blank rationale", `{"version": 1, "outcome": "early-help", "adviceGiven": "x", "rationale": "                         ", "levelOfNeed": 2, "referrerInformed": true}`, []string{"rationale"}},
		{"long rationale", `{"version": 1, "outcome": "early-help", "adviceGiven": "x", "rationale": "` + long + `", "levelOfNeed": 2, "referrerInformed": true}`, []string{"rationale"}},
		{"level of need 5", `{"version": 1, "outcome": "early-help", "adviceGiven": "x", "rationale": "` + rationale + `", "levelOfNeed": 5, "referrerInformed": true}`, []string{"levelOfNeed"}},
		{"assessment without primary need", string(body(`"outcome": "child-in-need-assessment"`)), []string{"primaryNeed"}},
		{"strategy discussion without primary need", string(body(`"outcome": "strategy-discussion"`)), []string{"primaryNeed"}},
		{"unknown primary need", string(body(`"outcome": "early-help", "adviceGiven": "x", "primaryNeed": "N10"`)), []string{"primaryNeed"}},
		{"no further action without advice", string(body(`"outcome": "no-further-action"`)), []string{"adviceGiven"}},
		{"early help without advice", string(body(`"outcome": "early-help"`)), []string{"adviceGiven"}},
		{"transfer without authority", string(body(`"outcome": "transfer-to-another-authority"`)), []string{"transferTo"}},
		{"allocated worker missing", string(body(`"outcome": "pass-to-allocated-worker"`)), []string{"allocatedWorker"}},
		{"long authority name", string(body(`"outcome": "transfer-to-another-authority", "transferTo": "` + strings.Repeat("a", MaxName+1) + `"`)), []string{"transferTo"}},
		{"referrer not told without reason", `{"version": 1, "outcome": "early-help", "adviceGiven": "x", "rationale": "` + rationale + `", "levelOfNeed": 2, "referrerInformed": false}`, []string{"referrerNotInformedReason"}},
		{"supersedes not an id", string(body(`"outcome": "early-help", "adviceGiven": "x", "supersedes": "last"`)), []string{"supersedes"}},
		{"reason when the referrer was told", string(body(`"outcome": "early-help", "adviceGiven": "x", "referrerNotInformedReason": "n/a"`)), []string{"referrerNotInformedReason"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := Decode([]byte(tt.body))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			err = Validate(req)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("valid decision refused: %v", err)
				}
				return
			}
			if apperr.CodeOf(err) != apperr.Invalid || !slices.Equal(apperr.FieldNames(err), tt.want) {
				t.Errorf("got %v (fields %v), want Invalid on %v", err, apperr.FieldNames(err), tt.want)
			}
		})
	}
}

func TestDecodeIsStrict(t *testing.T) {
	tests := []struct {
		name, body string
		code       apperr.Code
		fields     []string
	}{
		{"unknown member", `{"outcome": "early-help", "priority": "RED"}`, apperr.Malformed, []string{"priority"}},
		{"wrong type", `{"version": "3"}`, apperr.Malformed, []string{"version"}},
		{"not JSON", `{`, apperr.Malformed, nil},
		{"too large", `{"rationale": "` + strings.Repeat("x", MaxBody) + `"}`, apperr.TooLarge, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.body))
			if apperr.CodeOf(err) != tt.code || !slices.Equal(apperr.FieldNames(err), tt.fields) {
				t.Errorf("got %v (fields %v), want %s %v", err, apperr.FieldNames(err), tt.code, tt.fields)
			}
		})
	}
}

// memStore keeps one referral and its decisions, with SaveDecision's
// conditions.
type memStore struct {
	rec       *referral.Record
	decisions []Decision
	audits    []audit.Entry
	saveErr   error
}

func (m *memStore) Referral(_ context.Context, id string) (*referral.Record, error) {
	if m.rec == nil || m.rec.ID != id {
		return nil, fmt.Errorf("get %s: %w", id, referral.ErrNotFound)
	}
	c := *m.rec
	return &c, nil
}

func (m *memStore) Decisions(context.Context, string) ([]Decision, error) {
	return slices.Clone(m.decisions), nil
}

func (m *memStore) SaveDecision(_ context.Context, d Decision, read int, e audit.Entry) error {
	if m.saveErr != nil {
		return m.saveErr
	}
	if m.rec.Version != read {
		return ErrStale
	}
	if d.Supersedes != "" {
		i := slices.IndexFunc(m.decisions, func(x Decision) bool { return x.ID == d.Supersedes && x.SupersededBy == "" })
		if i < 0 {
			return ErrStale
		}
		m.decisions[i].SupersededBy = d.ID
	}
	m.decisions = append(m.decisions, d)
	m.rec.Status, m.rec.Version = referral.StatusDecided, m.rec.Version+1
	m.audits = append(m.audits, e)
	return nil
}

const refID = "01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"

var (
	now = time.Date(2026, 11, 23, 15, 30, 0, 0, time.UTC)
	due = time.Date(2026, 11, 24, 17, 0, 0, 0, time.UTC)
)

func awaiting() *memStore {
	return &memStore{rec: &referral.Record{
		ID: refID, Status: referral.StatusAwaitingDecision, Version: 3,
		Screening: &referral.Screening{Priority: "AMBER", ScreeningDueAt: due, DecisionDueAt: due},
	}}
}

var screener = audit.Request{Actor: audit.Actor{ID: "screener-1", Role: "mash", IP: "192.0.2.1"}, Route: "POST /referrals/{id}/decisions", RequestID: "req-1"}

func TestDecideRecordsTheFirstDecision(t *testing.T) {
	st := awaiting()
	d, err := New(st, func() time.Time { return now }).Decide(context.Background(), refID,
		body(`"outcome": "child-in-need-assessment", "primaryNeed": "N1"`), screener)
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != Assessment || d.DecidedBy != "screener-1" || d.DecidedByRole != "mash" || !d.DecidedAt.Equal(now) ||
		d.DueAt == nil || !d.DueAt.Equal(due) || d.LevelOfNeed != referral.NeedChildInNeed || d.PrimaryNeed != "N1" || d.NoFurtherAction() {
		t.Errorf("decision %+v", d)
	}
	if st.rec.Status != referral.StatusDecided || len(st.decisions) != 1 {
		t.Errorf("stored %+v %v", st.rec, st.decisions)
	}
	if len(st.audits) != 1 || st.audits[0].Action != ActionDecided || st.audits[0].Subject != audit.Referral(refID) ||
		st.audits[0].Actor != screener.Actor || st.audits[0].Route != screener.Route || st.audits[0].RequestID != "req-1" {
		t.Errorf("audit %+v", st.audits)
	}
}

// TestDecideUntriaged: a referral whose automatic screening failed every
// time is screened by hand, so a screener can decide on it; the decision has
// no due time to be measured against until the screening is done.
func TestDecideUntriaged(t *testing.T) {
	escalated := now.Add(-2 * time.Hour)
	st := &memStore{rec: &referral.Record{ID: refID, Status: referral.StatusQueued, Version: 3, UntriagedAt: &escalated}}
	d, err := New(st, func() time.Time { return now }).Decide(context.Background(), refID,
		body(`"outcome": "strategy-discussion", "primaryNeed": "N1"`), screener)
	if err != nil {
		t.Fatal(err)
	}
	if d.DueAt != nil || d.Outcome != StrategyDiscussion {
		t.Errorf("decision %+v, want no due time", d)
	}
	if st.rec.Status != referral.StatusDecided || len(st.decisions) != 1 || len(st.audits) != 1 || st.audits[0].Action != ActionDecided {
		t.Errorf("stored %+v %v %v", st.rec, st.decisions, st.audits)
	}
}

func TestDecideCorrectionSupersedes(t *testing.T) {
	st := awaiting()
	svc := New(st, func() time.Time { return now })
	first, err := svc.Decide(context.Background(), refID, body(`"outcome": "no-further-action", "adviceGiven": "Signposted."`), screener)
	if err != nil {
		t.Fatal(err)
	}
	second, err := svc.Decide(context.Background(), refID, []byte(strings.Replace(string(body(
		`"outcome": "child-in-need-assessment", "primaryNeed": "N1", "supersedes": "`+first.ID+`"`)), `"version": 3`, `"version": 4`, 1)), screener)
	if err != nil {
		t.Fatal(err)
	}
	if second.Supersedes != first.ID || st.decisions[0].SupersededBy != second.ID {
		t.Errorf("decisions %+v", st.decisions)
	}
	if c := Current(st.decisions); c == nil || c.ID != second.ID {
		t.Errorf("current %+v, want the correction", c)
	}
	if st.audits[1].Action != ActionCorrected {
		t.Errorf("audit action %s, want %s", st.audits[1].Action, ActionCorrected)
	}
}

func TestDecideRefuses(t *testing.T) {
	decided := func() *memStore {
		st := awaiting()
		st.rec.Status, st.rec.Version = referral.StatusDecided, 4
		st.decisions = []Decision{{ID: "01KAQ40000000000000000000A", Outcome: EarlyHelp}}
		return st
	}
	valid := `"outcome": "early-help", "adviceGiven": "x"`
	v4 := func(fields string) []byte {
		return []byte(strings.Replace(string(body(fields)), `"version": 3`, `"version": 4`, 1))
	}
	tests := []struct {
		name   string
		store  *memStore
		id     string
		body   []byte
		code   apperr.Code
		fields []string
		says   string
	}{
		{"not an id", awaiting(), "REF-1", body(valid), apperr.NotFound, nil, "26 characters"},
		{"no such referral", awaiting(), "01KAQ3ZZ8Q7X3V4N5M6K7J8H9Z", body(valid), apperr.NotFound, nil, "01KAQ3ZZ8Q7X3V4N5M6K7J8H9Z"},
		{"invalid", awaiting(), refID, body(`"outcome": "early-help"`), apperr.Invalid, []string{"adviceGiven"}, ""},
		{"stale version", awaiting(), refID, []byte(strings.Replace(string(body(valid)), `"version": 3`, `"version": 2`, 1)), apperr.Conflict, nil, "you read version 2 and it is now at version 3"},
		{"changed while deciding", func() *memStore { s := awaiting(); s.saveErr = fmt.Errorf("tx: %w", ErrStale); return s }(), refID, body(valid), apperr.Conflict, nil, "changed while you were deciding"},
		{"store down", func() *memStore { s := awaiting(); s.saveErr = errors.New("timeout"); return s }(), refID, body(valid), apperr.Unavailable, nil, "Nothing was saved"},
		{"supersedes with no decision", awaiting(), refID, body(valid + `, "supersedes": "01KAQ40000000000000000000A"`), apperr.Invalid, []string{"supersedes"}, ""},
		{"second decision without supersedes", decided(), refID, v4(valid), apperr.Conflict, nil, `"supersedes": "01KAQ40000000000000000000A"`},
		{"supersedes an old decision", decided(), refID, v4(valid + `, "supersedes": "01KAQ40000000000000000000B"`), apperr.Conflict, nil, "not the referral's current decision"},
		{"not yet screened", func() *memStore { s := awaiting(); s.rec.Status = referral.StatusQueued; return s }(), refID, body(valid), apperr.Conflict, nil, "still being screened"},
		{"untriaged, supersedes with no decision", func() *memStore {
			s := awaiting()
			s.rec.Status, s.rec.Screening, s.rec.UntriagedAt = referral.StatusQueued, nil, &now
			return s
		}(), refID, body(valid + `, "supersedes": "01KAQ40000000000000000000A"`), apperr.Invalid, []string{"supersedes"}, ""},
		{"received only", func() *memStore { s := awaiting(); s.rec.Status = referral.StatusReceived; return s }(), refID, body(valid), apperr.Conflict, nil, "not awaiting a decision"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(tt.store.decisions)
			_, err := New(tt.store, func() time.Time { return now }).Decide(context.Background(), tt.id, tt.body, screener)
			if apperr.CodeOf(err) != tt.code || !slices.Equal(apperr.FieldNames(err), tt.fields) {
				t.Fatalf("got %v (fields %v), want %s %v", err, apperr.FieldNames(err), tt.code, tt.fields)
			}
			if e := apperr.As(err); tt.says != "" && !strings.Contains(e.Message, tt.says) {
				t.Errorf("message %q does not say %q", e.Message, tt.says)
			}
			if len(tt.store.decisions) != before || len(tt.store.audits) != 0 {
				t.Errorf("something was written: %v %v", tt.store.decisions, tt.store.audits)
			}
		})
	}
}

// TestSamplesAreValid keeps events/decisions true: every sample decodes and
// validates.
func TestSamplesAreValid(t *testing.T) {
	files, err := filepath.Glob("../../events/decisions/*.json")
	if err != nil || len(files) < len(Outcomes) {
		t.Fatalf("%d samples (%v), want one per outcome at least", len(files), err)
	}
	seen := map[Outcome]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		req, err := Decode(b)
		if err == nil {
			err = Validate(req)
		}
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		seen[req.Outcome] = true
	}
	for _, o := range Outcomes {
		if !seen[o] {
			t.Errorf("no sample decision with outcome %s", o)
		}
	}
}
