package dynamo_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/escalation"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/page"
)

// raised is an escalation of the story and when it was raised.
type raised struct {
	key escalation.Key
	at  time.Time
}

// escalationStory raises seven escalations through the sweep's writes, out
// of order: decisions overdue, a referral never triaged, follow-ups
// overdue. It returns them in the order raised.
func (f *fixture) escalationStory(t *testing.T) []raised {
	t.Helper()
	var out []raised
	overdue := func(at time.Time) {
		rec := f.storeTriaged(t, t0.Add(-24*time.Hour), "RED", t0.Add(-time.Hour))
		ok, err := f.store.MarkReferralOverdue(t.Context(), rec.ID, at, systemEntry(audit.Referral(rec.ID), audit.Overdue, "sweep", at))
		if err != nil || !ok {
			t.Fatalf("MarkReferralOverdue = %v, %v", ok, err)
		}
		out = append(out, raised{escalation.Key{Clock: escalation.ClockDecision, Subject: audit.Referral(rec.ID)}, at})
	}
	followUpOverdue := func(at time.Time) {
		ref := f.storeReferral(t, "missing-episode.json", t0.Add(-96*time.Hour))
		fu := f.storeFollowUp(t, newFollowUp(t, followup.KindReturnHomeInterview, ref.ID, 0, t0.Add(-80*time.Hour)))
		ok, err := f.store.MarkFollowUpOverdue(t.Context(), sweepKey("REFERRAL#"+ref.ID, fu.ID), at, sweepEntry(sweepKey("REFERRAL#"+ref.ID, fu.ID), at))
		if err != nil || !ok {
			t.Fatalf("MarkFollowUpOverdue = %v, %v", ok, err)
		}
		out = append(out, raised{escalation.Key{Clock: escalation.ClockFollowUp, Subject: audit.FollowUp(fu.ID)}, at})
	}
	overdue(t0.Add(2 * time.Hour))
	followUpOverdue(t0.Add(3 * time.Hour))
	overdue(t0.Add(30 * time.Minute))
	u := f.storeUntriaged(t, t0.Add(-3*time.Hour), t0.Add(time.Hour))
	out = append(out, raised{escalation.Key{Clock: escalation.ClockTriage, Subject: audit.Referral(u.ID)}, t0.Add(time.Hour)})
	followUpOverdue(t0.Add(90 * time.Minute))
	overdue(t0.Add(5 * time.Hour))
	overdue(t0.Add(4 * time.Hour))
	slices.SortFunc(out, func(a, b raised) int { return a.at.Compare(b.at) })
	return out
}

// pageEscalations reads every page of escalations in status with page size
// limit, checking each record against the subject it is about, and returns
// their names in the order listed. A page short of limit is the last.
func pageEscalations(t *testing.T, f *fixture, status escalation.Status, limit int) []string {
	t.Helper()
	q := escalation.Query{Status: status, Limit: limit}
	var names []string
	recs := everyPage(t, "Escalations", limit, func(cursor string) ([]escalation.Record, string, error) {
		q.Cursor = cursor
		recs, next, err := f.store.Escalations(t.Context(), q)
		if next != "" && len(recs) != limit {
			t.Fatalf("a page of %d escalations, limit %d, with a next page", len(recs), limit)
		}
		return recs, next, err
	})
	for _, r := range recs {
		names = append(names, r.Key.Name())
		switch r.Key.Subject.Type {
		case audit.SubjectReferral:
			if r.Referral == nil || r.Referral.ID != r.Key.Subject.ID {
				t.Errorf("escalation %s came with referral %+v", r.Key.Name(), r.Referral)
			}
		case audit.SubjectFollowUp:
			if r.FollowUp == nil || r.FollowUp.ID != r.Key.Subject.ID || !r.FollowUp.Flagged() {
				t.Errorf("escalation %s came with follow-up %+v", r.Key.Name(), r.FollowUp)
			}
		}
		if (status == escalation.StatusAcknowledged) != (r.Acknowledgement != nil) {
			t.Errorf("escalation %s listed as %s has acknowledgement %+v", r.Key.Name(), status, r.Acknowledgement)
		}
	}
	return names
}

// names returns the names of the escalations.
func names(rs []raised) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.key.Name()
	}
	return out
}

// acknowledge acknowledges k at at with the manager's audit entry on the
// record the escalation is about.
func (f *fixture) acknowledge(t *testing.T, k escalation.Key, at time.Time, note string) error {
	t.Helper()
	entry := audit.Request{Actor: audit.Actor{ID: "manager-1", Role: "mash-manager"}, Route: "POST /escalations/{id}/acknowledgement"}.
		Entry(k.Subject, escalation.ActionAcknowledged, at)
	return f.store.Acknowledge(t.Context(), k, escalation.Acknowledgement{By: "manager-1", At: at, Note: note}, entry)
}

