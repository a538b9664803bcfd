// Package strictjson decodes a form from a request body strictly, with
// errors a person can act on: the body must be exactly one JSON object; every
// member name must be a field of the form, spelt with the same case, and
// appear once in its object; every value must have the field's type. Every
// problem with a member is listed as a field error naming it by its path
// ("children[0].estimatedAge"), and no message repeats any part of the body,
// which may hold personal data.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/internal/lazyre"
)

// Form names what is decoded, for the messages.
type Form struct {
	// What is the form's name in a sentence: "referral".
	What string
	// FieldOf ends "… is not a field of": "the referral form".
	FieldOf string
}

// Decode reads one T from body. A body that breaks the rules gives an
// *apperr.Error with code apperr.Malformed, with a field error for each
// member at fault.
func Decode[T any](body []byte, f Form) (*T, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, apperr.New(apperr.Malformed, "The request body is empty. Send the %s as a JSON object.", f.What)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var r T
	decErr := dec.Decode(&r)
	if err := f.syntaxProblem(decErr, int64(len(body))); err != nil {
		return nil, err
	}
	end := dec.InputOffset()
	if rest := bytes.TrimLeft(body[end:], jsonSpace); len(rest) > 0 {
		return nil, apperr.New(apperr.Malformed,
			"The request body goes on after the %s, at byte %d (counting from 1). Send exactly one JSON object.", f.What, len(body)-len(rest)+1)
	}
	if tok := firstToken(body); tok != '{' {
		return nil, apperr.New(apperr.Malformed, "The request body must be a JSON object, starting with {.")
	}
	fields := f.shapeProblems(body[:end], reflect.TypeFor[T]())
	if len(fields) == 0 && decErr != nil {
		// The walk found nothing the decoder objects to; fall back on what
		// the decoder says.
		fields = []apperr.FieldError{f.fallbackProblem(decErr)}
	}
	if len(fields) > 0 {
		return nil, &apperr.Error{
			Code:    apperr.Malformed,
			Message: ProblemsMessage(len(fields), "The "+f.What+" cannot be read"),
			Fields:  fields,
		}
	}
	return &r, nil
}

// syntaxProblem turns a decoder error that means the body is not JSON into a
// Malformed error, and returns nil for any other error. The decoder's own
// error is not kept as the cause: its text can quote parts of the body.
func (f Form) syntaxProblem(err error, size int64) error {
	var syn *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syn):
		return apperr.New(apperr.Malformed, "The request body is not valid JSON: the problem is at byte %d (counting from 1).", syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return apperr.New(apperr.Malformed, "The request body is not valid JSON: it ends, after byte %d, before the %s is complete.", size, f.What)
	}
	// Unknown fields and values of the wrong type are described by
	// shapeProblems.
	return nil
}

// jsonSpace is the white space JSON allows between tokens.
const jsonSpace = " \t\r\n"

// firstToken returns the first byte of body that is not white space.
func firstToken(body []byte) byte {
	b := bytes.TrimLeft(body, jsonSpace)
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// ProblemsMessage is the summary message of an error with n field errors:
// "<what>: there are n problems."
func ProblemsMessage(n int, what string) string {
	if n == 1 {
		return what + ": there is 1 problem."
	}
	return fmt.Sprintf("%s: there are %d problems.", what, n)
}

// fallbackProblem describes a decoder error the walk did not explain.
func (f Form) fallbackProblem(err error) apperr.FieldError {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return apperr.FieldError{Field: ute.Field, Message: fmt.Sprintf("%s %s", f.orBody(ute.Field), kindWanted(ute.Type))}
	}
	if _, after, ok := strings.Cut(err.Error(), "unknown field "); ok {
		if n, err := strconv.Unquote(after); err == nil && PlausibleName(n) {
			return apperr.FieldError{Field: n, Message: n + " is not a field of " + f.FieldOf}
		}
	}
	return apperr.FieldError{Message: "The " + f.What + " has a member whose name is not a field of " + f.FieldOf}
}

// orBody names the member at path, or the form itself at the top.
func (f Form) orBody(path string) string {
	if path == "" {
		return "The " + f.What
	}
	return path
}

