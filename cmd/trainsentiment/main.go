// Command trainsentiment reproduces the default sentiment model embedded in
// package analyze (weights/sentiment.json).
//
// It trains only on data Earshot may ship: the MIT-licensed
// vader_tweets.jsonl, hospital_reviews.jsonl and, by their weight flags,
// vader_amazon.jsonl, vader_movies.jsonl and vader_nyt.jsonl from the
// shared evaluation data, and the customer-care examples Earshot's
// engineers wrote in internal/analyze/traindata. Never point it at an
// evaluation-only file. -vectors adds the mean word vector of each text
// (package wordvec) to the features.
//
// From the repository root, with shared/ beside it:
//
//	go run ./cmd/trainsentiment
//
// or `go generate ./internal/analyze`, whose go:generate line (model.go)
// carries the flags of the shipped model.
//
// -eval FILE prints how the new model does on a labelled file without
// training on it. -cv K measures generalisation honestly: vader_tweets is
// split into K folds and each fold is predicted by a model trained on
// everything else (the other folds, the other files and traindata), so
// the pooled figure is held-out, not in-sample; then the same for every
// other shared file loaded, hospital_reviews also read as reviews without
// stars. With -cv nothing is written; with -cv and -eval the model of
// all rows is trained and evaluated, not written.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"earshot/internal/analyze"
)

// snippetFiles are the rated snippets beside vader_tweets, rated the
// same way (-4..4, at least 20 raters), in the order they are loaded.
var snippetFiles = []struct{ name, flag, what string }{
	{"vader_amazon", "amazon-weight", "product review snippets"},
	{"vader_movies", "movies-weight", "movie review snippets"},
	{"vader_nyt", "nyt-weight", "newspaper editorial snippets"},
}

// config is one training recipe: where the data is, how rows are
// weighted, and the trainer's options.
type config struct {
	shared, own string
	ownWeight   float64 // weight of each hand-written row
	hospWeight  float64 // weight of each hospital review sentence
	vaderWeight float64 // weight of each vader tweet
	// snippetWeight is the weight of each rated snippet of the other
	// VADER files (product reviews, movie reviews, newspaper
	// editorials), by file name; 0 leaves a file out.
	snippetWeight map[string]*float64
	// margin, when > 0, scales each vader tweet by its distance from the
	// class boundaries (see marginWeight).
	margin float64
	// balance is the class-balancing power for all rows, or, when
	// vaderBalance >= 0, for the rows other than vader_tweets.
	balance      float64
	vaderBalance float64
	opts         analyze.TrainOptions
}

// flags registers cfg's fields on fs with the defaults.
func (cfg *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.shared, "shared", "../shared/data", "the shared data folder")
	fs.StringVar(&cfg.own, "own", "internal/analyze/traindata", "folder of hand-written *.txt training rows")
	fs.Float64Var(&cfg.ownWeight, "own-weight", 10, "weight of each hand-written row")
	fs.Float64Var(&cfg.hospWeight, "hospital-weight", 0.5, "weight of each hospital review sentence")
	fs.Float64Var(&cfg.vaderWeight, "vader-weight", 0.3, "weight of each vader tweet")
	cfg.snippetWeight = map[string]*float64{}
	for _, f := range snippetFiles {
		cfg.snippetWeight[f.name] = fs.Float64(f.flag, 0, "weight of each rated snippet of "+f.name+".jsonl ("+f.what+"); 0 leaves the file out")
	}
	fs.Float64Var(&cfg.margin, "margin", 0, "scale each vader tweet by how far its mean rating is from the class boundaries, reaching full weight this far from them (0: off)")
	fs.Float64Var(&cfg.balance, "balance", 1, "class balancing: 1 gives each class equal effective rows, 0 none, between partial")
	fs.Float64Var(&cfg.vaderBalance, "vader-balance", -1, "when >= 0, balance vader_tweets on its own by this power (its neutral band is narrow, so it has few neutral rows) and the other rows by -balance")
	fs.IntVar(&cfg.opts.Epochs, "epochs", 8, "training epochs")
	fs.Uint64Var(&cfg.opts.Seed, "seed", 1, "shuffling seed (the first, with -seeds)")
	fs.IntVar(&cfg.opts.Seeds, "seeds", 1, "train this many models on successive seeds and average their weights")
	fs.Float64Var(&cfg.opts.L2, "l2", 0.3, "weight decay")
	fs.Float64Var(&cfg.opts.LearningRate, "lr", 0.3, "AdaGrad learning rate")
	fs.IntVar(&cfg.opts.MinCount, "min-count", 2, "rows a word or bigram must occur in")
	fs.Float64Var(&cfg.opts.DenseL2Scale, "dense-l2", 0.03, "L2 scale for lexicon and cue features")
	fs.BoolVar(&cfg.opts.Vectors, "vectors", false, "add the mean word vector of each text to the features (package wordvec)")
	fs.Float64Var(&cfg.opts.VecL2Scale, "vec-l2", 0, "L2 scale for the word-vector features (0: as -dense-l2)")
}

