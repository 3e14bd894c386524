package ingest

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A mention is decoded in one pass over its bytes by the reader below
// and readMention (mentionjson.go), which knows the contract's fields;
// encoding/json scanned each mention
// three times and reflected over every field, and was the largest cost
// of preparing a mention. It keeps encoding/json's rules but one: keys
// match exactly (encoding/json also matches them case-insensitively,
// which let an unknown "Direction" change a mention), the last of
// repeated keys wins
// (objects merge), unknown keys are skipped, null leaves a field as it
// is, invalid UTF-8 in strings becomes U+FFFD, and a syntax error
// anywhere outranks a field of the wrong type.

// maxJSONDepth bounds the nesting of skipped values.
const maxJSONDepth = 10000

// jsonReader reads JSON values from data at pos.
type jsonReader struct {
	data []byte
	pos  int
	// typeErr is the first field of the wrong type; reading goes on so
	// that a later syntax error is reported instead.
	typeErr error
	buf     []byte
}

// errSyntax marks errors in the JSON itself.
var errSyntax = errors.New("invalid JSON")

// SyntaxError is an error in the JSON itself, at a byte offset of the
// input. errors.Is(err, errSyntax) holds for it.
type SyntaxError struct {
	Offset int    // of the byte where reading failed
	Msg    string // what is wrong, such as "expected a string key"
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%v at byte %d: %s", errSyntax, e.Offset, e.Msg)
}

// Is makes every SyntaxError match errSyntax.
func (e *SyntaxError) Is(target error) bool { return target == errSyntax }

func (r *jsonReader) syntax(msg string) error {
	return &SyntaxError{Offset: r.pos, Msg: msg}
}

func (r *jsonReader) ws() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// peek returns the next byte after whitespace, or 0 at the end.
func (r *jsonReader) peek() byte {
	r.ws()
	if r.pos >= len(r.data) {
		return 0
	}
	return r.data[r.pos]
}

// atEnd reports whether only whitespace is left.
func (r *jsonReader) atEnd() bool {
	r.ws()
	return r.pos >= len(r.data)
}

