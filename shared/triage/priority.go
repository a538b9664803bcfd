// Package triage screens a referral automatically: its MASH priority from
// rules that are configuration, not code, and the due times of its clocks.
package triage

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// Priority is the MASH priority of a referral.
type Priority string

// The priorities, most urgent first.
const (
	Red   Priority = "RED"
	Amber Priority = "AMBER"
	Green Priority = "GREEN"
)

// rank orders priorities: a lower rank is more urgent.
func (p Priority) rank() int {
	switch p {
	case Red:
		return 0
	case Amber:
		return 1
	case Green:
		return 2
	}
	return -1
}

// Condition is what a rule asks of a referral. Every condition that is set
// must hold for the rule to match.
type Condition struct {
	// ImmediateRisk matches the referrer's answer to "Is the child at immediate risk?".
	ImmediateRisk *bool `json:"immediateRisk,omitempty"`
	// AnyCategory matches when the concerns include at least one of these.
	AnyCategory []referral.Category `json:"anyCategory,omitempty"`
	// AllCategories matches when the concerns include every one of these.
	AllCategories []referral.Category `json:"allCategories,omitempty"`
	// LevelOfNeedAtLeast matches when the referrer's view of the level of need is at least this.
	LevelOfNeedAtLeast referral.LevelOfNeed `json:"levelOfNeedAtLeast,omitempty"`
}

func (c Condition) empty() bool {
	return c.ImmediateRisk == nil && len(c.AnyCategory) == 0 && len(c.AllCategories) == 0 && c.LevelOfNeedAtLeast == 0
}

func (c Condition) matches(f *referral.Referral) bool {
	if c.ImmediateRisk != nil && (f.Concerns.ImmediateRisk == nil || *f.Concerns.ImmediateRisk != *c.ImmediateRisk) {
		return false
	}
	if len(c.AnyCategory) > 0 && !slices.ContainsFunc(c.AnyCategory, f.HasCategory) {
		return false
	}
	for _, cat := range c.AllCategories {
		if !f.HasCategory(cat) {
			return false
		}
	}
	return c.LevelOfNeedAtLeast == 0 || f.Concerns.LevelOfNeed >= c.LevelOfNeedAtLeast
}

// Rule gives a priority, with its reason, to the referrals it matches.
type Rule struct {
	Priority Priority  `json:"priority"`
	Reason   string    `json:"reason"`
	When     Condition `json:"when"`
}

// Rules is a versioned set of priority rules.
type Rules struct {
	Version     string `json:"version"`
	Description string `json:"description,omitempty"`
	Clocks      Clocks `json:"clocks"`
	Rules       []Rule `json:"rules"`
	// Otherwise is the priority and reason when no rule matches.
	Otherwise struct {
		Priority Priority `json:"priority"`
		Reason   string   `json:"reason"`
	} `json:"otherwise"`
}

//go:embed rules.json
var defaultRules []byte

// DefaultRules returns the rules from the brief: RED for immediate risk, a
// disclosure of sexual abuse, an unborn baby with domestic abuse or a level-4
// view; AMBER for level 3, exploitation or missing; GREEN otherwise.
func DefaultRules() *Rules {
	rs, err := ParseRules(bytes.NewReader(defaultRules))
	if err != nil {
		panic("triage: embedded rules.json: " + err.Error())
	}
	return rs
}

// ParseRules reads and checks a rules file.
func ParseRules(r io.Reader) (*Rules, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var rs Rules
	if err := dec.Decode(&rs); err != nil {
		return nil, fmt.Errorf("read priority rules: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("read priority rules: there is more after the rules object")
	}
	var errs []error
	if rs.Version == "" {
		errs = append(errs, errors.New("the rules have no version"))
	}
	for i, rule := range rs.Rules {
		if rule.Priority.rank() < 0 {
			errs = append(errs, fmt.Errorf("rule %d: priority %q is not RED, AMBER or GREEN", i, rule.Priority))
		}
		if rule.Reason == "" {
			errs = append(errs, fmt.Errorf("rule %d: no reason", i))
		}
		if rule.When.empty() {
			errs = append(errs, fmt.Errorf("rule %d: no condition (a rule that always matches belongs in otherwise)", i))
		}
		for _, c := range slices.Concat(rule.When.AnyCategory, rule.When.AllCategories) {
			if !c.Valid() {
				errs = append(errs, fmt.Errorf("rule %d: %q is not a category of concern", i, c))
			}
		}
		if l := rule.When.LevelOfNeedAtLeast; l != 0 && !l.Valid() {
			errs = append(errs, fmt.Errorf("rule %d: level of need %d is not 1 to 4", i, l))
		}
	}
	errs = append(errs, rs.Clocks.check()...)
	if rs.Otherwise.Priority.rank() < 0 || rs.Otherwise.Reason == "" {
		errs = append(errs, errors.New("otherwise needs a priority (RED, AMBER or GREEN) and a reason"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("priority rules %q: %w", rs.Version, err)
	}
	return &rs, nil
}

// Assessment is the priority given to a referral and why.
type Assessment struct {
	Priority     Priority `json:"priority"`
	Reasons      []string `json:"reasons"`
	RulesVersion string   `json:"rulesVersion"`
}

// Assess gives a referral the highest priority of the rules it matches, with
// the reasons of every matching rule of that priority, or the Otherwise
// priority when none matches.
func (rs *Rules) Assess(f *referral.Referral) Assessment {
	a := Assessment{RulesVersion: rs.Version}
	for _, rule := range rs.Rules {
		if !rule.When.matches(f) {
			continue
		}
		switch {
		case a.Priority == "" || rule.Priority.rank() < a.Priority.rank():
			a.Priority, a.Reasons = rule.Priority, []string{rule.Reason}
		case rule.Priority == a.Priority:
			a.Reasons = append(a.Reasons, rule.Reason)
		}
	}
	if a.Priority == "" {
		a.Priority, a.Reasons = rs.Otherwise.Priority, []string{rs.Otherwise.Reason}
	}
	return a
}
