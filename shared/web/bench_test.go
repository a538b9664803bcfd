package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/web/answers"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
	"github.com/csc-frontdoor/frontdoor/shared/web/session"
)

// BenchmarkRender measures serving a page through the pages' http.Handler,
// from the request to the written response, over the tests' stores in
// memory:
//
//   - start: the referral journey's start page (GET /);
//   - question-errors: a child's question page sent with three answers
//     that will not do (a date that is not a date, an NHS number that
//     fails its check, no postcode), so shown again with its errors (422):
//     the draft read and saved, the referral built from every page's
//     answers and validated, and the page rendered;
//   - check-answers: check answers for a complete referral, like
//     events/referrals/single-child.json with a professional as well;
//   - queue: the MASH screener's triage queue, a full page of it (the
//     25 rows the page asks for) of every kind of row, with the next
//     page's link.
//
// Each page's status and contents are checked once before it is measured,
// so that none can measure an error page instead.
func BenchmarkRender(b *testing.B) {
	s := benchServer(b)

	complete := benchDraft(b, s, completeAnswers())
	// Check answers does not look for problems: the complete referral
	// must have none, or the page would not be the one a referrer sends.
	if errs := s.allProblems(complete); len(errs) > 0 {
		b.Fatalf("the complete referral has problems: %+v", errs)
	}
	// The child is the second page the referrer fills in here: only the
	// immediate risk is answered before it.
	child := benchDraft(b, s, map[string]url.Values{answers.PageRisk: {"immediateRisk": {"no"}}, answers.ListChildren + "/c1": nil})
	childForm := url.Values{"csrf": {child.CSRF}, "firstName": {"Sam"}, "lastName": {"Smith"}, "born": {"yes"},
		"dateOfBirth-day": {"31"}, "dateOfBirth-month": {"2"}, "dateOfBirth-year": {"2016"}, "sex": {"male"},
		"nhsNumber": {"999 123 4501"}, "addressLine1": {"1 High Street"}, "addressTown": {"Manchester"}}

	p := auth.Principal{Subject: "screener-1", Roles: []auth.Role{auth.MASH}}
	pending := session.NewPending(pathQueue, "verifier", now)
	screener := pending.Activate(p, s.cfg.SignIn.Issuer(), now)
	if err := s.cfg.Sessions.SaveSession(context.Background(), screener); err != nil {
		b.Fatal(err)
	}

	for _, c := range []struct {
		name, method, path string
		form               url.Values
		cookie             *http.Cookie
		status             int
		// want are words of the page that show it is the page meant.
		want []string
	}{
		{"start", http.MethodGet, "/", nil, nil, http.StatusOK, []string{"call 999", `action="/refer/start"`}},
		{"question-errors", http.MethodPost, "/refer/children/c1", childForm, draftCookie(child), http.StatusUnprocessableEntity,
			[]string{"<title>Error:", `href="#dateOfBirth-day"`, `href="#nhsNumber"`, `href="#addressPostcode"`, `value="Sam"`}},
		{"check-answers", http.MethodGet, pathCheck, nil, draftCookie(complete), http.StatusOK,
			[]string{"12 April 2017", "K352999926001", "Test Parent", "Test Professional", "Neglect", "Now send your referral"}},
		{"queue", http.MethodGet, pathQueue, nil, &http.Cookie{Name: sessionCookie, Value: screener.ID}, http.StatusOK,
			[]string{"ABCD-2345", "ABCD-2369", "overdue by", `href="/staff/queue?cursor=page-2"`}},
	} {
		b.Run(c.name, func(b *testing.B) {
			w := serve(s, c.method, c.path, c.form, c.cookie)
			body := w.Body.String()
			if w.Code != c.status {
				b.Fatalf("%s %s: %d, want %d\n%s", c.method, c.path, w.Code, c.status, body)
			}
			for _, want := range c.want {
				if !strings.Contains(body, want) {
					b.Fatalf("%s %s does not show %q:\n%s", c.method, c.path, want, body)
				}
			}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if w := serve(s, c.method, c.path, c.form, c.cookie); w.Code != c.status {
					b.Fatalf("%s %s: %d, want %d", c.method, c.path, w.Code, c.status)
				}
			}
		})
	}
}

