package helpline

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// now is the moment calls in these tests are logged.
var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

// validCall returns a call that passes every rule.
func validCall() *Call {
	return &Call{
		CalledAt:            "2026-11-23T09:30:00Z",
		DurationMinutes:     20,
		Caller:              Caller{Type: CallerParent, Anonymous: no(), FirstName: "Test", Phone: "0161 496 0000", Email: "test@example.org"},
		ChildAgeBands:       []AgeBand{Age0to4},
		Topics:              []Topic{TopicSleep},
		AdviceGiven:         "Test advice.",
		Signposting:         []Signpost{SignpostGP},
		SafeguardingConcern: no(),
		FollowUpCallAgreed:  no(),
	}
}

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	e := apperr.As(err)
	if e == nil {
		t.Fatalf("error %v is not an *apperr.Error", err)
	}
	m := map[string]string{}
	for _, f := range e.Fields {
		if _, dup := m[f.Field]; dup {
			t.Errorf("field %q reported twice", f.Field)
		}
		m[f.Field] = f.Message
	}
	return m
}

func TestValidate(t *testing.T) {
	long := strings.Repeat("é", MaxAdvice+1)
	tests := []struct {
		name   string
		change func(c *Call)
		// want maps each field that must be reported to a part of its
		// message; no other field may be reported.
		want map[string]string
	}{
		{"valid", func(c *Call) {}, nil},
		{"valid anonymous", func(c *Call) { c.Caller = Caller{Type: CallerYoungPerson, Anonymous: yes()} }, nil},
		{"valid with white space", func(c *Call) {
			c.CalledAt = " 2026-11-23T09:30:00Z "
			c.Caller.Type = " parent "
			c.Topics = []Topic{" sleep "}
		}, nil},
		{"advice at the limit in characters", func(c *Call) { c.AdviceGiven = strings.Repeat("é", MaxAdvice) }, nil},
		{"no signposting", func(c *Call) { c.Signposting = nil }, nil},
		{"called with an offset", func(c *Call) { c.CalledAt = "2026-11-23T10:04:00+01:00" }, nil},
		{"called within the clock skew", func(c *Call) { c.CalledAt = "2026-11-23T10:05:00Z" }, nil},
		{"called exactly 30 days ago", func(c *Call) { c.CalledAt = "2026-10-24T10:00:00Z" }, nil},
		{"same age band twice (two children)", func(c *Call) { c.ChildAgeBands = []AgeBand{Age5to10, Age5to10} }, nil},
		{"duration at the limits", func(c *Call) { c.DurationMinutes = MaxDuration }, nil},
		{"follow-up call agreed", func(c *Call) { c.FollowUpCallAgreed = yes() }, nil},

		{"no called at", func(c *Call) { c.CalledAt = "" }, map[string]string{"calledAt": "Enter the date and time"}},
		{"called at without offset", func(c *Call) { c.CalledAt = "2026-11-23T09:30:00" }, map[string]string{"calledAt": "offset from UTC"}},
		{"called at a date only", func(c *Call) { c.CalledAt = "2026-11-23" }, map[string]string{"calledAt": "offset from UTC"}},
		{"called in the future", func(c *Call) { c.CalledAt = "2026-11-23T10:05:01Z" }, map[string]string{"calledAt": "not in the future"}},
		{"called over 30 days ago", func(c *Call) { c.CalledAt = "2026-10-24T09:59:59Z" }, map[string]string{"calledAt": "within the last 30 days"}},
		{"no duration", func(c *Call) { c.DurationMinutes = 0 }, map[string]string{"durationMinutes": "from 1 to 600"}},
		{"negative duration", func(c *Call) { c.DurationMinutes = -5 }, map[string]string{"durationMinutes": "from 1 to 600"}},
		{"duration too long", func(c *Call) { c.DurationMinutes = MaxDuration + 1 }, map[string]string{"durationMinutes": "from 1 to 600"}},
		{"no caller type", func(c *Call) { c.Caller.Type = "" }, map[string]string{"caller.type": "Choose who called"}},
		{"unknown caller type", func(c *Call) { c.Caller.Type = "neighbour" }, map[string]string{"caller.type": "carer-guardian"}},
		{"anonymous not answered", func(c *Call) { c.Caller.Anonymous = nil }, map[string]string{"caller.anonymous": "Say whether"}},
		{"anonymous with every identifying field", func(c *Call) { c.Caller.Anonymous = yes() }, map[string]string{
			"caller.firstName": "anonymous", "caller.phone": "anonymous", "caller.email": "anonymous",
		}},
		{"anonymous with a phone only", func(c *Call) { c.Caller = Caller{Type: CallerParent, Anonymous: yes(), Phone: "not a phone"} },
			map[string]string{"caller.phone": "anonymous"}},
		{"first name too long", func(c *Call) { c.Caller.FirstName = strings.Repeat("a", MaxShortText+1) }, map[string]string{"caller.firstName": "200 characters"}},
		{"bad phone", func(c *Call) { c.Caller.Phone = "12345" }, map[string]string{"caller.phone": "UK phone number"}},
		{"phone too long", func(c *Call) { c.Caller.Phone = strings.Repeat("0", MaxShortText+1) }, map[string]string{"caller.phone": "200 characters"}},
		{"bad email", func(c *Call) { c.Caller.Email = "Test <test@example.org>" }, map[string]string{"caller.email": "email address"}},
		{"email too long", func(c *Call) { c.Caller.Email = strings.Repeat("a", MaxShortText) + "@example.org" }, map[string]string{"caller.email": "200 characters"}},
		{"contact checked when anonymity not answered", func(c *Call) { c.Caller.Anonymous = nil; c.Caller.Email = "x" },
			map[string]string{"caller.anonymous": "Say whether", "caller.email": "email address"}},
		{"no age bands", func(c *Call) { c.ChildAgeBands = nil }, map[string]string{"childAgeBands": "age band"}},
		{"too many age bands", func(c *Call) { c.ChildAgeBands = slices.Repeat([]AgeBand{Age0to4}, MaxAgeBands+1) }, map[string]string{"childAgeBands": "at most 10"}},
		{"unknown age band", func(c *Call) { c.ChildAgeBands = []AgeBand{Age0to4, "18-25"} }, map[string]string{"childAgeBands[1]": "18-25-send"}},
		{"no topics", func(c *Call) { c.Topics = []Topic{} }, map[string]string{"topics": "at least one"}},
		{"too many topics", func(c *Call) { c.Topics = Topics[:MaxTopics+1] }, map[string]string{"topics": "at most 10"}},
		{"unknown topic", func(c *Call) { c.Topics = []Topic{"weather"} }, map[string]string{"topics[0]": "from the list"}},
		{"topic twice", func(c *Call) { c.Topics = []Topic{TopicSleep, TopicMoney, TopicSleep} }, map[string]string{"topics[2]": "only once"}},
		{"no advice", func(c *Call) { c.AdviceGiven = "  \n " }, map[string]string{"adviceGiven": "Describe the advice"}},
		{"advice too long", func(c *Call) { c.AdviceGiven = long }, map[string]string{"adviceGiven": "4,000 characters"}},
		{"too many signposts", func(c *Call) { c.Signposting = Signposts[:MaxSignposts+1] }, map[string]string{"signposting": "at most 10"}},
		{"unknown signpost", func(c *Call) { c.Signposting = []Signpost{SignpostGP, "library"} }, map[string]string{"signposting[1]": "from the list"}},
		{"signpost twice", func(c *Call) { c.Signposting = []Signpost{SignpostGP, SignpostGP} }, map[string]string{"signposting[1]": "only once"}},
		{"concern not answered", func(c *Call) { c.SafeguardingConcern = nil }, map[string]string{"safeguardingConcern": "safeguarding concern"}},
		{"follow-up not answered", func(c *Call) { c.FollowUpCallAgreed = nil }, map[string]string{"followUpCallAgreed": "follow-up call"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCall()
			tt.change(c)
			at, err := Validate(c, now)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v %+v", err, apperr.As(err).Fields)
				}
				if at.IsZero() || at.Location() != time.UTC {
					t.Errorf("calledAt = %v, want a time in UTC", at)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate accepted the call")
			}
			if code := apperr.CodeOf(err); code != apperr.Invalid {
				t.Errorf("code = %s, want invalid", code)
			}
			got := fieldsOf(t, err)
			for f, part := range tt.want {
				if !strings.Contains(got[f], part) {
					t.Errorf("%s: message %q, want it to contain %q", f, got[f], part)
				}
			}
			for f := range got {
				if _, ok := tt.want[f]; !ok {
					t.Errorf("unexpected problem with %s: %s", f, got[f])
				}
			}
		})
	}
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	c := &Call{Caller: Caller{Type: "x", Anonymous: yes(), FirstName: "Test"}}
	_, err := Validate(c, now)
	got := fieldsOf(t, err)
	want := []string{"calledAt", "durationMinutes", "caller.type", "caller.firstName", "childAgeBands", "topics",
		"adviceGiven", "safeguardingConcern", "followUpCallAgreed"}
	for _, f := range want {
		if _, ok := got[f]; !ok {
			t.Errorf("no problem reported with %s", f)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d problems, want %d: %v", len(got), len(want), got)
	}
	if m := apperr.As(err).Message; !strings.Contains(m, "9 problems") {
		t.Errorf("message %q does not count the problems", m)
	}
}

