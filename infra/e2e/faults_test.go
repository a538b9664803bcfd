package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TestSubmitWhileDynamoDBHangs: DynamoDB stops answering (its process
// frozen) while a referral is sent. The API answers 503 with Retry-After
// itself, before the function's timeout would end it with a gateway error;
// once DynamoDB answers again, the client retries with the same
// Idempotency-Key and there is exactly one referral, which is triaged.
func TestSubmitWhileDynamoDBHangs(t *testing.T) {
	marker := fmt.Sprintf("frozen-%d", time.Now().UnixNano())
	var form map[string]any
	if err := json.Unmarshal(sample(t, "single-child.json"), &form); err != nil {
		t.Fatal(err)
	}
	form["concerns"].(map[string]any)["account"] = "Sent while the database hung. " + marker
	body, _ := json.Marshal(form)
	key := map[string]string{"Idempotency-Key": marker}

	ddb := env.stack.DynamoDB()
	if err := ddb.Freeze(); err != nil {
		t.Fatal(err)
	}
	thawed := false
	thaw := func() {
		if !thawed {
			thawed = true
			if err := ddb.Thaw(); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Cleanup(thaw)
	start := time.Now()
	resp, b := post(t, "/referrals", "application/json", body, key)
	took := time.Since(start)
	thaw()
	t.Logf("answered %d after %s while DynamoDB was frozen", resp.StatusCode, took.Round(10*time.Millisecond))
	retry, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != http.StatusServiceUnavailable || err != nil || retry < 1 {
		t.Fatalf("while DynamoDB hung: %d, Retry-After %q, %s; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}

	// The client waits as told and sends the same referral with the same
	// key, until it is accepted.
	var r receipt
	for attempt := 0; ; attempt++ {
		time.Sleep(time.Duration(retry) * time.Second)
		resp, b = post(t, "/referrals", "application/json", body, key)
		if resp.StatusCode == http.StatusAccepted {
			r = decode[receipt](t, b)
			break
		}
		if resp.StatusCode != http.StatusServiceUnavailable || attempt == 5 {
			t.Fatalf("retry %d: %d %s", attempt, resp.StatusCode, b)
		}
	}
	if n := referralsHolding(t, marker); n != 1 {
		t.Errorf("%d referrals stored, want exactly 1", n)
	}
	// The retry queued what the first sending stored: triaged without
	// waiting for the sweep.
	waitFor(t, r.ID, triaged)
}

// referralsHolding counts the referrals stored whose form holds marker,
// reading the whole table (a test's reading, never the product's).
func referralsHolding(t *testing.T, marker string) int {
	t.Helper()
	n := 0
	p := dynamodb.NewScanPaginator(env.ddb, &dynamodb.ScanInput{
		TableName:        aws.String(env.table),
		FilterExpression: aws.String("sk = :sk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":sk": &types.AttributeValueMemberS{Value: "REFERRAL"},
		},
	})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range out.Items {
			var v map[string]any
			if err := attributevalue.UnmarshalMap(item, &v); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(v)
			if strings.Contains(string(b), marker) {
				n++
			}
		}
	}
	return n
}
