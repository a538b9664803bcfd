// Package dynamolocal starts and stops DynamoDB Local, the official AWS jar,
// as a child process listening on 127.0.0.1 only.
//
// The jar has no option for its listening address, so it is started through
// LoopbackDynamoDBLocal (the Java source beside this file, compiled by `make
// tools` into Dir/launcher), which binds its connector to 127.0.0.1 and
// otherwise runs it exactly as its own main class does.
package dynamolocal

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Options say where DynamoDB Local is installed and how to run it.
type Options struct {
	// Dir holds DynamoDBLocal.jar, DynamoDBLocal_lib and
	// launcher/LoopbackDynamoDBLocal.class (installed by `make tools`).
	Dir string
	// Port is the port on 127.0.0.1; 0 picks a free one.
	Port int
	// InMemory keeps everything in memory (tests). Otherwise data persists
	// in DataDir.
	InMemory bool
	// DataDir holds the database file when not InMemory.
	DataDir string
	// Java is the java executable; "java" on PATH when empty.
	Java string
	// Output receives DynamoDB Local's own output. Nil discards.
	Output io.Writer
	// StartTimeout bounds the wait for it to answer; zero means 2 minutes.
	StartTimeout time.Duration
}

// Server is a running DynamoDB Local.
type Server struct {
	opts     Options // as started, with the port it was given
	cmd      *exec.Cmd
	endpoint string
	workDir  string
	exited   chan struct{}
	waitErr  error
}

