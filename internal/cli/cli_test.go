package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/auth"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// run executes the command line with the given environment and stdin.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code = Run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// storeEnv points commands at an isolated test store through the
// environment, as a deployment would.
func storeEnv(t *testing.T) (map[string]string, store.Config) {
	cfg := storetest.Config(t)
	if cfg.DatabaseURL != "" {
		return map[string]string{"EARSHOT_DATABASE_URL": cfg.DatabaseURL}, cfg
	}
	return map[string]string{"EARSHOT_DATA": cfg.DataDir}, cfg
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{}, {"bogus"}, {"import"}, {"import", "a", "b"}, {"import", "--batch", "0", "x"},
		{"token"}, {"token", "create", "--name", "x", "--role", "king"}, {"token", "create", "--role", "admin"},
		{"user", "add", "--email", "nobody", "--role", "agent"}, {"user", "add", "--email", "a@b.c", "--role", "integration"},
		{"user", "add", "--email", "@", "--role", "agent"}, {"user", "add", "--email", "a b@c d", "--role", "agent"},
		{"user", "add", "--email", "Ann <ann@example.org>", "--role", "agent"}, {"help", "bogus"},
		{"serve", "extra"}, {"migrate", "--nope"},
		{"serve", "--api-rate", "-1"}, {"serve", "--api-rate", "NaN"}, {"serve", "--api-rate", "+Inf"}, {"serve", "--api-burst", "0"},
	} {
		code, _, stderr := run(t, nil, "", args...)
		if code != 2 {
			t.Errorf("earshot %q exit %d, want 2 (stderr %q)", args, code, stderr)
		}
	}
	if code, _, _ := run(t, nil, "", "--help"); code != 0 {
		t.Errorf("--help exit %d", code)
	}
	// The flag package reports a bad flag; it is not repeated.
	if _, _, stderr := run(t, nil, "", "import", "--nope", "x"); strings.Count(stderr, "-nope") != 1 {
		t.Errorf("bad flag reported %d times: %q", strings.Count(stderr, "-nope"), stderr)
	}
}

func TestHelpAndVersion(t *testing.T) {
	tests := []struct {
		args []string
		want string // on stdout
	}{
		{[]string{"help"}, "commands:"},
		{[]string{"--help"}, "commands:"},
		{[]string{"help", "import"}, "usage: earshot import"},
		{[]string{"help", "serve"}, "one-time password"},
		{[]string{"version"}, "earshot "},
		{[]string{"--version"}, "earshot "},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(t, nil, "", tt.args...)
		if code != 0 || !strings.Contains(stdout, tt.want) {
			t.Errorf("earshot %q: exit %d, stdout %q, stderr %q; want 0 and %q on stdout", tt.args, code, stdout, stderr, tt.want)
		}
	}
	for _, args := range [][]string{{"token", "-h"}, {"user", "--help"}, {"migrate", "-h"}} {
		code, _, stderr := run(t, nil, "", args...)
		if code != 0 || !strings.Contains(stderr, "usage: earshot "+args[0]) {
			t.Errorf("earshot %q: exit %d, stderr %q", args, code, stderr)
		}
	}
}

func TestUserAddPasswordFromStdin(t *testing.T) {
	env, cfg := storeEnv(t)
	code, stdout, stderr := run(t, env, "correct horse battery staple\n", "user", "add", "--email", "Ann@Example.org", "--role", "agent", "--password-file", "-")
	if code != 0 || strings.Contains(stdout, "password:") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByEmail(context.Background(), "ann@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.CheckPassword(u.PasswordHash, "correct horse battery staple"); !ok {
		t.Fatal("password read from standard input does not sign in")
	}
}

