package oauth_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/connector"
	"earshot/internal/connector/oauth"
	"earshot/internal/secretbox"
)

// logBuffer collects a source's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type fixture struct {
	e     *endpoint
	clock *clock
	logs  *logBuffer
	first string
}

func newFixture(t *testing.T, platform string) *fixture {
	first := "refresh-0-" + platform + "-first"
	return &fixture{e: newEndpoint(t, platform, first), clock: &clock{t: time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)}, logs: &logBuffer{}, first: first}
}

// config is a channel of the fixture's platform, its token endpoint
// under base_url.
func (f *fixture) config(channel, platform string) oauth.Config {
	return oauth.Config{
		Channel: channel, Platform: platform, BaseURL: f.e.srv.URL,
		ClientID: f.e.clientID, ClientSecret: f.e.clientSecret, RefreshToken: f.first,
		Client: f.e.srv.Client(), UserAgent: "Earshot-test", Now: f.clock.Now,
		Logger: slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

func mustSource(t *testing.T, cfg oauth.Config) *oauth.Source {
	t.Helper()
	s, err := oauth.NewSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testKey(t *testing.T) *secretbox.Key {
	raw := make([]byte, secretbox.KeySize)
	rand.Read(raw)
	k, err := secretbox.NewKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// noSecrets fails t if any token or secret shows in texts.
func (f *fixture) noSecrets(t *testing.T, texts ...string) {
	t.Helper()
	for _, sec := range f.e.secrets(f.first) {
		for _, text := range append(texts, f.logs.String()) {
			if strings.Contains(text, sec) {
				t.Errorf("a secret shows in %q", text)
			}
		}
	}
}

func TestRenewsOnlyWithinAMinuteOfExpiry(t *testing.T) {
	ctx := context.Background()
	for _, platform := range []string{"x", "google"} {
		t.Run(platform, func(t *testing.T) {
			f := newFixture(t, platform)
			s := mustSource(t, f.config("ch-"+platform, platform))
			tok, err := s.Token(ctx)
			if err != nil || tok == "" || f.e.refreshes() != 1 {
				t.Fatalf("first token %q, %v after %d refreshes", tok, err, f.e.refreshes())
			}
			life := time.Duration(f.e.expiresIn) * time.Second
			f.clock.Add(life - time.Minute - time.Second)
			if again, err := s.Token(ctx); err != nil || again != tok || f.e.refreshes() != 1 {
				t.Fatalf("before the last minute: %q, %v, %d refreshes", again, err, f.e.refreshes())
			}
			f.clock.Add(2 * time.Second)
			next, err := s.Token(ctx)
			if err != nil || next == tok || f.e.refreshes() != 2 {
				t.Fatalf("in the last minute: %q (was %q), %v, %d refreshes", next, tok, err, f.e.refreshes())
			}
			// X rotated the refresh token: the second refresh used the new
			// one, which the double checks. Google kept it.
			if f.e.refused != 0 {
				t.Errorf("the endpoint refused %d refresh tokens", f.e.refused)
			}
			f.noSecrets(t)
		})
	}
}

func TestConcurrentCallersShareOneRenewal(t *testing.T) {
	f := newFixture(t, "x")
	f.e.delay = 50 * time.Millisecond
	s := mustSource(t, f.config("x1", "x"))
	const n = 20
	toks := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { toks[i], errs[i] = s.Token(context.Background()) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || toks[i] != toks[0] || toks[i] == "" {
			t.Fatalf("caller %d: %q, %v (caller 0: %q)", i, toks[i], errs[i], toks[0])
		}
	}
	if got := f.e.refreshes(); got != 1 {
		t.Errorf("%d refreshes for %d callers, want 1", got, n)
	}
}

func TestWaitingCallerHonoursItsContext(t *testing.T) {
	f := newFixture(t, "google")
	f.e.delay = 300 * time.Millisecond
	s := mustSource(t, f.config("g1", "google"))
	go s.Token(context.Background())
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := s.Token(ctx); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 200*time.Millisecond {
		t.Errorf("waiting caller: %v after %v", err, time.Since(start))
	}
}

func TestClientAuthentication(t *testing.T) {
	ctx := context.Background()
	// The double checks the style: Basic only for X, the form for Google,
	// and either one when the config asks for it.
	cases := []struct {
		platform string
		auth     oauth.ClientAuth
		basic    bool
	}{
		{"x", oauth.PlatformAuth, true},
		{"google", oauth.PlatformAuth, false},
		{"x", oauth.ClientSecretPost, false},
		{"google", oauth.ClientSecretBasic, true},
	}
	for _, c := range cases {
		f := newFixture(t, c.platform)
		f.e.basic = c.basic
		cfg := f.config("ch", c.platform)
		cfg.ClientAuth = c.auth
		if _, err := mustSource(t, cfg).Token(ctx); err != nil {
			t.Errorf("%s with auth %d: %v", c.platform, c.auth, err)
		}
	}
}

func TestPublicClientSendsItsIDInTheForm(t *testing.T) {
	f := newFixture(t, "x")
	f.e.basic, f.e.clientSecret = false, ""
	cfg := f.config("x1", "x")
	cfg.ClientSecret = ""
	if _, err := mustSource(t, cfg).Token(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestRefusedRefreshTokenIsPermanentInPlainWords(t *testing.T) {
	for _, platform := range []string{"x", "google"} {
		f := newFixture(t, platform)
		cfg := f.config("ch", platform)
		cfg.RefreshToken = "refresh-revoked-long-ago"
		_, err := mustSource(t, cfg).Token(context.Background())
		var p *connector.Permanent
		if !errors.As(err, &p) || p.Reason != "the refresh token was refused: connect the channel again" {
			t.Errorf("%s: %v, want the plain permanent refusal", platform, err)
		}
		if err != nil && strings.Contains(err.Error(), cfg.RefreshToken) {
			t.Errorf("%s: error shows the token: %v", platform, err)
		}
		f.noSecrets(t, err.Error())
	}
}

func TestEndpointFailuresAreTyped(t *testing.T) {
	cases := []struct {
		name   string
		answer func(w http.ResponseWriter)
		check  func(err error) bool
	}{
		{"503", func(w http.ResponseWriter) { w.WriteHeader(503) }, func(err error) bool { var e *connector.Temporary; return errors.As(err, &e) }},
		{"429", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(429)
		}, func(err error) bool {
			var e *connector.RateLimited
			return errors.As(err, &e) && e.RetryAfter == 30*time.Second
		}},
		{"not JSON", func(w http.ResponseWriter) { w.Write([]byte("<html>ok</html>")) }, func(err error) bool {
			var e *connector.Temporary
			return errors.As(err, &e) && strings.Contains(e.Reason, "RFC 6749")
		}},
		{"no access_token", func(w http.ResponseWriter) { w.Write([]byte(`{"token_type":"bearer","expires_in":7200}`)) }, func(err error) bool {
			return strings.Contains(err.Error(), "no access_token")
		}},
		{"other token type", func(w http.ResponseWriter) { w.Write([]byte(`{"access_token":"abcdefgh","token_type":"mac"}`)) }, func(err error) bool {
			return strings.Contains(err.Error(), "not bearer")
		}},
		{"invalid_client", func(w http.ResponseWriter) {
			w.WriteHeader(401)
			w.Write([]byte(`{"error":"invalid_client"}`))
		}, func(err error) bool {
			var e *connector.Permanent
			return errors.As(err, &e) && strings.Contains(e.Reason, "client id and secret")
		}},
		{"other refusal echoing a secret", func(w http.ResponseWriter) {
			w.WriteHeader(403)
			w.Write([]byte(`{"error":"access_denied","error_description":"refresh-0-x-first is not for client-secret-xyz"}`))
		}, func(err error) bool {
			var e *connector.Permanent
			return errors.As(err, &e) && strings.Contains(e.Reason, "HTTP 403: access_denied") && strings.Contains(e.Reason, "[hidden]")
		}},
	}
	for _, c := range cases {
		f := newFixture(t, "x")
		f.e.fail = func(w http.ResponseWriter) bool { c.answer(w); return true }
		_, err := mustSource(t, f.config("x1", "x")).Token(context.Background())
		if err == nil || !c.check(err) {
			t.Errorf("%s: %v (%T)", c.name, err, err)
			continue
		}
		f.noSecrets(t, err.Error())
	}
}

func TestUnreachableEndpointIsTemporary(t *testing.T) {
	f := newFixture(t, "google")
	cfg := f.config("g1", "google")
	f.e.srv.Close()
	_, err := mustSource(t, cfg).Token(context.Background())
	var e *connector.Temporary
	if !errors.As(err, &e) || !strings.Contains(e.Reason, "could not be reached") {
		t.Fatalf("%v (%T)", err, err)
	}
	f.noSecrets(t, err.Error())
}

func TestExpireRenewsAtTheNextToken(t *testing.T) {
	f := newFixture(t, "google")
	s := mustSource(t, f.config("g1", "google"))
	a, _ := s.Token(context.Background())
	s.Expire()
	b, err := s.Token(context.Background())
	if err != nil || a == b || f.e.refreshes() != 2 {
		t.Fatalf("after Expire: %q then %q, %v, %d refreshes", a, b, err, f.e.refreshes())
	}
}

func TestRotationWithoutAKeyWorksInMemoryAndWarns(t *testing.T) {
	f := newFixture(t, "x")
	s := mustSource(t, f.config("x1", "x"))
	if w := s.Warning(); !strings.Contains(w, oauth.KeyEnv+" is not set") || !strings.Contains(w, "after a restart") {
		t.Errorf("warning %q", w)
	}
	for range 3 {
		if _, err := s.Token(context.Background()); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(3 * time.Hour)
	}
	if f.e.refreshes() != 3 || f.e.refused != 0 {
		t.Errorf("%d refreshes, %d refused", f.e.refreshes(), f.e.refused)
	}
	if !strings.Contains(f.logs.String(), "memory only") {
		t.Errorf("no warning logged: %s", f.logs.String())
	}
	f.noSecrets(t)
	// Google does not rotate: nothing to warn of.
	g := newFixture(t, "google")
	if w := mustSource(t, g.config("g1", "google")).Warning(); w != "" {
		t.Errorf("google warning %q", w)
	}
}

func TestNewSourceChecksItsConfig(t *testing.T) {
	f := newFixture(t, "x")
	for name, mod := range map[string]func(*oauth.Config){
		"no channel":    func(c *oauth.Config) { c.Channel = "" },
		"no client id":  func(c *oauth.Config) { c.ClientID = "" },
		"no client":     func(c *oauth.Config) { c.Client = nil },
		"unknown":       func(c *oauth.Config) { c.Platform = "yelp" },
		"relative URL":  func(c *oauth.Config) { c.TokenURL = "/token" },
		"ftp token URL": func(c *oauth.Config) { c.TokenURL = "ftp://example.org/token" },
	} {
		cfg := f.config("x1", "x")
		mod(&cfg)
		if _, err := oauth.NewSource(cfg); err == nil {
			t.Errorf("%s: no error", name)
		} else if strings.Contains(err.Error(), f.e.clientSecret) || strings.Contains(err.Error(), f.first) {
			t.Errorf("%s: error shows a secret: %v", name, err)
		}
	}
}

func TestDefaultTokenURLs(t *testing.T) {
	for _, c := range []struct{ platform, base, want string }{
		{"x", "", "https://api.x.com/2/oauth2/token"},
		{"x", "http://127.0.0.1:9/", "http://127.0.0.1:9/2/oauth2/token"},
		{"google", "", "https://oauth2.googleapis.com/token"},
		{"google", "http://127.0.0.1:9", "http://127.0.0.1:9/token"},
	} {
		if got, err := oauth.DefaultTokenURL(c.platform, c.base); err != nil || got != c.want {
			t.Errorf("DefaultTokenURL(%q, %q) = %q, %v; want %q", c.platform, c.base, got, err, c.want)
		}
	}
}
