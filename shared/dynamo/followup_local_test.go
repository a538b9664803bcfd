package dynamo_test

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/page"
	"github.com/csc-frontdoor/frontdoor/shared/sweep"
)

// eventRequest decodes a sample provider event (events/follow-ups) made on
// version.
func eventRequest(t *testing.T, sample string, version int) followup.EventRequest {
	t.Helper()
	r, err := followup.DecodeEvent(sampleBody(t, "follow-ups/"+sample))
	if err != nil {
		t.Fatalf("decode %s: %v", sample, err)
	}
	r.Version = version
	return *r
}

// TestCreateFollowUpOnce creates follow-ups beside the referral or custody
// request they come from, each once: the same command again changes
// nothing. Each is read back by id and with its source's follow-ups.
func TestCreateFollowUpOnce(t *testing.T) {
	f := newFixture(t)
	ref := f.storeReferral(t, "missing-episode.json", t0)
	cus := newCustody(t, "appropriate-adult.json", t0)
	tests := []struct {
		name string
		fu   followup.FollowUp
		pk   string
	}{
		{"return home interview", newFollowUp(t, followup.KindReturnHomeInterview, ref.ID, 0, t0.Add(-2*time.Hour)), "REFERRAL#" + ref.ID},
		{"FGM police report", newFollowUp(t, followup.KindFGMPoliceReport, ref.ID, 0, t0), "REFERRAL#" + ref.ID},
		{"appropriate adult", newFollowUp(t, followup.KindAppropriateAdult, cus.ID, 0, t0), "CUSTODY#" + cus.ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			created, err := f.store.CreateFollowUp(t.Context(), tt.fu)
			if err != nil || !created {
				t.Fatalf("CreateFollowUp = %v, %v", created, err)
			}
			item := f.item(t, tt.pk, "FOLLOWUP#"+tt.fu.ID)
			wantPart := "FOLLOWUP#" + string(tt.fu.Provider) + "#OPEN"
			wantSK := "1#" + tt.fu.DueAt.Format(keyTime) + "#" + tt.fu.ID
			if str(item, "gsi1pk") != wantPart || str(item, "gsi1sk") != wantSK || str(item, "gsi3pk") != dynamo.StatsFollowUps+tt.fu.StartAt.Format("2006-01") {
				t.Errorf("follow-up keys %s / %s, %s; want %s / %s", str(item, "gsi1pk"), str(item, "gsi1sk"), str(item, "gsi3pk"), wantPart, wantSK)
			}
			again := tt.fu
			again.DueAt = again.DueAt.Add(time.Hour)
			again.CreatedAt = again.CreatedAt.Add(time.Hour)
			if created, err := f.store.CreateFollowUp(t.Context(), again); err != nil || created {
				t.Errorf("CreateFollowUp again = %v, %v; want false, nil", created, err)
			}
			got, err := f.store.FollowUp(t.Context(), tt.fu.ID)
			if err != nil || !reflect.DeepEqual(*got, tt.fu) {
				t.Errorf("FollowUp = %+v, %v\nwant %+v", got, err, tt.fu)
			}
		})
	}
	fus, err := f.store.FollowUps(t.Context(), followup.SourceReferral, ref.ID)
	if err != nil || len(fus) != 2 || !slices.ContainsFunc(fus, func(x followup.FollowUp) bool { return x.ID == tests[0].fu.ID }) {
		t.Errorf("FollowUps of the referral = %+v, %v; want its two", fus, err)
	}
	if fus, err := f.store.FollowUps(t.Context(), followup.SourceCustodyRequest, cus.ID); err != nil || len(fus) != 1 || fus[0].ID != tests[2].fu.ID {
		t.Errorf("FollowUps of the custody request = %+v, %v", fus, err)
	}
	missing := newFollowUp(t, followup.KindReturnHomeInterview, ids.NewULID(t0), 0, t0)
	for _, id := range []string{missing.ID, "FU-nonsense", ""} {
		if got, err := f.store.FollowUp(t.Context(), id); !errors.Is(err, followup.ErrNotFound) {
			t.Errorf("FollowUp(%q) = %+v, %v; want followup.ErrNotFound", id, got, err)
		}
	}
}

