package browser

import (
	"bytes"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// csp is the web pages' policy (shared/web.ContentSecurityPolicy).
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
	"connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// htmlPage is a minimal valid page, as the web pages are built: the module
// script marks the body, as frontdoor.mjs does, and marks it again if the
// policy lets it call eval. The inline script would mark it too, if the
// policy let it run.
func htmlPage(title, main string) string {
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>` + html.EscapeString(title) + `</title>
<script type="module" src="/app.mjs"></script>
</head>
<body>
<main>
` + main + `
</main>
<script>document.body.classList.add("inline-ran")</script>
</body>
</html>`
}

// site is the test server: its pages, and what the form posted.
type site struct {
	*httptest.Server
	mu    sync.Mutex
	posts int           // POSTs to /submit
	name  string        // the last name posted
	slow  time.Duration // how long a POST takes
}

func newSite(t *testing.T) *site {
	s := &site{}
	mux := http.NewServeMux()
	show := func(w http.ResponseWriter, status int, body string) {
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
	mux.HandleFunc("GET /app.mjs", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `document.body.classList.add("js-ran");
try { eval("1"); document.body.classList.add("eval-ran") } catch {}`)
	})
	mux.HandleFunc("GET /good", func(w http.ResponseWriter, r *http.Request) {
		show(w, http.StatusOK, htmlPage("Good page", `<h1>A good page</h1>
<label for="name">Your name</label>
<input id="name" name="name" type="text">`))
	})
	mux.HandleFunc("GET /bad", func(w http.ResponseWriter, r *http.Request) {
		show(w, http.StatusOK, htmlPage("Bad page", `<h1>A bad page</h1>
<input id="unlabelled" type="text">
<img src="/missing.png">`))
	})
	mux.HandleFunc("GET /form", func(w http.ResponseWriter, r *http.Request) {
		show(w, http.StatusOK, form(""))
	})
	mux.HandleFunc("POST /submit", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.posts++
		s.name = r.PostFormValue("name")
		post, slow := s.posts, s.slow
		s.mu.Unlock()
		time.Sleep(slow)
		if r.PostFormValue("name") == "" {
			show(w, http.StatusUnprocessableEntity, form("Enter your name"))
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/done?colour=%s&agree=%s&post=%d",
			r.PostFormValue("colour"), r.PostFormValue("agree"), post), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /done", func(w http.ResponseWriter, r *http.Request) {
		show(w, http.StatusOK, htmlPage("Done", `<h1>Done</h1>
<p id="colour">`+html.EscapeString(r.FormValue("colour"))+`</p>
<p id="agree">`+html.EscapeString(r.FormValue("agree"))+`</p>
<p id="post">`+html.EscapeString(r.FormValue("post"))+`</p>`))
	})
	mux.HandleFunc("GET /files", func(w http.ResponseWriter, r *http.Request) {
		show(w, http.StatusOK, htmlPage("Files", `<h1>Files</h1><p><a id="report" href="/report.csv" download>Download the report</a></p>`))
	})
	mux.HandleFunc("GET /report.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="report-2026.csv"`)
		fmt.Fprint(w, reportCSV)
	})
	mux.HandleFunc("GET /set-cookie", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "__Host-x=1; Path=/; Secure; HttpOnly; SameSite=Lax")
		show(w, http.StatusOK, htmlPage("Cookie set", `<h1>Cookie set</h1>`))
	})
	mux.HandleFunc("GET /cookie", func(w http.ResponseWriter, r *http.Request) {
		state := "absent"
		if c, err := r.Cookie("__Host-x"); err == nil && c.Value == "1" {
			state = "present"
		}
		show(w, http.StatusOK, htmlPage("Cookie", `<h1>Cookie</h1><p id="cookie">`+state+`</p>`))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		show(w, http.StatusNotFound, htmlPage("Page not found", `<h1>Page not found</h1>`))
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// form is the form page, with an error message or none.
func form(problem string) string {
	title, summary := "Your details", ""
	if problem != "" {
		title = "Error: " + title
		summary = `<h2>There is a problem</h2><p id="problem">` + html.EscapeString(problem) + `</p>`
	}
	return htmlPage(title, summary+`<h1>Your details</h1>
<form method="post" action="/submit" novalidate>
<label for="name">Your name</label>
<input id="name" name="name" type="text" value="Prefilled">
<fieldset><legend>Colour</legend>
<input id="red" name="colour" type="radio" value="red"><label for="red">Red</label>
<input id="blue" name="colour" type="radio" value="blue"><label for="blue">Blue</label>
</fieldset>
<input id="agree" name="agree" type="checkbox" value="yes"><label for="agree">I agree</label>
<button type="submit" id="continue">
  Continue
</button>
</form>`)
}

func (s *site) submitted() (posts int, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.posts, s.name
}

// needBrowser skips the test in -short mode, which `make unit` uses and which
// guarantees no Chromium.
func needBrowser(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests need Chromium and axe-core: SKIPPED in -short mode; `make test` runs them")
	}
}

// TestBrowser runs every check once with JavaScript off and once with it on,
// one browser for each.
func TestBrowser(t *testing.T) {
	needBrowser(t)
	for _, js := range []bool{false, true} {
		t.Run(map[bool]string{false: "JS off", true: "JS on"}[js], func(t *testing.T) {
			s := newSite(t)
			b := New(t, Options{JS: js, ScreenshotDir: t.TempDir()})
			t.Run("scripts", func(t *testing.T) { testScripts(t, b, s, js) })
			t.Run("axe", func(t *testing.T) { testAxe(t, b, s) })
			t.Run("form", func(t *testing.T) { testForm(t, b, s) })
			t.Run("double click", func(t *testing.T) { testDoubleClick(t, b, s) })
			t.Run("status", func(t *testing.T) { testStatus(t, b, s) })
			t.Run("secure cookie", func(t *testing.T) { testSecureCookie(t, b, s) })
			t.Run("screenshot", func(t *testing.T) { testScreenshot(t, b, s) })
			t.Run("download", func(t *testing.T) { testDownload(t, b, s) })
		})
	}
}

// bodyHas reports whether the page's body has the class.
func bodyHas(t *testing.T, b *Browser, class string) bool {
	t.Helper()
	has, err := Result(b, chromedp.Evaluate[bool](`document.body.classList.contains(`+jsString(class)+`)`))
	if err != nil {
		t.Fatal(err)
	}
	return has
}

// testScripts: the page's module script runs only with JavaScript on, on
// every page the tab loads, also after axe-core has run; the inline script
// never runs, nor eval, because the policy is in force.
func testScripts(t *testing.T, b *Browser, s *site, js bool) {
	for i := range 2 {
		if err := b.Navigate(s.URL + "/good"); err != nil {
			t.Fatal(err)
		}
		if got := bodyHas(t, b, "js-ran"); got != js {
			t.Errorf("load %d: the module script ran: %v, want %v", i+1, got, js)
		}
		if bodyHas(t, b, "inline-ran") || bodyHas(t, b, "eval-ran") {
			t.Errorf("load %d: the inline script or eval ran: the Content-Security-Policy is not in force", i+1)
		}
		if _, err := b.Axe(); err != nil {
			t.Fatal(err)
		}
		if got := bodyHas(t, b, "js-ran"); got != js {
			t.Errorf("load %d, after axe-core: the module script ran: %v, want %v", i+1, got, js)
		}
	}
}

// testAxe: axe-core finds the bad page's faults, and none on the good page.
func testAxe(t *testing.T, b *Browser, s *site) {
	if err := b.Navigate(s.URL + "/bad"); err != nil {
		t.Fatal(err)
	}
	violations, err := b.Axe()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]Violation{}
	for _, v := range violations {
		found[v.ID] = v
	}
	for _, id := range []string{"label", "image-alt"} {
		v, ok := found[id]
		if !ok {
			t.Errorf("axe-core did not report %q on the bad page; it reported %+v", id, violations)
			continue
		}
		if v.Help == "" || !strings.HasPrefix(v.HelpURL, "https://") || v.Impact == "" || len(v.Nodes) != 1 {
			t.Errorf("violation %q: %+v, want a help text, a help URL, an impact and one node", id, v)
		}
	}
	if v := found["label"]; len(v.Nodes) == 1 && !strings.Contains(v.Nodes[0], `#unlabelled <input id="unlabelled"`) {
		t.Errorf("label violation's node is %q, want the selector then the HTML", v.Nodes[0])
	}

	rec := &recorder{TB: t}
	b.CheckAxe(rec, "the bad page")
	report := strings.Join(rec.errors, "\n")
	for _, want := range []string{"the bad page", "label", "image-alt", "#unlabelled", "https://"} {
		if !strings.Contains(report, want) {
			t.Errorf("CheckAxe's report lacks %q:\n%s", want, report)
		}
	}

	if err := b.Navigate(s.URL + "/good"); err != nil {
		t.Fatal(err)
	}
	if violations, err := b.Axe(); err != nil || len(violations) != 0 {
		t.Errorf("the good page: violations %+v, error %v; want none", violations, err)
	}
	rec = &recorder{TB: t}
	b.CheckAxe(rec, "the good page")
	if len(rec.errors) != 0 {
		t.Errorf("CheckAxe reported on the good page: %q", rec.errors)
	}
}

