package e2e

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// personalKeys name members that are personal data whatever their value
// looks like: a code-like NHS number or UPN is still a child's.
var personalKeys = regexp.MustCompile(`(?i)name|birth|delivery|nhs|upn|postcode|address|email|phone|reference$`)

// codeValue matches what the samples hold as codes and enumerations (RED,
// provider-rhi, no-further-action, N1, 3A): one word of upper case or of
// lower case letters, digits and joiners. Such a value also stands in the
// logs for good reasons, so it is not searched for; everything else is.
var codeValue = regexp.MustCompile(`^([A-Z0-9_]+|[a-z0-9-]+)$`)

// allDigits matches a number long enough to identify someone.
var allDigits = regexp.MustCompile(`^[0-9]{6,}$`)

// samplePeople returns every string in the sample bodies under events/
// (referrals, addenda, custody requests, helpline calls, decisions and
// follow-up events) that could identify someone or tell their story, with
// the file it comes from. The API envelopes in events/api carry the same
// bodies, and the queue and schedule events no people.
func samplePeople(root string) (map[string]string, error) {
	out := map[string]string{}
	dir := filepath.Join(root, "events")
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			if slices.Contains([]string{"api", "triage", "follow-up", "sweep"}, rel) {
				return filepath.SkipDir
			}
			return nil
		}
		if filepath.Ext(path) != ".json" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		for _, s := range personalStrings(v) {
			out[s] = rel
		}
		return nil
	})
	return out, err
}

// personalStrings returns the strings in v that could identify someone or
// tell their story: those under a personal key, and any other that is not
// a code.
func personalStrings(v any) []string {
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(k, c)
			}
		case []any:
			for _, c := range x {
				walk(key, c)
			}
		case string:
			x = strings.TrimSpace(x)
			switch {
			case len(x) < 4:
			case personalKeys.MatchString(key), allDigits.MatchString(x), !codeValue.MatchString(x):
				out = append(out, x)
			}
		}
	}
	walk("", v)
	return out
}

// bodyPeople returns the personal strings of one sample body.
func bodyPeople(t testing.TB, body []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	return personalStrings(v)
}

// findPeople returns, for each log line holding one of people, the line's
// number and what it holds (never the line itself, which may hold more).
func findPeople(logs string, people map[string]string) []string {
	var found []string
	for i, line := range strings.Split(logs, "\n") {
		for s, from := range people {
			if strings.Contains(line, s) {
				found = append(found, "log line "+strconv.Itoa(i+1)+" holds a value of "+from+" ("+strconv.Itoa(len(s))+" characters)")
			}
		}
	}
	slices.Sort(found)
	return found
}

// privacyScan checks the logs of the whole run: TestMain calls it after the
// last test, so every function's every line is read. It reports an error
// of its own when the samples cannot be read, or (unless only some tests
// were run, with -run) when no referral was logged as stored, so that a
// scan of nothing never passes as a clean one.
func privacyScan(root, logs string) []string {
	people, err := samplePeople(root)
	if err != nil {
		return []string{"the samples could not be read: " + err.Error()}
	}
	if len(people) == 0 {
		return []string{"no people found in the samples under events/: the scan would prove nothing"}
	}
	for _, s := range typedInPages {
		people[s] = "the browser tests' answers"
	}
	if !strings.Contains(logs, `"msg":"referral stored"`) && !someTestsOnly() {
		return []string{"the functions' logs were not captured (no \"referral stored\" line)"}
	}
	return findPeople(logs, people)
}

// TestEverySampleGoesThrough makes sure that the people of each kind of
// sample have been through the functions in this run, valid and invalid,
// before TestMain reads the logs for them.
func TestEverySampleGoesThrough(t *testing.T) {
	for _, name := range validSamples {
		if resp, b := post(t, "/referrals", "application/json", sample(t, name), nil); resp.StatusCode != 202 {
			t.Fatalf("%s: %d %s", name, resp.StatusCode, b)
		}
	}
	if resp, _ := post(t, "/referrals", "application/json", sample(t, "invalid-many-errors.json"), nil); resp.StatusCode != 422 {
		t.Fatalf("invalid sample: %d", resp.StatusCode)
	}
	drain(t, env.queue)
}

