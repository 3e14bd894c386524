// Package store keeps Earshot's data in SQLite (embedded, the default) or
// PostgreSQL behind one API over database/sql. SQL is written once with
// $N placeholders; the few differences between the engines live in the
// dialect helpers of this package.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"

	"earshot/internal/model"
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
	search *searchIndex
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

// setUp checks the store is reachable and migrates it. On SQLite both run
// under the lock file: a new database's switch to WAL mode fails at once,
// without waiting, if another process is opening the same file.
func (s *Store) setUp(ctx context.Context, migrate bool) error {
	if s.engine == SQLite {
		unlock, err := s.lockSQLite()
		if err != nil {
			return err
		}
		defer unlock()
	}
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

func openSQLite(dir string) (*Store, error) {
	if dir == "" {
		dir = "earshot-data"
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, "earshot.db")
	// A 64 MiB page cache keeps a whole ingest batch's dirty pages in
	// memory until commit; without it SQLite spills to the WAL mid-batch.
	// The checkpointer (see checkpoint.go) copies the log into the
	// database file on its own connection. The writer reads through that
	// cache and the kernel's, not a memory map: mapped pages would count
	// against the process's memory for the whole of a long import.
	base := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=cache_size(-65536)&_pragma=temp_store(memory)&_pragma=wal_autocheckpoint(" + strconv.Itoa(walBackstopPages) + ")" +
		"&_pragma=journal_size_limit(" + strconv.Itoa(walSizeLimit) + ")&_pragma=mmap_size(0)&_txlock=immediate"
	write, err := sql.Open("sqlite", base)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	read, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=query_only(1)&_pragma=cache_size(-16384)&_pragma=mmap_size(268435456)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	return &Store{engine: SQLite, dir: dir, write: write, read: read, rareIntent: -1}, nil
}

// startBackground starts the store's own maintenance once it is set up.
func (s *Store) startBackground(ctx context.Context) error {
	if s.engine != SQLite {
		return nil
	}
	dsn := "file:" + filepath.Join(s.dir, "earshot.db") + "?_pragma=busy_timeout(10000)&_pragma=cache_size(-2048)&_pragma=mmap_size(0)"
	s.turns = newTurns()
	c, err := startCheckpointer(dsn, 50*time.Millisecond, s.turns)
	if err != nil {
		return err
	}
	s.ckpt = c
	x, err := openSearchIndex(ctx, s.dir, s.turns, s.logger)
	if err != nil {
		return err
	}
	s.search = x
	return nil
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
		s.search.notify()
	}
}

// sqliteTime is the fixed-width text form of times in SQLite, so that
// comparing text compares times.
const sqliteTime = "2006-01-02T15:04:05.000000Z"

// storedTime is t as the store keeps it: UTC, to the microsecond (the
// precision of PostgreSQL's timestamptz and of the SQLite text form),
// cut rather than rounded on both engines, within model.TimeRange so
// that both engines read it back alike.
func storedTime(t time.Time) time.Time { return model.ClampTime(t.UTC().Truncate(time.Microsecond)) }

// ts converts t to the engine's parameter form, in UTC, cut to the
// microsecond and within model.TimeRange on both engines (see
// storedTime).
func (s *Store) ts(t time.Time) any {
	if s.engine == SQLite {
		return formatSQLiteTime(model.ClampTime(t))
	}
	return storedTime(t)
}

// formatSQLiteTime is t.UTC().Format(sqliteTime), digit by digit: the
// store writer formats several times a mention, and time.Format, which
// interprets its layout each call, took 2% of its work.
func formatSQLiteTime(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.Format(sqliteTime)
	}
	hour, minute, sec := t.Clock()
	var b [len(sqliteTime)]byte
	put := func(at, v, width int) {
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, year, 4)
	b[4] = '-'
	put(5, int(month), 2)
	b[7] = '-'
	put(8, day, 2)
	b[10] = 'T'
	put(11, hour, 2)
	b[13] = ':'
	put(14, minute, 2)
	b[16] = ':'
	put(17, sec, 2)
	b[19] = '.'
	put(20, t.Nanosecond()/1000, 6)
	b[26] = 'Z'
	return string(b[:])
}

// tsPtr is ts for optional times; nil stays NULL.
func (s *Store) tsPtr(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return s.ts(*t)
}

// dbTime scans a time stored by either engine, moved into
// model.TimeRange: a time beyond it, written before times were bounded
// (such as a deadline in the year 10000), reads as the range's end
// rather than failing every read of its row.
type dbTime struct {
	T     time.Time
	Valid bool
}

// Scan implements sql.Scanner.
func (d *dbTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = dbTime{}
		return nil
	case time.Time:
		*d = dbTime{T: model.ClampTime(x.UTC()), Valid: true}
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	}
	return fmt.Errorf("scan time: unsupported type %T", v)
}

func (d *dbTime) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		var ok bool
		if t, ok = beyondFourDigits(s); !ok {
			return fmt.Errorf("scan time %q: %w", s, err)
		}
	}
	*d = dbTime{T: model.ClampTime(t.UTC()), Valid: true}
	return nil
}

// beyondFourDigits reads the SQLite text of a time whose year has more
// than four digits or a sign, as time.Format writes it ("10000-01-01T…",
// "-0001-12-31T…"), which time.Parse refuses: it returns the end of
// model.TimeRange on the side the year lies.
func beyondFourDigits(s string) (time.Time, bool) {
	digits := strings.TrimPrefix(s, "-")
	n := strings.IndexByte(digits, '-')
	if n < 4 || strings.Trim(digits[:n], "0123456789") != "" {
		return time.Time{}, false
	}
	earliest, latest := model.TimeRange()
	switch {
	case s[0] == '-':
		return earliest, true
	case n > 4:
		return latest, true
	}
	return time.Time{}, false
}

// fromMillis reads a time stored as Unix milliseconds (timers, jobs),
// moved into model.TimeRange as dbTime does.
func fromMillis(ms int64) time.Time { return model.ClampTime(time.UnixMilli(ms).UTC()) }

func (d dbTime) ptr() *time.Time {
	if !d.Valid {
		return nil
	}
	t := d.T
	return &t
}
