package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/csc-frontdoor/frontdoor/infra/stack"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// TestChaosSQSUnreachable: SQS cannot be reached (the emulator's port
// refuses connections) for the middle half of the stream. The referrals
// sent then are stored and given receipts, and wait unqueued. Once SQS is
// back the sweep queues each of them exactly once, and each is triaged,
// with its follow-up.
func TestChaosSQSUnreachable(t *testing.T) {
	want := baselineFollowUps(t)
	emulator := env.stack.SQS()
	reconnect, ended := faultEnder(t, emulator.Reconnect)
	n := chaosSize()
	all := sendAll(t, "sqs-down", n, map[int]func(){
		n / 4: func() {
			if err := emulator.Disconnect(); err != nil {
				t.Fatal(err)
			}
		},
		3 * n / 4: func() {
			// Those handed out before this may still be sending.
			time.Sleep(2 * time.Second)
			reconnect()
		},
	})
	reconnect()

	// Which referrals were stored and never queued, and the messages the
	// sweep sends for them, read off the queue with triage paused.
	pauseTriage(t)
	markers := map[string]bool{}
	for _, s := range all {
		markers[s.marker] = true
	}
	unqueued := map[string]bool{}
	for _, rs := range tableState(t, markers) {
		for _, r := range rs {
			if r.status == string(referral.StatusReceived) {
				unqueued[r.id] = true
			}
		}
	}
	if len(unqueued) == 0 {
		t.Fatal("every referral was queued: SQS was never out of reach of a submission")
	}
	if r := runSweep(t, time.Now().Add(3*time.Minute)); r.Requeued < len(unqueued) {
		t.Errorf("the sweep queued %d, want at least the %d unqueued", r.Requeued, len(unqueued))
	}
	msgs := drain(t, env.queue)
	sends := map[string]int{}
	for _, m := range msgs {
		var tm referral.TriageMessage
		if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &tm); err == nil {
			sends[tm.ReferralID]++
		}
	}
	var problems []string
	for id := range unqueued {
		if sends[id] != 1 {
			problems = append(problems, fmt.Sprintf("%s queued %d times by the sweep", id, sends[id]))
		}
	}
	if again := runSweep(t, time.Now().Add(3*time.Minute)); again.Requeued != 0 {
		problems = append(problems, fmt.Sprintf("a second sweep queued %d more", again.Requeued))
	}
	for _, m := range msgs {
		if _, err := env.sqs.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: aws.String(env.queue), MessageBody: m.Body}); err != nil {
			t.Fatal(err)
		}
	}
	env.stack.Resume("TriageFunction")

	tl := account(t, "sqs-down", all, want, *ended, 90*time.Second)
	tl.problems = append(tl.problems, problems...)
	tl.duplicates += len(problems)
	t.Logf("%d of %d referrals were stored while SQS was out of reach, and queued by the sweep", len(unqueued), n)
	report(t, tl)
}

// TestChaosWorkerKilled: the triage bootstrap is killed (SIGKILL) in the
// middle of a batch, three times while the stream is sent. The messages of
// a killed batch come back once the queue's visibility timeout ends and are
// processed once. max_delay_s is the longest a referral of a killed batch
// waited from the kill to its triage; it must stay within the visibility
// timeout, with a few seconds for the poller and the triage itself. (From
// being queued, a referral of a long stream also waits behind the backlog
// the stream builds, which is not the kill's doing.)
func TestChaosWorkerKilled(t *testing.T) {
	want := baselineFollowUps(t)
	visibility := visibilityTimeout(t, env.queue)
	stop := make(chan struct{})
	type kill struct {
		at  time.Time
		ids []string
	}
	killed := make(chan []kill, 1)
	go func() {
		var kills []kill
		defer func() { killed <- kills }()
		for len(kills) < 3 {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			payloads := env.stack.KillBusy("TriageFunction")
			if len(payloads) == 0 {
				continue
			}
			k := kill{at: time.Now()}
			for _, p := range payloads {
				var batch events.SQSEvent
				if err := json.Unmarshal(p, &batch); err != nil {
					t.Errorf("a killed invocation's payload is not an SQS batch: %v", err)
				}
				for _, m := range batch.Records {
					k.ids = append(k.ids, m.Body)
				}
			}
			kills = append(kills, k)
		}
	}()
	all := sendAll(t, "worker-killed", chaosSize(), nil)
	// Enough of the stream is left to triage for the kills to land.
	time.Sleep(time.Second)
	close(stop)
	kills := <-killed
	if len(kills) == 0 {
		t.Fatal("the triage function was never caught in the middle of a batch")
	}
	tl := account(t, "worker-killed", all, want, time.Now(), 90*time.Second)
	tl.maxDelay = 0
	markers := map[string]bool{}
	for _, s := range all {
		markers[s.marker] = true
	}
	triagedAt := map[string]time.Time{}
	for _, rs := range tableState(t, markers) {
		for _, r := range rs {
			triagedAt[r.id] = r.triaged
		}
	}
	inKilled := 0
	for _, k := range kills {
		for _, body := range k.ids {
			var m referral.TriageMessage
			if err := json.Unmarshal([]byte(body), &m); err != nil {
				t.Errorf("a killed batch's message is not a triage message: %v", err)
				continue
			}
			at, ok := triagedAt[m.ReferralID]
			if !ok {
				continue // a referral of another test's stream
			}
			inKilled++
			if at.IsZero() {
				continue // counted lost by account
			}
			tl.maxDelay = max(tl.maxDelay, at.Sub(k.at))
		}
	}
	if inKilled == 0 {
		t.Fatal("no referral of the stream was in a killed batch")
	}
	if bound := visibility + 5*time.Second; tl.maxDelay > bound {
		tl.problems = append(tl.problems, fmt.Sprintf("a referral of a killed batch waited %s from the kill for triage, over the %s visibility timeout and 5 s", tl.maxDelay, visibility))
	}
	t.Logf("%d referrals of the stream were in the %d killed batches", inKilled, len(kills))
	t.Logf("killed %d batches; visibility timeout %s", len(kills), visibility)
	report(t, tl)
}

