package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"earshot/internal/model"
)

// ThreadCase finds the case of the first stored mention that carries
// threadID as its thread id, as the batches that stored the thread's
// mentions recorded it (see AddThread).
func (b *Batch) ThreadCase(ctx context.Context, platform, threadID string) (int64, bool, error) {
	row, err := b.queryRow(ctx, `SELECT case_id FROM threads WHERE platform = $1 AND thread_id = $2`, platform, threadID)
	if err != nil {
		return 0, false, err
	}
	var id int64
	switch err := row.Scan(&id); {
	case errors.Is(err, sql.ErrNoRows):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("find thread %s/%s: %w", platform, threadID, err)
	}
	return id, true, nil
}

// AddThread records, when the batch ends, caseID as the case of thread
// threadID on platform, unless a case is recorded for it already. The
// caller adds it for the first mention of a thread that it stores with
// a case while the thread's root is not stored with one; ThreadCase
// then finds it for the thread's later mentions.
func (b *Batch) AddThread(platform, threadID string, caseID int64) {
	b.threads = append(b.threads, threadRow{platform, threadID, caseID})
}

type threadRow struct {
	platform, threadID string
	caseID             int64
}

// UpsertAuthor creates or refreshes an author on a platform and returns
// its id.
func (b *Batch) UpsertAuthor(ctx context.Context, platform string, a model.Author, now time.Time) (int64, error) {
	ids, err := b.UpsertAuthors(ctx, []AuthorRow{{Platform: platform, Author: a}}, now)
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// AuthorRow is an author to create or refresh on a platform.
type AuthorRow struct {
	Platform string
	Author   model.Author
}

// authorChunk is how many authors one upsert statement writes.
const authorChunk = 200

// UpsertAuthors creates or refreshes authors, many a statement, and
// returns their ids in the order of rows. Rows must differ by platform
// and key (one statement may not change a row twice).
func (b *Batch) UpsertAuthors(ctx context.Context, rows []AuthorRow, now time.Time) ([]int64, error) {
	ids := make([]int64, len(rows))
	at := make(map[[2]string]int, len(rows))
	for i, r := range rows {
		k := [2]string{r.Platform, r.Author.Key()}
		if _, dup := at[k]; dup {
			return nil, fmt.Errorf("upsert authors: %s/%s given twice", r.Platform, k[1])
		}
		at[k] = i
	}
	updated := b.s.ts(now)
	if b.Locking() {
		// In one order in every batch, so that two writing the same
		// authors wait for each other rather than deadlock.
		rows = slices.SortedFunc(slices.Values(rows), func(x, y AuthorRow) int {
			return cmp.Or(strings.Compare(x.Platform, y.Platform), strings.Compare(x.Author.Key(), y.Author.Key()))
		})
	}
	for chunk := range slices.Chunk(rows, authorChunk) {
		args := make([]any, 0, 11*len(chunk))
		for _, r := range chunk {
			a := r.Author
			args = append(args, r.Platform, a.Key(), a.ID, a.Handle, a.Name, a.Followers, a.Following, a.Posts, a.Verified, a.Location, updated)
		}
		// RETURNING gives rows in no set order: match them by key.
		n := len(chunk)
		st, err := b.keyed(ctx, stmtKey{"upsert authors", uint64(n)}, func() string {
			return `INSERT INTO authors (platform, key, ext_id, handle, name, followers, following, posts, verified, location, updated_at)
			VALUES ` + b.s.valuesList(n, 11) + `
			ON CONFLICT (platform, key) DO UPDATE SET
				ext_id = excluded.ext_id, handle = excluded.handle, name = excluded.name,
				followers = excluded.followers, following = excluded.following, posts = excluded.posts,
				verified = excluded.verified, location = excluded.location, updated_at = excluded.updated_at
			RETURNING platform, key, id`
		})
		if err != nil {
			return nil, fmt.Errorf("upsert authors: %w", err)
		}
		rs, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("upsert authors: %w", err)
		}
		got := 0
		for rs.Next() {
			var k [2]string
			var id int64
			if err := rs.Scan(&k[0], &k[1], &id); err != nil {
				rs.Close()
				return nil, fmt.Errorf("upsert authors: %w", err)
			}
			i, ok := at[k]
			if !ok {
				rs.Close()
				return nil, fmt.Errorf("upsert authors: the store returned %s/%s, which was not asked for", k[0], k[1])
			}
			ids[i] = id
			got++
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, fmt.Errorf("upsert authors: %w", err)
		}
		if got != len(chunk) {
			return nil, fmt.Errorf("upsert authors: %d of %d written", got, len(chunk))
		}
	}
	return ids, nil
}

