package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"earshot/internal/jsonexact"
	"earshot/internal/model"
)

// MaxLineBytes bounds one JSON Lines row; a longer row is refused.
const MaxLineBytes = 1 << 20

// DefaultImportBatch is Import's default transaction size: on a 300k
// import, 20,000 rows a transaction wrote 24% fewer log pages than
// 10,000, in about 470 MB at its peak for a million rows.
const DefaultImportBatch = 20000

// ImportOptions configure Import. Zero values take defaults.
type ImportOptions struct {
	// BatchSize is about how many rows are stored per transaction
	// (default DefaultImportBatch): rows are gathered, in chunks of up to
	// 2,000, until there are at least this many.
	BatchSize int
	// Workers decode and analyse in parallel (default GOMAXPROCS).
	Workers int
	// Strict stops at the first bad row; rows before it are kept.
	Strict bool
	// OnError hears of each bad row, by 1-based line number.
	OnError func(line int, err error)
	// OnBatch hears of progress after each stored batch.
	OnBatch func(ImportStats)
}

// ImportStats counts what an import did.
type ImportStats struct {
	Read      int64         `json:"read"`
	New       int64         `json:"new"`
	Duplicate int64         `json:"duplicate"`
	Rejected  int64         `json:"rejected"`
	Elapsed   time.Duration `json:"elapsed"`
}

// Rate is rows read per second.
func (s ImportStats) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Read) / s.Elapsed.Seconds()
}

// ErrStrict is returned (wrapped) when a strict import meets a bad row.
var ErrStrict = errors.New("bad row in strict mode")

type row struct {
	line int
	data []byte
	m    model.Mention
	err  error
}

type importBatch struct {
	rows []row
	// flush asks for the rows gathered so far to be stored now: the
	// input has paused.
	flush bool
}

// Import reads JSON Lines mentions from r through the whole pipeline. It
// can be run again on the same input safely: stored rows come back as
// duplicates. When ctx is cancelled it stops reading, stores the rows
// already read, and returns the counts with ctx's error.
//
// Rows are read and prepared in chunks of at most importChunk, and
// handed to the writer a transaction (BatchSize rows) at a time without
// waiting for it: the next transaction fills up while the writer writes
// one, so the writer rarely waits and memory holds about two
// transactions' rows.
func (p *Pipeline) Import(ctx context.Context, r io.Reader, opts ImportOptions) (ImportStats, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultImportBatch
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	chunk := min(opts.BatchSize, importChunk)
	tally := &importTally{start: time.Now()}

	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	raw := make(chan *importBatch, 1)
	var readErr error
	go func() {
		defer close(raw)
		readErr = readBatches(readCtx, r, chunk, raw)
	}()
	prepared := make(chan *importBatch, 1)
	go func() {
		defer close(prepared)
		for b := range raw {
			p.prepareBatch(b, opts.Workers)
			prepared <- b
		}
	}()

	// Transactions are counted in order by one goroutine. One is
	// written while the next fills up and waits; inFlight holds both.
	inFlight := make(chan *importTx)
	counted := make(chan struct{})
	go func() {
		defer close(counted)
		for tx := range inFlight {
			<-tx.done
			if tx.err != nil {
				stopReading()
			}
			if stats, ok := tally.stored(tx); ok && opts.OnBatch != nil {
				opts.OnBatch(stats)
			}
		}
	}()

	// Rows already read are stored even after cancellation, so that a
	// signalled import finishes its in-flight batches.
	storeCtx := context.WithoutCancel(ctx)
	var ptrs []*model.Mention
	lastLine := 0
	submit := func() {
		if len(ptrs) == 0 {
			return
		}
		tx := &importTx{n: len(ptrs), lastLine: lastLine, done: make(chan struct{})}
		inFlight <- tx
		go func(ms []*model.Mention) {
			tx.results, tx.err = p.storeUpTo(storeCtx, ms, len(ms))
			close(tx.done)
		}(ptrs)
		ptrs = nil
	}
	for b := range prepared {
		if tally.failed() {
			continue // drain
		}
		var strictErr error
		n, rejected := 0, 0
		for i := range b.rows {
			rw := &b.rows[i]
			n++
			if rw.err != nil {
				rejected++
				p.opts.Metrics.rejected(1)
				if opts.OnError != nil {
					opts.OnError(rw.line, rw.err)
				}
				if opts.Strict {
					strictErr = fmt.Errorf("%w: line %d: %v", ErrStrict, rw.line, rw.err)
					break
				}
				continue
			}
			if ptrs == nil {
				ptrs = make([]*model.Mention, 0, opts.BatchSize)
			}
			ptrs = append(ptrs, &rw.m)
			lastLine = rw.line
		}
		tally.read(n, rejected, strictErr)
		if strictErr != nil {
			stopReading()
			submit()
		} else if len(ptrs) >= opts.BatchSize || b.flush {
			submit()
		}
	}
	submit()
	close(inFlight)
	<-counted
	// The counting goroutine has ended: tally is this goroutine's now.
	failure := tally.failure
	if failure == nil && readErr == nil {
		// Done when what was imported can be found, not before: the
		// search index follows the mentions on its own.
		if err := p.store.SyncSearch(ctx); err != nil {
			failure = fmt.Errorf("index imported mentions for search: %w", err)
		}
	}
	stats := tally.stats
	stats.Elapsed = time.Since(tally.start)
	switch {
	case failure != nil:
		return stats, failure
	case readErr != nil && !errors.Is(readErr, context.Canceled):
		return stats, readErr
	}
	return stats, ctx.Err()
}

