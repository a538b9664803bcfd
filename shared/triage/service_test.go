package triage_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/triage"
)

// --- fakes -----------------------------------------------------------------

type link struct {
	ReferralID string
	ReceivedAt time.Time
	Key        string
}

type save struct {
	ID        string
	Screening referral.Screening
	Entry     audit.Entry
}

// fakeStore is an in-memory triage.Store.
type fakeStore struct {
	mu      sync.Mutex
	records map[string]referral.Record
	byKey   map[string][]referral.EarlierReferral
	links   []link // every LinkChild call
	saves   []save // every SaveScreening call
	adds    []save // every AddScreening call

	// lostRace makes SaveScreening report false without changing anything,
	// as when a concurrent triage saved first.
	lostRace bool
	// Errors to return from each method.
	errReferral, errLink, errFind, errSave error
}

var _ triage.Store = (*fakeStore)(nil)

func newFakeStore(recs ...referral.Record) *fakeStore {
	s := &fakeStore{records: map[string]referral.Record{}, byKey: map[string][]referral.EarlierReferral{}}
	for _, r := range recs {
		s.records[r.ID] = r
	}
	return s
}

// addEarlier links an earlier referral to a child key, as an earlier triage would have.
func (s *fakeStore) addEarlier(key, id string, receivedAt time.Time) {
	s.byKey[key] = append(s.byKey[key], referral.EarlierReferral{ID: id, ReceivedAt: receivedAt})
}

func (s *fakeStore) Referral(_ context.Context, id string) (*referral.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.errReferral != nil {
		return nil, s.errReferral
	}
	r, ok := s.records[id]
	if !ok {
		return nil, referral.ErrNotFound
	}
	return &r, nil // a copy, as a database would return
}

func (s *fakeStore) LinkChild(_ context.Context, referralID string, receivedAt time.Time, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.errLink != nil {
		return s.errLink
	}
	s.links = append(s.links, link{referralID, receivedAt, key})
	if !slices.ContainsFunc(s.byKey[key], func(e referral.EarlierReferral) bool { return e.ID == referralID }) {
		s.addEarlier(key, referralID, receivedAt)
	}
	return nil
}

func (s *fakeStore) ReferralsOfChild(_ context.Context, key string) ([]referral.EarlierReferral, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.errFind != nil {
		return nil, s.errFind
	}
	return slices.Clone(s.byKey[key]), nil
}

func (s *fakeStore) SaveScreening(_ context.Context, id string, sc referral.Screening, entry audit.Entry) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.errSave != nil {
		return false, s.errSave
	}
	s.saves = append(s.saves, save{id, sc, entry})
	r := s.records[id]
	if s.lostRace || r.Status.Triaged() {
		return false, nil
	}
	r.Status, r.Screening = referral.StatusAwaitingDecision, &sc
	s.records[id] = r
	return true, nil
}

func (s *fakeStore) AddScreening(_ context.Context, id string, sc referral.Screening, entry audit.Entry) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.errSave != nil {
		return false, s.errSave
	}
	s.adds = append(s.adds, save{id, sc, entry})
	r := s.records[id]
	if s.lostRace || r.Status != referral.StatusDecided || r.Screening != nil {
		return false, nil
	}
	r.Screening = &sc
	s.records[id] = r
	return true, nil
}

// fakeFollowUps records the commands sent.
type fakeFollowUps struct {
	sent [][]followup.Command
	err  error
}

var _ triage.FollowUps = (*fakeFollowUps)(nil)

func (f *fakeFollowUps) SendFollowUps(_ context.Context, cmds []followup.Command) error {
	f.sent = append(f.sent, slices.Clone(cmds))
	return f.err
}

// --- fixtures --------------------------------------------------------------

const (
	refID     = "01JC5Z8A00TESTREFERRA00001"
	earlierA  = "01HZ00000000000000000000AA"
	earlierB  = "01HZ00000000000000000000BB"
	earlierC  = "01HZ00000000000000000000CC"
	laterID   = "01JD00000000000000000000DD"
	triageNow = "2026-11-05T10:05:00Z"
)

var (
	received   = time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC) // a Thursday, GMT
	returnedAt = time.Date(2026, 11, 4, 18, 30, 0, 0, time.UTC)
)

