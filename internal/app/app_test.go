package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store/storetest"
)

// build makes a Server on a free port over a fresh test store, closed
// when the test ends.
func build(t testing.TB, cfg Config) *Server {
	t.Helper()
	sc := storetest.Config(t)
	cfg.Addr, cfg.DataDir, cfg.DatabaseURL = "127.0.0.1:0", sc.DataDir, sc.DatabaseURL
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// run runs s until the returned stop, which returns Run's error; the
// test's end stops it too.
func run(t testing.TB, s *Server) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() { cancel(); err = <-done })
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

// TestServerMountsTheAPIBesideTheWebApp: the API answers its own paths
// (JSON errors, health, metrics) and the web app everything else.
func TestServerMountsTheAPIBesideTheWebApp(t *testing.T) {
	s := build(t, Config{})
	run(t, s)
	for _, tc := range []struct {
		path     string
		status   int
		ctype    string
		contains string
	}{
		{"/healthz", http.StatusOK, "application/json", `"ok"`},
		{"/readyz", http.StatusOK, "application/json", `"ready"`},
		{"/metrics", http.StatusOK, "text/plain", "go_goroutines"},
		{"/api/v1/cases", http.StatusUnauthorized, "application/json", `"unauthorized"`},
		{"/api/v1/no-such-thing", http.StatusNotFound, "application/json", `"not_found"`},
		{"/login", http.StatusOK, "text/html", "<form"},
		{"/no-such-page", http.StatusNotFound, "text/html", "There is no page at this address."},
	} {
		res, err := http.Get(s.URL() + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status || !strings.HasPrefix(res.Header.Get("Content-Type"), tc.ctype) || !strings.Contains(string(body), tc.contains) {
			t.Errorf("GET %s: %d %s %.200q; want %d %s containing %q", tc.path, res.StatusCode, res.Header.Get("Content-Type"), body, tc.status, tc.ctype, tc.contains)
		}
	}
}

// TestServerMetricsToken: with a metrics token set, /metrics needs it.
func TestServerMetricsToken(t *testing.T) {
	const tok = "a-metrics-token-long-enough"
	s := build(t, Config{MetricsToken: tok})
	run(t, s)
	for _, tc := range []struct {
		auth   string
		status int
	}{{"", http.StatusUnauthorized}, {"Bearer wrong-token-of-some-length", http.StatusUnauthorized}, {"Bearer " + tok, http.StatusOK}} {
		req, _ := http.NewRequest(http.MethodGet, s.URL()+"/metrics", nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("/metrics with %q: %d, want %d", tc.auth, res.StatusCode, tc.status)
		}
	}
}

// TestRunWaitsForItsWork: Run returns only after the work added with Go
// has seen the end of its context and returned; an error that work
// returns is logged under its name and does not fail Run.
func TestRunWaitsForItsWork(t *testing.T) {
	var log syncBuffer
	s := build(t, Config{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	started, finished := make(chan struct{}), make(chan struct{})
	s.Go("probe", func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		close(finished)
		return errors.New("probe gave up")
	})
	stop := run(t, s)
	<-started
	if err := stop(); err != nil {
		t.Fatalf("Run after cancel: %v", err)
	}
	select {
	case <-finished:
	default:
		t.Fatal("Run returned before the work added with Go finished")
	}
	if got := log.String(); !strings.Contains(got, "probe stopped") || !strings.Contains(got, "probe gave up") {
		t.Errorf("log %q does not say the probe stopped, and why", got)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestNewListensBeforeItOpensTheStore: an address in use fails New with
// the address named, before the store is created.
func TestNewListensBeforeItOpensTheStore(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := t.TempDir()
	_, err = New(context.Background(), Config{Addr: busy.Addr().String(), DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "listen on "+busy.Addr().String()) {
		t.Fatalf("New on a busy address: %v; want a listen error", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the data directory holds %d entries after a start that could not listen, want none", len(entries))
	}
}

// TestOrgReloadPutsAnAppliedFileInForce: a file applied by another
// process is put in force by the next sweep, once.
func TestOrgReloadPutsAnAppliedFileInForce(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	live := route.NewLive(nil)
	sweep := orgReload(st, live, slog.New(slog.DiscardHandler))
	if err := sweep(ctx, time.Now()); err != nil || !live.Version().IsZero() {
		t.Fatalf("no file applied: version %v, err %v", live.Version(), err)
	}
	src := []byte("organization: Reload Test\ntimezone: UTC\nteams:\n  - {id: claims, name: Claims}\nrules:\n  - {name: all, then: {team: claims}}\n")
	o, err := org.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplyOrg(ctx, src, o, "test", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := sweep(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := live.Router().Org().Organization; got != "Reload Test" {
		t.Fatalf("after the sweep the file in force is %q, want Reload Test", got)
	}
	if changed, err := LoadOrg(ctx, st, live); err != nil || changed {
		t.Fatalf("loading the same file again: changed %v, err %v; want no change", changed, err)
	}
}

// TestServerRoutesByTheStoredOrg: ReloadOrg puts the file applied last in
// force at once, and the Server's pipeline routes by it.
func TestServerRoutesByTheStoredOrg(t *testing.T) {
	ctx := context.Background()
	s := build(t, Config{})
	apply := func(team string) {
		src := []byte("organization: T\ntimezone: UTC\nteams:\n  - {id: " + team + ", name: X}\nrules:\n  - {name: all, then: {team: " + team + "}}\n")
		o, err := org.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Store().ApplyOrg(ctx, src, o, "test", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	ingest := func(id string) string {
		m := model.Mention{Platform: "x", ExternalID: id, Kind: "post", Direction: "inbound", Text: "where is my card",
			CreatedAt: time.Now().UTC(), Author: model.Author{ID: id, Handle: "h" + id}}
		rs, err := s.Pipeline().Ingest(ctx, []model.Mention{m})
		if err != nil || rs[0].Err != nil {
			t.Fatalf("ingest: %v %v", err, rs[0].Err)
		}
		c, err := s.Store().GetCase(ctx, rs[0].CaseID)
		if err != nil {
			t.Fatal(err)
		}
		return c.Team
	}
	apply("claims")
	if err := s.ReloadOrg(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ingest("1"); got != "claims" {
		t.Fatalf("routed to %q, want claims", got)
	}
	apply("billing")
	if err := s.ReloadOrg(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ingest("2"); got != "billing" {
		t.Fatalf("after the second file, routed to %q, want billing", got)
	}
}
