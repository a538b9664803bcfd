// Package browser drives a headless Chromium for the browser tests of the web
// pages: one browser process and one tab per [Browser], with JavaScript on or
// off, axe-core accessibility checks and full-page screenshots.
//
// What the tests can rely on, each checked by this package's own tests:
//
//   - JavaScript off ([Options].JS false) is what a person with JavaScript
//     turned off gets: Emulation.setScriptExecutionDisabled is set before the
//     first page loads, so no page script runs, on any page the tab loads.
//     The DevTools protocol can still read the page (Runtime.evaluate and
//     Runtime.callFunctionOn run, and promises settle), but timers do not
//     fire, and axe-core needs them; [Browser.Axe] therefore turns script
//     execution on for the length of the axe-core run only, and off again.
//     No page script runs then: the scripts the parser met were skipped when
//     the page loaded, and are not run again.
//   - The page's Content-Security-Policy stays in force. axe-core is not
//     added to the page as a script element, which a policy such as
//     "script-src 'self'" would block; its source is evaluated through the
//     DevTools protocol (Runtime.evaluate), which the policy does not govern.
//     Page.setBypassCSP is never used.
//   - Chromium counts http://127.0.0.1 and http://localhost as potentially
//     trustworthy origins, so it stores a cookie marked Secure, and one named
//     __Host-, that such a server sets over plain HTTP, and sends it back.
//
// Chromium comes from the PATH (Debian's /usr/bin/chromium, which
// `make chromium` installs) and axe-core from node_modules at the module's
// root (`make tools` installs both); [New] fails the test, saying so, when
// either is missing.
package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Options configure a [Browser]. The zero value is a 1024×768 tab with
// JavaScript off.
type Options struct {
	// JS turns JavaScript on. Off, no page script runs.
	JS bool
	// Width and Height are the viewport's size in CSS pixels, at a device
	// scale factor of 1; 1024 and 768 when zero.
	Width, Height int
	// ScreenshotDir is where [Browser.Screenshot] writes; it is made when
	// needed. Empty, Screenshot fails.
	ScreenshotDir string
	// AxePath is axe-core's axe.min.js; empty, node_modules/axe-core/axe.min.js
	// under the module's root (the nearest directory above the working
	// directory that holds go.mod).
	AxePath string
	// ExecPath is the Chromium binary; empty, "chromium" found on the PATH.
	ExecPath string
	// Timeout bounds each call on the tab (a navigation with its page load,
	// a click, an axe-core run); 30 seconds when zero.
	Timeout time.Duration
}

// Browser is one headless Chromium with one tab. Its methods are not safe for
// concurrent use: a test drives it one step at a time.
type Browser struct {
	opts Options
	ctx  context.Context // the tab's; it lives as long as the Browser
	axe  string          // axe-core's source
	dir  string          // the profile's directory; downloads go under it

	cancelTab, cancelAlloc context.CancelFunc

	mainID cdp.FrameID // the main frame's, which is the tab's target ID

	mu          sync.Mutex // guards what observe writes
	status      int        // the last main-frame document response's status
	loading     bool       // whether the main frame is loading
	navigations int        // how many times the main frame has started loading
	documents   int        // how many documents it has requested, redirects not counted
	changed     time.Time  // when loading last changed
}

// settleQuiet is how long the main frame must stay loaded, with no new
// navigation, before DoubleClick takes the page as the final one.
const settleQuiet = 300 * time.Millisecond

// New starts Chromium with one tab and closes it when the test ends. It fails
// the test, with what to run, when Chromium or axe-core is missing, and when
// the browser does not start.
func New(t testing.TB, opts Options) *Browser {
	t.Helper()
	if opts.Width == 0 {
		opts.Width = 1024
	}
	if opts.Height == 0 {
		opts.Height = 768
	}
	if opts.Timeout == 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.ExecPath == "" {
		path, err := exec.LookPath("chromium")
		if err != nil {
			t.Fatalf("browser: Chromium is not installed (%v): run `make tools`", err)
		}
		opts.ExecPath = path
	} else if _, err := os.Stat(opts.ExecPath); err != nil {
		t.Fatalf("browser: Chromium is not installed (%v): run `make tools`", err)
	}
	if opts.AxePath == "" {
		root, err := moduleRoot()
		if err != nil {
			t.Fatalf("browser: finding axe-core: %v", err)
		}
		opts.AxePath = filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
	}
	axe, err := os.ReadFile(opts.AxePath)
	if err != nil {
		t.Fatalf("browser: axe-core is not installed (%v): run `make tools`", err)
	}

	b, err := start(opts, string(axe), t.TempDir())
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	t.Cleanup(b.close)
	return b
}

