// Package jsonexact reads JSON whose keys must match exactly, and says
// where it breaks. It is the one reader behind both doors that take JSON
// from outside: the mention reader of import and POST /api/v1/mentions
// (internal/ingest), which decodes a mention in one pass, and the small
// request bodies of the API (internal/api). Its rules hold for both:
// keys are compared byte for byte after unescaping (encoding/json also
// matches them case-insensitively), the syntax is encoding/json's, a
// syntax error is a *SyntaxError at a byte offset, a position is written
// as Position writes it, Members refuses a repeated key, and SplitArray
// refuses data after an array.
package jsonexact

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// maxDepth bounds the nesting of skipped values, as encoding/json does.
const maxDepth = 10000

// ErrSyntax marks errors in the JSON itself: errors.Is(err, ErrSyntax)
// holds for every *SyntaxError.
var ErrSyntax = errors.New("invalid JSON")

// SyntaxError is an error in the JSON itself, at a byte offset of the
// input.
type SyntaxError struct {
	Offset int    // of the byte where reading failed
	Msg    string // what is wrong, such as "expected a string key"
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%v at byte %d: %s", ErrSyntax, e.Offset, e.Msg)
}

// Is makes every SyntaxError match ErrSyntax.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// FieldError is a field that holds a value of the wrong kind, such as
// "must be a string, not number".
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// RepeatedKeyError is a key that appears twice in one object (after
// unescaping: "t\u0065xt" is "text").
type RepeatedKeyError struct {
	Key string
}

func (e *RepeatedKeyError) Error() string { return fmt.Sprintf("%q appears twice", e.Key) }

// Position describes byte offset off of data as a line and column (both
// from 1, the column in bytes) and the offset, for error messages:
// "line 2, column 6 (byte 14)".
func Position(data []byte, off int) string {
	off = min(max(off, 0), len(data))
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Sprintf("line %d, column %d (byte %d)", line, col, off)
}

// Kind names the JSON value starting with c as encoding/json does in
// its type errors: "string", "bool", "number".
func Kind(c byte) string {
	switch c {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// KindWords names the JSON value starting with c in plain words: "a
// string", "true or false", "a number".
func KindWords(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "true or false"
	case 'n':
		return "null"
	}
	return "a number"
}

// TrimBOM returns data without a UTF-8 byte-order mark at its start. A
// file or request body may start with one (Windows editors write it);
// it is not part of the JSON.
func TrimBOM(data []byte) []byte {
	return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
}

// quoteByte shows c for an error message: a printable ASCII character
// quoted, anything else as its hex code.
func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// ScanValue reads the one JSON value at the start of data (after
// whitespace), checking its syntax, and returns the offset just after
// it. What follows is not looked at. A syntax error is a *SyntaxError.
func ScanValue(data []byte) (int, error) {
	r := &Reader{data: data}
	if r.AtEnd() {
		return 0, r.syntax("unexpected end of input")
	}
	if err := r.Skip(); err != nil {
		return 0, err
	}
	return r.pos, nil
}

// SplitArray returns the elements of the JSON array that is data, each
// as the bytes it was written with, and checks the whole array's syntax;
// anything but whitespace after the array is an error.
func SplitArray(data []byte) ([][]byte, error) {
	r := &Reader{data: data}
	if r.Peek() != '[' {
		return nil, r.syntax("expected an array")
	}
	r.pos++
	var items [][]byte
	if r.Peek() == ']' {
		r.pos++
	} else {
		for {
			r.ws()
			start := r.pos
			if err := r.Skip(); err != nil {
				return nil, err
			}
			items = append(items, data[start:r.pos])
			c := r.Peek()
			if c == ',' {
				r.pos++
				continue
			}
			if c == ']' {
				r.pos++
				break
			}
			return nil, r.syntax("expected , or ] in array")
		}
	}
	if !r.AtEnd() {
		return nil, r.syntax("data after the array")
	}
	return items, nil
}

// Members calls fn with each key, unescaped, and value, as written, of
// the JSON object that is data, in order, and stops at the first error
// fn returns. A key that appears twice is a *RepeatedKeyError (fn is not
// called for it); a syntax error is a *SyntaxError.
func Members(data []byte, fn func(key string, value []byte) error) error {
	r := &Reader{data: data}
	if r.Peek() != '{' {
		return r.syntax("expected an object")
	}
	seen := map[string]bool{}
	err := r.Object(func(k []byte) error {
		key := string(k)
		if seen[key] {
			return &RepeatedKeyError{key}
		}
		seen[key] = true
		start := r.pos
		if err := r.Skip(); err != nil {
			return err
		}
		return fn(key, data[start:r.pos])
	})
	if err != nil {
		return err
	}
	if !r.AtEnd() {
		return r.syntax("data after the object")
	}
	return nil
}
