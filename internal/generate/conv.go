package generate

import "strings"

// Conversation turns, in the order they can happen.
const (
	stReply1        uint8 = iota // our first reply to a new conversation
	stReplyDM                    // our private reply once we have details
	stReplyEscalate              // ours, after the member says it is not fixed
	stReplyGlad                  // ours, after the member says it is fixed
	stDMSent                     // member, public: "sent you a DM"
	stDetails                    // member, private: details, often with PHI
	stFinal                      // member: fixed or still waiting
	stPublicAnswer               // member, public: reaction to our answer
	stPraiseBack                 // member: a heart after our thanks
	stCrisisBack                 // member in crisis answering our reply
	stComment                    // someone else comments on the post
	stReviewUpdate               // reviewer revises after our response
)

// event is a scheduled conversation turn; the pending heap holds the
// window of open conversations.
type event struct {
	at       int64  // Unix seconds
	order    uint64 // tie-break, keeps the heap deterministic
	parent   uint64 // seq of the mention this turn answers
	root     uint64 // seq of the conversation's first mention
	author   int32  // the member's author index
	stage    uint8
	plat     uint8
	cat      uint8 // the conversation's category
	topic    uint8 // index into topics
	rootKind uint8
	site     uint8
	doctor   uint8
	product  uint8
	nurse    uint8
	stars    int8 // the root review's rating
	dm       bool // the conversation has moved to private messages
	esc      bool // already escalated once
}

func (e *event) less(o *event) bool {
	return e.at < o.at || e.at == o.at && e.order < o.order
}

// schedule queues a turn at unix time at, unless the window is full.
func (g *Generator) schedule(at int64, stage uint8, base *event) {
	if len(g.pending) >= maxPending {
		return
	}
	ev := *base
	ev.at, ev.stage = at, stage
	g.order++
	ev.order = g.order
	h := append(g.pending, ev)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].less(&h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	g.pending = h
}