// testForm: a form filled in and submitted by its button reaches the server
// and leads to the next page; an invalid one comes back with 422.
func testForm(t *testing.T, b *Browser, s *site) {
	if err := b.Navigate(s.URL + "/form"); err != nil {
		t.Fatal(err)
	}
	if err := b.Fill("#name", "Ada Lovelace"); err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{"#blue", "#agree", "#agree"} { // checking twice leaves it checked
		if err := b.Check(sel); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := s.submitted()
	if err := b.ClickButton("Continue"); err != nil {
		t.Fatal(err)
	}
	if posts, name := s.submitted(); posts != before+1 || name != "Ada Lovelace" {
		t.Errorf("the server got %d posts, the last with name %q; want 1 with the name typed over the prefilled one", posts-before, name)
	}
	if loc, err := b.Location(); err != nil || !strings.HasPrefix(loc, s.URL+"/done?") {
		t.Errorf("location %q, %v; want the page the form redirected to", loc, err)
	}
	if st := b.Status(); st != http.StatusOK {
		t.Errorf("status %d after the redirect, want 200", st)
	}
	for sel, want := range map[string]string{"#colour": "blue", "#agree": "yes", "h1": "Done"} {
		if got, err := b.Text(sel); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", sel, got, err, want)
		}
	}
	if title, err := b.Title(); err != nil || title != "Done" {
		t.Errorf("title %q, %v; want Done", title, err)
	}

	if err := b.Navigate(s.URL + "/form"); err != nil {
		t.Fatal(err)
	}
	if err := b.Fill("#name", ""); err != nil {
		t.Fatal(err)
	}
	if err := b.ClickAndWait("#continue"); err != nil {
		t.Fatal(err)
	}
	if st := b.Status(); st != http.StatusUnprocessableEntity {
		t.Errorf("status %d, want 422", st)
	}
	if loc, err := b.Location(); err != nil || loc != s.URL+"/submit" {
		t.Errorf("location %q, %v; want %s/submit", loc, err, s.URL)
	}
	if got, err := b.Text("#problem"); err != nil || got != "Enter your name" {
		t.Errorf("problem %q, %v; want the error message", got, err)
	}
	if h, err := b.HTML(); err != nil || !strings.HasPrefix(h, `<html lang="en">`) || !strings.Contains(h, "<h2>There is a problem</h2>") {
		t.Errorf("HTML %q, %v; want the page's markup", h, err)
	}

	if err := b.ClickButton("Start now"); err == nil || !strings.Contains(err.Error(), `no button says "Start now"`) {
		t.Errorf("ClickButton on a missing button: %v, want no button", err)
	}
	if err := b.Navigate(s.URL + "/good"); err != nil {
		t.Fatal(err)
	}
	if err := b.Screenshot(""); err == nil {
		t.Error("Screenshot with an empty name succeeded")
	}
}