// kind names the JSON value starting with c as encoding/json does in
// its type errors.
func kind(c byte) string {
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

// wrongType records that field holds a value of the wrong kind and skips
// the value.
func (r *jsonReader) wrongType(field, want string) error {
	if r.typeErr == nil {
		r.typeErr = &FieldError{field, fmt.Sprintf("must be %s, not %s", want, kind(r.peek()))}
	}
	return r.skip()
}

// literal consumes word (true, false or null).
func (r *jsonReader) literal(word string) error {
	if len(r.data)-r.pos < len(word) || string(r.data[r.pos:r.pos+len(word)]) != word {
		return r.syntax("invalid literal")
	}
	r.pos += len(word)
	return nil
}

// number consumes a number and returns its text and whether it is an
// integer (no fraction or exponent).
func (r *jsonReader) number() ([]byte, bool, error) {
	d, start := r.data, r.pos
	i := start
	if i < len(d) && d[i] == '-' {
		i++
	}
	if i < len(d) && d[i] == '0' {
		i++
	} else if i = digitRun(d, i); i < 0 {
		return nil, false, r.badNumber(start)
	}
	integer := true
	if i < len(d) && d[i] == '.' {
		integer = false
		if i = digitRun(d, i+1); i < 0 {
			return nil, false, r.badNumber(start)
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		integer = false
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i = digitRun(d, i); i < 0 {
			return nil, false, r.badNumber(start)
		}
	}
	r.pos = i
	return d[start:i], integer, nil
}

// digitRun returns the index after the run of digits at i, or -1 when
// there is no digit at i.
func digitRun(d []byte, i int) int {
	if i >= len(d) || d[i] < '0' || d[i] > '9' {
		return -1
	}
	for i < len(d) && d[i] >= '0' && d[i] <= '9' {
		i++
	}
	return i
}

func (r *jsonReader) badNumber(start int) error {
	r.pos = start
	return r.syntax("invalid number")
}

// str consumes a string and returns its value.
func (r *jsonReader) str() (string, error) {
	b, err := r.strBytes()
	return string(b), err
}

// strBytes consumes a string and returns its value, which stays valid
// only until the next string is read.
func (r *jsonReader) strBytes() ([]byte, error) {
	d := r.data
	r.pos++ // opening quote
	start := r.pos
	i := start
	for i < len(d) {
		c := d[i]
		if c == '"' {
			r.pos = i + 1
			return d[start:i], nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		i++
	}
	return r.strSlow(start, i)
}

// strSlow finishes a string that has escapes, control characters or
// non-ASCII bytes, from i on, in r.buf.
func (r *jsonReader) strSlow(start, i int) ([]byte, error) {
	d := r.data
	b := append(r.buf[:0], d[start:i]...)
	defer func() { r.buf = b }()
	for {
		if i >= len(d) {
			r.pos = i
			return nil, r.syntax("unterminated string")
		}
		c := d[i]
		switch {
		case c == '"':
			r.pos = i + 1
			return b, nil
		case c < 0x20:
			r.pos = i
			return nil, r.syntax("control character in string")
		case c == '\\':
			i++
			if i >= len(d) {
				r.pos = i
				return nil, r.syntax("unterminated string")
			}
			switch e := d[i]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r.pos = i - 1
				ru, n, ok := hex4(d, i+1)
				if !ok {
					return nil, r.syntax("invalid \\u escape")
				}
				i = n - 1
				if utf16.IsSurrogate(ru) {
					ru2 := utf8.RuneError
					if n+1 < len(d) && d[n] == '\\' && d[n+1] == 'u' {
						if x, n2, ok := hex4(d, n+2); ok {
							if dec := utf16.DecodeRune(ru, x); dec != utf8.RuneError {
								ru2, i = dec, n2-1
							}
						} else {
							r.pos = n
							return nil, r.syntax("invalid \\u escape")
						}
					}
					ru = ru2
				}
				b = utf8.AppendRune(b, ru)
			default:
				r.pos = i
				return nil, r.syntax("invalid escape in string")
			}
			i++
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			ru, size := utf8.DecodeRune(d[i:])
			if ru == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, d[i:i+size]...)
			}
			i += size
		}
	}
}

// hex4 reads four hex digits at i and returns their value and the index
// after them.
func hex4(d []byte, i int) (rune, int, bool) {
	if i+4 > len(d) {
		return 0, i, false
	}
	var v rune
	for _, c := range d[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, i, false
		}
		v = v<<4 | rune(c)
	}
	return v, i + 4, true
}

// skip consumes any value, checking its syntax.
func (r *jsonReader) skip() error {
	// open holds the kind of each open container: '{' or '['.
	var open []byte
	for {
		switch c := r.peek(); c {
		case '{', '[':
			if len(open) >= maxJSONDepth {
				return r.syntax("nested too deeply")
			}
			open = append(open, c)
			r.pos++
			end := byte('}')
			if c == '[' {
				end = ']'
			}
			if r.peek() == end {
				r.pos++
				open = open[:len(open)-1]
				break
			}
			if c == '{' {
				if err := r.key(); err != nil {
					return err
				}
			}
			continue
		case '"':
			if _, err := r.str(); err != nil {
				return err
			}
		case 't':
			if err := r.literal("true"); err != nil {
				return err
			}
		case 'f':
			if err := r.literal("false"); err != nil {
				return err
			}
		case 'n':
			if err := r.literal("null"); err != nil {
				return err
			}
		default:
			if r.atEnd() {
				return r.syntax("unexpected end of input")
			}
			if c != '-' && (c < '0' || c > '9') {
				return r.syntax(fmt.Sprintf("unexpected %s where a value belongs", quoteByte(c)))
			}
			if _, _, err := r.number(); err != nil {
				return err
			}
		}
		// A value ended: close containers or move to the next member.
		for {
			if len(open) == 0 {
				return nil
			}
			top := open[len(open)-1]
			c := r.peek()
			if c == ',' {
				r.pos++
				if top == '{' {
					if err := r.key(); err != nil {
						return err
					}
				}
				break
			}
			if top == '{' && c == '}' || top == '[' && c == ']' {
				r.pos++
				open = open[:len(open)-1]
				continue
			}
			if top == '{' {
				return r.syntax("expected , or } in object")
			}
			return r.syntax("expected , or ] in array")
		}
	}
}

