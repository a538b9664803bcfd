// Command sweep is the scheduled Lambda (every 5 minutes) that flags overdue
// referrals and follow-ups, queues referrals that were never queued, and
// reports the dead-letter queues' depth, publishing its counts as
// CloudWatch metrics for the alarms.
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
	"github.com/csc-frontdoor/frontdoor/shared/metrics"
	"github.com/csc-frontdoor/frontdoor/shared/queue"
	"github.com/csc-frontdoor/frontdoor/shared/sweep"
)

func main() {
	cfg := lambdaenv.Setup()
	store := dynamo.New(dynamo.NewClient(cfg), lambdaenv.Require("TABLE_NAME"))
	client := queue.NewClient(cfg)
	svc := sweep.New(store, queue.NewSender(client, lambdaenv.Require("TRIAGE_QUEUE_URL")),
		queue.NewSender(client, lambdaenv.Require("FOLLOWUP_QUEUE_URL")),
		queue.NewMonitor(client, map[string]string{
			"TriageDeadLetterQueue":   lambdaenv.Require("TRIAGE_DLQ_URL"),
			"FollowUpDeadLetterQueue": lambdaenv.Require("FOLLOWUP_DLQ_URL"),
		}), sweep.Options{})
	pub := metrics.New(os.Stdout, os.Getenv("METRICS_NAMESPACE"))
	lambda.Start(func(ctx context.Context, ev events.EventBridgeEvent) (sweep.Report, error) {
		now := sweep.Now(ev.Time, time.Now())
		r, err := svc.Run(ctx, now)
		// What the run flagged, for the alarms: published even when the
		// run failed part way, since what it flagged stays flagged.
		if perr := pub.Counts(now, r.Metrics()); perr != nil {
			slog.ErrorContext(ctx, "the sweep's metrics were not published", "error", perr)
		}
		return r, err
	})
}
