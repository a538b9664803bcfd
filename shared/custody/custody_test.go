package custody

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// now is the moment every test request is received: Saturday 21 November
// 2026, 23:00 UTC, twenty minutes after the detention in validRequest.
var now = time.Date(2026, 11, 21, 23, 0, 0, 0, time.UTC)

// validRequest returns a request for an appropriate adult that passes
// Validate at now.
func validRequest() *Request {
	return &Request{
		CustodySuite:  "Testford Central Custody Suite",
		CustodyNumber: "TF/04512/26",
		Officer:       Officer{Name: "Test Officer", Phone: "0161 496 0311"},
		Detainee: Detainee{
			FirstName: "Test", LastName: "Detainee", DateOfBirth: "2011-04-14", Sex: referral.SexMale,
		},
		UnderEighteen:             new(true),
		ParentUnavailableReason:   "Test reason.",
		DetainedAt:                "2026-11-21T22:40:00Z",
		AppropriateAdultRequested: true,
	}
}

// accommodation turns a valid request into a valid request for both an
// appropriate adult and s38(6) accommodation.
func accommodation(r *Request) {
	r.Charged, r.BailRefused, r.AccommodationRequested = true, true, true
}

func TestValidRequestPasses(t *testing.T) {
	if err := Validate(validRequest(), now); err != nil {
		t.Fatalf("Validate: %v (%v)", err, formtest.FieldsOf(t, err))
	}
}

// The officer's phone and email are checked by the referral form's rules,
// which must hold them to the same length as the request's other short
// answers.
func TestContactLimitIsTheReferralForms(t *testing.T) {
	if MaxShortText != referral.MaxShortText {
		t.Errorf("MaxShortText is %d, the referral form's %d", MaxShortText, referral.MaxShortText)
	}
}

func TestValidateNil(t *testing.T) {
	if apperr.CodeOf(Validate(nil, now)) != apperr.Invalid {
		t.Error("Validate(nil) is not Invalid")
	}
}

