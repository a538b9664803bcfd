package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
)

// custodyReceipt is the 202 body of POST /custody-requests.
type custodyReceipt struct {
	ID         string    `json:"id"`
	Reference  string    `json:"reference"`
	ReceivedAt time.Time `json:"receivedAt"`
	FollowUps  []struct {
		Kind  string    `json:"kind"`
		Label string    `json:"label"`
		DueAt time.Time `json:"dueAt"`
	} `json:"followUps"`
}

// custodyNumbers makes each sample's custody number its own.
var custodyNumbers atomic.Int64

// custodySample reads a custody request body from events/custody. The
// functions run on the real clock, so a valid sample's detainedAt is moved to
// ten minutes before now.
func custodySample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../events/custody", name))
	if err != nil {
		t.Fatal(err)
	}
	if name == "invalid.json" {
		return b
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["detainedAt"]; !ok {
		t.Fatalf("%s has no detainedAt; update this test", name)
	}
	m["detainedAt"] = time.Now().Add(-10 * time.Minute).UTC().Format(time.RFC3339)
	// Each call is another detention: a second request for the same custody
	// record while the first is open is linked to it (TestSecondCustodyRequestIsLinked).
	m["custodyNumber"] = fmt.Sprintf("E2E-%d", custodyNumbers.Add(1)+time.Now().UnixNano()%1e9*1000)
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	return b
}

// custodyItems returns the items in the partition of a custody request
// whose sort key begins with prefix.
func custodyItems(t *testing.T, id, prefix string) []map[string]types.AttributeValue {
	t.Helper()
	return itemsUnder(t, "CUSTODY#"+id, prefix)
}

// custodyItemCount counts the items in any custody request's partition.
func custodyItemCount(t *testing.T) int {
	t.Helper()
	n := 0
	p := dynamodb.NewScanPaginator(env.ddb, &dynamodb.ScanInput{
		TableName: &env.table, Select: types.SelectCount, ConsistentRead: aws.Bool(true),
		FilterExpression:          aws.String("begins_with(pk, :c)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":c": &types.AttributeValueMemberS{Value: "CUSTODY#"}},
	})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n += int(out.Count)
	}
	return n
}

// followUp is what the test reads of a stored follow-up.
type storedFollowUp struct {
	Kind   string
	Status string
	DueAt  time.Time
}

