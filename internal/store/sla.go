package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"earshot/internal/model"
)

// slaCols are the SLA columns of a case, in scanSLA's order.
const slaCols = `next_response_due, resolution_due, sla_policy, sla_paused_at, sla_timers, tags`

// slaScan holds a case's SLA columns while they are scanned.
type slaScan struct {
	next, resolution, paused dbTime
	timers, tags             string
}

func (v *slaScan) dest(c *model.Case) []any {
	return []any{&v.next, &v.resolution, &c.SLAPolicy, &v.paused, &v.timers, &v.tags}
}

func (v *slaScan) fill(c *model.Case) error {
	c.NextResponseDue, c.ResolutionDue, c.SLAPausedAt = v.next.ptr(), v.resolution.ptr(), v.paused.ptr()
	c.Tags = splitTags(v.tags)
	var err error
	if c.SLATimers, err = decodeTimers(v.timers); err != nil {
		return fmt.Errorf("decode SLA timers of case %d: %w", c.ID, err)
	}
	return nil
}

// Timers are stored compactly, one per ';': deadline and stage codes,
// the times in unix milliseconds and the fired flag, like
// "fw,1772463600000,1772464500000,0". Every new case has four, so the
// form is kept short and cheap to write.
var (
	deadlineCodes = map[string]byte{model.DeadlineFirstResponse: 'f', model.DeadlineNextResponse: 'n', model.DeadlineResolution: 'r'}
	stageCodes    = map[string]byte{model.StageWarning: 'w', model.StageBreach: 'b', model.StageMet: 'm', model.StageStopped: 's'}
)

func encodeTimers(ts []model.SLATimer) string {
	if len(ts) == 0 {
		return ""
	}
	b := make([]byte, 0, len(ts)*36)
	for i, t := range ts {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, deadlineCodes[t.Deadline], stageCodes[t.Stage], ',')
		b = strconv.AppendInt(b, t.At.UnixMilli(), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, t.Due.UnixMilli(), 10)
		if t.Fired {
			b = append(b, ",1"...)
		} else {
			b = append(b, ",0"...)
		}
	}
	return string(b)
}

func decodeTimers(s string) ([]model.SLATimer, error) {
	if s == "" {
		return nil, nil
	}
	var out []model.SLATimer
	for part := range strings.SplitSeq(s, ";") {
		f := strings.Split(part, ",")
		if len(f) != 4 || len(f[0]) != 2 {
			return nil, fmt.Errorf("malformed timer %q", part)
		}
		var t model.SLATimer
		for name, code := range deadlineCodes {
			if code == f[0][0] {
				t.Deadline = name
			}
		}
		for name, code := range stageCodes {
			if code == f[0][1] {
				t.Stage = name
			}
		}
		at, err1 := strconv.ParseInt(f[1], 10, 64)
		due, err2 := strconv.ParseInt(f[2], 10, 64)
		if t.Deadline == "" || t.Stage == "" || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("malformed timer %q", part)
		}
		t.At, t.Due, t.Fired = fromMillis(at), fromMillis(due), f[3] == "1"
		out = append(out, t)
	}
	return out, nil
}

func splitTags(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// slaArgs are the values of slaCols for c, then sla_next_at.
func (s *Store) slaArgs(c *model.Case) []any {
	timers := encodeTimers(c.SLATimers)
	var next any
	if n := c.NextSLATimer(); n != nil {
		next = n.UnixMilli()
	}
	return []any{s.tsPtr(c.NextResponseDue), s.tsPtr(c.ResolutionDue), c.SLAPolicy, s.tsPtr(c.SLAPausedAt), timers, strings.Join(c.Tags, ","), next}
}

// readCaseSLA reads what the pipeline knows of a case within tx, locking
// it on PostgreSQL (skipLocked: or not at all when another transaction
// holds it, which reads as ErrNotFound).
func (s *Store) readCaseSLA(ctx context.Context, tx *sql.Tx, id int64, skipLocked bool) (*model.Case, error) {
	q := `SELECT ` + pipelineCaseCols + ` FROM cases WHERE id = $1` + s.forUpdate()
	if skipLocked {
		q = `SELECT ` + pipelineCaseCols + ` FROM cases WHERE id = $1` + s.forUpdateSkipLocked()
	}
	c := new(model.Case)
	if err := scanCaseState(tx.QueryRowContext(ctx, q, id), c); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("case %d: %w", id, ErrNotFound)
		}
		return nil, fmt.Errorf("read case %d: %w", id, err)
	}
	return c, nil
}

