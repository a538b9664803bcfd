package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/custody"
	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
)

// The request bodies of api/openapi.yaml are held to the Go code three ways:
// every sample body in events/ fits the schema of the route it is for (and
// the invalid ones do not); a table of bodies gets the same verdict from the
// schema as from the running API; and the code lists and limits in the
// document are the ones in the Go packages.
//
// What JSON Schema cannot say is listed, not hidden: a row of the table
// whose schema verdict differs from the API's names the reason in gap (a
// rule that depends on the time the request is received, on the stored
// record, or on a check digit). The document's description says the same.

// requestSchema returns the location, as a JSON pointer, of the schema of
// a route's application/json request body.
func (d *apiDoc) requestSchema(route string) (string, error) {
	method, path, _ := strings.Cut(route, " ")
	tokens := []string{"paths", path, strings.ToLower(method), "requestBody", "content", "application/json", "schema"}
	if _, ok := d.at(tokens...); !ok {
		return "", fmt.Errorf("%s documents no application/json request body", route)
	}
	return pointer(tokens...), nil
}

// checkRequest reports whether body fits route's request body schema: nil
// when it does, the reasons when it does not.
func (d *apiDoc) checkRequest(route string, body []byte) error {
	ptr, err := d.requestSchema(route)
	if err != nil {
		return err
	}
	s, err := d.schema(ptr)
	if err != nil {
		return fmt.Errorf("compile %s: %w", ptr, err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return s.Validate(v)
}

// The routes that take a body.
const (
	submitReferralRoute = "POST /referrals"
	decideRoute         = "POST /referrals/{id}/decisions"
	custodyRoute        = "POST /custody-requests"
	logCallRoute        = "POST /helpline-calls"
	escalateRoute       = "POST /helpline-calls/{id}/referrals"
	eventRoute          = "POST /follow-ups/{id}/events"
	addendumRoute       = "POST /referrer/referrals/{reference}/addenda"
)

// sampleDirs are the folders of events/ whose files are request bodies.
var sampleDirs = []string{"referrals", "custody", "decisions", "helpline", "follow-ups", "referrer"}

// requestSamples classifies every request body in sampleDirs: the route it
// is for and whether it fits that route's schema. A sample that fits one
// route is also checked against a route it could be mistaken for.
var requestSamples = []struct {
	file  string
	route string
	fits  bool
}{
	{"referrals/single-child.json", submitReferralRoute, true},
	{"referrals/siblings.json", submitReferralRoute, true},
	{"referrals/unborn.json", submitReferralRoute, true},
	{"referrals/missing-episode.json", submitReferralRoute, true},
	{"referrals/immediate-risk.json", submitReferralRoute, true},
	{"referrals/invalid-many-errors.json", submitReferralRoute, false},
	// A partner's referral is not a helpline escalation.
	{"referrals/single-child.json", escalateRoute, false},

	{"custody/appropriate-adult.json", custodyRoute, true},
	{"custody/appropriate-adult-and-accommodation.json", custodyRoute, true},
	{"custody/invalid.json", custodyRoute, false},

	{"decisions/allocated-worker.json", decideRoute, true},
	{"decisions/assessment.json", decideRoute, true},
	{"decisions/correction.json", decideRoute, true},
	{"decisions/early-help.json", decideRoute, true},
	{"decisions/no-further-action.json", decideRoute, true},
	{"decisions/transfer.json", decideRoute, true},

	{"helpline/anonymous-parent.json", logCallRoute, true},
	{"helpline/named-carer-concern.json", logCallRoute, true},
	{"helpline/invalid.json", logCallRoute, false},
	{"helpline/escalation-referral.json", escalateRoute, true},
	// The escalation's referral and a call are not each other's bodies.
	{"helpline/escalation-referral.json", logCallRoute, false},
	{"helpline/named-carer-concern.json", escalateRoute, false},
	// The escalation's referral is a referral like any other.
	{"helpline/escalation-referral.json", submitReferralRoute, true},

	{"follow-ups/accept.json", eventRoute, true},
	{"follow-ups/accept-earlier.json", eventRoute, true},
	{"follow-ups/attempt.json", eventRoute, true},
	{"follow-ups/complete-appropriate-adult.json", eventRoute, true},
	{"follow-ups/complete-return-home-interview.json", eventRoute, true},
	{"follow-ups/complete-return-home-interview-new-referral.json", eventRoute, true},
	{"follow-ups/decline.json", eventRoute, true},
	{"follow-ups/invalid.json", eventRoute, false},

	{"referrer/addendum.json", addendumRoute, true},
}

func TestOpenAPIRequestSamples(t *testing.T) {
	d := loadAPIDoc(t)
	listed := map[string]bool{}
	for _, s := range requestSamples {
		listed[s.file] = true
		t.Run(s.file+" to "+s.route, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("../../events", s.file))
			if err != nil {
				t.Fatal(err)
			}
			err = d.checkRequest(s.route, b)
			switch {
			case s.fits && err != nil:
				t.Errorf("does not fit the request schema: %v", err)
			case !s.fits && err == nil:
				t.Error("fits the request schema; want it refused")
			}
		})
	}
	// Every body in the folders is classified, so a new sample is checked too.
	for _, dir := range sampleDirs {
		files, err := filepath.Glob(filepath.Join("../../events", dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Errorf("no samples in events/%s", dir)
		}
		for _, f := range files {
			if name := dir + "/" + filepath.Base(f); !listed[name] {
				t.Errorf("events/%s is not in requestSamples: say which route it is for and whether it fits", name)
			}
		}
	}
}

// TestOpenAPIRequestObjectsRefuseUnknownMembers walks every schema a
// request body can reach: each object schema must refuse unknown members,
// as the strict decoders do.
func TestOpenAPIRequestObjectsRefuseUnknownMembers(t *testing.T) {
	d := loadAPIDoc(t)
	seen := map[string]bool{}
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case []any:
			for i, e := range v {
				walk(e, at+"/"+strconv.Itoa(i))
			}
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				name, found := strings.CutPrefix(ref, "#/components/schemas/")
				if !found {
					t.Errorf("%s: $ref %s is not a component schema", at, ref)
				} else if !seen[name] {
					seen[name] = true
					s, ok := d.at("components", "schemas", name)
					if !ok {
						t.Errorf("%s: no schema %s", at, name)
					}
					walk(s, "#/components/schemas/"+name)
				}
			}
			if v["type"] == "object" && v["additionalProperties"] != false {
				t.Errorf("%s is an object schema without additionalProperties: false", at)
			}
			for _, k := range slices.Sorted(maps.Keys(v)) {
				if k == "enum" || k == "const" || k == "discriminator" {
					continue
				}
				walk(v[k], at+"/"+k)
			}
		}
	}
	for _, route := range []string{submitReferralRoute, decideRoute, custodyRoute, logCallRoute, escalateRoute, eventRoute, addendumRoute} {
		ptr, err := d.requestSchema(route)
		if err != nil {
			t.Error(err)
			continue
		}
		s, _ := d.at("paths", strings.SplitN(route, " ", 2)[1], "post", "requestBody", "content", "application/json", "schema")
		walk(s, ptr)
	}
	if len(seen) < 10 {
		t.Errorf("only %d schemas reached from the request bodies: is the walk broken?", len(seen))
	}
}

