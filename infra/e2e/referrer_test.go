package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
)

// referrerStatus is the body of GET /referrer/referrals/{reference}.
type referrerStatus struct {
	Reference    string     `json:"reference"`
	ReceivedAt   time.Time  `json:"receivedAt"`
	Status       string     `json:"status"`
	Description  string     `json:"description"`
	DecidedAt    *time.Time `json:"decidedAt"`
	AddendaCount int        `json:"addendaCount"`
	Addenda      []struct {
		ID         string    `json:"id"`
		ReceivedAt time.Time `json:"receivedAt"`
	} `json:"addenda"`
}

// addendumReceipt is the 201 body of POST /referrer/referrals/{reference}/addenda.
type addendumReceipt struct {
	ID         string    `json:"id"`
	Reference  string    `json:"reference"`
	ReceivedAt time.Time `json:"receivedAt"`
	Urgent     bool      `json:"urgent"`
	Message    string    `json:"message"`
}

// notFoundDetail is the one answer to a reference and token that do not
// match a referral together.
const notFoundDetail = "We could not find a referral with that reference and receipt token. Check both against your receipt."

// referrerGet asks for the status of a referral as a referrer, with the
// receipt token in its header (none when token is empty).
func referrerGet(t *testing.T, reference, token string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.stack.APIURL()+"/referrer/referrals/"+url.PathEscape(reference), nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Receipt-Token", token)
	}
	return do(t, req)
}

// referrerAdd posts an addendum as a referrer.
func referrerAdd(t *testing.T, reference, token, key string, body []byte) (*http.Response, []byte) {
	t.Helper()
	h := map[string]string{"Receipt-Token": token}
	if key != "" {
		h["Idempotency-Key"] = key
	}
	return post(t, "/referrer/referrals/"+url.PathEscape(reference)+"/addenda", "application/json", body, h)
}

// statusOf reads a referral's status as its referrer, failing unless 200.
func statusOf(t *testing.T, r receipt) referrerStatus {
	t.Helper()
	resp, body := referrerGet(t, r.Reference, r.ReceiptToken)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status of %s: %d %s", r.Reference, resp.StatusCode, body)
	}
	return decode[referrerStatus](t, body)
}