// writeCase writes back what the case's rules, deadlines and the SLA
// sweeper change of a case read with readCaseSLA: status, priority,
// owners, first response, activity and deadlines (updated_at only when
// c.UpdatedAt is set: readCaseSLA does not read it).
func (s *Store) writeCase(ctx context.Context, tx *sql.Tx, c *model.Case) error {
	var updated any
	if !c.UpdatedAt.IsZero() {
		updated = s.ts(c.UpdatedAt)
	}
	args := append([]any{c.ID, string(c.Priority), PriorityRank(c.Priority), c.Team, c.Assignee, s.tsPtr(c.FirstResponseDue), sortDue(c)}, s.slaArgs(c)...)
	args = append(args, string(c.Status), s.tsPtr(c.FirstResponseAt), s.ts(c.LastActivityAt), updated)
	_, err := tx.ExecContext(ctx, `UPDATE cases SET priority = $2, prio_rank = $3, team = $4, assignee = $5, first_response_due = $6, sort_due = $7,
		next_response_due = $8, resolution_due = $9, sla_policy = $10, sla_paused_at = $11, sla_timers = $12, tags = $13, sla_next_at = $14,
		status = $15, first_response_at = $16, last_activity_at = $17, updated_at = COALESCE($18, updated_at)
		WHERE id = $1`, args...)
	if err != nil {
		return fmt.Errorf("update case %d: %w", c.ID, err)
	}
	return nil
}

// openStatusesSQL is model.OpenStatuses as an SQL list, ('new', 'open',
// 'pending'). It is a literal rather than parameters so that queries
// match the partial indexes on open cases.
func openStatusesSQL() string {
	var b strings.Builder
	b.WriteByte('(')
	for i, st := range model.OpenStatuses() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("'" + string(st) + "'")
	}
	b.WriteByte(')')
	return b.String()
}

// DueSLACases returns the ids of up to limit cases whose next SLA timer
// is due at now, earliest first, through the partial index on
// sla_next_at.
func (s *Store) DueSLACases(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM cases WHERE sla_next_at IS NOT NULL AND sla_next_at <= $1 ORDER BY sla_next_at LIMIT $2`,
		now.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("find due SLA timers: %w", err)
	}
	ids, err := scanAll(rows, "due SLA timers", func(r *sql.Rows, id *int64) error { return r.Scan(id) })
	return ids, err
}

// SLAFiring is one timer that went off: a marker that names it once and
// for all, and the events and jobs it makes.
type SLAFiring struct {
	// Marker is unique to the timer (case, deadline, stage, due time).
	Marker string
	Events []model.Event
	Jobs   []NewJob
}

// slaMarkerKind marks, in the jobs table, a timer that has fired. The
// marker's unique dedupe key is what makes a firing happen once, whatever
// else writes the case's timers. (An ingest batch no longer writes back a
// stale copy of them: on PostgreSQL it holds the cases it read until it
// commits, and the sweep skips a case a batch holds.)
const slaMarkerKind = "sla_fired"

// FireSLA locks case id and lets fire change it (mark timers fired,
// escalate) and say what fired; it writes the case and, for each firing
// not marked before, its events and jobs, in one transaction. On
// PostgreSQL a case another replica holds is skipped (ok false): its
// timers are that replica's to fire. It returns the firings it kept.
func (s *Store) FireSLA(ctx context.Context, id int64, now time.Time, fire func(c *model.Case) []SLAFiring) ([]SLAFiring, bool, error) {
	var kept []SLAFiring
	ok := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		kept = kept[:0]
		c, err := s.readCaseSLA(ctx, tx, id, true)
		if errors.Is(err, ErrNotFound) {
			return nil // gone, or locked by another replica
		}
		if err != nil {
			return err
		}
		ok = true
		firings := fire(c)
		if err := s.writeCase(ctx, tx, c); err != nil {
			return err
		}
		for _, f := range firings {
			n, err := s.enqueueJobs(ctx, tx, []NewJob{{Kind: slaMarkerKind, DedupeKey: f.Marker, RunAt: now, done: true}}, now)
			if err != nil {
				return err
			}
			if n == 0 {
				continue // fired before
			}
			for _, e := range f.Events {
				if err := addEvent(ctx, s, tx, e); err != nil {
					return err
				}
			}
			if _, err := s.enqueueJobs(ctx, tx, f.Jobs, now); err != nil {
				return err
			}
			kept = append(kept, f)
		}
		return nil
	})
	return kept, ok, err
}

// OpenCaseLoad counts the open cases of each of assignees.
func (b *Batch) OpenCaseLoad(ctx context.Context, assignees []string) (map[string]int, error) {
	out := make(map[string]int, len(assignees))
	if len(assignees) == 0 {
		return out, nil
	}
	args := make([]any, len(assignees))
	for i, a := range assignees {
		args[i] = a
	}
	rows, err := b.tx.QueryContext(ctx, `SELECT assignee, COUNT(*) FROM cases WHERE assignee IN `+b.s.valuesList(1, len(assignees))+`
		AND status IN `+openStatusesSQL()+` GROUP BY assignee`, args...)
	if err != nil {
		return nil, fmt.Errorf("count open cases by assignee: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a string
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			return nil, fmt.Errorf("count open cases by assignee: %w", err)
		}
		out[a] = n
	}
	return out, rows.Err()
}