func sam() referral.Child {
	return referral.Child{
		FirstName: "Sam", LastName: "Jones", DateOfBirth: "2012-09-30", Sex: referral.SexMale,
		NHSNumber: "401 023 2137", Address: referral.Address{Line1: "2 Low Road", Postcode: "M1 1AE"},
	}
}

// record is a QUEUED referral about Zoë and Sam, who went missing and
// came back, so followup.ForReferral asks for a return home interview for each.
func record() referral.Record {
	q := received.Add(time.Second)
	return referral.Record{
		ID: refID, Reference: "REF-2026-000123", Status: referral.StatusQueued,
		ReceivedAt: received, QueuedAt: &q, Source: "6", Version: 1,
		Form: referral.Referral{
			Referrer: referral.Referrer{Name: "PC Smith", Role: "Officer", Organisation: "Police", AgencyType: referral.AgencyPolice,
				Email: "pc.smith@police.example.uk", Phone: "0161 496 0000"},
			Children: []referral.Child{zoe(), sam()},
			Concerns: referral.Concerns{Categories: []referral.Category{referral.CategoryMissing}, Account: "Missing overnight.",
				ImmediateRisk: boolPtr(false), LevelOfNeed: referral.NeedEarlyHelp},
			MissingEpisode: &referral.MissingEpisode{
				WentMissingAt: "2026-11-03T21:00:00Z", ReturnedAt: "2026-11-04T18:30:00Z", WhereFound: "A friend's house",
			},
		},
	}
}

// wantCommands are the return home interviews for both children of record().
func wantCommands() []followup.Command {
	return []followup.Command{
		{Type: "followup.create", Kind: followup.KindReturnHomeInterview, SourceType: followup.SourceReferral, SourceID: refID, ChildIndex: 0, StartAt: returnedAt},
		{Type: "followup.create", Kind: followup.KindReturnHomeInterview, SourceType: followup.SourceReferral, SourceID: refID, ChildIndex: 1, StartAt: returnedAt},
	}
}

func newService(t *testing.T, st triage.Store, fu triage.FollowUps) *triage.Service {
	t.Helper()
	now := utc(t, triageNow)
	return triage.NewService(st, fu, triage.DefaultRules(), calendar.EnglandAndWales(), testSecret, func() time.Time { return now })
}

func earlierIDs(es []referral.EarlierReferral) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// --- Screen ----------------------------------------------------------------

func TestScreenReReferralWindow(t *testing.T) {
	// Received Thu 5 Nov 2026 10:00Z; 12 months before is 5 Nov 2025 10:00Z.
	tests := []struct {
		name      string
		earlierAt time.Time
		want      bool
	}{
		{"11 months 29 days before", time.Date(2025, 11, 6, 10, 0, 0, 0, time.UTC), true},
		{"one day before", time.Date(2026, 11, 4, 10, 0, 0, 0, time.UTC), true},
		// The window's start is inclusive: the code counts an earlier referral
		// as a re-referral when !ReceivedAt.Before(received - 12 months).
		{"exactly 12 months before", time.Date(2025, 11, 5, 10, 0, 0, 0, time.UTC), true},
		{"exactly 12 months before, in another zone", time.Date(2025, 11, 5, 11, 0, 0, 0, time.FixedZone("CET", 3600)), true},
		{"12 months and 1 nanosecond before", time.Date(2025, 11, 5, 9, 59, 59, 999999999, time.UTC), false},
		{"12 months and 1 day before", time.Date(2025, 11, 4, 10, 0, 0, 0, time.UTC), false},
		{"three years before", time.Date(2023, 11, 5, 10, 0, 0, 0, time.UTC), false},
	}
	s := newService(t, nil, nil)
	rec := record()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := s.Screen(&rec, []referral.EarlierReferral{{ID: earlierA, ReceivedAt: tt.earlierAt}}, utc(t, triageNow))
			if sc.ReReferral != tt.want {
				t.Errorf("ReReferral = %v, want %v", sc.ReReferral, tt.want)
			}
			// Linked whether or not it is within the window.
			if got := earlierIDs(sc.EarlierReferrals); !slices.Equal(got, []string{earlierA}) {
				t.Errorf("EarlierReferrals = %q, want [%s]", got, earlierA)
			}
		})
	}
}