func TestValidate(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) } // runes, not bytes
	tests := []struct {
		name   string
		mutate func(r *Request)
		want   []string // exact field paths, in order; nil means valid
	}{
		// custody suite and number
		{"everything blank", func(r *Request) { *r = Request{} }, []string{
			"custodySuite", "custodyNumber", "officer.name", "officer.phone",
			"detainee.firstName", "detainee.lastName", "detainee.dateOfBirth", "detainee.sex",
			"underEighteen", "detainedAt", "appropriateAdultRequested",
		}},
		{"suite only spaces", func(r *Request) { r.CustodySuite = " \t" }, []string{"custodySuite"}},
		{"suite 200 characters", func(r *Request) { r.CustodySuite = long(200) }, nil},
		{"suite 201 characters", func(r *Request) { r.CustodySuite = long(201) }, []string{"custodySuite"}},
		{"custody number 40 characters", func(r *Request) { r.CustodyNumber = strings.Repeat("A1/-", 10) }, nil},
		{"custody number 41 characters", func(r *Request) { r.CustodyNumber = strings.Repeat("A", 41) }, []string{"custodyNumber"}},
		{"custody number with spaces around", func(r *Request) { r.CustodyNumber = "  01/2345/26 " }, nil},
		{"custody number with space inside", func(r *Request) { r.CustodyNumber = "01 2345" }, []string{"custodyNumber"}},
		{"custody number with other punctuation", func(r *Request) { r.CustodyNumber = "01.2345" }, []string{"custodyNumber"}},
		{"custody number not ASCII", func(r *Request) { r.CustodyNumber = "０１" }, []string{"custodyNumber"}},

		// officer
		{"officer name blank", func(r *Request) { r.Officer.Name = "  " }, []string{"officer.name"}},
		{"officer rank and collar number", func(r *Request) { r.Officer.Rank, r.Officer.CollarNumber = "Police Sergeant", "4521" }, nil},
		{"officer rank too long", func(r *Request) { r.Officer.Rank = long(201) }, []string{"officer.rank"}},
		{"officer collar number too long", func(r *Request) { r.Officer.CollarNumber = long(201) }, []string{"officer.collarNumber"}},
		{"phone blank", func(r *Request) { r.Officer.Phone = " " }, []string{"officer.phone"}},
		{"phone international with (0)", func(r *Request) { r.Officer.Phone = "+44 (0)161 496 0000" }, nil},
		{"phone mobile", func(r *Request) { r.Officer.Phone = "07700 900000" }, nil},
		{"phone 9 digits", func(r *Request) { r.Officer.Phone = "0161 49600" }, []string{"officer.phone"}},
		{"phone other country", func(r *Request) { r.Officer.Phone = "+1 202 555 0100" }, []string{"officer.phone"}},
		{"phone with extension", func(r *Request) { r.Officer.Phone = "0161 496 0000 ext 2" }, []string{"officer.phone"}},
		{"phone too long", func(r *Request) { r.Officer.Phone = strings.Repeat("0", 201) }, []string{"officer.phone"}},
		{"email valid", func(r *Request) { r.Officer.Email = " sergeant@police.example.org " }, nil},
		{"email bad", func(r *Request) { r.Officer.Email = "sergeant" }, []string{"officer.email"}},
		{"email with display name", func(r *Request) { r.Officer.Email = "Sgt <s@example.org>" }, []string{"officer.email"}},

		// detainee
		{"names blank", func(r *Request) { r.Detainee.FirstName, r.Detainee.LastName = "", " " },
			[]string{"detainee.firstName", "detainee.lastName"}},
		{"names too long", func(r *Request) {
			r.Detainee.FirstName, r.Detainee.LastName, r.Detainee.KnownAs = long(201), long(201), long(201)
		},
			[]string{"detainee.firstName", "detainee.lastName", "detainee.knownAs"}},
		{"estimated age instead of date of birth", func(r *Request) { r.Detainee.DateOfBirth, r.Detainee.EstimatedAge = "", new(15) }, nil},
		{"both date of birth and estimated age", func(r *Request) { r.Detainee.EstimatedAge = new(16) }, nil},
		{"neither date of birth nor estimated age", func(r *Request) { r.Detainee.DateOfBirth = "" }, []string{"detainee.dateOfBirth"}},
		{"date of birth not a date", func(r *Request) { r.Detainee.DateOfBirth = "2011-02-30" }, []string{"detainee.dateOfBirth"}},
		{"date of birth wrong format", func(r *Request) { r.Detainee.DateOfBirth = "14/04/2011" }, []string{"detainee.dateOfBirth"}},
		{"date of birth today", func(r *Request) { r.Detainee.DateOfBirth = "2026-11-21" }, nil},
		{"date of birth tomorrow", func(r *Request) { r.Detainee.DateOfBirth = "2026-11-22" }, []string{"detainee.dateOfBirth"}},
		{"estimated age 0", func(r *Request) { r.Detainee.EstimatedAge = new(0) }, nil},
		{"estimated age 25", func(r *Request) { r.Detainee.EstimatedAge = new(MaxEstimatedAge) }, nil},
		{"estimated age 26", func(r *Request) { r.Detainee.EstimatedAge = new(26) }, []string{"detainee.estimatedAge"}},
		{"estimated age negative", func(r *Request) { r.Detainee.EstimatedAge = new(-1) }, []string{"detainee.estimatedAge"}},
		{"sex blank", func(r *Request) { r.Detainee.Sex = "" }, []string{"detainee.sex"}},
		{"sex unknown", func(r *Request) { r.Detainee.Sex = referral.SexUnknown }, nil},
		{"sex not in list", func(r *Request) { r.Detainee.Sex = "m" }, []string{"detainee.sex"}},
		{"address with postcode only", func(r *Request) { r.Detainee.Address = &referral.Address{Postcode: "m1 1ae"} }, nil},
		{"address without postcode", func(r *Request) { r.Detainee.Address = &referral.Address{Line1: "1 Imaginary Street"} },
			[]string{"detainee.address.postcode"}},
		{"address bad postcode", func(r *Request) { r.Detainee.Address = &referral.Address{Line1: "1 Imaginary Street", Postcode: "M1"} },
			[]string{"detainee.address.postcode"}},
		{"address lines too long", func(r *Request) {
			r.Detainee.Address = &referral.Address{Line1: long(201), Line2: long(201), Town: long(201), Postcode: "M1 1AE"}
		}, []string{"detainee.address.line1", "detainee.address.line2", "detainee.address.town"}},
		{"nhs number with spaces", func(r *Request) { r.Detainee.NHSNumber = "943 476 5919" }, nil},
		{"nhs number bad check digit", func(r *Request) { r.Detainee.NHSNumber = "9434765918" }, []string{"detainee.nhsNumber"}},
		{"nhs number too short", func(r *Request) { r.Detainee.NHSNumber = "943476591" }, []string{"detainee.nhsNumber"}},
		{"nhs number with letters", func(r *Request) { r.Detainee.NHSNumber = "94347659AB" }, []string{"detainee.nhsNumber"}},

		// circumstances
		{"under eighteen not answered", func(r *Request) { r.UnderEighteen = nil }, []string{"underEighteen"}},
		{"no reason parent cannot attend", func(r *Request) { r.ParentUnavailableReason = " \n" }, []string{"parentUnavailableReason"}},
		{"reason 2000 characters", func(r *Request) { r.ParentUnavailableReason = long(MaxFreeText) }, nil},
		{"reason 2001 characters", func(r *Request) { r.ParentUnavailableReason = long(MaxFreeText + 1) }, []string{"parentUnavailableReason"}},
		{"interpreter needed, no language", func(r *Request) { r.InterpreterNeeded = new(true) }, []string{"language"}},
		{"interpreter needed with language", func(r *Request) { r.InterpreterNeeded, r.Language = new(true), "Polish" }, nil},
		{"interpreter not needed, no language", func(r *Request) { r.InterpreterNeeded = new(false) }, nil},
		{"language too long", func(r *Request) { r.Language = long(201) }, []string{"language"}},

		// detainedAt
		{"detained at blank", func(r *Request) { r.DetainedAt = " " }, []string{"detainedAt"}},
		{"detained at without offset", func(r *Request) { r.DetainedAt = "2026-11-21T22:40:00" }, []string{"detainedAt"}},
		{"detained at date only", func(r *Request) { r.DetainedAt = "2026-11-21" }, []string{"detainedAt"}},
		{"detained at with offset", func(r *Request) { r.DetainedAt = "2026-11-21T23:40:00+01:00" }, nil},
		{"detained at 5 minutes ahead", func(r *Request) { r.DetainedAt = "2026-11-21T23:05:00Z" }, nil},
		{"detained at 5 minutes 1 second ahead", func(r *Request) { r.DetainedAt = "2026-11-21T23:05:01Z" }, []string{"detainedAt"}},
		{"detained at ahead by offset", func(r *Request) { r.DetainedAt = "2026-11-21T22:30:00-01:00" }, []string{"detainedAt"}},
		{"detained at 96 hours ago", func(r *Request) { r.DetainedAt = "2026-11-17T23:00:00Z" }, nil},
		{"detained at 96 hours 1 second ago", func(r *Request) { r.DetainedAt = "2026-11-17T22:59:59Z" }, []string{"detainedAt"}},

		// what is requested
		{"nothing requested", func(r *Request) { r.AppropriateAdultRequested = false }, []string{"appropriateAdultRequested"}},
		{"nothing requested, reason still limited", func(r *Request) {
			r.AppropriateAdultRequested, r.AccommodationReason = false, long(MaxFreeText+1)
		}, []string{"appropriateAdultRequested", "accommodationReason"}},
		{"appropriate adult for an adult", func(r *Request) { r.UnderEighteen = new(false) }, []string{"appropriateAdultRequested"}},
		{"appropriate adult for a vulnerable adult", func(r *Request) {
			r.UnderEighteen, r.VulnerableAdult, r.Detainee.DateOfBirth = new(false), true, "1990-01-01"
		}, nil},
		{"appropriate adult for a vulnerable child", func(r *Request) { r.VulnerableAdult = true }, nil},
		{"appropriate adult, under eighteen unanswered", func(r *Request) { r.UnderEighteen = nil }, []string{"underEighteen"}},
		{"accommodation only, parent reason still given", func(r *Request) {
			accommodation(r)
			r.AppropriateAdultRequested = false
		}, nil},
		{"both requested", accommodation, nil},
		{"accommodation only", func(r *Request) {
			accommodation(r)
			r.AppropriateAdultRequested, r.ParentUnavailableReason = false, ""
		}, nil},
		{"accommodation with reason", func(r *Request) { accommodation(r); r.AccommodationReason = "Test reason." }, nil},
		{"accommodation reason too long", func(r *Request) { accommodation(r); r.AccommodationReason = long(MaxFreeText + 1) },
			[]string{"accommodationReason"}},
		{"accommodation, not charged", func(r *Request) { accommodation(r); r.Charged = false }, []string{"charged"}},
		{"accommodation, bail not refused", func(r *Request) { accommodation(r); r.BailRefused = false }, []string{"bailRefused"}},
		{"accommodation, neither charged nor refused bail", func(r *Request) { accommodation(r); r.Charged, r.BailRefused = false, false },
			[]string{"charged", "bailRefused"}},
		{"accommodation for an adult", func(r *Request) { accommodation(r); r.UnderEighteen, r.VulnerableAdult = new(false), true },
			[]string{"underEighteen"}},
		{"accommodation only, for an adult", func(r *Request) {
			accommodation(r)
			r.AppropriateAdultRequested, r.UnderEighteen = false, new(false)
		}, []string{"underEighteen"}},
		{"accommodation, under eighteen unanswered", func(r *Request) { accommodation(r); r.UnderEighteen = nil },
			[]string{"underEighteen"}},
		{"appropriate adult and accommodation for an adult not vulnerable", func(r *Request) { accommodation(r); r.UnderEighteen = new(false) },
			[]string{"appropriateAdultRequested", "underEighteen"}},
	}
	form := formtest.Form[Request]{Valid: validRequest, Validate: func(r *Request) error { return Validate(r, now) }}
	for _, tt := range tests {
		form.Check(t, tt.name, tt.mutate, tt.want)
	}
}