func TestParseFlagsOrderAndEnvironment(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	data := fs.String("data", "def", "")
	strict := fs.Bool("strict", false, "")
	batch := fs.Int("batch", 1, "")
	env := &Env{Stderr: io.Discard, Getenv: func(k string) string {
		return map[string]string{"EARSHOT_DATA": "/from/env", "EARSHOT_BATCH": "7"}[k]
	}}
	pos, err := parseFlags(fs, env, []string{"file.jsonl", "--strict", "--data", "/flag", "--", "-literal"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(pos, ",") != "file.jsonl,-literal" || !*strict || *data != "/flag" || *batch != 7 {
		t.Fatalf("pos %v strict %v data %q batch %d", pos, *strict, *data, *batch)
	}
	bad := &Env{Stderr: io.Discard, Getenv: func(k string) string { return map[string]string{"EARSHOT_BATCH": "many"}[k] }}
	fs2 := flag.NewFlagSet("y", flag.ContinueOnError)
	fs2.Int("batch", 1, "")
	if _, err := parseFlags(fs2, bad, nil); err == nil || !strings.Contains(err.Error(), "EARSHOT_BATCH") {
		t.Fatalf("bad environment value: %v", err)
	}
}

func TestTokenUserMigrate(t *testing.T) {
	env, cfg := storeEnv(t)
	if code, out, stderr := run(t, env, "", "migrate"); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %d %q %q", code, out, stderr)
	}
	code, out, stderr := run(t, env, "", "token", "create", "--name", "crm", "--role", "integration")
	if code != 0 {
		t.Fatalf("token create: %d %s", code, stderr)
	}
	secret := strings.TrimSpace(out)
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tok, err := st.TokenByHash(context.Background(), auth.HashToken(secret))
	if err != nil || tok.Role != "integration" || tok.Name != "crm" {
		t.Fatalf("stored token %+v, %v", tok, err)
	}

	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("a long enough password\n"), 0o600)
	if code, out, stderr := run(t, env, "", "user", "add", "--email", "Pat@Example.org", "--role", "agent", "--password-file", pw); code != 0 || strings.Contains(out, "password:") {
		t.Fatalf("user add: %d %q %q", code, out, stderr)
	}
	u, err := st.UserByEmail(context.Background(), "pat@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.CheckPassword(u.PasswordHash, "a long enough password"); !ok || u.Role != "agent" {
		t.Fatalf("user %+v: password does not match", u)
	}
	if code, _, stderr := run(t, env, "", "user", "add", "--email", "pat@example.org", "--role", "viewer"); code != 1 || !strings.Contains(stderr, "exists") {
		t.Fatalf("duplicate user: %d %q", code, stderr)
	}
	code, out, _ = run(t, env, "", "user", "add", "--email", "sam@example.org", "--role", "viewer")
	if code != 0 || !regexp.MustCompile(`password: \S{16,}`).MatchString(out) {
		t.Fatalf("generated password not printed: %q", out)
	}
	os.WriteFile(pw, []byte("short"), 0o600)
	if code, _, _ := run(t, env, "", "user", "add", "--email", "x@example.org", "--role", "viewer", "--password-file", pw); code != 2 {
		t.Fatalf("short password: exit %d", code)
	}
}

