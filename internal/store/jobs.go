package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Job states.
const (
	JobPending = "pending"
	JobRunning = "running"
	JobDone    = "done"
	JobDead    = "dead"
)

// DefaultMaxAttempts is how often a job runs before it is dead-lettered.
const DefaultMaxAttempts = 8

// NewJob is a job to enqueue.
type NewJob struct {
	Kind    string
	Payload json.RawMessage
	// DedupeKey, when set, makes the job unique: enqueueing a job whose
	// key was ever enqueued does nothing.
	DedupeKey   string
	RunAt       time.Time
	MaxAttempts int
	// done stores the row as done at once: a record, not work.
	done bool
}

// Job is a stored job.
type Job struct {
	ID          int64           `json:"id"`
	Kind        string          `json:"kind"`
	Payload     json.RawMessage `json:"payload"`
	DedupeKey   string          `json:"dedupe_key,omitempty"`
	State       string          `json:"state"`
	RunAt       time.Time       `json:"run_at"`
	Attempts    int             `json:"attempts"`
	MaxAttempts int             `json:"max_attempts"`
	LastError   string          `json:"last_error,omitempty"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

const jobCols = 8

func (s *Store) jobArgs(args []any, j NewJob, now time.Time) []any {
	payload := string(j.Payload)
	if payload == "" {
		payload = "{}"
	}
	var key any
	if j.DedupeKey != "" {
		key = j.DedupeKey
	}
	maxAttempts := j.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	runAt := j.RunAt
	if runAt.IsZero() {
		runAt = now
	}
	state := JobPending
	if j.done {
		state = JobDone
	}
	return append(args, j.Kind, payload, key, runAt.UnixMilli(), maxAttempts, state, s.ts(now), s.ts(now))
}

// enqueueJobs writes jobs within tx, skipping any whose dedupe key exists.
func (s *Store) enqueueJobs(ctx context.Context, tx dbtx, jobs []NewJob, now time.Time) (int, error) {
	added := 0
	for chunk := range slices.Chunk(jobs, 100) {
		args := make([]any, 0, len(chunk)*jobCols)
		for _, j := range chunk {
			args = s.jobArgs(args, j, now)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, payload, dedupe_key, run_at, max_attempts, state, created_at, updated_at)
			VALUES `+s.valuesList(len(chunk), jobCols)+` ON CONFLICT (dedupe_key) DO NOTHING`, args...)
		if err != nil {
			return added, fmt.Errorf("enqueue jobs: %w", err)
		}
		n, _ := res.RowsAffected()
		added += int(n)
	}
	return added, nil
}

// EnqueueJobs stores jobs in their own transaction and returns how many
// were new (the rest had a dedupe key already used).
func (s *Store) EnqueueJobs(ctx context.Context, now time.Time, jobs ...NewJob) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = s.enqueueJobs(ctx, tx, jobs, now)
		return err
	})
	return n, err
}

// EnqueueJob adds a job to the batch's transaction; it is written when
// the batch ends, with the batch's rows, or not at all.
func (b *Batch) EnqueueJob(j NewJob) {
	b.jobs = append(b.jobs, j)
}

// ClaimJobs takes up to limit due jobs for worker, leasing them until
// now+lease. Jobs whose lease ran out (their worker died) are due again.
// On PostgreSQL, replicas claim with FOR UPDATE SKIP LOCKED and so never
// take the same job; on SQLite the single writer connection serialises
// claims.
func (s *Store) ClaimJobs(ctx context.Context, worker string, now time.Time, lease time.Duration, limit int) ([]Job, error) {
	var out []Job
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		nowMS := now.UnixMilli()
		if _, err := tx.ExecContext(ctx, `UPDATE jobs SET state = 'pending', locked_by = '' WHERE state = 'running' AND locked_until < $1`, nowMS); err != nil {
			return fmt.Errorf("release expired job leases: %w", err)
		}
		pick := `SELECT id FROM jobs WHERE state = 'pending' AND run_at <= $4 ORDER BY run_at, id LIMIT $5` + s.forUpdateSkipLocked()
		rows, err := tx.QueryContext(ctx, `UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1, updated_at = $3
			WHERE id IN (`+pick+`)
			RETURNING id, kind, payload, COALESCE(dedupe_key, ''), run_at, attempts, max_attempts, last_error`,
			worker, now.Add(lease).UnixMilli(), s.ts(now), nowMS, limit)
		if err != nil {
			return fmt.Errorf("claim jobs: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var j Job
			var payload string
			var runAt int64
			if err := rows.Scan(&j.ID, &j.Kind, &payload, &j.DedupeKey, &runAt, &j.Attempts, &j.MaxAttempts, &j.LastError); err != nil {
				return fmt.Errorf("claim jobs: %w", err)
			}
			j.Payload, j.RunAt, j.State, j.UpdatedAt = json.RawMessage(payload), fromMillis(runAt), JobRunning, now
			out = append(out, j)
		}
		return rows.Err()
	})
	slices.SortFunc(out, func(a, b Job) int { return a.RunAt.Compare(b.RunAt) })
	return out, err
}

