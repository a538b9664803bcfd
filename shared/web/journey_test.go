package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
)

// memIntake is the intake's contract in memory: one referral per
// idempotency key, the first's receipt for the others.
type memIntake struct {
	mu    sync.Mutex
	byKey map[string]intake.Receipt
	sent  []intake.Submission
}

func (m *memIntake) Submit(_ context.Context, sub intake.Submission) (intake.Receipt, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.byKey[sub.Idempotency.Hash()]; ok {
		return r, true, nil
	}
	if _, err := referral.Decode(sub.Body); err != nil {
		return intake.Receipt{}, false, err
	}
	r := intake.Receipt{ID: "01JREFERRAL", Reference: "ABCD-2345", ReceivedAt: now, ReceiptToken: "tok-" + sub.Idempotency.Hash()[:8]}
	m.byKey[sub.Idempotency.Hash()] = r
	m.sent = append(m.sent, sub)
	return r, false, nil
}

type noReferrers struct{}

func (noReferrers) Status(context.Context, referrer.Request) (*referrer.Status, error) {
	panic("not used")
}
func (noReferrers) AddAddendum(context.Context, referrer.AddendumRequest) (*referrer.Receipt, bool, error) {
	panic("not used")
}

// client is a browser without JavaScript: it keeps the cookie, sends forms
// with the page's token and follows redirects.
type client struct {
	t      *testing.T
	s      *Server
	cookie *http.Cookie
	csrf   string
	page   string // the current page's path
	body   string
	code   int
}

func (c *client) get(path string) {
	c.t.Helper()
	for range 5 {
		w := serve(c.s, http.MethodGet, path, nil, c.cookie)
		if w.Code == http.StatusSeeOther {
			path = w.Header().Get("Location")
			continue
		}
		c.took(path, w.Code, checkHTML(c.t, w))
		return
	}
	c.t.Fatalf("GET %s: too many redirects", path)
}

func (c *client) post(path string, form url.Values) {
	c.t.Helper()
	form.Set("csrf", c.csrf)
	w := serve(c.s, http.MethodPost, path, form, c.cookie)
	if w.Code == http.StatusSeeOther {
		if cs := w.Result().Cookies(); len(cs) > 0 {
			c.cookie = cs[0]
		}
		c.get(w.Header().Get("Location"))
		return
	}
	c.took(path, w.Code, checkHTML(c.t, w))
}

// took keeps a page and checks it as a person meets it.
func (c *client) took(path string, code int, body string) {
	c.t.Helper()
	c.page, c.code, c.body = path, code, body
	if m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
	}
	for _, p := range accessProblems(body) {
		c.t.Errorf("%s: %s", path, p)
	}
}

// want fails unless the current page is path with status code.
func (c *client) want(path string, code int) {
	c.t.Helper()
	if p, _, _ := strings.Cut(c.page, "?"); p != path || c.code != code {
		c.t.Fatalf("on %s (%d), want %s (%d)\n%s", c.page, c.code, path, code, c.body)
	}
}