func TestImportCommand(t *testing.T) {
	env, _ := storeEnv(t)
	input := `{"platform":"x","external_id":"1","text":"Where is my card?","created_at":"2026-01-01T00:00:00Z","author":{"handle":"a"}}
{"platform":"x","external_id":"2","text":"bad time","created_at":"noon","author":{"handle":"b"}}
{"platform":"x","external_id":"3","text":"Thanks!","created_at":"2026-01-01T01:00:00Z","author":{"handle":"c"}}
`
	code, out, stderr := run(t, env, input, "import", "-")
	if code != 1 || !strings.Contains(out, "read 3, new 2, duplicate 0, rejected 1") || !strings.Contains(stderr, "line 2: created_at") ||
		!strings.Contains(stderr, "1 of 3 rows rejected; the others were stored") {
		t.Fatalf("import: %d %q %q", code, out, stderr)
	}
	code, out, _ = run(t, env, input, "import", "-", "--quiet")
	if code != 1 || !strings.Contains(out, "new 0, duplicate 2, rejected 1") {
		t.Fatalf("re-import: %d %q", code, out)
	}
	code, _, stderr = run(t, env, input, "import", "--strict", "-")
	if code != 1 || strings.Count(stderr, "line 2") != 1 || !strings.Contains(stderr, "--strict") {
		t.Fatalf("strict import: %d %q", code, stderr)
	}
	if code, _, _ := run(t, env, input[:strings.Index(input, "\n")+1], "import", "-"); code != 0 {
		t.Fatalf("clean re-import exit %d, want 0", code)
	}
	if code, _, stderr := run(t, env, "", "import", filepath.Join(t.TempDir(), "missing.jsonl")); code != 1 || !strings.Contains(stderr, "open input") {
		t.Fatalf("missing file: %d %q", code, stderr)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeFirstStartAndShutdown(t *testing.T) {
	env, cfg := storeEnv(t)
	url, out, cancel, done := startServe(t, env)
	m := regexp.MustCompile(`admin account (\S+) with one-time password (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no admin credentials printed: %q", out.String())
	}
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByEmail(context.Background(), m[1])
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.CheckPassword(u.PasswordHash, m[2]); !ok || u.Role != "admin" {
		t.Fatal("printed password does not sign in the admin")
	}
	res, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	var ready map[string]string
	json.NewDecoder(res.Body).Decode(&ready)
	res.Body.Close()
	if res.StatusCode != 200 || ready["status"] != "ready" {
		t.Fatalf("readyz %d %v", res.StatusCode, ready)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exit %d after shutdown", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
	// A second start finds the admin and creates no other.
	if n, _ := st.CountUsers(context.Background()); n != 1 {
		t.Fatalf("%d users after first start", n)
	}
}

// startServe runs earshot serve with env and args (EARSHOT_ADDR 127.0.0.1:0) until
// it prints its address, and returns that URL, its output so far and
// after, the cancel that stops it, and where its exit code will come.
func startServe(t *testing.T, env map[string]string, args ...string) (string, *syncBuffer, context.CancelFunc, <-chan int) {
	t.Helper()
	env["EARSHOT_ADDR"] = "127.0.0.1:0"
	out := new(syncBuffer)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: io.Discard, Getenv: func(k string) string { return env[k] }}, append([]string{"serve"}, args...))
	}()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := regexp.MustCompile(`listening on (http://\S+)`).FindStringSubmatch(out.String()); m != nil {
			return m[1], out, cancel, done
		}
	}
	cancel()
	t.Fatalf("serve printed no address: %q", out.String())
	return "", nil, nil, nil
}

// TestServeBusyAddressKeepsFirstStart: a first start that cannot listen
// fails before it makes the admin, so the next good start still shows a
// one-time password.
func TestServeBusyAddressKeepsFirstStart(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	env, cfg := storeEnv(t)
	env["EARSHOT_ADDR"] = busy.Addr().String()
	code, stdout, stderr := run(t, env, "", "serve")
	if code == 0 || !strings.Contains(stderr, "listen on "+busy.Addr().String()) || strings.Contains(stdout, "one-time password") {
		t.Fatalf("exit %d, stdout %q, stderr %q: want a listen error and no password", code, stdout, stderr)
	}
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.CountUsers(context.Background()); err != nil || n != 0 {
		t.Fatalf("%d users (err %v) after a start that could not listen, want 0", n, err)
	}
}

// TestServeBadPublicURLKeepsFirstStart: a public URL serve cannot use
// stops it before it makes the admin, as a busy address does, so the
// next good start still shows a one-time password.
func TestServeBadPublicURLKeepsFirstStart(t *testing.T) {
	env, cfg := storeEnv(t)
	env["EARSHOT_ADDR"] = "127.0.0.1:0"
	env["EARSHOT_PUBLIC_URL"] = "https://care.example.org/earshot"
	code, stdout, stderr := run(t, env, "", "serve")
	if code != 1 || !strings.Contains(stderr, `public URL "https://care.example.org/earshot"`) || strings.Contains(stdout, "one-time password") {
		t.Fatalf("exit %d, stdout %q, stderr %q: want exit 1 naming the public URL, and no password", code, stdout, stderr)
	}
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.CountUsers(context.Background()); err != nil || n != 0 {
		t.Fatalf("%d users (err %v) after a start with a bad public URL, want 0", n, err)
	}
}
