package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// view is the body of GET /referrals/{id} after triage.
type view struct {
	ID          string     `json:"id"`
	Status      string     `json:"status"`
	Version     int        `json:"version"`
	UntriagedAt *time.Time `json:"untriagedAt"`
	Screening   *struct {
		Priority         string    `json:"priority"`
		Reasons          []string  `json:"reasons"`
		RulesVersion     string    `json:"rulesVersion"`
		ScreeningDueAt   time.Time `json:"screeningDueAt"`
		PriorityDueAt    time.Time `json:"priorityDueAt"`
		DecisionDueAt    time.Time `json:"decisionDueAt"`
		ReReferral       bool      `json:"reReferral"`
		EarlierReferrals []struct {
			ID string `json:"id"`
		} `json:"earlierReferrals"`
	} `json:"screening"`
	FollowUps []struct {
		ID         string    `json:"id"`
		Kind       string    `json:"kind"`
		Provider   string    `json:"provider"`
		Status     string    `json:"status"`
		ChildIndex int       `json:"childIndex"`
		StartAt    time.Time `json:"startAt"`
		DueAt      time.Time `json:"dueAt"`
		// NewReferralID is the referral a completed return home interview
		// made.
		NewReferralID string `json:"newReferralId"`
	} `json:"followUps"`
}

func submit(t *testing.T, name string) receipt {
	t.Helper()
	resp, body := post(t, "/referrals", "application/json", sample(t, name), nil)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("submit %s: %d %s", name, resp.StatusCode, body)
	}
	return decode[receipt](t, body)
}

// waitFor reads the referral until ok says it is as wanted.
func waitFor(t *testing.T, id string, ok func(view) bool) view {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, body := getAs(t, "/referrals/"+id, auth.MASH)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", id, resp.StatusCode, body)
		}
		v := decode[view](t, body)
		if ok(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("referral %s not as wanted after 30 s: %s", id, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func triaged(v view) bool { return v.Status == "AWAITING_DECISION" && v.Screening != nil }

func TestEachSampleIsTriaged(t *testing.T) {
	want := map[string]string{
		"single-child.json":    "AMBER",
		"siblings.json":        "AMBER",
		"unborn.json":          "RED",
		"missing-episode.json": "AMBER",
		"immediate-risk.json":  "RED",
	}
	for name, priority := range want {
		t.Run(name, func(t *testing.T) {
			r := submit(t, name)
			v := waitFor(t, r.ID, triaged)
			sc := v.Screening
			if sc.Priority != priority || len(sc.Reasons) == 0 || sc.RulesVersion == "" {
				t.Errorf("screening %+v, want %s with reasons and the rules version", sc, priority)
			}
			if !sc.ScreeningDueAt.After(r.ReceivedAt) || !sc.PriorityDueAt.After(r.ReceivedAt) {
				t.Errorf("due times %s, %s not after receipt %s", sc.ScreeningDueAt, sc.PriorityDueAt, r.ReceivedAt)
			}
			if priority == "RED" && !sc.PriorityDueAt.Equal(r.ReceivedAt.Add(4*time.Hour).Truncate(time.Millisecond)) {
				t.Errorf("RED due %s, want 4 hours after %s", sc.PriorityDueAt, r.ReceivedAt)
			}
			first := sc.ScreeningDueAt
			if sc.PriorityDueAt.Before(first) {
				first = sc.PriorityDueAt
			}
			if !sc.DecisionDueAt.Equal(first) {
				t.Errorf("decision due %s, want the earlier of %s and %s", sc.DecisionDueAt, sc.ScreeningDueAt, sc.PriorityDueAt)
			}
			item := referralItem(t, r.ID)
			if str(item, "gsi1pk") != "REFERRAL#AWAITING_DECISION" {
				t.Errorf("gsi1pk %q: not in the MASH queue", str(item, "gsi1pk"))
			}
		})
	}
}

func TestMissingEpisodeStartsAReturnHomeInterview(t *testing.T) {
	r := submit(t, "missing-episode.json")
	v := waitFor(t, r.ID, func(v view) bool { return triaged(v) && len(v.FollowUps) > 0 })
	var form struct {
		MissingEpisode struct {
			ReturnedAt time.Time `json:"returnedAt"`
		} `json:"missingEpisode"`
	}
	if err := json.Unmarshal(sample(t, "missing-episode.json"), &form); err != nil {
		t.Fatal(err)
	}
	if len(v.FollowUps) != 1 {
		t.Fatalf("follow-ups %+v, want one return home interview", v.FollowUps)
	}
	fu := v.FollowUps[0]
	if fu.Kind != "RETURN_HOME_INTERVIEW" || fu.Status != "OPEN" || fu.Provider != "rhi-service" {
		t.Errorf("follow-up %+v", fu)
	}
	if want := form.MissingEpisode.ReturnedAt.Add(72 * time.Hour); !fu.DueAt.Equal(want) {
		t.Errorf("due %s, want exactly 72 hours after the return: %s", fu.DueAt, want)
	}
}

func TestReReferralOfTheSameChild(t *testing.T) {
	first := submit(t, "single-child.json")
	waitFor(t, first.ID, triaged)
	second := submit(t, "single-child.json")
	v := waitFor(t, second.ID, triaged)
	if !v.Screening.ReReferral {
		t.Error("a second referral of the same child minutes later is not marked as a re-referral")
	}
	found := false
	for _, e := range v.Screening.EarlierReferrals {
		found = found || e.ID == first.ID
	}
	if !found {
		t.Errorf("earlier referrals %+v do not link %s", v.Screening.EarlierReferrals, first.ID)
	}
	other := waitFor(t, submit(t, "immediate-risk.json").ID, triaged)
	for _, e := range other.Screening.EarlierReferrals {
		if e.ID == first.ID || e.ID == second.ID {
			t.Errorf("a referral of another child is linked to %s", e.ID)
		}
	}
}

func sendTriage(t *testing.T, id string) {
	t.Helper()
	body := `{"type":"referral.received","referralId":"` + id + `"}`
	if _, err := env.sqs.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: &env.queue, MessageBody: aws.String(body)}); err != nil {
		t.Fatal(err)
	}
}

