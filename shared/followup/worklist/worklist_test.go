package worklist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
	"github.com/csc-frontdoor/frontdoor/shared/custody"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/page"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

const (
	refID    = "01KAQ3ZZ8Q7X3V4N5M6K7J8H9G"
	cusID    = "01KAQ40000000000000000000C"
	newRefID = "01KAQ5ZZ8Q7X3V4N5M6K7J8H9N"
)

var (
	start = time.Date(2026, 11, 22, 8, 15, 0, 0, time.UTC)
	now   = start.Add(5 * time.Hour)
	rhiID = "FU-RHI-REF-" + refID + "-0"
	aaID  = "FU-AA-CUS-" + cusID + "-0"
	s38ID = "FU-S38-CUS-" + cusID + "-0"
)

func boolp(b bool) *bool { return &b }

func sourceReferral() *referral.Record {
	return &referral.Record{
		ID: refID, Reference: "7K3Q-9F2H", Status: referral.StatusAwaitingDecision, ReceivedAt: start.Add(time.Hour), Version: 3,
		Form: referral.Referral{
			Referrer: referral.Referrer{Name: "Referrer Name", Role: "Coordinator", Organisation: "Example Police", AgencyType: referral.AgencyPolice, Email: "ref@police.example.org", Phone: "0161 496 0321"},
			Children: []referral.Child{{
				FirstName: "Test", LastName: "Missing-Child", DateOfBirth: "2012-02-01", Sex: referral.SexMale,
				NHSNumber: "9991234535", School: "Secret School", GP: "Dr Hidden", Disability: "Hidden disability",
				Address: referral.Address{Line1: "14 Made-Up Lane", Town: "Manchester", Postcode: "M40 8WN"},
			}},
			Household: []referral.HouseholdMember{{Name: "Household Person", Relationship: "mother"}},
			Consent:   referral.Consent{FamilyAware: boolp(true), FamilyConsents: boolp(true)},
			Concerns: referral.Concerns{
				Categories: []referral.Category{referral.CategoryMissing}, Account: "Referrer account text",
				ChildsWords: "Child words text", ImmediateRisk: boolp(false), LevelOfNeed: referral.NeedChildInNeed,
			},
			MissingEpisode: &referral.MissingEpisode{WentMissingAt: "2026-11-20T21:30:00Z", ReturnedAt: "2026-11-22T08:15:00Z", WhereFound: "Where found text", PoliceReference: "TEST-MISSING-0001"},
		},
	}
}

func sourceCustody() *custody.Record {
	return &custody.Record{ID: cusID, Reference: "AB12-CD34", ReceivedAt: start, Request: custody.Request{
		CustodySuite: "Testford Central", CustodyNumber: "TF/04512/26",
		Officer:       custody.Officer{Name: "Test Officer", Rank: "PS", CollarNumber: "4521", Phone: "0161 496 0311", Email: "hidden@police.example.org"},
		Detainee:      custody.Detainee{FirstName: "Test", LastName: "Detainee", DateOfBirth: "2011-04-14", Sex: referral.SexMale, NHSNumber: "9990000018", Address: &referral.Address{Line1: "Hidden Road", Postcode: "M1 1AE"}},
		UnderEighteen: boolp(true), ParentUnavailableReason: "Parent reason text", DetainedAt: "2026-11-22T07:40:00Z",
		AppropriateAdultRequested: true, Charged: true, BailRefused: true, AccommodationRequested: true, AccommodationReason: "Accommodation reason text",
	}}
}

func followUp(id string, status followup.Status) followup.FollowUp {
	c, ok := followup.ParseID(id)
	if !ok {
		panic(id)
	}
	f := followup.FollowUp{
		ID: id, Kind: c.Kind, Provider: c.Kind.Provider(), Status: status, SourceType: c.SourceType, SourceID: c.SourceID,
		ChildIndex: c.ChildIndex, StartAt: start, DueAt: start.Add(72 * time.Hour), CreatedAt: start, Version: 1,
	}
	if status == followup.StatusAccepted {
		at := start.Add(time.Minute)
		f.AcceptedAt = &at
	}
	return f
}

// memStore is a Store in memory.
type memStore struct {
	fus       map[string]followup.FollowUp
	refs      map[string]*referral.Record
	custody   map[string]*custody.Record
	listed    []followup.FollowUp
	next      string
	gotQuery  *followup.ListQuery
	listErr   error
	audits    []audit.Entry
	auditErr  error
	events    []followup.Event
	entries   []audit.Entry
	recordErr error
	// changeBefore, when set, bumps the follow-up's version just before an
	// event is recorded, as another writer would.
	changeBefore bool
}

