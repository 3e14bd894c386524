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

// PutTeam creates or renames a team.
func (s *Store) PutTeam(ctx context.Context, t model.Team) error {
	return s.put(ctx, "team "+t.ID, `INSERT INTO teams (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name`, t.ID, t.Name)
}

// PutSite creates or renames a site.
func (s *Store) PutSite(ctx context.Context, t model.Site) error {
	return s.put(ctx, "site "+t.ID, `INSERT INTO sites (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name`, t.ID, t.Name)
}

// PutTemplate creates or replaces a reply template.
func (s *Store) PutTemplate(ctx context.Context, t model.Template) error {
	return s.put(ctx, "template "+t.ID, `INSERT INTO templates (id, name, text) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, text = excluded.text`, t.ID, t.Name, t.Text)
}

func (s *Store) put(ctx context.Context, what, q string, args ...any) error {
	if _, err := s.write.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("store %s: %w", what, err)
	}
	return nil
}

// scanAll reads every row into a slice, closing rows.
func scanAll[T any](rows *sql.Rows, what string, scan func(*sql.Rows, *T) error) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, fmt.Errorf("read %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return out, nil
}
