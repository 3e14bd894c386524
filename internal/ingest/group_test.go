package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"earshot/internal/model"
)

// echoWrite stores nothing and answers each mention with its position in
// the transaction, recording the size of each transaction.
type echoWrite struct {
	mu      sync.Mutex
	sizes   []int
	release chan struct{}
	fail    error
}

func (e *echoWrite) write(_ context.Context, ms []*model.Mention) ([]Result, error) {
	e.mu.Lock()
	first := len(e.sizes) == 0
	e.sizes = append(e.sizes, len(ms))
	e.mu.Unlock()
	if first && e.release != nil {
		<-e.release
	}
	if e.fail != nil {
		return nil, e.fail
	}
	rs := make([]Result, len(ms))
	for i, m := range ms {
		rs[i] = Result{ID: int64(i + 1), CaseID: m.ID}
	}
	return rs, nil
}

func batchOf(tag int64, n int) []*model.Mention {
	ms := make([]*model.Mention, n)
	for i := range ms {
		ms[i] = &model.Mention{ID: tag, ExternalID: fmt.Sprint(tag, "-", i)}
	}
	return ms
}

func TestGroupCommitSharesTransactions(t *testing.T) {
	var g groupCommit
	w := &echoWrite{release: make(chan struct{})}
	ctx := context.Background()
	var wg sync.WaitGroup
	results := make([][]Result, 4)
	errs := make([]error, 4)
	wg.Go(func() { results[0], errs[0] = g.do(ctx, batchOf(100, 2), maxGroup, w.write) })
	// Wait until the first batch is being written, then queue three more.
	for {
		w.mu.Lock()
		n := len(w.sizes)
		w.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	for i := 1; i < 4; i++ {
		wg.Go(func() { results[i], errs[i] = g.do(ctx, batchOf(int64(100*(i+1)), i+1), maxGroup, w.write) })
	}
	for {
		g.mu.Lock()
		n := len(g.queue)
		g.mu.Unlock()
		if n == 3 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(w.release)
	wg.Wait()
	if len(w.sizes) != 2 || w.sizes[0] != 2 || w.sizes[1] != 2+3+4 {
		t.Fatalf("transactions of %v mentions, want [2 9]", w.sizes)
	}
	for i, rs := range results {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		want := int64(100 * (i + 1))
		if len(rs) != i+1 && !(i == 0 && len(rs) == 2) {
			t.Fatalf("caller %d got %d results", i, len(rs))
		}
		for _, r := range rs {
			if r.CaseID != want {
				t.Fatalf("caller %d got a result of caller with tag %d", i, r.CaseID)
			}
		}
	}
	// Each caller's results are a consecutive run of the shared
	// transaction's, and together they cover it.
	seen := map[int64]bool{}
	for i := 1; i < 4; i++ {
		for j, r := range results[i] {
			if r.ID != results[i][0].ID+int64(j) || seen[r.ID] {
				t.Fatalf("caller %d results %+v are not its own run", i, results[i])
			}
			seen[r.ID] = true
		}
	}
	if len(seen) != 9 {
		t.Fatalf("shared transaction positions %v, want 1..9", seen)
	}
}

func TestGroupCommitErrorReachesEveryCaller(t *testing.T) {
	var g groupCommit
	boom := errors.New("disk full")
	w := &echoWrite{fail: boom}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = g.do(context.Background(), batchOf(int64(i), 3), maxGroup, w.write) })
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, boom) {
			t.Fatalf("caller %d: err = %v", i, err)
		}
	}
}

// TestConcurrentStoresAgree stores overlapping batches from several
// goroutines through a real store: every mention is stored once, and
// every caller that sent it gets the same ids.
func TestConcurrentStoresAgree(t *testing.T) {
	p, st, _ := newPipeline(t)
	ctx := context.Background()
	const callers, per = 8, 30
	results := make([][]Result, callers)
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			ms := make([]model.Mention, per)
			for i := range ms {
				// Callers overlap: mention k is sent by callers k%callers and (k+1)%callers.
				k := c*per/2 + i
				ms[i] = mention(fmt.Sprint("m", k), fmt.Sprint("author", k%17), "Where is my ID card?", t0.Add(time.Duration(k)*time.Minute))
			}
			rs, err := p.Ingest(ctx, ms)
			if err != nil {
				t.Error(err)
			}
			results[c] = rs
		})
	}
	wg.Wait()
	ids := map[string]Result{}
	for c, rs := range results {
		for i, r := range rs {
			k := fmt.Sprint("m", c*per/2+i)
			if r.Err != nil || r.ID == 0 || r.CaseID == 0 {
				t.Fatalf("caller %d mention %s: %+v", c, k, r)
			}
			if prev, ok := ids[k]; ok && (prev.ID != r.ID || prev.CaseID != r.CaseID) {
				t.Fatalf("mention %s stored as %d/%d and %d/%d", k, prev.ID, prev.CaseID, r.ID, r.CaseID)
			}
			ids[k] = r
		}
	}
	n, err := st.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.Mentions != int64(len(ids)) {
		t.Fatalf("store holds %d mentions, callers sent %d distinct", n.Mentions, len(ids))
	}
}
