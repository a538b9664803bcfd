package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var confirmedReference = regexp.MustCompile(`class="app-reference">([^<]+)<`)

// TestChaosWebJourneyDynamoDBFrozen: partners fill in the referral pages
// (without JavaScript, as plain form posts), then DynamoDB stops answering
// for 12 s just as they press "Send referral". Each sees an error page,
// not a hang, and sends again, as it tells them to, until the
// confirmation: every confirmation shown is one referral, triaged.
func TestChaosWebJourneyDynamoDBFrozen(t *testing.T) {
	// A journey is a dozen requests: a quarter of the stream's size.
	n := max(chaosSize()/4, 4)
	run := fmt.Sprintf("web-ddb-frozen-%d", time.Now().UnixNano())
	all := make([]sent, n)
	filled := make([]*pages, n)
	for i := range n {
		all[i].marker = fmt.Sprintf("%s-%05d", run, i)
		filled[i] = fillReferral(t, all[i].marker)
	}
	ddb := env.stack.DynamoDB()
	thaw, ended := faultEnder(t, ddb.Thaw)
	if err := ddb.Freeze(); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(12*time.Second, thaw)
	errorPages := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range next {
				s := &all[i]
				for s.attempt = 1; s.attempt <= 8; s.attempt++ {
					q := *filled[i] // the check answers page, kept open
					q.post(url.Values{})
					if strings.HasPrefix(q.Path, "/refer/confirmation") && q.Status == http.StatusOK {
						if m := confirmedReference.FindStringSubmatch(q.Body); m != nil {
							s.reference = m[1]
						}
						break
					}
					if q.Status != http.StatusServiceUnavailable {
						t.Errorf("%s: on %s with %d, want the confirmation or an error page (503)", s.marker, q.Path, q.Status)
						break
					}
					mu.Lock()
					errorPages++
					mu.Unlock()
					time.Sleep(2 * time.Second)
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	thaw()
	if errorPages == 0 {
		t.Error("no one saw an error page: DynamoDB was never in the way of a send")
	}
	t.Logf("%d error pages shown, each sent again", errorPages)
	report(t, account(t, "web-ddb-frozen", all, 0, *ended, 90*time.Second))
}
