package cli

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// scanAnalyzeRow is the fast path of decodeAnalyzeRow: it reads the
// common row (an object of strings, numbers, booleans, nulls, objects and
// arrays, with the fields of analyzeRow spelled exactly) into row without
// reflection, which cost as much as the analysis itself. Whenever a row
// is not plainly valid and plainly what json.Unmarshal would make of it
// (a syntax error, a field of the wrong type, a key spelled in another
// case, an "analysis" to replace, nesting deeper than maxScanDepth) it
// returns false and the caller decodes with encoding/json, which gives
// the same result or the same error as before. FuzzScanAnalyzeRow holds
// the two paths to agreeing.
func scanAnalyzeRow(raw []byte, row *analyzeRow) bool {
	s := rowScanner{b: raw}
	s.space()
	if !s.object(0, row.topField) {
		return false
	}
	s.space()
	return s.i == len(s.b)
}

// maxScanDepth is how deeply nested a value the fast path reads.
const maxScanDepth = 64

// rowScanner reads JSON from b, at i.
type rowScanner struct {
	b []byte
	i int
}

// topField reads the value of the row's key, at the scanner, into row.
// It reports false when the key or its value needs encoding/json.
func (row *analyzeRow) topField(s *rowScanner, key []byte, depth int) bool {
	switch string(key) {
	case "text":
		str, null, ok := s.stringOrNull()
		if ok {
			row.Text = nil
			if !null {
				row.Text = &str
			}
		}
		return ok
	case "kind":
		return s.stringInto(&row.Kind)
	case "direction":
		return s.stringInto(&row.Direction)
	case "rating":
		if s.null() {
			row.Rating = nil
			return true
		}
		n, ok := s.integer(strconv.IntSize)
		if ok {
			r := int(n)
			row.Rating = &r
		}
		return ok
	case "author":
		if s.null() {
			return true
		}
		return s.object(depth+1, row.authorField)
	}
	return !foldsToAny(key, "text", "kind", "direction", "rating", "author", "analysis") && s.value(depth+1)
}

// authorField reads the value of an author key into row.Author. Fields
// the analysis does not use are checked for their type all the same:
// encoding/json refuses the row when they are wrong.
func (row *analyzeRow) authorField(s *rowScanner, key []byte, depth int) bool {
	switch string(key) {
	case "followers":
		return s.int64Into(&row.Author.Followers)
	case "verified":
		if s.null() {
			return true
		}
		v, ok := s.boolean()
		if ok {
			row.Author.Verified = v
		}
		return ok
	case "id", "handle", "name", "location":
		return s.null() || s.skipString()
	case "following", "posts":
		var ignored int64
		return s.int64Into(&ignored)
	}
	return !foldsToAny(key, "followers", "verified", "id", "handle", "name", "location", "following", "posts") && s.value(depth+1)
}

// foldsToAny reports whether key matches one of names the way
// encoding/json matches a key to a field: without regard to case. Any
// key outside ASCII counts as a match, as some fold to ASCII letters
// (the Kelvin sign to k).
func foldsToAny(key []byte, names ...string) bool {
	if !asciiOnly(key) {
		return true
	}
	for _, n := range names {
		if len(n) != len(key) {
			continue
		}
		match := true
		for k := range len(n) {
			c := key[k]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			match = match && c == n[k]
		}
		if match {
			return true
		}
	}
	return false
}

// asciiOnly reports whether b has no byte outside ASCII.
func asciiOnly(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// space skips JSON white space.
func (s *rowScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// object reads an object, handing each key to field with the scanner at
// the key's value.
func (s *rowScanner) object(depth int, field func(s *rowScanner, key []byte, depth int) bool) bool {
	if depth > maxScanDepth || s.i >= len(s.b) || s.b[s.i] != '{' {
		return false
	}
	s.i++
	s.space()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return true
	}
	for {
		start := s.i
		// A key with escapes may spell a field: encoding/json reads it.
		if plain, ok := s.stringLiteral(); !plain || !ok {
			return false
		}
		key := s.b[start+1 : s.i-1]
		s.space()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return false
		}
		s.i++
		s.space()
		if !field(s, key, depth) {
			return false
		}
		s.space()
		if s.i >= len(s.b) {
			return false
		}
		switch s.b[s.i] {
		case ',':
			s.i++
			s.space()
		case '}':
			s.i++
			return true
		default:
			return false
		}
	}
}

