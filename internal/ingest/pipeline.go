// Package ingest takes mentions from any source through Earshot's
// pipeline: validate, normalise, dedupe, analyse, thread into a case, set
// priority and deadline, persist in one transaction, and publish an event
// for live views.
package ingest

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/events"
	"earshot/internal/model"
	"earshot/internal/route"
	"earshot/internal/store"
)

// DefaultThreadWindow is how recent an author's open case must be for a
// new mention of theirs to join it.
const DefaultThreadWindow = 7 * 24 * time.Hour

// Options configure a Pipeline. Zero values take defaults.
type Options struct {
	ThreadWindow time.Duration
	// Routes holds the organisation's router; nil routes with no
	// organisation file (DefaultPolicy deadlines, no rules).
	Routes  *route.Live
	Broker  *events.Broker
	Metrics *Metrics
	Logger  *slog.Logger
	// Now returns the current time; tests inject a clock.
	Now func() time.Time
}

// Pipeline ingests mentions. It is safe for concurrent use.
type Pipeline struct {
	store    *store.Store
	analyzer atomic.Pointer[analyze.Analyzer]
	opts     Options
	authors  *authorCache
	group    groupCommit
}

// Result is the outcome of one mention, in the API's shape.
type Result struct {
	ID        int64 `json:"id,omitempty"`
	CaseID    int64 `json:"case_id,omitempty"`
	Duplicate bool  `json:"duplicate"`
	// Updated says a duplicate was an edit of the stored mention (new
	// text or rating), which it now holds.
	Updated  bool            `json:"updated,omitempty"`
	Analysis *model.Analysis `json:"analysis,omitempty"`
	// Err is why the mention was refused; nil when it was stored or
	// was a duplicate.
	Err error `json:"-"`
}

