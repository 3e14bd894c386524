package web

import (
	"context"
	"errors"
	"testing"
	"time"

	"earshot/internal/auth"
	"earshot/internal/store"
)

// TestRunSweepsExpiredSessions checks that Run deletes sessions once the
// injected clock passes their expiry, and keeps live ones.
func TestRunSweepsExpiredSessions(t *testing.T) {
	h := newHarness(t)
	h.app.cfg.SweepInterval = 5 * time.Millisecond
	start := h.clock.Now()
	short := newSessions(t, h.st, "agent@example.org", 1, start)[0] // expires in an hour
	long := newSessions(t, h.st, "supervisor@example.org", 1, start.Add(3*time.Hour))[0]
	exists := func(secret string) bool {
		t.Helper()
		// Asked as of start, when both were valid: only deletion hides one.
		_, _, err := h.st.SessionUser(context.Background(), auth.HashToken(secret), start)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); h.app.Run(ctx) }()
	defer func() { cancel(); <-done }()

	time.Sleep(30 * time.Millisecond) // several sweeps before expiry
	if !exists(short) || !exists(long) {
		t.Fatal("a session was deleted before it expired")
	}
	h.clock.Add(2 * time.Hour)
	deadline := time.Now().Add(5 * time.Second)
	for exists(short) {
		if time.Now().After(deadline) {
			t.Fatal("the expired session was not deleted")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !exists(long) {
		t.Fatal("the sweep deleted a live session")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return when its context ended")
	}
}
