package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"earshot/internal/model"
)

// Orphan is a stored outbound mention (our own reply) without a case
// that names the mention it answers, in reply or as its thread's root:
// it was stored before that mention, and joins its case when it comes.
type Orphan struct {
	ID                   int64
	Platform, ExternalID string
	InReplyTo, ThreadID  string
	CreatedAt            time.Time
	// Intents are those of the reply's analysis, for the case's intent
	// index once it joins a case.
	Intents []string
}

// The conditions of the partial indexes of migration 00010, which a
// query must repeat word for word for the engines to use them.
const (
	orphanReplyCond  = `case_id IS NULL AND direction = 'outbound' AND in_reply_to <> ''`
	orphanThreadCond = `case_id IS NULL AND direction = 'outbound' AND thread_id <> '' AND thread_id <> external_id`
)

// orphanFrom is the mentions table read through the partial index
// (mentions_orphan_reply or mentions_orphan_thread) named, with alias
// as its alias. SQLite is told to use it: without statistics it would
// rather walk the platform's part of the unique index.
func (s *Store) orphanFrom(index, alias string) string { return s.indexedBy("mentions", alias, index) }

// HasOrphans reports whether any stored reply waits for the mention it
// answers. It reads one entry of the two partial indexes at most, so an
// ingest batch asks it first and looks up nothing more when none waits,
// which is nearly always.
func (b *Batch) HasOrphans(ctx context.Context) (bool, error) {
	row, err := b.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+b.s.orphanFrom("mentions_orphan_reply", "r")+` WHERE `+orphanReplyCond+`)
		OR EXISTS (SELECT 1 FROM `+b.s.orphanFrom("mentions_orphan_thread", "t")+` WHERE `+orphanThreadCond+`)`)
	if err != nil {
		return false, fmt.Errorf("look for waiting replies: %w", err)
	}
	var found bool
	if err := row.Scan(&found); err != nil {
		return false, fmt.Errorf("look for waiting replies: %w", err)
	}
	return found, nil
}

// Orphans returns the stored replies on platform without a case whose
// in_reply_to, or whose thread id (when it is not their own external
// id), is one of refs, in chunks of one query per partial index each.
// Each is listed once.
func (b *Batch) Orphans(ctx context.Context, platform string, refs []string) ([]Orphan, error) {
	var out []Orphan
	seen := map[int64]bool{}
	for _, by := range [...]struct{ op, index, col, cond string }{
		{"orphans by reply", "mentions_orphan_reply", "in_reply_to", orphanReplyCond},
		{"orphans by thread", "mentions_orphan_thread", "thread_id", orphanThreadCond},
	} {
		for chunk := range slices.Chunk(refs, 500) {
			args := make([]any, 0, len(chunk)+1)
			for _, r := range chunk {
				args = append(args, r)
			}
			args = append(args, platform)
			n := len(chunk)
			st, err := b.keyed(ctx, stmtKey{by.op, uint64(n)}, func() string {
				return `SELECT ` + orphanCols + ` FROM ` + b.s.orphanFrom(by.index, "m") + ` WHERE ` + by.cond +
					` AND ` + by.col + ` IN ` + b.s.valuesList(1, n) + ` AND platform = ` + b.s.param(n+1)
			})
			if err != nil {
				return nil, fmt.Errorf("find waiting replies on %s: %w", platform, err)
			}
			rows, err := st.QueryContext(ctx, args...)
			if err != nil {
				return nil, fmt.Errorf("find waiting replies on %s: %w", platform, err)
			}
			found, err := scanOrphans(rows)
			if err != nil {
				return nil, fmt.Errorf("find waiting replies on %s: %w", platform, err)
			}
			for _, o := range found {
				if !seen[o.ID] {
					seen[o.ID] = true
					out = append(out, o)
				}
			}
		}
	}
	return out, nil
}

