package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/csc-frontdoor/frontdoor/infra/browser"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// hostileLines are texts a referral may hold that must never be taken as
// markup, SQL, a format or a template: each line of an account, kept
// verbatim, returned verbatim by the API and shown as text by the pages.
var hostileLines = []string{
	`<script>window.__pwned = "script"</script>`,
	`"><img src=x onerror="window.__pwned = 'img'"><a href="javascript:window.__pwned='link'">click</a>`,
	`'; DROP TABLE referrals; -- " OR 1=1 --`,
	`%s %d %v %n %x %!(EXTRA) {{.Name}} {{template "x"}} ${jndi:ldap://example.invalid/a} #{7*7}`,
	"Right to left: \u200fשלום\u200f and \u200eleft\u200e marks; emoji 👩‍👧‍👦 🧒🏽; combining Zoe\u0308",
	strings.Repeat("Supercalifragilistic", 20),
}

// The child's names are single lines: markup and quotes in them too.
const hostileName = `<b>Zoë</b> "O'Brien" & <i>co</i>`

// TestHostileTextKeptAndEscaped submits a referral whose account and names
// hold markup, script, SQL, format strings, right-to-left marks, emoji and
// a very long word: the API keeps and returns every character, and the
// screener's page shows them as text, running none of it.
func TestHostileTextKeptAndEscaped(t *testing.T) {
	var form map[string]any
	if err := json.Unmarshal(sample(t, "single-child.json"), &form); err != nil {
		t.Fatal(err)
	}
	account := strings.Join(hostileLines, "\n")
	form["concerns"].(map[string]any)["account"] = account
	form["concerns"].(map[string]any)["childsWords"] = hostileLines[0]
	child := form["children"].([]any)[0].(map[string]any)
	child["firstName"] = hostileName
	body, _ := json.Marshal(form)
	resp, b := post(t, "/referrals", "application/json", body, nil)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("submit: %d %s", resp.StatusCode, b)
	}
	r := decode[receipt](t, b)
	waitFor(t, r.ID, triaged)

	_, b = getAs(t, "/referrals/"+r.ID, auth.MASH)
	got := decode[struct {
		Referral struct {
			Children []struct {
				FirstName string `json:"firstName"`
			} `json:"children"`
			Concerns struct {
				Account     string `json:"account"`
				ChildsWords string `json:"childsWords"`
			} `json:"concerns"`
		} `json:"referral"`
	}](t, b)
	if got.Referral.Concerns.Account != account || got.Referral.Concerns.ChildsWords != hostileLines[0] ||
		len(got.Referral.Children) != 1 || got.Referral.Children[0].FirstName != hostileName {
		t.Errorf("the API does not return the text verbatim: %s", b)
	}

	for _, m := range modes[:2] {
		t.Run(m.name, func(t *testing.T) {
			v := newVisitor(t, mode{"hostile-" + m.name, m.js, m.width})
			page := "/staff/referrals/" + r.ID
			v.signInAs(page, "screener-hostile-"+m.name, "mash")
			v.seen("referral", page, 200)
			text, err := v.b.Text("main")
			v.must(err)
			for _, line := range append(hostileLines, hostileName) {
				if !strings.Contains(text, line) {
					t.Errorf("the page does not show, as text, %q", line)
				}
			}
			injected, err := browser.Result(v.b, chromedp.Evaluate[int](`document.querySelectorAll('main script, main img[src="x"], main b, main i, main a[href^="javascript:"]').length`))
			v.must(err)
			if injected != 0 {
				t.Errorf("%d elements of the referral's text were made into markup", injected)
			}
			if m.js {
				pwned, err := browser.Result(v.b, chromedp.Evaluate[bool](`window.__pwned !== undefined`))
				v.must(err)
				if pwned {
					t.Error("the referral's text ran as script")
				}
			}
		})
	}
}
