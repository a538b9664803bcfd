package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// madeReferral is what the tests read of a referral a completed return
// home interview made, in GET /referrals/{id}.
type madeReferral struct {
	Origin struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"origin"`
	Referral struct {
		Referrer struct {
			Name string `json:"name"`
		} `json:"referrer"`
		Children []struct {
			NHSNumber string `json:"nhsNumber"`
		} `json:"children"`
		Concerns struct {
			Categories  []string `json:"categories"`
			LevelOfNeed int      `json:"levelOfNeed"`
		} `json:"concerns"`
	} `json:"referral"`
}

// providerView is what the tests read of a follow-up in GET /follow-ups and
// in the answer to POST /follow-ups/{id}/events.
type providerView struct {
	ID            string     `json:"id"`
	Kind          string     `json:"kind"`
	Provider      string     `json:"provider"`
	Status        string     `json:"status"`
	Version       int        `json:"version"`
	DueAt         time.Time  `json:"dueAt"`
	OverdueAt     *time.Time `json:"overdueAt"`
	AcceptedAt    *time.Time `json:"acceptedAt"`
	CompletedAt   *time.Time `json:"completedAt"`
	NewReferralID string     `json:"newReferralId"`
	Attempts      []struct {
		Method  string `json:"method"`
		Outcome string `json:"outcome"`
	} `json:"attempts"`
	Child *struct {
		FirstName string `json:"firstName"`
		Address   struct {
			Postcode string `json:"postcode"`
		} `json:"address"`
	} `json:"child"`
	MissingEpisode *struct {
		PoliceReference string `json:"policeReference"`
	} `json:"missingEpisode"`
	Custody *struct {
		CustodyNumber string `json:"custodyNumber"`
		Officer       struct {
			Phone string `json:"phone"`
		} `json:"officer"`
	} `json:"custody"`
	AppropriateAdult *struct {
		ArrivedAt time.Time `json:"arrivedAt"`
		Outcome   string    `json:"outcome"`
	} `json:"appropriateAdult"`
}

// listFollowUps reads every page of GET /follow-ups with the given query as
// a caller holding roles, and returns the follow-ups in order with the raw
// pages. It fails the test if a follow-up appears twice.
func listFollowUps(t *testing.T, query string, roles ...auth.Role) ([]providerView, []string) {
	t.Helper()
	var all []providerView
	var pages []string
	seen := map[string]bool{}
	everyPage(t, "/follow-ups?"+query, func(body []byte) string {
		pages = append(pages, string(body))
		p := decode[struct {
			FollowUps []providerView `json:"followUps"`
			Next      string         `json:"next"`
		}](t, body)
		for _, f := range p.FollowUps {
			if seen[f.ID] {
				t.Fatalf("follow-up %s listed twice", f.ID)
			}
			seen[f.ID] = true
			all = append(all, f)
		}
		return p.Next
	}, roles...)
	return all, pages
}

func findView(vs []providerView, id string) *providerView {
	for i := range vs {
		if vs[i].ID == id {
			return &vs[i]
		}
	}
	return nil
}

// postEvent posts an event on follow-up id as a caller holding roles.
func postEvent(t *testing.T, id, body string, roles ...auth.Role) (*http.Response, []byte) {
	t.Helper()
	return postAs(t, "/follow-ups/"+id+"/events", []byte(body), roles...)
}

// wantEvent posts an event and fails unless the answer has the status.
func wantEvent(t *testing.T, id, body string, status int, roles ...auth.Role) []byte {
	t.Helper()
	resp, b := postEvent(t, id, body, roles...)
	if resp.StatusCode != status {
		t.Fatalf("event %s: %d %s, want %d", body, resp.StatusCode, b, status)
	}
	return b
}

// followUpItems returns the items filed under FOLLOWUP#<id> whose sort key
// begins with prefix.
func followUpItems(t *testing.T, id, prefix string) []map[string]types.AttributeValue {
	t.Helper()
	return itemsUnder(t, "FOLLOWUP#"+id, prefix)
}

// followUpAudit counts the audit entries of follow-up id by action.
func followUpAudit(t *testing.T, id string) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, item := range followUpItems(t, id, "AUDIT#") {
		n[str(item, "action")]++
	}
	return n
}

func nowRFC(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC3339) }

// missingEpisodeRHI submits the missing-episode sample and returns its
// referral id and its return home interview.
func missingEpisodeRHI(t *testing.T) (string, string) {
	t.Helper()
	r := submit(t, "missing-episode.json")
	v := waitFor(t, r.ID, func(v view) bool { return triaged(v) && len(v.FollowUps) == 1 })
	return r.ID, v.FollowUps[0].ID
}

func rhiCompletion(version int) string {
	return fmt.Sprintf(`{"type": "COMPLETE", "version": %d, "returnHomeInterview": {
		"interviewedAt": %q, "method": "IN_PERSON",
		"pushFactors": "Test: arguments at home.", "pullFactors": "Test: older friends.",
		"whereChildWas": "Test: a flat in another town.", "withWhom": "Test: two older males.",
		"harmSuffered": false, "exploitationSigns": true, "exploitationDetails": "Test: a new phone and cash.",
		"newReferralNeeded": true,
		"newReferral": {
			"referrer": {"name": "Test Interviewer", "role": "Return home interviewer", "organisation": "Test Return Home Service",
				"agencyType": "voluntary-sector", "email": "rhi@example.org", "phone": "0161 496 0000"},
			"consent": {"familyAware": true, "familyConsents": true},
			"concerns": {"categories": ["child-criminal-exploitation"], "account": "Test: signs of criminal exploitation found at the return home interview.",
				"immediateRisk": false, "levelOfNeed": 3}
		}}}`, version, nowRFC(-time.Minute))
}

func TestProviderWorksAReturnHomeInterview(t *testing.T) {
	refID, fuID := missingEpisodeRHI(t)

	// The RHI service sees it, with the child's name but not the referral's
	// content; the appropriate adult service does not see it at all.
	rhiList, pages := listFollowUps(t, "status=OPEN&limit=100", auth.ProviderRHI)
	fu := findView(rhiList, fuID)
	if fu == nil {
		t.Fatalf("provider-rhi does not see %s", fuID)
	}
	if fu.Kind != "RETURN_HOME_INTERVIEW" || fu.Status != "OPEN" || fu.Version != 1 || fu.Child == nil || fu.Child.FirstName != "Test" ||
		fu.Child.Address.Postcode != "M40 8WN" || fu.MissingEpisode == nil || fu.MissingEpisode.PoliceReference != "TEST-MISSING-0001" {
		t.Errorf("view %+v", fu)
	}
	for _, hidden := range []string{"9991234535", "Test account", "Test location", "missing.persons@police.example.org", "Missing persons coordinator"} {
		for _, p := range pages {
			if strings.Contains(p, hidden) {
				t.Errorf("provider-rhi's list shows %q from the referral", hidden)
			}
		}
	}
	for _, f := range rhiList {
		if f.Kind != "RETURN_HOME_INTERVIEW" {
			t.Errorf("provider-rhi sees a %s follow-up", f.Kind)
		}
	}
	aaList, _ := listFollowUps(t, "limit=100", auth.ProviderAA)
	if findView(aaList, fuID) != nil {
		t.Error("provider-aa sees a return home interview")
	}
	for _, f := range aaList {
		if f.Kind != "APPROPRIATE_ADULT" {
			t.Errorf("provider-aa sees a %s follow-up", f.Kind)
		}
	}

	// Another service gets "not found", the same as for no follow-up at
	// all; the MASH manager may not record events.
	_, wrong := postEvent(t, fuID, `{"type":"ACCEPT","version":1}`, auth.ProviderAA)
	_, none := postEvent(t, strings.TrimSuffix(fuID, "-0")+"-7", `{"type":"ACCEPT","version":1}`, auth.ProviderRHI)
	wantEvent(t, fuID, `{"type":"ACCEPT","version":1}`, http.StatusNotFound, auth.ProviderAA)
	var pw, pn struct{ Detail string }
	_ = json.Unmarshal(wrong, &pw)
	_ = json.Unmarshal(none, &pn)
	if pw.Detail == "" || pw.Detail != pn.Detail {
		t.Errorf("another service's follow-up (%q) and no follow-up (%q) answer differently", pw.Detail, pn.Detail)
	}
	wantEvent(t, fuID, `{"type":"ACCEPT","version":1}`, http.StatusForbidden, auth.MASHManager)
	wantEvent(t, fuID, `{"type":"ACCEPT","version":1}`, http.StatusUnauthorized)

	// Accept, then an attempt; not before accepting.
	wantEvent(t, fuID, fmt.Sprintf(`{"type":"ATTEMPT","version":1,"attempt":{"at":%q,"method":"PHONE","outcome":"No answer"}}`, nowRFC(0)), http.StatusConflict, auth.ProviderRHI)
	v := decode[providerView](t, wantEvent(t, fuID, `{"type":"ACCEPT","version":1}`, http.StatusOK, auth.ProviderRHI))
	if v.Status != "ACCEPTED" || v.Version != 2 || v.AcceptedAt == nil || v.Child == nil {
		t.Errorf("after accepting: %+v", v)
	}
	attempt := fmt.Sprintf(`{"type":"ATTEMPT","version":2,"attempt":{"at":%q,"method":"PHONE","outcome":"No answer; left a message"}}`, nowRFC(-2*time.Minute))
	v = decode[providerView](t, wantEvent(t, fuID, attempt, http.StatusOK, auth.ProviderRHI))
	if v.Version != 3 || len(v.Attempts) != 1 || v.Attempts[0].Method != "PHONE" {
		t.Errorf("after an attempt: %+v", v)
	}

	// The same attempt again on the old version is refused: it changed.
	resp, b := postEvent(t, fuID, attempt, auth.ProviderRHI)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(b), "version 3 now") {
		t.Errorf("stale version: %d %s", resp.StatusCode, b)
	}
	// Bad fields are named; nothing is written.
	resp, b = postEvent(t, fuID, `{"type":"ATTEMPT","version":3,"attempt":{"at":"tomorrow","method":"EMAIL","outcome":""}}`, auth.ProviderRHI)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"field":"attempt.method"`) || !strings.Contains(string(b), `"field":"attempt.at"`) {
		t.Errorf("bad fields: %d %s", resp.StatusCode, b)
	}
	resp, b = postEvent(t, fuID, `{"type":"ACCEPT","version":3,"note":"x"}`, auth.ProviderRHI)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), `"field":"note"`) {
		t.Errorf("unknown field: %d %s", resp.StatusCode, b)
	}

	// Completing with a new referral needed makes one through the intake:
	// stored, triaged, and linked both ways.
	v = decode[providerView](t, wantEvent(t, fuID, rhiCompletion(3), http.StatusOK, auth.ProviderRHI))
	if v.Status != "COMPLETED" || v.Version != 4 || v.CompletedAt == nil || v.NewReferralID == "" {
		t.Fatalf("after completing: %+v", v)
	}
	newRef := waitFor(t, v.NewReferralID, triaged)
	if len(newRef.FollowUps) != 0 {
		t.Errorf("the new referral started follow-ups %+v; it has no missing episode", newRef.FollowUps)
	}
	_, body := getAs(t, "/referrals/"+v.NewReferralID, auth.MASH)
	nr := decode[madeReferral](t, body)
	if nr.Origin.Type != "follow-up" || nr.Origin.ID != fuID || len(nr.Referral.Children) != 1 || nr.Referral.Children[0].NHSNumber != "9991234535" ||
		!slices.Equal(nr.Referral.Concerns.Categories, []string{"child-criminal-exploitation"}) {
		t.Errorf("new referral %s", body)
	}
	if n := auditActions(t, v.NewReferralID); n["referral.submitted"] != 1 || n["referral.triaged"] != 1 {
		t.Errorf("new referral's audit %v", n)
	}
	orig := waitFor(t, refID, triaged)
	if len(orig.FollowUps) != 1 || orig.FollowUps[0].Status != "COMPLETED" {
		t.Errorf("the original referral's follow-up %+v", orig.FollowUps)
	}

	// Completed is final.
	resp, b = postEvent(t, fuID, rhiCompletion(4), auth.ProviderRHI)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(b), "completed") {
		t.Errorf("completing twice: %d %s", resp.StatusCode, b)
	}
	done, _ := listFollowUps(t, "status=COMPLETED&limit=100", auth.ProviderRHI)
	if d := findView(done, fuID); d == nil || d.NewReferralID != v.NewReferralID {
		t.Errorf("the completed follow-up is not listed as completed with its new referral: %+v", d)
	}

	// Every change and every read is in the follow-up's audit trail, and
	// each change is an event.
	a := followUpAudit(t, fuID)
	if a["follow-up.listed"] < 2 || a["follow-up.accepted"] != 1 || a["follow-up.attempted"] != 1 || a["follow-up.completed"] != 1 {
		t.Errorf("follow-up audit %v", a)
	}
	var events []string
	for _, e := range followUpItems(t, fuID, "EVENT#") {
		events = append(events, str(e, "eventType"))
	}
	if !slices.Equal(events, []string{"ACCEPT", "ATTEMPT", "COMPLETE"}) {
		t.Errorf("events %v", events)
	}
}

