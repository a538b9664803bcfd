package e2e

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/infra/localauth"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/web"
	"github.com/csc-frontdoor/frontdoor/shared/web/session"
)

// staffAccess is who may use each staff page, written out by hand as the
// API's accessMatrix is: every page behind sign-in must have a row
// (web.StaffAccess lists them), and each row must be what the pages check.
// nil is anyone signed in.
var staffAccess = map[string][]auth.Role{
	"POST /staff/sign-out":                nil,
	"GET /staff":                          {auth.Helpline, auth.MASH, auth.MASHManager, auth.ProviderRHI, auth.ProviderAA},
	"GET /staff/queue":                    {auth.MASH, auth.MASHManager},
	"GET /staff/referrals/{id}":           {auth.MASH, auth.MASHManager},
	"GET /staff/referrals/{id}/decision":  {auth.MASH, auth.MASHManager},
	"POST /staff/referrals/{id}/decision": {auth.MASH, auth.MASHManager},
	"GET /staff/figures":                  {auth.MASHManager},
	"GET /staff/figures/census.csv":       {auth.MASHManager},
	"GET /staff/escalations":              {auth.MASHManager},
	"POST /staff/escalations/{id}":        {auth.MASHManager},
	"GET /staff/referrals/{id}/audit":     {auth.MASHManager},
	"GET /staff/follow-ups":               {auth.ProviderRHI, auth.ProviderAA, auth.MASHManager},
	"GET /staff/follow-ups/{id}":          {auth.ProviderRHI, auth.ProviderAA, auth.MASHManager},
	"POST /staff/follow-ups/{id}":         {auth.ProviderRHI, auth.ProviderAA},
	"GET /staff/calls":                    {auth.Helpline},
	"GET /staff/calls/new":                {auth.Helpline},
	"POST /staff/calls/new":               {auth.Helpline},
	"POST /staff/calls/{id}/refer":        {auth.Helpline},
}

// staffSignIn signs in over HTTP through the local provider, as a browser
// does, and returns the session's cookie.
func staffSignIn(t *testing.T, user string, roles ...auth.Role) string {
	t.Helper()
	get := func(u, cookie string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := noRedirects.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := get(env.stack.APIURL()+"/staff/sign-in", "")
	pending := resp.Cookies()[0]
	authURL, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d %v", resp.StatusCode, err)
	}
	form := authURL.Query()
	form.Set("user", user)
	for _, r := range roles {
		form.Add("role", string(r))
	}
	form.Set("action", "sign-in")
	req, _ := http.NewRequest(http.MethodPost, env.stack.APIURL()+localauth.IssuerPath+"/authorize", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err = noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("provider sign-in: %d", resp.StatusCode)
	}
	resp = get(resp.Header.Get("Location"), pending.Name+"="+pending.Value)
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) != 1 {
		t.Fatalf("callback: %d", resp.StatusCode)
	}
	c := resp.Cookies()[0]
	return c.Name + "=" + c.Value
}