func newStore(fs ...followup.FollowUp) *memStore {
	m := &memStore{fus: map[string]followup.FollowUp{},
		refs: map[string]*referral.Record{refID: sourceReferral()}, custody: map[string]*custody.Record{cusID: sourceCustody()}}
	for _, f := range fs {
		m.fus[f.ID] = f
	}
	return m
}

func (m *memStore) FollowUp(_ context.Context, id string) (*followup.FollowUp, error) {
	f, ok := m.fus[id]
	if !ok {
		return nil, fmt.Errorf("get %s: %w", id, followup.ErrNotFound)
	}
	return &f, nil
}
func (m *memStore) ListFollowUps(_ context.Context, q followup.ListQuery) (followup.Page, error) {
	m.gotQuery = &q
	return followup.Page{FollowUps: m.listed, Next: m.next}, m.listErr
}
func (m *memStore) ReferralsByID(_ context.Context, ids []string) (map[string]*referral.Record, error) {
	out := map[string]*referral.Record{}
	for _, id := range ids {
		if r, ok := m.refs[id]; ok {
			out[id] = r
		}
	}
	return out, nil
}
func (m *memStore) CustodyRequestsByID(_ context.Context, ids []string) (map[string]*custody.Record, error) {
	out := map[string]*custody.Record{}
	for _, id := range ids {
		if r, ok := m.custody[id]; ok {
			out[id] = r
		}
	}
	return out, nil
}
func (m *memStore) RecordFollowUpEvent(_ context.Context, prev int, f followup.FollowUp, ev followup.Event, entry audit.Entry) error {
	if m.recordErr != nil {
		return m.recordErr
	}
	cur := m.fus[f.ID]
	if m.changeBefore {
		cur.Version++
		m.fus[f.ID] = cur
	}
	if cur.Version != prev {
		return fmt.Errorf("record: %w", followup.ErrChanged)
	}
	m.fus[f.ID] = f
	m.events = append(m.events, ev)
	m.entries = append(m.entries, entry)
	return nil
}
func (m *memStore) AppendAudits(_ context.Context, es []audit.Entry) error {
	if m.auditErr != nil {
		return m.auditErr
	}
	m.audits = append(m.audits, es...)
	return nil
}

// fakeIntake records submissions and answers with a receipt or an error.
type fakeIntake struct {
	subs []intake.Submission
	err  error
}

func (f *fakeIntake) Submit(_ context.Context, sub intake.Submission) (intake.Receipt, bool, error) {
	f.subs = append(f.subs, sub)
	if f.err != nil {
		return intake.Receipt{}, false, f.err
	}
	return intake.Receipt{ID: newRefID, Reference: "NEW1-REF2", Status: referral.StatusReceived}, len(f.subs) > 1, nil
}

func caller(roles ...auth.Role) Caller {
	return Caller{Roles: roles, Request: audit.Request{Actor: audit.Actor{ID: "worker-1", Role: "ignored", IP: "192.0.2.1"}, Route: "GET /follow-ups", RequestID: "req-1"}}
}

func fixedNow() time.Time { return now }

