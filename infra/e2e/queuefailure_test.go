package e2e

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/csc-frontdoor/frontdoor/infra/lambdart"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// A referral whose message cannot be sent stays stored, marked as needing
// queueing, and the referrer still gets a receipt. The real submit binary runs
// here with a queue URL that does not exist.
func TestQueueFailureKeepsTheReferralAndTheReceipt(t *testing.T) {
	pauseTriage(t)
	drain(t, env.queue)
	id := submitUnqueued(t)
	item := referralItem(t, id)
	if got := str(item, "status"); got != "RECEIVED" {
		t.Errorf("status %q, want RECEIVED (stored, not queued)", got)
	}
	if got := str(item, "gsi1pk"); got != "REFERRAL#RECEIVED" {
		t.Errorf("gsi1pk %q, want REFERRAL#RECEIVED so the sweep finds it", got)
	}
	if msgs := drain(t, env.queue); len(msgs) != 0 {
		t.Errorf("%d messages on the triage queue, want none", len(msgs))
	}
}

// postWithDeadQueue runs the real binary of function on its own, with the
// queue URL in queueVar pointing at a queue that does not exist, and posts
// body to path through it, as a caller holding roles (none for an open
// route). It fails the test unless the answer is 202.
func postWithDeadQueue(t *testing.T, function, queueVar, path string, body []byte, roles ...auth.Role) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp := invokeAlone(t, function, map[string]string{
		"TABLE_NAME": env.table,
		queueVar:     env.stack.SQSEndpoint() + "/000000000000/NoSuchQueue",
	}, "POST "+path, path, nil, body, roles...)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status %d, body %s; want 202 with a receipt", resp.StatusCode, resp.Body)
	}
	return resp
}

// invokeAlone runs the real binary of function on its own, with vars (and
// the local endpoints) as its environment, and sends it one request for
// route as the HTTP API would, as a caller holding roles (none for an open
// route); it returns the function's answer.
func invokeAlone(t *testing.T, function string, vars map[string]string, route, path string, params map[string]string, body []byte, roles ...auth.Role) events.APIGatewayV2HTTPResponse {
	t.Helper()
	all := map[string]string{
		"LOG_LEVEL":                 "INFO",
		"AWS_ENDPOINT_URL_DYNAMODB": env.stack.DynamoDBEndpoint(),
		"AWS_ENDPOINT_URL_SQS":      env.stack.SQSEndpoint(),
	}
	maps.Copy(all, vars)
	fn, err := lambdart.Start(context.Background(), lambdart.Config{
		Name: function, Path: env.stack.Bootstrap(function), Env: all,
		Timeout: 10 * time.Second, Output: env.logs,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer fn.Close()
	method, _, _ := strings.Cut(route, " ")
	ev := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       route,
		RawPath:        path,
		Headers:        map[string]string{"content-type": "application/json"},
		PathParameters: params,
		Body:           string(body),
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RequestID: "invoke-alone-test",
			HTTP:      events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, SourceIP: "127.0.0.1"},
		},
	}
	if len(roles) > 0 {
		ev.RequestContext.Authorizer = authorizerContext(t, roles...)
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	out, err := fn.Invoke(context.Background(), payload)
	if err != nil {
		t.Fatal(err)
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	return resp
}

// submitUnqueued submits a referral through the real submit binary with a
// triage queue that does not exist, checks the receipt and returns the id.
func submitUnqueued(t *testing.T) string {
	t.Helper()
	resp := postWithDeadQueue(t, "SubmitReferralFunction", "TRIAGE_QUEUE_URL", "/referrals", sample(t, "single-child.json"))
	r := decode[receipt](t, []byte(resp.Body))
	if r.ID == "" || r.Reference == "" || r.ReceiptToken == "" {
		t.Fatalf("receipt %+v lacks id, reference or token", r)
	}
	return r.ID
}