// TestPrivacyScanFindsPlantedPeople shows that the scan TestMain runs over
// the whole run's logs would fail: a line as a function writes it, with one
// person of each kind of sample planted in it, is found in the logs so far.
func TestPrivacyScanFindsPlantedPeople(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	people, err := samplePeople(root)
	if err != nil {
		t.Fatal(err)
	}
	// One value that must be found from each kind of sample.
	planted := map[string]string{
		"referrals": "", "custody": "", "helpline": "", "referrer": "", "decisions": "", "follow-ups": "",
	}
	for s, from := range people {
		kind := filepath.Dir(from)
		if v, ok := planted[kind]; ok && (v == "" || s < v) {
			planted[kind] = s
		}
	}
	for kind, s := range planted {
		if s == "" {
			t.Errorf("no person or free text found in the %s samples", kind)
			continue
		}
		line := `{"time":"2026-12-01T10:00:00Z","level":"INFO","msg":"referral stored","note":` + jsonString(s) + "}\n"
		logs := env.logs.String()
		if before, after := len(privacyScan(root, logs)), len(privacyScan(root, logs+line)); after <= before {
			t.Errorf("%s: a log line holding %d characters of a sample was not found", kind, len(s))
		}
	}
	for _, s := range []string{"RED", "provider-rhi", "no-further-action", "N1"} {
		if _, ok := people[s]; ok {
			t.Errorf("the code %q is taken for personal data: the scan would fail on every log line naming it", s)
		}
	}
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

// someTestsOnly reports whether -run picked some of the package's tests.
func someTestsOnly() bool {
	f := flag.Lookup("test.run")
	return f != nil && f.Value.String() != ""
}

// expiring are the partitions whose items the table's time to live may
// delete: records that are working copies or counters, never the record
// of a referral, a decision or who read what. Everything else is kept.
var expiring = []string{"IDEMPOTENCY#", "DRAFT#", "SESSION#", "GUESSES#"}

// afterRun reads what the whole run left: every message delivered to a
// function and every idempotency record must hold none of the samples'
// people (a message carries references; a record the receipt), and only
// the expiring partitions may hold an item with the time-to-live
// attribute. Like privacyScan it fails a scan of nothing.
func afterRun(root string) []string {
	people, err := samplePeople(root)
	if err != nil {
		return []string{"the samples could not be read: " + err.Error()}
	}
	for _, s := range typedInPages {
		people[s] = "the browser tests' answers"
	}
	var problems []string
	messages := env.messages.String()
	// A follow-up's message carries when its clock started (the time a
	// child came home, as the form gave it): a time of day, never a date of
	// birth, and nothing that names anyone.
	inMessages := map[string]string{}
	for s, from := range people {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			inMessages[s] = from
		}
	}
	for _, f := range findPeople(messages, inMessages) {
		problems = append(problems, "queue messages: "+strings.Replace(f, "log line", "line", 1))
	}
	var idem []string
	expiringItems := 0
	p := dynamodb.NewScanPaginator(env.ddb, &dynamodb.ScanInput{TableName: aws.String(env.table)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			return append(problems, "the table could not be read: "+err.Error())
		}
		for _, item := range page.Items {
			pk := str(item, "pk")
			if strings.HasPrefix(pk, "IDEMPOTENCY#") {
				var v map[string]any
				if err := attributevalue.UnmarshalMap(item, &v); err != nil {
					return append(problems, "an idempotency record could not be read: "+err.Error())
				}
				b, _ := json.Marshal(v)
				idem = append(idem, string(b))
			}
			if _, ok := item["expiresAt"]; !ok {
				continue
			}
			expiringItems++
			if !slices.ContainsFunc(expiring, func(prefix string) bool { return strings.HasPrefix(pk, prefix) }) {
				kind, _, _ := strings.Cut(pk, "#")
				problems = append(problems, fmt.Sprintf("a %s item (sk %s) has a time to live: the table would delete it", kind, str(item, "sk")))
			}
		}
	}
	for _, f := range findPeople(strings.Join(idem, "\n"), people) {
		problems = append(problems, "idempotency records: "+strings.Replace(f, "log line", "record", 1))
	}
	if !someTestsOnly() {
		switch {
		case !strings.Contains(messages, "TriageQueue ") || !strings.Contains(messages, "FollowUpQueue "):
			problems = append(problems, "no message of the triage and follow-up queues was captured: the scan would prove nothing")
		case len(idem) == 0:
			problems = append(problems, "no idempotency record was found: the scan would prove nothing")
		case expiringItems == 0:
			problems = append(problems, "no item with a time to live was found: the check would prove nothing")
		}
	}
	return problems
}
