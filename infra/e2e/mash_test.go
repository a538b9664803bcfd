package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
)

// queueItem is a line of GET /triage-queue.
type queueItem struct {
	ID            string     `json:"id"`
	Reference     string     `json:"reference"`
	Untriaged     bool       `json:"untriaged"`
	Priority      string     `json:"priority"`
	DecisionDueAt *time.Time `json:"decisionDueAt"`
	Overdue       bool       `json:"overdue"`
}

// queuePage is the body of GET /triage-queue.
type queuePage struct {
	Items []queueItem `json:"items"`
	Next  string      `json:"next"`
}

// decided is the body of GET /referrals/{id} once decided.
type decided struct {
	Status    string `json:"status"`
	Version   int    `json:"version"`
	Decisions []struct {
		ID           string `json:"id"`
		Outcome      string `json:"outcome"`
		DecidedBy    string `json:"decidedBy"`
		Supersedes   string `json:"supersedes"`
		SupersededBy string `json:"supersededBy"`
	} `json:"decisions"`
}

// queueIDs reads every page of the triage queue with the given query and
// returns the ids in order.
func queueIDs(t *testing.T, query string) []string {
	t.Helper()
	var ids []string
	everyPage(t, "/triage-queue?"+query, func(body []byte) string {
		p := decode[queuePage](t, body)
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		return p.Next
	}, auth.MASH)
	return ids
}

// everyPage GETs pathQuery (a path with its query) as a caller holding
// roles, then every next page, the page's cursor sent as cursor; page reads
// each body and returns its cursor, empty on the last page.
func everyPage(t *testing.T, pathQuery string, page func(body []byte) string, roles ...auth.Role) {
	t.Helper()
	cursor := ""
	for range 1000 {
		path := pathQuery
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		resp, body := getAs(t, path, roles...)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		if cursor = page(body); cursor == "" {
			return
		}
	}
	t.Fatalf("GET %s never reached its last page", pathQuery)
}

func decisionBody(version int, outcome, extra string) []byte {
	return fmt.Appendf(nil, `{"version": %d, "outcome": %q, "rationale": "Threshold for an assessment of need is met.", "levelOfNeed": 3, "referrerInformed": true%s}`, version, outcome, extra)
}

