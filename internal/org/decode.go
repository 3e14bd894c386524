package org

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"earshot/internal/input"
)

// The organisation file is decoded by walking its YAML node tree along
// the Org type, rather than by yaml.v3's Decode, which stops at the first
// value its custom decoders refuse, names Go types in its messages
// ("cannot unmarshal !!str `two` into int", "field colour not found in
// type org.Team") and ignores unknown keys inside hours and holidays.
// The walk goes on past every problem, so that one run reports them all,
// each with its line, its field path and what was expected in plain
// words.

// maxNodes bounds how many values a file may expand to: aliases can make
// a small file expand exponentially.
const maxNodes = 1 << 20

// decoder fills an Org from a YAML node tree and collects every problem.
type decoder struct {
	errs []FieldError
	// bad holds the field paths whose values could not be decoded;
	// validation problems at, under or above them are consequences.
	bad   []string
	nodes int
}

// fail records a problem with the value n at p.
func (d *decoder) fail(n *yaml.Node, p path, format string, a ...any) {
	d.errs = append(d.errs, FieldError{Line: n.Line, Field: p.String(), Msg: fmt.Sprintf(format, a...)})
	d.bad = append(d.bad, p.String())
}

// consequence reports whether a validation problem at field follows
// from a value that could not be decoded.
func (d *decoder) consequence(field string) bool {
	for _, b := range d.bad {
		if field == b || under(field, b) || under(b, field) {
			return true
		}
	}
	return false
}

// under reports whether field path a lies inside field path b.
func under(a, b string) bool {
	return b != "" && len(a) > len(b) && strings.HasPrefix(a, b) && (a[len(b)] == '.' || a[len(b)] == '[')
}

// describe names what the node n holds, for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

// value decodes n into v (settable) at p.
func (d *decoder) value(n *yaml.Node, v reflect.Value, p path) {
	if d.nodes++; d.nodes > maxNodes {
		if d.nodes == maxNodes+1 {
			d.fail(n, p, "the file expands to more than %d values (through aliases)", maxNodes)
		}
		return
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return
		}
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		v.SetZero()
		return
	}
	switch x := v.Addr().Interface().(type) {
	case *Duration:
		d.duration(n, x, p)
		return
	case *Hours:
		if n.Kind == yaml.ScalarNode {
			if n.Value != "24/7" {
				d.fail(n, p, "want \"24/7\" or {days, from, to}, not %q", n.Value)
				return
			}
			*x = Hours{AllDay: true}
			return
		}
	case *Holiday:
		if n.Kind == yaml.ScalarNode {
			*x = Holiday{Date: n.Value}
			return
		}
	case *List:
		if n.Kind == yaml.ScalarNode {
			*x = List{n.Value}
			return
		}
		if n.Kind == yaml.MappingNode {
			d.fail(n, p, "want a value or a list of values, not a mapping")
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.value(n, v.Elem(), p)
	case reflect.Struct:
		d.mapping(n, v, p)
	case reflect.Slice:
		d.list(n, v, p)
	default:
		d.scalar(n, v, p)
	}
}

// duration decodes a length of time like "15m".
func (d *decoder) duration(n *yaml.Node, x *Duration, p path) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, p, "want a length like 15m, 4h or 3d, not %s", describe(n))
		return
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		d.fail(n, p, "%v", err)
		return
	}
	*x = v
}

// scalar decodes a string, number or true/false.
func (d *decoder) scalar(n *yaml.Node, v reflect.Value, p path) {
	var want string
	switch v.Kind() {
	case reflect.String:
		want = "text"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		want = "a whole number"
	case reflect.Float32, reflect.Float64:
		want = "a number"
	case reflect.Bool:
		want = "true or false"
	default:
		d.fail(n, p, "cannot hold %s", describe(n))
		return
	}
	if n.Kind != yaml.ScalarNode {
		d.fail(n, p, "want %s, not %s", want, describe(n))
		return
	}
	if v.Kind() == reflect.String {
		// A quoted "\0" or "\u0000" is a NUL, which the store cannot keep
		// on PostgreSQL.
		if what := input.Check(n.Value, 0); what != "" {
			d.fail(n, p, "%s", what)
			return
		}
		v.SetString(n.Value)
		return
	}
	// yaml.v3 reads the scalar as YAML does (0x1F, 1_000, 1e3, True),
	// but would cut 1.5 to a whole number 1.
	out := reflect.New(v.Type())
	if err := n.Decode(out.Interface()); err != nil || (v.CanInt() && n.ShortTag() == "!!float" && !whole(n)) {
		d.fail(n, p, "want %s, not %q", want, n.Value)
		return
	}
	v.Set(out.Elem())
}

// whole reports whether the number n is a whole one (2.0, 1e3).
func whole(n *yaml.Node) bool {
	var f float64
	return n.Decode(&f) == nil && f == math.Trunc(f)
}

// list decodes a sequence into the slice v.
func (d *decoder) list(n *yaml.Node, v reflect.Value, p path) {
	if n.Kind != yaml.SequenceNode {
		if n.Kind == yaml.ScalarNode {
			d.fail(n, p, "want a list, not the single value %q (write [%s])", n.Value, n.Value)
		} else {
			d.fail(n, p, "want a list, not %s", describe(n))
		}
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, e := range n.Content {
		d.value(e, s.Index(i), append(slices.Clip(p), i))
	}
	v.Set(s)
}

// mapping decodes a mapping into the struct v, each key into the field
// of exactly that name; merge keys (<<: *defaults) come first, so that
// the mapping's own keys win.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, p path) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, p, "want a mapping (key: value, ...), not %s", describe(n))
		return
	}
	fields, names := yamlFields(v.Type())
	pairs := n.Content
	for i := 0; i+1 < len(pairs); i += 2 {
		if k := pairs[i]; k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			d.merge(pairs[i+1], v, p)
		}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(pairs); i += 2 {
		k, val := pairs[i], pairs[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.fail(k, p, "a key must be a name, not %s", describe(k))
			continue
		}
		fp := append(slices.Clip(p), k.Value)
		if first, twice := seen[k.Value]; twice {
			d.fail(k, fp, "%q is given twice (first on line %d)", k.Value, first)
			continue
		}
		seen[k.Value] = k.Line
		idx, ok := fields[k.Value]
		if !ok {
			d.fail(k, fp, "unknown field %q%s", k.Value, knownHint(k.Value, names))
			continue
		}
		d.value(val, v.Field(idx), fp)
	}
}

// merge decodes the value of a merge key: a mapping or a list of them.
func (d *decoder) merge(n *yaml.Node, v reflect.Value, p path) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		d.mapping(n, v, p)
	case yaml.SequenceNode:
		for _, m := range n.Content {
			d.merge(m, v, p)
		}
	default:
		d.fail(n, p, "<< must merge a mapping or a list of mappings, not %s", describe(n))
	}
}

// knownHint completes the message for an unknown key: the field it
// differs from only in case, or the fields there are.
func knownHint(key string, names []string) string {
	for _, n := range names {
		if strings.EqualFold(n, key) {
			return fmt.Sprintf("; names are case-sensitive: did you mean %q?", n)
		}
	}
	return "; the fields here are " + strings.Join(names, ", ")
}

// yamlFields returns the fields of struct type t by their YAML names,
// and the names in declaration order.
func yamlFields(t reflect.Type) (map[string]int, []string) {
	byName := map[string]int{}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		byName[name] = i
		names = append(names, name)
	}
	return byName, names
}
