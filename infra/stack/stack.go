// Package stack runs the whole system on this machine from template.yaml:
// DynamoDB Local and the SQS emulator with the template's table and queues,
// every function's real bootstrap (built by the Makefile targets `sam build`
// calls) behind the Lambda Runtime API emulation, the HTTP API routes behind
// their JWT authorizer (verifying tokens from the local issuer, whose key
// lives in AuthDir), the SQS event sources and the schedules. Everything
// listens on 127.0.0.1 only.
package stack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/csc-frontdoor/frontdoor/infra/apigw"
	"github.com/csc-frontdoor/frontdoor/infra/dynamolocal"
	"github.com/csc-frontdoor/frontdoor/infra/lambdart"
	"github.com/csc-frontdoor/frontdoor/infra/localauth"
	"github.com/csc-frontdoor/frontdoor/infra/provision"
	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
	"github.com/csc-frontdoor/frontdoor/infra/sqslocal"
)

// Region is the region the local stack reports.
const Region = "eu-west-2"

// Config says where the project is and how to run it.
type Config struct {
	// ProjectDir holds template.yaml and the Makefile.
	ProjectDir string
	// Binaries, when set, is the directory where `make functions` built
	// every function's binary for this machine (named after its directory
	// under functions/): they are run as they are, and nothing is built.
	Binaries string
	// BuildDir receives the functions' binaries, built by the Makefile's
	// `functions` target (one `go build` of ./functions/...), when
	// Binaries is not set.
	BuildDir string
	// StackName prefixes physical table names, as CloudFormation does.
	StackName string
	// APIAddr is the HTTP API's address; it must be on 127.0.0.1.
	APIAddr string
	// DynamoDB says how to run DynamoDB Local.
	DynamoDB dynamolocal.Options
	// SQSPort is the emulator's port on 127.0.0.1; 0 picks a free one.
	SQSPort int
	// Parameters override the template's parameter defaults.
	Parameters map[string]string
	// Env is added to every function's environment (after the template's).
	Env map[string]string
	// Concurrency is the most warm instances per function; 0 means 4.
	Concurrency int
	// VisibilityTimeout, when not zero, replaces every queue's visibility
	// timeout (tests use a short one to see redrive to a dead-letter queue
	// within seconds).
	VisibilityTimeout time.Duration
	// DisableSchedules stops scheduled events from firing (tests invoke
	// scheduled functions themselves).
	DisableSchedules bool
	// Output receives the functions' logs and the API's access log. Nil
	// discards.
	Output io.Writer
	// Messages, when set, receives every message an event source delivers
	// to a function, one line each: the queue's logical id, a space, the
	// body (tests read them for personal data). It must be safe for
	// concurrent use.
	Messages io.Writer
	// AuthDir holds the local issuer's signing key (localauth.KeyFile),
	// created there on first start. The HTTP API verifies bearer tokens
	// against it as the template's JWT authorizer does against the real
	// issuer. The issuer is the AuthIssuer parameter, or the API's URL
	// followed by localauth.IssuerPath when that is not set.
	AuthDir string
}

// Stack is the running system.
type Stack struct {
	cfg       Config
	tpl       *samtemplate.Template
	ddb       *dynamolocal.Server
	sqs       *sqslocal.Server
	sqsClient *sqs.Client
	queues    map[string]string
	functions map[string]*lambdart.Function
	api       *http.Server
	apiURL    string
	apiLn     net.Listener
	log       *slog.Logger
	// ddbURL and sqsURL are the endpoints: of the servers started here, or
	// of a stack already running (Attach).
	ddbURL, sqsURL string
	cancel         context.CancelFunc
	workers        sync.WaitGroup
	gates          map[string]*gate
	auth           *localauth.Authority
}

