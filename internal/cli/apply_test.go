package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"earshot/internal/store"
)

func TestApply(t *testing.T) {
	env, _ := storeEnv(t)
	src, err := os.ReadFile("../org/testdata/org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "org.yaml")
	os.WriteFile(file, src, 0o600)

	code, out, stderr := run(t, env, "", "apply", "-f", file)
	if code != 0 || !strings.Contains(out, "Applied") || !strings.Contains(out, "2 teams") {
		t.Fatalf("apply: exit %d, out %q, err %q", code, out, stderr)
	}
	code, out, _ = run(t, env, "", "apply", "-f", file)
	if code != 0 || !strings.Contains(out, "No changes") {
		t.Fatalf("second apply: exit %d, out %q", code, out)
	}
	smaller := strings.Replace(string(src), "  - {id: sorry-dm,", "  - {id: sorry-public,", 1)
	code, out, _ = run(t, env, smaller, "apply", "-f", "-")
	if code != 0 || !strings.Contains(out, `removed template "sorry-dm"`) {
		t.Fatalf("apply from stdin: exit %d, out %q", code, out)
	}

	bad := strings.Replace(string(src), "team: member-services}", "team: nobody}", 1)
	code, _, stderr = run(t, env, bad, "apply", "-f", "-")
	if code != 1 || !strings.Contains(stderr, "line 12") || !strings.Contains(stderr, "rules[0].then.team") {
		t.Fatalf("bad file: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := run(t, env, "", "apply"); code != 2 {
		t.Errorf("apply without -f: exit %d, want 2", code)
	}
}

// TestApplyReportsEveryProblem applies a file with several problems of
// different kinds, in YAML and in JSON: one run names each on a line of
// its own with its line and field, in plain words, exits 1 and changes
// nothing.
func TestApplyReportsEveryProblem(t *testing.T) {
	env, cfg := storeEnv(t)
	src, err := os.ReadFile("../org/testdata/org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, env, string(src), "apply", "-f", "-"); code != 0 {
		t.Fatalf("apply the good file: exit %d, %s", code, stderr)
	}
	bad := string(src)
	for _, r := range [][2]string{
		{"{id: member-services, name: Member Services, hours: 24/7}", "{id: member-services, name: Member Services, hours: 24/7, colour: blue}"},
		{`aliases: [DMC, "Dallas Med"]`, "aliases: DMC"},
		{"first_response: 15m, next_response: 1h, resolution: 24h, warn_at: 0.75", "first_response: soon, warn_at: lots"},
		{"then: {team: member-services}", "then: {team: nobody}"},
		{"rating_max: 2", "Rating_Max: 2"},
	} {
		if !strings.Contains(bad, r[0]) {
			t.Fatalf("%q not in the file", r[0])
		}
		bad = strings.Replace(bad, r[0], r[1], 1)
	}
	want := []string{
		": 6 problems, nothing applied:",
		`  line 4: teams[0].colour: unknown field "colour"; the fields here are id, name, hours, timezone, assign, supervisors`,
		`  line 7: sites[0].aliases: want a list, not the single value "DMC" (write [DMC])`,
		`  line 9: sla_policies[0].first_response: duration "soon": want a length like 15m, 4h or 3d`,
		`  line 9: sla_policies[0].warn_at: want a number, not "lots"`,
		`  line 12: rules[0].then.team: no team with id "nobody"`,
		`  line 13: rules[1].when.Rating_Max: unknown field "Rating_Max"; names are case-sensitive: did you mean "rating_max"?`,
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "org.yaml")
	if err := os.WriteFile(file, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"apply", "-f", file}, {"apply", "--check", "-f", file}} {
		code, out, stderr := run(t, env, "", args...)
		if code != 1 || out != "" || !strings.Contains(stderr, strings.Join(want, "\n")) {
			t.Fatalf("%v: exit %d, stdout %q, stderr:\n%s\nwant:\n%s", args, code, out, stderr, strings.Join(want, "\n"))
		}
		for _, w := range []string{"unmarshal", "org.", "!!", "[]string", "float64", "struct"} {
			if strings.Contains(strings.ReplaceAll(stderr, file, "FILE"), w) {
				t.Errorf("stderr shows Go's names (%q): %s", w, stderr)
			}
		}
	}

	// The same problems in JSON, with a key in another case.
	jsonFile := filepath.Join(dir, "org.json")
	if err := os.WriteFile(jsonFile, []byte(`{"organization": "Lone Star", "Timezone": "America/Chicago",
  "teams": [{"id": "a", "name": "A", "hours": "9-5"}],
  "rules": [{"name": "r", "when": {"rating_max": "two"}, "then": {"team": "nobody"}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, env, "", "apply", "-f", jsonFile)
	wantJSON := []string{
		": 5 problems, nothing applied:",
		`  line 1: Timezone: unknown field "Timezone"; names are case-sensitive: did you mean "timezone"?`,
		`  line 1: timezone: timezone is missing (an IANA name such as America/Chicago)`,
		`  line 2: teams[0].hours: want "24/7" or {days, from, to}, not "9-5"`,
		`  line 3: rules[0].when.rating_max: want a whole number, not "two"`,
		`  line 3: rules[0].then.team: no team with id "nobody"`,
	}
	if code != 1 || !strings.Contains(stderr, strings.Join(wantJSON, "\n")) {
		t.Fatalf("JSON: exit %d, stderr:\n%s\nwant:\n%s", code, stderr, strings.Join(wantJSON, "\n"))
	}

	// Nothing changed: the good file is still the one applied.
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f, err := st.LoadOrg(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if string(f.Source) != string(src) {
		t.Fatalf("applied source changed:\n%s", f.Source)
	}
	if code, out, _ := run(t, env, string(src), "apply", "-f", "-"); code != 0 || !strings.Contains(out, "No changes") {
		t.Fatalf("reapplying the good file: exit %d, %q", code, out)
	}
}

func TestApplySetsReplyApproval(t *testing.T) {
	env, cfg := storeEnv(t)
	src, err := os.ReadFile("../org/testdata/org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := run(t, env, "reply_approval: on\n"+string(src), "apply", "-f", "-"); code != 0 {
		t.Fatalf("apply: %d %q %q", code, out, stderr)
	}
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, err := st.Setting(context.Background(), store.SettingApproval); err != nil || v != "on" {
		t.Fatalf("reply_approval after apply: %q %v", v, err)
	}
	if code, _, stderr := run(t, env, "reply_approval: yes\n"+string(src), "apply", "-f", "-"); code != 1 || !strings.Contains(stderr, "line 1") ||
		!strings.Contains(stderr, "reply_approval must be on or off") {
		t.Fatalf("bad reply_approval: %d %q", code, stderr)
	}
}

// TestApplyWarnsOfUnsetChannelSecrets applies channels whose environment
// variables are partly unset: the file is applied, and each unset name
// is a warning naming the channel, never a value.
func TestApplyWarnsOfUnsetChannelSecrets(t *testing.T) {
	env, _ := storeEnv(t)
	src, err := os.ReadFile("../org/testdata/channels.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env["EARSHOT_X_TOKEN"] = "secret-token-value"
	code, out, stderr := run(t, env, string(src), "apply", "-f", "-")
	if code != 0 || !strings.Contains(out, "6 channels") {
		t.Fatalf("apply: exit %d, out %q, err %q", code, out, stderr)
	}
	want := "warning: channel bcbstx-x: EARSHOT_X_SECRET is not set; the channel does nothing until it is"
	if !strings.Contains(out, want) {
		t.Errorf("out %q lacks %q", out, want)
	}
	if strings.Contains(out, "EARSHOT_X_TOKEN") || strings.Contains(out, "secret-token-value") {
		t.Errorf("out names a variable that is set, or its value: %q", out)
	}
	code, out, _ = run(t, env, string(src), "apply", "--check", "-f", "-")
	if code != 0 || !strings.Contains(out, want) {
		t.Errorf("apply --check: exit %d, out %q", code, out)
	}
}
