package e2e

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/chromedp/chromedp"

	"github.com/csc-frontdoor/frontdoor/infra/browser"
	"github.com/csc-frontdoor/frontdoor/infra/localauth"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
)

// TestStaffSignInInTheBrowser signs in to the staff pages through the
// local OpenID Connect provider, exactly the code path used in AWS, with
// JavaScript off and on: a visit to a staff page goes to sign in and comes
// back; the page shows who signed in with which role; after signing out,
// the back button shows nothing of the session.
func TestStaffSignInInTheBrowser(t *testing.T) {
	for _, m := range modes[:2] {
		t.Run(m.name, func(t *testing.T) {
			v := newVisitor(t, mode{"staff-" + m.name, m.js, m.width})
			v.must(v.b.Navigate(v.base + "/staff"))
			if p := v.path(); p != localauth.IssuerPath+"/authorize" {
				t.Fatalf("a signed-out visit went to %s, not to sign in", p)
			}
			v.seen("sign-in", localauth.IssuerPath+"/authorize", 200)
			v.fill("user", "screener-e2e")
			v.must(v.b.Check(`input[name="role"][value="mash"]`))
			v.press("Sign in")
			v.seen("staff-home", "/staff", 200)
			html, err := v.b.HTML()
			v.must(err)
			if !strings.Contains(html, "screener-e2e") || !strings.Contains(html, "MASH screener") {
				t.Errorf("the staff home does not say who signed in:\n%s", html)
			}
			v.press("Sign out")
			v.seen("signed-out", "/staff/signed-out", 200)
			v.must(v.b.Back())
			if !m.js {
				// Without JavaScript, Chromium brings the no-store page back
				// whole from its back-forward cache: nothing the server sends
				// evicts it (Clear-Site-Data included). It is inert: asked for
				// again, it is the sign-in page.
				v.must(v.b.Run(chromedp.Reload()))
			}
			if p := v.path(); p != localauth.IssuerPath+"/authorize" {
				t.Errorf("after signing out, the back button shows %s, not sign-in", p)
			}
			html, err = v.b.HTML()
			v.must(err)
			if strings.Contains(html, "screener-e2e") {
				t.Errorf("after signing out, the back button shows the session")
			}
		})
	}
}

// signInAs signs the visitor in through the local provider as user with
// roles, from a visit to path, and checks they come back to it.
func (v *visitor) signInAs(path, user string, roles ...string) {
	v.t.Helper()
	v.must(v.b.Navigate(v.base + path))
	v.fill("user", user)
	for _, r := range roles {
		v.must(v.b.Check(fmt.Sprintf(`input[name="role"][value=%q]`, r)))
	}
	v.press("Sign in")
	if p := v.path(); p != path {
		v.t.Fatalf("signed in, then on %s, not %s", p, path)
	}
}

