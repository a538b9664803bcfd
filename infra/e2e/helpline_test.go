package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/helpline"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// callSample reads a body from events/helpline. The functions run on the
// real clock, so a call's calledAt is moved to ago before now.
func callSample(t *testing.T, name string, ago time.Duration) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../events/helpline", name))
	if err != nil {
		t.Fatal(err)
	}
	if name == "escalation-referral.json" || name == "invalid.json" {
		return b
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["calledAt"]; !ok {
		t.Fatalf("%s has no calledAt; update this test", name)
	}
	m["calledAt"] = time.Now().Add(-ago).UTC().Format(time.RFC3339)
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	return b
}

// callReceipt is the 201 body of POST /helpline-calls.
type callReceipt struct {
	ID                  string    `json:"id"`
	Status              string    `json:"status"`
	Version             int       `json:"version"`
	CalledAt            time.Time `json:"calledAt"`
	LoggedAt            time.Time `json:"loggedAt"`
	SafeguardingConcern bool      `json:"safeguardingConcern"`
}

// callPage is the body of GET /helpline-calls.
type callPage struct {
	Calls []struct {
		ID         string    `json:"id"`
		Status     string    `json:"status"`
		CalledAt   time.Time `json:"calledAt"`
		LoggedBy   string    `json:"loggedBy"`
		ReferralID string    `json:"referralId"`
		Call       struct {
			Caller struct {
				Type      string `json:"type"`
				Anonymous bool   `json:"anonymous"`
				FirstName string `json:"firstName"`
			} `json:"caller"`
			Topics              []string `json:"topics"`
			SafeguardingConcern bool     `json:"safeguardingConcern"`
		} `json:"call"`
	} `json:"calls"`
	Next string `json:"next"`
}

func (p callPage) ids() []string {
	out := make([]string, len(p.Calls))
	for i, c := range p.Calls {
		out[i] = c.ID
	}
	return out
}

// logCall logs a sample call taken ago before now and returns its receipt.
func logCall(t *testing.T, name string, ago time.Duration) callReceipt {
	t.Helper()
	resp, b := postAs(t, "/helpline-calls", callSample(t, name, ago), auth.Helpline)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("log %s: %d %s", name, resp.StatusCode, b)
	}
	return decode[callReceipt](t, b)
}

// listCalls lists calls with the given query as a caller holding role.
func listCalls(t *testing.T, query url.Values, role auth.Role) callPage {
	t.Helper()
	resp, b := getAs(t, "/helpline-calls?"+query.Encode(), role)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /helpline-calls?%s: %d %s", query.Encode(), resp.StatusCode, b)
	}
	if bytes.Contains(b, []byte("scalationSecret")) {
		t.Errorf("the list shows the escalation secret: %s", b)
	}
	return decode[callPage](t, b)
}

// callAudit returns the audit entries filed under a call: action and the
// actor's role.
func callAudit(t *testing.T, id string) [][2]string {
	t.Helper()
	var entries [][2]string
	for _, item := range helplineAuditItems(t, id) {
		actor := item["actor"].(*types.AttributeValueMemberM).Value
		entries = append(entries, [2]string{str(item, "action"), actor["role"].(*types.AttributeValueMemberS).Value})
	}
	return entries
}

// helplineItemCount counts the items filed under any helpline call.
func helplineItemCount(t *testing.T) int {
	t.Helper()
	n := 0
	p := dynamodb.NewScanPaginator(env.ddb, &dynamodb.ScanInput{
		TableName:                 &env.table,
		FilterExpression:          aws.String("begins_with(pk, :h)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":h": &types.AttributeValueMemberS{Value: "HELPLINE#"}},
		ConsistentRead:            aws.Bool(true),
	})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.Items)
	}
	return n
}

// referralsFromCall returns the ids of the referrals whose origin is the call.
func referralsFromCall(t *testing.T, callID string) []string {
	t.Helper()
	return scanIDs(t, "#type = :type AND origin.id = :v", "referral", callID)
}

// scanIDs returns the ids of the items of the type for which filter holds,
// with :type the type and :v the value.
func scanIDs(t *testing.T, filter, typ, v string) []string {
	t.Helper()
	var found []string
	p := dynamodb.NewScanPaginator(env.ddb, &dynamodb.ScanInput{
		TableName:                &env.table,
		FilterExpression:         aws.String(filter),
		ExpressionAttributeNames: map[string]string{"#type": "type"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":type": &types.AttributeValueMemberS{Value: typ}, ":v": &types.AttributeValueMemberS{Value: v},
		},
		ConsistentRead: aws.Bool(true),
	})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range out.Items {
			found = append(found, str(item, "id"))
		}
	}
	return found
}

