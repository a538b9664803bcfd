package referral

import (
	"slices"
	"strings"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
)

func TestProblems(t *testing.T) {
	tests := []struct {
		name  string
		check func(p *Problems)
		want  []apperr.FieldError // nil means no problem
	}{
		{"nothing checked", func(p *Problems) {}, nil},
		{"text given", func(p *Problems) { p.Text("f", "x", 3, "Required", "Too long") }, nil},
		{"text at the limit in characters", func(p *Problems) { p.Text("f", "ééé", 3, "Required", "Too long") }, nil},
		{"text over the limit", func(p *Problems) { p.Text("f", "éééé", 3, "Required", "Too long") },
			[]apperr.FieldError{{Field: "f", Message: "Too long"}}},
		{"required text blank", func(p *Problems) { p.Text("f", " \t\n", 3, "Required", "Too long") },
			[]apperr.FieldError{{Field: "f", Message: "Required"}}},
		{"optional text blank", func(p *Problems) { p.Text("f", " ", 3, "", "Too long") }, nil},
		{"optional long blank text", func(p *Problems) { p.Text("f", "     ", 3, "", "Too long") },
			[]apperr.FieldError{{Field: "f", Message: "Too long"}}},

		{"email", func(p *Problems) { p.Email("e", "t@example.org", "Required") }, nil},
		{"email required, blank", func(p *Problems) { p.Email("e", " ", "Required") }, []apperr.FieldError{{Field: "e", Message: "Required"}}},
		{"email optional, blank", func(p *Problems) { p.Email("e", "", "") }, nil},
		{"email invalid", func(p *Problems) { p.Email("e", "t@localhost", "") }, []apperr.FieldError{{Field: "e", Message: msgEmail}}},
		{"email too long", func(p *Problems) { p.Email("e", strings.Repeat("a", MaxShortText-11)+"@example.org", "") },
			[]apperr.FieldError{{Field: "e", Message: msgShort}}},
		{"phone", func(p *Problems) { p.Phone("p", "0161 496 0000", "Required") }, nil},
		{"phone required, blank", func(p *Problems) { p.Phone("p", "", "Required") }, []apperr.FieldError{{Field: "p", Message: "Required"}}},
		{"phone optional, blank", func(p *Problems) { p.Phone("p", " ", "") }, nil},
		{"phone invalid", func(p *Problems) { p.Phone("p", "0161 496 00", "") }, []apperr.FieldError{{Field: "p", Message: msgPhone}}},
		{"phone too long", func(p *Problems) { p.Phone("p", "0"+strings.Repeat(" ", MaxShortText-10)+"161 496 0000", "") },
			[]apperr.FieldError{{Field: "p", Message: msgShort}}},

		{"NHS number", func(p *Problems) { p.NHSNumber("n", "9434765919", "Shape") }, nil},
		{"NHS number not given", func(p *Problems) { p.NHSNumber("n", "", "Shape") }, nil},
		{"NHS number 9 digits", func(p *Problems) { p.NHSNumber("n", "943476591", "Shape") }, []apperr.FieldError{{Field: "n", Message: "Shape"}}},
		{"NHS number with a letter", func(p *Problems) { p.NHSNumber("n", "943476591A", "Shape") }, []apperr.FieldError{{Field: "n", Message: "Shape"}}},
		{"NHS number wrong check digit", func(p *Problems) { p.NHSNumber("n", "9434765918", "Shape") },
			[]apperr.FieldError{{Field: "n", Message: "This is not a valid NHS number: check each digit, or leave it out if you are not sure of it"}}},

		{"sex", func(p *Problems) { p.Sex("s", SexOther, "Blank") }, nil},
		{"sex blank", func(p *Problems) { p.Sex("s", "", "Blank") }, []apperr.FieldError{{Field: "s", Message: "Blank"}}},
		{"sex not in the list", func(p *Problems) { p.Sex("s", "f", "Blank") },
			[]apperr.FieldError{{Field: "s", Message: "Choose female, male, other or unknown"}}},

		{"every problem, in order", func(p *Problems) {
			p.Add("a", "First")
			p.Text("b", "", 1, "Second", "")
			p.Email("c", "x", "")
		}, []apperr.FieldError{{Field: "a", Message: "First"}, {Field: "b", Message: "Second"}, {Field: "c", Message: msgEmail}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Problems
			tt.check(&p)
			err := p.Err("The form has something to correct")
			if tt.want == nil {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				return
			}
			e := apperr.As(err)
			if e == nil || e.Code != apperr.Invalid {
				t.Fatalf("error %v, want an *apperr.Error with code %q", err, apperr.Invalid)
			}
			if !slices.Equal(e.Fields, tt.want) {
				t.Errorf("fields %+v, want %+v", e.Fields, tt.want)
			}
		})
	}
}

func TestProblemsErrCounts(t *testing.T) {
	var p Problems
	p.Add("a", "First")
	if m := apperr.As(p.Err("The form has something to correct")).Message; m != "The form has something to correct: there is 1 problem." {
		t.Errorf("message %q", m)
	}
	p.Add("b", "Second")
	if m := apperr.As(p.Err("The form has something to correct")).Message; m != "The form has something to correct: there are 2 problems." {
		t.Errorf("message %q", m)
	}
}
