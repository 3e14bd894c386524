package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// SyncSearch waits until every mention stored so far, as last edited,
// can be found by search. On PostgreSQL, whose index is part of the
// mentions table, it returns at once.
func (s *Store) SyncSearch(ctx context.Context) error {
	if s.search == nil {
		return nil
	}
	var newest, edit int64
	if err := s.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0),
		(SELECT COALESCE(MAX(search_edit), 0) FROM mentions WHERE search_edit IS NOT NULL) FROM mentions`).Scan(&newest, &edit); err != nil {
		return fmt.Errorf("sync search index: %w", err)
	}
	if err := s.search.WaitFor(ctx, newest); err != nil {
		return fmt.Errorf("sync search index: %w", err)
	}
	if err := s.search.WaitForEdit(ctx, edit); err != nil {
		return fmt.Errorf("sync search index: edits: %w", err)
	}
	return nil
}

// syncForSearch waits, up to searchWait, for the index to reach the
// newest mention, so that a search finds a mention as soon as it is
// stored; past that it answers from what is indexed.
func (s *Store) syncForSearch(ctx context.Context) error {
	wait, cancel := context.WithTimeout(ctx, searchWait)
	err := s.SyncSearch(wait)
	cancel()
	if err != nil && ctx.Err() != nil {
		return err
	}
	return nil
}

// queryIDs runs q, whose rows are one integer each, and returns them.
func queryIDs(ctx context.Context, db *sql.DB, q string, args ...any) ([]int64, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("search mentions: %w", err)
	}
	var ids []int64
	err = scanRows(rows, func() error {
		var id int64
		err := rows.Scan(&id)
		ids = append(ids, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("search mentions: %w", err)
	}
	return ids, nil
}

// searchWindow is one step of a search: the cases of the SearchWindow
// most recent matching mentions below an id.
//
// A search pages through its matches a window at a time, newest first:
// window 0 holds the SearchWindow most recent matching mentions, window 1
// the next SearchWindow older ones, and so on, and each window's cases
// are listed in queue order. A case belongs to the window of its newest
// match, so it is listed once: a window leaves out the cases that have a
// match in a newer window. Matches stored after the search's first page
// (at or above top) are left out, so that the windows stay put while a
// client pages. Every step reads one window of matches and their cases,
// so a search costs about the same for a rare word as for one in every
// mention; a later window also checks the newer mentions of its cases
// against the newer matches, which grows with the depth (the index's
// ids of the newer matches, a fraction of a microsecond each).
type searchWindow struct {
	// ids are the window's matching mention ids (JSON array); n counts
	// them.
	ids string
	n   int
	// cases, when set, are the ids of a later window's cases (JSON
	// array), worked out by windowCases.
	cases string
	q     string
	// hi and top bound the window: its matches are below hi, and top is
	// the bound of window 0 (one above the newest match when the search
	// began).
	hi, top int64
	// lo is the id of the window's oldest match, the next window's hi;
	// more says whether older matches exist.
	lo   int64
	more bool
}

// window returns the search window of q below hi, within the search
// bounded by top; hi and top are 0 on a search's first page.
func (s *Store) window(ctx context.Context, q string, hi, top int64) (searchWindow, error) {
	w := searchWindow{q: q, hi: hi, top: top}
	size := s.searchWindowSize()
	var ids []int64
	if s.search != nil {
		var err error
		if ids, err = s.search.Search(ctx, q, hi, size+1); err != nil {
			return w, err
		}
	} else {
		bound := hi
		if bound <= 0 {
			bound = math.MaxInt64
		}
		var err error
		ids, err = queryIDs(ctx, s.read, `SELECT m.id FROM mentions m WHERE `+pgMatch("m", 1)+` AND m.id < $2 ORDER BY m.id DESC LIMIT $3`,
			s.replan(q, bound, size+1)...)
		if err != nil {
			return w, err
		}
	}
	if len(ids) == 0 {
		return w, nil
	}
	w.more = len(ids) > size
	ids = ids[:min(len(ids), size)]
	if w.top == 0 {
		w.top = ids[0] + 1
	}
	if w.hi == 0 {
		w.hi = w.top
	}
	w.lo, w.n, w.ids = ids[len(ids)-1], len(ids), int64sJSON(ids)
	if w.hi < w.top {
		cases, err := s.windowCases(ctx, w)
		if err != nil {
			return w, err
		}
		w.cases = int64sJSON(cases)
	}
	return w, nil
}

// windowCases returns the cases of a later window's matches that have no
// match in a newer window. It reads the cases and their mentions from hi
// up to top (the case index's entries; a few thousand for a window) and
// the ids of the newer matches (from the full-text index), and meets them
// in one pass in id order. Left to the database, the check costs far
// more: SQLite, asked to look each mention up in a list of thousands of
// ids, read the list again for every case, and PostgreSQL, asked whether
// each mention matches, parsed its text (seconds a page either way).
func (s *Store) windowCases(ctx context.Context, w searchWindow) ([]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, COALESCE(x.id, 0) FROM cases c
		LEFT JOIN mentions x ON x.case_id = c.id AND x.id >= $2 AND x.id < $3
		WHERE c.id IN (SELECT m.case_id FROM mentions m WHERE `+s.idsIn("m.id", 1)+`)`, s.replan(w.ids, w.hi, w.top)...)
	if err != nil {
		return nil, fmt.Errorf("search cases: %w", err)
	}
	type mention struct{ id, caseID int64 }
	var cases []int64
	var later []mention
	seen := map[int64]bool{}
	err = scanRows(rows, func() error {
		var m mention
		if err := rows.Scan(&m.caseID, &m.id); err != nil {
			return err
		}
		if !seen[m.caseID] {
			seen[m.caseID] = true
			cases = append(cases, m.caseID)
		}
		if m.id != 0 {
			later = append(later, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search cases: %w", err)
	}
	if len(later) == 0 {
		return cases, nil
	}
	newer, err := s.matchesBetween(ctx, w.q, w.hi, w.top)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(later, func(a, b mention) int { return cmp.Compare(a.id, b.id) })
	listed := map[int64]bool{}
	for i, j := 0, 0; i < len(later) && j < len(newer); {
		switch {
		case later[i].id < newer[j]:
			i++
		case later[i].id > newer[j]:
			j++
		default:
			listed[later[i].caseID] = true
			i++
			j++
		}
	}
	return slices.DeleteFunc(cases, func(id int64) bool { return listed[id] }), nil
}

// matchesBetween returns the ids of the mentions matching q from lo up
// to, not including, hi, in order.
func (s *Store) matchesBetween(ctx context.Context, q string, lo, hi int64) ([]int64, error) {
	if s.search != nil {
		return s.search.Between(ctx, q, lo, hi)
	}
	// No ORDER BY: ordered by id, PostgreSQL would walk the ids and
	// parse each mention's text instead of reading the index.
	ids, err := queryIDs(ctx, s.read, `SELECT m.id FROM mentions m WHERE `+pgMatch("m", 1)+` AND m.id >= $2 AND m.id < $3`, s.replan(q, lo, hi)...)
	if err != nil {
		return nil, err
	}
	slices.Sort(ids)
	return ids, nil
}

// where returns the condition that keeps, of cases c, those of the
// window, and its argument, numbered $n.
func (w searchWindow) where(s *Store, n int) (string, any) {
	if w.cases != "" {
		return s.idsIn("c.id", n), w.cases
	}
	// Window 0: no newer window to leave cases to.
	return `c.id IN (SELECT m.case_id FROM mentions m WHERE ` + s.idsIn("m.id", n) + `)`, w.ids
}

// searchWindowSize is SearchWindow unless a test set another size.
func (s *Store) searchWindowSize() int {
	if s.searchWindow > 0 {
		return s.searchWindow
	}
	return SearchWindow
}

// pgMatch is the PostgreSQL full-text condition that a mention (alias m)
// has the words of parameter $n, in the expression of the mentions_fts
// index.
func pgMatch(m string, n int) string {
	return `to_tsvector('simple', ` + m + `.text || ' ' || ` + m + `.author_handle) @@ plainto_tsquery('simple', $` + strconv.Itoa(n) + `)`
}