// TestScreenerDecidesInTheBrowser: a screener signs in, reads the triage
// queue, opens a referral sent through the partners' pages, makes an error
// on the decision form and corrects it, and records the decision; with
// JavaScript on, a second screener corrects it, and a form opened before
// another decision was recorded says what changed. The decisions are those
// the API reads.
func TestScreenerDecidesInTheBrowser(t *testing.T) {
	marker := fmt.Sprintf("screener-%d", time.Now().UnixNano())
	p := fillReferral(t, marker)
	p.post(url.Values{})
	p.want("/refer/confirmation", 200)
	found := scanIDs(t, "#type = :type AND contains(form.concerns.account, :v)", "referral", marker)
	if len(found) != 1 {
		t.Fatalf("%d referrals stored", len(found))
	}
	id := found[0]
	waitFor(t, id, triaged)
	page := "/staff/referrals/" + id

	for _, m := range modes[:2] {
		t.Run(m.name, func(t *testing.T) {
			v := newVisitor(t, mode{"screener-" + m.name, m.js, m.width})
			v.signInAs("/staff/queue", "screener-"+m.name, "mash")
			v.seen("queue", "/staff/queue", 200)
			v.must(v.b.Check(`input[name="priority"][value="RED"]`))
			v.press("Apply filters")
			v.seen("queue-red", "/staff/queue", 200)
			v.must(v.b.Navigate(v.base + page))
			v.seen("referral", page, 200)
			html, err := v.b.HTML()
			v.must(err)
			if !strings.Contains(html, marker) || !strings.Contains(html, "Lee") {
				t.Fatalf("the referral page does not show the referral")
			}
			v.must(v.b.ClickAndWait(`a.govuk-button[href$="/decision"]`))
			v.seen("decision", page+"/decision", 200)
			v.press("Record decision")
			v.seen("decision-errors", page+"/decision", http.StatusUnprocessableEntity)
			v.choose("outcome", "early-help")
			v.fill("adviceGiven-early-help", "Referred to the family support team.")
			v.fill("rationale", "Needs can be met by early help: no evidence of significant harm. "+m.name)
			v.choose("levelOfNeed", "2")
			v.choose("referrerInformed", "yes")
			v.press("Record decision")
			v.seen("decided", page, 200)
			if html, _ := v.b.HTML(); !strings.Contains(html, "The decision has been recorded") {
				t.Error("no banner after the decision")
			}
		})
	}
	_, body := getAs(t, "/referrals/"+id, auth.MASH)
	got := decode[struct {
		Decisions []struct {
			Outcome, Rationale, DecidedBy, AdviceGiven, SupersededBy string
		} `json:"decisions"`
	}](t, body)
	if len(got.Decisions) != 2 || got.Decisions[0].DecidedBy != "screener-no-js" || got.Decisions[1].DecidedBy != "screener-js" ||
		got.Decisions[0].SupersededBy == "" || got.Decisions[1].Outcome != "early-help" || got.Decisions[1].AdviceGiven != "Referred to the family support team." {
		t.Errorf("decisions through the API: %+v", got.Decisions)
	}

	// A form opened, then another decision recorded, then the form sent.
	v := newVisitor(t, mode{"screener-stale", true, 1024})
	v.signInAs(page+"/decision", "screener-stale", "mash")
	_, body = getAs(t, "/referrals/"+id, auth.MASH)
	cur := decode[struct {
		Version   int `json:"version"`
		Decisions []struct {
			ID, SupersededBy string
		} `json:"decisions"`
	}](t, body)
	last := cur.Decisions[len(cur.Decisions)-1].ID
	resp, b := postAs(t, "/referrals/"+id+"/decisions", decisionBody(cur.Version, "child-in-need-assessment", fmt.Sprintf(`, "primaryNeed": "N1", "supersedes": %q`, last)), auth.MASH)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("the other decision: %d %s", resp.StatusCode, b)
	}
	v.choose("outcome", "no-further-action")
	v.fill("adviceGiven-no-further-action", "Advice given to the school.")
	v.fill("rationale", "No concerns once the school spoke to the family.")
	v.choose("levelOfNeed", "1")
	v.choose("referrerInformed", "yes")
	v.press("Record decision")
	v.seen("decision-stale", page+"/decision", http.StatusConflict)
	html, err := v.b.HTML()
	v.must(err)
	if !strings.Contains(html, "This referral changed since you opened it") || !strings.Contains(html, "Child in need assessment") ||
		!strings.Contains(html, "No concerns once the school spoke") {
		t.Errorf("the stale form does not say what changed, or lost the answers:\n%s", html)
	}

	// Signed out, the back button brings back nothing of the referral.
	v.must(v.b.Navigate(v.base + page))
	v.seen("referral-before-sign-out", page, 200)
	html, err = v.b.HTML()
	v.must(err)
	if !strings.Contains(html, marker) {
		t.Fatalf("the referral's page does not show its account:\n%s", html)
	}
	v.press("Sign out")
	v.seen("signed-out", "/staff/signed-out", 200)
	v.must(v.b.Back())
	html, err = v.b.HTML()
	v.must(err)
	if strings.Contains(html, marker) || strings.Contains(html, "Lee has cuts") {
		t.Errorf("after signing out, the back button shows the referral (on %s)", v.path())
	}
}