// Dates of birth are judged by the calendar in England.
func TestDateOfBirthUsesEnglishCalendar(t *testing.T) {
	r := validRequest()
	r.Detainee.DateOfBirth = "2026-07-01"
	r.DetainedAt = "2026-06-30T23:20:00Z"
	// 23:30 UTC on 30 June is 00:30 on 1 July in England (BST).
	if err := Validate(r, time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC)); err != nil {
		t.Errorf("born today in England: %q", formtest.FieldsOf(t, err))
	}
}

func TestNormalise(t *testing.T) {
	r := validRequest()
	r.CustodySuite = "  Testford Central Custody Suite\n"
	r.CustodyNumber = " TF/04512/26 "
	r.Officer.Phone = " 0161 496 0311 "
	r.Officer.Email = " s@example.org "
	r.Detainee.FirstName = " Test "
	r.Detainee.DateOfBirth = " 2011-04-14 "
	r.Detainee.Sex = " male "
	r.Detainee.NHSNumber = " 943 476 5919 "
	r.Detainee.Address = &referral.Address{Line1: " 1 Imaginary Street ", Postcode: " m11ae "}
	r.DetainedAt = " 2026-11-21T22:40:00Z "
	r.Language = " Polish "
	if err := Validate(r, now); err != nil {
		t.Fatalf("Validate: %q", formtest.FieldsOf(t, err))
	}
	got := []string{r.CustodySuite, r.CustodyNumber, r.Officer.Phone, r.Officer.Email, r.Detainee.FirstName, r.Detainee.DateOfBirth,
		string(r.Detainee.Sex), r.Detainee.NHSNumber, r.Detainee.Address.Line1, r.Detainee.Address.Postcode, r.DetainedAt, r.Language}
	want := []string{"Testford Central Custody Suite", "TF/04512/26", "0161 496 0311", "s@example.org", "Test", "2011-04-14",
		"male", "9434765919", "1 Imaginary Street", "M1 1AE", "2026-11-21T22:40:00Z", "Polish"}
	if !slices.Equal(got, want) {
		t.Errorf("normalised %q, want %q", got, want)
	}
	// An invalid postcode is only trimmed.
	r.Detainee.Address.Postcode = " not a postcode "
	Normalise(r)
	if r.Detainee.Address.Postcode != "not a postcode" {
		t.Errorf("postcode %q", r.Detainee.Address.Postcode)
	}
	Normalise(nil) // does not panic
}

