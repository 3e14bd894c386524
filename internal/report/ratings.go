package report

import (
	"fmt"
	"slices"
	"time"

	"earshot/internal/store"
)

// review is one review whose rating was edited in the window: its first
// rating (as first heard), its latest (after its last edit before the
// window's end), and whether that last edit came after our first answer
// in its case.
type review struct {
	keys          []string
	first, latest int
	afterReply    bool
}

// reviews reads the reviews out of their rating edits (each review's,
// in order) and our answers in their cases.
func reviews(edits []store.RatingEdit, answers map[int64][]time.Time) []review {
	byMention := map[int64][]store.RatingEdit{}
	var order []int64
	for _, e := range edits {
		if _, ok := byMention[e.MentionID]; !ok {
			order = append(order, e.MentionID)
		}
		byMention[e.MentionID] = append(byMention[e.MentionID], e)
	}
	var out []review
	for _, id := range order {
		es := byMention[id]
		slices.SortStableFunc(es, func(a, b store.RatingEdit) int { return a.At.Compare(b.At) })
		firstEdit, lastEdit := es[0], es[len(es)-1]
		first := firstEdit.From
		if first == nil {
			first = firstEdit.To // the review was first heard without stars
		}
		if first == nil || lastEdit.To == nil {
			continue // its rating was taken away: no move to count
		}
		rv := review{keys: lastEdit.Keys, first: *first, latest: *lastEdit.To}
		if as := answers[lastEdit.CaseID]; len(as) > 0 {
			rv.afterReply = slices.MinFunc(as, time.Time.Compare).Before(lastEdit.At)
		}
		out = append(out, rv)
	}
	return out
}

// addReview counts rv in r when its rating moved.
func addReview(r *Ratings, rv review) {
	if rv.first == rv.latest {
		return
	}
	r.Changed++
	raised := rv.latest > rv.first
	if raised {
		r.Raised++
	} else {
		r.Lowered++
	}
	r.ByChange[fmt.Sprintf("%d_to_%d", rv.first, rv.latest)]++
	if rv.afterReply {
		r.AfterReply++
		if raised {
			r.RaisedAfterReply++
		}
	}
}
