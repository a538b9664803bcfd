package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"iter"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/csc-frontdoor/frontdoor/infra/localauth"
	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// access says who may call a route: anyone (open), or a caller whose token
// holds one of roles.
type access struct {
	open  bool
	roles []auth.Role
}

// open is a route anyone may call without signing in.
var open = access{open: true}

// allow is a route for callers holding one of roles.
func allow(roles ...auth.Role) access { return access{roles: roles} }

// accessMatrix is who may call each route of the HTTP API, written out by
// hand (the README shows the same table). Every route in template.yaml must
// have a row: a new route fails TestAccessMatrix until it gets one.
var accessMatrix = map[string]access{
	"POST /referrals":                              open,
	"GET /referrals/{id}":                          allow(auth.MASH, auth.MASHManager),
	"GET /triage-queue":                            allow(auth.MASH, auth.MASHManager),
	"POST /referrals/{id}/decisions":               allow(auth.MASH, auth.MASHManager),
	"GET /referrals/{id}/audit":                    allow(auth.MASHManager),
	"GET /stats":                                   allow(auth.MASHManager),
	"GET /escalations":                             allow(auth.MASHManager),
	"POST /escalations/{id}/acknowledgements":      allow(auth.MASHManager),
	"POST /custody-requests":                       allow(auth.Police),
	"POST /helpline-calls":                         allow(auth.Helpline),
	"GET /helpline-calls":                          allow(auth.Helpline, auth.MASHManager),
	"POST /helpline-calls/{id}/referrals":          allow(auth.Helpline),
	"GET /follow-ups":                              allow(auth.ProviderRHI, auth.ProviderAA, auth.MASHManager),
	"POST /follow-ups/{id}/events":                 allow(auth.ProviderRHI, auth.ProviderAA),
	"GET /referrer/referrals/{reference}":          open,
	"POST /referrer/referrals/{reference}/addenda": open,
	// The pages, open to partners without an account as POST /referrals is.
	"GET /":                                  open,
	"GET /assets/{proxy+}":                   open,
	"GET /refer/{proxy+}":                    open,
	"POST /refer/{proxy+}":                   open,
	"GET /check-a-referral":                  open,
	"POST /check-a-referral":                 open,
	"POST /check-a-referral/add-information": open,
	"GET /help/{page}":                       open,
	// The staff pages sign people in themselves, and check their roles on
	// every page themselves.
	"GET /staff":           open,
	"GET /staff/{proxy+}":  open,
	"POST /staff/{proxy+}": open,
}

// templateRoutes reads every HttpApi route from template.yaml.
func templateRoutes(t *testing.T) map[string]samtemplate.HTTPEvent { return routesOf(t, true) }

// apiRoutes are the JSON API's routes: every route of template.yaml but the
// pages'.
func apiRoutes(t *testing.T) map[string]samtemplate.HTTPEvent { return routesOf(t, false) }

// routesOf reads the HttpApi routes from template.yaml, the pages' too
// when pages is set.
func routesOf(t *testing.T, pages bool) map[string]samtemplate.HTTPEvent {
	t.Helper()
	tpl, err := samtemplate.Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]samtemplate.HTTPEvent{}
	for _, f := range tpl.Functions {
		if f.ServesPages() && !pages {
			continue
		}
		for _, e := range f.HTTP {
			routes[e.Key()] = e
		}
	}
	return routes
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// concrete fills a route's path parameters with fresh values that name
// nothing stored: a ULID for ids, a reference for references.
func concrete(path string) string {
	return pathParam.ReplaceAllStringFunc(path, func(p string) string {
		if p == "{reference}" {
			return ids.NewReference()
		}
		return ids.NewULID(time.Now())
	})
}

// caller is one way of calling a route.
type caller struct {
	name string
	// header is the Authorization header; empty sends none.
	header string
	// role is the role the token holds, when it is valid.
	role auth.Role
	// valid says the token is good; a caller with a bad token must be
	// refused by the HTTP API on every protected route.
	valid bool
}

// gatewayAnswer reports whether a response is the HTTP API's own refusal
// (the function was never invoked): the functions answer problems as
// application/problem+json, never with these bodies.
func gatewayAnswer(resp *http.Response, body []byte) bool {
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return string(body) == `{"message":"Unauthorized"}` && strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer")
	case http.StatusForbidden:
		return string(body) == `{"message":"Forbidden"}`
	}
	return false
}

