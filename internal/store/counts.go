package store

import (
	"context"
	"fmt"
)

// Counts are row totals, for tests, health pages and benchmarks.
type Counts struct {
	Mentions int64 `json:"mentions"`
	Cases    int64 `json:"cases"`
	Authors  int64 `json:"authors"`
}

// Count returns row totals.
func (s *Store) Count(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.read.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM mentions), (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM authors)`).
		Scan(&c.Mentions, &c.Cases, &c.Authors)
	if err != nil {
		return c, fmt.Errorf("count rows: %w", err)
	}
	return c, nil
}

// CasesWithoutMentions counts cases that no mention belongs to; the
// pipeline never leaves one behind.
func (s *Store) CasesWithoutMentions(ctx context.Context) (int64, error) {
	var n int64
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.case_id = c.id)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count empty cases: %w", err)
	}
	return n, nil
}
