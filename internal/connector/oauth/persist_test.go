package oauth_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"earshot/internal/connector/oauth"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// storedPlain fails t when the channel's stored token is missing or
// shows the token in the clear, and returns the sealed bytes.
func storedSealed(t *testing.T, st *store.Store, channel string, plain []string) []byte {
	t.Helper()
	sealed, err := st.ChannelRefreshToken(context.Background(), channel)
	if err != nil || len(sealed) == 0 {
		t.Fatalf("stored token of %s: %x, %v", channel, sealed, err)
	}
	for _, p := range plain {
		if bytes.Contains(sealed, []byte(p)) {
			t.Fatalf("the store holds a token in the clear")
		}
	}
	return sealed
}

func TestRotatedTokenOutlivesARestart(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "x")
	st := storetest.Open(t)
	key := testKey(t)
	cfg := f.config("x1", "x")
	cfg.Store, cfg.Key = st, key
	first := mustSource(t, cfg)
	if w := first.Warning(); w != "" {
		t.Errorf("warning with a key and a store: %q", w)
	}
	if _, err := first.Token(ctx); err != nil {
		t.Fatal(err)
	}
	// The environment's token is spent now; a new process starts with it.
	sealed := storedSealed(t, st, "x1", f.e.secrets(f.first))
	restarted := mustSource(t, cfg)
	if _, err := restarted.Token(ctx); err != nil {
		t.Fatalf("after a restart: %v", err)
	}
	if f.e.refused != 0 || f.e.refreshes() != 2 {
		t.Errorf("%d refused, %d refreshes", f.e.refused, f.e.refreshes())
	}
	if again := storedSealed(t, st, "x1", f.e.secrets(f.first)); bytes.Equal(again, sealed) {
		t.Error("the second rotation was not stored")
	}
	f.noSecrets(t)
}

func TestReplicasShareTheRotatedToken(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "x")
	replicas := storetest.Replicas(t, 2)
	key := testKey(t)
	sources := make([]*oauth.Source, 2)
	for i, st := range replicas {
		cfg := f.config("x1", "x")
		cfg.Store, cfg.Key = st, key
		sources[i] = mustSource(t, cfg)
	}
	// Each renews in turn, every two hours; each finds the other's token.
	for round := range 4 {
		if _, err := sources[round%2].Token(ctx); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		f.clock.Add(2 * time.Hour)
	}
	if f.e.refused != 0 || f.e.refreshes() != 4 {
		t.Errorf("%d refused, %d refreshes", f.e.refused, f.e.refreshes())
	}
}

// racingStore lets another replica rotate the token between this
// replica's read of the store and its refresh.
type racingStore struct {
	*store.Store
	race func()
}

func (r *racingStore) ChannelRefreshToken(ctx context.Context, channel string) ([]byte, error) {
	sealed, err := r.Store.ChannelRefreshToken(ctx, channel)
	if race := r.race; race != nil {
		r.race = nil
		race()
	}
	return sealed, err
}

func TestStaleReplicaReadsTheStoreAgain(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "x")
	replicas := storetest.Replicas(t, 2)
	key := testKey(t)
	cfgA := f.config("x1", "x")
	cfgA.Store, cfgA.Key = replicas[0], key
	a := mustSource(t, cfgA)
	race := &racingStore{Store: replicas[1]}
	cfgB := f.config("x1", "x")
	cfgB.Store, cfgB.Key = race, key
	b := mustSource(t, cfgB)
	race.race = func() {
		if _, err := a.Token(ctx); err != nil {
			t.Errorf("replica a: %v", err)
		}
	}
	// b reads an empty store, a spends the environment's token, b's
	// refresh with it is refused, b reads a's successor and uses it.
	if _, err := b.Token(ctx); err != nil {
		t.Fatalf("replica b: %v", err)
	}
	if f.e.refused != 1 || f.e.refreshes() != 2 {
		t.Errorf("%d refused, %d refreshes; want 1 and 2", f.e.refused, f.e.refreshes())
	}
	f.noSecrets(t)
}

