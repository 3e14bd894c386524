package oauth_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// endpoint is a token endpoint double in the documented shapes: X's
// (https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code:
// Basic client authentication for confidential clients, a new refresh
// token on every refresh, the old one spent) and Google's
// (https://developers.google.com/identity/protocols/oauth2/web-server#offline:
// client_id and client_secret in the form, the refresh token kept).
type endpoint struct {
	t            *testing.T
	srv          *httptest.Server
	path         string
	clientID     string
	clientSecret string
	basic        bool // expect HTTP Basic client authentication
	rotate       bool
	expiresIn    int
	delay        time.Duration

	mu      sync.Mutex
	valid   map[string]bool // refresh tokens it takes
	n       int             // refreshes answered
	issued  []string        // every token it gave out
	fail    func(w http.ResponseWriter) bool
	refused int
}

func newEndpoint(t *testing.T, platform, first string) *endpoint {
	e := &endpoint{t: t, clientID: "client-id-1", clientSecret: "client-secret-xyz", expiresIn: 7200, valid: map[string]bool{first: true}}
	switch platform {
	case "x":
		e.path, e.basic, e.rotate = "/2/oauth2/token", true, true
	case "google":
		e.path, e.expiresIn = "/token", 3599
	}
	e.srv = httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *endpoint) serve(w http.ResponseWriter, r *http.Request) {
	if e.delay > 0 {
		time.Sleep(e.delay)
	}
	if r.Method != http.MethodPost || r.URL.Path != e.path {
		e.t.Errorf("token request %s %s, want POST %s", r.Method, r.URL.Path, e.path)
		http.NotFound(w, r)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		e.t.Errorf("Content-Type %q", ct)
	}
	if ua := r.Header.Get("User-Agent"); ua != "Earshot-test" {
		e.t.Errorf("User-Agent %q", ua)
	}
	if err := r.ParseForm(); err != nil {
		e.t.Errorf("form: %v", err)
	}
	if g := r.PostForm.Get("grant_type"); g != "refresh_token" {
		e.t.Errorf("grant_type %q", g)
	}
	id, secret, hasBasic := r.BasicAuth()
	if e.basic {
		if !hasBasic || id != e.clientID || secret != e.clientSecret || r.PostForm.Has("client_secret") {
			e.t.Errorf("want Basic client authentication only: basic %v %q, form %v", hasBasic, id, r.PostForm.Has("client_secret"))
			e.answer(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client"})
			return
		}
	} else if hasBasic || r.PostForm.Get("client_id") != e.clientID || r.PostForm.Get("client_secret") != e.clientSecret {
		e.t.Errorf("want client_id and client_secret in the form: basic %v, id %q", hasBasic, r.PostForm.Get("client_id"))
		e.answer(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client"})
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.fail != nil && e.fail(w) {
		return
	}
	rt := r.PostForm.Get("refresh_token")
	if !e.valid[rt] {
		e.refused++
		if e.rotate { // X's words for a spent token
			e.answer(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "Value passed for the token was invalid."})
		} else {
			e.answer(w, http.StatusBadRequest, map[string]any{"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
		}
		return
	}
	e.n++
	body := map[string]any{"access_token": fmt.Sprintf("access-%d-%s", e.n, strings.Repeat("a", 8)), "expires_in": e.expiresIn, "scope": "tweet.read offline.access"}
	body["token_type"] = "Bearer"
	if e.rotate {
		body["token_type"] = "bearer"
		next := fmt.Sprintf("refresh-%d-%s", e.n, strings.Repeat("r", 8))
		delete(e.valid, rt)
		e.valid[next] = true
		body["refresh_token"] = next
		e.issued = append(e.issued, next)
	}
	e.issued = append(e.issued, body["access_token"].(string))
	e.answer(w, http.StatusOK, body)
}

func (e *endpoint) answer(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func (e *endpoint) refreshes() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.n
}

// secrets are every value that must never show in an error or a log.
func (e *endpoint) secrets(first string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string{first, e.clientSecret, base64.StdEncoding.EncodeToString([]byte(e.clientID + ":" + e.clientSecret))}, e.issued...)
}

// clock is a test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