// importChunk is how many rows Import reads and prepares at a time.
const importChunk = 2000

// importTx is one transaction's worth of an import on its way to the
// writer.
type importTx struct {
	n        int // mentions handed to the writer
	lastLine int
	done     chan struct{}
	results  []Result
	err      error
}

// importTally keeps an import's counts and first failure, shared by the
// goroutine that reads rows and the one that counts stored transactions.
type importTally struct {
	start   time.Time
	mu      sync.Mutex
	stats   ImportStats
	failure error
}

func (t *importTally) failed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.failure != nil
}

// read counts n rows read, rejected of them bad, and a strict failure.
func (t *importTally) read(n, rejected int, strictErr error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stats.Read += int64(n)
	t.stats.Rejected += int64(rejected)
	if strictErr != nil {
		t.failure = strictErr
	}
}

// stored counts a finished transaction and returns the counts so far,
// and whether it was stored. A failure to store takes precedence over a
// strict failure: its rows were read but are not kept.
func (t *importTally) stored(tx *importTx) (ImportStats, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tx.err != nil {
		if t.failure == nil || errors.Is(t.failure, ErrStrict) {
			t.failure = fmt.Errorf("store rows up to line %d: %w", tx.lastLine, tx.err)
		}
		t.stats.Read -= int64(tx.n) // not kept
	} else {
		for _, res := range tx.results {
			if res.Duplicate {
				t.stats.Duplicate++
			} else {
				t.stats.New++
			}
		}
	}
	t.stats.Elapsed = time.Since(t.start)
	return t.stats, tx.err == nil
}

// readBlock is how much readBlocks asks of the input at a time.
const readBlock = 256 << 10

// Rows already read are handed on without waiting for a full chunk when
// the input pauses for idleFlush, or when the oldest of them has waited
// maxHold: a slow stream (a connector piping into earshot import -) is
// stored as it comes, and a stalled one can be interrupted.
const (
	idleFlush = 100 * time.Millisecond
	maxHold   = time.Second
)

// block is one read of the input: data, or the error that ended it.
type block struct {
	data []byte
	err  error
}

// readBlocks reads r into blocks until an error (io.EOF included) or quit.
// It may stay blocked in r.Read after quit until r returns. A block's
// bytes are never written again, so rows can point into them.
func readBlocks(r io.Reader, blocks chan<- block, quit <-chan struct{}) {
	var buf []byte
	for {
		if len(buf) < readBlock/8 {
			buf = make([]byte, readBlock)
		}
		n, err := r.Read(buf)
		if n == 0 && err == nil {
			continue
		}
		select {
		case blocks <- block{data: buf[:n:n], err: err}:
		case <-quit:
			return
		}
		if err != nil {
			return
		}
		buf = buf[n:]
	}
}

// lineSplitter cuts blocks into rows, carrying a line that spans blocks
// over to the next.
type lineSplitter struct {
	line     int    // lines seen
	carry    []byte // the start of a line that continues in the next block
	tooLong  bool   // the current line is over MaxLineBytes and skipped
	carrying bool
}

