package analyze

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
)

// LabeledText is one labelled row: a text and its sentiment label
// (negative, neutral or positive). Weight scales the row in training; 0
// means 1.
type LabeledText struct {
	Text   string  `json:"text"`
	Label  string  `json:"label"`
	Weight float64 `json:"weight,omitempty"`
}

// TrainOptions tunes Train. Zero values mean the defaults.
type TrainOptions struct {
	Epochs       int     // passes over the data; default 12
	LearningRate float64 // AdaGrad step; default 0.3
	L2           float64 // weight decay per update; default 1e-4
	MinCount     int     // rows a word or bigram must occur in; default 2
	Seed         uint64  // shuffling seed; default 1
	// BalanceClasses weights rows so each class carries equal total weight.
	BalanceClasses bool
	// DenseL2Scale scales L2 for lexicon and cue features; default 0.1.
	DenseL2Scale float64
	// Seeds, when above 1, trains that many models on rows shuffled by
	// successive seeds from Seed and averages their weights: still one
	// linear model, so scoring costs the same, but less dependent on the
	// order rows were seen in.
	Seeds int
	// Vectors adds the mean word vector of each text (vectors.go) to the
	// features; it is implied when Base has word-vector weights.
	Vectors bool
	// VecL2Scale scales L2 for the word-vector features; default
	// DenseL2Scale.
	VecL2Scale float64
	// Meta is copied into the model's metadata.
	Meta map[string]string
	// Base, when set, is the starting point: training begins from its
	// weights and weight decay pulls towards them rather than towards
	// zero, so an organisation's few hundred rows adjust a model that
	// already knows general English instead of starting from nothing.
	Base *Model
}

