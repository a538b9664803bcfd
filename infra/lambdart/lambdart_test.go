package lambdart

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var fnPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lambdart-test")
	if err != nil {
		panic(err)
	}
	fnPath = filepath.Join(dir, "bootstrap")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", fnPath, "./testdata/fn")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

type reply struct {
	PID       int    `json:"pid"`
	RequestID string `json:"requestId"`
	Env       string `json:"env"`
	Function  string `json:"function"`
	Deadline  bool   `json:"deadline"`
}

func start(t *testing.T, cfg Config) *Function {
	t.Helper()
	cfg.Name = "TestFunction"
	cfg.Path = fnPath
	f, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func invoke(t *testing.T, f *Function, payload string) (reply, error) {
	t.Helper()
	body, err := f.Invoke(context.Background(), []byte(payload))
	var r reply
	if err == nil {
		if jerr := json.Unmarshal(body, &r); jerr != nil {
			t.Fatalf("response %q: %v", body, jerr)
		}
	}
	return r, err
}

func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

func TestWarmInstanceIsReused(t *testing.T) {
	f := start(t, Config{Env: map[string]string{"TABLE_NAME": "t1"}})
	first, err := invoke(t, f, `{"env":"TABLE_NAME"}`)
	if err != nil {
		t.Fatal(err)
	}
	second, err := invoke(t, f, `{"env":"TABLE_NAME"}`)
	if err != nil {
		t.Fatal(err)
	}
	if first.PID != second.PID {
		t.Errorf("second invocation ran in pid %d, want the warm pid %d", second.PID, first.PID)
	}
	if first.RequestID == "" || first.RequestID == second.RequestID {
		t.Errorf("request ids %q and %q: want distinct and non-empty", first.RequestID, second.RequestID)
	}
	if first.Env != "t1" || first.Function != "TestFunction" || !first.Deadline {
		t.Errorf("got %+v, want env t1, function name and a deadline", first)
	}
}

func TestHostEnvironmentIsNotPassedOn(t *testing.T) {
	t.Setenv("LAMBDART_SECRET", "leak")
	f := start(t, Config{})
	r, err := invoke(t, f, `{"env":"LAMBDART_SECRET"}`)
	if err != nil {
		t.Fatal(err)
	}
	if r.Env != "" {
		t.Errorf("function saw the runner's variable: %q", r.Env)
	}
	r, err = invoke(t, f, `{"env":"AWS_REGION"}`)
	if err != nil || r.Env != "eu-west-2" {
		t.Errorf("AWS_REGION = %q, %v; want eu-west-2", r.Env, err)
	}
}

func TestFunctionErrorKeepsInstance(t *testing.T) {
	f := start(t, Config{})
	before, err := invoke(t, f, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = invoke(t, f, `{"do":"fail"}`)
	var fe *FunctionError
	if !errors.As(err, &fe) || fe.Message != "asked to fail" || fe.Type == "" {
		t.Fatalf("err = %v, want a FunctionError with the handler's message", err)
	}
	after, err := invoke(t, f, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	if after.PID != before.PID {
		t.Errorf("instance replaced after a handler error: pid %d then %d", before.PID, after.PID)
	}
}

func TestTimeoutKillsAndReplacesInstance(t *testing.T) {
	f := start(t, Config{Timeout: 300 * time.Millisecond})
	before, err := invoke(t, f, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = invoke(t, f, `{"do":"sleep","ms":5000}`)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if alive(before.PID) {
		t.Errorf("timed-out process %d still alive", before.PID)
	}
	after, err := invoke(t, f, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	if after.PID == before.PID {
		t.Error("the timed-out instance was reused")
	}
}

func TestKillBusyKillsOnlyAnInvocationInProgress(t *testing.T) {
	f := start(t, Config{Timeout: 10 * time.Second})
	before, err := invoke(t, f, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	if k := f.KillBusy(); len(k) != 0 || !alive(before.PID) {
		t.Fatalf("an idle instance: killed %d, alive %v; want none killed", len(k), alive(before.PID))
	}
	errc := make(chan error, 1)
	go func() {
		_, err := f.Invoke(context.Background(), []byte(`{"do":"sleep","ms":5000}`))
		errc <- err
	}()
	var killed [][]byte
	for deadline := time.Now().Add(5 * time.Second); len(killed) == 0 && time.Now().Before(deadline); {
		killed = f.KillBusy()
		time.Sleep(10 * time.Millisecond)
	}
	if len(killed) != 1 || string(killed[0]) != `{"do":"sleep","ms":5000}` {
		t.Fatalf("killed %q, want the busy invocation's payload", killed)
	}
	if err := <-errc; err == nil || !strings.Contains(err.Error(), "exited during the invocation") {
		t.Fatalf("the killed invocation: %v, want an exit error", err)
	}
	if alive(before.PID) {
		t.Errorf("process %d still alive", before.PID)
	}
	after, err := invoke(t, f, `{}`)
	if err != nil || after.PID == before.PID {
		t.Errorf("after the kill: pid %d (before %d), %v; want a fresh instance", after.PID, before.PID, err)
	}
}

func TestProcessExitIsAnErrorAndRecovers(t *testing.T) {
	f := start(t, Config{})
	if _, err := invoke(t, f, `{"do":"exit"}`); err == nil || !strings.Contains(err.Error(), "exited") {
		t.Fatalf("err = %v, want an exit error", err)
	}
	if _, err := invoke(t, f, `{}`); err != nil {
		t.Fatalf("after an exit: %v", err)
	}
}

func TestInitFailureIsReportedByStart(t *testing.T) {
	_, err := Start(context.Background(), Config{Name: "Broken", Path: fnPath, Env: map[string]string{"FAIL_INIT": "1"}})
	if err == nil || !strings.Contains(err.Error(), "exited during init") {
		t.Fatalf("err = %v, want an init error", err)
	}
}

func TestStartRejectsMissingBinary(t *testing.T) {
	_, err := Start(context.Background(), Config{Name: "Missing", Path: filepath.Join(t.TempDir(), "bootstrap")})
	if err == nil {
		t.Fatal("no error for a missing binary")
	}
}

func TestOversizedPayloadIsRefused(t *testing.T) {
	f := start(t, Config{})
	if _, err := f.Invoke(context.Background(), make([]byte, MaxPayload+1)); err == nil {
		t.Fatal("no error for an oversized payload")
	}
}

func TestConcurrencyRunsSeparateInstances(t *testing.T) {
	f := start(t, Config{Concurrency: 2})
	var wg sync.WaitGroup
	pids := make([]int, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r reply
			r, errs[i] = invoke(t, f, `{"do":"sleep","ms":300}`)
			pids[i] = r.PID
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	if pids[0] == pids[1] {
		t.Errorf("two overlapping invocations ran in one process %d", pids[0])
	}
}

func TestOutputIsPrefixedByLine(t *testing.T) {
	var buf syncBuf
	f := start(t, Config{Output: &buf})
	if _, err := invoke(t, f, `{"do":"log"}`); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	out := buf.String()
	for _, want := range []string{"[TestFunction] line one\n", "[TestFunction] line two\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
}

func TestCloseLeavesNoProcess(t *testing.T) {
	f := start(t, Config{})
	r, err := invoke(t, f, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if alive(r.PID) {
		t.Errorf("process %d still alive after Close", r.PID)
	}
	if _, err := f.Invoke(context.Background(), []byte(`{}`)); !errors.Is(err, ErrClosed) {
		t.Errorf("Invoke after Close: %v, want ErrClosed", err)
	}
}

func TestColdStart(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		payload string
		// wantErr is "" for success, "function" for a *FunctionError,
		// else a substring of the error.
		wantErr       string
		wantResponse  bool
		wantFirstResp bool
	}{
		{name: "response", payload: `{}`, wantResponse: true, wantFirstResp: true},
		{name: "slow handler", payload: `{"do":"sleep","ms":30}`, wantResponse: true, wantFirstResp: true},
		{name: "function error", payload: `{"do":"fail"}`, wantErr: "function", wantFirstResp: true},
		{name: "exit during the invocation", payload: `{"do":"exit"}`, wantErr: "exited during the invocation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			timing, err := ColdStart(context.Background(), Config{Name: "Cold", Path: fnPath, Env: tt.env}, []byte(tt.payload))
			switch tt.wantErr {
			case "":
				if err != nil {
					t.Fatal(err)
				}
			case "function":
				var fe *FunctionError
				if !errors.As(err, &fe) || fe.Message != "asked to fail" {
					t.Fatalf("err = %v, want the handler's FunctionError", err)
				}
			default:
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			}
			if timing.Ready <= 0 {
				t.Errorf("Ready = %v, want > 0", timing.Ready)
			}
			if tt.wantFirstResp && timing.FirstResponse < timing.Ready {
				t.Errorf("FirstResponse = %v, want >= Ready %v", timing.FirstResponse, timing.Ready)
			}
			if !tt.wantFirstResp && timing.FirstResponse != 0 {
				t.Errorf("FirstResponse = %v with no response, want 0", timing.FirstResponse)
			}
			if tt.name == "slow handler" && timing.FirstResponse-timing.Ready < 30*time.Millisecond {
				t.Errorf("FirstResponse %v - Ready %v is under the handler's 30ms", timing.FirstResponse, timing.Ready)
			}
			if !tt.wantResponse {
				if timing.Response != nil {
					t.Errorf("Response = %q on an error, want nil", timing.Response)
				}
				return
			}
			var r reply
			if err := json.Unmarshal(timing.Response, &r); err != nil || r.PID == 0 || r.Function != "Cold" {
				t.Fatalf("Response %q (%v), want the function's reply", timing.Response, err)
			}
			if alive(r.PID) {
				t.Errorf("process %d still alive after ColdStart", r.PID)
			}
		})
	}
}

func TestColdStartFailsBeforeTheInvocation(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		cfg     Config
		ctx     func() context.Context
		wantErr string
	}{
		{name: "exits during init", cfg: Config{Name: "Broken", Path: fnPath, Env: map[string]string{"FAIL_INIT": "1"}}, wantErr: "exited during init"},
		{name: "missing binary", cfg: Config{Name: "Missing", Path: filepath.Join(t.TempDir(), "bootstrap")}, wantErr: "no such file"},
		{name: "no name", cfg: Config{Path: fnPath}, wantErr: "name is required"},
		{name: "context done", cfg: Config{Name: "Cancelled", Path: fnPath}, ctx: func() context.Context {
			c, cancel := context.WithCancel(ctx)
			cancel()
			return c
		}, wantErr: context.Canceled.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ctx
			if tt.ctx != nil {
				c = tt.ctx()
			}
			timing, err := ColdStart(c, tt.cfg, []byte(`{}`))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if timing.FirstResponse != 0 || timing.Response != nil {
				t.Errorf("timing %+v with no invocation", timing)
			}
		})
	}
}

func TestColdStartRejectsOversizedPayload(t *testing.T) {
	if _, err := ColdStart(context.Background(), Config{Name: "Big", Path: fnPath}, make([]byte, MaxPayload+1)); err == nil {
		t.Fatal("no error for an oversized payload")
	}
}

func TestColdStartLeavesNoProcessOnTimeout(t *testing.T) {
	// The process never answers: ColdStart must still kill it. Its pid is
	// not in a response, so look for it among the test's children, which
	// must show a running instance first.
	f := start(t, Config{})
	if pids := children(t); len(pids) != 1 {
		t.Fatalf("children with one warm instance: %v", pids)
	}
	_ = f.Close()
	if pids := children(t); len(pids) > 0 {
		t.Fatalf("processes %v left after Close", pids)
	}
	timing, err := ColdStart(context.Background(), Config{Name: "Slow", Path: fnPath, Timeout: 200 * time.Millisecond}, []byte(`{"do":"sleep","ms":5000}`))
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if timing.Ready <= 0 || timing.FirstResponse != 0 {
		t.Errorf("timing %+v, want Ready and no FirstResponse", timing)
	}
	if pids := children(t); len(pids) > 0 {
		t.Errorf("processes %v left after ColdStart", pids)
	}
}

// children lists the running children of the test process named bootstrap.
func children(t *testing.T) []int {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Skip("no /proc:", err)
	}
	var pids []int
	self := strconv.Itoa(os.Getpid())
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		s := string(stat)
		i := strings.LastIndexByte(s, ')')
		if i < 0 || !strings.Contains(s[:i], "(bootstrap") {
			continue
		}
		if f := strings.Fields(s[i+1:]); len(f) > 1 && f[1] == self && f[0] != "Z" {
			pids = append(pids, pid)
		}
	}
	return pids
}

func TestBilledMs(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want int64
	}{
		{0, 1},
		{time.Nanosecond, 1},
		{time.Millisecond, 1},
		{time.Millisecond + time.Nanosecond, 2},
		{20*time.Millisecond + 300*time.Microsecond, 21},
		{time.Second, 1000},
	}
	for _, tt := range tests {
		if got := billedMs(tt.d); got != tt.want {
			t.Errorf("billedMs(%v) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

func TestUsageArithmetic(t *testing.T) {
	a := Usage{Inits: 3, Invocations: 10, BilledMs: 2048, Incomplete: 1}
	b := Usage{Inits: 1, Invocations: 4, BilledMs: 1024}
	if got, want := a.Sub(b), (Usage{Inits: 2, Invocations: 6, BilledMs: 1024, Incomplete: 1}); got != want {
		t.Errorf("Sub = %+v, want %+v", got, want)
	}
	if got := a.GBSeconds(512); got != 1.024 {
		t.Errorf("GBSeconds(512) = %v for 2048 ms, want 1.024", got)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name     string
		payloads []string
		// wantMinMs is the least BilledMs the payloads' handlers take.
		wantMinMs int64
		wantErrs  int
	}{
		{name: "quick", payloads: []string{`{}`, `{}`, `{}`, `{}`, `{}`}},
		{name: "sleep bills at least its time", payloads: []string{`{"do":"sleep","ms":25}`, `{"do":"sleep","ms":15}`}, wantMinMs: 40},
		{name: "function errors are billed", payloads: []string{`{"do":"fail"}`, `{}`, `{"do":"fail"}`}, wantErrs: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := start(t, Config{})
			if u := f.Usage(); u != (Usage{Inits: 1}) {
				t.Fatalf("usage after Start = %+v, want one init only", u)
			}
			errs := 0
			for _, p := range tt.payloads {
				if _, err := f.Invoke(context.Background(), []byte(p)); err != nil {
					var fe *FunctionError
					if !errors.As(err, &fe) {
						t.Fatal(err)
					}
					errs++
				}
			}
			if errs != tt.wantErrs {
				t.Errorf("%d function errors, want %d", errs, tt.wantErrs)
			}
			n := int64(len(tt.payloads))
			u := f.Usage()
			if u.Invocations != n || u.Inits != 1 || u.Incomplete != 0 {
				t.Errorf("usage %+v, want %d invocations in one init", u, n)
			}
			if u.BilledMs < n || u.BilledMs < tt.wantMinMs {
				t.Errorf("BilledMs = %d, want at least %d and 1 ms per invocation", u.BilledMs, max(n, tt.wantMinMs))
			}
			// Duration is the same time unrounded: at least what the
			// handlers slept, and at most what was billed.
			if u.Duration < time.Duration(tt.wantMinMs)*time.Millisecond || u.Duration > time.Duration(u.BilledMs)*time.Millisecond {
				t.Errorf("Duration = %v, want from %d ms to the %d ms billed", u.Duration, tt.wantMinMs, u.BilledMs)
			}
		})
	}
}

func TestUsageCountsConcurrentInvocations(t *testing.T) {
	const n = 40
	f := start(t, Config{Concurrency: 3})
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			if _, err := f.Invoke(context.Background(), []byte(`{"do":"sleep","ms":2}`)); err != nil {
				errs <- err
			}
		})
	}
	for range 20 {
		_ = f.Usage() // read while the invocations run (for -race)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	u := f.Usage()
	if u.Invocations != n || u.Incomplete != 0 {
		t.Errorf("usage %+v, want %d invocations", u, n)
	}
	if u.BilledMs < 2*n {
		t.Errorf("BilledMs = %d, want at least %d for %d invocations of 2ms", u.BilledMs, 2*n, n)
	}
	if u.Inits < 1 || u.Inits > 3 {
		t.Errorf("Inits = %d, want 1 to 3 for a concurrency of 3", u.Inits)
	}
}

func TestUsageCountsTimeoutsAndRestarts(t *testing.T) {
	f := start(t, Config{Timeout: 200 * time.Millisecond})
	if _, err := f.Invoke(context.Background(), []byte(`{"do":"sleep","ms":5000}`)); !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if _, err := f.Invoke(context.Background(), []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if u := f.Usage(); u.Inits != 2 || u.Invocations != 1 || u.Incomplete != 1 || u.BilledMs < 1 || u.BilledMs >= 200 {
		t.Errorf("usage %+v, want 2 inits, 1 invocation billed (not the timeout), 1 incomplete", u)
	}
	if f.MemoryMB() != 128 {
		t.Errorf("MemoryMB = %d, want the default 128", f.MemoryMB())
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// BenchmarkInvoke measures the Runtime API round trip to a warm instance.
func BenchmarkInvoke(b *testing.B) {
	f, err := Start(context.Background(), Config{Name: "Bench", Path: fnPath})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	payload := []byte(`{}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Invoke(context.Background(), payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdStart measures a fresh instance's init (ready-ms) and its
// first invocation (first-ms), both from the exec.
func BenchmarkColdStart(b *testing.B) {
	cfg := Config{Name: "Bench", Path: fnPath}
	payload := []byte(`{}`)
	var ready, first time.Duration
	n := 0
	for b.Loop() {
		t, err := ColdStart(context.Background(), cfg, payload)
		if err != nil {
			b.Fatal(err)
		}
		ready += t.Ready
		first += t.FirstResponse
		n++
	}
	b.ReportMetric(float64(ready.Microseconds())/1000/float64(n), "ready-ms/op")
	b.ReportMetric(float64(first.Microseconds())/1000/float64(n), "first-ms/op")
}
