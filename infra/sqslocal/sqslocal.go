// Package sqslocal runs the SQS emulator goaws (v0.5.4, which speaks the JSON
// protocol of the AWS SDK v2) inside this process on a 127.0.0.1 port.
//
// goaws keeps its state in package globals, so there is one emulator per
// process: Start may be called once. Its queues live in memory only.
package sqslocal

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Admiral-Piett/goaws/app/gosqs"
	"github.com/Admiral-Piett/goaws/app/models"
	"github.com/Admiral-Piett/goaws/app/router"
	log "github.com/sirupsen/logrus"
)

// Region and AccountID appear in the emulator's queue URLs and ARNs.
const (
	Region    = "eu-west-2"
	AccountID = "000000000000"
)

// Server is the running emulator.
type Server struct {
	srvMu    sync.Mutex // guards srv
	srv      *http.Server
	requests *counter
	addr     string
	endpoint string
	quit     chan bool
	done     chan struct{}
}

var (
	mu      sync.Mutex
	started bool
)

// Start serves the emulator on 127.0.0.1:port (0 picks a free port).
func Start(port int) (*Server, error) {
	mu.Lock()
	defer mu.Unlock()
	if started {
		return nil, errors.New("sqslocal: the emulator is already running in this process")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return nil, fmt.Errorf("sqslocal: port %d (set FRONTDOOR_SQS_PORT to use another): %w", port, err)
	}
	port = ln.Addr().(*net.TCPAddr).Port
	// goaws logs every message body at info level: raise it to warnings.
	log.SetLevel(log.WarnLevel)
	log.SetOutput(io.Discard)
	models.ResetResources()
	// Must be set before any queue is created, or queue URLs and ARNs come
	// back as placeholders.
	models.CurrentEnvironment = models.Environment{
		Host:      "127.0.0.1",
		Port:      strconv.Itoa(port),
		SqsPort:   strconv.Itoa(port),
		Region:    Region,
		AccountID: AccountID,
	}
	models.CurrentEnvironment.QueueAttributeDefaults.VisibilityTimeout = 30
	models.CurrentEnvironment.QueueAttributeDefaults.MaximumMessageSize = 262144
	models.CurrentEnvironment.QueueAttributeDefaults.MessageRetentionPeriod = 345600
	requests := &counter{n: map[string]int64{}}
	s := &Server{
		srv:      newHTTPServer(requests),
		requests: requests,
		addr:     ln.Addr().String(),
		endpoint: "http://127.0.0.1:" + strconv.Itoa(port),
		quit:     make(chan bool),
		done:     make(chan struct{}),
	}
	go func() { _ = s.srv.Serve(ln) }()
	// Without the periodic tasks visibility timeouts never expire and
	// nothing reaches a dead-letter queue.
	go func() {
		gosqs.PeriodicTasks(time.Second, s.quit)
		close(s.done)
	}()
	started = true
	return s, nil
}

func newHTTPServer(c *counter) *http.Server {
	return &http.Server{Handler: c.wrap(router.New()), ReadHeaderTimeout: 10 * time.Second}
}

// counter counts the emulator's requests by action, as SQS bills them.
type counter struct {
	mu sync.Mutex
	n  map[string]int64
}

func (c *counter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action := r.Header.Get("X-Amz-Target")
		action = action[strings.LastIndexByte(action, '.')+1:]
		if action == "" {
			action = "other"
		}
		c.mu.Lock()
		c.n[action]++
		c.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// Requests returns how many requests the emulator has served, by action
// (SendMessage, ReceiveMessage, ...): what SQS would bill.
func (s *Server) Requests() map[string]int64 {
	s.requests.mu.Lock()
	defer s.requests.mu.Unlock()
	return maps.Clone(s.requests.n)
}

// Disconnect makes the emulator unreachable, as when SQS cannot be reached:
// its port refuses connections and open ones are closed. The queues, and
// the clocks of their messages, carry on.
func (s *Server) Disconnect() error {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	return s.srv.Close()
}

// Reconnect serves the emulator on its port again after Disconnect.
func (s *Server) Reconnect() error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("sqslocal: listen on %s again: %w", s.addr, err)
	}
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	s.srv = newHTTPServer(s.requests)
	go func(srv *http.Server) { _ = srv.Serve(ln) }(s.srv)
	return nil
}

// Endpoint is the URL for SQS clients.
func (s *Server) Endpoint() string { return s.endpoint }

// QueueURL is the URL of the queue named name.
func (s *Server) QueueURL(name string) string { return QueueURL(s.endpoint, name) }

// QueueARN is the ARN of the queue named name.
func (s *Server) QueueARN(name string) string { return QueueARN(name) }

// QueueURL is the URL of the queue named name on the emulator at endpoint.
func QueueURL(endpoint, name string) string { return endpoint + "/" + AccountID + "/" + name }

// QueueARN is the ARN the emulator gives the queue named name.
func QueueARN(name string) string { return "arn:aws:sqs:" + Region + ":" + AccountID + ":" + name }

// Close stops the emulator; its queues are dropped.
func (s *Server) Close() error {
	s.srvMu.Lock()
	err := s.srv.Close()
	s.srvMu.Unlock()
	close(s.quit)
	select {
	case <-s.done:
	case <-time.After(3 * time.Second):
	}
	mu.Lock()
	started = false
	models.ResetResources()
	mu.Unlock()
	return err
}
