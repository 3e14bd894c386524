package ingest

import (
	"context"
	"slices"
	"time"

	"earshot/internal/cases"
	"earshot/internal/model"
	"earshot/internal/route"
)

// How a mention changes its case. Mentions need not come in time order
// (an import file out of order, connectors that race, batches on several
// replicas), so a case is kept as the mentions it holds make it, in
// whatever order they came:
//
//   - an inbound mention joins an author's open case when it falls within
//     the thread window of the case's span, before or after (openCase);
//   - the case opened with its earliest inbound mention: created_at,
//     sentiment_first, summary, and the first-response deadline counted
//     from it (applyInbound);
//   - its first response is our earliest reply since it opened
//     (applyOutbound); its last activity and sentiment_last are the
//     latest by time.
//
// A reply of ours older than the case's opening answers nothing the
// case holds (it would answer a mention it was made before: a clock
// skew, or a reply that joined by its thread alone); it counts as a
// mention and as activity, never as the first response.
//
// What stays with the mention that came first: the routing decisions
// made when the case opened (team, site, SLA policy, assignee) and its
// case_opened event. Cases do not merge: two cases of one author that a
// mention arriving later falls between stay two (see TestImportOrder).

// openCase finds the author's open case that m should join: one whose
// span, from its opening to its last activity, m falls within the thread
// window of, on either side. Of several, the one nearest m in time is
// taken (then the most recently active). The candidates are the cases
// this batch touched and the author's stored open cases active since the
// batch's earliest window start, which prefetch read.
//
// A review joins none: it is a conversation of its own. Google and Yelp
// keep one review per person and place (a change is an edit of it), so
// two reviews of one person are of two places (two clinics, two channels),
// each answered on its own listing.
func (t *threader) openCase(authorID int64, m *model.Mention) *caseState {
	if m.Kind == model.KindReview {
		return nil
	}
	window := t.p.opts.ThreadWindow
	k := authorCase{authorID, m.Platform}
	var best *caseState
	var bestGap time.Duration
	for _, cs := range t.byAuthor[k] {
		c := cs.c
		if !c.Status.Open() {
			continue
		}
		gap := spanGap(c, m.CreatedAt)
		if gap > window {
			continue
		}
		if best == nil || gap < bestGap || gap == bestGap && c.LastActivityAt.After(best.c.LastActivityAt) {
			best, bestGap = cs, gap
		}
	}
	return best
}

// spanGap is how far at lies outside c's span, from its opening to its
// last activity: 0 within it.
func spanGap(c *model.Case, at time.Time) time.Duration {
	switch {
	case at.Before(c.CreatedAt):
		return c.CreatedAt.Sub(at)
	case at.After(c.LastActivityAt):
		return at.Sub(c.LastActivityAt)
	}
	return 0
}

// newCase returns the case m opens, before routing: routeNew sets its
// owners, status and deadlines (cases.Open).
func (t *threader) newCase(m *model.Mention, authorID int64) *model.Case {
	a := m.Analysis
	c := &model.Case{
		Priority:       route.Priority(a),
		Urgency:        a.Urgency.Level,
		Platform:       m.Platform,
		Channel:        m.Channel,
		AuthorID:       authorID,
		CreatedAt:      m.CreatedAt,
		UpdatedAt:      t.now,
		LastActivityAt: m.CreatedAt,
		SentimentFirst: a.Sentiment.Label,
		SentimentLast:  a.Sentiment.Label,
		MentionCount:   1,
		Summary:        summary(m.Text),
	}
	return c
}

// applyInbound adds an inbound mention to an existing case. A mention
// older than the case's opening opens it instead, as if it had come
// first (see newCase): the case's created_at, sentiment_first and summary
// become the mention's, and when it needs a response that has not been
// made, the first response falls due counted from it (the earlier of
// that and the deadline the case had). A resolved or closed case
// reopens, a pending one opens; the returned event records that.
func (t *threader) applyInbound(cs *caseState, m *model.Mention) (model.Event, bool) {
	c, a := cs.c, m.Analysis
	cs.dirty = true
	c.MentionCount++
	c.UpdatedAt = t.now
	if !m.CreatedAt.Before(c.LastActivityAt) {
		c.LastActivityAt = m.CreatedAt
		c.SentimentLast = a.Sentiment.Label
	}
	opens := m.CreatedAt.Before(c.CreatedAt)
	if opens {
		c.CreatedAt = m.CreatedAt
		c.SentimentFirst = a.Sentiment.Label
		c.Summary = summary(m.Text)
	}
	defer func() {
		if opens && len(cs.early) > 0 {
			t.settleEarly(cs)
		}
	}()
	c.Urgency = route.MaxUrgency(c.Urgency, a.Urgency.Level)
	return cases.Join(t.r, c, cases.Inbound{At: m.CreatedAt, Priority: route.Priority(a), NeedsResponse: a.NeedsResponse, Opens: opens}, t.now)
}

// applyOutbound records our own account's answer on a case: it is the
// first response when it is the earliest made since the case opened,
// whatever order the replies came in. A reply older than the case's
// opening is activity but no response (see the top of this file).
func (t *threader) applyOutbound(cs *caseState, m *model.Mention) {
	c := cs.c
	cs.dirty = true
	c.MentionCount++
	c.UpdatedAt = t.now
	if m.CreatedAt.After(c.LastActivityAt) {
		c.LastActivityAt = m.CreatedAt
	}
	if m.CreatedAt.Before(c.CreatedAt) {
		cs.early = append(cs.early, m.CreatedAt)
		cases.Engage(c)
	} else {
		cases.Respond(t.r, c, m.CreatedAt)
	}
}

// settleEarly counts, after an older mention opened cs's case, the
// replies this batch added before the old opening that are now made
// since it opened.
func (t *threader) settleEarly(cs *caseState) {
	c := cs.c
	cs.early = slices.DeleteFunc(cs.early, func(at time.Time) bool {
		if at.Before(c.CreatedAt) {
			return false
		}
		cases.Respond(t.r, c, at)
		return true
	})
}

// settleStored counts, when an older mention opened the stored case of
// cs, our replies stored with it from between its new opening and the
// one it had (those the batch added settleEarly counted).
func (t *threader) settleStored(ctx context.Context, cs *caseState) error {
	c := cs.c
	if cs.storedOpen.IsZero() || !c.CreatedAt.Before(cs.storedOpen) {
		return nil
	}
	if c.FirstResponseAt != nil && !c.FirstResponseAt.After(c.CreatedAt) {
		return nil // none can be earlier
	}
	at, ok, err := t.b.EarliestReply(ctx, c.ID, c.CreatedAt, cs.storedOpen)
	if err != nil || !ok {
		return err
	}
	cases.Respond(t.r, c, at)
	return nil
}
