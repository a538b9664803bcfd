package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/csc-frontdoor/frontdoor/infra/lambdart"
	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
	"github.com/csc-frontdoor/frontdoor/infra/webform"
)

// Options configure a run of the bench.
type Options struct {
	// Root is the project's directory; Binaries holds every function's
	// bootstrap built for this machine (make functions); DynamoDBDir holds
	// DynamoDB Local.
	Root, Binaries, DynamoDBDir string
	// N is how many referrals each submission run sends.
	N int
	// Concurrency lists the submission runs' concurrencies.
	Concurrency []int
	// ColdStarts is how many times each function is started.
	ColdStarts int
	// EndToEnd is how many referrals are followed to their follow-up, one
	// sent every EndToEndEvery.
	EndToEnd      int
	EndToEndEvery time.Duration
	// Phases is how many referrals the per-phase breakdown sends, and Cost
	// how many the cost is measured over.
	Phases, Cost int
	// Web is how many referrals each concurrency's web journey run sends
	// (0 leaves the web journey out).
	Web int
	// SkipSizes leaves out the linux/arm64 builds.
	SkipSizes bool
	// Progress receives a line as each part starts; Logs the stack's.
	Progress, Logs io.Writer
}

// Report is every figure of a run.
type Report struct {
	Date      string `json:"date"`
	Machine   string `json:"machine"`
	GoVersion string `json:"goVersion"`
	// Submit compares POST /referrals with its floor at each concurrency,
	// with triage running as in production and paused.
	Submit []SubmitRun `json:"submit"`
	// WebSubmit is the web journey's "Send referral" (the check answers
	// page's form posted) at each concurrency, triage running, against the
	// same floors.
	WebSubmit []SubmitRun `json:"webSubmit"`
	// Phases is where one submission's time goes.
	Phases Phases `json:"phases"`
	// EndToEnd is from POST /referrals to the referral awaiting a decision
	// and to its follow-up created.
	EndToEnd EndToEnd `json:"endToEnd"`
	// ColdStarts are the functions' and a minimal bootstrap's.
	ColdStarts []ColdStartRow `json:"coldStarts"`
	Minimal    ColdStartRow   `json:"minimalBootstrap"`
	Sizes      []Size         `json:"sizes"`
	// Usage is what Cost.Referrals referrals used, and Cost one's share.
	Usage      Usage  `json:"usage"`
	Cost       Cost   `json:"costPerReferral"`
	Prices     Prices `json:"prices"`
	PricesAsOf string `json:"pricesAsOf"`
}

// SubmitRun is one submission run against its floor, and against the
// transaction floor (the same items written as the product writes them).
type SubmitRun struct {
	Concurrency int  `json:"concurrency"`
	Triage      bool `json:"triageRunning"`
	Ratio
	OverTransaction Ratio `json:"overTransactionFloor"`
}

// EndToEnd is how long referrals sent one at a time took to be triaged and
// to have their follow-up.
type EndToEnd struct {
	Every    time.Duration `json:"everyNs"`
	Triaged  Latency       `json:"toAwaitingDecision"`
	FollowUp Latency       `json:"toFollowUp"`
}

// ColdStartRow is a function's start, median of the starts measured, in
// milliseconds, and over the minimal bootstrap's.
type ColdStartRow struct {
	Function           string  `json:"function"`
	Starts             int     `json:"starts"`
	Ready              float64 `json:"readyMs"`
	FirstResponse      float64 `json:"firstResponseMs"`
	ReadyRatio         float64 `json:"readyRatio,omitempty"`
	FirstResponseRatio float64 `json:"firstResponseRatio,omitempty"`
}

// The samples the runs send (events/referrals): the typical
// referral, and one that makes a follow-up.
const (
	typicalSample  = "single-child.json"
	followUpSample = "missing-episode.json"
)