// caseStateCols are the case columns the pipeline reads and updates.
const caseStateCols = `id, status, priority, urgency, platform, channel, author_id, created_at, last_activity_at,
	first_response_due, first_response_at, sentiment_first, sentiment_last, mention_count, summary`

// pipelineCaseCols are what the pipeline reads of a case: caseStateCols,
// who handles it and its deadlines.
const pipelineCaseCols = caseStateCols + `, team, site, assignee, ` + slaCols

func scanCaseState(row interface{ Scan(...any) error }, c *model.Case) error {
	var created, last, due, first dbTime
	var v slaScan
	dest := append([]any{&c.ID, &c.Status, &c.Priority, &c.Urgency, &c.Platform, &c.Channel, &c.AuthorID,
		&created, &last, &due, &first, &c.SentimentFirst, &c.SentimentLast, &c.MentionCount, &c.Summary,
		&c.Team, &c.Site, &c.Assignee}, v.dest(c)...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	c.CreatedAt, c.LastActivityAt = created.T, last.T
	c.FirstResponseDue, c.FirstResponseAt = due.ptr(), first.ptr()
	return v.fill(c)
}

// OpenCasesForAuthors reads the open cases of the given authors that saw
// activity since since, in chunks of one query each: the threader picks,
// for each mention, the author's most recently active one within the
// mention's own window. On PostgreSQL the cases are locked until the
// batch ends, as CaseStates and CaseState lock theirs, and the caller
// holds the authors (LockAuthors), so that no other batch opens a case
// for one of them meanwhile.
func (b *Batch) OpenCasesForAuthors(ctx context.Context, authorIDs []int64, since time.Time) ([]*model.Case, error) {
	// Without statistics SQLite would rather walk every open case by
	// status than seek each author's few cases.
	from := b.s.indexedBy("cases", "", "cases_author")
	return b.caseStates(ctx, "open cases", authorIDs, func(in string, n int) string {
		return `SELECT ` + pipelineCaseCols + ` FROM ` + from + `
			WHERE author_id IN ` + in + ` AND status IN ` + openStatusesSQL() + ` AND last_activity_at >= ` + b.s.param(n+1) + b.lockRead()
	}, b.s.ts(since))
}

// CaseStates reads the pipeline's fields of the cases with the given ids,
// in chunks of one query each; ids not found are left out.
func (b *Batch) CaseStates(ctx context.Context, ids []int64) ([]*model.Case, error) {
	if b.Locking() {
		ids = slices.Sorted(slices.Values(ids)) // locked in id order across chunks too
	}
	return b.caseStates(ctx, "case states", ids, func(in string, _ int) string {
		return `SELECT ` + pipelineCaseCols + ` FROM cases WHERE id IN ` + in + b.lockRead()
	}, nil)
}

// caseStates runs query (named op), built for an IN list of up to 500 of
// keys, over all of keys, with extra (when not nil) as the parameter after
// the list, and returns the cases read. Each is remembered for
// UpdateCaseState.
func (b *Batch) caseStates(ctx context.Context, op string, keys []int64, query func(in string, n int) string, extra any) ([]*model.Case, error) {
	var out []*model.Case
	for chunk := range slices.Chunk(keys, 500) {
		args := make([]any, 0, len(chunk)+1)
		for _, k := range chunk {
			args = append(args, k)
		}
		if extra != nil {
			args = append(args, extra)
		}
		n := len(chunk)
		st, err := b.keyed(ctx, stmtKey{op, uint64(n)}, func() string { return query(b.s.valuesList(1, n), n) })
		if err != nil {
			return nil, fmt.Errorf("read cases: %w", err)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("read cases: %w", err)
		}
		for rows.Next() {
			c := new(model.Case)
			if err := scanCaseState(rows, c); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read cases: %w", err)
			}
			b.remember(c)
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read cases: %w", err)
		}
	}
	return out, nil
}