// TestAdviserLogsACallInTheBrowser: a helpline adviser signs in, logs an
// anonymous call (one error made and corrected) and finds it among their
// calls; the call is what the API lists.
func TestAdviserLogsACallInTheBrowser(t *testing.T) {
	for _, m := range modes[:2] {
		t.Run(m.name, func(t *testing.T) {
			user := "adviser-" + m.name + "-" + time.Now().Format("150405.000")
			v := newVisitor(t, mode{"adviser-" + m.name, m.js, m.width})
			v.signInAs("/staff/calls", user, "helpline")
			v.seen("calls-none", "/staff/calls", 200)
			v.must(v.b.ClickAndWait(`a.govuk-button[href="/staff/calls/new"]`))
			v.seen("call", "/staff/calls/new", 200)
			v.fill("durationMinutes", "12")
			v.choose("callerType", "parent")
			v.choose("anonymous", "yes")
			v.must(v.b.Check(`input[name="childAgeBands"][value="5-10"]`))
			v.must(v.b.Check(`input[name="topics"][value="sleep"]`))
			v.choose("safeguardingConcern", "no")
			v.choose("followUpCallAgreed", "no")
			// No advice recorded: the service's rule.
			v.press("Log call")
			v.seen("call-error", "/staff/calls/new", http.StatusUnprocessableEntity)
			v.fill("adviceGiven", "Talked through a bedtime routine. "+user)
			v.press("Log call")
			v.seen("calls", "/staff/calls", 200)
			html, err := v.b.HTML()
			v.must(err)
			if !strings.Contains(html, "The call is logged") || !strings.Contains(html, "Sleep") || !strings.Contains(html, "anonymous") {
				t.Errorf("the call is not listed:\n%s", html)
			}
			_, body := getAs(t, "/helpline-calls", auth.Helpline)
			if !strings.Contains(string(body), "Talked through a bedtime routine. "+user) {
				t.Error("the API does not list the call")
			}
		})
	}
}