// TestOpenAPICodeListsAndLimitsAreTheGoOnes compares the enums and the
// numeric limits of the request schemas with the Go code that enforces them.
func TestOpenAPICodeListsAndLimitsAreTheGoOnes(t *testing.T) {
	d := loadAPIDoc(t)
	lists := map[string][]string{
		"AgencyType":      strs(referral.AgencyTypes),
		"ConcernCategory": strs(referral.Categories),
		"Sex":             strs(referral.Sexes),
		"Outcome":         strs(decision.Outcomes),
		"PrimaryNeed":     slices.Collect(maps.Keys(decision.PrimaryNeeds)),
		"CallerType":      strs(helpline.CallerTypes),
		"AgeBand":         strs(helpline.AgeBands),
		"Topic":           strs(helpline.Topics),
		"Signpost":        strs(helpline.Signposts),
		"FollowUpMethod":  strs(followup.Methods),
		"CustodyOutcome":  strs(followup.CustodyOutcomes),
	}
	for name, want := range lists {
		v, _ := d.at("components", "schemas", name, "enum")
		var got []string
		for _, e := range asSlice(v) {
			got = append(got, fmt.Sprint(e))
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s enum is %v; the Go code list is %v", name, got, want)
		}
	}
	mapping, _ := d.at("components", "schemas", "FollowUpEventRequest", "discriminator", "mapping")
	m, _ := mapping.(map[string]any)
	if got, want := slices.Sorted(maps.Keys(m)), slices.Sorted(slices.Values(strs(followup.EventTypes))); !slices.Equal(got, want) {
		t.Errorf("follow-up event types %v; the Go list is %v", got, want)
	}
	variants, _ := d.at("components", "schemas", "FollowUpEventRequest", "oneOf")
	if len(asSlice(variants)) != len(followup.EventTypes) {
		t.Errorf("FollowUpEventRequest has %d variants, want one per event type", len(asSlice(variants)))
	}

	limits := []struct {
		at   string // a path of member names from #/components/schemas, "/"-separated
		want int
	}{
		{"ReferralForm/properties/children/maxItems", referral.MaxChildren},
		{"ReferralForm/properties/household/maxItems", referral.MaxHousehold},
		{"ReferralForm/properties/professionals/maxItems", referral.MaxProfessionals},
		{"Concerns/properties/categories/maxItems", referral.MaxCategories},
		{"Concerns/properties/account/maxLength", referral.MaxFreeText},
		{"Child/properties/disability/maxLength", referral.MaxFreeText},
		{"ShortText/maxLength", referral.MaxShortText},
		{"RequiredShortText/maxLength", referral.MaxShortText},
		{"DecisionRequest/properties/rationale/maxLength", decision.MaxRationale},
		{"DecisionRequest/properties/adviceGiven/maxLength", decision.MaxText},
		{"DecisionRequest/properties/referrerNotInformedReason/maxLength", decision.MaxText},
		{"ShortText/maxLength", decision.MaxName}, // transferTo, allocatedWorker
		{"HelplineCall/properties/durationMinutes/minimum", helpline.MinDuration},
		{"HelplineCall/properties/durationMinutes/maximum", helpline.MaxDuration},
		{"HelplineCall/properties/adviceGiven/maxLength", helpline.MaxAdvice},
		{"HelplineCall/properties/childAgeBands/maxItems", helpline.MaxAgeBands},
		{"HelplineCall/properties/topics/maxItems", helpline.MaxTopics},
		{"HelplineCall/properties/signposting/maxItems", helpline.MaxSignposts},
		{"ShortText/maxLength", helpline.MaxShortText}, // caller.firstName
		{"CustodyRequest/properties/custodyNumber/maxLength", custody.MaxCustodyNumber},
		{"CustodyRequest/properties/detainee/properties/estimatedAge/maximum", custody.MaxEstimatedAge},
		{"CustodyRequest/properties/parentUnavailableReason/maxLength", custody.MaxFreeText},
		{"CustodyRequest/properties/accommodationReason/maxLength", custody.MaxFreeText},
		{"ShortText/maxLength", custody.MaxShortText},
		{"FollowUpAttempt/properties/attempt/properties/outcome/maxLength", followup.MaxOutcomeText},
		{"FollowUpDecline/properties/decline/properties/reason/maxLength", followup.MaxOutcomeText},
		{"AppropriateAdultRecord/properties/outcomeDetail/maxLength", followup.MaxOutcomeText},
		{"InterviewAnswer/maxLength", followup.MaxRecordText},
		{"ReturnHomeInterviewRecord/properties/harmDetails/maxLength", followup.MaxRecordText},
		{"AddendumForm/properties/information/maxLength", referrer.MaxInformationLength},
	}
	for _, l := range limits {
		v, ok := d.at(append([]string{"components", "schemas"}, strings.Split(l.at, "/")...)...)
		if !ok || fmt.Sprint(v) != strconv.Itoa(l.want) {
			t.Errorf("%s is %v; the Go limit is %d", l.at, v, l.want)
		}
	}
	// The rationale pattern asks for 20 characters: one, at least 18, one.
	if p, _ := d.at("components", "schemas", "DecisionRequest", "properties", "rationale", "pattern"); !strings.Contains(fmt.Sprint(p), fmt.Sprintf("{%d,}", decision.MinRationale-2)) {
		t.Errorf("rationale pattern %v does not ask for %d characters", p, decision.MinRationale)
	}

	bodies := map[string]int{
		submitReferralRoute: 256 << 10, escalateRoute: 256 << 10, decideRoute: decision.MaxBody,
		custodyRoute: custody.MaxBody, logCallRoute: helpline.MaxBody, eventRoute: followup.MaxEventBody,
		addendumRoute: referrer.MaxBodyBytes,
	}
	for route, want := range bodies {
		if got, err := bodyLimit(d, route); err != nil || got != want {
			t.Errorf("%s: the document's limit is %d (%v); the Go limit is %d", route, got, err, want)
		}
	}
}