func TestValidationMessagesDoNotEchoValues(t *testing.T) {
	secret := "Zebedee9Secret"
	r := &Request{
		CustodySuite: strings.Repeat(secret, 20), CustodyNumber: secret + " " + secret,
		Officer:  Officer{Name: strings.Repeat(secret, 20), Phone: secret, Email: secret},
		Detainee: Detainee{FirstName: strings.Repeat(secret, 20), DateOfBirth: secret, Sex: referral.Sex(secret), NHSNumber: secret},
		Language: strings.Repeat(secret, 20), DetainedAt: secret, ParentUnavailableReason: strings.Repeat(secret, 200),
		AppropriateAdultRequested: true,
	}
	r.Detainee.Address = &referral.Address{Postcode: secret}
	e := apperr.As(Validate(r, now))
	if e == nil || len(e.Fields) < 10 {
		t.Fatalf("Validate: %v", e)
	}
	text := e.Error()
	for _, f := range e.Fields {
		text += " " + f.Field + " " + f.Message
	}
	if strings.Contains(strings.ToLower(text), strings.ToLower(secret)) {
		t.Errorf("error repeats a value: %s", text)
	}
}

func TestValidateError(t *testing.T) {
	r := validRequest()
	r.Officer.Phone = "x"
	e := apperr.As(Validate(r, now))
	if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Message != "The custody request has something to correct: there is 1 problem." {
		t.Fatalf("error %+v", e)
	}
	r.Detainee.LastName = ""
	if e := apperr.As(Validate(r, now)); !strings.Contains(e.Message, "there are 2 problems") {
		t.Errorf("message %q", e.Message)
	}
}

func TestDetainedTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-11-21T22:40:00Z", time.Date(2026, 11, 21, 22, 40, 0, 0, time.UTC), true},
		{"2026-06-20T14:05:00+01:00", time.Date(2026, 6, 20, 13, 5, 0, 0, time.UTC), true},
		{" 2026-06-20T14:05:00.5-02:30 ", time.Date(2026, 6, 20, 16, 35, 0, 5e8, time.UTC), true},
		{"2026-06-20T14:05:00", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		r := &Request{DetainedAt: tt.in}
		got, err := r.DetainedTime()
		switch {
		case !tt.ok:
			if e := apperr.As(err); e == nil || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "detainedAt" {
				t.Errorf("DetainedTime(%q) error %v", tt.in, err)
			}
		case err != nil:
			t.Errorf("DetainedTime(%q): %v", tt.in, err)
		case !got.Equal(tt.want) || got.Location() != time.UTC:
			t.Errorf("DetainedTime(%q) = %v, want %v in UTC", tt.in, got, tt.want)
		}
	}
}

func TestRecordJSON(t *testing.T) {
	rec := Record{ID: "id-1", Reference: "CUS-1", ReceivedAt: now, Request: *validRequest()}
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "reference", "receivedAt", "request"} {
		if _, ok := m[k]; !ok {
			t.Errorf("stored record has no %q: %s", k, b)
		}
	}
	// The stored request is itself a request Decode accepts.
	if _, err := Decode(m["request"]); err != nil {
		t.Errorf("Decode stored request: %v", err)
	}
}

// decoder is Decode, with the checks every strict decoder's tests share.
var decoder = formtest.Decoder[Request](Decode)

const minimal = `{"custodySuite": "Test", "detainee": {"firstName": "Test", "estimatedAge": 15}, "underEighteen": true}`

func TestDecodeAccepts(t *testing.T) {
	r, err := Decode([]byte(" \n" + minimal + "\r\n\t "))
	if err != nil {
		t.Fatal(err)
	}
	if r.CustodySuite != "Test" || r.Detainee.FirstName != "Test" || *r.Detainee.EstimatedAge != 15 || !*r.UnderEighteen {
		t.Errorf("decoded %+v", r)
	}
	// null leaves a field unset, as if it were not sent.
	r, err = Decode([]byte(`{"underEighteen": null, "detainee": {"address": null, "estimatedAge": null}}`))
	if err != nil || r.UnderEighteen != nil || r.Detainee.Address != nil || r.Detainee.EstimatedAge != nil {
		t.Errorf("null: %v %+v", err, r)
	}
	// A body of exactly MaxBody bytes is read.
	body := []byte(minimal)
	body = append(body, strings.Repeat(" ", MaxBody-len(body))...)
	if _, err := Decode(body); err != nil {
		t.Errorf("body of MaxBody bytes: %v", err)
	}
}

