package api

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestPutOrgWeeklyReport applies a file with a weekly report block
// through PUT /api/v1/org, reads it back in the canonical form, applies
// that again (nothing changes) and names a bad day's line and field.
func TestPutOrgWeeklyReport(t *testing.T) {
	h := newHarness(t)
	src, _ := os.ReadFile("../org/testdata/org.yaml")
	withWeekly := string(src) + "reports:\n  weekly: {to: [comms@example.org, cmo@example.org], day: monday, at: \"08:00\"}\n"
	var out struct {
		Changed bool     `json:"changed"`
		Removed []string `json:"removed"`
	}
	if code := h.do("admin", "PUT", "/api/v1/org", withWeekly, &out); code != 200 || !out.Changed {
		t.Fatalf("PUT: %d %+v", code, out)
	}
	var canon map[string]json.RawMessage
	if code := h.do("admin", "GET", "/api/v1/org?format=json", "", &canon); code != 200 {
		t.Fatalf("GET format=json: %d", code)
	}
	if got, want := string(canon["reports"]), `{"weekly":{"to":["comms@example.org","cmo@example.org"],"day":"monday","at":"08:00"}}`; got != want {
		t.Errorf("reports in the canonical form: %s, want %s", got, want)
	}
	whole, _ := json.Marshal(canon)
	if code := h.do("admin", "PUT", "/api/v1/org", string(whole), &out); code != 200 || out.Changed || len(out.Removed) != 0 {
		t.Errorf("PUT of the canonical form: %d %+v", code, out)
	}
	var bad struct {
		Error struct {
			Items []map[string]any `json:"items"`
		} `json:"error"`
	}
	lines := strings.Count(string(src), "\n")
	if code := h.do("admin", "PUT", "/api/v1/org", strings.Replace(withWeekly, "day: monday", "day: someday", 1), &bad); code != 422 ||
		len(bad.Error.Items) != 1 || bad.Error.Items[0]["field"] != "reports.weekly.day" || bad.Error.Items[0]["line"] != float64(lines+2) {
		t.Errorf("PUT with a bad day: %d %+v (want line %d)", code, bad, lines+2)
	}
	if code := h.do("admin", "PUT", "/api/v1/org", string(src), &out); code != 200 || len(out.Removed) != 1 || out.Removed[0] != "weekly report email (no longer sent)" {
		t.Errorf("PUT without the block: %d %+v", code, out)
	}
}