// Start builds and starts everything; on any error what was started is
// stopped again.
func Start(ctx context.Context, cfg Config) (st *Stack, err error) {
	if cfg.Output == nil {
		cfg.Output = io.Discard
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.StackName == "" {
		cfg.StackName = "frontdoor-local"
	}
	if cfg.APIAddr == "" {
		cfg.APIAddr = "127.0.0.1:3000"
	}
	if host, _, err := net.SplitHostPort(cfg.APIAddr); err != nil || host != "127.0.0.1" {
		return nil, fmt.Errorf("stack: API address %q must be 127.0.0.1:<port>", cfg.APIAddr)
	}
	if cfg.AuthDir == "" {
		return nil, errors.New("stack: AuthDir (where the local signing key lives) is required")
	}
	cfg.Parameters = maps.Clone(cfg.Parameters)
	if cfg.Parameters == nil {
		cfg.Parameters = map[string]string{}
	}
	tpl, err := samtemplate.Load(filepath.Join(cfg.ProjectDir, "template.yaml"))
	if err != nil {
		return nil, fmt.Errorf("stack: %w", err)
	}
	s := &Stack{
		cfg:       cfg,
		tpl:       tpl,
		functions: map[string]*lambdart.Function{},
		gates:     map[string]*gate{},
		log:       slog.New(slog.NewJSONHandler(&prefixed{prefix: "[local] ", w: cfg.Output}, nil)),
	}
	defer func() {
		if err != nil {
			_ = s.Close()
		}
	}()

	// Build the functions while DynamoDB Local starts.
	built := make(chan error, 1)
	go func() { built <- s.build(ctx, nil) }()
	if s.ddb, err = dynamolocal.Start(ctx, cfg.DynamoDB); err != nil {
		<-built
		return nil, err
	}
	if err = <-built; err != nil {
		return nil, err
	}
	if s.sqs, err = sqslocal.Start(cfg.SQSPort); err != nil {
		return nil, err
	}
	s.ddbURL, s.sqsURL = s.ddb.Endpoint(), s.sqs.Endpoint()
	if err = s.provision(ctx); err != nil {
		return nil, err
	}
	// The API's address first: the issuer the functions are told of
	// (AuthIssuer, for the pages' sign-in) is under it.
	if err = s.listenAPI(); err != nil {
		return nil, err
	}
	if err = s.startFunctions(ctx, nil); err != nil {
		return nil, err
	}
	if err = s.serveAPI(); err != nil {
		return nil, err
	}
	wctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	if err = s.startEventSources(wctx); err != nil {
		return nil, err
	}
	return s, nil
}

// build builds the functions named in only (every one when only is nil)
// into BuildDir with the Makefile's `functions` target, one `go build` for
// all of them, unless Binaries names binaries built already.
func (s *Stack) build(ctx context.Context, only []string) error {
	if s.cfg.Binaries != "" {
		for _, f := range s.tpl.Functions {
			if only != nil && !slices.Contains(only, f.LogicalID) {
				continue
			}
			if _, err := os.Stat(s.Bootstrap(f.LogicalID)); err != nil {
				return fmt.Errorf("stack: %s: no binary (run `make functions`): %w", f.LogicalID, err)
			}
		}
		return nil
	}
	pkgs := []string{"./functions/..."}
	if only != nil {
		pkgs = pkgs[:0]
		for _, id := range only {
			pkgs = append(pkgs, "./functions/"+s.tpl.Function(id).Dir())
		}
	}
	if err := os.MkdirAll(s.cfg.BuildDir, 0o755); err != nil {
		return fmt.Errorf("stack: %w", err)
	}
	cmd := exec.CommandContext(ctx, "make", "--no-print-directory", "-C", s.cfg.ProjectDir, "functions",
		"FUNCTIONS_DIR="+s.cfg.BuildDir, "FUNCTIONS="+strings.Join(pkgs, " "))
	cmd.Env = append(os.Environ(), "MAKEFLAGS=", "MAKELEVEL=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("stack: build the functions: %w\n%s", err, out)
	}
	return nil
}

func (s *Stack) awsConfig() aws.Config {
	return aws.Config{Region: Region, Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}
}

func (s *Stack) provision(ctx context.Context) error {
	ddb := dynamodb.NewFromConfig(s.awsConfig(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(s.ddb.Endpoint())
		o.DisableValidateResponseChecksum = true
	})
	for _, t := range s.tpl.Tables {
		if err := provision.Table(ctx, ddb, s.TableName(t.LogicalID), t); err != nil {
			return err
		}
	}
	s.sqsClient = sqs.NewFromConfig(s.awsConfig(), func(o *sqs.Options) { o.BaseEndpoint = aws.String(s.sqs.Endpoint()) })
	queues := s.tpl.Queues
	if v := s.cfg.VisibilityTimeout; v > 0 {
		queues = slices.Clone(queues)
		for i := range queues {
			queues[i].VisibilityTimeout = int(v.Seconds())
		}
	}
	urls, err := provision.Queues(ctx, s.sqsClient, queues, s.sqs.QueueARN)
	if err != nil {
		return err
	}
	// The emulator answers with its own host form; use the plain one.
	for id := range urls {
		urls[id] = s.sqs.QueueURL(id)
	}
	s.queues = urls
	return nil
}

// startFunctions starts the functions named in only, or all when only is nil.
func (s *Stack) startFunctions(ctx context.Context, only []string) error {
	for _, f := range s.tpl.Functions {
		if only != nil && !slices.Contains(only, f.LogicalID) {
			continue
		}
		env := map[string]string{
			"AWS_ENDPOINT_URL_DYNAMODB": s.ddbURL,
			"AWS_ENDPOINT_URL_SQS":      s.sqsURL,
		}
		for k, v := range f.Env {
			val, err := samtemplate.Resolve(v, s)
			if err != nil {
				return fmt.Errorf("stack: %s environment %s: %w", f.LogicalID, k, err)
			}
			if val == "" && env[k] != "" {
				continue // the endpoints the template leaves empty are the local ones
			}
			env[k] = val
		}
		for k, v := range s.cfg.Env {
			env[k] = v
		}
		fn, err := lambdart.Start(ctx, lambdart.Config{
			Name:        f.LogicalID,
			Path:        s.Bootstrap(f.LogicalID),
			Env:         env,
			Timeout:     f.Timeout,
			MemoryMB:    f.MemoryMB,
			Region:      Region,
			Concurrency: s.cfg.Concurrency,
			Output:      s.cfg.Output,
		})
		if err != nil {
			return fmt.Errorf("stack: %w", err)
		}
		s.functions[f.LogicalID] = fn
	}
	return nil
}

// listenAPI takes the HTTP API's address and opens the local issuer under
// it, setting the AuthIssuer parameter when none was given.
func (s *Stack) listenAPI() error {
	ln, err := net.Listen("tcp", s.cfg.APIAddr)
	if err != nil {
		return fmt.Errorf("stack: HTTP API on %s (set FRONTDOOR_API_PORT to use another port): %w", s.cfg.APIAddr, err)
	}
	s.apiLn, s.apiURL = ln, "http://"+ln.Addr().String()
	if err := s.openAuth(); err != nil {
		_ = ln.Close()
		return err
	}
	return nil
}

// serveAPI serves the HTTP API on the address listenAPI took.
func (s *Stack) serveAPI() error {
	handler, err := s.apiHandler()
	if err != nil {
		_ = s.apiLn.Close()
		return err
	}
	s.api = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.api.Serve(s.apiLn) }()
	return nil
}

