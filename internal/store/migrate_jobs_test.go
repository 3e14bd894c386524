package store_test

import (
	"context"
	"testing"

	"earshot/internal/store"
)

// Migration 00016 drops what failing alert targets answered from the
// errors kept with jobs, keeping our words and the HTTP status.
func TestJobErrorBodiesMigrationKeepsTheStatusOnly(t *testing.T) {
	ctx := context.Background()
	row := func(key, kind, lastError string) string {
		return `INSERT INTO jobs (kind, payload, dedupe_key, state, run_at, attempts, max_attempts, last_error, created_at, updated_at)
			VALUES ('` + kind + `', '{}', '` + key + `', 'dead', 0, 1, 8, '` + lastError + `', '` + testAt + `', '` + testAt + `')`
	}
	st := openAtVersion(t, 15, nil,
		row("refused", "alert", `alert target hook refused: HTTP 403: {"AccessKeyId":"ASIA-SECRET"}`),
		row("retried", "alert", "alert target hook: HTTP 503: <html>internal admin page</html>"),
		row("sms", "alert", "alert target on-call refused: HTTP 400: first body\nHTTP 400: second body"),
		row("network", "alert", "alert target hook: POST https://hooks.example.org/x: dial tcp: i/o timeout"),
		row("other", "digest", "HTTP 500: kept, not an alert"),
	)
	if err := store.Migrate(ctx, st); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	dead, err := st.DeadJobs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"refused": "alert target hook refused: HTTP 403 (the answer is not kept)",
		"retried": "alert target hook: HTTP 503 (the answer is not kept)",
		"sms":     "alert target on-call refused: HTTP 400 (the answer is not kept)",
		"network": "alert target hook: POST https://hooks.example.org/x: dial tcp: i/o timeout",
		"other":   "HTTP 500: kept, not an alert",
	}
	if len(dead) != len(want) {
		t.Fatalf("%d dead jobs, want %d", len(dead), len(want))
	}
	for _, j := range dead {
		if j.LastError != want[j.DedupeKey] {
			t.Errorf("%s: last error %q, want %q", j.DedupeKey, j.LastError, want[j.DedupeKey])
		}
	}
}
