package metrics

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// A publication is one line of the embedded metric format: the namespace,
// one dimensionless set, each count as a Count named as given, at the time
// given.
func TestCounts(t *testing.T) {
	var buf bytes.Buffer
	at := time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)
	if err := New(&buf, "FrontDoor/test").Counts(at, map[string]int{"OverdueFollowUps": 2, "UntriagedReferrals": 0}); err != nil {
		t.Fatal(err)
	}
	if strings.Count(buf.String(), "\n") != 1 || !strings.HasSuffix(buf.String(), "\n") {
		t.Fatalf("not one line: %q", buf.String())
	}
	var got struct {
		AWS struct {
			Timestamp         int64
			CloudWatchMetrics []struct {
				Namespace  string
				Dimensions [][]string
				Metrics    []struct{ Name, Unit string }
			}
		} `json:"_aws"`
		Overdue   *int `json:"OverdueFollowUps"`
		Untriaged *int `json:"UntriagedReferrals"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	d := got.AWS.CloudWatchMetrics
	if got.AWS.Timestamp != at.UnixMilli() || len(d) != 1 || d[0].Namespace != "FrontDoor/test" || len(d[0].Dimensions) != 1 || len(d[0].Dimensions[0]) != 0 {
		t.Errorf("directive %+v", got.AWS)
	}
	if len(d) == 1 && (len(d[0].Metrics) != 2 || d[0].Metrics[0] != (struct{ Name, Unit string }{"OverdueFollowUps", "Count"}) || d[0].Metrics[1].Name != "UntriagedReferrals") {
		t.Errorf("metrics %+v", d[0].Metrics)
	}
	if got.Overdue == nil || *got.Overdue != 2 || got.Untriaged == nil || *got.Untriaged != 0 {
		t.Errorf("values %s", buf.String())
	}
}

// No namespace (not configured) or no counts: nothing is written.
func TestCountsNothing(t *testing.T) {
	var buf bytes.Buffer
	_ = New(&buf, "").Counts(time.Now(), map[string]int{"A": 1})
	_ = New(&buf, "N").Counts(time.Now(), nil)
	if buf.Len() != 0 {
		t.Errorf("wrote %q", buf.String())
	}
}
