package cli

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"

	"earshot/internal/analyze"
)

// runTrain fits a sentiment model on the organisation's labelled posts
// (JSON Lines {"text","label"}). With --cv K it reports K-fold
// cross-validated accuracy and macro-F1 and stores nothing; otherwise it
// stores the model in the store (or writes it to --out) so that analysis
// uses it from then on.
func runTrain(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	data := fs.String("data", "", "labelled JSON Lines file ({\"text\",\"label\"}), - for standard input")
	cv := fs.Int("cv", 0, "report K-fold cross-validation instead of storing a model")
	out := fs.String("out", "", "write the model to this file instead of the store")
	var opts analyze.TrainOptions
	fs.IntVar(&opts.Epochs, "epochs", 3, "training epochs")
	fs.Float64Var(&opts.L2, "l2", 0.3, "weight decay (towards the built-in model unless --from-scratch)")
	fs.IntVar(&opts.MinCount, "min-count", 1, "rows a word or bigram must occur in to be a feature")
	fs.BoolVar(&opts.BalanceClasses, "balance", false, "weight classes equally")
	fs.IntVar(&opts.Seeds, "seeds", 3, "average the weights of this many models trained on differently shuffled rows")
	scratch := fs.Bool("from-scratch", false, "do not start from the built-in model")
	corrections := fs.Bool("corrections", false, "also train on the sentiment corrections agents made in the web app (read from the store)")
	// --data names the training file here (issue 3), so the store's
	// directory, --data elsewhere, is --data-dir; EARSHOT_DATA still
	// names the store directory.
	sf := &storeFlags{}
	fs.StringVar(&sf.data, "data-dir", "", "directory of the embedded SQLite store (env EARSHOT_DATA; default ./earshot-data)")
	fs.StringVar(&sf.databaseURL, "database-url", "", "postgres://... to use PostgreSQL instead of SQLite (env EARSHOT_DATABASE_URL)")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: earshot train --data FILE [--cv K | --out MODEL.json | --data-dir DIR]")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if !given["data"] && *data != "" {
		// Filled from EARSHOT_DATA: that is the store directory.
		*data = ""
	}
	if sf.data == "" {
		sf.data = env.getenv("EARSHOT_DATA")
	}
	if sf.data == "" {
		sf.data = "./earshot-data"
	}
	if *data == "" && len(pos) == 1 {
		*data = pos[0]
	} else if len(pos) > 0 {
		return usageErrorf("unexpected argument %q", pos[0])
	}
	if *data == "" && !*corrections {
		return usageErrorf("train needs --data FILE (or --corrections)")
	}
	if *cv == 1 || *cv < 0 {
		return usageErrorf("--cv needs at least 2 folds")
	}
	switch {
	case opts.Epochs < 1 || opts.Epochs > 1000:
		return usageErrorf("--epochs must be from 1 to 1000, got %d", opts.Epochs)
	case opts.Seeds < 1 || opts.Seeds > 100:
		return usageErrorf("--seeds must be from 1 to 100, got %d", opts.Seeds)
	case !(opts.L2 >= 0) || math.IsInf(opts.L2, 0):
		return usageErrorf("--l2 must be a number of 0 or more, got %v", opts.L2)
	case opts.MinCount < 1:
		return usageErrorf("--min-count must be at least 1, got %d", opts.MinCount)
	}
	var rows []analyze.LabeledText
	if *data != "" {
		r, closeFn, err := openInput(env, *data)
		if err != nil {
			return err
		}
		rows, err = readLabeled(r)
		closeFn()
		if err != nil {
			return fmt.Errorf("%s: %w", *data, err)
		}
	}
	if *corrections {
		fixed, err := correctionRows(ctx, env, sf)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "using %d sentiment corrections from the store\n", len(fixed))
		rows = append(rows, fixed...)
	}
	if !*scratch {
		// Adjust the built-in model to the organisation's language rather
		// than learn English from a few hundred rows.
		opts.Base = analyze.DefaultModel()
	}
	if *cv > 0 {
		res, err := analyze.CrossValidate(rows, *cv, opts)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%d-fold cross-validation on %d rows\n", res.Folds, len(rows))
		for i := range res.FoldAccuracy {
			fmt.Fprintf(env.Stdout, "fold %d  accuracy %.3f  macro-F1 %.3f\n", i+1, res.FoldAccuracy[i], res.FoldMacroF1[i])
		}
		fmt.Fprintln(env.Stdout, "\npooled over all folds:")
		res.Pooled.Write(env.Stdout)
		return nil
	}
	opts.Meta = map[string]string{"source": *data, "trained_rows": strconv.Itoa(len(rows))}
	m, err := analyze.Train(rows, opts)
	if err != nil {
		return err
	}
	blob, err := m.Encode()
	if err != nil {
		return err
	}
	if *out != "" {
		if err := os.WriteFile(*out, blob, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "trained on %d rows: %d features; wrote %s\n", len(rows), len(m.Weights), *out)
		return nil
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.PutModel(ctx, sentimentModelName, blob); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "trained on %d rows: %d features; stored as model %q\n", len(rows), len(m.Weights), sentimentModelName)
	fmt.Fprintln(env.Stdout, "import, analyze and eval on this store use it from now on, and a running serve within a few seconds")
	return nil
}

// correctionRows reads the latest sentiment correction of each corrected
// mention from the store as labelled rows.
func correctionRows(ctx context.Context, env *Env, sf *storeFlags) ([]analyze.LabeledText, error) {
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	cs, err := st.ListCorrections(ctx)
	if err != nil {
		return nil, err
	}
	var rows []analyze.LabeledText
	for _, c := range cs {
		if c.Sentiment != "" && analyze.ClassIndex(c.Sentiment) >= 0 {
			rows = append(rows, analyze.LabeledText{Text: c.Text, Label: c.Sentiment})
		}
	}
	return rows, nil
}