func TestReconnectedChannelFallsBackToTheEnvironment(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "x")
	st := storetest.Open(t)
	key := testKey(t)
	cfg := f.config("x1", "x")
	cfg.Store, cfg.Key = st, key
	if _, err := mustSource(t, cfg).Token(ctx); err != nil {
		t.Fatal(err)
	}
	// The operator revokes the app and connects again: a new first token.
	f.e.mu.Lock()
	clear(f.e.valid)
	f.e.valid["refresh-reconnected"] = true
	f.e.mu.Unlock()
	cfg.RefreshToken = "refresh-reconnected"
	if _, err := mustSource(t, cfg).Token(ctx); err != nil {
		t.Fatalf("after reconnecting: %v", err)
	}
}

func TestWrongKeyFailsClearly(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "x")
	st := storetest.Open(t)
	cfg := f.config("x1", "x")
	cfg.Store, cfg.Key = st, testKey(t)
	if _, err := mustSource(t, cfg).Token(ctx); err != nil {
		t.Fatal(err)
	}
	cfg.Key = testKey(t)
	_, err := mustSource(t, cfg).Token(ctx)
	if err == nil || !strings.Contains(err.Error(), "cannot be decrypted with "+oauth.KeyEnv) {
		t.Fatalf("with another key: %v", err)
	}
	f.noSecrets(t, err.Error())
	// A token sealed for one channel does not open for another.
	sealed, _ := st.ChannelRefreshToken(ctx, "x1")
	if err := st.SetChannelRefreshToken(ctx, "x2", sealed, time.Now()); err != nil {
		t.Fatal(err)
	}
	cfg2 := f.config("x2", "x")
	cfg2.Store, cfg2.Key = st, cfg.Key
	if _, err := mustSource(t, cfg2).Token(ctx); err == nil || !strings.Contains(err.Error(), "cannot be decrypted") {
		t.Fatalf("a token moved to another channel: %v", err)
	}
}

// failingStore refuses writes while fail is set.
type failingStore struct {
	*store.Store
	fail bool
}

func (f *failingStore) SetChannelRefreshToken(ctx context.Context, channel string, sealed []byte, now time.Time) error {
	if f.fail {
		return errors.New("database is locked")
	}
	return f.Store.SetChannelRefreshToken(ctx, channel, sealed, now)
}

func TestRotatedTokenTheStoreRefusedIsStoredLater(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "x")
	st := &failingStore{Store: storetest.Open(t), fail: true}
	cfg := f.config("x1", "x")
	cfg.Store, cfg.Key = st, testKey(t)
	s := mustSource(t, cfg)
	if _, err := s.Token(ctx); err != nil {
		t.Fatalf("a token is given although the store failed: %v", err)
	}
	if w := s.Warning(); !strings.Contains(w, "storing the newest refresh token failed") {
		t.Errorf("warning %q", w)
	}
	f.clock.Add(2 * time.Hour)
	// While the store still fails, no new rotation: it would leave the
	// store two tokens behind.
	if _, err := s.Token(ctx); err == nil || f.e.refreshes() != 1 {
		t.Fatalf("renewed while the store failed: %v, %d refreshes", err, f.e.refreshes())
	}
	st.fail = false
	if _, err := s.Token(ctx); err != nil || f.e.refreshes() != 2 {
		t.Fatalf("after the store recovered: %v, %d refreshes", err, f.e.refreshes())
	}
	if w := s.Warning(); w != "" {
		t.Errorf("warning stays: %q", w)
	}
	// A restart finds the newest.
	cfg.Store = st.Store
	f.clock.Add(2 * time.Hour)
	if _, err := mustSource(t, cfg).Token(ctx); err != nil || f.e.refused != 0 {
		t.Fatalf("after a restart: %v, %d refused", err, f.e.refused)
	}
	f.noSecrets(t)
}
