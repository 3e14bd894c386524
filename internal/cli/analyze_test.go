package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"earshot/internal/analyze"
)

// runWithInput runs the command line with stdin and returns the exit
// code, standard output and standard error.
func runWithInput(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] }}
	code := Run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestAnalyzeAddsAnalysis(t *testing.T) {
	in := `{"text":"@HealthPlan on hold for 2 hours and still no answer","platform":"x","external_id":"1","author":{"handle":"a","followers":50000},"extra":[1,2]}
{"text":"thank you so much, the nurses were wonderful!"}

{"text":"I want to kill myself","direction":"outbound"}
{"text":"old","analysis":{"stale":true},"keep":"me"}
`
	code, out, errs := runWithInput(t, in, nil, "analyze")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4 (blank lines skipped):\n%s", len(lines), out)
	}
	tests := []struct {
		line      int
		sentiment string
		urgency   string
		keep      map[string]string // field -> raw JSON it must keep
	}{
		{0, "negative", "high", map[string]string{"platform": `"x"`, "extra": `[1,2]`}},
		{1, "positive", "low", nil},
		{2, "", "low", map[string]string{"direction": `"outbound"`}},
		{3, "", "", map[string]string{"keep": `"me"`}},
	}
	for _, tt := range tests {
		var row map[string]json.RawMessage
		if err := json.Unmarshal([]byte(lines[tt.line]), &row); err != nil {
			t.Fatalf("line %d: %v: %s", tt.line, err, lines[tt.line])
		}
		var an struct {
			Sentiment struct{ Label string }
			Urgency   struct{ Level string }
			Intents   []string
			PHI       []json.RawMessage
			Stale     *bool `json:"stale"`
		}
		if err := json.Unmarshal(row["analysis"], &an); err != nil {
			t.Fatalf("line %d analysis: %v", tt.line, err)
		}
		if an.Intents == nil || an.PHI == nil {
			t.Errorf("line %d: intents or phi null: %s", tt.line, row["analysis"])
		}
		if an.Stale != nil {
			t.Errorf("line %d: old analysis kept", tt.line)
		}
		if tt.sentiment != "" && an.Sentiment.Label != tt.sentiment {
			t.Errorf("line %d: sentiment %s, want %s", tt.line, an.Sentiment.Label, tt.sentiment)
		}
		if tt.urgency != "" && an.Urgency.Level != tt.urgency {
			t.Errorf("line %d: urgency %s, want %s", tt.line, an.Urgency.Level, tt.urgency)
		}
		for k, v := range tt.keep {
			if string(row[k]) != v {
				t.Errorf("line %d: %s = %s, want %s", tt.line, k, row[k], v)
			}
		}
	}
}

func TestAnalyzeStats(t *testing.T) {
	code, _, errs := runWithInput(t, `{"text":"hello"}`+"\n", nil, "analyze", "--stats")
	if code != 0 || !strings.Contains(errs, "posts/s") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

func TestAnalyzeRejects(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		stderr      string
	}{
		{"not json", `{"text":"ok"}` + "\nnot json\n", []string{"analyze"}, 1, "line 2"},
		{"array", `["text"]` + "\n", []string{"analyze"}, 1, "JSON object"},
		{"no text", `{"foo":1}` + "\n", []string{"analyze"}, 1, `line 1: no "text"`},
		{"byte-order mark, then bad line 2", "\xef\xbb\xbf{\"text\":\"ok\"}\nnope\n", []string{"analyze"}, 1, "line 2"},
		{"text type", `{"text":5}` + "\n", []string{"analyze"}, 1, `line 1: field "text" must be a string, not number`},
		{"positional", "", []string{"analyze", "file.jsonl"}, 2, "standard input"},
		{"bad model", "", []string{"analyze", "--model", bad}, 1, "sentiment model"},
		{"both models", "", []string{"analyze", "--model", bad, "--org-model"}, 2, "exclude"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runWithInput(t, tt.stdin, nil, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.stderr)
			}
		})
	}
}

// TestAnalyzeStreamOrderAndStop runs more rows than one batch through
// several workers: rows come out in input order, and a bad line stops the
// stream after every row before it.
func TestAnalyzeStreamOrderAndStop(t *testing.T) {
	var in strings.Builder
	const rows, bad = 1000, 700
	for i := 1; i <= rows; i++ {
		if i == bad {
			in.WriteString("oops\n")
			continue
		}
		fmt.Fprintf(&in, "{\"id\":%d,\"text\":\"row %d has been on hold for an hour\"}\n", i, i)
	}
	var out bytes.Buffer
	n, _, err := analyzeStream(context.Background(), analyze.New(), strings.NewReader(in.String()), &out, 3)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("line %d", bad)) {
		t.Fatalf("err = %v, want line %d", err, bad)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if n != bad-1 || len(lines) != bad-1 {
		t.Fatalf("wrote %d rows (%d lines), want %d", n, len(lines), bad-1)
	}
	for i, l := range lines {
		var row struct {
			ID       int             `json:"id"`
			Analysis json.RawMessage `json:"analysis"`
		}
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if row.ID != i+1 || len(row.Analysis) == 0 {
			t.Fatalf("line %d holds row %d (analysis %d bytes)", i+1, row.ID, len(row.Analysis))
		}
	}
}

// TestAnalyzeStreamsAQuietPipe: rows from a pipe that goes quiet are
// written out (flushed) while it stays open, and cancelling ends the
// stream at once.
func TestAnalyzeStreamsAQuietPipe(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	var out syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, _, err := analyzeStream(ctx, analyze.New(), pr, &out, 2)
		done <- err
	}()
	go pw.Write([]byte("{\"text\":\"on hold again\"}\n{\"text\":\"thanks!\"}\n"))
	for deadline := time.Now().Add(10 * time.Second); strings.Count(out.String(), "\n") < 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("output %q while the input stayed open, want both rows", out.String())
		}
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("analyze still waiting on its quiet input after cancellation")
	}
}