func TestProviderWorksAnAppropriateAdult(t *testing.T) {
	body := custodySample(t, "appropriate-adult.json")
	var sent struct {
		CustodyNumber string `json:"custodyNumber"`
	}
	if err := json.Unmarshal(body, &sent); err != nil || sent.CustodyNumber == "" {
		t.Fatalf("custody sample: %v", err)
	}
	resp, b := postAs(t, "/custody-requests", body, auth.Police)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("custody request: %d %s", resp.StatusCode, b)
	}
	cus := decode[custodyReceipt](t, b)
	waitForFollowUps(t, cus.ID, 1)
	fuID := "FU-AA-CUS-" + cus.ID + "-0"

	list, pages := listFollowUps(t, "status=OPEN&limit=100", auth.ProviderAA)
	fu := findView(list, fuID)
	if fu == nil || fu.Custody == nil || fu.Custody.CustodyNumber != sent.CustodyNumber || fu.Custody.Officer.Phone == "" {
		t.Fatalf("provider-aa's view %+v", fu)
	}
	for _, hidden := range []string{"9990000018", "14 Imaginary Road", "Mother is the only person", "custody.sergeant@police.example.org"} {
		for _, p := range pages {
			if strings.Contains(p, hidden) {
				t.Errorf("provider-aa's list shows %q from the custody request", hidden)
			}
		}
	}
	rhi, _ := listFollowUps(t, "limit=100", auth.ProviderRHI)
	if findView(rhi, fuID) != nil {
		t.Error("provider-rhi sees an appropriate adult follow-up")
	}
	wantEvent(t, fuID, `{"type":"ACCEPT","version":1}`, http.StatusNotFound, auth.ProviderRHI)

	wantEvent(t, fuID, `{"type":"ACCEPT","version":1}`, http.StatusOK, auth.ProviderAA)
	wantEvent(t, fuID, `{"type":"DECLINE","version":2,"decline":{"at":"`+nowRFC(0)+`"}}`, http.StatusUnprocessableEntity, auth.ProviderAA)
	arrived := time.Now().Add(2 * time.Second).UTC().Truncate(time.Second)
	v := decode[providerView](t, wantEvent(t, fuID, fmt.Sprintf(`{"type":"COMPLETE","version":2,"appropriateAdult":{"arrivedAt":%q,"leftAt":%q,"outcome":"BAILED"}}`,
		arrived.Format(time.RFC3339), arrived.Add(time.Second).Format(time.RFC3339)), http.StatusOK, auth.ProviderAA))
	if v.Status != "COMPLETED" || v.AppropriateAdult == nil || !v.AppropriateAdult.ArrivedAt.Equal(arrived) || v.AppropriateAdult.Outcome != "BAILED" {
		t.Errorf("after completing: %+v", v)
	}
	item := getItem(t, "CUSTODY#"+cus.ID, "FOLLOWUP#"+fuID)
	if str(item, "gsi1pk") != "FOLLOWUP#appropriate-adult-service#COMPLETED" || !strings.HasPrefix(str(item, "gsi1sk"), "1#") {
		t.Errorf("completed follow-up in %q / %q", str(item, "gsi1pk"), str(item, "gsi1sk"))
	}
	if a := followUpAudit(t, fuID); a["follow-up.accepted"] != 1 || a["follow-up.completed"] != 1 || a["follow-up.listed"] < 1 {
		t.Errorf("follow-up audit %v", a)
	}
}

