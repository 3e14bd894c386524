// Command traincrisis reproduces the crisis model embedded in package
// analyze (weights/crisis.json), the second stage of crisis detection.
//
// It trains only on data Earshot may ship: the C-SSRS posts of
// cssrs_suicidewatch.jsonl (CC BY 4.0; levels 1-6 are self_harm, level 0
// is none), the MIT-licensed vader_amazon, vader_movies, vader_nyt and
// hospital_reviews and vader_tweets as ordinary text (none), the
// customer-care posts written for the sentiment model
// (internal/analyze/traindata/care_*.txt, none), and the
// crisis rows Earshot's engineers wrote in
// internal/analyze/traindata/crisis/*.jsonl. One row in five of those (by
// a hash of the text) is the development set, never trained on.
// airline_dev is evaluation only and never read here.
//
// From the repository root, with shared/ beside it:
//
//	go run ./cmd/traincrisis
//
// -cv K prints, instead of writing a model, the C-SSRS recall and
// false-critical rate and the vader_tweets false criticals by K-fold
// cross-validation: each fold predicted by a model trained on everything
// else.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"earshot/internal/analyze"
	"earshot/internal/model"
)

// config is one training recipe.
type config struct {
	shared, own string
	care        string  // folder of the hand-written customer-care sentiment rows
	tests       string  // folder of testdata/crisis.txt and notcrisis.txt
	ordinary    string  // comma-separated sentiment files read as ordinary (none) rows
	ownWeight   float64 // weight of each hand-written row
	careWeight  float64 // weight of each customer-care row
	cssrsWeight float64 // weight of each C-SSRS post
	noneWeight  float64 // weight of each ordinary (vader, hospital) row
	seeds       int     // models averaged, trained with seeds Seed, Seed+1, ...
	opts        analyze.CrisisTrainOptions
}

func (cfg *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.shared, "shared", "../shared/data", "the shared data folder")
	fs.StringVar(&cfg.own, "own", "internal/analyze/traindata/crisis", "folder of hand-written *.jsonl crisis rows")
	fs.StringVar(&cfg.care, "care", "internal/analyze/traindata", "folder of the hand-written customer-care rows (care_*.txt), all ordinary posts")
	fs.StringVar(&cfg.tests, "tests", "internal/analyze/testdata", "folder of the crisis tests' rows (crisis.txt, notcrisis.txt)")
	fs.StringVar(&cfg.ordinary, "ordinary", "vader_tweets,vader_amazon,hospital_reviews", "sentiment files (in shared/sentiment, without .jsonl) read as ordinary rows; movie reviews and news tell of killing and overdoses as stories, which posts to a hospital are not")
	fs.Float64Var(&cfg.careWeight, "care-weight", 6, "weight of each customer-care row")
	fs.Float64Var(&cfg.ownWeight, "own-weight", 5, "weight of each hand-written row")
	fs.Float64Var(&cfg.cssrsWeight, "cssrs-weight", 1, "weight of each C-SSRS post")
	fs.Float64Var(&cfg.noneWeight, "none-weight", 1, "weight of each ordinary row")
	fs.IntVar(&cfg.opts.Epochs, "epochs", 20, "training epochs")
	fs.Float64Var(&cfg.opts.LearningRate, "lr", 0.2, "AdaGrad learning rate")
	fs.Float64Var(&cfg.opts.L2, "l2", 0.001, "weight decay")
	fs.IntVar(&cfg.opts.MinCount, "min-count", 2, "rows a feature must occur in")
	fs.Uint64Var(&cfg.opts.Seed, "seed", 1, "shuffling seed")
	fs.IntVar(&cfg.seeds, "seeds", 1, "models (shuffling seeds) to train and average")
	fs.BoolVar(&cfg.opts.Vectors, "vectors", false, "use the mean word vector of a text too")
	fs.Float64Var(&cfg.opts.CueThreshold, "cue-threshold", 0.15, "the threshold for a post holding a critical cue that is not negated")
	fs.Float64Var(&cfg.opts.SelfHarmThreshold, "self-harm-threshold", 0, "probability of self_harm alone from which a post is critical (0: none)")
	fs.Float64Var(&cfg.opts.Threshold, "threshold", 0.5, "probability of a crisis kind from which a post is critical")
}

