package followup

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// The moments of FuzzApplyEvent: the starts of the follow-ups, as in the
// samples in events/follow-ups, and when every event is received.
var (
	fuzzRHIStart = time.Date(2026, time.November, 22, 8, 15, 0, 0, time.UTC)
	fuzzAAStart  = time.Date(2026, time.November, 21, 23, 0, 0, 0, time.UTC)
	fuzzNow      = time.Date(2026, time.November, 23, 16, 0, 0, 0, time.UTC)
)

const (
	fuzzRefID = "01J9ZQ4X7V3M5N8P2R6T0W1Y4A"
	fuzzCusID = "01JA0B1C2D3E4F5G6H7J8K9M0N"
)

// fuzzFollowUps returns, afresh each time, a follow-up of each kind in
// each status an event can meet: open, overdue, accepted (with and
// without attempts, and with the most attempts), and finished.
func fuzzFollowUps() map[string]FollowUp {
	at := func(t time.Time) *time.Time { return &t }
	rhi := FollowUp{ID: "FU-RHI-REF-" + fuzzRefID + "-0", Kind: KindReturnHomeInterview, Provider: ProviderRHIService, Status: StatusOpen,
		SourceType: SourceReferral, SourceID: fuzzRefID, StartAt: fuzzRHIStart, DueAt: fuzzRHIStart.Add(72 * time.Hour),
		CreatedAt: fuzzRHIStart.Add(time.Second), Version: 1}
	aa := FollowUp{ID: "FU-AA-CUS-" + fuzzCusID + "-0", Kind: KindAppropriateAdult, Provider: ProviderAppropriateAdult, Status: StatusOpen,
		SourceType: SourceCustodyRequest, SourceID: fuzzCusID, StartAt: fuzzAAStart, DueAt: fuzzAAStart.Add(2 * time.Hour),
		CreatedAt: fuzzAAStart.Add(time.Second), Version: 1}
	s38 := aa
	s38.ID, s38.Kind, s38.Provider, s38.DueAt = "FU-S38-CUS-"+fuzzCusID+"-0", KindS38Accommodation, ProviderPlacements, fuzzAAStart.Add(time.Hour)
	fgm := rhi
	fgm.ID, fgm.Kind, fgm.Provider, fgm.DueAt = "FU-FGM-REF-"+fuzzRefID+"-0", KindFGMPoliceReport, ProviderMASH, fuzzRHIStart.Add(24*time.Hour)
	accepted := func(f FollowUp, after time.Duration) FollowUp {
		f.Status, f.AcceptedAt, f.Version = StatusAccepted, at(f.StartAt.Add(after)), f.Version+1
		return f
	}

	rhiOverdue := rhi
	rhiOverdue.Status, rhiOverdue.OverdueAt, rhiOverdue.Version = StatusOverdue, at(rhi.DueAt.Add(time.Minute)), 2
	rhiAccepted := accepted(rhi, time.Hour)
	rhiAttempted := rhiAccepted
	rhiAttempted.Attempts, rhiAttempted.Version = []Attempt{{At: fuzzRHIStart.Add(8 * time.Hour), Method: MethodPhone, Outcome: "No answer",
		RecordedAt: fuzzRHIStart.Add(8 * time.Hour)}}, 3
	rhiFull := rhiAccepted
	for i := range MaxAttempts {
		rhiFull.Attempts = append(rhiFull.Attempts, Attempt{At: fuzzRHIStart.Add(time.Duration(i+2) * time.Minute), Method: MethodVideo, Outcome: "No answer"})
	}
	rhiFull.Version = 2 + MaxAttempts
	rhiDone := rhiAttempted
	rhiDone.Status, rhiDone.CompletedAt, rhiDone.Version = StatusCompleted, at(fuzzRHIStart.Add(20*time.Hour)), 4
	aaCancelled := aa
	aaCancelled.Status, aaCancelled.Version = StatusCancelled, 2

	return map[string]FollowUp{
		"rhi open": rhi, "rhi overdue": rhiOverdue, "rhi accepted": rhiAccepted, "rhi attempted": rhiAttempted,
		"rhi with the most attempts": rhiFull, "rhi completed": rhiDone,
		"aa open": aa, "aa accepted": accepted(aa, 30*time.Minute), "aa cancelled": aaCancelled,
		"s38 open": s38, "s38 accepted": accepted(s38, 10*time.Minute),
		"fgm open": fgm, "fgm accepted": accepted(fgm, 2*time.Hour),
	}
}

