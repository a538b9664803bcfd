// Command follow-up is the Lambda on FollowUpQueue: it creates each
// follow-up (return home interview, appropriate adult, s38(6)
// accommodation, FGM police report) exactly once.
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
	"github.com/csc-frontdoor/frontdoor/shared/queue"
)

func main() {
	cfg := lambdaenv.Setup()
	store := dynamo.New(dynamo.NewClient(cfg), lambdaenv.Require("TABLE_NAME"))
	svc := followup.NewService(store, followup.DefaultClocks(), calendar.EnglandAndWales(), time.Now)
	lambda.Start(queue.Consume(svc.Create))
}
