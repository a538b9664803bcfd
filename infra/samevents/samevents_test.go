package samevents

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/aws/aws-lambda-go/events"
	"gopkg.in/yaml.v3"

	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
	"github.com/csc-frontdoor/frontdoor/infra/sqslocal"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

var update = flag.Bool("update", false, "write the generated files (events/api, env.json) instead of comparing them")

const root = "../.."

const regenerate = "run `go run ./infra/samevents/cmd/gen` (or `go test ./infra/samevents -update`) and commit the result"

func loadTemplate(t *testing.T) *samtemplate.Template {
	t.Helper()
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func loadOpenAPI(t *testing.T) *OpenAPI {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, "api", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ParseOpenAPI(src)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func loadRoutes(t *testing.T) map[string]Route {
	t.Helper()
	routes, err := Routes(loadTemplate(t))
	if err != nil {
		t.Fatal(err)
	}
	return routes
}

// eventFiles are the committed events.
func eventFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(Dir), "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no events in %s: %s", Dir, regenerate)
	}
	return files
}

func TestGeneratedFilesAreCommitted(t *testing.T) {
	files, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := files.Write(root); err != nil {
			t.Fatal(err)
		}
	}
	diff, err := files.Diff(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diff {
		t.Errorf("%s: %s", d, regenerate)
	}
	if _, ok := files[EnvFile]; !ok {
		t.Errorf("the generator makes no %s", EnvFile)
	}
}

// strictEvent decodes an event file as the Lambda events type, refusing
// unknown members and anything after the object.
func strictEvent(b []byte) (events.APIGatewayV2HTTPRequest, error) {
	var ev events.APIGatewayV2HTTPRequest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		return ev, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return ev, errTrailing
	}
	return ev, nil
}

var errTrailing = errors.New("data after the event's object")

func TestEveryRouteHasAnEvent(t *testing.T) {
	routes := loadRoutes(t)
	seen := map[string]int{}
	for _, f := range eventFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := strictEvent(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		seen[ev.RouteKey]++
	}
	if len(routes) < 16 {
		t.Errorf("template.yaml has %d routes; it had 16 when this test was written", len(routes))
	}
	for key, rt := range routes {
		if seen[key] == 0 {
			t.Errorf("route %q (%s) has no event in %s", key, rt.Function, Dir)
		}
	}
}

