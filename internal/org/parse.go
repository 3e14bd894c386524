package org

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"earshot/internal/egress"
)

// MaxFileBytes bounds an organisation file.
const MaxFileBytes = 4 << 20

// FieldError is one problem in an organisation file.
type FieldError struct {
	Line  int    // 1-based; 0 when unknown
	Field string // a path like teams[1].hours.from
	Msg   string
}

func (e FieldError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Error is every problem found in an organisation file.
type Error struct {
	Problems []FieldError
}

func (e *Error) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return "organisation file: " + strings.Join(msgs, "; ")
}

// Format reports whether data is JSON or YAML.
func Format(data []byte) string {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		return "json"
	}
	return "yaml"
}

// Options are the server's settings that decide what a file may say.
type Options struct {
	// Egress is where alerts may go: a target URL or mail server that
	// names an address it refuses is a problem of the file.
	Egress egress.Policy
}

// Parse reads and validates a whole organisation file, YAML or JSON,
// under the default Options: alert targets and the mail server must be
// outside private networks. Every problem is returned at once, each
// naming its line and field, in plain words; keys match the field names
// exactly.
func Parse(data []byte) (*Org, error) { return ParseWith(data, Options{}) }

// ParseStored reads a file that was validated when it was applied,
// perhaps under a Policy that allowed private targets: it loads whatever
// those allowed, since every delivery checks its connection again.
func ParseStored(data []byte) (*Org, error) {
	return ParseWith(data, Options{Egress: egress.Policy{AllowPrivate: true}})
}

// ParseWith is Parse under opts.
func ParseWith(data []byte, opts Options) (*Org, error) {
	if len(data) > MaxFileBytes {
		return nil, &Error{[]FieldError{{Msg: fmt.Sprintf("file is larger than %d bytes", MaxFileBytes)}}}
	}
	if Format(data) == "json" {
		// JSON is YAML but for tabs, which YAML refuses as indentation;
		// valid JSON has tabs only between tokens, where a space is the
		// same.
		data = bytes.ReplaceAll(data, []byte{'\t'}, []byte{' '})
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
		return nil, &Error{[]FieldError{yamlError(err, data)}}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, &Error{[]FieldError{{Line: 1, Msg: "file is empty"}}}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case Format(data) == "json" && jsonEnd(data) > 0:
		return nil, &Error{[]FieldError{{Line: jsonEnd(data), Msg: "the file goes on after the JSON object; put everything in one object"}}}
	case err != nil:
		fe := yamlError(err, data)
		fe.Msg = "the file goes on after the organisation with what is not YAML (" + fe.Msg + "); put everything in one mapping"
		return nil, &Error{[]FieldError{fe}}
	default:
		return nil, &Error{[]FieldError{{Line: next.Line, Msg: "the file goes on after the organisation (a second YAML document); put everything in one"}}}
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, &Error{[]FieldError{{Line: top.Line, Msg: "want a mapping with organization, teams, sites, ..."}}}
	}
	d := &decoder{}
	o := new(Org)
	d.value(top, reflect.ValueOf(o).Elem(), nil)
	v := &validator{root: top, egress: opts.Egress}
	v.org(o)
	problems := d.errs
	for _, p := range v.errs {
		if !d.consequence(p.Field) {
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		slices.SortStableFunc(problems, func(a, b FieldError) int { return cmp.Compare(a.Line, b.Line) })
		return nil, &Error{problems}
	}
	return o, nil
}

// jsonEnd returns the line of what follows the first JSON value of
// data, or 0 when data does not start with a whole JSON value followed
// by more.
func jsonEnd(data []byte) int {
	dec := json.NewDecoder(bytes.NewReader(data))
	var first json.RawMessage
	if dec.Decode(&first) != nil {
		return 0
	}
	end := int(dec.InputOffset())
	rest := bytes.TrimLeft(data[end:], " \t\r\n")
	if len(rest) == 0 {
		return 0
	}
	return 1 + bytes.Count(data[:len(data)-len(rest)], []byte{'\n'})
}

// yamlError turns a YAML syntax error ("yaml: line 3: ...") of the file
// data into a FieldError.
//
// go.yaml.in/yaml/v3 counts lines from 0 inside and adds 1 to the line of
// a scanner error (a tab in the indentation, an unclosed quote), but not
// to that of a parser error (an unclosed [ or {, a key where none may
// be): those point one line too early, and one on the first line has no
// line at all (it is written only when not 0). The parser's problems are
// a known, fixed set (parserProblem), so they are counted from 1 here.
// A parser error at the end of the file points at the line after the
// last newline; it is kept on the file's last line.
func yamlError(err error, data []byte) FieldError {
	fe := lineMsg(strings.TrimPrefix(err.Error(), "yaml: "))
	if !parserProblem(fe.Msg) {
		return fe
	}
	last := bytes.Count(data, []byte{'\n'})
	if len(data) > 0 && data[len(data)-1] != '\n' {
		last++
	}
	return FieldError{Line: max(min(fe.Line+1, last), 1), Msg: fe.Msg}
}

// parserProblem reports whether msg is the message of a
// go.yaml.in/yaml/v3 parser error (parserc.go; its scanner's messages
// are others), whose lines it counts from 0 (see yamlError).
func parserProblem(msg string) bool {
	switch msg {
	case "did not find expected ',' or ']'",
		"did not find expected ',' or '}'",
		"did not find expected '-' indicator",
		"did not find expected <document start>",
		"did not find expected <stream-start>",
		"did not find expected key",
		"did not find expected node content",
		"found duplicate %TAG directive",
		"found duplicate %YAML directive",
		"found incompatible YAML document",
		"found undefined tag handle":
		return true
	}
	return false
}

// lineMsg splits "line N: msg".
func lineMsg(m string) FieldError {
	if rest, ok := strings.CutPrefix(m, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				return FieldError{Line: n, Msg: rest[i+2:]}
			}
		}
	}
	return FieldError{Msg: m}
}