func TestValidateNormalisesAndTruncatesCalledAt(t *testing.T) {
	c := validCall()
	c.CalledAt = "2026-11-23T10:30:00.123456+01:00"
	c.Caller.Email = " test@example.org "
	c.AdviceGiven = "  Test advice kept as typed.  "
	at, err := Validate(c, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 23, 9, 30, 0, 123e6, time.UTC); !at.Equal(want) {
		t.Errorf("calledAt = %v, want %v", at, want)
	}
	if c.Caller.Email != "test@example.org" {
		t.Errorf("email not trimmed: %q", c.Caller.Email)
	}
	if c.AdviceGiven != "  Test advice kept as typed.  " {
		t.Errorf("advice changed: %q", c.AdviceGiven)
	}
}

func TestValidateNeverRepeatsAValue(t *testing.T) {
	secret := "Zebedee-0161"
	c := &Call{
		CalledAt: secret, Caller: Caller{Type: CallerType(secret), Anonymous: yes(), FirstName: secret, Phone: secret, Email: secret},
		ChildAgeBands: []AgeBand{AgeBand(secret)}, Topics: []Topic{Topic(secret)}, Signposting: []Signpost{Signpost(secret)},
	}
	_, err := Validate(c, now)
	e := apperr.As(err)
	if strings.Contains(e.Message, secret) {
		t.Errorf("message repeats a value: %s", e.Message)
	}
	for _, f := range e.Fields {
		if strings.Contains(f.Message, secret) {
			t.Errorf("%s: message repeats a value: %s", f.Field, f.Message)
		}
	}
}