// add cuts data into rows appended to b; a line cut off at the end of
// data waits for the next call.
func (s *lineSplitter) add(b *importBatch, data []byte) {
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			s.hold(data)
			return
		}
		seg := data[:i]
		data = data[i+1:]
		if s.carrying {
			s.hold(seg)
			seg = s.carry
		}
		s.end(b, seg)
	}
}

// hold keeps seg as (more of) an unfinished line.
func (s *lineSplitter) hold(seg []byte) {
	s.carrying = true
	if s.tooLong {
		return
	}
	if len(s.carry)+len(seg) > MaxLineBytes {
		s.tooLong, s.carry = true, nil
		return
	}
	s.carry = append(s.carry, seg...)
}

// end finishes a line whose bytes are seg (or that was too long).
func (s *lineSplitter) end(b *importBatch, seg []byte) {
	s.line++
	if s.line == 1 {
		// Editors on Windows start a UTF-8 file with a byte-order mark.
		seg = jsonexact.TrimBOM(seg)
	}
	switch {
	case s.tooLong || len(seg) > MaxLineBytes:
		b.rows = append(b.rows, row{line: s.line, err: fmt.Errorf("row longer than %d bytes", MaxLineBytes)})
	default:
		if t := bytes.TrimSpace(seg); len(t) > 0 {
			b.rows = append(b.rows, row{line: s.line, data: t})
		}
	}
	s.carry, s.carrying, s.tooLong = nil, false, false
}

// finish ends the input: an unterminated last line is a line.
func (s *lineSplitter) finish(b *importBatch) {
	if s.carrying {
		s.end(b, s.carry)
	}
}

// readBatches splits r into batches of at most size rows. Reading happens
// on a goroutine of its own, so that a stalled input neither holds back
// the rows read before the stall nor keeps ctx's cancellation waiting.
func readBatches(ctx context.Context, r io.Reader, size int, out chan<- *importBatch) error {
	blocks := make(chan block, 4)
	quit := make(chan struct{})
	defer close(quit)
	go readBlocks(r, blocks, quit)

	var sp lineSplitter
	b := &importBatch{rows: make([]row, 0, size)}
	var held time.Time // when b's first row arrived
	send := func(flush bool) bool {
		if len(b.rows) == 0 {
			return true
		}
		b.flush = flush
		select {
		case out <- b:
			b = &importBatch{rows: make([]row, 0, size)}
			return true
		case <-ctx.Done():
			return false
		}
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		var wake <-chan time.Time
		if len(b.rows) > 0 {
			timer.Reset(min(idleFlush, maxHold-time.Since(held)))
			wake = timer.C
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
			if !send(true) {
				return ctx.Err()
			}
		case blk := <-blocks:
			data := blk.data
			for len(data) > 0 {
				// Cut at most size rows' worth before handing them on.
				had := len(b.rows)
				n := cutRows(data, size-len(b.rows))
				sp.add(b, data[:n])
				data = data[n:]
				if had == 0 && len(b.rows) > 0 {
					held = time.Now()
				}
				if len(b.rows) >= size && !send(false) {
					return ctx.Err()
				}
			}
			switch {
			case blk.err == io.EOF:
				sp.finish(b)
				send(false)
				return nil
			case blk.err != nil:
				send(false)
				return fmt.Errorf("read line %d: %w", sp.line+1, blk.err)
			}
		}
	}
}

// cutRows returns the length of data's first n lines, or all of data.
func cutRows(data []byte, n int) int {
	off := 0
	for range n {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return len(data)
		}
		off += i + 1
	}
	return off
}

// prepareTurnRows is how many rows a preparing goroutine decodes and
// analyses in one background turn (about half a millisecond).
const prepareTurnRows = 32

// prepareBatch decodes and analyses a batch's rows on several goroutines.
func (p *Pipeline) prepareBatch(b *importBatch, workers int) {
	n := len(b.rows)
	now := p.opts.Now()
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Go(func() {
			// In turns of a few dozen rows, so that the store's writer
			// keeps a core (see store.Store.BackgroundTurn).
			for from := lo; from < hi; from += prepareTurnRows {
				done := p.store.BackgroundTurn()
				for i := from; i < min(from+prepareTurnRows, hi); i++ {
					rw := &b.rows[i]
					if rw.err != nil {
						continue
					}
					rw.m, rw.err = Decode(rw.data, now)
					if rw.err == nil {
						p.Analyze(&rw.m)
					}
					rw.data = nil
				}
				done()
			}
		})
	}
	wg.Wait()
}
