package followup

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

var (
	evStart = utc(2026, time.November, 20, 21, 0, 0)
	evNow   = evStart.Add(5 * time.Hour)
)

func rhiFollowUp(status Status) FollowUp {
	f := FollowUp{
		ID: "FU-RHI-REF-" + refID + "-0", Kind: KindReturnHomeInterview, Provider: ProviderRHIService, Status: status,
		SourceType: SourceReferral, SourceID: refID, StartAt: evStart, DueAt: evStart.Add(72 * time.Hour),
		CreatedAt: evStart.Add(time.Second), Version: 4,
	}
	if status == StatusAccepted {
		at := evStart.Add(time.Hour)
		f.AcceptedAt = &at
	}
	return f
}

func aaFollowUp(status Status) FollowUp {
	f := rhiFollowUp(status)
	f.ID, f.Kind, f.Provider = "FU-AA-CUS-"+cusID+"-0", KindAppropriateAdult, ProviderAppropriateAdult
	f.SourceType, f.SourceID, f.DueAt = SourceCustodyRequest, cusID, evStart.Add(2*time.Hour)
	return f
}

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

func rhiInput() *ReturnHomeInterviewInput {
	return &ReturnHomeInterviewInput{
		InterviewedAt: rfc(evStart.Add(4 * time.Hour)), Method: MethodInPerson,
		PushFactors: "Arguments at home", PullFactors: "Older friends", WhereChildWas: "A flat in town", WithWhom: "Two adults",
		HarmSuffered: boolp(false), ExploitationSigns: boolp(true), ExploitationDetails: "Given a new phone",
		NewReferralNeeded: boolp(false),
	}
}

func aaInput() *AppropriateAdultInput {
	return &AppropriateAdultInput{ArrivedAt: rfc(evStart.Add(90 * time.Minute)), LeftAt: rfc(evStart.Add(4 * time.Hour)), Outcome: OutcomeBailed}
}

func newReferralInput() *NewReferral {
	return &NewReferral{
		Referrer: referral.Referrer{Name: "Sam Worker", Role: "Interviewer", Organisation: "Return Home Service", AgencyType: referral.AgencyVoluntarySector, Email: "sam@example.org", Phone: "0161 496 0000"},
		Consent:  referral.Consent{FamilyAware: boolp(true), FamilyConsents: boolp(true)},
		Concerns: referral.Concerns{Categories: []referral.Category{referral.CategoryChildCriminalExploitation}, Account: "Signs of county lines.", ImmediateRisk: boolp(false), LevelOfNeed: referral.NeedChildInNeed},
	}
}

