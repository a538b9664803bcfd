// Command bench measures the system on the real local stack against its
// floor (see package bench) and prints the figures as tables; `make bench`
// runs it. The same figures go to a JSON file.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/infra/bench"
)

func main() {
	root, _ := os.Getwd()
	o := bench.Options{Root: root, Progress: os.Stderr}
	var conc, out, logs string
	flag.IntVar(&o.N, "n", 2000, "referrals per submission run")
	flag.StringVar(&conc, "c", "1,8,32", "the submission runs' concurrencies")
	flag.IntVar(&o.Web, "web", 300, "referrals per web journey run (0: none)")
	flag.IntVar(&o.ColdStarts, "starts", 20, "cold starts of each function")
	flag.IntVar(&o.EndToEnd, "e2e", 300, "referrals followed to their follow-up")
	flag.DurationVar(&o.EndToEndEvery, "every", 50*time.Millisecond, "time between the end-to-end referrals")
	flag.IntVar(&o.Phases, "phases", 500, "referrals in the per-phase breakdown")
	flag.IntVar(&o.Cost, "cost", 200, "referrals the cost is measured over")
	flag.StringVar(&out, "json", filepath.Join(root, ".local", "bench", "bench.json"), "where the figures are written")
	flag.StringVar(&logs, "logs", filepath.Join(root, ".local", "bench", "stack.log"), "where the stack's logs go")
	flag.Parse()
	o.Binaries = os.Getenv("FRONTDOOR_FUNCTIONS_DIR")
	o.DynamoDBDir = os.Getenv("DYNAMODB_LOCAL_DIR")
	for _, c := range strings.Split(conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 {
			fail(fmt.Errorf("-c: %q is not a concurrency", c))
		}
		o.Concurrency = append(o.Concurrency, n)
	}
	if err := os.MkdirAll(filepath.Dir(logs), 0o755); err != nil {
		fail(err)
	}
	lf, err := os.Create(logs)
	if err != nil {
		fail(err)
	}
	defer lf.Close()
	o.Logs = lf

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	r, err := bench.Run(ctx, o)
	if err != nil {
		fail(err)
	}
	if err := r.Print(os.Stdout); err != nil {
		fail(err)
	}
	if err := r.WriteJSON(out); err != nil {
		fail(err)
	}
	fmt.Printf("\n(%s; the figures: %s; the stack's logs: %s)\n", time.Since(start).Round(time.Second), out, logs)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}
