package bench

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func durations(ms ...int) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = time.Duration(m) * time.Millisecond
	}
	return out
}

func TestPercentile(t *testing.T) {
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"none", nil, 50, 0},
		{"one value is every percentile", durations(7), 99, 7 * time.Millisecond},
		{"p50 of 1..100", durations(hundred...), 50, 50 * time.Millisecond},
		{"p99 of 1..100", durations(hundred...), 99, 99 * time.Millisecond},
		{"p100 is the largest", durations(hundred...), 100, 100 * time.Millisecond},
		{"nearest rank rounds up", durations(1, 2, 3), 50, 2 * time.Millisecond},
		{"p99 of ten is the largest", durations(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("Percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarise(t *testing.T) {
	got := Summarise(durations(4, 1, 3, 2), 2, 2*time.Second)
	want := Latency{N: 4, Concurrency: 2, PerSecond: 2, Mean: 2.5, P50: 2, P99: 4, Max: 4}
	if got != want {
		t.Errorf("Summarise = %+v, want %+v", got, want)
	}
	if got := Summarise(nil, 1, time.Second); got != (Latency{Concurrency: 1}) {
		t.Errorf("Summarise of none = %+v", got)
	}
}

func TestMeasureCallsEachOperationOnce(t *testing.T) {
	for _, c := range []int{1, 3, 50} {
		var mu sync.Mutex
		seen := map[int]int{}
		l, err := Measure(context.Background(), 20, c, func(ctx context.Context, i int) error {
			mu.Lock()
			seen[i]++
			mu.Unlock()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if l.N != 20 || l.Concurrency != c || len(seen) != 20 {
			t.Errorf("concurrency %d: N %d, %d operations seen", c, l.N, len(seen))
		}
		for i, n := range seen {
			if n != 1 {
				t.Errorf("concurrency %d: operation %d ran %d times", c, i, n)
			}
		}
	}
}

func TestMeasureStopsAtTheFirstError(t *testing.T) {
	boom := errors.New("boom")
	_, err := Measure(context.Background(), 100, 1, func(ctx context.Context, i int) error {
		if i == 5 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "operation 5") {
		t.Errorf("err = %v, want boom at operation 5", err)
	}
	for _, args := range [][2]int{{0, 1}, {1, 0}} {
		if _, err := Measure(context.Background(), args[0], args[1], nil); err == nil {
			t.Errorf("Measure(%d, %d) gave no error", args[0], args[1])
		}
	}
}

func TestNewRatio(t *testing.T) {
	r := NewRatio(Latency{P50: 6, P99: 10}, Latency{P50: 4, P99: 3})
	if r.P50 != 1.5 || r.P99 != 3.33 {
		t.Errorf("ratios %v and %v, want 1.5 and 3.33", r.P50, r.P99)
	}
	if r := NewRatio(Latency{P50: 6}, Latency{}); r.P50 != 0 {
		t.Errorf("ratio over a zero floor = %v, want 0", r.P50)
	}
}

func TestConsumed(t *testing.T) {
	tests := []struct {
		body  string
		units float64
		ok    bool
	}{
		{`{"ConsumedCapacity":{"TableName":"t","CapacityUnits":3}}`, 3, true},
		{`{"ConsumedCapacity":[{"TableName":"t","CapacityUnits":8},{"TableName":"u","CapacityUnits":2.5}]}`, 10.5, true},
		{`{"Item":{}}`, 0, false},
		{`{"ConsumedCapacity":[]}`, 0, false},
		{`not json`, 0, false},
	}
	for _, tt := range tests {
		units, ok := consumed([]byte(tt.body))
		if units != tt.units || ok != tt.ok {
			t.Errorf("consumed(%s) = %v, %v; want %v, %v", tt.body, units, ok, tt.units, tt.ok)
		}
	}
}

// TestRecorder: the recorder forwards each request, asks DynamoDB for the
// capacity where the caller did not (and leaves it where it did), and adds
// up each operation's calls and units.
func TestRecorder(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &in)
		mu.Lock()
		asked = append(asked, in["ReturnConsumedCapacity"].(string))
		mu.Unlock()
		switch r.Header.Get("X-Amz-Target") {
		case "DynamoDB_20120810.TransactWriteItems":
			_, _ = io.WriteString(w, `{"ConsumedCapacity":[{"TableName":"t","CapacityUnits":8}]}`)
		default:
			_, _ = io.WriteString(w, `{"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5}}`)
		}
	}))
	defer target.Close()
	rec, err := NewRecorder(true)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	if err := rec.SetTarget(target.URL); err != nil {
		t.Fatal(err)
	}
	call := func(op, body string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, rec.URL(), strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), "ConsumedCapacity") {
			t.Errorf("%s: the answer was not passed on: %s", op, b)
		}
	}
	call("TransactWriteItems", `{"TransactItems":[]}`)
	call("GetItem", `{"TableName":"t"}`)
	call("GetItem", `{"TableName":"t","ReturnConsumedCapacity":"INDEXES"}`)
	ops := rec.Ops()
	if got := ops["TransactWriteItems"]; got.Count != 1 || got.WriteUnits != 8 || got.ReadUnits != 0 {
		t.Errorf("TransactWriteItems = %+v", got)
	}
	if got := ops["GetItem"]; got.Count != 2 || got.ReadUnits != 1 || got.WriteUnits != 0 || got.Total <= 0 {
		t.Errorf("GetItem = %+v", got)
	}
	if strings.Join(asked, ",") != "TOTAL,TOTAL,INDEXES" {
		t.Errorf("ReturnConsumedCapacity sent: %v", asked)
	}
	rec.Reset()
	if len(rec.Ops()) != 0 {
		t.Error("Reset kept what was recorded")
	}
}