// CompleteJob marks a job worker holds as done.
func (s *Store) CompleteJob(ctx context.Context, id int64, worker string, now time.Time) error {
	_, err := s.write.ExecContext(ctx, `UPDATE jobs SET state = 'done', locked_by = '', last_error = '', updated_at = $3
		WHERE id = $1 AND locked_by = $2 AND state = 'running'`, id, worker, s.ts(now))
	if err != nil {
		return fmt.Errorf("complete job %d: %w", id, err)
	}
	return nil
}

// FailJob records a failed attempt: the job runs again at retryAt, or,
// when retryAt is zero, is dead-lettered. A deferred attempt (refund
// true: the job was not tried, say for a rate limit) does not count.
func (s *Store) FailJob(ctx context.Context, id int64, worker, msg string, retryAt time.Time, refund bool, now time.Time) error {
	state, runAt := JobPending, retryAt.UnixMilli()
	if retryAt.IsZero() {
		state, runAt = JobDead, now.UnixMilli()
	}
	refundN := 0
	if refund {
		refundN = 1
	}
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	_, err := s.write.ExecContext(ctx, `UPDATE jobs SET state = $3, run_at = $4, last_error = $5, locked_by = '', attempts = attempts - $6, updated_at = $7
		WHERE id = $1 AND locked_by = $2 AND state = 'running'`, id, worker, state, runAt, msg, refundN, s.ts(now))
	if err != nil {
		return fmt.Errorf("fail job %d: %w", id, err)
	}
	return nil
}

// DeadJobs lists dead-lettered jobs, newest first.
func (s *Store) DeadJobs(ctx context.Context, limit int) ([]Job, error) {
	return s.listJobs(ctx, `WHERE state = 'dead' ORDER BY updated_at DESC, id DESC LIMIT $1`, limit)
}

// JobsByKind lists jobs of a kind in id order (for tests and tools).
func (s *Store) JobsByKind(ctx context.Context, kind string) ([]Job, error) {
	return s.listJobs(ctx, `WHERE kind = $1 ORDER BY id`, kind)
}

func (s *Store) listJobs(ctx context.Context, where string, args ...any) ([]Job, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, kind, payload, COALESCE(dedupe_key, ''), state, run_at, attempts, max_attempts, last_error, updated_at FROM jobs `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	out, err := scanAll(rows, "jobs", func(r *sql.Rows, j *Job) error {
		var payload string
		var runAt int64
		var at dbTime
		if err := r.Scan(&j.ID, &j.Kind, &payload, &j.DedupeKey, &j.State, &runAt, &j.Attempts, &j.MaxAttempts, &j.LastError, &at); err != nil {
			return err
		}
		j.Payload, j.RunAt, j.UpdatedAt = json.RawMessage(payload), fromMillis(runAt), at.T
		return nil
	})
	if out == nil {
		out = []Job{}
	}
	return out, err
}

// PurgeJobs deletes jobs done before before (their dedupe keys with
// them) and returns how many it deleted. Dead jobs stay until an admin
// deals with them.
func (s *Store) PurgeJobs(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.write.ExecContext(ctx, `DELETE FROM jobs WHERE state = 'done' AND updated_at < $1`, s.ts(before))
	if err != nil {
		return 0, fmt.Errorf("purge jobs: %w", err)
	}
	return res.RowsAffected()
}
