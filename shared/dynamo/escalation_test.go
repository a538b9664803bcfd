package dynamo

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/escalation"
	"github.com/csc-frontdoor/frontdoor/shared/page"
)

func TestDecodeEscalationCursor(t *testing.T) {
	const sk = "2026-11-25T09:15:00.000Z#REFERRAL#01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	made := page.Encode(escalationCursor{Status: escalation.StatusOpen, SK: sk})
	tests := []struct {
		name   string
		cursor string
		status escalation.Status
		ok     bool
	}{
		{"made for the open list", made, escalation.StatusOpen, true},
		{"a follow-up's key", page.Encode(escalationCursor{Status: escalation.StatusAcknowledged, SK: "2026-11-25T09:15:00.000Z#FOLLOWUP#FU-RHI-REF-01KAQ3ZZ8Q7X3V4N5M6K7J8H9G-0"}), escalation.StatusAcknowledged, true},
		{"a triage escalation's key", page.Encode(escalationCursor{Status: escalation.StatusOpen, SK: sk + "#TRIAGE"}), escalation.StatusOpen, true},
		{"made for the open list, used on the acknowledged", made, escalation.StatusAcknowledged, false},
		{"not base64url", "not base64!", escalation.StatusOpen, false},
		{"not JSON", b64("open"), escalation.StatusOpen, false},
		{"an unknown member", b64(`{"s":"open","k":"` + sk + `","p":0}`), escalation.StatusOpen, false},
		{"the triage queue's", b64(`{"p":0,"k":"2026-11-25T09:15:00.000Z#01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"}`), escalation.StatusOpen, false},
		{"two objects", b64(`{"s":"open","k":"` + sk + `"}{}`), escalation.StatusOpen, false},
		{"no time", b64(`{"s":"open","k":"REFERRAL#01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"}`), escalation.StatusOpen, false},
		{"a time of another format", b64(`{"s":"open","k":"2026-11-25T09:15:00Z#REFERRAL#01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"}`), escalation.StatusOpen, false},
		{"the key of something else", b64(`{"s":"open","k":"2026-11-25T09:15:00.000Z#CUSTODY#01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"}`), escalation.StatusOpen, false},
		{"empty", b64(`{}`), escalation.StatusOpen, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := decodeEscalationCursor(tt.cursor, tt.status)
			if tt.ok && (err != nil || c.Status != tt.status) {
				t.Fatalf("refused: %v", err)
			}
			if !tt.ok && !errors.Is(err, page.ErrBadCursor) {
				t.Fatalf("got %+v, %v; want ErrBadCursor", c, err)
			}
		})
	}
}