// around is a query for the calls taken between from and to before now.
func around(from, to time.Duration) url.Values {
	now := time.Now().UTC()
	return url.Values{"from": {now.Add(-from).Format(time.RFC3339)}, "to": {now.Add(-to).Format(time.RFC3339)}}
}

func TestHelplineCallIsLoggedListedAndAudited(t *testing.T) {
	anon := logCall(t, "anonymous-parent.json", 10*time.Minute)
	if !ids.IsULID(anon.ID) || anon.Status != "LOGGED" || anon.Version != 1 || anon.SafeguardingConcern {
		t.Fatalf("receipt %+v", anon)
	}
	if got := getItem(t, "HELPLINE#"+anon.ID, "HELPLINE"); str(got, "status") != "LOGGED" {
		t.Fatalf("stored item %v", got)
	}
	if a := callAudit(t, anon.ID); !slices.Equal(a, [][2]string{{"helpline.call-logged", "helpline"}}) {
		t.Fatalf("audit after logging: %v", a)
	}
	concern := logCall(t, "named-carer-concern.json", 20*time.Minute)

	q := around(30*time.Minute, -time.Minute)
	page := listCalls(t, q, auth.Helpline)
	i, j := slices.Index(page.ids(), anon.ID), slices.Index(page.ids(), concern.ID)
	if i < 0 || j < 0 || i > j {
		t.Fatalf("list %v: want %s, then the older %s", page.ids(), anon.ID, concern.ID)
	}
	c := page.Calls[i]
	if !c.Call.Caller.Anonymous || c.Call.Caller.FirstName != "" || c.Call.Caller.Type != "parent" ||
		!slices.Equal(c.Call.Topics, []string{"sleep", "behaviour"}) || c.LoggedBy != "e2e-helpline" || c.Status != "LOGGED" {
		t.Errorf("listed call %+v", c)
	}
	for _, times := range [][2]time.Time{{page.Calls[j].CalledAt, concern.CalledAt}, {c.CalledAt, anon.CalledAt}} {
		if !times[0].Equal(times[1]) {
			t.Errorf("calledAt listed %v, logged %v", times[0], times[1])
		}
	}
	for _, id := range []string{anon.ID, concern.ID} {
		if a := callAudit(t, id); !slices.Contains(a, [2]string{"helpline.call-read", "helpline"}) {
			t.Errorf("call %s: the list read was not audited: %v", id, a)
		}
	}

	// The filter on the concern, and a range that leaves the calls out.
	q.Set("safeguardingConcern", "true")
	if got := listCalls(t, q, auth.Helpline).ids(); !slices.Contains(got, concern.ID) || slices.Contains(got, anon.ID) {
		t.Errorf("concern calls %v: want %s and not %s", got, concern.ID, anon.ID)
	}
	q.Set("safeguardingConcern", "false")
	if got := listCalls(t, q, auth.Helpline).ids(); slices.Contains(got, concern.ID) || !slices.Contains(got, anon.ID) {
		t.Errorf("calls without a concern %v: want %s and not %s", got, anon.ID, concern.ID)
	}
	if got := listCalls(t, around(15*time.Minute, 5*time.Minute), auth.Helpline).ids(); !slices.Contains(got, anon.ID) || slices.Contains(got, concern.ID) {
		t.Errorf("calls from 15 to 5 minutes ago %v: want %s only of the two", got, anon.ID)
	}

	// A MASH manager may read the list, and that read is audited as theirs.
	if got := listCalls(t, around(30*time.Minute, -time.Minute), auth.MASHManager).ids(); !slices.Contains(got, anon.ID) {
		t.Errorf("manager's list %v lacks %s", got, anon.ID)
	}
	if a := callAudit(t, anon.ID); !slices.Contains(a, [2]string{"helpline.call-read", "mash-manager"}) {
		t.Errorf("the manager's read was not audited: %v", a)
	}

	// Pages of one, newest first, follow the cursor to the end.
	q = around(30*time.Minute, -time.Minute)
	q.Set("limit", "1")
	var walked []string
	for pages := 0; ; pages++ {
		p := listCalls(t, q, auth.Helpline)
		walked = append(walked, p.ids()...)
		if p.Next == "" || pages > 50 {
			break
		}
		q = url.Values{"cursor": {p.Next}, "limit": {"1"}}
	}
	if !slices.Equal(walked, page.ids()) {
		t.Errorf("paged one at a time %v, want %v", walked, page.ids())
	}
}

