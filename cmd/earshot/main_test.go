package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"earshot/internal/generate"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// TestMain lets the test binary act as the earshot command, so that tests
// can run it as a subprocess and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("EARSHOT_TEST_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// earshot returns a command running this binary as earshot with args.
func earshot(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), "EARSHOT_TEST_AS_MAIN=1")
	return cmd
}

func storeArgs(cfg store.Config) []string {
	if cfg.DatabaseURL != "" {
		return []string{"--database-url", cfg.DatabaseURL}
	}
	return []string{"--data", cfg.DataDir}
}

func writeMentions(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mentions.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := generate.New(generate.Options{Seed: 42}).WriteJSONL(w, n); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func count(t *testing.T, cfg store.Config) (store.Counts, int64) {
	t.Helper()
	cfg.SkipMigrate = true
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	empty, err := storetest.CasesWithoutMentions(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	return c, empty
}

// waitForMentions polls the store until it holds at least n mentions.
func waitForMentions(t *testing.T, cfg store.Config, n int64, cmd *exec.Cmd) {
	t.Helper()
	cfg.SkipMigrate = true
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		st, err := store.Open(context.Background(), cfg)
		if err != nil {
			continue // the import has not created the store yet
		}
		c, err := st.Count(context.Background())
		st.Close()
		if err == nil && c.Mentions >= n {
			return
		}
		if cmd.ProcessState != nil {
			t.Fatal("import ended before it could be interrupted")
		}
	}
	t.Fatalf("store never reached %d mentions", n)
}

func TestImportSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 100,000 mentions three times")
	}
	const n = 100_000
	file := writeMentions(t, n)
	ctx := context.Background()

	clean := storetest.Config(t)
	out, err := earshot(ctx, append([]string{"import", file}, storeArgs(clean)...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("clean import: %v\n%s", err, out)
	}
	want, _ := count(t, clean)
	if want.Mentions != n {
		t.Fatalf("clean import stored %d mentions, want %d", want.Mentions, n)
	}

	cfg := storetest.Config(t)
	cmd := earshot(ctx, append([]string{"import", file, "--batch", "500"}, storeArgs(cfg)...)...)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForMentions(t, cfg, n/5, cmd)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	partial, _ := count(t, cfg)
	if partial.Mentions >= n {
		t.Fatalf("import finished (%d) before SIGKILL; nothing was tested", partial.Mentions)
	}
	t.Logf("killed after %d of %d mentions", partial.Mentions, n)

	out, err = earshot(ctx, append([]string{"import", file}, storeArgs(cfg)...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("second import: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("duplicate "+strconv.FormatInt(partial.Mentions, 10))) {
		t.Errorf("second import should report the %d stored mentions as duplicates: %s", partial.Mentions, out)
	}
	got, empty := count(t, cfg)
	if got.Mentions != n {
		t.Fatalf("after kill and re-run: %d mentions, want exactly %d", got.Mentions, n)
	}
	if got.Cases != want.Cases || got.Authors != want.Authors || empty != 0 {
		t.Fatalf("after kill and re-run: %d cases, %d authors, %d empty cases; a clean import made %d cases and %d authors",
			got.Cases, got.Authors, empty, want.Cases, want.Authors)
	}
}

func TestImportSIGTERMFinishesBatches(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 50,000 mentions")
	}
	const n = 50_000
	file := writeMentions(t, n)
	cfg := storetest.Config(t)
	cmd := earshot(context.Background(), append([]string{"import", file, "--batch", "500"}, storeArgs(cfg)...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForMentions(t, cfg, n/10, cmd)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("interrupted import exit = %v, want exit code 1; stderr %s", err, stderr.String())
	}
	if !bytes.Contains(stderr.Bytes(), []byte("interrupted")) {
		t.Errorf("stderr does not say it was interrupted: %s", stderr.String())
	}
	m := regexp.MustCompile(`new (\d+),`).FindSubmatch(stdout.Bytes())
	if m == nil {
		t.Fatalf("no counts printed: %s", stdout.String())
	}
	reported, _ := strconv.ParseInt(string(m[1]), 10, 64)
	got, _ := count(t, cfg)
	if got.Mentions != reported || reported >= n {
		t.Fatalf("reported %d new, store holds %d (of %d): every read batch must be stored and reported", reported, got.Mentions, n)
	}
}

// TestImportStdinStalledThenSIGTERM pipes a few rows into earshot import -
// and leaves the pipe open, as a connector between posts does: the rows
// are stored while the pipe is quiet, and SIGTERM ends the import at once
// rather than when the writer closes the pipe.
func TestImportStdinStalledThenSIGTERM(t *testing.T) {
	cfg := storetest.Config(t)
	cmd := earshot(context.Background(), append([]string{"import", "-"}, storeArgs(cfg)...)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(writeMentions(t, 10))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stdin.Write(data); err != nil {
		t.Fatal(err)
	}
	waitForMentions(t, cfg, 10, cmd)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("import still waiting on its open, quiet input 20 s after SIGTERM")
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit = %v, want exit code 1; stderr %s", err, stderr.String())
	}
	if !bytes.Contains(stdout.Bytes(), []byte("read 10, new 10,")) {
		t.Fatalf("counts %q, want read 10, new 10", stdout.String())
	}
}
