package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// The fault-injection suite: each scenario sends a stream of referrals
// while a fault is in the way, then accounts for every one. Each receipt
// given must end as exactly one stored referral, triaged, with its
// follow-ups created once; the scenario prints one summary line and fails
// on any loss or duplicate. `make chaos` runs it at full size
// (CHAOS_SIZE=2000); `make test` at a size that fits CI.

// chaosSize is how many referrals each scenario sends.
func chaosSize() int {
	if n, err := strconv.Atoi(os.Getenv("CHAOS_SIZE")); err == nil && n > 0 {
		return n
	}
	return 24
}

// sent is one referral a scenario sent, and what became of its sending.
type sent struct {
	marker string
	id     string // from the receipt; "" if none was given
	// reference is what a confirmation page showed (the web journey's
	// receipt); "" if none was shown.
	reference string
	attempt   int
}

// receipted reports whether the sender was told the referral was received.
func (s sent) receipted() bool { return s.id != "" || s.reference != "" }

// tally is a scenario's account of every referral sent.
type tally struct {
	scenario                                                string
	submitted, retried, receipts, stored, triaged, followUp int
	duplicates, lost                                        int
	maxDelay                                                time.Duration
	problems                                                []string
}

func (t *tally) String() string {
	return fmt.Sprintf("scenario=%s submitted=%d retried=%d receipts=%d stored=%d triaged=%d followups=%d duplicates=%d lost=%d max_delay_s=%.1f",
		t.scenario, t.submitted, t.retried, t.receipts, t.stored, t.triaged, t.followUp, t.duplicates, t.lost, t.maxDelay.Seconds())
}

// referralState is what the table holds of one referral.
type referralState struct {
	id, reference, status string
	screened              bool
	followUps             int
	// queued and triaged are when it was marked queued and screened (zero
	// if not).
	queued, triaged time.Time
}

// tableState reads every referral holding one of the markers, by marker,
// and its follow-ups (a test's reading of the whole table).
func tableState(t *testing.T, markers map[string]bool) map[string][]referralState {
	t.Helper()
	out := map[string][]referralState{}
	byID := map[string]*referralState{}
	p := dynamodb.NewScanPaginator(env.ddb, &dynamodb.ScanInput{TableName: aws.String(env.table)})
	var followUps []string
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range page.Items {
			sk := str(item, "sk")
			switch {
			case sk == "REFERRAL":
				b, _ := json.Marshal(item["form"])
				for m := range markers {
					if strings.Contains(string(b), m) {
						id := strings.TrimPrefix(str(item, "pk"), "REFERRAL#")
						rs := referralState{id: id, reference: str(item, "reference"), status: str(item, "status")}
						rs.queued, _ = time.Parse(time.RFC3339Nano, str(item, "queuedAt"))
						if sc, ok := item["screening"].(*types.AttributeValueMemberM); ok {
							rs.screened = true
							rs.triaged, _ = time.Parse(time.RFC3339Nano, str(sc.Value, "triagedAt"))
						}
						out[m] = append(out[m], rs)
					}
				}
			case strings.HasPrefix(sk, "FOLLOWUP#"):
				followUps = append(followUps, strings.TrimPrefix(str(item, "pk"), "REFERRAL#"))
			}
		}
	}
	for m, rs := range out {
		for i := range rs {
			byID[rs[i].id] = &out[m][i]
		}
	}
	for _, id := range followUps {
		if r, ok := byID[id]; ok {
			r.followUps++
		}
	}
	return out
}