// logCallAs sends POST /helpline-calls as the helpline adviser whose
// token's subject is sub, with the Idempotency-Key key unless it is empty.
func logCallAs(t *testing.T, sub, key string, body []byte) (*http.Response, []byte) {
	t.Helper()
	tok, err := env.stack.Auth().Mint(sub, []string{string(auth.Helpline)}, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	h := map[string]string{"Authorization": "Bearer " + tok}
	if key != "" {
		h["Idempotency-Key"] = key
	}
	return post(t, "/helpline-calls", "application/json", body, h)
}

// callsLoggedBy returns the ids of the calls logged by the adviser sub.
func callsLoggedBy(t *testing.T, sub string) []string {
	t.Helper()
	return scanIDs(t, "#type = :type AND loggedBy = :v", "helpline-call", sub)
}

func TestHelplineIdempotencyKey(t *testing.T) {
	nano := time.Now().UnixNano()
	adviserA, adviserB := fmt.Sprintf("e2e-helpline-idem-a-%d", nano), fmt.Sprintf("e2e-helpline-idem-b-%d", nano)
	key := fmt.Sprintf("call-%d", nano)
	body := callSample(t, "anonymous-parent.json", 10*time.Minute)
	logged := [][2]string{{"helpline.call-logged", "helpline"}}
	before := helplineItemCount(t)

	resp1, b1 := logCallAs(t, adviserA, key, body)
	if resp1.StatusCode != http.StatusCreated || resp1.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d replayed=%q %s", resp1.StatusCode, resp1.Header.Get("Idempotent-Replayed"), b1)
	}
	first := decode[callReceipt](t, b1)
	if !ids.IsULID(first.ID) {
		t.Fatalf("receipt %s", b1)
	}

	// The same call re-indented, sent again with the key: the first
	// receipt, and nothing more stored.
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	reformatted, _ := json.MarshalIndent(v, "", "    ")
	resp2, b2 := logCallAs(t, adviserA, key, reformatted)
	if resp2.StatusCode != http.StatusCreated || resp2.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d replayed=%q %s", resp2.StatusCode, resp2.Header.Get("Idempotent-Replayed"), b2)
	}
	if !bytes.Equal(b1, b2) {
		t.Errorf("retry got a different receipt:\n%s\n%s", b1, b2)
	}
	if got := callsLoggedBy(t, adviserA); !slices.Equal(got, []string{first.ID}) {
		t.Errorf("calls stored for adviser A %v, want only %s", got, first.ID)
	}
	if a := callAudit(t, first.ID); !slices.Equal(a, logged) {
		t.Errorf("audit of the call %v, want one entry %v", a, logged)
	}
	if n := helplineItemCount(t); n != before+2 {
		t.Errorf("helpline items grew by %d, want 2 (the call and its audit entry)", n-before)
	}

	// The key is remembered for a day, scoped to the route and the adviser.
	rec := getItem(t, "IDEMPOTENCY#"+idempotency.Key{Route: "POST /helpline-calls", Scope: adviserA, Value: key}.Hash(), "IDEMPOTENCY")
	if rec == nil {
		t.Fatal("no idempotency record under the key hashed with the adviser")
	}
	expires, err := strconv.ParseInt(rec["expiresAt"].(*types.AttributeValueMemberN).Value, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	if ttl := time.Unix(expires, 0).Sub(first.LoggedAt); ttl < 24*time.Hour-time.Second || ttl > 24*time.Hour {
		t.Errorf("the key is kept %v after the call was logged, want 24h", ttl)
	}

	// The same key with a different call: 422 naming the key, nothing stored.
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	m["durationMinutes"] = m["durationMinutes"].(float64) + 1
	other, _ := json.Marshal(m)
	resp3, b3 := logCallAs(t, adviserA, key, other)
	if resp3.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("same key, other call: %d %s", resp3.StatusCode, b3)
	}
	if p := decode[problem](t, b3); len(p.Errors) != 1 || p.Errors[0].Field != "Idempotency-Key" {
		t.Errorf("problem %+v should name Idempotency-Key", p)
	}
	if n := helplineItemCount(t); n != before+2 {
		t.Errorf("a refused key reuse wrote %d helpline items", n-before-2)
	}

	// Another adviser with the same key logs a call of their own.
	resp4, b4 := logCallAs(t, adviserB, key, body)
	if resp4.StatusCode != http.StatusCreated || resp4.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("another adviser: %d replayed=%q %s", resp4.StatusCode, resp4.Header.Get("Idempotent-Replayed"), b4)
	}
	second := decode[callReceipt](t, b4)
	if second.ID == first.ID {
		t.Fatalf("another adviser's call got the first adviser's receipt %s", b4)
	}
	if got := callsLoggedBy(t, adviserB); !slices.Equal(got, []string{second.ID}) {
		t.Errorf("calls stored for adviser B %v, want only %s", got, second.ID)
	}
	if a := callAudit(t, second.ID); !slices.Equal(a, logged) {
		t.Errorf("audit of the second call %v, want one entry %v", a, logged)
	}
	if got := callsLoggedBy(t, adviserA); !slices.Equal(got, []string{first.ID}) {
		t.Errorf("calls stored for adviser A %v, want only %s", got, first.ID)
	}

	// A key that breaks the rules is refused before anything is stored.
	resp5, b5 := logCallAs(t, adviserA, "has space", body)
	if resp5.StatusCode != http.StatusUnprocessableEntity || !bytes.Contains(b5, []byte(`"Idempotency-Key"`)) {
		t.Errorf("bad key: %d %s", resp5.StatusCode, b5)
	}
	if n := helplineItemCount(t); n != before+4 {
		t.Errorf("helpline items grew by %d, want 4 (two calls, each with its audit entry)", n-before)
	}
}

