package e2e

import (
	"fmt"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/infra/webform"
)

// pages is a browser without JavaScript in plain HTTP (webform.Client),
// failing the test on any error.
type pages struct {
	t *testing.T
	webform.Client
}

func (p *pages) do(method, path string, form url.Values) {
	p.t.Helper()
	if err := p.Do(method, path, form); err != nil {
		p.t.Fatal(err)
	}
}

// post sends the current page's form with the answers.
func (p *pages) post(answers url.Values) {
	p.t.Helper()
	if err := p.Post(answers); err != nil {
		p.t.Fatal(err)
	}
}

func (p *pages) want(path string, status int) {
	p.t.Helper()
	if err := p.Want(path, status); err != nil {
		p.t.Fatal(err)
	}
}

var noRedirects = webform.NoRedirects

// fillReferral answers every page up to check answers, with marker in the
// account.
func fillReferral(t *testing.T, marker string) *pages {
	t.Helper()
	p := &pages{t: t, Client: *webform.New(env.stack.APIURL())}
	if err := p.FillReferral(marker); err != nil {
		t.Fatal(err)
	}
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
		refs = append(refs, regexp.MustCompile(`class="app-reference">([^<]+)<`).FindStringSubmatch(q.Body)[1])
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
