// Package samtemplate reads what the local stack needs from template.yaml:
// functions (with Globals merged) and their events, DynamoDB tables and SQS
// queues. The template is the single source of truth; nothing here repeats it.
//
// It reads the JSON form of the template with intrinsic functions left
// unevaluated (goformation's typed parser drops SQS events with
// FunctionResponseTypes and ignores Globals), and resolves Ref, Fn::GetAtt and
// Fn::Sub through a Resolver the caller supplies.
package samtemplate

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/infra/samschema"
)

// Template is the part of a SAM template the local stack runs.
type Template struct {
	Parameters map[string]string
	Functions  []Function
	Tables     []Table
	Queues     []Queue
}

// Function is an AWS::Serverless::Function with Globals merged in.
type Function struct {
	LogicalID string
	Timeout   time.Duration
	MemoryMB  int
	// Env holds the environment variables, still unresolved.
	Env       map[string]any
	HTTP      []HTTPEvent
	SQS       []SQSEvent
	Schedules []ScheduleEvent
}

// HTTPEvent is an HttpApi event.
type HTTPEvent struct {
	Name, Method, Path string
}

// SQSEvent is an SQS event source mapping.
type SQSEvent struct {
	Name string
	// Queue is the logical id of the queue.
	Queue     string
	BatchSize int
	// ReportBatchItemFailures is set when FunctionResponseTypes lists it.
	ReportBatchItemFailures bool
	MaxBatchingWindow       time.Duration
}

// ScheduleEvent is a Schedule or ScheduleV2 event.
type ScheduleEvent struct {
	Name string
	// Expression is "rate(5 minutes)" or "cron(...)".
	Expression string
	Enabled    bool
}

