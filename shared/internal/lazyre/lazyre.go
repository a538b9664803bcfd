// Package lazyre compiles a regular expression when it is first used, not
// when the program starts: a function starts faster when its init does
// only what every request needs, and most requests need few of a
// package's patterns.
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function that compiles expr on its first call, as
// regexp.MustCompile does (panicking if it is not valid), and returns the
// same *regexp.Regexp on every call. It is safe for concurrent use.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