func TestEventsDecodeStrictly(t *testing.T) {
	routes := loadRoutes(t)
	doc := loadOpenAPI(t)
	placeholder := regexp.MustCompile(`\{\{[A-Za-z]+\}\}`)
	for _, f := range eventFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ev, err := strictEvent(b)
			if err != nil {
				t.Fatalf("does not decode strictly as events.APIGatewayV2HTTPRequest: %v", err)
			}
			c, ok := CaseFor(f)
			if !ok {
				t.Fatalf("no case makes it: %s", regenerate)
			}
			rt, ok := routes[ev.RouteKey]
			if !ok {
				t.Fatalf("routeKey %q is not a route of template.yaml", ev.RouteKey)
			}
			if ev.RouteKey != c.Route {
				t.Errorf("routeKey %q, but the case is for %q", ev.RouteKey, c.Route)
			}
			if rt.Function != c.Function {
				t.Errorf("%s is served by %s; the event is listed for %s", ev.RouteKey, rt.Function, c.Function)
			}
			rc := ev.RequestContext
			if ev.Version != "2.0" || rc.RouteKey != ev.RouteKey || rc.Stage != Stage || ev.IsBase64Encoded {
				t.Errorf("version %q, requestContext.routeKey %q, stage %q, isBase64Encoded %v: want 2.0, %q, %q, false",
					ev.Version, rc.RouteKey, rc.Stage, ev.IsBase64Encoded, ev.RouteKey, Stage)
			}
			if rc.HTTP.Method != rt.Method || rc.HTTP.Path != ev.RawPath || rc.HTTP.SourceIP == "" {
				t.Errorf("requestContext.http %+v: want method %s, path %q (rawPath) and a sourceIp", rc.HTTP, rt.Method, ev.RawPath)
			}
			if rc.RequestID == "" || rc.AccountID == "" || rc.APIID == "" || rc.DomainName == "" || rc.Time == "" || rc.TimeEpoch == 0 {
				t.Errorf("requestContext lacks an id, account, API, domain or time: %+v", rc)
			}

			// The path is the route's with each parameter's value.
			p := rt.Path
			for name, v := range ev.PathParameters {
				if !strings.Contains(p, "{"+name+"}") {
					t.Errorf("path parameter %q is not in %s", name, rt.Path)
				}
				p = strings.ReplaceAll(p, "{"+name+"}", v)
			}
			if p != ev.RawPath {
				t.Errorf("rawPath %q; the route with pathParameters %v is %q", ev.RawPath, ev.PathParameters, p)
			}
			for _, v := range ev.PathParameters {
				if !placeholder.MatchString(v) {
					t.Errorf("path parameter %q is not a placeholder", v)
				}
			}
			q := url.Values{}
			for k, v := range ev.QueryStringParameters {
				q.Set(k, v)
			}
			if q.Encode() != ev.RawQueryString {
				t.Errorf("rawQueryString %q, queryStringParameters %v", ev.RawQueryString, ev.QueryStringParameters)
			}

			// Headers: lower-case, and those the route takes.
			for k := range ev.Headers {
				if k != strings.ToLower(k) {
					t.Errorf("header %q is not lower-case", k)
				}
			}
			op, err := doc.Operation(ev.RouteKey)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range op.Headers {
				if ev.Headers[strings.ToLower(h)] == "" {
					t.Errorf("no %s header, which %s takes", strings.ToLower(h), ev.RouteKey)
				}
			}
			if strings.HasPrefix(rt.Path, "/referrer/") && ev.Headers["receipt-token"] != ReceiptToken {
				t.Errorf("receipt-token %q on a referrer route, want %s", ev.Headers["receipt-token"], ReceiptToken)
			}

			// The body is the sample, as it is.
			want := c.InlineBody
			if c.Body != "" {
				sample, err := os.ReadFile(filepath.Join(root, BodiesDir, filepath.FromSlash(c.Body)))
				if err != nil {
					t.Fatal(err)
				}
				want = string(sample)
			}
			if ev.Body != want {
				t.Errorf("body is not the sample %s as it is", c.Body)
			}
			if op.Body != (ev.Body != "") {
				t.Errorf("body given %v; the route takes one: %v", ev.Body != "", op.Body)
			}
			if ev.Body != "" && (ev.Headers["content-type"] != "application/json" || !json.Valid([]byte(ev.Body))) {
				t.Errorf("content-type %q with a body that is JSON: %v", ev.Headers["content-type"], json.Valid([]byte(ev.Body)))
			}

			// Staff routes carry the authorizer's claims; open routes none.
			a := rc.Authorizer
			if rt.Open() {
				if a != nil {
					t.Errorf("an open route's event carries an authorizer: %+v", a)
				}
				return
			}
			if a == nil || a.JWT == nil {
				t.Fatalf("a staff route's event carries no JWT authorizer claims")
			}
			claims := a.JWT.Claims
			scope := strings.Fields(claims["scope"])
			if claims["sub"] == "" || len(scope) == 0 {
				t.Fatalf("claims %v: want sub and scope", claims)
			}
			for _, s := range scope {
				if !slices.Contains(rt.Scopes, s) {
					t.Errorf("scope %q is not one of the route's AuthorizationScopes %v", s, rt.Scopes)
				}
				if !auth.Role(s).Valid() {
					t.Errorf("scope %q is not a role", s)
				}
			}
			if !slices.Equal(a.JWT.Scopes, scope) {
				t.Errorf("jwt.scopes %v, scope claim %q", a.JWT.Scopes, claims["scope"])
			}
			p2, err := auth.FromClaims(claims)
			if err != nil || !p2.Has(auth.Role(scope[0])) {
				t.Errorf("the functions read the claims as %+v, %v", p2, err)
			}
		})
	}
}

// nonHTTPDirs hold events of functions that are not behind the HTTP API
// (SQS batches, the schedule) and the generated events themselves.
var nonHTTPDirs = []string{"api", "follow-up", "sweep", "triage"}

