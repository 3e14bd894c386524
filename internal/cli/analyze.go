package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/app"
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
	workers := fs.Int("workers", 0, "rows analysed in parallel (default: every core, GOMAXPROCS)")
	modelFile := fs.String("model", "", "sentiment model file written by 'earshot train --out' (default: built-in)")
	orgModel := fs.Bool("org-model", false, "use the organisation's model stored by 'earshot train' (the default when --data or --database-url names a store)")
	sf := addStoreFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: earshot analyze [--stats] [--workers N] [--model FILE | --org-model] < rows.jsonl > analysed.jsonl")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("analyze reads standard input; unexpected argument %q", pos[0])
	}
	if *workers < 0 {
		return usageErrorf("--workers %d: want a number of workers, or 0 for every core", *workers)
	}
	if *workers == 0 {
		*workers = runtime.GOMAXPROCS(0)
	}
	a, err := chooseAnalyzer(ctx, env, *modelFile, *orgModel || storeNamed(fs, env), sf)
	if err != nil {
		return err
	}
	start := time.Now()
	n, busy, err := analyzeStream(ctx, a, env.Stdin, env.Stdout, *workers)
	if *stats {
		wall := time.Since(start)
		fmt.Fprintf(env.Stderr, "analyzed %d posts in %v with %d workers: %.0f posts/s end to end, %.0f posts/s per worker (decode, analyse, encode)\n",
			n, wall.Round(time.Millisecond), *workers, rate(n, wall), rate(n, busy))
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

// decodeAnalyzeRow decodes one input row, which must carry a text or a
// rating.
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

// appendAnalyzed appends to dst the row raw with analysis an added:
// spliced in before the closing brace, so the row's bytes stay as they
// were, or replacing an analysis the row already had.
func appendAnalyzed(dst, raw []byte, row *analyzeRow, an *model.Analysis) ([]byte, error) {
	ab, err := json.Marshal(an)
	if err != nil {
		return dst, err
	}
	if row.Analysis != nil {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return dst, err
		}
		fields["analysis"] = ab
		out, err := json.Marshal(fields)
		return append(dst, out...), err
	}
	body := bytes.TrimRight(raw[:len(raw)-1], " \t\r\n")
	dst = append(dst, body...)
	if len(bytes.TrimSpace(body)) > 1 {
		dst = append(dst, ',')
	}
	dst = append(dst, `"analysis":`...)
	dst = append(dst, ab...)
	return append(dst, '}'), nil
}
