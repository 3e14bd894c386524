// Package storetest opens an isolated store for a test: a fresh SQLite
// file by default, or a fresh PostgreSQL schema when the environment
// variable EARSHOT_TEST_DATABASE_URL is set.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/internal/rawdb"
)

// EnvURL names the environment variable that selects PostgreSQL for tests.
const EnvURL = "EARSHOT_TEST_DATABASE_URL"

// Config returns a store configuration private to t: a SQLite directory
// under t.TempDir(), or a new PostgreSQL schema (dropped when t ends) on
// the server named by EARSHOT_TEST_DATABASE_URL.
func Config(t testing.TB) store.Config {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		return store.Config{DataDir: t.TempDir()}
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvURL, err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create test schema on %s: %v", EnvURL, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return store.Config{DatabaseURL: u.String()}
}

// Open returns a migrated store private to t, closed when t ends. When
// t ends, every row must name only rows that exist (see
// store.Store.CheckReferences).
func Open(t testing.TB) *store.Store {
	t.Helper()
	return open(t, Config(t))
}

// OpenRaw is Open with a second connection to the store's database,
// closed when t ends, for tests that write rows as an older Earshot did
// and the store no longer would.
func OpenRaw(t testing.TB) (*store.Store, *sql.DB) {
	t.Helper()
	cfg := Config(t)
	s := open(t, cfg)
	driver, dsn := "pgx", cfg.DatabaseURL
	if dsn == "" {
		driver, dsn = "sqlite", "file:"+filepath.Join(cfg.DataDir, "earshot.db")+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open the test store's database: %v", err)
	}
	t.Cleanup(func() { raw.Close() })
	return s, raw
}

// Replicas opens n handles on one migrated database private to t, as n
// Earshot instances on one PostgreSQL schema or one SQLite file would
// have. They are closed when t ends, and the database checked as Open
// checks it.
func Replicas(t testing.TB, n int) []*store.Store {
	t.Helper()
	cfg := Config(t)
	stores := []*store.Store{open(t, cfg)}
	for len(stores) < n {
		s, err := store.Open(context.Background(), cfg)
		if err != nil {
			t.Fatalf("open replica %d of the test store: %v", len(stores), err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	return stores
}

func open(t testing.TB, cfg store.Config) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open test store: %v", err)
	}
	t.Cleanup(func() {
		if err := s.CheckReferences(context.Background()); err != nil {
			t.Errorf("store left behind: %v", err)
		}
		s.Close()
	})
	return s
}

// OpenPrepared opens, for a manual benchmark at scale, the store that
// EARSHOT_BENCH_DATA (an imported data directory) or
// EARSHOT_BENCH_DATABASE_URL names, logs its size and closes it when b
// ends. Without either variable it skips b: such benchmarks are not CI
// tests.
func OpenPrepared(b *testing.B) *store.Store {
	b.Helper()
	dir, dbURL := os.Getenv("EARSHOT_BENCH_DATA"), os.Getenv("EARSHOT_BENCH_DATABASE_URL")
	if dir == "" && dbURL == "" {
		b.Skip("set EARSHOT_BENCH_DATA (an imported data directory) or EARSHOT_BENCH_DATABASE_URL to run this manual benchmark")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: dir, DatabaseURL: dbURL})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	counts, err := st.Count(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("store: %d mentions, %d cases", counts.Mentions, counts.Cases)
	return st
}

// StoreUnthreaded stores m, and its author, with no case and analysis
// analysisJSON, bypassing ingest: the state in which a writer that could
// not see a reply's parent (stored by another transaction at the same
// moment) leaves our reply. It returns m's id.
func StoreUnthreaded(t testing.TB, st *store.Store, m model.Mention, analysisJSON []byte) int64 {
	t.Helper()
	ctx := context.Background()
	err := st.WriteBatch(ctx, func(b *store.Batch) error {
		ids, err := b.UpsertAuthors(ctx, []store.AuthorRow{{Platform: m.Platform, Author: m.Author}}, m.CreatedAt)
		if err != nil {
			return err
		}
		authorID := ids[0]
		if m.ReceivedAt.IsZero() {
			m.ReceivedAt = m.CreatedAt
		}
		return b.InsertMention(ctx, &m, authorID, 0, analysisJSON)
	})
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

// PutTeam creates or renames a team, as applying an organisation file
// that names it would.
func PutTeam(ctx context.Context, st *store.Store, t model.Team) error {
	return exec(ctx, st, "team "+t.ID, `INSERT INTO teams (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name`, t.ID, t.Name)
}

// PutSite creates or renames a site.
func PutSite(ctx context.Context, st *store.Store, s model.Site) error {
	return exec(ctx, st, "site "+s.ID, `INSERT INTO sites (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name`, s.ID, s.Name)
}

// PutTemplate creates or replaces a reply template.
func PutTemplate(ctx context.Context, st *store.Store, t model.Template) error {
	return exec(ctx, st, "template "+t.ID, `INSERT INTO templates (id, name, text) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, text = excluded.text`, t.ID, t.Name, t.Text)
}

func exec(ctx context.Context, st *store.Store, what, q string, args ...any) error {
	if _, err := st.RawDB(rawdb.New()).ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("store %s: %w", what, err)
	}
	return nil
}

// CasesWithoutMentions counts the cases that no mention belongs to; the
// pipeline never leaves one behind.
func CasesWithoutMentions(ctx context.Context, st *store.Store) (int64, error) {
	var n int64
	err := st.RawDB(rawdb.New()).QueryRowContext(ctx, `SELECT COUNT(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.case_id = c.id)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count empty cases: %w", err)
	}
	return n, nil
}