// waitForStage polls the referrer's status until it shows stage.
func waitForStage(t *testing.T, r receipt, stage string) referrerStatus {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := statusOf(t, r)
		if st.Status == stage {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("referral %s still %q after 30 s, want %q", r.Reference, st.Status, stage)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// addendaItems returns the addendum items stored under a referral.
func addendaItems(t *testing.T, id string) []map[string]types.AttributeValue {
	t.Helper()
	out, err := env.ddb.Query(context.Background(), &dynamodb.QueryInput{
		TableName: &env.table, ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :a)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "REFERRAL#" + id},
			":a":  &types.AttributeValueMemberS{Value: "ADDENDUM#"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Items
}

// version returns the referral item's version.
func version(t *testing.T, id string) string {
	t.Helper()
	v, ok := referralItem(t, id)["version"].(*types.AttributeValueMemberN)
	if !ok {
		t.Fatalf("referral %s has no version", id)
	}
	return v.Value
}

// storedForm returns the referral's form as stored, as plain values.
func storedForm(t *testing.T, id string) any {
	t.Helper()
	var form any
	if err := attributevalue.Unmarshal(referralItem(t, id)["form"], &form); err != nil {
		t.Fatal(err)
	}
	return form
}

func TestReferrerChecksStatusAndAddsAnAddendum(t *testing.T) {
	pauseTriage(t)
	r := submit(t, "single-child.json")
	other := submit(t, "siblings.json")

	st := statusOf(t, r)
	if st.Reference != r.Reference || !st.ReceivedAt.Equal(r.ReceivedAt.Truncate(time.Millisecond)) || st.Status != "received" || st.AddendaCount != 0 || len(st.Addenda) != 0 || st.DecidedAt != nil {
		t.Fatalf("status before triage: %+v", st)
	}
	env.stack.Resume("TriageFunction")
	t.Cleanup(func() { env.stack.Pause("TriageFunction") }) // pauseTriage's cleanup resumes it
	waitForStage(t, r, "with-mash")

	// The reference as a person might type it from the receipt.
	typed := strings.ToLower(strings.ReplaceAll(r.Reference, "-", " "))
	if resp, body := referrerGet(t, typed, r.ReceiptToken); resp.StatusCode != http.StatusOK {
		t.Errorf("reference typed as %q: %d %s", typed, resp.StatusCode, body)
	}

	// Every failure gets the same answer.
	unknown := ids.NewReference()
	for _, tt := range []struct{ name, reference, token string }{
		{"wrong token", r.Reference, ids.NewToken()},
		{"another referral's reference with this token", other.Reference, r.ReceiptToken},
		{"this reference with another referral's token", r.Reference, other.ReceiptToken},
		{"unknown reference", unknown, r.ReceiptToken},
		{"malformed reference", "7K3Q-9F2", r.ReceiptToken},
		{"the referral's id for its reference", r.ID, r.ReceiptToken},
	} {
		resp, body := referrerGet(t, tt.reference, tt.token)
		p := decode[problem](t, body)
		if resp.StatusCode != http.StatusNotFound || p.Detail != notFoundDetail || len(p.Errors) != 0 {
			t.Errorf("%s: %d %s; want the one 404", tt.name, resp.StatusCode, body)
		}
	}
	resp, body := referrerGet(t, r.Reference, "")
	if p := decode[problem](t, body); resp.StatusCode != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Field != "Receipt-Token" {
		t.Errorf("no token: %d %s; want 400 naming the Receipt-Token header", resp.StatusCode, body)
	}

	formBefore := storedForm(t, r.ID)
	versionBefore := version(t, r.ID)

	secret := "Test addendum " + ids.NewToken()
	addendum := fmt.Appendf(nil, `{"information": %q, "urgent": false}`, secret)
	if resp, body := referrerAdd(t, r.Reference, ids.NewToken(), "", addendum); resp.StatusCode != http.StatusNotFound || !bytes.Contains(body, []byte(notFoundDetail)) {
		t.Errorf("addendum with a wrong token: %d %s", resp.StatusCode, body)
	}
	if resp, body := referrerAdd(t, r.Reference, r.ReceiptToken, "", []byte(`{"information": "", "urgent": false, "childName": "x"}`)); resp.StatusCode != http.StatusBadRequest ||
		!bytes.Contains(body, []byte(`"childName"`)) {
		t.Errorf("addendum with an unknown field: %d %s", resp.StatusCode, body)
	}
	if resp, body := referrerAdd(t, r.Reference, r.ReceiptToken, "", []byte(`{"information": " ", "urgent": false}`)); resp.StatusCode != http.StatusUnprocessableEntity ||
		!bytes.Contains(body, []byte(`"information"`)) {
		t.Errorf("blank addendum: %d %s", resp.StatusCode, body)
	}
	if n := len(addendaItems(t, r.ID)); n != 0 {
		t.Fatalf("%d addenda stored after refused requests", n)
	}

	key := "e2e-" + ids.NewToken()
	resp, body = referrerAdd(t, r.Reference, r.ReceiptToken, key, addendum)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("addendum: %d %s", resp.StatusCode, body)
	}
	first := decode[addendumReceipt](t, body)
	if !ids.IsULID(first.ID) || first.Reference != r.Reference || first.Urgent {
		t.Errorf("receipt %+v", first)
	}
	resp, body = referrerAdd(t, r.Reference, r.ReceiptToken, key, addendum)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Idempotent-Replayed") != "true" || decode[addendumReceipt](t, body) != first {
		t.Errorf("retry with the same key: %d %s %v; want the first receipt again", resp.StatusCode, body, resp.Header)
	}
	resp, body = referrerAdd(t, r.Reference, r.ReceiptToken, key, []byte(`{"information": "Something else.", "urgent": false}`))
	if resp.StatusCode != http.StatusUnprocessableEntity || !bytes.Contains(body, []byte(`"Idempotency-Key"`)) {
		t.Errorf("same key, other addendum: %d %s", resp.StatusCode, body)
	}

	items := addendaItems(t, r.ID)
	if len(items) != 1 || str(items[0], "id") != first.ID || str(items[0], "information") != secret || str(items[0], "type") != "addendum" {
		t.Fatalf("stored addenda: %v", items)
	}
	if !reflect.DeepEqual(storedForm(t, r.ID), formBefore) {
		t.Error("the referral's form changed")
	}
	if v := version(t, r.ID); v == versionBefore {
		t.Errorf("version still %s: an addendum must make an earlier read stale", v)
	}
	if n, ok := referralItem(t, r.ID)["addendaCount"].(*types.AttributeValueMemberN); !ok || n.Value != "1" {
		t.Errorf("addendaCount %v, want 1", referralItem(t, r.ID)["addendaCount"])
	}

	got, err := dynamo.New(env.ddb, env.table).Addenda(context.Background(), r.ID)
	if err != nil || len(got) != 1 || got[0].ID != first.ID || got[0].Information != secret || got[0].ReferralID != r.ID || got[0].Urgent {
		t.Errorf("Store.Addenda: %+v, %v", got, err)
	}

	st = statusOf(t, r)
	if st.AddendaCount != 1 || len(st.Addenda) != 1 || st.Addenda[0].ID != first.ID || !st.Addenda[0].ReceivedAt.Equal(first.ReceivedAt) {
		t.Errorf("status after the addendum: %+v", st)
	}
	_, body = referrerGet(t, r.Reference, r.ReceiptToken)
	for _, s := range append(bodyPeople(t, sample(t, "single-child.json")), secret, r.ID) {
		if bytes.Contains(body, []byte(s)) {
			t.Errorf("the status shows %q: %s", s, body)
		}
	}
	for _, forbidden := range []string{"priority", "screening", "outcome", "Due", "children"} {
		if bytes.Contains(body, []byte(forbidden)) {
			t.Errorf("the status mentions %q: %s", forbidden, body)
		}
	}

	a := auditActions(t, r.ID)
	if a["referral.addendum-added"] != 1 {
		t.Errorf("%d addendum-added audit entries, want 1: %v", a["referral.addendum-added"], a)
	}
	if a["referral.status-checked"] < 5 {
		t.Errorf("%d status-checked audit entries, want one per successful check: %v", a["referral.status-checked"], a)
	}
	if logsContain(secret) || logsContain(r.ReceiptToken) {
		t.Error("the logs hold the addendum's text or the receipt token")
	}
}

// An addendum makes the version a screener read stale, so nobody decides
// without seeing it; once decided, the referrer sees "decided" and an urgent
// addendum is still taken, with a warning and a call to telephone.
func TestAddendumBeforeADecisionAndAfter(t *testing.T) {
	r := submit(t, "single-child.json")
	waitForStage(t, r, "with-mash")
	v := waitFor(t, r.ID, triaged)

	if resp, body := referrerAdd(t, r.Reference, r.ReceiptToken, "", []byte(`{"information": "Test: she was seen with him again.", "urgent": false}`)); resp.StatusCode != http.StatusCreated {
		t.Fatalf("addendum: %d %s", resp.StatusCode, body)
	}
	path := "/referrals/" + r.ID + "/decisions"
	if resp, body := postAs(t, path, decisionBody(v.Version, "child-in-need-assessment", `, "primaryNeed": "N1"`), auth.MASH); resp.StatusCode != http.StatusConflict {
		t.Fatalf("decision on the version read before the addendum: %d %s; want 409", resp.StatusCode, body)
	}
	v = waitFor(t, r.ID, triaged)
	if resp, body := postAs(t, path, decisionBody(v.Version, "child-in-need-assessment", `, "primaryNeed": "N1"`), auth.MASH); resp.StatusCode != http.StatusCreated {
		t.Fatalf("decision on the current version: %d %s", resp.StatusCode, body)
	}

	st := statusOf(t, r)
	if st.Status != "decided" || st.DecidedAt == nil || st.DecidedAt.Before(r.ReceivedAt) || st.AddendaCount != 1 {
		t.Errorf("status after the decision: %+v", st)
	}
	resp, body := referrerAdd(t, r.Reference, r.ReceiptToken, "", []byte(`{"information": "Test: he has come back to the house.", "urgent": true}`))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("urgent addendum on a decided referral: %d %s", resp.StatusCode, body)
	}
	if rc := decode[addendumReceipt](t, body); !rc.Urgent || !strings.Contains(rc.Message, "telephone") {
		t.Errorf("receipt %+v: want urgent, telling the referrer to telephone the hub", rc)
	}
	if !logsContain(`"msg":"urgent addendum on a referral already decided","referralId":"` + r.ID + `"`) {
		t.Error("no warning naming the referral for an urgent addendum on a decided referral")
	}
	if st := statusOf(t, r); st.Status != "decided" || st.AddendaCount != 2 {
		t.Errorf("status after the second addendum: %+v", st)
	}
}

