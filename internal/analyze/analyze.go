// Package analyze is text understanding: sentiment, intents, urgency, PHI.
// Pure, fast, no I/O.
//
// An Analyzer is built once (New, NewWithModel or NewWithOptions) and is
// then immutable and safe for concurrent use. Analyze never fails: any
// text, however long or malformed, yields a complete model.Analysis. Only
// the first MaxTextBytes of a text are analysed, which bounds time on
// hostile input.
package analyze

import (
	"math"
	"sync"
	"unicode/utf8"

	"earshot/internal/model"
)

// MaxTextBytes is how much of a text is analysed; the rest is ignored.
const MaxTextBytes = 64 << 10

// Input is what the analyser needs to know about one mention.
type Input struct {
	Text      string
	Kind      string // model.Kind*; "" when unknown
	Direction string // model.Direction*
	Rating    *int   // 1-5 for reviews
	Followers int64
	Verified  bool
}

// InputFromMention returns the analyser input for m.
func InputFromMention(m *model.Mention) Input {
	return Input{
		Text:      m.Text,
		Kind:      m.Kind,
		Direction: m.Direction,
		Rating:    m.Rating,
		Followers: m.Author.Followers,
		Verified:  m.Author.Verified,
	}
}

// Options configures an Analyzer. Zero fields mean the defaults.
type Options struct {
	// Model replaces the default sentiment model.
	Model *Model
	// Taxonomy replaces the default intent taxonomy.
	Taxonomy *Taxonomy
	// Crisis replaces the default crisis model.
	Crisis *CrisisModel
}

// Analyzer analyses texts. It is immutable after construction and safe for
// concurrent use.
type Analyzer struct {
	sent *Model
	tax  *Taxonomy
	lex  *lexicons
	// crisis is the second stage of crisis detection (crisis.go).
	crisis *CrisisModel
	// common is commonWords(), looked up once.
	common *hashTable[struct{}]
	pool   sync.Pool // *scratch
}

// New returns an Analyzer with the embedded default sentiment model,
// lexicons and intent taxonomy.
func New() *Analyzer { return NewWithOptions(Options{}) }

// NewWithModel returns an Analyzer whose sentiment model is m (for example
// one trained on an organisation's own posts) instead of the default. A nil
// m means the default model.
func NewWithModel(m *Model) *Analyzer { return NewWithOptions(Options{Model: m}) }

// NewWithOptions returns an Analyzer configured by opts.
func NewWithOptions(opts Options) *Analyzer {
	a := &Analyzer{sent: opts.Model, tax: opts.Taxonomy, crisis: opts.Crisis, lex: stdLexicons()}
	if a.crisis == nil {
		a.crisis = DefaultCrisisModel()
	}
	if a.sent == nil {
		a.sent = DefaultModel()
	}
	if a.tax == nil {
		a.tax = DefaultTaxonomy()
	}
	a.common = commonWords() // build the name vocabulary now, not on the first post
	a.pool.New = func() any {
		return &scratch{norm: make([]byte, 0, 512), toks: make([]token, 0, 64)}
	}
	return a
}

// boundText cuts text to at most MaxTextBytes on a rune boundary.
func boundText(s string) string {
	if len(s) <= MaxTextBytes {
		return s
	}
	i := MaxTextBytes
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// state is one analysis in progress.
type state struct {
	sc    *scratch
	fs    []feat
	sig   signals
	text  string
	probs [3]float64
}

func (a *Analyzer) begin(text string) *state {
	sc := a.pool.Get().(*scratch)
	// The state lives in the pooled scratch, so an analysis allocates
	// only what it returns.
	st := &sc.st
	*st = state{sc: sc, text: boundText(text)}
	tokenize(sc, st.text)
	st.fs = a.lex.extract(sc, sc.feats[:0], &st.sig)
	if len(sc.toks) == 0 {
		// Nothing to read (an empty or blank text): no mood, whatever
		// the model's bias leans to.
		st.probs = [3]float64{0, 1, 0}
	} else {
		st.probs = a.sent.probs(sc, st.fs)
	}
	return st
}

func (a *Analyzer) end(st *state) {
	sc := st.sc
	sc.feats = st.fs[:0]
	sc.st = state{}
	if cap(sc.norm) > 1<<20 {
		return // let huge buffers go
	}
	a.pool.Put(sc)
}

// ReviewSentiment returns the sentiment of text read as a review with no
// stars (see reviewSentiment).
func (a *Analyzer) ReviewSentiment(text string) model.Sentiment {
	st := a.begin(text)
	s := reviewSentiment(&st.sig, st.probs)
	a.end(st)
	return s
}

// Sentiment returns only the sentiment of text.
func (a *Analyzer) Sentiment(text string) model.Sentiment {
	st := a.begin(text)
	s := sentimentOf(st.probs)
	a.end(st)
	return s
}

func sentimentOf(p [3]float64) model.Sentiment {
	best := 0
	for c := 1; c < 3; c++ {
		if p[c] > p[best] {
			best = c
		}
	}
	score := p[2] - p[0]
	return model.Sentiment{Label: Classes[best], Score: math.Round(score*1e4) / 1e4}
}

// Analyze returns the analysis of in. Intents, PHI and urgency reasons are
// never nil.
func (a *Analyzer) Analyze(in Input) model.Analysis {
	st := a.begin(in.Text)
	defer a.end(st)
	out := model.Analysis{
		// A review's stars decide when its text does not (see
		// rateSentiment); Sentiment, which has only a text, is unchanged.
		Sentiment: rateSentiment(starsOf(in), &st.sig, textSentiment(in, &st.sig, st.probs)),
		Language:  detectLanguage(&st.sig, st.text),
	}
	out.Urgency = a.urgency(st, in, out.Sentiment)
	crisis := out.Urgency.Level == model.UrgencyCritical
	if crisis && out.Sentiment.Label == model.SentimentPositive {
		// A post in crisis is not a happy one, whatever its laughing
		// emoji ("kms lol") or kind words say; left positive it would
		// count as praise in reports and sink in a queue sorted by mood.
		out.Sentiment = model.Sentiment{Label: model.SentimentNegative, Score: -out.Sentiment.Score}
	}
	out.Intents = a.intents(st, out.Sentiment, crisis)
	out.PHI = a.findPHI(st.sc, st.text)
	out.NeedsResponse = a.needsResponse(st, in, out)
	return out
}
