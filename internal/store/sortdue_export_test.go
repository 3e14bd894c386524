package store

import "context"

// SortDue is sortDue, the queue's deadline key of a case, for the tests
// of the migration that computes it in SQL.
var SortDue = sortDue

// NoDue is the queue key of a case with no running deadline.
const NoDue = noDue

// SortDueOf reads the stored queue key of case id.
func SortDueOf(ctx context.Context, s *Store, id int64) (int64, error) {
	var v int64
	err := s.write.QueryRowContext(ctx, `SELECT sort_due FROM cases WHERE id = $1`, id).Scan(&v)
	return v, err
}
