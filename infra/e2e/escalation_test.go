package e2e

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/escalation"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// escalationItem is an escalation as GET /escalations lists it.
type escalationItem struct {
	ID       string    `json:"id"`
	Clock    string    `json:"clock"`
	Status   string    `json:"status"`
	RaisedAt time.Time `json:"raisedAt"`
	Subject  struct {
		Type          string     `json:"type"`
		ID            string     `json:"id"`
		Reference     string     `json:"reference"`
		Status        string     `json:"status"`
		DecisionDueAt *time.Time `json:"decisionDueAt"`
		Kind          string     `json:"kind"`
		Provider      string     `json:"provider"`
		DueAt         *time.Time `json:"dueAt"`
	} `json:"subject"`
	Acknowledgement *struct {
		By   string    `json:"by"`
		At   time.Time `json:"at"`
		Note string    `json:"note"`
	} `json:"acknowledgement"`
}

// escalationPage is the body of GET /escalations.
type escalationPage struct {
	Items []escalationItem `json:"items"`
	Next  string           `json:"next"`
}

// allEscalations reads every page of GET /escalations?<query> as the MASH
// manager.
func allEscalations(t *testing.T, query string) []escalationItem {
	t.Helper()
	var all []escalationItem
	everyPage(t, "/escalations?"+query, func(body []byte) string {
		p := decode[escalationPage](t, body)
		all = append(all, p.Items...)
		return p.Next
	}, auth.MASHManager)
	return all
}

// findEscalation returns the escalation about the record with id subject
// in the list with the given status.
func findEscalation(t *testing.T, status, clock, subject string) (escalationItem, bool) {
	t.Helper()
	for _, e := range allEscalations(t, "status="+status+"&limit=100") {
		if e.Clock == clock && e.Subject.ID == subject {
			return e, true
		}
	}
	return escalationItem{}, false
}

// overdueReferral submits a missing-episode referral and runs the sweep as
// of an hour after both its decision and its return home interview are
// due, so that both are escalated; it returns the referral and the
// follow-up's id.
func overdueReferral(t *testing.T) (receipt, view) {
	t.Helper()
	r := submit(t, "missing-episode.json")
	v := waitFor(t, r.ID, func(v view) bool { return triaged(v) && len(v.FollowUps) == 1 })
	later := v.FollowUps[0].DueAt
	if d := v.Screening.DecisionDueAt; d.After(later) {
		later = d
	}
	if rep := runSweep(t, later.Add(time.Hour)); rep.OverdueReferrals < 1 || rep.OverdueFollowUps < 1 {
		t.Fatalf("sweep %+v escalated nothing", rep)
	}
	return r, v
}