// badTokens are tokens for role that the HTTP API must refuse.
func badTokens(t *testing.T, role auth.Role) []caller {
	t.Helper()
	a := env.stack.Auth()
	now := time.Now()
	roles := []string{string(role)}
	sign := func(c localauth.Claims) string {
		c.Subject, c.Roles = "e2e-"+string(role), roles
		tok, err := a.Sign(c)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	good := token(t, role)
	// Tokens whose scopes could be read two ways: refused with 403 by the
	// HTTP API and, were it to let them through, by the function too
	// (auth.ParseScope), whatever roles they seem to hold.
	oddScope := func(name string, extra map[string]any) caller {
		return caller{name: "odd scope: " + name, header: "Bearer " + sign(localauth.Claims{Expires: now.Add(time.Hour), Extra: extra}), valid: true}
	}
	odd := []caller{
		oddScope("a list", map[string]any{"scope": []string{string(role)}}),
		oddScope("a list with a space in an element", map[string]any{"scope": []string{"police", "x " + string(role)}}),
		oddScope("scp a list", map[string]any{"scope": nil, "scp": []string{string(role)}}),
		oddScope("a number", map[string]any{"scope": 7}),
		oddScope("an object", map[string]any{"scope": map[string]string{string(role): "yes"}}),
		oddScope("scope and scp both", map[string]any{"scp": string(role)}),
		oddScope("brackets in the string", map[string]any{"scope": "[" + string(role) + "]"}),
	}
	sig := strings.LastIndexByte(good, '.') + 10
	flip := byte('A')
	if good[sig] == 'A' {
		flip = 'B'
	}
	tampered := good[:sig] + string(flip) + good[sig+1:]
	key, err := rsa.GenerateKey(rand.Reader, localauth.KeyBits)
	if err != nil {
		t.Fatal(err)
	}
	other, err := localauth.New(key, a.Issuer, a.Audience)
	if err != nil {
		t.Fatal(err)
	}
	otherKey, err := other.Mint("e2e-"+string(role), roles, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return append([]caller{
		{name: "no token"},
		{name: "expired token", header: "Bearer " + sign(localauth.Claims{IssuedAt: now.Add(-2 * time.Hour), Expires: now.Add(-time.Hour)})},
		{name: "token not valid yet", header: "Bearer " + sign(localauth.Claims{NotBefore: now.Add(time.Hour), Expires: now.Add(2 * time.Hour)})},
		{name: "token for another audience", header: "Bearer " + sign(localauth.Claims{Audience: "another-api", Expires: now.Add(time.Hour)})},
		{name: "token from another issuer", header: "Bearer " + sign(localauth.Claims{Issuer: "https://issuer.example", Expires: now.Add(time.Hour)})},
		{name: "tampered token", header: "Bearer " + tampered},
		{name: "token from another key", header: "Bearer " + otherKey},
		{name: "not a bearer token", header: "Basic ZTJlOmUyZQ=="},
	}, odd...)
}

// TestAccessMatrix calls every route of the HTTP API as every role, with no
// token and with bad tokens, and checks each answer against the matrix: a
// caller who may not call a route is refused by the HTTP API itself (401 or
// 403, the function never runs); one who may gets past the HTTP API and past
// the function's own role check (any answer but 401 or 403: a 404 or 422
// for the made-up id and empty body shows the function ran).
func TestAccessMatrix(t *testing.T) {
	routes := templateRoutes(t)
	var keys []string
	for k := range routes {
		keys = append(keys, k)
		if _, ok := accessMatrix[k]; !ok {
			t.Errorf("route %s has no row in accessMatrix (access_test.go) nor in the README's access table: add who may call it", k)
		}
	}
	for k := range accessMatrix {
		if _, ok := routes[k]; !ok {
			t.Errorf("accessMatrix has a row for %s, which is not a route in template.yaml", k)
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		want, ok := accessMatrix[key]
		if !ok {
			continue
		}
		e := routes[key]
		t.Run(key, func(t *testing.T) {
			if want.open != (e.Authorizer == samtemplate.NoAuthorizer) {
				t.Fatalf("template.yaml: authorizer %s; the matrix says open=%v", e.Authorizer, want.open)
			}
			callers := []caller{}
			for _, r := range auth.Roles {
				callers = append(callers, caller{name: "role " + string(r), header: "Bearer " + token(t, r), role: r, valid: true})
			}
			callers = append(callers, caller{name: "all roles but the allowed", header: "Bearer " + token(t, others(want.roles)...), valid: true})
			probe := auth.MASH
			if len(want.roles) > 0 {
				probe = want.roles[0]
			}
			callers = append(callers, badTokens(t, probe)...)
			for _, c := range callers {
				resp, body := call(t, e.Method, concrete(e.Path), c.header)
				allowed := want.open || (c.valid && slices.Contains(want.roles, c.role))
				switch {
				case allowed && want.open && gatewayAnswer(resp, body):
					t.Errorf("%s: refused by the HTTP API (%d %s) on an open route", c.name, resp.StatusCode, body)
				case allowed && !want.open && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden):
					t.Errorf("%s: %d %s; want past the HTTP API and the function's role check", c.name, resp.StatusCode, body)
				case allowed && resp.StatusCode >= 500:
					t.Errorf("%s: %d %s", c.name, resp.StatusCode, body)
				case !allowed && !gatewayAnswer(resp, body):
					t.Errorf("%s: %d %s; want 401 or 403 from the HTTP API, without running the function", c.name, resp.StatusCode, body)
				case !allowed && !c.valid && resp.StatusCode != http.StatusUnauthorized:
					t.Errorf("%s: %d; a bad or missing token gets 401", c.name, resp.StatusCode)
				case !allowed && c.valid && resp.StatusCode != http.StatusForbidden:
					t.Errorf("%s: %d; a good token without the role gets 403", c.name, resp.StatusCode)
				}
			}
		})
	}
}

// others are the roles not in roles.
func others(roles []auth.Role) []auth.Role {
	var out []auth.Role
	for _, r := range auth.Roles {
		if !slices.Contains(roles, r) {
			out = append(out, r)
		}
	}
	return out
}

// call sends an empty JSON object (for a POST) with the Authorization header
// given, if any.
func call(t *testing.T, method, path, authorization string) (*http.Response, []byte) {
	t.Helper()
	var body *bytes.Reader
	if method == http.MethodPost {
		body = bytes.NewReader([]byte(`{}`))
	} else {
		body = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, env.stack.APIURL()+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return do(t, req)
}

// Behind the HTTP API the function checks the role again: invoked directly
// with the claims of a caller whose role the route does not admit (as if the
// route had been attached to the wrong scopes), it refuses with 403, and
// without any claims with 401.
func TestFunctionChecksTheRoleAgain(t *testing.T) {
	id := ids.NewULID(time.Now())
	path := "/referrals/" + id
	invoke := func(authz *events.APIGatewayV2HTTPRequestContextAuthorizerDescription) events.APIGatewayV2HTTPResponse {
		t.Helper()
		ev := events.APIGatewayV2HTTPRequest{
			Version:        "2.0",
			RouteKey:       "GET /referrals/{id}",
			RawPath:        path,
			PathParameters: map[string]string{"id": id},
			RequestContext: events.APIGatewayV2HTTPRequestContext{
				RouteKey:   "GET /referrals/{id}",
				RequestID:  "access-test",
				Authorizer: authz,
				HTTP:       events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: path, SourceIP: "127.0.0.1"},
			},
		}
		payload, _ := json.Marshal(ev)
		out, err := env.stack.Invoke(context.Background(), "GetReferralFunction", payload)
		if err != nil {
			t.Fatal(err)
		}
		var resp events.APIGatewayV2HTTPResponse
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		return resp
	}
	tests := []struct {
		name   string
		authz  *events.APIGatewayV2HTTPRequestContextAuthorizerDescription
		status int
	}{
		{"wrong roles", authorizerContext(t, auth.Police, auth.Helpline, auth.ProviderRHI, auth.ProviderAA), http.StatusForbidden},
		{"no claims", nil, http.StatusUnauthorized},
		{"the right role: the function runs and finds nothing", authorizerContext(t, auth.MASH), http.StatusNotFound},
	}
	for _, tt := range tests {
		if resp := invoke(tt.authz); resp.StatusCode != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, resp.StatusCode, resp.Body, tt.status)
		}
	}
}