// fuzzChild is the child of the referral a return home interview came
// from: the new referral it asks for is about them.
var fuzzChild = referral.Child{FirstName: "Test", LastName: "Missing-Child", DateOfBirth: "2015-02-01", Sex: referral.SexMale,
	Address: referral.Address{Line1: "14 Made-Up Lane", Postcode: "M40 8WN"}}

// FuzzApplyEvent feeds any body to DecodeEvent and, when it decodes, to
// Check and to Apply on a follow-up of each kind and status, both at a
// fixed version and at the version the event names. Whatever the body,
// nothing panics; DecodeEvent refuses with an *apperr.Error with code
// Malformed or TooLarge, Check with Invalid, Apply with Invalid or
// Conflict, always the same way, leaving the follow-up as it was; an event
// Apply accepts moves the follow-up on by one version to the status its
// type leads to, with every time in it inside the follow-up's window; and
// the new referral a completed interview asks for validates or is refused
// as Invalid, as the worklist does with it.
func FuzzApplyEvent(f *testing.F) {
	formtest.AddSamples(f, "../../events/follow-ups/*.json")
	f.Add([]byte(`{"type": "ACCEPT", "version": 1, "acceptedAt": "2026-11-22T08:15:00Z"}`))
	f.Add([]byte(`{"type": "ATTEMPT", "version": 52, "attempt": {"at": "2026-11-23T16:04:59+00:00", "method": "OTHER", "outcome": "x"}}`))
	f.Add([]byte(`{"type": "DECLINE", "version": 3, "decline": {"at": "2026-11-22T09:15:00+01:00"}, "attempt": null}`))
	f.Add([]byte(`{"type": "COMPLETE", "version": 2, "appropriateAdult": {"arrivedAt": "2026-11-21T23:20:00Z", "leftAt": "2026-11-21T23:10:00Z", "outcome": "OTHER"}}`))
	f.Add([]byte(`{"type": "accept", "version": 9223372036854775807}`))

	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodeEvent(body)
		if err != nil {
			formtest.CheckError(t, "DecodeEvent", err, apperr.Malformed, apperr.TooLarge)
			if req != nil {
				t.Errorf("DecodeEvent returned an event with its error: %+v", req)
			}
			return
		}
		if req == nil {
			t.Fatal("DecodeEvent returned neither an event nor an error")
		}
		if err := req.Check(); err != nil {
			formtest.CheckError(t, "Check", err, apperr.Invalid)
		}

		fus := fuzzFollowUps()
		for _, name := range slices.Sorted(maps.Keys(fus)) {
			fu := fus[name]
			versions := []int{fu.Version}
			if req.Version >= 1 && req.Version != fu.Version {
				versions = append(versions, req.Version)
			}
			for _, v := range versions {
				fuzzApply(t, name, v, req)
			}
		}
	})
}

