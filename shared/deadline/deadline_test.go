package deadline

import (
	"context"
	"testing"
	"time"
)

func TestReserve(t *testing.T) {
	end := time.Now().Add(10 * time.Second)
	parent, cancel := context.WithDeadline(context.Background(), end)
	defer cancel()
	ctx, done := Reserve(parent)
	defer done()
	if got, ok := ctx.Deadline(); !ok || !got.Equal(end.Add(-Margin)) {
		t.Errorf("deadline %v, want %v", got, end.Add(-Margin))
	}
	ctx, done = Reserve(context.Background())
	defer done()
	if _, ok := ctx.Deadline(); ok {
		t.Error("a deadline was made up for a context without one")
	}
}