// CaseState reads the pipeline's fields of a case (locking it until the
// batch ends, on PostgreSQL).
func (b *Batch) CaseState(ctx context.Context, id int64) (*model.Case, error) {
	row, err := b.queryRow(ctx, `SELECT `+pipelineCaseCols+` FROM cases WHERE id = $1`+b.lockRead(), id)
	if err != nil {
		return nil, err
	}
	c := new(model.Case)
	switch err := scanCaseState(row, c); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("case %d: %w", id, ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("read case %d: %w", id, err)
	}
	b.remember(c)
	return c, nil
}

// MentionRef is a stored mention's id and case id (0 for none).
type MentionRef struct {
	ID, CaseID int64
}

// MentionRefs finds stored mentions of one platform by external id, in
// chunks of one query each.
func (b *Batch) MentionRefs(ctx context.Context, platform string, externalIDs []string) (map[string]MentionRef, error) {
	out := make(map[string]MentionRef, len(externalIDs))
	for chunk := range slices.Chunk(externalIDs, 500) {
		args := make([]any, 0, len(chunk)+1)
		for _, id := range chunk {
			args = append(args, id)
		}
		args = append(args, platform)
		n := len(chunk)
		st, err := b.keyed(ctx, stmtKey{"mention refs", uint64(n)}, func() string {
			return `SELECT external_id, id, COALESCE(case_id, 0) FROM mentions WHERE external_id IN ` + b.s.valuesList(1, n) +
				` AND platform = ` + b.s.param(n+1)
		})
		if err != nil {
			return nil, fmt.Errorf("find mentions on %s: %w", platform, err)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("find mentions on %s: %w", platform, err)
		}
		for rows.Next() {
			var ext string
			var r MentionRef
			if err := rows.Scan(&ext, &r.ID, &r.CaseID); err != nil {
				rows.Close()
				return nil, fmt.Errorf("find mentions on %s: %w", platform, err)
			}
			out[ext] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("find mentions on %s: %w", platform, err)
		}
	}
	return out, nil
}

// addEvent appends e within tx.
func addEvent(ctx context.Context, s *Store, tx *sql.Tx, e model.Event) error {
	data := string(e.Data)
	if data == "" {
		data = "{}"
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (case_id, type, actor, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
		e.CaseID, e.Type, e.Actor, data, s.ts(e.CreatedAt)); err != nil {
		return fmt.Errorf("add %s event to case %d: %w", e.Type, e.CaseID, err)
	}
	return nil
}

// PriorityRank is the prio_rank column of a case of priority p: its
// model.Priority.Rank.
func PriorityRank(p model.Priority) int { return p.Rank() }

// noDue sorts cases with no running deadline after every due one.
// Migration 00017 writes the same value.
const noDue = int64(1) << 62

// sortDue is the queue's deadline key: the case's nearest running
// deadline (model.Case.NextDeadline) in unix milliseconds, else last.
// Migration 00017 computes the same in SQL for the cases stored before.
func sortDue(c *model.Case) int64 {
	if _, due, ok := c.NextDeadline(); ok {
		return due.UnixMilli()
	}
	return noDue
}

// EarliestReply returns the time of the earliest of our replies stored
// with case caseID that was made at or after from and before to, and
// whether there is one. The threader asks when a mention older than a
// stored case's opening opens it: a reply older than the old opening
// did not count as the case's first response then, and may now.
func (b *Batch) EarliestReply(ctx context.Context, caseID int64, from, to time.Time) (time.Time, bool, error) {
	row, err := b.queryRow(ctx, `SELECT MIN(created_at) FROM mentions
		WHERE case_id = $1 AND direction = 'outbound' AND created_at >= $2 AND created_at < $3`, caseID, b.s.ts(from), b.s.ts(to))
	if err != nil {
		return time.Time{}, false, fmt.Errorf("earliest reply of case %d: %w", caseID, err)
	}
	var at dbTime
	if err := row.Scan(&at); err != nil {
		return time.Time{}, false, fmt.Errorf("earliest reply of case %d: %w", caseID, err)
	}
	return at.T, at.Valid, nil
}