// TestRecordFollowUpEvent records a provider's events on a follow-up at the
// version read: each moves the follow-up (and its partition) on and writes
// the event and its audit entry; an event on a version no longer current is
// refused with followup.ErrChanged and writes nothing.
func TestRecordFollowUpEvent(t *testing.T) {
	f := newFixture(t)
	start := time.Date(2026, 11, 22, 8, 15, 0, 0, time.UTC)
	fu := f.storeFollowUp(t, newFollowUp(t, followup.KindReturnHomeInterview, ids.NewULID(start), 0, start))
	record := func(prev int, next followup.FollowUp, ev followup.Event, entry audit.Entry) error {
		return f.store.RecordFollowUpEvent(t.Context(), prev, next, ev, entry)
	}
	eventsOf := func() int { return f.countPrefix(t, "FOLLOWUP#"+fu.ID, "EVENT#") }
	auditsOf := func() int { return f.countPrefix(t, "FOLLOWUP#"+fu.ID, "AUDIT#") }
	partOf := func() string {
		return str(f.item(t, "REFERRAL#"+fu.SourceID, "FOLLOWUP#"+fu.ID), "gsi1pk")
	}

	accepted, ev, entry := applyEvent(t, fu, eventRequest(t, "accept.json", 1), t0)
	if err := record(1, accepted, ev, entry); err != nil {
		t.Fatalf("record ACCEPT: %v", err)
	}
	if got, err := f.store.FollowUp(t.Context(), fu.ID); err != nil || !reflect.DeepEqual(*got, accepted) {
		t.Errorf("after ACCEPT: %+v, %v\nwant %+v", got, err, accepted)
	}
	if p := partOf(); p != "FOLLOWUP#rhi-service#ACCEPTED" {
		t.Errorf("accepted follow-up in %s", p)
	}
	evItems := f.queryPrefix(t, "FOLLOWUP#"+fu.ID, "EVENT#")
	if len(evItems) != 1 || str(evItems[0], "eventType") != "ACCEPT" || num(evItems[0], "version") != "2" || str(evItems[0], "sk") != "EVENT#"+ev.ID {
		t.Errorf("event items %v", evItems)
	}

	attempted, ev, entry := applyEvent(t, accepted, eventRequest(t, "attempt.json", 2), t0.Add(time.Hour))
	if err := record(2, attempted, ev, entry); err != nil {
		t.Fatalf("record ATTEMPT: %v", err)
	}
	// A second worker read version 2 too, and records an attempt of their own.
	otherAttempt, ev2, entry2 := applyEvent(t, accepted, eventRequest(t, "attempt.json", 2), t0.Add(2*time.Hour))
	events, audits := eventsOf(), auditsOf()
	if err := record(2, otherAttempt, ev2, entry2); !errors.Is(err, followup.ErrChanged) {
		t.Fatalf("record on a stale version = %v, want followup.ErrChanged", err)
	}
	if got, _ := f.store.FollowUp(t.Context(), fu.ID); !reflect.DeepEqual(*got, attempted) {
		t.Errorf("the refused event changed the follow-up: %+v", got)
	}
	if eventsOf() != events || auditsOf() != audits {
		t.Errorf("the refused event wrote: %d events (were %d), %d audit entries (were %d)", eventsOf(), events, auditsOf(), audits)
	}
	// An event whose audit entry is about another record writes nothing.
	completeAt := time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC)
	completed, ev3, entry3 := applyEvent(t, attempted, eventRequest(t, "complete-return-home-interview.json", 3), completeAt)
	wrong := entry3
	wrong.Subject = audit.FollowUp(missingFollowUpID(t))
	if err := record(3, completed, ev3, wrong); err == nil {
		t.Error("an event audited on another record was recorded")
	}
	if eventsOf() != events {
		t.Errorf("%d events, were %d", eventsOf(), events)
	}
	if err := record(3, completed, ev3, entry3); err != nil {
		t.Fatalf("record COMPLETE: %v", err)
	}
	if got, _ := f.store.FollowUp(t.Context(), fu.ID); got.Status != followup.StatusCompleted || got.Version != 4 || got.CompletedAt == nil || got.ReturnHomeInterview == nil {
		t.Errorf("after COMPLETE: %+v", got)
	}
	if p := partOf(); p != "FOLLOWUP#rhi-service#COMPLETED" {
		t.Errorf("completed follow-up in %s", p)
	}
	if eventsOf() != 3 || auditsOf() != 3 {
		t.Errorf("%d events and %d audit entries, want 3 and 3", eventsOf(), auditsOf())
	}
}

