package org

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"earshot/internal/input"
)

func TestParseIssueExample(t *testing.T) {
	data, err := os.ReadFile("testdata/org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if o.Organization != "Lone Star Health Plan" || len(o.Teams) != 2 || len(o.Rules) != 2 || len(o.Alerts) != 2 {
		t.Fatalf("parsed %+v", o)
	}
	if !o.Teams[0].Hours.AllDay || o.Teams[1].Hours.From != "08:00" || o.Teams[1].Hours.Days != "mon-fri" {
		t.Errorf("hours: %+v %+v", o.Teams[0].Hours, o.Teams[1].Hours)
	}
	if got := time.Duration(o.SLAPolicies[0].FirstResponse); got != 15*time.Minute {
		t.Errorf("first_response = %v", got)
	}
	if o.SLAPolicies[0].WarnAt != 0.75 || len(o.SLAPolicies[0].When.Urgency) != 2 {
		t.Errorf("policy: %+v", o.SLAPolicies[0])
	}
	if r := o.Rules[1]; len(r.When.Kind) != 1 || r.When.Kind[0] != "review" || *r.When.RatingMax != 2 || r.Then.Alert[0] != "risk-desk" {
		t.Errorf("rule: %+v", r)
	}
	if a := o.Sites[0].Aliases; len(a) != 2 || a[1] != "Dallas Med" {
		t.Errorf("aliases: %v", a)
	}

	// The same file as JSON (indented with tabs) means the same.
	canon := o.Canonical()
	var generic any
	if err := json.Unmarshal(canon, &generic); err != nil {
		t.Fatal(err)
	}
	indented, _ := json.MarshalIndent(generic, "", "\t")
	o2, err := Parse(indented)
	if err != nil {
		t.Fatalf("Parse(JSON): %v\n%s", err, indented)
	}
	if string(o2.Canonical()) != string(canon) {
		t.Errorf("JSON round trip differs:\n%s\n%s", o2.Canonical(), canon)
	}
}

