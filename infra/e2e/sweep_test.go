package e2e

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/infra/stack"
)

type sweepReport struct {
	Requeued           int            `json:"requeued"`
	CustodyResent      int            `json:"custodyResent"`
	OverdueReferrals   int            `json:"overdueReferrals"`
	OverdueFollowUps   int            `json:"overdueFollowUps"`
	DeadLetterDepths   map[string]int `json:"deadLetterDepths"`
	DeadLetterMessages int            `json:"deadLetterMessages"`
}

// runSweep invokes the real sweep binary with a scheduled event for at.
func runSweep(t *testing.T, at time.Time) sweepReport {
	t.Helper()
	payload, _ := json.Marshal(stack.ScheduledEvent("SweepFunction", "Every5Minutes", at))
	out, err := env.stack.Invoke(context.Background(), "SweepFunction", payload)
	if err != nil {
		t.Fatalf("sweep: %v", err)
	}
	return decode[sweepReport](t, out)
}

func getItem(t *testing.T, pk, sk string) map[string]types.AttributeValue {
	t.Helper()
	out, err := env.ddb.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: &env.table, ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberS{Value: sk},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Item
}

func TestSweepQueuesAReferralThatWasNeverQueued(t *testing.T) {
	id := submitUnqueued(t)
	// Not yet: the intake may still be queueing it.
	if r := runSweep(t, time.Now()); r.Requeued != 0 {
		t.Errorf("a referral stored just now was re-queued: %+v", r)
	}
	r := runSweep(t, time.Now().Add(3*time.Minute))
	if r.Requeued < 1 {
		t.Fatalf("report %+v: the unqueued referral was not queued", r)
	}
	waitFor(t, id, triaged)
}

func TestSweepFlagsOverdueOnceAndEscalates(t *testing.T) {
	r := submit(t, "missing-episode.json")
	v := waitFor(t, r.ID, func(v view) bool { return triaged(v) && len(v.FollowUps) == 1 })
	fu := v.FollowUps[0]
	later := fu.DueAt.Add(time.Hour)
	if d := v.Screening.DecisionDueAt; d.After(later) {
		later = d.Add(time.Hour)
	}

	first := runSweep(t, later)
	if first.OverdueFollowUps < 1 || first.OverdueReferrals < 1 {
		t.Fatalf("first sweep %+v flagged nothing", first)
	}
	second := runSweep(t, later)
	if second.OverdueFollowUps != 0 || second.OverdueReferrals != 0 {
		t.Errorf("second sweep %+v flagged again", second)
	}
	if _, ok := second.DeadLetterDepths["TriageDeadLetterQueue"]; !ok {
		t.Errorf("report %+v lacks the dead-letter depths", second)
	}

	after := waitFor(t, r.ID, triaged)
	if after.FollowUps[0].Status != "OVERDUE" {
		t.Errorf("follow-up status %q, want OVERDUE", after.FollowUps[0].Status)
	}
	if getItem(t, "ESCALATION#FOLLOWUP#"+fu.ID, "ESCALATION") == nil {
		t.Error("no escalation for the overdue follow-up")
	}
	if getItem(t, "ESCALATION#REFERRAL#"+r.ID, "ESCALATION") == nil {
		t.Error("no escalation for the overdue decision")
	}
	if str(referralItem(t, r.ID), "gsi1pk") != "REFERRAL#OVERDUE" {
		t.Error("the overdue referral is not in the overdue partition")
	}
	if n := auditActions(t, r.ID)["referral.overdue"]; n != 1 {
		t.Errorf("%d overdue audit entries, want 1", n)
	}
}