// missingFollowUpID is the id of a follow-up that was never created.
func missingFollowUpID(t *testing.T) string {
	return newFollowUp(t, followup.KindReturnHomeInterview, ids.NewULID(t0), 0, t0).ID
}

// fuState is what a follow-up of the list story is meant to be.
type fuState struct {
	fu      followup.FollowUp
	status  followup.Status
	flagged bool
}

// listStory makes follow-ups of three providers in every active state (and
// one completed): open ones due over the coming days, accepted ones,
// flagged overdue ones (open, so OVERDUE, and accepted, so ACCEPTED), all
// created out of due order. It returns each follow-up's intended state,
// checked against the store.
func (f *fixture) listStory(t *testing.T) []fuState {
	t.Helper()
	var out []fuState
	add := func(kind followup.Kind, start time.Time, accept, flag, complete bool) {
		fu := f.storeFollowUp(t, newFollowUp(t, kind, ids.NewULID(start), 0, start))
		st := fuState{fu: fu, status: followup.StatusOpen}
		if accept {
			next, ev, entry := applyEvent(t, fu, eventRequest(t, "accept.json", fu.Version), start.Add(5*time.Minute))
			if err := f.store.RecordFollowUpEvent(t.Context(), fu.Version, next, ev, entry); err != nil {
				t.Fatalf("accept: %v", err)
			}
			st.status = followup.StatusAccepted
		}
		if complete {
			st.status = followup.StatusCompleted
			cur, _ := f.store.FollowUp(t.Context(), fu.ID)
			next, ev, entry := applyEvent(t, *cur, eventRequest(t, "complete-appropriate-adult.json", cur.Version), t0)
			if err := f.store.RecordFollowUpEvent(t.Context(), cur.Version, next, ev, entry); err != nil {
				t.Fatalf("complete: %v", err)
			}
		}
		if flag {
			pk := "REFERRAL#" + fu.SourceID
			if kind.SourceType() == followup.SourceCustodyRequest {
				pk = "CUSTODY#" + fu.SourceID
			}
			// The sweep flags it, its due time past.
			if ok, err := f.store.MarkFollowUpOverdue(t.Context(), sweepKey(pk, fu.ID), t0, sweepEntry(sweepKey(pk, fu.ID), t0)); err != nil || !ok {
				t.Fatalf("MarkFollowUpOverdue = %v, %v", ok, err)
			}
			st.flagged = true
			if st.status == followup.StatusOpen {
				st.status = followup.StatusOverdue
			}
		}
		out = append(out, st)
	}
	rhi, aa, fgm := followup.KindReturnHomeInterview, followup.KindAppropriateAdult, followup.KindFGMPoliceReport
	for i, h := range []int{30, 5, 50, 12, 40, 20} {
		add(rhi, t0.Add(time.Duration(h-72)*time.Hour+time.Duration(i)*time.Minute), false, false, false)
	}
	add(rhi, t0.Add(-70*time.Hour), true, false, false)
	add(rhi, t0.Add(-60*time.Hour), true, false, false)
	add(rhi, t0.Add(-100*time.Hour), false, true, false)
	add(rhi, t0.Add(-90*time.Hour), false, true, false)
	add(rhi, t0.Add(-95*time.Hour), true, true, false)
	for _, m := range []int{50, 10, 30} {
		add(aa, t0.Add(time.Duration(m)*time.Minute), false, false, false)
	}
	// Completed: the sample's attendance starts after this request.
	add(aa, time.Date(2026, 11, 21, 23, 0, 0, 0, time.UTC), true, false, true)
	add(fgm, t0, false, false, false)
	for _, s := range out {
		got, err := f.store.FollowUp(t.Context(), s.fu.ID)
		if err != nil || got.Status != s.status || got.Flagged() != s.flagged {
			t.Fatalf("follow-up %s: %+v, %v; want %s, flagged %v", s.fu.ID, got, err, s.status, s.flagged)
		}
	}
	return out
}

