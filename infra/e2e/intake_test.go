package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// receipt is the 202 body of POST /referrals.
type receipt struct {
	ID           string    `json:"id"`
	Reference    string    `json:"reference"`
	ReceivedAt   time.Time `json:"receivedAt"`
	Status       string    `json:"status"`
	ReceiptToken string    `json:"receiptToken"`
	Message      string    `json:"message"`
	Urgent       string    `json:"urgent"`
}

// problem is an RFC 9457 error body.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// sample reads a referral body from events/referrals. The functions run on
// the real clock, so the unborn baby's expected date of delivery, which the
// form accepts only up to ten months ahead, is moved to three months from
// today.
func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../events/referrals", name))
	if err != nil {
		t.Fatal(err)
	}
	if name == "unborn.json" {
		const edd = `"expectedDateOfDelivery": "2027-06-01"`
		if !bytes.Contains(b, []byte(edd)) {
			t.Fatalf("unborn.json no longer has %s; update this test", edd)
		}
		soon := time.Now().AddDate(0, 3, 0).Format("2006-01-02")
		b = bytes.Replace(b, []byte(edd), []byte(`"expectedDateOfDelivery": "`+soon+`"`), 1)
	}
	return b
}

// validSamples are the referral bodies in events/referrals that must be accepted.
var validSamples = []string{"single-child.json", "siblings.json", "unborn.json", "missing-episode.json", "immediate-risk.json"}

func post(t *testing.T, path, contentType string, body []byte, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, env.stack.APIURL()+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return do(t, req)
}

