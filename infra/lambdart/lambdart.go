// Package lambdart runs a Lambda function's real bootstrap binary on this
// machine behind an emulation of the Lambda Runtime API (the interface every
// provided.al2023 runtime speaks), so that the same binary `sam build` ships
// runs unchanged, warm and reused between invocations, as it does in Lambda.
//
// Each instance of a function is one process with its own Runtime API
// endpoint on 127.0.0.1. An instance handles one invocation at a time; a
// Function keeps up to Config.Concurrency instances warm. An invocation that
// runs past its timeout kills the instance (and everything it started), and the
// next invocation starts a fresh one, as in Lambda.
package lambdart

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Limits of the Lambda service that the emulation enforces.
const (
	// MaxPayload is the largest synchronous request or response payload.
	MaxPayload = 6 << 20
	// InitTimeout bounds a new instance's start-up before its first request.
	InitTimeout = 10 * time.Second
)

// Config describes one function.
type Config struct {
	// Name is the function's name (the template's logical id).
	Name string
	// Path is the bootstrap executable.
	Path string
	// Env holds the function's environment variables. Nothing else from the
	// runner's environment is passed on, apart from the variables Lambda sets.
	Env map[string]string
	// Timeout is the function's timeout; zero means 3 seconds, as in Lambda.
	Timeout time.Duration
	// MemoryMB is reported to the function; zero means 128.
	MemoryMB int
	// Region is the AWS region the function believes it runs in.
	Region string
	// Concurrency is the most instances run at once; zero means 1.
	Concurrency int
	// Output receives the function's stdout and stderr, each line prefixed
	// with the function's name. Nil discards it.
	Output io.Writer
}

// FunctionError is an error the function's handler returned (or a panic it
// reported) through the Runtime API.
type FunctionError struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
}

func (e *FunctionError) Error() string {
	return fmt.Sprintf("function error %s: %s", e.Type, e.Message)
}

// ErrTimeout is returned when an invocation runs past the function's timeout.
var ErrTimeout = errors.New("lambdart: task timed out")

// ErrClosed is returned by Invoke after Close.
var ErrClosed = errors.New("lambdart: function closed")

// Function is a running function: a pool of warm instances.
type Function struct {
	cfg   Config
	out   *lockedWriter
	slots chan struct{}
	idle  chan *instance

	mu     sync.Mutex
	live   map[*instance]struct{}
	closed bool
	usage  Usage
}

// Usage counts what a function has done, as Lambda bills it. The cost of
// the compute is in GB-seconds: the function's memory (Config.MemoryMB, as
// Function.MemoryMB reports it) in GB times BilledMs in seconds, that is
// MemoryMB/1024 × BilledMs/1000 (GBSeconds).
type Usage struct {
	// Inits is how many instances were started (cold starts), the first
	// one Start starts included.
	Inits int64
	// Invocations is how many invocations completed: the function posted
	// a response or an error (a FunctionError counts, as Lambda bills it).
	Invocations int64
	// BilledMs adds up the completed invocations' durations, each from
	// the moment the invocation was handed to the function (its GET /next)
	// to the moment its response or error was posted, rounded up to the
	// whole millisecond (and at least 1 ms), as Lambda bills them.
	BilledMs int64
	// Duration adds up the same durations unrounded.
	Duration time.Duration
	// Incomplete is how many invocations were handed to the function but
	// ended without a response or error: timed out, or the process exited
	// or was killed. They are in neither Invocations nor BilledMs (Lambda
	// would bill a timed-out invocation for the whole timeout).
	Incomplete int64
}

// Sub returns the usage from v to u, for the usage of one phase of a run
// from two snapshots.
func (u Usage) Sub(v Usage) Usage {
	return Usage{
		Inits:       u.Inits - v.Inits,
		Invocations: u.Invocations - v.Invocations,
		BilledMs:    u.BilledMs - v.BilledMs,
		Duration:    u.Duration - v.Duration,
		Incomplete:  u.Incomplete - v.Incomplete,
	}
}

// GBSeconds is the compute Lambda would bill for the usage of a function
// with memoryMB of memory: memoryMB/1024 GB for BilledMs/1000 seconds.
func (u Usage) GBSeconds(memoryMB int) float64 {
	return float64(memoryMB) / 1024 * float64(u.BilledMs) / 1000
}

