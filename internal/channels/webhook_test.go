package channels_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"earshot/internal/store/storetest"
)

// deliver POSTs body to /webhooks/{endpoint}, signed with secret unless
// it is "".
func deliver(t *testing.T, h http.Handler, endpoint, body, secret string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", "/webhooks/"+endpoint, strings.NewReader(body))
	if secret != "" {
		req.Header.Set("X-Fake-Signature", sign(secret, []byte(body)))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// TestWebhookVerifiesStoresAndAcknowledgesShapelessJSON: a delivery with
// a missing or wrong signature is 401 and stores nothing; a signed one
// is stored through the pipeline and counted on its channel; signed JSON
// that is not the platform's shape is 200, stored nowhere and counted;
// an endpoint with no channel is 404.
func TestWebhookVerifiesStoresAndAcknowledgesShapelessJSON(t *testing.T) {
	r := newRig(t, storetest.Open(t), newFakePlatform(), "r1")
	h := r.h.Webhooks()
	good := `{"account":"42","posts":[{"id":"p1","text":"@acme my claim was denied again, please call me","author":"u1"}]}`

	if w := deliver(t, h, "x", good, ""); w.Code != http.StatusUnauthorized {
		t.Errorf("unsigned: %d", w.Code)
	}
	if w := deliver(t, h, "x", good, "wrong-secret"); w.Code != http.StatusUnauthorized {
		t.Errorf("wrong signature: %d", w.Code)
	}
	if n := r.mentions(); n != 0 {
		t.Fatalf("refused deliveries stored %d mentions", n)
	}
	if w := deliver(t, h, "x", good, "x-secret"); w.Code != http.StatusOK {
		t.Fatalf("signed: %d %s", w.Code, w.Body)
	}
	if n := r.mentions(); n != 1 {
		t.Fatalf("signed delivery stored %d mentions, want 1", n)
	}
	// The platform delivers again: stored once.
	if w := deliver(t, h, "x", good, "x-secret"); w.Code != http.StatusOK || r.mentions() != 1 {
		t.Errorf("redelivery: %d, %d mentions", w.Code, r.mentions())
	}
	if s := r.state("acme-x"); s.HeardToday != 1 || s.LastHeardAt == nil {
		t.Errorf("state after the delivery: %+v", s)
	}
	// An event for an account of no channel here is dropped.
	other := `{"account":"999","posts":[{"id":"p2","text":"hello","author":"u2"}]}`
	if w := deliver(t, h, "x", other, "x-secret"); w.Code != http.StatusOK || r.mentions() != 1 {
		t.Errorf("other account: %d, %d mentions", w.Code, r.mentions())
	}

	shapeless := `{"something":"else","text":"Jane Doe DOB 01/02/1960"}`
	if w := deliver(t, h, "x", shapeless, "x-secret"); w.Code != http.StatusOK {
		t.Errorf("shapeless JSON: %d", w.Code)
	}
	if strings.Contains(r.logs.String(), "Jane Doe") || !strings.Contains(r.logs.String(), "not in the platform's shape") {
		t.Errorf("the shapeless delivery was not logged, or logged with its text:\n%s", r.logs)
	}
	if got := counter(t, r, "earshot_webhook_unparsed_total"); got != 1 {
		t.Errorf("unparsed counter = %v, want 1", got)
	}
	if w := deliver(t, h, "x", "not json", "x-secret"); w.Code != http.StatusBadRequest {
		t.Errorf("signed non-JSON: %d", w.Code)
	}
	if w := deliver(t, h, "meta", good, "x-secret"); w.Code != http.StatusNotFound {
		t.Errorf("endpoint with no channel: %d", w.Code)
	}
	if w := deliver(t, h, "x", strings.Repeat(" ", 2<<20)+"{}", "x-secret"); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized: %d", w.Code)
	}
	if n := r.mentions(); n != 1 {
		t.Errorf("%d mentions in the end, want 1", n)
	}
}

func TestWebhookChallenge(t *testing.T) {
	r := newRig(t, storetest.Open(t), newFakePlatform(), "r1")
	h := r.h.Webhooks()
	get := func(target string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		return w
	}
	if w := get("/webhooks/x?token=abc"); w.Code != http.StatusOK || w.Body.String() != sign("x-secret", []byte("abc")) {
		t.Errorf("challenge: %d %q", w.Code, w.Body)
	}
	if w := get("/webhooks/x"); w.Code != http.StatusUnauthorized {
		t.Errorf("challenge without a token: %d", w.Code)
	}
	if w := get("/webhooks/meta?token=abc"); w.Code != http.StatusNotFound {
		t.Errorf("challenge of an endpoint with no channel: %d", w.Code)
	}
}

// counter sums the metric name over its labels.
func counter(t *testing.T, r *rig, name string) float64 {
	t.Helper()
	mfs, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() == name {
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

// FuzzWebhookDelivery sends signed bodies of any shape through the
// webhook handler: it answers 200 (stored, or acknowledged as not the
// platform's shape), 400 (not JSON) or 503, never panics, and stores
// only what the platform's parser made of it.
func FuzzWebhookDelivery(f *testing.F) {
	f.Add(`{"account":"42","posts":[{"id":"p1","text":"hello","author":"u1"}]}`)
	f.Add(`{"account":"42","posts":[{"id":"","text":"","author":""}]}`)
	f.Add(`{"account":"42","posts":[{"id":"p\u0000","text":"\ud800","author":"u"}]}`)
	f.Add(`[]`)
	f.Add(`not json`)
	r := newRig(f, storetest.Open(f), newFakePlatform(), "r1")
	h := r.h.Webhooks()
	f.Fuzz(func(t *testing.T, body string) {
		w := deliver(t, h, "x", body, "x-secret")
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusServiceUnavailable, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d for %q", w.Code, body)
		}
	})
}
