package referral

import (
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/internal/formtest"
)

// decoder is Decode, with the checks every strict decoder's tests share.
var decoder = formtest.Decoder[Referral](Decode)

const minimal = `{"referrer": {"name": "Test"}, "children": [{"firstName": "Test", "estimatedAge": 4}], "concerns": {"levelOfNeed": 2}}`

func TestDecodeAccepts(t *testing.T) {
	r, err := Decode([]byte(" \n" + minimal + "\r\n\t "))
	if err != nil {
		t.Fatal(err)
	}
	if r.Referrer.Name != "Test" || len(r.Children) != 1 || *r.Children[0].EstimatedAge != 4 || r.Concerns.LevelOfNeed != NeedEarlyHelp {
		t.Errorf("decoded %+v", r)
	}
	// null leaves a field unset, as if it were not sent.
	r, err = Decode([]byte(`{"missingEpisode": null, "consent": {"familyAware": null}}`))
	if err != nil || r.MissingEpisode != nil || r.Consent.FamilyAware != nil {
		t.Errorf("null: %v %+v", err, r)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		fields  []string // exact field paths, in order
		message string   // a part of the message, for errors without fields
	}{
		{"syntax error", `{"referrer": {"name": "Test",}}`, nil, "at byte 30 "},
		{"truncated", `{"referrer": `, nil, "ends"},
		{"trailing object", minimal + ` {}`, nil, "at byte 120 "},
		{"trailing garbage", minimal + "\nx", nil, "at byte 120 "},
		{"string", `"referral"`, nil, "must be a JSON object"},
		{"unknown nested field", `{"referrer": {"nickname": "x", "name": "Test"}}`, []string{"referrer.nickname"}, ""},
		{"unknown field in a list", `{"children": [{"firstName": "a"}, {"nickname": {"deep": [1, 2]}, "lastName": "b"}]}`,
			[]string{"children[1].nickname"}, ""},
		{"unknown field that may be personal data", `{"referrer": {"Jane Smith, 12 High St": "x"}}`, []string{"referrer"}, ""},
		{"field in wrong case", `{"Referrer": {}}`, []string{"Referrer"}, ""},
		{"field given twice", `{"concerns": {"immediateRisk": false, "immediateRisk": true}}`, []string{"concerns.immediateRisk"}, ""},
		{"number for text", `{"children": [{"nhsNumber": 9434765919}]}`, []string{"children[0].nhsNumber"}, ""},
		{"control characters and a bidi override in names", `{"referrer": {"name": "Test\u0000"}, "children": [{"firstName": "Test\u202eeman"}]}`,
			[]string{"referrer.name", "children[0].firstName"}, ""},
		{"a line break in a name, one in the account", `{"children": [{"lastName": "Test\nName"}], "concerns": {"account": "Line one.\nLine two."}}`,
			[]string{"children[0].lastName"}, ""},
		{"a line break in an address line and a postcode", `{"children": [{"address": {"line1": "1 Test\r\nStreet", "postcode": "M1\t1AA"}}]}`,
			[]string{"children[0].address.line1", "children[0].address.postcode"}, ""},
		{"text for number", `{"children": [{"estimatedAge": "four"}]}`, []string{"children[0].estimatedAge"}, ""},
		{"fraction for whole number", `{"concerns": {"levelOfNeed": 2.5}}`, []string{"concerns.levelOfNeed"}, ""},
		{"huge number", `{"concerns": {"levelOfNeed": 99999999999999999999}}`, []string{"concerns.levelOfNeed"}, ""},
		{"text for yes/no", `{"consent": {"familyAware": "yes"}}`, []string{"consent.familyAware"}, ""},
		{"text for list", `{"children": "two"}`, []string{"children"}, ""},
		{"list for object", `{"referrer": ["Test"]}`, []string{"referrer"}, ""},
		{"object for text", `{"referrer": {"name": {"first": "Test"}}}`, []string{"referrer.name"}, ""},
		{"wrong type in category list", `{"concerns": {"categories": ["neglect", 7]}}`, []string{"concerns.categories[1]"}, ""},
		{"several problems", `{"nickname": 1, "referrer": {"phone": 0161, "x": null}, "children": [{"sex": true}], "concerns": {"immediateRisk": "no"}}`,
			nil, "at byte"}, // 0161 is not valid JSON
		{"several member problems", `{"nickname": 1, "referrer": {"phone": 161, "x": null}, "children": [{"sex": true}], "concerns": {"immediateRisk": "no"}}`,
			[]string{"nickname", "referrer.phone", "referrer.x", "children[0].sex", "concerns.immediateRisk"}, ""},
	}
	decoder.RefusesNonForms(t)
	for _, tt := range tests {
		decoder.Refuses(t, tt.name, tt.body, tt.fields, tt.message)
	}
}

func TestDecodeErrorMessages(t *testing.T) {
	e := decoder.Err(t, `{"children": [{"nickname": "x"}]}`)
	if e.Fields[0].Message != "children[0].nickname is not a field of the referral form" {
		t.Errorf("unknown field message %q", e.Fields[0].Message)
	}
	e = decoder.Err(t, `{"children": [{"estimatedAge": "4"}]}`)
	if e.Fields[0].Message != "children[0].estimatedAge must be a number" {
		t.Errorf("wrong type message %q", e.Fields[0].Message)
	}
}

func TestDecodeErrorsDoNotEchoValues(t *testing.T) {
	secret := "Zebedee-Secret"
	bodies := []string{
		`{"referrer": {"name": "` + secret + `",}}`,
		`{"referrer": {"name": "` + secret + `"}} "` + secret + `"`,
		`{"children": [{"estimatedAge": "` + secret + `"}]}`,
		`{"children": "` + secret + `"}`,
		`{"children": [{"nhsNumber": ` + "9434765919" + `}], "x": "` + secret + `"}`,
		`"` + secret + `"`,
		`{"referrer": {"name": "` + secret,
		`{"referrer": {"` + secret + ` ` + secret + `": 1}}`,
		`{"concerns": {"levelOfNeed": 2.5}}`,
	}
	decoder.NeverEchoes(t, bodies, secret, "9434765919", "2.5")
}
