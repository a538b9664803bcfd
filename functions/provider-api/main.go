// Command provider-api is the Lambda behind the follow-up providers' API:
// GET /follow-ups lists the caller's follow-ups and POST
// /follow-ups/{id}/events records an event on one (accept, attempt,
// complete, decline). A completed return home interview that needs a new
// referral makes it through the intake, which queues it for triage.
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/followup/worklist"
	"github.com/csc-frontdoor/frontdoor/shared/httpapi"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
	"github.com/csc-frontdoor/frontdoor/shared/queue"
)

func main() {
	cfg := lambdaenv.Setup()
	store := dynamo.New(dynamo.NewClient(cfg), lambdaenv.Require("TABLE_NAME"))
	triage := queue.NewSender(queue.NewClient(cfg), lambdaenv.Require("TRIAGE_QUEUE_URL"))
	svc := worklist.New(store, intake.New(store, triage, time.Now), time.Now)
	lambda.Start(httpapi.Handle(httpapi.Routes(map[string]httpapi.HandlerFunc{
		"GET /follow-ups":              httpapi.ListFollowUps(svc),
		"POST /follow-ups/{id}/events": httpapi.RecordFollowUpEvent(svc),
	})))
}
