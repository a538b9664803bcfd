package triage_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/triage"
)

// The reasons of the default rules, as written in rules.json (the brief).
const (
	reasonImmediate   = "The referrer said the child is at immediate risk."
	reasonSexualAbuse = "A disclosure of sexual abuse."
	reasonUnbornDA    = "An unborn baby with domestic abuse."
	reasonLevel4      = "The referrer's view is level 4 (child protection)."
	reasonLevel3      = "The referrer's view is level 3 (child in need)."
	reasonExploit     = "Child sexual or criminal exploitation."
	reasonMissing     = "The child has been missing from home or care."
	reasonOtherwise   = "No rule for a higher priority matched."
	defaultVersion    = "2026-11-01"
)

func boolPtr(b bool) *bool { return &b }

// form builds a referral with only the concerns that the rules look at.
func form(immediate *bool, level referral.LevelOfNeed, cats ...referral.Category) *referral.Referral {
	return &referral.Referral{Concerns: referral.Concerns{
		Categories: cats, Account: "An account.", ImmediateRisk: immediate, LevelOfNeed: level,
	}}
}

func TestDefaultRulesAssess(t *testing.T) {
	rs := triage.DefaultRules()
	tests := []struct {
		name    string
		f       *referral.Referral
		want    triage.Priority
		reasons []string
	}{
		// Each rule alone.
		{"immediate risk", form(boolPtr(true), 0), triage.Red, []string{reasonImmediate}},
		{"sexual abuse", form(nil, 0, referral.CategorySexualAbuse), triage.Red, []string{reasonSexualAbuse}},
		{"unborn baby with domestic abuse", form(nil, 0, referral.CategoryUnbornBaby, referral.CategoryDomesticAbuse), triage.Red, []string{reasonUnbornDA}},
		{"domestic abuse with unborn baby, other order", form(nil, 0, referral.CategoryDomesticAbuse, referral.CategoryNeglect, referral.CategoryUnbornBaby), triage.Red, []string{reasonUnbornDA}},
		{"level 4", form(nil, referral.NeedChildProtection), triage.Red, []string{reasonLevel4}},
		{"level 3", form(nil, referral.NeedChildInNeed), triage.Amber, []string{reasonLevel3}},
		{"child sexual exploitation", form(nil, 0, referral.CategoryChildSexualExploitation), triage.Amber, []string{reasonExploit}},
		{"child criminal exploitation", form(nil, 0, referral.CategoryChildCriminalExploitation), triage.Amber, []string{reasonExploit}},
		{"both exploitations are one rule, one reason", form(nil, 0, referral.CategoryChildSexualExploitation, referral.CategoryChildCriminalExploitation), triage.Amber, []string{reasonExploit}},
		{"missing", form(nil, 0, referral.CategoryMissing), triage.Amber, []string{reasonMissing}},

		// Nothing matches.
		{"nothing at all", form(nil, 0), triage.Green, []string{reasonOtherwise}},
		{"unborn baby alone", form(nil, 0, referral.CategoryUnbornBaby), triage.Green, []string{reasonOtherwise}},
		{"domestic abuse alone", form(nil, 0, referral.CategoryDomesticAbuse), triage.Green, []string{reasonOtherwise}},
		{"immediate risk false", form(boolPtr(false), 0), triage.Green, []string{reasonOtherwise}},
		{"immediate risk not answered", form(nil, referral.NeedEarlyHelp, referral.CategoryNeglect), triage.Green, []string{reasonOtherwise}},
		{"level 1", form(boolPtr(false), referral.NeedUniversal), triage.Green, []string{reasonOtherwise}},
		{"level 2 with other categories", form(boolPtr(false), referral.NeedEarlyHelp, referral.CategoryNeglect, referral.CategoryPhysicalAbuse, referral.CategoryFGM), triage.Green, []string{reasonOtherwise}},

		// Highest priority wins, with every matching rule of that priority, in rule order.
		{"every red rule", form(boolPtr(true), referral.NeedChildProtection, referral.CategoryMissing, referral.CategoryDomesticAbuse, referral.CategoryChildSexualExploitation, referral.CategoryUnbornBaby, referral.CategorySexualAbuse),
			triage.Red, []string{reasonImmediate, reasonSexualAbuse, reasonUnbornDA, reasonLevel4}},
		{"red beats amber, no amber reasons", form(nil, referral.NeedChildInNeed, referral.CategoryMissing, referral.CategorySexualAbuse), triage.Red, []string{reasonSexualAbuse}},
		{"level 4 is also at least 3, only the red reason", form(nil, referral.NeedChildProtection, referral.CategoryMissing), triage.Red, []string{reasonLevel4}},
		{"immediate risk after ambers", form(boolPtr(true), referral.NeedChildInNeed, referral.CategoryMissing, referral.CategoryChildCriminalExploitation), triage.Red, []string{reasonImmediate}},
		{"every amber rule", form(boolPtr(false), referral.NeedChildInNeed, referral.CategoryMissing, referral.CategoryChildCriminalExploitation, referral.CategoryUnbornBaby), triage.Amber, []string{reasonLevel3, reasonExploit, reasonMissing}},
		{"immediate risk false does not lift amber", form(boolPtr(false), 0, referral.CategoryMissing, referral.CategoryDomesticAbuse), triage.Amber, []string{reasonMissing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rs.Assess(tt.f)
			if got.Priority != tt.want {
				t.Errorf("Priority = %s, want %s", got.Priority, tt.want)
			}
			if !slices.Equal(got.Reasons, tt.reasons) {
				t.Errorf("Reasons = %q, want %q", got.Reasons, tt.reasons)
			}
			if got.RulesVersion != defaultVersion {
				t.Errorf("RulesVersion = %q, want %q", got.RulesVersion, defaultVersion)
			}
		})
	}
}

