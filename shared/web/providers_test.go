package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/followup/worklist"
	"github.com/csc-frontdoor/frontdoor/shared/page"
)

// memWorklist has one return home interview, answers Check and Record
// with the errors set, and keeps the bodies each was sent.
type memWorklist struct {
	view                worklist.View
	checkErr, recordErr error
	checked, recorded   []map[string]any
	// paged: the list has a second page, empty.
	paged bool
}

func (m *memWorklist) List(_ context.Context, _ worklist.Caller, q worklist.Query) (*worklist.List, error) {
	switch q.Cursor {
	case "":
		l := &worklist.List{FollowUps: []worklist.View{m.view}}
		if m.paged {
			l.Next = "page-2"
		}
		return l, nil
	case "page-2":
		return &worklist.List{FollowUps: []worklist.View{}}, nil
	}
	return nil, page.CursorError("the list of follow-ups")
}

func (m *memWorklist) Get(_ context.Context, _ worklist.Caller, id string) (*worklist.View, error) {
	if id != m.view.ID {
		return nil, apperr.New(apperr.NotFound, "There is no follow-up with that id for your service.")
	}
	v := m.view
	return &v, nil
}

func (m *memWorklist) Record(_ context.Context, _ worklist.Caller, _ string, body []byte) (*worklist.View, error) {
	m.recorded = append(m.recorded, decodeBody(body))
	if m.recordErr != nil {
		return nil, m.recordErr
	}
	m.view.Status, m.view.NewReferralID = followup.StatusCompleted, "01NEWREFERRAL"
	return &m.view, nil
}

func (m *memWorklist) Check(_ context.Context, _ worklist.Caller, _ string, body []byte) error {
	m.checked = append(m.checked, decodeBody(body))
	return m.checkErr
}