func main() {
	var cfg config
	cfg.flags(flag.CommandLine)
	out := flag.String("out", "internal/analyze/weights/sentiment.json", "where to write the model")
	evalFile := flag.String("eval", "", "labelled file to evaluate the new model on (never trained on)")
	cv := flag.Int("cv", 0, "report K-fold held-out figures on vader_tweets and hospital_reviews instead of writing a model")
	flag.Parse()
	if err := run(&cfg, *out, *evalFile, *cv); err != nil {
		fmt.Fprintln(os.Stderr, "trainsentiment:", err)
		os.Exit(1)
	}
}

func run(cfg *config, out, evalFile string, cv int) error {
	rows, sets, err := cfg.load(os.Stderr)
	if err != nil {
		return err
	}
	if cv > 1 {
		for _, s := range sets {
			rep, review, err := crossValidate(rows, s.span, cv, cfg.opts)
			if err != nil {
				return err
			}
			fmt.Printf("%s, %d-fold held-out (each fold predicted by a model that never saw it):\n", s.name, cv)
			rep.Write(os.Stdout)
			fmt.Println()
			if s.name == "hospital_reviews" {
				fmt.Printf("%s read as reviews without stars, %d-fold held-out:\n", s.name, cv)
				review.Write(os.Stdout)
				fmt.Println()
			}
		}
	}
	if cv > 1 && evalFile == "" {
		return nil
	}
	m, err := cfg.train(rows)
	if err != nil {
		return err
	}
	b, err := m.Encode()
	if err != nil {
		return err
	}
	if cv <= 1 {
		if err := os.WriteFile(out, append(b, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "wrote %s: %d features, %d bytes\n", out, len(m.Weights), len(b))
	}
	if evalFile != "" {
		rs, err := read(evalFile, 0)
		if err != nil {
			return err
		}
		fmt.Printf("%s (never trained on):\n", evalFile)
		predict(analyze.NewWithModel(m), rs).Write(os.Stdout)
	}
	return nil
}

// span is a range of rows, [lo, hi).
type span struct{ lo, hi int }

// set is a named span of the shared rows.
type set struct {
	name string
	span
}

// load reads and weights the training rows; sets says where the rows of
// each shared file are, in load order.
func (cfg *config) load(log io.Writer) (rows []analyze.LabeledText, sets []set, err error) {
	add := func(path string, w, margin float64) error {
		if strings.Contains(filepath.Base(path), "airline") {
			return fmt.Errorf("%s is evaluation only", path)
		}
		rs, err := read(path, margin)
		if err != nil {
			return err
		}
		for i := range rs {
			if rs[i].Weight == 0 {
				rs[i].Weight = 1
			}
			rs[i].Weight *= w
		}
		fmt.Fprintf(log, "%-60s %5d rows\n", path, len(rs))
		rows = append(rows, rs...)
		return nil
	}
	shared := func(name string, w, margin float64) error {
		lo := len(rows)
		if err := add(filepath.Join(cfg.shared, "sentiment", name+".jsonl"), w, margin); err != nil {
			return err
		}
		sets = append(sets, set{name, span{lo, len(rows)}})
		return nil
	}
	if err := shared("vader_tweets", cfg.vaderWeight, cfg.margin); err != nil {
		return nil, nil, err
	}
	for _, f := range snippetFiles {
		if w := cfg.snippetWeight[f.name]; w != nil && *w > 0 {
			if err := shared(f.name, *w, cfg.margin); err != nil {
				return nil, nil, err
			}
		}
	}
	if err := shared("hospital_reviews", cfg.hospWeight, 0); err != nil {
		return nil, nil, err
	}
	hospital := sets[len(sets)-1]
	files, err := filepath.Glob(filepath.Join(cfg.own, "*.txt"))
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("no *.txt rows in %s", cfg.own)
	}
	for _, f := range files {
		if err := add(f, cfg.ownWeight, 0); err != nil {
			return nil, nil, err
		}
	}
	if cfg.vaderBalance >= 0 {
		// Each rated file on its own (their neutral bands are narrow),
		// then hospital_reviews and the hand-written rows together.
		for _, s := range sets[:len(sets)-1] {
			balanceRows(rows[s.lo:s.hi], cfg.vaderBalance)
		}
		balanceRows(rows[hospital.lo:], cfg.balance)
	} else if cfg.balance > 0 {
		balanceRows(rows, cfg.balance)
	}
	return rows, sets, nil
}

