package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"text/tabwriter"
)

// Targets are the figures the system is held to.
var Targets = struct {
	SubmitP50Ratio, SubmitP99Ratio float64 // at concurrency 1 and 8, triage running
	ColdStartRatio                 float64 // to the first Runtime API call
	ZippedBytes                    int64
	CostPerReferral                float64
}{1.5, 2, 2, 3 << 20, 0.0001}

// WriteJSON writes the report to path, making its directory.
func (r *Report) WriteJSON(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// Print writes the report as tables, each figure beside its target.
func (r *Report) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format+"\n", args...) }
	p("%s, %s, %s", r.Date, r.Machine, r.GoVersion)
	p("")
	p("POST /referrals against its floor (PutItem + SendMessage)")
	p("concurrency\ttriage\tn\tproduct/s\tproduct p50 ms\tp99 ms\tfloor p50 ms\tp99 ms\tp50 ratio\tp99 ratio\ttarget\ttransaction floor p50 ms\tp99 ms\tp50 ratio\tp99 ratio")
	for _, s := range r.Submit {
		triage, target := "paused", ""
		if s.Triage {
			triage = "running"
			if s.Concurrency == 1 || s.Concurrency == 8 {
				target = fmt.Sprintf("%.1f / %.0f %s", Targets.SubmitP50Ratio, Targets.SubmitP99Ratio,
					met(s.P50 <= Targets.SubmitP50Ratio && s.P99 <= Targets.SubmitP99Ratio))
			}
		}
		tx := s.OverTransaction
		p("%d\t%s\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%.2f\t%.2f\t%.2f\t%.2f", s.Concurrency, triage, s.Product.N, s.Product.PerSecond,
			s.Product.P50, s.Product.P99, s.Floor.P50, s.Floor.P99, s.P50, s.P99, target, tx.Floor.P50, tx.Floor.P99, tx.P50, tx.P99)
	}
	if len(r.WebSubmit) > 0 {
		p("")
		p("The web journey's \"Send referral\" against the same floors, triage running")
		p("concurrency\tn\tsends/s\tp50 ms\tp99 ms\tp50 ratio\tp99 ratio\tover the transaction floor p50\tp99")
		for _, s := range r.WebSubmit {
			p("%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f", s.Concurrency, s.Product.N, s.Product.PerSecond,
				s.Product.P50, s.Product.P99, s.P50, s.P99, s.OverTransaction.P50, s.OverTransaction.P99)
		}
	}
	p("")
	p("One submission, mean of %d one at a time, triage paused (ms)", r.Phases.N)
	p("phase\tcalls\tms")
	p("POST /referrals, as the client saw it\t\t%.3f", r.Phases.Total)
	p("  outside the function: HTTP API, Runtime API, client\t\t%.3f", r.Phases.Outside)
	p("  in the function\t\t%.3f", r.Phases.Function)
	for _, c := range r.Phases.Calls {
		p("    %s %s\t%.2f\t%.3f each", c.Service, c.Operation, c.PerReq, c.Mean)
	}
	p("    the rest: decode, validate, marshal, SDK, logs\t\t%.3f", r.Phases.Rest)
	p("")
	p("End to end, one referral every %s (ms)", r.EndToEnd.Every)
	p("to\tn\tp50\tp99\tmax")
	for _, row := range []struct {
		name string
		l    Latency
	}{{"awaiting a decision", r.EndToEnd.Triaged}, {"follow-up created", r.EndToEnd.FollowUp}} {
		p("%s\t%d\t%.1f\t%.1f\t%.1f", row.name, row.l.N, row.l.P50, row.l.P99, row.l.Max)
	}
	p("")
	p("Cold start, median of %d (ms; ratio to the minimal aws-lambda-go bootstrap)", r.Minimal.Starts)
	p("function\tto first Runtime API call\tratio\tto first response\tratio\ttarget")
	p("%s\t%.2f\t\t%.2f\t\t", r.Minimal.Function, r.Minimal.Ready, r.Minimal.FirstResponse)
	for _, c := range r.ColdStarts {
		p("%s\t%.2f\t%.2f\t%.2f\t%.2f\t%.0f %s", c.Function, c.Ready, c.ReadyRatio, c.FirstResponse, c.FirstResponseRatio,
			Targets.ColdStartRatio, met(c.ReadyRatio <= Targets.ColdStartRatio))
	}
	p("")
	p("Binary, linux/arm64 (MiB)")
	p("function\traw\tzipped\ttarget")
	for _, s := range r.Sizes {
		p("%s\t%.2f\t%.2f\t%.0f %s", s.Function, mib(s.Raw), mib(s.Zipped), mib(Targets.ZippedBytes), met(s.Zipped <= Targets.ZippedBytes))
	}
	p("")
	u := r.Usage
	n := float64(max(u.Referrals, 1))
	p("Cost per referral, submission to follow-up, over %d referrals (eu-west-2 prices of %s)", u.Referrals, r.PricesAsOf)
	p("service\tper referral\tdollars")
	p("DynamoDB\t%.1f write units, %.1f read units\t%.3g", u.WriteUnits/n, u.ReadUnits/n, r.Cost.DynamoDB)
	p("SQS\t%.1f requests\t%.3g", float64(u.SQSRequests)/n, r.Cost.SQS)
	p("Lambda\t%.1f invocations, %.4f GB-s\t%.3g", float64(u.Invocations)/n, u.GBSeconds/n, r.Cost.Lambda)
	p("API Gateway\t%.1f requests\t%.3g", float64(u.APIRequests)/n, r.Cost.APIGateway)
	for _, op := range slices.Sorted(maps.Keys(u.DynamoDBCalls)) {
		c := u.DynamoDBCalls[op]
		p("  DynamoDB %s\t%.1f calls, %.1f write units, %.1f read units\t", op, float64(c.Count)/n, c.WriteUnits/n, c.ReadUnits/n)
	}
	p("total\t\t%.3g (target %.4f %s)", sig(r.Cost.Total), Targets.CostPerReferral, met(r.Cost.Total < Targets.CostPerReferral))
	return tw.Flush()
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT MET"
}
