// Package apperr defines the one error type the product uses to tell a caller
// what went wrong. Domain packages return *Error values with a Code; the HTTP
// adapter maps each Code to a status in one place. Messages are written for the
// person who sent the request and never contain personal data.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error for the caller.
type Code string

// The codes an error can carry.
const (
	Invalid      Code = "invalid"      // the request is well formed but its content breaks a rule
	Malformed    Code = "malformed"    // the request cannot be read at all (bad JSON, empty body)
	TooLarge     Code = "too_large"    // the request is over a size limit
	Unsupported  Code = "unsupported"  // the request's media type is not accepted
	NotFound     Code = "not_found"    // the thing asked for does not exist
	Conflict     Code = "conflict"     // the request clashes with the current state
	Unauthorized Code = "unauthorized" // no or bad credentials
	Forbidden    Code = "forbidden"    // credentials are good but do not allow this
	TooMany      Code = "too_many"     // too many tries of this kind just now; the caller may retry later
	Unavailable  Code = "unavailable"  // a dependency is down; the caller may retry
	Internal     Code = "internal"     // a fault of ours; details are logged, not shown
)

// FieldError says what is wrong with one field of a request. Field is a path
// such as "children[0].nhsNumber"; Message is a sentence a person can act on.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an error with a code, a message fit to show the caller, optional
// field errors, and an optional wrapped cause that is never shown.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	// RetryAfter, when above zero, is how long the caller should wait
	// before trying again (the Retry-After header).
	RetryAfter time.Duration
	Err        error
}

// Error returns the message and, if there is one, the cause.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an error with the given code and message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with the given code and message that wraps cause.
func Wrap(cause error, code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: cause}
}

// WithFields returns an Invalid error listing the given field errors.
func WithFields(message string, fields []FieldError) *Error {
	return &Error{Code: Invalid, Message: message, Fields: fields}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// FieldNames returns the fields the first *Error in err's chain names, in
// order; nil when there is none or it names no field.
func FieldNames(err error) []string {
	e := As(err)
	if e == nil {
		return nil
	}
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Field)
	}
	return names
}