// account waits (while each look finds more done, and then at most settle)
// until every referral sent is stored once
// and triaged with its follow-ups, then counts what it finds: a receipt
// without its referral, or a referral never triaged or short of its
// follow-ups, is lost; a second referral for one sending, or a follow-up
// more, is a duplicate. wantFollowUps is what one referral of the sample
// makes.
func account(t *testing.T, scenario string, all []sent, wantFollowUps int, faultEnded time.Time, settle time.Duration) *tally {
	t.Helper()
	markers := map[string]bool{}
	tl := &tally{scenario: scenario, submitted: len(all)}
	for _, s := range all {
		markers[s.marker] = true
		if s.attempt > 1 {
			tl.retried++
		}
		if s.receipted() {
			tl.receipts++
		}
	}
	// The wait ends when every receipt is accounted for, or when nothing
	// more has been for settle: a stream of thousands takes this machine
	// minutes to triage (about 20 a second), and that is no loss while
	// each look finds more done. Each look scans the whole table, so the
	// looks are spaced out as the stream grows.
	deadline := time.Now().Add(settle)
	every := max(500*time.Millisecond, time.Duration(len(all))*time.Millisecond)
	var state map[string][]referralState
	lastDone := -1
	for {
		state = tableState(t, markers)
		left, doneNow := 0, 0
		for _, s := range all {
			rs := state[s.marker]
			if s.receipted() && (len(rs) == 0 || !rs[0].screened || rs[0].followUps < wantFollowUps) {
				left++
			} else {
				doneNow++
			}
		}
		if doneNow > lastDone {
			deadline, lastDone = time.Now().Add(settle), doneNow
		}
		if left == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(every)
	}
	tl.maxDelay = time.Since(faultEnded)
	for _, s := range all {
		rs := state[s.marker]
		if len(rs) > 0 {
			tl.stored++
		}
		if len(rs) > 1 {
			tl.duplicates += len(rs) - 1
			tl.problems = append(tl.problems, fmt.Sprintf("%s stored %d times", s.marker, len(rs)))
		}
		switch {
		case s.receipted() && len(rs) == 0:
			tl.lost++
			tl.problems = append(tl.problems, fmt.Sprintf("receipt %s%s (%s) has no referral", s.id, s.reference, s.marker))
			continue
		case len(rs) == 0:
			continue // never received, and the sender was told so
		case s.id != "" && rs[0].id != s.id:
			tl.problems = append(tl.problems, fmt.Sprintf("receipt %s, but the referral stored is %s", s.id, rs[0].id))
		case s.reference != "" && rs[0].reference != s.reference:
			tl.problems = append(tl.problems, fmt.Sprintf("confirmation %s, but the referral stored is %s", s.reference, rs[0].reference))
		}
		r := rs[0]
		if !r.screened {
			// One loss: its follow-ups were never due to be made.
			tl.lost++
			tl.problems = append(tl.problems, fmt.Sprintf("%s (%s) never triaged: %s", r.id, s.marker, r.status))
			continue
		}
		tl.triaged++
		tl.followUp += r.followUps
		switch {
		case r.followUps < wantFollowUps:
			tl.lost += wantFollowUps - r.followUps
			tl.problems = append(tl.problems, fmt.Sprintf("%s has %d follow-ups, want %d", r.id, r.followUps, wantFollowUps))
		case r.followUps > wantFollowUps:
			tl.duplicates += r.followUps - wantFollowUps
		}
	}
	return tl
}

// report prints the tally's line and fails on any loss or duplicate.
func report(t *testing.T, tl *tally) {
	t.Helper()
	fmt.Println(tl)
	t.Log(tl)
	for _, p := range tl.problems {
		t.Error(p)
	}
	if tl.lost != 0 || tl.duplicates != 0 {
		t.Errorf("%s: lost=%d duplicates=%d", tl.scenario, tl.lost, tl.duplicates)
	}
}

// chaosBody is the missing-episode sample (one child back from going
// missing: one return home interview) with a marker in its account.
func chaosBody(t *testing.T, marker string) []byte {
	t.Helper()
	var form map[string]any
	if err := json.Unmarshal(sample(t, "missing-episode.json"), &form); err != nil {
		t.Fatal(err)
	}
	c := form["concerns"].(map[string]any)
	c["account"] = fmt.Sprint(c["account"], " ", marker)
	// A stream of referrals of many children, as a front door gets, not of
	// one child referred thousands of times (each of whose screenings would
	// read its 200 latest earlier referrals): each child is born on a day
	// of 2010-2019 drawn from the marker, without the NHS number that would
	// match them all. Some share a day and are re-referrals of each other.
	h := fnv.New32a()
	h.Write([]byte(marker))
	child := form["children"].([]any)[0].(map[string]any)
	delete(child, "nhsNumber")
	child["dateOfBirth"] = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(h.Sum32()%3650)).Format(time.DateOnly)
	b, _ := json.Marshal(form)
	return b
}

