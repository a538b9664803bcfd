// Package samtemplate reads what the local stack needs from template.yaml:
// functions (with Globals merged) and their events, HTTP APIs and their JWT
// authorizers, DynamoDB tables and SQS queues. The template is the single source of truth; nothing here repeats it.
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
	"unicode"

	"github.com/csc-frontdoor/frontdoor/infra/samschema"
)

// Template is the part of a SAM template the local stack runs.
type Template struct {
	Parameters map[string]string
	Functions  []Function
	APIs       []HTTPAPI
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

// PagesFunction is the function that serves the web pages. Its routes
// answer HTML to browsers: they are not the JSON API's, so api/openapi.yaml
// does not describe them and they have no sample API events; the browser
// tests drive them.
const PagesFunction = "WebFunction"

// ServesPages reports whether the function is PagesFunction.
func (f Function) ServesPages() bool { return f.LogicalID == PagesFunction }

// Dir is the directory under functions/ that holds the function's main
// package, by the project's convention: the logical id without its
// "Function" suffix, in kebab case (SubmitReferralFunction is
// functions/submit-referral). The Makefile's build-<LogicalId> target, which
// `sam build` calls, builds that package; a test keeps the two in step.
func (f Function) Dir() string {
	name := strings.TrimSuffix(f.LogicalID, "Function")
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// HTTPEvent is an HttpApi event: one route.
type HTTPEvent struct {
	Name, Method, Path string
	// API is the logical id of the HttpApi (ApiId); empty for the implicit
	// API SAM creates for events without one.
	API string
	// Authorizer is the authorizer the route uses: its own Auth.Authorizer,
	// or else its API's DefaultAuthorizer; NoAuthorizer when the route is
	// open.
	Authorizer string
	// Scopes are the route's AuthorizationScopes (or else its authorizer's):
	// a token must hold at least one of them. Empty means any valid token.
	Scopes []string
}

// Key is the route key: "GET /referrals/{id}".
func (e HTTPEvent) Key() string { return e.Method + " " + e.Path }

// NoAuthorizer is the Authorizer of an open route.
const NoAuthorizer = "NONE"

// HTTPAPI is an AWS::Serverless::HttpApi.
type HTTPAPI struct {
	LogicalID string
	// DefaultAuthorizer applies to every route that names none; empty when
	// routes are open unless they name one.
	DefaultAuthorizer string
	// Authorizers are the API's JWT authorizers by name.
	Authorizers map[string]Authorizer
}

// Authorizer is a JWT (OAuth 2.0 / OpenID Connect) authorizer of an HttpApi.
type Authorizer struct {
	Name string
	// Header is the request header that carries the token, from an
	// IdentitySource of the form $request.header.<name>.
	Header string
	// Issuer and Audience are the JwtConfiguration, still unresolved (use
	// JWT to resolve them).
	Issuer   any
	Audience []any
	// Scopes are the authorizer's AuthorizationScopes, which apply to the
	// routes that name none of their own.
	Scopes []string
}

// JWT resolves the authorizer's issuer and audiences.
func (a Authorizer) JWT(r Resolver) (issuer string, audience []string, err error) {
	if issuer, err = Resolve(a.Issuer, r); err != nil {
		return "", nil, fmt.Errorf("authorizer %s issuer: %w", a.Name, err)
	}
	if issuer == "" {
		return "", nil, fmt.Errorf("authorizer %s: the issuer is empty", a.Name)
	}
	for _, v := range a.Audience {
		aud, err := Resolve(v, r)
		if err != nil {
			return "", nil, fmt.Errorf("authorizer %s audience: %w", a.Name, err)
		}
		if aud != "" {
			audience = append(audience, aud)
		}
	}
	if len(audience) == 0 {
		return "", nil, fmt.Errorf("authorizer %s: no audience", a.Name)
	}
	return issuer, audience, nil
}

// API returns the HttpApi with the logical id, or nil.
func (t *Template) API(id string) *HTTPAPI {
	for i := range t.APIs {
		if t.APIs[i].LogicalID == id {
			return &t.APIs[i]
		}
	}
	return nil
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
		HttpApi  map[string]json.RawMessage
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
		case "AWS::Serverless::HttpApi":
			var a HTTPAPI
			if a, err = parseHTTPAPI(id, raw.Globals.HttpApi, r.Properties); err == nil {
				t.APIs = append(t.APIs, a)
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
	if err := t.resolveRouteAuth(); err != nil {
		return nil, err
	}
	return t, nil
}

// resolveRouteAuth gives every route its effective authorizer and scopes,
// as SAM does: the event's own Auth, else its API's default authorizer, and
// the authorizer's scopes when the event names none.
func (t *Template) resolveRouteAuth() error {
	for i := range t.Functions {
		f := &t.Functions[i]
		for j := range f.HTTP {
			e := &f.HTTP[j]
			var api *HTTPAPI
			if e.API != "" {
				if api = t.API(e.API); api == nil {
					return fmt.Errorf("template resource %s: event %s: ApiId %s is not an AWS::Serverless::HttpApi in the template", f.LogicalID, e.Name, e.API)
				}
			}
			if e.Authorizer == "" && api != nil {
				e.Authorizer = api.DefaultAuthorizer
			}
			if e.Authorizer == "" {
				e.Authorizer = NoAuthorizer
			}
			if e.Authorizer == NoAuthorizer {
				if len(e.Scopes) > 0 {
					return fmt.Errorf("template resource %s: event %s: AuthorizationScopes on a route without an authorizer", f.LogicalID, e.Name)
				}
				continue
			}
			var a Authorizer
			ok := false
			if api != nil {
				a, ok = api.Authorizers[e.Authorizer]
			}
			if !ok {
				return fmt.Errorf("template resource %s: event %s: authorizer %s is not defined on its API", f.LogicalID, e.Name, e.Authorizer)
			}
			if len(e.Scopes) == 0 {
				e.Scopes = a.Scopes
			}
		}
	}
	return nil
}

func parseHTTPAPI(id string, globals, props map[string]json.RawMessage) (HTTPAPI, error) {
	a := HTTPAPI{LogicalID: id, Authorizers: map[string]Authorizer{}}
	src, ok := props["Auth"]
	if !ok {
		src, ok = globals["Auth"]
	}
	if !ok {
		return a, nil
	}
	var auth struct {
		DefaultAuthorizer string
		Authorizers       map[string]struct {
			IdentitySource      string
			AuthorizationScopes []string
			JwtConfiguration    map[string]any
		}
	}
	if err := json.Unmarshal(src, &auth); err != nil {
		return a, fmt.Errorf("Auth: %w", err)
	}
	for name, raw := range auth.Authorizers {
		if raw.JwtConfiguration == nil {
			return a, fmt.Errorf("Auth authorizer %s: only JWT authorizers (JwtConfiguration) run locally", name)
		}
		source := raw.IdentitySource
		if source == "" {
			source = "$request.header.Authorization"
		}
		header, ok := strings.CutPrefix(source, "$request.header.")
		if !ok || header == "" {
			return a, fmt.Errorf("Auth authorizer %s: IdentitySource %q: want $request.header.<name>", name, source)
		}
		z := Authorizer{Name: name, Header: header, Scopes: raw.AuthorizationScopes}
		for k, v := range raw.JwtConfiguration {
			switch strings.ToLower(k) {
			case "issuer":
				z.Issuer = v
			case "audience":
				list, ok := v.([]any)
				if !ok {
					return a, fmt.Errorf("Auth authorizer %s: JwtConfiguration audience must be a list", name)
				}
				z.Audience = list
			default:
				return a, fmt.Errorf("Auth authorizer %s: JwtConfiguration %s is not known", name, k)
			}
		}
		if z.Issuer == nil || len(z.Audience) == 0 {
			return a, fmt.Errorf("Auth authorizer %s: JwtConfiguration needs issuer and audience", name)
		}
		a.Authorizers[name] = z
	}
	if d := auth.DefaultAuthorizer; d != "" && d != NoAuthorizer {
		if _, ok := a.Authorizers[d]; !ok {
			return a, fmt.Errorf("Auth DefaultAuthorizer %s is not one of the Authorizers", d)
		}
		a.DefaultAuthorizer = d
	}
	return a, nil
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
			e := HTTPEvent{Name: name, Method: strings.ToUpper(method), Path: path}
			if id, ok := p["ApiId"]; ok {
				api, err := logicalRef(id)
				if err != nil {
					return f, fmt.Errorf("event %s: ApiId: %w", name, err)
				}
				e.API = api
			}
			if auth, ok := p["Auth"]; ok {
				if err := parseRouteAuth(auth, &e); err != nil {
					return f, fmt.Errorf("event %s: %w", name, err)
				}
			}
			f.HTTP = append(f.HTTP, e)
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

// parseRouteAuth reads an HttpApi event's Auth: Authorizer and
// AuthorizationScopes.
func parseRouteAuth(v any, e *HTTPEvent) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("Auth: want a map, got %v", v)
	}
	for k, val := range m {
		switch k {
		case "Authorizer":
			s, ok := val.(string)
			if !ok || s == "" {
				return fmt.Errorf("Auth.Authorizer: want a name or NONE, got %v", val)
			}
			e.Authorizer = s
		case "AuthorizationScopes":
			list, ok := val.([]any)
			if !ok {
				return fmt.Errorf("Auth.AuthorizationScopes: want a list, got %v", val)
			}
			for _, sc := range list {
				s, ok := sc.(string)
				if !ok || s == "" {
					return fmt.Errorf("Auth.AuthorizationScopes: want names, got %v", sc)
				}
				e.Scopes = append(e.Scopes, s)
			}
		default:
			return fmt.Errorf("Auth.%s is not supported locally", k)
		}
	}
	return nil
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