// TestHelplineConcurrentRetriesLogOneCall sends the same keyed call from
// several clients at once, as a browser retrying after a timeout might.
func TestHelplineConcurrentRetriesLogOneCall(t *testing.T) {
	nano := time.Now().UnixNano()
	sub, key := fmt.Sprintf("e2e-helpline-race-%d", nano), fmt.Sprintf("race-%d", nano)
	body := callSample(t, "anonymous-parent.json", 10*time.Minute)
	const n = 6
	statuses := make([]int, n)
	bodies := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			resp, b := logCallAs(t, sub, key, body)
			statuses[i], bodies[i] = resp.StatusCode, b
		})
	}
	wg.Wait()
	for i := range n {
		if statuses[i] != http.StatusCreated || !bytes.Equal(bodies[i], bodies[0]) {
			t.Fatalf("responses %v: want every one 201 with the same receipt; %s", statuses, bodies[i])
		}
	}
	calls := callsLoggedBy(t, sub)
	if len(calls) != 1 || !bytes.Contains(bodies[0], []byte(calls[0])) {
		t.Fatalf("calls stored %v, want the one on the receipt %s", calls, bodies[0])
	}
	if a := callAudit(t, calls[0]); len(a) != 1 {
		t.Errorf("audit of the call %v, want one entry", a)
	}
}