func TestEveryBodySampleHasAnEvent(t *testing.T) {
	used := map[string]bool{}
	dirs := map[string]bool{}
	for _, c := range Cases {
		if c.Body != "" {
			used[c.Body] = true
			dirs[path.Dir(c.Body)] = true
		}
	}
	entries, err := os.ReadDir(filepath.Join(root, BodiesDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if !dirs[e.Name()] && !slices.Contains(nonHTTPDirs, e.Name()) {
			t.Errorf("events/%s is neither a directory of HTTP bodies that a case uses nor one of %v: add cases for its samples", e.Name(), nonHTTPDirs)
		}
	}
	for dir := range dirs {
		samples, err := filepath.Glob(filepath.Join(root, BodiesDir, dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range samples {
			rel := dir + "/" + filepath.Base(s)
			if !used[rel] {
				t.Errorf("events/%s has no event: add a Case for it to samevents.Cases, then %s", rel, regenerate)
			}
		}
	}
}

// tinyTemplate has one open route and one staff route.
const tinyTemplate = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt:
            IdentitySource: "$request.header.Authorization"
            JwtConfiguration: {issuer: "https://issuer.example", audience: [aud]}
  OpenFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: bootstrap
      Runtime: provided.al2023
      Events:
        Post:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Method: POST, Path: /things, Auth: {Authorizer: NONE}}
  StaffFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: bootstrap
      Runtime: provided.al2023
      Events:
        Get:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Method: GET, Path: "/referrals/{id}", Auth: {Authorizer: Jwt, AuthorizationScopes: [mash]}}
`

const tinyAPI = `
paths:
  /things:
    post:
      parameters:
        - $ref: "#/components/parameters/IdempotencyKey"
      requestBody: {required: true}
  /referrals/{id}:
    get:
      parameters:
        - {name: id, in: path}
        - {name: limit, in: query}
components:
  parameters:
    IdempotencyKey: {name: Idempotency-Key, in: header}
`

func TestGenerateEvents(t *testing.T) {
	tpl, err := samtemplate.Parse([]byte(tinyTemplate))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ParseOpenAPI([]byte(tinyAPI))
	if err != nil {
		t.Fatal(err)
	}
	bodies := fstest.MapFS{"things/a.json": {Data: []byte(`{"a": 1}` + "\n")}, "things/bad.json": {Data: []byte(`{`)}}
	post := Case{Function: "OpenFunction", Route: "POST /things", Body: "things/a.json", Want: http.StatusCreated}
	get := Case{Function: "StaffFunction", Route: "GET /referrals/{id}", Want: http.StatusOK}
	with := func(c Case, edit func(*Case)) Case { edit(&c); return c }
	tests := []struct {
		name  string
		cases []Case
		// err is part of the error wanted; empty when the cases are good.
		err string
	}{
		{"both routes", []Case{post, get}, ""},
		{"a route without a case", []Case{post}, `route "GET /referrals/{id}" (StaffFunction) has no sample event`},
		{"a route not in the template", []Case{post, get, with(get, func(c *Case) { c.Route = "GET /nothing" })}, `template.yaml has no route "GET /nothing"`},
		{"the wrong function", []Case{post, with(get, func(c *Case) { c.Function = "OpenFunction" })}, "is served by StaffFunction, not OpenFunction"},
		{"a role the route does not admit", []Case{post, with(get, func(c *Case) { c.Role = auth.Police })}, "admits mash, not police"},
		{"a role on an open route", []Case{get, with(post, func(c *Case) { c.Role = auth.MASH })}, "is open: it takes no role"},
		{"a query parameter the route does not take", []Case{post, with(get, func(c *Case) { c.Query = map[string]string{"page": "2"} })}, `no query parameter "page"`},
		{"a body on a GET", []Case{post, with(get, func(c *Case) { c.InlineBody = "{}" })}, "takes no body"},
		{"no body on a POST", []Case{get, with(post, func(c *Case) { c.Body = "" })}, "takes a body"},
		{"a body that is not JSON", []Case{get, with(post, func(c *Case) { c.Body = "things/bad.json" })}, "is not JSON"},
		{"a body sample that is not there", []Case{get, with(post, func(c *Case) { c.Body = "things/none.json" })}, "things/none.json"},
		{"two cases, one file", []Case{post, get, get}, "two cases make"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := GenerateEvents(tpl, doc, bodies, tt.cases)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tt.cases {
				ev, err := strictEvent(files[c.File()])
				if err != nil {
					t.Fatalf("%s: %v", c.File(), err)
				}
				if c.Route == get.Route {
					if ev.PathParameters["id"] != ReferralID || ev.RawPath != "/referrals/"+ReferralID ||
						ev.RequestContext.Authorizer == nil || ev.RequestContext.Authorizer.JWT.Claims["scope"] != "mash" ||
						ev.RequestContext.Authorizer.JWT.Claims["aud"] != "frontdoor-api" {
						t.Errorf("staff event %+v", ev)
					}
				} else if ev.RequestContext.Authorizer != nil || ev.Headers["idempotency-key"] == "" || ev.Body != "{\"a\": 1}\n" ||
					ev.Headers["content-length"] != "9" {
					t.Errorf("open event %+v", ev)
				}
			}
			if _, ok := files[Dir+"/README.md"]; !ok {
				t.Error("no README")
			}
		})
	}
}

func TestEnvJSON(t *testing.T) {
	tpl := loadTemplate(t)
	b, err := os.ReadFile(filepath.Join(root, EnvFile))
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]map[string]string
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		t.Fatalf("%s: %v", EnvFile, err)
	}
	declared := func(f *samtemplate.Function, name string) bool { _, ok := f.Env[name]; return ok }
	for key, vars := range env {
		if key == ParametersKey {
			for name := range vars {
				if _, ok := EndpointVars[name]; ok {
					continue
				}
				if !slices.ContainsFunc(tpl.Functions, func(f samtemplate.Function) bool { return declared(&f, name) }) {
					t.Errorf("%s.%s: no function in template.yaml declares %s", key, name, name)
				}
			}
			continue
		}
		f := tpl.Function(key)
		if f == nil {
			t.Errorf("%s: %q is not a function's logical id in template.yaml", EnvFile, key)
			continue
		}
		for name := range vars {
			if !declared(f, name) {
				t.Errorf("%s.%s: template.yaml does not declare %s for %s, so sam local would ignore it", key, name, name, key)
			}
		}
	}

	// Every function gets a value for every variable it declares.
	value := func(function, name string) (string, bool) {
		if v, ok := env[function][name]; ok {
			return v, true
		}
		v, ok := env[ParametersKey][name]
		return v, ok
	}
	for _, f := range tpl.Functions {
		for name := range f.Env {
			if _, ok := value(f.LogicalID, name); !ok {
				t.Errorf("%s declares %s, which %s does not set", f.LogicalID, name, EnvFile)
			}
		}
	}

	// The values are what `make run` creates, as a container reaches them.
	// The table's name is "<stack name>-<logical id>" (infra/stack's
	// TableName) with the stack name `make run` gives; neither is exported,
	// so the known strings are written here and TestLocalValuesMatchTheRunner
	// finds them in the runner's source.
	want := map[string]string{
		"TABLE_NAME":                "frontdoor-local-FrontDoorTable",
		"TRIAGE_QUEUE_URL":          sqslocal.QueueURL("http://host.docker.internal:9324", "TriageQueue"),
		"FOLLOWUP_QUEUE_URL":        sqslocal.QueueURL("http://host.docker.internal:9324", "FollowUpQueue"),
		"AWS_ENDPOINT_URL_DYNAMODB": "http://host.docker.internal:8000",
		"AWS_ENDPOINT_URL_SQS":      "http://host.docker.internal:9324",
		"LOG_LEVEL":                 "INFO",
	}
	for _, f := range tpl.Functions {
		for name, w := range want {
			if v, _ := value(f.LogicalID, name); v != w {
				t.Errorf("%s gets %s=%q, want %q", f.LogicalID, name, v, w)
			}
		}
	}
	for function, vars := range map[string]map[string]string{
		"SweepFunction": {
			"TRIAGE_DLQ_URL":   sqslocal.QueueURL("http://host.docker.internal:9324", "TriageDeadLetterQueue"),
			"FOLLOWUP_DLQ_URL": sqslocal.QueueURL("http://host.docker.internal:9324", "FollowUpDeadLetterQueue"),
		},
		"TriageFunction": {"CHILD_MATCH_KEY": "local-only-child-match-key-not-for-production"},
	} {
		for name, w := range vars {
			if v, _ := value(function, name); v != w {
				t.Errorf("%s gets %s=%q, want %q", function, name, v, w)
			}
		}
	}
}

// TestLocalValuesMatchTheRunner finds the values env.json assumes (ports,
// stack name, child-matching key) in the source of `make run`, which does
// not export them.
func TestLocalValuesMatchTheRunner(t *testing.T) {
	sources := map[string][]*regexp.Regexp{
		"infra/cmd/local/main.go": {
			regexp.MustCompile(`port\("FRONTDOOR_DDB_PORT", ` + regexp.QuoteMeta(strconv.Itoa(DynamoDBPort)) + `\)`),
			regexp.MustCompile(`port\("FRONTDOOR_SQS_PORT", ` + regexp.QuoteMeta(strconv.Itoa(SQSPort)) + `\)`),
			regexp.MustCompile(`StackName:\s+"` + regexp.QuoteMeta(LocalStackName) + `"`),
			regexp.MustCompile(`envOr\("FRONTDOOR_CHILD_MATCH_KEY", "` + regexp.QuoteMeta(LocalChildMatchKey) + `"\)`),
		},
		"infra/stack/stack.go": {
			regexp.MustCompile(`func \(s \*Stack\) TableName\(logicalID string\) string \{ return s\.cfg\.StackName \+ "-" \+ logicalID \}`),
		},
	}
	for file, res := range sources {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range res {
			if !re.Match(src) {
				t.Errorf("%s no longer has %s: check that env.json (samevents' constants) still matches what `make run` creates", file, re)
			}
		}
	}
}

// samconfig reads samconfig.toml's flat tables: key = value by
// "[table]" name, strings unquoted (the file uses nothing else of TOML).
func samconfig(t *testing.T) map[string]map[string]string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, "samconfig.toml"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{"": {}}
	table := ""
	for i, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			table = strings.Trim(line, "[]")
			if _, dup := out[table]; dup {
				t.Fatalf("samconfig.toml:%d: table %s twice", i+1, table)
			}
			out[table] = map[string]string{}
		default:
			k, v, ok := strings.Cut(line, " = ")
			if !ok {
				t.Fatalf("samconfig.toml:%d: %q is not key = value", i+1, line)
			}
			if strings.HasPrefix(v, `"`) {
				if err := json.Unmarshal([]byte(v), &v); err != nil {
					t.Fatalf("samconfig.toml:%d: %v", i+1, err)
				}
			}
			out[table][k] = v
		}
	}
	return out
}

