package org

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// problems parses src and returns its problems as "line N: field: msg".
func problems(t *testing.T, src string) []string {
	t.Helper()
	_, err := Parse([]byte(src))
	var oe *Error
	if !errors.As(err, &oe) {
		t.Fatalf("Parse = %v, want *Error", err)
	}
	out := make([]string, len(oe.Problems))
	for i, p := range oe.Problems {
		out[i] = p.Error()
	}
	return out
}

// goWords are Go's and yaml.v3's names that no message may show.
var goWords = []string{"unmarshal", "org.", "!!", "[]string", "float64", "int64", "struct", "Go "}

func TestParseReportsEveryProblemInPlainWords(t *testing.T) {
	src := `organization: Lone Star Health Plan
timezone: America/Chicago
teams:
  - {id: member-services, name: Member Services, hours: 24/7, colour: blue}
  - {id: claims, name: Claims, hours: {days: mon-fri, from: "08:00", too: "18:00"}}
sites:
  - {id: dallas, name: Dallas Medical Center, aliases: DMC}
holidays:
  - 2026-12-25
  - {date: 2026-01-01, nmae: New Year}
sla_policies:
  - {id: urgent, when: {urgency: [critical, high]}, first_response: soon, warn_at: lots}
rules:
  - {name: Cards, when: {intents_any: [id_card]}, then: {team: nobody}}
  - {name: Bad reviews, when: {kind: review, rating_max: two, verified: maybe}, then: {priority: high, tags: {a: b}}}
  - {name: Quiet, when: {followers_min: [1]}, then: {}}
alerts:
  - {id: desk, type: email, to: risk@example.org, per_minute: 1.5}
spike: {window: [1h], factor: x}
`
	want := []string{
		`line 4: teams[0].colour: unknown field "colour"; the fields here are id, name, hours, timezone, assign, supervisors`,
		`line 5: teams[1].hours.too: unknown field "too"; the fields here are days, from, to`,
		`line 5: teams[1].hours.to: to is missing (a time like 08:00)`,
		`line 7: sites[0].aliases: want a list, not the single value "DMC" (write [DMC])`,
		`line 10: holidays[1].nmae: unknown field "nmae"; the fields here are date, name`,
		`line 12: sla_policies[0].first_response: duration "soon": want a length like 15m, 4h or 3d`,
		`line 12: sla_policies[0].warn_at: want a number, not "lots"`,
		`line 14: rules[0].then.team: no team with id "nobody"`,
		`line 15: rules[1].when.rating_max: want a whole number, not "two"`,
		`line 15: rules[1].when.verified: want true or false, not "maybe"`,
		`line 15: rules[1].then.tags: want a value or a list of values, not a mapping`,
		`line 16: rules[2].when.followers_min: want a whole number, not a list`,
		`line 18: alerts[0].per_minute: want a whole number, not "1.5"`,
		`line 18: alerts[0].type: email alerts need smtp: {host, from} at the top of the file`,
		`line 19: spike.window: want a length like 15m, 4h or 3d, not a list`,
		`line 19: spike.factor: want a number, not "x"`,
	}
	got := problems(t, src)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range got {
		for _, w := range goWords {
			if strings.Contains(p, w) {
				t.Errorf("%q shows Go's names (%q)", p, w)
			}
		}
	}
}

