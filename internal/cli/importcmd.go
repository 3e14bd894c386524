package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/prometheus/client_golang/prometheus"

	"earshot/internal/ingest"
)

func runImport(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	strict := fs.Bool("strict", false, "stop at the first bad line (lines before it are kept)")
	batch := fs.Int("batch", ingest.DefaultImportBatch, "mentions stored per transaction (more is faster and takes more memory)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "goroutines decoding and analysing")
	quiet := fs.Bool("quiet", false, "do not report bad lines one by one")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: earshot import [flags] FILE|-\n\nReads JSON Lines mentions through the whole pipeline. Safe to run again on the same file.\nBad lines are reported by number and skipped; the exit status is 1 if any was (the\nothers are stored), 2 for a usage error.\n\nflags:")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("import takes one FILE (or - for standard input), got %d arguments", len(pos))
	}
	if *batch < 1 || *batch > 50000 {
		return usageErrorf("--batch must be from 1 to 50000, got %d", *batch)
	}
	var in io.Reader = env.Stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fmt.Errorf("open input: %w", err)
		}
		defer f.Close()
		in = f
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	an, err := loadAnalyzer(ctx, st)
	if err != nil {
		return err
	}
	p := ingest.New(st, an, ingest.Options{Logger: env.Logger, Metrics: ingest.NewMetrics(prometheus.NewRegistry())})
	shown := 0
	stats, err := p.Import(ctx, in, ingest.ImportOptions{
		BatchSize: *batch, Workers: *workers, Strict: *strict,
		OnError: func(line int, err error) {
			if *quiet {
				return
			}
			if shown++; shown <= 100 {
				fmt.Fprintf(env.Stderr, "line %d: %v\n", line, err)
			} else if shown == 101 {
				fmt.Fprintln(env.Stderr, "(more bad lines not shown)")
			}
		},
	})
	fmt.Fprintf(env.Stdout, "read %d, new %d, duplicate %d, rejected %d in %.2fs (%.0f mentions/s)\n",
		stats.Read, stats.New, stats.Duplicate, stats.Rejected, stats.Elapsed.Seconds(), stats.Rate())
	if err == nil || errors.Is(err, ingest.ErrStrict) {
		// Replies of ours that another writer's transaction hid from
		// this import (another import or a replica storing their parent
		// at the same moment): link them now rather than leave them to a
		// running serve's sweep. With none waiting this is one lookup in
		// an empty index.
		n, lerr := linkWaiting(ctx, p)
		if lerr != nil {
			return lerr
		}
		if n > 0 && !*quiet {
			fmt.Fprintf(env.Stdout, "linked %d replies of ours to the cases of mentions stored at the same time by another writer\n", n)
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted; batches in flight were stored, run the same import again to finish")
	case errors.Is(err, ingest.ErrStrict) && !*quiet:
		// The bad line has been reported above.
		return errors.New("stopped at the first bad line (--strict); the lines before it were stored")
	case err != nil:
		return err
	case stats.Rejected > 0:
		// The good rows are stored; the exit status still tells a
		// script that some were not.
		return fmt.Errorf("%d of %d rows rejected; the others were stored", stats.Rejected, stats.Read)
	}
	return nil
}

// linkWaiting links every stored reply of ours whose parent now has a
// case, in passes of 500, and returns how many it linked.
func linkWaiting(ctx context.Context, p *ingest.Pipeline) (int, error) {
	const pass = 500
	total := 0
	for {
		n, err := p.LinkWaitingReplies(ctx, pass)
		total += n
		if err != nil || n < pass {
			return total, err
		}
	}
}