// shapeProblems walks one well-formed JSON value against the type t and
// lists, in document order, every member that is not a field of the form,
// appears twice in its object, or has a value of the wrong kind.
func (f Form) shapeProblems(body []byte, t reflect.Type) []apperr.FieldError {
	// jsontext reads the tokens without building a value for each, as
	// encoding/json's Decoder.Token does. Invalid UTF-8 is read as U+FFFD
	// and a name may repeat, as encoding/json reads them: the walk names a
	// repeated member itself.
	dec := jsontext.NewDecoder(bytes.NewReader(body), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	w := walker{form: f, dec: dec}
	w.value(t, "", false)
	return w.problems
}

type walker struct {
	form     Form
	dec      *jsontext.Decoder
	problems []apperr.FieldError
	failed   bool // the tokenizer failed; stop
}

func (w *walker) add(path, msg string) {
	w.problems = append(w.problems, apperr.FieldError{Field: path, Message: msg})
}

// token reads the next token; it is good until the next read.
func (w *walker) token() (jsontext.Token, bool) {
	if w.failed {
		return jsontext.Token{}, false
	}
	tok, err := w.dec.ReadToken()
	if err != nil {
		w.failed = true
		return jsontext.Token{}, false
	}
	return tok, true
}

// more reports whether the object or array being read has another member.
func (w *walker) more() bool {
	if w.failed {
		return false
	}
	k := w.dec.PeekKind()
	return k != '}' && k != ']' && k != 0
}

// value reads one value and checks it against t; line says that a string
// there is one line (its field is tagged text:"line").
func (w *walker) value(t reflect.Type, path string, line bool) {
	tok, ok := w.token()
	if !ok {
		return
	}
	kind := tok.Kind()
	if kind == 'n' { // null leaves the field as it is
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch kind {
	case '{':
		if t.Kind() == reflect.Struct {
			w.object(t, path)
			return
		}
		w.wrongKind(t, path)
		w.skipRest()
	case '[':
		if t.Kind() == reflect.Slice {
			for i := 0; w.more(); i++ {
				w.value(t.Elem(), fmt.Sprintf("%s[%d]", path, i), line)
			}
			w.token() // ]
			return
		}
		w.wrongKind(t, path)
		w.skipRest()
	case '"':
		if t.Kind() != reflect.String {
			w.wrongKind(t, path)
		} else if v := tok.String(); unsafeText(v) != "" {
			w.add(path, path+" "+unsafeText(v))
		} else if line && strings.ContainsAny(v, "\t\r\n") {
			w.add(path, path+" is one line: remove the line breaks and tabs.")
		}
	case 't', 'f':
		if t.Kind() != reflect.Bool {
			w.wrongKind(t, path)
		}
	case '0':
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if _, err := strconv.ParseInt(tok.String(), 10, t.Bits()); err != nil {
				w.add(path, path+" must be a whole number")
			}
		default:
			w.wrongKind(t, path)
		}
	}
}

// object reads the members of an object whose '{' has been read.
func (w *walker) object(t reflect.Type, path string) {
	fields := jsonFields(t)
	seen := map[string]bool{}
	for w.more() {
		tok, ok := w.token()
		if !ok {
			return
		}
		name := tok.String()
		p := name
		if path != "" {
			p = path + "." + name
		}
		f, known := fields[name]
		switch {
		case !known && !PlausibleName(name):
			// A name that could not be a field may be personal data: name
			// the object it is in rather than repeat it.
			w.add(path, w.form.orBody(path)+" has a member whose name is not a field of "+w.form.FieldOf)
			w.skipValue()
		case !known:
			w.add(p, p+" is not a field of "+w.form.FieldOf)
			w.skipValue()
		case seen[name]:
			w.add(p, p+" appears more than once; give each field once")
			w.skipValue()
		default:
			seen[name] = true
			w.value(f.typ, p, f.line)
		}
	}
	w.token() // }
}

// PlausibleName reports whether name looks like a field's or a
// parameter's name (a letter, then up to 39 letters, digits or
// underscores), and so may be repeated in an error message: a name that
// does not may be personal data.
func PlausibleName(name string) bool { return plausibleName().MatchString(name) }

// plausibleName is PlausibleName's pattern.
var plausibleName = lazyre.New(`^[A-Za-z][A-Za-z0-9_]{0,39}$`)

// skipValue reads and discards one whole value.
func (w *walker) skipValue() {
	if !w.failed && w.dec.SkipValue() != nil {
		w.failed = true
	}
}

// skipRest discards the rest of an object or array whose opening delimiter
// has been read.
func (w *walker) skipRest() {
	for depth := 1; depth > 0; {
		tok, ok := w.token()
		if !ok {
			return
		}
		switch tok.Kind() {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
	}
}

func (w *walker) wrongKind(t reflect.Type, path string) {
	w.add(path, fmt.Sprintf("%s %s", w.form.orBody(path), kindWanted(t)))
}

// kindWanted says what kind of JSON value a Go type takes.
func kindWanted(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "must be text, in double quotes"
	case reflect.Bool:
		return "must be true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "must be a number"
	case reflect.Slice:
		return "must be a list, in square brackets"
	case reflect.Struct:
		return "must be an object, in curly brackets"
	}
	return "has the wrong type"
}

// fieldCache holds, for each struct type met, the JSON names of its fields
// mapped to their types.
var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// jsonFields maps the JSON names of a struct's fields to their types.
// field is a member of a form: its type, and whether a string there must
// be one line (the struct tag text:"line": names, references, contact
// details), where free text may have line breaks.
type field struct {
	typ  reflect.Type
	line bool
}

func jsonFields(t reflect.Type) map[string]field {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]field)
	}
	m := map[string]field{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = field{typ: f.Type, line: f.Tag.Get("text") == "line"}
	}
	fieldCache.Store(t, m)
	return m
}

// unsafeText says what is wrong with a string that holds a character no
// form takes, or "" when there is none: a control character other than tab,
// line feed and carriage return (NUL, bell, escape, DEL, the C1 controls),
// or a bidirectional embedding, override or isolate (U+202A to U+202E,
// U+2066 to U+2069), which can make stored text display as something it is
// not. Line breaks stay, for free text.
func unsafeText(v string) string {
	for _, r := range v {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			return "contains a control character. Remove it; type the text again if it was pasted."
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			return "contains a character that changes the direction of the text around it. Remove it; type the text again if it was pasted."
		}
	}
	return ""
}
