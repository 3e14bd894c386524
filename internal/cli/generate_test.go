package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"earshot/internal/generate"
	"earshot/internal/model"
)

// runCLI runs the earshot command line with buffers and returns the exit
// code, standard output and standard error.
func runCLI(t *testing.T, ctx context.Context, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] }}
	code := Run(ctx, e, args)
	return code, out.String(), errb.String()
}

func TestGenerateWritesMentions(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		lines int
	}{
		{"count flag", nil, []string{"generate", "--count", "250", "--seed", "3"}, 250},
		{"zero", nil, []string{"generate", "--count=0"}, 0},
		{"from environment", map[string]string{"EARSHOT_COUNT": "17", "EARSHOT_SEED": "9"}, []string{"generate"}, 17},
		{"flag beats environment", map[string]string{"EARSHOT_COUNT": "17"}, []string{"generate", "-count", "5"}, 5},
		{"more than one chunk", nil, []string{"generate", "--count", "10000", "--days", "2"}, 10000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, context.Background(), tc.env, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if n := strings.Count(out, "\n"); n != tc.lines {
				t.Fatalf("%d lines, want %d", n, tc.lines)
			}
			sc := bufio.NewScanner(strings.NewReader(out))
			for sc.Scan() {
				var m model.Mention
				if err := json.Unmarshal(sc.Bytes(), &m); err != nil || m.ExternalID == "" || m.Platform == "" {
					t.Fatalf("bad line %q: %v", sc.Text(), err)
				}
			}
		})
	}
}

func TestGenerateIsReproducible(t *testing.T) {
	args := []string{"generate", "--count", "5000", "--seed", "77", "--start", "2026-03-02T08:00:00Z", "--days", "7"}
	_, a, _ := runCLI(t, context.Background(), nil, args...)
	_, b, _ := runCLI(t, context.Background(), nil, args...)
	if a != b || a == "" {
		t.Fatal("same flags gave different output")
	}
	var want bytes.Buffer
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	if err := generate.New(generate.Options{Seed: 77, Start: start, Days: 7, Count: 5000}).WriteJSONL(&want, 5000); err != nil {
		t.Fatal(err)
	}
	if a != want.String() {
		t.Fatal("CLI output differs from the generate package's for the same options")
	}
	var first model.Mention
	if err := json.Unmarshal([]byte(a[:strings.IndexByte(a, '\n')]), &first); err != nil {
		t.Fatal(err)
	}
	if first.CreatedAt.Before(start) || first.CreatedAt.After(start.Add(24*time.Hour)) {
		t.Errorf("first mention at %s, --start was %s", first.CreatedAt, start)
	}
	_, other, _ := runCLI(t, context.Background(), nil, "generate", "--count", "5000", "--seed", "78", "--start", "2026-03-02T08:00:00Z", "--days", "7")
	if other == a {
		t.Error("different seeds gave the same output")
	}
}

func TestGenerateOut(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mentions.jsonl")
	code, out, stderr := runCLI(t, context.Background(), nil, "generate", "--out", path, "--count", "1200")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(data, []byte("\n")); n != 1200 {
		t.Errorf("file has %d lines, want 1200", n)
	}
	// The report goes to stderr, so that --out /dev/stdout stays JSON Lines.
	if out != "" || !strings.Contains(stderr, "wrote 1200 mentions") {
		t.Errorf("stdout %q, stderr %q: want the count reported on stderr only", out, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left files behind: %v", entries)
	}
}

func TestGenerateRejectsBadUse(t *testing.T) {
	for _, args := range [][]string{
		{"generate", "--count", "-1"},
		{"generate", "--count", "many"},
		{"generate", "--days", "0"},
		{"generate", "--days", "100000000"},
		{"generate", "--start", "yesterday"},
		{"generate", "--start", "2026-01-05"},
		{"generate", "mentions.jsonl"},
		{"generate", "--count", "5", "extra"},
		{"generate", "--colour", "red"},
	} {
		code, out, stderr := runCLI(t, context.Background(), nil, args...)
		if code != 2 || out != "" || stderr == "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, an explanation and no output", args, code, out, stderr)
		}
	}
	if code, _, _ := runCLI(t, context.Background(), map[string]string{"EARSHOT_COUNT": "lots"}, "generate"); code != 2 {
		t.Errorf("bad EARSHOT_COUNT: exit %d, want 2", code)
	}
}

func TestGenerateStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(t.TempDir(), "out.jsonl")
	code, _, stderr := runCLI(t, ctx, nil, "generate", "--count", "100000", "--out", path)
	if code != 1 || !strings.Contains(stderr, "interrupted") {
		t.Errorf("exit %d, stderr %q; want exit 1 and an interruption message", code, stderr)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("cancelled run left %s behind (err %v)", path, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 0 {
		t.Errorf("cancelled run left files: %v", entries)
	}
}