// billedMs is a duration as Lambda bills it: rounded up to the whole
// millisecond, and at least 1 ms.
func billedMs(d time.Duration) int64 {
	ms := int64((d + time.Millisecond - 1) / time.Millisecond)
	return max(ms, 1)
}

// Start starts one warm instance of the function and waits until it is ready
// for its first invocation, so that a binary that cannot start is reported at
// once rather than on the first request.
func Start(ctx context.Context, cfg Config) (*Function, error) {
	f, err := newFunction(cfg)
	if err != nil {
		return nil, err
	}
	in, err := f.startInstance()
	if err != nil {
		return nil, err
	}
	if err := in.waitReady(ctx); err != nil {
		f.discard(in)
		return nil, err
	}
	f.idle <- in
	return f, nil
}

// newFunction checks cfg, fills in its defaults and returns the function
// with no instance started.
func newFunction(cfg Config) (*Function, error) {
	if cfg.Name == "" {
		return nil, errors.New("lambdart: function name is required")
	}
	if st, err := os.Stat(cfg.Path); err != nil {
		return nil, fmt.Errorf("lambdart: %s: %w", cfg.Name, err)
	} else if st.IsDir() || st.Mode()&0o111 == 0 {
		return nil, fmt.Errorf("lambdart: %s: %s is not an executable", cfg.Name, cfg.Path)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 3 * time.Second
	}
	if cfg.MemoryMB <= 0 {
		cfg.MemoryMB = 128
	}
	if cfg.Region == "" {
		cfg.Region = "eu-west-2"
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 1
	}
	var w io.Writer = io.Discard
	if cfg.Output != nil {
		w = cfg.Output
	}
	f := &Function{
		cfg:   cfg,
		out:   &lockedWriter{w: w},
		slots: make(chan struct{}, cfg.Concurrency),
		idle:  make(chan *instance, cfg.Concurrency),
		live:  map[*instance]struct{}{},
	}
	return f, nil
}

// ColdStartTiming is how long one fresh instance of a function took, both
// durations measured from just before its process was started.
type ColdStartTiming struct {
	// Ready is the function's init: until its first request for work
	// (the Runtime API's GET /next).
	Ready time.Duration
	// FirstResponse is until its first invocation's response or error was
	// posted; zero when there was neither (it timed out or exited).
	FirstResponse time.Duration
	// Response is the first invocation's response payload (nil when it
	// failed), for callers to check the answer was the one expected.
	Response []byte
}

// ColdStart starts one fresh process of the function described by cfg (no
// warm instance before it), hands it the payload as its first invocation
// and reports how long its init and that invocation took. ctx bounds the
// wait for the process to be ready; once handed over, the invocation runs
// to completion or to the function's timeout, as in Invoke.
//
// When the invocation fails the error is returned with the timing measured
// so far: for a *FunctionError (the handler's error, still a response)
// both durations are set. The process is killed and its Runtime API
// listener closed before ColdStart returns, whatever happened.
func ColdStart(ctx context.Context, cfg Config, payload []byte) (ColdStartTiming, error) {
	var t ColdStartTiming
	f, err := newFunction(cfg)
	if err != nil {
		return t, err
	}
	if len(payload) > MaxPayload {
		return t, fmt.Errorf("lambdart: %s: request payload of %d bytes is over the %d byte limit", f.cfg.Name, len(payload), MaxPayload)
	}
	in, err := f.startInstance()
	if err != nil {
		return t, err
	}
	defer f.discard(in)
	if err := in.waitReady(ctx); err != nil {
		return t, err
	}
	t.Ready = in.readyAt.Sub(in.startedAt)
	body, _, err := in.invoke(payload)
	in.mu.Lock()
	if !in.respondedAt.IsZero() {
		t.FirstResponse = in.respondedAt.Sub(in.startedAt)
	}
	in.mu.Unlock()
	if err != nil {
		return t, err
	}
	t.Response = body
	return t, nil
}

// Name returns the function's name.
func (f *Function) Name() string { return f.cfg.Name }

// MemoryMB returns the function's memory size, Config.MemoryMB or its
// default: GB-seconds are MemoryMB/1024 × Usage().BilledMs/1000.
func (f *Function) MemoryMB() int { return f.cfg.MemoryMB }

