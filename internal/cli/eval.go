package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"earshot/internal/analyze"
)

// runEval measures the analyser against a labelled JSON Lines file:
// sentiment ({"text","label"}) by default, PHI spans ({"text","spans"})
// with --phi.
func runEval(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	phi := fs.Bool("phi", false, "evaluate PHI spans (rows {\"text\",\"spans\":[{\"type\",\"start\",\"end\"}]})")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	modelFile := fs.String("model", "", "sentiment model file written by 'earshot train --out' (default: built-in)")
	orgModel := fs.Bool("org-model", false, "use the organisation's model stored by 'earshot train' (the default when --data or --database-url names a store)")
	sf := addStoreFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: earshot eval [--phi] [--json] [--model FILE | --org-model] FILE|-")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("eval needs one labelled JSON Lines file (or - for standard input)")
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
	if *phi {
		var rows []analyze.PHIExample
		if err := readJSONLines(r, func(line int, b []byte) error {
			var ex analyze.PHIExample
			if err := json.Unmarshal(b, &ex); err != nil {
				return err
			}
			rows = append(rows, ex)
			return nil
		}); err != nil {
			return fmt.Errorf("%s: %w", pos[0], err)
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
	for i, row := range rows {
		gold[i] = row.Label
		pred[i] = a.Sentiment(row.Text).Label
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

// readJSONLines calls fn for every non-blank line, with its number.
func readJSONLines(r io.Reader, fn func(line int, b []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<26)
	for n := 1; sc.Scan(); n++ {
		b := sc.Bytes()
		if len(strings.TrimSpace(string(b))) == 0 {
			continue
		}
		if err := fn(n, b); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}

// readLabeled reads {"text","label"} rows and checks the labels.
func readLabeled(r io.Reader) ([]analyze.LabeledText, error) {
	var rows []analyze.LabeledText
	err := readJSONLines(r, func(line int, b []byte) error {
		var row analyze.LabeledText
		if err := json.Unmarshal(b, &row); err != nil {
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