func TestScreenEarlierReferrals(t *testing.T) {
	rec := record()
	tests := []struct {
		name    string
		earlier []referral.EarlierReferral
		want    []string
		reRef   bool
	}{
		{"none", nil, []string{}, false},
		{"only this referral itself", []referral.EarlierReferral{{ID: refID, ReceivedAt: received}}, []string{}, false},
		{"later referral is not listed", []referral.EarlierReferral{
			{ID: laterID, ReceivedAt: received.Add(time.Hour)},
		}, []string{}, false},
		{"later referral is not listed, old one is", []referral.EarlierReferral{
			{ID: laterID, ReceivedAt: received.Add(24 * time.Hour)},
			{ID: earlierA, ReceivedAt: received.AddDate(-2, 0, 0)},
		}, []string{earlierA}, false},
		{"same instant: lower id is earlier", []referral.EarlierReferral{
			{ID: earlierA, ReceivedAt: received}, // earlierA < refID
			{ID: laterID, ReceivedAt: received},  // laterID > refID
		}, []string{earlierA}, true},
		{"duplicates across keys listed once, most recent first", []referral.EarlierReferral{
			{ID: earlierA, ReceivedAt: received.AddDate(-2, 0, 0)},
			{ID: refID, ReceivedAt: received},
			{ID: earlierB, ReceivedAt: received.AddDate(0, -3, 0)},
			{ID: earlierC, ReceivedAt: received.AddDate(-1, -1, 0)},
			{ID: earlierA, ReceivedAt: received.AddDate(-2, 0, 0)},
			{ID: earlierB, ReceivedAt: received.AddDate(0, -3, 0)},
			{ID: refID, ReceivedAt: received},
		}, []string{earlierB, earlierC, earlierA}, true},
		{"only old ones: linked but not a re-referral", []referral.EarlierReferral{
			{ID: earlierC, ReceivedAt: received.AddDate(-1, 0, -1)},
			{ID: earlierA, ReceivedAt: received.AddDate(-5, 0, 0)},
			{ID: earlierC, ReceivedAt: received.AddDate(-1, 0, -1)},
		}, []string{earlierC, earlierA}, false},
	}
	s := newService(t, nil, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := s.Screen(&rec, tt.earlier, utc(t, triageNow))
			if sc.EarlierReferrals == nil {
				t.Fatal("EarlierReferrals is nil, want an empty list (JSON [])")
			}
			if got := earlierIDs(sc.EarlierReferrals); !slices.Equal(got, tt.want) {
				t.Errorf("EarlierReferrals = %q, want %q", got, tt.want)
			}
			if sc.ReReferral != tt.reRef {
				t.Errorf("ReReferral = %v, want %v", sc.ReReferral, tt.reRef)
			}
		})
	}
}

