package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