func TestSweepFlagsAnAcceptedFollowUpOverdue(t *testing.T) {
	_, fuID := missingEpisodeRHI(t)
	v := decode[providerView](t, wantEvent(t, fuID, `{"type":"ACCEPT","version":1}`, http.StatusOK, auth.ProviderRHI))
	// Other tests' follow-ups are due too, and a run flags at most 100: run
	// it until it has nothing left to flag. Ours is flagged once only.
	for i := 0; ; i++ {
		if r := runSweep(t, v.DueAt.Add(time.Minute)); r.OverdueFollowUps == 0 {
			break
		}
		if i == 20 {
			t.Fatal("the sweep still flags follow-ups after 20 runs")
		}
	}
	flagged, _ := listFollowUps(t, "status=ACCEPTED&overdue=true&limit=100", auth.ProviderRHI)
	f := findView(flagged, fuID)
	if f == nil || f.Status != "ACCEPTED" || f.OverdueAt == nil || f.Version != 3 {
		t.Fatalf("flagged accepted follow-up %+v", f)
	}
	for _, g := range flagged {
		if g.OverdueAt == nil || g.Status != "ACCEPTED" {
			t.Errorf("overdue=true&status=ACCEPTED lists %+v", g)
		}
	}
	notFlagged, _ := listFollowUps(t, "status=ACCEPTED&overdue=false&limit=100", auth.ProviderRHI)
	if findView(notFlagged, fuID) != nil {
		t.Error("overdue=false lists a flagged follow-up")
	}
	if getItem(t, "ESCALATION#FOLLOWUP#"+fuID, "ESCALATION") == nil {
		t.Error("no escalation")
	}
	if n := followUpAudit(t, fuID)["follow-up.overdue"]; n != 1 {
		t.Errorf("%d overdue audit entries, want 1", n)
	}
	// Declined keeps the flag for the figures.
	v = decode[providerView](t, wantEvent(t, fuID, `{"type":"DECLINE","version":3,"decline":{"at":"`+nowRFC(0)+`","reason":"Did not want to talk"}}`, http.StatusOK, auth.ProviderRHI))
	if v.Status != "DECLINED" || v.OverdueAt == nil {
		t.Errorf("after declining: %+v", v)
	}
}