// Config returns the function's configuration, defaults filled in: the
// same function can be started again from it (ColdStart).
func (f *Function) Config() Config { return f.cfg }

// Usage returns what the function has done so far (Usage). It is safe to
// call while invocations run.
func (f *Function) Usage() Usage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.usage
}

// record counts the end of an invocation handed to the function: completed
// after took, or (complete false) ended without a response.
func (f *Function) record(complete bool, took time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !complete {
		f.usage.Incomplete++
		return
	}
	f.usage.Invocations++
	f.usage.BilledMs += billedMs(took)
	f.usage.Duration += took
}

// Invoke runs the function once with the payload and returns its response.
// It waits for a free instance while ctx allows; once the invocation has been
// handed to the function it runs to completion or to the function's timeout,
// as in Lambda, whatever happens to ctx.
func (f *Function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if len(payload) > MaxPayload {
		return nil, fmt.Errorf("lambdart: %s: request payload of %d bytes is over the %d byte limit", f.cfg.Name, len(payload), MaxPayload)
	}
	if f.isClosed() {
		return nil, ErrClosed
	}
	select {
	case f.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-f.slots }()

	var in *instance
	select {
	case in = <-f.idle:
	default:
		var err error
		if in, err = f.startInstance(); err != nil {
			return nil, err
		}
	}
	body, healthy, err := in.invoke(payload)
	if healthy && !f.isClosed() {
		f.idle <- in
	} else {
		f.discard(in)
	}
	return body, err
}

// Close stops every instance and waits for their processes to exit.
func (f *Function) Close() error {
	f.mu.Lock()
	f.closed = true
	all := make([]*instance, 0, len(f.live))
	for in := range f.live {
		all = append(all, in)
	}
	f.mu.Unlock()
	for _, in := range all {
		f.discard(in)
	}
	return nil
}

// KillBusy kills every instance of the function in the middle of an
// invocation (SIGKILL, as when a process crashes or its host is lost). Each
// of those invocations fails; the next one starts a fresh instance. It
// returns the payloads of the invocations it killed.
func (f *Function) KillBusy() [][]byte {
	f.mu.Lock()
	var busy []*instance
	var payloads [][]byte
	for in := range f.live {
		in.mu.Lock()
		if in.current != nil && in.cmd != nil && in.cmd.Process != nil {
			busy = append(busy, in)
			payloads = append(payloads, in.current.payload)
		}
		in.mu.Unlock()
	}
	f.mu.Unlock()
	for _, in := range busy {
		killGroup(in.cmd.Process.Pid)
	}
	return payloads
}

func (f *Function) isClosed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

func (f *Function) discard(in *instance) {
	in.kill()
	f.mu.Lock()
	delete(f.live, in)
	f.mu.Unlock()
}