var urlSafe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func TestManagerSeesAndAcknowledgesEscalations(t *testing.T) {
	r, v := overdueReferral(t)
	fu := v.FollowUps[0]

	// Both are listed as open, with just enough to act on.
	resp, body := getAs(t, "/escalations?limit=100", auth.MASHManager)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /escalations: %d %s", resp.StatusCode, body)
	}
	if bytes.Contains(body, []byte("Missing-Child")) || bytes.Contains(body, []byte(`"reasons"`)) {
		t.Errorf("the list shows more than it should: %s", body)
	}
	open := allEscalations(t, "limit=100")
	var dec, fol escalationItem
	for _, e := range open {
		switch {
		case e.Clock == "decision" && e.Subject.ID == r.ID:
			dec = e
		case e.Clock == "follow-up" && e.Subject.ID == fu.ID:
			fol = e
		}
	}
	if dec.ID == "" || fol.ID == "" {
		t.Fatalf("the overdue decision (%v) or follow-up (%v) is not listed as open", dec.ID != "", fol.ID != "")
	}
	if s := dec.Subject; dec.Status != "open" || dec.Acknowledgement != nil || s.Type != "referral" || s.Reference != r.Reference ||
		s.Status != "AWAITING_DECISION" || s.DecisionDueAt == nil || !s.DecisionDueAt.Equal(v.Screening.DecisionDueAt) || s.Kind != "" {
		t.Errorf("decision escalation %+v", dec)
	}
	if s := fol.Subject; fol.Status != "open" || s.Type != "follow-up" || s.Kind != "RETURN_HOME_INTERVIEW" || s.Provider != "rhi-service" ||
		s.Status != "OVERDUE" || s.DueAt == nil || !s.DueAt.Equal(fu.DueAt) || s.Reference != "" {
		t.Errorf("follow-up escalation %+v", fol)
	}
	for _, e := range []escalationItem{dec, fol} {
		if !urlSafe.MatchString(e.ID) || e.RaisedAt.IsZero() {
			t.Errorf("escalation %+v: id not URL-safe or no raisedAt", e)
		}
	}
	for i := 1; i < len(open); i++ {
		if open[i].RaisedAt.Before(open[i-1].RaisedAt) {
			t.Errorf("open escalations not oldest first: %s before %s", open[i-1].RaisedAt, open[i].RaisedAt)
		}
	}
	// Small pages give the same list, none twice.
	var paged []string
	for _, e := range allEscalations(t, "limit=2") {
		paged = append(paged, e.ID)
	}
	var whole []string
	for _, e := range open {
		whole = append(whole, e.ID)
	}
	if !slices.Equal(paged, whole) {
		t.Errorf("pages of 2 list %v; one page lists %v", paged, whole)
	}

	// Acknowledged once, with a note.
	note := "Duty team lead screening it at 10:00."
	path := "/escalations/" + dec.ID + "/acknowledgements"
	resp, body = postAs(t, path, []byte(`{"note": "`+note+`"}`), auth.MASHManager)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("acknowledge: %d %s", resp.StatusCode, body)
	}
	got := decode[escalationItem](t, body)
	if a := got.Acknowledgement; got.ID != dec.ID || got.Status != "acknowledged" || a == nil || a.By != "e2e-mash-manager" || a.Note != note || a.At.IsZero() ||
		got.Subject.Reference != r.Reference {
		t.Errorf("acknowledged escalation %s", body)
	}
	resp, body = postAs(t, path, []byte(`{}`), auth.MASHManager)
	p := decode[problem](t, body)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(p.Detail, "e2e-mash-manager") || !strings.Contains(p.Detail, got.Acknowledgement.At.UTC().Format(time.RFC3339)) {
		t.Errorf("second acknowledgement: %d %s; want 409 saying who and when", resp.StatusCode, body)
	}
	item := getItem(t, "ESCALATION#REFERRAL#"+r.ID, "ESCALATION")
	if str(item, "gsi1pk") != "ESCALATION#ACKNOWLEDGED" || str(item, "acknowledgedBy") != "e2e-mash-manager" || str(item, "note") != note {
		t.Errorf("stored escalation %v", item)
	}

	// Refused without writing anything: a note too long, an unknown member.
	fpath := "/escalations/" + fol.ID + "/acknowledgements"
	for _, tt := range []struct {
		body   string
		status int
		field  string
	}{
		{`{"note": "` + strings.Repeat("x", escalation.MaxNote+1) + `"}`, http.StatusUnprocessableEntity, "note"},
		{`{"note": "x", "priority": "high"}`, http.StatusBadRequest, "priority"},
	} {
		resp, body := postAs(t, fpath, []byte(tt.body), auth.MASHManager)
		p := decode[problem](t, body)
		if resp.StatusCode != tt.status || len(p.Errors) != 1 || p.Errors[0].Field != tt.field {
			t.Errorf("%.40s: %d %s; want %d naming %s", tt.body, resp.StatusCode, body, tt.status, tt.field)
		}
	}
	if str(getItem(t, "ESCALATION#FOLLOWUP#"+fu.ID, "ESCALATION"), "gsi1pk") != "ESCALATION#OPEN" {
		t.Error("a refused acknowledgement changed the escalation")
	}

	// Acknowledged at once by several: one succeeds, the others are told.
	statuses := acknowledgeAtOnce(t, fpath, 5)
	if n := countOf(statuses, http.StatusOK); n != 1 || countOf(statuses, http.StatusConflict) != 4 {
		t.Errorf("5 acknowledgements at once: %v; want one 200 and four 409", statuses)
	}

	// Neither is open any more; both are acknowledged, most recent first,
	// without the note.
	if _, ok := findEscalation(t, "open", "decision", r.ID); ok {
		t.Error("the acknowledged decision escalation is still open")
	}
	if _, ok := findEscalation(t, "open", "follow-up", fu.ID); ok {
		t.Error("the acknowledged follow-up escalation is still open")
	}
	acked := allEscalations(t, "status=acknowledged&limit=100")
	i := slices.IndexFunc(acked, func(e escalationItem) bool { return e.ID == dec.ID })
	j := slices.IndexFunc(acked, func(e escalationItem) bool { return e.ID == fol.ID })
	if i < 0 || j < 0 {
		t.Fatalf("acknowledged list lacks the decision (%d) or the follow-up (%d)", i, j)
	}
	if j > i {
		t.Errorf("the later acknowledgement (follow-up, at %d) is listed after the earlier (decision, at %d)", j, i)
	}
	if a := acked[i].Acknowledgement; acked[i].Status != "acknowledged" || a == nil || a.By != "e2e-mash-manager" || a.Note != "" {
		t.Errorf("listed acknowledged escalation %+v; want who and when, no note", acked[i])
	}
	for k := 1; k < len(acked); k++ {
		if acked[k].Acknowledgement.At.After(acked[k-1].Acknowledgement.At) {
			t.Errorf("acknowledged escalations not most recent first at %d", k)
		}
	}

	// Every listing and acknowledgement is on the record's audit trail.
	if a := auditActions(t, r.ID); a["escalation.listed"] < 1 || a["escalation.acknowledged"] != 1 {
		t.Errorf("referral audit actions %v; want escalation.listed and one escalation.acknowledged", a)
	}
	if a := followUpAudit(t, fu.ID); a["escalation.listed"] < 1 || a["escalation.acknowledged"] != 1 {
		t.Errorf("follow-up audit actions %v; want escalation.listed and one escalation.acknowledged", a)
	}
}

