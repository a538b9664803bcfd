package e2e

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// token returns a bearer token from the local issuer for a caller holding
// roles (as the token's scopes), valid for 15 minutes. Its subject names
// the roles, so audit entries show who acted.
func token(t testing.TB, roles ...auth.Role) string {
	t.Helper()
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	sub := "e2e-" + strings.Join(names, "+")
	if len(roles) == 0 {
		sub = "e2e-no-role"
	}
	tok, err := env.stack.Auth().Mint(sub, names, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// getAs sends GET path as a caller holding roles. With no roles it sends no
// Authorization header at all.
func getAs(t *testing.T, path string, roles ...auth.Role) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.stack.APIURL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	signIn(t, req, roles)
	return do(t, req)
}

// postAs sends POST path with a JSON body as a caller holding roles. With no
// roles it sends no Authorization header at all.
func postAs(t *testing.T, path string, body []byte, roles ...auth.Role) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, env.stack.APIURL()+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	signIn(t, req, roles)
	return do(t, req)
}

// signIn adds a bearer token for roles to req, or nothing when there are no
// roles.
func signIn(t testing.TB, req *http.Request, roles []auth.Role) {
	t.Helper()
	if len(roles) > 0 {
		req.Header.Set("Authorization", "Bearer "+token(t, roles...))
	}
}

// authorizerContext is what the HTTP API's JWT authorizer passes a function
// for a caller holding roles, for tests that invoke a function directly.
func authorizerContext(t testing.TB, roles ...auth.Role) *events.APIGatewayV2HTTPRequestContextAuthorizerDescription {
	t.Helper()
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	now := time.Now()
	return &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
		Claims: map[string]string{
			"iss": env.stack.Auth().Issuer, "aud": env.stack.Auth().Audience, "sub": "e2e-direct",
			"scope": strings.Join(names, " "),
			"iat":   strconv.FormatInt(now.Unix(), 10), "exp": strconv.FormatInt(now.Add(15*time.Minute).Unix(), 10),
		},
		Scopes: names,
	}}
}
