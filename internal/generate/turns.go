package generate

// emitTurn writes a scheduled conversation turn into g.row and schedules
// what follows it.
func (g *Generator) emitTurn(ev *event) {
	r := &g.rng
	rw := g.newRow(ev.plat, ev.at, ev.parent, ev.root)
	rw.rootKind, rw.site = ev.rootKind, ev.site
	c := mctx{plat: ev.plat, site: ev.site, doctor: ev.doctor, product: ev.product, nurse: ev.nurse,
		author: g.author(ev.plat, ev.author), dm: ev.dm}
	tp := &topics[ev.topic]
	next := *ev
	next.parent = rw.seq
	buf := rw.text[:0]

	switch ev.stage {
	case stReply1, stReplyDM, stReplyEscalate, stReplyGlad:
		rw.out = true
		rw.author = &g.ours[ev.plat]
		rw.kind = kComment
		if ev.dm {
			rw.kind = kDM
		}
		rw.label = Label{Category: CategoryResponse, Topic: tp.name, Sentiment: "neutral"}
		buf = g.fill(buf, g.replyText(ev, &next, tp), &c)
		for len(buf) > 0 && buf[len(buf)-1] == ' ' { // an empty signature
			buf = buf[:len(buf)-1]
		}
	default:
		rw.author = &c.author.a
		rw.kind = kComment
		if ev.dm {
			rw.kind = kDM
		}
		rw.label = Label{Category: catNames[ev.cat], Topic: tp.name, Sentiment: catSentiment[ev.cat]}
		buf = g.memberText(buf, ev, &next, &c)
	}
	rw.text = buf
	if ev.stage == stComment && r.chance(0.05) {
		rw.text = g.typo(rw.text, 0)
	}
	g.buildURL()
}

// replyText picks our reply for ev and schedules the member's next turn.
func (g *Generator) replyText(ev, next *event, tp *topic) string {
	r := &g.rng
	at := ev.at
	member := func(p float64, stage uint8, delay int64) {
		if r.chance(p) {
			g.schedule(at+delay, stage, next)
		}
	}
	switch ev.stage {
	case stReplyDM:
		member(0.5, stFinal, 3600+int64(r.exp()*6*3600))
		return g.byTopic(replyDM, tp.name)
	case stReplyEscalate:
		next.esc = true
		member(0.55, stFinal, 1800+int64(r.exp()*4*3600))
		return pick(r, replyEscalate)
	case stReplyGlad:
		g.row.label.Sentiment = "positive"
		return pick(r, replyGlad)
	}
	// The first reply.
	switch {
	case ev.cat == catCrisis:
		member(0.5, stCrisisBack, 120+int64(r.exp()*900))
		switch tp.name {
		case "self_harm":
			return pick(r, replySelfHarm)
		case "medical_emergency":
			return pick(r, replyEmergency)
		}
		return pick(r, replyThreat)
	case ev.rootKind == kReview:
		if ev.cat == catPraise || ev.stars >= 4 {
			g.row.label.Sentiment = "positive"
			return pick(r, replyReviewPositive)
		}
		if ev.cat == catComplaint {
			member(0.18, stReviewUpdate, 86400+int64(r.intn(4*86400)))
		}
		return pick(r, replyReviewNegative)
	case ev.dm:
		member(0.8, stDetails, 120+int64(r.exp()*1800))
		return pick(r, replyAskDetails)
	case ev.cat == catComplaint:
		next.dm = true
		if r.chance(0.3) {
			pub := *next
			pub.dm = false
			g.schedule(at+60+int64(r.intn(840)), stDMSent, &pub)
		} else {
			member(0.55, stDetails, 120+int64(r.exp()*1800))
		}
		return pick(r, replyComplaintPublic)
	case ev.cat == catQuestion:
		if r.chance(0.3) {
			next.dm = true
			member(0.75, stDetails, 120+int64(r.exp()*1800))
		} else {
			member(0.45, stPublicAnswer, 60+int64(r.exp()*1200))
		}
		return g.byTopic(replyQuestion, tp.name)
	case ev.cat == catPraise:
		g.row.label.Sentiment = "positive"
		member(0.15, stPraiseBack, 60+int64(r.exp()*3600))
		return pick(r, replyPraise)
	}
	return pick(r, replyNeutral)
}