func decodeBody(b []byte) map[string]any {
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// problems is an Invalid error with a problem on each field.
func problems(fields ...string) error {
	var fs []apperr.FieldError
	for _, f := range fields {
		fs = append(fs, apperr.FieldError{Field: f, Message: "Problem with " + f})
	}
	return apperr.WithFields("The follow-up event has something to correct", fs)
}

// A completed return home interview that needs a new referral is asked in
// two parts: the interview checked, not recorded; then the referral, sent
// with the interview as one completion. Problems land on the part and the
// field they are about, and the interview's answers can be changed without
// losing the referral's.
func TestInterviewThenNewReferral(t *testing.T) {
	clock := now
	s, idp := newStaffServer(t, &clock)
	const id = "FU-RHI-REF-01KAQ3ZZ8Q7X3V4N5M6K7J8H9G-0"
	wl := &memWorklist{view: worklist.View{
		FollowUp: followup.FollowUp{ID: id, Kind: followup.KindReturnHomeInterview, Provider: followup.ProviderRHIService, Status: followup.StatusAccepted,
			Version: 2, StartAt: now.Add(-time.Hour), DueAt: now.Add(71 * time.Hour), AcceptedAt: &now},
		Child: &worklist.Child{FirstName: "Test", LastName: "Child"},
	}}
	s.cfg.Worklist = wl
	c := &client{t: t, s: s, cookie: signInAs(t, s, idp, auth.Principal{Subject: "rhi-1", Roles: []auth.Role{auth.ProviderRHI}}, "/staff")}
	page := "/staff/follow-ups/" + id
	c.get(page)
	c.want(page, 200)
	if !strings.Contains(c.body, `id="returnHomeInterview-harmDetails"`) || !strings.Contains(c.body, `id="returnHomeInterview-exploitationDetails"`) {
		t.Fatal("the interview form does not ask the details of harm and exploitation")
	}

	interview := url.Values{
		"type": {"COMPLETE"}, "version": {"2"},
		"returnHomeInterview-interviewedAt-day": {"1"}, "returnHomeInterview-interviewedAt-month": {"7"}, "returnHomeInterview-interviewedAt-year": {"2026"},
		"returnHomeInterview-interviewedAt-time": {"10:00"}, "returnHomeInterview-method": {"IN_PERSON"},
		"returnHomeInterview-pushFactors": {"Arguments at home."}, "returnHomeInterview-pullFactors": {"Friends."},
		"returnHomeInterview-whereChildWas": {"In town."}, "returnHomeInterview-withWhom": {"Older friends."},
		"returnHomeInterview-harmSuffered": {"no"}, "returnHomeInterview-harmDetails": {"typed, then answered no"},
		"returnHomeInterview-exploitationSigns": {"yes"}, "returnHomeInterview-exploitationDetails": {"New phone and money."},
		"returnHomeInterview-newReferralNeeded": {"yes"},
	}
	form := func(extra ...string) url.Values {
		f := url.Values{}
		for k, v := range interview {
			f[k] = append([]string(nil), v...)
		}
		for i := 0; i+1 < len(extra); i += 2 {
			f.Add(extra[i], extra[i+1])
		}
		return f
	}

	// Part one with a problem in the interview: the interview again, with
	// that problem only (the referral is asked next, not yet).
	wl.checkErr = problems("returnHomeInterview.pushFactors", "returnHomeInterview.newReferral")
	c.post(page, form())
	c.want(page, http.StatusUnprocessableEntity)
	if !strings.Contains(c.body, `href="#returnHomeInterview-pushFactors"`) || strings.Contains(c.body, "Problem with returnHomeInterview.newReferral") {
		t.Errorf("the interview's problems:\n%s", c.body)
	}
	if len(wl.recorded) != 0 {
		t.Fatal("part one recorded the completion")
	}

	// Part one right: the referral's page, the interview's answers with it.
	wl.checkErr = problems("returnHomeInterview.newReferral")
	c.post(page, form())
	c.want(page, 200)
	if !strings.Contains(c.body, "Make a new referral") || !strings.Contains(c.body, `name="returnHomeInterview-withWhom" value="Older friends."`) ||
		!strings.Contains(c.body, `id="returnHomeInterview-newReferral-referrer-email"`) || strings.Contains(c.body, `value="missing"`) {
		t.Fatalf("the new referral's page:\n%s", c.body)
	}
	rhi, _ := wl.checked[len(wl.checked)-1]["returnHomeInterview"].(map[string]any)
	if rhi["harmDetails"] != "" || rhi["exploitationDetails"] != "New phone and money." || rhi["newReferral"] != nil || len(wl.recorded) != 0 {
		t.Errorf("part one checked %v, recorded %d", rhi, len(wl.recorded))
	}

	referralAnswers := []string{"part", "referral",
		"returnHomeInterview-newReferral-referrer-name", "Sam Worker", "returnHomeInterview-newReferral-referrer-email", "not an email",
		"returnHomeInterview-newReferral-consent-familyAware", "yes", "returnHomeInterview-newReferral-concerns-categories", "neglect",
		"returnHomeInterview-newReferral-concerns-categories", "child-criminal-exploitation",
		"returnHomeInterview-newReferral-concerns-immediateRisk", "no", "returnHomeInterview-newReferral-concerns-levelOfNeed", "3"}

	// Part two with problems in the referral: the referral's page again,
	// each problem linked to its field.
	wl.recordErr = problems("returnHomeInterview.newReferral.referrer.email", "returnHomeInterview.newReferral.concerns.categories[1]", "returnHomeInterview.newReferral")
	c.post(page, form(referralAnswers...))
	c.want(page, http.StatusUnprocessableEntity)
	for _, want := range []string{`href="#returnHomeInterview-newReferral-referrer-email"`, `href="#returnHomeInterview-newReferral-concerns-categories"`,
		"Problem with returnHomeInterview.newReferral\n", `value="Sam Worker"`, "Make a new referral"} {
		if !strings.Contains(c.body, want) {
			t.Errorf("the referral's problems: no %s", want)
		}
	}

	// Back to change the interview: its form again, the referral's answers
	// carried; then on to the referral's page with them.
	c.post(page, form(append(referralAnswers, "change", "interview")...))
	c.want(page, 200)
	if !strings.Contains(c.body, `name="returnHomeInterview-newReferral-referrer-name" value="Sam Worker"`) || !strings.Contains(c.body, `>Older friends.</textarea>`) {
		t.Errorf("changing the interview lost answers:\n%s", c.body)
	}
	records := len(wl.recorded)

	// Part two right: one completion, with the referral, then the
	// follow-up's page saying both were sent.
	wl.recordErr = nil
	c.post(page, form(referralAnswers...))
	c.want(page, 200)
	if !strings.Contains(c.body, "the new referral has been sent to the MASH") {
		t.Errorf("no banner:\n%s", c.body)
	}
	if len(wl.recorded) != records+1 {
		t.Fatalf("%d completions recorded, want 1", len(wl.recorded)-records)
	}
	rhi, _ = wl.recorded[records]["returnHomeInterview"].(map[string]any)
	nr, _ := rhi["newReferral"].(map[string]any)
	b, _ := json.Marshal(nr)
	for _, want := range []string{`"name":"Sam Worker"`, `"categories":["neglect","child-criminal-exploitation"]`, `"immediateRisk":false`, `"levelOfNeed":3`, `"familyAware":true`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the new referral sent %s has no %s", b, want)
		}
	}
	if rhi["withWhom"] != "Older friends." || rhi["newReferralNeeded"] != true {
		t.Errorf("the interview sent %v", rhi)
	}
}

// A problem with a field the page does not have is still in the summary.
func TestSummaryShowsEveryProblem(t *testing.T) {
	clock := now
	s, _ := newStaffServer(t, &clock)
	sum := s.summary(map[string]string{"a": "A", "elsewhere": "E", "": "General"}, []string{"a"}, nil)
	if len(sum.ErrorList) != 3 || sum.ErrorList[0].Href != "#a" || sum.ErrorList[1].Text != "E" || sum.ErrorList[1].Href != "" || sum.ErrorList[2].Text != "General" {
		t.Errorf("summary %+v", sum.ErrorList)
	}
}

// The follow-ups list goes on to later pages, and a cursor not of these
// pages starts again.
func TestFollowUpsPaging(t *testing.T) {
	clock := now
	s, idp := newStaffServer(t, &clock)
	s.cfg.Worklist = &memWorklist{paged: true, view: worklist.View{
		FollowUp: followup.FollowUp{ID: "FU-RHI-REF-01KAQ3ZZ8Q7X3V4N5M6K7J8H9G-0", Kind: followup.KindReturnHomeInterview,
			Provider: followup.ProviderRHIService, Status: followup.StatusOpen, DueAt: now.Add(time.Hour)},
		Child: &worklist.Child{FirstName: "Paged", LastName: "Child"}}}
	c := signInAs(t, s, idp, auth.Principal{Subject: "rhi-2", Roles: []auth.Role{auth.ProviderRHI}}, "/staff")
	checkPaging(t, s, c, "/staff/follow-ups", "Paged Child", "There are no follow-ups to do")
}