// sweepKey is the key of a follow-up as the sweep names it: its source's
// partition and FOLLOWUP#<id>.
func sweepKey(pk, id string) sweep.Key { return sweep.Key{ID: id, PK: pk, SK: "FOLLOWUP#" + id} }

// sweepEntry is the audit entry the sweep makes when it flags the follow-up
// k overdue at at.
func sweepEntry(k sweep.Key, at time.Time) audit.Entry {
	return audit.Request{Actor: audit.System("sweep")}.Entry(audit.FollowUp(k.ID), followup.ActionOverdue, at)
}

// expectedList is the list q asks for of the story, most urgent first:
// flagged before the others, then by due time.
func expectedList(story []fuState, q followup.ListQuery) []string {
	var in []fuState
	for _, s := range story {
		if slices.Contains(q.Providers, s.fu.Provider) && slices.Contains(q.Statuses, s.status) && (q.Overdue == nil || *q.Overdue == s.flagged) {
			in = append(in, s)
		}
	}
	slices.SortFunc(in, func(a, b fuState) int {
		if a.flagged != b.flagged {
			if a.flagged {
				return -1
			}
			return 1
		}
		return cmp.Or(a.fu.DueAt.Compare(b.fu.DueAt), strings.Compare(a.fu.ID, b.fu.ID))
	})
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = s.fu.ID
	}
	return out
}

// pageFollowUps reads every page of q with page size limit and returns the
// ids in the order listed.
func pageFollowUps(t *testing.T, st *dynamo.Store, q followup.ListQuery, limit int) []string {
	t.Helper()
	q.Limit = limit
	var seen []string
	for _, fu := range everyPage(t, "ListFollowUps", limit, func(cursor string) ([]followup.FollowUp, string, error) {
		q.Cursor = cursor
		p, err := st.ListFollowUps(t.Context(), q)
		return p.FollowUps, p.Next, err
	}) {
		seen = append(seen, fu.ID)
	}
	return seen
}

// TestListFollowUps pages through providers' follow-ups by status and
// overdue flag with several page sizes: most urgent first, each exactly
// once, only the providers and statuses asked for.
func TestListFollowUps(t *testing.T) {
	f := newFixture(t)
	story := f.listStory(t)
	rhi, aa, mash := followup.ProviderRHIService, followup.ProviderAppropriateAdult, followup.ProviderMASH
	yes, no := true, false
	queries := []struct {
		name string
		q    followup.ListQuery
		n    int // how many the story has for it
	}{
		{"rhi open", followup.ListQuery{Providers: []followup.Provider{rhi}, Statuses: []followup.Status{followup.StatusOpen}}, 6},
		{"rhi active", followup.ListQuery{Providers: []followup.Provider{rhi}, Statuses: followup.ActiveStatuses}, 11},
		{"rhi active overdue", followup.ListQuery{Providers: []followup.Provider{rhi}, Statuses: followup.ActiveStatuses, Overdue: &yes}, 3},
		{"rhi active not overdue", followup.ListQuery{Providers: []followup.Provider{rhi}, Statuses: followup.ActiveStatuses, Overdue: &no}, 8},
		{"rhi accepted", followup.ListQuery{Providers: []followup.Provider{rhi}, Statuses: []followup.Status{followup.StatusAccepted}}, 3},
		{"appropriate adults open", followup.ListQuery{Providers: []followup.Provider{aa}, Statuses: []followup.Status{followup.StatusOpen}}, 3},
		{"appropriate adults completed", followup.ListQuery{Providers: []followup.Provider{aa}, Statuses: []followup.Status{followup.StatusCompleted}}, 1},
		{"three providers, open and overdue", followup.ListQuery{Providers: []followup.Provider{rhi, aa, mash}, Statuses: []followup.Status{followup.StatusOpen, followup.StatusOverdue}}, 12},
		{"mash declined", followup.ListQuery{Providers: []followup.Provider{mash}, Statuses: []followup.Status{followup.StatusDeclined}}, 0},
	}
	for _, qq := range queries {
		want := expectedList(story, qq.q)
		if len(want) != qq.n {
			t.Fatalf("%s: the story has %d, meant %d", qq.name, len(want), qq.n)
		}
		for _, limit := range []int{1, 2, 3, 5, 100} {
			t.Run(fmt.Sprintf("%s/limit %d", qq.name, limit), func(t *testing.T) {
				if got := pageFollowUps(t, f.store, qq.q, limit); !slices.Equal(got, want) {
					t.Errorf("listed\n %q\nwant\n %q", got, want)
				}
			})
		}
	}
}