// apiHandler is the HTTP API: the template's routes, each behind its JWT
// authorizer verifying tokens against the local issuer's key, and the local
// issuer (discovery, keys, sign-in and tokens) under its path.
func (s *Stack) apiHandler() (http.Handler, error) {
	authorizers := map[string]*apigw.Authorizer{}
	var routes []apigw.Route
	for _, f := range s.tpl.Functions {
		for _, e := range f.HTTP {
			r := apigw.Route{Method: e.Method, Path: e.Path, Function: f.LogicalID}
			if e.Authorizer != samtemplate.NoAuthorizer {
				id := e.API + "/" + e.Authorizer
				a, ok := authorizers[id]
				if !ok {
					def := s.tpl.API(e.API).Authorizers[e.Authorizer]
					issuer, audience, err := def.JWT(s)
					if err != nil {
						return nil, fmt.Errorf("stack: %s: %w", e.API, err)
					}
					a = &apigw.Authorizer{Name: e.Authorizer, Header: def.Header, Issuer: issuer, Audience: audience, Keys: s.auth}
					authorizers[id] = a
				}
				r.Authorizer, r.Scopes = a, e.Scopes
			}
			routes = append(routes, r)
		}
	}
	gw, err := apigw.New(routes, s, apigw.Options{Log: slog.New(slog.NewJSONHandler(&prefixed{prefix: "[api] ", w: s.cfg.Output}, nil))})
	if err != nil {
		return nil, fmt.Errorf("stack: %w", err)
	}
	issuerPath := ""
	if u, err := url.Parse(s.auth.Issuer); err == nil && strings.HasPrefix(s.auth.Issuer, s.apiURL+"/") && strings.TrimRight(u.Path, "/") != "" {
		issuerPath = strings.TrimRight(u.Path, "/") + "/"
	}
	if issuerPath == "" {
		return gw, nil
	}
	issuer := s.auth.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, issuerPath) {
			issuer.ServeHTTP(w, r)
			return
		}
		gw.ServeHTTP(w, r)
	}), nil
}

// openAuth loads (or creates) the local issuer's key for the issuer and
// audience the template's authorizer names.
func (s *Stack) openAuth() error {
	if s.cfg.Parameters["AuthIssuer"] == "" {
		s.cfg.Parameters["AuthIssuer"] = localauth.IssuerFor(s.apiURL)
	}
	audience, err := s.Ref("AuthAudience")
	if err != nil {
		audience = localauth.DefaultAudience
	}
	a, err := localauth.Open(s.cfg.AuthDir, s.cfg.Parameters["AuthIssuer"], audience)
	if err != nil {
		return fmt.Errorf("stack: %w", err)
	}
	s.auth = a
	return nil
}

