package samtemplate

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/intake"
)

const sample = `
Transform: AWS::Serverless-2016-10-31
Parameters:
  LogLevel:
    Type: String
    Default: INFO
Globals:
  Function:
    Timeout: 10
    MemorySize: 256
    Environment:
      Variables:
        TABLE_NAME: !Ref Table
        LOG_LEVEL: !Ref LogLevel
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
  Submit:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Post:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Method: post, Path: /referrals}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 30
      Environment:
        Variables:
          QUEUE_URL: !Ref Work
          QUEUE_ARN: !GetAtt Work.Arn
          DESCRIPTION: !Sub "${AWS::Region}/${Work.QueueName}"
      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Work.Arn
            BatchSize: 5
            FunctionResponseTypes: [ReportBatchItemFailures]
        Sweep:
          Type: Schedule
          Properties: {Schedule: rate(5 minutes)}
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: g, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      GlobalSecondaryIndexes:
        - IndexName: ByG
          KeySchema: [{AttributeName: g, KeyType: HASH}]
          Projection: {ProjectionType: KEYS_ONLY}
      TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: true}
  Work:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 180
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt WorkDLQ.Arn
        maxReceiveCount: 5
  WorkDLQ:
    Type: AWS::SQS::Queue
`

type fakeResolver map[string]string

func (f fakeResolver) Ref(id string) (string, error) {
	if v, ok := f[id]; ok {
		return v, nil
	}
	return "", fmt.Errorf("no %s", id)
}

func (f fakeResolver) GetAtt(id, attr string) (string, error) { return f.Ref(id + "." + attr) }

func TestParse(t *testing.T) {
	tpl, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Functions) != 2 || len(tpl.Tables) != 1 || len(tpl.Queues) != 2 {
		t.Fatalf("functions %d, tables %d, queues %d", len(tpl.Functions), len(tpl.Tables), len(tpl.Queues))
	}
	sub := tpl.Function("Submit")
	if sub.Timeout != 10*time.Second || sub.MemoryMB != 256 || len(sub.HTTP) != 1 || sub.HTTP[0].Method != "POST" || sub.HTTP[0].Path != "/referrals" {
		t.Errorf("Submit = %+v", sub)
	}
	w := tpl.Function("Worker")
	if w.Timeout != 30*time.Second {
		t.Errorf("Worker timeout %s: the function's own Timeout must override Globals", w.Timeout)
	}
	if len(w.SQS) != 1 || w.SQS[0].Queue != "Work" || w.SQS[0].BatchSize != 5 || !w.SQS[0].ReportBatchItemFailures {
		t.Errorf("Worker SQS = %+v", w.SQS)
	}
	if len(w.Schedules) != 1 || !w.Schedules[0].Enabled {
		t.Fatalf("Worker schedules = %+v", w.Schedules)
	}
	if every, err := w.Schedules[0].Every(); err != nil || every != 5*time.Minute {
		t.Errorf("Every() = %s, %v", every, err)
	}
	r := fakeResolver{"Table": "stack-Table", "LogLevel": "DEBUG", "Work": "http://q/Work", "Work.Arn": "arn:q", "Work.QueueName": "Work", "AWS::Region": "eu-west-2"}
	want := map[string]string{"TABLE_NAME": "stack-Table", "LOG_LEVEL": "DEBUG", "QUEUE_URL": "http://q/Work", "QUEUE_ARN": "arn:q", "DESCRIPTION": "eu-west-2/Work"}
	for k, v := range want {
		got, err := Resolve(w.Env[k], r)
		if err != nil || got != v {
			t.Errorf("%s = %q, %v; want %q", k, got, err, v)
		}
	}
	if tpl.Parameters["LogLevel"] != "INFO" {
		t.Errorf("parameters %v", tpl.Parameters)
	}
	tb := tpl.Tables[0]
	if tb.TTLAttribute != "expiresAt" || len(tb.GSIs) != 1 || tb.GSIs[0].ProjectionType != "KEYS_ONLY" || len(tb.AttributeDefinitions) != 2 {
		t.Errorf("table %+v", tb)
	}
	var work Queue
	for _, q := range tpl.Queues {
		if q.LogicalID == "Work" {
			work = q
		}
	}
	if work.DeadLetter != "WorkDLQ" || work.MaxReceiveCount != 5 || work.VisibilityTimeout != 180 {
		t.Errorf("queue %+v", work)
	}
}

func TestScheduleExpressions(t *testing.T) {
	tests := []struct {
		expr string
		want time.Duration
		ok   bool
	}{
		{"rate(1 minute)", time.Minute, true},
		{"rate(5 minutes)", 5 * time.Minute, true},
		{"rate(2 hours)", 2 * time.Hour, true},
		{"rate(1 day)", 24 * time.Hour, true},
		{"cron(0 9 * * ? *)", 0, false},
		{"rate(five minutes)", 0, false},
	}
	for _, tt := range tests {
		got, err := ScheduleEvent{Name: "S", Expression: tt.expr}.Every()
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%s: %s, %v", tt.expr, got, err)
		}
	}
}