// start launches the browser, opens its tab and sets the tab up.
func start(opts Options, axe, profile string) (*Browser, error) {
	var output capped
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(opts.ExecPath),
		chromedp.Headless, // also hides scrollbars and mutes audio
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// /dev/shm is small in many containers; Chromium crashes when it fills.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(opts.Width, opts.Height),
		chromedp.CombinedOutput(&output),
	)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	b := &Browser{opts: opts, ctx: tabCtx, axe: axe, dir: profile, cancelTab: cancelTab, cancelAlloc: cancelAlloc}

	// The first call starts the browser and ties it to tabCtx for good, so
	// it cannot take a timeout of its own: it is bounded here instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(tabCtx) }()
	select {
	case err := <-started:
		if err != nil {
			b.close()
			return nil, fmt.Errorf("starting %s: %w%s", opts.ExecPath, err, output.text())
		}
	case <-time.After(opts.Timeout):
		b.close()
		return nil, fmt.Errorf("starting %s: no browser after %v%s", opts.ExecPath, opts.Timeout, output.text())
	}

	b.mainID = cdp.FrameID(chromedp.FromContext(tabCtx).Target.TargetID)
	if err := chromedp.Listen(tabCtx, b.observe); err != nil {
		b.close()
		return nil, fmt.Errorf("listening to the tab's events: %w", err)
	}
	setup := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(int64(opts.Width), int64(opts.Height)),
	}
	if !opts.JS {
		setup = append(setup, setScripts(false))
	}
	if err := b.Run(setup...); err != nil {
		b.close()
		return nil, fmt.Errorf("setting the tab up: %w", err)
	}
	return b, nil
}

// close closes the tab and the browser, and waits for the browser to exit.
func (b *Browser) close() {
	b.cancelTab()
	b.cancelAlloc() // kills the browser if it is still running, and waits
}

// observe follows the main frame's navigations. The tab calls it for each
// event in the order they arrive, before a later command's reply, so a
// navigation's response is seen before the action that waited for it returns.
func (b *Browser) observe(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Type == network.ResourceTypeDocument && ev.FrameID == b.mainID && ev.RedirectResponse == nil {
			b.documents++
		}
	case *network.EventResponseReceived:
		if ev.Type == network.ResourceTypeDocument && ev.FrameID == b.mainID {
			b.status = int(ev.Response.Status)
		}
	case *page.EventFrameStartedLoading:
		if ev.FrameID == b.mainID {
			b.loading, b.changed = true, time.Now()
			b.navigations++
		}
	case *page.EventFrameStoppedLoading:
		if ev.FrameID == b.mainID {
			b.loading, b.changed = false, time.Now()
		}
	}
}

// Run runs the actions in the tab, in order, within the Options' Timeout.
func (b *Browser) Run(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(b.ctx, b.opts.Timeout)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// Result runs one action in b's tab, within the Options' Timeout, and returns
// its value: for example Result(b, chromedp.Evaluate[int](`document.forms.length`)).
func Result[T any](b *Browser, action chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, b.opts.Timeout)
	defer cancel()
	return chromedp.Run(ctx, action)
}

// Navigate loads url in the tab and waits for the page's load event.
func (b *Browser) Navigate(url string) error {
	if err := b.Run(chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("navigating to %s: %w", url, err)
	}
	return nil
}

// Status is the HTTP status of the last document the main frame received:
// after a redirect, the status of the page it led to; 0 before the first.
func (b *Browser) Status() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status
}

// Location is the current page's URL.
func (b *Browser) Location() (string, error) {
	loc, err := Result(b, chromedp.Location())
	if err != nil {
		return "", fmt.Errorf("reading the page's location: %w", err)
	}
	return loc, nil
}