func TestScreenPriorityAndDueTimes(t *testing.T) {
	s := newService(t, nil, nil)
	now := time.Date(2026, 11, 5, 11, 0, 0, 0, time.FixedZone("BST", 3600)) // 10:00Z
	tests := []struct {
		name      string
		change    func(r *referral.Record)
		priority  string
		reasons   []string
		screening string
		due       string
		decision  string
	}{
		// Missing: AMBER, 1 working day: Friday 6 Nov 17:00Z, same as screening.
		{"amber", func(*referral.Record) {}, "AMBER", []string{reasonMissing},
			"2026-11-06T17:00:00Z", "2026-11-06T17:00:00Z", "2026-11-06T17:00:00Z"},
		// RED: 4 hours, before the screening's close of business tomorrow.
		{"red", func(r *referral.Record) { r.Form.Concerns.ImmediateRisk = boolPtr(true) }, "RED", []string{reasonImmediate},
			"2026-11-06T17:00:00Z", "2026-11-05T14:00:00Z", "2026-11-05T14:00:00Z"},
		// GREEN: 3 working days, Tuesday 10 Nov; screening Friday comes first.
		{"green", func(r *referral.Record) { r.Form.Concerns.Categories = nil }, "GREEN", []string{reasonOtherwise},
			"2026-11-06T17:00:00Z", "2026-11-10T17:00:00Z", "2026-11-06T17:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := record()
			tt.change(&rec)
			sc := s.Screen(&rec, nil, now)
			if sc.Priority != tt.priority || !slices.Equal(sc.Reasons, tt.reasons) || sc.RulesVersion != defaultVersion {
				t.Errorf("got %s %q %q, want %s %q %q", sc.Priority, sc.Reasons, sc.RulesVersion, tt.priority, tt.reasons, defaultVersion)
			}
			for _, c := range []struct {
				name string
				got  time.Time
				want string
			}{{"ScreeningDueAt", sc.ScreeningDueAt, tt.screening}, {"PriorityDueAt", sc.PriorityDueAt, tt.due}, {"DecisionDueAt", sc.DecisionDueAt, tt.decision}} {
				if !c.got.Equal(utc(t, c.want)) {
					t.Errorf("%s = %s, want %s", c.name, c.got.Format(time.RFC3339), c.want)
				}
			}
			if !sc.TriagedAt.Equal(now) || sc.TriagedAt.Location() != time.UTC {
				t.Errorf("TriagedAt = %v, want %v in UTC", sc.TriagedAt, now.UTC())
			}
			if sc.OverdueAt != nil {
				t.Errorf("OverdueAt = %v, want nil", sc.OverdueAt)
			}
		})
	}
}

// --- Triage ----------------------------------------------------------------

func TestTriageQueuedReferral(t *testing.T) {
	st := newFakeStore(record())
	// Sam was referred 3 months ago (linked under his NHS key) and again
	// after this referral; Zoë 2 years ago under her name key.
	samKeys := triage.ChildKeys(sam(), testSecret)
	zoeKeys := triage.ChildKeys(zoe(), testSecret)
	st.addEarlier(samKeys[0], earlierB, received.AddDate(0, -3, 0))
	st.addEarlier(samKeys[1], earlierB, received.AddDate(0, -3, 0))
	st.addEarlier(samKeys[0], laterID, received.Add(48*time.Hour))
	st.addEarlier(zoeKeys[1], earlierA, received.AddDate(-2, 0, 0))
	fu := &fakeFollowUps{}
	s := newService(t, st, fu)

	if err := s.Triage(context.Background(), refID); err != nil {
		t.Fatalf("Triage = %v", err)
	}

	if len(st.saves) != 1 {
		t.Fatalf("SaveScreening called %d times, want 1", len(st.saves))
	}
	sv := st.saves[0]
	if sv.ID != refID {
		t.Errorf("saved id %q, want %q", sv.ID, refID)
	}
	now := utc(t, triageNow)
	e := sv.Entry
	if e.Action != "referral.triaged" {
		t.Errorf("audit action %q, want referral.triaged", e.Action)
	}
	if e.Actor.Role != "system" || e.Actor.ID != "triage" || e.Actor.IP != "" {
		t.Errorf("audit actor %+v, want triage/system", e.Actor)
	}
	if e.Subject != audit.Referral(refID) || !e.At.Equal(now) || !ids.IsULID(e.ID) {
		t.Errorf("audit entry %+v, want referral %s at %s with a ULID id", e, refID, triageNow)
	}
	sc := sv.Screening
	if sc.Priority != "AMBER" || !slices.Equal(sc.Reasons, []string{reasonMissing}) {
		t.Errorf("screening %s %q, want AMBER [%q]", sc.Priority, sc.Reasons, reasonMissing)
	}
	if got := earlierIDs(sc.EarlierReferrals); !slices.Equal(got, []string{earlierB, earlierA}) {
		t.Errorf("EarlierReferrals = %q, want [%s %s]", got, earlierB, earlierA)
	}
	if !sc.ReReferral {
		t.Error("ReReferral = false; Sam was referred 3 months before")
	}
	if !sc.TriagedAt.Equal(now) {
		t.Errorf("TriagedAt = %v, want %v", sc.TriagedAt, now)
	}
	if got := st.records[refID].Status; got != referral.StatusAwaitingDecision {
		t.Errorf("stored status %s, want AWAITING_DECISION", got)
	}
	if len(fu.sent) != 1 || !slices.Equal(fu.sent[0], wantCommands()) {
		t.Fatalf("sent %+v, want one batch %+v", fu.sent, wantCommands())
	}
	for _, c := range fu.sent[0] {
		if err := c.Validate(); err != nil {
			t.Errorf("command %+v not valid: %v", c, err)
		}
	}
}