// sendAll sends n referrals at concurrency 4 as a careful client does:
// each with its own Idempotency-Key, sent again with it after a 503 (as
// Retry-After says) until accepted or tries run out. at[i] runs (if set)
// once i of them have been handed out to send.
func sendAll(t *testing.T, scenario string, n int, at map[int]func()) []sent {
	t.Helper()
	all := make([]sent, n)
	run := fmt.Sprintf("%s-%d", scenario, time.Now().UnixNano())
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				s := &all[i]
				s.marker = fmt.Sprintf("%s-%05d", run, i) // fixed width: no marker holds another
				body := chaosBody(t, s.marker)
				for s.attempt = 1; s.attempt <= 8; s.attempt++ {
					resp, b := post(t, "/referrals", "application/json", body, map[string]string{"Idempotency-Key": s.marker})
					if resp.StatusCode == http.StatusAccepted || resp.StatusCode == http.StatusOK {
						var r receipt
						if json.Unmarshal(b, &r) == nil {
							s.id = r.ID
						}
						break
					}
					if resp.StatusCode != http.StatusServiceUnavailable {
						t.Errorf("%s: %d %s", s.marker, resp.StatusCode, b)
						break
					}
					wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
					time.Sleep(time.Duration(max(wait, 1)) * time.Second)
				}
			}
		}()
	}
	for i := range n {
		if f := at[i]; f != nil {
			f()
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return all
}

// baselineFollowUps is how many follow-ups one chaos referral makes, with
// no fault in the way.
func baselineFollowUps(t *testing.T) int {
	t.Helper()
	marker := fmt.Sprintf("chaos-baseline-%d", time.Now().UnixNano())
	resp, b := post(t, "/referrals", "application/json", chaosBody(t, marker), nil)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("baseline: %d %s", resp.StatusCode, b)
	}
	r := decode[receipt](t, b)
	v := waitFor(t, r.ID, func(v view) bool { return triaged(v) && len(v.FollowUps) > 0 })
	return len(v.FollowUps)
}

// faultEnder returns end, which ends a fault with undo once (and, if the
// test has not, when it ends), and when the fault ended.
func faultEnder(t *testing.T, undo func() error) (end func(), ended *time.Time) {
	t.Helper()
	ended = new(time.Time)
	var once sync.Once
	end = func() {
		once.Do(func() {
			if err := undo(); err != nil {
				t.Error(err)
			}
			*ended = time.Now()
		})
	}
	t.Cleanup(end)
	return end, ended
}

// TestChaosDynamoDBFrozen: DynamoDB stops answering for 12 s while
// referrals are sent, longer than the function's 10 s: those in flight are
// answered 503 and sent again with their keys. Every receipt ends as one
// referral, triaged, with its follow-up.
func TestChaosDynamoDBFrozen(t *testing.T) {
	want := baselineFollowUps(t)
	ddb := env.stack.DynamoDB()
	thaw, ended := faultEnder(t, ddb.Thaw)
	n := chaosSize()
	all := sendAll(t, "ddb-frozen", n, map[int]func(){n / 4: func() {
		if err := ddb.Freeze(); err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(12*time.Second, thaw)
	}})
	thaw()
	report(t, account(t, "ddb-frozen", all, want, *ended, 90*time.Second))
}

// TestChaosDynamoDBRestarted: DynamoDB Local, persisting to disk, is
// stopped (SIGTERM; dynamolocal.Server.Restart says why not SIGKILL) and
// started again while referrals are sent. Until it
// answers again its port refuses connections: those in flight are answered
// 503 and sent again with their keys. Nothing it acknowledged is lost:
// every receipt ends as one referral, triaged, with its follow-up.
func TestChaosDynamoDBRestarted(t *testing.T) {
	want := baselineFollowUps(t)
	var ended time.Time
	n := chaosSize()
	all := sendAll(t, "ddb-restarted", n, map[int]func(){n / 4: func() {
		start := time.Now()
		if err := env.stack.DynamoDB().Restart(context.Background()); err != nil {
			t.Fatal(err)
		}
		ended = time.Now()
		t.Logf("DynamoDB Local was down for %s", ended.Sub(start).Round(100*time.Millisecond))
	}})
	report(t, account(t, "ddb-restarted", all, want, ended, 90*time.Second))
}