// Every returns the interval of a rate expression.
func (s ScheduleEvent) Every() (time.Duration, error) {
	m := rateRE.FindStringSubmatch(s.Expression)
	if m == nil {
		return 0, fmt.Errorf("schedule %s: only rate(...) expressions run locally, not %q", s.Name, s.Expression)
	}
	n, _ := strconv.Atoi(m[1])
	unit := map[string]time.Duration{"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}[strings.TrimSuffix(m[2], "s")]
	return time.Duration(n) * unit, nil
}

var rateRE = regexp.MustCompile(`^rate\((\d+) (minutes?|hours?|days?)\)$`)

// Table is an AWS::DynamoDB::Table (or AWS::Serverless::SimpleTable is not
// supported).
type Table struct {
	LogicalID            string
	AttributeDefinitions []Attribute
	KeySchema            []Key
	GSIs                 []Index
	TTLAttribute         string
	StreamViewType       string
}

// Attribute is an attribute definition.
type Attribute struct {
	Name string `json:"AttributeName"`
	Type string `json:"AttributeType"`
}

// Key is one element of a key schema.
type Key struct {
	Name string `json:"AttributeName"`
	Type string `json:"KeyType"`
}

// Index is a global secondary index.
type Index struct {
	Name             string `json:"IndexName"`
	KeySchema        []Key
	ProjectionType   string
	NonKeyAttributes []string
}

// Queue is an AWS::SQS::Queue.
type Queue struct {
	LogicalID         string
	VisibilityTimeout int
	RetentionSeconds  int
	// DeadLetter is the logical id of the dead-letter queue, if any.
	DeadLetter      string
	MaxReceiveCount int
}

// Load reads and parses the template at path.
func Load(path string) (*Template, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(src)
}

type rawTemplate struct {
	Parameters map[string]struct {
		Default any
	}
	Globals struct {
		Function map[string]json.RawMessage
	}
	Resources map[string]struct {
		Type       string
		Properties map[string]json.RawMessage
	}
}

// Parse parses a SAM template in YAML.
func Parse(yamlSrc []byte) (*Template, error) {
	doc, err := samschema.TemplateJSON(yamlSrc)
	if err != nil {
		return nil, err
	}
	var raw rawTemplate
	if err := json.Unmarshal(doc, &raw); err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	t := &Template{Parameters: map[string]string{}}
	for name, p := range raw.Parameters {
		if p.Default != nil {
			t.Parameters[name] = fmt.Sprint(p.Default)
		}
	}
	ids := make([]string, 0, len(raw.Resources))
	for id := range raw.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r := raw.Resources[id]
		var err error
		switch r.Type {
		case "AWS::Serverless::Function":
			var f Function
			if f, err = parseFunction(id, raw.Globals.Function, r.Properties); err == nil {
				t.Functions = append(t.Functions, f)
			}
		case "AWS::DynamoDB::Table":
			var tb Table
			if tb, err = parseTable(id, r.Properties); err == nil {
				t.Tables = append(t.Tables, tb)
			}
		case "AWS::SQS::Queue":
			var q Queue
			if q, err = parseQueue(id, r.Properties); err == nil {
				t.Queues = append(t.Queues, q)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("template resource %s: %w", id, err)
		}
	}
	return t, nil
}

// Function returns the function with the logical id, or nil.
func (t *Template) Function(id string) *Function {
	for i := range t.Functions {
		if t.Functions[i].LogicalID == id {
			return &t.Functions[i]
		}
	}
	return nil
}

func parseFunction(id string, globals, props map[string]json.RawMessage) (Function, error) {
	f := Function{LogicalID: id, Timeout: 3 * time.Second, MemoryMB: 128, Env: map[string]any{}}
	for _, src := range []map[string]json.RawMessage{globals, props} {
		if v, ok := src["Timeout"]; ok {
			var s int
			if err := json.Unmarshal(v, &s); err != nil {
				return f, fmt.Errorf("Timeout: %w", err)
			}
			f.Timeout = time.Duration(s) * time.Second
		}
		if v, ok := src["MemorySize"]; ok {
			if err := json.Unmarshal(v, &f.MemoryMB); err != nil {
				return f, fmt.Errorf("MemorySize: %w", err)
			}
		}
		if v, ok := src["Environment"]; ok {
			var env struct{ Variables map[string]any }
			if err := json.Unmarshal(v, &env); err != nil {
				return f, fmt.Errorf("Environment: %w", err)
			}
			for k, val := range env.Variables {
				f.Env[k] = val
			}
		}
	}
	var events map[string]struct {
		Type       string
		Properties map[string]any
	}
	if v, ok := props["Events"]; ok {
		if err := json.Unmarshal(v, &events); err != nil {
			return f, fmt.Errorf("Events: %w", err)
		}
	}
	names := make([]string, 0, len(events))
	for n := range events {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		ev := events[name]
		p := ev.Properties
		switch ev.Type {
		case "HttpApi":
			method, _ := p["Method"].(string)
			path, _ := p["Path"].(string)
			if method == "" || path == "" {
				return f, fmt.Errorf("event %s: HttpApi needs Method and Path", name)
			}
			f.HTTP = append(f.HTTP, HTTPEvent{Name: name, Method: strings.ToUpper(method), Path: path})
		case "SQS":
			q, err := logicalRef(p["Queue"])
			if err != nil {
				return f, fmt.Errorf("event %s: Queue: %w", name, err)
			}
			e := SQSEvent{Name: name, Queue: q, BatchSize: 10}
			if n, ok := p["BatchSize"].(float64); ok {
				e.BatchSize = int(n)
			}
			if n, ok := p["MaximumBatchingWindowInSeconds"].(float64); ok {
				e.MaxBatchingWindow = time.Duration(n) * time.Second
			}
			if types, ok := p["FunctionResponseTypes"].([]any); ok {
				for _, t := range types {
					if t == "ReportBatchItemFailures" {
						e.ReportBatchItemFailures = true
					}
				}
			}
			f.SQS = append(f.SQS, e)
		case "Schedule", "ScheduleV2":
			expr, _ := p["Schedule"].(string)
			if expr == "" {
				expr, _ = p["ScheduleExpression"].(string)
			}
			enabled := true
			if b, ok := p["Enabled"].(bool); ok {
				enabled = b
			}
			if s, ok := p["State"].(string); ok {
				enabled = s == "ENABLED"
			}
			f.Schedules = append(f.Schedules, ScheduleEvent{Name: name, Expression: expr, Enabled: enabled})
		}
	}
	return f, nil
}

// logicalRef returns X from {"Fn::GetAtt": [X, "Arn"]}, {"Fn::GetAtt": "X.Arn"}
// or {"Ref": X}.
func logicalRef(v any) (string, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", fmt.Errorf("want !GetAtt <Queue>.Arn, got %v", v)
	}
	if r, ok := m["Ref"].(string); ok {
		return r, nil
	}
	switch g := m["Fn::GetAtt"].(type) {
	case []any:
		if len(g) == 2 {
			if s, ok := g[0].(string); ok {
				return s, nil
			}
		}
	case string:
		if id, _, ok := strings.Cut(g, "."); ok {
			return id, nil
		}
	}
	return "", fmt.Errorf("want !GetAtt <Queue>.Arn, got %v", v)
}

