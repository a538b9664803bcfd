package auth

import (
	"slices"
	"testing"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
)

func TestFromClaims(t *testing.T) {
	tests := []struct {
		name    string
		claims  map[string]string
		want    []Role
		wantErr apperr.Code
	}{
		{"one role", map[string]string{"sub": "u1", "scope": "mash"}, []Role{MASH}, ""},
		{"several roles", map[string]string{"sub": "u1", "scope": "mash mash-manager"}, []Role{MASH, MASHManager}, ""},
		{"scp when no scope", map[string]string{"sub": "u1", "scp": "police"}, []Role{Police}, ""},
		// A list claim reaches a function flattened, "[a b]": an element
		// "x provider-rhi" would read as a second role. Refused.
		{"a list, as the API flattens it", map[string]string{"sub": "u1", "scp": "[provider-rhi provider-aa]"}, nil, apperr.Forbidden},
		{"a list with an element holding a space", map[string]string{"sub": "u1", "scope": "[provider-aa x provider-rhi]"}, nil, apperr.Forbidden},
		{"a bracket alone", map[string]string{"sub": "u1", "scope": "mash]"}, nil, apperr.Forbidden},
		{"both scope and scp", map[string]string{"sub": "u1", "scope": "mash", "scp": "police"}, nil, apperr.Forbidden},
		{"a quote", map[string]string{"sub": "u1", "scope": `"mash"`}, nil, apperr.Forbidden},
		{"a control character", map[string]string{"sub": "u1", "scope": "mash\tpolice"}, nil, apperr.Forbidden},
		{"not ASCII", map[string]string{"sub": "u1", "scope": "mash\u00a0police"}, nil, apperr.Forbidden},
		{"an empty scope", map[string]string{"sub": "u1", "scope": ""}, nil, ""},
		{"unknown scopes left out", map[string]string{"sub": "u1", "scope": "openid admin helpline"}, []Role{Helpline}, ""},
		{"repeated role once", map[string]string{"sub": "u1", "scope": "mash mash"}, []Role{MASH}, ""},
		{"no scope: no roles", map[string]string{"sub": "u1"}, nil, ""},
		{"case matters", map[string]string{"sub": "u1", "scope": "MASH"}, nil, ""},
		{"no subject", map[string]string{"scope": "mash"}, nil, apperr.Unauthorized},
		{"blank subject", map[string]string{"sub": "  ", "scope": "mash"}, nil, apperr.Unauthorized},
		{"no claims", nil, nil, apperr.Unauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := FromClaims(tt.claims)
			if tt.wantErr != "" {
				if apperr.CodeOf(err) != tt.wantErr {
					t.Fatalf("error %v, want code %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Roles, tt.want) || p.Subject != "u1" {
				t.Errorf("got %+v, want roles %v", p, tt.want)
			}
		})
	}
}

func TestRequire(t *testing.T) {
	p := Principal{Subject: "u1", Roles: []Role{MASH, MASHManager}}
	tests := []struct {
		allowed []Role
		want    Role
		denied  bool
	}{
		{[]Role{MASH}, MASH, false},
		{[]Role{MASHManager, MASH}, MASHManager, false},
		{[]Role{Police, MASH}, MASH, false},
		{[]Role{Police, Helpline}, "", true},
		{nil, "", true},
	}
	for _, tt := range tests {
		got, err := p.Require(tt.allowed...)
		if tt.denied {
			if apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("Require(%v) = %v, %v; want Forbidden", tt.allowed, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Require(%v) = %v, %v; want %v", tt.allowed, got, err, tt.want)
		}
	}
	if p.Has(Police) || !p.Has(Police, MASH) {
		t.Error("Has is wrong")
	}
	if a := p.Actor(MASH, "192.0.2.1"); a.ID != "u1" || a.Role != "mash" || a.IP != "192.0.2.1" {
		t.Errorf("actor %+v", a)
	}
}