// Run measures everything on fresh local stacks and returns the report.
func Run(ctx context.Context, o Options) (*Report, error) {
	r := &Report{
		Date:       time.Now().UTC().Format(time.RFC3339),
		Machine:    fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU()),
		GoVersion:  runtime.Version(),
		Prices:     London,
		PricesAsOf: PricesAsOf,
	}
	say := func(format string, args ...any) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "bench: "+format+"\n", args...)
		}
	}
	tpl, err := samtemplate.Load(filepath.Join(o.Root, "template.yaml"))
	if err != nil {
		return nil, err
	}
	typical, err := os.ReadFile(filepath.Join(o.Root, "events", "referrals", typicalSample))
	if err != nil {
		return nil, err
	}
	withFollowUp, err := os.ReadFile(filepath.Join(o.Root, "events", "referrals", followUpSample))
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "frontdoor-bench-build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	if !o.SkipSizes {
		say("sizes: building every function for linux/arm64")
		dirs, err := functionDirs(o.Root)
		if err != nil {
			return nil, err
		}
		if r.Sizes, err = Sizes(ctx, o.Root, work, dirs); err != nil {
			return nil, err
		}
	}

	conns := slices.Max(o.Concurrency)
	say("starting the local stack")
	l, err := startLocal(ctx, o, "a", conns, 0, 0, nil)
	if err != nil {
		return nil, err
	}
	defer l.close()

	say("cold starts: %d of each function and of a minimal bootstrap", o.ColdStarts)
	if r.Minimal, r.ColdStarts, err = coldStarts(ctx, o, l, tpl, work); err != nil {
		return nil, err
	}

	for _, c := range o.Concurrency {
		say("submission at concurrency %d: %d referrals each, against the floor", c, o.N)
		runs, err := submitRuns(ctx, l, typical, o.N, c)
		if err != nil {
			return nil, err
		}
		r.Submit = append(r.Submit, runs...)
		if o.Web > 0 {
			say("the web journey's send at concurrency %d: %d referrals", c, o.Web)
			web, err := webSubmit(ctx, l, o.Web, c)
			if err != nil {
				return nil, err
			}
			// The next run starts from an empty queue, not behind the
			// triage of these.
			if err := l.drain(ctx, "TriageQueue"); err != nil {
				return nil, err
			}
			r.WebSubmit = append(r.WebSubmit, SubmitRun{Concurrency: c, Triage: true,
				Ratio: NewRatio(web, runs[0].Floor), OverTransaction: NewRatio(web, runs[0].OverTransaction.Floor)})
		}
	}

	say("end to end: %d referrals, one every %s", o.EndToEnd, o.EndToEndEvery)
	if r.EndToEnd, err = endToEnd(ctx, l, withFollowUp, o.EndToEnd, o.EndToEndEvery); err != nil {
		return nil, err
	}
	if err := l.close(); err != nil {
		return nil, err
	}

	say("phases and cost: the stack again, its calls to DynamoDB and SQS through a recorder")
	if r.Phases, r.Usage, err = phasesAndCost(ctx, o, typical, withFollowUp); err != nil {
		return nil, err
	}
	r.Cost = r.Usage.PerReferral(r.Prices)
	return r, nil
}

// functionDirs lists the function packages, functions/<name>.
func functionDirs(root string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, filepath.Join("functions", e.Name()))
		}
	}
	return out, nil
}

