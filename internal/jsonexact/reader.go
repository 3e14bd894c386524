package jsonexact

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Reader reads JSON values from data in one pass, for a decoder that
// knows its fields (see ingest's mention reader): it keeps
// encoding/json's syntax, and the caller matches keys exactly. Invalid
// UTF-8 in strings becomes U+FFFD, as encoding/json makes it. A field of
// the wrong type is recorded (TypeErr) and reading goes on, so that a
// syntax error anywhere outranks it.
type Reader struct {
	data []byte
	pos  int
	// typeErr is the first field of the wrong type.
	typeErr *FieldError
	buf     []byte
}

// NewReader returns a Reader at the start of data.
func NewReader(data []byte) *Reader { return &Reader{data: data} }

// TypeErr returns the first field of the wrong type met, or nil.
func (r *Reader) TypeErr() *FieldError { return r.typeErr }

// cut bounds a number's text for an error message (numbers are ASCII).
func cut(text []byte, n int) string {
	if len(text) <= n {
		return string(text)
	}
	return string(text[:n]) + "…"
}

func (r *Reader) syntax(msg string) error {
	return &SyntaxError{Offset: r.pos, Msg: msg}
}

func (r *Reader) ws() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// Peek returns the next byte after whitespace, or 0 at the end.
func (r *Reader) Peek() byte {
	r.ws()
	if r.pos >= len(r.data) {
		return 0
	}
	return r.data[r.pos]
}

// AtEnd reports whether only whitespace is left.
func (r *Reader) AtEnd() bool {
	r.ws()
	return r.pos >= len(r.data)
}

// WrongType records that field holds a value of the wrong kind, want
// saying what it must be ("a string"), and skips the value.
func (r *Reader) WrongType(field, want string) error {
	if r.typeErr == nil {
		r.typeErr = &FieldError{field, fmt.Sprintf("must be %s, not %s", want, Kind(r.Peek()))}
	}
	return r.Skip()
}

// Literal consumes word (true, false or null).
func (r *Reader) Literal(word string) error {
	if len(r.data)-r.pos < len(word) || string(r.data[r.pos:r.pos+len(word)]) != word {
		return r.syntax("invalid literal")
	}
	r.pos += len(word)
	return nil
}

// number consumes a number and returns its text and whether it is an
// integer (no fraction or exponent).
func (r *Reader) number() ([]byte, bool, error) {
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

func (r *Reader) badNumber(start int) error {
	r.pos = start
	return r.syntax("invalid number")
}

// str consumes a string and returns its value.
func (r *Reader) str() (string, error) {
	b, err := r.strBytes()
	return string(b), err
}

// strBytes consumes a string and returns its value, which stays valid
// only until the next string is read.
func (r *Reader) strBytes() ([]byte, error) {
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
func (r *Reader) strSlow(start, i int) ([]byte, error) {
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

// Skip consumes any value, checking its syntax.
func (r *Reader) Skip() error {
	// open holds the kind of each open container: '{' or '['.
	var open []byte
	for {
		switch c := r.Peek(); c {
		case '{', '[':
			if len(open) >= maxDepth {
				return r.syntax("nested too deeply")
			}
			open = append(open, c)
			r.pos++
			end := byte('}')
			if c == '[' {
				end = ']'
			}
			if r.Peek() == end {
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
			if err := r.Literal("true"); err != nil {
				return err
			}
		case 'f':
			if err := r.Literal("false"); err != nil {
				return err
			}
		case 'n':
			if err := r.Literal("null"); err != nil {
				return err
			}
		default:
			if r.AtEnd() {
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
			c := r.Peek()
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

// key consumes an object key and its colon.
func (r *Reader) key() error {
	if r.Peek() != '"' {
		return r.syntax("expected a string key")
	}
	if _, err := r.strBytes(); err != nil {
		return err
	}
	if r.Peek() != ':' {
		return r.syntax("expected : after key")
	}
	r.pos++
	return nil
}

// Object calls member for each key of the object at pos; member must
// look at the key before it consumes the value (the key's bytes may be
// reused). A null instead of the object calls nothing.
func (r *Reader) Object(member func(key []byte) error) error {
	if r.Peek() == 'n' {
		return r.Literal("null")
	}
	r.pos++ // {
	if r.Peek() == '}' {
		r.pos++
		return nil
	}
	for {
		if r.Peek() != '"' {
			return r.syntax("expected a string key")
		}
		k, err := r.strBytes()
		if err != nil {
			return err
		}
		if r.Peek() != ':' {
			return r.syntax("expected : after key")
		}
		r.pos++
		r.ws()
		if err := member(k); err != nil {
			return err
		}
		switch r.Peek() {
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

// StringField reads a string into dst; null leaves it.
func (r *Reader) StringField(field string, dst *string) error {
	switch r.Peek() {
	case '"':
		s, err := r.str()
		*dst = s
		return err
	case 'n':
		return r.Literal("null")
	}
	return r.WrongType(field, "a string")
}

// IntField reads an integer into dst and reports whether it stored one;
// null leaves dst as it is. want says what the field must be ("a whole
// number") in the error for a value of another type or a fraction.
func (r *Reader) IntField(field, want string, dst *int64) (bool, error) {
	c := r.Peek()
	if c == 'n' {
		return false, r.Literal("null")
	}
	if c != '-' && (c < '0' || c > '9') {
		return false, r.WrongType(field, want)
	}
	text, integer, err := r.number()
	if err != nil {
		return false, err
	}
	v, perr := strconv.ParseInt(string(text), 10, 64)
	if !integer || perr != nil {
		if r.typeErr == nil {
			r.typeErr = &FieldError{field, fmt.Sprintf("must be %s, not %s", want, cut(text, 32))}
		}
		return false, nil
	}
	*dst = v
	return true, nil
}

// BoolField reads true or false into dst; null leaves it.
func (r *Reader) BoolField(field string, dst *bool) error {
	switch r.Peek() {
	case 't':
		*dst = true
		return r.Literal("true")
	case 'f':
		*dst = false
		return r.Literal("false")
	case 'n':
		return r.Literal("null")
	}
	return r.WrongType(field, "true or false")
}