// staffCall calls a page with a cookie (and, for a post, the page's form
// token when csrf is set) and returns the status, where it redirects to,
// and the body.
func staffCall(t *testing.T, method, path, cookie, csrf string) (int, string, string) {
	t.Helper()
	form := url.Values{}
	if csrf != "" {
		form.Set("csrf", csrf)
	}
	req, _ := http.NewRequest(method, env.stack.APIURL()+path, strings.NewReader(form.Encode()))
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// TestStaffPagesAccess calls every staff page as every role, signed out,
// with a tampered cookie, with a session past its idle time and with one
// signed in at another identity provider: a page
// answers those its row admits, refuses the other roles with 403 (saying
// nothing of the record), and sends everyone else to sign in. A page
// without a row fails.
func TestStaffPagesAccess(t *testing.T) {
	pages := web.StaffAccess()
	for p := range pages {
		if _, ok := staffAccess[p]; !ok {
			t.Errorf("staff page %s has no row in staffAccess: add who may use it", p)
		}
	}
	for p, want := range staffAccess {
		got, ok := pages[p]
		if !ok {
			t.Errorf("staffAccess has a row for %s, which is not a staff page", p)
			continue
		}
		if !slices.Equal(sortedRoles(got), sortedRoles(want)) {
			t.Errorf("%s: the pages admit %v, the matrix says %v", p, got, want)
		}
	}

	r := submit(t, "single-child.json")
	waitFor(t, r.ID, triaged)
	concrete := func(pattern string) (string, string) {
		method, path, _ := strings.Cut(pattern, " ")
		return method, strings.ReplaceAll(path, "{id}", r.ID)
	}
	csrfOf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)

	// A session past its idle time, still in the table (its time-to-live
	// removes it only later): last seen 31 minutes ago.
	expired := &session.Session{ID: "expired-session-" + time.Now().Format("150405.000000000"), Status: session.Active, Subject: "screener-old",
		Roles: []auth.Role{auth.MASH, auth.MASHManager}, CSRF: "x", StartedAt: time.Now().Add(-time.Hour), LastSeenAt: time.Now().Add(-31 * time.Minute)}
	if err := dynamo.New(env.ddb, env.table).SaveSession(context.Background(), expired); err != nil {
		t.Fatal(err)
	}
	// A session in good time but signed in at another identity provider
	// (one the pages used before, say).
	otherIssuer := &session.Session{ID: "other-issuer-session-" + time.Now().Format("150405.000000000"), Status: session.Active, Subject: "screener-elsewhere",
		Roles: []auth.Role{auth.MASH, auth.MASHManager}, Issuer: "https://another-issuer.example", CSRF: "x", StartedAt: time.Now(), LastSeenAt: time.Now()}
	if err := dynamo.New(env.ddb, env.table).SaveSession(context.Background(), otherIssuer); err != nil {
		t.Fatal(err)
	}
	callers := map[string]string{
		"signed out":           "",
		"tampered cookie":      "__Host-frontdoor-session=not-a-session",
		"expired session":      "__Host-frontdoor-session=" + expired.ID,
		"other-issuer session": "__Host-frontdoor-session=" + otherIssuer.ID,
	}
	for name, cookie := range callers {
		for pattern := range staffAccess {
			method, path := concrete(pattern)
			status, loc, _ := staffCall(t, method, path, cookie, "")
			switch method {
			case http.MethodGet:
				if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/staff/sign-in?return=") {
					t.Errorf("%s: %s: %d to %q, want to sign in", name, pattern, status, loc)
				}
			default:
				if status != http.StatusUnauthorized {
					t.Errorf("%s: %s: %d, want 401", name, pattern, status)
				}
			}
		}
	}

	for _, role := range auth.Roles {
		cookie := staffSignIn(t, "matrix-"+string(role), role)
		csrf := ""
		if _, _, body := staffCall(t, http.MethodGet, "/staff", cookie, ""); csrfOf.MatchString(body) {
			csrf = csrfOf.FindStringSubmatch(body)[1]
		}
		for pattern, allowed := range staffAccess {
			if pattern == "POST /staff/sign-out" {
				continue // tried last, below
			}
			method, path := concrete(pattern)
			status, loc, body := staffCall(t, method, path, cookie, csrf)
			admitted := allowed == nil || slices.Contains(allowed, role)
			switch {
			case !admitted:
				if status != http.StatusForbidden || !strings.Contains(body, "You do not have access") || strings.Contains(body, r.Reference) {
					t.Errorf("%s: %s: %d, want 403 saying nothing of the referral", role, pattern, status)
				}
			case method == http.MethodGet:
				// The page, or (for a follow-up page given a referral's id)
				// that there is no such record: an answer, not a refusal.
				if status != http.StatusOK && !(strings.Contains(pattern, "follow-ups/{id}") && status == http.StatusNotFound) {
					t.Errorf("%s: %s: %d to %q, want 200", role, pattern, status, loc)
				}
			default:
				// An empty form: its own errors (or no such record), not a
				// refusal.
				if status != http.StatusUnprocessableEntity && !(strings.Contains(pattern, "{id}") && status == http.StatusNotFound) {
					t.Errorf("%s: %s: %d, want 422", role, pattern, status)
				}
			}
		}
		if status, loc, _ := staffCall(t, http.MethodPost, "/staff/sign-out", cookie, csrf); csrf != "" && (status != http.StatusSeeOther || loc != "/staff/signed-out") {
			t.Errorf("%s: sign-out: %d to %q", role, status, loc)
		}
	}
}