func TestScreenerWorksTheQueueAndDecides(t *testing.T) {
	red := submit(t, "immediate-risk.json")
	other := submit(t, "single-child.json")
	v := waitFor(t, red.ID, triaged)
	waitFor(t, other.ID, triaged)

	reds := queueIDs(t, "priority=RED&limit=1")
	if !slices.Contains(reds, red.ID) || slices.Contains(reds, other.ID) {
		t.Fatalf("RED queue %v: want %s and not %s", reds, red.ID, other.ID)
	}
	all := queueIDs(t, "limit=2")
	if !slices.Contains(all, red.ID) || !slices.Contains(all, other.ID) {
		t.Fatalf("queue %v lacks the new referrals", all)
	}
	seen := map[string]bool{}
	for _, id := range all {
		if seen[id] {
			t.Fatalf("%s on two pages", id)
		}
		seen[id] = true
	}
	resp, body := getAs(t, "/triage-queue?limit=100", auth.MASH)
	page := decode[queuePage](t, body)
	for i := 1; i < len(page.Items); i++ {
		a, b := page.Items[i-1], page.Items[i]
		if !a.Untriaged && b.Untriaged {
			t.Errorf("untriaged %s after %s, which is not", b.ID, a.ID)
		}
		if a.Untriaged || b.Untriaged {
			continue // untriaged ones have no due time; they come first, by time escalated
		}
		if a.Overdue == b.Overdue && b.DecisionDueAt.Before(*a.DecisionDueAt) {
			t.Errorf("queue out of order: %s due %s before %s due %s", a.ID, a.DecisionDueAt, b.ID, b.DecisionDueAt)
		}
		if !a.Overdue && b.Overdue {
			t.Errorf("overdue %s after %s, which is not", b.ID, a.ID)
		}
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("queue: %d", resp.StatusCode)
	}
	if n := auditActions(t, red.ID)["referral.listed"]; n < 2 {
		t.Errorf("%d listing audit entries for the RED referral, want one per page it was on", n)
	}

	path := "/referrals/" + red.ID + "/decisions"
	if resp, body := postAs(t, path, decisionBody(v.Version-1, "child-in-need-assessment", `, "primaryNeed": "N1"`), auth.MASH); resp.StatusCode != http.StatusConflict ||
		!strings.Contains(string(body), "changed since you read it") {
		t.Errorf("stale version: %d %s", resp.StatusCode, body)
	}
	if resp, body := postAs(t, path, decisionBody(v.Version, "child-in-need-assessment", ""), auth.MASH); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(string(body), `"primaryNeed"`) {
		t.Errorf("no primary need: %d %s", resp.StatusCode, body)
	}
	resp, body = postAs(t, path, decisionBody(v.Version, "child-in-need-assessment", `, "primaryNeed": "N1"`), auth.MASH)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("decision: %d %s", resp.StatusCode, body)
	}
	first := decode[struct{ ID string }](t, body)

	_, body = getAs(t, "/referrals/"+red.ID, auth.MASH)
	d := decode[decided](t, body)
	if d.Status != "DECIDED" || len(d.Decisions) != 1 || d.Decisions[0].ID != first.ID || d.Decisions[0].DecidedBy != "e2e-mash" {
		t.Fatalf("after the decision: %s", body)
	}
	if slices.Contains(queueIDs(t, "limit=100"), red.ID) {
		t.Error("a decided referral is still in the triage queue")
	}
	if resp, body := postAs(t, path, decisionBody(d.Version, "early-help", `, "adviceGiven": "Early help hub."`), auth.MASH); resp.StatusCode != http.StatusConflict ||
		!strings.Contains(string(body), `\"supersedes\": \"`+first.ID) {
		t.Errorf("second decision without supersedes: %d %s", resp.StatusCode, body)
	}
	resp, body = postAs(t, path, decisionBody(d.Version, "strategy-discussion", `, "primaryNeed": "N1", "supersedes": "`+first.ID+`"`), auth.MASHManager)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("correction: %d %s", resp.StatusCode, body)
	}
	second := decode[struct{ ID string }](t, body)
	_, body = getAs(t, "/referrals/"+red.ID, auth.MASH)
	d = decode[decided](t, body)
	if len(d.Decisions) != 2 || d.Decisions[0].SupersededBy != second.ID || d.Decisions[1].Supersedes != first.ID || d.Decisions[1].Outcome != "strategy-discussion" {
		t.Errorf("after the correction: %s", body)
	}
	if resp, body := postAs(t, "/referrals/"+other.ID+"/decisions", decisionBody(1, "early-help", `, "adviceGiven": "x"`), auth.Police); resp.StatusCode != http.StatusForbidden {
		t.Errorf("police decided: %d %s", resp.StatusCode, body)
	}
}

func TestTriageQueueRefusesAForgedCursor(t *testing.T) {
	for _, c := range []string{"not-base64!", "eyJwIjo5LCJrIjoieCJ9", "e30"} {
		resp, body := getAs(t, "/triage-queue?cursor="+c, auth.MASH)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"cursor"`) {
			t.Errorf("cursor %q: %d %s", c, resp.StatusCode, body)
		}
	}
	resp, body := getAs(t, "/triage-queue?priority=PINK&limit=500", auth.MASH)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"priority"`) || !strings.Contains(string(body), `"limit"`) {
		t.Errorf("bad filters: %d %s", resp.StatusCode, body)
	}
}

func TestManagerReadsTheAuditTrail(t *testing.T) {
	r := submit(t, "single-child.json")
	waitFor(t, r.ID, triaged)
	if resp, _ := getAs(t, "/referrals/"+r.ID+"/audit", auth.MASH); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a screener read the audit trail: %d", resp.StatusCode)
	}
	resp, body := getAs(t, "/referrals/"+r.ID+"/audit", auth.MASHManager)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("audit trail: %d %s", resp.StatusCode, body)
	}
	trail := decode[struct {
		Entries []struct {
			Action string `json:"action"`
			Actor  struct {
				ID   string `json:"id"`
				Role string `json:"role"`
			} `json:"actor"`
			Route string `json:"route"`
		} `json:"entries"`
	}](t, body)
	var actions []string
	for _, e := range trail.Entries {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"referral.submitted", "referral.triaged", "referral.read", "referral.audit-read"} {
		if !slices.Contains(actions, want) {
			t.Errorf("trail %v lacks %s", actions, want)
		}
	}
	last := trail.Entries[len(trail.Entries)-1]
	if last.Action != "referral.audit-read" || last.Actor.Role != "mash-manager" || last.Actor.ID != "e2e-mash-manager" || last.Route != "GET /referrals/{id}/audit" {
		t.Errorf("last entry %+v, want this read by the manager", last)
	}
}

