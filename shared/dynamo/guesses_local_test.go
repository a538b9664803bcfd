package dynamo_test

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/referrer"
)

// tries returns the count of tries on a reference in a window ("" when no
// count is kept) and its expiresAt.
func (f *fixture) tries(t *testing.T, reference string, window time.Time) (string, string) {
	t.Helper()
	item := f.item(t, "GUESSES#"+reference, "WINDOW#"+window.UTC().Format("2006-01-02T15:04:05.000Z"))
	return num(item, "tries"), num(item, "expiresAt")
}

// TestGuessesUnderRace: tries racing on one reference take at most max
// between them; each window and each reference keeps its own count, with
// the table's TTL set; a try given back can be taken again, and nothing is
// given back below zero.
func TestGuessesUnderRace(t *testing.T) {
	f := newFixture(t)
	const ref, other, max, racers = "7K3Q-9F2H", "2345-6789", 10, 30
	window := t0.Truncate(referrer.GuessWindow)
	expires := window.Add(2 * referrer.GuessWindow)

	var wg sync.WaitGroup
	errs := make([]error, racers)
	for i := range racers {
		wg.Go(func() { errs[i] = f.store.TakeGuess(t.Context(), ref, window, max, expires) })
	}
	wg.Wait()
	taken, refused := 0, 0
	for i, err := range errs {
		switch {
		case err == nil:
			taken++
		case errors.Is(err, referrer.ErrTooManyGuesses):
			refused++
		default:
			t.Errorf("try %d: %v", i, err)
		}
	}
	if taken != max || refused != racers-max {
		t.Fatalf("%d racing tries: %d taken, %d refused; want %d and %d", racers, taken, refused, max, racers-max)
	}
	if n, exp := f.tries(t, ref, window); n != "10" || exp != strconv.FormatInt(expires.Unix(), 10) {
		t.Errorf("count %q expiring %q, want 10 expiring at %d", n, exp, expires.Unix())
	}

	if err := f.store.TakeGuess(t.Context(), other, window, max, expires); err != nil {
		t.Errorf("another reference in the same window: %v", err)
	}
	next := window.Add(referrer.GuessWindow)
	if err := f.store.TakeGuess(t.Context(), ref, next, max, next.Add(2*referrer.GuessWindow)); err != nil {
		t.Errorf("the same reference in the next window: %v", err)
	}

	if err := f.store.GiveBackGuess(t.Context(), ref, window); err != nil {
		t.Fatalf("give back: %v", err)
	}
	if err := f.store.TakeGuess(t.Context(), ref, window, max, expires); err != nil {
		t.Errorf("a try given back was not taken again: %v", err)
	}
	if err := f.store.TakeGuess(t.Context(), ref, window, max, expires); !errors.Is(err, referrer.ErrTooManyGuesses) {
		t.Errorf("try %d: %v, want ErrTooManyGuesses", max+1, err)
	}

	if err := f.store.GiveBackGuess(t.Context(), other, window); err != nil {
		t.Fatalf("give back the other reference's try: %v", err)
	}
	if err := f.store.GiveBackGuess(t.Context(), other, window); err == nil {
		t.Error("a second give-back of one try succeeded")
	}
	if err := f.store.GiveBackGuess(t.Context(), "ZZZZ-ZZZZ", window); err == nil {
		t.Error("a give-back where nothing was counted succeeded")
	}
	if n, _ := f.tries(t, other, window); n != "0" {
		t.Errorf("the other reference's count is %q, want 0", n)
	}
	if n, _ := f.tries(t, "ZZZZ-ZZZZ", window); n != "" {
		t.Errorf("a failed give-back left a count %q", n)
	}
}

// BenchmarkReferralByReference measures a referrer's lookup of a known
// and of an unknown reference, which must take the same time: run it with
// -bench ReferralByReference and compare the two.
func BenchmarkReferralByReference(b *testing.B) {
	f := newFixture(b)
	rec := f.storeReferral(b, "single-child.json", t0)
	for _, bc := range []struct {
		name, reference string
		want            error
	}{
		{"known", rec.Reference, nil},
		{"unknown", "ZZZZ-ZZZZ", referrer.ErrNotFound},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := f.store.ReferralByReference(b.Context(), bc.reference); !errors.Is(err, bc.want) {
					b.Fatalf("%s reference: %v", bc.name, err)
				}
			}
		})
	}
}