// TestListFollowUpsBadCursor refuses a cursor made for another provider's
// list, another filter, or altered to point into another provider's
// follow-ups.
func TestListFollowUpsBadCursor(t *testing.T) {
	f := newFixture(t)
	story := f.listStory(t)
	rhiOpen := followup.ListQuery{Providers: []followup.Provider{followup.ProviderRHIService}, Statuses: []followup.Status{followup.StatusOpen}, Limit: 2}
	first, err := f.store.ListFollowUps(t.Context(), rhiOpen)
	if err != nil || first.Next == "" {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	var aaID string
	for _, s := range story {
		if s.fu.Provider == followup.ProviderAppropriateAdult && s.status == followup.StatusOpen {
			aaID = s.fu.ID
		}
	}
	// alter rewrites every string in the cursor's JSON, members' names too,
	// with fn, and fails the test if that changes nothing.
	alter := func(fn func(string) string) string {
		b, err := base64.RawURLEncoding.DecodeString(first.Next)
		if err != nil {
			t.Fatalf("the cursor is not base64url JSON as documented: %v", err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("the cursor is not base64url JSON as documented: %v", err)
		}
		var walk func(any) any
		walk = func(v any) any {
			switch x := v.(type) {
			case string:
				return fn(x)
			case []any:
				for i := range x {
					x[i] = walk(x[i])
				}
			case map[string]any:
				m := map[string]any{}
				for k, e := range x {
					m[fn(k)] = walk(e)
				}
				return m
			}
			return v
		}
		out, _ := json.Marshal(walk(v))
		if string(out) == string(b) {
			t.Fatalf("altering the cursor %s changed nothing", b)
		}
		return base64.RawURLEncoding.EncodeToString(out)
	}
	withQuery := func(q followup.ListQuery, c string) followup.ListQuery { q.Cursor = c; return q }
	aaOpen := rhiOpen
	aaOpen.Providers = []followup.Provider{followup.ProviderAppropriateAdult}
	rhiAccepted := rhiOpen
	rhiAccepted.Statuses = []followup.Status{followup.StatusAccepted}
	yes := true
	rhiOverdue := rhiOpen
	rhiOverdue.Overdue = &yes
	tests := []struct {
		name string
		q    followup.ListQuery
	}{
		{"another provider's list", withQuery(aaOpen, first.Next)},
		{"another status", withQuery(rhiAccepted, first.Next)},
		{"another overdue filter", withQuery(rhiOverdue, first.Next)},
		{"a position among another provider's follow-ups", withQuery(rhiOpen, alter(func(s string) string {
			if i := strings.LastIndex(s, "#FU-"); i >= 0 {
				return s[:i+1] + aaID
			}
			return s
		}))},
		{"another provider's partition named", withQuery(rhiOpen, alter(func(s string) string {
			return strings.ReplaceAll(s, string(followup.ProviderRHIService), string(followup.ProviderAppropriateAdult))
		}))},
		{"a position of another shape", withQuery(rhiOpen, alter(func(s string) string {
			if strings.HasPrefix(s, "1#") {
				return "2#" + s[2:]
			}
			return s
		}))},
		{"not base64url", withQuery(rhiOpen, "not a cursor!")},
		{"not JSON", withQuery(rhiOpen, base64.RawURLEncoding.EncodeToString([]byte("cursor")))},
		{"empty JSON", withQuery(rhiOpen, base64.RawURLEncoding.EncodeToString([]byte("{}")))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := f.store.ListFollowUps(t.Context(), tt.q); !errors.Is(err, page.ErrBadCursor) {
				t.Errorf("ListFollowUps = %d follow-ups, %v; want page.ErrBadCursor", len(got.FollowUps), err)
			}
		})
	}
	if _, err := f.store.ListFollowUps(t.Context(), withQuery(rhiOpen, first.Next)); err != nil {
		t.Errorf("the cursor as made: %v", err)
	}
}