func TestApplyRecordsEachEvent(t *testing.T) {
	flagged := evStart.Add(73 * time.Hour)
	overdue := rhiFollowUp(StatusOverdue)
	overdue.OverdueAt = &flagged
	acceptedFlagged := rhiFollowUp(StatusAccepted)
	acceptedFlagged.OverdueAt = &flagged
	withAttempt := rhiFollowUp(StatusAccepted)
	withAttempt.Attempts = []Attempt{{At: evStart.Add(2 * time.Hour), Method: MethodPhone, Outcome: "No answer", RecordedAt: evStart.Add(2 * time.Hour)}}
	needed := rhiInput()
	needed.NewReferralNeeded, needed.NewReferral = boolp(true), newReferralInput()
	declineAt := evStart.Add(3 * time.Hour)

	tests := []struct {
		name  string
		f     FollowUp
		req   EventRequest
		check func(t *testing.T, next FollowUp, ev Event)
	}{
		{"accept an open one now", rhiFollowUp(StatusOpen), EventRequest{Type: EventAccept, Version: 4}, func(t *testing.T, next FollowUp, ev Event) {
			if next.Status != StatusAccepted || next.AcceptedAt == nil || !next.AcceptedAt.Equal(evNow) || ev.AcceptedAt == nil || !ev.AcceptedAt.Equal(evNow) {
				t.Errorf("status %s acceptedAt %v event %v, want ACCEPTED at %s", next.Status, next.AcceptedAt, ev.AcceptedAt, evNow)
			}
		}},
		{"accept an overdue one, at a given time, keeping the flag", overdue, EventRequest{Type: EventAccept, Version: 4, AcceptedAt: "2026-11-21T01:30:00+01:00"}, func(t *testing.T, next FollowUp, _ Event) {
			if next.Status != StatusAccepted || !next.AcceptedAt.Equal(utc(2026, time.November, 21, 0, 30, 0)) || next.AcceptedAt.Location() != time.UTC {
				t.Errorf("status %s acceptedAt %v", next.Status, next.AcceptedAt)
			}
			if next.OverdueAt == nil || !next.OverdueAt.Equal(flagged) {
				t.Errorf("overdueAt %v, want kept at %s", next.OverdueAt, flagged)
			}
		}},
		{"attempt", withAttempt, EventRequest{Type: EventAttempt, Version: 4, Attempt: &AttemptInput{At: rfc(evStart.Add(3 * time.Hour)), Method: MethodInPerson, Outcome: "  Visited; child asleep  "}}, func(t *testing.T, next FollowUp, ev Event) {
			want := Attempt{At: evStart.Add(3 * time.Hour), Method: MethodInPerson, Outcome: "Visited; child asleep", RecordedAt: evNow}
			if next.Status != StatusAccepted || len(next.Attempts) != 2 || next.Attempts[1] != want || ev.Attempt == nil || *ev.Attempt != want {
				t.Errorf("attempts %+v event %+v, want the first then %+v", next.Attempts, ev.Attempt, want)
			}
			if len(withAttempt.Attempts) != 1 {
				t.Error("Apply changed the attempts of the follow-up it was given")
			}
		}},
		{"complete a return home interview", acceptedFlagged, EventRequest{Type: EventComplete, Version: 4, ReturnHomeInterview: rhiInput()}, func(t *testing.T, next FollowUp, ev Event) {
			r := next.ReturnHomeInterview
			if next.Status != StatusCompleted || next.CompletedAt == nil || !next.CompletedAt.Equal(evNow) || r == nil || ev.ReturnHomeInterview != r {
				t.Fatalf("status %s completedAt %v record %+v", next.Status, next.CompletedAt, r)
			}
			if !r.InterviewedAt.Equal(evStart.Add(4*time.Hour)) || r.HarmSuffered || !r.ExploitationSigns || r.NewReferralNeeded || r.WithWhom != "Two adults" {
				t.Errorf("record %+v", r)
			}
			if next.OverdueAt == nil {
				t.Error("completing dropped the overdue flag")
			}
		}},
		{"complete one that needs a new referral", rhiFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, ReturnHomeInterview: needed}, func(t *testing.T, next FollowUp, _ Event) {
			if !next.ReturnHomeInterview.NewReferralNeeded || next.NewReferralID != "" {
				t.Errorf("record %+v, new referral %q: want needed, not yet made", next.ReturnHomeInterview, next.NewReferralID)
			}
		}},
		{"complete an appropriate adult", aaFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, AppropriateAdult: aaInput()}, func(t *testing.T, next FollowUp, _ Event) {
			a := next.AppropriateAdult
			if next.Status != StatusCompleted || a == nil || !a.ArrivedAt.Equal(evStart.Add(90*time.Minute)) || !a.LeftAt.Equal(evStart.Add(4*time.Hour)) || a.Outcome != OutcomeBailed {
				t.Errorf("status %s record %+v", next.Status, a)
			}
		}},
		{"decline", rhiFollowUp(StatusAccepted), EventRequest{Type: EventDecline, Version: 4, Decline: &DeclineInput{At: rfc(declineAt), Reason: "Did not want to talk"}}, func(t *testing.T, next FollowUp, ev Event) {
			if next.Status != StatusDeclined || next.Decline == nil || !next.Decline.At.Equal(declineAt) || next.Decline.Reason != "Did not want to talk" || ev.Decline != next.Decline {
				t.Errorf("status %s decline %+v", next.Status, next.Decline)
			}
		}},
		{"a time within the clock skew", rhiFollowUp(StatusAccepted), EventRequest{Type: EventAttempt, Version: 4, Attempt: &AttemptInput{At: rfc(evNow.Add(MaxClockSkew)), Method: MethodOther, Outcome: "Text message"}}, func(t *testing.T, next FollowUp, _ Event) {
			if len(next.Attempts) != 1 {
				t.Errorf("attempts %+v", next.Attempts)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.f
			next, ev, err := Apply(tt.f, tt.req, evNow)
			if err != nil {
				t.Fatalf("Apply() error = %v", err)
			}
			if next.Version != tt.f.Version+1 || ev.Version != next.Version || ev.Type != tt.req.Type || ev.FollowUpID != tt.f.ID || !ev.RecordedAt.Equal(evNow) {
				t.Errorf("version %d, event %+v", next.Version, ev)
			}
			if next.ID != tt.f.ID || !next.DueAt.Equal(tt.f.DueAt) || next.Kind != tt.f.Kind {
				t.Errorf("Apply changed the follow-up's identity or clock: %+v", next)
			}
			if !reflect.DeepEqual(before, tt.f) {
				t.Error("Apply changed the follow-up it was given")
			}
			tt.check(t, next, ev)
		})
	}
}

