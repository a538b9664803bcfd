package lambdart

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
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
	if n := f.KillBusy(); n != 0 || !alive(before.PID) {
		t.Fatalf("an idle instance: killed %d, alive %v; want none killed", n, alive(before.PID))
	}
	errc := make(chan error, 1)
	go func() {
		_, err := f.Invoke(context.Background(), []byte(`{"do":"sleep","ms":5000}`))
		errc <- err
	}()
	killed := 0
	for deadline := time.Now().Add(5 * time.Second); killed == 0 && time.Now().Before(deadline); {
		killed = f.KillBusy()
		time.Sleep(10 * time.Millisecond)
	}
	if killed != 1 {
		t.Fatalf("killed %d instances, want the busy one", killed)
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
