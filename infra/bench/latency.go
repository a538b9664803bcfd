// Package bench measures the system on this machine against its floor: the
// submission path of the real local stack side by side with the least work
// a submission could do (one conditional PutItem of an item of the same
// size and one SendMessage of an id, from a warm Go client, to the same
// DynamoDB Local and SQS emulator), where the time of a submission goes,
// how long a referral takes to be triaged, how fast each function starts,
// how large its binary is and what a referral costs. On one machine only
// ratios measured in the same run are honest figures; `make bench` prints
// them and writes them to a JSON file.
package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Latency summarises the durations of a run of operations.
type Latency struct {
	// N is how many operations ran, at Concurrency at once.
	N           int `json:"n"`
	Concurrency int `json:"concurrency"`
	// PerSecond is the throughput: N over the run's wall time.
	PerSecond float64 `json:"perSecond"`
	// Mean, P50, P99 and Max are in milliseconds.
	Mean float64 `json:"meanMs"`
	P50  float64 `json:"p50Ms"`
	P99  float64 `json:"p99Ms"`
	Max  float64 `json:"maxMs"`
}

// Summarise returns the latency figures of durations measured over wall.
func Summarise(durations []time.Duration, concurrency int, wall time.Duration) Latency {
	l := Latency{N: len(durations), Concurrency: concurrency}
	if len(durations) == 0 {
		return l
	}
	d := slices.Clone(durations)
	slices.Sort(d)
	l.P50 = ms(Percentile(d, 50))
	l.P99 = ms(Percentile(d, 99))
	l.Max = ms(d[len(d)-1])
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	l.Mean = ms(sum / time.Duration(len(d)))
	if wall > 0 {
		l.PerSecond = float64(len(d)) / wall.Seconds()
	}
	return l
}

// Percentile returns the p-th percentile (0 < p <= 100) of sorted, by the
// nearest-rank method: the smallest value at least p% of the values are at
// or below. It is zero for no values.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// Op is one operation of a run; i numbers it from 0.
type Op func(ctx context.Context, i int) error

// Measure calls op n times, concurrency at once, and summarises how long each
// call took. The first error stops the run and is returned, with which call
// made it.
func Measure(ctx context.Context, n, concurrency int, op Op) (Latency, error) {
	if n <= 0 || concurrency <= 0 {
		return Latency{}, fmt.Errorf("bench: run of %d operations at concurrency %d", n, concurrency)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	durations := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range min(concurrency, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				t := time.Now()
				if err := op(ctx, i); err != nil {
					cancel(fmt.Errorf("operation %d: %w", i, err))
					return
				}
				durations[i] = time.Since(t)
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	if err := context.Cause(ctx); err != nil {
		return Latency{}, err
	}
	return Summarise(durations, concurrency, wall), nil
}

// Ratio is the product's latency over its floor's, measured in one run.
type Ratio struct {
	Product Latency `json:"product"`
	Floor   Latency `json:"floor"`
	// P50 and P99 are the product's over the floor's.
	P50 float64 `json:"p50Ratio"`
	P99 float64 `json:"p99Ratio"`
}

// NewRatio compares product with floor.
func NewRatio(product, floor Latency) Ratio {
	r := Ratio{Product: product, Floor: floor}
	if floor.P50 > 0 {
		r.P50 = round2(product.P50 / floor.P50)
	}
	if floor.P99 > 0 {
		r.P99 = round2(product.P99 / floor.P99)
	}
	return r
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