// auditsOn counts the audit entries filed under the record k is about.
func (f *fixture) auditsOn(t *testing.T, k escalation.Key) int {
	t.Helper()
	pk := "REFERRAL#" + k.Subject.ID
	if k.Subject.Type == audit.SubjectFollowUp {
		pk = "FOLLOWUP#" + k.Subject.ID
	}
	return f.countPrefix(t, pk, "AUDIT#")
}

// TestEscalations lists the open escalations oldest raised first and the
// acknowledged ones most recently acknowledged first, in pages of several
// sizes, each once; acknowledging moves one from the first list to the
// second, once.
func TestEscalations(t *testing.T) {
	f := newFixture(t)
	story := f.escalationStory(t)
	for _, limit := range []int{1, 2, 3, 7, 10} {
		t.Run(fmt.Sprintf("open/limit %d", limit), func(t *testing.T) {
			if got := pageEscalations(t, f, escalation.StatusOpen, limit); !slices.Equal(got, names(story)) {
				t.Errorf("open\n %q\nwant\n %q", got, names(story))
			}
		})
	}
	one, err := f.store.Escalation(t.Context(), story[0].key)
	if err != nil || one.Key != story[0].key || !one.RaisedAt.Equal(story[0].at) || one.Acknowledgement != nil || one.Referral == nil {
		t.Errorf("Escalation = %+v, %v; want %+v raised at %s", one, err, story[0].key, story[0].at)
	}
	// Acknowledge three, in another order than raised.
	acks := []struct {
		i    int
		at   time.Time
		note string
	}{{3, t0.Add(6 * time.Hour), ""}, {0, t0.Add(7 * time.Hour), "Spoke to the team manager."}, {5, t0.Add(8 * time.Hour), ""}}
	for _, a := range acks {
		k := story[a.i].key
		before := f.auditsOn(t, k)
		if err := f.acknowledge(t, k, a.at, a.note); err != nil {
			t.Fatalf("Acknowledge %s: %v", k.Name(), err)
		}
		if n := f.auditsOn(t, k); n != before+1 {
			t.Errorf("%s: %d audit entries, were %d", k.Name(), n, before)
		}
	}
	var open []raised
	for i, r := range story {
		if i != 0 && i != 3 && i != 5 {
			open = append(open, r)
		}
	}
	ackOrder := []string{story[5].key.Name(), story[0].key.Name(), story[3].key.Name()}
	for _, limit := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("after acknowledging/limit %d", limit), func(t *testing.T) {
			if got := pageEscalations(t, f, escalation.StatusOpen, limit); !slices.Equal(got, names(open)) {
				t.Errorf("open\n %q\nwant\n %q", got, names(open))
			}
			if got := pageEscalations(t, f, escalation.StatusAcknowledged, limit); !slices.Equal(got, ackOrder) {
				t.Errorf("acknowledged\n %q\nwant\n %q", got, ackOrder)
			}
		})
	}
	got, err := f.store.Escalation(t.Context(), story[0].key)
	if err != nil || got.Acknowledgement == nil || got.Acknowledgement.By != "manager-1" || !got.Acknowledgement.At.Equal(acks[1].at) || got.Acknowledgement.Note != acks[1].note {
		t.Errorf("acknowledged escalation = %+v, %v", got, err)
	}

	t.Run("acknowledge once", func(t *testing.T) {
		k := story[0].key
		before := f.auditsOn(t, k)
		if err := f.acknowledge(t, k, t0.Add(9*time.Hour), "again"); !errors.Is(err, escalation.ErrNotOpen) {
			t.Fatalf("second Acknowledge = %v, want escalation.ErrNotOpen", err)
		}
		if n := f.auditsOn(t, k); n != before {
			t.Errorf("the refused acknowledgement wrote an audit entry: %d, were %d", n, before)
		}
		if again, _ := f.store.Escalation(t.Context(), k); !again.Acknowledgement.At.Equal(acks[1].at) || again.Acknowledgement.Note != acks[1].note {
			t.Errorf("the refused acknowledgement changed it: %+v", again.Acknowledgement)
		}
		missing := escalation.Key{Clock: escalation.ClockDecision, Subject: audit.Referral(ids.NewULID(t0))}
		count := len(f.keys(t))
		if err := f.acknowledge(t, missing, t0.Add(9*time.Hour), ""); !errors.Is(err, escalation.ErrNotOpen) {
			t.Errorf("Acknowledge of a missing escalation = %v, want escalation.ErrNotOpen", err)
		}
		if n := len(f.keys(t)); n != count {
			t.Errorf("acknowledging a missing escalation wrote: %d items, were %d", n, count)
		}
		if _, err := f.store.Escalation(t.Context(), missing); !errors.Is(err, escalation.ErrNotFound) {
			t.Errorf("Escalation(missing) = %v, want escalation.ErrNotFound", err)
		}
	})
}