func get(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.stack.APIURL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

// itemCount counts every item in the table.
func itemCount(t *testing.T) int {
	t.Helper()
	n := 0
	p := dynamodb.NewScanPaginator(env.ddb, &dynamodb.ScanInput{TableName: &env.table, Select: types.SelectCount, ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n += int(out.Count)
	}
	return n
}

// drain receives and deletes every message now on the queue.
func drain(t *testing.T, url string) []sqstypes.Message {
	t.Helper()
	var all []sqstypes.Message
	for {
		out, err := env.sqs.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{
			QueueUrl: &url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Messages) == 0 {
			return all
		}
		for _, m := range out.Messages {
			if _, err := env.sqs.DeleteMessage(context.Background(), &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
		}
		all = append(all, out.Messages...)
	}
}

func referralItem(t *testing.T, id string) map[string]types.AttributeValue {
	t.Helper()
	out, err := env.ddb.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: &env.table, ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "REFERRAL#" + id},
			"sk": &types.AttributeValueMemberS{Value: "REFERRAL"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Item
}

func str(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func TestSubmitEachSampleStoresAndQueues(t *testing.T) {
	pauseTriage(t)
	drain(t, env.queue)
	for _, name := range validSamples {
		t.Run(name, func(t *testing.T) {
			body := sample(t, name)
			resp, b := post(t, "/referrals", "application/json", body, nil)
			if resp.StatusCode != http.StatusAccepted {
				t.Fatalf("status %d, body %s", resp.StatusCode, b)
			}
			r := decode[receipt](t, b)
			if len(r.ID) != 26 || len(r.Reference) != 9 || len(r.ReceiptToken) != 43 || r.ReceivedAt.IsZero() || r.Status != "RECEIVED" {
				t.Fatalf("incomplete receipt %+v", r)
			}
			wantUrgent := name == "immediate-risk.json"
			if (r.Urgent != "") != wantUrgent || (wantUrgent && !strings.Contains(r.Urgent, "999")) {
				t.Errorf("urgent = %q; want a call-999 message only for immediate risk", r.Urgent)
			}

			item := referralItem(t, r.ID)
			if item == nil {
				t.Fatal("referral not in DynamoDB")
			}
			if got := str(item, "status"); got != "QUEUED" {
				t.Errorf("stored status %q, want QUEUED", got)
			}
			if str(item, "reference") != r.Reference || str(item, "receiptTokenHash") == "" || strings.Contains(fmt.Sprint(item), r.ReceiptToken) {
				t.Errorf("stored reference or token hash wrong (the token itself must not be stored)")
			}
			if got := str(item, "gsi1pk"); got != "REFERRAL#QUEUED" {
				t.Errorf("a queued referral is in partition %q, want REFERRAL#QUEUED (out of the unqueued one)", got)
			}

			msgs := drain(t, env.queue)
			if len(msgs) != 1 {
				t.Fatalf("%d messages on the triage queue, want 1", len(msgs))
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(aws.ToString(msgs[0].Body)), &m); err != nil {
				t.Fatal(err)
			}
			if len(m) != 2 || m["referralId"] != r.ID || m["type"] != "referral.received" {
				t.Errorf("message body %v: want only type and referralId", m)
			}
		})
	}
}

func TestGetReferralReturnsItAndAuditsTheRead(t *testing.T) {
	body := sample(t, "siblings.json")
	resp, b := post(t, "/referrals", "application/json", body, nil)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	r := decode[receipt](t, b)
	drain(t, env.queue)

	resp, b = getAs(t, "/referrals/"+r.ID, auth.MASH)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET status %d: %s", resp.StatusCode, b)
	}
	var got struct {
		ID        string         `json:"id"`
		Reference string         `json:"reference"`
		Status    string         `json:"status"`
		Referral  map[string]any `json:"referral"`
	}
	got = decode[struct {
		ID        string         `json:"id"`
		Reference string         `json:"reference"`
		Status    string         `json:"status"`
		Referral  map[string]any `json:"referral"`
	}](t, b)
	if got.ID != r.ID || got.Reference != r.Reference || got.Status != "QUEUED" {
		t.Errorf("GET returned %s %s %s, want %s %s QUEUED", got.ID, got.Reference, got.Status, r.ID, r.Reference)
	}
	var sent map[string]any
	if err := json.Unmarshal(body, &sent); err != nil {
		t.Fatal(err)
	}
	if children, _ := got.Referral["children"].([]any); len(children) != len(sent["children"].([]any)) {
		t.Errorf("GET returned %d children, sent %d", len(children), len(sent["children"].([]any)))
	}
	if strings.Contains(string(b), "receiptTokenHash") || strings.Contains(string(b), r.ReceiptToken) {
		t.Error("GET exposes the receipt token or its hash")
	}

	out, err := env.ddb.Query(context.Background(), &dynamodb.QueryInput{
		TableName:              &env.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :audit)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "REFERRAL#" + r.ID}, ":audit": &types.AttributeValueMemberS{Value: "AUDIT#"},
		},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, it := range out.Items {
		actions = append(actions, str(it, "action"))
	}
	if strings.Join(actions, ",") != "referral.submitted,referral.read" {
		t.Errorf("audit trail %v, want the submission then the read", actions)
	}
}

func TestGetReferralNotFound(t *testing.T) {
	for _, id := range []string{"01JDCQ2Z8Q7X3V4N5M6K7J8H9G", "not-an-id"} {
		resp, b := getAs(t, "/referrals/"+id, auth.MASH)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", id, resp.StatusCode)
		}
		if p := decode[problem](t, b); p.Status != 404 || p.Detail == "" {
			t.Errorf("GET %s: problem %+v", id, p)
		}
	}
}

func TestBadInputWritesNothing(t *testing.T) {
	valid := sample(t, "single-child.json")
	big := bytes.Repeat([]byte(" "), 256<<10)
	bigBody := append(append([]byte{}, valid[:len(valid)-1]...), append(big, '}')...)
	withUnknown := bytes.Replace(valid, []byte(`"referrer": {`), []byte(`"referrer": {"nickname": "x", `), 1)
	if bytes.Equal(withUnknown, valid) {
		t.Fatal("single-child.json no longer starts its referrer section with `\"referrer\": {`; update this test")
	}
	tests := []struct {
		name        string
		contentType string
		body        []byte
		status      int
		field       string // a field the problem must name, if any
	}{
		{"wrong content type", "text/plain", valid, 415, ""},
		{"no content type", "", valid, 415, ""},
		{"form encoded", "application/x-www-form-urlencoded", []byte("a=b"), 415, ""},
		{"malformed JSON", "application/json", []byte(`{"referrer": `), 400, ""},
		{"trailing data", "application/json", append(append([]byte{}, valid...), []byte(`{}`)...), 400, ""},
		{"empty body", "application/json", nil, 400, ""},
		{"whitespace body", "application/json", []byte("  \n "), 400, ""},
		{"oversized body", "application/json", bigBody, 413, ""},
		{"unknown field", "application/json", withUnknown, 400, "referrer.nickname"},
		{"wrong type", "application/json", []byte(`{"children": "two"}`), 400, "children"},
		{"invalid referral", "application/json", sample(t, "invalid-many-errors.json"), 422, ""},
	}
	drain(t, env.queue)
	before := itemCount(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := post(t, "/referrals", tt.contentType, tt.body, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, b)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", ct)
			}
			p := decode[problem](t, b)
			if p.Status != tt.status || p.Detail == "" || p.Title == "" || p.Type == "" {
				t.Errorf("incomplete problem %+v", p)
			}
			if tt.field != "" {
				found := false
				for _, e := range p.Errors {
					found = found || e.Field == tt.field
				}
				if !found {
					t.Errorf("problem does not name %s: %+v", tt.field, p.Errors)
				}
			}
			if tt.status == 422 && len(p.Errors) < 3 {
				t.Errorf("want every problem listed, got %+v", p.Errors)
			}
		})
	}
	if after := itemCount(t); after != before {
		t.Errorf("bad input wrote %d items", after-before)
	}
	if msgs := drain(t, env.queue); len(msgs) != 0 {
		t.Errorf("bad input queued %d messages", len(msgs))
	}
}