func TestParseKeysMatchExactly(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"key in capitals", "Organization: X\ntimezone: UTC\n",
			[]string{`line 1: Organization: unknown field "Organization"; names are case-sensitive: did you mean "organization"?`,
				"line 1: organization: organization name is missing"}},
		{"JSON key in another case", `{"organization": "X", "timezone": "UTC", "teams": [{"ID": "a", "name": "A"}]}`,
			[]string{`line 1: teams[0].ID: unknown field "ID"; names are case-sensitive: did you mean "id"?`, "line 1: teams[0].id: team id is missing"}},
		{"key twice", "organization: X\ntimezone: UTC\norganization: Y\n",
			[]string{`line 3: organization: "organization" is given twice (first on line 1)`}},
		{"second document", "organization: X\ntimezone: UTC\n---\nteams: []\n",
			[]string{"line 3: the file goes on after the organisation (a second YAML document); put everything in one"}},
		{"two JSON objects", `{"organization": "X", "timezone": "UTC"}` + "\n" + `{"teams": []}`,
			[]string{"line 2: the file goes on after the JSON object; put everything in one object"}},
		{"garbage after JSON", `{"organization": "X", "timezone": "UTC"} x`,
			[]string{"line 1: the file goes on after the JSON object; put everything in one object"}},
		{"garbage after YAML", "organization: X\ntimezone: UTC\n...\n]",
			[]string{"line 4: the file goes on after the organisation with what is not YAML (did not find expected <document start>); put everything in one mapping"}},
		{"not a mapping", "- a\n- b\n", []string{"line 1: want a mapping with organization, teams, sites, ..."}},
		{"list for a mapping", "organization: X\ntimezone: UTC\nsmtp: [a]\n", []string{"line 3: smtp: want a mapping (key: value, ...), not a list"}},
		{"mapping for text", "organization: {a: b}\ntimezone: UTC\n", []string{"line 1: organization: want text, not a mapping"}},
		{"mapping key", "organization: X\ntimezone: UTC\n? [a]\n: b\n", []string{`line 3: a key must be a name, not a list`}},
		{"hours", "organization: X\ntimezone: UTC\nteams: [{id: a, name: A, hours: 9-5}]\n", []string{`line 3: teams[0].hours: want "24/7" or {days, from, to}, not "9-5"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := problems(t, tc.src); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestParseAliasesAndMerges(t *testing.T) {
	src := `organization: X
timezone: UTC
x-hours: &office {days: mon-fri, from: "08:00", to: "18:00"}
teams:
  - &base {id: a, name: A, hours: *office, timezone: America/Chicago}
  - {<<: *base, id: b, name: B}
`
	_, err := Parse([]byte(src))
	if err == nil || !strings.Contains(err.Error(), `unknown field "x-hours"`) {
		t.Fatalf("Parse = %v, want x-hours unknown", err)
	}
	src = strings.Replace(src, "x-hours: &office", "digest: \"07:00\"\nteams_:", 1)
	src = strings.Replace(src, "teams_:", "holidays: [2026-12-25]\n#", 1)
	src = strings.Replace(src, "hours: *office", `hours: {days: mon-fri, from: "08:00", to: "18:00"}`, 1)
	o, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse:\n%s\n%v", src, err)
	}
	if len(o.Teams) != 2 || o.Teams[1].ID != "b" || o.Teams[1].Name != "B" || o.Teams[1].Timezone != "America/Chicago" || o.Teams[1].Hours.From != "08:00" {
		t.Fatalf("teams %+v", o.Teams)
	}
	if len(o.Holidays) != 1 || o.Holidays[0].Date != "2026-12-25" || o.Digest != "07:00" {
		t.Fatalf("holidays %+v, digest %q", o.Holidays, o.Digest)
	}
	// Aliases that make a small file expand to a great many values are
	// refused: 2,000 keywords in each of 1,000 rules.
	var b strings.Builder
	b.WriteString("organization: X\ntimezone: UTC\nrules:\n  - {name: r, when: {keywords_any: &k [")
	b.WriteString(strings.Repeat("a, ", 2000))
	b.WriteString("a]}}\n")
	b.WriteString(strings.Repeat("  - {name: r, when: {keywords_any: *k}}\n", 1000))
	start := time.Now()
	_, err = Parse([]byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "rules[") || !strings.Contains(err.Error(), "the file expands to more than 1048576 values (through aliases)") {
		t.Fatalf("aliases expanding to 2,000,000 values: %.300v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("alias bomb took %v", d)
	}
}

// TestYAMLAndJSONNamesAgree checks that every field of the file has the
// same name in YAML and in JSON: the canonical JSON is parsed as the
// file is.
func TestYAMLAndJSONNamesAgree(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t0 reflect.Type) {
		for t0.Kind() == reflect.Pointer || t0.Kind() == reflect.Slice {
			t0 = t0.Elem()
		}
		if t0.Kind() != reflect.Struct || seen[t0] {
			return
		}
		seen[t0] = true
		for i := range t0.NumField() {
			f := t0.Field(i)
			y, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			j, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if y != j {
				t.Errorf("%s.%s: yaml %q, json %q", t0.Name(), f.Name, y, j)
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[Org]())
	if len(seen) < 10 {
		t.Fatalf("walked %d types", len(seen))
	}
}

// FuzzParseMessages holds every problem to plain words (no Go or yaml.v3
// type names unless the file itself has them) and a message.
func FuzzParseMessages(f *testing.F) {
	data, _ := os.ReadFile("testdata/org.yaml")
	f.Add(data)
	f.Add([]byte("organization: X\ntimezone: UTC\nteams: [{id: a, name: A, hours: {days: 1}, colour: 2}]\nspike: {weeks: x}\n"))
	f.Add([]byte(`{"organization": "X", "timezone": "UTC", "rules": [{"name": "r", "when": {"rating_max": "two"}}]} x`))
	f.Add([]byte("organization: &o X\ntimezone: *o\nholidays: [{<<: {date: 2026-01-01}}]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := Parse(b)
		if err == nil {
			return
		}
		var oe *Error
		if !errors.As(err, &oe) || len(oe.Problems) == 0 {
			t.Fatalf("error %v is not a *Error with problems", err)
		}
		for _, p := range oe.Problems {
			if p.Msg == "" {
				t.Fatalf("problem %+v has no message", p)
			}
			for _, w := range goWords {
				if strings.Contains(p.Msg, w) && !bytes.Contains(b, []byte(w)) {
					t.Fatalf("Parse(%q): %q shows Go's names (%q)", b, p.Msg, w)
				}
			}
		}
	})
}