func TestDefaultRulesClocks(t *testing.T) {
	rs := triage.DefaultRules()
	if rs.Clocks.ScreeningWorkingDays != 1 {
		t.Errorf("ScreeningWorkingDays = %d, want 1", rs.Clocks.ScreeningWorkingDays)
	}
	want := map[triage.Priority]triage.Limit{
		triage.Red:   {Hours: 4},
		triage.Amber: {WorkingDays: 1},
		triage.Green: {WorkingDays: 3},
	}
	if len(rs.Clocks.Priority) != len(want) {
		t.Errorf("clocks for %d priorities, want %d", len(rs.Clocks.Priority), len(want))
	}
	for p, l := range want {
		if got := rs.Clocks.Priority[p]; got != l {
			t.Errorf("clock %s = %+v, want %+v", p, got, l)
		}
	}
}

// validRules is a small valid rules file, as a JSON object to mutate.
const validRules = `{
  "version": "test-1",
  "clocks": {
    "screeningWorkingDays": 1,
    "priority": {"RED": {"hours": 4}, "AMBER": {"workingDays": 1}, "GREEN": {"workingDays": 3}}
  },
  "rules": [
    {"priority": "RED", "reason": "Immediate risk.", "when": {"immediateRisk": true}},
    {"priority": "AMBER", "reason": "Missing.", "when": {"anyCategory": ["missing"]}}
  ],
  "otherwise": {"priority": "GREEN", "reason": "Nothing else."}
}`

