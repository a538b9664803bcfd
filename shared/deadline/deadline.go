// Package deadline keeps a request's work inside its function's time:
// whatever a dependency does (a database that stops answering, say), the
// handler gives up in time to answer "try again" itself, rather than the
// function being stopped mid-request and the caller getting a gateway
// error.
package deadline

import (
	"context"
	"time"
)

// Margin is the time kept back before the function's deadline for
// answering once the work has given up: enough to write a response and
// the log line.
const Margin = time.Second

// Reserve returns ctx with its deadline brought forward by Margin, and
// its cancel function. A context without a deadline is returned as it is
// (with a cancel function).
func Reserve(ctx context.Context) (context.Context, context.CancelFunc) {
	d, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, d.Add(-Margin))
}