// AdoptableOrphans returns up to limit stored replies without a case
// whose parent is now stored with one: the mention in their in_reply_to,
// their thread's root, or a thread case recorded in threads. The ingest
// batch links a reply when its parent arrives; a reply and its parent
// stored at once by two PostgreSQL transactions, neither seeing the
// other, are left for the sweep that asks this (as are replies stored
// before migration 00010).
func (b *Batch) AdoptableOrphans(ctx context.Context, limit int) ([]Orphan, error) {
	q := `SELECT ` + orphanCols + ` FROM ` + b.s.orphanFrom("mentions_orphan_reply", "m") + ` WHERE ` + orphanReplyCond + `
			AND EXISTS (SELECT 1 FROM mentions p WHERE p.platform = m.platform AND p.external_id = m.in_reply_to AND p.case_id IS NOT NULL)
		UNION
		SELECT ` + orphanCols + ` FROM ` + b.s.orphanFrom("mentions_orphan_thread", "m") + ` WHERE ` + orphanThreadCond + `
			AND (EXISTS (SELECT 1 FROM mentions p WHERE p.platform = m.platform AND p.external_id = m.thread_id AND p.case_id IS NOT NULL)
				OR EXISTS (SELECT 1 FROM threads t WHERE t.platform = m.platform AND t.thread_id = m.thread_id))
		ORDER BY 1 LIMIT $1`
	st, err := b.stmt(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find adoptable replies: %w", err)
	}
	rows, err := st.QueryContext(ctx, limit)
	if err != nil {
		return nil, fmt.Errorf("find adoptable replies: %w", err)
	}
	out, err := scanOrphans(rows)
	if err != nil {
		return nil, fmt.Errorf("find adoptable replies: %w", err)
	}
	return out, nil
}

// orphanCols are the columns scanOrphans reads, of mentions m.
const orphanCols = `m.id, m.platform, m.external_id, m.in_reply_to, m.thread_id, m.created_at, m.analysis`

// scanOrphans reads and closes rows of orphanCols.
func scanOrphans(rows *sql.Rows) ([]Orphan, error) {
	defer rows.Close()
	var out []Orphan
	for rows.Next() {
		var o Orphan
		var at dbTime
		var analysis []byte
		if err := rows.Scan(&o.ID, &o.Platform, &o.ExternalID, &o.InReplyTo, &o.ThreadID, &at, &analysis); err != nil {
			return nil, err
		}
		o.CreatedAt = at.T
		var a struct {
			Intents []string `json:"intents"`
		}
		if json.Unmarshal(analysis, &a) == nil {
			o.Intents = a.Intents
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// AdoptMention puts the stored reply o into case caseID when the batch
// ends (its intents join the case's, as a new mention's would). The
// caller updates the case itself. When another writer gave the reply a
// case meanwhile, the batch fails with ErrRace.
func (b *Batch) AdoptMention(o Orphan, caseID int64) {
	b.adopted = append(b.adopted, adoptedRow{id: o.ID, caseID: caseID, intents: o.Intents})
}

// AdoptPending puts m, which this batch stored with no case (see
// InsertMention), into case caseID when the batch ends.
func (b *Batch) AdoptPending(m *model.Mention, caseID int64) {
	m.CaseID = caseID
}

// adoptedRow is a stored reply joining a case.
type adoptedRow struct {
	id, caseID int64
	intents    []string
}

// flushAdopted writes the case of each stored reply the batch adopted.
func (b *Batch) flushAdopted(ctx context.Context) error {
	for _, a := range b.adopted {
		res, err := b.execStmt(ctx, `UPDATE mentions SET case_id = $1 WHERE id = $2 AND case_id IS NULL`, a.caseID, a.id)
		if err != nil {
			return fmt.Errorf("link reply %d to case %d: %w", a.id, a.caseID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("link reply %d to case %d: it has a case already: %w", a.id, a.caseID, ErrRace)
		}
	}
	return nil
}

// execStmt runs q, prepared once per batch.
func (b *Batch) execStmt(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := b.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}