func TestResolveRejectsUnknownIntrinsics(t *testing.T) {
	for _, v := range []any{
		map[string]any{"Fn::Join": []any{",", []any{"a"}}},
		map[string]any{"Ref": "Missing"},
		nil,
	} {
		if _, err := Resolve(v, fakeResolver{}); err == nil {
			t.Errorf("Resolve(%v) succeeded", v)
		}
	}
}

func TestProjectTemplate(t *testing.T) {
	tpl, err := Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Functions) == 0 || len(tpl.Tables) != 1 || len(tpl.Queues) == 0 {
		t.Fatalf("template.yaml: %d functions, %d tables, %d queues", len(tpl.Functions), len(tpl.Tables), len(tpl.Queues))
	}
	for _, f := range tpl.Functions {
		if len(f.HTTP)+len(f.SQS)+len(f.Schedules) == 0 {
			t.Errorf("%s has no event: nothing would ever run it", f.LogicalID)
		}
	}
}

const authSample = `
Transform: AWS::Serverless-2016-10-31
Parameters:
  AuthIssuer:
    Type: String
  AuthAudience:
    Type: String
    Default: frontdoor-api
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt:
            IdentitySource: "$request.header.Authorization"
            JwtConfiguration:
              issuer: !Ref AuthIssuer
              audience: [!Ref AuthAudience, other-app]
          Scoped:
            AuthorizationScopes: [admin]
            JwtConfiguration: {issuer: "https://idp.example", audience: [x]}
  Open:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Submit:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Method: POST, Path: /referrals, Auth: {Authorizer: NONE}}
  Staff:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Method: GET
            Path: /referrals/{id}
            Auth:
              Authorizer: Jwt
              AuthorizationScopes: [mash, mash-manager]
        Default:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Method: GET, Path: /default}
        AuthorizerScopes:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Method: GET, Path: /admin, Auth: {Authorizer: Scoped}}
        Implicit:
          Type: HttpApi
          Properties: {Method: GET, Path: /implicit}
`

func TestParseAuth(t *testing.T) {
	tpl, err := Parse([]byte(authSample))
	if err != nil {
		t.Fatal(err)
	}
	api := tpl.API("Api")
	if api == nil || api.DefaultAuthorizer != "Jwt" || len(api.Authorizers) != 2 {
		t.Fatalf("API %+v", api)
	}
	jwt := api.Authorizers["Jwt"]
	if jwt.Header != "Authorization" || api.Authorizers["Scoped"].Header != "Authorization" {
		t.Errorf("authorizer headers %q %q", jwt.Header, api.Authorizers["Scoped"].Header)
	}
	iss, aud, err := jwt.JWT(fakeResolver{"AuthIssuer": "http://127.0.0.1:3000/local-issuer", "AuthAudience": "frontdoor-api"})
	if err != nil || iss != "http://127.0.0.1:3000/local-issuer" || strings.Join(aud, ",") != "frontdoor-api,other-app" {
		t.Errorf("JWT() = %q %v %v", iss, aud, err)
	}
	if _, _, err := jwt.JWT(fakeResolver{"AuthAudience": "a"}); err == nil {
		t.Error("JWT() resolved an issuer parameter that has no value")
	}
	routes := map[string]HTTPEvent{}
	for _, f := range tpl.Functions {
		for _, e := range f.HTTP {
			routes[e.Key()] = e
		}
	}
	tests := []struct {
		key, api, authorizer, scopes string
	}{
		{"POST /referrals", "Api", NoAuthorizer, ""},
		{"GET /referrals/{id}", "Api", "Jwt", "mash,mash-manager"},
		{"GET /default", "Api", "Jwt", ""},
		{"GET /admin", "Api", "Scoped", "admin"},
		{"GET /implicit", "", NoAuthorizer, ""},
	}
	for _, tt := range tests {
		e, ok := routes[tt.key]
		if !ok {
			t.Errorf("no route %s", tt.key)
			continue
		}
		if e.API != tt.api || e.Authorizer != tt.authorizer || strings.Join(e.Scopes, ",") != tt.scopes {
			t.Errorf("%s: api %q authorizer %q scopes %v; want %q %q %q", tt.key, e.API, e.Authorizer, e.Scopes, tt.api, tt.authorizer, tt.scopes)
		}
	}
}