func TestApplyRefuses(t *testing.T) {
	completed := rhiFollowUp(StatusCompleted)
	full := rhiFollowUp(StatusAccepted)
	for range MaxAttempts {
		full.Attempts = append(full.Attempts, Attempt{At: evStart, Method: MethodPhone, Outcome: "No answer"})
	}
	attempt := &AttemptInput{At: rfc(evStart.Add(time.Hour)), Method: MethodPhone, Outcome: "No answer"}
	s38 := aaFollowUp(StatusAccepted)
	s38.Kind, s38.Provider = KindS38Accommodation, ProviderPlacements
	with := func(mut func(*ReturnHomeInterviewInput)) *ReturnHomeInterviewInput {
		in := rhiInput()
		mut(in)
		return in
	}
	withAA := func(mut func(*AppropriateAdultInput)) *AppropriateAdultInput {
		in := aaInput()
		mut(in)
		return in
	}
	tests := []struct {
		name   string
		f      FollowUp
		req    EventRequest
		code   apperr.Code
		fields []string
		msg    string
	}{
		{"unknown type and no version", rhiFollowUp(StatusOpen), EventRequest{Type: "CLOSE"}, apperr.Invalid, []string{"type", "version"}, ""},
		{"stale version", rhiFollowUp(StatusOpen), EventRequest{Type: EventAccept, Version: 3}, apperr.Conflict, nil, "changed since you read it (version 4 now)"},
		{"newer version", rhiFollowUp(StatusOpen), EventRequest{Type: EventAccept, Version: 5}, apperr.Conflict, nil, "version 4 now"},
		{"accept twice", rhiFollowUp(StatusAccepted), EventRequest{Type: EventAccept, Version: 4}, apperr.Conflict, nil, "already accepted"},
		{"attempt before accepting", rhiFollowUp(StatusOpen), EventRequest{Type: EventAttempt, Version: 4, Attempt: attempt}, apperr.Conflict, nil, "Accept this follow-up first"},
		{"complete an overdue one not accepted", rhiFollowUp(StatusOverdue), EventRequest{Type: EventComplete, Version: 4, ReturnHomeInterview: rhiInput()}, apperr.Conflict, nil, "Accept this follow-up first"},
		{"complete twice", completed, EventRequest{Type: EventComplete, Version: 4, ReturnHomeInterview: rhiInput()}, apperr.Conflict, nil, "completed: nothing more"},
		{"attempt after completion", completed, EventRequest{Type: EventAttempt, Version: 4, Attempt: attempt}, apperr.Conflict, nil, "nothing more"},
		{"decline after decline", rhiFollowUp(StatusDeclined), EventRequest{Type: EventDecline, Version: 4, Decline: &DeclineInput{At: rfc(evStart)}}, apperr.Conflict, nil, "declined"},
		{"too many attempts", full, EventRequest{Type: EventAttempt, Version: 4, Attempt: attempt}, apperr.Conflict, nil, "50 attempts"},
		{"decline an appropriate adult", aaFollowUp(StatusAccepted), EventRequest{Type: EventDecline, Version: 4, Decline: &DeclineInput{At: rfc(evStart)}}, apperr.Invalid, []string{"type"}, ""},
		{"complete s38 accommodation", s38, EventRequest{Type: EventComplete, Version: 4}, apperr.Invalid, []string{"type"}, ""},
		{"attempt without its section", rhiFollowUp(StatusAccepted), EventRequest{Type: EventAttempt, Version: 4}, apperr.Invalid, []string{"attempt"}, ""},
		{"accept with another section", rhiFollowUp(StatusOpen), EventRequest{Type: EventAccept, Version: 4, Decline: &DeclineInput{}}, apperr.Invalid, []string{"decline"}, ""},
		{"acceptedAt on an attempt", rhiFollowUp(StatusAccepted), EventRequest{Type: EventAttempt, Version: 4, AcceptedAt: rfc(evNow), Attempt: attempt}, apperr.Invalid, []string{"acceptedAt"}, ""},
		{"the other kind's completion", rhiFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, AppropriateAdult: aaInput()}, apperr.Invalid, []string{"returnHomeInterview", "appropriateAdult"}, ""},
		{"accepted in the future", rhiFollowUp(StatusOpen), EventRequest{Type: EventAccept, Version: 4, AcceptedAt: rfc(evNow.Add(MaxClockSkew + time.Second))}, apperr.Invalid, []string{"acceptedAt"}, ""},
		{"accepted before the start", rhiFollowUp(StatusOpen), EventRequest{Type: EventAccept, Version: 4, AcceptedAt: rfc(evStart.Add(-time.Second))}, apperr.Invalid, []string{"acceptedAt"}, ""},
		{"accepted at no real time", rhiFollowUp(StatusOpen), EventRequest{Type: EventAccept, Version: 4, AcceptedAt: "2026-11-20 22:00"}, apperr.Invalid, []string{"acceptedAt"}, ""},
		{"attempt fields", rhiFollowUp(StatusAccepted), EventRequest{Type: EventAttempt, Version: 4, Attempt: &AttemptInput{At: "", Method: "EMAIL", Outcome: " "}}, apperr.Invalid, []string{"attempt.at", "attempt.method", "attempt.outcome"}, ""},
		{"attempt outcome too long", rhiFollowUp(StatusAccepted), EventRequest{Type: EventAttempt, Version: 4, Attempt: &AttemptInput{At: rfc(evNow), Method: MethodPhone, Outcome: strings.Repeat("é", MaxOutcomeText+1)}}, apperr.Invalid, []string{"attempt.outcome"}, ""},
		{"empty interview record", rhiFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, ReturnHomeInterview: &ReturnHomeInterviewInput{}}, apperr.Invalid,
			[]string{"returnHomeInterview.interviewedAt", "returnHomeInterview.method", "returnHomeInterview.pushFactors", "returnHomeInterview.pullFactors", "returnHomeInterview.whereChildWas", "returnHomeInterview.withWhom", "returnHomeInterview.harmSuffered", "returnHomeInterview.exploitationSigns", "returnHomeInterview.newReferralNeeded"}, ""},
		{"harm without details", rhiFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, ReturnHomeInterview: with(func(in *ReturnHomeInterviewInput) { in.HarmSuffered = boolp(true) })}, apperr.Invalid, []string{"returnHomeInterview.harmDetails"}, ""},
		{"exploitation without details", rhiFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, ReturnHomeInterview: with(func(in *ReturnHomeInterviewInput) { in.ExploitationDetails = "" })}, apperr.Invalid, []string{"returnHomeInterview.exploitationDetails"}, ""},
		{"answer too long", rhiFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, ReturnHomeInterview: with(func(in *ReturnHomeInterviewInput) { in.WithWhom = strings.Repeat("x", MaxRecordText+1) })}, apperr.Invalid, []string{"returnHomeInterview.withWhom"}, ""},
		{"interview before the return", rhiFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, ReturnHomeInterview: with(func(in *ReturnHomeInterviewInput) { in.InterviewedAt = rfc(evStart.Add(-time.Hour)) })}, apperr.Invalid, []string{"returnHomeInterview.interviewedAt"}, ""},
		{"referral needed but not given", rhiFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, ReturnHomeInterview: with(func(in *ReturnHomeInterviewInput) { in.NewReferralNeeded = boolp(true) })}, apperr.Invalid, []string{"returnHomeInterview.newReferral"}, ""},
		{"referral given but not needed", rhiFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, ReturnHomeInterview: with(func(in *ReturnHomeInterviewInput) { in.NewReferral = newReferralInput() })}, apperr.Invalid, []string{"returnHomeInterview.newReferral"}, ""},
		{"referral of the missing episode again", rhiFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, ReturnHomeInterview: with(func(in *ReturnHomeInterviewInput) {
			in.NewReferralNeeded, in.NewReferral = boolp(true), newReferralInput()
			in.NewReferral.Concerns.Categories = append(in.NewReferral.Concerns.Categories, referral.CategoryMissing)
		})}, apperr.Invalid, []string{"returnHomeInterview.newReferral.concerns.categories[1]"}, ""},
		{"arrived before accepted", aaFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, AppropriateAdult: withAA(func(in *AppropriateAdultInput) { in.ArrivedAt = rfc(evStart.Add(30 * time.Minute)) })}, apperr.Invalid, []string{"appropriateAdult.arrivedAt"}, ""},
		{"left before arriving", aaFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, AppropriateAdult: withAA(func(in *AppropriateAdultInput) { in.LeftAt = rfc(evStart.Add(80 * time.Minute)) })}, apperr.Invalid, []string{"appropriateAdult.leftAt"}, ""},
		{"other outcome unexplained", aaFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, AppropriateAdult: withAA(func(in *AppropriateAdultInput) { in.Outcome = OutcomeOther })}, apperr.Invalid, []string{"appropriateAdult.outcomeDetail"}, ""},
		{"empty attendance", aaFollowUp(StatusAccepted), EventRequest{Type: EventComplete, Version: 4, AppropriateAdult: &AppropriateAdultInput{Outcome: "DETAINED"}}, apperr.Invalid, []string{"appropriateAdult.arrivedAt", "appropriateAdult.leftAt", "appropriateAdult.outcome"}, ""},
		{"decline fields", rhiFollowUp(StatusAccepted), EventRequest{Type: EventDecline, Version: 4, Decline: &DeclineInput{Reason: strings.Repeat("x", MaxOutcomeText+1)}}, apperr.Invalid, []string{"decline.at", "decline.reason"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, ev, err := Apply(tt.f, tt.req, evNow)
			e := apperr.As(err)
			if e == nil || e.Code != tt.code {
				t.Fatalf("Apply() error = %v, want code %s", err, tt.code)
			}
			got := apperr.FieldNames(err)
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v, want %v (%v)", got, tt.fields, e.Fields)
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message %q lacks %q", e.Message, tt.msg)
			}
			if !reflect.DeepEqual(next, tt.f) || ev.Type != "" {
				t.Errorf("a refused event changed the follow-up or made an event: %+v %+v", next, ev)
			}
			for _, f := range e.Fields {
				if strings.Contains(f.Message, "Two adults") || strings.Contains(f.Message, "xxxx") {
					t.Errorf("message for %s repeats the answer", f.Field)
				}
			}
		})
	}
}