// memberText writes a member's (or a bystander's) turn and schedules our
// answer to it.
func (g *Generator) memberText(buf []byte, ev, next *event, c *mctx) []byte {
	r := &g.rng
	rw := &g.row
	at := ev.at
	ours := func(p float64, stage uint8, delay int64) {
		if r.chance(p) {
			g.schedule(g.agentTime(at+delay), stage, next)
		}
	}
	switch ev.stage {
	case stDMSent:
		rw.label.Sentiment = "neutral"
		dm := *ev
		dm.dm = true
		g.schedule(at+30+int64(r.intn(270)), stDetails, &dm)
		return g.fill(buf, pick(r, followDMSent), c)
	case stDetails:
		rw.label.Sentiment, rw.label.PHI = "neutral", true
		ours(0.7, stReplyDM, 120+int64(r.exp()*1500))
		return g.fill(buf, g.byTopic(followDetails, topics[ev.topic].name), c)
	case stFinal:
		p := 0.6
		if ev.esc {
			p = 0.75
		}
		if r.chance(p) {
			rw.label.Category, rw.label.Sentiment = CategoryPraise, "positive"
			ours(0.15, stReplyGlad, 60+int64(r.exp()*1200))
			return g.fill(buf, g.byTopic(followPositive, topics[ev.topic].name), c)
		}
		rw.label.Category, rw.label.Sentiment = CategoryComplaint, "negative"
		if !ev.esc {
			ours(0.6, stReplyEscalate, g.agentDelay())
		}
		return g.fill(buf, pick(r, followNegative), c)
	case stPublicAnswer:
		if r.chance(0.6) {
			rw.label.Category, rw.label.Sentiment = CategoryPraise, "positive"
			return g.fill(buf, pick(r, followPublicPositive), c)
		}
		rw.label.Category, rw.label.Sentiment = CategoryComplaint, "negative"
		return g.fill(buf, pick(r, followPublicNegative), c)
	case stPraiseBack:
		rw.label.Category, rw.label.Sentiment = CategoryPraise, "positive"
		return g.fill(buf, pick(r, followPraise), c)
	case stCrisisBack:
		rw.label.Category, rw.label.Sentiment = CategoryNeutral, "neutral"
		return g.fill(buf, pick(r, followCrisis), c)
	case stReviewUpdate:
		rw.kind = kReview
		rw.place = true
		rw.rating = min(5, ev.stars+int8(2+r.intn(2)))
		c.stars = rw.rating
		rw.label.Category, rw.label.Sentiment = CategoryPraise, "positive"
		return g.fill(buf, g.byTopic(reviewUpdates, topics[ev.topic].name), c)
	}
	// stComment: someone else joins in.
	ai := g.otherAuthor(ev.plat, ev.author)
	c.author = g.author(ev.plat, ai)
	rw.author = &c.author.a
	rw.reply = ev.root
	list := commentNeutral
	switch ev.cat {
	case catComplaint:
		list = commentAgree
		if r.chance(0.35) {
			list = commentAdvice
			rw.label.Category, rw.label.Sentiment = CategoryNeutral, "neutral"
		}
	case catQuestion:
		list = commentAdvice
		rw.label.Category = CategoryNeutral
	case catPraise:
		list = commentSupport
	case catCrisis:
		list = commentCrisis
		rw.label.Category, rw.label.Sentiment = CategoryNeutral, "neutral"
	}
	return g.fill(buf, pick(r, list), c)
}

// byTopic picks a phrase for topic from m, falling back to the generic
// phrases under "" now and then and whenever the topic has none.
func (g *Generator) byTopic(m map[string][]string, topic string) string {
	if l, ok := m[topic]; ok && g.rng.chance(0.75) {
		return pick(&g.rng, l)
	}
	return pick(&g.rng, m[""])
}