func parseTable(id string, props map[string]json.RawMessage) (Table, error) {
	t := Table{LogicalID: id}
	fields := []struct {
		name string
		dst  any
	}{
		{"AttributeDefinitions", &t.AttributeDefinitions},
		{"KeySchema", &t.KeySchema},
	}
	for _, fld := range fields {
		v, ok := props[fld.name]
		if !ok {
			return t, fmt.Errorf("%s is required", fld.name)
		}
		if err := json.Unmarshal(v, fld.dst); err != nil {
			return t, fmt.Errorf("%s: %w", fld.name, err)
		}
	}
	if v, ok := props["GlobalSecondaryIndexes"]; ok {
		var gsis []struct {
			IndexName  string
			KeySchema  []Key
			Projection struct {
				ProjectionType   string
				NonKeyAttributes []string
			}
		}
		if err := json.Unmarshal(v, &gsis); err != nil {
			return t, fmt.Errorf("GlobalSecondaryIndexes: %w", err)
		}
		for _, g := range gsis {
			t.GSIs = append(t.GSIs, Index{Name: g.IndexName, KeySchema: g.KeySchema, ProjectionType: g.Projection.ProjectionType, NonKeyAttributes: g.Projection.NonKeyAttributes})
		}
	}
	if v, ok := props["TimeToLiveSpecification"]; ok {
		var ttl struct {
			AttributeName string
			Enabled       bool
		}
		if err := json.Unmarshal(v, &ttl); err != nil {
			return t, fmt.Errorf("TimeToLiveSpecification: %w", err)
		}
		if ttl.Enabled {
			t.TTLAttribute = ttl.AttributeName
		}
	}
	if v, ok := props["StreamSpecification"]; ok {
		var s struct{ StreamViewType string }
		if err := json.Unmarshal(v, &s); err != nil {
			return t, fmt.Errorf("StreamSpecification: %w", err)
		}
		t.StreamViewType = s.StreamViewType
	}
	return t, nil
}

func parseQueue(id string, props map[string]json.RawMessage) (Queue, error) {
	q := Queue{LogicalID: id, VisibilityTimeout: 30, RetentionSeconds: 345600}
	if v, ok := props["FifoQueue"]; ok && string(v) == "true" {
		return q, fmt.Errorf("FIFO queues are not supported by the local SQS emulator")
	}
	if v, ok := props["VisibilityTimeout"]; ok {
		if err := json.Unmarshal(v, &q.VisibilityTimeout); err != nil {
			return q, fmt.Errorf("VisibilityTimeout: %w", err)
		}
	}
	if v, ok := props["MessageRetentionPeriod"]; ok {
		if err := json.Unmarshal(v, &q.RetentionSeconds); err != nil {
			return q, fmt.Errorf("MessageRetentionPeriod: %w", err)
		}
	}
	if v, ok := props["RedrivePolicy"]; ok {
		var rp struct {
			DeadLetterTargetArn any `json:"deadLetterTargetArn"`
			MaxReceiveCount     int `json:"maxReceiveCount"`
		}
		if err := json.Unmarshal(v, &rp); err != nil {
			return q, fmt.Errorf("RedrivePolicy: %w", err)
		}
		dlq, err := logicalRef(rp.DeadLetterTargetArn)
		if err != nil {
			return q, fmt.Errorf("RedrivePolicy.deadLetterTargetArn: %w", err)
		}
		q.DeadLetter, q.MaxReceiveCount = dlq, rp.MaxReceiveCount
	}
	return q, nil
}

// Resolver gives the local value of a resource's Ref or attribute.
type Resolver interface {
	// Ref returns the value of {"Ref": id}: a parameter's value, a pseudo
	// parameter (AWS::Region) or a resource's physical id.
	Ref(id string) (string, error)
	// GetAtt returns the value of {"Fn::GetAtt": [id, attr]}.
	GetAtt(id, attr string) (string, error)
}

var subRE = regexp.MustCompile(`\$\{([A-Za-z0-9:._]+)\}`)

// Resolve evaluates a value that is a string, number, bool or one of the
// intrinsic functions Ref, Fn::GetAtt and Fn::Sub (string form).
func Resolve(v any, r Resolver) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	case map[string]any:
		if len(x) != 1 {
			break
		}
		if id, ok := x["Ref"].(string); ok {
			return r.Ref(id)
		}
		if g, ok := x["Fn::GetAtt"]; ok {
			switch g := g.(type) {
			case []any:
				if len(g) == 2 {
					id, _ := g[0].(string)
					attr, _ := g[1].(string)
					return r.GetAtt(id, attr)
				}
			case string:
				if id, attr, ok := strings.Cut(g, "."); ok {
					return r.GetAtt(id, attr)
				}
			}
		}
		if s, ok := x["Fn::Sub"].(string); ok {
			var firstErr error
			out := subRE.ReplaceAllStringFunc(s, func(m string) string {
				name := m[2 : len(m)-1]
				var val string
				var err error
				if id, attr, ok := strings.Cut(name, "."); ok && !strings.HasPrefix(name, "AWS::") {
					val, err = r.GetAtt(id, attr)
				} else {
					val, err = r.Ref(name)
				}
				if err != nil && firstErr == nil {
					firstErr = err
				}
				return val
			})
			return out, firstErr
		}
	}
	return "", fmt.Errorf("cannot resolve %v locally", v)
}