// Auth is the local issuer: it mints tokens the HTTP API accepts.
func (s *Stack) Auth() *localauth.Authority { return s.auth }

// Invoke invokes a function by logical id; it is the HTTP API's Invoker and
// what tests use to run a function directly (as `sam local invoke`).
func (s *Stack) Invoke(ctx context.Context, function string, payload []byte) ([]byte, error) {
	fn, ok := s.functions[function]
	if !ok {
		return nil, fmt.Errorf("stack: no function %s", function)
	}
	return fn.Invoke(ctx, payload)
}

// KillBusy kills the function's instances that are in the middle of an
// invocation, as a crash would, and returns the payloads of the
// invocations it killed.
func (s *Stack) KillBusy(function string) [][]byte {
	fn, ok := s.functions[function]
	if !ok {
		return nil
	}
	return fn.KillBusy()
}

// Usage returns each running function's usage so far (lambdart.Usage), by
// logical id.
func (s *Stack) Usage() map[string]lambdart.Usage {
	out := make(map[string]lambdart.Usage, len(s.functions))
	for id, fn := range s.functions {
		out[id] = fn.Usage()
	}
	return out
}

// MemoryMB is the memory size the function runs with (the template's
// MemorySize), 0 when the stack runs no function of that logical id. Times
// its BilledMs it gives the GB-seconds (lambdart.Usage.GBSeconds).
func (s *Stack) MemoryMB(function string) int {
	fn, ok := s.functions[function]
	if !ok {
		return 0
	}
	return fn.MemoryMB()
}

// FunctionConfig is the configuration the stack runs the function with
// (environment, timeout, memory), to start another instance of it apart
// (lambdart.ColdStart); false when the stack runs no such function.
func (s *Stack) FunctionConfig(function string) (lambdart.Config, bool) {
	fn, ok := s.functions[function]
	if !ok {
		return lambdart.Config{}, false
	}
	return fn.Config(), true
}

// Redrive moves the messages of every dead-letter queue of the template
// back to the queue whose redrive policy names it (sqslocal.Redrive) and
// returns how many it moved from each, by the dead-letter queue's logical
// id.
func Redrive(ctx context.Context, client sqslocal.RedriveAPI, tpl *samtemplate.Template, url func(logicalID string) string) (map[string]int, error) {
	moved := map[string]int{}
	for _, q := range tpl.Queues {
		if q.DeadLetter == "" {
			continue
		}
		n, err := sqslocal.Redrive(ctx, client, url(q.DeadLetter), url(q.LogicalID))
		moved[q.DeadLetter] = n
		if err != nil {
			return moved, fmt.Errorf("stack: redrive %s to %s: %w", q.DeadLetter, q.LogicalID, err)
		}
	}
	return moved, nil
}

// Redrive moves every dead-letter queue's messages back (Redrive).
func (s *Stack) Redrive(ctx context.Context) (map[string]int, error) {
	return Redrive(ctx, s.sqsClient, s.tpl, s.QueueURL)
}

// Ref resolves {"Ref": id} for the local stack.
func (s *Stack) Ref(id string) (string, error) {
	switch id {
	case "AWS::Region":
		return Region, nil
	case "AWS::AccountId":
		return sqslocal.AccountID, nil
	case "AWS::StackName":
		return s.cfg.StackName, nil
	case "AWS::Partition":
		return "aws", nil
	case "AWS::URLSuffix":
		return "amazonaws.com", nil
	}
	if v, ok := s.cfg.Parameters[id]; ok {
		return v, nil
	}
	if v, ok := s.tpl.Parameters[id]; ok {
		return v, nil
	}
	for _, t := range s.tpl.Tables {
		if t.LogicalID == id {
			return s.TableName(id), nil
		}
	}
	if u, ok := s.queues[id]; ok {
		return u, nil
	}
	if s.tpl.Function(id) != nil {
		return id, nil
	}
	return "", fmt.Errorf("no local value for !Ref %s", id)
}

// GetAtt resolves {"Fn::GetAtt": [id, attr]} for the local stack.
func (s *Stack) GetAtt(id, attr string) (string, error) {
	if u, ok := s.queues[id]; ok {
		switch attr {
		case "Arn":
			return sqslocal.QueueARN(id), nil
		case "QueueName":
			return id, nil
		case "QueueUrl":
			return u, nil
		}
	}
	for _, t := range s.tpl.Tables {
		if t.LogicalID == id && attr == "Arn" {
			return "arn:aws:dynamodb:" + Region + ":" + sqslocal.AccountID + ":table/" + s.TableName(id), nil
		}
	}
	return "", fmt.Errorf("no local value for !GetAtt %s.%s", id, attr)
}