func TestHelplineBadRequestsWriteNothing(t *testing.T) {
	valid := callSample(t, "anonymous-parent.json", time.Minute)
	tests := []struct {
		name   string
		method string
		path   string
		body   []byte
		status int
		fields []string // fields the problem must name
	}{
		{"invalid call", "POST", "/helpline-calls", callSample(t, "invalid.json", 0), 422,
			[]string{"calledAt", "durationMinutes", "caller.type", "caller.firstName", "caller.phone", "childAgeBands", "adviceGiven", "safeguardingConcern"}},
		{"anonymous caller's name", "POST", "/helpline-calls",
			bytes.Replace(valid, []byte(`"anonymous":true`), []byte(`"anonymous":true,"firstName":"Test"`), 1), 422, []string{"caller.firstName"}},
		{"unknown field", "POST", "/helpline-calls", bytes.Replace(valid, []byte(`"caller":{`), []byte(`"caller":{"surname":"x",`), 1), 400, []string{"caller.surname"}},
		{"wrong type", "POST", "/helpline-calls", []byte(`{"durationMinutes":"ten"}`), 400, []string{"durationMinutes"}},
		{"over 32 KiB", "POST", "/helpline-calls", append(bytes.Repeat([]byte(" "), 33<<10), valid...), 413, nil},
		{"garbled cursor", "GET", "/helpline-calls?cursor=garbled", nil, 400, []string{"cursor"}},
		{"range too long", "GET", "/helpline-calls?from=2026-01-01&to=2026-06-01", nil, 400, []string{"to"}},
		{"unknown parameter", "GET", "/helpline-calls?concern=true", nil, 400, []string{"concern"}},
		{"limit too high", "GET", "/helpline-calls?limit=101", nil, 400, []string{"limit"}},
	}
	if !bytes.Contains(valid, []byte(`"anonymous":true`)) || !bytes.Contains(valid, []byte(`"caller":{`)) {
		t.Fatal("anonymous-parent.json changed shape; update this test")
	}
	before := helplineItemCount(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp *http.Response
			var b []byte
			if tt.method == "GET" {
				resp, b = getAs(t, tt.path, auth.Helpline)
			} else {
				resp, b = postAs(t, tt.path, tt.body, auth.Helpline)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, b)
			}
			p := decode[problem](t, b)
			var named []string
			for _, e := range p.Errors {
				named = append(named, e.Field)
			}
			for _, f := range tt.fields {
				if !slices.Contains(named, f) {
					t.Errorf("problem names %v, want %s among them", named, f)
				}
			}
		})
	}
	if after := helplineItemCount(t); after != before {
		t.Errorf("helpline items %d before, %d after bad requests", before, after)
	}
}

func TestHelplineEscalation(t *testing.T) {
	call := logCall(t, "named-carer-concern.json", 5*time.Minute)
	form := callSample(t, "escalation-referral.json", 0)
	path := "/helpline-calls/" + call.ID + "/referrals"

	// A form whose referrer is not the helpline is refused, and nothing made.
	other := bytes.Replace(form, []byte(`"agencyType": "helpline"`), []byte(`"agencyType": "voluntary-sector"`), 1)
	if bytes.Equal(other, form) {
		t.Fatal(`escalation-referral.json no longer has "agencyType": "helpline"; update this test`)
	}
	resp, b := postAs(t, path, other, auth.Helpline)
	if resp.StatusCode != http.StatusUnprocessableEntity || !bytes.Contains(b, []byte(`"referrer.agencyType"`)) {
		t.Fatalf("escalation by another agency: %d %s", resp.StatusCode, b)
	}

	resp, b = postAs(t, path, form, auth.Helpline)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("escalate: %d %s", resp.StatusCode, b)
	}
	r := decode[receipt](t, b)
	if !ids.IsULID(r.ID) || r.Reference == "" || r.ReceiptToken == "" || resp.Header.Get("Location") != "/referrals/"+r.ID {
		t.Fatalf("receipt %s, location %q", b, resp.Header.Get("Location"))
	}

	// The referral goes through triage like any other and names its origin.
	waitFor(t, r.ID, triaged)
	resp, b = getAs(t, "/referrals/"+r.ID, auth.MASH)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET referral: %d %s", resp.StatusCode, b)
	}
	got := decode[struct {
		Origin *struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		} `json:"origin"`
		Source string `json:"referralSource"`
	}](t, b)
	if got.Origin == nil || got.Origin.Type != "helpline-call" || got.Origin.ID != call.ID || got.Source != "5B" {
		t.Errorf("referral origin %+v, source %q; want the call %s and 5B", got.Origin, got.Source, call.ID)
	}
	if a := auditActions(t, r.ID); a["referral.submitted"] != 1 {
		t.Errorf("referral audit %v", a)
	}

	// The call is marked with the referral, and the escalation audited.
	q := around(10*time.Minute, -time.Minute)
	q.Set("safeguardingConcern", "true")
	page := listCalls(t, q, auth.Helpline)
	k := slices.Index(page.ids(), call.ID)
	if k < 0 || page.Calls[k].Status != "ESCALATED" || page.Calls[k].ReferralID != r.ID {
		t.Fatalf("listed calls %+v: want %s escalated to %s", page.Calls, call.ID, r.ID)
	}
	if a := callAudit(t, call.ID); !slices.Contains(a, [2]string{"helpline.call-escalated", "helpline"}) {
		t.Errorf("call audit %v", a)
	}

	// Again: 409 naming the referral; never a second referral.
	resp, b = postAs(t, path, form, auth.Helpline)
	if resp.StatusCode != http.StatusConflict || !bytes.Contains(b, []byte(r.ID)) {
		t.Errorf("escalate again: %d %s; want 409 naming %s", resp.StatusCode, b, r.ID)
	}
	if refs := referralsFromCall(t, call.ID); !slices.Equal(refs, []string{r.ID}) {
		t.Errorf("referrals from the call %v, want only %s", refs, r.ID)
	}
}

