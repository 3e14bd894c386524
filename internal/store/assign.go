package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"earshot/internal/model"
)

// Assignment is a hand-off of a case to a team, site and person. Nil
// fields stay as they are; an empty string clears.
type Assignment struct {
	Team, Site, Assignee *string
}

// Assign changes who handles a case and records the change. The team and
// site must exist and the assignee must be a user who may work cases
// (found by email, without regard to case, and stored as the user's
// email is); otherwise it fails with a *FieldError (ErrInvalid).
func (s *Store) Assign(ctx context.Context, caseID int64, a Assignment, actor string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		data, err := s.reassign(ctx, tx, caseID, a, at)
		if err != nil || len(data) == 0 {
			return err
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: caseID, Type: model.EventAssigned, Actor: actor, CreatedAt: at, Data: eventData(data)})
	})
}

// HandOff passes a case to a team, site or person with a context note, in
// one transaction: the note, the new owners and a handed_off event. The
// owners are checked as Assign checks them.
func (s *Store) HandOff(ctx context.Context, caseID int64, a Assignment, note, actor string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		data, err := s.reassign(ctx, tx, caseID, a, at)
		if err != nil {
			return err
		}
		var noteID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO notes (case_id, text, author, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			caseID, note, actor, s.ts(at)).Scan(&noteID); err != nil {
			return fmt.Errorf("insert hand-off note: %w", err)
		}
		if len(data) == 0 { // reassign wrote nothing: the note is the change
			if _, err := tx.ExecContext(ctx, `UPDATE cases SET updated_at = $2 WHERE id = $1`, caseID, s.ts(at)); err != nil {
				return fmt.Errorf("hand off case %d: %w", caseID, err)
			}
		}
		data["note_id"] = noteID
		return addEvent(ctx, s, tx, model.Event{CaseID: caseID, Type: model.EventHandedOff, Actor: actor, CreatedAt: at, Data: eventData(data)})
	})
}

// reassign locks case caseID, checks a and writes the owners it changes
// within tx. It returns each change as {"from","to"} by field (team,
// site, assignee): empty when a changes nothing, and nothing is written.
func (s *Store) reassign(ctx context.Context, tx *sql.Tx, caseID int64, a Assignment, at time.Time) (map[string]any, error) {
	if _, _, err := s.lockCase(ctx, tx, caseID); err != nil {
		return nil, err
	}
	if err := checkAssignment(ctx, tx, &a); err != nil {
		return nil, err
	}
	var team, site, assignee string
	if err := tx.QueryRowContext(ctx, `SELECT team, site, assignee FROM cases WHERE id = $1`, caseID).Scan(&team, &site, &assignee); err != nil {
		return nil, fmt.Errorf("read case %d: %w", caseID, err)
	}
	data := map[string]any{}
	set := func(cur *string, v *string, key string) {
		if v != nil && *v != *cur {
			data[key] = map[string]string{"from": *cur, "to": *v}
			*cur = *v
		}
	}
	set(&team, a.Team, "team")
	set(&site, a.Site, "site")
	set(&assignee, a.Assignee, "assignee")
	if len(data) == 0 {
		return data, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET team = $2, site = $3, assignee = $4, updated_at = $5 WHERE id = $1`,
		caseID, team, site, assignee, s.ts(at)); err != nil {
		return nil, fmt.Errorf("reassign case %d: %w", caseID, err)
	}
	return data, nil
}
