package samschema

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/sweep"
)

// The hardening the template promises, each point checked by reading it:
// encryption with the front door's own key, retention of the table,
// least privilege, alarms, limits and queues. hardeningProblems lists
// every point that does not hold; the real template must have none, and
// each planted fault below must be found.

// res is a template's resources, as JSON values.
type res map[string]map[string]any

// props is resource id's properties.
func (r res) props(id string) map[string]any {
	p, _ := r[id]["Properties"].(map[string]any)
	return p
}

// ofType lists the ids of the resources of type typ, sorted.
func (r res) ofType(typ string) []string {
	var out []string
	for id, v := range r {
		if v["Type"] == typ {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// refOf is the resource a {"Ref": id} names, or "".
func refOf(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["Ref"].(string)
	return s
}

// getAttOf is the "Id.Attr" a {"Fn::GetAtt": ...} names, or "".
func getAttOf(v any) string {
	m, _ := v.(map[string]any)
	switch g := m["Fn::GetAtt"].(type) {
	case string:
		return g
	case []any:
		if len(g) == 2 {
			return fmt.Sprint(g[0], ".", g[1])
		}
	}
	return ""
}

// num is a JSON number as an int, or -1.
func num(v any) int {
	f, ok := v.(float64)
	if !ok {
		return -1
	}
	return int(f)
}

// globalTimeout is the functions' timeout from Globals.
const globalTimeout = 10

func hardeningProblems(r res) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }

	// One customer-managed key, rotated, kept.
	keys := r.ofType("AWS::KMS::Key")
	if len(keys) != 1 {
		bad("%d KMS keys, want one", len(keys))
		return out
	}
	key := keys[0]
	if r.props(key)["EnableKeyRotation"] != true {
		bad("the key %s is not rotated", key)
	}
	if r[key]["DeletionPolicy"] != "Retain" {
		bad("the key %s is not kept when the stack goes", key)
	}

	// The table: the key, point-in-time recovery, deletion protection,
	// kept.
	tables := r.ofType("AWS::DynamoDB::Table")
	for _, id := range tables {
		p := r.props(id)
		sse, _ := p["SSESpecification"].(map[string]any)
		if sse["SSEEnabled"] != true || sse["SSEType"] != "KMS" || refOf(sse["KMSMasterKeyId"]) != key {
			bad("table %s is not encrypted with %s", id, key)
		}
		pitr, _ := p["PointInTimeRecoverySpecification"].(map[string]any)
		if pitr["PointInTimeRecoveryEnabled"] != true {
			bad("table %s has no point-in-time recovery", id)
		}
		if p["DeletionProtectionEnabled"] != true {
			bad("table %s has no deletion protection", id)
		}
		if r[id]["DeletionPolicy"] != "Retain" || r[id]["UpdateReplacePolicy"] != "Retain" {
			bad("table %s is not kept (DeletionPolicy and UpdateReplacePolicy Retain)", id)
		}
		if ttl, _ := p["TimeToLiveSpecification"].(map[string]any); ttl != nil && ttl["AttributeName"] != "expiresAt" {
			bad("table %s expires items by %v, not expiresAt (which only drafts, sessions, idempotency keys and counts of tries carry)", id, ttl["AttributeName"])
		}
	}

	// Queues: the key, a dead-letter queue after 5 receives, and a
	// visibility timeout of at least six times the consumer's timeout.
	queues := r.ofType("AWS::SQS::Queue")
	dlqs := map[string]bool{}
	for _, id := range queues {
		p := r.props(id)
		if refOf(p["KmsMasterKeyId"]) != key {
			bad("queue %s is not encrypted with %s", id, key)
		}
		if rp, ok := p["RedrivePolicy"].(map[string]any); ok {
			dlqs[strings.TrimSuffix(getAttOf(rp["deadLetterTargetArn"]), ".Arn")] = true
			if num(rp["maxReceiveCount"]) != 5 {
				bad("queue %s: maxReceiveCount %v, want 5", id, rp["maxReceiveCount"])
			}
		}
	}
	for _, id := range queues {
		if _, ok := r.props(id)["RedrivePolicy"]; !ok && !dlqs[id] {
			bad("queue %s has no dead-letter queue", id)
		}
	}

	// Functions: their own log group; consumers limited; no more pollers
	// than that.
	logGroups := r.ofType("AWS::Logs::LogGroup")
	for _, id := range logGroups {
		p := r.props(id)
		if getAttOf(p["KmsKeyId"]) != key+".Arn" {
			bad("log group %s is not encrypted with %s", id, key)
		}
		if p["RetentionInDays"] == nil {
			bad("log group %s keeps its logs for ever", id)
		}
	}
	functions := r.ofType("AWS::Serverless::Function")
	for _, fn := range functions {
		p := r.props(fn)
		lc, _ := p["LoggingConfig"].(map[string]any)
		if lg := refOf(lc["LogGroup"]); !slices.Contains(logGroups, lg) {
			bad("function %s logs to no log group of the template", fn)
		}
		timeout := globalTimeout
		if t := num(p["Timeout"]); t > 0 {
			timeout = t
		}
		events, _ := p["Events"].(map[string]any)
		for name, e := range events {
			ev, _ := e.(map[string]any)
			if ev["Type"] != "SQS" {
				continue
			}
			ep, _ := ev["Properties"].(map[string]any)
			q := strings.TrimSuffix(getAttOf(ep["Queue"]), ".Arn")
			if vt := num(r.props(q)["VisibilityTimeout"]); vt < 6*timeout {
				bad("queue %s: visibility timeout %d s, under six times %s's %d s", q, vt, fn, timeout)
			}
			reserved := num(p["ReservedConcurrentExecutions"])
			sc, _ := ep["ScalingConfig"].(map[string]any)
			if reserved < 1 {
				bad("consumer %s has no reserved concurrency: a flood on %s could starve the intake", fn, q)
			} else if mc := num(sc["MaximumConcurrency"]); mc < 2 || mc > reserved {
				bad("consumer %s event %s: maximum concurrency %d, want 2 to its reserved %d", fn, name, mc, reserved)
			}
		}
		out = append(out, policyProblems(fn, p["Policies"])...)
	}

	// Alarms, each to the topic given: dead-letter depth and the age of
	// every queue's oldest message, every function's errors and throttles,
	// the API's server errors, and what the sweep publishes.
	watched := map[string]bool{}
	for _, id := range r.ofType("AWS::CloudWatch::Alarm") {
		p := r.props(id)
		acts, _ := p["AlarmActions"].([]any)
		if len(acts) != 1 || refOf(acts[0]) != "AlarmTopicArn" {
			bad("alarm %s does not notify AlarmTopicArn", id)
		}
		metric, _ := p["MetricName"].(string)
		for _, d := range dims(p) {
			watched[metric+" "+d] = true
		}
		if ms, ok := p["Metrics"].([]any); ok {
			for _, m := range ms {
				mm, _ := m.(map[string]any)
				st, _ := mm["MetricStat"].(map[string]any)
				me, _ := st["Metric"].(map[string]any)
				name, _ := me["MetricName"].(string)
				for _, d := range dims(me) {
					watched[name+" "+d] = true
				}
			}
		}
		if ns, ok := p["Namespace"].(map[string]any); ok && ns["Fn::Sub"] == "FrontDoor/${AWS::StackName}" {
			watched["sweep "+metric] = true
		}
	}
	want := func(key, what string) {
		if !watched[key] {
			bad("no alarm on %s", what)
		}
	}
	for id := range dlqs {
		want("ApproximateNumberOfMessagesVisible "+id+".QueueName", "the depth of "+id)
	}
	for _, id := range queues {
		want("ApproximateAgeOfOldestMessage "+id+".QueueName", "the age of the oldest message on "+id)
	}
	for _, fn := range functions {
		want("Errors "+fn, fn+"'s errors")
		want("Throttles "+fn, fn+"'s throttles")
	}
	for _, api := range r.ofType("AWS::Serverless::HttpApi") {
		want("5xx "+api, "the server errors of "+api)
	}
	published := sweep.Report{}.Metrics()
	for _, m := range []string{"OverdueFollowUps", "UntriagedReferrals", "OverdueDecisions"} {
		if _, ok := published[m]; !ok {
			bad("the sweep does not publish %s", m)
		}
		want("sweep "+m, m+", as the sweep publishes it")
	}
	return out
}

// dims are the values of an alarm's or metric's dimensions, each as the
// resource it names ("Id" for a Ref, "Id.Attr" for a GetAtt).
func dims(p map[string]any) []string {
	ds, _ := p["Dimensions"].([]any)
	var out []string
	for _, d := range ds {
		dm, _ := d.(map[string]any)
		if r := refOf(dm["Value"]); r != "" {
			out = append(out, r)
		} else if g := getAttOf(dm["Value"]); g != "" {
			out = append(out, g)
		}
	}
	return out
}

// policyProblems are function fn's policies that grant more than a
// function of the front door needs: any SAM policy template that includes
// deleting or scanning, and any statement allowing DeleteItem, Scan, a
// wildcard action, or any resource ("*").
func policyProblems(fn string, policies any) []string {
	var out []string
	ps, _ := policies.([]any)
	for _, p := range ps {
		pm, _ := p.(map[string]any)
		for name := range pm {
			if name == "Statement" {
				continue
			}
			if !slices.Contains(allowedPolicyTemplates, name) {
				out = append(out, fmt.Sprintf("function %s: policy template %s grants more than it needs (write the actions it uses)", fn, name))
			}
		}
		sts, _ := pm["Statement"].([]any)
		for _, st := range sts {
			sm, _ := st.(map[string]any)
			for _, a := range strs(sm["Action"]) {
				if a == "*" || strings.HasSuffix(a, ":*") || a == "dynamodb:DeleteItem" || a == "dynamodb:Scan" || a == "dynamodb:BatchWriteItem" {
					out = append(out, fmt.Sprintf("function %s: allows %s", fn, a))
				}
			}
			if slices.Contains(strs(sm["Resource"]), "*") {
				out = append(out, fmt.Sprintf("function %s: a statement on every resource (*)", fn))
			}
		}
	}
	return out
}

// allowedPolicyTemplates are the SAM policy templates that grant only
// what their name says, on the one resource given.
var allowedPolicyTemplates = []string{"SQSSendMessagePolicy"}

// strs is a string or a list of strings as a list.
func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func templateResources(t *testing.T, src string) res {
	t.Helper()
	r, err := Resources([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTemplateIsHardened(t *testing.T) {
	r := templateResources(t, string(readTemplate(t)))
	for _, p := range hardeningProblems(r) {
		t.Error(p)
	}
}

// Each planted fault in a copy of the template is found.
func TestHardeningFaultsAreFound(t *testing.T) {
	src := string(readTemplate(t))
	tests := []struct {
		name, old, new, want string
	}{
		{"key not rotated", "EnableKeyRotation: true", "EnableKeyRotation: false", "is not rotated"},
		{"no deletion protection", "DeletionProtectionEnabled: true", "DeletionProtectionEnabled: false", "no deletion protection"},
		{"table dropped with the stack", "  FrontDoorTable:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Retain", "  FrontDoorTable:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Delete", "is not kept"},
		{"an AWS-owned key on a queue", "      KmsMasterKeyId: !Ref FrontDoorKey\n", "      SqsManagedSseEnabled: true\n", "is not encrypted with"},
		{"ten receives", "maxReceiveCount: 5", "maxReceiveCount: 10", "want 5"},
		{"a short visibility timeout", "VisibilityTimeout: 180", "VisibilityTimeout: 60", "under six times"},
		{"a consumer without reserved concurrency", "      ReservedConcurrentExecutions: 10\n", "", "no reserved concurrency"},
		{"logs kept for ever", "      RetentionInDays: !Ref LogRetentionDays\n", "", "for ever"},
		{"the CRUD policy", "        - SQSSendMessagePolicy:\n", "        - DynamoDBCrudPolicy:\n            TableName: !Ref FrontDoorTable\n        - SQSSendMessagePolicy:\n", "grants more than it needs"},
		{"deleting items", "                - dynamodb:PutItem\n", "                - dynamodb:PutItem\n                - dynamodb:DeleteItem\n", "allows dynamodb:DeleteItem"},
		{"an alarm to no one", "      AlarmActions: [!Ref AlarmTopicArn]\n", "", "does not notify"},
		{"no alarm on the API's errors", "MetricName: 5xx", "MetricName: 4xx", "server errors of FrontDoorApi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(src, tt.old) {
				t.Fatalf("the template has no %q to change", tt.old)
			}
			found := hardeningProblems(templateResources(t, strings.Replace(src, tt.old, tt.new, 1)))
			if !slices.ContainsFunc(found, func(p string) bool { return strings.Contains(p, tt.want) }) {
				t.Errorf("not found; problems %v", found)
			}
		})
	}
}
