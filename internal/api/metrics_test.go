package api

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

const testMetricsToken = "metrics-token-0123456789_abc"

// TestMetricsToken holds /metrics, when given a token, to answer 401
// without exactly that bearer token, and the metrics with it.
func TestMetricsToken(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MetricsToken = testMetricsToken })
	for _, tc := range []struct {
		auth string
		want int
	}{
		{"", http.StatusUnauthorized},
		{"Bearer", http.StatusUnauthorized},
		{"Bearer ", http.StatusUnauthorized},
		{"Bearer wrong", http.StatusUnauthorized},
		{"Bearer " + testMetricsToken[:len(testMetricsToken)-1], http.StatusUnauthorized},
		{"Bearer " + testMetricsToken + "x", http.StatusUnauthorized},
		{"Basic " + testMetricsToken, http.StatusUnauthorized},
		{"Bearer " + h.tokens["admin"], http.StatusUnauthorized}, // an API token is not the metrics token
		{"Bearer " + testMetricsToken, http.StatusOK},
		{"bearer  " + testMetricsToken + " ", http.StatusOK},
	} {
		code, hdr, body := h.send("", "GET", "/metrics", nil, map[string]string{"Authorization": tc.auth})
		if code != tc.want {
			t.Errorf("Authorization %q: %d, want %d", tc.auth, code, tc.want)
			continue
		}
		if code == http.StatusOK && !strings.Contains(string(body), "earshot_http_request_seconds") {
			t.Errorf("Authorization %q: no metrics in %.200q", tc.auth, body)
		}
		if code == http.StatusUnauthorized && (!strings.Contains(string(body), `"code":"unauthorized"`) || hdr.Get("WWW-Authenticate") == "") ||
			strings.Contains(string(body), testMetricsToken) {
			t.Errorf("Authorization %q: 401 with %q and WWW-Authenticate %q", tc.auth, body, hdr.Get("WWW-Authenticate"))
		}
	}
}

// TestMetricsOpenWithoutToken keeps /metrics as it was when no token is
// set: open to any request.
func TestMetricsOpenWithoutToken(t *testing.T) {
	h := newHarness(t)
	res, err := http.Get(h.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "# HELP earshot_") {
		t.Fatalf("/metrics without a token set: %d %.200q", res.StatusCode, body)
	}
}

func TestCheckMetricsToken(t *testing.T) {
	for _, tc := range []struct {
		tok string
		ok  bool
	}{
		{testMetricsToken, true},
		{"AbCdEfGh12345678", true},
		{"abc.def~ghi+jkl/mno==", true},
		{"short", false},
		{"", false},
		{"has a space in the middle", false},
		{"0123456789abcdef\n", false},
		{"0123456789abcdef\x00", false},
		{"0123456789abcdé-f", false},
		{"0123456789=abcdef", false},
	} {
		if err := CheckMetricsToken(tc.tok); (err == nil) != tc.ok {
			t.Errorf("CheckMetricsToken(%q) = %v, want ok %v", tc.tok, err, tc.ok)
		}
	}
}
