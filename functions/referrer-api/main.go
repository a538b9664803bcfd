// Command referrer-api is the Lambda behind the referrer's routes, open to
// partners without an account who hold a referral's reference and receipt
// token: GET /referrer/referrals/{reference} (the referral's status) and
// POST /referrer/referrals/{reference}/addenda (add information to it).
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/httpapi"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
)

func main() {
	cfg := lambdaenv.Setup()
	store := dynamo.New(dynamo.NewClient(cfg), lambdaenv.Require("TABLE_NAME"))
	svc := referrer.New(store, time.Now)
	lambda.Start(httpapi.Handle(httpapi.Routes(map[string]httpapi.HandlerFunc{
		"GET /referrer/referrals/{reference}":          httpapi.ReferralStatus(svc),
		"POST /referrer/referrals/{reference}/addenda": httpapi.AddAddendum(svc),
	})))
}