// TestReceiptTokenGuessesBounded tries 20 wrong receipt tokens at once on
// a referral's reference, and on a reference no referral has: on each,
// exactly referrer.MaxGuesses are answered with the not-found answer and
// the rest, and then the right token, with 429 and a Retry-After that ends
// with the window. The two references are answered alike, and another
// referral is not held up.
func TestReceiptTokenGuessesBounded(t *testing.T) {
	const racers = 20
	r := submit(t, "single-child.json")
	other := submit(t, "siblings.json")
	for _, tc := range []struct{ name, reference, token string }{
		{"known reference", r.Reference, r.ReceiptToken},
		{"unknown reference", ids.NewReference(), r.ReceiptToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			statuses, bodies, retries := make([]int, racers), make([][]byte, racers), make([]string, racers)
			var wg sync.WaitGroup
			for i := range racers {
				wg.Go(func() {
					req, err := http.NewRequest(http.MethodGet, env.stack.APIURL()+"/referrer/referrals/"+tc.reference, nil)
					if err != nil {
						return
					}
					req.Header.Set("Receipt-Token", ids.NewToken())
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						return
					}
					defer resp.Body.Close()
					bodies[i], _ = io.ReadAll(resp.Body)
					statuses[i], retries[i] = resp.StatusCode, resp.Header.Get("Retry-After")
				})
			}
			wg.Wait()
			resp, body := referrerGet(t, tc.reference, tc.token)
			if start.Truncate(referrer.GuessWindow) != time.Now().Truncate(referrer.GuessWindow) {
				t.Skip("the tries straddled the end of a window, so they were counted in two; run again")
			}
			notFound, tooMany := 0, 0
			for i, status := range statuses {
				p := decode[problem](t, bodies[i])
				switch {
				case status == http.StatusNotFound && p.Detail == notFoundDetail:
					notFound++
				case status == http.StatusTooManyRequests && p.Type == "urn:frontdoor:problem:too_many":
					tooMany++
					if s, err := strconv.Atoi(retries[i]); err != nil || s < 1 || s > int(referrer.GuessWindow/time.Second) {
						t.Errorf("Retry-After %q, want whole seconds up to the window's end", retries[i])
					}
				default:
					t.Errorf("try %d: %d %s", i, status, bodies[i])
				}
			}
			if notFound != referrer.MaxGuesses || tooMany != racers-referrer.MaxGuesses {
				t.Errorf("%d racing wrong tries: %d not found, %d refused; want %d and %d", racers, notFound, tooMany, referrer.MaxGuesses, racers-referrer.MaxGuesses)
			}
			if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !bytes.Contains(body, []byte("too many tries")) {
				t.Errorf("the right token once the tries are used up: %d %s, want 429 with Retry-After", resp.StatusCode, body)
			}
		})
	}
	if got := statusOf(t, other); got.Reference != other.Reference {
		t.Errorf("another referral's status: %+v", got)
	}
}