// TestManagerReadsTheFiguresInTheBrowser: the manager signs in and reads
// the figures for a period, as charts whose tables are the figures of
// GET /stats; a date that is not a date is an error on its field.
func TestManagerReadsTheFiguresInTheBrowser(t *testing.T) {
	now := time.Now().In(calendar.London())
	from := now.AddDate(0, 0, -7)
	for _, m := range modes[:2] {
		t.Run(m.name, func(t *testing.T) {
			v := newVisitor(t, mode{"manager-" + m.name, m.js, m.width})
			v.signInAs("/staff/figures", "manager-"+m.name, "mash-manager")
			v.seen("figures", "/staff/figures", 200)
			v.fill("from-day", "31", "from-month", "2", "from-year", "2026")
			v.press("Show figures")
			v.seen("figures-error", "/staff/figures", http.StatusUnprocessableEntity)
			v.fill("from-day", fmt.Sprint(from.Day()), "from-month", fmt.Sprint(int(from.Month())), "from-year", fmt.Sprint(from.Year()),
				"to-day", fmt.Sprint(now.Day()), "to-month", fmt.Sprint(int(now.Month())), "to-year", fmt.Sprint(now.Year()))
			v.press("Show figures")
			v.seen("figures-period", "/staff/figures", 200)
			_, body := getAs(t, "/stats?from="+from.Format(time.DateOnly)+"&to="+now.Format(time.DateOnly), auth.MASHManager)
			want := decode[struct {
				Received  int            `json:"referralsReceived"`
				ReRefs    int            `json:"reReferrals"`
				BySource  map[string]int `json:"referralsBySource"`
				ByWeek    map[string]int `json:"referralsByWeek"`
				Rate      *float64       `json:"reReferralRate"`
				OnTime    *float64       `json:"shareDecidedWithinOneWorkingDay"`
				RHIOnTime *float64       `json:"shareReturnHomeInterviewsCompletedWithin72h"`
				Median    *float64       `json:"appropriateAdultMedianMinutesToArrival"`
				P90       *float64       `json:"appropriateAdult90thPercentileMinutesToArrival"`
				Overdue   map[string]int `json:"overdue"`
			}](t, body)
			// Each chart's table holds the figures of GET /stats.
			tables, err := browser.Result(v.b, chromedp.Evaluate[map[string][][]string](`Object.fromEntries([...document.querySelectorAll("main table")].map(t =>
				[t.caption.textContent.trim(), [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent.trim()))]))`))
			v.must(err)
			counts := func(caption string) []int {
				var out []int
				for _, row := range tables[caption] {
					if row[0] == "None" {
						continue
					}
					var n int
					fmt.Sscan(row[len(row)-1], &n)
					out = append(out, n)
				}
				slices.Sort(out)
				return out
			}
			values := func(m map[string]int) []int {
				out := slices.Sorted(maps.Values(m))
				if len(out) == 0 {
					return nil
				}
				return out
			}
			shown := func(f *float64, format string) string {
				if f == nil {
					return "none"
				}
				return fmt.Sprintf(format, *f)
			}
			percent := func(f *float64) string {
				if f == nil {
					return "none"
				}
				return fmt.Sprintf("%.1f%%", *f*100)
			}
			cell := func(caption, row string) string {
				for _, r := range tables[caption] {
					if r[0] == row {
						return r[1]
					}
				}
				return "(no row)"
			}
			for _, c := range []struct {
				what      string
				got, want any
			}{
				{"referrals by week", counts("Referrals by week: the figures"), values(want.ByWeek)},
				{"referrals by source", counts("Referrals by source: the figures"), values(want.BySource)},
				{"overdue by type", counts("Overdue, by type: the figures"), values(want.Overdue)},
				{"re-referral rate", cell("Re-referrals within 12 months: the figures", "This period"), percent(want.Rate)},
				{"decisions on time", cell("Decisions and return home interviews on time: the figures", "Screening decisions within one working day"), percent(want.OnTime)},
				{"interviews on time", cell("Decisions and return home interviews on time: the figures", "Return home interviews within 72 hours"), percent(want.RHIOnTime)},
				{"median arrival", cell("Appropriate adults: time to arrival: the figures", "Median"), shown(want.Median, "%.0f min")},
				{"90th percentile arrival", cell("Appropriate adults: time to arrival: the figures", "90th percentile"), shown(want.P90, "%.0f min")},
			} {
				if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
					t.Errorf("%s: the table shows %v, GET /stats %v", c.what, c.got, c.want)
				}
			}
			text, err := v.b.Text("main")
			v.must(err)
			received := fmt.Sprintf("%d referrals received", want.Received)
			if want.Received == 1 {
				received = "1 referral received"
			}
			reReferrals := fmt.Sprintf("(%d) were re-referrals", want.ReRefs)
			if want.Received == 0 {
				reReferrals = "No referrals were received in this period"
			}
			if !strings.Contains(text, received) || !strings.Contains(text, reReferrals) {
				t.Errorf("the figures' words are not those of GET /stats (%d received, %d re-referrals):\n%s", want.Received, want.ReRefs, text)
			}
			// Every chart has its table; one with nothing to draw only its
			// table and words.
			if n, err := browser.Result(v.b, chromedp.Evaluate[int](`document.querySelectorAll("main table").length`)); err != nil || n != 6 {
				t.Errorf("%d tables, %v; want one for each of the 6 charts", n, err)
			}
			if n, err := browser.Result(v.b, chromedp.Evaluate[int](`document.querySelectorAll("main svg[role=img]").length`)); err != nil || (want.Received > 0 && n < 1) {
				t.Errorf("%d charts drawn for %d referrals, %v", n, want.Received, err)
			}
			// The census download: a row for each referral of the period,
			// as many as GET /stats counts, and no names.
			name, content, err := v.b.Download(`a[href^="/staff/figures/census.csv"]`)
			v.must(err)
			if wantName := "referrals-" + from.Format(time.DateOnly) + "-to-" + now.Format(time.DateOnly) + ".csv"; name != wantName {
				t.Errorf("the census downloads as %q, want %q", name, wantName)
			}
			rows, err := csv.NewReader(bytes.NewReader(content)).ReadAll()
			v.must(err)
			if len(rows) == 0 || !slices.Equal(rows[0], []string{"ReferralDate", "ReferralSource", "ReReferral", "ReferralNFA", "PrimaryNeedCode"}) {
				t.Fatalf("the census's header: %v", rows)
			}
			if len(rows)-1 != want.Received {
				t.Errorf("the census has %d referrals, GET /stats counts %d received", len(rows)-1, want.Received)
			}
			if bytes.Contains(content, []byte("Test")) {
				t.Errorf("a name in the census:\n%s", content)
			}
		})
	}
}

