package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// concurrently POSTs n requests to path at once, the ith with body(i) and
// the headers given, as a caller with roles, and returns each one's status
// (-1 when it could not be sent) and body.
func concurrently(t *testing.T, n int, path string, body func(i int) []byte, headers map[string]string, roles ...auth.Role) ([]int, [][]byte) {
	t.Helper()
	tok := token(t, roles...)
	statuses := make([]int, n)
	bodies := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, env.stack.APIURL()+path, bytes.NewReader(body(i)))
			if err != nil {
				statuses[i] = -1
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				statuses[i] = -1
				return
			}
			defer resp.Body.Close()
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(resp.Body)
			statuses[i], bodies[i] = resp.StatusCode, buf.Bytes()
		})
	}
	wg.Wait()
	return statuses, bodies
}

// TestConcurrentCompletionsMakeOneReferral completes one return home
// interview 20 times at once, each asking for a new referral, half of them
// with a different account of the concern: one completion is recorded, one
// referral is made from the follow-up and linked to it, and no refusal
// promises what does not happen.
func TestConcurrentCompletionsMakeOneReferral(t *testing.T) {
	_, fuID := missingEpisodeRHI(t)
	wantEvent(t, fuID, `{"type":"ACCEPT","version":1}`, http.StatusOK, auth.ProviderRHI)
	const n = 20
	statuses, bodies := concurrently(t, n, "/follow-ups/"+fuID+"/events", func(i int) []byte {
		b := rhiCompletion(2)
		if i%2 == 1 {
			b = strings.Replace(b, "signs of criminal exploitation found", fmt.Sprintf("signs (%d) of criminal exploitation found", i), 1)
		}
		return []byte(b)
	}, nil, auth.ProviderRHI)

	refs := scanIDs(t, "#type = :type AND origin.id = :v", "referral", fuID)
	if len(refs) != 1 {
		t.Fatalf("%d referrals made from one follow-up completed %d times at once: %v", len(refs), n, refs)
	}
	ok := 0
	for i, s := range statuses {
		switch {
		case s == http.StatusOK:
			ok++
			if !bytes.Contains(bodies[i], []byte(refs[0])) {
				t.Errorf("completion %d: 200 without the referral %s: %s", i, refs[0], bodies[i])
			}
		case s == http.StatusConflict:
			if bytes.Contains(bodies[i], []byte("makes no other")) && !bytes.Contains(bodies[i], []byte("version")) {
				t.Errorf("completion %d: 409 promising a link it cannot make: %s", i, bodies[i])
			}
		default:
			t.Errorf("completion %d: %d %s", i, s, bodies[i])
		}
	}
	if ok != 1 {
		t.Errorf("%d completions recorded, want 1", ok)
	}
	v := waitFor(t, refs[0], triaged)
	if v.ID != refs[0] {
		t.Fatalf("the referral %s was not triaged", refs[0])
	}
	done, _ := listFollowUps(t, "status=COMPLETED&limit=100", auth.ProviderRHI)
	if d := findView(done, fuID); d == nil || d.NewReferralID != refs[0] {
		t.Errorf("the follow-up links %+v, want the one referral %s", d, refs[0])
	}
	// Sent again, the completion is refused as the follow-up is completed,
	// and says which referral it links.
	resp, b := postEvent(t, fuID, rhiCompletion(3), auth.ProviderRHI)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(b), "completed") {
		t.Errorf("completing again: %d %s", resp.StatusCode, b)
	}
}

// TestConcurrentCustodyRetriesMakeOneRequest sends one custody request 20
// times at once with one Idempotency-Key, as a police system retrying does:
// one request is stored, every answer is its receipt, and the appropriate
// adult service sees one follow-up.
func TestConcurrentCustodyRetriesMakeOneRequest(t *testing.T) {
	body := custodySample(t, "appropriate-adult.json")
	const n = 20
	statuses, bodies := concurrently(t, n, "/custody-requests", func(int) []byte { return body },
		map[string]string{"Idempotency-Key": "custody-retry-" + fmt.Sprint(time.Now().UnixNano())}, auth.Police)
	var ids []string
	for i, s := range statuses {
		if s != http.StatusAccepted {
			t.Fatalf("attempt %d: %d %s", i, s, bodies[i])
		}
		var r struct{ ID string }
		if err := json.Unmarshal(bodies[i], &r); err != nil || r.ID == "" {
			t.Fatalf("attempt %d: %s", i, bodies[i])
		}
		ids = append(ids, r.ID)
	}
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("receipts name different requests: %v", ids)
		}
	}
	if got := scanIDs(t, "#type = :type AND id = :v", "custody-request", ids[0]); len(got) != 1 {
		t.Errorf("custody request %s stored %d times", ids[0], len(got))
	}
	waitEmpty(t, env.stack.QueueURL("FollowUpQueue"))
	list, _ := listFollowUps(t, "status=OPEN&limit=100", auth.ProviderAA)
	n1 := 0
	for _, f := range list {
		if strings.Contains(f.ID, ids[0]) {
			n1++
		}
	}
	if n1 != 1 {
		t.Errorf("the appropriate adult service sees %d follow-ups of the one request, want 1", n1)
	}
}
