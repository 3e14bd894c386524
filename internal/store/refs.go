package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"earshot/internal/auth"
)

// ErrInvalid is returned, wrapped in a *FieldError, when a write names a
// team, site, person or template that does not exist.
var ErrInvalid = errors.New("invalid reference")

// FieldError is a write refused because one of its fields names nothing
// that exists (or no one who may take the work).
type FieldError struct {
	// Field is the input's name: team, site, assignee or template.
	Field string
	// Value is what the input said.
	Value string
	// Reason completes the message: "is not a team", say.
	Reason string
}

// Error reads "team \"x\" is not a team".
func (e *FieldError) Error() string { return fmt.Sprintf("%s %q %s", e.Field, e.Value, e.Reason) }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// exists reports whether table (teams, sites or templates) has a row of
// id.
func exists(ctx context.Context, q querier, table, id string) (bool, error) {
	var one int
	switch err := q.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = $1`, id).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("look up %s %q: %w", table, id, err)
	}
	return true, nil
}

// assignee returns the email, as stored, of the user whose email is
// email (compared without case), failing with a *FieldError of field
// when there is none, their role may not work cases (a viewer) or they
// are deactivated.
func assignee(ctx context.Context, q querier, field, email string) (string, error) {
	var stored, role string
	var off dbTime
	err := q.QueryRowContext(ctx, `SELECT email, role, deactivated_at FROM users WHERE lower(email) = lower($1)
		ORDER BY CASE WHEN email = $1 THEN 0 ELSE 1 END, id LIMIT 1`, email).Scan(&stored, &role, &off)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", &FieldError{Field: field, Value: email, Reason: "is not the email of a user"}
	case err != nil:
		return "", fmt.Errorf("look up user %q: %w", email, err)
	case !auth.Can(role, auth.WorkCases):
		return "", &FieldError{Field: field, Value: email, Reason: "is a " + role + ", who may not work cases"}
	case off.Valid:
		return "", &FieldError{Field: field, Value: email, Reason: "is deactivated and may not take work"}
	}
	return stored, nil
}

// checkAssignment checks that the team, site and assignee a changes
// exist, and puts the assignee's email as stored in a. Nil fields and
// empty strings (which clear) need no check.
func checkAssignment(ctx context.Context, q querier, a *Assignment) error {
	for _, ref := range []struct {
		v            *string
		field, table string
		reason       string
	}{{a.Team, "team", "teams", "is not a team"}, {a.Site, "site", "sites", "is not a site"}} {
		if ref.v == nil || *ref.v == "" {
			continue
		}
		ok, err := exists(ctx, q, ref.table, *ref.v)
		if err != nil {
			return err
		}
		if !ok {
			return &FieldError{Field: ref.field, Value: *ref.v, Reason: ref.reason}
		}
	}
	if a.Assignee != nil && *a.Assignee != "" {
		email, err := assignee(ctx, q, "assignee", *a.Assignee)
		if err != nil {
			return err
		}
		a.Assignee = &email
	}
	return nil
}

// CheckTemplate fails with a *FieldError (field "template") when no reply
// template has id; "" (no template) passes.
func (s *Store) CheckTemplate(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	ok, err := exists(ctx, s.read, "templates", id)
	if err != nil {
		return err
	}
	if !ok {
		return &FieldError{Field: "template", Value: id, Reason: "is not a reply template"}
	}
	return nil
}