// TestProviderCompletesAnInterviewInTheBrowser: a return home interview
// provider signs in, finds the interview the front door started for a
// child back from a missing episode, accepts it, makes an error completing
// it and corrects it; the interview found a new referral is needed, which
// the provider makes on the next page (an error made and corrected there
// too). The follow-up is completed as the API reads it, and the new
// referral, its origin this follow-up, is triaged.
func TestProviderCompletesAnInterviewInTheBrowser(t *testing.T) {
	r := submit(t, "missing-episode.json")
	got := waitFor(t, r.ID, func(v view) bool { return len(v.FollowUps) > 0 })
	var id string
	for _, f := range got.FollowUps {
		if f.Kind == "RETURN_HOME_INTERVIEW" {
			id = f.ID
		}
	}
	if id == "" {
		t.Fatalf("no return home interview for %s: %+v", r.ID, got.FollowUps)
	}
	page := "/staff/follow-ups/" + id
	v := newVisitor(t, mode{"provider-js", true, 1024})
	v.signInAs("/staff/follow-ups", "rhi-worker-1", "provider-rhi")
	v.seen("follow-ups", "/staff/follow-ups", 200)
	// Most urgent first: the interview just started may be on a later page.
	for range 20 {
		here, err := browser.Result(v.b, chromedp.Evaluate[bool](`document.querySelector('a.govuk-link[href="`+page+`"]') !== null`))
		v.must(err)
		if here {
			break
		}
		v.must(v.b.ClickAndWait(`a.govuk-pagination__link[rel="next"]`))
	}
	v.must(v.b.ClickAndWait(`a.govuk-link[href="` + page + `"]`))
	v.seen("follow-up", page, 200)
	v.press("Accept")
	v.seen("follow-up-accepted", page, 200)
	now := time.Now().In(calendar.London()).Add(-time.Hour)
	v.fill("returnHomeInterview-interviewedAt-day", fmt.Sprint(now.Day()), "returnHomeInterview-interviewedAt-month", fmt.Sprint(int(now.Month())),
		"returnHomeInterview-interviewedAt-year", fmt.Sprint(now.Year()), "returnHomeInterview-interviewedAt-time", now.Format("15:04"))
	v.choose("returnHomeInterview-method", "IN_PERSON")
	v.fill("returnHomeInterview-pushFactors", "Arguments at home.", "returnHomeInterview-pullFactors", "Friends in town.",
		"returnHomeInterview-whereChildWas", "At a friend's house.")
	v.choose("returnHomeInterview-harmSuffered", "no")
	v.choose("returnHomeInterview-exploitationSigns", "yes")
	v.choose("returnHomeInterview-newReferralNeeded", "yes")
	// Who the child was with, and the signs of exploitation, left out: the
	// service's rules.
	v.press("Complete")
	v.seen("follow-up-error", page, http.StatusUnprocessableEntity)
	for _, href := range []string{"#returnHomeInterview-withWhom", "#returnHomeInterview-exploitationDetails"} {
		v.want(`document.querySelector('.govuk-error-summary a[href="` + href + `"]') !== null`)
	}
	v.fill("returnHomeInterview-withWhom", "A school friend.", "returnHomeInterview-exploitationDetails", "A new phone he will not explain.")
	v.press("Complete")

	// The new referral, on its own page; the level of need left out.
	v.seen("new-referral", page, 200)
	v.fill("returnHomeInterview-newReferral-referrer-name", "Rhi Worker", "returnHomeInterview-newReferral-referrer-role", "Return home interviewer",
		"returnHomeInterview-newReferral-referrer-organisation", "Return Home Service", "returnHomeInterview-newReferral-referrer-email", "rhi.worker@example.org",
		"returnHomeInterview-newReferral-referrer-phone", "0161 496 0123",
		"returnHomeInterview-newReferral-concerns-account", "Signs of criminal exploitation found at the return home interview.")
	v.choose("returnHomeInterview-newReferral-referrer-agencyType", "voluntary-sector")
	v.choose("returnHomeInterview-newReferral-referrer-regulatedProfessional", "no")
	v.choose("returnHomeInterview-newReferral-consent-familyAware", "yes")
	v.choose("returnHomeInterview-newReferral-consent-familyConsents", "yes")
	v.choose("returnHomeInterview-newReferral-concerns-immediateRisk", "no")
	v.choose("returnHomeInterview-newReferral-concerns-categories", "child-criminal-exploitation")
	v.press("Complete the interview and send the referral")
	v.seen("new-referral-error", page, http.StatusUnprocessableEntity)
	v.want(`document.querySelector('.govuk-error-summary a[href="#returnHomeInterview-newReferral-concerns-levelOfNeed"]') !== null`)
	v.choose("returnHomeInterview-newReferral-concerns-levelOfNeed", "3")
	v.press("Complete the interview and send the referral")
	v.seen("follow-up-completed", page, 200)
	v.want(`document.querySelector('.govuk-notification-banner--success').textContent.includes("new referral has been sent")`)

	after := waitFor(t, r.ID, func(v view) bool { return true })
	var newRef string
	for _, f := range after.FollowUps {
		if f.ID == id {
			if f.Status != "COMPLETED" || f.NewReferralID == "" {
				t.Fatalf("the interview through the API: %+v, want COMPLETED with a new referral", f)
			}
			newRef = f.NewReferralID
		}
	}
	waitFor(t, newRef, triaged)
	_, body := getAs(t, "/referrals/"+newRef, auth.MASH)
	nr := decode[madeReferral](t, body)
	if nr.Origin.Type != "follow-up" || nr.Origin.ID != id || nr.Referral.Referrer.Name != "Rhi Worker" || !slices.Equal(nr.Referral.Concerns.Categories, []string{"child-criminal-exploitation"}) || nr.Referral.Concerns.LevelOfNeed != 3 {
		t.Errorf("the new referral through the API: %s", body)
	}
}

