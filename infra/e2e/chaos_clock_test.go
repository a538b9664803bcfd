package e2e

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TestChaosSweepMissesAnHour: the sweep runs every 5 minutes, then not at
// all for an hour in which a clock of every referral of the stream runs
// out, then runs again, twice for the same scheduled time (EventBridge
// delivers at least once), and on; so for the return home interviews, and
// again for the decisions. Each overdue item is escalated exactly once:
// one overdue entry in its audit trail, made by the first run after the
// gap, and one escalation. max_delay_s is the longest an item waited, in
// the sweep's time, from its due time to its escalation: under the hour.
// The stream is larger than a page of the sweep's at full size: the whole
// backlog is escalated in the one run.
func TestChaosSweepMissesAnHour(t *testing.T) {
	want := baselineFollowUps(t)
	all := sendAll(t, "sweep-gap", chaosSize(), nil)
	tl := account(t, "sweep-gap", all, want, time.Now(), 90*time.Second)
	// A clock that runs out: the record whose partition is pk, due then.
	type clock struct {
		pk, action string
		due        time.Time
	}
	var decisions, interviews []clock
	for _, s := range all {
		if s.id == "" {
			continue
		}
		v := waitFor(t, s.id, func(v view) bool { return triaged(v) && len(v.FollowUps) == want })
		decisions = append(decisions, clock{"REFERRAL#" + s.id, "referral.overdue", v.Screening.DecisionDueAt})
		for _, fu := range v.FollowUps {
			interviews = append(interviews, clock{"FOLLOWUP#" + fu.ID, "follow-up.overdue", fu.DueAt})
		}
	}
	if len(decisions) == 0 || len(interviews) == 0 {
		t.Fatal("no clock to run out")
	}
	groups := [][]clock{decisions, interviews}
	first := func(g []clock) time.Time {
		return slices.MinFunc(g, func(a, b clock) int { return a.due.Compare(b.due) }).due
	}
	slices.SortFunc(groups, func(a, b []clock) int { return first(a).Compare(first(b)) })
	var lastRun time.Time
	tl.maxDelay = 0
	for _, g := range groups {
		gapStart := first(g).Add(-5 * time.Minute)
		gapEnd := gapStart.Add(time.Hour)
		if gapStart.Before(lastRun.Add(15 * time.Minute)) {
			t.Fatalf("the clocks' gaps overlap: one starts at %s, the runs before it end at %s", gapStart, lastRun)
		}
		for _, c := range g {
			if !c.due.Before(gapEnd) {
				t.Fatalf("%s is due at %s, after its gap ends at %s", c.pk, c.due, gapEnd)
			}
		}
		for at := gapStart.Add(-15 * time.Minute); !at.After(gapStart); at = at.Add(5 * time.Minute) {
			runSweep(t, at)
		}
		if r := runSweep(t, gapEnd); r.OverdueFollowUps+r.OverdueReferrals < len(g) {
			tl.problems = append(tl.problems, fmt.Sprintf("the run after the gap at %s escalated %+v, want at least the stream's %d", gapEnd, r, len(g)))
		}
		runSweep(t, gapEnd) // the same scheduled event again
		for lastRun = gapEnd.Add(5 * time.Minute); !lastRun.After(gapEnd.Add(15 * time.Minute)); lastRun = lastRun.Add(5 * time.Minute) {
			runSweep(t, lastRun)
		}
		for _, c := range g {
			tl.problems = append(tl.problems, overdueOnce(t, c.pk, c.action, gapEnd)...)
			tl.maxDelay = max(tl.maxDelay, gapEnd.Sub(c.due))
		}
	}
	tl.duplicates += len(tl.problems)
	report(t, tl)
}

// overdueOnce checks that the record whose partition is pk has exactly one
// audit entry of the overdue action, made as of at, and one escalation,
// and says what is wrong if not.
func overdueOnce(t *testing.T, pk, action string, at time.Time) []string {
	t.Helper()
	out, err := env.ddb.Query(context.Background(), &dynamodb.QueryInput{
		TableName: &env.table, ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :a)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk},
			":a":  &types.AttributeValueMemberS{Value: "AUDIT#"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	n := 0
	for _, e := range out.Items {
		if str(e, "action") != action {
			continue
		}
		n++
		if when, err := time.Parse(time.RFC3339Nano, str(e, "at")); err != nil || !when.Equal(at) {
			problems = append(problems, fmt.Sprintf("%s escalated as of %s, want the first run after the gap, %s", pk, str(e, "at"), at.UTC().Format(time.RFC3339)))
		}
	}
	if n != 1 {
		problems = append(problems, fmt.Sprintf("%s has %d %s entries, want 1", pk, n, action))
	}
	if getItem(t, "ESCALATION#"+pk, "ESCALATION") == nil {
		problems = append(problems, fmt.Sprintf("%s was never escalated", pk))
	}
	return problems
}
