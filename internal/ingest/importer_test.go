package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"earshot/internal/jsonexact"
	"earshot/internal/store/storetest"
)

func jsonl(n int, from int) string {
	var b strings.Builder
	for i := range n {
		id := from + i
		fmt.Fprintf(&b, `{"platform":"x","external_id":"%d","text":"Post %d about my claim","created_at":"2026-02-01T10:%02d:00Z","author":{"id":"a%d","handle":"h%d"}}`+"\n",
			id, id, i%60, id%17, id%17)
	}
	return b.String()
}

func TestImportCountsAndReportsBadLines(t *testing.T) {
	p, st, _ := newPipeline(t)
	input := jsonl(3, 1) +
		"\n" + // blank line 4: skipped, still counted as a line
		`{"platform":"x","external_id":"9","text":"no author","created_at":"2026-02-01T10:00:00Z"}` + "\n" + // line 5
		"{broken\n" + // line 6
		`{"platform":"x","external_id":"` + strings.Repeat("z", MaxLineBytes) + `"}` + "\n" + // line 7: too long
		jsonl(2, 4) // lines 8-9
	var bad []int
	stats, err := p.Import(context.Background(), strings.NewReader(input), ImportOptions{BatchSize: 2, OnError: func(line int, err error) {
		bad = append(bad, line)
	}})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if stats.Read != 8 || stats.New != 5 || stats.Rejected != 3 || stats.Duplicate != 0 {
		t.Fatalf("stats = %+v, want read 8 new 5 rejected 3", stats)
	}
	if fmt.Sprint(bad) != "[5 6 7]" {
		t.Fatalf("bad lines = %v, want [5 6 7]", bad)
	}
	again, err := p.Import(context.Background(), strings.NewReader(input), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.New != 0 || again.Duplicate != 5 || again.Rejected != 3 {
		t.Fatalf("re-run stats = %+v, want all duplicates", again)
	}
	c, _ := st.Count(context.Background())
	if c.Mentions != 5 {
		t.Fatalf("mentions = %d, want 5", c.Mentions)
	}
	if empty, _ := storetest.CasesWithoutMentions(context.Background(), st); empty != 0 {
		t.Fatalf("%d cases without mentions", empty)
	}
}

func TestImportStrictStopsAtFirstBadLine(t *testing.T) {
	p, st, _ := newPipeline(t)
	input := jsonl(3, 1) + "{broken\n" + jsonl(3, 10)
	stats, err := p.Import(context.Background(), strings.NewReader(input), ImportOptions{Strict: true, BatchSize: 100})
	if !errors.Is(err, ErrStrict) || !strings.Contains(err.Error(), "line 4") {
		t.Fatalf("err = %v, want strict failure at line 4", err)
	}
	if stats.New != 3 {
		t.Fatalf("stats = %+v, want the 3 rows before the bad one kept", stats)
	}
	c, _ := st.Count(context.Background())
	if c.Mentions != 3 {
		t.Fatalf("mentions = %d, want 3", c.Mentions)
	}
}

func TestImportTransactionsSpanChunks(t *testing.T) {
	p, st, _ := newPipeline(t)
	// Transactions of 2,500 rows gather chunks of importChunk rows, and
	// the next fills up while the writer stores one.
	var progress []int64
	stats, err := p.Import(context.Background(), strings.NewReader(jsonl(5000, 1)), ImportOptions{BatchSize: 2500, OnBatch: func(s ImportStats) {
		progress = append(progress, s.New)
	}})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if stats.Read != 5000 || stats.New != 5000 {
		t.Fatalf("stats = %+v, want 5000 read and new", stats)
	}
	// 2,000-row chunks fill transactions of 4,000 and then the last 1,000.
	if fmt.Sprint(progress) != "[4000 5000]" {
		t.Fatalf("progress = %v, want [4000 5000]", progress)
	}
	c, _ := st.Count(context.Background())
	if c.Mentions != 5000 {
		t.Fatalf("mentions = %d, want 5000", c.Mentions)
	}
}

// slowReader hands out its data a little at a time and cancels the
// import partway.
type slowReader struct {
	data   []byte
	served int
	cancel func()
	at     int
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.served >= len(r.data) {
		return 0, fmt.Errorf("EOF never reached: %w", errors.ErrUnsupported)
	}
	if r.served >= r.at && r.cancel != nil {
		r.cancel()
		r.cancel = nil
		time.Sleep(10 * time.Millisecond)
	}
	n := copy(p[:min(len(p), 512)], r.data[r.served:])
	r.served += n
	return n, nil
}

func TestImportCancelStoresWhatWasRead(t *testing.T) {
	p, st, _ := newPipeline(t)
	data := []byte(jsonl(400, 1))
	ctx, cancel := context.WithCancel(context.Background())
	r := &slowReader{data: data, cancel: cancel, at: len(data) / 3}
	stats, err := p.Import(ctx, r, ImportOptions{BatchSize: 10})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	c, _ := st.Count(context.Background())
	if c.Mentions != stats.New || stats.New == 0 || stats.New >= 400 {
		t.Fatalf("stored %d, stats %+v: want every read row stored and the import stopped early", c.Mentions, stats)
	}
	rest, err := p.Import(context.Background(), bytes.NewReader(data), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rest.New+stats.New != 400 || rest.Duplicate != stats.New {
		t.Fatalf("resumed import %+v after %+v: want 400 in all", rest, stats)
	}
}

func FuzzReadBatches(f *testing.F) {
	f.Add([]byte(jsonl(3, 1)))
	f.Add([]byte("\n\n{}\r\n  \n{\"a\":1}"))
	f.Add([]byte("no newline at end"))
	f.Add([]byte("\xef\xbb\xbf\n{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out := make(chan *importBatch, 1000)
		if err := readBatches(context.Background(), bytes.NewReader(data), 3, out); err != nil {
			t.Fatalf("readBatches: %v", err)
		}
		close(out)
		want := 0
		for l := range bytes.Lines(jsonexact.TrimBOM(data)) {
			if len(bytes.TrimSpace(l)) > 0 {
				want++
			}
		}
		got, last := 0, 0
		for b := range out {
			if len(b.rows) == 0 || len(b.rows) > 3 {
				t.Fatalf("batch of %d rows", len(b.rows))
			}
			for _, rw := range b.rows {
				if rw.line <= last {
					t.Fatalf("line numbers not increasing: %d after %d", rw.line, last)
				}
				last = rw.line
				got++
				if rw.err == nil {
					Decode(rw.data, testNow()) // must not panic
				}
			}
		}
		if got != want {
			t.Fatalf("read %d rows, want %d", got, want)
		}
	})
}

func TestImportSkipsALeadingByteOrderMark(t *testing.T) {
	for _, tc := range []struct {
		name, input string
	}{
		{"before the first row", "\xef\xbb\xbf" + jsonl(2, 1)},
		{"on a blank first line", "\xef\xbb\xbf\n" + jsonl(2, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _, _ := newPipeline(t)
			var errs []string
			stats, err := p.Import(context.Background(), strings.NewReader(tc.input), ImportOptions{OnError: func(line int, err error) {
				errs = append(errs, fmt.Sprintf("line %d: %v", line, err))
			}})
			if err != nil || stats.New != 2 || stats.Rejected != 0 {
				t.Fatalf("Import: %v, %+v, bad rows %v; want 2 new", err, stats, errs)
			}
		})
	}
}

func TestImportRefusesMentionsFromTheFuture(t *testing.T) {
	p, st, _ := newPipeline(t)
	line := func(id string, at time.Time) string {
		return fmt.Sprintf(`{"platform":"x","external_id":%q,"text":"my claim was denied","created_at":%q,"author":{"handle":"mallory"}}`+"\n",
			id, at.Format(time.RFC3339))
	}
	input := line("1", testNow().Add(-time.Hour)) +
		line("2", time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)) +
		line("3", testNow().Add(MaxClockSkew+time.Second)) +
		line("4", testNow().Add(MaxClockSkew))
	bad := map[int]error{}
	stats, err := p.Import(context.Background(), strings.NewReader(input), ImportOptions{OnError: func(line int, err error) { bad[line] = err }})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if stats.New != 2 || stats.Rejected != 2 || len(bad) != 2 {
		t.Fatalf("stats %+v, bad lines %v: want lines 2 and 3 refused, the others stored", stats, bad)
	}
	for _, n := range []int{2, 3} {
		var fe *FieldError
		if !errors.As(bad[n], &fe) || fe.Field != "created_at" || !strings.Contains(fe.Reason, "in the future") {
			t.Errorf("line %d: %v, want created_at in the future", n, bad[n])
		}
	}
	for _, c := range allCases(t, st) {
		for _, m := range c.Mentions {
			if m.CreatedAt.After(testNow().Add(MaxClockSkew)) {
				t.Errorf("stored a mention made %v", m.CreatedAt)
			}
		}
	}
}
