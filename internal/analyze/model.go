package analyze

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"

	"earshot/internal/model"
)

// ModelKind identifies serialised Earshot sentiment models.
const ModelKind = "earshot-sentiment-logreg"

// Classes are the sentiment labels in model order.
var Classes = [3]string{model.SentimentNegative, model.SentimentNeutral, model.SentimentPositive}

// Model is a sentiment model: multinomial logistic regression over words,
// bigrams, hashtags, cue phrases and lexicon features. Build one with Train
// or DecodeModel; it is immutable afterwards and safe for concurrent use.
type Model struct {
	// Kind is ModelKind.
	Kind string `json:"kind"`
	// Version of the feature extraction the weights belong to.
	Version int `json:"version"`
	// Classes names the three weight columns.
	Classes [3]string `json:"classes"`
	// Bias is the per-class intercept.
	Bias [3]float32 `json:"bias"`
	// Weights maps a feature name to its per-class weights.
	Weights map[string][3]float32 `json:"weights"`
	// Meta records how the model was made (data, options, measured figures).
	Meta map[string]string `json:"meta,omitempty"`

	compiled *weightTable
	// vectors scores words by their vectors (compileVectors); nil when
	// the model has no v: weights.
	vectors *weightTable
}

// featureVersion changes when feature extraction changes incompatibly.
const featureVersion = 1

// The default weights are reproduced by cmd/trainsentiment (run from
// the repository root, or `go generate` here).
//
//go:generate go run ../../cmd/trainsentiment -shared ../../../shared/data -own traindata -out weights/sentiment.json -margin 0.25 -vader-balance 0.5 -seeds 5 -vectors -amazon-weight 0.2
//go:embed weights/sentiment.json
var defaultWeights []byte

var defaultModel = sync.OnceValues(func() (*Model, error) { return DecodeModel(defaultWeights) })

// DefaultModel returns the embedded default sentiment model.
func DefaultModel() *Model {
	m, err := defaultModel()
	if err != nil {
		panic("analyze: embedded sentiment model: " + err.Error())
	}
	return m
}

// Encode returns the serialised (JSON) form of m, readable by DecodeModel.
func (m *Model) Encode() ([]byte, error) { return json.Marshal(m) }

// DecodeModel parses a model serialised by Encode.
func DecodeModel(b []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("analyze: decode model: %w", err)
	}
	if m.Kind != ModelKind {
		return nil, fmt.Errorf("analyze: not a sentiment model (kind %q)", m.Kind)
	}
	if m.Version != featureVersion {
		return nil, fmt.Errorf("analyze: model version %d, want %d: retrain it", m.Version, featureVersion)
	}
	if m.Classes != Classes {
		return nil, errors.New("analyze: model classes must be negative, neutral, positive")
	}
	m.compile()
	return &m, nil
}

func (m *Model) compile() {
	byHash := make(map[uint64][3]float32, len(m.Weights))
	for name, w := range m.Weights {
		byHash[hashString(fnvOffset, name)] = w
	}
	m.compiled = newWeightTable(byHash)
	m.vectors = m.compileVectors()
}

// probs returns class probabilities for features fs (hashed by extract)
// of the tokenised text in sc.
func (m *Model) probs(sc *scratch, fs []feat) [3]float64 {
	var z [3]float64
	for c := range z {
		z[c] = float64(m.Bias[c])
	}
	if m.vectors != nil {
		vectorScore(m.vectors, sc, &z)
	}
	t := m.compiled
	for i := range fs {
		// t.get(h), with its first probe written out.
		h := fs[i].h
		fp := fingerprint(h)
		j := (h * hashMix) >> t.shift
		sl := &t.slots[j]
		var w [3]float32
		switch sl.fp {
		case fp:
			w = t.weights(sl)
		case 0:
			continue
		default:
			var ok bool
			if w, ok = t.probe(h, fp, j); !ok {
				continue
			}
		}
		v := float64(fs[i].v)
		z[0] += v * float64(w[0])
		z[1] += v * float64(w[1])
		z[2] += v * float64(w[2])
	}
	return softmax(z)
}

func softmax(z [3]float64) [3]float64 {
	mx := math.Max(z[0], math.Max(z[1], z[2]))
	var p [3]float64
	var s float64
	for c := range z {
		p[c] = math.Exp(z[c] - mx)
		s += p[c]
	}
	for c := range p {
		p[c] /= s
	}
	return p
}

// Predict returns the sentiment of text under m.
func (m *Model) Predict(text string) model.Sentiment {
	a := NewWithModel(m)
	return a.Analyze(Input{Text: text}).Sentiment
}
