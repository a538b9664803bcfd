// Package samevents makes the files `sam local` needs to run the functions
// with the project's samples:
//
//   - events/api/*.json: one API Gateway HTTP API request event (payload
//     format 2.0) per HTTP route of template.yaml, and per body sample under
//     events/ for the routes that take a body, for
//     `sam local invoke FN -e FILE` (and `make invoke`), which hand the file
//     to the function as its event;
//   - events/api/README.md: the list of them;
//   - env.json: the environment for `sam local invoke --env-vars` and
//     `sam local start-api --env-vars`, pointing the functions (which run in
//     Docker there) at DynamoDB Local and the SQS emulator that `make run`
//     starts on the host.
//
// The routes, the functions serving them, their authorizers and scopes, and
// the environment variables come from template.yaml (through samtemplate);
// the headers each route takes (Idempotency-Key, Receipt-Token) and its query
// parameters come from api/openapi.yaml. Cases says which events to make.
// The files are generated, never edited: run
//
//	go run ./infra/samevents/cmd/gen
//
// (or `go test ./infra/samevents -update`) after changing a sample, a route
// or a case; the package's tests fail while the committed files differ from
// what the generator makes.
package samevents

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"gopkg.in/yaml.v3"

	"github.com/csc-frontdoor/frontdoor/infra/localauth"
	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// Dir is where the events are written, relative to the project root.
const Dir = "events/api"

// BodiesDir is where the body samples are, relative to the project root;
// a Case's Body is relative to it.
const BodiesDir = "events"

// EnvFile is the environment file for `sam local --env-vars`, relative to
// the project root.
const EnvFile = "env.json"

// Placeholders stand where an event must name a record that exists: in the
// path (and so in rawPath, requestContext.http.path and pathParameters) and
// in the Receipt-Token header. Replace them with real values before
// invoking; until then the function answers 404 (or 400 for a receipt
// token it cannot read).
const (
	// ReferralID is a referral's id: the "id" of a referral's receipt.
	ReferralID = "{{referralId}}"
	// Reference is a referral's reference: the "reference" of its receipt.
	Reference = "{{reference}}"
	// ReceiptToken is the "receiptToken" of the same receipt.
	ReceiptToken = "{{receiptToken}}"
	// FollowUpID is a follow-up's id, as GET /follow-ups lists it
	// (FU-RHI-REF-<referral id>-0 for a missing-episode referral's return
	// home interview).
	FollowUpID = "{{followUpId}}"
	// CallID is a helpline call's id: the "id" of POST /helpline-calls's
	// answer.
	CallID = "{{callId}}"
	// EscalationID is an open escalation's id, as GET /escalations lists it.
	EscalationID = "{{escalationId}}"
)

// Placeholder describes one placeholder for the README.
type Placeholder struct {
	// Token is the placeholder as the events carry it.
	Token string
	// Means says what to put in its place.
	Means string
}

// Placeholders lists every placeholder, in the order the README shows them.
var Placeholders = []Placeholder{
	{ReferralID, "a referral's id: the `id` of the receipt of `POST /referrals`"},
	{Reference, "that referral's `reference`, from the same receipt"},
	{ReceiptToken, "that referral's `receiptToken`, from the same receipt"},
	{FollowUpID, "a follow-up's `id` from `GET /follow-ups` (a return home interview is `FU-RHI-REF-<referral id>-0`, an appropriate adult `FU-AA-CUS-<custody request id>-0`)"},
	{CallID, "a helpline call's `id`, from the answer to `POST /helpline-calls` (a call with `safeguardingConcern: true` to escalate it)"},
	{EscalationID, "an open escalation's `id` from `GET /escalations` (`make sweep` raises them once a clock has run out)"},
}

// pathPlaceholder is the placeholder for a path parameter, by the path
// segment before it ("referrals" for /referrals/{id}) or by its name.
func pathPlaceholder(before, name string) (string, bool) {
	if name == "reference" {
		return Reference, true
	}
	if name != "id" {
		return "", false
	}
	switch before {
	case "referrals":
		return ReferralID, true
	case "escalations":
		return EscalationID, true
	case "follow-ups":
		return FollowUpID, true
	case "helpline-calls":
		return CallID, true
	}
	return "", false
}

