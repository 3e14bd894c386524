// Package generate writes realistic synthetic social-care mentions about a
// fictional health plan and hospital system, Lone Star Health, with three
// sites. It feeds benchmarks, tests and the demo.
//
// A Generator is a deterministic stream: the same Options give the same
// mentions, in created_at order. The stream mixes platforms (X, Facebook,
// Instagram, Google and Yelp reviews, a little news), complaints,
// questions, praise and rare crises, planted fake member details, and
// conversations: other people's comments, the organisation's outbound
// replies and members' follow-ups. Only a bounded window of open
// conversations is kept, so memory stays flat for any count.
package generate

import (
	"io"
	"time"

	"earshot/internal/model"
)

// DefaultStart is the start used when Options.Start is zero: Monday 5
// January 2026, midnight in Texas.
const DefaultStart = "2026-01-05T00:00:00-06:00"

// DefaultDays is the span used when Options.Days is zero.
const DefaultDays = 30

// defaultPerDay paces an open-ended stream when neither Count nor PerDay
// is given.
const defaultPerDay = 1000

// Options configure a Generator.
type Options struct {
	// Seed selects the stream; external ids include it, so streams of
	// different seeds can be imported together.
	Seed int64
	// Start is the earliest created_at; mentions keep Start's location.
	// Zero means DefaultStart.
	Start time.Time
	// Days is how many days Count mentions spread over; zero means
	// DefaultDays.
	Days int
	// Count, if set, is the number of mentions expected, so that they
	// spread over Days. WriteJSONL sets it from n on a fresh Generator.
	Count int
	// PerDay, if set, is the average number of mentions per day and
	// overrides Count for pacing (the demo's live trickle).
	PerDay float64
}

// Label is the generator's ground truth for one mention, for tests and
// for measuring the analyser.
type Label struct {
	Category  string // complaint, question, praise, neutral, crisis, news or response
	Topic     string // billing, id_card, self_harm, ... (intent names where one fits)
	Sentiment string // negative, neutral or positive
	PHI       bool   // the text carries planted member details
}

// Platforms, in the order of the tables below.
const (
	pX uint8 = iota
	pFacebook
	pInstagram
	pGoogle
	pYelp
	pRSS
	pWeb
	nPlat
)

var platNames = [nPlat]string{
	model.PlatformX, model.PlatformFacebook, model.PlatformInstagram,
	model.PlatformGoogle, model.PlatformYelp, model.PlatformRSS, model.PlatformWeb,
}

// platWeight is each platform's share of new conversations (roots).
var platWeight = []int{28, 24, 12, 21, 10, 3, 3}

// Mention kinds.
const (
	kPost uint8 = iota
	kComment
	kReview
	kDM
)

var kindNames = [...]string{model.KindPost, model.KindComment, model.KindReview, model.KindDirectMessage}

// catWeight is the category mix of new conversations per platform group:
// social posts, direct messages, reviews.
var (
	catWeightX      = []int{44, 24, 14, 24} // complaint, question, praise, neutral
	catWeightFB     = []int{38, 28, 18, 18}
	catWeightIG     = []int{20, 15, 38, 30}
	catWeightDM     = []int{52, 44, 4, 0}
	catWeightGoogle = []int{42, 3, 45, 10}
	catWeightYelp   = []int{55, 0, 33, 12}
)

// crisisShare is the chance that a new social conversation is a crisis;
// tuned so that about 0.3% of all rows are crises.
const crisisShare = 0.0095

// maxPending bounds the window of scheduled conversation turns.
const maxPending = 1 << 16

// Generator produces mentions. It is not safe for concurrent use.
type Generator struct {
	rng       rng
	start     time.Time
	startUnix int64
	perSec    float64 // target mentions per second
	tag       uint64  // seed, scattered; part of every external id
	tagDec    [20]byte
	tag36     [13]byte

	tRoot   float64 // seconds after start of the next new conversation
	rootSet bool
	seq     uint64 // external ids issued
	emitted int64
	roots   int64
	order   uint64
	pending []event // min-heap by (at, order)

	pools          [nPlat]pool
	ours           [nPlat]model.Author
	rh             rhythm
	topicIdx       map[string]int // "cat/name" -> topics index
	pickSocial     [nCat][]int    // topic indices per category
	pickReview     [nCat][]int
	incidentTopics []int

	row     row
	scratch []byte
	opts    Options
}

