// Package store keeps Earshot's data in SQLite (embedded, the default) or
// PostgreSQL behind one API over database/sql. It persists what it is
// given, one file per kind of row (users.go, sessions.go, tokens.go,
// jobs.go, cases.go, ...); the ingest pipeline writes through a Batch
// (batch*.go). SQL is written once with $N placeholders; what the engines
// spell differently lives in dialect.go, the SQLite store's connections
// and background work in sqlite.go, and its full-text index in package
// ftsindex.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"

	"earshot/internal/store/internal/rawdb"
)

// ErrNotFound is returned (wrapped) when a requested row does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned (wrapped) when a write collides with existing data.
var ErrConflict = errors.New("conflict")

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Config says where the store lives.
type Config struct {
	// DataDir holds the SQLite file when DatabaseURL is empty.
	DataDir string
	// DatabaseURL selects PostgreSQL when it starts with postgres:// or
	// postgresql://.
	DatabaseURL string
	// Logger receives migration and maintenance messages; nil discards.
	Logger *slog.Logger
	// SkipMigrate leaves the schema as it is (the caller migrates).
	SkipMigrate bool
}

// Store is Earshot's persistent state. It is safe for concurrent use.
type Store struct {
	engine string
	// dir is the SQLite data directory ("" on PostgreSQL).
	dir string
	// write takes every write. On SQLite it holds a single connection so
	// that writers queue in Go rather than fight over the file lock.
	write *sql.DB
	// read serves queries; on PostgreSQL it is the same pool as write.
	read   *sql.DB
	logger *slog.Logger
	// ckpt checkpoints SQLite's write-ahead log off the writer's path.
	ckpt *checkpointer
	// search indexes mention text for full-text search on SQLite (nil
	// on PostgreSQL, whose index lives in the mentions table).
	search *sqliteSearch
	// turns paces background work beside the SQLite writer (nil on
	// PostgreSQL).
	turns turns
	// rareIntent overrides the rare-intent limit of the case filter when
	// not negative (tests); see rareIntentLimit.
	rareIntent int
	// searchWindow overrides SearchWindow when above 0 (tests); see
	// searchWindowSize.
	searchWindow int
}

// Open opens (creating if need be) the store described by cfg and brings
// its schema up to date unless cfg.SkipMigrate is set.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var s *Store
	var err error
	switch u := cfg.DatabaseURL; {
	case u == "":
		s, err = openSQLite(cfg.DataDir)
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		s, err = openPostgres(u)
	default:
		return nil, fmt.Errorf("database URL must start with postgres:// (or be empty for SQLite), got scheme %q", scheme(u))
	}
	if err != nil {
		return nil, err
	}
	s.logger = logger
	if err := s.setUp(ctx, !cfg.SkipMigrate); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.startBackground(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// setUp checks the store is reachable and migrates it, under the set-up
// lock (see lockSetUp). On SQLite a new database's switch to WAL mode fails at once,
// without waiting, if another process is opening the same file.
func (s *Store) setUp(ctx context.Context, migrate bool) error {
	unlock, err := s.lockSetUp()
	if err != nil {
		return err
	}
	defer unlock()
	if err := s.Ping(ctx); err != nil {
		return err
	}
	if migrate {
		return s.migrate(ctx)
	}
	return nil
}

func scheme(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		return u[:i]
	}
	return "none"
}

func openPostgres(url string) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(max(8, runtime.GOMAXPROCS(0)*4))
	db.SetMaxIdleConns(max(8, runtime.GOMAXPROCS(0)*4))
	db.SetConnMaxIdleTime(5 * time.Minute)
	return &Store{engine: Postgres, write: db, read: db, rareIntent: -1}, nil
}

// Engine returns SQLite or Postgres.
func (s *Store) Engine() string { return s.engine }

// RawDB returns the store's write pool, for the test helpers of package
// storetest, which write rows as an older Earshot or the organisation
// file would and check what the store holds; only packages under
// internal/store can make a rawdb.Key.
func (s *Store) RawDB(rawdb.Key) *sql.DB { return s.write }

// Ping checks that the store is reachable.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.write.PingContext(ctx); err != nil {
		return fmt.Errorf("reach %s store: %w", s.engine, err)
	}
	return nil
}

// Close releases the store's connections.
func (s *Store) Close() error {
	var err error
	if s.search != nil {
		err = s.search.close()
	}
	if s.ckpt != nil {
		err = errors.Join(err, s.ckpt.close())
	}
	err = errors.Join(err, closeDB(s.write, "store writer"))
	if s.read != s.write {
		err = errors.Join(err, closeDB(s.read, "store readers"))
	}
	return err
}

// inTx runs fn in a write transaction, committing when fn returns nil.
// When PostgreSQL gives the transaction up to break a deadlock, or for a
// serialization failure, the error wraps ErrRetry.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return retryable(err)
	}
	if err := tx.Commit(); err != nil {
		return retryable(fmt.Errorf("commit: %w", err))
	}
	s.committed()
	return nil
}

// committed tells the background work that a write transaction committed.
func (s *Store) committed() {
	if s.ckpt != nil {
		s.ckpt.notify()
	}
	if s.search != nil {
		s.search.Notify()
	}
}