func TestManagerPagesThroughEveryProvider(t *testing.T) {
	missingEpisodeRHI(t)
	missingEpisodeRHI(t)
	resp, b := postAs(t, "/custody-requests", custodySample(t, "appropriate-adult-and-accommodation.json"), auth.Police)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("custody request: %d %s", resp.StatusCode, b)
	}
	waitForFollowUps(t, decode[custodyReceipt](t, b).ID, 2)

	whole, _ := listFollowUps(t, "limit=100", auth.MASHManager)
	paged, _ := listFollowUps(t, "limit=2", auth.MASHManager)
	ids := func(vs []providerView) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = v.ID
		}
		return out
	}
	if !slices.Equal(ids(whole), ids(paged)) {
		t.Errorf("pages of 2 give\n %v\nwhole pages give\n %v", ids(paged), ids(whole))
	}
	kinds := map[string]bool{}
	for i, v := range paged {
		kinds[v.Kind] = true
		if v.Status != "OPEN" && v.Status != "OVERDUE" && v.Status != "ACCEPTED" {
			t.Errorf("the default list shows a %s follow-up", v.Status)
		}
		if i > 0 {
			p := paged[i-1]
			if (p.OverdueAt == nil && v.OverdueAt != nil) || ((p.OverdueAt == nil) == (v.OverdueAt == nil) && p.DueAt.After(v.DueAt)) {
				t.Errorf("%s (due %s, flagged %v) listed after %s (due %s, flagged %v)", v.ID, v.DueAt, v.OverdueAt != nil, p.ID, p.DueAt, p.OverdueAt != nil)
			}
		}
	}
	for _, k := range []string{"RETURN_HOME_INTERVIEW", "APPROPRIATE_ADULT", "S38_ACCOMMODATION"} {
		if !kinds[k] {
			t.Errorf("the MASH manager's list has no %s", k)
		}
	}
}

