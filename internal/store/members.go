package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"earshot/internal/model"
)

// Member is a known person of the organisation: a plan member or patient.
// Member records are sensitive.
type Member struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Plan      string    `json:"plan"`
	CreatedAt time.Time `json:"created_at"`
}

// Timeline event types for member links.
const (
	EventMemberLinked   = "member_linked"
	EventMemberUnlinked = "member_unlinked"
)

// PutMember creates or updates a member record.
func (s *Store) PutMember(ctx context.Context, m Member) error {
	return s.put(ctx, "member", `INSERT INTO members (id, name, plan, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, plan = excluded.plan`, m.ID, m.Name, m.Plan, s.ts(m.CreatedAt))
}

// SearchMembers finds up to limit members whose id starts with q or whose
// name contains it, ignoring case.
func (s *Store) SearchMembers(ctx context.Context, q string, limit int) ([]Member, error) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return nil, nil
	}
	like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, plan, created_at FROM members
		WHERE LOWER(id) LIKE $1 ESCAPE '\' OR LOWER(name) LIKE $2 ESCAPE '\' ORDER BY id LIMIT $3`,
		like+"%", "%"+like+"%", limit)
	if err != nil {
		return nil, fmt.Errorf("search members: %w", err)
	}
	return scanAll(rows, "members", scanMember)
}

func scanMember(r *sql.Rows, m *Member) error {
	var at dbTime
	err := r.Scan(&m.ID, &m.Name, &m.Plan, &at)
	m.CreatedAt = at.T
	return err
}

// CaseMembers returns the members linked to a case.
func (s *Store) CaseMembers(ctx context.Context, caseID int64) ([]Member, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT m.id, m.name, m.plan, m.created_at FROM member_links l JOIN members m ON m.id = l.member_id
		WHERE l.case_id = $1 ORDER BY l.created_at, m.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read members of case %d: %w", caseID, err)
	}
	return scanAll(rows, "members", scanMember)
}

// LinkMember links a case to a member record and records it in the
// timeline. Linking twice changes nothing.
func (s *Store) LinkMember(ctx context.Context, caseID int64, memberID, actor string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.lockCase(ctx, tx, caseID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM members WHERE id = $1`, memberID).Scan(&n); err != nil {
			return fmt.Errorf("read member: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("member: %w", ErrNotFound)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO member_links (case_id, member_id, linked_by, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (case_id, member_id) DO NOTHING`, caseID, memberID, actor, s.ts(at))
		if err != nil {
			return fmt.Errorf("link member to case %d: %w", caseID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: caseID, Type: EventMemberLinked, Actor: actor, CreatedAt: at,
			Data: eventData(map[string]string{"member_id": memberID})})
	})
}

// UnlinkMember removes a link between a case and a member record and
// records it in the timeline.
func (s *Store) UnlinkMember(ctx context.Context, caseID int64, memberID, actor string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.lockCase(ctx, tx, caseID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM member_links WHERE case_id = $1 AND member_id = $2`, caseID, memberID)
		if err != nil {
			return fmt.Errorf("unlink member from case %d: %w", caseID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("member link: %w", ErrNotFound)
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: caseID, Type: EventMemberUnlinked, Actor: actor, CreatedAt: at,
			Data: eventData(map[string]string{"member_id": memberID})})
	})
}