func (o *TrainOptions) defaults() {
	if o.Epochs <= 0 {
		o.Epochs = 12
	}
	if o.LearningRate <= 0 {
		o.LearningRate = 0.3
	}
	if o.L2 < 0 {
		o.L2 = 0
	} else if o.L2 == 0 {
		o.L2 = 1e-4
	}
	if o.DenseL2Scale <= 0 {
		o.DenseL2Scale = 0.1
	}
	if o.VecL2Scale <= 0 {
		o.VecL2Scale = o.DenseL2Scale
	}
	if o.Base != nil && o.Base.vectors != nil {
		o.Vectors = true
	}
	if o.MinCount <= 0 {
		o.MinCount = 2
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
}

// ClassIndex returns the model column of a sentiment label, or -1.
func ClassIndex(label string) int {
	for i, c := range Classes {
		if c == label {
			return i
		}
	}
	return -1
}

type sample struct {
	idx []int32
	val []float32
	y   int
	w   float64
}

// Train fits a sentiment model on rows. Every row needs a label among
// Classes; at least two classes must occur.
func Train(rows []LabeledText, opts TrainOptions) (*Model, error) {
	opts.defaults()
	if opts.Seeds <= 1 {
		return trainOnce(rows, opts)
	}
	var models []*Model
	for i := 0; i < opts.Seeds; i++ {
		o := opts
		o.Seed = opts.Seed + uint64(i)
		m, err := trainOnce(rows, o)
		if err != nil {
			return nil, err
		}
		models = append(models, m)
	}
	return averageModels(models), nil
}

// averageModels returns the model whose bias and weights are the means of
// models' (a feature missing from a model counts as zero there).
func averageModels(models []*Model) *Model {
	n := float64(len(models))
	avg := &Model{Kind: ModelKind, Version: featureVersion, Classes: Classes, Weights: map[string][3]float32{}, Meta: map[string]string{}}
	for c := range avg.Bias {
		var s float64
		for _, m := range models {
			s += float64(m.Bias[c])
		}
		avg.Bias[c] = round4(s / n)
	}
	sum := map[string][3]float64{}
	for _, m := range models {
		for name, w := range m.Weights {
			t := sum[name]
			for c := range w {
				t[c] += float64(w[c])
			}
			sum[name] = t
		}
	}
	for name, t := range sum {
		w := [3]float32{round4(t[0] / n), round4(t[1] / n), round4(t[2] / n)}
		if w != ([3]float32{}) {
			avg.Weights[name] = w
		}
	}
	for k, v := range models[0].Meta {
		avg.Meta[k] = v
	}
	avg.Meta["seeds"] = strconv.Itoa(len(models))
	avg.compile()
	return avg
}

func trainOnce(rows []LabeledText, opts TrainOptions) (*Model, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("analyze: train: no rows")
	}
	var seen [3]int
	for i, r := range rows {
		c := ClassIndex(r.Label)
		if c < 0 {
			return nil, fmt.Errorf("analyze: train: row %d: label %q is not negative, neutral or positive", i+1, r.Label)
		}
		seen[c]++
	}
	classes := 0
	for _, n := range seen {
		if n > 0 {
			classes++
		}
	}
	if classes < 2 {
		return nil, fmt.Errorf("analyze: train: need rows of at least two classes")
	}
	var cw [3]float64
	for c := range cw {
		cw[c] = 1
		if opts.BalanceClasses && seen[c] > 0 {
			cw[c] = float64(len(rows)) / (float64(classes) * float64(seen[c]))
		}
	}

	// Extract features by name, then keep those frequent enough.
	sc := &scratch{}
	var fs []feat
	var sig signals
	names := make([][]string, len(rows))
	vals := make([][]float32, len(rows))
	count := map[string]int{}
	var vnames []string
	var mean []float32
	if opts.Vectors {
		vnames = vecNames()
		mean = make([]float32, len(vnames))
	}
	for i, r := range rows {
		fs, sig = fs[:0], signals{}
		tokenize(sc, boundText(r.Text))
		fs = stdLexicons().extract(sc, fs, &sig)
		seenRow := map[string]bool{}
		for j := range fs {
			n := featName(sc, &fs[j])
			names[i] = append(names[i], n)
			vals[i] = append(vals[i], fs[j].v)
			if !seenRow[n] {
				seenRow[n] = true
				count[n]++
			}
		}
		if opts.Vectors && meanVector(sc, mean) > 0 {
			names[i] = append(names[i], vnames...)
			vals[i] = append(vals[i], mean...)
		}
	}
	index := map[string]int32{}
	var vocab []string
	if opts.Base != nil {
		names := make([]string, 0, len(opts.Base.Weights))
		for n := range opts.Base.Weights {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			index[n] = int32(len(vocab))
			vocab = append(vocab, n)
		}
	}
	for i := range rows {
		for _, n := range names[i] {
			if _, ok := index[n]; ok {
				continue
			}
			if count[n] >= opts.MinCount || isDenseName(n) || isVecName(n) {
				index[n] = int32(len(vocab))
				vocab = append(vocab, n)
			}
		}
	}
	samples := make([]sample, len(rows))
	for i, r := range rows {
		s := sample{y: ClassIndex(r.Label), w: r.Weight}
		if s.w <= 0 {
			s.w = 1
		}
		s.w *= cw[s.y]
		for j, n := range names[i] {
			if k, ok := index[n]; ok {
				s.idx = append(s.idx, k)
				s.val = append(s.val, vals[i][j])
			}
		}
		samples[i] = s
	}

	w := make([]float64, 3*len(vocab))
	g2 := make([]float64, 3*len(vocab))
	// Dense lexicon and cue features generalise beyond the training words:
	// decay them less than sparse words and bigrams.
	l2 := make([]float64, len(vocab))
	for k, n := range vocab {
		l2[k] = opts.L2
		switch {
		case isVecName(n):
			l2[k] = opts.L2 * opts.VecL2Scale
		case isDenseName(n):
			l2[k] = opts.L2 * opts.DenseL2Scale
		}
	}
	var bias, bg2 [3]float64
	var prior []float64
	if opts.Base != nil {
		prior = make([]float64, len(w))
		for k, n := range vocab {
			if bw, ok := opts.Base.Weights[n]; ok {
				for c := 0; c < 3; c++ {
					prior[3*k+c] = float64(bw[c])
				}
			}
		}
		copy(w, prior)
		for c := range bias {
			bias[c] = float64(opts.Base.Bias[c])
		}
	}
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x9e3779b97f4a7c15))
	lr := opts.LearningRate
	// The model is the average of the weights after each epoch, which
	// is steadier than the last epoch's weights.
	avg := make([]float64, len(w))
	var avgBias [3]float64
	for ep := 0; ep < opts.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, oi := range order {
			s := &samples[oi]
			var z [3]float64
			z = bias
			for j, k := range s.idx {
				v := float64(s.val[j])
				z[0] += v * w[3*k]
				z[1] += v * w[3*k+1]
				z[2] += v * w[3*k+2]
			}
			p := softmax(z)
			for c := 0; c < 3; c++ {
				g := p[c]
				if c == s.y {
					g -= 1
				}
				g *= s.w
				bg2[c] += g * g
				bias[c] -= lr * g / math.Sqrt(bg2[c]+1e-8)
				for j, k := range s.idx {
					o := 3*int(k) + c
					decay := w[o]
					if prior != nil {
						decay -= prior[o]
					}
					gr := g*float64(s.val[j]) + l2[k]*decay
					g2[o] += gr * gr
					w[o] -= lr * gr / math.Sqrt(g2[o]+1e-8)
				}
			}
		}
		for k := range w {
			avg[k] += w[k]
		}
		for c := range bias {
			avgBias[c] += bias[c]
		}
	}

	for k := range w {
		w[k] = avg[k] / float64(opts.Epochs)
	}
	for c := range bias {
		bias[c] = avgBias[c] / float64(opts.Epochs)
	}
	m := &Model{Kind: ModelKind, Version: featureVersion, Classes: Classes, Weights: map[string][3]float32{}}
	for c := range bias {
		m.Bias[c] = round4(bias[c])
	}
	for k, n := range vocab {
		ww := [3]float32{round4(w[3*k]), round4(w[3*k+1]), round4(w[3*k+2])}
		if ww == ([3]float32{}) {
			continue
		}
		m.Weights[n] = ww
	}
	m.Meta = map[string]string{"rows": strconv.Itoa(len(rows)), "epochs": strconv.Itoa(opts.Epochs)}
	for k, v := range opts.Meta {
		m.Meta[k] = v
	}
	m.compile()
	return m, nil
}

