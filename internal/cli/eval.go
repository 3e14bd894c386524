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
	"strings"

	"earshot/internal/analyze"
	"earshot/internal/jsonexact"
)

// runEval measures the analyser against a labelled JSON Lines file:
// sentiment ({"text","label"}) by default, PHI spans ({"text","spans"})
// with --phi, the privacy guard ({"text","expect","category"}) with
// --guard, critical urgency ({"text","lang","kind"}) with --crisis.
func runEval(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	phi := fs.Bool("phi", false, "evaluate PHI spans (rows {\"text\",\"spans\":[{\"type\",\"start\",\"end\"}]})")
	guardSet := fs.Bool("guard", false, "evaluate the privacy guard (rows {\"text\",\"expect\":\"pass|refuse\",\"category\"})")
	crisis := fs.Bool("crisis", false, "evaluate critical urgency (rows {\"text\",\"lang\",\"kind\"}; no kind is none, a C-SSRS severity of 1 or more is self_harm)")
	list := fs.Bool("list", false, "with --crisis, list the misses and false criticals")
	orgFile := fs.String("org", "", "with --guard, an organisation file whose contact block (the organisation's own phones, emails and web addresses) the guard knows")
	reviews := fs.Bool("reviews", false, "read every row as a review without stars, as analysis reads one (never neutral from its text alone)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	modelFile := fs.String("model", "", "sentiment model file written by 'earshot train --out' (default: built-in)")
	orgModel := fs.Bool("org-model", false, "use the organisation's model stored by 'earshot train' (the default when --data or --database-url names a store)")
	sf := addStoreFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: earshot eval [--phi | --guard [--org FILE] | --crisis [--list] | --reviews] [--json] [--model FILE | --org-model] FILE|-")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("eval needs one labelled JSON Lines file (or - for standard input)")
	}
	if *orgFile != "" && !*guardSet {
		return usageErrorf("--org goes with --guard")
	}
	if n := countTrue(*phi, *guardSet, *crisis, *reviews); n > 1 {
		return usageErrorf("eval takes one of --phi, --guard, --crisis and --reviews")
	}
	a, err := chooseAnalyzer(ctx, env, *modelFile, *orgModel || storeNamed(fs, env), sf)
	if err != nil {
		return err
	}
	r, closeFn, err := openInput(env, pos[0])
	if err != nil {
		return err
	}
	defer closeFn()
	if *guardSet {
		return evalGuard(env, a, r, pos[0], *orgFile, *asJSON)
	}
	if *crisis {
		return runEvalCrisis(env, a, r, pos[0], *asJSON, *list)
	}
	if *phi {
		var rows []analyze.PHIExample
		if err := readJSONLines(r, func(line int, b []byte) error {
			var ex struct {
				analyze.PHIExample
				Spans *[]analyze.GoldSpan `json:"spans"`
			}
			if err := decodeRow(b, &ex); err != nil {
				return err
			}
			if ex.Spans == nil {
				return errors.New(`no "spans": a PHI file's rows are {"text","spans":[{"type","start","end"}]}`)
			}
			ex.PHIExample.Spans = *ex.Spans
			for _, sp := range ex.PHIExample.Spans {
				if sp.Start < 0 || sp.End <= sp.Start || sp.End > len(ex.Text) {
					return fmt.Errorf("span %s [%d,%d) is not inside the text (%d bytes)", sp.Type, sp.Start, sp.End, len(ex.Text))
				}
			}
			rows = append(rows, ex.PHIExample)
			return nil
		}); err != nil {
			return fmt.Errorf("%s: %w", pos[0], err)
		}
		if len(rows) == 0 {
			return fmt.Errorf("%s: no rows", pos[0])
		}
		rep := analyze.EvaluatePHI(rows, a.FindPHI)
		if *asJSON {
			return json.NewEncoder(env.Stdout).Encode(rep)
		}
		rep.Write(env.Stdout)
		return nil
	}
	rows, err := readLabeled(r)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: no rows", pos[0])
	}
	gold := make([]string, len(rows))
	pred := make([]string, len(rows))
	classify := a.Sentiment
	if *reviews {
		classify = a.ReviewSentiment
	}
	for i, row := range rows {
		gold[i] = row.Label
		pred[i] = classify(row.Text).Label
	}
	rep := analyze.EvaluateSentiment(gold, pred)
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(rep)
	}
	rep.Write(env.Stdout)
	return nil
}

// openInput opens a file argument, "-" meaning standard input.
func openInput(env *Env, name string) (io.Reader, func(), error) {
	if name == "-" {
		return env.Stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// maxEvalLine bounds one labelled row.
const maxEvalLine = 1 << 26

// readJSONLines calls fn for every non-blank line, with its number.
func readJSONLines(r io.Reader, fn func(line int, b []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), maxEvalLine)
	n := 1
	for ; sc.Scan(); n++ {
		b := sc.Bytes()
		if n == 1 {
			b = jsonexact.TrimBOM(b)
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if err := fn(n, b); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return fmt.Errorf("line %d: longer than %d MiB", n, maxEvalLine>>20)
	} else if err != nil {
		return fmt.Errorf("line %d: %w", n, err)
	}
	return nil
}

// decodeRow decodes one JSON object into v, saying what is wrong in
// plain words (the field and the type it needs) rather than in Go's.
func decodeRow(b []byte, v any) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return errors.New("not a JSON object")
	}
	err := json.Unmarshal(b, v)
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return fmt.Errorf("field %q must be %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	case errors.As(err, &te):
		return fmt.Errorf("must be %s, not %s", jsonKind(te.Type.Kind().String()), te.Value)
	case errors.As(err, &se):
		return fmt.Errorf("invalid JSON at byte %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "invalid character "))
	}
	return err
}

// jsonKind names a Go kind as the JSON type it decodes from.
func jsonKind(k string) string {
	switch {
	case k == "string":
		return "a string"
	case k == "bool":
		return "true or false"
	case strings.HasPrefix(k, "int") || strings.HasPrefix(k, "uint"):
		return "a whole number"
	case strings.HasPrefix(k, "float"):
		return "a number"
	case k == "slice" || k == "array":
		return "an array"
	case k == "struct" || k == "map":
		return "an object"
	}
	return "of another type"
}

// readLabeled reads {"text","label"} rows and checks the labels.
func readLabeled(r io.Reader) ([]analyze.LabeledText, error) {
	var rows []analyze.LabeledText
	err := readJSONLines(r, func(line int, b []byte) error {
		var row analyze.LabeledText
		if err := decodeRow(b, &row); err != nil {
			return err
		}
		if analyze.ClassIndex(row.Label) < 0 {
			return fmt.Errorf("label %q is not negative, neutral or positive", row.Label)
		}
		rows = append(rows, row)
		return nil
	})
	return rows, err
}

// countTrue counts the flags that are set.
func countTrue(flags ...bool) int {
	n := 0
	for _, f := range flags {
		if f {
			n++
		}
	}
	return n
}
