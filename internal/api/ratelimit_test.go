package api

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestRateLimitPerToken holds each token to its own bucket: past the
// burst a request gets 429 with Retry-After and the error body, another
// token is not held up, and time refills the bucket.
func TestRateLimitPerToken(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	h := newHarness(t, func(c *Config) {
		c.RateLimit, c.RateBurst, c.Now = 0.5, 2, clock
	})
	for i := range 2 {
		if code, _, body := h.send("agent", "GET", "/api/v1/cases", nil, nil); code != http.StatusOK {
			t.Fatalf("request %d within the burst: %d %s", i+1, code, body)
		}
	}
	code, hdr, body := h.send("agent", "GET", "/api/v1/cases", nil, nil)
	if code != http.StatusTooManyRequests {
		t.Fatalf("third request: %d %s, want 429", code, body)
	}
	if got := hdr.Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After = %q, want 2 (one request at 0.5 a second)", got)
	}
	var e struct {
		Error apiError `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("429 body %q: %v", body, err)
	}
	if e.Error.Code != "rate_limited" || e.Error.Message == "" {
		t.Errorf("error body %s, want code rate_limited with a message", body)
	}
	// A refused request takes nothing from the bucket, and another
	// token has its own.
	if code, _, body := h.send("supervisor", "GET", "/api/v1/cases", nil, nil); code != http.StatusOK {
		t.Fatalf("another token: %d %s", code, body)
	}
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	if code, _, body := h.send("agent", "GET", "/api/v1/cases", nil, nil); code != http.StatusOK {
		t.Fatalf("after two seconds: %d %s", code, body)
	}
	if code, _, _ := h.send("agent", "GET", "/api/v1/cases", nil, nil); code != http.StatusTooManyRequests {
		t.Fatalf("the refill was one request, got %d for the second", code)
	}
	// Requests without a valid token are refused before any bucket.
	if code, _, _ := h.send("", "GET", "/api/v1/cases", nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("no token: %d, want 401", code)
	}
}

// TestNoRateLimitByDefault: a Config without RateLimit limits nothing.
func TestNoRateLimitByDefault(t *testing.T) {
	h := newHarness(t)
	for i := range 300 {
		if code, _, body := h.send("viewer", "GET", "/healthz", nil, nil); code != http.StatusOK {
			t.Fatalf("healthz %d: %d %s", i, code, body)
		}
		if code, _, body := h.send("viewer", "GET", "/api/v1/cases?limit=1", nil, nil); code != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, code, body)
		}
	}
}

func TestNewTokenLimits(t *testing.T) {
	for _, tc := range []struct {
		rate  float64
		burst int
		want  bool
	}{{0, 10, false}, {-1, 10, false}, {1, 0, true}, {50, 100, true}} {
		if got := newTokenLimits(tc.rate, tc.burst) != nil; got != tc.want {
			t.Errorf("newTokenLimits(%v, %d) limits = %v, want %v", tc.rate, tc.burst, got, tc.want)
		}
	}
	l := newTokenLimits(1, 0) // a burst below one is one
	if ok, _ := l.allow(1, time.Unix(0, 0)); !ok {
		t.Fatal("first request refused")
	}
	if ok, wait := l.allow(1, time.Unix(0, 0)); ok || wait != time.Second {
		t.Fatalf("second request: ok %v wait %v, want refused for 1s", ok, wait)
	}
}
