package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/csc-frontdoor/frontdoor/infra/localauth"
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