// testDoubleClick: both clicks submit the form while the first submission
// is in flight, and the page read after it is the one the second led to.
func testDoubleClick(t *testing.T, b *Browser, s *site) {
	if err := b.Navigate(s.URL + "/form"); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.slow = 5 * DoubleClickGap // the first submission is still in flight
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.slow = 0
		s.mu.Unlock()
	}()
	before, _ := s.submitted()
	requests, err := b.DoubleClick("#continue")
	if err != nil {
		t.Fatal(err)
	}
	posts, _ := s.submitted()
	if requests != 2 || posts-before != 2 {
		t.Errorf("a double click sent %d requests and the server got %d posts, want 2 and 2", requests, posts-before)
	}
	if got, err := b.Text("#post"); err != nil || got != fmt.Sprint(posts) {
		t.Errorf("the page is post %q's (%v), want the last post's, %d", got, err, posts)
	}
}

// testStatus: Status is the main document's, not its subresources'.
func testStatus(t *testing.T, b *Browser, s *site) {
	if err := b.Navigate(s.URL + "/nowhere"); err != nil {
		t.Fatal(err)
	}
	if st := b.Status(); st != http.StatusNotFound {
		t.Errorf("status %d, want 404", st)
	}
	// The bad page's image is missing (404); the page itself is 200.
	if err := b.Navigate(s.URL + "/bad"); err != nil {
		t.Fatal(err)
	}
	if st := b.Status(); st != http.StatusOK {
		t.Errorf("status %d, want 200", st)
	}
}

