// Command get-referral is the Lambda behind GET /referrals/{id}: it returns a
// stored referral and audits the read.
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/httpapi"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
)

func main() {
	cfg := lambdaenv.Setup()
	store := dynamo.New(dynamo.NewClient(cfg), lambdaenv.Require("TABLE_NAME"))
	lambda.Start(httpapi.Handle(httpapi.GetReferral(casework.New(store, time.Now))))
}
