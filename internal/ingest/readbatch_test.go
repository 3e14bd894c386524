package ingest

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// readAll runs readBatches over r and returns its rows, in order.
func readAll(t *testing.T, r io.Reader, size int) []row {
	t.Helper()
	out := make(chan *importBatch)
	errc := make(chan error, 1)
	go func() {
		errc <- readBatches(context.Background(), r, size, out)
		close(out)
	}()
	var rows []row
	for b := range out {
		if len(b.rows) > size {
			t.Errorf("batch of %d rows, want at most %d", len(b.rows), size)
		}
		rows = append(rows, b.rows...)
	}
	if err := <-errc; err != nil {
		t.Fatalf("readBatches: %v", err)
	}
	return rows
}

func TestReadBatchesSplitsLinesAcrossReads(t *testing.T) {
	long := strings.Repeat("y", MaxLineBytes+10)
	tests := []struct {
		name  string
		input string
		want  []string // "line:data", or "line:!" for a refused row
	}{
		{"plain", "a\nb\nc\n", []string{"1:a", "2:b", "3:c"}},
		{"no final newline", "a\nb", []string{"1:a", "2:b"}},
		{"blank and spaced lines count", "a\n\n  \n b \r\n", []string{"1:a", "4:b"}},
		{"too long in the middle", "a\n" + long + "\nb\n", []string{"1:a", "2:!", "3:b"}},
		{"too long at the end", "a\n" + long, []string{"1:a", "2:!"}},
		{"one over the limit", strings.Repeat("x", MaxLineBytes+1) + "\n", []string{"1:!"}},
		{"exactly the limit", strings.Repeat("x", MaxLineBytes) + "\n", []string{"1:" + strings.Repeat("x", MaxLineBytes)}},
	}
	for _, tt := range tests {
		readers := map[string]func() io.Reader{
			"whole":    func() io.Reader { return strings.NewReader(tt.input) },
			"one byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(tt.input)) },
			"half":     func() io.Reader { return iotest.HalfReader(strings.NewReader(tt.input)) },
			"data+EOF": func() io.Reader { return iotest.DataErrReader(strings.NewReader(tt.input)) },
		}
		for rname, mk := range readers {
			if rname == "one byte" && len(tt.input) > 1<<16 {
				continue // a million one-byte reads say nothing more
			}
			t.Run(tt.name+"/"+rname, func(t *testing.T) {
				var got []string
				for _, r := range readAll(t, mk(), 2) {
					switch {
					case r.err != nil:
						got = append(got, strconv.Itoa(r.line)+":!")
					default:
						got = append(got, strconv.Itoa(r.line)+":"+string(r.data))
					}
				}
				if strings.Join(got, "|") != strings.Join(tt.want, "|") {
					t.Errorf("rows %.80q, want %.80q", got, tt.want)
				}
			})
		}
	}
}

func TestReadBatchesReportsReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader("a\nb\n"), iotest.ErrReader(boom))
	out := make(chan *importBatch, 4)
	err := readBatches(context.Background(), r, 10, out)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("err = %v, want %v at line 3", err, boom)
	}
	close(out)
	n := 0
	for b := range out {
		n += len(b.rows)
	}
	if n != 2 {
		t.Fatalf("%d rows handed on before the error, want 2", n)
	}
}

// TestImportStoresAStalledStream feeds an import from a pipe that delivers
// a few rows and then goes quiet, as a connector piping into
// earshot import - does between posts: the rows must be stored while the
// pipe stays open, and cancelling must end the import at once.
func TestImportStoresAStalledStream(t *testing.T) {
	p, st, _ := newPipeline(t)
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		stats ImportStats
		err   error
	}
	done := make(chan result, 1)
	go func() {
		s, err := p.Import(ctx, pr, ImportOptions{})
		done <- result{s, err}
	}()
	go pw.Write([]byte(jsonl(10, 1)))

	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := st.Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c.Mentions == 10 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of 10 rows stored while the input stayed open", c.Mentions)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case r := <-done:
		if !errors.Is(r.err, context.Canceled) || r.stats.New != 10 || r.stats.Read != 10 {
			t.Fatalf("stats %+v, err %v: want 10 read and new, context.Canceled", r.stats, r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("import still waiting on its stalled input after cancellation")
	}
}