// Case is one sample event: a route, called by whom, with which body.
type Case struct {
	// Function is the logical id of the function serving Route, written
	// out for the reader (`sam local invoke <Function> -e <file>`); it
	// must be the one template.yaml names.
	Function string
	// Route is the route key, "POST /referrals/{id}/decisions".
	Route string
	// Body is the body sample, relative to events/ ("decisions/assessment.json"),
	// sent as it is. Empty for a route without a body, or when InlineBody is
	// set.
	Body string
	// InlineBody is the body of a route that has no sample file.
	InlineBody string
	// Role is the caller's role on a staff route; empty means the route's
	// first scope. Open routes have no caller.
	Role auth.Role
	// Query is the query string.
	Query map[string]string
	// Want is the status the function answers once the placeholders name
	// records in the state the body expects (and the body's times are
	// recent enough; see events/README.md).
	Want int
}

// Name is the event's file name without ".json": the route, and the body
// sample's name ("post-referrals-id-decisions-assessment").
func (c Case) Name() string {
	method, p, _ := strings.Cut(c.Route, " ")
	parts := []string{strings.ToLower(method)}
	for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
		parts = append(parts, strings.Trim(seg, "{}"))
	}
	if c.Body != "" {
		parts = append(parts, strings.TrimSuffix(path.Base(c.Body), ".json"))
	}
	return strings.Join(parts, "-")
}

// File is the event's path relative to the project root.
func (c Case) File() string { return Dir + "/" + c.Name() + ".json" }