// TestManagerAcknowledgesAnEscalationInTheBrowser: the manager signs in,
// acknowledges the first open escalation, and reads a referral's audit
// trail, which ends with that reading; both as the API has them.
func TestManagerAcknowledgesAnEscalationInTheBrowser(t *testing.T) {
	r, _ := overdueReferral(t)
	first := allEscalations(t, "status=open&limit=100")[0]
	v := newVisitor(t, mode{"manager-escalations", true, 1024})
	v.signInAs("/staff/escalations", "manager-e2e", "mash-manager")
	v.seen("escalations", "/staff/escalations", 200)
	v.must(v.b.ClickAndWait(`form[action="/staff/escalations/` + first.ID + `"] button`))
	v.seen("escalations-acknowledged", "/staff/escalations", 200)
	if _, ok := findEscalation(t, "acknowledged", first.Clock, first.Subject.ID); !ok {
		t.Errorf("escalation %s is not acknowledged through the API", first.ID)
	}
	v.must(v.b.Navigate(v.base + "/staff/referrals/" + r.ID + "/audit"))
	v.seen("audit-trail", "/staff/referrals/"+r.ID+"/audit", 200)
	text, err := v.b.Text("main table")
	v.must(err)
	if !strings.Contains(text, "Referral submitted") || !strings.Contains(text, "Audit trail read") || !strings.Contains(text, "manager-e2e") {
		t.Errorf("the audit trail:\n%s", text)
	}
}