func TestTriageTwiceSavesOnceSendsTwice(t *testing.T) {
	st := newFakeStore(record())
	fu := &fakeFollowUps{}
	s := newService(t, st, fu)
	for i := range 2 {
		if err := s.Triage(context.Background(), refID); err != nil {
			t.Fatalf("Triage #%d = %v", i+1, err)
		}
	}
	if len(st.saves) != 1 {
		t.Errorf("SaveScreening called %d times, want 1", len(st.saves))
	}
	if len(st.links) != 4 {
		t.Errorf("LinkChild called %d times, want 4 (2 keys × 2 children, first triage only)", len(st.links))
	}
	// Intended: the follow-up commands are sent again; creating them is idempotent downstream.
	if len(fu.sent) != 2 || !slices.Equal(fu.sent[0], wantCommands()) || !slices.Equal(fu.sent[1], wantCommands()) {
		t.Errorf("sent %+v, want the same two commands twice", fu.sent)
	}
}

// TestTriageStatuses: a referral not yet triaged is screened and moved on;
// one decided by hand before it could be screened (untriaged) is screened
// for the record and stays decided; one screened already is not screened
// again. Every one has its follow-ups sent.
func TestTriageStatuses(t *testing.T) {
	screened := &referral.Screening{Priority: "GREEN"}
	tests := []struct {
		name      string
		status    referral.Status
		screening *referral.Screening
		saves     int
		adds      int
		want      referral.Status
	}{
		{"received", referral.StatusReceived, nil, 1, 0, referral.StatusAwaitingDecision},
		{"queued", referral.StatusQueued, nil, 1, 0, referral.StatusAwaitingDecision},
		{"awaiting decision", referral.StatusAwaitingDecision, screened, 0, 0, referral.StatusAwaitingDecision},
		{"decided", referral.StatusDecided, screened, 0, 0, referral.StatusDecided},
		{"decided by hand, never screened", referral.StatusDecided, nil, 0, 1, referral.StatusDecided},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := record()
			rec.Status, rec.Screening = tt.status, tt.screening
			st := newFakeStore(rec)
			fu := &fakeFollowUps{}
			if err := newService(t, st, fu).Triage(context.Background(), refID); err != nil {
				t.Fatalf("Triage = %v", err)
			}
			if len(st.saves) != tt.saves || len(st.adds) != tt.adds {
				t.Errorf("SaveScreening called %d times, AddScreening %d, want %d and %d", len(st.saves), len(st.adds), tt.saves, tt.adds)
			}
			got := st.records[refID]
			if got.Status != tt.want || got.Screening == nil {
				t.Errorf("stored status %s, screening %v; want %s with a screening", got.Status, got.Screening, tt.want)
			}
			if tt.adds == 1 && (len(st.links) == 0 || st.adds[0].Entry.Action != audit.Triaged) {
				t.Errorf("late screening: %d children linked, audit %+v; want the children linked and a triaged entry", len(st.links), st.adds[0].Entry)
			}
			if len(fu.sent) != 1 {
				t.Errorf("follow-ups sent %d times, want 1", len(fu.sent))
			}
		})
	}
}