func sortedRoles(rs []auth.Role) []auth.Role {
	out := slices.Clone(rs)
	slices.Sort(out)
	return out
}

// TestREADMEStaffPagesTable: the README's table of who may use each staff
// page is staffAccess.
func TestREADMEStaffPagesTable(t *testing.T) {
	rows := map[string][]auth.Role{}
	for page, row := range readmeTable(t, "page", "signed out") {
		if row.second {
			t.Errorf("README: %s is open to the signed out", page)
		}
		rows[page] = row.roles
	}
	if len(rows) == 0 {
		t.Fatal("README.md has no staff pages table (| page | signed out | police | ... |)")
	}
	for p, want := range staffAccess {
		if want == nil {
			want = auth.Roles
		}
		got, ok := rows[p]
		if !ok {
			t.Errorf("README staff pages table has no row for %s", p)
			continue
		}
		if !slices.Equal(sortedRoles(got), sortedRoles(want)) {
			t.Errorf("README: %s admits %v, staffAccess %v", p, got, want)
		}
	}
	for p := range rows {
		if _, ok := staffAccess[p]; !ok {
			t.Errorf("README staff pages table has a row for %s, which staffAccess does not", p)
		}
	}
}

// TestCensusExport: the manager downloads the period's referrals as the
// census's CSV; a referral decided with no further action is in it with
// its flags and without its names, and its export is audited.
func TestCensusExport(t *testing.T) {
	r := submit(t, "single-child.json")
	v := waitFor(t, r.ID, triaged)
	if resp, b := postAs(t, "/referrals/"+r.ID+"/decisions", decisionBody(v.Version, "no-further-action", `, "adviceGiven": "Advice to the school."`), auth.MASH); resp.StatusCode != http.StatusCreated {
		t.Fatalf("decision: %d %s", resp.StatusCode, b)
	}
	cookie := staffSignIn(t, "manager-csv", auth.MASHManager)
	day := r.ReceivedAt.In(calendar.London()).Format(time.DateOnly)
	req, _ := http.NewRequest(http.MethodGet, env.stack.APIURL()+"/staff/figures/census.csv?from="+day+"&to="+day, nil)
	req.Header.Set("Cookie", cookie)
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil || resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("census: %d %v %v", resp.StatusCode, resp.Header, err)
	}
	if !slices.Equal(rows[0], []string{"ReferralDate", "ReferralSource", "ReReferral", "ReferralNFA", "PrimaryNeedCode"}) {
		t.Errorf("header %v", rows[0])
	}
	nfa := 0
	for _, row := range rows[1:] {
		if row[0] != day || len(row) != 5 {
			t.Errorf("row %v outside %s", row, day)
		}
		if row[3] == "1" {
			nfa++
		}
		for _, cell := range row {
			if strings.Contains(cell, "Test") {
				t.Errorf("a name in the census: %v", row)
			}
		}
	}
	if nfa < 1 {
		t.Errorf("no referral with no further action among %d rows", len(rows)-1)
	}
	found := false
	for _, e := range itemsUnder(t, "REFERRAL#"+r.ID, "AUDIT#") {
		found = found || str(e, "action") == "referral.census-exported"
	}
	if !found {
		t.Error("the export of the referral is not in its audit trail")
	}
}
