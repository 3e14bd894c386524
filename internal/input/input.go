// Package input holds the rule every door applies to text from outside
// (query parameters, form fields, the strings of JSON bodies) before it
// goes further, so that the API and the web app refuse the same values
// in the same words. PostgreSQL refuses a NUL character or invalid UTF-8
// in text outright, so a value with either would otherwise fail deep in
// the store, as a 500, on one engine and not the other.
package input

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxFilterBytes bounds a filter or search value of the case list, on
// the API and in the inbox alike.
const MaxFilterBytes = 500

// Problem says what is wrong with one value; its message names the
// value: "q contains a NUL character (U+0000)".
type Problem struct {
	// Field is the value's name: a query parameter, form field or JSON
	// field.
	Field string
	// What completes the message: "is not valid UTF-8".
	What string
}

func (p *Problem) Error() string { return p.Field + " " + p.What }

// Text checks the value v of field: valid UTF-8, no NUL character, at
// most maxBytes bytes (0: no bound). It returns nil or a *Problem.
func Text(field, v string, maxBytes int) error {
	if what := Check(v, maxBytes); what != "" {
		return &Problem{field, what}
	}
	return nil
}

// Check is Text for a caller that names the value its own way (with a
// line of a file, say): what is wrong with v ("is not valid UTF-8"), or
// "" when nothing is.
func Check(v string, maxBytes int) string {
	switch {
	case maxBytes > 0 && len(v) > maxBytes:
		return fmt.Sprintf("is longer than %d bytes", maxBytes)
	case !utf8.ValidString(v):
		return "is not valid UTF-8"
	case strings.IndexByte(v, 0) >= 0:
		return "contains a NUL character (U+0000)"
	}
	return ""
}
