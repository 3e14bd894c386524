package store

import (
	"context"
	"database/sql"
	"fmt"

	"earshot/internal/model"
)

// ListTeams returns every team, ordered by name.
func (s *Store) ListTeams(ctx context.Context) ([]model.Team, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name FROM teams ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	return scanAll(rows, "teams", func(r *sql.Rows, t *model.Team) error { return r.Scan(&t.ID, &t.Name) })
}

// ListSites returns every site, ordered by name.
func (s *Store) ListSites(ctx context.Context) ([]model.Site, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name FROM sites ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	return scanAll(rows, "sites", func(r *sql.Rows, t *model.Site) error { return r.Scan(&t.ID, &t.Name) })
}

// ListTemplates returns every reply template, ordered by name.
func (s *Store) ListTemplates(ctx context.Context) ([]model.Template, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, text FROM templates ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	return scanAll(rows, "templates", func(r *sql.Rows, t *model.Template) error { return r.Scan(&t.ID, &t.Name, &t.Text) })
}