func TestHelplineConcurrentEscalationsMakeOneReferral(t *testing.T) {
	call := logCall(t, "named-carer-concern.json", 5*time.Minute)
	form := callSample(t, "escalation-referral.json", 0)
	const n = 20
	statuses, bodies := concurrently(t, n, "/helpline-calls/"+call.ID+"/referrals", func(int) []byte { return form }, nil, auth.Helpline)
	refs := referralsFromCall(t, call.ID)
	if len(refs) != 1 {
		t.Fatalf("%d referrals from one call escalated %d times at once: %v", len(refs), n, refs)
	}
	created := 0
	for i, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
			if !bytes.Contains(bodies[i], []byte(refs[0])) {
				t.Errorf("attempt %d: 201 with another referral: %s", i, bodies[i])
			}
		case http.StatusConflict:
			if !bytes.Contains(bodies[i], []byte(refs[0])) {
				t.Errorf("attempt %d: 409 not naming %s: %s", i, refs[0], bodies[i])
			}
		default:
			t.Errorf("attempt %d: %d %s", i, s, bodies[i])
		}
	}
	if created == 0 {
		t.Error("no attempt succeeded")
	}
}

func TestHelplineEscalationRefused(t *testing.T) {
	form := callSample(t, "escalation-referral.json", 0)
	noConcern := logCall(t, "anonymous-parent.json", 5*time.Minute)
	tests := []struct {
		name   string
		id     string
		status int
	}{
		{"a call without a concern", noConcern.ID, http.StatusConflict},
		{"no such call", ids.NewULID(time.Now()), http.StatusNotFound},
		{"not a call id", "not-an-id", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := postAs(t, "/helpline-calls/"+tt.id+"/referrals", form, auth.Helpline)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tt.status, b)
			}
		})
	}
	if refs := referralsFromCall(t, noConcern.ID); len(refs) != 0 {
		t.Errorf("referrals %v made from a call without a concern", refs)
	}
}

func TestHelplineRoles(t *testing.T) {
	call := logCall(t, "named-carer-concern.json", 5*time.Minute)
	body := callSample(t, "anonymous-parent.json", time.Minute)
	form := callSample(t, "escalation-referral.json", 0)
	before := helplineItemCount(t)
	tests := []struct {
		name   string
		method string
		path   string
		body   []byte
		roles  []auth.Role
		status int
	}{
		{"police may not log", "POST", "/helpline-calls", body, []auth.Role{auth.Police}, http.StatusForbidden},
		{"police may not list", "GET", "/helpline-calls", nil, []auth.Role{auth.Police}, http.StatusForbidden},
		{"police may not escalate", "POST", "/helpline-calls/" + call.ID + "/referrals", form, []auth.Role{auth.Police}, http.StatusForbidden},
		{"a screener may not list", "GET", "/helpline-calls", nil, []auth.Role{auth.MASH}, http.StatusForbidden},
		{"a manager may not log", "POST", "/helpline-calls", body, []auth.Role{auth.MASHManager}, http.StatusForbidden},
		{"a manager may not escalate", "POST", "/helpline-calls/" + call.ID + "/referrals", form, []auth.Role{auth.MASHManager}, http.StatusForbidden},
		{"no token", "POST", "/helpline-calls", body, nil, http.StatusUnauthorized},
		{"no token to list", "GET", "/helpline-calls", nil, nil, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp *http.Response
			var b []byte
			if tt.method == "GET" {
				resp, b = getAs(t, tt.path, tt.roles...)
			} else {
				resp, b = postAs(t, tt.path, tt.body, tt.roles...)
			}
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tt.status, b)
			}
		})
	}
	if after := helplineItemCount(t); after != before {
		t.Errorf("helpline items %d before, %d after refused requests", before, after)
	}
	if refs := referralsFromCall(t, call.ID); len(refs) != 0 {
		t.Errorf("referrals %v made by callers without the helpline role", refs)
	}
}

