// Package metrics publishes counts to CloudWatch in its embedded metric
// format: one JSON line on standard output per publication, which
// Lambda's log stream carries and CloudWatch turns into metrics. No API is
// called on a function's path, and nothing but names and counts is
// written.
package metrics

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"
)

// Publisher writes metrics to w under one namespace. It is safe for
// concurrent use.
type Publisher struct {
	mu        sync.Mutex
	w         io.Writer
	namespace string
}

// New returns a Publisher of namespace writing to w (os.Stdout in a
// Lambda function).
func New(w io.Writer, namespace string) *Publisher {
	return &Publisher{w: w, namespace: namespace}
}

// emf is a line of the embedded metric format.
type emf struct {
	Timestamp         int64       `json:"Timestamp"`
	CloudWatchMetrics []directive `json:"CloudWatchMetrics"`
}

type directive struct {
	Namespace  string     `json:"Namespace"`
	Dimensions [][]string `json:"Dimensions"`
	Metrics    []metric   `json:"Metrics"`
}

type metric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

// Counts publishes each count under its name, as a Count at at, with no
// dimensions (the namespace is the stack's). An empty namespace or no
// counts publishes nothing.
func (p *Publisher) Counts(at time.Time, counts map[string]int) error {
	if p.namespace == "" || len(counts) == 0 {
		return nil
	}
	d := directive{Namespace: p.namespace, Dimensions: [][]string{{}}}
	line := map[string]any{}
	for _, name := range slices.Sorted(maps.Keys(counts)) {
		d.Metrics = append(d.Metrics, metric{Name: name, Unit: "Count"})
		line[name] = counts[name]
	}
	line["_aws"] = emf{Timestamp: at.UnixMilli(), CloudWatchMetrics: []directive{d}}
	b, err := json.Marshal(line)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("metrics: write: %w", err)
	}
	return nil
}