// Start starts DynamoDB Local and waits until it answers ListTables. When
// Port is 0 a free port is picked, and picked again should another process
// take it first.
func Start(ctx context.Context, o Options) (*Server, error) {
	if o.Port != 0 {
		return start(ctx, o)
	}
	var err error
	for range 3 {
		var s *Server
		if s, err = start(ctx, o); err == nil {
			return s, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, err
}

// Missing says what of DynamoDB Local's needs is not on this machine (Java,
// the jar, the launcher), or nil when Start can run it.
func Missing(o Options) error {
	var errs []error
	if _, err := exec.LookPath(cmp.Or(o.Java, "java")); err != nil {
		errs = append(errs, fmt.Errorf("dynamolocal: no Java (install Java 17 with `make tools`): %w", err))
	}
	for _, need := range []string{filepath.Join(o.Dir, "DynamoDBLocal.jar"), filepath.Join(o.Dir, "launcher", "LoopbackDynamoDBLocal.class")} {
		if _, err := os.Stat(need); err != nil {
			errs = append(errs, fmt.Errorf("dynamolocal: DynamoDB Local is not installed in %s (run `make tools`): %w", o.Dir, err))
			break
		}
	}
	return errors.Join(errs...)
}

func start(ctx context.Context, o Options) (*Server, error) {
	jar := filepath.Join(o.Dir, "DynamoDBLocal.jar")
	lib := filepath.Join(o.Dir, "DynamoDBLocal_lib")
	launcher := filepath.Join(o.Dir, "launcher")
	if err := Missing(o); err != nil {
		return nil, err
	}
	if o.Java == "" {
		o.Java = "java"
	}
	if o.StartTimeout == 0 {
		// Generous: a cold test run starts it while compiling on every core.
		o.StartTimeout = 2 * time.Minute
	}
	port := o.Port
	if port == 0 {
		p, err := freePort()
		if err != nil {
			return nil, err
		}
		port = p
	}
	if err := portFree(port); err != nil {
		return nil, err
	}
	// The heap may grow to 1 GiB (it is taken only as used): a scan of a
	// table of thousands of full referrals, as the fault-injection suite
	// reads at full size, ran out of 256 MiB.
	args := []string{
		"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx1g",
		"-Djava.library.path=" + lib,
		"-cp", strings.Join([]string{launcher, jar, filepath.Join(lib, "*")}, string(os.PathListSeparator)),
		"LoopbackDynamoDBLocal",
		"-port", strconv.Itoa(port), "-sharedDb", "-disableTelemetry",
	}
	if o.InMemory {
		args = append(args, "-inMemory")
	} else {
		if o.DataDir == "" {
			return nil, errors.New("dynamolocal: DataDir is required unless InMemory")
		}
		if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("dynamolocal: %w", err)
		}
		abs, err := filepath.Abs(o.DataDir)
		if err != nil {
			return nil, err
		}
		args = append(args, "-dbPath", abs)
	}
	// It writes files into its working directory: give it its own.
	work, err := os.MkdirTemp("", "dynamodb-local-")
	if err != nil {
		return nil, fmt.Errorf("dynamolocal: %w", err)
	}
	cmd := exec.Command(o.Java, args...)
	cmd.Dir = work
	out := o.Output
	if out == nil {
		out = io.Discard
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(work)
		return nil, fmt.Errorf("dynamolocal: start java (install Java 17 with `make tools`): %w", err)
	}
	o.Port = port
	s := &Server{opts: o, cmd: cmd, endpoint: "http://127.0.0.1:" + strconv.Itoa(port), workDir: work, exited: make(chan struct{})}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx, o.StartTimeout); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// Endpoint is the URL clients use: always on 127.0.0.1.
func (s *Server) Endpoint() string { return s.endpoint }

// Freeze stops DynamoDB Local's processes where they are (SIGSTOP): its
// port still takes connections, but nothing answers, as when a database
// hangs. Thaw lets them go on.
func (s *Server) Freeze() error { return syscall.Kill(-s.cmd.Process.Pid, syscall.SIGSTOP) }

// Thaw lets a frozen DynamoDB Local go on (SIGCONT), with the requests it
// was sent meanwhile.
func (s *Server) Thaw() error { return syscall.Kill(-s.cmd.Process.Pid, syscall.SIGCONT) }

// Restart stops DynamoDB Local (SIGTERM, as a service restart would, and
// SIGKILL if it has not stopped in 5 s) and starts it again on the same
// port with the same options, waiting until it answers. Only a persistent
// server (not InMemory) keeps its data; restarting one in memory is
// refused.
//
// It does not kill it at once: DynamoDB Local acknowledges a write before
// its SQLite file holds it, and a SIGKILL loses the writes of the last
// moments (the fault-injection suite saw a transaction acknowledged about
// 150 ms before the kill gone after it, in 2 runs of 3). The real service
// holds a write durably before it acknowledges it, so that loss is the
// emulator's, not a fault to test the product against.
func (s *Server) Restart(ctx context.Context) error {
	if s.opts.InMemory {
		return errors.New("dynamolocal: an in-memory DynamoDB Local would lose everything on restart")
	}
	s.stop()
	_ = os.RemoveAll(s.workDir)
	next, err := start(ctx, s.opts)
	if err != nil {
		return err
	}
	s.cmd, s.workDir, s.exited = next.cmd, next.workDir, next.exited
	return nil
}

// Close stops DynamoDB Local and waits for it to exit.
func (s *Server) Close() error {
	select {
	case <-s.exited:
	default:
		s.stop()
	}
	return os.RemoveAll(s.workDir)
}

// stop ends DynamoDB Local (SIGTERM, and SIGKILL if it has not stopped in
// 5 s) and waits for it to exit. A frozen process cannot stop: it is
// thawed first.
func (s *Server) stop() {
	_ = s.Thaw()
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.exited
	}
}

func (s *Server) waitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := dynamodb.New(dynamodb.Options{
		Region:                          "eu-west-2",
		BaseEndpoint:                    aws.String(s.endpoint),
		Credentials:                     credentials.NewStaticCredentialsProvider("local", "local", ""),
		DisableValidateResponseChecksum: true,
		RetryMaxAttempts:                1,
	})
	for {
		attempt, stop := context.WithTimeout(ctx, 2*time.Second)
		_, err := client.ListTables(attempt, &dynamodb.ListTablesInput{})
		stop()
		if err == nil {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("dynamolocal: exited before it was ready: %v", s.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("dynamolocal: not ready at %s after %s: %w", s.endpoint, timeout, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("dynamolocal: find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// portFree reports a clear error when something already listens on port.
func portFree(port int) error {
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return fmt.Errorf("dynamolocal: port %d is in use (set FRONTDOOR_DDB_PORT to use another): %w", port, err)
	}
	return ln.Close()
}