// New returns a Generator for opts.
func New(opts Options) *Generator {
	if opts.Start.IsZero() {
		opts.Start, _ = time.Parse(time.RFC3339, DefaultStart)
	}
	if opts.Days <= 0 {
		opts.Days = DefaultDays
	}
	g := &Generator{
		rng:       rng{s: uint64(opts.Seed) ^ 0x6a09e667f3bcc909},
		start:     opts.Start,
		startUnix: opts.Start.Unix(),
		tag:       mix(uint64(opts.Seed) ^ 0x5ead5eed),
		rh:        newRhythm(),
		topicIdx:  map[string]int{},
		opts:      opts,
	}
	t := g.tag
	for i := len(g.tagDec) - 1; i >= 0; i-- {
		g.tagDec[i] = byte('0' + t%10)
		t /= 10
	}
	t = g.tag
	for i := len(g.tag36) - 1; i >= 0; i-- {
		g.tag36[i] = base36[t%36]
		t /= 36
	}
	for i, tp := range topics {
		g.topicIdx[catNames[tp.cat]+"/"+tp.name] = i
		if len(tp.social) > 0 {
			g.pickSocial[tp.cat] = append(g.pickSocial[tp.cat], i)
		}
		if len(tp.review) > 0 {
			g.pickReview[tp.cat] = append(g.pickReview[tp.cat], i)
		}
	}
	for _, name := range incidentTopics {
		g.incidentTopics = append(g.incidentTopics, g.topicIdx[CategoryComplaint+"/"+name])
	}
	for p := range nPlat {
		g.ours[p] = ourAuthor(p)
	}
	g.pace()
	g.row.text = make([]byte, 0, 512)
	g.row.url = make([]byte, 0, 160)
	return g
}

// pace sets the target rate and sizes the author pools from the options.
func (g *Generator) pace() {
	o := g.opts
	perDay := o.PerDay
	if perDay <= 0 && o.Count > 0 {
		perDay = float64(o.Count) / float64(o.Days)
	}
	if perDay <= 0 {
		perDay = defaultPerDay
	}
	g.perSec = perDay / 86400
	expected := perDay * float64(o.Days)
	total := 0
	for _, w := range platWeight {
		total += w
	}
	for p := range nPlat {
		n := poolSize(expected, float64(platWeight[p])/float64(total))
		if p == pRSS {
			n = len(newsOutlets)
		} else if p == pWeb {
			n = len(webSites)
		}
		g.pools[p] = pool{recs: make([]*authorRec, n), regulars: max(1, n/30)}
	}
}

// Next returns the next mention in created_at order.
func (g *Generator) Next() model.Mention {
	m, _ := g.NextLabeled()
	return m
}

// NextLabeled returns the next mention and the generator's ground truth
// about it.
func (g *Generator) NextLabeled() (model.Mention, Label) {
	g.step()
	return g.row.mention(g), g.row.label
}

// WriteJSONL writes the next n mentions to w as JSON Lines, one mention
// object per line in the mention contract's form. On a Generator that has
// not produced anything yet and has neither Count nor PerDay, n becomes
// the Count, so the n mentions spread over Days.
func (g *Generator) WriteJSONL(w io.Writer, n int) error {
	if g.emitted == 0 && g.opts.Count == 0 && g.opts.PerDay <= 0 && n > 0 {
		g.opts.Count = n
		g.pace()
	}
	const flushAt = 60 << 10
	if cap(g.scratch) < flushAt+4096 {
		g.scratch = make([]byte, 0, flushAt+4096)
	}
	buf := g.scratch[:0]
	for range n {
		g.step()
		buf = g.row.appendJSON(buf, g)
		if len(buf) >= flushAt {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	g.scratch = buf[:0]
	return nil
}

// step produces the next row: a scheduled conversation turn if one is due
// no later than the next new conversation, otherwise a new conversation.
func (g *Generator) step() {
	if !g.rootSet {
		g.advanceRoot()
	}
	rootAt := g.startUnix + int64(g.tRoot)
	if len(g.pending) > 0 && g.pending[0].at <= rootAt {
		ev := g.pop()
		g.emitTurn(&ev)
	} else {
		g.emitRoot(rootAt)
		g.roots++
		g.rootSet = false
	}
	g.emitted++
}

// rootShare is the measured share of new conversations among all
// mentions (the rest are replies, comments and follow-ups), and
// incidentExtra the expected volume incidents add; pacing divides them
// out so that Count mentions span Days. TestStartAndSpan guards both.
const (
	rootShare     = 0.49
	incidentExtra = 0.043
)

// advanceRoot draws the time of the next new conversation from a Poisson
// process whose rate follows the daily rhythm (thinning).
func (g *Generator) advanceRoot() {
	base := g.perSec * rootShare / (1 + incidentExtra)
	for {
		g.tRoot += g.rng.exp() / (base * g.rh.max)
		w, _ := g.weight(g.startUnix + int64(g.tRoot))
		if g.rng.float()*g.rh.max < w {
			break
		}
	}
	g.rootSet = true
}
