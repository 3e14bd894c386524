package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"earshot/internal/model"
)

// The CSV form of a summary: one row per group (one row keyed "all"
// without a group_by), a "key" column, then every figure of Group
// flattened in the order of its fields, named by their JSON names joined
// with "_" (mentions_total, cases_first_response_median_minutes). A map
// becomes a column per key (mentions_by_sentiment_negative): the keys
// of a closed vocabulary (platforms, sentiments, priorities) always, any
// other key found in some row of the answer, in order; a distribution
// becomes a column per bucket (cases_first_response_distribution_up_to_5,
// ..._over_1440).

// knownKeys are the map columns every answer has, by the map's column
// prefix.
func knownKeys() map[string][]string {
	sentiments := []string{model.SentimentNegative, model.SentimentNeutral, model.SentimentPositive}
	return map[string][]string{
		"mentions_by_platform":  model.Platforms,
		"mentions_by_sentiment": sentiments,
		"cases_by_priority":     {string(model.PriorityLow), string(model.PriorityNormal), string(model.PriorityHigh), string(model.PriorityUrgent)},
	}
}

// CSVRows returns s as CSV records, the header first.
func (s *Summary) CSVRows() [][]string {
	rows := s.Groups
	if s.Groups == nil {
		rows = []Group{{Key: "all", Mentions: s.Mentions, Cases: s.Cases, Ratings: s.Ratings, Deadlines: s.Deadlines}}
	}
	keys := map[string]map[string]bool{}
	for prefix, ks := range knownKeys() {
		keys[prefix] = map[string]bool{}
		for _, k := range ks {
			keys[prefix][k] = true
		}
	}
	for _, g := range rows {
		collectKeys("", reflect.ValueOf(g), keys)
	}
	sorted := map[string][]string{}
	for prefix, ks := range keys {
		for k := range ks {
			sorted[prefix] = append(sorted[prefix], k)
		}
		slices.Sort(sorted[prefix])
	}
	var out [][]string
	for i, g := range rows {
		var names, values []string
		flatten("", reflect.ValueOf(g), sorted, &names, &values)
		if i == 0 {
			out = append(out, names)
		}
		out = append(out, values)
	}
	if len(rows) == 0 {
		var names, values []string
		flatten("", reflect.ValueOf(Group{}), sorted, &names, &values)
		out = append(out, names)
	}
	for _, row := range out {
		for j := range row {
			row[j] = safeCell(row[j])
		}
	}
	return out
}

// WriteCSV writes s as CSV to w.
func (s *Summary) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(s.CSVRows()); err != nil {
		return fmt.Errorf("write summary CSV: %w", err)
	}
	return nil
}

// safeCell keeps a spreadsheet from reading a cell (a channel or tag
// named by outside text) as a formula: one that starts as a formula
// does is quoted with a leading apostrophe.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s // a negative number
		}
		return "'" + s
	}
	return s
}

// fieldName is the JSON name of a struct field, "" to skip it, and
// whether it is embedded (its fields are the parent's).
func fieldName(f reflect.StructField) (string, bool) {
	if f.Anonymous {
		return "", true
	}
	tag := f.Tag.Get("json")
	name, _, _ := strings.Cut(tag, ",")
	if name == "-" || !f.IsExported() {
		return "", false
	}
	if name == "" {
		name = strings.ToLower(f.Name)
	}
	return name, false
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "_" + name
}

var bucketsType = reflect.TypeFor[[]Bucket]()

// collectKeys adds the keys of every map under v to keys, by the map's
// column prefix.
func collectKeys(prefix string, v reflect.Value, keys map[string]map[string]bool) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			name, embedded := fieldName(v.Type().Field(i))
			switch {
			case embedded:
				collectKeys(prefix, v.Field(i), keys)
			case name != "":
				collectKeys(join(prefix, name), v.Field(i), keys)
			}
		}
	case reflect.Map:
		if keys[prefix] == nil {
			keys[prefix] = map[string]bool{}
		}
		it := v.MapRange()
		for it.Next() {
			keys[prefix][it.Key().String()] = true
			collectKeys(join(prefix, it.Key().String()), it.Value(), keys)
		}
	}
}

// flatten appends the columns of v, named under prefix.
func flatten(prefix string, v reflect.Value, keys map[string][]string, names, values *[]string) {
	add := func(name, value string) {
		*names = append(*names, name)
		*values = append(*values, value)
	}
	if v.Type() == bucketsType {
		// Always every bucket of BucketEdges, so that the columns are the
		// same whatever the row.
		counts := map[float64]int64{}
		for i := range v.Len() {
			b := v.Index(i).Interface().(Bucket)
			counts[b.UpToMinutes] = b.Count
		}
		edges := BucketEdges()
		for _, e := range edges {
			add(join(prefix, "up_to_"+strconv.FormatFloat(e, 'f', -1, 64)), strconv.FormatInt(counts[e], 10))
		}
		add(join(prefix, "over_"+strconv.FormatFloat(edges[len(edges)-1], 'f', -1, 64)), strconv.FormatInt(counts[0], 10))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		if t, ok := v.Interface().(interface{ MarshalText() ([]byte, error) }); ok {
			text, _ := t.MarshalText() // a time always marshals within TimeRange
			add(prefix, string(text))
			return
		}
		for i := range v.NumField() {
			name, embedded := fieldName(v.Type().Field(i))
			switch {
			case embedded:
				flatten(prefix, v.Field(i), keys, names, values)
			case name != "":
				flatten(join(prefix, name), v.Field(i), keys, names, values)
			}
		}
	case reflect.Map:
		for _, k := range keys[prefix] {
			e := v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key()))
			if !e.IsValid() {
				e = reflect.Zero(v.Type().Elem())
			}
			flatten(join(prefix, k), e, keys, names, values)
		}
	case reflect.Int, reflect.Int64:
		add(prefix, strconv.FormatInt(v.Int(), 10))
	case reflect.Float64:
		add(prefix, strconv.FormatFloat(v.Float(), 'f', -1, 64))
	case reflect.String:
		add(prefix, v.String())
	case reflect.Bool:
		add(prefix, strconv.FormatBool(v.Bool()))
	}
}