func TestPerReferral(t *testing.T) {
	p := Prices{WriteRequestUnit: 1e-6, ReadRequestUnit: 0.2e-6, SQSRequest: 0.4e-6, LambdaRequest: 0.2e-6, LambdaGBSecond: 1e-5, HTTPAPIRequest: 1e-6}
	u := Usage{Referrals: 10, WriteUnits: 200, ReadUnits: 50, SQSRequests: 40, Invocations: 30, GBSeconds: 0.5, APIRequests: 10}
	c := u.PerReferral(p)
	want := Cost{DynamoDB: 21e-6, SQS: 1.6e-6, Lambda: 0.6e-6 + 0.5e-6, APIGateway: 1e-6}
	want.Total = want.DynamoDB + want.SQS + want.Lambda + want.APIGateway
	for _, f := range []struct {
		name      string
		got, want float64
	}{{"DynamoDB", c.DynamoDB, want.DynamoDB}, {"SQS", c.SQS, want.SQS}, {"Lambda", c.Lambda, want.Lambda},
		{"API Gateway", c.APIGateway, want.APIGateway}, {"total", c.Total, want.Total}} {
		if math.Abs(f.got-f.want) > 1e-12 {
			t.Errorf("%s = %g, want %g", f.name, f.got, f.want)
		}
	}
	if (Usage{}).PerReferral(p) != (Cost{}) {
		t.Error("no referrals should cost nothing")
	}
}

// TestLambdaBuildIsTheMakefiles: the sizes are of the binaries `sam build`
// makes, so the bench builds with the Makefile's GO_BUILD flags.
func TestLambdaBuildIsTheMakefiles(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^GO_BUILD\s*:=\s*(.*)$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no GO_BUILD in the Makefile")
	}
	line := strings.ReplaceAll(string(m[1]), "'", "")
	want := strings.Join(LambdaBuild, " ")
	if !strings.Contains(line, "go "+want) {
		t.Errorf("Makefile GO_BUILD is %q; the bench builds with go %s", line, want)
	}
}

// TestSizesOfAMinimalBootstrap builds the minimal bootstrap for
// linux/arm64 and zips it.
func TestSizesOfAMinimalBootstrap(t *testing.T) {
	if testing.Short() {
		t.Skip("builds for linux/arm64 (-short)")
	}
	got, err := Sizes(t.Context(), filepath.Join("..", ".."), t.TempDir(), []string{"infra/bench/minimal"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Function != "minimal" || got[0].Raw < 1<<20 || got[0].Zipped <= 0 || got[0].Zipped >= got[0].Raw {
		t.Errorf("Sizes = %+v", got)
	}
}

func TestLetters(t *testing.T) {
	seen := map[string]bool{}
	for i := range 26*27 + 5 {
		l := letters(i)
		if seen[l] || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Fatalf("letters(%d) = %q: repeated or not letters", i, l)
		}
		seen[l] = true
	}
	for i, want := range map[int]string{0: "a", 25: "z", 26: "aa", 27: "ab", 51: "az", 52: "ba"} {
		if got := letters(i); got != want {
			t.Errorf("letters(%d) = %q, want %q", i, got, want)
		}
	}
}

// TestBuildTagsCallHTTPSOverHTTP1: built with the functions' tags, which
// leave net/http's HTTP/2 out, the SDK's HTTP client still calls a server
// that offers HTTP/2 over TLS, as AWS's endpoints may: it agrees HTTP/1.1.
// (Built without them, the same call goes over HTTP/2.)
func TestBuildTagsCallHTTPSOverHTTP1(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program (-short)")
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	// The server does speak HTTP/2 to a client that asks for it.
	if resp, err := srv.Client().Get(srv.URL); err != nil || resp.ProtoMajor != 2 {
		t.Fatalf("the test server does not offer HTTP/2: %v %v", resp, err)
	}
	cert := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(t.Context(), "go", "run", "-tags", BuildTags, "./testdata/https", srv.URL, cert).CombinedOutput()
	if err != nil {
		t.Fatalf("the call: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "200 HTTP/1.1" {
		t.Errorf("the call came back %q, want 200 HTTP/1.1", got)
	}
}