func TestDecodeEvent(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		code   apperr.Code
		fields []string
	}{
		{"accept", `{"type":"ACCEPT","version":1}`, "", nil},
		{"attempt", `{"type":"ATTEMPT","version":2,"attempt":{"at":"2026-11-21T10:00:00Z","method":"PHONE","outcome":"No answer"}}`, "", nil},
		{"unknown member", `{"type":"ACCEPT","version":1,"note":"x"}`, apperr.Malformed, []string{"note"}},
		{"unknown member in a section", `{"type":"ATTEMPT","version":1,"attempt":{"when":"x"}}`, apperr.Malformed, []string{"attempt.when"}},
		{"version as text", `{"type":"ACCEPT","version":"1"}`, apperr.Malformed, []string{"version"}},
		{"a yes/no as text", `{"type":"COMPLETE","version":1,"returnHomeInterview":{"harmSuffered":"no"}}`, apperr.Malformed, []string{"returnHomeInterview.harmSuffered"}},
		{"not an object", `[1]`, apperr.Malformed, nil},
		{"two objects", `{} {}`, apperr.Malformed, nil},
		{"too large", `{"type":"` + strings.Repeat("x", MaxEventBody) + `"}`, apperr.TooLarge, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeEvent([]byte(tt.body))
			if tt.code == "" {
				if err != nil || r == nil {
					t.Fatalf("DecodeEvent() = %v, %v", r, err)
				}
				return
			}
			e := apperr.As(err)
			if e == nil || e.Code != tt.code {
				t.Fatalf("DecodeEvent() error = %v, want %s", err, tt.code)
			}
			got := apperr.FieldNames(err)
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestNewReferralForm(t *testing.T) {
	child := referral.Child{FirstName: "Ada", LastName: "Jones", DateOfBirth: "2011-03-04", Sex: referral.SexFemale,
		Address: referral.Address{Line1: "1 High Street", Postcode: "M1 1AE"}}
	n := newReferralInput()
	form := n.Form(child)
	if len(form.Children) != 1 || form.Children[0] != child || form.Referrer != n.Referrer || form.MissingEpisode != nil {
		t.Errorf("form %+v", form)
	}
	if err := referral.Validate(form, evNow); err != nil {
		t.Errorf("the form made from a good new referral is not valid: %v", err)
	}
}

func TestEventTypeAction(t *testing.T) {
	want := map[EventType]string{
		EventAccept: "follow-up.accepted", EventAttempt: "follow-up.attempted",
		EventComplete: "follow-up.completed", EventDecline: "follow-up.declined",
	}
	for _, et := range EventTypes {
		if got := string(et.Action()); got != want[et] {
			t.Errorf("%s.Action() = %s, want %s", et, got, want[et])
		}
	}
}

func TestParseID(t *testing.T) {
	at := utc(2026, time.June, 15, 9, 0, 0)
	cmds := append(ForCustody(cusID, at, true, true), validCommand(),
		Command{Type: CommandType, Kind: KindFGMPoliceReport, SourceType: SourceReferral, SourceID: refID, StartAt: at},
		Command{Type: CommandType, Kind: KindReturnHomeInterview, SourceType: SourceReferral, SourceID: refID, ChildIndex: 9, StartAt: at})
	for _, c := range cmds {
		got, ok := ParseID(c.FollowUpID())
		c.StartAt = time.Time{}
		if !ok || got != c {
			t.Errorf("ParseID(%s) = %+v, %v, want %+v", c.FollowUpID(), got, ok, c)
		}
	}
	for _, id := range []string{
		"", "FU", "FU-H-0123456789abcdef0123456789abcdef01234567",
		"FU-RHI-CUS-" + cusID + "-0",  // kind from another source
		"FU-RHI-REF-" + refID + "-01", // not the id the command gives
		"FU-RHI-REF-" + refID + "-+1",
		"FU-RHI-REF-" + refID + "--1",
		"FU-RHI-REF-" + refID + "-10", // past the most children
		"FU-AA-CUS-" + cusID + "-1",   // a custody request has one person
		"FU-RHI-REF-" + strings.ToLower(refID) + "-0",
		"FU-XX-REF-" + refID + "-0",
		"FU-RHI-REF-" + refID + "-0-0",
		"fu-RHI-REF-" + refID + "-0",
	} {
		if c, ok := ParseID(id); ok {
			t.Errorf("ParseID(%q) = %+v, true", id, c)
		}
	}
}
