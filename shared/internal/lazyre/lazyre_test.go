package lazyre

import (
	"sync"
	"testing"
)

func TestNew(t *testing.T) {
	re := New(`^[0-9]+$`)
	var wg sync.WaitGroup
	got := make([]any, 8)
	for i := range got {
		wg.Go(func() { got[i] = re() })
	}
	wg.Wait()
	for _, g := range got {
		if g != got[0] {
			t.Fatal("the calls returned different compiled expressions")
		}
	}
	for s, want := range map[string]bool{"123": true, "12a": false, "": false} {
		if re().MatchString(s) != want {
			t.Errorf("MatchString(%q) = %v, want %v", s, !want, want)
		}
	}
}

func TestNewPanicsOnFirstUse(t *testing.T) {
	re := New(`(`) // not compiled yet: no panic here
	defer func() {
		if recover() == nil {
			t.Error("an invalid expression did not panic on first use")
		}
	}()
	re()
}