// environ is the process environment: what Lambda sets, then the function's
// own variables. Credentials are placeholders for the local endpoints.
func (f *Function) environ(api string) []string {
	env := map[string]string{
		"AWS_LAMBDA_RUNTIME_API":          api,
		"AWS_LAMBDA_FUNCTION_NAME":        f.cfg.Name,
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(f.cfg.MemoryMB),
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + f.cfg.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME":      "local",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_REGION":                      f.cfg.Region,
		"AWS_DEFAULT_REGION":              f.cfg.Region,
		"AWS_ACCESS_KEY_ID":               "local",
		"AWS_SECRET_ACCESS_KEY":           "local",
		"AWS_EC2_METADATA_DISABLED":       "true",
		"LAMBDA_TASK_ROOT":                "/var/task",
		"LAMBDA_RUNTIME_DIR":              "/var/runtime",
		"_HANDLER":                        "bootstrap",
		"TZ":                              ":UTC",
		"LANG":                            "en_US.UTF-8",
		"PATH":                            "/usr/local/bin:/usr/bin:/bin",
	}
	for k, v := range f.cfg.Env {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// instance is one process of the function and its Runtime API endpoint.
type instance struct {
	fn        *Function
	srv       *http.Server
	ln        net.Listener
	cmd       *exec.Cmd
	next      chan *invocation
	ready     chan struct{}
	readyOnce sync.Once
	exited    chan struct{}
	once      sync.Once

	// startedAt is just before the process was started; readyAt is its
	// first GET /next, set before ready is closed.
	startedAt, readyAt time.Time

	mu      sync.Mutex
	current *invocation
	initErr *FunctionError
	// respondedAt is when the first response or error was posted.
	respondedAt time.Time
}

type invocation struct {
	id      string
	payload []byte
	done    chan result
	// handedAt is when the process took the invocation (GET /next).
	handedAt time.Time
}

type result struct {
	body []byte
	err  error
	// took is from the invocation handed out to this result posted.
	took time.Duration
}

func (f *Function) startInstance() (*instance, error) {
	f.mu.Lock()
	closed := f.closed
	f.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("lambdart: %s: runtime API listener: %w", f.cfg.Name, err)
	}
	in := &instance{
		fn:     f,
		ln:     ln,
		next:   make(chan *invocation),
		ready:  make(chan struct{}),
		exited: make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", in.handleNext)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", in.handleResponse)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", in.handleError)
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", in.handleInitError)
	in.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = in.srv.Serve(ln) }()

	out := &prefixWriter{prefix: "[" + f.cfg.Name + "] ", w: f.out}
	cmd := exec.Command(f.cfg.Path)
	cmd.Env = f.environ(ln.Addr().String())
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = procAttr()
	in.startedAt = time.Now()
	if err := cmd.Start(); err != nil {
		_ = in.srv.Close()
		_ = ln.Close()
		return nil, fmt.Errorf("lambdart: %s: start %s: %w", f.cfg.Name, f.cfg.Path, err)
	}
	in.cmd = cmd
	f.mu.Lock()
	f.live[in] = struct{}{}
	f.usage.Inits++
	f.mu.Unlock()
	go func() {
		_ = cmd.Wait()
		out.flush()
		close(in.exited)
		_ = in.srv.Close()
	}()
	return in, nil
}

// waitReady waits for the instance's first request for work.
func (in *instance) waitReady(ctx context.Context) error {
	t := time.NewTimer(InitTimeout)
	defer t.Stop()
	select {
	case <-in.ready:
		return nil
	case <-in.exited:
		return fmt.Errorf("lambdart: %s: exited during init: %w", in.fn.cfg.Name, in.exitError())
	case <-t.C:
		return fmt.Errorf("lambdart: %s: not ready after %s", in.fn.cfg.Name, InitTimeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (in *instance) exitError() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.initErr != nil {
		return in.initErr
	}
	if in.cmd.ProcessState != nil {
		return errors.New(in.cmd.ProcessState.String())
	}
	return errors.New("process exited")
}

// invoke hands the payload to the process and waits for the outcome. healthy
// reports whether the instance can be reused.
func (in *instance) invoke(payload []byte) (body []byte, healthy bool, err error) {
	name := in.fn.cfg.Name
	inv := &invocation{id: newRequestID(), payload: payload, done: make(chan result, 1)}
	t := time.NewTimer(InitTimeout + in.fn.cfg.Timeout)
	defer t.Stop()
	select {
	case in.next <- inv:
	case <-in.exited:
		return nil, false, fmt.Errorf("lambdart: %s: exited before the invocation: %w", name, in.exitError())
	case <-t.C:
		return nil, false, fmt.Errorf("lambdart: %s: never asked for the invocation", name)
	}
	t.Reset(in.fn.cfg.Timeout)
	select {
	case r := <-inv.done:
		in.fn.record(true, r.took)
		var fe *FunctionError
		return r.body, r.err == nil || errors.As(r.err, &fe), r.err
	case <-in.exited:
		in.fn.record(false, 0)
		return nil, false, fmt.Errorf("lambdart: %s: exited during the invocation: %w", name, in.exitError())
	case <-t.C:
		in.fn.record(false, 0)
		return nil, false, fmt.Errorf("%w after %s (%s)", ErrTimeout, in.fn.cfg.Timeout, name)
	}
}

func (in *instance) kill() {
	in.once.Do(func() {
		if in.cmd != nil && in.cmd.Process != nil {
			killGroup(in.cmd.Process.Pid)
			<-in.exited
		}
		_ = in.srv.Close()
		_ = in.ln.Close() // in case Serve had not started
	})
}

func (in *instance) handleNext(w http.ResponseWriter, r *http.Request) {
	in.readyOnce.Do(func() {
		in.readyAt = time.Now()
		close(in.ready)
	})
	select {
	case inv := <-in.next:
		in.mu.Lock()
		inv.handedAt = time.Now()
		in.current = inv
		in.mu.Unlock()
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(in.fn.cfg.Timeout).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:"+in.fn.cfg.Region+":000000000000:function:"+in.fn.cfg.Name)
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-"+strconv.FormatInt(time.Now().Unix(), 16)+"-"+inv.id[:24]+";Sampled=0")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(inv.payload)
	case <-r.Context().Done():
	}
}

// take returns the invocation in progress if its id is id, and how long
// it took until now, when its response or error has been read.
func (in *instance) take(id string) (*invocation, time.Duration) {
	now := time.Now()
	in.mu.Lock()
	defer in.mu.Unlock()
	inv := in.current
	if inv == nil || inv.id != id {
		return nil, 0
	}
	in.current = nil
	if in.respondedAt.IsZero() {
		in.respondedAt = now
	}
	return inv, now.Sub(inv.handedAt)
}

func readPayload(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPayload+1))
	if err != nil {
		http.Error(w, `{"errorType":"InvalidRequest"}`, http.StatusBadRequest)
		return nil, false
	}
	return body, true
}

func accepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte(`{"status":"OK"}`))
}

func (in *instance) handleResponse(w http.ResponseWriter, r *http.Request) {
	body, ok := readPayload(w, r)
	if !ok {
		return
	}
	inv, took := in.take(r.PathValue("id"))
	if inv == nil {
		http.Error(w, `{"errorType":"InvalidRequestID"}`, http.StatusBadRequest)
		return
	}
	if len(body) > MaxPayload {
		inv.done <- result{err: &FunctionError{Type: "Function.ResponseSizeTooLarge", Message: "response payload over the 6 MB limit"}, took: took}
		http.Error(w, `{"errorType":"RequestEntityTooLarge"}`, http.StatusRequestEntityTooLarge)
		return
	}
	inv.done <- result{body: body, took: took}
	accepted(w)
}

func decodeError(body []byte) *FunctionError {
	fe := &FunctionError{}
	if err := json.Unmarshal(body, fe); err != nil || fe.Type == "" {
		fe.Type = "Unhandled"
	}
	return fe
}

func (in *instance) handleError(w http.ResponseWriter, r *http.Request) {
	body, ok := readPayload(w, r)
	if !ok {
		return
	}
	inv, took := in.take(r.PathValue("id"))
	if inv == nil {
		http.Error(w, `{"errorType":"InvalidRequestID"}`, http.StatusBadRequest)
		return
	}
	inv.done <- result{err: decodeError(body), took: took}
	accepted(w)
}

func (in *instance) handleInitError(w http.ResponseWriter, r *http.Request) {
	body, ok := readPayload(w, r)
	if !ok {
		return
	}
	in.mu.Lock()
	in.initErr = decodeError(body)
	in.mu.Unlock()
	accepted(w)
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	s := hex.EncodeToString(b[:])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// lockedWriter serialises writes from every instance of a function.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// prefixWriter writes whole lines, each prefixed, so that the output of
// several functions can share one terminal.
type prefixWriter struct {
	prefix string
	w      io.Writer
	mu     sync.Mutex
	buf    []byte
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = append(p.buf, b...)
	for {
		i := bytes.IndexByte(p.buf, '\n')
		if i < 0 {
			break
		}
		line := append([]byte(p.prefix), p.buf[:i+1]...)
		p.buf = p.buf[i+1:]
		if _, err := p.w.Write(line); err != nil {
			return len(b), err
		}
	}
	return len(b), nil
}

func (p *prefixWriter) flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.buf) > 0 {
		_, _ = p.w.Write(append(append([]byte(p.prefix), p.buf...), '\n'))
		p.buf = nil
	}
}

// Describe names an invocation error for a log line: for a FunctionError only
// its type, since a handler's message could carry anything; otherwise the
// runtime's own message.
func Describe(err error) string {
	var fe *FunctionError
	if errors.As(err, &fe) {
		return "function error " + fe.Type
	}
	return err.Error()
}
