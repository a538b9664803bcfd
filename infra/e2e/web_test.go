package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/csc-frontdoor/frontdoor/infra/browser"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// ScreenshotsDir is where the browser tests save a screenshot of every page
// they meet, under js/ and no-js/ (git ignores .local).
const screenshotsDir = "../../.local/screenshots"

// typedInPages are the answers the page tests type that could identify
// someone or tell their story; the privacy scan looks for them in the logs
// too.
var typedInPages = []string{
	"Ann Teacher", "ann.teacher", "Hill Primary School", "Smyth", "Jo Smith", "1 High Street",
	"Sam arrives hungry", "no food at home", "friend's flat", "GMP-2026-1130", "scared to go home",
	"Pat Nurse", "pat.nurse@health.example", "Hill Health Centre", "Lee has cuts", "2 Low Road",
	"Telling the family would put",
}

// visitor is a person in a browser on the pages of the local stack: each
// page they reach is checked with axe-core, checked for inline script and
// style, and saved as a screenshot.
type visitor struct {
	t    *testing.T
	b    *browser.Browser
	js   bool
	base string
	n    int
}

// mode is how the visitor's browser is set up.
type mode struct {
	name  string
	js    bool
	width int // CSS pixels; 320 is a small phone, or 1280 at 400% zoom
}

var modes = []mode{{"no-js", false, 1024}, {"js", true, 1024}, {"js-320px", true, 320}}

func newVisitor(t *testing.T, m mode) *visitor {
	dir, err := filepath.Abs(filepath.Join(screenshotsDir, m.name))
	if err != nil {
		t.Fatal(err)
	}
	// This run's pages only: none left from an earlier run's journey.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	b := browser.New(t, browser.Options{JS: m.js, Width: m.width, Height: 768, ScreenshotDir: dir})
	return &visitor{t: t, js: m.js, base: env.stack.APIURL(), b: b}
}

// must fails the test at once on err.
func (v *visitor) must(err error) {
	v.t.Helper()
	if err != nil {
		v.t.Fatal(err)
	}
}