// fuzzApply applies a fresh copy of req to the follow-up fuzzFollowUps
// calls name, at version v, and checks what comes of it.
func fuzzApply(t *testing.T, name string, v int, req *EventRequest) {
	t.Helper()
	where := fmt.Sprintf("%s at version %d", name, v)
	fu := fuzzFollowUps()[name]
	fu.Version = v
	r := *req
	next, ev, err := Apply(fu, r, fuzzNow)
	next2, ev2, err2 := Apply(fu, r, fuzzNow)
	formtest.SameError(t, where+": Apply twice", err, err2)
	if !reflect.DeepEqual(next, next2) || !reflect.DeepEqual(ev, ev2) {
		t.Fatalf("%s: Apply is not deterministic:\n%+v %+v\n%+v %+v", where, next, ev, next2, ev2)
	}
	orig := fuzzFollowUps()[name]
	orig.Version = v
	if !reflect.DeepEqual(fu, orig) {
		t.Fatalf("%s: Apply changed the follow-up it was given:\n%+v\nwas\n%+v", where, fu, orig)
	}

	// The worklist validates the new referral a completed interview asks
	// for when the event is otherwise good or merely invalid.
	if in := r.ReturnHomeInterview; r.Type == EventComplete && fu.Kind == KindReturnHomeInterview && in != nil &&
		in.NewReferralNeeded != nil && *in.NewReferralNeeded && in.NewReferral != nil && (err == nil || apperr.CodeOf(err) == apperr.Invalid) {
		if verr := referral.Validate(in.NewReferral.Form(fuzzChild), fuzzNow); verr != nil {
			formtest.CheckError(t, where+": Validate of the new referral", verr, apperr.Invalid)
		}
	}

	if err != nil {
		formtest.CheckError(t, where+": Apply", err, apperr.Invalid, apperr.Conflict)
		if !reflect.DeepEqual(next, fu) || !reflect.DeepEqual(ev, Event{}) {
			t.Errorf("%s: Apply refused the event but gave %+v and %+v", where, next, ev)
		}
		return
	}
	if r.Check() != nil || r.Version != fu.Version || fu.Status.Final() {
		t.Fatalf("%s: Apply accepted an event it should refuse: %+v on %+v", where, r, fu)
	}
	if next.Version != fu.Version+1 || ev.Version != next.Version || ev.Type != r.Type || ev.FollowUpID != fu.ID || !ev.RecordedAt.Equal(fuzzNow) {
		t.Errorf("%s: event %+v, follow-up now version %d", where, ev, next.Version)
	}
	if next.ID != fu.ID || next.Kind != fu.Kind || next.SourceID != fu.SourceID || !next.StartAt.Equal(fu.StartAt) ||
		!reflect.DeepEqual(next.OverdueAt, fu.OverdueAt) {
		t.Errorf("%s: Apply changed what the follow-up is: %+v, was %+v", where, next, fu)
	}
	inWindow := func(what string, at time.Time) {
		if at.Location() != time.UTC || at.Before(fu.StartAt) || at.After(fuzzNow.Add(MaxClockSkew)) {
			t.Errorf("%s: %s %s (%s) is outside %s to %s", where, what, at, at.Location(), fu.StartAt, fuzzNow.Add(MaxClockSkew))
		}
	}
	switch r.Type {
	case EventAccept:
		if next.Status != StatusAccepted || next.AcceptedAt == nil || ev.AcceptedAt == nil || !next.AcceptedAt.Equal(*ev.AcceptedAt) {
			t.Fatalf("%s: accepted: %+v %+v", where, next, ev)
		}
		inWindow("acceptedAt", *next.AcceptedAt)
	case EventAttempt:
		if next.Status != StatusAccepted || len(next.Attempts) != len(fu.Attempts)+1 || len(next.Attempts) > MaxAttempts ||
			ev.Attempt == nil || next.Attempts[len(fu.Attempts)] != *ev.Attempt {
			t.Fatalf("%s: attempted: %+v %+v", where, next, ev)
		}
		inWindow("attempt.at", ev.Attempt.At)
		if !ev.Attempt.Method.Valid() {
			t.Errorf("%s: attempt method %q", where, ev.Attempt.Method)
		}
	case EventComplete:
		if next.Status != StatusCompleted || next.CompletedAt == nil {
			t.Fatalf("%s: completed: %+v", where, next)
		}
		switch fu.Kind {
		case KindReturnHomeInterview:
			if next.ReturnHomeInterview == nil || ev.ReturnHomeInterview == nil || next.AppropriateAdult != nil {
				t.Fatalf("%s: completed interview: %+v %+v", where, next, ev)
			}
			inWindow("returnHomeInterview.interviewedAt", next.ReturnHomeInterview.InterviewedAt)
		case KindAppropriateAdult:
			a := next.AppropriateAdult
			if a == nil || ev.AppropriateAdult == nil || next.ReturnHomeInterview != nil || !a.Outcome.Valid() {
				t.Fatalf("%s: completed attendance: %+v %+v", where, next, ev)
			}
			inWindow("appropriateAdult.arrivedAt", a.ArrivedAt)
			inWindow("appropriateAdult.leftAt", a.LeftAt)
			if a.LeftAt.Before(a.ArrivedAt) || (fu.AcceptedAt != nil && a.ArrivedAt.Before(*fu.AcceptedAt)) {
				t.Errorf("%s: attendance %+v for a follow-up accepted at %v", where, a, fu.AcceptedAt)
			}
		default:
			t.Fatalf("%s: a %s was completed", where, fu.Kind)
		}
	case EventDecline:
		if fu.Kind != KindReturnHomeInterview || next.Status != StatusDeclined || next.Decline == nil || ev.Decline == nil {
			t.Fatalf("%s: declined: %+v %+v", where, next, ev)
		}
		inWindow("decline.at", next.Decline.At)
	default:
		t.Fatalf("%s: Apply accepted an event of type %q", where, r.Type)
	}
	if r.Type != EventAccept && fu.Status != StatusAccepted {
		t.Errorf("%s: a %s event was accepted on a %s follow-up", where, r.Type, fu.Status)
	}
	if r.Type == EventAccept && fu.Status != StatusOpen && fu.Status != StatusOverdue {
		t.Errorf("%s: an ACCEPT event was accepted on a %s follow-up", where, fu.Status)
	}
}