func TestSamconfig(t *testing.T) {
	cfg := samconfig(t)
	for _, want := range []struct{ table, key, value string }{
		{"", "version", "0.1"},
		{"default.global.parameters", "stack_name", "frontdoor"},
		{"default.deploy.parameters", "region", "eu-west-2"},
		{"default.deploy.parameters", "capabilities", "CAPABILITY_IAM"},
		{"default.deploy.parameters", "confirm_changeset", "true"},
		{"default.deploy.parameters", "resolve_s3", "true"},
		{"default.local_invoke.parameters", "env_vars", EnvFile},
		{"default.local_start_api.parameters", "env_vars", EnvFile},
	} {
		if got := cfg[want.table][want.key]; got != want.value {
			t.Errorf("[%s] %s = %q, want %q", want.table, want.key, got, want.value)
		}
	}

	// parameter_overrides sets only parameters the template declares, not
	// secret (NoEcho), to their defaults.
	src, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Parameters map[string]struct {
			Default any  `yaml:"Default"`
			NoEcho  bool `yaml:"NoEcho"`
		} `yaml:"Parameters"`
	}
	if err := yaml.Unmarshal(src, &tpl); err != nil {
		t.Fatal(err)
	}
	overrides := cfg["default.deploy.parameters"]["parameter_overrides"]
	pairs := regexp.MustCompile(`(\w+)="([^"]*)"`).FindAllStringSubmatch(overrides, -1)
	whole := make([]string, len(pairs))
	for i, p := range pairs {
		whole[i] = p[0]
	}
	if len(pairs) == 0 || strings.Join(whole, " ") != overrides {
		t.Fatalf("parameter_overrides %q: want Name=\"value\" pairs separated by spaces", overrides)
	}
	for _, p := range pairs {
		name, value := p[1], p[2]
		def, ok := tpl.Parameters[name]
		switch {
		case !ok:
			t.Errorf("parameter_overrides sets %s, which template.yaml does not declare", name)
		case def.NoEcho:
			t.Errorf("parameter_overrides sets %s, a secret (NoEcho): never write it in samconfig.toml", name)
		case def.Default == nil:
			t.Errorf("parameter_overrides sets %s, which has no default: it is each deployment's own", name)
		case fmt.Sprint(def.Default) != value:
			t.Errorf("parameter_overrides sets %s=%q; the template's default is %q", name, value, fmt.Sprint(def.Default))
		}
	}
}

func TestReadmeListsThePlaceholders(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, BodiesDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range Placeholders {
		row := "| `" + p.Token + "` | " + p.Means + " |"
		if !strings.Contains(string(src), row) {
			t.Errorf("events/README.md has no row %q", row)
		}
	}
}
