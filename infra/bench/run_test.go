package bench

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
)

// TestRunOnTheLocalStack runs the whole bench small, on the real stack and
// binaries, so that `make bench` cannot rot between runs: every figure the
// report promises must be there and be plausible.
func TestRunOnTheLocalStack(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the local stack twice (-short)")
	}
	binaries, ddbDir := os.Getenv("FRONTDOOR_FUNCTIONS_DIR"), os.Getenv("DYNAMODB_LOCAL_DIR")
	if binaries == "" || ddbDir == "" {
		t.Fatal("FRONTDOOR_FUNCTIONS_DIR and DYNAMODB_LOCAL_DIR must be set: run `make test`")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	const n, e2e, cost = 30, 10, 10
	o := Options{
		Root: root, Binaries: binaries, DynamoDBDir: ddbDir,
		N: n, Concurrency: []int{1, 4}, ColdStarts: 2,
		EndToEnd: e2e, EndToEndEvery: 20 * time.Millisecond,
		Phases: 20, Cost: cost, Web: 5, SkipSizes: true,
	}
	r, err := Run(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}

	if len(r.Submit) != 4 {
		t.Fatalf("%d submission runs, want 4", len(r.Submit))
	}
	for _, s := range r.Submit {
		if s.Product.N != n || s.Floor.N != n || s.Product.P50 <= 0 || s.Floor.P50 <= 0 || s.P50 <= 0 || s.P99 <= 0 ||
			s.OverTransaction.Floor.N != n || s.OverTransaction.Floor.P50 <= 0 || s.OverTransaction.P50 <= 0 {
			t.Errorf("submission run %+v", s)
		}
	}

	if len(r.WebSubmit) != 2 {
		t.Fatalf("%d web journey runs, want 2", len(r.WebSubmit))
	}
	for _, s := range r.WebSubmit {
		if s.Product.N != 5 || s.Product.P50 <= 0 || s.P50 <= 0 || s.OverTransaction.P50 <= 0 {
			t.Errorf("web journey run %+v", s)
		}
	}

	ph := r.Phases
	if ph.N != 20 || ph.Function <= 0 || ph.Total <= ph.Function || ph.Rest <= 0 {
		t.Errorf("phases %+v", ph)
	}
	calls := map[string]Call{}
	for _, c := range ph.Calls {
		calls[c.Service+" "+c.Operation] = c
	}
	for _, want := range []string{"DynamoDB TransactWriteItems", "SQS SendMessage"} {
		if c, ok := calls[want]; !ok || c.PerReq < 1 || c.Mean <= 0 {
			t.Errorf("phases: %s = %+v (all: %v)", want, c, ph.Calls)
		}
	}

	if r.EndToEnd.Triaged.N != e2e || r.EndToEnd.Triaged.P50 <= 0 || r.EndToEnd.FollowUp.P50 < r.EndToEnd.Triaged.P50 {
		t.Errorf("end to end %+v", r.EndToEnd)
	}

	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ColdStarts) != len(tpl.Functions) || r.Minimal.Ready <= 0 {
		t.Errorf("%d cold starts for %d functions; minimal %+v", len(r.ColdStarts), len(tpl.Functions), r.Minimal)
	}
	for _, c := range r.ColdStarts {
		if c.Starts != 2 || c.Ready <= 0 || c.FirstResponse < c.Ready || c.ReadyRatio <= 0 {
			t.Errorf("cold start %+v", c)
		}
	}

	u := r.Usage
	// Each referral: the submit's invocation, a triage message sent and a
	// follow-up command sent, at least.
	if u.Referrals != cost || u.APIRequests != cost || u.Invocations < cost || u.SQSRequests < 2*cost ||
		u.WriteUnits < cost || u.GBSeconds <= 0 || r.Cost.Total <= 0 {
		t.Errorf("usage %+v, cost %+v", u, r.Cost)
	}
	if u.DynamoDBCalls["TransactWriteItems"].Count < cost {
		t.Errorf("DynamoDB calls %+v", u.DynamoDBCalls)
	}

	var out bytes.Buffer
	if err := r.Print(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"against its floor", "Send referral", "One submission", "End to end", "Cold start", "Cost per referral", "SubmitReferralFunction"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the printed report has no %q:\n%s", want, out.String())
		}
	}
	path := filepath.Join(t.TempDir(), "bench.json")
	if err := r.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil || back.Phases.N != 20 || len(back.Submit) != 4 {
		t.Errorf("the JSON file does not read back: %v", err)
	}
}