// row is one labelled text and where it came from.
type row struct {
	text, lang, kind, note, set string
	weight                      float64
	dev                         bool // in the development set: never trained on
}

// isDev puts one hand-written row in five into the development set, by
// a hash of its text so that the split does not move when rows are added.
func isDev(text string) bool {
	h := fnv.New32a()
	io.WriteString(h, text)
	return h.Sum32()%5 == 0
}

// load reads every row of the recipe.
func (cfg *config) load() ([]row, error) {
	var rows []row
	files, err := filepath.Glob(filepath.Join(cfg.own, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.jsonl rows in %s", cfg.own)
	}
	sort.Strings(files)
	for _, f := range files {
		err := readJSONL(f, func(b []byte) error {
			var r struct{ Text, Lang, Kind, Note string }
			if err := json.Unmarshal(b, &r); err != nil {
				return err
			}
			if classOf(r.Kind) < 0 {
				return fmt.Errorf("kind %q", r.Kind)
			}
			rows = append(rows, row{text: r.Text, lang: r.Lang, kind: r.Kind, note: r.Note, set: "own", weight: cfg.ownWeight, dev: isDev(r.Text)})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// The crisis tests' rows (testdata/crisis.txt: kind<TAB>text;
	// notcrisis.txt: text) are hand-written crisis rows too.
	for _, name := range []string{"crisis.txt", "notcrisis.txt"} {
		b, err := os.ReadFile(filepath.Join(cfg.tests, name))
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
				continue
			}
			kind, text := "none", line
			if k, t, ok := strings.Cut(line, "\t"); ok {
				kind, text = k, t
			}
			if classOf(kind) < 0 {
				return nil, fmt.Errorf("%s: kind %q", name, kind)
			}
			rows = append(rows, row{text: text, lang: "test", kind: kind, set: "own", weight: cfg.ownWeight, dev: isDev(text)})
		}
	}
	care, err := filepath.Glob(filepath.Join(cfg.care, "care_*.txt"))
	if err != nil {
		return nil, err
	}
	sort.Strings(care)
	for _, f := range care {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(b), "\n") {
			// "L text", L the sentiment label: all are ordinary posts.
			_, text, ok := strings.Cut(line, " ")
			if !ok || strings.HasPrefix(line, "#") {
				continue
			}
			rows = append(rows, row{text: text, lang: "en", kind: "none", set: "care", weight: cfg.careWeight})
		}
	}
	err = readJSONL(filepath.Join(cfg.shared, "crisis", "cssrs_suicidewatch.jsonl"), func(b []byte) error {
		var r struct {
			Text     string
			Severity int
		}
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		kind := "none"
		if r.Severity >= 1 {
			kind = analyze.CrisisSelfHarm
		}
		rows = append(rows, row{text: r.Text, lang: "en", kind: kind, set: "cssrs", weight: cfg.cssrsWeight})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, name := range strings.Split(cfg.ordinary, ",") {
		err := readJSONL(filepath.Join(cfg.shared, "sentiment", name+".jsonl"), func(b []byte) error {
			var r struct{ Text string }
			if err := json.Unmarshal(b, &r); err != nil {
				return err
			}
			rows = append(rows, row{text: r.Text, lang: "en", kind: "none", set: name, weight: cfg.noneWeight})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return rows, nil
}

func classOf(kind string) int {
	for i, c := range analyze.CrisisClasses {
		if c == kind {
			return i
		}
	}
	return -1
}

func readJSONL(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	for n := 1; sc.Scan(); n++ {
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		if err := fn(sc.Bytes()); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// examples turns the trainable rows (keep) into training examples.
func examples(a *analyze.Analyzer, rows []row, keep func(i int) bool) []analyze.CrisisExample {
	var ex []analyze.CrisisExample
	for i, r := range rows {
		if !keep(i) {
			continue
		}
		fs, words := a.CrisisFeatures(r.text)
		ex = append(ex, analyze.CrisisExample{Features: fs, Words: words, Class: classOf(r.kind), Weight: r.weight})
	}
	return ex
}

// train fits the model on every row that is not in the development set.
func (cfg *config) train(rows []row) *analyze.CrisisModel {
	a := analyze.New()
	m := cfg.fit(examples(a, rows, func(i int) bool { return !rows[i].dev }))
	m.Meta = map[string]string{
		"data":   "cssrs_suicidewatch (Patil, Tao, Gedhu 2025, CC BY 4.0); vader_amazon, vader_movies, vader_nyt (VADER ground truth, C.J. Hutto and E. Gilbert, ICWSM 2014, MIT); hospital_reviews (MIT); traindata/care_*.txt; traindata/crisis without its development fifth",
		"recipe": fmt.Sprintf("vectors=%t epochs=%d lr=%g l2=%g min-count=%d seed=%d seeds=%d self-harm-threshold=%g own-weight=%g care-weight=%g cssrs-weight=%g none-weight=%g", cfg.opts.Vectors, cfg.opts.Epochs, cfg.opts.LearningRate, cfg.opts.L2, cfg.opts.MinCount, cfg.opts.Seed, cfg.seeds, cfg.opts.SelfHarmThreshold, cfg.ownWeight, cfg.careWeight, cfg.cssrsWeight, cfg.noneWeight),
	}
	return m
}

// fit trains cfg.seeds models on ex, with successive shuffling seeds,
// and returns their average.
func (cfg *config) fit(ex []analyze.CrisisExample) *analyze.CrisisModel {
	ms := make([]*analyze.CrisisModel, 0, max(cfg.seeds, 1))
	for i := range max(cfg.seeds, 1) {
		o := cfg.opts
		o.Seed += uint64(i)
		ms = append(ms, analyze.TrainCrisis(ex, o))
	}
	return analyze.AverageCrisisModels(ms)
}

// tally counts criticals per kind and language.
type tally struct {
	rows, crit map[string]int
	wrong      []string
}

func newTally() *tally { return &tally{rows: map[string]int{}, crit: map[string]int{}} }

func (t *tally) add(a *analyze.Analyzer, r row, list bool) {
	u := a.Analyze(analyze.Input{Text: r.text}).Urgency
	crit := u.Level == model.UrgencyCritical
	keys := []string{r.kind + " " + r.lang, r.kind + " all"}
	if r.kind != "none" {
		keys = append(keys, "ANY "+r.lang, "ANY all")
	}
	for _, k := range keys {
		t.rows[k]++
		if crit {
			t.crit[k]++
		}
	}
	if list && crit != (r.kind != "none") {
		stopped := ""
		if !crit && !gated(a, r.text) {
			stopped = " (stopped by the gate)"
		}
		t.wrong = append(t.wrong, fmt.Sprintf("%s %v%s: %s", r.kind, u.Reasons, stopped, r.text))
	}
}

func (t *tally) write(w io.Writer) {
	keys := make([]string, 0, len(t.rows))
	for k := range t.rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		what := "recall"
		if strings.HasPrefix(k, "none") {
			what = "false critical"
		}
		fmt.Fprintf(w, "  %-24s %5d rows %5d critical %.3f %s\n", k, t.rows[k], t.crit[k], float64(t.crit[k])/float64(t.rows[k]), what)
	}
	for _, s := range t.wrong {
		fmt.Fprintln(w, "  wrong:", strings.Join(strings.Fields(s), " "))
	}
}

// crossValidate measures C-SSRS by k folds: each fold is predicted by a
// model trained on everything else (but the development set).
func (cfg *config) crossValidate(rows []row, k int, list bool, w io.Writer) {
	a := analyze.New()
	fold := func(i int) int {
		h := fnv.New32a()
		io.WriteString(h, rows[i].text)
		return int(h.Sum32() % uint32(k))
	}
	t := newTally()
	for f := 0; f < k; f++ {
		held := func(i int) bool { return (rows[i].set == "cssrs" || rows[i].set == "vader_tweets") && fold(i) == f }
		m := cfg.fit(examples(a, rows, func(i int) bool { return !rows[i].dev && !held(i) }))
		af := analyze.NewWithOptions(analyze.Options{Crisis: m})
		for i, r := range rows {
			if held(i) {
				r.lang = r.set
				t.add(af, r, list)
			}
		}
	}
	fmt.Fprintf(w, "cssrs and vader_tweets, %d-fold cross-validation (language column: the set):\n", k)
	t.write(w)
}

func main() {
	var cfg config
	cfg.flags(flag.CommandLine)
	out := flag.String("out", "internal/analyze/weights/crisis.json", "where to write the model")
	cv := flag.Int("cv", 0, "report K-fold held-out figures on cssrs instead of writing a model")
	list := flag.Bool("list", false, "list the development rows the model gets wrong")
	evalFile := flag.String("eval", "", "JSON Lines files, comma-separated ({\"text\"}, with \"kind\" and \"lang\" when known), to measure the new model on, never trained on")
	flag.Parse()
	if err := run(cfg, *out, *cv, *list, *evalFile, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "traincrisis:", err)
		os.Exit(1)
	}
}

func run(cfg config, out string, cv int, list bool, evalFile string, w io.Writer) error {
	rows, err := cfg.load()
	if err != nil {
		return err
	}
	if cv > 1 {
		cfg.crossValidate(rows, cv, list, w)
		return nil
	}
	gateStats(rows, list, w)
	m := cfg.train(rows)
	a := analyze.NewWithOptions(analyze.Options{Crisis: m})
	t := newTally()
	for _, r := range rows {
		if r.dev {
			t.add(a, r, list)
		}
	}
	fmt.Fprintln(w, "development set (a fifth of traindata/crisis, never trained on):")
	t.write(w)
	for _, evalFile := range strings.Split(evalFile, ",") {
		if evalFile == "" {
			continue
		}
		t := newTally()
		err := readJSONL(evalFile, func(b []byte) error {
			var r struct{ Text, Lang, Kind string }
			if err := json.Unmarshal(b, &r); err != nil {
				return err
			}
			if r.Kind == "" {
				r.Kind = "none"
			}
			if r.Lang == "" {
				r.Lang = "?"
			}
			t.add(a, row{text: r.Text, lang: r.Lang, kind: r.Kind}, list)
			return nil
		})
		if err != nil {
			return err
		}
		fmt.Fprintln(w, evalFile+":")
		t.write(w)
	}
	b, err := m.Encode()
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

// gated reports whether the first stage passes text to the model: it
// holds a crisis word (a "g:" feature) or a critical cue ("c:").
func gated(a *analyze.Analyzer, text string) bool {
	fs, _ := a.CrisisFeatures(text)
	for _, f := range fs {
		if strings.HasPrefix(f.Name, "g:") || strings.HasPrefix(f.Name, "c:") {
			return true
		}
	}
	return false
}

// gateStats prints how many rows of each set the first stage passes to
// the model: for rows at risk, the gate's recall, a ceiling on the
// model's.
// With list, it lists the rows at risk that it stops.
func gateStats(rows []row, list bool, w io.Writer) {
	a := analyze.New()
	n, g := map[string]int{}, map[string]int{}
	var missed []string
	for _, r := range rows {
		k := r.set + " " + r.kind
		n[k]++
		if gated(a, r.text) {
			g[k]++
		} else if list && r.kind != "none" {
			missed = append(missed, r.kind+": "+r.text)
		}
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintln(w, "rows the first stage passes (a crisis word of data/crisis_gate.txt or a critical cue):")
	for _, k := range keys {
		fmt.Fprintf(w, "  %-32s %5d of %5d (%.3f)\n", k, g[k], n[k], float64(g[k])/float64(n[k]))
	}
	for _, s := range missed {
		fmt.Fprintln(w, "  stopped:", strings.Join(strings.Fields(s), " "))
	}
}
