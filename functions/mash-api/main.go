// Command mash-api is the Lambda behind the MASH's routes: the triage queue,
// screening decisions, a referral's audit trail, the manager's figures and
// the escalations to the manager.
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/escalation"
	"github.com/csc-frontdoor/frontdoor/shared/httpapi"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
	"github.com/csc-frontdoor/frontdoor/shared/stats"
)

func main() {
	cfg := lambdaenv.Setup()
	store := dynamo.New(dynamo.NewClient(cfg), lambdaenv.Require("TABLE_NAME"))
	mash := casework.New(store, time.Now)
	escalations := escalation.New(store, time.Now)
	lambda.Start(httpapi.Handle(httpapi.Routes(map[string]httpapi.HandlerFunc{
		"GET /triage-queue":                       httpapi.TriageQueue(mash),
		"POST /referrals/{id}/decisions":          httpapi.DecideReferral(decision.New(store, time.Now)),
		"GET /referrals/{id}/audit":               httpapi.ReferralAudit(mash),
		"GET /stats":                              httpapi.Stats(stats.NewService(store, time.Now)),
		"GET /escalations":                        httpapi.ListEscalations(escalations),
		"POST /escalations/{id}/acknowledgements": httpapi.AcknowledgeEscalation(escalations),
	})))
}
