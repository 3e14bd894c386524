package httpmetrics

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestWrap(t *testing.T) {
	reg := prometheus.NewRegistry()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("POST /items", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) })
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := w.(http.Flusher); !ok {
			t.Error("the stream's writer cannot flush")
		}
	})
	guarded := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Refuse") != "" {
			http.Error(w, "no", http.StatusForbidden)
			return
		}
		mux.ServeHTTP(w, r)
	})
	h := New("test_request_seconds", "test", reg, "/stream").Wrap(guarded)
	// Mounted under an outer mux, as the web app and API are.
	outer := http.NewServeMux()
	outer.Handle("/", h)

	for _, tc := range []struct {
		method, path string
		refuse       bool
		want         int
	}{
		{"GET", "/items/7", false, 200},
		{"GET", "/items/8", false, 200},
		{"POST", "/items", false, 201},
		{"GET", "/nothing", false, 404},
		{"POST", "/items", true, 403},
		{"GET", "/stream", false, 200},
	} {
		req := httptest.NewRequest(tc.method, tc.path, nil)
		if tc.refuse {
			req.Header.Set("X-Refuse", "1")
		}
		rec := httptest.NewRecorder()
		outer.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Fatalf("%s %s: %d, want %d", tc.method, tc.path, rec.Code, tc.want)
		}
	}
	got, err := Counts(reg, "test_request_seconds")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]uint64{"GET /items/{id} 200": 2, "POST /items 201": 1, "unmatched 404": 1, "unmatched 403": 1}
	if len(got) != len(want) {
		t.Errorf("series %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%q: %d samples, want %d (all: %v)", k, got[k], n, got)
		}
	}
}

// TestNoRegisterer: without a registerer requests are still served.
func TestNoRegisterer(t *testing.T) {
	h := New("x_seconds", "x", nil).Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusTeapot {
		t.Fatalf("status %d", rec.Code)
	}
}
