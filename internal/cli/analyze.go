package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/app"
	"earshot/internal/jsonexact"
	"earshot/internal/model"
)

// analyzeRow is what `earshot analyze` reads of a row: the text and the
// mention fields that change the analysis.
type analyzeRow struct {
	Text      *string         `json:"text"`
	Kind      string          `json:"kind"`
	Direction string          `json:"direction"`
	Rating    *int            `json:"rating"`
	Author    model.Author    `json:"author"`
	Analysis  json.RawMessage `json:"analysis"`
}

// runAnalyze reads JSON Lines rows ({"text": ...} or a whole mention) on
// stdin and writes each row with "analysis" added; the row's other fields
// are kept byte for byte.
func runAnalyze(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	stats := fs.Bool("stats", false, "print posts per second on stderr")
	modelFile := fs.String("model", "", "sentiment model file written by 'earshot train --out' (default: built-in)")
	orgModel := fs.Bool("org-model", false, "use the organisation's model stored by 'earshot train' (the default when --data or --database-url names a store)")
	sf := addStoreFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: earshot analyze [--stats] [--model FILE | --org-model] < rows.jsonl > analysed.jsonl")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("analyze reads standard input; unexpected argument %q", pos[0])
	}
	a, err := chooseAnalyzer(ctx, env, *modelFile, *orgModel || storeNamed(fs, env), sf)
	if err != nil {
		return err
	}
	start := time.Now()
	// One core reads, decodes and writes; the rest analyse.
	workers := max(1, runtime.GOMAXPROCS(0)-1)
	n, busy, err := analyzeStream(ctx, a, env.Stdin, env.Stdout, workers)
	if *stats {
		wall := time.Since(start)
		fmt.Fprintf(env.Stderr, "analyzed %d posts in %v with %d analysis workers: %.0f posts/s end to end, %.0f posts/s per worker analysis only\n",
			n, wall.Round(time.Millisecond), workers, rate(n, wall), rate(n, busy))
	}
	return err
}

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// chooseAnalyzer returns the analyzer with the model the flags ask for:
// a model file, the store's model (orgModel), or the built-in one.
func chooseAnalyzer(ctx context.Context, env *Env, modelFile string, orgModel bool, sf *storeFlags) (*analyze.Analyzer, error) {
	switch {
	case modelFile != "" && orgModel:
		return nil, usageErrorf("--model and a store's model (--org-model, --data, --database-url) exclude each other")
	case modelFile != "":
		b, err := os.ReadFile(modelFile)
		if err != nil {
			return nil, err
		}
		m, err := analyze.DecodeModel(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", modelFile, err)
		}
		return analyze.NewWithModel(m), nil
	case orgModel:
		if sf.databaseURL == "" {
			// Reading a model must not leave an empty store behind a
			// mistyped directory.
			if _, err := os.Stat(filepath.Join(sf.data, "earshot.db")); err != nil {
				return nil, fmt.Errorf("no Earshot store in %s (--data): %w", sf.data, err)
			}
		}
		st, err := openStore(ctx, env, sf)
		if err != nil {
			return nil, err
		}
		defer st.Close()
		an, stamp, err := app.LoadAnalyzer(ctx, st)
		if err != nil {
			return nil, err
		}
		if stamp == "" {
			fmt.Fprintln(env.Stderr, "no trained model in the store; using the built-in model")
		} else {
			fmt.Fprintf(env.Stderr, "using the organisation's model stored at %s\n", stamp)
		}
		return an, nil
	}
	return analyze.New(), nil
}

// storeNamed reports whether the command line or the environment names a
// store (--data, --database-url, EARSHOT_DATA, EARSHOT_DATABASE_URL).
func storeNamed(fs *flag.FlagSet, env *Env) bool {
	named := env.getenv("EARSHOT_DATA") != "" || env.getenv("EARSHOT_DATABASE_URL") != ""
	fs.Visit(func(f *flag.Flag) { named = named || f.Name == "data" || f.Name == "database-url" })
	return named
}

// analyzeBatchSize is how many rows travel together through the
// analyze pipeline.
const analyzeBatchSize = 256

// analyzeBatch is a run of consecutive input rows on its way through the
// pipeline: decoded by the reader, analysed by a worker, rendered and
// written in input order by the caller.
type analyzeBatch struct {
	raws [][]byte
	rows []analyzeRow
	ans  []model.Analysis
	busy time.Duration // time spent in the analyser
	err  error         // what stopped the input after these rows, if anything
	done chan struct{} // closed when ans is ready
	// flush asks for the output to be flushed after these rows: the
	// input has no more buffered and may pause (a stream).
	flush bool
}