// quoteByte shows c for an error message: a printable ASCII character
// quoted, anything else as its hex code.
func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// key consumes an object key and its colon.
func (r *jsonReader) key() error {
	if r.peek() != '"' {
		return r.syntax("expected a string key")
	}
	if _, err := r.strBytes(); err != nil {
		return err
	}
	if r.peek() != ':' {
		return r.syntax("expected : after key")
	}
	r.pos++
	return nil
}

// object calls member for each key of the object at pos; member must
// look at the key before it consumes the value (the key's bytes may be
// reused). A null instead of the object calls nothing.
func (r *jsonReader) object(member func(key []byte) error) error {
	if r.peek() == 'n' {
		return r.literal("null")
	}
	r.pos++ // {
	if r.peek() == '}' {
		r.pos++
		return nil
	}
	for {
		if r.peek() != '"' {
			return r.syntax("expected a string key")
		}
		k, err := r.strBytes()
		if err != nil {
			return err
		}
		if r.peek() != ':' {
			return r.syntax("expected : after key")
		}
		r.pos++
		r.ws()
		if err := member(k); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.pos++
		case '}':
			r.pos++
			return nil
		default:
			return r.syntax("expected , or } after object member")
		}
	}
}

// stringField reads a string into dst; null leaves it.
func (r *jsonReader) stringField(field string, dst *string) error {
	switch r.peek() {
	case '"':
		s, err := r.str()
		*dst = s
		return err
	case 'n':
		return r.literal("null")
	}
	return r.wrongType(field, "a string")
}

// intField reads an integer into dst and reports whether it stored one;
// null leaves dst as it is. want says what the field must be ("a whole
// number") in the error for a value of another type or a fraction.
func (r *jsonReader) intField(field, want string, dst *int64) (bool, error) {
	c := r.peek()
	if c == 'n' {
		return false, r.literal("null")
	}
	if c != '-' && (c < '0' || c > '9') {
		return false, r.wrongType(field, want)
	}
	text, integer, err := r.number()
	if err != nil {
		return false, err
	}
	v, perr := strconv.ParseInt(string(text), 10, 64)
	if !integer || perr != nil {
		if r.typeErr == nil {
			r.typeErr = &FieldError{field, fmt.Sprintf("must be %s, not %s", want, bound(string(text), 32))}
		}
		return false, nil
	}
	*dst = v
	return true, nil
}

// boolField reads true or false into dst; null leaves it.
func (r *jsonReader) boolField(field string, dst *bool) error {
	switch r.peek() {
	case 't':
		*dst = true
		return r.literal("true")
	case 'f':
		*dst = false
		return r.literal("false")
	case 'n':
		return r.literal("null")
	}
	return r.wrongType(field, "true or false")
}

// ScanValue reads the one JSON value at the start of data (after
// whitespace), checking its syntax, and returns the offset just after
// it. What follows is not looked at. A syntax error is a *SyntaxError.
func ScanValue(data []byte) (int, error) {
	r := &jsonReader{data: data}
	if r.atEnd() {
		return 0, r.syntax("unexpected end of input")
	}
	if err := r.skip(); err != nil {
		return 0, err
	}
	return r.pos, nil
}

// SplitArray returns the elements of the JSON array that is data, each
// as the bytes it was written with, and checks the whole array's syntax.
// The API uses it to take a batch of mentions apart before decoding each.
func SplitArray(data []byte) ([][]byte, error) {
	r := &jsonReader{data: data}
	if r.peek() != '[' {
		return nil, r.syntax("expected an array")
	}
	r.pos++
	var items [][]byte
	if r.peek() == ']' {
		r.pos++
	} else {
		for {
			r.ws()
			start := r.pos
			if err := r.skip(); err != nil {
				return nil, err
			}
			items = append(items, data[start:r.pos])
			c := r.peek()
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
	if !r.atEnd() {
		return nil, r.syntax("data after the array")
	}
	return items, nil
}
