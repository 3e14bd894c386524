package cli

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"earshot/internal/store"
)

// TestFirstStartTwoReplicasAtOnce: two replicas starting at the same
// moment on one empty database both see no users; one creates the admin
// and prints its password, the other carries on without an error.
func TestFirstStartTwoReplicasAtOnce(t *testing.T) {
	ctx := context.Background()
	for round := range 3 {
		_, cfg := storeEnv(t) // an empty database each round
		stores := make([]*store.Store, 2)
		for i := range stores {
			st, err := store.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			stores[i] = st
		}
		var (
			wg      sync.WaitGroup
			outs    [2]bytes.Buffer
			logs    [2]bytes.Buffer
			created [2]bool
			errs    [2]error
		)
		for i := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				env := &Env{Stdout: &outs[i], Logger: slog.New(slog.NewTextHandler(&logs[i], nil))}
				created[i], errs[i] = firstStart(ctx, env, stores[i], "admin@earshot.local")
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: replica %d: %v", round, i, err)
			}
		}
		if created[0] == created[1] {
			t.Fatalf("round %d: created = %v, want exactly one replica to create the admin", round, created)
		}
		if n := strings.Count(outs[0].String()+outs[1].String(), "one-time password"); n != 1 {
			t.Fatalf("round %d: %d passwords printed: %q %q", round, n, outs[0].String(), outs[1].String())
		}
		if n, err := stores[1].CountUsers(ctx); err != nil || n != 1 {
			t.Fatalf("round %d: %d users (%v), want 1", round, n, err)
		}
		t.Logf("round %d: the other replica logged %q", round, logs[0].String()+logs[1].String())
	}
}