// TestEscalationsBadCursor refuses a cursor made for the other status, or
// not made by the store at all.
func TestEscalationsBadCursor(t *testing.T) {
	f := newFixture(t)
	f.escalationStory(t)
	_, openCursor, err := f.store.Escalations(t.Context(), escalation.Query{Status: escalation.StatusOpen, Limit: 2})
	if err != nil || openCursor == "" {
		t.Fatalf("first page: %q, %v", openCursor, err)
	}
	for _, tt := range []struct {
		name   string
		status escalation.Status
		cursor string
	}{
		{"the open list's, on the acknowledged", escalation.StatusAcknowledged, openCursor},
		{"not base64url", escalation.StatusOpen, "not a cursor!"},
		{"not JSON", escalation.StatusOpen, base64.RawURLEncoding.EncodeToString([]byte("open"))},
		{"truncated", escalation.StatusOpen, openCursor[:len(openCursor)-4]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if recs, _, err := f.store.Escalations(t.Context(), escalation.Query{Status: tt.status, Limit: 2, Cursor: tt.cursor}); !errors.Is(err, page.ErrBadCursor) {
				t.Errorf("Escalations = %d, %v; want page.ErrBadCursor", len(recs), err)
			}
		})
	}
	if _, _, err := f.store.Escalations(t.Context(), escalation.Query{Status: escalation.StatusOpen, Limit: 2, Cursor: openCursor}); err != nil {
		t.Errorf("the cursor as made: %v", err)
	}
}

// TestEscalationsOfOneReferralTwice lists a referral escalated twice, first
// as never triaged and then, once its redriven message had triaged it, as
// overdue: both escalations are listed, each with the referral (which the
// store reads once, a batch read refusing a key given twice).
func TestEscalationsOfOneReferralTwice(t *testing.T) {
	f := newFixture(t)
	rec := f.storeUntriaged(t, t0.Add(-6*time.Hour), t0.Add(-4*time.Hour))
	due := t0.Add(-time.Hour)
	if ok, err := f.store.SaveScreening(t.Context(), rec.ID, screening("RED", due, t0.Add(-3*time.Hour)), systemEntry(audit.Referral(rec.ID), audit.Triaged, "triage", t0.Add(-3*time.Hour))); err != nil || !ok {
		t.Fatalf("SaveScreening of the untriaged referral = %v, %v", ok, err)
	}
	if ok, err := f.store.MarkReferralOverdue(t.Context(), rec.ID, t0, systemEntry(audit.Referral(rec.ID), audit.Overdue, "sweep", t0)); err != nil || !ok {
		t.Fatalf("MarkReferralOverdue = %v, %v", ok, err)
	}
	recs, next, err := f.store.Escalations(t.Context(), escalation.Query{Status: escalation.StatusOpen, Limit: 10})
	if err != nil || next != "" || len(recs) != 2 {
		t.Fatalf("Escalations = %d, %q, %v; want both", len(recs), next, err)
	}
	want := []escalation.Clock{escalation.ClockTriage, escalation.ClockDecision}
	for i, r := range recs {
		if r.Key.Clock != want[i] || r.Key.Subject != audit.Referral(rec.ID) || r.Referral == nil || r.Referral.ID != rec.ID {
			t.Errorf("escalation %d: %+v (referral %+v), want the %s clock of %s", i, r.Key, r.Referral, want[i], rec.ID)
		}
	}
	fuRef := f.storeReferral(t, "missing-episode.json", t0.Add(-96*time.Hour))
	fu := f.storeFollowUp(t, newFollowUp(t, followup.KindReturnHomeInterview, fuRef.ID, 0, t0.Add(-80*time.Hour)))
	if ok, err := f.store.MarkFollowUpOverdue(t.Context(), sweepKey("REFERRAL#"+fuRef.ID, fu.ID), t0, sweepEntry(sweepKey("REFERRAL#"+fuRef.ID, fu.ID), t0)); err != nil || !ok {
		t.Fatal(ok, err)
	}
	one, err := f.store.Escalation(t.Context(), escalation.Key{Clock: escalation.ClockFollowUp, Subject: audit.FollowUp(fu.ID)})
	if err != nil || one.FollowUp == nil || one.FollowUp.ID != fu.ID || one.FollowUp.Status != followup.StatusOverdue || !one.RaisedAt.Equal(t0) {
		t.Errorf("Escalation of the follow-up = %+v, %v", one, err)
	}
}
