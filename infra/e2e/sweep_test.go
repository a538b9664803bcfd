package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/infra/stack"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

type sweepReport struct {
	Requeued           int            `json:"requeued"`
	Resent             int            `json:"resent"`
	Untriaged          int            `json:"untriaged"`
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
	// Referrals that earlier tests left queued and never triaged are long
	// overdue at later: the first sweep sends them to triage again. Were
	// they triaged before the second sweep, it would rightly flag them.
	pauseTriage(t)

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

// loseTriageMessage submits the sample with the triage function paused and
// deletes its message from the triage queue, as when the queue loses it.
func loseTriageMessage(t *testing.T, sampleName string) string {
	t.Helper()
	pauseTriage(t)
	r := submit(t, sampleName)
	if msgs := drain(t, env.queue); len(msgs) == 0 {
		t.Fatal("no triage message to lose")
	}
	if got := str(referralItem(t, r.ID), "gsi1pk"); got != "REFERRAL#QUEUED" {
		t.Fatalf("queued referral in partition %q, want REFERRAL#QUEUED", got)
	}
	return r.ID
}

func TestSweepSendsAgainAReferralWhoseMessageWasLost(t *testing.T) {
	id := loseTriageMessage(t, "single-child.json")
	if r := runSweep(t, time.Now()); r.Resent != 0 {
		t.Errorf("a referral queued just now was sent again: %+v", r)
	}
	r := runSweep(t, time.Now().Add(21*time.Minute))
	if r.Resent < 1 {
		t.Fatalf("report %+v: the lost referral was not sent again", r)
	}
	env.stack.Resume("TriageFunction")
	waitFor(t, id, triaged)
}

// escalateUntriaged has the sweep send the lost referral again the most
// times, losing its message each time, then escalate it; it returns the
// time the sweep ran as of.
func escalateUntriaged(t *testing.T, id string) time.Time {
	t.Helper()
	at := time.Now()
	for i := 1; i <= 3; i++ {
		at = at.Add(21 * time.Minute)
		if r := runSweep(t, at); r.Resent < 1 {
			t.Fatalf("resend %d: report %+v", i, r)
		}
		drain(t, env.queue) // lost again
	}
	at = at.Add(21 * time.Minute)
	if r := runSweep(t, at); r.Untriaged < 1 || r.Resent != 0 {
		t.Fatalf("report %+v: want the referral escalated, not sent a fourth time", r)
	}
	return at
}

func TestSweepEscalatesAReferralThatIsNeverTriaged(t *testing.T) {
	id := loseTriageMessage(t, "single-child.json")
	at := escalateUntriaged(t, id)
	if r := runSweep(t, at.Add(21*time.Minute)); r.Untriaged != 0 || r.Resent != 0 {
		t.Errorf("report %+v: escalated or sent again after escalation", r)
	}
	item := referralItem(t, id)
	if str(item, "gsi1pk") != "REFERRAL#UNTRIAGED" || str(item, "status") != "QUEUED" {
		t.Errorf("partition %q status %q, want REFERRAL#UNTRIAGED and still QUEUED", str(item, "gsi1pk"), str(item, "status"))
	}
	if getItem(t, "ESCALATION#REFERRAL#"+id+"#TRIAGE", "ESCALATION") == nil {
		t.Error("no escalation for the untriaged referral")
	}
	if n := auditActions(t, id)["referral.untriaged"]; n != 1 {
		t.Errorf("%d untriaged audit entries, want 1", n)
	}
	// A message redriven from the dead-letter queue still triages it.
	sendTriage(t, id)
	env.stack.Resume("TriageFunction")
	waitFor(t, id, triaged)
}

// TestUntriagedReferralIsScreenedByHand: a referral the automatic screening
// never reached heads the triage queue whatever priority is asked for (its
// own is unknown), its return home interview is started without waiting,
// a screener decides on it, and when its message comes back from the
// dead-letter queue it is screened for the record and stays decided.
func TestUntriagedReferralIsScreenedByHand(t *testing.T) {
	id := loseTriageMessage(t, "missing-episode.json")
	escalateUntriaged(t, id)

	v := waitFor(t, id, func(v view) bool { return len(v.FollowUps) == 1 })
	if v.Status != "QUEUED" || v.Screening != nil || v.UntriagedAt == nil || v.FollowUps[0].Kind != "RETURN_HOME_INTERVIEW" {
		t.Fatalf("untriaged referral %+v: want QUEUED, not screened, untriagedAt set, its return home interview started", v)
	}
	for _, query := range []string{"limit=100", "priority=GREEN&limit=100", "overdue=true&limit=100"} {
		resp, body := getAs(t, "/triage-queue?"+query, auth.MASH)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /triage-queue?%s: %d %s", query, resp.StatusCode, body)
		}
		items := decode[queuePage](t, body).Items
		i := slices.IndexFunc(items, func(it queueItem) bool { return it.ID == id })
		if i < 0 {
			t.Fatalf("?%s: the untriaged referral is not on the first page: %s", query, body)
		}
		if it := items[i]; !it.Untriaged || !it.Overdue || it.Priority != "" || it.DecisionDueAt != nil {
			t.Errorf("?%s: item %+v, want untriaged, overdue, no priority or due time", query, it)
		}
		for _, before := range items[:i] {
			if !before.Untriaged {
				t.Errorf("?%s: %s (not untriaged) is listed before the untriaged referral", query, before.ID)
			}
		}
	}
	if slices.Contains(queueIDs(t, "overdue=false"), id) {
		t.Error("the untriaged referral is listed as not overdue")
	}

	resp, body := postAs(t, "/referrals/"+id+"/decisions", decisionBody(v.Version, "strategy-discussion", `, "primaryNeed": "N1"`), auth.MASH)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("decision on the untriaged referral: %d %s", resp.StatusCode, body)
	}
	if slices.Contains(queueIDs(t, "limit=100"), id) {
		t.Error("the referral is still on the triage queue after its decision")
	}

	sendTriage(t, id)
	env.stack.Resume("TriageFunction")
	v = waitFor(t, id, func(v view) bool { return v.Screening != nil })
	if v.Status != "DECIDED" || len(v.FollowUps) != 1 {
		t.Errorf("after the late screening: status %s, %d follow-ups; want DECIDED and still the one return home interview", v.Status, len(v.FollowUps))
	}
	if a := auditActions(t, id); a["referral.triaged"] != 1 || a["referral.decided"] != 1 || a["referral.untriaged"] != 1 {
		t.Errorf("audit actions %v, want one each of untriaged, decided and triaged", a)
	}
}
