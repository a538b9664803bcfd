package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// openAPIPath is the API description, relative to this package.
const openAPIPath = "../../api/openapi.yaml"

// openAPIURL names the document as a schema resource, so that schemas
// anywhere in it compile by their JSON pointer.
const openAPIURL = "https://frontdoor.invalid/api/openapi.json"

// httpMethods are the operation keys of an OpenAPI path item.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// apiDoc is the OpenAPI document, parsed once, with its schemas compiled on
// demand.
type apiDoc struct {
	root     map[string]any
	compiler *jsonschema.Compiler
	mu       sync.Mutex
	compiled map[string]*jsonschema.Schema
}

var (
	apiDocOnce sync.Once
	apiDocVal  *apiDoc
	apiDocErr  error
)

// loadAPIDoc reads api/openapi.yaml as the JSON it stands for.
func loadAPIDoc(t *testing.T) *apiDoc {
	t.Helper()
	apiDocOnce.Do(func() { apiDocVal, apiDocErr = readAPIDoc(openAPIPath) })
	if apiDocErr != nil {
		t.Fatal(apiDocErr)
	}
	return apiDocVal
}

func readAPIDoc(path string) (*apiDoc, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var y any
	if err := yaml.Unmarshal(b, &y); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// Through JSON, so that every value is a type the schema library knows.
	j, err := json.Marshal(y)
	if err != nil {
		return nil, fmt.Errorf("%s is not JSON-shaped: %w", path, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return nil, err
	}
	root, ok := doc.(map[string]any)
	if !ok || root["openapi"] != "3.1.0" {
		return nil, fmt.Errorf("%s is not an OpenAPI 3.1.0 document", path)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(openAPIURL, doc); err != nil {
		return nil, err
	}
	return &apiDoc{root: root, compiler: c, compiled: map[string]*jsonschema.Schema{}}, nil
}

// pointer escapes tokens into a JSON pointer fragment.
func pointer(tokens ...string) string {
	var b strings.Builder
	b.WriteString("#")
	for _, tok := range tokens {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
		b.WriteString("/" + url.PathEscape(tok))
	}
	return b.String()
}

// at returns the value at a path of member names in the document.
func (d *apiDoc) at(tokens ...string) (any, bool) {
	var v any = d.root
	for _, tok := range tokens {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return v, true
}

// operation returns the operation for a route key such as "GET /stats".
func (d *apiDoc) operation(route string) (map[string]any, bool) {
	method, path, _ := strings.Cut(route, " ")
	op, ok := d.at("paths", path, strings.ToLower(method))
	m, _ := op.(map[string]any)
	return m, ok && m != nil
}

// routes returns every operation in the document by route key.
func (d *apiDoc) routes() map[string]map[string]any {
	out := map[string]map[string]any{}
	paths, _ := d.root["paths"].(map[string]any)
	for path, item := range paths {
		item, _ := item.(map[string]any)
		for _, m := range httpMethods {
			if op, ok := item[m].(map[string]any); ok {
				out[strings.ToUpper(m)+" "+path] = op
			}
		}
	}
	return out
}

// responseSchema finds the schema for one status and media type of a
// route's responses, following a $ref to #/components/responses, and
// returns its location as a JSON pointer.
func (d *apiDoc) responseSchema(route string, status int, mediaType string) (string, error) {
	method, path, _ := strings.Cut(route, " ")
	tokens := []string{"paths", path, strings.ToLower(method), "responses", strconv.Itoa(status)}
	r, ok := d.at(tokens...)
	if !ok {
		return "", fmt.Errorf("%s documents no %d response", route, status)
	}
	if ref, ok := r.(map[string]any)["$ref"].(string); ok {
		name, found := strings.CutPrefix(ref, "#/components/responses/")
		if !found {
			return "", fmt.Errorf("%s %d: $ref %s is not a component response", route, status, ref)
		}
		tokens = []string{"components", "responses", name}
		if _, ok := d.at(tokens...); !ok {
			return "", fmt.Errorf("%s %d: no response %s", route, status, ref)
		}
	}
	tokens = append(tokens, "content", mediaType, "schema")
	if _, ok := d.at(tokens...); !ok {
		return "", fmt.Errorf("%s documents no %s body for %d", route, mediaType, status)
	}
	return pointer(tokens...), nil
}

// schema compiles the schema at a JSON pointer into the document.
func (d *apiDoc) schema(ptr string) (*jsonschema.Schema, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.compiled[ptr]; ok {
		return s, nil
	}
	s, err := d.compiler.Compile(openAPIURL + ptr)
	if err != nil {
		return nil, err
	}
	d.compiled[ptr] = s
	return s, nil
}

// validate checks a real response to route against the document: its
// status must be documented for the route, with a body of its media type
// whose schema the body fits.
func (d *apiDoc) validate(route string, resp *http.Response, body []byte) error {
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil {
		return fmt.Errorf("%s %d: Content-Type %q: %w", route, resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
	ptr, err := d.responseSchema(route, resp.StatusCode, mt)
	if err != nil {
		return err
	}
	s, err := d.schema(ptr)
	if err != nil {
		return fmt.Errorf("compile %s: %w", ptr, err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %d: body is not JSON: %w", route, resp.StatusCode, err)
	}
	if err := s.Validate(v); err != nil {
		return fmt.Errorf("%s %d does not fit %s: %v\nbody: %s", route, resp.StatusCode, ptr, err, body)
	}
	return nil
}

// scopesOf returns the JWT scopes an operation's security asks for, and
// whether the operation is open.
func scopesOf(op map[string]any) (scopes []string, open bool, err error) {
	sec, ok := op["security"].([]any)
	if !ok {
		return nil, false, fmt.Errorf("no security (write security: [] for an open route)")
	}
	if len(sec) == 0 {
		return nil, true, nil
	}
	if len(sec) != 1 {
		return nil, false, fmt.Errorf("%d security requirements, want one", len(sec))
	}
	req, _ := sec[0].(map[string]any)
	list, ok := req["FrontDoorJwt"].([]any)
	if !ok || len(req) != 1 {
		return nil, false, fmt.Errorf("security %v, want FrontDoorJwt alone", req)
	}
	for _, s := range list {
		scopes = append(scopes, fmt.Sprint(s))
	}
	sort.Strings(scopes)
	return scopes, false, nil
}

func describeAccess(scopes []string, open bool) string {
	if open {
		return "open"
	}
	return "[" + strings.Join(scopes, ", ") + "]"
}

func TestOpenAPIMatchesTheTemplate(t *testing.T) {
	d := loadAPIDoc(t)
	tpl := apiRoutes(t)
	doc := d.routes()

	var missing, extra []string
	for k := range tpl {
		if _, ok := doc[k]; !ok {
			missing = append(missing, k)
		}
	}
	for k := range doc {
		if _, ok := tpl[k]; !ok {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes in template.yaml but not in api/openapi.yaml:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("routes in api/openapi.yaml but not in template.yaml:\n  %s", strings.Join(extra, "\n  "))
	}

	for k, e := range tpl {
		op, ok := doc[k]
		if !ok {
			continue
		}
		scopes, open, err := scopesOf(op)
		if err != nil {
			t.Errorf("%s: %v", k, err)
			continue
		}
		wantOpen := e.Authorizer == samtemplate.NoAuthorizer
		want := slices.Sorted(slices.Values(e.Scopes))
		if open != wantOpen || (!open && !slices.Equal(scopes, want)) {
			t.Errorf("%s: the document says %s, template.yaml says %s", k, describeAccess(scopes, open), describeAccess(want, wantOpen))
		}
		if s, _ := op["summary"].(string); s == "" {
			t.Errorf("%s has no summary", k)
		}
		// Every path parameter is described.
		_, path, _ := strings.Cut(k, " ")
		for _, p := range pathParam.FindAllString(path, -1) {
			name := strings.Trim(p, "{}")
			if !d.hasParameter(op, "path", name) {
				t.Errorf("%s does not describe the path parameter %s", k, name)
			}
		}
		resps, _ := op["responses"].(map[string]any)
		var success, problem bool
		for code := range resps {
			success = success || strings.HasPrefix(code, "2")
			problem = problem || strings.HasPrefix(code, "4")
		}
		if !success || !problem {
			t.Errorf("%s documents success %v, client errors %v; want both", k, success, problem)
		}
	}
}

// hasParameter reports whether op describes the parameter, directly or by
// a $ref to #/components/parameters.
func (d *apiDoc) hasParameter(op map[string]any, in, name string) bool {
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		m, _ := p.(map[string]any)
		if ref, ok := m["$ref"].(string); ok {
			v, _ := d.at("components", "parameters", strings.TrimPrefix(ref, "#/components/parameters/"))
			m, _ = v.(map[string]any)
		}
		if m["in"] == in && m["name"] == name {
			return true
		}
	}
	return false
}

// conformance validates real responses and counts, by route, the success
// and error responses that were checked.
type conformance struct {
	d        *apiDoc
	success  map[string]int
	problems map[string]int
}

// check validates one real response to route, failing the test when the
// document does not describe it.
func (c *conformance) check(t *testing.T, route string, resp *http.Response, body []byte) {
	t.Helper()
	if err := c.d.validate(route, resp, body); err != nil {
		t.Error(err)
		return
	}
	if resp.StatusCode < 300 {
		c.success[route]++
	} else {
		c.problems[route]++
	}
}

// want checks that resp has the status the scenario expects, then
// validates it.
func (c *conformance) want(t *testing.T, route string, status int, resp *http.Response, body []byte) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s: %d %s; want %d", route, resp.StatusCode, body, status)
	}
	c.check(t, route, resp, body)
}

func TestOpenAPIDescribesRealResponses(t *testing.T) {
	c := &conformance{d: loadAPIDoc(t), success: map[string]int{}, problems: map[string]int{}}

	// Referrals, from submission to a decision.
	resp, b := post(t, "/referrals", "application/json", sample(t, "missing-episode.json"), map[string]string{"Idempotency-Key": ids.NewULID(time.Now())})
	c.want(t, submitReferralRoute, http.StatusAccepted, resp, b)
	r := decode[receipt](t, b)
	resp, b = post(t, "/referrals", "application/json", sample(t, "invalid-many-errors.json"), nil)
	c.want(t, submitReferralRoute, http.StatusUnprocessableEntity, resp, b)
	resp, b = post(t, "/referrals", "text/plain", []byte("hello"), nil)
	c.want(t, submitReferralRoute, http.StatusUnsupportedMediaType, resp, b)

	v := waitFor(t, r.ID, func(v view) bool { return triaged(v) && len(v.FollowUps) == 1 })
	const getRoute = "GET /referrals/{id}"
	resp, b = getAs(t, "/referrals/"+r.ID, auth.MASH)
	c.want(t, getRoute, http.StatusOK, resp, b)
	resp, b = getAs(t, "/referrals/"+ids.NewULID(time.Now()), auth.MASH)
	c.want(t, getRoute, http.StatusNotFound, resp, b)
	resp, b = getAs(t, "/referrals/"+r.ID)
	c.want(t, getRoute, http.StatusUnauthorized, resp, b)
	resp, b = getAs(t, "/referrals/"+r.ID, auth.Police)
	c.want(t, getRoute, http.StatusForbidden, resp, b)

	const queueRoute = "GET /triage-queue"
	resp, b = getAs(t, "/triage-queue?limit=5", auth.MASH)
	c.want(t, queueRoute, http.StatusOK, resp, b)
	resp, b = getAs(t, "/triage-queue?priority=PINK", auth.MASH)
	c.want(t, queueRoute, http.StatusBadRequest, resp, b)

	path := "/referrals/" + r.ID + "/decisions"
	resp, b = postAs(t, path, decisionBody(v.Version, "child-in-need-assessment", ""), auth.MASH)
	c.want(t, decideRoute, http.StatusUnprocessableEntity, resp, b)
	resp, b = postAs(t, path, decisionBody(v.Version, "child-in-need-assessment", `, "primaryNeed": "N1"`), auth.MASH)
	c.want(t, decideRoute, http.StatusCreated, resp, b)
	resp, b = postAs(t, path, decisionBody(v.Version, "early-help", `, "adviceGiven": "Early help hub."`), auth.MASH)
	c.want(t, decideRoute, http.StatusConflict, resp, b)

	const auditRoute = "GET /referrals/{id}/audit"
	resp, b = getAs(t, "/referrals/"+r.ID+"/audit", auth.MASHManager)
	c.want(t, auditRoute, http.StatusOK, resp, b)
	resp, b = getAs(t, "/referrals/"+ids.NewULID(time.Now())+"/audit", auth.MASHManager)
	c.want(t, auditRoute, http.StatusNotFound, resp, b)
	resp, b = getAs(t, "/referrals/"+r.ID+"/audit", auth.MASH)
	c.want(t, auditRoute, http.StatusForbidden, resp, b)

	const statsRoute = "GET /stats"
	today := time.Now().UTC().Format(time.DateOnly)
	resp, b = getAs(t, "/stats?from="+today+"&to="+today, auth.MASHManager)
	c.want(t, statsRoute, http.StatusOK, resp, b)
	resp, b = getAs(t, "/stats?from=2026-12-01&to=2026-11-01", auth.MASHManager)
	c.want(t, statsRoute, http.StatusBadRequest, resp, b)

	// The referrer's view and addenda.
	const statusRoute = "GET /referrer/referrals/{reference}"
	resp, b = referrerGet(t, r.Reference, r.ReceiptToken)
	c.want(t, statusRoute, http.StatusOK, resp, b)
	resp, b = referrerGet(t, r.Reference, "not-the-token")
	c.want(t, statusRoute, http.StatusNotFound, resp, b)
	resp, b = referrerGet(t, r.Reference, "")
	c.want(t, statusRoute, http.StatusBadRequest, resp, b)

	addendum, err := os.ReadFile("../../events/referrer/addendum.json")
	if err != nil {
		t.Fatal(err)
	}
	resp, b = referrerAdd(t, r.Reference, r.ReceiptToken, ids.NewULID(time.Now()), addendum)
	c.want(t, addendumRoute, http.StatusCreated, resp, b)
	resp, b = referrerAdd(t, r.Reference, r.ReceiptToken, "", []byte(`{"information": ""}`))
	c.want(t, addendumRoute, http.StatusUnprocessableEntity, resp, b)
	resp, b = post(t, "/referrer/referrals/"+url.PathEscape(r.Reference)+"/addenda", "application/json", addendum, nil)
	c.want(t, addendumRoute, http.StatusBadRequest, resp, b)

	// The return home interview the missing episode started.
	fuID := v.FollowUps[0].ID
	resp, b = postEvent(t, fuID, `{"type":"ACCEPT","version":1}`, auth.ProviderRHI)
	c.want(t, eventRoute, http.StatusOK, resp, b)
	resp, b = postEvent(t, fuID, `{"type":"ACCEPT","version":1}`, auth.ProviderRHI)
	c.want(t, eventRoute, http.StatusConflict, resp, b)
	resp, b = postEvent(t, fuID, `{"type":"LOSE","version":2}`, auth.ProviderRHI)
	if resp.StatusCode < 400 || resp.StatusCode >= 500 {
		t.Fatalf("%s with an unknown type: %d %s", eventRoute, resp.StatusCode, b)
	}
	c.check(t, eventRoute, resp, b)

	const listRoute = "GET /follow-ups"
	resp, b = getAs(t, "/follow-ups?limit=5", auth.ProviderRHI)
	c.want(t, listRoute, http.StatusOK, resp, b)
	resp, b = getAs(t, "/follow-ups?limit=0", auth.ProviderRHI)
	c.want(t, listRoute, http.StatusBadRequest, resp, b)

	// The referral read again, now with its decision, addendum and an
	// accepted follow-up.
	resp, b = getAs(t, "/referrals/"+r.ID, auth.MASHManager)
	c.want(t, getRoute, http.StatusOK, resp, b)

	// Custody.
	resp, b = postAs(t, "/custody-requests", custodySample(t, "appropriate-adult.json"), auth.Police)
	c.want(t, custodyRoute, http.StatusAccepted, resp, b)
	resp, b = postAs(t, "/custody-requests", custodySample(t, "invalid.json"), auth.Police)
	c.want(t, custodyRoute, http.StatusUnprocessableEntity, resp, b)
	resp, b = getAs(t, "/follow-ups?limit=5", auth.ProviderAA)
	c.want(t, listRoute, http.StatusOK, resp, b)

	// The helpline.
	resp, b = postAs(t, "/helpline-calls", callSample(t, "named-carer-concern.json", 5*time.Minute), auth.Helpline)
	c.want(t, logCallRoute, http.StatusCreated, resp, b)
	call := decode[callReceipt](t, b)
	resp, b = postAs(t, "/helpline-calls", callSample(t, "invalid.json", 0), auth.Helpline)
	c.want(t, logCallRoute, http.StatusUnprocessableEntity, resp, b)

	const callsRoute = "GET /helpline-calls"
	resp, b = getAs(t, "/helpline-calls?"+around(time.Hour, -time.Minute).Encode(), auth.Helpline)
	c.want(t, callsRoute, http.StatusOK, resp, b)
	resp, b = getAs(t, "/helpline-calls?limit=0", auth.Helpline)
	c.want(t, callsRoute, http.StatusBadRequest, resp, b)

	path = "/helpline-calls/" + call.ID + "/referrals"
	resp, b = postAs(t, path, callSample(t, "escalation-referral.json", 0), auth.Helpline)
	c.want(t, escalateRoute, http.StatusCreated, resp, b)
	resp, b = postAs(t, "/helpline-calls/"+ids.NewULID(time.Now())+"/referrals", callSample(t, "escalation-referral.json", 0), auth.Helpline)
	c.want(t, escalateRoute, http.StatusNotFound, resp, b)
	resp, b = getAs(t, "/helpline-calls?"+around(time.Hour, -time.Minute).Encode(), auth.MASHManager)
	c.want(t, callsRoute, http.StatusOK, resp, b)

	// Escalations to the MASH manager: the sweep, as of after the return
	// home interview's due time, escalates it.
	const escalationsRoute = "GET /escalations"
	const acknowledgeRoute = "POST /escalations/{id}/acknowledgements"
	runSweep(t, v.FollowUps[0].DueAt.Add(time.Hour))
	esc, ok := findEscalation(t, "open", "follow-up", fuID)
	if !ok {
		t.Fatalf("the overdue follow-up %s was not escalated", fuID)
	}
	resp, b = getAs(t, "/escalations?limit=100", auth.MASHManager)
	c.want(t, escalationsRoute, http.StatusOK, resp, b)
	resp, b = getAs(t, "/escalations?status=closed", auth.MASHManager)
	c.want(t, escalationsRoute, http.StatusBadRequest, resp, b)
	path = "/escalations/" + esc.ID + "/acknowledgements"
	resp, b = postAs(t, path, []byte(`{"note": "Provider chased."}`), auth.MASHManager)
	c.want(t, acknowledgeRoute, http.StatusOK, resp, b)
	resp, b = postAs(t, path, []byte(`{}`), auth.MASHManager)
	c.want(t, acknowledgeRoute, http.StatusConflict, resp, b)
	resp, b = postAs(t, "/escalations/"+ids.NewULID(time.Now())+"/acknowledgements", []byte(`{}`), auth.MASHManager)
	c.want(t, acknowledgeRoute, http.StatusNotFound, resp, b)
	resp, b = getAs(t, "/escalations?status=acknowledged&limit=100", auth.MASHManager)
	c.want(t, escalationsRoute, http.StatusOK, resp, b)

	// Every route was seen answering both ways.
	for route := range apiRoutes(t) {
		if c.success[route] == 0 || c.problems[route] == 0 {
			t.Errorf("%s: %d success and %d error responses validated; want at least one of each", route, c.success[route], c.problems[route])
		}
	}
}

// TestOpenAPIRefusesWhatDoesNotFit proves the validation can fail: bodies
// that break the document's schemas, and statuses it does not list.
func TestOpenAPIRefusesWhatDoesNotFit(t *testing.T) {
	d := loadAPIDoc(t)
	answer := func(status int, ct, body string) (*http.Response, []byte) {
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {ct}}}, []byte(body)
	}
	good := `{"type":"urn:frontdoor:problem:not-found","title":"Not Found","status":404,"detail":"x","requestId":"r"}`
	resp, b := answer(404, "application/problem+json", good)
	if err := d.validate("GET /referrals/{id}", resp, b); err != nil {
		t.Fatalf("a good problem was refused: %v", err)
	}
	bad := []struct {
		name, route string
		status      int
		ct, body    string
	}{
		{"problem without a title", "GET /referrals/{id}", 404, "application/problem+json", `{"type":"urn:frontdoor:problem:not-found","status":404}`},
		{"problem with an unknown member", "GET /referrals/{id}", 404, "application/problem+json", `{"type":"urn:frontdoor:problem:not-found","title":"Not Found","status":404,"stack":"x"}`},
		{"problem as plain JSON", "GET /referrals/{id}", 404, "application/json", good},
		{"undocumented status", "GET /stats", 418, "application/problem+json", good},
		{"receipt with a bad time", "POST /referrals", 202, "application/json", `{"id":"a","reference":"b","receivedAt":"yesterday","status":"QUEUED","receiptToken":"t","message":"m"}`},
		{"receipt with an unknown status", "POST /referrals", 202, "application/json", `{"id":"a","reference":"b","receivedAt":"2026-11-23T10:00:00Z","status":"LOST","receiptToken":"t","message":"m"}`},
		{"gateway refusal without message", "GET /triage-queue", 401, "application/json", `{}`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := answer(tt.status, tt.ct, tt.body)
			if err := d.validate(tt.route, resp, b); err == nil {
				t.Errorf("%s %d %s was accepted", tt.route, tt.status, tt.body)
			}
		})
	}
}

// TestOpenAPIDescribesLimitsAndFailures produces the answers the ordinary
// scenario does not, and checks them against the document: on every route
// that takes a body, 413 for a body one byte over the limit the document
// gives (and no 413 for a body of exactly that size) and 415 for a body that
// is not JSON in UTF-8; and 503 from real functions whose table does not
// exist, as when DynamoDB is unavailable.
func TestOpenAPIDescribesLimitsAndFailures(t *testing.T) {
	d := loadAPIDoc(t)
	c := &conformance{d: d, success: map[string]int{}, problems: map[string]int{}}
	someID := ids.NewULID(time.Now())
	type bodyRoute struct {
		route, path string
		header      map[string]string
		roles       []auth.Role
	}
	routes := []bodyRoute{
		{submitReferralRoute, "/referrals", nil, nil},
		{decideRoute, "/referrals/" + someID + "/decisions", nil, []auth.Role{auth.MASH}},
		{custodyRoute, "/custody-requests", nil, []auth.Role{auth.Police}},
		{logCallRoute, "/helpline-calls", nil, []auth.Role{auth.Helpline}},
		{escalateRoute, "/helpline-calls/" + someID + "/referrals", nil, []auth.Role{auth.Helpline}},
		{eventRoute, "/follow-ups/FU-RHI-REF-" + someID + "-0/events", nil, []auth.Role{auth.ProviderRHI}},
		{addendumRoute, "/referrer/referrals/FD-23456789/addenda", map[string]string{"Receipt-Token": "not-a-token"}, nil},
		{"POST /escalations/{id}/acknowledgements", "/escalations/UkVGRVJSQUwjMDFLQVEzWlo4UTdYM1Y0TjVNNks3SjhIOUc/acknowledgements", nil, []auth.Role{auth.MASHManager}},
	}
	// Every route that takes a body is here.
	for route, op := range d.routes() {
		if _, ok := op["requestBody"]; ok && !slices.ContainsFunc(routes, func(r bodyRoute) bool { return r.route == route }) {
			t.Errorf("%s takes a body but its limits and media types are not tried here", route)
		}
	}
	for _, r := range routes {
		t.Run(r.route, func(t *testing.T) {
			limit, err := bodyLimit(d, r.route)
			if err != nil {
				t.Fatal(err)
			}
			sendAs := func(contentType string, body []byte) (*http.Response, []byte) {
				req, err := http.NewRequest(http.MethodPost, env.stack.APIURL()+r.path, bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", contentType)
				for k, v := range r.header {
					req.Header.Set(k, v)
				}
				signIn(t, req, r.roles)
				return do(t, req)
			}
			resp, b := sendAs("application/json", paddedBody(limit))
			if resp.StatusCode == http.StatusRequestEntityTooLarge {
				t.Errorf("a body of %d bytes, the documented limit, is refused as too large: %s", limit, b)
			}
			c.check(t, r.route, resp, b)
			resp, b = sendAs("application/json", paddedBody(limit+1))
			c.want(t, r.route, http.StatusRequestEntityTooLarge, resp, b)
			resp, b = sendAs("text/plain", []byte("hello"))
			c.want(t, r.route, http.StatusUnsupportedMediaType, resp, b)
			resp, b = sendAs("application/json; charset=iso-8859-1", []byte(`{}`))
			c.want(t, r.route, http.StatusUnsupportedMediaType, resp, b)
		})
	}

	// A table that does not exist fails every read and write, as an
	// unavailable DynamoDB does.
	resp, b := invokeWithoutTable(t, "SubmitReferralFunction", submitReferralRoute, "/referrals", nil, sample(t, "single-child.json"))
	c.want(t, submitReferralRoute, http.StatusServiceUnavailable, resp, b)
	resp, b = invokeWithoutTable(t, "GetReferralFunction", "GET /referrals/{id}", "/referrals/"+someID, map[string]string{"id": someID}, nil, auth.MASH)
	c.want(t, "GET /referrals/{id}", http.StatusServiceUnavailable, resp, b)
}

// paddedBody is a JSON object of exactly n bytes (n at least 16).
func paddedBody(n int) []byte {
	const open, end = `{"padding":"`, `"}`
	return []byte(open + strings.Repeat("x", n-len(open)-len(end)) + end)
}

// invokeWithoutTable runs the real binary of function on its own, with a
// TABLE_NAME that names no table, and sends it one request for route (as the
// HTTP API would, as a caller holding roles), returning its answer as an
// HTTP response.
func invokeWithoutTable(t *testing.T, function, route, path string, params map[string]string, body []byte, roles ...auth.Role) (*http.Response, []byte) {
	t.Helper()
	r := invokeAlone(t, function, map[string]string{
		"TABLE_NAME":         env.table + "-missing",
		"TRIAGE_QUEUE_URL":   env.queue,
		"FOLLOWUP_QUEUE_URL": env.stack.QueueURL("FollowUpQueue"),
	}, route, path, params, body, roles...)
	h := http.Header{}
	for k, v := range r.Headers {
		h.Set(k, v)
	}
	return &http.Response{StatusCode: r.StatusCode, Header: h}, []byte(r.Body)
}
