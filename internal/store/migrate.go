package store

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path/filepath"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Migrate applies every pending schema migration. Processes that start at
// once take turns: on PostgreSQL through a session advisory lock, on
// SQLite through a lock file beside the database.
func (s *Store) Migrate(ctx context.Context) error {
	if s.engine == SQLite {
		unlock, err := s.lockSQLite()
		if err != nil {
			return err
		}
		defer unlock()
	}
	return s.migrate(ctx)
}

// lockSQLite takes the lock file that processes opening one SQLite data
// directory share while they set it up.
func (s *Store) lockSQLite() (func(), error) {
	unlock, err := lockFile(filepath.Join(s.dir, "migrate.lock"))
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return unlock, nil
}

// migrate applies pending migrations; on SQLite the caller holds the lock.
func (s *Store) migrate(ctx context.Context) error {
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	// Numbers were handed out ahead of time, so a store may already hold
	// a later migration than one that arrives with an upgrade (00016
	// before 00014): apply the missing one rather than refuse to start.
	// Each migration stands on its own, whatever ran after it.
	opts := []goose.ProviderOption{goose.WithAllowOutofOrder(true)}
	if s.engine == Postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
		// Replicas of one deployment share a schema and so a lock; other
		// schemas in the same database (tests, other tenants) do not wait.
		var schema string
		if err := s.write.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		h := fnv.New64a()
		h.Write([]byte("earshot-migrate:" + schema))
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64())), lock.WithLockTimeout(1, 600))
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(dialect, s.write, fsys, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s store: %w", s.engine, err)
	}
	for _, r := range results {
		s.logger.Info("migration applied", "engine", s.engine, "version", r.Source.Version, "duration", r.Duration)
	}
	return nil
}
