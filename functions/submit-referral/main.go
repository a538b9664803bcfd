// Command submit-referral is the Lambda behind POST /referrals: it validates
// a referral, stores it and queues it for triage.
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/httpapi"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
	"github.com/csc-frontdoor/frontdoor/shared/queue"
)

func main() {
	cfg := lambdaenv.Setup()
	store := dynamo.New(dynamo.NewClient(cfg), lambdaenv.Require("TABLE_NAME"))
	triage := queue.NewSender(queue.NewClient(cfg), lambdaenv.Require("TRIAGE_QUEUE_URL"))
	lambda.Start(httpapi.Handle(httpapi.SubmitReferral(intake.New(store, triage, time.Now))))
}