// Cases are the events made: at least one per route of template.yaml, and
// one per body sample for the routes that take a body.
var Cases = []Case{
	{Function: "SubmitReferralFunction", Route: "POST /referrals", Body: "referrals/single-child.json", Want: http.StatusAccepted},
	{Function: "SubmitReferralFunction", Route: "POST /referrals", Body: "referrals/siblings.json", Want: http.StatusAccepted},
	{Function: "SubmitReferralFunction", Route: "POST /referrals", Body: "referrals/unborn.json", Want: http.StatusAccepted},
	{Function: "SubmitReferralFunction", Route: "POST /referrals", Body: "referrals/missing-episode.json", Want: http.StatusAccepted},
	{Function: "SubmitReferralFunction", Route: "POST /referrals", Body: "referrals/immediate-risk.json", Want: http.StatusAccepted},
	{Function: "SubmitReferralFunction", Route: "POST /referrals", Body: "referrals/invalid-many-errors.json", Want: http.StatusUnprocessableEntity},

	{Function: "GetReferralFunction", Route: "GET /referrals/{id}", Want: http.StatusOK},

	{Function: "MashApiFunction", Route: "GET /triage-queue", Query: map[string]string{"limit": "10"}, Want: http.StatusOK},
	{Function: "MashApiFunction", Route: "POST /referrals/{id}/decisions", Body: "decisions/allocated-worker.json", Want: http.StatusCreated},
	{Function: "MashApiFunction", Route: "POST /referrals/{id}/decisions", Body: "decisions/assessment.json", Want: http.StatusCreated},
	{Function: "MashApiFunction", Route: "POST /referrals/{id}/decisions", Body: "decisions/early-help.json", Want: http.StatusCreated},
	{Function: "MashApiFunction", Route: "POST /referrals/{id}/decisions", Body: "decisions/no-further-action.json", Want: http.StatusCreated},
	{Function: "MashApiFunction", Route: "POST /referrals/{id}/decisions", Body: "decisions/transfer.json", Want: http.StatusCreated},
	{Function: "MashApiFunction", Route: "POST /referrals/{id}/decisions", Body: "decisions/correction.json", Want: http.StatusCreated},
	{Function: "MashApiFunction", Route: "GET /referrals/{id}/audit", Want: http.StatusOK},
	{Function: "MashApiFunction", Route: "GET /stats", Query: map[string]string{"from": "2026-11-01", "to": "2026-11-30"}, Want: http.StatusOK},
	{Function: "MashApiFunction", Route: "GET /escalations", Query: map[string]string{"limit": "10"}, Want: http.StatusOK},
	{Function: "MashApiFunction", Route: "POST /escalations/{id}/acknowledgements",
		InlineBody: "{\n  \"note\": \"Screening booked for 10:00 with the duty team.\"\n}\n", Want: http.StatusOK},

	{Function: "CustodyRequestFunction", Route: "POST /custody-requests", Body: "custody/appropriate-adult.json", Want: http.StatusAccepted},
	{Function: "CustodyRequestFunction", Route: "POST /custody-requests", Body: "custody/appropriate-adult-and-accommodation.json", Want: http.StatusAccepted},
	{Function: "CustodyRequestFunction", Route: "POST /custody-requests", Body: "custody/invalid.json", Want: http.StatusUnprocessableEntity},

	{Function: "ProviderApiFunction", Route: "GET /follow-ups", Query: map[string]string{"limit": "10"}, Want: http.StatusOK},
	{Function: "ProviderApiFunction", Route: "POST /follow-ups/{id}/events", Body: "follow-ups/accept.json", Want: http.StatusOK},
	{Function: "ProviderApiFunction", Route: "POST /follow-ups/{id}/events", Body: "follow-ups/accept-earlier.json", Want: http.StatusOK},
	{Function: "ProviderApiFunction", Route: "POST /follow-ups/{id}/events", Body: "follow-ups/attempt.json", Want: http.StatusOK},
	{Function: "ProviderApiFunction", Route: "POST /follow-ups/{id}/events", Body: "follow-ups/complete-return-home-interview.json", Want: http.StatusOK},
	{Function: "ProviderApiFunction", Route: "POST /follow-ups/{id}/events", Body: "follow-ups/complete-return-home-interview-new-referral.json", Want: http.StatusOK},
	{Function: "ProviderApiFunction", Route: "POST /follow-ups/{id}/events", Body: "follow-ups/complete-appropriate-adult.json", Role: auth.ProviderAA, Want: http.StatusOK},
	{Function: "ProviderApiFunction", Route: "POST /follow-ups/{id}/events", Body: "follow-ups/decline.json", Want: http.StatusOK},
	{Function: "ProviderApiFunction", Route: "POST /follow-ups/{id}/events", Body: "follow-ups/invalid.json", Want: http.StatusUnprocessableEntity},

	{Function: "ReferrerApiFunction", Route: "GET /referrer/referrals/{reference}", Want: http.StatusOK},
	{Function: "ReferrerApiFunction", Route: "POST /referrer/referrals/{reference}/addenda", Body: "referrer/addendum.json", Want: http.StatusCreated},

	{Function: "HelplineApiFunction", Route: "POST /helpline-calls", Body: "helpline/anonymous-parent.json", Want: http.StatusCreated},
	{Function: "HelplineApiFunction", Route: "POST /helpline-calls", Body: "helpline/named-carer-concern.json", Want: http.StatusCreated},
	{Function: "HelplineApiFunction", Route: "POST /helpline-calls", Body: "helpline/invalid.json", Want: http.StatusUnprocessableEntity},
	{Function: "HelplineApiFunction", Route: "GET /helpline-calls", Query: map[string]string{"safeguardingConcern": "true"}, Want: http.StatusOK},
	{Function: "HelplineApiFunction", Route: "POST /helpline-calls/{id}/referrals", Body: "helpline/escalation-referral.json", Want: http.StatusCreated},
}

// Route is an HTTP route of the template with the function serving it.
type Route struct {
	// Function is the logical id of the function serving the route.
	Function string
	samtemplate.HTTPEvent
}

// Open reports whether the route needs no token.
func (r Route) Open() bool { return r.Authorizer == samtemplate.NoAuthorizer }

// Routes returns the template's HTTP routes by route key.
func Routes(tpl *samtemplate.Template) (map[string]Route, error) {
	out := map[string]Route{}
	for _, f := range tpl.Functions {
		if f.ServesPages() {
			continue
		}
		for _, e := range f.HTTP {
			if prev, ok := out[e.Key()]; ok {
				return nil, fmt.Errorf("samevents: route %q is served by both %s and %s", e.Key(), prev.Function, f.LogicalID)
			}
			out[e.Key()] = Route{Function: f.LogicalID, HTTPEvent: e}
		}
	}
	return out, nil
}

// CaseFor returns the case whose event is the file named name ("x.json" or
// "events/api/x.json").
func CaseFor(name string) (Case, bool) {
	name = strings.TrimSuffix(path.Base(filepath.ToSlash(name)), ".json")
	for _, c := range Cases {
		if c.Name() == name {
			return c, true
		}
	}
	return Case{}, false
}

