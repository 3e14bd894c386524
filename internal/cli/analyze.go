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
	"time"

	"earshot/internal/analyze"
	"earshot/internal/model"
)

// analyzeRow is what `earshot analyze` reads of a row: the text and the
// mention fields that change the analysis.
type analyzeRow struct {
	Text      string          `json:"text"`
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
	orgModel := fs.Bool("org-model", false, "use the organisation's model stored by 'earshot train'")
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
	a, err := chooseAnalyzer(ctx, env, *modelFile, *orgModel, sf)
	if err != nil {
		return err
	}
	start := time.Now()
	n, busy, err := analyzeStream(ctx, a, env.Stdin, env.Stdout)
	if *stats {
		wall := time.Since(start)
		fmt.Fprintf(env.Stderr, "analyzed %d posts in %v: %.0f posts/s end to end, %.0f posts/s analysis only\n",
			n, wall.Round(time.Millisecond), rate(n, wall), rate(n, busy))
	}
	return err
}

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// chooseAnalyzer returns the analyzer with the model the flags ask for.
func chooseAnalyzer(ctx context.Context, env *Env, modelFile string, orgModel bool, sf *storeFlags) (*analyze.Analyzer, error) {
	switch {
	case modelFile != "" && orgModel:
		return nil, usageErrorf("--model and --org-model exclude each other")
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
		st, err := openStore(ctx, env, sf)
		if err != nil {
			return nil, err
		}
		defer st.Close()
		return loadAnalyzer(ctx, st)
	}
	return analyze.New(), nil
}

// analyzeStream analyses every line of r onto w. It returns the rows
// written and the time spent analysing.
func analyzeStream(ctx context.Context, a *analyze.Analyzer, r io.Reader, w io.Writer) (int, time.Duration, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	bw := bufio.NewWriterSize(w, 1<<16)
	defer bw.Flush()
	var busy time.Duration
	n := 0
	for line := 1; ; line++ {
		raw, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(raw)) > 0 {
			if n%1024 == 0 && ctx.Err() != nil {
				return n, busy, ctx.Err()
			}
			out, d, rerr := analyzeLine(a, bytes.TrimSpace(raw))
			if rerr != nil {
				return n, busy, fmt.Errorf("line %d: %w", line, rerr)
			}
			busy += d
			bw.Write(out)
			bw.WriteByte('\n')
			n++
		}
		if errors.Is(err, io.EOF) {
			return n, busy, bw.Flush()
		}
		if err != nil {
			return n, busy, err
		}
	}
}

// analyzeLine returns the row with its analysis added.
func analyzeLine(a *analyze.Analyzer, raw []byte) ([]byte, time.Duration, error) {
	if raw[0] != '{' {
		return nil, 0, errors.New("want a JSON object")
	}
	var row analyzeRow
	if err := json.Unmarshal(raw, &row); err != nil {
		return nil, 0, err
	}
	t0 := time.Now()
	an := a.Analyze(analyze.Input{Text: row.Text, Kind: row.Kind, Direction: row.Direction, Rating: row.Rating,
		Followers: row.Author.Followers, Verified: row.Author.Verified})
	d := time.Since(t0)
	ab, err := json.Marshal(an)
	if err != nil {
		return nil, d, err
	}
	if row.Analysis != nil {
		// Replace an existing analysis, keeping every other field.
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, d, err
		}
		fields["analysis"] = ab
		out, err := json.Marshal(fields)
		return out, d, err
	}
	// Splice the analysis in before the closing brace: the row's bytes stay
	// as they were.
	body := bytes.TrimRight(raw[:len(raw)-1], " \t\r\n")
	out := make([]byte, 0, len(raw)+len(ab)+16)
	out = append(out, body...)
	if len(bytes.TrimSpace(body)) > 1 {
		out = append(out, ',')
	}
	out = append(out, `"analysis":`...)
	out = append(out, ab...)
	out = append(out, '}')
	return out, d, nil
}
