package e2e

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/csc-frontdoor/frontdoor/infra/samevents"
	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// samTarget is what one sending of a sample event needs: a value for each
// placeholder in it, naming records made for it, and the edits that bring
// its body up to date (versions, and times that must be recent).
type samTarget struct {
	subs  map[string]string
	edits []edit
}

// samEventTarget makes the records the case's event is sent to, in the
// state its body expects. Each call makes new ones, so that sending the
// event directly and through the HTTP API each act on records of their
// own.
func samEventTarget(t *testing.T, c samevents.Case) samTarget {
	t.Helper()
	tg := samTarget{subs: map[string]string{}}
	name := path.Base(c.Body)
	recent := time.Now().Add(-5 * time.Minute).UTC().Format(time.RFC3339)
	switch c.Route {
	case "POST /referrals":
		if name == "unborn.json" {
			// Its expected date of delivery is accepted up to ten months ahead.
			tg.edits = append(tg.edits, set("children.0.expectedDateOfDelivery", time.Now().AddDate(0, 3, 0).Format("2006-01-02")))
		}
	case "POST /custody-requests":
		if name != "invalid.json" {
			tg.edits = append(tg.edits, set("detainedAt", time.Now().Add(-10*time.Minute).UTC().Format(time.RFC3339)))
		}
	case "POST /helpline-calls":
		if name != "invalid.json" {
			tg.edits = append(tg.edits, set("calledAt", recent))
		}
	case "GET /referrals/{id}", "GET /referrals/{id}/audit":
		tg.subs[samevents.ReferralID] = submit(t, "single-child.json").ID
	case "POST /referrals/{id}/decisions":
		r := submit(t, "single-child.json")
		version := waitFor(t, r.ID, triaged).Version
		if name == "correction.json" {
			resp, b := postAs(t, "/referrals/"+r.ID+"/decisions", decisionBody(version, "child-in-need-assessment", `, "primaryNeed": "N1"`), auth.MASH)
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("first decision: %d %s", resp.StatusCode, b)
			}
			first := decode[struct {
				ID string `json:"id"`
			}](t, b).ID
			version = waitFor(t, r.ID, func(v view) bool { return v.Status == "DECIDED" }).Version
			tg.edits = append(tg.edits, set("supersedes", first))
		}
		tg.subs[samevents.ReferralID] = r.ID
		tg.edits = append(tg.edits, set("version", version))
	case "POST /escalations/{id}/acknowledgements":
		r, _ := overdueReferral(t)
		e, ok := findEscalation(t, "open", "decision", r.ID)
		if !ok {
			t.Fatalf("the overdue referral %s was not escalated", r.ID)
		}
		tg.subs[samevents.EscalationID] = e.ID
	case "POST /follow-ups/{id}/events":
		tg.subs[samevents.FollowUpID], tg.edits = followUpTarget(t, name)
	case "GET /referrer/referrals/{reference}", "POST /referrer/referrals/{reference}/addenda":
		r := submit(t, "single-child.json")
		tg.subs[samevents.Reference], tg.subs[samevents.ReceiptToken] = r.Reference, r.ReceiptToken
	case "POST /helpline-calls/{id}/referrals":
		tg.subs[samevents.CallID] = logCall(t, "named-carer-concern.json", 5*time.Minute).ID
	}
	return tg
}

// followUpTarget makes a follow-up in the state the event sample name is
// made for, and returns its id and the edits the sample needs: its version,
// and times after the follow-up started.
func followUpTarget(t *testing.T, name string) (string, []edit) {
	t.Helper()
	if name == "complete-appropriate-adult.json" {
		resp, b := postAs(t, "/custody-requests", custodySample(t, "appropriate-adult.json"), auth.Police)
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("custody request: %d %s", resp.StatusCode, b)
		}
		cus := decode[custodyReceipt](t, b)
		waitForFollowUps(t, cus.ID, 1)
		id := "FU-AA-CUS-" + cus.ID + "-0"
		wantEvent(t, id, `{"type":"ACCEPT","version":1}`, http.StatusOK, auth.ProviderAA)
		// The appropriate adult arrives after the request was received, a
		// moment from now (within the clock skew allowed).
		soon := time.Now().UTC().Add(2 * time.Second).Truncate(time.Second)
		return id, []edit{set("version", 2),
			set("appropriateAdult.arrivedAt", soon.Format(time.RFC3339)),
			set("appropriateAdult.leftAt", soon.Add(time.Second).Format(time.RFC3339))}
	}
	_, id := missingEpisodeRHI(t)
	switch name {
	case "accept.json", "accept-earlier.json":
		return id, []edit{set("version", 1)}
	}
	wantEvent(t, id, `{"type":"ACCEPT","version":1}`, http.StatusOK, auth.ProviderRHI)
	edits := []edit{set("version", 2)}
	if strings.HasPrefix(name, "complete-return-home-interview") {
		edits = append(edits, set("returnHomeInterview.interviewedAt", time.Now().Add(-5*time.Minute).UTC().Format(time.RFC3339)))
	}
	return id, edits
}