// submitRuns measures the floor, then the product with triage paused, then
// with triage running, each from empty queues.
func submitRuns(ctx context.Context, l *local, body []byte, n, c int) ([]SubmitRun, error) {
	run := "c" + strconv.Itoa(c)
	// A referral as the product stores it, for the floor to copy.
	key := "bench-" + run + "-model"
	model, err := l.stream(body, 1)
	if err != nil {
		return nil, err
	}
	id, err := l.submit(ctx, model[0], key)
	if err != nil {
		return nil, err
	}
	items, err := l.submissionItems(ctx, id, key)
	if err != nil {
		return nil, err
	}
	fl, err := NewFloor(ctx, l.db, l.sqs, l.table, items)
	if err != nil {
		return nil, err
	}
	if err := l.drain(ctx, "TriageQueue"); err != nil {
		return nil, err
	}
	floor, err := Measure(ctx, n, c, fl.Op(run))
	if err != nil {
		return nil, fmt.Errorf("floor: %w", err)
	}
	txFloor, err := Measure(ctx, n, c, fl.TxOp(run+"-tx"))
	if err != nil {
		return nil, fmt.Errorf("transaction floor: %w", err)
	}
	if err := fl.Purge(ctx); err != nil {
		return nil, err
	}

	pausedBodies, err := l.stream(body, n)
	if err != nil {
		return nil, err
	}
	runningBodies, err := l.stream(body, n)
	if err != nil {
		return nil, err
	}
	l.st.Pause("TriageFunction")
	paused, err := Measure(ctx, n, c, l.submitOp(pausedBodies, run+"-paused"))
	l.st.Resume("TriageFunction")
	if err != nil {
		return nil, fmt.Errorf("submit, triage paused: %w", err)
	}
	if err := l.drain(ctx, "TriageQueue"); err != nil {
		return nil, err
	}
	running, err := Measure(ctx, n, c, l.submitOp(runningBodies, run+"-running"))
	if err != nil {
		return nil, fmt.Errorf("submit, triage running: %w", err)
	}
	if err := l.drain(ctx, "TriageQueue"); err != nil {
		return nil, err
	}
	return []SubmitRun{
		{Concurrency: c, Triage: true, Ratio: NewRatio(running, floor), OverTransaction: NewRatio(running, txFloor)},
		{Concurrency: c, Triage: false, Ratio: NewRatio(paused, floor), OverTransaction: NewRatio(paused, txFloor)},
	}, nil
}

// webSubmit fills in n referrals on the pages as a person without
// JavaScript does (not timed), then times pressing "Send referral" on each,
// c at once, until its confirmation page is shown.
func webSubmit(ctx context.Context, l *local, n, c int) (Latency, error) {
	hc := &http.Client{Transport: l.http.Transport, Timeout: 60 * time.Second, CheckRedirect: webform.NoRedirects.CheckRedirect}
	filled := make([]*webform.Client, n)
	if _, err := Measure(ctx, n, 4, func(ctx context.Context, i int) error {
		filled[i] = &webform.Client{Base: l.api, HTTP: hc}
		return filled[i].FillReferral("bench-web-c" + strconv.Itoa(c) + "-" + strconv.Itoa(i))
	}); err != nil {
		return Latency{}, fmt.Errorf("bench: fill in the pages: %w", err)
	}
	return Measure(ctx, n, c, func(ctx context.Context, i int) error {
		if err := filled[i].Post(url.Values{}); err != nil {
			return err
		}
		return filled[i].Want("/refer/confirmation", http.StatusOK)
	})
}