// The fixed parts of every event: an API in eu-west-2 under the AWS
// documentation account id, on the samples' day.
const (
	// AccountID is the documentation example account id.
	AccountID = "123456789012"
	// APIID is the sample HTTP API's id.
	APIID = "a1b2c3d4e5"
	// Stage is the stage of the events: the default stage, as
	// `sam local start-api` sends.
	Stage = "$default"
	// SourceIP is the caller's address: from TEST-NET-1 (RFC 5737), which
	// no one has.
	SourceIP = "192.0.2.10"
	// UserAgent names the caller as a sample.
	UserAgent = "frontdoor-sample-event"
	// LocalAPIURL is the HTTP API `make run` serves (FRONTDOOR_API_PORT
	// unset), whose issuer the events' claims name.
	LocalAPIURL = "http://127.0.0.1:3000"
)

// DomainName is the sample API's host.
const DomainName = APIID + ".execute-api.eu-west-2.amazonaws.com"

// SampleTime is when every event is received: the day the samples are set
// on.
var SampleTime = time.Date(2026, time.November, 23, 10, 0, 0, 0, time.UTC)

// request is events.APIGatewayV2HTTPRequest as API Gateway writes it, in
// its order, without the empty authentication member the events type
// always writes; TestEventsDecodeStrictly decodes every file as the
// events type.
type request struct {
	Version               string            `json:"version"`
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	PathParameters        map[string]string `json:"pathParameters,omitempty"`
	RequestContext        requestContext    `json:"requestContext"`
	Body                  string            `json:"body,omitempty"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
}

type requestContext struct {
	AccountID    string                                                      `json:"accountId"`
	APIID        string                                                      `json:"apiId"`
	Authorizer   *events.APIGatewayV2HTTPRequestContextAuthorizerDescription `json:"authorizer,omitempty"`
	DomainName   string                                                      `json:"domainName"`
	DomainPrefix string                                                      `json:"domainPrefix"`
	HTTP         events.APIGatewayV2HTTPRequestContextHTTPDescription        `json:"http"`
	RequestID    string                                                      `json:"requestId"`
	RouteKey     string                                                      `json:"routeKey"`
	Stage        string                                                      `json:"stage"`
	Time         string                                                      `json:"time"`
	TimeEpoch    int64                                                       `json:"timeEpoch"`
}

// Files are generated files' contents by path relative to the project root
// (forward slashes).
type Files map[string][]byte

// Generate makes every file from the project at root: the events, their
// README and env.json.
func Generate(root string) (Files, error) {
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		return nil, fmt.Errorf("samevents: %w", err)
	}
	src, err := os.ReadFile(filepath.Join(root, "api", "openapi.yaml"))
	if err != nil {
		return nil, fmt.Errorf("samevents: %w", err)
	}
	doc, err := ParseOpenAPI(src)
	if err != nil {
		return nil, err
	}
	files, err := GenerateEvents(tpl, doc, os.DirFS(filepath.Join(root, BodiesDir)), Cases)
	if err != nil {
		return nil, err
	}
	env, err := EnvJSON(tpl)
	if err != nil {
		return nil, err
	}
	files[EnvFile] = env
	return files, nil
}

// GenerateEvents makes the events of cases and their README. Every route of
// tpl must have a case, every case a route of tpl served by its Function;
// bodies holds the body samples (events/).
func GenerateEvents(tpl *samtemplate.Template, doc *OpenAPI, bodies fs.FS, cases []Case) (Files, error) {
	routes, err := Routes(tpl)
	if err != nil {
		return nil, err
	}
	audience := tpl.Parameters["AuthAudience"]
	if audience == "" {
		audience = localauth.DefaultAudience
	}
	files := Files{}
	covered := map[string]bool{}
	var errs []error
	for _, c := range cases {
		rt, ok := routes[c.Route]
		if !ok {
			errs = append(errs, fmt.Errorf("samevents: case %s: template.yaml has no route %q", c.Name(), c.Route))
			continue
		}
		covered[c.Route] = true
		if c.Function != rt.Function {
			errs = append(errs, fmt.Errorf("samevents: case %s: %s is served by %s, not %s", c.Name(), c.Route, rt.Function, c.Function))
			continue
		}
		if _, dup := files[c.File()]; dup {
			errs = append(errs, fmt.Errorf("samevents: two cases make %s", c.File()))
			continue
		}
		b, err := c.event(rt, doc, bodies, audience)
		if err != nil {
			errs = append(errs, fmt.Errorf("samevents: case %s: %w", c.Name(), err))
			continue
		}
		files[c.File()] = b
	}
	for _, k := range sortedKeys(routes) {
		if !covered[k] {
			errs = append(errs, fmt.Errorf("samevents: route %q (%s) has no sample event: add a Case for it to samevents.Cases", k, routes[k].Function))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	files[Dir+"/README.md"] = readme(cases, routes, files)
	return files, nil
}

// Caller is who sends a case's request: nobody on an open route, else a
// subject holding role.
func (c Case) Caller(rt Route) (auth.Role, error) {
	if rt.Open() {
		if c.Role != "" {
			return "", fmt.Errorf("%s is open: it takes no role (%s)", c.Route, c.Role)
		}
		return "", nil
	}
	if len(rt.Scopes) == 0 {
		return "", fmt.Errorf("%s names no scopes, so no role to give the caller", c.Route)
	}
	role := c.Role
	if role == "" {
		role = auth.Role(rt.Scopes[0])
	}
	if !role.Valid() {
		return "", fmt.Errorf("%q is not a role", role)
	}
	if !slices.Contains(rt.Scopes, string(role)) {
		return "", fmt.Errorf("%s admits %s, not %s", c.Route, strings.Join(rt.Scopes, ", "), role)
	}
	return role, nil
}

// body returns the case's body.
func (c Case) body(bodies fs.FS) (string, error) {
	switch {
	case c.Body != "" && c.InlineBody != "":
		return "", errors.New("both Body and InlineBody are set")
	case c.InlineBody != "":
		return c.InlineBody, nil
	case c.Body == "":
		return "", nil
	}
	b, err := fs.ReadFile(bodies, c.Body)
	if err != nil {
		return "", fmt.Errorf("body: %w", err)
	}
	if !json.Valid(b) {
		return "", fmt.Errorf("body %s is not JSON", c.Body)
	}
	return string(b), nil
}

func (c Case) event(rt Route, doc *OpenAPI, bodies fs.FS, audience string) ([]byte, error) {
	op, err := doc.Operation(c.Route)
	if err != nil {
		return nil, err
	}
	body, err := c.body(bodies)
	if err != nil {
		return nil, err
	}
	if (body != "") != op.Body {
		if op.Body {
			return nil, fmt.Errorf("%s takes a body: set Body or InlineBody", c.Route)
		}
		return nil, fmt.Errorf("%s takes no body", c.Route)
	}
	role, err := c.Caller(rt)
	if err != nil {
		return nil, err
	}

	// The path, with a placeholder for each parameter.
	params := map[string]string{}
	segs := strings.Split(rt.Path, "/")
	for i, seg := range segs {
		if !strings.HasPrefix(seg, "{") || !strings.HasSuffix(seg, "}") {
			continue
		}
		name := strings.Trim(seg, "{}")
		before := ""
		if i > 0 {
			before = segs[i-1]
		}
		ph, ok := pathPlaceholder(before, name)
		if !ok {
			return nil, fmt.Errorf("no placeholder for the path parameter {%s} after %q: add one to samevents", name, before)
		}
		params[name] = ph
		segs[i] = ph
	}
	rawPath := strings.Join(segs, "/")

	var query map[string]string
	q := url.Values{}
	for k, v := range c.Query {
		if !slices.Contains(op.Query, k) {
			return nil, fmt.Errorf("api/openapi.yaml gives %s no query parameter %q", c.Route, k)
		}
		if query == nil {
			query = map[string]string{}
		}
		query[k] = v
		q.Set(k, v)
	}

	headers := map[string]string{
		"accept":            "application/json",
		"host":              DomainName,
		"user-agent":        UserAgent,
		"x-forwarded-for":   SourceIP,
		"x-forwarded-port":  "443",
		"x-forwarded-proto": "https",
	}
	if body != "" {
		headers["content-type"] = "application/json"
		headers["content-length"] = strconv.Itoa(len(body))
	}
	for _, h := range op.Headers {
		switch strings.ToLower(h) {
		case "idempotency-key":
			headers["idempotency-key"] = sampleUUID("idempotency-key " + c.Name())
		case "receipt-token":
			headers["receipt-token"] = ReceiptToken
		default:
			return nil, fmt.Errorf("api/openapi.yaml gives %s the header %s, which samevents has no sample value for", c.Route, h)
		}
	}

	ev := request{
		Version:               "2.0",
		RouteKey:              c.Route,
		RawPath:               rawPath,
		RawQueryString:        q.Encode(),
		Headers:               headers,
		QueryStringParameters: query,
		RequestContext: requestContext{
			AccountID:    AccountID,
			APIID:        APIID,
			DomainName:   DomainName,
			DomainPrefix: APIID,
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    rt.Method,
				Path:      rawPath,
				Protocol:  "HTTP/1.1",
				SourceIP:  SourceIP,
				UserAgent: UserAgent,
			},
			RequestID: requestID(c.Name()),
			RouteKey:  c.Route,
			Stage:     Stage,
			Time:      SampleTime.Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch: SampleTime.UnixMilli(),
		},
		Body: body,
	}
	if len(params) > 0 {
		ev.PathParameters = params
	}
	if role != "" {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
				Claims: map[string]string{
					"iss":   localauth.IssuerFor(LocalAPIURL),
					"aud":   audience,
					"sub":   Subject(role),
					"scope": string(role),
					"iat":   strconv.FormatInt(SampleTime.Unix(), 10),
					"exp":   strconv.FormatInt(SampleTime.Add(time.Hour).Unix(), 10),
				},
				Scopes: []string{string(role)},
			},
		}
	}
	return marshal(ev)
}

// Subject is the "sub" claim of a sample caller holding role.
func Subject(role auth.Role) string { return "sample-" + string(role) }

// marshal writes v as indented JSON, with <, > and & as they are, and a
// final newline.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("samevents: %w", err)
	}
	return buf.Bytes(), nil
}

// requestID is a request id in API Gateway's form (16 characters of
// base64), the same for the same event every time.
func requestID(name string) string {
	sum := sha256.Sum256([]byte("request " + name))
	return base64.StdEncoding.EncodeToString(sum[:10])[:15] + "="
}

// sampleUUID is a version 4 form UUID made from seed, the same every time.
func sampleUUID(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// OpenAPI is what the events need of api/openapi.yaml: for each route, the
// header and query parameters it takes and whether it takes a body.
type OpenAPI struct {
	ops map[string]Operation
}

// Operation is one route of the API description.
type Operation struct {
	// Headers are the names of its header parameters, as written.
	Headers []string
	// Query are the names of its query parameters.
	Query []string
	// Body is set when it has a request body.
	Body bool
}

// ParseOpenAPI reads an OpenAPI 3 document in YAML.
func ParseOpenAPI(src []byte) (*OpenAPI, error) {
	var doc struct {
		Paths      map[string]map[string]yaml.Node `yaml:"paths"`
		Components struct {
			Parameters map[string]parameter `yaml:"parameters"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("samevents: api/openapi.yaml: %w", err)
	}
	resolve := func(p parameter) (parameter, error) {
		if p.Ref == "" {
			return p, nil
		}
		name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/")
		if !ok {
			return p, fmt.Errorf("parameter reference %q is not under #/components/parameters", p.Ref)
		}
		q, ok := doc.Components.Parameters[name]
		if !ok {
			return p, fmt.Errorf("no parameter %s", name)
		}
		return q, nil
	}
	out := &OpenAPI{ops: map[string]Operation{}}
	for p, item := range doc.Paths {
		var shared []parameter
		if n, ok := item["parameters"]; ok {
			if err := n.Decode(&shared); err != nil {
				return nil, fmt.Errorf("samevents: api/openapi.yaml %s parameters: %w", p, err)
			}
		}
		for method, n := range item {
			if method == "parameters" || !slices.Contains([]string{"get", "put", "post", "delete", "patch", "head", "options"}, method) {
				continue
			}
			var op struct {
				Parameters  []parameter `yaml:"parameters"`
				RequestBody any         `yaml:"requestBody"`
			}
			if err := n.Decode(&op); err != nil {
				return nil, fmt.Errorf("samevents: api/openapi.yaml %s %s: %w", method, p, err)
			}
			o := Operation{Body: op.RequestBody != nil}
			for _, raw := range append(slices.Clone(shared), op.Parameters...) {
				prm, err := resolve(raw)
				if err != nil {
					return nil, fmt.Errorf("samevents: api/openapi.yaml %s %s: %w", method, p, err)
				}
				switch prm.In {
				case "header":
					o.Headers = append(o.Headers, prm.Name)
				case "query":
					o.Query = append(o.Query, prm.Name)
				}
			}
			out.ops[strings.ToUpper(method)+" "+p] = o
		}
	}
	return out, nil
}

