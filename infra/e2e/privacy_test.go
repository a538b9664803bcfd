package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// codeFields hold enumerations and codes, not personal data; every other
// string in a sample referral is treated as personal data or free text.
var codeFields = map[string]bool{"agencyType": true, "categories": true, "sex": true}

// personalStrings returns every string value in a sample referral that could
// identify someone or tell their story.
func personalStrings(t *testing.T, body []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
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
			if !codeFields[key] && len(x) >= 4 {
				out = append(out, x)
			}
		}
	}
	walk("", v)
	return out
}

// TestNoPersonalDataInLogs runs last in this file's order of declaration
// within the package's tests that submit referrals; it checks everything the
// functions and the local stack have logged so far.
func TestNoPersonalDataInLogs(t *testing.T) {
	// Make sure at least one of each sample has gone through in this run.
	for _, name := range validSamples {
		if resp, b := post(t, "/referrals", "application/json", sample(t, name), nil); resp.StatusCode != 202 {
			t.Fatalf("%s: %d %s", name, resp.StatusCode, b)
		}
	}
	if resp, _ := post(t, "/referrals", "application/json", sample(t, "invalid-many-errors.json"), nil); resp.StatusCode != 422 {
		t.Fatalf("invalid sample: %d", resp.StatusCode)
	}
	drain(t, env.queue)
	logs := env.logs.String()
	if !strings.Contains(logs, `"msg":"referral stored"`) {
		t.Fatalf("the functions' logs were not captured; got %d bytes", len(logs))
	}
	for _, name := range append(validSamples, "invalid-many-errors.json") {
		for _, s := range personalStrings(t, sample(t, name)) {
			if strings.Contains(logs, s) {
				t.Errorf("%s: the logs contain %q", name, s)
			}
		}
	}
}
