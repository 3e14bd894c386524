package analyze

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"sort"
	"sync"

	"earshot/internal/wordvec"
)

// CrisisModelKind identifies serialised crisis models.
const CrisisModelKind = "earshot-crisis-logreg"

// crisisVersion changes when crisis features change incompatibly.
const crisisVersion = 1

// crisisClasses is the number of crisis model classes.
const crisisClasses = 6

// CrisisClasses are the crisis model's classes in weight order: none,
// then the crisis kinds.
var CrisisClasses = [crisisClasses]string{"none", CrisisSelfHarm, CrisisPoisoning, CrisisMedicalEmergency, CrisisViolence, CrisisAbuse}

// CrisisModel is the second stage of crisis detection: multinomial
// logistic regression over the features of crisisFeatures, for texts the
// gate passes. Build one with TrainCrisis or DecodeCrisisModel; it is
// immutable afterwards.
type CrisisModel struct {
	Kind    string                            `json:"kind"`
	Version int                               `json:"version"`
	Classes [crisisClasses]string             `json:"classes"`
	Bias    [crisisClasses]float32            `json:"bias"`
	Weights map[string][crisisClasses]float32 `json:"weights"`
	// Vectors are the weights of word vectors (wordvec.Embedded), one
	// row a dimension: each class adds the highest score of a text's
	// words (max pooling: "some word here means violence"). Empty when
	// the model does not use word vectors.
	Vectors [][crisisClasses]float32 `json:"vectors,omitempty"`
	// Threshold is the probability of some crisis kind (1 - P(none)) from
	// which a text is critical.
	Threshold float64 `json:"threshold"`
	// CueThreshold is the lower bar for a text holding a critical cue of
	// cues_critical.txt that is not negated: the cue says "at risk", and
	// the model has only to not be sure it is a figure of speech, news
	// or a joke.
	CueThreshold float64 `json:"cue_threshold"`
	// SelfHarmThreshold, when above zero, is a lower bar for self-harm
	// alone: a text whose self_harm probability reaches it is critical
	// even when all kinds together stay under Threshold. Indirect
	// self-harm (goodbyes, arrangements, a means without the word) is the
	// commonest miss, and the model's doubt about it spreads over none.
	SelfHarmThreshold float64 `json:"self_harm_threshold,omitempty"`
	// Meta records how the model was made.
	Meta map[string]string `json:"meta,omitempty"`

	compiled *hashTable[[crisisClasses]float32]
	// proj holds, for every word of the word vector table (by token
	// hash), its vector times Vectors, so a post costs a lookup a word.
	proj *hashTable[[crisisClasses]float32]
}

// The default crisis weights are reproduced by cmd/traincrisis (run from
// the repository root, or `go generate` here).
//
//go:generate go run ../../cmd/traincrisis -shared ../../../shared/data -own traindata/crisis -care traindata -tests testdata -out weights/crisis.json
//go:embed weights/crisis.json
var defaultCrisisWeights []byte

var defaultCrisisModel = sync.OnceValues(func() (*CrisisModel, error) { return DecodeCrisisModel(defaultCrisisWeights) })

// DefaultCrisisModel returns the embedded crisis model.
func DefaultCrisisModel() *CrisisModel {
	m, err := defaultCrisisModel()
	if err != nil {
		panic("analyze: embedded crisis model: " + err.Error())
	}
	return m
}

// Encode returns the serialised (JSON) form of m.
func (m *CrisisModel) Encode() ([]byte, error) { return json.Marshal(m) }