// Title is the current page's title.
func (b *Browser) Title() (string, error) {
	title, err := Result(b, chromedp.Title())
	if err != nil {
		return "", fmt.Errorf("reading the page's title: %w", err)
	}
	return title, nil
}

// Text is the rendered text (innerText) of the first element that matches the
// CSS selector; it waits for one to be present, and is empty when the element
// is not rendered.
func (b *Browser) Text(selector string) (string, error) {
	text, err := Result(b, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		return "", fmt.Errorf("reading the text of %s: %w", selector, err)
	}
	return text, nil
}

// HTML is the current page's markup: its document element's outer HTML, as
// the DOM holds it now.
func (b *Browser) HTML() (string, error) {
	html, err := Result(b, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		return "", fmt.Errorf("reading the page's HTML: %w", err)
	}
	return html, nil
}

// Fill types value into the text input or textarea that matches the CSS
// selector, over what it held, as a person would: it selects the field's text
// and types (key events, which work with JavaScript off). A "\n" in value is
// the Enter key, a new line in a textarea; to submit a form, use
// [Browser.ClickButton]. Fill fails when the field does not then hold value.
func (b *Browser) Fill(selector, value string) error {
	sel := chromedp.CSS(selector)
	keys := value
	if keys == "" {
		keys = kb.Backspace
	}
	if err := b.Run(
		chromedp.Focus(sel),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(selector)+`).select()`),
		chromedp.SendKeys(sel, keys),
	); err != nil {
		return fmt.Errorf("filling %s: %w", selector, err)
	}
	got, err := Result(b, chromedp.Value(sel))
	if err != nil {
		return fmt.Errorf("reading back %s: %w", selector, err)
	}
	// The values are not in the error: they can be personal data.
	if got != value {
		return fmt.Errorf("filling %s: it holds %d characters after typing %d", selector, len([]rune(got)), len([]rune(value)))
	}
	return nil
}

// Check selects the radio button or checkbox that matches the CSS selector by
// clicking it, unless it is already checked.
func (b *Browser) Check(selector string) error {
	sel := chromedp.CSS(selector)
	checked, err := Result(b, chromedp.JavascriptAttribute[bool](sel, "checked"))
	if err != nil {
		return fmt.Errorf("reading whether %s is checked: %w", selector, err)
	}
	if checked {
		return nil
	}
	if err := b.Run(chromedp.Click(sel)); err != nil {
		return fmt.Errorf("clicking %s: %w", selector, err)
	}
	if checked, err = Result(b, chromedp.JavascriptAttribute[bool](sel, "checked")); err != nil {
		return fmt.Errorf("reading whether %s is checked: %w", selector, err)
	}
	if !checked {
		return fmt.Errorf("clicking %s did not check it", selector)
	}
	return nil
}

// Click clicks the middle of the first element that matches the CSS selector
// with the mouse, and does not wait for anything: for a click that changes
// the page in place. For a link or a submit button, use [Browser.ClickAndWait].
func (b *Browser) Click(selector string) error {
	if err := b.Run(chromedp.Click(chromedp.CSS(selector))); err != nil {
		return fmt.Errorf("clicking %s: %w", selector, err)
	}
	return nil
}

// ClickAndWait clicks the first element that matches the CSS selector, as
// [Browser.Click] does, and waits until the page that the click loads has
// loaded; it fails when no page loads within the Options' Timeout.
func (b *Browser) ClickAndWait(selector string) error {
	if err := clickAndWait(b, chromedp.CSS(selector)); err != nil {
		return fmt.Errorf("clicking %s and waiting for the next page: %w", selector, err)
	}
	return nil
}

// ClickButton clicks the one button whose text is text (a <button>, an
// <input> of type submit or button, or an element with role="button", such as
// GOV.UK's start button; its text content or value, spaces collapsed) and
// waits for the page it loads, as [Browser.ClickAndWait] does. It fails when
// no button or more than one has that text.
func (b *Browser) ClickButton(text string) error {
	expr := buttonsJS(text)
	n, err := Result(b, chromedp.Evaluate[int](expr+".length"))
	switch {
	case err != nil:
		return fmt.Errorf("finding the button %q: %w", text, err)
	case n == 0:
		return fmt.Errorf("no button says %q", text)
	case n > 1:
		return fmt.Errorf("%d buttons say %q", n, text)
	}
	if err := clickAndWait(b, chromedp.JSPath(expr+"[0]")); err != nil {
		return fmt.Errorf("clicking the button %q and waiting for the next page: %w", text, err)
	}
	return nil
}

