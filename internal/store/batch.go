package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"earshot/internal/model"
	"earshot/internal/store/ftsindex"
)

// ErrRace is returned (wrapped) by a batch when another writer stored one
// of its mentions first; the batch is rolled back and may be retried.
var ErrRace = errors.New("mention stored concurrently")

// Batch is one write transaction of the ingest pipeline. Its methods are
// the reads and writes that threading needs; the decisions are the
// caller's. A Batch is used by one goroutine only.
//
// New cases, mentions, events and full-text rows get their ids at once
// but are written together, in multi-row statements, when the batch
// ends; reads through the Batch do not see them before that, so the
// caller keeps track of what it added. Writing at the end is what makes
// the batch fast: one statement per few hundred rows instead of one per
// row.
type Batch struct {
	s     *Store
	tx    dbtx
	stmts map[string]*sql.Stmt
	ids   map[string]*idPool

	newCases map[int64]*model.Case
	// read holds stored cases as CaseState or OpenCaseForAuthor read
	// them, so that UpdateCaseState writes only what changed.
	read     map[int64][]any
	caseList []*model.Case
	mentions []pendingMention
	events   []model.Event
	threads  []threadRow
	jobs     []NewJob
	// adopted are stored replies that join a case (see AdoptMention).
	adopted []adoptedRow
	// edited are stored mentions the batch updated (see EditMention),
	// for their intents; echoes link replies to the mentions that
	// brought them back (see LinkReplyMention).
	edited []adoptedRow
	echoes []echoRow

	// byKey finds the batch's prepared statements by stmtKey.
	byKey map[stmtKey]*sql.Stmt
}

// WriteBatch runs fn in one write transaction, writes what fn added and
// commits when fn returns nil. Nothing is kept when it returns an error.
func (s *Store) WriteBatch(ctx context.Context, fn func(b *Batch) error) error {
	var committed []pendingMention
	err := s.inBatchTx(ctx, func(tx dbtx) error {
		b := &Batch{s: s, tx: tx, stmts: make(map[string]*sql.Stmt, 16), byKey: make(map[stmtKey]*sql.Stmt, 16),
			ids: map[string]*idPool{}, newCases: map[int64]*model.Case{}, read: map[int64][]any{}}
		defer b.closeStmts()
		if err := fn(b); err != nil {
			return err
		}
		if err := b.flush(ctx); err != nil {
			return err
		}
		committed = b.mentions
		return nil
	})
	if err == nil && s.search != nil {
		rows := make([]ftsindex.Row, len(committed))
		for i, p := range committed {
			rows[i] = ftsindex.Row{ID: p.m.ID, Text: p.m.Text, Author: p.m.Author.Handle + " " + p.m.Author.Name}
		}
		s.search.Add(rows)
	}
	return err
}

func (b *Batch) closeStmts() {
	for _, st := range b.stmts {
		st.Close()
	}
}

// stmt prepares q once per batch.
func (b *Batch) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := b.stmts[q]; ok {
		return st, nil
	}
	st, err := b.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	b.stmts[q] = st
	return st, nil
}

// stmtKey names one of a batch's statements by what it does and its shape
// (rows of a multi-row statement, columns an update sets), so that a
// batch running it thousands of times neither builds nor hashes its text.
type stmtKey struct {
	op string
	n  uint64
}

// keyed returns the batch's statement for key, prepared from build's text
// the first time.
func (b *Batch) keyed(ctx context.Context, key stmtKey, build func() string) (*sql.Stmt, error) {
	if st, ok := b.byKey[key]; ok {
		return st, nil
	}
	st, err := b.stmt(ctx, build())
	if err != nil {
		return nil, err
	}
	b.byKey[key] = st
	return st, nil
}

