package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// migrate applies every pending schema migration; the caller holds the
// set-up lock. Processes that start at once take turns: on PostgreSQL
// through a session advisory lock, on SQLite through a lock file beside
// the database (see lockSetUp).
func (s *Store) migrate(ctx context.Context) error {
	opts, err := s.migrationOptions(ctx)
	if err != nil {
		return err
	}
	p, err := s.migrationProvider(opts...)
	if err != nil {
		return err
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

// migrationProvider returns goose's runner of the engine's migrations on
// the writer.
func (s *Store) migrationProvider(opts ...goose.ProviderOption) (*goose.Provider, error) {
	dir, dialect := s.migrationSource()
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(dialect, s.write, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}
