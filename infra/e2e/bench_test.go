package e2e

import (
	"bytes"
	"net/http"
	"testing"
)

// BenchmarkSubmitReferral measures one referral through the whole local
// path: HTTP API, Runtime API, the real submit binary, DynamoDB Local (one
// transaction, one update) and the SQS emulator.
func BenchmarkSubmitReferral(b *testing.B) {
	body := sample(b, "single-child.json")
	url := env.stack.APIURL() + "/referrals"
	b.ReportAllocs()
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