// DecodeCrisisModel parses a crisis model serialised by Encode.
func DecodeCrisisModel(b []byte) (*CrisisModel, error) {
	var m CrisisModel
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("analyze: decode crisis model: %w", err)
	}
	if m.Kind != CrisisModelKind {
		return nil, fmt.Errorf("analyze: not a crisis model (kind %q)", m.Kind)
	}
	if m.Version != crisisVersion {
		return nil, fmt.Errorf("analyze: crisis model version %d, want %d: retrain it", m.Version, crisisVersion)
	}
	if m.Classes != CrisisClasses {
		return nil, fmt.Errorf("analyze: crisis model classes %v, want %v", m.Classes, CrisisClasses)
	}
	if n := len(m.Vectors); n != 0 && n != wordvec.Embedded().Dim() {
		return nil, fmt.Errorf("analyze: crisis model has %d vector weights, the word vectors %d dimensions", n, wordvec.Embedded().Dim())
	}
	m.compile()
	return &m, nil
}

func (m *CrisisModel) compile() {
	byHash := make(map[uint64][crisisClasses]float32, len(m.Weights))
	for name, w := range m.Weights {
		byHash[crisisHash(name)] = w
	}
	m.compiled = tableOf(byHash)
	if len(m.Vectors) == 0 {
		return
	}
	t := wordvec.Embedded()
	vec := make([]float32, t.Dim())
	proj := make(map[uint64][crisisClasses]float32, t.Len())
	for i := 0; i < t.Len(); i++ {
		t.Vector(i, vec)
		var p [crisisClasses]float64
		for d, x := range vec {
			for c := range p {
				p[c] += float64(x) * float64(m.Vectors[d][c])
			}
		}
		var q [crisisClasses]float32
		for c := range p {
			q[c] = float32(p[c])
		}
		proj[hashString(fnvOffset, t.Word(i))] = q
	}
	m.proj = tableOf(proj)
}

// crisisSelfHarmClass is the index of self_harm in CrisisClasses.
const crisisSelfHarmClass = 1

// crisisSecond is how likely a second kind must be, as a share of the
// first's probability, to be named too ("poisoning" and "self_harm" for
// a deliberate overdose).
const crisisSecond = 0.5

// decide returns the kinds of class probabilities p, most likely first,
// or nil when the text is not critical. cue says whether the text holds a
// critical cue that is not negated.
func (m *CrisisModel) decide(p []float64, cue bool) []string {
	bar := m.Threshold
	if cue && m.CueThreshold < bar {
		bar = m.CueThreshold
	}
	if 1-p[0] < bar && (m.SelfHarmThreshold <= 0 || p[crisisSelfHarmClass] < m.SelfHarmThreshold) {
		return nil
	}
	best := 1
	for c := 2; c < crisisClasses; c++ {
		if p[c] > p[best] {
			best = c
		}
	}
	kinds := []string{m.Classes[best]}
	for c := 1; c < crisisClasses; c++ {
		if c != best && p[c] >= crisisSecond*p[best] {
			kinds = append(kinds, m.Classes[c])
		}
	}
	return kinds
}

// addProjection adds to z, for each class, the highest score of the
// words (by token hash) that the word-vector projection knows.
func (m *CrisisModel) addProjection(z []float64, words iter.Seq[uint64]) {
	var mx [crisisClasses]float64
	known := false
	for h := range words {
		p, ok := m.proj.get(h)
		if !ok {
			continue
		}
		for c := range mx {
			if !known || float64(p[c]) > mx[c] {
				mx[c] = float64(p[c])
			}
		}
		known = true
	}
	for c := range z {
		z[c] += mx[c]
	}
}

// Probs returns the class probabilities (in CrisisClasses order) of a
// text's features and words (from CrisisFeatures) under m.
func (m *CrisisModel) Probs(fs []CrisisFeature, words []string) []float64 {
	z := make([]float64, crisisClasses)
	for c := range z {
		z[c] = float64(m.Bias[c])
	}
	if m.proj != nil {
		m.addProjection(z, func(yield func(uint64) bool) {
			for _, w := range words {
				if !yield(hashString(fnvOffset, w)) {
					return
				}
			}
		})
	}
	for _, f := range fs {
		w, ok := m.compiled.get(crisisHash(f.Name))
		if !ok {
			continue
		}
		for c := range z {
			z[c] += float64(f.Value) * float64(w[c])
		}
	}
	return softmaxN(z)
}