// waitForFollowUps polls the custody request's partition until it holds n
// follow-ups, for up to 30 s, and returns them sorted by kind.
func waitForFollowUps(t *testing.T, id string, n int) []storedFollowUp {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		items := custodyItems(t, id, "FOLLOWUP#")
		if len(items) >= n {
			var fs []storedFollowUp
			for _, it := range items {
				due, err := time.Parse(time.RFC3339Nano, str(it, "dueAt"))
				if err != nil {
					t.Fatalf("follow-up dueAt %q: %v", str(it, "dueAt"), err)
				}
				fs = append(fs, storedFollowUp{Kind: str(it, "kind"), Status: str(it, "status"), DueAt: due})
			}
			slices.SortFunc(fs, func(a, b storedFollowUp) int { return strings.Compare(a.Kind, b.Kind) })
			return fs
		}
		if time.Now().After(deadline) {
			t.Fatalf("custody request %s has %d follow-ups after 30 s, want %d", id, len(items), n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestCustodyRequestStartsFollowUps(t *testing.T) {
	tests := []struct {
		name  string
		kinds []string // sorted
	}{
		{"appropriate-adult.json", []string{"APPROPRIATE_ADULT"}},
		{"appropriate-adult-and-accommodation.json", []string{"APPROPRIATE_ADULT", "S38_ACCOMMODATION"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := postAs(t, "/custody-requests", custodySample(t, tt.name), auth.Police)
			if resp.StatusCode != http.StatusAccepted {
				t.Fatalf("status %d, body %s", resp.StatusCode, b)
			}
			r := decode[custodyReceipt](t, b)
			if !ids.IsULID(r.ID) || len(r.Reference) != ids.ReferenceLength+1 || r.ReceivedAt.IsZero() {
				t.Fatalf("incomplete receipt %s", b)
			}
			var kinds []string
			for _, f := range r.FollowUps {
				kinds = append(kinds, f.Kind)
				if f.Label == "" || !f.DueAt.After(r.ReceivedAt) {
					t.Errorf("receipt follow-up %+v", f)
				}
				if f.Kind == "APPROPRIATE_ADULT" && !f.DueAt.Equal(r.ReceivedAt.Add(2*time.Hour)) {
					t.Errorf("appropriate adult due %s on the receipt, want 2 h after %s", f.DueAt, r.ReceivedAt)
				}
			}
			slices.Sort(kinds)
			if !slices.Equal(kinds, tt.kinds) {
				t.Errorf("receipt follow-ups %v, want %v", kinds, tt.kinds)
			}

			// The request and its audit entry are stored; it is queued.
			reqItems := custodyItems(t, r.ID, "CUSTODY")
			if len(reqItems) != 1 {
				t.Fatalf("%d custody request items", len(reqItems))
			}
			item := reqItems[0]
			if str(item, "status") != "QUEUED" || str(item, "gsi1pk") != "" || str(item, "reference") != r.Reference {
				t.Errorf("custody item status %q gsi1pk %q reference %q; want QUEUED, out of ByState, %s",
					str(item, "status"), str(item, "gsi1pk"), str(item, "reference"), r.Reference)
			}
			if _, ok := item["request"].(*types.AttributeValueMemberM); !ok {
				t.Error("custody item has no request map")
			}
			audits := custodyItems(t, r.ID, "AUDIT#")
			if len(audits) != 1 || str(audits[0], "action") != "custody.submitted" {
				t.Errorf("audit items %v, want one custody.submitted", audits)
			}

			// The follow-up worker creates the follow-ups.
			fs := waitForFollowUps(t, r.ID, len(tt.kinds))
			var got []string
			for i, f := range fs {
				got = append(got, f.Kind)
				if f.Status != "OPEN" {
					t.Errorf("follow-up %s status %q, want OPEN", f.Kind, f.Status)
				}
				if f.Kind == "APPROPRIATE_ADULT" && !f.DueAt.Equal(r.ReceivedAt.Add(2*time.Hour)) {
					t.Errorf("appropriate adult due %s, want %s", f.DueAt, r.ReceivedAt.Add(2*time.Hour))
				}
				for _, rf := range r.FollowUps {
					if rf.Kind == f.Kind && !rf.DueAt.Equal(fs[i].DueAt) {
						t.Errorf("%s due %s stored, %s on the receipt", f.Kind, f.DueAt, rf.DueAt)
					}
				}
			}
			if !slices.Equal(got, tt.kinds) {
				t.Errorf("follow-ups %v, want %v", got, tt.kinds)
			}
		})
	}
}

func TestCustodyRequestBadInputWritesNothing(t *testing.T) {
	// Let earlier follow-up commands finish so the count is stable.
	waitEmpty(t, env.stack.QueueURL("FollowUpQueue"))
	before := custodyItemCount(t)

	resp, b := postAs(t, "/custody-requests", custodySample(t, "invalid.json"), auth.Police)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid: status %d, body %s", resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q", ct)
	}
	p := decode[problem](t, b)
	if p.Status != http.StatusUnprocessableEntity || len(p.Errors) < 5 {
		t.Errorf("problem %s, want 422 with the field errors", b)
	}
	for _, e := range p.Errors {
		if e.Field == "" || e.Message == "" {
			t.Errorf("field error %+v", e)
		}
	}

	resp, b = post(t, "/custody-requests", "text/plain", custodySample(t, "appropriate-adult.json"), map[string]string{"Authorization": "Bearer " + token(t, auth.Police)})
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain: status %d, body %s", resp.StatusCode, b)
	}
	resp, b = postAs(t, "/custody-requests", []byte(`{"custodySuite": "x", "extra": 1}`), auth.Police)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown member: status %d, body %s", resp.StatusCode, b)
	}

	waitEmpty(t, env.stack.QueueURL("FollowUpQueue"))
	if after := custodyItemCount(t); after != before {
		t.Errorf("custody items %d before, %d after bad requests", before, after)
	}
}

// A custody request whose follow-up commands cannot be sent stays stored and
// findable by the sweep, and the officer still gets a receipt.
func TestCustodyFollowUpSendFailureKeepsTheRequest(t *testing.T) {
	resp := postWithDeadQueue(t, "CustodyRequestFunction", "FOLLOWUP_QUEUE_URL", "/custody-requests", custodySample(t, "appropriate-adult.json"), auth.Police)
	r := decode[custodyReceipt](t, []byte(resp.Body))
	if r.ID == "" || r.Reference == "" || len(r.FollowUps) != 1 {
		t.Fatalf("receipt %s", resp.Body)
	}
	items := custodyItems(t, r.ID, "CUSTODY")
	if len(items) != 1 {
		t.Fatalf("%d custody request items, want the request stored", len(items))
	}
	if got := str(items[0], "status"); got != "RECEIVED" {
		t.Errorf("status %q, want RECEIVED (stored, follow-ups not sent)", got)
	}
	if got := str(items[0], "gsi1pk"); got != "CUSTODY#RECEIVED" {
		t.Errorf("gsi1pk %q, want CUSTODY#RECEIVED so the sweep finds it", got)
	}
	if fs := custodyItems(t, r.ID, "FOLLOWUP#"); len(fs) != 0 {
		t.Errorf("%d follow-ups, want none", len(fs))
	}

	// The sweep sends the follow-ups that could not be sent.
	if rep := runSweep(t, time.Now().Add(3*time.Minute)); rep.CustodyResent < 1 {
		t.Fatalf("sweep %+v sent no custody follow-ups", rep)
	}
	fus := waitForFollowUps(t, r.ID, 1)
	if fus[0].Kind != "APPROPRIATE_ADULT" {
		t.Errorf("follow-up %+v, want the appropriate adult", fus[0])
	}
	if got := str(custodyItems(t, r.ID, "CUSTODY")[0], "status"); got != "QUEUED" {
		t.Errorf("status %q after the sweep, want QUEUED", got)
	}
}