// accessProblems are what would stop a person using a page: a control
// without a label, an id used twice, inline script, an error message not
// linked from the summary, a summary link to nothing, Error: missing from
// the title of a page with errors, or anything but one h1.
func accessProblems(body string) []string {
	var problems []string
	errorf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return []string{err.Error()}
	}
	ids, labels := map[string]bool{}, map[string]bool{}
	var controls, errorIDs, summaryLinks []string
	var title string
	h1s := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			a := map[string]string{}
			for _, at := range n.Attr {
				a[at.Key] = at.Val
			}
			if a["id"] != "" {
				if ids[a["id"]] {
					errorf("id %q twice", a["id"])
				}
				ids[a["id"]] = true
			}
			switch n.Data {
			case "label":
				labels[a["for"]] = true
			case "input", "textarea", "select":
				if a["type"] != "hidden" && a["type"] != "submit" {
					controls = append(controls, a["id"])
				}
			case "h1":
				h1s++
			case "title":
				if n.FirstChild != nil {
					title = n.FirstChild.Data
				}
			case "script":
				if a["src"] == "" {
					errorf("inline script")
				}
			case "a":
				if strings.Contains(ancestorsClass(n), "govuk-error-summary__list") {
					summaryLinks = append(summaryLinks, a["href"])
				}
			}
			if strings.Contains(" "+a["class"]+" ", " govuk-error-message ") {
				errorIDs = append(errorIDs, a["id"])
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	for _, id := range controls {
		if id == "" || !labels[id] {
			errorf("a control without a label (id %q)", id)
		}
	}
	if h1s != 1 {
		errorf("%d h1 headings", h1s)
	}
	linked := map[string]bool{}
	for _, href := range summaryLinks {
		frag := href[strings.Index(href, "#")+1:]
		linked[frag] = true
		if strings.HasPrefix(href, "#") && !ids[frag] {
			errorf("the error summary links to #%s, which is not on the page", frag)
		}
	}
	for _, id := range errorIDs {
		f := strings.TrimSuffix(id, "-error")
		if !linked[f] && !linked[f+"-day"] {
			errorf("the error at %s is not linked from the error summary (%v)", f, summaryLinks)
		}
	}
	if (len(summaryLinks) > 0) != strings.HasPrefix(title, "Error:") {
		errorf("title %q with %d errors in the summary", title, len(summaryLinks))
	}
	return problems
}

func ancestorsClass(n *html.Node) string {
	var b strings.Builder
	for p := n.Parent; p != nil; p = p.Parent {
		for _, a := range p.Attr {
			if a.Key == "class" {
				b.WriteString(" " + a.Val)
			}
		}
	}
	return b.String()
}