func TestParseErrorsNameLineAndField(t *testing.T) {
	base, _ := os.ReadFile("testdata/org.yaml")
	for _, tc := range []struct {
		name, from, to string
		want           []string // substrings of the error
	}{
		{"unknown team in rule", "then: {team: member-services}", "then: {team: membership}", []string{"line 12", "rules[0].then.team", `no team with id "membership"`}},
		{"bad clock", `to: "18:00"`, `to: "6pm"`, []string{"line 5", "teams[1].hours.to"}},
		{"bad duration", "first_response: 1h,", "first_response: soon,", []string{"line 10", "soon"}},
		{"unknown field", "rating_max: 2}", "rating_maxx: 2}", []string{"line 13", "rating_maxx"}},
		{"bad zone", "timezone: America/Chicago", "timezone: Mars/Olympus", []string{"line 2", "timezone", "Mars/Olympus"}},
		{"bad kind", "kind: review", "kind: tweet", []string{"line 13", "rules[1].when.kind[0]"}},
		{"bad language", "kind: review", "kind: review, language: [Spanish]", []string{"line 13", "rules[1].when.language[0]", "not a language code"}},
		{"bad target type", "type: webhook", "type: pigeon", []string{"line 16", "alerts[1].type"}},
		{"warn_at", "warn_at: 0.75", "warn_at: 75", []string{"line 9", "sla_policies[0].warn_at"}},
		{"duplicate id", "{id: claims, name: Claims", "{id: member-services, name: Claims", []string{"line 5", "teams[1].id", "used twice"}},
		{"syntax", "rules:\n", "rules: [\n", []string{"line"}},
		{"reply approval", "timezone: America/Chicago\n", "timezone: America/Chicago\nreply_approval: always\n", []string{"line 3", "reply_approval", `must be on or off, not "always"`}},
		{"reply approval as a bool", "timezone: America/Chicago\n", "timezone: America/Chicago\nreply_approval: true\n", []string{"line 3", "reply_approval", "must be on or off"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(string(base), tc.from, tc.to, 1)
			if src == string(base) {
				t.Fatalf("replacement %q not in file", tc.from)
			}
			_, err := Parse([]byte(src))
			var oe *Error
			if !errors.As(err, &oe) {
				t.Fatalf("Parse error = %v, want *Error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	src := "organization: X\ntimezone: UTC\nteams:\n  - {id: A, name: ''}\n  - {id: b, name: B, hours: {days: someday, from: '09:00', to: '08:00'}}\n"
	_, err := Parse([]byte(src))
	var oe *Error
	if !errors.As(err, &oe) || len(oe.Problems) < 4 {
		t.Fatalf("want at least 4 problems, got %v", err)
	}
}

func TestChanges(t *testing.T) {
	data, _ := os.ReadFile("testdata/org.yaml")
	a, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Parse(data)
	b.Teams = b.Teams[:1]
	b.Rules = b.Rules[1:]
	got := Changes(a, b)
	want := []string{`team "claims"`, `rule "Cards and enrollment"`}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Changes = %v, want %v", got, want)
	}
	if len(Changes(a, a)) != 0 || Changes(nil, a) != nil {
		t.Error("no change should report nothing")
	}
}

func TestParseDaysAndClock(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want [7]bool
		ok   bool
	}{
		{"mon-fri", [7]bool{false, true, true, true, true, true, false}, true},
		{"sat,sun", [7]bool{true, false, false, false, false, false, true}, true},
		{"fri-mon", [7]bool{true, true, false, false, false, true, true}, true},
		{"", [7]bool{true, true, true, true, true, true, true}, true},
		{"mon-funday", [7]bool{}, false},
	} {
		got, err := ParseDays(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseDays(%q) = %v, %v", tc.in, got, err)
		}
	}
	if m, err := ParseClock("08:30"); err != nil || m != 510 {
		t.Errorf("ParseClock = %d, %v", m, err)
	}
	if m, err := ParseClock("24:00"); err != nil || m != 1440 {
		t.Errorf("ParseClock(24:00) = %d, %v", m, err)
	}
	if d, err := ParseDuration("3d"); err != nil || time.Duration(d) != 72*time.Hour || d.String() != "3d" {
		t.Errorf("ParseDuration(3d) = %v, %v", d, err)
	}
	for _, in := range []string{"106752d", "200000d", "9999999999d"} {
		if d, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%s) = %v, want an error: the nanoseconds wrap around", in, time.Duration(d))
		}
	}
	if d, err := ParseDuration("106751d"); err != nil || time.Duration(d) != 106751*24*time.Hour {
		t.Errorf("ParseDuration(106751d) = %v, %v", time.Duration(d), err)
	}
}

func FuzzParse(f *testing.F) {
	data, _ := os.ReadFile("testdata/org.yaml")
	f.Add(data)
	f.Add([]byte(`{"organization": "x", "timezone": "UTC", "teams": [{"id": "a", "name": "A", "hours": {"days": "mon", "from": "08:00", "to": "09:00"}}]}`))
	f.Add([]byte("teams: [{id: x, hours: 24/7}]\nrules: [{name: r, when: {rating_max: 9}}]"))
	f.Add([]byte("organization: x\ntimezone: UTC\nteams: [{id: a, name: \"A\\0\", hours: 24/7}]\n"))
	f.Add([]byte("organization: x\ntimezone: UTC\nsmtp: {host: mail.example.org, from: e@example.org}\nreports: {weekly: {to: [a@example.org], day: Fri, at: \"07:30\"}}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := Parse(b)
		if err != nil {
			var oe *Error
			if !errors.As(err, &oe) || len(oe.Problems) == 0 {
				t.Fatalf("error %v is not a *Error with problems", err)
			}
			return
		}
		// What is accepted can be stored on either engine.
		if s, ok := badString(reflect.ValueOf(o)); ok {
			t.Fatalf("Parse(%q) accepted the text %q", b, s)
		}
		// A valid file's canonical form parses to the same file.
		o2, err := Parse(o.Canonical())
		if err != nil {
			t.Fatalf("canonical form does not parse: %v\n%s", err, o.Canonical())
		}
		if string(o2.Canonical()) != string(o.Canonical()) {
			t.Fatalf("canonical form changes on reparse")
		}
	})
}

func TestReplyApproval(t *testing.T) {
	base, _ := os.ReadFile("testdata/org.yaml")
	for _, tc := range []struct {
		line string
		want bool
	}{{"", false}, {"reply_approval: on\n", true}, {"reply_approval: \"on\"\n", true}, {"reply_approval: off\n", false}} {
		o, err := Parse(append([]byte(tc.line), base...))
		if err != nil {
			t.Fatalf("%q: %v", tc.line, err)
		}
		if o.ApprovalRequired() != tc.want {
			t.Errorf("%q: approval required %v, want %v", tc.line, o.ApprovalRequired(), tc.want)
		}
	}
	on, _ := Parse(append([]byte("reply_approval: on\n"), base...))
	off, _ := Parse(base)
	if got := Changes(on, off); len(got) != 1 || !strings.Contains(got[0], "reply approval") {
		t.Errorf("turning approval off reports %q", got)
	}
	if got := Changes(off, on); len(got) != 0 {
		t.Errorf("turning approval on reports a removal: %q", got)
	}
}

// TestParseRefusesNUL refuses a NUL character, which YAML and JSON may
// spell in a quoted string ("\0", "\u0000") and PostgreSQL cannot store,
// as a problem with its line and field.
func TestParseRefusesNUL(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"organization: x\ntimezone: UTC\nteams: [{id: a, name: \"A\\0\", hours: 24/7}]\n",
			"line 3: teams[0].name: contains a NUL character (U+0000)"},
		{`{"organization": "a\u0000b", "timezone": "UTC"}`, "line 1: organization: contains a NUL character (U+0000)"},
	} {
		_, err := Parse([]byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want a problem %q", tc.src, err, tc.want)
		}
	}
}

// badString returns a string of v, or of what v holds through pointers,
// structs and slices, that input.Check refuses.
func badString(v reflect.Value) (string, bool) {
	switch v.Kind() {
	case reflect.String:
		return v.String(), input.Check(v.String(), 0) != ""
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return badString(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if s, bad := badString(v.Field(i)); bad {
				return s, true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if s, bad := badString(v.Index(i)); bad {
				return s, true
			}
		}
	}
	return "", false
}