// path is a field path: map keys and sequence indexes.
type path []any

func (p path) String() string {
	var b strings.Builder
	for _, e := range p {
		switch x := e.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", x)
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(x)
		}
	}
	return b.String()
}

// line finds the line of the deepest node along p.
func line(n *yaml.Node, p path) int {
	best := n.Line
	for _, e := range p {
		var next *yaml.Node
		switch x := e.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == x {
						next = n.Content[i+1]
						best = n.Content[i].Line
						break
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && x < len(n.Content) {
				next = n.Content[x]
			}
		}
		if next == nil {
			return best
		}
		n = next
		if n.Kind != yaml.ScalarNode || n.Line > 0 {
			best = n.Line
		}
	}
	return best
}

// ParseDays reads "mon-fri", "sat,sun" or "mon-wed,fri" into a set
// indexed by time.Weekday. Empty means every day.
func ParseDays(s string) ([7]bool, error) {
	var set [7]bool
	if strings.TrimSpace(s) == "" {
		return [7]bool{true, true, true, true, true, true, true}, nil
	}
	names := map[string]int{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
	for part := range strings.SplitSeq(strings.ToLower(s), ",") {
		part = strings.TrimSpace(part)
		a, b, isRange := strings.Cut(part, "-")
		from, ok1 := names[strings.TrimSpace(a)]
		to := from
		ok2 := true
		if isRange {
			to, ok2 = names[strings.TrimSpace(b)]
		}
		if !ok1 || !ok2 {
			return set, fmt.Errorf("days %q: want day names like mon-fri or sat,sun", s)
		}
		for d := from; ; d = (d + 1) % 7 {
			set[d] = true
			if d == to {
				break
			}
		}
	}
	return set, nil
}

// ParseClock reads "08:00" as minutes after midnight; "24:00" is the
// end of the day.
func ParseClock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		if s == "24:00" {
			return 24 * 60, nil
		}
		return 0, fmt.Errorf("time %q: want HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}