// figures is the body of GET /stats.
type figures struct {
	From                time.Time      `json:"from"`
	To                  time.Time      `json:"to"`
	ReferralsReceived   int            `json:"referralsReceived"`
	BySource            map[string]int `json:"referralsBySource"`
	ReReferrals         int            `json:"reReferrals"`
	Decided             int            `json:"decided"`
	DecidedWithinOneDay int            `json:"decidedWithinOneWorkingDay"`
	AwaitingDecision    int            `json:"awaitingDecision"`
}

func readFigures(t *testing.T, query string) figures {
	t.Helper()
	resp, body := getAs(t, "/stats?"+query, auth.MASHManager)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /stats?%s: %d %s", query, resp.StatusCode, body)
	}
	return decode[figures](t, body)
}

// TestFiguresCountWhatIsStored reads the figures around two new referrals
// and a decision: the counts grow by exactly what was stored.
func TestFiguresCountWhatIsStored(t *testing.T) {
	london := calendar.London()
	today := time.Now().In(london)
	query := "from=" + today.AddDate(0, 0, -1).Format(time.DateOnly) + "&to=" + today.AddDate(0, 0, 1).Format(time.DateOnly)
	before := readFigures(t, query)

	a, b := submit(t, "single-child.json"), submit(t, "immediate-risk.json")
	va, vb := waitFor(t, a.ID, triaged), waitFor(t, b.ID, triaged)
	if resp, body := postAs(t, "/referrals/"+a.ID+"/decisions", decisionBody(va.Version, "child-in-need-assessment", `, "primaryNeed": "N1"`), auth.MASH); resp.StatusCode != http.StatusCreated {
		t.Fatalf("decision: %d %s", resp.StatusCode, body)
	}
	after := readFigures(t, query)

	reReferrals := 0
	for _, v := range []view{va, vb} {
		if v.Screening.ReReferral {
			reReferrals++
		}
	}
	if got := after.ReferralsReceived - before.ReferralsReceived; got != 2 {
		t.Errorf("referrals received grew by %d, want 2", got)
	}
	if got := after.ReReferrals - before.ReReferrals; got != reReferrals {
		t.Errorf("re-referrals grew by %d, want %d", got, reReferrals)
	}
	if got := after.Decided - before.Decided; got != 1 {
		t.Errorf("decided grew by %d, want 1", got)
	}
	if got := after.DecidedWithinOneDay - before.DecidedWithinOneDay; got != 1 {
		t.Errorf("decided within one working day grew by %d, want 1 (decided at once)", got)
	}
	if got := after.AwaitingDecision - before.AwaitingDecision; got != 1 {
		t.Errorf("awaiting decision grew by %d, want 1", got)
	}
	if after.ReferralsReceived != sum(after.BySource) {
		t.Errorf("by source %v does not add up to %d", after.BySource, after.ReferralsReceived)
	}
	// With no period the manager sees this month so far in England.
	month := readFigures(t, "")
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, london)
	end := time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, london)
	if !month.From.Equal(first) || !month.To.Equal(end) {
		t.Errorf("default period %s – %s, want %s – %s", month.From, month.To, first.UTC(), end.UTC())
	}
	if month.ReferralsReceived < 2 {
		t.Errorf("this month's figures count %d referrals, want at least the 2 just made", month.ReferralsReceived)
	}
	if resp, _ := getAs(t, "/stats?"+query, auth.MASH); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a screener read the figures: %d", resp.StatusCode)
	}
	if resp, body := getAs(t, "/stats?from=2026-12-01&to=2026-11-01", auth.MASHManager); resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"to"`) {
		t.Errorf("backwards period: %d %s", resp.StatusCode, body)
	}
}

func sum(m map[string]int) (n int) {
	for _, v := range m {
		n += v
	}
	return n
}