// The caller's phone and email are checked by the referral form's rules,
// which must hold them to the same length as the call form's other short
// answers.
func TestContactLimitIsTheReferralForms(t *testing.T) {
	if MaxShortText != referral.MaxShortText {
		t.Errorf("MaxShortText is %d, the referral form's %d", MaxShortText, referral.MaxShortText)
	}
}

func TestValidateNil(t *testing.T) {
	if _, err := Validate(nil, now); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("Validate(nil) = %v, want invalid", err)
	}
}

func TestCodeListsAreDistinctAndValid(t *testing.T) {
	check := func(name string, codes []string, valid func(string) bool) {
		seen := map[string]bool{}
		for _, c := range codes {
			if seen[c] {
				t.Errorf("%s: %q twice", name, c)
			}
			seen[c] = true
			if !valid(c) {
				t.Errorf("%s: %q not valid", name, c)
			}
			if c != strings.TrimSpace(c) || c != strings.ToLower(c) || c == "" {
				t.Errorf("%s: %q is not a lower-case code", name, c)
			}
		}
		if valid("") || valid("Other") {
			t.Errorf("%s: accepts a value not in the list", name)
		}
	}
	check("caller types", strs(CallerTypes), func(s string) bool { return CallerType(s).Valid() })
	check("age bands", strs(AgeBands), func(s string) bool { return AgeBand(s).Valid() })
	check("topics", strs(Topics), func(s string) bool { return Topic(s).Valid() })
	check("signposts", strs(Signposts), func(s string) bool { return Signpost(s).Valid() })
	if len(CallerTypes) != 9 || len(AgeBands) != 6 || len(Topics) != 18 || len(Signposts) != 12 {
		t.Errorf("code lists have %d, %d, %d, %d codes; want 9, 6, 18, 12",
			len(CallerTypes), len(AgeBands), len(Topics), len(Signposts))
	}
}

func strs[T ~string](codes []T) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = string(c)
	}
	return out
}

func TestChoices(t *testing.T) {
	if got := choices([]AgeBand{"a", "b", "c"}); got != "a, b or c" {
		t.Errorf("choices = %q", got)
	}
}
