package org

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
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

// Parse reads and validates a whole organisation file, YAML or JSON.
// Every problem is returned at once, each naming its line and field.
func Parse(data []byte) (*Org, error) {
	if len(data) > MaxFileBytes {
		return nil, &Error{[]FieldError{{Msg: fmt.Sprintf("file is larger than %d bytes", MaxFileBytes)}}}
	}
	if Format(data) == "json" {
		// JSON is YAML but for tabs, which YAML refuses as indentation;
		// valid JSON has tabs only between tokens, where a space is the
		// same.
		data = bytes.ReplaceAll(data, []byte{'\t'}, []byte{' '})
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &Error{[]FieldError{yamlError(err)}}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, &Error{[]FieldError{{Line: 1, Msg: "file is empty"}}}
	}
	if root.Content[0].Kind != yaml.MappingNode {
		return nil, &Error{[]FieldError{{Line: root.Content[0].Line, Msg: "want a mapping with organization, teams, sites, ..."}}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	o := new(Org)
	if err := dec.Decode(o); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			e := &Error{}
			for _, m := range te.Errors {
				e.Problems = append(e.Problems, lineMsg(m))
			}
			return nil, e
		}
		return nil, &Error{[]FieldError{yamlError(err)}}
	}
	v := &validator{root: root.Content[0]}
	v.org(o)
	if len(v.errs) > 0 {
		return nil, &Error{v.errs}
	}
	return o, nil
}

// yamlError turns a YAML syntax error ("yaml: line 3: ...") into a
// FieldError.
func yamlError(err error) FieldError {
	return lineMsg(strings.TrimPrefix(err.Error(), "yaml: "))
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
