// Command trainsentiment reproduces the default sentiment model embedded in
// package analyze (weights/sentiment.json).
//
// It trains only on data Earshot may ship: the MIT-licensed
// vader_tweets.jsonl and hospital_reviews.jsonl from the shared evaluation
// data, and the customer-care examples Earshot's engineers wrote in
// internal/analyze/traindata. Never point it at an evaluation-only file.
//
// From the repository root, with shared/ beside it:
//
//	go run ./internal/analyze/cmd/trainsentiment
//
// -eval FILE prints how the new model does on a labelled file without
// training on it. -cv K measures generalisation honestly: vader_tweets is
// split into K folds and each fold is predicted by a model trained on
// everything else (the other folds, hospital_reviews and traindata), so
// the pooled figure is held-out, not in-sample. With -cv nothing is
// written.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"earshot/internal/analyze"
)

func main() {
	shared := flag.String("shared", "../shared/data", "the shared data folder")
	own := flag.String("own", "internal/analyze/traindata", "folder of hand-written *.txt training rows")
	out := flag.String("out", "internal/analyze/weights/sentiment.json", "where to write the model")
	evalFile := flag.String("eval", "", "labelled file to evaluate the new model on (never trained on)")
	cv := flag.Int("cv", 0, "report K-fold held-out figures on vader_tweets instead of writing a model")
	ownWeight := flag.Float64("own-weight", 10, "weight of each hand-written row")
	hospWeight := flag.Float64("hospital-weight", 0.5, "weight of each hospital review sentence")
	vaderWeight := flag.Float64("vader-weight", 0.3, "weight of each vader tweet")
	var opts analyze.TrainOptions
	flag.IntVar(&opts.Epochs, "epochs", 8, "training epochs")
	flag.Float64Var(&opts.L2, "l2", 0.3, "weight decay")
	flag.Float64Var(&opts.LearningRate, "lr", 0.3, "AdaGrad learning rate")
	flag.IntVar(&opts.MinCount, "min-count", 2, "rows a word or bigram must occur in")
	flag.Float64Var(&opts.DenseL2Scale, "dense-l2", 0.03, "L2 scale for lexicon and cue features")
	flag.Parse()
	if err := run(*shared, *own, *out, *evalFile, *cv, *ownWeight, *hospWeight, *vaderWeight, opts); err != nil {
		fmt.Fprintln(os.Stderr, "trainsentiment:", err)
		os.Exit(1)
	}
}

func run(shared, own, out, evalFile string, cv int, ownWeight, hospWeight, vaderWeight float64, opts analyze.TrainOptions) error {
	var rows []analyze.LabeledText
	vaderRows := 0
	add := func(path string, w float64) error {
		if strings.Contains(filepath.Base(path), "airline") {
			return fmt.Errorf("%s is evaluation only", path)
		}
		rs, err := read(path)
		if err != nil {
			return err
		}
		for i := range rs {
			if rs[i].Weight == 0 {
				rs[i].Weight = w
			} else {
				rs[i].Weight *= w
			}
		}
		fmt.Fprintf(os.Stderr, "%-60s %5d rows\n", path, len(rs))
		rows = append(rows, rs...)
		return nil
	}
	if err := add(filepath.Join(shared, "sentiment", "vader_tweets.jsonl"), vaderWeight); err != nil {
		return err
	}
	vaderRows = len(rows)
	if err := add(filepath.Join(shared, "sentiment", "hospital_reviews.jsonl"), hospWeight); err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(own, "*.txt"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := add(f, ownWeight); err != nil {
			return err
		}
	}
	if *balance > 0 {
		balanceRows(rows, *balance)
	}
	if cv > 1 {
		return crossValidate(rows, vaderRows, cv, opts)
	}
	opts.Meta = map[string]string{"data": "vader_tweets.jsonl, hospital_reviews.jsonl (MIT), internal/analyze/traindata (Earshot)"}
	m, err := analyze.Train(rows, opts)
	if err != nil {
		return err
	}
	b, err := m.Encode()
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d features, %d bytes\n", out, len(m.Weights), len(b))
	if evalFile != "" {
		rs, err := read(evalFile)
		if err != nil {
			return err
		}
		a := analyze.NewWithModel(m)
		var gold, pred []string
		for _, r := range rs {
			gold = append(gold, r.Label)
			pred = append(pred, a.Sentiment(r.Text).Label)
			if os.Getenv("TS_PRED") != "" {
				fmt.Fprintf(os.Stderr, "PRED\t%s\t%s\n", gold[len(gold)-1], pred[len(pred)-1])
			}
		}
		analyze.EvaluateSentiment(gold, pred).Write(os.Stdout)
	}
	return nil
}

