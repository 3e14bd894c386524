package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"earshot/internal/generate"
)

// maxGenerateDays bounds --days (about 100 years), far from where
// time arithmetic overflows.
const maxGenerateDays = 36600

// runGenerate writes synthetic healthcare mentions as JSON Lines.
func runGenerate(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	count := fs.Int("count", 1000, "number of mentions to write")
	seed := fs.Int64("seed", 1, "random seed; the same seed and flags give byte-identical output")
	start := fs.String("start", generate.DefaultStart, "earliest created_at, RFC 3339")
	days := fs.Int("days", generate.DefaultDays, "days the mentions spread over")
	out := fs.String("out", "", "write to `FILE` instead of standard output")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: earshot generate [--count N] [--seed S] [--start RFC3339] [--days D] [--out FILE]\n\nWrites realistic synthetic mentions about a fictional health plan and hospital system as JSON Lines, in created_at order.")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("generate takes no arguments, got %q (did you mean --out %s?)", pos[0], pos[0])
	}
	if *count < 0 {
		return usageErrorf("--count must not be negative, got %d", *count)
	}
	if *days < 1 || *days > maxGenerateDays {
		return usageErrorf("--days must be from 1 to %d, got %d", maxGenerateDays, *days)
	}
	st, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		return usageErrorf("--start must be an RFC 3339 time such as %s: %v", generate.DefaultStart, err)
	}

	var (
		w      io.Writer = env.Stdout
		commit           = func() error { return nil }
		abort            = func() {}
	)
	if *out != "" {
		f, c, a, err := createOutput(*out)
		if err != nil {
			return err
		}
		w, commit, abort = f, c, a
	}
	began := time.Now()
	if err := writeMentions(ctx, w, generate.Options{Seed: *seed, Start: st, Days: *days, Count: *count}, *count); err != nil {
		abort()
		if errors.Is(err, context.Canceled) {
			return errors.New("interrupted; output is incomplete")
		}
		return err
	}
	if err := commit(); err != nil {
		return err
	}
	if *out != "" {
		el := time.Since(began).Seconds()
		// On stderr: --out may be /dev/stdout.
		fmt.Fprintf(env.Stderr, "wrote %d mentions to %s in %.2fs (%.0f mentions/s)\n", *count, *out, el, float64(*count)/max(el, 1e-9))
	}
	return nil
}

// writeMentions writes n mentions to w, checking ctx between chunks.
func writeMentions(ctx context.Context, w io.Writer, opts generate.Options, n int) error {
	const chunk = 4096
	bw := bufio.NewWriterSize(w, 256<<10)
	g := generate.New(opts)
	for done := 0; done < n; {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := min(chunk, n-done)
		if err := g.WriteJSONL(bw, k); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		done += k
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// createOutput opens path for writing. A regular file is written beside it
// and renamed into place by commit, so an interrupted run leaves no half
// file; abort removes the partial output. Special files such as
// /dev/stdout are written directly.
func createOutput(path string) (w io.Writer, commit func() error, abort func(), err error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("open output: %w", err)
		}
		return f, f.Close, func() { f.Close() }, nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("create output: %w", err)
	}
	commit = func() error {
		if err := f.Chmod(0o644); err != nil {
			f.Close()
			os.Remove(f.Name())
			return fmt.Errorf("write output: %w", err)
		}
		if err := f.Close(); err != nil {
			os.Remove(f.Name())
			return fmt.Errorf("write output: %w", err)
		}
		if err := os.Rename(f.Name(), path); err != nil {
			os.Remove(f.Name())
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	}
	abort = func() {
		f.Close()
		os.Remove(f.Name())
	}
	return f, commit, abort, nil
}
