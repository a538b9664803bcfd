package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Recorder is a reverse proxy put between the functions and DynamoDB Local
// or the SQS emulator (both speak JSON over HTTP, the operation named in
// X-Amz-Target). It counts each operation and how long it took, and for
// DynamoDB it asks for the capacity each consumed (adding
// ReturnConsumedCapacity TOTAL where the caller did not) and adds it up:
// where the time of a request goes, and what it costs, without a line of
// the product changed. The proxy's own hop adds a little to each call, so
// the latency ratios are measured without it.
type Recorder struct {
	target   atomic.Pointer[url.URL]
	capacity bool
	srv      *http.Server
	url      string

	mu  sync.Mutex
	ops map[string]OpStats
}

// OpStats is what a Recorder saw of one operation.
type OpStats struct {
	Count int64 `json:"count"`
	// Total is the time from the request sent to the response read.
	Total time.Duration `json:"totalNs"`
	// ReadUnits and WriteUnits are the capacity DynamoDB reported.
	ReadUnits  float64 `json:"readUnits,omitempty"`
	WriteUnits float64 `json:"writeUnits,omitempty"`
	// Unreported counts the calls asked for their capacity whose answer
	// gave none.
	Unreported int64 `json:"unreported,omitempty"`
}

// The DynamoDB operations that take ReturnConsumedCapacity, and whether
// each reads or writes.
var capacityOps = map[string]bool{
	"GetItem": false, "BatchGetItem": false, "Query": false, "Scan": false, "TransactGetItems": false,
	"PutItem": true, "UpdateItem": true, "DeleteItem": true, "BatchWriteItem": true, "TransactWriteItems": true,
}

// NewRecorder serves a Recorder on a free 127.0.0.1 port. capacity asks
// DynamoDB for the capacity of each call (for the DynamoDB endpoint only).
// It forwards nowhere until SetTarget.
func NewRecorder(capacity bool) (*Recorder, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench: recorder listener: %w", err)
	}
	r := &Recorder{capacity: capacity, url: "http://" + ln.Addr().String(), ops: map[string]OpStats{}}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			if t := r.target.Load(); t != nil {
				pr.SetURL(t)
			}
		},
		Transport: r,
	}
	r.srv = &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = r.srv.Serve(ln) }()
	return r, nil
}

// URL is the proxy's endpoint, for the functions' AWS_ENDPOINT_URL_*.
func (r *Recorder) URL() string { return r.url }

// SetTarget points the proxy at the real endpoint.
func (r *Recorder) SetTarget(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil {
		return fmt.Errorf("bench: recorder target: %w", err)
	}
	r.target.Store(u)
	return nil
}

// Close stops the proxy.
func (r *Recorder) Close() error { return r.srv.Close() }

// Reset forgets what was recorded.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ops = map[string]OpStats{}
}

// Ops returns what was recorded, by operation.
func (r *Recorder) Ops() map[string]OpStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.ops)
}

// RoundTrip forwards one request, timing it and reading the capacity used.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.target.Load() == nil {
		return nil, fmt.Errorf("bench: recorder has no target")
	}
	op := req.Header.Get("X-Amz-Target")
	op = op[strings.LastIndexByte(op, '.')+1:]
	_, counted := capacityOps[op]
	counted = counted && r.capacity
	if counted {
		if err := askCapacity(req); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	elapsed := time.Since(start)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var units float64
	reported := true
	if counted && resp.StatusCode == http.StatusOK {
		units, reported = consumed(body)
	}
	r.mu.Lock()
	s := r.ops[op]
	s.Count++
	s.Total += elapsed
	if capacityOps[op] {
		s.WriteUnits += units
	} else {
		s.ReadUnits += units
	}
	if !reported {
		s.Unreported++
	}
	r.ops[op] = s
	r.mu.Unlock()
	return resp, nil
}

// askCapacity adds ReturnConsumedCapacity TOTAL to a DynamoDB request.
// DynamoDB Local does not check signatures, so the changed body is taken.
func askCapacity(req *http.Request) error {
	if req.Body == nil {
		return nil
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return err
	}
	var in map[string]json.RawMessage
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("bench: DynamoDB request is not a JSON object: %w", err)
	}
	if _, ok := in["ReturnConsumedCapacity"]; !ok {
		in["ReturnConsumedCapacity"] = json.RawMessage(`"TOTAL"`)
		if b, err = json.Marshal(in); err != nil {
			return err
		}
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	req.ContentLength = int64(len(b))
	req.Header.Del("Content-Length")
	return nil
}

// consumed reads the capacity units of a DynamoDB response: one
// ConsumedCapacity, or one per table. ok is false when there is none.
func consumed(body []byte) (units float64, ok bool) {
	var out struct {
		ConsumedCapacity json.RawMessage
	}
	if json.Unmarshal(body, &out) != nil || len(out.ConsumedCapacity) == 0 {
		return 0, false
	}
	type capacity struct{ CapacityUnits float64 }
	var list []capacity
	if out.ConsumedCapacity[0] == '[' {
		if json.Unmarshal(out.ConsumedCapacity, &list) != nil {
			return 0, false
		}
	} else {
		var one capacity
		if json.Unmarshal(out.ConsumedCapacity, &one) != nil {
			return 0, false
		}
		list = append(list, one)
	}
	for _, c := range list {
		units += c.CapacityUnits
	}
	return units, len(list) > 0
}