func strs[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// bodyLimit reads the largest body a route takes from its request body's
// description, "At most N KiB".
func bodyLimit(d *apiDoc, route string) (int, error) {
	method, path, _ := strings.Cut(route, " ")
	v, _ := d.at("paths", path, strings.ToLower(method), "requestBody", "description")
	desc, _ := v.(string)
	i := strings.Index(desc, "t most ")
	if i < 0 {
		return 0, fmt.Errorf("%s: the request body's description %q gives no limit (\"At most N KiB\")", route, desc)
	}
	var kib int
	if _, err := fmt.Sscanf(desc[i+len("t most "):], "%d KiB", &kib); err != nil {
		return 0, fmt.Errorf("%s: the request body's description %q: %w", route, desc, err)
	}
	return kib << 10, nil
}

// edit changes one member of a sample body: path names members and list
// indexes, "."-separated; drop removes the member.
type edit struct {
	path  string
	value any
	drop  bool
}

func set(path string, v any) edit { return edit{path: path, value: v} }
func del(path string) edit        { return edit{path: path, drop: true} }

func (e edit) apply(t *testing.T, doc any) {
	t.Helper()
	keys := strings.Split(e.path, ".")
	cur := doc
	for i, k := range keys {
		last := i == len(keys)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if e.drop {
					delete(c, k)
				} else {
					c[k] = e.value
				}
				return
			}
			next, ok := c[k]
			if !ok {
				next = map[string]any{}
				c[k] = next
			}
			cur = next
		case []any:
			n, err := strconv.Atoi(k)
			if err != nil || n < 0 || n >= len(c) {
				t.Fatalf("edit %s: no item %s", e.path, k)
			}
			if last {
				c[n] = e.value
				return
			}
			cur = c[n]
		default:
			t.Fatalf("edit %s: %s is not an object or a list", e.path, k)
		}
	}
}

// Placeholders filled in when a body is sent.
const (
	phVersion  = "{{version}}"  // the version of the target, as a number
	phDecision = "{{decision}}" // the id of the target's current decision
	phRecent   = "{{recent}}"   // five minutes ago, RFC 3339
	phSoon     = "{{soon}}"     // a second or two from now, RFC 3339
	phLater    = "{{later}}"    // a second after phSoon
)

// requestCase is one body sent to one route, with the verdicts the schema
// and the running API give it.
type requestCase struct {
	name  string
	route string
	// base is a sample under events/, read as the other tests read it
	// (times moved to now where they must be recent); raw is the body when
	// there is no base.
	base  string
	raw   string
	edits []edit
	// on names the state of the record the body is sent to, for the routes
	// where it matters: a follow-up "rhi-open", "rhi-accepted" or
	// "aa-accepted"; a referral "decided" (default: awaiting a decision).
	on string
	// fits is the schema's verdict, status the API's answer.
	fits   bool
	status int
	// gap says why the schema and the API differ, when fits is not the
	// same as a 2xx status: what JSON Schema cannot express.
	gap string
}