// testSecureCookie: a Secure __Host- cookie set over http://127.0.0.1 comes
// back.
func testSecureCookie(t *testing.T, b *Browser, s *site) {
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Fatalf("the server is at %s, want http://127.0.0.1", s.URL)
	}
	cookie := func() string {
		t.Helper()
		if err := b.Navigate(s.URL + "/cookie"); err != nil {
			t.Fatal(err)
		}
		got, err := b.Text("#cookie")
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := cookie(); got != "absent" {
		t.Fatalf("cookie %s before it was set", got)
	}
	if err := b.Navigate(s.URL + "/set-cookie"); err != nil {
		t.Fatal(err)
	}
	if got := cookie(); got != "present" {
		t.Errorf("cookie %s after it was set, want present", got)
	}
}

// testScreenshot: a PNG of the page, as wide as the viewport, under a safe
// name.
func testScreenshot(t *testing.T, b *Browser, s *site) {
	if err := b.Navigate(s.URL + "/good"); err != nil {
		t.Fatal(err)
	}
	if err := b.Screenshot("good page/1"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(b.opts.ScreenshotDir, "good-page-1.png"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("the screenshot is not a PNG: % x", data[:min(len(data), 8)])
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 1024 || cfg.Height < 768 {
		t.Errorf("the screenshot is %d×%d, want 1024 wide and at least 768 high", cfg.Width, cfg.Height)
	}
}

// TestNewMissingTools: without Chromium or axe-core, New fails the test and
// says what to run. It needs neither, so it runs in -short mode too.
func TestNewMissingTools(t *testing.T) {
	for name, opts := range map[string]Options{
		"no Chromium": {ExecPath: filepath.Join(t.TempDir(), "chromium")},
		"no axe-core": {ExecPath: os.Args[0], AxePath: filepath.Join(t.TempDir(), "axe.min.js")},
	} {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				New(rec, opts)
			}()
			<-done
			if len(rec.fatals) != 1 || !strings.Contains(rec.fatals[0], "run `make tools`") {
				t.Errorf("New failed with %q, want one message saying to run make tools", rec.fatals)
			}
		})
	}
	t.Run("no Chromium on the PATH", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		rec := &recorder{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			New(rec, Options{})
		}()
		<-done
		if len(rec.fatals) != 1 || !strings.Contains(rec.fatals[0], "Chromium is not installed") {
			t.Errorf("New failed with %q, want one message saying Chromium is not installed", rec.fatals)
		}
	})
}

func TestSanitise(t *testing.T) {
	for name, want := range map[string]string{
		"start":             "start",
		"good page/1":       "good-page-1",
		"../../etc/passwd":  "etc-passwd",
		"JS off: check 2.a": "JS-off-check-2.a",
		"..":                "",
		"///":               "",
	} {
		if got := sanitise(name); got != want {
			t.Errorf("sanitise(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestJSString(t *testing.T) {
	if got, want := jsString("a \"b\" \\ c\n\u2028"), `"a \"b\" \\ c\u000a\u2028"`; got != want {
		t.Errorf("jsString = %s, want %s", got, want)
	}
}

// recorder is a testing.TB that keeps what CheckAxe and New report, instead
// of failing the test; its Fatal ends the goroutine as testing's does.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	fatals []string
}

func (r *recorder) Helper() {}

func (r *recorder) Error(args ...any) { r.add(&r.errors, fmt.Sprint(args...)) }

func (r *recorder) Errorf(format string, args ...any) { r.add(&r.errors, fmt.Sprintf(format, args...)) }

func (r *recorder) Fatalf(format string, args ...any) {
	r.add(&r.fatals, fmt.Sprintf(format, args...))
	runtime.Goexit()
}

func (r *recorder) add(to *[]string, msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*to = append(*to, msg)
}

// reportCSV is the file /report.csv serves.
const reportCSV = "day,count\n2026-12-01,3\n"

// testDownload: a link to a file is downloaded whole, under the name the
// server gives it, and the page stays where it was.
func testDownload(t *testing.T, b *Browser, s *site) {
	if err := b.Navigate(s.URL + "/files"); err != nil {
		t.Fatal(err)
	}
	name, content, err := b.Download("#report")
	if err != nil {
		t.Fatal(err)
	}
	if name != "report-2026.csv" || string(content) != reportCSV {
		t.Errorf("downloaded %q: %q, want report-2026.csv: %q", name, content, reportCSV)
	}
	if title, err := b.Title(); err != nil || title != "Files" {
		t.Errorf("after the download the tab shows %q (%v), not the page of the link", title, err)
	}
}
