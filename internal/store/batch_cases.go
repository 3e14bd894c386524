package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"earshot/internal/model"
)

// InsertCase gives c an id and stores it, as it stands when the batch
// ends.
func (b *Batch) InsertCase(ctx context.Context, c *model.Case) error {
	id, err := b.newID(ctx, "cases")
	if err != nil {
		return err
	}
	c.ID = id
	b.newCases[id] = c
	b.caseList = append(b.caseList, c)
	return nil
}

// UpdateCaseState writes back the pipeline's fields of a case read with
// CaseState or OpenCaseForAuthor (created_at too: a mention older than
// the case's first one may come later and open it). A case inserted by this batch needs no
// update: it is written as it stands when the batch ends. Only the
// columns that changed since the case was read are written, so that an
// update which leaves the queue's columns alone does not touch the
// queue's indexes.
func (b *Batch) UpdateCaseState(ctx context.Context, c *model.Case) error {
	if _, ok := b.newCases[c.ID]; ok {
		return nil
	}
	now := b.s.caseValues(c)
	was, known := b.read[c.ID]
	var set uint64 // bit i: caseStateColumns[i] changed
	args := make([]any, 1, 1+len(now))
	args[0] = c.ID
	for i, col := range caseStateColumns {
		if known && col != "updated_at" && sameValue(was[i], now[i]) {
			continue
		}
		set |= 1 << i
		args = append(args, now[i])
	}
	build := func() string {
		var cols []string
		for i, col := range caseStateColumns {
			if set&(1<<i) != 0 {
				cols = append(cols, col+" = $"+strconv.Itoa(len(cols)+2))
			}
		}
		return `UPDATE cases SET ` + strings.Join(cols, ", ") + ` WHERE id = $1`
	}
	if err := b.execKeyed(ctx, stmtKey{"update case", set}, build, args...); err != nil {
		return fmt.Errorf("update case %d: %w", c.ID, err)
	}
	b.read[c.ID] = now
	return nil
}

// caseStateColumns are the case columns UpdateCaseState writes, in the
// order of caseValues.
var caseStateColumns = [...]string{"status", "priority", "prio_rank", "urgency", "updated_at",
	"last_activity_at", "first_response_due", "first_response_at", "sort_due",
	"sentiment_first", "sentiment_last", "mention_count", "summary", "team", "site", "assignee", "created_at",
	"next_response_due", "resolution_due", "sla_policy", "sla_paused_at", "sla_timers", "tags", "sla_next_at"}

// UpdateCaseState keys its statements by a bit per column.
var _ [64 - len(caseStateColumns)]struct{}

// caseValues are c's values of caseStateColumns as they are stored. They
// are plain values (strings, numbers, times, nil), so a copy taken when
// the case is read cannot change with c.
func (s *Store) caseValues(c *model.Case) []any {
	return append([]any{c.Status, c.Priority, PriorityRank(c.Priority), c.Urgency, s.ts(c.UpdatedAt),
		s.ts(c.LastActivityAt), s.tsPtr(c.FirstResponseDue), s.tsPtr(c.FirstResponseAt), sortDue(c),
		c.SentimentFirst, c.SentimentLast, c.MentionCount, c.Summary, c.Team, c.Site, c.Assignee, s.ts(c.CreatedAt)}, s.slaArgs(c)...)
}

// remember keeps a stored case's values as read, for UpdateCaseState.
func (b *Batch) remember(c *model.Case) {
	b.read[c.ID] = b.s.caseValues(c)
}

// sameValue compares two stored values of caseValues.
func sameValue(a, b any) bool {
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	return a == b
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