func TestParseQuery(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name   string
		params map[string]string
		want   Query
		fields []string
	}{
		{"none", nil, Query{Statuses: followup.ActiveStatuses, Limit: page.DefaultLimit}, nil},
		{"all", map[string]string{"status": "COMPLETED", "overdue": "true", "limit": "100", "cursor": "abc"},
			Query{Statuses: []followup.Status{followup.StatusCompleted}, Overdue: &yes, Limit: 100, Cursor: "abc"}, nil},
		{"not overdue", map[string]string{"overdue": "false", "limit": "1"}, Query{Statuses: followup.ActiveStatuses, Overdue: &no, Limit: 1}, nil},
		{"each status", map[string]string{"status": "DECLINED"}, Query{Statuses: []followup.Status{followup.StatusDeclined}, Limit: page.DefaultLimit}, nil},
		{"unknown status", map[string]string{"status": "CANCELLED"}, Query{}, []string{"status"}},
		{"lower-case status", map[string]string{"status": "open"}, Query{}, []string{"status"}},
		{"overdue yes", map[string]string{"overdue": "yes"}, Query{}, []string{"overdue"}},
		{"limit 0", map[string]string{"limit": "0"}, Query{}, []string{"limit"}},
		{"limit 101", map[string]string{"limit": "101"}, Query{}, []string{"limit"}},
		{"limit text", map[string]string{"limit": "ten"}, Query{}, []string{"limit"}},
		{"empty cursor", map[string]string{"cursor": ""}, Query{}, []string{"cursor"}},
		{"long cursor", map[string]string{"cursor": strings.Repeat("a", page.MaxCursor+1)}, Query{}, []string{"cursor"}},
		{"unknown parameters", map[string]string{"provider": "x", "kind": "y", "limit": "0"}, Query{}, []string{"kind", "limit", "provider"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQuery(tt.params)
			if tt.fields == nil {
				if err != nil || !reflect.DeepEqual(q, tt.want) {
					t.Errorf("ParseQuery() = %+v, %v, want %+v", q, err, tt.want)
				}
				return
			}
			e := apperr.As(err)
			if e == nil || e.Code != apperr.Malformed {
				t.Fatalf("ParseQuery() error = %v, want malformed", err)
			}
			got := apperr.FieldNames(err)
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestAccess(t *testing.T) {
	all := followup.Providers
	tests := []struct {
		roles   []auth.Role
		visible []followup.Provider
		acts    map[followup.Provider]auth.Role
		reads   map[followup.Provider]auth.Role
	}{
		{[]auth.Role{auth.ProviderRHI}, []followup.Provider{followup.ProviderRHIService},
			map[followup.Provider]auth.Role{followup.ProviderRHIService: auth.ProviderRHI},
			map[followup.Provider]auth.Role{followup.ProviderRHIService: auth.ProviderRHI}},
		{[]auth.Role{auth.ProviderAA}, []followup.Provider{followup.ProviderAppropriateAdult},
			map[followup.Provider]auth.Role{followup.ProviderAppropriateAdult: auth.ProviderAA},
			map[followup.Provider]auth.Role{followup.ProviderAppropriateAdult: auth.ProviderAA}},
		{[]auth.Role{auth.MASHManager}, all, map[followup.Provider]auth.Role{},
			map[followup.Provider]auth.Role{followup.ProviderRHIService: auth.MASHManager, followup.ProviderAppropriateAdult: auth.MASHManager, followup.ProviderPlacements: auth.MASHManager, followup.ProviderMASH: auth.MASHManager}},
		{[]auth.Role{auth.MASHManager, auth.ProviderAA}, all,
			map[followup.Provider]auth.Role{followup.ProviderAppropriateAdult: auth.ProviderAA},
			map[followup.Provider]auth.Role{followup.ProviderRHIService: auth.MASHManager, followup.ProviderAppropriateAdult: auth.ProviderAA, followup.ProviderPlacements: auth.MASHManager, followup.ProviderMASH: auth.MASHManager}},
		{[]auth.Role{auth.MASH, auth.Police, auth.Helpline}, nil, map[followup.Provider]auth.Role{}, map[followup.Provider]auth.Role{}},
	}
	for _, tt := range tests {
		if got := Visible(tt.roles); !slices.Equal(got, tt.visible) {
			t.Errorf("Visible(%v) = %v, want %v", tt.roles, got, tt.visible)
		}
		for _, p := range all {
			r, ok := ActingRole(tt.roles, p)
			if want, wantOK := tt.acts[p]; r != want || ok != wantOK {
				t.Errorf("ActingRole(%v, %s) = %s, %v, want %s, %v", tt.roles, p, r, ok, want, wantOK)
			}
			r, ok = ReadingRole(tt.roles, p)
			if want, wantOK := tt.reads[p]; r != want || ok != wantOK {
				t.Errorf("ReadingRole(%v, %s) = %s, %v, want %s, %v", tt.roles, p, r, ok, want, wantOK)
			}
		}
	}
}

func TestListAsksForTheCallersProvidersAndAuditsEach(t *testing.T) {
	q := Query{Statuses: []followup.Status{followup.StatusOpen}, Limit: 10, Cursor: "c1"}
	tests := []struct {
		name      string
		roles     []auth.Role
		providers []followup.Provider
		listed    []followup.FollowUp
		shown     []string
		auditRole string
	}{
		{"return home interview service", []auth.Role{auth.ProviderRHI}, []followup.Provider{followup.ProviderRHIService},
			[]followup.FollowUp{followUp(rhiID, followup.StatusOpen), followUp(aaID, followup.StatusOpen)}, []string{rhiID}, "provider-rhi"},
		{"appropriate adult service", []auth.Role{auth.ProviderAA}, []followup.Provider{followup.ProviderAppropriateAdult},
			[]followup.FollowUp{followUp(aaID, followup.StatusOpen)}, []string{aaID}, "provider-aa"},
		{"MASH manager", []auth.Role{auth.MASHManager}, followup.Providers,
			[]followup.FollowUp{followUp(aaID, followup.StatusOpen), followUp(s38ID, followup.StatusOpen), followUp(rhiID, followup.StatusOpen)}, []string{aaID, s38ID, rhiID}, "mash-manager"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore()
			st.listed, st.next = tt.listed, "next-cursor"
			list, err := New(st, &fakeIntake{}, fixedNow).List(context.Background(), caller(tt.roles...), q)
			if err != nil {
				t.Fatal(err)
			}
			want := followup.ListQuery{Providers: tt.providers, Statuses: q.Statuses, Cursor: "c1", Limit: 10}
			if !reflect.DeepEqual(*st.gotQuery, want) {
				t.Errorf("store asked for %+v, want %+v", *st.gotQuery, want)
			}
			var got []string
			for _, v := range list.FollowUps {
				got = append(got, v.ID)
			}
			if !slices.Equal(got, tt.shown) || list.Next != "next-cursor" {
				t.Errorf("shown %v next %q, want %v", got, list.Next, tt.shown)
			}
			if len(st.audits) != len(tt.shown) {
				t.Fatalf("%d audit entries for %d follow-ups shown", len(st.audits), len(tt.shown))
			}
			for i, e := range st.audits {
				if e.Subject != audit.FollowUp(tt.shown[i]) || e.Action != followup.ActionListed || e.Actor.Role != tt.auditRole ||
					e.Actor.ID != "worker-1" || e.Route != "GET /follow-ups" || e.RequestID != "req-1" || !e.At.Equal(now) || e.ID == "" {
					t.Errorf("audit entry %+v", e)
				}
			}
		})
	}
}

func TestListRefusals(t *testing.T) {
	q := Query{Statuses: followup.ActiveStatuses, Limit: 25}
	t.Run("no provider role", func(t *testing.T) {
		st := newStore()
		_, err := New(st, &fakeIntake{}, fixedNow).List(context.Background(), caller(auth.MASH, auth.Police), q)
		if apperr.CodeOf(err) != apperr.Forbidden || st.gotQuery != nil {
			t.Errorf("error %v, store asked: %v", err, st.gotQuery != nil)
		}
	})
	t.Run("bad cursor", func(t *testing.T) {
		st := newStore()
		st.listErr = fmt.Errorf("list: %w", page.ErrBadCursor)
		_, err := New(st, &fakeIntake{}, fixedNow).List(context.Background(), caller(auth.ProviderRHI), q)
		if e := apperr.As(err); e == nil || e.Code != apperr.Malformed || len(e.Fields) != 1 || e.Fields[0].Field != "cursor" {
			t.Errorf("error %v, want malformed naming cursor", err)
		}
	})
	t.Run("store down", func(t *testing.T) {
		st := newStore()
		st.listErr = errors.New("timeout")
		_, err := New(st, &fakeIntake{}, fixedNow).List(context.Background(), caller(auth.ProviderRHI), q)
		if apperr.CodeOf(err) != apperr.Unavailable {
			t.Errorf("error %v, want unavailable", err)
		}
	})
	t.Run("read not audited", func(t *testing.T) {
		st := newStore()
		st.listed = []followup.FollowUp{followUp(rhiID, followup.StatusOpen)}
		st.auditErr = errors.New("throttled")
		list, err := New(st, &fakeIntake{}, fixedNow).List(context.Background(), caller(auth.ProviderRHI), q)
		if apperr.CodeOf(err) != apperr.Unavailable || list != nil {
			t.Errorf("list %v error %v: a page that was not audited was shown", list, err)
		}
	})
}

// The strings of the source records that no provider may see.
var hidden = []string{
	"9991234535", "Secret School", "Dr Hidden", "Hidden disability", "Household Person", "Referrer account text",
	"Child words text", "Where found text", "Referrer Name", "ref@police.example.org",
	"9990000018", "Hidden Road", "Parent reason text", "Accommodation reason text", "hidden@police.example.org",
}

func TestViewsShowTheLeastNeeded(t *testing.T) {
	st := newStore()
	st.listed = []followup.FollowUp{followUp(rhiID, followup.StatusOpen), followUp(aaID, followup.StatusOpen),
		followUp(s38ID, followup.StatusOpen), followUp("FU-FGM-REF-"+refID+"-0", followup.StatusOpen)}
	list, err := New(st, &fakeIntake{}, fixedNow).List(context.Background(), caller(auth.MASHManager), Query{Statuses: followup.ActiveStatuses, Limit: 25})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(list)
	for _, s := range hidden {
		if strings.Contains(string(b), s) {
			t.Errorf("a follow-up view shows %q", s)
		}
	}
	rhi, aa, s38, fgm := list.FollowUps[0], list.FollowUps[1], list.FollowUps[2], list.FollowUps[3]
	if rhi.Child == nil || rhi.Child.FirstName != "Test" || rhi.Child.Address.Postcode != "M40 8WN" || rhi.Child.DateOfBirth != "2012-02-01" ||
		rhi.MissingEpisode == nil || rhi.MissingEpisode.PoliceReference != "TEST-MISSING-0001" || rhi.Custody != nil {
		t.Errorf("return home interview view %+v %+v", rhi.Child, rhi.MissingEpisode)
	}
	for _, v := range []View{aa, s38} {
		c := v.Custody
		if c == nil || c.CustodyNumber != "TF/04512/26" || c.Officer.Phone != "0161 496 0311" || c.Detainee.LastName != "Detainee" ||
			c.Reference != "AB12-CD34" || !c.RequestedAt.Equal(start) || v.Child != nil {
			t.Errorf("custody view %+v", c)
		}
	}
	if fgm.Child != nil || fgm.Custody != nil || fgm.MissingEpisode != nil {
		t.Errorf("FGM police report view shows a subject: %+v", fgm)
	}
}

func completion(version int, needed bool) string {
	rhi := map[string]any{
		"interviewedAt": start.Add(4 * time.Hour).Format(time.RFC3339), "method": "IN_PERSON",
		"pushFactors": "Rows at home", "pullFactors": "Older friends", "whereChildWas": "A flat", "withWhom": "Two adults",
		"harmSuffered": false, "exploitationSigns": true, "exploitationDetails": "New phone and cash", "newReferralNeeded": needed,
	}
	if needed {
		rhi["newReferral"] = map[string]any{
			"referrer": map[string]any{"name": "Sam Worker", "role": "Interviewer", "organisation": "Return Home Service", "agencyType": "voluntary-sector", "email": "sam@example.org", "phone": "0161 496 0000"},
			"consent":  map[string]any{"familyAware": true, "familyConsents": true},
			"concerns": map[string]any{"categories": []string{"child-criminal-exploitation"}, "account": "Signs of county lines.", "immediateRisk": false, "levelOfNeed": 3},
		}
	}
	b, _ := json.Marshal(map[string]any{"type": "COMPLETE", "version": version, "returnHomeInterview": rhi})
	return string(b)
}

func TestRecordAnEvent(t *testing.T) {
	st := newStore(followUp(rhiID, followup.StatusOpen))
	svc := New(st, &fakeIntake{}, fixedNow)
	c := caller(auth.ProviderRHI)
	c.Route = "POST /follow-ups/{id}/events"
	v, err := svc.Record(context.Background(), c, rhiID, []byte(`{"type":"ACCEPT","version":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != followup.StatusAccepted || v.Version != 2 || v.Child == nil || v.Child.FirstName != "Test" {
		t.Errorf("view %+v", v)
	}
	if st.fus[rhiID].Status != followup.StatusAccepted || len(st.events) != 1 || len(st.entries) != 1 {
		t.Fatalf("stored %+v, events %d, entries %d", st.fus[rhiID], len(st.events), len(st.entries))
	}
	ev, e := st.events[0], st.entries[0]
	if ev.ID == "" || ev.RecordedBy.ID != "worker-1" || ev.RecordedBy.Role != "provider-rhi" || ev.Type != followup.EventAccept {
		t.Errorf("event %+v", ev)
	}
	if e.Subject != audit.FollowUp(rhiID) || e.Action != followup.ActionAccepted || e.Actor.Role != "provider-rhi" || e.Route != c.Route || !e.At.Equal(now) {
		t.Errorf("audit entry %+v", e)
	}
	if _, err := svc.Record(context.Background(), c, rhiID, []byte(`{"type":"ACCEPT","version":1}`)); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("the same event again: %v, want conflict", err)
	}
}

func TestRecordIsNotFoundForOtherServices(t *testing.T) {
	body := []byte(`{"type":"ACCEPT","version":1}`)
	tests := []struct {
		name  string
		id    string
		roles []auth.Role
	}{
		{"appropriate adult service on a return home interview", rhiID, []auth.Role{auth.ProviderAA}},
		{"return home interview service on an appropriate adult", aaID, []auth.Role{auth.ProviderRHI}},
		{"a provider on s38 accommodation", s38ID, []auth.Role{auth.ProviderAA, auth.ProviderRHI}},
		{"MASH manager", rhiID, []auth.Role{auth.MASHManager}},
		{"no such follow-up", "FU-RHI-REF-" + refID + "-3", []auth.Role{auth.ProviderRHI}},
		{"not a follow-up id", "REFERRAL#" + refID, []auth.Role{auth.ProviderRHI}},
	}
	var messages []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore(followUp(rhiID, followup.StatusOpen), followUp(aaID, followup.StatusOpen), followUp(s38ID, followup.StatusOpen))
			_, err := New(st, &fakeIntake{}, fixedNow).Record(context.Background(), caller(tt.roles...), tt.id, body)
			e := apperr.As(err)
			if e == nil || e.Code != apperr.NotFound {
				t.Fatalf("error %v, want not found", err)
			}
			messages = append(messages, e.Message)
			if len(st.events) != 0 {
				t.Error("an event was recorded")
			}
		})
	}
	for _, m := range messages {
		if m != messages[0] {
			t.Errorf("messages differ, so they reveal which follow-ups exist: %q and %q", m, messages[0])
		}
	}
}

func TestRecordChangedMeanwhile(t *testing.T) {
	st := newStore(followUp(rhiID, followup.StatusOpen))
	st.changeBefore = true
	_, err := New(st, &fakeIntake{}, fixedNow).Record(context.Background(), caller(auth.ProviderRHI), rhiID, []byte(`{"type":"ACCEPT","version":1}`))
	if e := apperr.As(err); e == nil || e.Code != apperr.Conflict || !strings.Contains(e.Message, "(version 2 now)") {
		t.Errorf("error %v, want a conflict giving version 2", err)
	}
}

func TestCompletionMakesANewReferral(t *testing.T) {
	st := newStore(followUp(rhiID, followup.StatusAccepted))
	in := &fakeIntake{}
	c := caller(auth.ProviderRHI)
	c.Route, c.RequestID = "POST /follow-ups/{id}/events", "req-9"
	v, err := New(st, in, fixedNow).Record(context.Background(), c, rhiID, []byte(completion(1, true)))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.subs) != 1 {
		t.Fatalf("%d submissions, want 1", len(in.subs))
	}
	sub := in.subs[0]
	if sub.Origin == nil || *sub.Origin != (referral.Origin{Type: referral.OriginFollowUp, ID: rhiID}) ||
		sub.Actor.Role != "provider-rhi" || sub.Actor.ID != "worker-1" || sub.Route != c.Route || sub.RequestID != "req-9" {
		t.Errorf("submission %+v", sub)
	}
	if !strings.HasPrefix(sub.Idempotency.Value, "follow-up-"+rhiID+"-") || (idempotency.Key{Value: sub.Idempotency.Value}).Check() != nil {
		t.Errorf("idempotency key %q", sub.Idempotency.Value)
	}
	form, err := referral.Decode(sub.Body)
	if err != nil {
		t.Fatal(err)
	}
	src := sourceReferral().Form.Children[0]
	if len(form.Children) != 1 || form.Children[0].NHSNumber != src.NHSNumber || form.Children[0].LastName != src.LastName ||
		form.MissingEpisode != nil || form.Referrer.Name != "Sam Worker" || form.Concerns.Account != "Signs of county lines." {
		t.Errorf("referral form %+v", form)
	}
	if err := referral.Validate(form, now); err != nil {
		t.Errorf("the referral made is not valid: %v", err)
	}
	if v.NewReferralID != newRefID || st.fus[rhiID].NewReferralID != newRefID || st.events[0].NewReferralID != newRefID ||
		v.Status != followup.StatusCompleted || st.entries[0].Action != followup.ActionCompleted {
		t.Errorf("view %+v, stored %+v, event %+v", v.FollowUp, st.fus[rhiID], st.events[0])
	}

	// The same completion sent again after a conflict uses the same key, so
	// the intake replays the same referral.
	st2 := newStore(followUp(rhiID, followup.StatusAccepted))
	st2.changeBefore = true
	_, err = New(st2, in, fixedNow).Record(context.Background(), c, rhiID, []byte(completion(1, true)))
	if e := apperr.As(err); e == nil || e.Code != apperr.Conflict || !strings.Contains(e.Message, newRefID) {
		t.Errorf("error %v, want a conflict naming the referral made", err)
	}
	if len(in.subs) != 2 || in.subs[1].Idempotency.Value != sub.Idempotency.Value {
		t.Errorf("the same completion gave another idempotency key")
	}
}

func TestCompletionWithoutANewReferralMakesNone(t *testing.T) {
	st := newStore(followUp(rhiID, followup.StatusAccepted))
	in := &fakeIntake{}
	v, err := New(st, in, fixedNow).Record(context.Background(), caller(auth.ProviderRHI), rhiID, []byte(completion(1, false)))
	if err != nil || len(in.subs) != 0 || v.NewReferralID != "" || v.Status != followup.StatusCompleted {
		t.Errorf("view %+v error %v submissions %d", v, err, len(in.subs))
	}
}

func TestCompletionProblems(t *testing.T) {
	badReferral := func() string {
		var m map[string]any
		_ = json.Unmarshal([]byte(completion(1, true)), &m)
		rhi := m["returnHomeInterview"].(map[string]any)
		delete(rhi, "pushFactors")
		nr := rhi["newReferral"].(map[string]any)
		nr["referrer"].(map[string]any)["email"] = "not an email"
		nr["concerns"].(map[string]any)["levelOfNeed"] = 0
		b, _ := json.Marshal(m)
		return string(b)
	}()
	tests := []struct {
		name      string
		body      string
		intakeErr error
		code      apperr.Code
		fields    []string
	}{
		{"the record's and the referral's problems together", badReferral, nil, apperr.Invalid,
			[]string{"returnHomeInterview.pushFactors", "returnHomeInterview.newReferral.referrer.email", "returnHomeInterview.newReferral.concerns.levelOfNeed"}},
		{"intake down", completion(1, true), apperr.New(apperr.Unavailable, "try later"), apperr.Unavailable, nil},
		{"intake refuses a field", completion(1, true), apperr.WithFields("no", []apperr.FieldError{{Field: "concerns.account", Message: "Too long"}}), apperr.Invalid,
			[]string{"returnHomeInterview.newReferral.concerns.account"}},
		{"malformed body", `{"type":"COMPLETE","version":1,"returnHomeInterview":{"harmSuffered":"no"}}`, nil, apperr.Malformed, []string{"returnHomeInterview.harmSuffered"}},
		{"no version", `{"type":"ACCEPT"}`, nil, apperr.Invalid, []string{"version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore(followUp(rhiID, followup.StatusAccepted))
			in := &fakeIntake{err: tt.intakeErr}
			_, err := New(st, in, fixedNow).Record(context.Background(), caller(auth.ProviderRHI), rhiID, []byte(tt.body))
			e := apperr.As(err)
			if e == nil || e.Code != tt.code {
				t.Fatalf("error %v, want %s", err, tt.code)
			}
			got := apperr.FieldNames(err)
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
			if len(st.events) != 0 || st.fus[rhiID].Status != followup.StatusAccepted {
				t.Error("a refused completion was recorded")
			}
			if tt.intakeErr == nil && len(in.subs) != 0 {
				t.Error("a referral was made for a refused completion")
			}
		})
	}
}

func TestReferralProblems(t *testing.T) {
	err := apperr.WithFields("x", []apperr.FieldError{
		{Field: "referrer.phone", Message: "Enter a UK phone number"},
		{Field: "children[0].dateOfBirth", Message: "This person is 18 or over"},
		{Field: "missingEpisode", Message: "Add the missing episode"},
		{Field: "concerns.categories[2]", Message: "Choose each category only once"},
	})
	got := referralProblems(err)
	want := []apperr.FieldError{
		{Field: "returnHomeInterview.newReferral.referrer.phone", Message: "Enter a UK phone number"},
		{Field: "returnHomeInterview.newReferral", Message: "The child's details on the referral that started this interview cannot be used for a new referral (This person is 18 or over). Ask the MASH to make the referral."},
		{Field: "returnHomeInterview.newReferral.concerns.categories[2]", Message: "Choose each category only once"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("referralProblems() =\n %v\nwant\n %v", got, want)
	}
	if referralProblems(nil) != nil {
		t.Error("referralProblems(nil) is not nil")
	}
}

// TestCheckWritesNothing: Check gives Record's answer before any write,
// for an event Record would record and for ones it would refuse, and never
// records an event, makes a referral or audits.
func TestCheckWritesNothing(t *testing.T) {
	noReferral := func() string {
		var m map[string]any
		_ = json.Unmarshal([]byte(completion(1, true)), &m)
		delete(m["returnHomeInterview"].(map[string]any), "newReferral")
		b, _ := json.Marshal(m)
		return string(b)
	}()
	tests := []struct {
		name   string
		roles  []auth.Role
		body   string
		code   apperr.Code
		fields []string
	}{
		{"a completion Record would record", []auth.Role{auth.ProviderRHI}, completion(1, true), "", nil},
		{"a completion asking for a referral it does not give", []auth.Role{auth.ProviderRHI}, noReferral, apperr.Invalid, []string{"returnHomeInterview.newReferral"}},
		{"a stale version", []auth.Role{auth.ProviderRHI}, completion(7, false), apperr.Conflict, nil},
		{"another service", []auth.Role{auth.ProviderAA}, completion(1, false), apperr.NotFound, nil},
		{"malformed", []auth.Role{auth.ProviderRHI}, `{"type":`, apperr.Malformed, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore(followUp(rhiID, followup.StatusAccepted))
			in := &fakeIntake{}
			err := New(st, in, fixedNow).Check(context.Background(), caller(tt.roles...), rhiID, []byte(tt.body))
			if (tt.code == "") != (err == nil) || (err != nil && apperr.CodeOf(err) != tt.code) {
				t.Fatalf("error %v, want %q", err, tt.code)
			}
			if got := apperr.FieldNames(err); tt.fields != nil && !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
			if len(st.events) != 0 || len(st.entries) != 0 || len(in.subs) != 0 || st.fus[rhiID].Status != followup.StatusAccepted {
				t.Errorf("Check wrote: %d events, %d audit entries, %d referrals, status %s", len(st.events), len(st.entries), len(in.subs), st.fus[rhiID].Status)
			}
		})
	}
}

// Get shows one follow-up to those who may see it, audited as viewed in
// the role that lets them; to anyone else it is not found, as one that does
// not exist; and it is not shown when its reading cannot be audited.
func TestGet(t *testing.T) {
	tests := []struct {
		name     string
		id       string
		roles    []auth.Role
		found    bool
		role     string
		auditErr error
	}{
		{"its provider", rhiID, []auth.Role{auth.ProviderRHI}, true, "provider-rhi", nil},
		{"the MASH manager", rhiID, []auth.Role{auth.MASHManager}, true, "mash-manager", nil},
		{"a provider and manager: as the provider", rhiID, []auth.Role{auth.MASHManager, auth.ProviderRHI}, true, "provider-rhi", nil},
		{"another service", rhiID, []auth.Role{auth.ProviderAA}, false, "", nil},
		{"a screener", rhiID, []auth.Role{auth.MASH}, false, "", nil},
		{"no such follow-up", "FU-RHI-REF-" + refID + "-3", []auth.Role{auth.ProviderRHI}, false, "", nil},
		{"not a follow-up id", "REFERRAL#" + refID, []auth.Role{auth.ProviderRHI}, false, "", nil},
		{"the audit down", rhiID, []auth.Role{auth.ProviderRHI}, false, "", errors.New("down")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore(followUp(rhiID, followup.StatusOpen), followUp(aaID, followup.StatusOpen))
			st.auditErr = tt.auditErr
			v, err := New(st, &fakeIntake{}, fixedNow).Get(context.Background(), caller(tt.roles...), tt.id)
			switch {
			case tt.auditErr != nil:
				if apperr.CodeOf(err) != apperr.Unavailable || v != nil {
					t.Errorf("with the audit down: %v, %v", v, err)
				}
			case !tt.found:
				if e := apperr.As(err); e == nil || e.Code != apperr.NotFound || e.Message != apperr.As(notFound()).Message {
					t.Errorf("error %v, want the one not-found", err)
				}
				if len(st.audits) != 0 {
					t.Errorf("audited %v", st.audits)
				}
			default:
				if err != nil || v.ID != tt.id || v.Child == nil || v.Child.FirstName != "Test" {
					t.Fatalf("view %+v, %v", v, err)
				}
				if len(st.audits) != 1 || st.audits[0].Action != followup.ActionViewed || st.audits[0].Subject != audit.FollowUp(tt.id) || st.audits[0].Actor.Role != tt.role {
					t.Errorf("audited %+v", st.audits)
				}
			}
		})
	}
}
