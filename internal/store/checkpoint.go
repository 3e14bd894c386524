package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// checkpointer copies the SQLite write-ahead log back into the database
// file on its own connection and goroutine, so that the writer, the one
// thing every ingest waits for, never pays for it. A PASSIVE checkpoint
// does not block the writer; the log starts over from its beginning once
// a checkpoint has caught up with it. The writer's own automatic
// checkpoint stays on at a high mark as a backstop.
type checkpointer struct {
	db   *sql.DB
	stop context.CancelFunc
	done chan struct{}
	// committed hears of each commit; it holds at most one signal, so
	// commits made during a pass lead to one more pass.
	committed chan struct{}
	// pause spaces passes out while the writer is busy.
	pause time.Duration
	turns turns
}

// walBackstopPages is the writer's automatic checkpoint mark (512 MiB
// of 4 KiB pages). While the writer commits back to back, the log cannot
// start over (the checkpointer never catches up with a commit before the
// next one begins), so it grows until this mark, and then the writer's
// own pass, on the writer's path, lets it start over; its fsync writes
// back everything the checkpointer copied meanwhile. An import grows the
// log by about 7 MB a 10,000-mention transaction: at 64 MiB the writer
// made that pass every ninth commit or so, at 512 MiB about once in 70
// (1M import: 14,955/s at 64 MiB, 15,603/s at 256 MiB, 15,974/s at
// 1 GiB). Once the log starts over, the writer's journal_size_limit cuts
// the file back.
const walBackstopPages = 131072

// walSizeLimit is the size the log file is cut back to when it starts
// over (journal_size_limit).
const walSizeLimit = 64 << 20

func startCheckpointer(dsn string, pause time.Duration, turns turns) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open checkpoint connection: %w", err)
	}
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{db: db, stop: cancel, done: make(chan struct{}), committed: make(chan struct{}, 1), pause: pause, turns: turns}
	go c.run(ctx)
	return c, nil
}

// notify tells the checkpointer that the writer committed; it never
// blocks.
func (c *checkpointer) notify() {
	select {
	case c.committed <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run(ctx context.Context) {
	defer close(c.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.committed:
			// A busy or failed pass is retried after the next commit;
			// the backstop keeps the log bounded meanwhile. Close does
			// not cancel a pass: cut short, it would release its
			// connection after close had returned (see ftsindex.Index.quit).
			done := c.turns.take()
			c.checkpoint(context.WithoutCancel(ctx))
			done()
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(c.pause):
		}
	}
}

func (c *checkpointer) checkpoint(ctx context.Context) (busy, logFrames, done int, err error) {
	err = c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logFrames, &done)
	return busy, logFrames, done, err
}

// close stops the checkpointer after one last pass.
func (c *checkpointer) close() error {
	c.stop()
	<-c.done
	_, _, _, err := c.checkpoint(context.Background())
	if err != nil {
		err = fmt.Errorf("final checkpoint: %w", err)
	}
	if cerr := closeDB(c.db, "checkpointer"); err == nil && cerr != nil {
		err = cerr
	}
	return err
}