// train fits the model on rows loaded by load.
func (cfg *config) train(rows []analyze.LabeledText) (*analyze.Model, error) {
	opts := cfg.opts
	data := "vader_tweets.jsonl"
	for _, f := range snippetFiles {
		if w := cfg.snippetWeight[f.name]; w != nil && *w > 0 {
			data += ", " + f.name + ".jsonl"
		}
	}
	opts.Meta = map[string]string{"data": data + ", hospital_reviews.jsonl (MIT), internal/analyze/traindata (Earshot)"}
	return analyze.Train(rows, opts)
}

// predict evaluates a on rows.
func predict(a *analyze.Analyzer, rows []analyze.LabeledText) analyze.SentimentReport {
	gold := make([]string, 0, len(rows))
	pred := make([]string, 0, len(rows))
	for _, r := range rows {
		gold = append(gold, r.Label)
		pred = append(pred, a.Sentiment(r.Text).Label)
	}
	return analyze.EvaluateSentiment(gold, pred)
}

// crossValidate predicts each of k folds of the rows in set with a model
// trained on all other rows and returns the pooled report, and the same
// with every row read as a review without stars (ReviewSentiment). Folds
// train side by side, one per core.
func crossValidate(rows []analyze.LabeledText, set span, k int, opts analyze.TrainOptions) (text, review analyze.SentimentReport, err error) {
	gold := make([][]string, k)
	pred := make([][]string, k)
	predReview := make([][]string, k)
	errs := make([]error, k)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for f := 0; f < k; f++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var train, test []analyze.LabeledText
			for i, r := range rows {
				if i >= set.lo && i < set.hi && (i-set.lo)%k == f {
					test = append(test, r)
				} else {
					train = append(train, r)
				}
			}
			m, err := analyze.Train(train, opts)
			if err != nil {
				errs[f] = fmt.Errorf("fold %d: %w", f+1, err)
				return
			}
			a := analyze.NewWithModel(m)
			for _, r := range test {
				gold[f] = append(gold[f], r.Label)
				pred[f] = append(pred[f], a.Sentiment(r.Text).Label)
				predReview[f] = append(predReview[f], a.ReviewSentiment(r.Text).Label)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return text, review, err
	}
	g := slices.Concat(gold...)
	return analyze.EvaluateSentiment(g, slices.Concat(pred...)), analyze.EvaluateSentiment(g, slices.Concat(predReview...)), nil
}

// marginWeight is the relative weight of a vader tweet whose mean rating
// on -4..4 is score: tweets rated near a class boundary (±0.5), where the
// raters themselves were split, carry less weight than clear ones, reaching
// full weight at distance scale from the boundary.
func marginWeight(score, scale float64) float64 {
	d := math.Abs(math.Abs(score) - 0.5)
	return math.Max(0.2, math.Min(1, d/scale))
}

// balanceRows scales row weights by (rows / (3 * rows of the class))^p,
// so with p = 1 every class has the same number of rows in effect, as
// TrainOptions.BalanceClasses does.
func balanceRows(rows []analyze.LabeledText, p float64) {
	if p <= 0 {
		return
	}
	var count [3]float64
	for _, r := range rows {
		count[analyze.ClassIndex(r.Label)]++
	}
	for i := range rows {
		c := analyze.ClassIndex(rows[i].Label)
		rows[i].Weight *= math.Pow(float64(len(rows))/(3*count[c]), p)
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

// read reads labelled rows from a hand-written *.txt file or a JSON Lines
// file. When margin > 0, rows with a "score" (vader_tweets) are weighted by
// marginWeight.
func read(path string, margin float64) ([]analyze.LabeledText, error) {
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
		if margin > 0 && r.Score != nil {
			r.Weight = marginWeight(*r.Score, margin)
		}
		rows = append(rows, r.LabeledText)
	}
	return rows, sc.Err()
}