// acknowledgeAtOnce sends n acknowledgements of the same escalation at
// once and returns their statuses.
func acknowledgeAtOnce(t *testing.T, path string, n int) []int {
	t.Helper()
	tok := token(t, auth.MASHManager)
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, env.stack.APIURL()+path, strings.NewReader(`{}`))
			if err != nil {
				statuses[i] = -1
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				statuses[i] = -1
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	return statuses
}

func countOf(list []int, v int) (n int) {
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

func TestEscalationsRefuseWhatTheyDidNotMake(t *testing.T) {
	overdueReferral(t) // at least two open escalations
	resp, body := getAs(t, "/escalations?limit=1", auth.MASHManager)
	first := decode[escalationPage](t, body)
	if resp.StatusCode != http.StatusOK || first.Next == "" {
		t.Fatalf("first page: %d %s; want a next cursor", resp.StatusCode, body)
	}
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	name := "2026-11-25T09:15:00.000Z#REFERRAL#" + ids.NewULID(time.Now())
	for _, tt := range []struct{ name, query string }{
		{"not base64", "cursor=not-base64!"},
		{"an open list's cursor for the acknowledged list", "status=acknowledged&cursor=" + first.Next},
		{"the triage queue's cursor", "cursor=" + b64(`{"p":0,"k":"2026-11-25T09:15:00.000Z#`+ids.NewULID(time.Now())+`"}`)},
		{"a key of another shape", "cursor=" + b64(`{"s":"open","k":"2026-11-25T09:15:00.000Z#CUSTODY#x"}`)},
		{"an unknown member", "cursor=" + b64(`{"s":"open","k":"`+name+`","x":1}`)},
		{"empty object", "cursor=" + b64(`{}`)},
	} {
		resp, body := getAs(t, "/escalations?"+tt.query, auth.MASHManager)
		p := decode[problem](t, body)
		if resp.StatusCode != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Field != "cursor" {
			t.Errorf("%s: %d %s; want 400 naming cursor", tt.name, resp.StatusCode, body)
		}
	}
	resp, body = getAs(t, "/escalations?sort=oldest&status=closed&limit=0", auth.MASHManager)
	var named []string
	for _, e := range decode[problem](t, body).Errors {
		named = append(named, e.Field)
	}
	if resp.StatusCode != http.StatusBadRequest || !slices.Equal(named, []string{"limit", "sort", "status"}) {
		t.Errorf("bad parameters: %d %s; want 400 naming limit, sort and status", resp.StatusCode, body)
	}

	nothing := escalation.Key{Clock: escalation.ClockDecision, Subject: audit.Referral(ids.NewULID(time.Now()))}.ID()
	for _, id := range []string{nothing, ids.NewULID(time.Now()), "not-an-escalation"} {
		resp, body := postAs(t, "/escalations/"+id+"/acknowledgements", []byte(`{}`), auth.MASHManager)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("acknowledge %s: %d %s; want 404", id, resp.StatusCode, body)
		}
	}
}