func TestDecodeTooLarge(t *testing.T) {
	body := []byte(minimal)
	body = append(body, strings.Repeat(" ", MaxBody+1-len(body))...)
	if _, err := Decode(body); apperr.CodeOf(err) != apperr.TooLarge {
		t.Errorf("body of MaxBody+1 bytes: %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		fields  []string // exact field paths, in order
		message string   // a part of the message, for errors without fields
	}{
		{"syntax error", `{"officer": {"name": "Test",}}`, nil, "at byte 29 "},
		{"truncated", `{"officer": `, nil, "ends"},
		{"trailing object", minimal + ` {}`, nil, "at byte 104 "},
		{"trailing garbage", minimal + "\nx", nil, "at byte 104 "},
		{"string", `"request"`, nil, "must be a JSON object"},
		{"unknown nested field", `{"officer": {"nickname": "x", "name": "Test"}}`, []string{"officer.nickname"}, ""},
		{"unknown address field", `{"detainee": {"address": {"county": {"deep": [1, 2]}, "line1": "x"}}}`,
			[]string{"detainee.address.county"}, ""},
		{"unknown field that may be personal data", `{"detainee": {"Jane Smith, 12 High St": "x"}}`, []string{"detainee"}, ""},
		{"field in wrong case", `{"CustodySuite": "Test"}`, []string{"CustodySuite"}, ""},
		{"field given twice", `{"charged": false, "charged": true}`, []string{"charged"}, ""},
		{"number for text", `{"detainee": {"nhsNumber": 9434765919}}`, []string{"detainee.nhsNumber"}, ""},
		{"text for number", `{"detainee": {"estimatedAge": "fifteen"}}`, []string{"detainee.estimatedAge"}, ""},
		{"fraction for whole number", `{"detainee": {"estimatedAge": 15.5}}`, []string{"detainee.estimatedAge"}, ""},
		{"huge number", `{"detainee": {"estimatedAge": 99999999999999999999}}`, []string{"detainee.estimatedAge"}, ""},
		{"text for yes/no", `{"underEighteen": "yes"}`, []string{"underEighteen"}, ""},
		{"number for yes/no", `{"bailRefused": 1}`, []string{"bailRefused"}, ""},
		{"list for object", `{"officer": ["Test"]}`, []string{"officer"}, ""},
		{"object for text", `{"officer": {"name": {"first": "Test"}}}`, []string{"officer.name"}, ""},
		{"list for text", `{"custodySuite": ["Test"]}`, []string{"custodySuite"}, ""},
		{"several member problems", `{"nickname": 1, "officer": {"phone": 161, "x": null}, "detainee": {"sex": true}, "underEighteen": "no"}`,
			[]string{"nickname", "officer.phone", "officer.x", "detainee.sex", "underEighteen"}, ""},
	}
	decoder.RefusesNonForms(t)
	for _, tt := range tests {
		decoder.Refuses(t, tt.name, tt.body, tt.fields, tt.message)
	}
}

func TestDecodeErrorMessages(t *testing.T) {
	e := decoder.Err(t, `{"detainee": {"nickname": "x"}}`)
	if e.Fields[0].Message != "detainee.nickname is not a field of the custody request" {
		t.Errorf("unknown field message %q", e.Fields[0].Message)
	}
	e = decoder.Err(t, `{"detainee": {"estimatedAge": "15"}}`)
	if e.Fields[0].Message != "detainee.estimatedAge must be a number" {
		t.Errorf("wrong type message %q", e.Fields[0].Message)
	}
	e = decoder.Err(t, `{"a": 1, "b": 2}`)
	if e.Message != "The custody request cannot be read: there are 2 problems." {
		t.Errorf("summary message %q", e.Message)
	}
}

func TestDecodeErrorsDoNotEchoValues(t *testing.T) {
	secret := "Zebedee-Secret"
	bodies := []string{
		`{"officer": {"name": "` + secret + `",}}`,
		`{"officer": {"name": "` + secret + `"}} "` + secret + `"`,
		`{"detainee": {"estimatedAge": "` + secret + `"}}`,
		`{"detainee": "` + secret + `"}`,
		`{"detainee": {"nhsNumber": 9434765919}, "x": "` + secret + `"}`,
		`"` + secret + `"`,
		`{"officer": {"name": "` + secret,
		`{"detainee": {"` + secret + ` ` + secret + `": 1}}`,
		`{"detainee": {"estimatedAge": 2.5}}`,
	}
	decoder.NeverEchoes(t, bodies, secret, "9434765919", "2.5")
}
