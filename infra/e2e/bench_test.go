package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// BenchmarkSubmitReferral measures one referral through the whole local
// path: HTTP API, Runtime API, the real submit binary, DynamoDB Local (one
// transaction, one update) and the SQS emulator. The triage function is
// paused meanwhile, so that the figure is the submit path's own and not
// shared with triaging what it submits (BenchmarkSubmitToTriaged measures
// that); the messages are triaged once it resumes.
func BenchmarkSubmitReferral(b *testing.B) {
	body := sample(b, "single-child.json")
	url := env.stack.APIURL() + "/referrals"
	env.stack.Pause("TriageFunction") // waits for its poller to stop
	b.Cleanup(func() { env.stack.Resume("TriageFunction") })
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := http.Post(url, "application/json", bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusAccepted {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

// BenchmarkSubmitToTriaged measures from POST /referrals until GET shows the
// referral screened: the triage queue's poller, the triage binary and its
// writes, seen through the API.
func BenchmarkSubmitToTriaged(b *testing.B) {
	body := sample(b, "missing-episode.json")
	api := env.stack.APIURL()
	bearer := "Bearer " + token(b, auth.MASH)
	// Start with the queues empty, not behind the backlog of an earlier
	// benchmark.
	waitEmpty(b, env.queue)
	waitEmpty(b, env.stack.QueueURL("FollowUpQueue"))
	for b.Loop() {
		resp, err := http.Post(api+"/referrals", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		var r receipt
		err = json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusAccepted {
			b.Fatalf("submit: %d %v", resp.StatusCode, err)
		}
		for {
			req, err := http.NewRequest(http.MethodGet, api+"/referrals/"+r.ID, nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Authorization", bearer)
			g, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var v view
			err = json.NewDecoder(g.Body).Decode(&v)
			g.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			if triaged(v) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