func (g *Generator) pop() event {
	h := g.pending
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && h[r].less(&h[l]) {
			m = r
		}
		if !h[m].less(&h[i]) {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	g.pending = h
	return top
}

// agentDelay is how long our team takes to answer, in seconds.
func (g *Generator) agentDelay() int64 {
	if g.rng.chance(0.15) {
		return 600 + int64(g.rng.exp()*5*3600)
	}
	return 120 + int64(g.rng.exp()*2400)
}

// emitRoot writes a new conversation's first mention into g.row.
func (g *Generator) emitRoot(at int64) {
	r := &g.rng
	plat := uint8(r.weighted(platWeight))
	c := mctx{plat: plat, site: uint8(r.weighted(siteWeight)), doctor: uint8(r.intn(len(doctors))),
		product: uint8(r.intn(len(products))), nurse: uint8(r.intn(len(nurses)))}
	rw := g.newRow(plat, at, 0, 0)
	rw.site = c.site
	if plat == pRSS || plat == pWeb {
		g.news(&c)
		return
	}
	ai := g.pickAuthor(plat)
	c.author = g.author(plat, ai)
	rw.author = &c.author.a

	kind := kPost
	switch plat {
	case pX:
		if r.chance(0.09) {
			kind = kDM
		}
	case pFacebook:
		kind = []uint8{kPost, kComment, kDM}[r.weighted([]int{45, 42, 13})]
	case pInstagram:
		kind = []uint8{kComment, kPost, kDM}[r.weighted([]int{65, 28, 7})]
	default:
		kind = kReview
	}
	rw.kind, rw.rootKind = kind, kind
	c.dm = kind == kDM

	var cat uint8
	ti := -1
	_, inc := g.weight(at)
	switch {
	case kind != kReview && r.chance(crisisShare):
		cat = catCrisis
	case inc >= 0 && kind != kReview && r.chance(0.6):
		cat, ti = catComplaint, inc
	default:
		w := catWeightX
		switch {
		case kind == kDM:
			w = catWeightDM
		case plat == pFacebook:
			w = catWeightFB
		case plat == pInstagram:
			w = catWeightIG
		case plat == pGoogle:
			w = catWeightGoogle
		case plat == pYelp:
			w = catWeightYelp
		}
		cat = uint8(r.weighted(w))
	}
	if ti < 0 {
		ti = g.pickTopic(cat, kind == kReview)
	}
	tp := &topics[ti]
	rw.label = Label{Category: catNames[cat], Topic: tp.name, Sentiment: catSentiment[cat]}

	buf := rw.text[:0]
	if kind == kReview {
		rw.rating = g.stars(tp)
		rw.place = true
		if !r.chance(0.025) { // a few reviews are a rating alone
			buf = g.fill(buf, pick(r, tp.review), &c)
		}
	} else {
		t := pick(r, tp.social)
		switch cat {
		case catComplaint:
			buf = append(buf, pick(r, openersNeg)...)
		case catQuestion, catNeutral:
			buf = append(buf, pick(r, openersNeutral)...)
		}
		if plat == pX && kind != kDM && !strings.Contains(t, "{org}") && r.chance(0.6) {
			buf = append(buf, "@lonestarhealth "...)
		}
		buf = g.fill(buf, t, &c)
	}
	if len(buf) > 0 && r.chance(0.06) {
		buf = g.typo(buf, 0)
	}
	if cat == catComplaint || cat == catQuestion {
		p := 0.04
		switch kind {
		case kDM:
			p = 0.3
		case kReview:
			p = 0.015
		}
		if len(buf) > 0 && r.chance(p) {
			buf = g.fill(buf, pick(r, phiSentences), &c)
			rw.label.PHI = true
		}
	}
	if kind != kReview && kind != kDM {
		buf = g.tail(buf, cat, plat)
	}
	rw.text = buf
	g.buildURL()

	base := event{parent: rw.seq, root: rw.seq, author: ai, plat: plat, cat: cat, topic: uint8(ti),
		rootKind: kind, site: c.site, doctor: c.doctor, product: c.product, nurse: c.nurse,
		stars: rw.rating, dm: kind == kDM}
	g.afterRoot(at, &base, tp)
}

// pickTopic picks a topic of category cat by weight.
func (g *Generator) pickTopic(cat uint8, review bool) int {
	list := g.pickSocial[cat]
	if review {
		list = g.pickReview[cat]
	}
	total := 0
	for _, i := range list {
		total += topics[i].weight
	}
	n := g.rng.intn(total)
	for _, i := range list {
		if n < topics[i].weight {
			return i
		}
		n -= topics[i].weight
	}
	return list[len(list)-1]
}

// stars rates a review consistently with its topic: complaints lean to the
// low end of their range, praise to the high end.
func (g *Generator) stars(tp *topic) int8 {
	lo, hi := tp.stars[0], tp.stars[1]
	if lo == 0 {
		lo, hi = 1, 2
	}
	u := g.rng.float()
	k := int8(u * u * float64(hi-lo+1))
	switch tp.cat {
	case catPraise:
		return hi - k
	case catComplaint:
		return lo + k
	}
	return lo + int8(g.rng.intn(int(hi-lo)+1))
}

// afterRoot schedules the turns a new conversation brings: our reply and
// other people's comments.
func (g *Generator) afterRoot(at int64, base *event, tp *topic) {
	r := &g.rng
	review := base.rootKind == kReview
	var p float64
	switch base.cat {
	case catCrisis:
		p = 1
		if tp.name == "threat" {
			p = 0.4
		}
	case catComplaint:
		p = [nPlat]float64{0.6, 0.6, 0.5, 0.4, 0.3}[base.plat]
	case catQuestion:
		p = 0.55
	case catPraise:
		p = 0.25
		if review {
			p = 0.35
		}
	case catNeutral:
		p = 0.06
		if review {
			p = 0.2
		}
	}
	if base.dm && base.cat != catCrisis {
		p = 0.8
	}
	if r.chance(p) {
		var t int64
		switch {
		case base.cat == catCrisis:
			t = at + 90 + int64(r.intn(510))
		case review:
			t = g.agentTime(at + 1800 + int64(r.exp()*30*3600))
		default:
			t = g.agentTime(at + g.agentDelay())
		}
		g.schedule(t, stReply1, base)
	}
	if review || base.dm {
		return
	}
	pc := [nCat]float64{0.3, 0.12, 0.2, 0.12, 0.35}[base.cat]
	if r.chance(pc) {
		n := 1 + r.intn(3)
		for i := range n {
			g.schedule(at+60+int64(r.exp()*2400*float64(i+1)), stComment, base)
		}
	}
}
