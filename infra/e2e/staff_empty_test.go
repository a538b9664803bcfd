package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/csc-frontdoor/frontdoor/infra/browser"
	"github.com/csc-frontdoor/frontdoor/infra/provision"
	"github.com/csc-frontdoor/frontdoor/infra/samevents"
	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/escalation"
	"github.com/csc-frontdoor/frontdoor/shared/followup/worklist"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/openid"
	"github.com/csc-frontdoor/frontdoor/shared/queue"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
	"github.com/csc-frontdoor/frontdoor/shared/stats"
	"github.com/csc-frontdoor/frontdoor/shared/triage"
	"github.com/csc-frontdoor/frontdoor/shared/web"
	"github.com/csc-frontdoor/frontdoor/shared/web/text"
)

// approvingProvider stands in for the identity provider on pages served
// outside the stack, whose local provider accepts only its own API as a
// redirect: it signs in at once whoever it is set to.
type approvingProvider struct{ who auth.Principal }

func (a *approvingProvider) AuthURL(_ context.Context, redirect, state, _, _ string) (string, error) {
	return redirect + "?state=" + state + "&code=approved", nil
}

func (a *approvingProvider) Issuer() string { return "https://approving.example" }

func (a *approvingProvider) Exchange(context.Context, string, string, string, string) (auth.Principal, error) {
	return a.who, nil
}

// emptyPages serves the pages, wired as functions/web wires them, over a
// table of their own in the stack's DynamoDB Local that nothing else
// writes to: every list on them is empty.
func emptyPages(t *testing.T, who auth.Principal) string {
	t.Helper()
	tpl, err := samtemplate.Load(filepath.Join("..", "..", "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("frontdoor-e2e-empty-%d", time.Now().UnixNano())
	for _, tb := range tpl.Tables {
		if tb.LogicalID == "FrontDoorTable" {
			if err := provision.Table(t.Context(), env.ddb, name, tb); err != nil {
				t.Fatal(err)
			}
		}
	}
	store := dynamo.New(env.ddb, name)
	rules, cal := triage.DefaultRules(), calendar.EnglandAndWales()
	mash := casework.New(store, time.Now)
	referrals := intake.New(store, queue.NewSender(env.sqs, env.queue), time.Now)
	pages, err := web.New(web.Config{
		Drafts: store, Referrals: referrals, Referrers: referrer.New(store, time.Now), HubPhone: samevents.LocalHubPhone,
		Casework: mash, Decisions: decision.New(store, time.Now), Helpline: helpline.NewService(store, referrals, time.Now),
		Figures: stats.NewService(store, time.Now), Worklist: worklist.New(store, referrals, time.Now),
		Escalations: escalation.New(store, time.Now), Trails: mash,
		Sessions: store, SignIn: &approvingProvider{who: who}, NewVerifier: openid.NewVerifier,
		ScreeningDue: func(received time.Time) time.Time { return rules.ScreeningDue(received, cal) },
		Now:          time.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(pages)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestStaffPagesEmptyInTheBrowser meets every staff list empty, with
// JavaScript off and on, as someone holding every staff role: the triage
// queue (and filtered), the follow-ups, the adviser's calls, the
// escalations and the figures of a period with no referral. Each passes
// axe-core and says that there is nothing, rather than showing an empty
// table.
func TestStaffPagesEmptyInTheBrowser(t *testing.T) {
	base := emptyPages(t, auth.Principal{Subject: "empty-e2e",
		Roles: []auth.Role{auth.MASH, auth.MASHManager, auth.Helpline, auth.ProviderRHI, auth.ProviderAA}})
	pages := []struct{ name, path, says string }{
		{"staff-home", "/staff", "empty-e2e"},
		{"queue-empty", "/staff/queue", "queue.empty"},
		{"queue-filtered-empty", "/staff/queue?priority=RED&overdue=true", "queue.empty"},
		{"follow-ups-empty", "/staff/follow-ups", "followUps.none"},
		{"calls-empty", "/staff/calls", "calls.none"},
		{"escalations-empty", "/staff/escalations", "escalations.none"},
		{"figures-empty", "/staff/figures", "figures.reReferrals.none"},
	}
	cat, err := text.Load("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range modes[:2] {
		t.Run(m.name, func(t *testing.T) {
			v := newVisitor(t, mode{"empty-" + m.name, m.js, m.width})
			v.base = base
			v.must(v.b.Navigate(base + "/staff"))
			if p := v.path(); p != "/staff" {
				t.Fatalf("signed in, then on %s", p)
			}
			for _, p := range pages {
				v.must(v.b.Navigate(base + p.path))
				path, _, _ := strings.Cut(p.path, "?")
				v.seen(p.name, path, http.StatusOK)
				html, err := v.b.HTML()
				v.must(err)
				if empty, err := browser.Result(v.b, chromedp.Evaluate[int](`[...document.querySelectorAll("main tbody")].filter(b => b.rows.length === 0).length`)); err != nil || empty > 0 {
					t.Errorf("%s: %d empty tables (%v)", p.name, empty, err)
				}
				want := p.says
				if cat.Has(want) {
					want = cat.T(want)
				}
				if !strings.Contains(html, want) {
					t.Errorf("%s: does not say %q", p.name, want)
				}
			}
		})
	}
}
