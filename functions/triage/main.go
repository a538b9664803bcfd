// Command triage is the Lambda on TriageQueue: it screens each referral
// (priority, due times, earlier referrals of the same child) and sends its
// follow-up commands.
package main

import (
	"context"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
	"github.com/csc-frontdoor/frontdoor/shared/queue"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/triage"
)

func main() {
	cfg := lambdaenv.Setup()
	store := dynamo.New(dynamo.NewClient(cfg), lambdaenv.Require("TABLE_NAME"))
	followUps := queue.NewSender(queue.NewClient(cfg), lambdaenv.Require("FOLLOWUP_QUEUE_URL"))
	svc := triage.NewService(store, followUps, triage.DefaultRules(), calendar.EnglandAndWales(),
		[]byte(lambdaenv.Require("CHILD_MATCH_KEY")), time.Now)
	lambda.Start(queue.Consume(func(ctx context.Context, m referral.TriageMessage) error {
		return svc.Triage(ctx, m.ReferralID)
	}))
}