// DoubleClick clicks the first element that matches the CSS selector twice,
// as a person's double click arrives (two press-and-release pairs, the second
// with a click count of 2, [DoubleClickGap] apart), then waits for a
// navigation to start and for the main frame to have loaded and started no
// other for 300 ms, so that the page the test reads next is the one the last
// click led to. It returns how many documents the main frame requested
// meanwhile (a redirect is not counted again): 2 when both clicks submitted a
// form, 1 when the second was not sent, for example because a page script
// prevented it or the first page had already loaded.
func (b *Browser) DoubleClick(selector string) (requests int, err error) {
	sel := chromedp.CSS(selector)
	ctx, cancel := context.WithTimeout(b.ctx, b.opts.Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(sel)); err != nil {
		return 0, fmt.Errorf("double-clicking %s: %w", selector, err)
	}
	box, err := chromedp.Run(ctx, chromedp.Dimensions(sel, chromedp.NodeVisible))
	if err != nil {
		return 0, fmt.Errorf("double-clicking %s: %w", selector, err)
	}
	x, y := centre(box.Content)
	b.mu.Lock()
	navigations, documents := b.navigations, b.documents
	b.mu.Unlock()
	for n := 1; n <= 2; n++ {
		if n == 2 {
			time.Sleep(DoubleClickGap)
		}
		if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y, chromedp.ClickCount(n))); err != nil {
			return 0, fmt.Errorf("double-clicking %s: click %d: %w", selector, n, err)
		}
	}
	if err := b.settle(ctx, navigations); err != nil {
		return 0, fmt.Errorf("double-clicking %s: waiting for the next page to load: %w", selector, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.documents - documents, nil
}

// DoubleClickGap is the time between the clicks of [Browser.DoubleClick]: a
// quick person's. Clicks that come within a few milliseconds of each other
// send one request only: the second submission replaces the first before
// Chromium sends it.
const DoubleClickGap = 100 * time.Millisecond

// clickAndWait clicks the element and waits for the page the click loads.
func clickAndWait[S chromedp.Selectable](b *Browser, sel S) error {
	ctx, cancel := context.WithTimeout(b.ctx, b.opts.Timeout)
	defer cancel()
	_, err := chromedp.RunResponse(ctx, chromedp.Click(sel))
	return err
}

// Back goes back one page in the tab's history, as the browser's back
// button does, and waits for the page it shows to have loaded and stayed
// loaded (a page that redirects is followed).
func (b *Browser) Back() error {
	ctx, cancel := context.WithTimeout(b.ctx, b.opts.Timeout)
	defer cancel()
	b.mu.Lock()
	before := b.navigations
	b.mu.Unlock()
	// history.back() through the DevTools protocol, which runs with the
	// page's scripts off too; chromedp's NavigateBack waits for a load
	// event that a redirected history entry does not always send.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`history.back()`)); err != nil {
		return fmt.Errorf("back: %w", err)
	}
	if err := b.settle(ctx, before); err != nil {
		return fmt.Errorf("back: waiting for the page: %w", err)
	}
	return nil
}