// TestAdviserEscalatesACallInTheBrowser: an adviser logs a call that raised
// a safeguarding concern, refers it through the partners' referral pages,
// prefilled from the call, and sends it; the referral is triaged with the
// call as its origin, and the call is escalated.
func TestAdviserEscalatesACallInTheBrowser(t *testing.T) {
	user := "adviser-escalates-" + time.Now().Format("150405.000")
	v := newVisitor(t, mode{"adviser-escalates", true, 1024})
	v.signInAs("/staff/calls/new", user, "helpline")
	v.fill("durationMinutes", "20")
	v.choose("callerType", "grandparent")
	v.choose("anonymous", "yes")
	v.must(v.b.Check(`input[name="childAgeBands"][value="5-10"]`))
	v.must(v.b.Check(`input[name="topics"][value="domestic-abuse"]`))
	v.fill("adviceGiven", "Advised to call 999 if the shouting starts again. "+user)
	v.choose("safeguardingConcern", "yes")
	v.choose("followUpCallAgreed", "no")
	v.press("Log call")
	v.seen("calls-concern", "/staff/calls", 200)
	v.must(v.b.ClickAndWait(`form[action$="/refer"] button`))
	v.seen("escalate-risk", "/refer/immediate-risk", 200)
	v.choose("immediateRisk", "no")
	v.press("Continue")
	v.seen("escalate-referrer", "/refer/referrer", 200)
	if html, _ := v.b.HTML(); !strings.Contains(html, `value="helpline" checked`) {
		t.Error("the referrer's agency is not prefilled as the helpline")
	}
	v.fill("name", "Alex Adviser", "email", "alex.adviser@helpline.example", "phone", "0161 496 0002")
	v.choose("regulatedProfessional", "no")
	v.press("Continue")
	v.choose("familyAware", "no")
	v.choose("familyConsents", "no")
	v.fill("noConsentReason", "The caller is worried telling the parents would put the child at risk.")
	v.press("Continue")
	v.choose("add", "yes")
	v.press("Continue")
	v.fill("firstName", "Robin", "addressLine1", "3 Side Street", "addressPostcode", "M3 3CC")
	v.choose("born", "unknown")
	v.fill("estimatedAge", "7")
	v.choose("sex", "unknown")
	v.press("Continue")
	v.choose("add", "no")
	v.press("Continue")
	v.choose("add", "no")
	v.press("Continue")
	v.choose("add", "no")
	v.press("Continue")
	v.seen("escalate-concerns", "/refer/concerns", 200)
	if html, _ := v.b.HTML(); !strings.Contains(html, "From the helpline call on") || !strings.Contains(html, user) {
		t.Error("the account is not prefilled from the call")
	}
	v.must(v.b.Check(`input[name="categories"][value="domestic-abuse"]`))
	v.choose("levelOfNeed", "3")
	v.press("Continue")
	v.seen("escalate-check", "/refer/check-answers", 200)
	v.press("Accept and send referral")
	v.seen("escalate-confirmation", "/refer/confirmation", 200)

	found := scanIDs(t, "#type = :type AND contains(form.concerns.account, :v)", "referral", user)
	if len(found) != 1 {
		t.Fatalf("%d referrals from the call", len(found))
	}
	waitFor(t, found[0], triaged)
	item := referralItem(t, found[0])
	origin, _ := item["origin"].(*types.AttributeValueMemberM)
	if origin == nil || str(origin.Value, "type") != "helpline-call" {
		t.Errorf("the referral's origin is not the call: %v", item["origin"])
	}
	_, body := getAs(t, "/helpline-calls", auth.Helpline)
	if !strings.Contains(string(body), found[0]) {
		t.Error("the call is not escalated with the referral, as the API lists it")
	}
}