func auditActions(t *testing.T, id string) map[string]int {
	t.Helper()
	out, err := env.ddb.Query(context.Background(), &dynamodb.QueryInput{
		TableName: &env.table, ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :a)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "REFERRAL#" + id},
			":a":  &types.AttributeValueMemberS{Value: "AUDIT#"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, item := range out.Items {
		n[str(item, "action")]++
	}
	return n
}

// At-least-once delivery: the same triage message three more times changes
// nothing and creates no second follow-up.
func TestRedeliveredTriageMessageChangesNothing(t *testing.T) {
	r := submit(t, "missing-episode.json")
	before := waitFor(t, r.ID, func(v view) bool { return triaged(v) && len(v.FollowUps) == 1 })
	for range 3 {
		sendTriage(t, r.ID)
	}
	waitEmpty(t, env.queue)
	waitEmpty(t, env.stack.QueueURL("FollowUpQueue"))
	after := waitFor(t, r.ID, triaged)
	if after.Version != before.Version || after.Screening.DecisionDueAt != before.Screening.DecisionDueAt {
		t.Errorf("redelivery changed the referral: version %d → %d", before.Version, after.Version)
	}
	if len(after.FollowUps) != 1 || after.FollowUps[0].ID != before.FollowUps[0].ID {
		t.Errorf("follow-ups %+v, want the one follow-up %s", after.FollowUps, before.FollowUps[0].ID)
	}
	if n := auditActions(t, r.ID)["referral.triaged"]; n != 1 {
		t.Errorf("%d triage audit entries, want 1", n)
	}
}

// A message that always fails goes to the dead-letter queue after 5
// receives, while the good message sent with it is triaged.
func TestPoisonMessageEndsInTheDeadLetterQueue(t *testing.T) {
	drain(t, env.dlq)
	missing := ids.NewULID(time.Now())
	good := submit(t, "single-child.json")
	sendTriage(t, missing)
	sendTriage(t, good.ID)
	waitFor(t, good.ID, triaged)
	deadline := time.Now().Add(60 * time.Second)
	for {
		msgs := drain(t, env.dlq)
		if len(msgs) > 0 {
			if len(msgs) != 1 || !json.Valid([]byte(aws.ToString(msgs[0].Body))) {
				t.Fatalf("dead-letter queue holds %d messages", len(msgs))
			}
			var m struct {
				ReferralID string `json:"referralId"`
			}
			_ = json.Unmarshal([]byte(aws.ToString(msgs[0].Body)), &m)
			if m.ReferralID != missing {
				t.Errorf("dead letter is about %s, want %s", m.ReferralID, missing)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the failing message did not reach the dead-letter queue within 60 s")
		}
		time.Sleep(500 * time.Millisecond)
	}
	if !logsContain(`"msg":"message failed; it will be retried"`) {
		t.Error("the failures were not logged")
	}
}