// visibilityTimeout is the queue's visibility timeout as the emulator has
// it.
func visibilityTimeout(t *testing.T, url string) time.Duration {
	t.Helper()
	out, err := env.sqs.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameVisibilityTimeout},
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameVisibilityTimeout)])
	if err != nil {
		t.Fatalf("visibility timeout %q: %v", out.Attributes[string(sqstypes.QueueAttributeNameVisibilityTimeout)], err)
	}
	return time.Duration(s) * time.Second
}

// TestChaosPoisonMessage: one referral of the stream has its record damaged
// (its receivedAt no longer a time) before triage reads it, so its triage
// message fails every time. The message ends in the dead-letter queue, the
// sweep's report counts it, the sweep sends it again the most times and
// then escalates the referral to the MASH manager (the run failing, so the
// error shows). Once the record is repaired, the redrive (`make redrive`
// on make run's stack) moves the dead letters back, and the referral is
// triaged once, with its follow-up once.
func TestChaosPoisonMessage(t *testing.T) {
	want := baselineFollowUps(t)
	ctx := context.Background()
	pauseTriage(t)
	n := chaosSize()
	all := sendAll(t, "poison", n, nil)
	victim := all[n/2]
	if victim.id == "" {
		t.Fatalf("no receipt for %s", victim.marker)
	}
	key := map[string]ddbtypes.AttributeValue{
		"pk": &ddbtypes.AttributeValueMemberS{Value: "REFERRAL#" + victim.id}, "sk": &ddbtypes.AttributeValueMemberS{Value: "REFERRAL"},
	}
	setReceivedAt := func(v ddbtypes.AttributeValue) {
		t.Helper()
		if _, err := env.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: aws.String(env.table), Key: key, UpdateExpression: aws.String("SET receivedAt = :v"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":v": v},
		}); err != nil {
			t.Fatal(err)
		}
	}
	original := referralItem(t, victim.id)["receivedAt"]
	setReceivedAt(&ddbtypes.AttributeValueMemberS{Value: "not a time"})
	repaired := false
	t.Cleanup(func() {
		if !repaired {
			setReceivedAt(original)
		}
	})
	env.stack.Resume("TriageFunction")

	waitDepth(t, env.dlq, 1)
	if r := runSweep(t, time.Now()); r.DeadLetterDepths["TriageDeadLetterQueue"] < 1 || r.DeadLetterMessages < 1 {
		t.Errorf("the sweep's report %+v does not count the dead letter", r)
	}
	at := time.Now()
	for i := 1; i <= 3; i++ {
		at = at.Add(21 * time.Minute)
		if r := runSweep(t, at); r.Resent < 1 {
			t.Fatalf("resend %d: report %+v", i, r)
		}
	}
	at = at.Add(21 * time.Minute)
	payload, _ := json.Marshal(stack.ScheduledEvent("SweepFunction", "Every5Minutes", at))
	if _, err := env.stack.Invoke(ctx, "SweepFunction", payload); err == nil || !strings.Contains(err.Error(), "cannot be read") {
		t.Errorf("the sweep that escalated an unreadable referral: %v; want it to fail saying so", err)
	}
	if _, ok := findEscalation(t, "open", "triage", victim.id); !ok {
		t.Errorf("the manager's escalations do not list %s as never triaged", victim.id)
	}

	// Every copy fails and reaches the dead-letter queue; then the fault is
	// fixed and the dead letters moved back.
	waitEmpty(t, env.queue)
	waitDepth(t, env.dlq, 4)
	setReceivedAt(original)
	repaired = true
	moved, err := env.stack.Redrive(ctx)
	if err != nil || moved["TriageDeadLetterQueue"] < 4 {
		t.Fatalf("redrive moved %v, %v; want the 4 copies", moved, err)
	}
	redriven := time.Now()
	tl := account(t, "poison", all, want, redriven, 90*time.Second)
	waitEmpty(t, env.queue)
	waitEmpty(t, env.stack.QueueURL("FollowUpQueue"))
	if n := auditActions(t, victim.id)["referral.triaged"]; n != 1 {
		tl.duplicates += max(n-1, 0)
		tl.problems = append(tl.problems, fmt.Sprintf("%s triaged %d times after the redrive", victim.id, n))
	}
	report(t, tl)
}

// waitDepth waits (at most a minute) until at least n messages wait on the
// queue.
func waitDepth(t *testing.T, url string, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		out, err := env.sqs.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{
			QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages},
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessages)])
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages on %s after a minute, want %d", got, url, n)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