type parameter struct {
	Ref  string `yaml:"$ref"`
	Name string `yaml:"name"`
	In   string `yaml:"in"`
}

// Operation returns the route's operation.
func (d *OpenAPI) Operation(route string) (Operation, error) {
	op, ok := d.ops[route]
	if !ok {
		return Operation{}, fmt.Errorf("api/openapi.yaml describes no %s", route)
	}
	return op, nil
}

// Write writes the files under root and removes every other .json file in
// events/api, so that a case taken out leaves no stale event behind.
func (f Files) Write(root string) error {
	if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(Dir)), 0o755); err != nil {
		return fmt.Errorf("samevents: %w", err)
	}
	stale, err := f.Stale(root)
	if err != nil {
		return err
	}
	for _, name := range stale {
		if err := os.Remove(filepath.Join(root, filepath.FromSlash(name))); err != nil {
			return fmt.Errorf("samevents: %w", err)
		}
	}
	for _, name := range f.Names() {
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(name)), f[name], 0o644); err != nil {
			return fmt.Errorf("samevents: %w", err)
		}
	}
	return nil
}

// Names lists the files' paths, sorted.
func (f Files) Names() []string { return sortedKeys(f) }

// Stale lists the .json files in events/api under root that are not among
// the files.
func (f Files) Stale(root string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(Dir)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("samevents: %w", err)
	}
	var out []string
	for _, e := range entries {
		name := Dir + "/" + e.Name()
		if _, ok := f[name]; !ok && strings.HasSuffix(e.Name(), ".json") {
			out = append(out, name)
		}
	}
	return out, nil
}

