package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ThreadCase finds the case of the first stored mention that carries
// threadID as its thread id, as the batches that stored the thread's
// mentions recorded it (see AddThread).
func (b *Batch) ThreadCase(ctx context.Context, platform, threadID string) (int64, bool, error) {
	return b.idOf(ctx, "find thread", `SELECT case_id FROM threads WHERE platform = $1 AND thread_id = $2`, platform, threadID)
}

// idOf reads the one id query finds for platform and key, and whether
// it found one; what names the read in its error.
func (b *Batch) idOf(ctx context.Context, what, query, platform, key string) (int64, bool, error) {
	row, err := b.queryRow(ctx, query, platform, key)
	if err != nil {
		return 0, false, err
	}
	var id int64
	switch err := row.Scan(&id); {
	case errors.Is(err, sql.ErrNoRows):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("%s %s/%s: %w", what, platform, key, err)
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