func TestIdempotencyKey(t *testing.T) {
	pauseTriage(t)
	drain(t, env.queue)
	body := sample(t, "single-child.json")
	key := fmt.Sprintf("test-%d", time.Now().UnixNano())
	before := itemCount(t)

	resp1, b1 := post(t, "/referrals", "application/json", body, map[string]string{"Idempotency-Key": key})
	if resp1.StatusCode != 202 {
		t.Fatalf("first: %d %s", resp1.StatusCode, b1)
	}
	afterFirst := itemCount(t)

	// The same body re-indented is the same referral.
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	reformatted, _ := json.MarshalIndent(v, "", "    ")
	resp2, b2 := post(t, "/referrals", "application/json", reformatted, map[string]string{"Idempotency-Key": key})
	if resp2.StatusCode != 202 || resp2.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d replayed=%q %s", resp2.StatusCode, resp2.Header.Get("Idempotent-Replayed"), b2)
	}
	if !bytes.Equal(b1, b2) {
		t.Errorf("retry got a different receipt:\n%s\n%s", b1, b2)
	}
	if n := itemCount(t); n != afterFirst {
		t.Errorf("retry wrote %d items", n-afterFirst)
	}

	other := sample(t, "siblings.json")
	resp3, b3 := post(t, "/referrals", "application/json", other, map[string]string{"Idempotency-Key": key})
	if resp3.StatusCode != 422 {
		t.Fatalf("same key, other body: %d %s", resp3.StatusCode, b3)
	}
	if p := decode[problem](t, b3); len(p.Errors) != 1 || p.Errors[0].Field != "Idempotency-Key" {
		t.Errorf("problem %+v should name Idempotency-Key", p)
	}
	if n := itemCount(t); n != afterFirst {
		t.Errorf("a rejected key reuse wrote %d items", n-afterFirst)
	}
	if msgs := drain(t, env.queue); len(msgs) != 1 {
		t.Errorf("%d messages queued, want 1 for one referral", len(msgs))
	}
	if afterFirst <= before {
		t.Errorf("the first submission wrote nothing")
	}

	resp4, b4 := post(t, "/referrals", "application/json", body, map[string]string{"Idempotency-Key": "has space"})
	if resp4.StatusCode != 422 {
		t.Errorf("bad key: %d %s", resp4.StatusCode, b4)
	}
}

// TestConcurrentRetriesCreateOneReferral sends the same keyed referral from
// several clients at once, as a client retrying after a timeout might.
func TestConcurrentRetriesCreateOneReferral(t *testing.T) {
	pauseTriage(t)
	drain(t, env.queue)
	body := sample(t, "missing-episode.json")
	key := fmt.Sprintf("race-%d", time.Now().UnixNano())
	const n = 6
	var wg sync.WaitGroup
	ids := make([]string, n)
	statuses := make([]int, n)
	for i := range n {
		wg.Go(func() {
			resp, b := post(t, "/referrals", "application/json", body, map[string]string{"Idempotency-Key": key})
			statuses[i] = resp.StatusCode
			if resp.StatusCode == 202 {
				ids[i] = decode[receipt](t, b).ID
			}
		})
	}
	wg.Wait()
	for i := range n {
		if statuses[i] != 202 || ids[i] != ids[0] {
			t.Fatalf("responses %v ids %v: want every one 202 with the same referral", statuses, ids)
		}
	}
	if msgs := drain(t, env.queue); len(msgs) != 1 {
		t.Errorf("%d messages queued, want 1", len(msgs))
	}
}