func TestTriageErrors(t *testing.T) {
	errDB := errors.New("database unavailable")
	tests := []struct {
		name   string
		id     string
		setup  func(st *fakeStore, fu *fakeFollowUps)
		want   error
		saves  int
		sendTo int // SendFollowUps calls
	}{
		{"not found", "01JC5Z8A00ZZZZZZZZZZZZZZZZ", func(*fakeStore, *fakeFollowUps) {}, referral.ErrNotFound, 0, 0},
		{"reading the referral", refID, func(st *fakeStore, _ *fakeFollowUps) { st.errReferral = errDB }, errDB, 0, 0},
		{"linking a child", refID, func(st *fakeStore, _ *fakeFollowUps) { st.errLink = errDB }, errDB, 0, 0},
		{"finding earlier referrals", refID, func(st *fakeStore, _ *fakeFollowUps) { st.errFind = errDB }, errDB, 0, 0},
		{"saving the screening", refID, func(st *fakeStore, _ *fakeFollowUps) { st.errSave = errDB }, errDB, 0, 0},
		{"sending follow-ups", refID, func(_ *fakeStore, fu *fakeFollowUps) { fu.err = errDB }, errDB, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newFakeStore(record())
			fu := &fakeFollowUps{}
			tt.setup(st, fu)
			err := newService(t, st, fu).Triage(context.Background(), tt.id)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Triage = %v, want an error wrapping %v", err, tt.want)
			}
			if len(st.saves) != tt.saves {
				t.Errorf("SaveScreening called %d times, want %d", len(st.saves), tt.saves)
			}
			if len(fu.sent) != tt.sendTo {
				t.Errorf("SendFollowUps called %d times, want %d", len(fu.sent), tt.sendTo)
			}
		})
	}
}

func TestTriageLostRace(t *testing.T) {
	st := newFakeStore(record())
	st.lostRace = true // a concurrent triage saved first
	fu := &fakeFollowUps{}
	if err := newService(t, st, fu).Triage(context.Background(), refID); err != nil {
		t.Fatalf("Triage = %v, want nil when another triage won", err)
	}
	if len(st.saves) != 1 {
		t.Errorf("SaveScreening called %d times, want 1", len(st.saves))
	}
	if got := st.records[refID].Status; got != referral.StatusQueued {
		t.Errorf("stored status changed to %s", got)
	}
	if len(fu.sent) != 1 || !slices.Equal(fu.sent[0], wantCommands()) {
		t.Errorf("sent %+v, want one batch %+v", fu.sent, wantCommands())
	}
}

func TestTriageNoFollowUps(t *testing.T) {
	rec := record()
	rec.Form.MissingEpisode.StillMissing, rec.Form.MissingEpisode.ReturnedAt = true, ""
	st := newFakeStore(rec)
	fu := &fakeFollowUps{}
	if err := newService(t, st, fu).Triage(context.Background(), refID); err != nil {
		t.Fatalf("Triage = %v", err)
	}
	if len(fu.sent) != 0 {
		t.Errorf("SendFollowUps called with %+v, want no call", fu.sent)
	}
	if len(st.saves) != 1 {
		t.Errorf("SaveScreening called %d times, want 1", len(st.saves))
	}
}

func TestTriageLinksEveryKeyOfEveryChild(t *testing.T) {
	tests := []struct {
		name     string
		children []referral.Child
	}{
		{"two children", []referral.Child{zoe(), sam()}},
		{"the same child listed twice links each key once", []referral.Child{zoe(), zoe()}},
		{"an unborn baby has no keys", []referral.Child{{LastName: "Jones", ExpectedDateOfDelivery: "2027-01-20", Address: referral.Address{Line1: "2 Low Road", Postcode: "M1 1AE"}}, sam()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := record()
			rec.Form.Children = tt.children
			st := newFakeStore(rec)
			if err := newService(t, st, &fakeFollowUps{}).Triage(context.Background(), refID); err != nil {
				t.Fatalf("Triage = %v", err)
			}
			want := map[string]bool{}
			for _, c := range tt.children {
				for _, k := range triage.ChildKeys(c, testSecret) {
					want[k] = true
				}
			}
			got := map[string]bool{}
			for _, l := range st.links {
				if l.ReferralID != refID || !l.ReceivedAt.Equal(received) {
					t.Errorf("link %+v, want referral %s received %v", l, refID, received)
				}
				if got[l.Key] {
					t.Errorf("key %s linked twice", l.Key)
				}
				got[l.Key] = true
			}
			if len(got) != len(want) {
				t.Errorf("linked %d keys, want %d", len(got), len(want))
			}
			for k := range want {
				if !got[k] {
					t.Errorf("key %s not linked", k)
				}
			}
		})
	}
	// Two distinct born children with NHS numbers have four keys in all.
	if n := len(triage.ChildKeys(zoe(), testSecret)) + len(triage.ChildKeys(sam(), testSecret)); n != 4 {
		t.Errorf("zoe and sam have %d keys, want 4", n)
	}
}