// softmaxN turns z into probabilities in place and returns it.
func softmaxN(z []float64) []float64 {
	mx := z[0]
	for _, v := range z[1:] {
		mx = math.Max(mx, v)
	}
	var s float64
	for c := range z {
		z[c] = math.Exp(z[c] - mx)
		s += z[c]
	}
	for c := range z {
		z[c] /= s
	}
	return z
}

// CrisisExample is one training row of the crisis model: its features
// (from CrisisFeatures), its class index in CrisisClasses, and a weight.
type CrisisExample struct {
	Features []CrisisFeature
	// Words are the indices in wordvec.Embedded of the text's words
	// that have a vector.
	Words  []int
	Class  int
	Weight float64
}

// CrisisTrainOptions configures TrainCrisis.
type CrisisTrainOptions struct {
	Epochs       int
	LearningRate float64
	L2           float64
	// MinCount drops features seen in fewer rows.
	MinCount     int
	Seed         uint64
	Threshold    float64
	CueThreshold float64
	// SelfHarmThreshold is CrisisModel.SelfHarmThreshold (0: none).
	SelfHarmThreshold float64
	// Vectors, when set, trains weights for the mean word vector too.
	Vectors bool
}

// TrainCrisis fits a crisis model to rows by AdaGrad on the weighted
// multinomial log loss with L2 decay. It is deterministic: the same rows
// and options give the same weights.
func TrainCrisis(rows []CrisisExample, o CrisisTrainOptions) *CrisisModel {
	count := map[string]int{}
	for _, r := range rows {
		seen := map[string]bool{}
		for _, f := range r.Features {
			if !seen[f.Name] {
				seen[f.Name] = true
				count[f.Name]++
			}
		}
	}
	names := make([]string, 0, len(count))
	for n, c := range count {
		if c >= o.MinCount {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	index := make(map[string]int, len(names))
	for i, n := range names {
		index[n] = i
	}
	type sparse struct {
		idx []int
		val []float64
	}
	xs := make([]sparse, len(rows))
	for i, r := range rows {
		for _, f := range r.Features {
			if j, ok := index[f.Name]; ok {
				xs[i].idx = append(xs[i].idx, j)
				xs[i].val = append(xs[i].val, float64(f.Value))
			}
		}
	}
	const k = crisisClasses
	dim := 0
	if o.Vectors {
		dim = wordvec.Embedded().Dim()
	}
	wv := make([]float64, dim*k)
	gv := make([]float64, dim*k)
	vecs := map[int][]float32{}
	if dim > 0 {
		t := wordvec.Embedded()
		for _, r := range rows {
			for _, i := range r.Words {
				if vecs[i] == nil {
					vecs[i] = make([]float32, dim)
					t.Vector(i, vecs[i])
				}
			}
		}
	}
	var arg [k][]float32 // the word vector that scored highest for each class
	w := make([]float64, len(names)*k)
	g2 := make([]float64, len(names)*k)
	var b, gb [k]float64
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	rng := o.Seed | 1
	next := func() uint64 { // xorshift64
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return rng
	}
	z := make([]float64, k)
	for ep := 0; ep < o.Epochs; ep++ {
		for i := len(order) - 1; i > 0; i-- {
			j := int(next() % uint64(i+1))
			order[i], order[j] = order[j], order[i]
		}
		for _, ri := range order {
			x, r := xs[ri], rows[ri]
			for c := range z {
				z[c] = b[c]
			}
			for n, j := range x.idx {
				for c := 0; c < k; c++ {
					z[c] += x.val[n] * w[j*k+c]
				}
			}
			arg = [k][]float32{}
			if dim > 0 {
				var mx [k]float64
				for _, wi := range r.Words {
					vec := vecs[wi]
					for c := 0; c < k; c++ {
						var s float64
						for d, v := range vec {
							s += float64(v) * wv[d*k+c]
						}
						if arg[c] == nil || s > mx[c] {
							mx[c], arg[c] = s, vec
						}
					}
				}
				for c := 0; c < k; c++ {
					z[c] += mx[c]
				}
			}
			p := softmaxN(z)
			for c := 0; c < k; c++ {
				g := p[c]
				if c == r.Class {
					g--
				}
				g *= r.Weight
				gb[c] += g * g
				b[c] -= o.LearningRate * g / (math.Sqrt(gb[c]) + 1e-8)
				for n, j := range x.idx {
					gi := g*x.val[n] + o.L2*w[j*k+c]
					g2[j*k+c] += gi * gi
					w[j*k+c] -= o.LearningRate * gi / (math.Sqrt(g2[j*k+c]) + 1e-8)
				}
				for d, v := range arg[c] {
					gi := g*float64(v) + o.L2*wv[d*k+c]
					gv[d*k+c] += gi * gi
					wv[d*k+c] -= o.LearningRate * gi / (math.Sqrt(gv[d*k+c]) + 1e-8)
				}
			}
		}
	}
	m := &CrisisModel{Kind: CrisisModelKind, Version: crisisVersion, Classes: CrisisClasses,
		Weights: make(map[string][k]float32, len(names)), Threshold: o.Threshold, CueThreshold: o.CueThreshold, SelfHarmThreshold: o.SelfHarmThreshold}
	for c := range b {
		m.Bias[c] = round32(b[c])
	}
	for i, n := range names {
		var v [k]float32
		keep := false
		for c := 0; c < k; c++ {
			v[c] = round32(w[i*k+c])
			keep = keep || v[c] != 0
		}
		if keep {
			m.Weights[n] = v
		}
	}
	for d := 0; d < dim; d++ {
		var v [k]float32
		for c := 0; c < k; c++ {
			v[c] = round32(wv[d*k+c])
		}
		m.Vectors = append(m.Vectors, v)
	}
	m.compile()
	return m
}

// round32 rounds a weight to 4 decimals, which keeps the file small and
// its bytes stable.
func round32(x float64) float32 { return float32(math.Round(x*1e4) / 1e4) }

// AverageCrisisModels returns the model whose bias and weights are the
// means of ms's (a weight a model lacks counts as zero), with the
// thresholds of ms[0]. Models trained on the same rows in different
// orders (seeds) disagree on the rows near the bar; their mean does not
// hang on one shuffle, and costs no more to run than one of them.
func AverageCrisisModels(ms []*CrisisModel) *CrisisModel {
	if len(ms) == 1 {
		return ms[0]
	}
	n := float64(len(ms))
	first := ms[0]
	m := &CrisisModel{Kind: first.Kind, Version: first.Version, Classes: first.Classes,
		Threshold: first.Threshold, CueThreshold: first.CueThreshold, SelfHarmThreshold: first.SelfHarmThreshold,
		Weights: make(map[string][crisisClasses]float32, len(first.Weights))}
	sums := make(map[string][crisisClasses]float64, len(first.Weights))
	var bias [crisisClasses]float64
	vecs := make([][crisisClasses]float64, len(first.Vectors))
	for _, x := range ms {
		for c := range bias {
			bias[c] += float64(x.Bias[c])
		}
		for name, w := range x.Weights {
			s := sums[name]
			for c := range s {
				s[c] += float64(w[c])
			}
			sums[name] = s
		}
		for d := range vecs {
			for c := range vecs[d] {
				vecs[d][c] += float64(x.Vectors[d][c])
			}
		}
	}
	for c := range bias {
		m.Bias[c] = round32(bias[c] / n)
	}
	for name, s := range sums {
		var v [crisisClasses]float32
		for c := range s {
			v[c] = round32(s[c] / n)
		}
		m.Weights[name] = v
	}
	for d := range vecs {
		var v [crisisClasses]float32
		for c := range v {
			v[c] = round32(vecs[d][c] / n)
		}
		m.Vectors = append(m.Vectors, v)
	}
	m.compile()
	return m
}