// endToEnd sends n referrals that make a follow-up, one every every, and
// measures from each POST to its screening and its follow-up, as stored.
func endToEnd(ctx context.Context, l *local, body []byte, n int, every time.Duration) (EndToEnd, error) {
	type sent struct {
		id string
		at time.Time
	}
	bodies, err := l.stream(body, n)
	if err != nil {
		return EndToEnd{}, err
	}
	all := make([]sent, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	tick := time.NewTicker(every)
	for i := range n {
		if i > 0 {
			<-tick.C
		}
		wg.Go(func() {
			all[i].at = time.Now()
			all[i].id, errs[i] = l.submit(ctx, bodies[i], "bench-e2e-"+strconv.Itoa(i))
		})
	}
	tick.Stop()
	wg.Wait()
	ids := make([]string, n)
	for i, s := range all {
		if errs[i] != nil {
			return EndToEnd{}, errs[i]
		}
		ids[i] = s.id
	}
	got, err := l.awaitFollowUps(ctx, ids)
	if err != nil {
		return EndToEnd{}, err
	}
	var triaged, followUp []time.Duration
	for i, p := range got {
		triaged = append(triaged, p.triaged.Sub(all[i].at))
		followUp = append(followUp, p.followUp.Sub(all[i].at))
	}
	start := all[0].at
	wall := all[n-1].at.Sub(start)
	return EndToEnd{
		Every:    every,
		Triaged:  Summarise(triaged, 1, wall),
		FollowUp: Summarise(followUp, 1, wall),
	}, nil
}

// coldStartEvents is what each function's first invocation is, under
// events/ (WebFunction's is the start page, built here).
var coldStartEvents = map[string]string{
	"SubmitReferralFunction": "api/post-referrals-single-child.json",
	"GetReferralFunction":    "api/get-referrals-id.json",
	"MashApiFunction":        "api/get-triage-queue.json",
	"HelplineApiFunction":    "api/get-helpline-calls.json",
	"ProviderApiFunction":    "api/get-follow-ups.json",
	"ReferrerApiFunction":    "api/get-referrer-referrals-reference.json",
	"CustodyRequestFunction": "api/post-custody-requests-appropriate-adult.json",
	"TriageFunction":         "triage/referral-received.json",
	"FollowUpFunction":       "follow-up/return-home-interview.json",
	"SweepFunction":          "sweep/scheduled.json",
}

// webStartEvent is GET / of the pages, as the HTTP API hands it over.
const webStartEvent = `{"version":"2.0","routeKey":"GET /","rawPath":"/","rawQueryString":"",` +
	`"headers":{"host":"127.0.0.1:3000","accept":"text/html"},` +
	`"requestContext":{"http":{"method":"GET","path":"/","protocol":"HTTP/1.1","sourceIp":"127.0.0.1","userAgent":"bench"},` +
	`"requestId":"bench","routeKey":"GET /","stage":"$default","domainName":"127.0.0.1"},"isBase64Encoded":false}`

// coldStarts starts each function o.ColdStarts times with its event, and a
// minimal bootstrap built as the functions are, and compares the medians.
func coldStarts(ctx context.Context, o Options, l *local, tpl *samtemplate.Template, work string) (ColdStartRow, []ColdStartRow, error) {
	minimal, err := buildMinimal(ctx, o.Root, work)
	if err != nil {
		return ColdStartRow{}, nil, err
	}
	floor, err := coldStart(ctx, lambdart.Config{Name: "MinimalBootstrap", Path: minimal}, []byte(`{}`), o.ColdStarts)
	if err != nil {
		return ColdStartRow{}, nil, err
	}
	var rows []ColdStartRow
	for _, f := range tpl.Functions {
		cfg, ok := l.st.FunctionConfig(f.LogicalID)
		if !ok {
			return floor, nil, fmt.Errorf("bench: the stack does not run %s", f.LogicalID)
		}
		payload := []byte(webStartEvent)
		if name, ok := coldStartEvents[f.LogicalID]; ok {
			if payload, err = os.ReadFile(filepath.Join(o.Root, "events", name)); err != nil {
				return floor, nil, err
			}
		} else if f.LogicalID != "WebFunction" {
			return floor, nil, fmt.Errorf("bench: no cold-start event for %s", f.LogicalID)
		}
		row, err := coldStart(ctx, cfg, payload, o.ColdStarts)
		if err != nil {
			return floor, nil, err
		}
		row.ReadyRatio = round2(row.Ready / floor.Ready)
		row.FirstResponseRatio = round2(row.FirstResponse / floor.FirstResponse)
		rows = append(rows, row)
	}
	return floor, rows, nil
}

// coldStart is the median of n starts of the function. A function error
// is still its first response; only a start or invocation that fails to
// answer at all is an error.
func coldStart(ctx context.Context, cfg lambdart.Config, payload []byte, n int) (ColdStartRow, error) {
	var ready, first []time.Duration
	for range n {
		t, err := lambdart.ColdStart(ctx, cfg, payload)
		if t.FirstResponse == 0 {
			return ColdStartRow{}, fmt.Errorf("bench: cold start of %s: no response: %w", cfg.Name, err)
		}
		ready = append(ready, t.Ready)
		first = append(first, t.FirstResponse)
	}
	slices.Sort(ready)
	slices.Sort(first)
	return ColdStartRow{
		Function:      cfg.Name,
		Starts:        n,
		Ready:         ms(Percentile(ready, 50)),
		FirstResponse: ms(Percentile(first, 50)),
	}, nil
}

// buildMinimal builds the minimal bootstrap (infra/bench/minimal) for this
// machine with the flags of the functions' local build (the Makefile's
// LOCAL_BUILD).
func buildMinimal(ctx context.Context, root, work string) (string, error) {
	bin := filepath.Join(work, "minimal", "bootstrap")
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", BuildTags, "-trimpath", "-ldflags=-s -w", "-o", bin, "./infra/bench/minimal")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("bench: build the minimal bootstrap: %w\n%s", err, b)
	}
	return bin, nil
}