// TestHelplineStoreListsAcrossMonths drives the store's list on DynamoDB
// Local with calls placed in three months (long ago, so that no other test's
// calls are in range): both halves of each month merged newest first, the
// filter, the range bounds, and pages that cross months.
func TestHelplineStoreListsAcrossMonths(t *testing.T) {
	store := dynamo.New(env.ddb, env.table)
	ctx := context.Background()
	base := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	at := []time.Time{ // oldest first
		base.AddDate(0, 0, -1),   // 28 Feb: before the range
		base,                     // 1 Mar 00:00: the range's first moment
		base.Add(36 * time.Hour), // 2 Mar
		base.AddDate(0, 0, 20),   // 21 Mar
		base.AddDate(0, 1, 0).Add(-time.Millisecond), // 31 Mar 23:59:59.999
		base.AddDate(0, 1, 0),                        // 1 Apr
		base.AddDate(0, 1, 14),                       // 15 Apr
		base.AddDate(0, 2, 3),                        // 4 May
		base.AddDate(0, 2, 10),                       // 11 May: the range's end, not included
	}
	var all []helpline.Record
	for i, when := range at {
		concern := i%2 == 1
		rec := &helpline.Record{
			ID: ids.NewULID(when), Status: helpline.StatusLogged, Version: 1, CalledAt: when, LoggedAt: when,
			LoggedBy: "e2e", EscalationSecret: ids.NewToken(),
			Call: helpline.Call{CalledAt: when.Format(time.RFC3339Nano), DurationMinutes: 5, SafeguardingConcern: &concern},
		}
		entry := audit.Entry{ID: ids.NewULID(when), At: when, Subject: audit.HelplineCall(rec.ID), Action: helpline.ActionLogged, Actor: audit.System("e2e")}
		if err := store.CreateHelplineCall(ctx, rec, nil, entry); err != nil {
			t.Fatal(err)
		}
		all = append(all, *rec)
	}
	slices.Reverse(all) // newest first
	inRange := all[1 : len(all)-1]
	from, to := base, base.AddDate(0, 2, 10)

	idsOf := func(recs []helpline.Record) []string {
		out := make([]string, len(recs))
		for i, r := range recs {
			out[i] = r.ID
		}
		return out
	}
	where := func(keep func(helpline.Record) bool) []string {
		var out []helpline.Record
		for _, r := range inRange {
			if keep(r) {
				out = append(out, r)
			}
		}
		return idsOf(out)
	}
	yes, no := true, false
	for _, tc := range []struct {
		name    string
		concern *bool
		want    []string
	}{
		{"every call", nil, idsOf(inRange)},
		{"with a concern", &yes, where(func(r helpline.Record) bool { return r.Call.Concern() })},
		{"without", &no, where(func(r helpline.Record) bool { return !r.Call.Concern() })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs, more, err := store.ListHelplineCalls(ctx, helpline.ListQuery{From: from, To: to, Concern: tc.concern, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if got := idsOf(recs); !slices.Equal(got, tc.want) || more {
				t.Errorf("listed %v (more %v), want %v", got, more, tc.want)
			}
			for limit := 1; limit <= 3; limit++ {
				var walked []string
				q := helpline.ListQuery{From: from, To: to, Concern: tc.concern, Limit: limit}
				for pages := 0; pages < 20; pages++ {
					recs, more, err := store.ListHelplineCalls(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					walked = append(walked, idsOf(recs)...)
					if !more {
						break
					}
					pos := helpline.PositionOf(&recs[len(recs)-1])
					q.After = &pos
				}
				if !slices.Equal(walked, tc.want) {
					t.Errorf("pages of %d: %v, want %v", limit, walked, tc.want)
				}
			}
		})
	}
	// The calls come back whole.
	recs, _, err := store.ListHelplineCalls(ctx, helpline.ListQuery{From: from, To: to, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r := recs[0]; r.ID != inRange[0].ID || !r.CalledAt.Equal(inRange[0].CalledAt) || r.Call.DurationMinutes != 5 || r.EscalationSecret == "" {
		t.Errorf("listed %+v", r)
	}
}

// TestHelplineNoPersonalDataInLogs checks that nothing a caller or the
// escalation form says about a person reached the functions' logs.
func TestHelplineNoPersonalDataInLogs(t *testing.T) {
	call := logCall(t, "named-carer-concern.json", 2*time.Minute)
	resp, b := postAs(t, "/helpline-calls/"+call.ID+"/referrals", callSample(t, "escalation-referral.json", 0), auth.Helpline)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("escalate: %d %s", resp.StatusCode, b)
	}
	if resp, b := postAs(t, "/helpline-calls", callSample(t, "invalid.json", 0), auth.Helpline); resp.StatusCode != 422 {
		t.Fatalf("invalid call: %d %s", resp.StatusCode, b)
	}
	listCalls(t, around(10*time.Minute, -time.Minute), auth.Helpline)
	if !logsContain(`"msg":"helpline call escalated"`) {
		t.Fatal("the helpline function's logs were not captured")
	}
	var personal []string
	for _, name := range []string{"anonymous-parent.json", "named-carer-concern.json", "invalid.json"} {
		var c map[string]any
		if err := json.Unmarshal(callSample(t, name, 0), &c); err != nil {
			t.Fatal(err)
		}
		caller := c["caller"].(map[string]any)
		for _, k := range []string{"firstName", "phone", "email"} {
			if v, ok := caller[k].(string); ok {
				personal = append(personal, v)
			}
		}
		personal = append(personal, c["adviceGiven"].(string))
	}
	personal = append(personal, bodyPeople(t, callSample(t, "escalation-referral.json", 0))...)
	for _, s := range personal {
		if len(s) >= 4 && logsContain(s) {
			t.Errorf("the logs contain %q", s)
		}
	}
	if len(personal) < 10 {
		t.Errorf("only %d personal strings checked: %q", len(personal), personal)
	}
}

// TestHelplineCallsAreTheTeams: the parenting helpline is one team working
// one line, so any adviser may list and escalate a call another adviser
// logged (a caller who rings back gets whoever answers). The audit trail
// says who did what to whose call: the logging adviser, each adviser who
// read it in a list, and the one who escalated it.
func TestHelplineCallsAreTheTeams(t *testing.T) {
	nano := time.Now().UnixNano()
	adviserA, adviserB := fmt.Sprintf("e2e-adviser-a-%d", nano), fmt.Sprintf("e2e-adviser-b-%d", nano)
	resp, b := logCallAs(t, adviserA, "", callSample(t, "named-carer-concern.json", 5*time.Minute))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("adviser A logs a call: %d %s", resp.StatusCode, b)
	}
	call := decode[callReceipt](t, b)
	tokB, err := env.stack.Auth().Mint(adviserB, []string{string(auth.Helpline)}, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	asB := map[string]string{"Authorization": "Bearer " + tokB}

	req, err := http.NewRequest(http.MethodGet, env.stack.APIURL()+"/helpline-calls?"+around(10*time.Minute, -time.Minute).Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", asB["Authorization"])
	resp, b = do(t, req)
	if resp.StatusCode != http.StatusOK || !bytes.Contains(b, []byte(call.ID)) {
		t.Fatalf("adviser B lists the team's calls: %d, %s not among them", resp.StatusCode, call.ID)
	}
	resp, b = post(t, "/helpline-calls/"+call.ID+"/referrals", "application/json", callSample(t, "escalation-referral.json", 0), asB)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("adviser B escalates adviser A's call: %d %s", resp.StatusCode, b)
	}

	who := map[string][]string{}
	for _, item := range helplineAuditItems(t, call.ID) {
		actor := item["actor"].(*types.AttributeValueMemberM).Value
		who[str(item, "action")] = append(who[str(item, "action")], actor["id"].(*types.AttributeValueMemberS).Value)
	}
	if !slices.Equal(who["helpline.call-logged"], []string{adviserA}) {
		t.Errorf("logged by %v, want %s", who["helpline.call-logged"], adviserA)
	}
	if !slices.Contains(who["helpline.call-read"], adviserB) {
		t.Errorf("read in a list by %v, want %s among them", who["helpline.call-read"], adviserB)
	}
	if !slices.Equal(who["helpline.call-escalated"], []string{adviserB}) {
		t.Errorf("escalated by %v, want %s", who["helpline.call-escalated"], adviserB)
	}
}

// helplineAuditItems returns the audit entries filed under a call.
func helplineAuditItems(t *testing.T, id string) []map[string]types.AttributeValue {
	t.Helper()
	return itemsUnder(t, "HELPLINE#"+id, "AUDIT#")
}
