// Command web is the Lambda behind the front door's pages: the online
// referral form partners use (/, /refer/...), the referrer's pages
// (/check-a-referral), the staff pages (/staff/...) and their assets
// (/assets/...), served by one net/http handler tree adapted to the HTTP
// API's events.
package main

import (
	"context"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/escalation"
	"github.com/csc-frontdoor/frontdoor/shared/followup/worklist"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
	"github.com/csc-frontdoor/frontdoor/shared/lambdahttp"
	"github.com/csc-frontdoor/frontdoor/shared/openid"
	"github.com/csc-frontdoor/frontdoor/shared/queue"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
	"github.com/csc-frontdoor/frontdoor/shared/secrets"
	"github.com/csc-frontdoor/frontdoor/shared/stats"
	"github.com/csc-frontdoor/frontdoor/shared/triage"
	"github.com/csc-frontdoor/frontdoor/shared/web"
)

func main() {
	cfg := lambdaenv.Setup()
	store := dynamo.New(dynamo.NewClient(cfg), lambdaenv.Require("TABLE_NAME"))
	rules, cal := triage.DefaultRules(), calendar.EnglandAndWales()
	mash := casework.New(store, time.Now)
	referrals := intake.New(store, queue.NewSender(queue.NewClient(cfg), lambdaenv.Require("TRIAGE_QUEUE_URL")), time.Now)
	signIn := openid.New(lambdaenv.Require("AUTH_ISSUER"), lambdaenv.Require("STAFF_CLIENT_ID"),
		[]string{lambdaenv.Require("AUTH_AUDIENCE")}, &http.Client{Timeout: 5 * time.Second}, time.Now)
	// A confidential client's secret is read from Secrets Manager once,
	// at start; a public PKCE client (the default) has none.
	if name := os.Getenv("STAFF_CLIENT_SECRET_NAME"); name != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		secret, err := secrets.Read(ctx, secrets.NewClient(cfg), name)
		cancel()
		if err != nil {
			lambdaenv.Fatal("the staff client's secret cannot be read", "error", err)
		}
		signIn.WithClientSecret(secret)
	}
	pages, err := web.New(web.Config{
		Drafts:       store,
		Referrals:    referrals,
		Referrers:    referrer.New(store, time.Now),
		HubPhone:     lambdaenv.Require("HUB_PHONE"),
		Casework:     mash,
		Decisions:    decision.New(store, time.Now),
		Helpline:     helpline.NewService(store, referrals, time.Now),
		Figures:      stats.NewService(store, time.Now),
		Worklist:     worklist.New(store, referrals, time.Now),
		Escalations:  escalation.New(store, time.Now),
		Trails:       mash,
		Sessions:     store,
		SignIn:       signIn,
		NewVerifier:  openid.NewVerifier,
		ScreeningDue: func(received time.Time) time.Time { return rules.ScreeningDue(received, cal) },
		Now:          time.Now,
	})
	if err != nil {
		lambdaenv.Fatal("the pages cannot be served", "error", err)
	}
	lambda.Start(lambdahttp.Handler(pages))
}