// crossValidate predicts each of k folds of the first n rows (vader_tweets)
// with a model trained on all other rows and prints the pooled report.
func crossValidate(rows []analyze.LabeledText, n, k int, opts analyze.TrainOptions) error {
	gold := make([]string, 0, n)
	pred := make([]string, 0, n)
	for f := 0; f < k; f++ {
		var train, test []analyze.LabeledText
		for i, r := range rows {
			if i < n && i%k == f {
				test = append(test, r)
			} else {
				train = append(train, r)
			}
		}
		m, err := analyze.Train(train, opts)
		if err != nil {
			return err
		}
		a := analyze.NewWithModel(m)
		for _, r := range test {
			gold = append(gold, r.Label)
			pred = append(pred, a.Sentiment(r.Text).Label)
			if os.Getenv("TS_ERRS") != "" && gold[len(gold)-1] != pred[len(pred)-1] {
				fmt.Fprintf(os.Stderr, "ERR %s>%s %s\n", gold[len(gold)-1], pred[len(pred)-1], r.Text)
			}
		}
	}
	fmt.Printf("vader_tweets, %d-fold held-out (each fold predicted by a model that never saw it):\n", k)
	analyze.EvaluateSentiment(gold, pred).Write(os.Stdout)
	return nil
}

var marginScale = flag.Float64("margin", 0, "scale each vader tweet by how far its mean rating is from the class boundaries (0: off)")

// marginWeight is the relative weight of a vader tweet rated score on
// -4..4: tweets rated near a class boundary (±0.5) carry less weight than
// clear ones, as the raters themselves disagreed on them. The result
// multiplies -vader-weight.
func marginWeight(score float64) float64 {
	d := math.Abs(math.Abs(score) - 0.5)
	w := math.Min(1, d / *marginScale)
	return math.Max(w, 0.2)
}

var balance = flag.Float64("balance", 1, "class balancing: 1 gives each class equal total weight, 0 none, between partial")

// balanceRows scales row weights by (rows / (3 * rows of the class))^p,
// so with p = 1 every class has the same number of rows in effect, as
// TrainOptions.BalanceClasses does.
func balanceRows(rows []analyze.LabeledText, p float64) {
	var tot [3]float64
	var all float64
	for _, r := range rows {
		tot[analyze.ClassIndex(r.Label)]++
		all++
	}
	for i := range rows {
		c := analyze.ClassIndex(rows[i].Label)
		rows[i].Weight *= math.Pow(all/(3*tot[c]), p)
	}
}

var shortLabels = map[string]string{"N": "negative", "U": "neutral", "P": "positive"}

// readText reads the hand-written format: "N text", "U text" or "P text"
// a line, "#" comments.
func readText(path string) ([]analyze.LabeledText, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []analyze.LabeledText
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, text, ok := strings.Cut(line, " ")
		label, known := shortLabels[code]
		if !ok || !known {
			return nil, fmt.Errorf("%s:%d: want N, U or P then the text", path, n+1)
		}
		rows = append(rows, analyze.LabeledText{Text: strings.TrimSpace(text), Label: label})
	}
	return rows, nil
}

func read(path string) ([]analyze.LabeledText, error) {
	if strings.HasSuffix(path, ".txt") {
		return readText(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []analyze.LabeledText
	sc := bufio.NewScanner(f)
	margin := *marginScale > 0 && strings.Contains(filepath.Base(path), "vader")
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var r struct {
			analyze.LabeledText
			Score *float64 `json:"score"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if margin && r.Score != nil {
			r.Weight = marginWeight(*r.Score)
		}
		rows = append(rows, r.LabeledText)
	}
	return rows, sc.Err()
}
