package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

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
	var ended time.Time
	var once sync.Once
	reconnect := func() {
		once.Do(func() {
			if err := emulator.Reconnect(); err != nil {
				t.Error(err)
			}
			ended = time.Now()
		})
	}
	t.Cleanup(reconnect)
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

	tl := account(t, "sqs-down", all, want, ended, 90*time.Second)
	tl.problems = append(tl.problems, problems...)
	tl.duplicates += len(problems)
	t.Logf("%d of %d referrals were stored while SQS was out of reach, and queued by the sweep", len(unqueued), n)
	report(t, tl)
}

// TestChaosWorkerKilled: the triage bootstrap is killed (SIGKILL) in the
// middle of a batch, three times while the stream is sent. The messages of
// a killed batch come back once the queue's visibility timeout ends and are
// processed once. max_delay_s is the longest any referral waited from
// being queued to being triaged; it must stay within the visibility
// timeout, with a few seconds for the poller and the triage itself.
func TestChaosWorkerKilled(t *testing.T) {
	want := baselineFollowUps(t)
	visibility := visibilityTimeout(t, env.queue)
	stop := make(chan struct{})
	killed := make(chan int, 1)
	go func() {
		kills := 0
		defer func() { killed <- kills }()
		for kills < 3 {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			if env.stack.KillBusy("TriageFunction") > 0 {
				kills++
			}
		}
	}()
	all := sendAll(t, "worker-killed", chaosSize(), nil)
	// Enough of the stream is left to triage for the kills to land.
	time.Sleep(time.Second)
	close(stop)
	kills := <-killed
	if kills == 0 {
		t.Fatal("the triage function was never caught in the middle of a batch")
	}
	tl := account(t, "worker-killed", all, want, time.Now(), 90*time.Second)
	tl.maxDelay = 0
	markers := map[string]bool{}
	for _, s := range all {
		markers[s.marker] = true
	}
	for _, rs := range tableState(t, markers) {
		for _, r := range rs {
			if !r.queued.IsZero() && !r.triaged.IsZero() {
				tl.maxDelay = max(tl.maxDelay, r.triaged.Sub(r.queued))
			}
		}
	}
	if bound := visibility + 5*time.Second; tl.maxDelay > bound {
		tl.problems = append(tl.problems, fmt.Sprintf("a referral waited %s for triage, over the %s visibility timeout and 5 s", tl.maxDelay, visibility))
	}
	t.Logf("killed %d batches; visibility timeout %s", kills, visibility)
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