// New returns a pipeline writing to st and analysing with an.
func New(st *store.Store, an *analyze.Analyzer, opts Options) *Pipeline {
	if opts.ThreadWindow <= 0 {
		opts.ThreadWindow = DefaultThreadWindow
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &Pipeline{store: st, opts: opts, authors: newAuthorCache(200_000)}
	p.analyzer.Store(an)
	return p
}

// SetAnalyzer makes the pipeline analyse with an from now on (a newly
// trained model); mentions being prepared finish with the one they began
// with.
func (p *Pipeline) SetAnalyzer(an *analyze.Analyzer) { p.analyzer.Store(an) }

// Decode is Decode as of the pipeline's clock.
func (p *Pipeline) Decode(data []byte) (model.Mention, error) {
	return Decode(data, p.opts.Now())
}

// Prepare normalises and analyses m in place, as of the pipeline's
// clock. It does no I/O and may run on many goroutines at once.
func (p *Pipeline) Prepare(m *model.Mention) error {
	if err := Normalize(m, p.opts.Now()); err != nil {
		return err
	}
	p.Analyze(m)
	return nil
}

// Analyze sets m.Analysis; m must already be normalised (as Decode
// leaves it). It does no I/O.
func (p *Pipeline) Analyze(m *model.Mention) {
	a := p.analyzer.Load().Analyze(analyze.InputFromMention(m))
	m.Analysis = &a
	// An analysis always encodes; were it not to, AnalysisJSON stays nil
	// and the writer reports the error.
	m.AnalysisJSON, _ = json.Marshal(m.Analysis)
}

// Ingest prepares and stores a batch of mentions; results are in input
// order. A mention that fails validation gets an Err and does not stop
// the others. The error return is for the batch as a whole (the store
// failed); then nothing of the batch was kept.
func (p *Pipeline) Ingest(ctx context.Context, ms []model.Mention) ([]Result, error) {
	ptrs := make([]*model.Mention, 0, len(ms))
	results := make([]Result, len(ms))
	idx := make([]int, 0, len(ms))
	for i := range ms {
		if err := p.Prepare(&ms[i]); err != nil {
			results[i].Err = err
			p.opts.Metrics.rejected(1)
			continue
		}
		ptrs = append(ptrs, &ms[i])
		idx = append(idx, i)
	}
	stored, err := p.Store(ctx, ptrs)
	if err != nil {
		return nil, err
	}
	for j, r := range stored {
		results[idx[j]] = r
	}
	return results, nil
}

// Store threads and persists prepared mentions in one transaction, in
// order, and publishes an event for each new one after commit. Batches
// that callers store at the same time may share a transaction; each
// caller gets its own results. A duplicate (a mention stored already,
// before or earlier in ms) changes nothing, and its result carries the
// stored ids and the stored analysis, not the one just computed for the
// copy sent again; one whose text or rating differs from the stored
// mention's is its author's edit, which the stored mention takes
// (Updated; see echo.go). A new mention that is our reply come back
// from its platform joins the reply's case as our outbound mention.
func (p *Pipeline) Store(ctx context.Context, ms []*model.Mention) ([]Result, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	results, err := p.storeUpTo(ctx, ms, maxGroup)
	if err != nil {
		return nil, err
	}
	p.storedAnalyses(ctx, results)
	return results, nil
}

// storedAnalyses puts in the results of duplicates the analysis stored
// for them. It reads them after commit, in one query for the duplicates
// only, so that new mentions, and the import writer, which has no use
// for a duplicate's analysis, pay nothing. The mentions are stored
// whatever happens here: were the read to fail, the duplicates' results
// go without an analysis and the failure is logged.
func (p *Pipeline) storedAnalyses(ctx context.Context, results []Result) {
	var ids []int64
	for _, r := range results {
		if r.Duplicate {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	stored, err := p.store.MentionAnalyses(ctx, ids)
	if err != nil {
		p.opts.Logger.Warn("duplicates' stored analyses not read; their results go without", "mentions", len(ids), "err", err)
		return
	}
	for i := range results {
		if results[i].Duplicate {
			results[i].Analysis = stored[results[i].ID]
		}
	}
}

// storeUpTo is Store, sharing a transaction with at most limit mentions
// when ms comes first in it.
func (p *Pipeline) storeUpTo(ctx context.Context, ms []*model.Mention, limit int) ([]Result, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	return p.group.do(ctx, ms, limit, p.store1)
}

// store1 stores ms in one transaction, trying again when it conflicted
// with another writer (see retry).
func (p *Pipeline) store1(ctx context.Context, ms []*model.Mention) ([]Result, error) {
	start := time.Now()
	var results []Result
	var learned map[string]authorEntry
	err := p.retry(ctx, func() error {
		var err error
		results, learned, err = p.storeOnce(ctx, ms)
		return err
	})
	if err != nil {
		return nil, err
	}
	p.authors.merge(learned)
	var fresh, dup int
	for _, r := range results {
		if r.Duplicate {
			dup++
			if r.Updated && p.opts.Broker != nil && r.CaseID != 0 {
				p.opts.Broker.Publish(events.Event{Type: events.CaseChanged, CaseID: r.CaseID, MentionID: r.ID})
			}
			continue
		}
		fresh++
		if p.opts.Broker != nil {
			p.opts.Broker.Publish(events.Event{Type: events.MentionAdded, CaseID: r.CaseID, MentionID: r.ID})
		}
	}
	p.opts.Metrics.stored(fresh, dup, time.Since(start))
	return results, nil
}

func (p *Pipeline) storeOnce(ctx context.Context, ms []*model.Mention) ([]Result, map[string]authorEntry, error) {
	results := make([]Result, len(ms))
	learned := map[string]authorEntry{}
	now := p.opts.Now().UTC()
	linked := 0
	err := p.store.WriteBatch(ctx, func(b *store.Batch) error {
		t := p.newThreader(b, now, learned)
		if err := t.loadRefs(ctx, ms); err != nil {
			return err
		}
		if err := t.loadWaiting(ctx, ms); err != nil {
			return err
		}
		authorIDs, err := t.prefetch(ctx, ms)
		if err != nil {
			return err
		}
		for i, m := range ms {
			m.ReceivedAt = now
			r, err := t.add(ctx, m, authorIDs[i])
			if err != nil {
				return err
			}
			results[i] = r
		}
		if linked = t.linked; linked > 0 {
			// A reply that came before its parent in this batch, or
			// again as a duplicate, answers with the case it joined.
			for i, m := range ms {
				if r, ok := t.refs[refKey(m.Platform, m.ExternalID)]; ok && r.ID == results[i].ID {
					results[i].CaseID = r.CaseID
				}
			}
		}
		return t.flush(ctx)
	})
	if err == nil {
		p.opts.Metrics.linkedReplies(linked)
	}
	return results, learned, err
}

// summary is the first line of a case's opening text, shortened.
func summary(text string) string {
	const n = 160
	if len(text) <= n {
		return text
	}
	return cutUTF8(text, n) + "…"
}

// authorEntry is what the process knows of a stored author.
type authorEntry struct {
	id     int64
	author model.Author
}

// authorCache remembers stored authors so that unchanged profiles are
// not rewritten. Author ids never change, so entries stay true across
// replicas; the cache is emptied when it reaches its size.
type authorCache struct {
	mu   sync.RWMutex
	max  int
	byID map[string]authorEntry
}

func newAuthorCache(size int) *authorCache {
	return &authorCache{max: size, byID: make(map[string]authorEntry)}
}

func (c *authorCache) get(key string) (authorEntry, bool) {
	c.mu.RLock()
	e, ok := c.byID[key]
	c.mu.RUnlock()
	return e, ok
}

// merge adds what a committed batch learned.
func (c *authorCache) merge(learned map[string]authorEntry) {
	if len(learned) == 0 {
		return
	}
	c.mu.Lock()
	if len(c.byID)+len(learned) > c.max {
		clear(c.byID)
	}
	for k, e := range learned {
		c.byID[k] = e
	}
	c.mu.Unlock()
}

// Metrics returns the pipeline's metrics (nil when it records none).
func (p *Pipeline) Metrics() *Metrics { return p.opts.Metrics }
