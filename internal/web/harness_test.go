package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"earshot/internal/analyze"
	"earshot/internal/api"
	"earshot/internal/auth"
	"earshot/internal/events"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// testPassword is every test user's password.
const testPassword = "correct horse battery"

// sharedHash is one argon2id hash of testPassword, made once: hashing is
// deliberately slow.
var sharedHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

type harness struct {
	t      testing.TB
	srv    *httptest.Server
	st     *store.Store
	app    *Server
	p      *ingest.Pipeline
	token  string
	clock  *fakeClock
	broker *events.Broker
	// orgApplied counts calls of Config.OnOrgApplied.
	orgApplied *atomic.Int32
	// reg holds the app's request metrics.
	reg *prometheus.Registry
	// raw reaches st's database directly, to write rows as an older
	// Earshot did.
	raw *sql.DB
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newHarness serves the web app and the API over one test server, with a
// user of each role (email ROLE@example.org) and an admin API token.
// opts may change the web app's Config; a case service they set serves
// the API too.
func newHarness(t testing.TB, opts ...func(*Config)) *harness {
	t.Helper()
	st, raw := storetest.OpenRaw(t)
	an := analyze.New()
	broker := events.NewBroker()
	p := ingest.New(st, an, ingest.Options{Broker: broker})
	clock := &fakeClock{now: time.Now().UTC()}
	orgApplied := new(atomic.Int32)
	reg := prometheus.NewRegistry()
	cfg := Config{Store: st, Analyzer: an, Broker: broker, Now: clock.Now, HeartbeatInterval: time.Second,
		OnOrgApplied: func(context.Context) { orgApplied.Add(1) }, Registerer: reg}
	for _, o := range opts {
		o(&cfg)
	}
	app, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	apiH := api.New(api.Config{Store: st, Pipeline: p, Analyzer: an, Cases: cfg.Cases})
	// Mounted as serve mounts them (app.Mount, which this package's tests
	// cannot import).
	mux := http.NewServeMux()
	for _, p := range api.Paths() {
		mux.Handle(p, apiH)
	}
	mux.Handle("/", app)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { app.Close(); srv.Close() })
	ctx := context.Background()
	for _, role := range []string{model.RoleAdmin, model.RoleSupervisor, model.RoleAgent, model.RoleViewer} {
		if err := st.CreateUser(ctx, &model.User{Email: role + "@example.org", Name: role, Role: role, PasswordHash: sharedHash(), CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	secret, hash := auth.NewToken()
	if err := st.CreateToken(ctx, &model.Token{Name: "test", Role: model.RoleAdmin, Hash: hash, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, srv: srv, st: st, app: app, p: p, token: secret, clock: clock, broker: broker, orgApplied: orgApplied, reg: reg, raw: raw}
}

// client returns an HTTP client that does not follow redirects and keeps
// cookies.
func (h *harness) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn returns a client signed in as role.
func (h *harness) signIn(role string) *http.Client {
	h.t.Helper()
	c := h.client()
	res, err := c.PostForm(h.srv.URL+"/login", url.Values{"email": {role + "@example.org"}, "password": {testPassword}})
	if err != nil {
		h.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		h.t.Fatalf("sign in as %s: status %d", role, res.StatusCode)
	}
	return c
}

// get fetches path and returns the status and body.
func (h *harness) get(c *http.Client, path string) (int, string) {
	h.t.Helper()
	res, err := c.Get(h.srv.URL + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// post submits a form and returns the status, Location and body.
func (h *harness) post(c *http.Client, path string, form url.Values) (int, string, string) {
	h.t.Helper()
	res, err := c.PostForm(h.srv.URL+path, form)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

// mention posts one mention through the API and returns its case id.
func (h *harness) mention(ext, handle, text string) int64 {
	h.t.Helper()
	return h.mentionWith(ext, handle, text, "Gil Ortega", "https://x.com/"+handle+"/status/"+ext)
}

// mentionWith posts a mention with the given author name and URL.
func (h *harness) mentionWith(ext, handle, text, name, link string) int64 {
	h.t.Helper()
	_, caseID := h.postMention(map[string]any{"platform": "x", "channel": "acme", "external_id": ext, "text": text, "url": link,
		"created_at": time.Now().UTC().Format(time.RFC3339), "author": map[string]any{"id": "id-" + handle, "handle": handle, "name": name, "followers": 12}})
	if caseID == 0 {
		h.t.Fatalf("post mention %s: no case", ext)
	}
	return caseID
}

// postMention posts one mention (fields as JSON) through the API and
// returns its id and case id.
func (h *harness) postMention(fields map[string]any) (id, caseID int64) {
	h.t.Helper()
	body, _ := json.Marshal(fields)
	req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/mentions", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+h.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Results []struct {
			ID     int64 `json:"id"`
			CaseID int64 `json:"case_id"`
		} `json:"results"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || len(out.Results) != 1 || out.Results[0].ID == 0 {
		h.t.Fatalf("post mention: status %d, %+v, %v", res.StatusCode, out, err)
	}
	return out.Results[0].ID, out.Results[0].CaseID
}
