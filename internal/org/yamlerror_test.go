package org

import (
	"strings"
	"testing"
)

// TestYAMLSyntaxErrorLines checks the line of each kind of YAML syntax
// error. go.yaml.in/yaml/v3 counts its parser errors' lines from 0 (one
// too early, and none on the first line); Parse counts them from 1. Its
// scanner errors are counted from 1 already and are left as they are,
// though they name the line where the token being scanned began (the
// value before a tab, the opening quote), not always the line of the
// fault.
func TestYAMLSyntaxErrorLines(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      string
	}{
		// Parser errors: the line where the unfinished collection began,
		// or where the token that does not fit is when that is on line 1.
		{"unclosed flow list", "organization: a\ntimezone: UTC\nteams: [a, b\nsites: []\n",
			"line 3: did not find expected ',' or ']'"},
		{"unclosed flow list, more lines", "organization: a\nteams: [a,\nb,\nc\nsites: 1\n",
			"line 2: did not find expected ',' or ']'"},
		{"unclosed flow list on line 1", "teams: [a,\nb,\nc\nd: 1\n",
			"line 4: did not find expected ',' or ']'"},
		{"unclosed flow mapping", "organization: a\nteams: {id: a\nsites: []\n",
			"line 2: did not find expected ',' or '}'"},
		{"unclosed flow list at the end", "organization: a\ntimezone: UTC\nteams: [\n",
			"line 3: did not find expected node content"},
		{"unclosed flow list at the end, no newline", "organization: a\ntimezone: UTC\nteams: [",
			"line 3: did not find expected node content"},
		{"list item in a mapping", "organization: a\ntimezone: UTC\nsmtp:\n  host: h\n  - port\n",
			"line 4: did not find expected key"},
		{"stray bracket", "organization: a\n]\n",
			"line 2: did not find expected key"},
		{"list item less indented", "teams:\n  - id: a\n - id: b\n",
			"line 3: did not find expected key"},
		{"key after a list", "- a\n- b\nc: 1\n", "line 3: did not find expected '-' indicator"},
		{"key in a list", "organization: a\nteams:\n  - a\n  - b\n  c: 1\n", "line 3: did not find expected '-' indicator"},
		{"undefined tag handle", "organization: a\n\n\ntimezone: !x!y UTC\n", "line 4: found undefined tag handle"},
		{"TAG directive twice", "%TAG ! tag:a,2000:\n%TAG ! tag:b,2000:\n---\na: 1\n", "line 2: found duplicate %TAG directive"},
		{"on line 1", "]\n", "line 1: did not find expected node content"},
		// Scanner errors, as go.yaml.in/yaml/v3 counts them.
		{"tab in the indentation", "organization: a\ntimezone: UTC\nteams:\n\t- id: a\n",
			"line 4: found character that cannot start any token"},
		{"tab after a value: the value's line", "organization: a\ntimezone: UTC\nteams:\n  - id: a\n\tname: b\n",
			"line 4: found a tab character that violates indentation"},
		{"unclosed quote", "organization: a\ntimezone: UTC\nsmtp: {host: \"h\n",
			"line 3: found unexpected end of stream"},
		{"bad escape", "organization: a\ntimezone: \"\\q\"\n", "line 2: found unknown escape character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problems(t, tc.src)
			if len(got) != 1 || !strings.HasPrefix(got[0], tc.want) {
				t.Fatalf("problems %q, want %q", got, tc.want)
			}
		})
	}
}
