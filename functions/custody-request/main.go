// Command custody-request is the Lambda behind POST /custody-requests: it
// validates a custody suite's request for an appropriate adult or s38(6)
// accommodation, stores it and sends the commands for its follow-ups.
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/custody"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/httpapi"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
	"github.com/csc-frontdoor/frontdoor/shared/queue"
)

func main() {
	cfg := lambdaenv.Setup()
	store := dynamo.New(dynamo.NewClient(cfg), lambdaenv.Require("TABLE_NAME"))
	followUps := queue.NewSender(queue.NewClient(cfg), lambdaenv.Require("FOLLOWUP_QUEUE_URL"))
	svc := custody.NewService(store, followUps, calendar.EnglandAndWales(), time.Now)
	lambda.Start(httpapi.Handle(httpapi.SubmitCustodyRequest(svc)))
}