// TestChaosDeliveredThrice: every triage message comes three times (two
// more copies put on the queue beside the one the intake sent). Each
// referral is triaged once, with its follow-ups once.
func TestChaosDeliveredThrice(t *testing.T) {
	want := baselineFollowUps(t)
	all := sendAll(t, "delivered-thrice", chaosSize(), nil)
	for _, s := range all {
		if s.id == "" {
			continue
		}
		body, _ := json.Marshal(referral.TriageMessage{Type: referral.TriageMessageType, ReferralID: s.id})
		for range 2 {
			if _, err := env.sqs.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: aws.String(env.queue), MessageBody: aws.String(string(body))}); err != nil {
				t.Fatal(err)
			}
		}
	}
	copied := time.Now()
	tl := account(t, "delivered-thrice", all, want, copied, 90*time.Second)
	waitEmpty(t, env.queue)
	waitEmpty(t, env.stack.QueueURL("FollowUpQueue"))
	// Read again once every copy is consumed: a duplicate made by a late
	// copy is counted.
	tl = account(t, "delivered-thrice", all, want, copied, time.Second)
	for _, s := range all {
		if s.id == "" {
			continue
		}
		if n := auditActions(t, s.id)["referral.triaged"]; n != 1 {
			tl.duplicates += max(n-1, 0)
			tl.problems = append(tl.problems, fmt.Sprintf("%s triaged %d times", s.id, n))
		}
	}
	report(t, tl)
}

// TestChaosCatchesALoss plants the two faults the suite exists to catch:
// a consumer that drops a message (the triage message deleted unread),
// and a submit that forgets to queue (the real submit binary with a queue
// that does not exist, and no sweep). Each is counted lost=1.
func TestChaosCatchesALoss(t *testing.T) {
	t.Run("a dropped message", func(t *testing.T) {
		pauseTriage(t)
		marker := fmt.Sprintf("planted-drop-%d", time.Now().UnixNano())
		resp, b := post(t, "/referrals", "application/json", chaosBody(t, marker), nil)
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		r := decode[receipt](t, b)
		dropTriageMessage(t, r.ID)
		env.stack.Resume("TriageFunction")
		t.Cleanup(func() { requeue(t, r.ID) })
		tl := account(t, "planted-drop", []sent{{marker: marker, id: r.ID, attempt: 1}}, 1, time.Now(), 3*time.Second)
		t.Log(tl)
		if tl.lost != 1 || tl.duplicates != 0 {
			t.Errorf("a dropped message was counted lost=%d duplicates=%d, want lost=1", tl.lost, tl.duplicates)
		}
	})
	t.Run("a submit that forgets to queue", func(t *testing.T) {
		marker := fmt.Sprintf("planted-unqueued-%d", time.Now().UnixNano())
		resp := postWithDeadQueue(t, "SubmitReferralFunction", "TRIAGE_QUEUE_URL", "/referrals", chaosBody(t, marker))
		r := decode[receipt](t, []byte(resp.Body))
		if r.ID == "" {
			t.Fatalf("no receipt: %d %s", resp.StatusCode, resp.Body)
		}
		t.Cleanup(func() { requeue(t, r.ID) })
		tl := account(t, "planted-unqueued", []sent{{marker: marker, id: r.ID, attempt: 1}}, 1, time.Now(), 3*time.Second)
		t.Log(tl)
		if tl.lost != 1 || tl.duplicates != 0 {
			t.Errorf("an unqueued referral was counted lost=%d duplicates=%d, want lost=1", tl.lost, tl.duplicates)
		}
	})
}

// requeue puts referral id's triage message back, as the sweep would, and
// waits until it is triaged: a planted loss is not left for later tests.
func requeue(t *testing.T, id string) {
	t.Helper()
	body, _ := json.Marshal(referral.TriageMessage{Type: referral.TriageMessageType, ReferralID: id})
	if _, err := env.sqs.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: aws.String(env.queue), MessageBody: aws.String(string(body))}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, id, triaged)
}

// dropTriageMessage takes referral id's message off the triage queue and
// deletes it, as a consumer that loses a message would; any other message
// is put back at once.
func dropTriageMessage(t *testing.T, id string) {
	t.Helper()
	ctx := context.Background()
	for range 20 {
		out, err := env.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(env.queue), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, m := range out.Messages {
			if strings.Contains(aws.ToString(m.Body), id) {
				found = true
				if _, err := env.sqs.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(env.queue), ReceiptHandle: m.ReceiptHandle}); err != nil {
					t.Fatal(err)
				}
				continue
			}
			_, _ = env.sqs.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(env.queue), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0})
		}
		if found {
			return
		}
	}
	t.Fatalf("the triage message of %s was never received", id)
}
