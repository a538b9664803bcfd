package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// pages is a browser without JavaScript in plain HTTP: it keeps the draft's
// cookie, sends each form with the page's token, and follows redirects.
type pages struct {
	t      *testing.T
	cookie string
	csrf   string
	path   string
	status int
	body   string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (p *pages) do(method, path string, form url.Values) {
	p.t.Helper()
	for range 5 {
		req, err := http.NewRequest(method, env.stack.APIURL()+path, strings.NewReader(form.Encode()))
		if err != nil {
			p.t.Fatal(err)
		}
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
		}
		if p.cookie != "" {
			req.Header.Set("Cookie", p.cookie)
		}
		resp, err := noRedirects.Do(req)
		if err != nil {
			p.t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, c := range resp.Cookies() {
			p.cookie = c.Name + "=" + c.Value
		}
		if resp.StatusCode == http.StatusSeeOther {
			method, path, form = http.MethodGet, resp.Header.Get("Location"), nil
			continue
		}
		p.path, p.status, p.body = path, resp.StatusCode, string(b)
		if m := csrfField.FindStringSubmatch(p.body); m != nil {
			p.csrf = m[1]
		}
		return
	}
	p.t.Fatalf("%s %s: too many redirects", method, path)
}

// post sends the current page's form with the answers.
func (p *pages) post(answers url.Values) {
	p.t.Helper()
	answers.Set("csrf", p.csrf)
	p.do(http.MethodPost, p.path, answers)
}

func (p *pages) want(path string, status int) {
	p.t.Helper()
	if !strings.HasPrefix(p.path, path) || p.status != status {
		p.t.Fatalf("on %s (%d), want %s (%d)\n%s", p.path, p.status, path, status, p.body)
	}
}

var noRedirects = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// fillReferral answers every page up to check answers, with marker in the
// account.
func fillReferral(t *testing.T, marker string) *pages {
	p := &pages{t: t}
	p.do(http.MethodPost, "/refer/start", url.Values{})
	p.want("/refer/immediate-risk", 200)
	p.post(url.Values{"immediateRisk": {"no"}})
	p.post(url.Values{"name": {"Pat Nurse"}, "role": {"School nurse"}, "organisation": {"Hill Health Centre"}, "agencyType": {"health"},
		"email": {"pat.nurse@health.example"}, "phone": {"0161 496 0001"}})
	p.want("/refer/consent", 200)
	p.post(url.Values{"familyAware": {"no"}, "noConsentReason": {"Telling the family would put the child at risk."}})
	p.want("/refer/children", 200)
	p.post(url.Values{"add": {"yes"}})
	p.post(url.Values{"firstName": {"Lee"}, "lastName": {"Jones"}, "born": {"unknown"}, "estimatedAge": {"12"}, "sex": {"female"},
		"addressLine1": {"2 Low Road"}, "addressPostcode": {"M2 2BB"}})
	p.want("/refer/children", 200)
	p.post(url.Values{"add": {"no"}})
	p.want("/refer/household", 200)
	p.post(url.Values{"add": {"no"}})
	p.post(url.Values{"add": {"no"}})
	p.want("/refer/concerns", 200)
	p.post(url.Values{"categories": {"self-harm"}, "account": {"Lee has cuts on her arms. " + marker}, "levelOfNeed": {"3"}})
	p.want("/refer/check-answers", 200)
	return p
}

// The same send sent many times at once, as a double click without
// JavaScript or an impatient person sends it: one referral, and every
// answer the confirmation of that one.
func TestWebSubmitSentAtOnceMakesOneReferral(t *testing.T) {
	marker := fmt.Sprintf("at-once-%d", time.Now().UnixNano())
	p := fillReferral(t, marker)
	const n = 10
	var wg sync.WaitGroup
	got := make([]*pages, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := *p
			q.post(url.Values{})
			got[i] = &q
		}()
	}
	wg.Wait()
	var refs []string
	for _, q := range got {
		q.want("/refer/confirmation", 200)
		refs = append(refs, regexp.MustCompile(`class="app-reference">([^<]+)<`).FindStringSubmatch(q.body)[1])
	}
	for _, r := range refs {
		if r != refs[0] {
			t.Errorf("confirmations show references %v", refs)
			break
		}
	}
	if found := scanIDs(t, "#type = :type AND contains(form.concerns.account, :v)", "referral", marker); len(found) != 1 {
		t.Fatalf("%d referrals stored, want 1", len(found))
	}
	// And sent again later, from a page kept open: the confirmation again.
	q := *p
	q.post(url.Values{})
	q.want("/refer/confirmation", 200)
	if found := scanIDs(t, "#type = :type AND contains(form.concerns.account, :v)", "referral", marker); len(found) != 1 {
		t.Fatalf("%d referrals stored after sending again, want 1", len(found))
	}
}