// settle waits until the main frame has started loading since its count of
// navigations was before, and then until it is not loading and has not
// started or stopped for settleQuiet.
func (b *Browser) settle(ctx context.Context, before int) error {
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		b.mu.Lock()
		done := b.navigations > before && !b.loading && time.Since(b.changed) >= settleQuiet
		b.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// Download clicks the first element that matches the CSS selector, a link
// whose response is a file (Content-Disposition: attachment, or a download
// attribute), as a person downloading it does, and waits within the Options'
// Timeout for the browser to have saved the whole file. It returns the name
// the browser suggested for the file and the file's contents. The page the
// tab shows stays as it was.
func (b *Browser) Download(selector string) (name string, content []byte, err error) {
	ctx, cancel := context.WithTimeout(b.ctx, b.opts.Timeout)
	defer cancel()
	dir, err := os.MkdirTemp(b.dir, "download-")
	if err != nil {
		return "", nil, fmt.Errorf("downloading from %s: %w", selector, err)
	}
	// Subscribed before the click, so that no event is missed.
	begun := chromedp.Events(ctx, cdpbrowser.DownloadWillBegin)
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	events := true
	if err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &events,
			})
			return err
		}),
		chromedp.Click(chromedp.CSS(selector)),
	); err != nil {
		return "", nil, fmt.Errorf("downloading from %s: %w", selector, err)
	}
	var guid string
	for ev, err := range begun {
		if err != nil {
			return "", nil, fmt.Errorf("downloading from %s: no download began: %w", selector, err)
		}
		guid, name = ev.GUID, ev.SuggestedFilename
		break
	}
	for ev, err := range progress {
		if err != nil {
			return "", nil, fmt.Errorf("downloading %s from %s: %w", name, selector, err)
		}
		if ev.GUID != guid {
			continue
		}
		switch ev.State {
		case cdpbrowser.DownloadProgressStateInProgress:
			continue
		case cdpbrowser.DownloadProgressStateCompleted:
			// With allowAndName, the file is named by its GUID.
			content, err := os.ReadFile(filepath.Join(dir, guid))
			if err != nil {
				return "", nil, fmt.Errorf("downloading %s from %s: %w", name, selector, err)
			}
			return name, content, nil
		default:
			return "", nil, fmt.Errorf("downloading %s from %s: the download ended %s", name, selector, ev.State)
		}
	}
	return "", nil, fmt.Errorf("downloading %s from %s: the download did not end", name, selector)
}

// Screenshot writes a PNG of the whole page, beyond the viewport, to
// ScreenshotDir/<name>.png; characters of name other than letters, digits,
// '.', '_' and '-' become '-'.
func (b *Browser) Screenshot(name string) error {
	if b.opts.ScreenshotDir == "" {
		return errors.New("screenshot: Options.ScreenshotDir is not set")
	}
	file := sanitise(name)
	if file == "" {
		return fmt.Errorf("screenshot: the name %q has no letters or digits", name)
	}
	png, err := Result(b, chromedp.FullScreenshot(100)) // quality 100 is PNG
	if err != nil {
		return fmt.Errorf("screenshot %s: %w", file, err)
	}
	if err := os.MkdirAll(b.opts.ScreenshotDir, 0o755); err != nil {
		return fmt.Errorf("screenshot %s: %w", file, err)
	}
	path := filepath.Join(b.opts.ScreenshotDir, file+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return fmt.Errorf("screenshot %s: %w", file, err)
	}
	return nil
}

var (
	unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)
	alnum      = regexp.MustCompile(`[A-Za-z0-9]`)
)

// sanitise makes name a file name: no separators, no leading dots.
func sanitise(name string) string {
	s := strings.Trim(unsafeName.ReplaceAllString(name, "-"), "-.")
	if !alnum.MatchString(s) {
		return ""
	}
	return s
}

// setScripts turns the page's script execution on or off.
func setScripts(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	})
}

// buttonsJS is an expression for the array of the page's buttons whose text is
// text.
func buttonsJS(text string) string {
	return fmt.Sprintf(`[...document.querySelectorAll('button, input[type=submit], input[type=button], [role=button]')]`+
		`.filter(e => (e.tagName === 'INPUT' ? e.value : e.textContent).replace(/\s+/g, ' ').trim() === %s)`, jsString(text))
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// centre is the middle of a box's quad (x1, y1, … x4, y4).
func centre(q []float64) (x, y float64) {
	for i := 0; i+1 < len(q); i += 2 {
		x += q[i]
		y += q[i+1]
	}
	n := float64(len(q) / 2)
	return x / n, y / n
}

// moduleRoot is the nearest directory, from the working directory up, that
// holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod in the working directory or above it")
		}
		dir = parent
	}
}

// capped keeps the first 16 KiB written to it: the browser's output, for the
// message when it does not start.
type capped struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := 16<<10 - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// text is the output kept, for an error message, or nothing.
func (c *capped) text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.buf.Len() == 0 {
		return ""
	}
	return "\nbrowser output:\n" + c.buf.String()
}
