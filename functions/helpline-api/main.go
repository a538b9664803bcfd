// Command helpline-api is the Lambda behind the parenting helpline's routes:
// POST /helpline-calls logs a call (a retry with the same Idempotency-Key
// replays the first receipt), GET /helpline-calls lists calls, and
// POST /helpline-calls/{id}/referrals escalates a call that raised a
// safeguarding concern into a referral, through the same intake (storage,
// audit, triage queue) as any other referral.
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/httpapi"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
	"github.com/csc-frontdoor/frontdoor/shared/queue"
)

func main() {
	cfg := lambdaenv.Setup()
	store := dynamo.New(dynamo.NewClient(cfg), lambdaenv.Require("TABLE_NAME"))
	triage := queue.NewSender(queue.NewClient(cfg), lambdaenv.Require("TRIAGE_QUEUE_URL"))
	svc := helpline.NewService(store, intake.New(store, triage, time.Now), time.Now)
	lambda.Start(httpapi.Handle(httpapi.Routes(map[string]httpapi.HandlerFunc{
		"POST /helpline-calls":                httpapi.LogHelplineCall(svc),
		"GET /helpline-calls":                 httpapi.ListHelplineCalls(svc),
		"POST /helpline-calls/{id}/referrals": httpapi.EscalateHelplineCall(svc),
	})))
}