func TestFollowUpListRefusesBadParameters(t *testing.T) {
	missingEpisodeRHI(t)
	missingEpisodeRHI(t)
	resp, b := getAs(t, "/follow-ups?limit=1", auth.ProviderRHI)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	next := decode[struct {
		Next string `json:"next"`
	}](t, b).Next
	if next == "" {
		t.Fatal("no next page with limit=1")
	}
	tests := []struct {
		query string
		field string
		roles []auth.Role
	}{
		{"cursor=not-a-cursor", "cursor", []auth.Role{auth.ProviderRHI}},
		{"cursor=eyJhdCI6eyJGT0xMT1dVUCNtYXNoI09QRU4iOiIxIzIwMjYifX0", "cursor", []auth.Role{auth.ProviderRHI}},
		// A good cursor for another list: another status, another provider.
		{"status=COMPLETED&cursor=" + url.QueryEscape(next), "cursor", []auth.Role{auth.ProviderRHI}},
		{"cursor=" + url.QueryEscape(next), "cursor", []auth.Role{auth.ProviderAA}},
		{"limit=101", "limit", []auth.Role{auth.ProviderRHI}},
		{"status=DONE", "status", []auth.Role{auth.ProviderRHI}},
		{"provider=rhi-service", "provider", []auth.Role{auth.MASHManager}},
	}
	for _, tt := range tests {
		resp, b := getAs(t, "/follow-ups?"+tt.query, tt.roles...)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), `"field":"`+tt.field+`"`) {
			t.Errorf("%s: %d %s, want 400 naming %s", tt.query, resp.StatusCode, b, tt.field)
		}
	}
	if resp, _ := getAs(t, "/follow-ups", auth.MASH); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a screener lists follow-ups: %d", resp.StatusCode)
	}
}