func (c requestCase) body(t *testing.T) []byte {
	t.Helper()
	var b []byte
	switch dir, name, _ := strings.Cut(c.base, "/"); dir {
	case "":
		b = []byte(c.raw)
	case "referrals":
		b = sample(t, name)
	case "custody":
		b = custodySample(t, name)
	case "helpline":
		b = callSample(t, name, 5*time.Minute)
	default:
		var err error
		if b, err = os.ReadFile(filepath.Join("../../events", c.base)); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.edits) == 0 {
		return b
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: %v", c.base, err)
	}
	for _, e := range c.edits {
		e.apply(t, doc)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// target is where a case is sent: the path, and what its placeholders
// stand for.
type target struct {
	path     string
	header   map[string]string
	version  int
	decision string
}

func (tg target) fill(b []byte) []byte {
	now := time.Now().UTC()
	soon := now.Add(2 * time.Second).Truncate(time.Second)
	r := strings.NewReplacer(
		`"`+phVersion+`"`, strconv.Itoa(tg.version),
		phDecision, tg.decision,
		phRecent, now.Add(-5*time.Minute).Format(time.RFC3339),
		phSoon, soon.Format(time.RFC3339),
		phLater, soon.Add(time.Second).Format(time.RFC3339),
	)
	return []byte(r.Replace(string(b)))
}

// routeRoles are the roles each case is sent with (none: an open route).
var routeRoles = map[string][]auth.Role{
	decideRoute:   {auth.MASH},
	custodyRoute:  {auth.Police},
	logCallRoute:  {auth.Helpline},
	escalateRoute: {auth.Helpline},
}

// targets makes the records the cases are sent to. A case the API is to
// accept gets a record of its own, made for it; the cases it is to refuse
// share one, which they leave as it was.
type targets struct {
	shared map[string]target
}

func (x *targets) get(t *testing.T, c requestCase) target {
	t.Helper()
	key := c.route + " " + c.on
	if c.status >= 300 {
		if tg, ok := x.shared[key]; ok {
			return tg
		}
	}
	tg := x.make(t, c)
	if c.status >= 300 {
		x.shared[key] = tg
	}
	return tg
}

func (x *targets) make(t *testing.T, c requestCase) target {
	t.Helper()
	switch c.route {
	case submitReferralRoute, custodyRoute, logCallRoute:
		return target{path: strings.TrimPrefix(c.route, "POST ")}
	case decideRoute:
		r := submit(t, "single-child.json")
		v := waitFor(t, r.ID, triaged)
		tg := target{path: "/referrals/" + r.ID + "/decisions", version: v.Version}
		if c.on == "decided" {
			resp, b := postAs(t, tg.path, decisionBody(v.Version, "child-in-need-assessment", `, "primaryNeed": "N1"`), auth.MASH)
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("first decision: %d %s", resp.StatusCode, b)
			}
			tg.decision = decode[struct {
				ID string `json:"id"`
			}](t, b).ID
			tg.version = waitFor(t, r.ID, func(v view) bool { return v.Status == "DECIDED" }).Version
		}
		return tg
	case escalateRoute:
		call := logCall(t, "named-carer-concern.json", 5*time.Minute)
		return target{path: "/helpline-calls/" + call.ID + "/referrals"}
	case addendumRoute:
		r := submit(t, "single-child.json")
		return target{
			path:   "/referrer/referrals/" + url.PathEscape(r.Reference) + "/addenda",
			header: map[string]string{"Receipt-Token": r.ReceiptToken},
		}
	case eventRoute:
		var id string
		var role auth.Role
		switch c.on {
		case "rhi-open", "rhi-accepted":
			_, id = missingEpisodeRHI(t)
			role = auth.ProviderRHI
		case "aa-accepted":
			resp, b := postAs(t, "/custody-requests", custodySample(t, "appropriate-adult.json"), auth.Police)
			if resp.StatusCode != http.StatusAccepted {
				t.Fatalf("custody request: %d %s", resp.StatusCode, b)
			}
			cus := decode[custodyReceipt](t, b)
			waitForFollowUps(t, cus.ID, 1)
			id = "FU-AA-CUS-" + cus.ID + "-0"
			role = auth.ProviderAA
		default:
			t.Fatalf("%s: on %q is not a follow-up state", c.name, c.on)
		}
		tg := target{path: "/follow-ups/" + id + "/events", version: 1}
		if c.on != "rhi-open" {
			wantEvent(t, id, `{"type":"ACCEPT","version":1}`, http.StatusOK, role)
			tg.version = 2
		}
		return tg
	}
	t.Fatalf("no target for %s", c.route)
	return target{}
}

// eventRole is the provider that works a follow-up in the state on.
func eventRole(on string) auth.Role {
	if strings.HasPrefix(on, "aa-") {
		return auth.ProviderAA
	}
	return auth.ProviderRHI
}

// send posts body to tg as the route's caller.
func send(t *testing.T, c requestCase, tg target, body []byte) (*http.Response, []byte) {
	t.Helper()
	roles := routeRoles[c.route]
	if c.route == eventRoute {
		roles = []auth.Role{eventRole(c.on)}
	}
	req, err := http.NewRequest(http.MethodPost, env.stack.APIURL()+tg.path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range tg.header {
		req.Header.Set(k, v)
	}
	signIn(t, req, roles)
	return do(t, req)
}

// Reasons the schema and the API differ, by kind.
const (
	gapNow     = "the API judges the time against the moment the request is received; a schema has no clock"
	gapStored  = "the API checks the body against the stored record; the schema sees the body alone"
	gapCheck   = "a check digit or the shape of a postcode is checked by the API; the schema states the characters only"
	gapVersion = "the version must be the record's version now (409); the schema knows only that it is a whole number from 1"
)

// requestCases are sent in order. Times in follow-up events are moved to
// now where the samples' fixed times would be in the future or before the
// follow-up started.
var requestCases = []requestCase{
	// POST /referrals
	{name: "single child", route: submitReferralRoute, base: "referrals/single-child.json", fits: true, status: 202},
	{name: "unborn baby", route: submitReferralRoute, base: "referrals/unborn.json", fits: true, status: 202},
	{name: "many errors", route: submitReferralRoute, base: "referrals/invalid-many-errors.json", status: 422},
	{name: "unknown member", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("referrer.nickname", "x")}, status: 400},
	{name: "age as text", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{del("children.0.dateOfBirth"), set("children.0.estimatedAge", "ten")}, status: 400},
	{name: "estimated age 18", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{del("children.0.dateOfBirth"), set("children.0.estimatedAge", 18)}, status: 422},
	{name: "estimated age 17", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{del("children.0.dateOfBirth"), set("children.0.estimatedAge", 17)}, fits: true, status: 202},
	{name: "date of birth and estimated age", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("children.0.estimatedAge", 9)}, status: 422},
	{name: "no name", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{del("children.0.firstName"), set("children.0.lastName", "  ")}, status: 422},
	{name: "unknown sex", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("children.0.sex", "girl")}, status: 422},
	{name: "unknown agency type", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("referrer.agencyType", "school")}, status: 422},
	{name: "level of need 5", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("concerns.levelOfNeed", 5)}, status: 422},
	{name: "immediate risk not answered", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{del("concerns.immediateRisk")}, status: 422},
	{name: "no category", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("concerns.categories", []any{})}, status: 422},
	{name: "a category twice", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("concerns.categories", []any{"neglect", "neglect"})}, status: 422},
	{name: "missing without an episode", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("concerns.categories", []any{"neglect", "missing"})}, status: 422},
	{name: "episode without missing", route: submitReferralRoute, base: "referrals/missing-episode.json", edits: []edit{set("concerns.categories", []any{"child-criminal-exploitation"})}, status: 422},
	{name: "returned and still missing", route: submitReferralRoute, base: "referrals/missing-episode.json", edits: []edit{set("missingEpisode.stillMissing", true)}, status: 422},
	{name: "unborn baby category without an unborn child", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("concerns.categories", []any{"neglect", "unborn-baby"})}, status: 422},
	{name: "unborn child without the category", route: submitReferralRoute, base: "referrals/unborn.json", edits: []edit{set("concerns.categories", []any{"domestic-abuse"})}, status: 422},
	{name: "FGM, regulated professional answered", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("concerns.categories", []any{"fgm"})}, fits: true, status: 202},
	{name: "FGM, regulated professional not answered", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("concerns.categories", []any{"fgm"}), del("referrer.regulatedProfessional")}, status: 422},
	{name: "family not aware, no reason", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("consent", map[string]any{"familyAware": false})}, status: 422},
	{name: "family aware, consent not answered", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("consent", map[string]any{"familyAware": true})}, status: 422},
	{name: "bad email", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("referrer.email", "name@localhost")}, status: 422},
	{name: "phone not UK", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("referrer.phone", "+1 212 555 0100")}, status: 422},
	{name: "phone with +44 (0)", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("referrer.phone", "+44 (0)161 496 0000")}, fits: true, status: 202},
	{name: "name of 201 characters", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("referrer.name", strings.Repeat("é", 201))}, status: 422},
	{name: "name of 200 characters", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("referrer.name", strings.Repeat("é", 200))}, fits: true, status: 202},
	{name: "eleven children", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("children", elevenChildren())}, status: 422},
	{name: "date of birth not a date", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("children.0.dateOfBirth", "2016-02-30")}, status: 422},
	{name: "date of birth in the future", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("children.0.dateOfBirth", "2099-01-01")}, fits: true, status: 422, gap: gapNow},
	{name: "NHS number with a wrong check digit", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("children.0.nhsNumber", "999 123 4501")}, fits: true, status: 422, gap: gapCheck},
	{name: "NHS number of 9 digits", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("children.0.nhsNumber", "999 123 451")}, status: 422},
	{name: "not a postcode", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{set("children.0.address.postcode", "NOT A POSTCODE")}, fits: true, status: 422, gap: gapCheck},
	{name: "address without a first line", route: submitReferralRoute, base: "referrals/single-child.json", edits: []edit{del("children.0.address.line1")}, status: 422},
	{name: "a call is not a referral", route: submitReferralRoute, base: "helpline/named-carer-concern.json", status: 400},

	// POST /referrals/{id}/decisions
	{name: "allocated worker", route: decideRoute, base: "decisions/allocated-worker.json", edits: []edit{set("version", phVersion)}, fits: true, status: 201},
	{name: "assessment", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", phVersion)}, fits: true, status: 201},
	{name: "early help", route: decideRoute, base: "decisions/early-help.json", edits: []edit{set("version", phVersion)}, fits: true, status: 201},
	{name: "no further action", route: decideRoute, base: "decisions/no-further-action.json", edits: []edit{set("version", phVersion)}, fits: true, status: 201},
	{name: "transfer", route: decideRoute, base: "decisions/transfer.json", edits: []edit{set("version", phVersion)}, fits: true, status: 201},
	{name: "correction", route: decideRoute, base: "decisions/correction.json", on: "decided", edits: []edit{set("version", phVersion), set("supersedes", phDecision)}, fits: true, status: 201},
	{name: "correction of no decision", route: decideRoute, base: "decisions/correction.json", edits: []edit{set("version", phVersion)}, fits: true, status: 422, gap: gapStored},
	{name: "stale version", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", 99)}, fits: true, status: 409, gap: gapVersion},
	{name: "version 0", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", 0)}, status: 422},
	{name: "version as text", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", "3")}, status: 400},
	{name: "supersedes not a decision id", route: decideRoute, base: "decisions/correction.json", on: "decided", edits: []edit{set("version", phVersion), set("supersedes", "decision-1")}, status: 422},
	{name: "unknown outcome", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", phVersion), set("outcome", "close")}, status: 422},
	{name: "assessment without a primary need", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", phVersion), del("primaryNeed")}, status: 422},
	{name: "primary need N10", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", phVersion), set("primaryNeed", "N10")}, status: 422},
	{name: "early help without advice", route: decideRoute, base: "decisions/early-help.json", edits: []edit{set("version", phVersion), set("adviceGiven", " ")}, status: 422},
	{name: "transfer without an authority", route: decideRoute, base: "decisions/transfer.json", edits: []edit{set("version", phVersion), del("transferTo")}, status: 422},
	{name: "allocated worker not named", route: decideRoute, base: "decisions/allocated-worker.json", edits: []edit{set("version", phVersion), del("allocatedWorker")}, status: 422},
	{name: "rationale of 19 characters", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", phVersion), set("rationale", strings.Repeat("x", 19))}, status: 422},
	{name: "rationale padded to 20", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", phVersion), set("rationale", "  "+strings.Repeat("x", 18)+"  ")}, status: 422},
	{name: "rationale of 20 characters", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", phVersion), set("rationale", " "+strings.Repeat("x", 20)+" ")}, fits: true, status: 201},
	{name: "referrer not told, no reason", route: decideRoute, base: "decisions/no-further-action.json", edits: []edit{set("version", phVersion), del("referrerNotInformedReason")}, status: 422},
	{name: "referrer told, with a reason", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", phVersion), set("referrerNotInformedReason", "x")}, status: 422},
	{name: "level of need missing", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", phVersion), del("levelOfNeed")}, status: 422},
	{name: "unknown member in a decision", route: decideRoute, base: "decisions/assessment.json", edits: []edit{set("version", phVersion), set("priority", "RED")}, status: 400},

	// POST /custody-requests
	{name: "appropriate adult", route: custodyRoute, base: "custody/appropriate-adult.json", fits: true, status: 202},
	{name: "appropriate adult and accommodation", route: custodyRoute, base: "custody/appropriate-adult-and-accommodation.json", fits: true, status: 202},
	{name: "custody, many errors", route: custodyRoute, base: "custody/invalid.json", status: 422},
	{name: "address without a first line", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{del("detainee.address.line1")}, fits: true, status: 202},
	{name: "address without a postcode", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{del("detainee.address.postcode")}, status: 422},
	{name: "nothing requested", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{set("appropriateAdultRequested", false)}, status: 422},
	{name: "appropriate adult for an adult not vulnerable", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{set("underEighteen", false)}, status: 422},
	{name: "appropriate adult for a vulnerable adult", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{set("underEighteen", false), set("vulnerableAdult", true), del("detainee.dateOfBirth"), set("detainee.estimatedAge", 24)}, fits: true, status: 202},
	{name: "appropriate adult without the reason", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{del("parentUnavailableReason")}, status: 422},
	{name: "accommodation when not charged", route: custodyRoute, base: "custody/appropriate-adult-and-accommodation.json", edits: []edit{set("charged", false)}, status: 422},
	{name: "under 18 not answered", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{del("underEighteen")}, status: 422},
	{name: "neither date of birth nor age", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{del("detainee.dateOfBirth")}, status: 422},
	{name: "estimated age 26", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{del("detainee.dateOfBirth"), set("detainee.estimatedAge", 26)}, status: 422},
	{name: "interpreter without a language", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{set("interpreterNeeded", true)}, status: 422},
	{name: "custody number with spaces", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{set("custodyNumber", "TF 04512 26")}, status: 422},
	{name: "detained five days ago", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{set("detainedAt", time.Now().Add(-120*time.Hour).UTC().Format(time.RFC3339))}, fits: true, status: 422, gap: gapNow},
	{name: "officer's badge", route: custodyRoute, base: "custody/appropriate-adult.json", edits: []edit{set("officer.badge", "1")}, status: 400},

	// POST /helpline-calls
	{name: "anonymous parent", route: logCallRoute, base: "helpline/anonymous-parent.json", fits: true, status: 201},
	{name: "named carer", route: logCallRoute, base: "helpline/named-carer-concern.json", fits: true, status: 201},
	{name: "call, many errors", route: logCallRoute, base: "helpline/invalid.json", status: 422},
	{name: "anonymous caller's name", route: logCallRoute, base: "helpline/anonymous-parent.json", edits: []edit{set("caller.firstName", "Test")}, status: 422},
	{name: "two children in one band", route: logCallRoute, base: "helpline/anonymous-parent.json", edits: []edit{set("childAgeBands", []any{"0-4", "0-4"})}, fits: true, status: 201},
	{name: "a topic twice", route: logCallRoute, base: "helpline/anonymous-parent.json", edits: []edit{set("topics", []any{"sleep", "sleep"})}, status: 422},
	{name: "unknown signpost", route: logCallRoute, base: "helpline/anonymous-parent.json", edits: []edit{set("signposting", []any{"library"})}, status: 422},
	{name: "no signposting", route: logCallRoute, base: "helpline/anonymous-parent.json", edits: []edit{del("signposting")}, fits: true, status: 201},
	{name: "600 minutes", route: logCallRoute, base: "helpline/anonymous-parent.json", edits: []edit{set("durationMinutes", 600)}, fits: true, status: 201},
	{name: "601 minutes", route: logCallRoute, base: "helpline/anonymous-parent.json", edits: []edit{set("durationMinutes", 601)}, status: 422},
	{name: "concern not answered", route: logCallRoute, base: "helpline/anonymous-parent.json", edits: []edit{del("safeguardingConcern")}, status: 422},
	{name: "called 40 days ago", route: logCallRoute, base: "helpline/anonymous-parent.json", edits: []edit{set("calledAt", time.Now().Add(-40*24*time.Hour).UTC().Format(time.RFC3339))}, fits: true, status: 422, gap: gapNow},
	{name: "a referral is not a call", route: logCallRoute, base: "helpline/escalation-referral.json", status: 400},

	// POST /helpline-calls/{id}/referrals
	{name: "escalation", route: escalateRoute, base: "helpline/escalation-referral.json", fits: true, status: 201},
	{name: "escalation by another agency", route: escalateRoute, base: "referrals/single-child.json", status: 422},
	{name: "escalation, many errors", route: escalateRoute, base: "referrals/invalid-many-errors.json", edits: []edit{set("referrer.agencyType", "helpline")}, status: 422},
	{name: "a call is not an escalation", route: escalateRoute, base: "helpline/named-carer-concern.json", status: 400},

	// POST /follow-ups/{id}/events
	{name: "accept", route: eventRoute, on: "rhi-open", base: "follow-ups/accept.json", fits: true, status: 200},
	{name: "accept earlier", route: eventRoute, on: "rhi-open", base: "follow-ups/accept-earlier.json", fits: true, status: 200},
	{name: "accept on a stale version", route: eventRoute, on: "rhi-open", base: "follow-ups/accept.json", edits: []edit{set("version", 7)}, fits: true, status: 409, gap: gapVersion},
	{name: "accept with an attempt", route: eventRoute, on: "rhi-open", raw: `{"type":"ACCEPT","version":1,"attempt":{"at":"` + phRecent + `","method":"PHONE","outcome":"x"}}`, status: 422},
	{name: "version 0", route: eventRoute, on: "rhi-open", raw: `{"type":"ACCEPT","version":0}`, status: 422},
	{name: "unknown type", route: eventRoute, on: "rhi-open", raw: `{"type":"LOSE","version":1}`, status: 422},
	{name: "version as text", route: eventRoute, on: "rhi-open", raw: `{"type":"ACCEPT","version":"1"}`, status: 400},
	{name: "unknown member in an event", route: eventRoute, on: "rhi-open", raw: `{"type":"ACCEPT","version":1,"note":"x"}`, status: 400},
	{name: "attempt", route: eventRoute, on: "rhi-accepted", base: "follow-ups/attempt.json", edits: []edit{set("version", phVersion)}, fits: true, status: 200},
	{name: "attempt, many errors", route: eventRoute, on: "rhi-accepted", base: "follow-ups/invalid.json", edits: []edit{set("version", phVersion)}, status: 422},
	{name: "attempt without its section", route: eventRoute, on: "rhi-accepted", raw: `{"type":"ATTEMPT","version":2}`, status: 422},
	{name: "attempt by email", route: eventRoute, on: "rhi-accepted", base: "follow-ups/attempt.json", edits: []edit{set("version", phVersion), set("attempt.method", "EMAIL")}, status: 422},
	{name: "attempt in the future", route: eventRoute, on: "rhi-accepted", base: "follow-ups/attempt.json", edits: []edit{set("version", phVersion), set("attempt.at", "2099-01-01T00:00:00Z")}, fits: true, status: 422, gap: gapNow},
	{name: "complete a return home interview", route: eventRoute, on: "rhi-accepted", base: "follow-ups/complete-return-home-interview.json", edits: []edit{set("version", phVersion), set("returnHomeInterview.interviewedAt", phRecent)}, fits: true, status: 200},
	{name: "complete with a new referral", route: eventRoute, on: "rhi-accepted", base: "follow-ups/complete-return-home-interview-new-referral.json", edits: []edit{set("version", phVersion), set("returnHomeInterview.interviewedAt", phRecent)}, fits: true, status: 200},
	{name: "harm without details", route: eventRoute, on: "rhi-accepted", base: "follow-ups/complete-return-home-interview.json", edits: []edit{set("version", phVersion), set("returnHomeInterview.interviewedAt", phRecent), set("returnHomeInterview.harmSuffered", true)}, status: 422},
	{name: "an account left blank", route: eventRoute, on: "rhi-accepted", base: "follow-ups/complete-return-home-interview.json", edits: []edit{set("version", phVersion), set("returnHomeInterview.interviewedAt", phRecent), set("returnHomeInterview.withWhom", "")}, status: 422},
	{name: "a new referral not needed but given", route: eventRoute, on: "rhi-accepted", base: "follow-ups/complete-return-home-interview-new-referral.json", edits: []edit{set("version", phVersion), set("returnHomeInterview.interviewedAt", phRecent), set("returnHomeInterview.newReferralNeeded", false)}, status: 422},
	{name: "a new referral needed but not given", route: eventRoute, on: "rhi-accepted", base: "follow-ups/complete-return-home-interview-new-referral.json", edits: []edit{set("version", phVersion), set("returnHomeInterview.interviewedAt", phRecent), del("returnHomeInterview.newReferral")}, status: 422},
	{name: "a new referral for going missing", route: eventRoute, on: "rhi-accepted", base: "follow-ups/complete-return-home-interview-new-referral.json", edits: []edit{set("version", phVersion), set("returnHomeInterview.interviewedAt", phRecent), set("returnHomeInterview.newReferral.concerns.categories", []any{"missing"})}, status: 422},
	{name: "a new referral from an unknown agency", route: eventRoute, on: "rhi-accepted", base: "follow-ups/complete-return-home-interview-new-referral.json", edits: []edit{set("version", phVersion), set("returnHomeInterview.interviewedAt", phRecent), set("returnHomeInterview.newReferral.referrer.agencyType", "charity")}, status: 422},
	{name: "a new referral about an unborn baby", route: eventRoute, on: "rhi-accepted", base: "follow-ups/complete-return-home-interview-new-referral.json", edits: []edit{set("version", phVersion), set("returnHomeInterview.interviewedAt", phRecent), set("returnHomeInterview.newReferral.concerns.categories", []any{"unborn-baby"})}, fits: true, status: 422, gap: gapStored},
	{name: "complete with both records", route: eventRoute, on: "rhi-accepted", base: "follow-ups/complete-return-home-interview.json", edits: []edit{set("version", phVersion), set("returnHomeInterview.interviewedAt", phRecent), set("appropriateAdult", map[string]any{"arrivedAt": phRecent, "leftAt": phRecent, "outcome": "BAILED"})}, status: 422},
	{name: "an appropriate adult's record on a return home interview", route: eventRoute, on: "rhi-accepted", base: "follow-ups/complete-appropriate-adult.json", edits: []edit{set("version", phVersion), set("appropriateAdult.arrivedAt", phRecent), set("appropriateAdult.leftAt", phRecent)}, fits: true, status: 422, gap: gapStored},
	{name: "decline", route: eventRoute, on: "rhi-accepted", base: "follow-ups/decline.json", edits: []edit{set("version", phVersion)}, fits: true, status: 200},
	{name: "decline without its section", route: eventRoute, on: "rhi-accepted", raw: `{"type":"DECLINE","version":2}`, status: 422},
	{name: "complete an appropriate adult", route: eventRoute, on: "aa-accepted", base: "follow-ups/complete-appropriate-adult.json", edits: []edit{set("version", phVersion), set("appropriateAdult.arrivedAt", phSoon), set("appropriateAdult.leftAt", phLater)}, fits: true, status: 200},
	{name: "an appropriate adult there before the request", route: eventRoute, on: "aa-accepted", base: "follow-ups/complete-appropriate-adult.json", edits: []edit{set("version", phVersion)}, fits: true, status: 422, gap: gapStored},
	{name: "outcome OTHER without detail", route: eventRoute, on: "aa-accepted", base: "follow-ups/complete-appropriate-adult.json", edits: []edit{set("version", phVersion), set("appropriateAdult.arrivedAt", phSoon), set("appropriateAdult.leftAt", phLater), set("appropriateAdult.outcome", "OTHER")}, status: 422},
	{name: "unknown custody outcome", route: eventRoute, on: "aa-accepted", base: "follow-ups/complete-appropriate-adult.json", edits: []edit{set("version", phVersion), set("appropriateAdult.arrivedAt", phSoon), set("appropriateAdult.leftAt", phLater), set("appropriateAdult.outcome", "CAUTIONED")}, status: 422},
	{name: "decline an appropriate adult", route: eventRoute, on: "aa-accepted", base: "follow-ups/decline.json", edits: []edit{set("version", phVersion), set("decline.at", phRecent)}, fits: true, status: 422, gap: gapStored},

	// POST /referrer/referrals/{reference}/addenda
	{name: "addendum", route: addendumRoute, base: "referrer/addendum.json", fits: true, status: 201},
	{name: "empty addendum", route: addendumRoute, raw: `{"information":"","urgent":false}`, status: 422},
	{name: "urgency not answered", route: addendumRoute, raw: `{"information":"More."}`, status: 422},
	{name: "urgency as text", route: addendumRoute, raw: `{"information":"More.","urgent":"yes"}`, status: 400},
	{name: "addendum of 10,001 characters", route: addendumRoute, raw: `{"information":"` + strings.Repeat("x", 10001) + `","urgent":false}`, status: 422},
	{name: "addendum of 10,000 characters", route: addendumRoute, raw: `{"information":"` + strings.Repeat("x", 10000) + `","urgent":false}`, fits: true, status: 201},
	{name: "addendum with a member twice", route: addendumRoute, raw: `{"information":"More.","urgent":false,"urgent":true}`, fits: true, status: 400, gap: "JSON Schema sees a parsed object, in which a member given twice is already one; the API refuses the repetition"},
}

// elevenChildren is a list of one more child than a referral takes.
func elevenChildren() []any {
	var cs []any
	for i := range 11 {
		cs = append(cs, map[string]any{
			"firstName": "Test", "lastName": fmt.Sprintf("Child-%d", i), "estimatedAge": 5, "sex": "unknown",
			"address": map[string]any{"line1": "1 Imaginary Street", "postcode": "M1 1AE"},
		})
	}
	return cs
}

// TestOpenAPIRequestSchemasAgreeWithTheAPI sends each body of requestCases
// to the running API and checks that the schema's verdict (fits or not) is
// the API's (2xx, or 400 or 422), except where a gap says why not. Each
// answer is checked against the document too.
func TestOpenAPIRequestSchemasAgreeWithTheAPI(t *testing.T) {
	d := loadAPIDoc(t)
	conf := &conformance{d: d, success: map[string]int{}, problems: map[string]int{}}
	x := &targets{shared: map[string]target{}}
	names := map[string]bool{}
	for _, c := range requestCases {
		name := c.route + " " + c.name
		if names[name] {
			t.Fatalf("two cases named %q", name)
		}
		names[name] = true
		accepted := c.status >= 200 && c.status < 300
		if (c.fits != accepted) != (c.gap != "") {
			t.Errorf("%s: fits %v, status %d, gap %q: give a gap exactly when the schema and the API differ", name, c.fits, c.status, c.gap)
		}
		t.Run(name, func(t *testing.T) {
			tg := x.get(t, c)
			body := tg.fill(c.body(t))
			err := d.checkRequest(c.route, body)
			if fits := err == nil; fits != c.fits {
				t.Errorf("the schema says fits=%v, want %v (%v)\nbody: %s", fits, c.fits, err, body)
			}
			resp, b := send(t, c, tg, body)
			if resp.StatusCode != c.status {
				t.Errorf("the API answers %d %s; want %d\nbody: %s", resp.StatusCode, b, c.status, body)
			}
			conf.check(t, c.route, resp, b)
		})
	}
	// Every route with a body was tried both ways.
	for _, route := range []string{submitReferralRoute, decideRoute, custodyRoute, logCallRoute, escalateRoute, eventRoute, addendumRoute} {
		var fit, refused int
		for _, c := range requestCases {
			if c.route == route && c.fits {
				fit++
			} else if c.route == route {
				refused++
			}
		}
		if fit == 0 || refused == 0 {
			t.Errorf("%s: %d bodies that fit and %d that do not; want both", route, fit, refused)
		}
	}
}

// TestOpenAPIRequestSchemasCanFail proves the request validation can refuse
// a body, without the API: a schema that accepted everything would pass the
// samples that fit.
func TestOpenAPIRequestSchemasCanFail(t *testing.T) {
	d := loadAPIDoc(t)
	for _, tt := range []struct{ route, body string }{
		{submitReferralRoute, `{}`},
		{submitReferralRoute, `[]`},
		{decideRoute, `{"version":1}`},
		{custodyRoute, `{"custodySuite":"x"}`},
		{logCallRoute, `{"calledAt":"2026-11-23T09:15:00Z"}`},
		{escalateRoute, `{}`},
		{eventRoute, `{"type":"ACCEPT"}`},
		{eventRoute, `{"type":"COMPLETE","version":2}`},
		{addendumRoute, `{"urgent":true}`},
	} {
		if err := d.checkRequest(tt.route, []byte(tt.body)); err == nil {
			t.Errorf("%s: %s fits", tt.route, tt.body)
		}
	}
	if _, err := d.requestSchema("GET /stats"); err == nil {
		t.Error("GET /stats has a request body schema")
	}
}