// Nothing a custody sample says about a person reaches the logs.
func TestCustodyNoPersonalDataInLogs(t *testing.T) {
	names := []string{"appropriate-adult.json", "appropriate-adult-and-accommodation.json", "invalid.json"}
	for _, name := range names {
		resp, b := postAs(t, "/custody-requests", custodySample(t, name), auth.Police)
		if want := map[bool]int{true: 422, false: 202}[name == "invalid.json"]; resp.StatusCode != want {
			t.Fatalf("%s: %d %s", name, resp.StatusCode, b)
		}
	}
	waitEmpty(t, env.stack.QueueURL("FollowUpQueue"))
	logs := env.logs.String()
	if !strings.Contains(logs, `"msg":"custody request stored"`) {
		t.Fatalf("the functions' logs were not captured; got %d bytes", len(logs))
	}
	for _, name := range names {
		var sample struct {
			CustodySuite  string `json:"custodySuite"`
			CustodyNumber string `json:"custodyNumber"`
			Officer       struct {
				Name, Phone, Email string
			} `json:"officer"`
			Detainee struct {
				FirstName, LastName, KnownAs, DateOfBirth, NHSNumber string
				Address                                              *struct{ Line1, Postcode string }
			} `json:"detainee"`
			ParentUnavailableReason string `json:"parentUnavailableReason"`
			AccommodationReason     string `json:"accommodationReason"`
		}
		b, err := os.ReadFile(filepath.Join("../../events/custody", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &sample); err != nil {
			t.Fatal(err)
		}
		d, o := sample.Detainee, sample.Officer
		personal := []string{
			sample.CustodySuite, sample.CustodyNumber, o.Name, o.Phone, o.Email,
			d.LastName, d.KnownAs, d.DateOfBirth, d.NHSNumber,
			sample.ParentUnavailableReason, sample.AccommodationReason,
		}
		if d.FirstName != "" && d.LastName != "" {
			personal = append(personal, d.FirstName+" "+d.LastName, `"`+d.FirstName+`"`)
		}
		if d.Address != nil {
			personal = append(personal, d.Address.Line1, d.Address.Postcode)
		}
		for _, s := range personal {
			if len(s) >= 4 && strings.Contains(logs, s) {
				t.Errorf("%s: the logs contain %q", name, s)
			}
		}
	}
}

// TestSecondCustodyRequestIsLinked: a second request for the same custody
// record while the first is open, sent without the first's key (another
// officer, another system), is linked to the first: its receipt, and no
// second appropriate adult for the provider to see.
func TestSecondCustodyRequestIsLinked(t *testing.T) {
	body := custodySample(t, "appropriate-adult.json")
	resp, b := postAs(t, "/custody-requests", body, auth.Police)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("first: %d %s", resp.StatusCode, b)
	}
	first := decode[custodyReceipt](t, b)
	resp, b = postAs(t, "/custody-requests", body, auth.Police)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("second: %d %s", resp.StatusCode, b)
	}
	var second struct {
		ID, Reference, Message string
		Linked                 bool
	}
	if err := json.Unmarshal(b, &second); err != nil {
		t.Fatal(err)
	}
	if !second.Linked || second.ID != first.ID || !strings.Contains(second.Message, first.Reference) {
		t.Fatalf("second request for the same custody record: %s; want linked to %s", b, first.ID)
	}
	if got := scanIDs(t, "#type = :type AND id = :v", "custody-request", first.ID); len(got) != 1 {
		t.Errorf("custody request %s stored %d times", first.ID, len(got))
	}
	var actions []string
	for _, item := range custodyItems(t, first.ID, "AUDIT#") {
		actions = append(actions, str(item, "action"))
	}
	if !slices.Contains(actions, "custody.submitted") || !slices.Contains(actions, "custody.linked") {
		t.Errorf("audit of the custody request %v, want the submission and the linked one", actions)
	}
	waitEmpty(t, env.stack.QueueURL("FollowUpQueue"))
	list, _ := listFollowUps(t, "status=OPEN&limit=100", auth.ProviderAA)
	n := 0
	for _, f := range list {
		if strings.Contains(f.ID, first.ID) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the appropriate adult service sees %d follow-ups for the custody record, want 1", n)
	}
}
