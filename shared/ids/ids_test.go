package ids

import (
	"strings"
	"testing"
	"time"
)

func TestNewULIDSortsByTime(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	a := NewULID(t0)
	b := NewULID(t0) // same millisecond: monotonic
	c := NewULID(t0.Add(time.Millisecond))
	if !(a < b && b < c) {
		t.Fatalf("ULIDs not in order: %s %s %s", a, b, c)
	}
	for _, id := range []string{a, b, c} {
		if !IsULID(id) {
			t.Errorf("IsULID(%q) = false", id)
		}
	}
}

func TestIsULID(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"01JDCQ2Z8Q7X3V4N5M6K7J8H9G", true},
		{"01jdcq2z8q7x3v4n5m6k7j8h9g", false}, // lower case is not canonical
		{"01JDCQ2Z8Q7X3V4N5M6K7J8H9", false},  // 25 characters
		{"01JDCQ2Z8Q7X3V4N5M6K7J8H9GX", false},
		{"01JDCQ2Z8Q7X3V4N5M6K7J8H9U", false}, // U is not in the alphabet
		{"", false},
		{"../../etc/passwd", false},
	}
	for _, tt := range tests {
		if got := IsULID(tt.in); got != tt.want {
			t.Errorf("IsULID(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNewReference(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		r := NewReference()
		if len(r) != 9 || r[4] != '-' {
			t.Fatalf("reference %q is not XXXX-XXXX", r)
		}
		for _, c := range strings.ReplaceAll(r, "-", "") {
			if !strings.ContainsRune(referenceAlphabet, c) {
				t.Fatalf("reference %q has %q, not in the alphabet", r, c)
			}
		}
		if n, ok := NormaliseReference(r); !ok || n != r {
			t.Fatalf("NormaliseReference(%q) = %q, %v", r, n, ok)
		}
		seen[r] = true
	}
	if len(seen) < 1999 {
		t.Errorf("only %d distinct references in 2000", len(seen))
	}
}

func TestNormaliseReference(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"7K3Q-9F2H", "7K3Q-9F2H", true},
		{"7k3q 9f2h", "7K3Q-9F2H", true},
		{"7K3Q9F2H", "7K3Q-9F2H", true},
		{"7K3Q-9F2", "", false},   // too short
		{"7K3Q-9F2HH", "", false}, // too long
		{"7K3O-9F2H", "", false},  // O is not used
		{"7K31-9F2H", "", false},  // 1 is not used
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := NormaliseReference(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormaliseReference(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNewTokenAndHash(t *testing.T) {
	a, b := NewToken(), NewToken()
	if len(a) != 43 || a == b {
		t.Fatalf("tokens %q and %q: want two different 43-character tokens", a, b)
	}
	if Hash(a) == Hash(b) || len(Hash(a)) != 64 {
		t.Fatalf("hashes of different tokens must differ and be 64 hex characters")
	}
	if Hash("abc") != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("Hash is not SHA-256")
	}
}