// analyzeStream analyses every line of r onto w, in input order, with
// workers goroutines analysing batches in parallel. It returns the rows
// written and the time spent analysing, summed over the workers. A line
// that is not a JSON object stops the stream after every row before it
// is written.
func analyzeStream(ctx context.Context, a *analyze.Analyzer, r io.Reader, w io.Writer, workers int) (int, time.Duration, error) {
	if workers < 1 {
		workers = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()

	work := make(chan *analyzeBatch)
	ordered := make(chan *analyzeBatch, 2*workers)
	// The reader is not waited for: it may be blocked reading a quiet
	// stream when ctx ends, and it stops on its own once the read
	// returns.
	go func() {
		defer close(ordered)
		defer close(work)
		readAnalyzeBatches(ctx, r, func(b *analyzeBatch) bool {
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
	for i := 0; i < workers; i++ {
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

	bw := bufio.NewWriterSize(w, 1<<16)
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
		for i := range b.ans {
			out, err := renderAnalyzed(b.raws[i], &b.rows[i], &b.ans[i])
			if err != nil {
				return n, busy, fmt.Errorf("render row: %w", err)
			}
			bw.Write(out)
			if err := bw.WriteByte('\n'); err != nil {
				return n, busy, err
			}
			n++
		}
		busy += b.busy
		if b.err != nil {
			bw.Flush()
			return n, busy, b.err
		}
		if b.flush {
			if err := bw.Flush(); err != nil {
				return n, busy, err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		bw.Flush()
		return n, busy, err
	}
	return n, busy, bw.Flush()
}

// readAnalyzeBatches reads and decodes r into batches and hands each to
// send until r ends, a line fails to decode, ctx ends or send says stop.
// The batch that ends the input carries the reason in err.
func readAnalyzeBatches(ctx context.Context, r io.Reader, send func(*analyzeBatch) bool) {
	br := bufio.NewReaderSize(r, 1<<16)
	newBatch := func() *analyzeBatch {
		return &analyzeBatch{done: make(chan struct{}), raws: make([][]byte, 0, analyzeBatchSize), rows: make([]analyzeRow, 0, analyzeBatchSize)}
	}
	b := newBatch()
	for line := 1; ; line++ {
		raw, err := br.ReadBytes('\n')
		if line == 1 {
			raw = jsonexact.TrimBOM(raw) // as import does
		}
		if trimmed := bytes.TrimSpace(raw); len(trimmed) > 0 {
			row, derr := decodeAnalyzeRow(trimmed)
			if derr != nil {
				b.err = fmt.Errorf("line %d: %w", line, derr)
				send(b)
				return
			}
			b.raws = append(b.raws, trimmed)
			b.rows = append(b.rows, row)
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				b.err = err
			}
			send(b)
			return
		}
		// A partial batch goes on when the input has nothing more
		// buffered: the next read may wait on a quiet stream.
		partial := len(b.rows) > 0 && br.Buffered() == 0
		if len(b.rows) == analyzeBatchSize || partial {
			b.flush = partial
			if ctx.Err() != nil {
				b.err = ctx.Err()
				send(b)
				return
			}
			if !send(b) {
				return
			}
			b = newBatch()
		}
	}
}

func decodeAnalyzeRow(raw []byte) (analyzeRow, error) {
	var row analyzeRow
	if err := decodeRow(raw, &row); err != nil {
		return row, err
	}
	if row.Text == nil && row.Rating == nil {
		return row, errors.New(`no "text": rows are {"text": ...} or mentions`)
	}
	return row, nil
}

// analyzeBatchRows analyses every row of b into b.ans.
func analyzeBatchRows(a *analyze.Analyzer, b *analyzeBatch) {
	b.ans = make([]model.Analysis, len(b.rows))
	t0 := time.Now()
	for i := range b.rows {
		row := &b.rows[i]
		var text string
		if row.Text != nil {
			text = *row.Text
		}
		b.ans[i] = a.Analyze(analyze.Input{Text: text, Kind: row.Kind, Direction: row.Direction, Rating: row.Rating,
			Followers: row.Author.Followers, Verified: row.Author.Verified})
	}
	b.busy = time.Since(t0)
}

// renderAnalyzed returns the row raw with analysis an added: spliced in
// before the closing brace, so the row's bytes stay as they were, or
// replacing an analysis the row already had.
func renderAnalyzed(raw []byte, row *analyzeRow, an *model.Analysis) ([]byte, error) {
	ab, err := json.Marshal(an)
	if err != nil {
		return nil, err
	}
	if row.Analysis != nil {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, err
		}
		fields["analysis"] = ab
		return json.Marshal(fields)
	}
	body := bytes.TrimRight(raw[:len(raw)-1], " \t\r\n")
	out := make([]byte, 0, len(raw)+len(ab)+16)
	out = append(out, body...)
	if len(bytes.TrimSpace(body)) > 1 {
		out = append(out, ',')
	}
	out = append(out, `"analysis":`...)
	out = append(out, ab...)
	out = append(out, '}')
	return out, nil
}