// Diff compares the files with those under root and returns one line for
// each that is missing, differs or is stale.
func (f Files) Diff(root string) ([]string, error) {
	var out []string
	for _, name := range f.Names() {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out = append(out, name+": missing")
		case err != nil:
			return nil, fmt.Errorf("samevents: %w", err)
		case !bytes.Equal(got, f[name]):
			out = append(out, name+": differs from what the generator makes")
		}
	}
	stale, err := f.Stale(root)
	if err != nil {
		return nil, err
	}
	for _, name := range stale {
		out = append(out, name+": no case makes it")
	}
	return out, nil
}

// readme is events/api/README.md: every event, its function, route, caller,
// placeholders and the status it gets.
func readme(cases []Case, routes map[string]Route, files Files) []byte {
	var b strings.Builder
	b.WriteString(`# API Gateway request events

Generated by ` + "`go run ./infra/samevents/cmd/gen`" + ` from template.yaml, api/openapi.yaml
and the body samples under events/; do not edit (see events/README.md).

Each file is an API Gateway HTTP API request, payload format 2.0, as the
function receives it: ` + "`sam local invoke <function> -e <file> --env-vars env.json`" + `,
or ` + "`make invoke FN=<function> EVENT=<file>`" + ` against ` + "`make run`" + `. Staff routes'
events carry the JWT authorizer's claims (` + "`sub`" + ` and the role as ` + "`scope`" + `), which
the function checks; open routes' carry none. Replace the placeholders
with real values first (events/README.md says how).

| file | function | route | caller | placeholders | status |
|---|---|---|---|---|---|
`)
	for _, c := range cases {
		rt := routes[c.Route]
		role, _ := c.Caller(rt)
		caller := "open"
		if role != "" {
			caller = "`" + string(role) + "`"
		}
		var phs []string
		for _, p := range Placeholders {
			if bytes.Contains(files[c.File()], []byte(p.Token)) {
				phs = append(phs, "`"+p.Token+"`")
			}
		}
		if len(phs) == 0 {
			phs = []string{"none"}
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | `%s` | %s | %s | %d |\n",
			path.Base(c.File()), c.Function, c.Route, caller, strings.Join(phs, ", "), c.Want)
	}
	b.WriteString(`
The status is what the function answers once the placeholders name records
in the state the body expects and the body's times are recent enough;
` + "`infra/e2e/samevents_test.go`" + ` checks each one against the local HTTP API.
`)
	return []byte(b.String())
}