// seen checks the page the visitor is on, which must be path with status,
// and saves its screenshot as name.
func (v *visitor) seen(name, path string, status int) {
	v.t.Helper()
	loc, err := v.b.Location()
	v.must(err)
	if got := v.pathOf(loc); got != path || v.b.Status() != status {
		html, _ := v.b.HTML()
		v.t.Fatalf("on %s (%d), want %s (%d)\n%s", got, v.b.Status(), path, status, html)
	}
	v.n++
	name = fmt.Sprintf("%02d-%s", v.n, name)
	v.checkAxe(name)
	v.must(v.b.Screenshot(name))
	// Nothing wider than the window: no scrolling sideways at 320 px.
	fits, err := browser.Result(v.b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	v.must(err)
	if !fits {
		v.t.Errorf("%s: the page is wider than the window: it scrolls sideways", name)
	}
	title, err := v.b.Title()
	v.must(err)
	html, err := v.b.HTML()
	v.must(err)
	hasErrors := strings.Contains(html, `class="govuk-error-summary"`)
	if hasErrors != strings.HasPrefix(title, "Error: ") || (status == http.StatusUnprocessableEntity && !hasErrors) {
		v.t.Errorf("%s: title %q on a %d page, error summary %v", name, title, status, hasErrors)
	}
	if !v.js {
		// With JavaScript off the DOM is the page as served.
		if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|<style|\sstyle=`).MatchString(html) {
			v.t.Errorf("%s: inline script or style", name)
		}
	}
	if v.js && hasErrors {
		// GOV.UK Frontend moves focus to the error summary.
		focused, err := browser.Result(v.b, chromedp.Evaluate[bool](`document.activeElement.classList.contains("govuk-error-summary")`))
		v.must(err)
		if !focused {
			v.t.Errorf("%s: focus is not on the error summary", name)
		}
	}
}

// checkAxe fails on each axe-core violation on the page but one: GOV.UK
// Frontend's script sets aria-expanded on a radio that reveals a
// conditional question, which ARIA does not allow on a radio. The Design
// System keeps it on purpose, because screen readers announce it
// (alphagov/govuk-frontend#979, listed as a known issue); it is let through
// on exactly those radios and nowhere else.
func (v *visitor) checkAxe(name string) {
	v.t.Helper()
	violations, err := v.b.Axe()
	v.must(err)
	for _, x := range violations {
		var nodes []string
		for _, n := range x.Nodes {
			if x.ID == "aria-allowed-attr" && conditionalRadio.MatchString(n) {
				continue
			}
			nodes = append(nodes, n)
		}
		if len(nodes) > 0 {
			v.t.Errorf("%s: axe-core %s [%s]: %s (%s)\n  %s", name, x.ID, x.Impact, x.Help, x.HelpURL, strings.Join(nodes, "\n  "))
		}
	}
}

// conditionalRadio is a radio of GOV.UK Frontend that reveals a
// conditional question, as axe-core reports it.
var conditionalRadio = regexp.MustCompile(`<input class="govuk-radios__input" [^>]*aria-controls="conditional-[^"]+" aria-expanded="(?:true|false)">$`)

// pathOf is a location's path: without the query, and without the
// fragment that a link to a field leaves on the pages that follow.
func (v *visitor) pathOf(loc string) string {
	return strings.TrimPrefix(strings.FieldsFunc(loc, func(r rune) bool { return r == '?' || r == '#' })[0], v.base)
}

// path is the current page's path.
func (v *visitor) path() string {
	v.t.Helper()
	loc, err := v.b.Location()
	v.must(err)
	return v.pathOf(loc)
}

func (v *visitor) fill(fields ...string) {
	v.t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		v.must(v.b.Fill("#"+fields[i], fields[i+1]))
	}
}

func (v *visitor) choose(name, value string) {
	v.t.Helper()
	v.must(v.b.Check(fmt.Sprintf(`input[name=%q][value=%q]`, name, value)))
}

func (v *visitor) press(button string) {
	v.t.Helper()
	v.must(v.b.ClickButton(button))
}

// TestReferralInTheBrowser makes a referral as a person would, with
// JavaScript off, with it on, and on a screen 320 pixels wide: two children (one unborn) and a
// household member, one error made and corrected, one answer changed from
// check answers; then sends it (with a double click when JavaScript is on)
// and goes back to send it again. Exactly one referral is stored, triaged
// and readable through the API with exactly the answers typed.
func TestReferralInTheBrowser(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			js := m.js
			v := newVisitor(t, m)
			marker := fmt.Sprintf("browser-%s-%d", m.name, time.Now().UnixNano())
			v.must(v.b.Navigate(v.base + "/"))
			v.seen("start", "/", 200)
			v.press("Start now")
			v.seen("immediate-risk", "/refer/immediate-risk", 200)
			v.choose("immediateRisk", "no")
			v.press("Continue")

			v.seen("referrer", "/refer/referrer", 200)
			v.fill("name", "Ann Teacher", "role", "Designated safeguarding lead", "organisation", "Hill Primary School",
				"email", "ann.teacher.hill.example", "phone", "0161 496 0000")
			v.choose("agencyType", "education")
			v.choose("regulatedProfessional", "yes")
			// One error: the email address has no @.
			v.press("Continue")
			v.seen("referrer-error", "/refer/referrer", http.StatusUnprocessableEntity)
			if got, err := v.b.Text(".govuk-error-summary"); err != nil || !strings.Contains(got, "email") {
				t.Errorf("error summary %q, %v", got, err)
			}
			// The summary links to the field, which keeps what was typed.
			v.must(v.b.Click(`.govuk-error-summary a[href="#email"]`))
			v.fill("email", "ann.teacher@hill.example")
			v.press("Continue")

			v.seen("consent", "/refer/consent", 200)
			v.choose("familyAware", "yes")
			v.choose("familyConsents", "yes")
			v.press("Continue")

			v.seen("children", "/refer/children", 200)
			v.press("Continue")
			v.seen("children-unanswered", "/refer/children", http.StatusUnprocessableEntity)
			v.choose("add", "yes")
			v.press("Continue")
			firstChild := v.path()
			v.seen("child", firstChild, 200)
			v.fill("firstName", "Sam", "lastName", "Smith", "addressLine1", "1 High Street", "addressTown", "Manchester", "addressPostcode", "M1 1AE")
			v.choose("born", "yes")
			v.fill("dateOfBirth-day", "30", "dateOfBirth-month", "February", "dateOfBirth-year", "2016")
			v.choose("sex", "male")
			v.press("Continue")
			v.seen("child-date-error", firstChild, http.StatusUnprocessableEntity)
			v.fill("dateOfBirth-day", "3")
			v.press("Continue")
			v.seen("children-one", "/refer/children", 200)
			v.choose("add", "yes")
			v.press("Continue")
			v.seen("child-unborn", v.path(), 200)
			v.choose("born", "unborn")
			v.fill("expectedDateOfDelivery-day", "14", "expectedDateOfDelivery-month", "6", "expectedDateOfDelivery-year", "2027",
				"addressLine1", "1 High Street", "addressPostcode", "M1 1AE")
			v.choose("sex", "unknown")
			v.press("Continue")
			v.seen("children-two", "/refer/children", 200)
			v.choose("add", "no")
			v.press("Continue")

			v.seen("household", "/refer/household", 200)
			v.choose("add", "yes")
			v.press("Continue")
			v.seen("household-member", v.path(), 200)
			v.fill("name", "Jo Smith", "relationship", "Mother")
			v.choose("parentalResponsibility", "yes")
			v.choose("allegedPerpetrator", "no")
			v.press("Continue")
			v.seen("household-one", "/refer/household", 200)
			v.choose("add", "no")
			v.press("Continue")

			v.seen("professionals", "/refer/professionals", 200)
			v.choose("add", "no")
			v.press("Continue")

			v.seen("concerns", "/refer/concerns", 200)
			v.must(v.b.Check(`input[name="categories"][value="neglect"]`))
			v.must(v.b.Check(`input[name="categories"][value="unborn-baby"]`))
			v.must(v.b.Check(`input[name="categories"][value="missing"]`))
			v.fill("account", "Sam arrives hungry most days and his mother is expecting. "+marker)
			v.fill("childsWords", "There's no food at home.")
			v.choose("levelOfNeed", "3")
			v.press("Continue")

			v.seen("missing-episode", "/refer/missing-episode", 200)
			v.press("Continue")
			v.seen("missing-episode-error", "/refer/missing-episode", http.StatusUnprocessableEntity)
			v.fill("wentMissingAt-day", "30", "wentMissingAt-month", "11", "wentMissingAt-year", "2026", "wentMissingAt-time", "10pm")
			v.choose("returned", "yes")
			v.fill("returnedAt-day", "1", "returnedAt-month", "12", "returnedAt-year", "2026", "returnedAt-time", "7:30am",
				"whereFound", "At a friend's flat.", "policeReference", "GMP-2026-1130")
			v.press("Continue")

			v.seen("check-answers", "/refer/check-answers", 200)
			// Change the first child's last name from check answers.
			v.must(v.b.ClickAndWait(`a[href="` + firstChild + `?return=check#lastName"]`))
			v.seen("child-change", firstChild, 200)
			v.fill("lastName", "Smyth")
			v.press("Continue")
			v.seen("check-answers-changed", "/refer/check-answers", 200)
			if html, _ := v.b.HTML(); !strings.Contains(html, "Smyth") {
				t.Error("check answers does not show the change")
			}

			if js {
				_, err := v.b.DoubleClick(`button[type="submit"].govuk-button`)
				v.must(err)
			} else {
				v.press("Accept and send referral")
			}
			v.seen("confirmation", "/refer/confirmation", 200)
			reference, err := v.b.Text(".govuk-panel__body strong")
			v.must(err)
			token, err := v.b.Text("#receipt-token")
			v.must(err)
			reference = strings.ReplaceAll(reference, " ", "")

			// Back to check answers and send again: the draft holds only the
			// receipt now, so the confirmation is all there is.
			v.must(v.b.Back())
			if loc, _ := v.b.Location(); strings.HasSuffix(loc, "/refer/check-answers") {
				if html, _ := v.b.HTML(); strings.Contains(html, "Accept and send referral") {
					v.press("Accept and send referral")
				}
			}
			v.must(v.b.Navigate(v.base + "/refer/check-answers"))
			v.seen("check-answers-after", "/refer/confirmation", 200)

			found := scanIDs(t, "#type = :type AND contains(form.concerns.account, :v)", "referral", marker)
			if len(found) != 1 {
				t.Fatalf("%d referrals stored with the marker, want 1", len(found))
			}
			got := waitFor(t, found[0], triaged)
			_, body := getAs(t, "/referrals/"+found[0], auth.MASH)
			full := decode[struct {
				Reference string            `json:"reference"`
				Referral  referral.Referral `json:"referral"`
			}](t, body)
			f := full.Referral
			if full.Reference != reference || got.Screening == nil {
				t.Errorf("reference %q on the page, %q stored; screening %v", reference, full.Reference, got.Screening)
			}
			yes, no := true, false
			want := referral.Referral{
				Referrer: referral.Referrer{Name: "Ann Teacher", Role: "Designated safeguarding lead", Organisation: "Hill Primary School",
					AgencyType: referral.AgencyEducation, Email: "ann.teacher@hill.example", Phone: "0161 496 0000", RegulatedProfessional: &yes},
				Children: []referral.Child{
					{FirstName: "Sam", LastName: "Smyth", DateOfBirth: "2016-02-03", Sex: referral.SexMale,
						Address: referral.Address{Line1: "1 High Street", Town: "Manchester", Postcode: "M1 1AE"}},
					{ExpectedDateOfDelivery: "2027-06-14", Sex: referral.SexUnknown, Address: referral.Address{Line1: "1 High Street", Postcode: "M1 1AE"}},
				},
				Household: []referral.HouseholdMember{{Name: "Jo Smith", Relationship: "Mother", ParentalResponsibility: &yes, AllegedPerpetrator: &no}},
				Consent:   referral.Consent{FamilyAware: &yes, FamilyConsents: &yes},
				Concerns: referral.Concerns{
					Categories:  []referral.Category{referral.CategoryNeglect, referral.CategoryMissing, referral.CategoryUnbornBaby},
					Account:     "Sam arrives hungry most days and his mother is expecting. " + marker,
					ChildsWords: "There's no food at home.", ImmediateRisk: &no, LevelOfNeed: referral.NeedChildInNeed,
				},
				MissingEpisode: &referral.MissingEpisode{WentMissingAt: "2026-11-30T22:00:00Z", ReturnedAt: "2026-12-01T07:30:00Z",
					WhereFound: "At a friend's flat.", PoliceReference: "GMP-2026-1130"},
			}
			if gotJSON, wantJSON := mustJSON(t, f), mustJSON(t, want); gotJSON != wantJSON {
				t.Errorf("stored\n%s\nwant\n%s", gotJSON, wantJSON)
			}

			// The referrer checks it with the reference and token.
			v.must(v.b.Navigate(v.base + "/check-a-referral"))
			v.seen("check-a-referral", "/check-a-referral", 200)
			v.fill("reference", reference, "receiptToken", token+"x")
			v.press("Check referral")
			v.seen("check-a-referral-not-found", "/check-a-referral", http.StatusNotFound)
			v.fill("receiptToken", token)
			v.press("Check referral")
			v.seen("referral-status", "/check-a-referral", 200)
			v.fill("information", "Sam said today he is scared to go home.")
			v.choose("urgent", "no")
			v.press("Send information")
			v.seen("information-sent", "/check-a-referral/add-information", 200)
			if n := len(addendaItems(t, found[0])); n != 1 {
				t.Errorf("%d addenda stored, want 1", n)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestKeyboardOnly starts a referral and answers its first question with
// the keyboard alone, as a person who cannot use a mouse does: Tab to the
// start button and Enter; Tab to the radios, Space to choose, an arrow key
// to change the choice, Enter to send.
func TestKeyboardOnly(t *testing.T) {
	for _, m := range modes[:2] {
		t.Run(m.name, func(t *testing.T) {
			// Its own folder: the journey's screenshots stay as they are.
			v := newVisitor(t, mode{m.name + "-keyboard", m.js, m.width})
			v.must(v.b.Navigate(v.base + "/"))
			v.tabTo(`document.activeElement.textContent.trim() === "Start now"`)
			v.key(kb.Enter)
			v.waitFor("/refer/immediate-risk")
			v.tabTo(`document.activeElement.name === "immediateRisk"`)
			v.key(" ")
			v.want(`document.querySelector('input[name="immediateRisk"][value="yes"]').checked`)
			if m.js {
				// The 999 warning is shown at once.
				v.want(`!document.getElementById("conditional-immediateRisk").classList.contains("govuk-radios__conditional--hidden")`)
			}
			v.key(kb.ArrowDown)
			v.want(`document.querySelector('input[name="immediateRisk"][value="no"]').checked`)
			v.key(kb.Enter)
			v.waitFor("/refer/referrer")
		})
	}
}

// key presses a key.
func (v *visitor) key(k string) {
	v.t.Helper()
	v.must(v.b.Run(chromedp.KeyEvent(k)))
}

// want fails unless the JavaScript expression is true on the page.
func (v *visitor) want(expr string) {
	v.t.Helper()
	ok, err := browser.Result(v.b, chromedp.Evaluate[bool](expr))
	v.must(err)
	if !ok {
		v.t.Fatalf("on %s, not %s", v.path(), expr)
	}
}

// tabTo presses Tab until the expression is true of the focused element,
// at most 30 times.
func (v *visitor) tabTo(expr string) {
	v.t.Helper()
	for range 30 {
		v.key(kb.Tab)
		ok, err := browser.Result(v.b, chromedp.Evaluate[bool](expr))
		v.must(err)
		if ok {
			return
		}
	}
	v.t.Fatalf("on %s, Tab never reached %s", v.path(), expr)
}

// waitFor waits until the page at path has loaded.
func (v *visitor) waitFor(path string) {
	v.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if v.path() == path {
			ready, err := browser.Result(v.b, chromedp.Evaluate[bool](`document.readyState === "complete"`))
			v.must(err)
			if ready {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	v.t.Fatalf("on %s, want %s", v.path(), path)
}