// benchServer is the pages' server as the tests make it (newJourney,
// newStaffServer), with every store the benchmarked pages need, and the
// triage queue benchQueue.
func benchServer(b *testing.B) *Server {
	b.Helper()
	s, err := New(Config{
		Drafts: &memDrafts{m: map[string]draft.Draft{}}, Referrals: &memIntake{byKey: map[string]intake.Receipt{}}, Referrers: noReferrers{}, HubPhone: "01632 960000",
		ScreeningDue: func(t time.Time) time.Time { return t.Add(24 * time.Hour) },
		Casework:     benchQueue{},
		Sessions:     &memSessions{m: map[string]session.Session{}}, SignIn: &fakeProvider{pending: map[string][2]string{}, codes: map[string]auth.Principal{}},
		NewVerifier: func() string { return "verifier" },
		Now:         func() time.Time { return now },
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// benchDraft saves a new draft holding answers, by page key, with the
// items of its lists those of answers' keys, in s's store, and returns it.
func benchDraft(b *testing.B, s *Server, pages map[string]url.Values) *draft.Draft {
	b.Helper()
	d := draft.New()
	for key, v := range pages {
		if list, id, ok := strings.Cut(key, "/"); ok {
			d.Lists[list] = append(d.Lists[list], id)
		}
		if v != nil {
			d.Answers[key] = v
		}
	}
	d.UpdatedAt = now
	if err := s.cfg.Drafts.SaveDraft(context.Background(), d); err != nil {
		b.Fatal(err)
	}
	return d
}

// draftCookie is the cookie that names d.
func draftCookie(d *draft.Draft) *http.Cookie { return &http.Cookie{Name: cookieName, Value: d.ID} }

// completeAnswers are the answers of a complete referral: single-child.json
// as the pages ask it, with a professional as well.
func completeAnswers() map[string]url.Values {
	return map[string]url.Values{
		answers.PageRisk: {"immediateRisk": {"no"}},
		answers.PageReferrer: {"name": {"Test Referrer"}, "role": {"Designated safeguarding lead"}, "organisation": {"Example Primary School"},
			"agencyType": {"education"}, "email": {"dsl@school.example.org"}, "phone": {"0161 496 0123"}, "regulatedProfessional": {"yes"}},
		answers.PageConsent: {"familyAware": {"yes"}, "familyConsents": {"yes"}},
		answers.ListChildren + "/c1": {"firstName": {"Test"}, "lastName": {"Child"}, "born": {"yes"},
			"dateOfBirth-day": {"12"}, "dateOfBirth-month": {"4"}, "dateOfBirth-year": {"2017"}, "sex": {"female"},
			"nhsNumber": {"999 123 4500"}, "school": {"Example Primary School"}, "upn": {"K352999926001"},
			"addressLine1": {"1 Imaginary Street"}, "addressTown": {"Manchester"}, "addressPostcode": {"M1 1AE"},
			"gp": {"Example Medical Practice"}, "language": {"English"}, "interpreterNeeded": {"no"}},
		answers.ListHousehold + "/h1": {"name": {"Test Parent"}, "relationship": {"Mother"},
			"dateOfBirth-day": {"3"}, "dateOfBirth-month": {"2"}, "dateOfBirth-year": {"1990"},
			"parentalResponsibility": {"yes"}, "allegedPerpetrator": {"no"}},
		answers.ListProfessionals + "/p1": {"name": {"Test Professional"}, "role": {"School nurse"}, "organisation": {"Example Health Trust"},
			"email": {"nurse@health.example.org"}, "phone": {"0161 496 0456"}},
		answers.PageConcerns: {"categories": {"neglect"}, "levelOfNeed": {"3"},
			"account":     {"Test account: the child has come to school hungry and in the same clothes on most days this month."},
			"childsWords": {"Test words: there is no food at home."}},
	}
}

// benchQueue is a triage queue whose every page is full: as many
// referrals as asked for, two untriaged and the rest each priority in
// turn, due from 15 hours ago onwards (the first ones overdue), every
// fourth a re-referral; and then a next page.
type benchQueue struct{}

func (benchQueue) Queue(_ context.Context, q casework.QueueQuery, _ audit.Request) (*casework.QueuePage, error) {
	pg := &casework.QueuePage{Next: "page-2"}
	for i := range q.Limit {
		it := casework.QueueItem{
			ID: fmt.Sprintf("01KAQ3ZJ8Q7X3V4N5M6K7J%04d", i), Reference: fmt.Sprintf("ABCD-%04d", 2345+i),
			Status: referral.StatusAwaitingDecision, ReceivedAt: now.Add(-time.Duration(i+1) * time.Hour),
			ReReferral: i%4 == 0, Children: 1 + i%3, ReferralSource: "1A",
		}
		if i < 2 {
			it.Untriaged, it.UntriagedAt, it.Overdue = true, &it.ReceivedAt, true
		} else {
			due := now.Add(time.Duration(3*i-21) * time.Hour)
			it.Priority, it.Reasons = []string{"RED", "AMBER", "GREEN"}[i%3], []string{"A reason for the priority."}
			it.DecisionDueAt, it.ScreeningDueAt, it.PriorityDueAt, it.Overdue = &due, &due, &due, due.Before(now)
		}
		pg.Items = append(pg.Items, it)
	}
	return pg, nil
}

func (benchQueue) Referral(context.Context, string, audit.Request) (*casework.ReferralView, error) {
	return nil, errors.New("not in the benchmarks")
}