// fillSAMEvent returns the event in raw with the target's values in place of
// the placeholders, its body edited and a new idempotency key.
func fillSAMEvent(t *testing.T, raw []byte, tg samTarget) events.APIGatewayV2HTTPRequest {
	t.Helper()
	s := string(raw)
	for ph, v := range tg.subs {
		q, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		s = strings.ReplaceAll(s, ph, strings.Trim(string(q), `"`))
	}
	if strings.Contains(s, "{{") {
		t.Fatalf("placeholders left unfilled: %s", s)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal([]byte(s), &ev); err != nil {
		t.Fatal(err)
	}
	if len(tg.edits) > 0 {
		dec := json.NewDecoder(strings.NewReader(ev.Body))
		dec.UseNumber()
		var doc any
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("body: %v", err)
		}
		for _, e := range tg.edits {
			e.apply(t, doc)
		}
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		ev.Body = string(b)
		ev.Headers["content-length"] = strconv.Itoa(len(b))
	}
	if _, ok := ev.Headers["idempotency-key"]; ok {
		// The committed key would replay the first answer on every later
		// run within 24 hours, and the two ways of sending would share it.
		ev.Headers["idempotency-key"] = rand.Text()
	}
	return ev
}

// sendSAMEvent sends the request an event describes through the local HTTP
// API, with a token for the role its claims carry (none on open routes).
func sendSAMEvent(t *testing.T, ev events.APIGatewayV2HTTPRequest) (*http.Response, []byte) {
	t.Helper()
	u := env.stack.APIURL() + ev.RawPath
	if ev.RawQueryString != "" {
		u += "?" + ev.RawQueryString
	}
	req, err := http.NewRequest(ev.RequestContext.HTTP.Method, u, strings.NewReader(ev.Body))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"accept", "content-type", "idempotency-key", "receipt-token"} {
		if v, ok := ev.Headers[h]; ok {
			req.Header.Set(h, v)
		}
	}
	if a := ev.RequestContext.Authorizer; a != nil && a.JWT != nil {
		var roles []auth.Role
		for _, s := range strings.Fields(a.JWT.Claims["scope"]) {
			roles = append(roles, auth.Role(s))
		}
		signIn(t, req, roles)
	}
	return do(t, req)
}

// TestSAMEventsGetTheSameAnswerDirectAndThroughTheAPI sends every event in
// events/api twice, each time to records made for it: once straight to its
// function, as `sam local invoke -e` and `make invoke` do, and once as the
// same request through the local HTTP API with a token for the role its
// claims name. Both must get the status the event is listed with: the
// success status for the valid bodies, 4xx for the invalid ones.
func TestSAMEventsGetTheSameAnswerDirectAndThroughTheAPI(t *testing.T) {
	tpl, err := samtemplate.Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	routes, err := samevents.Routes(tpl)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range samevents.Cases {
		t.Run(c.Name(), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("../..", filepath.FromSlash(c.File())))
			if err != nil {
				t.Fatalf("%v (run go run ./infra/samevents/cmd/gen)", err)
			}
			rt, ok := routes[c.Route]
			if !ok {
				t.Fatalf("template.yaml has no route %q", c.Route)
			}

			ev := fillSAMEvent(t, raw, samEventTarget(t, c))
			payload, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			out, err := env.stack.Invoke(context.Background(), rt.Function, payload)
			if err != nil {
				t.Fatalf("invoke %s: %v", rt.Function, err)
			}
			direct := decode[events.APIGatewayV2HTTPResponse](t, out)

			resp, body := sendSAMEvent(t, fillSAMEvent(t, raw, samEventTarget(t, c)))

			if direct.StatusCode != c.Want {
				t.Errorf("%s invoked with the event: %d %s; want %d", rt.Function, direct.StatusCode, direct.Body, c.Want)
			}
			if resp.StatusCode != c.Want {
				t.Errorf("%s through the HTTP API: %d %s; want %d", c.Route, resp.StatusCode, body, c.Want)
			}
			if direct.StatusCode != resp.StatusCode {
				t.Errorf("the function answers the event %d, the HTTP API the same request %d", direct.StatusCode, resp.StatusCode)
			}
			// The status listed is a success for a valid sample, a 4xx for an
			// invalid one.
			if invalid := strings.HasPrefix(path.Base(c.Body), "invalid"); invalid != (c.Want >= 400 && c.Want < 500) ||
				!invalid && (c.Want < 200 || c.Want >= 300) {
				t.Errorf("%s is listed with %d: want a 4xx for an invalid sample and a 2xx for the others", c.Name(), c.Want)
			}
		})
	}
}