// value skips any valid JSON value.
func (s *rowScanner) value(depth int) bool {
	if depth > maxScanDepth || s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		return s.skipString()
	case c == '{':
		return s.object(depth, func(s *rowScanner, _ []byte, depth int) bool { return s.value(depth + 1) })
	case c == '[':
		s.i++
		s.space()
		if s.i < len(s.b) && s.b[s.i] == ']' {
			s.i++
			return true
		}
		for {
			if !s.value(depth + 1) {
				return false
			}
			s.space()
			if s.i >= len(s.b) {
				return false
			}
			if s.b[s.i] == ']' {
				s.i++
				return true
			}
			if s.b[s.i] != ',' {
				return false
			}
			s.i++
			s.space()
		}
	case c == '-' || '0' <= c && c <= '9':
		_, ok := s.number()
		return ok
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return false
}

// literal reads word (true, false or null).
func (s *rowScanner) literal(word string) bool {
	if len(s.b)-s.i < len(word) || string(s.b[s.i:s.i+len(word)]) != word {
		return false
	}
	s.i += len(word)
	return true
}

// null reads a null if one is next.
func (s *rowScanner) null() bool { return s.literal("null") }

// boolean reads true or false.
func (s *rowScanner) boolean() (bool, bool) {
	if s.literal("true") {
		return true, true
	}
	return false, s.literal("false")
}

// skipString reads a string literal, checking its escapes, and reports
// whether it was one.
func (s *rowScanner) skipString() bool {
	_, ok := s.stringLiteral()
	return ok
}

// stringLiteral reads a string literal and reports whether it is plain:
// no escapes and valid UTF-8, so that its bytes between the quotes are
// its value.
func (s *rowScanner) stringLiteral() (plain, ok bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return false, false
	}
	plain = true
	for i := s.i + 1; i < len(s.b); i++ {
		switch c := s.b[i]; {
		case c == '"':
			if plain && !utf8.Valid(s.b[s.i+1:i]) {
				plain = false
			}
			s.i = i + 1
			return plain, true
		case c < 0x20:
			return false, false
		case c == '\\':
			plain = false
			i++
			if i >= len(s.b) {
				return false, false
			}
			switch s.b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(s.b) {
					return false, false
				}
				for _, h := range s.b[i+1 : i+5] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return false, false
					}
				}
				i += 4
			default:
				return false, false
			}
		}
	}
	return false, false
}

// stringOrNull reads a string or a null. A string with escapes or
// invalid UTF-8 is decoded by encoding/json, so that every rule of JSON
// strings is encoding/json's own.
func (s *rowScanner) stringOrNull() (str string, null, ok bool) {
	if s.null() {
		return "", true, true
	}
	start := s.i
	plain, ok := s.stringLiteral()
	switch {
	case !ok:
		return "", false, false
	case plain:
		return string(s.b[start+1 : s.i-1]), false, true
	}
	err := json.Unmarshal(s.b[start:s.i], &str)
	return str, false, err == nil
}

// stringInto reads a string into dst, or a null, which leaves dst as it
// is (as encoding/json does).
func (s *rowScanner) stringInto(dst *string) bool {
	str, null, ok := s.stringOrNull()
	if ok && !null {
		*dst = str
	}
	return ok
}

// int64Into reads an integer into dst, or a null, which leaves dst as it
// is.
func (s *rowScanner) int64Into(dst *int64) bool {
	if s.null() {
		return true
	}
	n, ok := s.integer(64)
	if ok {
		*dst = n
	}
	return ok
}

// integer reads a number that is an integer of bits bits, as
// encoding/json accepts for an integer field: no fraction, no exponent.
func (s *rowScanner) integer(bits int) (int64, bool) {
	lit, ok := s.number()
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(lit), 10, bits)
	return n, err == nil
}

// number reads a JSON number and returns its text.
func (s *rowScanner) number() ([]byte, bool) {
	start := s.i
	b := s.b
	i := s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		return nil, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return nil, false
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return nil, false
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	s.i = i
	return b[start:i], true
}