func TestParseAuthRefuses(t *testing.T) {
	api := func(auth string) string {
		return "Resources:\n  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      Auth:\n" + auth
	}
	fn := func(event string) string {
		return "\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        E:\n          Type: HttpApi\n          Properties: " + event + "\n"
	}
	good := "        Authorizers:\n          Jwt:\n            JwtConfiguration: {issuer: https://i, audience: [a]}\n"
	tests := map[string]string{
		"default authorizer not defined": api("        DefaultAuthorizer: Missing\n" + good),
		"no issuer":                      api("        Authorizers:\n          Jwt:\n            JwtConfiguration: {audience: [a]}\n"),
		"no audience":                    api("        Authorizers:\n          Jwt:\n            JwtConfiguration: {issuer: https://i}\n"),
		"audience not a list":            api("        Authorizers:\n          Jwt:\n            JwtConfiguration: {issuer: https://i, audience: a}\n"),
		"not a JWT authorizer":           api("        Authorizers:\n          Lambda:\n            FunctionArn: arn:x\n"),
		"identity source not a header":   api("        Authorizers:\n          Jwt:\n            IdentitySource: $request.querystring.token\n            JwtConfiguration: {issuer: https://i, audience: [a]}\n"),
		"route names unknown authorizer": api(good) + fn("{ApiId: !Ref Api, Method: GET, Path: /x, Auth: {Authorizer: Other}}"),
		"scopes on an open route":        api(good) + fn("{ApiId: !Ref Api, Method: GET, Path: /x, Auth: {Authorizer: NONE, AuthorizationScopes: [a]}}"),
		"unknown route auth key":         api(good) + fn("{ApiId: !Ref Api, Method: GET, Path: /x, Auth: {Authoriser: Jwt}}"),
		"scopes not a list":              api(good) + fn("{ApiId: !Ref Api, Method: GET, Path: /x, Auth: {Authorizer: Jwt, AuthorizationScopes: a}}"),
		"ApiId not an HttpApi":           api(good) + fn("{ApiId: !Ref Nothing, Method: GET, Path: /x}"),
	}
	for name, src := range tests {
		if _, err := Parse([]byte(src)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestProjectTemplateRouteAuth(t *testing.T) {
	tpl, err := Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tpl.Functions {
		for _, e := range f.HTTP {
			if e.Authorizer != NoAuthorizer && len(e.Scopes) == 0 {
				t.Errorf("%s admits any signed-in caller: name its roles in AuthorizationScopes", e.Key())
			}
		}
	}
}

func TestFunctionDir(t *testing.T) {
	for id, want := range map[string]string{
		"SubmitReferralFunction": "submit-referral",
		"TriageFunction":         "triage",
		"MashApiFunction":        "mash-api",
		"Sweep":                  "sweep",
	} {
		if got := (Function{LogicalID: id}).Dir(); got != want {
			t.Errorf("%s: Dir() = %q, want %q", id, got, want)
		}
	}
}

// TestMakefileBuildsEachFunctionFromItsDir keeps the two ways of building
// in step: `sam build` calls build-<LogicalId>, the local stack runs what
// `make functions` built from functions/<Dir>. Each must be the same
// package, and every function directory must be a function of the template.
func TestMakefileBuildsEachFunctionFromItsDir(t *testing.T) {
	tpl, err := Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	target := regexp.MustCompile(`(?m)^build-(\w+):[^\n]*\n\t\$\(GO_BUILD\) -o \$\(ARTIFACTS_DIR\)/bootstrap \./functions/([\w-]+)\n`)
	built := map[string]string{}
	for _, m := range target.FindAllStringSubmatch(string(mk), -1) {
		built[m[1]] = m[2]
	}
	dirs := map[string]bool{}
	for _, f := range tpl.Functions {
		dirs[f.Dir()] = true
		if got, ok := built[f.LogicalID]; !ok {
			t.Errorf("Makefile has no target build-%s (sam build calls it)", f.LogicalID)
		} else if got != f.Dir() {
			t.Errorf("build-%s builds ./functions/%s; the local stack runs functions/%s", f.LogicalID, got, f.Dir())
		}
		if _, err := os.Stat(filepath.Join("../../functions", f.Dir(), "main.go")); err != nil {
			t.Errorf("%s: %v", f.LogicalID, err)
		}
	}
	if len(built) != len(tpl.Functions) {
		t.Errorf("Makefile has %d build targets, the template %d functions", len(built), len(tpl.Functions))
	}
	entries, err := os.ReadDir("../../functions")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !dirs[e.Name()] {
			t.Errorf("functions/%s is no function of template.yaml, but `make functions` builds it", e.Name())
		}
	}
}

// TestReferralSendersEndWithinTheirSendingTime keeps the bound a replay
// relies on (intake.MaxSendingTime: a referral still unqueued that long
// after it was received will not be queued by its first sending) true of
// every function that submits referrals.
func TestReferralSendersEndWithinTheirSendingTime(t *testing.T) {
	tpl, err := Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	senders := 0
	for _, f := range tpl.Functions {
		src, err := os.ReadFile(filepath.Join("../../functions", f.Dir(), "main.go"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), "intake.New(") {
			continue
		}
		senders++
		if f.Timeout <= 0 || f.Timeout > intake.MaxSendingTime {
			t.Errorf("%s submits referrals with a timeout of %v; intake.MaxSendingTime is %v", f.LogicalID, f.Timeout, intake.MaxSendingTime)
		}
	}
	if senders == 0 {
		t.Error("no function wires intake.New: the check found nothing to check")
	}
}