func newJourney(t *testing.T) (*client, *memIntake, *memDrafts) {
	drafts := &memDrafts{m: map[string]draft.Draft{}}
	in := &memIntake{byKey: map[string]intake.Receipt{}}
	s, err := New(Config{Drafts: drafts, Referrals: in, Referrers: noReferrers{}, HubPhone: "01632 960000", Now: func() time.Time { return now },
		ScreeningDue: func(t time.Time) time.Time { return t.Add(24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, s: s}
	c.get("/")
	c.post("/refer/start", url.Values{})
	c.want("/refer/immediate-risk", 200)
	return c, in, drafts
}

// The whole journey as a person without JavaScript makes it: two children
// (one unborn), a household member, a professional, a missing episode, an
// error made and corrected, an answer changed from check answers, a child
// removed, then sent once although sent twice.
func TestJourney(t *testing.T) {
	c, in, _ := newJourney(t)
	c.post(c.page, url.Values{"immediateRisk": {"no"}})
	c.want("/refer/referrer", 200)
	c.post(c.page, url.Values{"name": {"Ann Teacher"}, "role": {"Designated safeguarding lead"}, "organisation": {"Hill School"},
		"agencyType": {"education"}, "email": {"not an email"}, "phone": {"0161 496 0000"}, "regulatedProfessional": {"yes"}})
	c.want("/refer/referrer", 422)
	if !strings.Contains(c.body, `href="#email"`) || !strings.Contains(c.body, `value="Ann Teacher"`) {
		t.Fatalf("the error is not linked, or an answer was lost:\n%s", c.body)
	}
	c.post(c.page, url.Values{"name": {"Ann Teacher"}, "role": {"Designated safeguarding lead"}, "organisation": {"Hill School"},
		"agencyType": {"education"}, "email": {"ann@hill.example"}, "phone": {"0161 496 0000"}, "regulatedProfessional": {"yes"}})
	c.want("/refer/consent", 200)
	c.post(c.page, url.Values{"familyAware": {"yes"}, "familyConsents": {"yes"}})
	c.want("/refer/children", 200)

	// Going on without a child is the referral's own rule.
	c.post(c.page, url.Values{"add": {"no"}})
	c.want("/refer/children", 422)
	c.post(c.page, url.Values{"add": {"yes"}})
	first := c.page
	c.post(c.page, url.Values{"firstName": {"Sam"}, "lastName": {"Smith"}, "born": {"yes"}, "dateOfBirth-day": {"3"},
		"dateOfBirth-month": {"Feb"}, "dateOfBirth-year": {"2016"}, "sex": {"male"}, "addressLine1": {"1 High Street"},
		"addressTown": {"Manchester"}, "addressPostcode": {"M1 1AE"}})
	c.want("/refer/children", 200)
	c.post(c.page, url.Values{"add": {"yes"}})
	second := c.page
	// An unborn baby has an expected date of delivery; a date that is not
	// a date is shown on its part.
	c.post(c.page, url.Values{"born": {"unborn"}, "expectedDateOfDelivery-day": {"30"}, "expectedDateOfDelivery-month": {"feb"},
		"expectedDateOfDelivery-year": {"2027"}, "sex": {"unknown"}, "addressLine1": {"1 High Street"}, "addressPostcode": {"M1 1AE"}})
	c.want(second, 422)
	if !strings.Contains(c.body, `href="#expectedDateOfDelivery-day"`) || !strings.Contains(c.body, "govuk-input--error") {
		t.Fatalf("the date's error:\n%s", c.body)
	}
	c.post(c.page, url.Values{"born": {"unborn"}, "expectedDateOfDelivery-day": {"14"}, "expectedDateOfDelivery-month": {"june"},
		"expectedDateOfDelivery-year": {"2027"}, "sex": {"unknown"}, "addressLine1": {"1 High Street"}, "addressPostcode": {"M1 1AE"}})
	c.want("/refer/children", 200)
	c.post(c.page, url.Values{"add": {"yes"}})
	third := c.page
	c.post(c.page, url.Values{"firstName": {"Extra"}, "born": {"unknown"}, "estimatedAge": {"9"}, "sex": {"female"}, "addressLine1": {"2 High Street"}, "addressPostcode": {"M1 1AE"}})
	c.want("/refer/children", 200)
	c.get(third + "/remove")
	c.post(c.page, url.Values{})
	c.want(third+"/remove", 422)
	c.post(c.page, url.Values{"confirm": {"yes"}})
	c.want("/refer/children", 200)
	if strings.Contains(c.body, "Extra") {
		t.Error("the removed child is still listed")
	}
	c.post(c.page, url.Values{"add": {"no"}})
	c.want("/refer/household", 200)
	c.post(c.page, url.Values{"add": {"yes"}})
	c.post(c.page, url.Values{"name": {"Jo Smith"}, "relationship": {"Mother"}, "parentalResponsibility": {"yes"}, "allegedPerpetrator": {"no"}})
	c.want("/refer/household", 200)
	c.post(c.page, url.Values{"add": {"no"}})
	c.want("/refer/professionals", 200)
	c.post(c.page, url.Values{"add": {"no"}})
	c.want("/refer/concerns", 200)
	c.post(c.page, url.Values{"categories": {"neglect", "missing", "unborn-baby"}, "account": {"Sam arrives hungry most days."}, "levelOfNeed": {"3"}})
	c.want("/refer/missing-episode", 200)
	c.post(c.page, url.Values{"wentMissingAt-day": {"30"}, "wentMissingAt-month": {"11"}, "wentMissingAt-year": {"2026"}, "wentMissingAt-time": {"10pm"}, "returned": {"yes"},
		"returnedAt-day": {"1"}, "returnedAt-month": {"12"}, "returnedAt-year": {"2026"}, "returnedAt-time": {"07:30"}})
	c.want("/refer/check-answers", 200)
	for _, want := range []string{"Sam", "3 February 2016", "14 June 2027", "Jo Smith", "30 November 2026 at 10:00pm", "1 December 2026 at 7:30am", "Neglect"} {
		if !strings.Contains(c.body, want) {
			t.Errorf("check answers does not show %q", want)
		}
	}

	// Change an answer from check answers: back to check answers after.
	if !strings.Contains(c.body, `href="`+first+`?return=check#lastName"`) {
		t.Fatalf("no change link for the first child's last name:\n%s", c.body)
	}
	c.get(first + "?return=check")
	if !strings.Contains(c.body, `href="/refer/check-answers"`) {
		t.Error("the back link of a page opened from check answers does not go back there")
	}
	c.post(first+"?return=check", url.Values{"firstName": {"Sam"}, "lastName": {"Smyth"}, "born": {"yes"}, "dateOfBirth-day": {"3"},
		"dateOfBirth-month": {"2"}, "dateOfBirth-year": {"2016"}, "sex": {"male"}, "addressLine1": {"1 High Street"},
		"addressTown": {"Manchester"}, "addressPostcode": {"M1 1AE"}})
	c.want("/refer/check-answers", 200)
	if !strings.Contains(c.body, "Smyth") {
		t.Error("the change is not shown")
	}

	// Sent twice (a double click, or back and send again): one referral.
	token := c.csrf
	c.post("/refer/check-answers", url.Values{})
	c.want("/refer/confirmation", 200)
	for _, want := range []string{"ABCD-2345", "tok-", "Thursday 3 December 2026", "01632 960000"} {
		if !strings.Contains(c.body, want) {
			t.Errorf("the confirmation does not show %q:\n%s", want, c.body)
		}
	}
	c.csrf = token
	c.post("/refer/check-answers", url.Values{})
	c.want("/refer/confirmation", 200)
	c.get(first)
	c.want("/refer/confirmation", 200)
	if len(in.sent) != 1 {
		t.Fatalf("%d referrals sent", len(in.sent))
	}
	var got referral.Referral
	if err := json.Unmarshal(in.sent[0].Body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Children) != 2 || got.Children[0].LastName != "Smyth" || got.Children[0].DateOfBirth != "2016-02-03" ||
		got.Children[1].ExpectedDateOfDelivery != "2027-06-14" || len(got.Household) != 1 ||
		got.MissingEpisode == nil || got.MissingEpisode.ReturnedAt != "2026-12-01T07:30:00Z" || got.Referrer.Email != "ann@hill.example" {
		t.Errorf("sent %+v", got)
	}
	if in.sent[0].Request.Actor.Role != "public" || in.sent[0].Request.Route != "POST /refer/check-answers" {
		t.Errorf("audited as %+v", in.sent[0].Request)
	}
}

// The page check finds each fault it looks for.
func TestAccessProblems(t *testing.T) {
	page := func(title, main string) string {
		return "<!DOCTYPE html><html lang=en><head><title>" + title + "</title></head><body><main><h1>Page</h1>" + main + "</main></body></html>"
	}
	summary := func(href string) string {
		return `<div class="govuk-error-summary"><ul class="govuk-list govuk-error-summary__list"><li><a href="` + href + `">Enter a name</a></li></ul></div>`
	}
	good := `<label for="name">Name</label><p id="name-error" class="govuk-error-message">Enter a name</p><input id="name" name="name">`
	tests := []struct {
		name, body string
		want       string // a word of the problem; "" for none
	}{
		{"good", page("Error: Page", summary("#name")+good), ""},
		{"good date", page("Error: Page", summary("#dob-day")+`<p id="dob-error" class="govuk-error-message">x</p><label for="dob-day">Day</label><input id="dob-day">`), ""},
		{"no label", page("Page", `<input id="name" name="name">`), "label"},
		{"label for another", page("Page", `<label for="other">Name</label><input id="name">`), "label"},
		{"no id", page("Page", `<label>Name <input name="name"></label>`), "label"},
		{"id twice", page("Page", `<label for="a">A</label><input id="a"><p id="a">x</p>`), "twice"},
		{"inline script", page("Page", `<script>alert(1)</script>`), "inline script"},
		{"not linked", page("Error: Page", summary("#other")+good), "not linked"},
		{"link to nothing", page("Error: Page", summary("#nowhere")+`<label for="name">Name</label><input id="name">`), "not on the page"},
		{"no Error: in title", page("Page", summary("#name")+good), "title"},
		{"Error: without errors", page("Error: Page", `<label for="name">Name</label><input id="name">`), "title"},
		{"two h1", page("Page", `<h1>Again</h1>`), "h1"},
	}
	for _, tt := range tests {
		got := strings.Join(accessProblems(tt.body), "; ")
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: problems %q, want one about %q", tt.name, got, tt.want)
		}
	}
}

// memReferrers is the referrer service's contract: one referral, found
// only with its reference and token; every failure the same answer.
type memReferrers struct {
	mu      sync.Mutex
	addenda []referrer.AddendumRequest
	keys    map[string]bool
}

func (m *memReferrers) Status(_ context.Context, req referrer.Request) (*referrer.Status, error) {
	ref, _ := ids.NormaliseReference(req.Reference)
	if ref != "ABCD-2345" || req.Token != "the-token" {
		return nil, apperr.New(apperr.NotFound, "We could not find a referral with that reference and receipt token.")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	st := &referrer.Status{Reference: "ABCD-2345", ReceivedAt: now, Status: referrer.StageWithMASH}
	for range m.addenda {
		st.Addenda = append(st.Addenda, referrer.Sent{ReceivedAt: now})
	}
	return st, nil
}

func (m *memReferrers) AddAddendum(ctx context.Context, req referrer.AddendumRequest) (*referrer.Receipt, bool, error) {
	if _, err := m.Status(ctx, req.Request); err != nil {
		return nil, false, err
	}
	f, err := referrer.Decode(req.Body)
	if err != nil {
		return nil, false, err
	}
	if err := referrer.Validate(f); err != nil {
		return nil, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys[req.IdempotencyKey] {
		return &referrer.Receipt{Reference: "ABCD-2345"}, true, nil
	}
	m.keys[req.IdempotencyKey] = true
	m.addenda = append(m.addenda, req)
	return &referrer.Receipt{Reference: "ABCD-2345", Urgent: strings.Contains(string(req.Body), `"urgent":true`)}, false, nil
}

// A referrer checks their referral and adds information to it, once
// however often the form is sent; a wrong token gets the one answer.
func TestReferrerPages(t *testing.T) {
	refs := &memReferrers{keys: map[string]bool{}}
	s, err := New(Config{Drafts: &memDrafts{m: map[string]draft.Draft{}}, Referrals: &memIntake{}, Referrers: refs, HubPhone: "01632 960000", Now: func() time.Time { return now },
		ScreeningDue: func(t time.Time) time.Time { return t }})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, s: s}
	w := serve(s, http.MethodGet, "/check-a-referral", nil, nil)
	c.cookie = w.Result().Cookies()[0]
	if c.cookie.Name != formCookie || !c.cookie.Secure || !c.cookie.HttpOnly {
		t.Fatalf("form cookie %+v", c.cookie)
	}
	c.get("/check-a-referral")
	c.post("/check-a-referral", url.Values{})
	c.want("/check-a-referral", 422)
	c.post("/check-a-referral", url.Values{"reference": {"abcd 2345"}, "receiptToken": {"wrong"}})
	c.want("/check-a-referral", 404)
	if !strings.Contains(c.body, "We could not find a referral") || !strings.Contains(c.body, `value="abcd 2345"`) {
		t.Errorf("not found:\n%s", c.body)
	}
	c.post("/check-a-referral", url.Values{"reference": {"abcd 2345"}, "receiptToken": {"the-token"}})
	c.want("/check-a-referral", 200)
	if !strings.Contains(c.body, "ABCD-2345") || !strings.Contains(c.body, "With the safeguarding hub") || !strings.Contains(c.body, "None yet") {
		t.Fatalf("status:\n%s", c.body)
	}
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(c.body)[1]
	form := url.Values{"reference": {"ABCD2345"}, "receiptToken": {"the-token"}, "key": {key}, "urgent": {"yes"}}
	c.post("/check-a-referral/add-information", form)
	c.want("/check-a-referral/add-information", 422)
	if !strings.Contains(c.body, `href="#information"`) {
		t.Errorf("no error for the information:\n%s", c.body)
	}
	form.Set("information", "Sam told me today that he is scared to go home.")
	c.post("/check-a-referral/add-information", form)
	c.want("/check-a-referral/add-information", 200)
	if !strings.Contains(c.body, "Information sent") || !strings.Contains(c.body, "it has been told") {
		t.Errorf("added:\n%s", c.body)
	}
	c.post("/check-a-referral/add-information", form)
	c.want("/check-a-referral/add-information", 200)
	if len(refs.addenda) != 1 {
		t.Errorf("%d addenda", len(refs.addenda))
	}
	// Without the form token, nothing is asked of the service.
	form.Del("csrf")
	form.Set("key", "another")
	if w := serve(s, http.MethodPost, "/check-a-referral/add-information", form, c.cookie); w.Code != http.StatusForbidden || len(refs.addenda) != 1 {
		t.Errorf("no token: %d, %d addenda", w.Code, len(refs.addenda))
	}
	for _, p := range helpPages {
		c.get("/help/" + p)
		c.want("/help/"+p, 200)
	}
	c.get("/help/nothing")
	c.want("/help/nothing", 404)
}

// A cross-site post, a missing or wrong token, a body too large and a
// tampered cookie each get their error page, and nothing is written.
func TestPagesRefuse(t *testing.T) {
	c, in, drafts := newJourney(t)
	good := c.cookie
	versions := func() map[string]int64 {
		out := map[string]int64{}
		drafts.mu.Lock()
		defer drafts.mu.Unlock()
		for id, d := range drafts.m {
			out[id] = int64(d.Version)
		}
		return out
	}
	before := versions()
	big := url.Values{"csrf": {c.csrf}, "immediateRisk": {strings.Repeat("x", MaxFormBytes)}}
	tests := []struct {
		name   string
		form   url.Values
		cookie *http.Cookie
		site   string
		want   int
		words  string
	}{
		{"cross-site", url.Values{"csrf": {c.csrf}, "immediateRisk": {"yes"}}, good, "cross-site", http.StatusForbidden, "sent from another website"},
		{"no token", url.Values{"immediateRisk": {"yes"}}, good, "same-origin", http.StatusForbidden, "does not belong"},
		{"wrong token", url.Values{"csrf": {"x" + c.csrf}, "immediateRisk": {"yes"}}, good, "same-origin", http.StatusForbidden, "does not belong"},
		{"too large", big, good, "same-origin", http.StatusRequestEntityTooLarge, "too large"},
		{"tampered cookie", url.Values{"csrf": {c.csrf}, "immediateRisk": {"yes"}}, &http.Cookie{Name: cookieName, Value: good.Value + "x"}, "same-origin", http.StatusNotFound, "no longer available"},
	}
	for _, tt := range tests {
		for _, path := range []string{"/refer/immediate-risk", "/refer/children", "/refer/check-answers"} {
			r := httptestRequest(http.MethodPost, path, tt.form, tt.cookie)
			r.Header.Set("Sec-Fetch-Site", tt.site)
			w := recorder(c.s, r)
			if w.Code != tt.want || !strings.Contains(w.Body.String(), tt.words) {
				t.Errorf("%s to %s: %d, want %d with %q", tt.name, path, w.Code, tt.want, tt.words)
			}
		}
	}
	if after := versions(); !reflect.DeepEqual(before, after) || len(in.sent) != 0 {
		t.Errorf("something was written: drafts %v then %v, %d sent", before, after, len(in.sent))
	}
}

func httptestRequest(method, path string, form url.Values, cookie *http.Cookie) *http.Request {
	r := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != nil {
		r.AddCookie(cookie)
	}
	return r
}

func recorder(s *Server, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}
