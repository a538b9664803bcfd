package browser

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeTags are the axe-core rule tags that Axe runs: WCAG 2.0, 2.1 and 2.2,
// levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// Violation is one axe-core rule that the page fails.
type Violation struct {
	ID      string   `json:"id"`      // the rule, such as "label"
	Impact  string   `json:"impact"`  // "minor", "moderate", "serious" or "critical"
	Help    string   `json:"help"`    // what the rule asks for, in a sentence
	HelpURL string   `json:"helpUrl"` // the rule's documentation
	Nodes   []string `json:"nodes"`   // each failing element: its CSS selector, then its HTML
}

// axeRun is the expression that runs axe-core on the document and gives its
// violations as Violations.
var axeRun = fmt.Sprintf(`axe.run(document, {
	runOnly: {type: "tag", values: %s},
	resultTypes: ["violations"],
}).then(r => r.violations.map(v => ({
	id: v.id,
	impact: v.impact || "",
	help: v.help,
	helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => n.target.flat().join(" ") + " " + n.html),
})))`, jsArray(axeTags))

// Axe runs axe-core's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA
// (the tags wcag2a, wcag2aa, wcag21a, wcag21aa and wcag22aa) on the page as it
// is now, and returns the rules it fails; the rules axe-core cannot decide
// are left out.
//
// axe-core's source is evaluated in the page through the DevTools protocol,
// which the page's Content-Security-Policy does not govern, so the policy
// stays as it is. With JavaScript off, script execution is turned on for the
// run only (axe-core waits on timers, which do not fire otherwise) and off
// again before Axe returns; the page's own scripts do not run.
func (b *Browser) Axe() (violations []Violation, err error) {
	ctx, cancel := context.WithTimeout(b.ctx, b.opts.Timeout)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe === "object" && typeof axe.run === "function"`))
	if err != nil {
		return nil, fmt.Errorf("axe-core: looking for it in the page: %w", err)
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](b.axe)); err != nil {
			return nil, fmt.Errorf("axe-core: loading it into the page: %w", err)
		}
	}
	if !b.opts.JS {
		if err := chromedp.Do(ctx, setScripts(true)); err != nil {
			return nil, fmt.Errorf("axe-core: turning script execution on for the run: %w", err)
		}
		defer func() {
			// A fresh context: the run's can have timed out.
			off, cancel := context.WithTimeout(b.ctx, 10*time.Second)
			defer cancel()
			if offErr := chromedp.Do(off, setScripts(false)); offErr != nil {
				violations = nil
				err = errors.Join(err, fmt.Errorf("axe-core: turning script execution off again: %w", offErr))
			}
		}()
	}
	violations, err = chromedp.Run(ctx, chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe-core: running it: %w", err)
	}
	return violations, nil
}

// CheckAxe runs [Browser.Axe] and reports each violation, with the page's
// name, as an error of the test.
func (b *Browser) CheckAxe(t testing.TB, name string) {
	t.Helper()
	violations, err := b.Axe()
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if len(violations) == 0 {
		return
	}
	var msg strings.Builder
	fmt.Fprintf(&msg, "%s: %d accessibility rule(s) failed (axe-core, WCAG 2.2 AA):", name, len(violations))
	for _, v := range violations {
		fmt.Fprintf(&msg, "\n  %s [%s]: %s (%s)", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&msg, "\n    %s", n)
		}
	}
	t.Error(msg.String())
}

// jsArray is ss as a JavaScript array of strings.
func jsArray(ss []string) string {
	quoted := make([]string, len(ss))
	for i, s := range ss {
		quoted[i] = jsString(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