// TableName is the physical name of the table with the logical id.
func (s *Stack) TableName(logicalID string) string { return s.cfg.StackName + "-" + logicalID }

// QueueURL is the URL of the queue with the logical id.
func (s *Stack) QueueURL(logicalID string) string { return s.queues[logicalID] }

// DynamoDB is the stack's DynamoDB Local, for tests that put faults in
// its way.
func (s *Stack) DynamoDB() *dynamolocal.Server { return s.ddb }

// SQS is the SQS emulator, for tests that make it unreachable.
func (s *Stack) SQS() *sqslocal.Server { return s.sqs }

// DynamoDBEndpoint is DynamoDB Local's URL.
func (s *Stack) DynamoDBEndpoint() string { return s.ddbURL }

// SQSEndpoint is the SQS emulator's URL.
func (s *Stack) SQSEndpoint() string { return s.sqsURL }

// APIURL is the HTTP API's base URL.
func (s *Stack) APIURL() string { return s.apiURL }

// Routes lists the HTTP API's route keys, their functions and who may call
// them (open, or the roles a token needs), sorted.
func (s *Stack) Routes() []string {
	var out []string
	for _, f := range s.tpl.Functions {
		for _, e := range f.HTTP {
			who := "open"
			if e.Authorizer != samtemplate.NoAuthorizer {
				who = "any token"
				if len(e.Scopes) > 0 {
					who = "token: " + strings.Join(e.Scopes, " | ")
				}
			}
			out = append(out, e.Key()+" -> "+f.LogicalID+" ("+who+")")
		}
	}
	sort.Strings(out)
	return out
}

// Close stops everything and waits for every process to exit.
func (s *Stack) Close() error {
	if s.api != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = s.api.Shutdown(ctx)
		cancel()
	} else if s.apiLn != nil {
		_ = s.apiLn.Close()
	}
	if s.cancel != nil {
		s.cancel()
	}
	s.workers.Wait()
	for _, fn := range s.functions {
		_ = fn.Close()
	}
	var errs []error
	if s.sqs != nil {
		errs = append(errs, s.sqs.Close())
	}
	if s.ddb != nil {
		errs = append(errs, s.ddb.Close())
	}
	return errors.Join(errs...)
}

// prefixed writes each write (one log record) with a prefix.
type prefixed struct {
	prefix string
	w      io.Writer
	mu     sync.Mutex
}

func (p *prefixed) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := io.WriteString(p.w, p.prefix+strings.TrimRight(string(b), "\n")+"\n"); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Bootstrap is the path of the function's built binary: in Binaries when
// set, else in BuildDir; named after its directory under functions/, as
// `make functions` names it.
func (s *Stack) Bootstrap(logicalID string) string {
	dir := cmp.Or(s.cfg.Binaries, s.cfg.BuildDir)
	if f := s.tpl.Function(logicalID); f != nil {
		return filepath.Join(dir, f.Dir())
	}
	return filepath.Join(dir, logicalID)
}

// Attach builds and starts one function against a stack that is already
// running (`make run`) at the endpoints given, as `sam local invoke` runs one
// function against whatever services its environment names. Close stops the
// function only.
func Attach(ctx context.Context, cfg Config, ddbURL, sqsURL, function string) (*Stack, error) {
	if cfg.Output == nil {
		cfg.Output = io.Discard
	}
	tpl, err := samtemplate.Load(filepath.Join(cfg.ProjectDir, "template.yaml"))
	if err != nil {
		return nil, fmt.Errorf("stack: %w", err)
	}
	if tpl.Function(function) == nil {
		var names []string
		for _, f := range tpl.Functions {
			names = append(names, f.LogicalID)
		}
		return nil, fmt.Errorf("stack: no function %s in template.yaml (there are %s)", function, strings.Join(names, ", "))
	}
	s := &Stack{
		cfg: cfg, tpl: tpl, ddbURL: ddbURL, sqsURL: sqsURL,
		functions: map[string]*lambdart.Function{}, gates: map[string]*gate{}, queues: map[string]string{},
		log: slog.New(slog.NewJSONHandler(&prefixed{prefix: "[local] ", w: cfg.Output}, nil)),
	}
	for _, q := range tpl.Queues {
		s.queues[q.LogicalID] = sqslocal.QueueURL(sqsURL, q.LogicalID)
	}
	if err := s.build(ctx, []string{function}); err != nil {
		return nil, err
	}
	if err := s.startFunctions(ctx, []string{function}); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}