func isDenseName(n string) bool {
	return len(n) > 2 && (n[:2] == "d:" || n[:2] == "p:")
}

func isVecName(n string) bool {
	return len(n) > len(vecPrefix) && n[:len(vecPrefix)] == vecPrefix
}

func round4(x float64) float32 {
	return float32(math.Round(x*1e4) / 1e4)
}

// CrossValidation is the result of CrossValidate.
type CrossValidation struct {
	Folds int
	// Pooled is the report over every row, each predicted by the model
	// that did not see it.
	Pooled SentimentReport
	// FoldAccuracy and FoldMacroF1 are per fold.
	FoldAccuracy []float64
	FoldMacroF1  []float64
}

// CrossValidate trains k models, each on all rows but one fold, and
// measures each on its held-out fold. Folds are a deterministic shuffle
// of rows by opts.Seed.
func CrossValidate(rows []LabeledText, k int, opts TrainOptions) (*CrossValidation, error) {
	if k < 2 || k > len(rows) {
		return nil, fmt.Errorf("analyze: cross-validation needs 2 <= folds <= rows, got %d folds for %d rows", k, len(rows))
	}
	opts.defaults()
	perm := make([]int, len(rows))
	for i := range perm {
		perm[i] = i
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 7))
	rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	cv := &CrossValidation{Folds: k}
	gold := make([]string, 0, len(rows))
	pred := make([]string, 0, len(rows))
	for f := 0; f < k; f++ {
		var train, test []LabeledText
		for i, p := range perm {
			if i%k == f {
				test = append(test, rows[p])
			} else {
				train = append(train, rows[p])
			}
		}
		m, err := Train(train, opts)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", f+1, err)
		}
		a := NewWithModel(m)
		var fg, fp []string
		for _, r := range test {
			fg = append(fg, r.Label)
			fp = append(fp, a.Sentiment(r.Text).Label)
		}
		rep := EvaluateSentiment(fg, fp)
		cv.FoldAccuracy = append(cv.FoldAccuracy, rep.Accuracy)
		cv.FoldMacroF1 = append(cv.FoldMacroF1, rep.MacroF1)
		gold = append(gold, fg...)
		pred = append(pred, fp...)
	}
	cv.Pooled = EvaluateSentiment(gold, pred)
	return cv, nil
}