// mutate decodes validRules, lets change edit it and encodes it again.
func mutate(t *testing.T, change func(m map[string]any)) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(validRules), &m); err != nil {
		t.Fatal(err)
	}
	change(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func rule(m map[string]any, i int) map[string]any { return m["rules"].([]any)[i].(map[string]any) }
func clockPriorities(m map[string]any) map[string]any {
	return m["clocks"].(map[string]any)["priority"].(map[string]any)
}

func TestParseRulesValidBase(t *testing.T) {
	rs, err := triage.ParseRules(strings.NewReader(validRules))
	if err != nil {
		t.Fatalf("ParseRules(valid) = %v", err)
	}
	if rs.Version != "test-1" || len(rs.Rules) != 2 {
		t.Errorf("got version %q with %d rules, want test-1 with 2", rs.Version, len(rs.Rules))
	}
}

func TestParseRulesRejects(t *testing.T) {
	tests := []struct {
		name    string
		doc     func(t *testing.T) string
		wantErr string
	}{
		{"unknown top-level field", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { m["extra"] = 1 })
		}, "unknown field"},
		{"unknown condition field", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { rule(m, 1)["when"] = map[string]any{"anyCategorie": []string{"missing"}} })
		}, "unknown field"},
		{"not JSON", func(*testing.T) string { return "{" }, "read priority rules"},
		{"no version", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { delete(m, "version") })
		}, "no version"},
		{"empty version", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { m["version"] = "" })
		}, "no version"},
		{"bad priority", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { rule(m, 0)["priority"] = "PURPLE" })
		}, `rule 0: priority "PURPLE" is not RED, AMBER or GREEN`},
		{"lower-case priority", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { rule(m, 1)["priority"] = "amber" })
		}, `rule 1: priority "amber"`},
		{"empty reason", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { rule(m, 1)["reason"] = "" })
		}, "rule 1: no reason"},
		{"empty condition", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { rule(m, 0)["when"] = map[string]any{} })
		}, "rule 0: no condition"},
		{"no condition at all", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { delete(rule(m, 1), "when") })
		}, "rule 1: no condition"},
		{"unknown category in anyCategory", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) {
				rule(m, 1)["when"] = map[string]any{"anyCategory": []string{"missing", "bullying"}}
			})
		}, `rule 1: "bullying" is not a category of concern`},
		{"unknown category in allCategories", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { rule(m, 0)["when"] = map[string]any{"allCategories": []string{"Neglect"}} })
		}, `rule 0: "Neglect" is not a category of concern`},
		{"level 5", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { rule(m, 0)["when"] = map[string]any{"levelOfNeedAtLeast": 5} })
		}, "rule 0: level of need 5 is not 1 to 4"},
		{"level -1", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { rule(m, 0)["when"] = map[string]any{"levelOfNeedAtLeast": -1} })
		}, "rule 0: level of need -1 is not 1 to 4"},
		{"missing otherwise", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { delete(m, "otherwise") })
		}, "otherwise needs a priority"},
		{"otherwise without reason", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { m["otherwise"] = map[string]any{"priority": "GREEN"} })
		}, "otherwise needs a priority"},
		{"otherwise with bad priority", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { m["otherwise"] = map[string]any{"priority": "BLUE", "reason": "x"} })
		}, "otherwise needs a priority"},
		{"clocks missing a priority", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { delete(clockPriorities(m), "GREEN") })
		}, "clocks: priority GREEN needs exactly one of hours or workingDays"},
		{"clocks with both hours and workingDays", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { clockPriorities(m)["RED"] = map[string]any{"hours": 4, "workingDays": 1} })
		}, "clocks: priority RED needs exactly one of hours or workingDays"},
		{"clock with neither", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { clockPriorities(m)["AMBER"] = map[string]any{} })
		}, "clocks: priority AMBER needs exactly one"},
		{"clock with negative hours", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { clockPriorities(m)["RED"] = map[string]any{"hours": -4} })
		}, "clocks: priority RED needs exactly one"},
		{"clock for an unknown priority", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { clockPriorities(m)["BLUE"] = map[string]any{"hours": 1} })
		}, `clocks: "BLUE" is not RED, AMBER or GREEN`},
		{"screeningWorkingDays 0", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { m["clocks"].(map[string]any)["screeningWorkingDays"] = 0 })
		}, "screeningWorkingDays must be at least 1"},
		{"screeningWorkingDays missing", func(t *testing.T) string {
			return mutate(t, func(m map[string]any) { delete(m["clocks"].(map[string]any), "screeningWorkingDays") })
		}, "screeningWorkingDays must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := triage.ParseRules(strings.NewReader(tt.doc(t)))
			if err == nil {
				t.Fatalf("ParseRules = %+v, nil error; want an error containing %q", rs, tt.wantErr)
			}
			if rs != nil {
				t.Errorf("ParseRules returned rules with an error")
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseRulesReportsEveryProblem(t *testing.T) {
	doc := mutate(t, func(m map[string]any) {
		rule(m, 0)["reason"] = ""
		rule(m, 1)["priority"] = "PINK"
		delete(m, "otherwise")
	})
	_, err := triage.ParseRules(strings.NewReader(doc))
	if err == nil {
		t.Fatal("ParseRules accepted three problems")
	}
	for _, want := range []string{"rule 0: no reason", `rule 1: priority "PINK"`, "otherwise needs"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// customRules is a new version that makes neglect AMBER and gives RED 2 hours.
const customRules = `{
  "version": "2027-04-01",
  "description": "Neglect is AMBER.",
  "clocks": {
    "screeningWorkingDays": 2,
    "priority": {"RED": {"hours": 2}, "AMBER": {"workingDays": 1}, "GREEN": {"workingDays": 5}}
  },
  "rules": [
    {"priority": "RED", "reason": "Immediate risk.", "when": {"immediateRisk": true}},
    {"priority": "AMBER", "reason": "Neglect.", "when": {"anyCategory": ["neglect"]}},
    {"priority": "AMBER", "reason": "Neglect at level 2 or more.", "when": {"anyCategory": ["neglect"], "levelOfNeedAtLeast": 2}}
  ],
  "otherwise": {"priority": "GREEN", "reason": "Routine."}
}`

func TestParseRulesCustomApplied(t *testing.T) {
	rs, err := triage.ParseRules(strings.NewReader(customRules))
	if err != nil {
		t.Fatalf("ParseRules(custom) = %v", err)
	}
	tests := []struct {
		name    string
		f       *referral.Referral
		want    triage.Priority
		reasons []string
	}{
		{"neglect is now amber", form(nil, 0, referral.CategoryNeglect), triage.Amber, []string{"Neglect."}},
		{"both conditions of a rule must hold", form(nil, referral.NeedEarlyHelp, referral.CategoryNeglect), triage.Amber, []string{"Neglect.", "Neglect at level 2 or more."}},
		{"level alone does not match a rule that also needs neglect", form(nil, referral.NeedChildProtection), triage.Green, []string{"Routine."}},
		{"sexual abuse is not a rule here", form(nil, 0, referral.CategorySexualAbuse), triage.Green, []string{"Routine."}},
		{"immediate risk", form(boolPtr(true), 0, referral.CategoryNeglect), triage.Red, []string{"Immediate risk."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rs.Assess(tt.f)
			if got.Priority != tt.want || !slices.Equal(got.Reasons, tt.reasons) || got.RulesVersion != "2027-04-01" {
				t.Errorf("Assess = %+v, want %s %q version 2027-04-01", got, tt.want, tt.reasons)
			}
		})
	}
	// The same neglect referral is GREEN under the default rules.
	if got := triage.DefaultRules().Assess(form(nil, 0, referral.CategoryNeglect)); got.Priority != triage.Green {
		t.Errorf("default Assess(neglect) = %s, want GREEN", got.Priority)
	}
}

func TestDefaultRulesFreshCopy(t *testing.T) {
	// Changing one caller's rules must not change another's.
	a := triage.DefaultRules()
	a.Rules = nil
	a.Version = "changed"
	b := triage.DefaultRules()
	if b.Version != defaultVersion || len(b.Rules) != 7 {
		t.Errorf("DefaultRules after a caller changed its copy: version %q, %d rules; want %q, 7", b.Version, len(b.Rules), defaultVersion)
	}
}

func TestParseRulesRejectsTrailingData(t *testing.T) {
	for _, tail := range []string{`{"version":"other"}`, `garbage`} {
		if _, err := triage.ParseRules(strings.NewReader(validRules + tail)); err == nil {
			t.Errorf("ParseRules accepted trailing %q", tail)
		}
	}
}