// readmeRow is a row of a README access table: whether its second column
// holds ✓, and the roles of the other columns that do.
type readmeRow struct {
	second bool
	roles  []auth.Role
}

// readmeTable yields each row of the README's table whose first two
// headers are first and second (who may call what), by the route or page
// in its first cell.
func readmeTable(t *testing.T, first, second string) iter.Seq2[string, readmeRow] {
	t.Helper()
	src, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return func(yield func(string, readmeRow) bool) {
		var header []string
		for _, line := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(line, "|---") {
				continue
			}
			if !strings.HasPrefix(line, "| ") {
				header = nil
				continue
			}
			cells := strings.Split(strings.Trim(line, "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			if cells[0] == first && len(cells) > 2 && cells[1] == second {
				header = cells
				continue
			}
			if header == nil || !strings.HasPrefix(cells[0], "`") || len(cells) != len(header) {
				continue
			}
			var roles []auth.Role
			for i, c := range cells[2:] {
				if c == "✓" {
					roles = append(roles, auth.Role(header[i+2]))
				}
			}
			if !yield(strings.Trim(cells[0], "`"), readmeRow{second: cells[1] == "✓", roles: roles}) {
				return
			}
		}
	}
}

// The README's access table says the same as accessMatrix.
func TestREADMEAccessTable(t *testing.T) {
	rows := map[string]access{}
	for key, row := range readmeTable(t, "route", "no token") {
		a := access{open: row.second}
		if !a.open {
			a.roles = row.roles
		}
		rows[key] = a
	}
	if len(rows) == 0 {
		t.Fatal("README.md has no access table (| route | no token | police | ... |)")
	}
	for key, want := range accessMatrix {
		got, ok := rows[key]
		if !ok {
			t.Errorf("README access table has no row for %s", key)
			continue
		}
		slices.Sort(got.roles)
		w := slices.Clone(want.roles)
		slices.Sort(w)
		if got.open != want.open || !slices.Equal(got.roles, w) {
			t.Errorf("README says %s is open=%v for %v; accessMatrix says open=%v for %v", key, got.open, got.roles, want.open, w)
		}
	}
	for key := range rows {
		if _, ok := accessMatrix[key]; !ok {
			t.Errorf("README access table has a row for %s, which accessMatrix lacks", key)
		}
	}
}
