package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"earshot/internal/org"
)

// ApplyResult is what applying an organisation file did.
type ApplyResult struct {
	// Changed is false when the file means what is already applied.
	Changed bool
	// Removed lists what the file no longer has, like `team "claims"`.
	Removed []string
}

// ApplyOrg replaces the organisation's settings with o, parsed from src,
// in one transaction. Applying what is already applied changes nothing.
func (s *Store) ApplyOrg(ctx context.Context, src []byte, o *org.Org, actor string, at time.Time) (ApplyResult, error) {
	var res ApplyResult
	canon := o.Canonical()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var prevCanon string
		q := `SELECT canonical FROM org_file WHERE id = 1` + s.forUpdate()
		switch err := tx.QueryRowContext(ctx, q).Scan(&prevCanon); {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("read organisation file: %w", err)
		}
		if prevCanon == string(canon) {
			return nil
		}
		res.Changed = true
		var prev *org.Org
		if prevCanon != "" {
			p, err := org.ParseStored([]byte(prevCanon))
			if err != nil {
				return fmt.Errorf("stored organisation file: %w", err)
			}
			prev = p
		}
		removed, err := s.replaceOrgRows(ctx, tx, o)
		if err != nil {
			return err
		}
		for _, r := range org.Changes(prev, o) {
			if !slices.Contains(removed, r) {
				removed = append(removed, r)
			}
		}
		res.Removed = removed
		// Replies read the setting as they are written, so the file's
		// choice holds on every replica from the commit on.
		approval := org.ApprovalOff
		if o.ApprovalRequired() {
			approval = org.ApprovalOn
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			SettingApproval, approval); err != nil {
			return fmt.Errorf("store setting %s: %w", SettingApproval, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO org_file (id, source, format, canonical, applied_at, applied_by) VALUES (1, $1, $2, $3, $4, $5)
			ON CONFLICT (id) DO UPDATE SET source = excluded.source, format = excluded.format, canonical = excluded.canonical,
				applied_at = excluded.applied_at, applied_by = excluded.applied_by`,
			string(src), org.Format(src), string(canon), s.ts(at), actor)
		if err != nil {
			return fmt.Errorf("store organisation file: %w", err)
		}
		return nil
	})
	return res, err
}

// replaceOrgRows rewrites the organisation's tables within tx and returns
// the teams, sites and templates it deleted.
func (s *Store) replaceOrgRows(ctx context.Context, tx *sql.Tx, o *org.Org) ([]string, error) {
	var removed []string
	for _, t := range []struct {
		table, what string
		keep        []string
	}{
		{"teams", "team", ids(o.Teams, func(t org.Team) string { return t.ID })},
		{"sites", "site", ids(o.Sites, func(t org.Site) string { return t.ID })},
		{"templates", "template", ids(o.Templates, func(t org.Template) string { return t.ID })},
	} {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM `+t.table+` ORDER BY id`)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t.table, err)
		}
		var have []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read %s: %w", t.table, err)
			}
			have = append(have, id)
		}
		rows.Close()
		for _, id := range have {
			if slices.Contains(t.keep, id) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.table+` WHERE id = $1`, id); err != nil {
				return nil, fmt.Errorf("remove %s %s: %w", t.what, id, err)
			}
			removed = append(removed, fmt.Sprintf("%s %q", t.what, id))
		}
	}
	for _, table := range []string{"memberships", "holidays", "sla_policies", "rules", "alert_targets"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return nil, fmt.Errorf("clear %s: %w", table, err)
		}
	}
	exec := func(what, q string, args ...any) error {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("store %s: %w", what, err)
		}
		return nil
	}
	for _, t := range o.Teams {
		hours, _ := json.Marshal(t.Hours)
		if err := exec("team "+t.ID, `INSERT INTO teams (id, name, hours, timezone) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, hours = excluded.hours, timezone = excluded.timezone`,
			t.ID, t.Name, strings.Trim(string(hours), `"`), t.Timezone); err != nil {
			return nil, err
		}
	}
	for _, st := range o.Sites {
		aliases, _ := json.Marshal(nonNil(st.Aliases))
		channels, _ := json.Marshal(nonNil(st.Channels))
		if err := exec("site "+st.ID, `INSERT INTO sites (id, name, timezone, aliases, channels) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone, aliases = excluded.aliases, channels = excluded.channels`,
			st.ID, st.Name, st.Timezone, string(aliases), string(channels)); err != nil {
			return nil, err
		}
	}
	for _, t := range o.Templates {
		if err := exec("template "+t.ID, `INSERT INTO templates (id, name, text) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, text = excluded.text`, t.ID, t.Name, t.Text); err != nil {
			return nil, err
		}
	}
	for _, p := range o.People {
		email := strings.ToLower(p.Email)
		for kind, refs := range map[string][]string{"team": p.Teams, "site": p.Sites} {
			for _, ref := range refs {
				if err := exec("membership of "+email, `INSERT INTO memberships (email, kind, ref, available) VALUES ($1, $2, $3, $4)`,
					email, kind, ref, p.IsAvailable()); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, h := range o.Holidays {
		if err := exec("holiday "+h.Date, `INSERT INTO holidays (day, name) VALUES ($1, $2)`, h.Date, h.Name); err != nil {
			return nil, err
		}
	}
	for i, p := range o.SLAPolicies {
		spec, _ := json.Marshal(p)
		if err := exec("SLA policy "+p.ID, `INSERT INTO sla_policies (id, position, spec) VALUES ($1, $2, $3)`, p.ID, i, string(spec)); err != nil {
			return nil, err
		}
	}
	for i, r := range o.Rules {
		spec, _ := json.Marshal(r)
		if err := exec("rule "+r.Name, `INSERT INTO rules (position, name, spec) VALUES ($1, $2, $3)`, i, r.Name, string(spec)); err != nil {
			return nil, err
		}
	}
	for _, a := range o.Alerts {
		spec, _ := json.Marshal(a)
		if err := exec("alert target "+a.ID, `INSERT INTO alert_targets (id, type, spec) VALUES ($1, $2, $3)`, a.ID, a.Type, string(spec)); err != nil {
			return nil, err
		}
	}
	return removed, nil
}

func ids[T any](xs []T, f func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// OrgFile is the organisation file as last applied.
type OrgFile struct {
	Source    []byte
	Format    string // yaml or json
	Org       *org.Org
	AppliedAt time.Time
	AppliedBy string
}

// LoadOrg returns the organisation file as last applied, or ErrNotFound.
func (s *Store) LoadOrg(ctx context.Context) (*OrgFile, error) {
	var f OrgFile
	var src, canon string
	var at dbTime
	err := s.read.QueryRowContext(ctx, `SELECT source, format, canonical, applied_at, applied_by FROM org_file WHERE id = 1`).
		Scan(&src, &f.Format, &canon, &at, &f.AppliedBy)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("organisation file: %w", ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("read organisation file: %w", err)
	}
	o, err := org.ParseStored([]byte(canon))
	if err != nil {
		return nil, fmt.Errorf("stored organisation file: %w", err)
	}
	f.Source, f.Org, f.AppliedAt = []byte(src), o, at.T
	return &f, nil
}

// OrgVersion returns when the organisation file was last applied (zero
// when none is): a cheap check for whether a cached file is current.
func (s *Store) OrgVersion(ctx context.Context) (time.Time, error) {
	var at dbTime
	err := s.read.QueryRowContext(ctx, `SELECT applied_at FROM org_file WHERE id = 1`).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read organisation file version: %w", err)
	}
	return at.T, nil
}