// execKeyed runs the statement keyed returns.
func (b *Batch) execKeyed(ctx context.Context, key stmtKey, build func() string, args ...any) error {
	st, err := b.keyed(ctx, key, build)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

func (b *Batch) queryRow(ctx context.Context, q string, args ...any) (*sql.Row, error) {
	st, err := b.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryRowContext(ctx, args...), nil
}

// idPool hands out row ids for one table within a batch.
type idPool struct {
	next, end int64   // SQLite: a range above the table's largest id
	free      []int64 // PostgreSQL: values taken from the table's sequence
}

// newID returns an unused id for table (cases or mentions), from the
// ids the engine sets aside for the batch (see refillIDs).
func (b *Batch) newID(ctx context.Context, table string) (int64, error) {
	p := b.ids[table]
	if p == nil {
		p = &idPool{}
		b.ids[table] = p
	}
	if p.next >= p.end && len(p.free) == 0 {
		if err := b.s.refillIDs(ctx, b.tx, table, p); err != nil {
			return 0, err
		}
	}
	if p.next < p.end {
		id := p.next
		p.next++
		return id, nil
	}
	id := p.free[0]
	p.free = p.free[1:]
	return id, nil
}

// Column counts of the multi-row statements.
const (
	caseCols    = 28
	mentionCols = 22
	eventCols   = 5
)

// flush writes what the batch added: cases, then mentions, events and
// intents, in multi-row statements. (On SQLite the search index follows
// the mentions on its own; see sqliteSearch.)
func (b *Batch) flush(ctx context.Context) error {
	for chunk := range slices.Chunk(b.caseList, 40) {
		args := make([]any, 0, len(chunk)*caseCols)
		for _, c := range chunk {
			args = append(args, c.ID, c.Status, c.Priority, PriorityRank(c.Priority), c.Platform, c.Channel, c.AuthorID, c.Team, c.Site, c.Assignee, c.Urgency,
				b.s.ts(c.CreatedAt), b.s.ts(c.UpdatedAt), b.s.ts(c.LastActivityAt), b.s.tsPtr(c.FirstResponseDue), b.s.tsPtr(c.FirstResponseAt),
				sortDue(c), c.SentimentFirst, c.SentimentLast, c.MentionCount, c.Summary)
			args = append(args, b.s.slaArgs(c)...)
		}
		n := len(chunk)
		q := func() string {
			return `INSERT INTO cases (id, status, priority, prio_rank, platform, channel, author_id, team, site, assignee, urgency,
			created_at, updated_at, last_activity_at, first_response_due, first_response_at, sort_due,
			sentiment_first, sentiment_last, mention_count, summary, ` + slaCols + `, sla_next_at) VALUES ` + b.s.valuesList(n, caseCols)
		}
		if err := b.execKeyed(ctx, stmtKey{"insert cases", uint64(n)}, q, args...); err != nil {
			return fmt.Errorf("insert cases: %w", err)
		}
	}
	for chunk := range slices.Chunk(b.mentions, 40) {
		args := make([]any, 0, len(chunk)*mentionCols)
		for _, p := range chunk {
			m := p.m
			var sentiment, urgency string
			var needs bool
			if a := m.Analysis; a != nil {
				sentiment, urgency, needs = a.Sentiment.Label, a.Urgency.Level, a.NeedsResponse
			}
			var caseArg, rating any
			if m.CaseID != 0 {
				caseArg = m.CaseID
			}
			if m.Rating != nil {
				rating = *m.Rating
			}
			args = append(args, m.ID, m.Platform, m.ExternalID, caseArg, p.authorID, m.Author.Handle, m.Channel, m.Kind, m.Direction,
				m.Text, m.URL, b.s.ts(m.CreatedAt), b.s.ts(m.ReceivedAt), m.InReplyTo, m.ThreadID, rating, m.Place,
				sentiment, urgency, needs, string(p.analysis), MentionHash(m.Text, m.Rating))
		}
		n := len(chunk)
		st, err := b.keyed(ctx, stmtKey{"insert mentions", uint64(n)}, func() string {
			return `INSERT INTO mentions (id, platform, external_id, case_id, author_id, author_handle, channel, kind, direction,
			text, url, created_at, received_at, in_reply_to, thread_id, rating, place, sentiment, urgency, needs_response, analysis, content_hash)
			VALUES ` + b.s.valuesList(n, mentionCols) + ` ON CONFLICT (platform, external_id) DO NOTHING`
		})
		if err != nil {
			return fmt.Errorf("insert mentions: %w", err)
		}
		res, err := st.ExecContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("insert mentions: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != int64(len(chunk)) {
			return fmt.Errorf("insert mentions: %d of %d stored: %w", n, len(chunk), ErrRace)
		}
	}
	for chunk := range slices.Chunk(b.events, 200) {
		args := make([]any, 0, len(chunk)*eventCols)
		for _, e := range chunk {
			data := string(e.Data)
			if data == "" {
				data = "{}"
			}
			args = append(args, e.CaseID, e.Type, e.Actor, data, b.s.ts(e.CreatedAt))
		}
		n := len(chunk)
		q := func() string {
			return `INSERT INTO events (case_id, type, actor, data, created_at) VALUES ` + b.s.valuesList(n, eventCols)
		}
		if err := b.execKeyed(ctx, stmtKey{"insert events", uint64(n)}, q, args...); err != nil {
			return fmt.Errorf("add events: %w", err)
		}
	}
	for chunk := range slices.Chunk(b.threads, 300) {
		args := make([]any, 0, len(chunk)*3)
		for _, r := range chunk {
			args = append(args, r.platform, r.threadID, r.caseID)
		}
		n := len(chunk)
		q := func() string {
			return `INSERT INTO threads (platform, thread_id, case_id) VALUES ` + b.s.valuesList(n, 3) + ` ON CONFLICT DO NOTHING`
		}
		if err := b.execKeyed(ctx, stmtKey{"insert threads", uint64(n)}, q, args...); err != nil {
			return fmt.Errorf("record threads: %w", err)
		}
	}
	if err := b.flushAdopted(ctx); err != nil {
		return err
	}
	if err := b.flushEchoes(ctx); err != nil {
		return err
	}
	if err := b.flushIntents(ctx); err != nil {
		return err
	}
	if len(b.jobs) > 0 {
		if _, err := b.s.enqueueJobs(ctx, b.tx, b.jobs, time.Now().UTC()); err != nil {
			return err
		}
	}
	return nil
}
