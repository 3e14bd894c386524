package cli

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeMetricsToken: with EARSHOT_METRICS_TOKEN set, serve's
// /metrics answers 401 without that bearer token and the metrics with
// it; the token shows nowhere in serve's output.
func TestServeMetricsToken(t *testing.T) {
	const tok = "scrape-0123456789abcdef"
	env, _ := storeEnv(t)
	env[envMetricsToken] = tok
	url, out, cancel, done := startServe(t, env)
	defer func() { cancel(); <-done }()
	get := func(auth string) (int, string) {
		req, _ := http.NewRequest("GET", url+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, _ := get(""); code != http.StatusUnauthorized {
		t.Errorf("/metrics without a token: %d, want 401", code)
	}
	if code, _ := get("Bearer not-the-token-at-all"); code != http.StatusUnauthorized {
		t.Errorf("/metrics with a wrong token: %d, want 401", code)
	}
	if code, body := get("Bearer " + tok); code != http.StatusOK || !strings.Contains(body, "earshot_") {
		t.Errorf("/metrics with the token: %d %.100q", code, body)
	}
	if code, _ := get(""); code != http.StatusUnauthorized {
		t.Errorf("/metrics without a token after one with: %d, want 401", code)
	}
	if s := out.String(); strings.Contains(s, tok) || !strings.Contains(s, "metrics need the metrics token") {
		t.Errorf("serve's output shows the token or does not say metrics need one: %q", s)
	}
}

func TestMetricsTokenSources(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const tok = "file-token-0123456789"
	good, empty, short := write("good", tok+"\n"), write("empty", "\n"), write("short", "abc\n")
	for _, tc := range []struct {
		name, env, file, want string
		bad                   bool
	}{
		{name: "neither"},
		{name: "environment", env: tok, want: tok},
		{name: "file", file: good, want: tok},
		{name: "both", env: tok, file: good, bad: true},
		{name: "empty file", file: empty, bad: true},
		{name: "short file", file: short, bad: true},
		{name: "short environment", env: "abc", bad: true},
		{name: "spaces", env: "a token with spaces in it", bad: true},
		{name: "missing file", file: filepath.Join(dir, "missing"), bad: true},
	} {
		env := &Env{Getenv: func(k string) string {
			if k == envMetricsToken {
				return tc.env
			}
			return ""
		}}
		got, err := metricsToken(env, tc.file)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("%s: %q, %v; want %q, error %v", tc.name, got, err, tc.want, tc.bad)
		}
		if err != nil && (strings.Contains(err.Error(), tok) || strings.Contains(err.Error(), "spaces in it")) {
			t.Errorf("%s: the error shows the token: %v", tc.name, err)
		}
	}
	// A bad token stops serve before it listens, as a usage error.
	env, _ := storeEnv(t)
	env[envMetricsToken] = "short"
	env["EARSHOT_ADDR"] = "127.0.0.1:0"
	if code, stdout, stderr := run(t, env, "", "serve"); code != 2 || !strings.Contains(stderr, "at least 16 characters") || strings.Contains(stdout, "listening") {
		t.Fatalf("serve with a short metrics token: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
