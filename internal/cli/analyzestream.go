package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/jsonexact"
)

// analyzeChunkSize is how much input the reader asks for at a time. Each
// read's whole lines become one batch: a few hundred rows, enough to
// make handing a batch over cheap beside analysing it.
const analyzeChunkSize = 64 << 10

// analyzeBatch is a run of consecutive whole input lines on its way
// through the pipeline: cut by the reader, decoded, analysed and encoded
// by a worker, written in input order by the writer.
type analyzeBatch struct {
	data      []byte // whole lines; the last may lack its '\n' at the end of input
	firstLine int    // line number of data's first line, from 1
	out       []byte // the analysed rows, each ending in '\n'
	rows      int    // rows in out
	busy      time.Duration
	// err stops the stream once out is written: set by the reader (the
	// input failed after these lines) or by the worker (a line of data
	// is not a row; out holds the rows before it).
	err  error
	done chan struct{} // closed when out is ready
}

// analyzeStream analyses every line of r onto w, in input order, with
// workers goroutines each decoding, analysing and encoding whole batches.
// Reading only cuts the input at line ends and writing only copies each
// batch's output, so the workers can use every core. It returns the rows
// written and the time the workers spent, summed. A line that is not a
// row stops the stream after every row before it is written.
func analyzeStream(ctx context.Context, a *analyze.Analyzer, r io.Reader, w io.Writer, workers int) (int, time.Duration, error) {
	workers = max(1, workers)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()

	work := make(chan *analyzeBatch)
	// ordered holds the batches in input order, ahead of the writer; its
	// size bounds how far the workers run ahead of the slowest batch.
	ordered := make(chan *analyzeBatch, 4*workers)
	// The reader is not waited for: it may be blocked reading a quiet
	// stream when ctx ends, and it stops on its own once the read
	// returns.
	go func() {
		defer close(ordered)
		defer close(work)
		readAnalyzeBatches(r, func(b *analyzeBatch) bool {
			select {
			case ordered <- b:
			case <-ctx.Done():
				return false
			}
			select {
			case work <- b:
				return true
			case <-ctx.Done():
				close(b.done)
				return false
			}
		})
	}()
	wg.Add(workers)
	for range workers {
		go func() {
			defer wg.Done()
			for {
				select {
				case b, ok := <-work:
					if !ok {
						return
					}
					analyzeBatchRows(a, b)
					close(b.done)
				case <-ctx.Done():
					return
				}
			}
		}()
	}

	var busy time.Duration
	n := 0
	for {
		var b *analyzeBatch
		select {
		case b = <-ordered:
		case <-ctx.Done():
		}
		if b == nil {
			break
		}
		select {
		case <-b.done:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		// One write a batch: the rows reach a pipe as soon as they are
		// ready, so a quiet input stream still sees its answers.
		if len(b.out) > 0 {
			if _, err := w.Write(b.out); err != nil {
				return n, busy, fmt.Errorf("write: %w", err)
			}
		}
		n += b.rows
		busy += b.busy
		if b.err != nil {
			return n, busy, b.err
		}
	}
	return n, busy, ctx.Err()
}

// readAnalyzeBatches cuts r into batches of whole lines and hands each to
// send until r ends, fails, or send says stop. Every read that completes
// a line sends the lines it completed at once, so a quiet stream's rows
// are not held back; a read error travels in the err of the batch of the
// lines before it. Batches share the reader's buffer (each its own part
// of it) until it is full; only the start of an unfinished line is ever
// copied.
func readAnalyzeBatches(r io.Reader, send func(*analyzeBatch) bool) {
	buf := make([]byte, 0, analyzeChunkSize)
	start := 0 // where the lines not yet sent begin in buf
	line := 1
	for {
		if len(buf) == cap(buf) {
			pending := buf[start:]
			grown := make([]byte, len(pending), max(analyzeChunkSize, 2*len(pending)))
			copy(grown, pending)
			buf, start = grown, 0
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		end := bytes.LastIndexByte(buf[len(buf)-n:], '\n') + 1
		if end > 0 {
			end += len(buf) - n
		}
		if err != nil {
			end = len(buf) // the input's last line needs no '\n'
		}
		if end == 0 {
			continue
		}
		b := &analyzeBatch{data: buf[start:end:end], firstLine: line, done: make(chan struct{})}
		if err != nil && !errors.Is(err, io.EOF) {
			b.err = fmt.Errorf("read: %w", err)
		}
		line += bytes.Count(b.data, []byte{'\n'})
		start = end
		if !send(b) || err != nil {
			return
		}
	}
}

// analyzeBatchRows decodes, analyses and encodes every line of b into
// b.out, skipping blank lines, and stops at the first line that is not a
// row with the reason in b.err.
func analyzeBatchRows(a *analyze.Analyzer, b *analyzeBatch) {
	t0 := time.Now()
	defer func() { b.busy = time.Since(t0) }()
	// An analysed row is its input and about as much again of analysis.
	b.out = make([]byte, 0, 2*len(b.data)+4096)
	data := b.data
	for line := b.firstLine; len(data) > 0; line++ {
		raw := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if line == 1 {
			raw = jsonexact.TrimBOM(raw) // as import does
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		row, err := decodeAnalyzeRow(raw)
		if err != nil {
			b.err = fmt.Errorf("line %d: %w", line, err)
			return
		}
		var text string
		if row.Text != nil {
			text = *row.Text
		}
		an := a.Analyze(analyze.Input{Text: text, Kind: row.Kind, Direction: row.Direction, Rating: row.Rating,
			Followers: row.Author.Followers, Verified: row.Author.Verified})
		if b.out, err = appendAnalyzed(b.out, raw, &row, &an); err != nil {
			b.err = fmt.Errorf("line %d: encode the analysis: %w", line, err)
			return
		}
		b.out = append(b.out, '\n')
		b.rows++
	}
}
