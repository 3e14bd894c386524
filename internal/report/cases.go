package report

import (
	"cmp"
	"math"
	"slices"
	"time"

	"earshot/internal/model"
	"earshot/internal/route"
	"earshot/internal/store"
)

// caseFacts are what one case adds to the figures of cases (README,
// "Reports", defines each).
type caseFacts struct {
	priority     string
	needResponse bool
	responded    bool
	// firstResponse and firstResponseBusiness are set when responded.
	firstResponse, firstResponseBusiness time.Duration
	nextResponses                        []time.Duration
	resolved                             bool
	resolution                           time.Duration
	public, takenPrivate                 bool
	// firstSentiment and lastSentiment are those of the member's first
	// and latest mention; "" when the case has none of the member's.
	firstSentiment, lastSentiment string
}

// privatePlatforms are the platforms whose every message is private.
var privatePlatforms = map[string]bool{model.PlatformEmail: true, model.PlatformSMS: true}

// isPrivate says whether a mention was made privately: a direct message,
// or a message on a platform of private messages (email, SMS).
func isPrivate(m store.ReportMention) bool {
	return m.Kind == model.KindDirectMessage || privatePlatforms[m.Platform]
}

// step is one moment of a conversation that response times read: a
// member's mention that needs a response, or an answer of ours.
type step struct {
	at     time.Time
	answer bool
}

// factsOf computes a case's facts; cal counts business time for its
// team (nil: wall-clock).
func factsOf(rc *store.ReportCase, cal *route.Calendar) caseFacts {
	f := caseFacts{priority: rc.Priority}
	slices.SortStableFunc(rc.Mentions, func(a, b store.ReportMention) int { return a.At.Compare(b.At) })

	var steps []step
	for _, m := range rc.Mentions {
		if m.Inbound {
			if f.firstSentiment == "" {
				f.firstSentiment = m.Sentiment
			}
			f.lastSentiment = m.Sentiment
			if m.NeedsResponse {
				f.needResponse = true
				steps = append(steps, step{at: m.At})
			}
		}
	}
	for _, a := range rc.Answers {
		steps = append(steps, step{at: a.At, answer: true})
	}
	// At the same instant a member's mention comes first: an answer made
	// then answers it.
	slices.SortStableFunc(steps, func(a, b step) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if a.answer == b.answer {
			return 0
		}
		if a.answer {
			return 1
		}
		return -1
	})
	var waiting *time.Time
	for _, s := range steps {
		switch {
		case !s.answer && waiting == nil:
			at := s.at
			waiting = &at
		case s.answer && waiting != nil:
			d := s.at.Sub(*waiting)
			if !f.responded {
				f.responded, f.firstResponse = true, d
				f.firstResponseBusiness = d
				if cal != nil {
					f.firstResponseBusiness = cal.Between(*waiting, s.at)
				}
			} else {
				f.nextResponses = append(f.nextResponses, d)
			}
			waiting = nil
		}
	}

	// A member's mention that opened the case may since have been edited
	// (a review raised from 1 to 4 stars): the case opened as it was
	// first heard.
	if len(rc.Mentions) > 0 && rc.Mentions[0].Inbound && rc.SentimentFirst != "" {
		f.firstSentiment = rc.SentimentFirst
	}
	if len(rc.Mentions) > 0 {
		f.public = !isPrivate(rc.Mentions[0])
	}
	if f.public {
		for _, m := range rc.Mentions {
			f.takenPrivate = f.takenPrivate || isPrivate(m)
		}
		for _, a := range rc.Answers {
			f.takenPrivate = f.takenPrivate || a.Private
		}
	}

	slices.SortStableFunc(rc.Statuses, func(a, b store.StatusChange) int { return a.At.Compare(b.At) })
	var pending time.Duration
	var pendingSince *time.Time
	for _, s := range rc.Statuses {
		if s.From == string(model.StatusPending) && pendingSince != nil {
			pending += s.At.Sub(*pendingSince)
			pendingSince = nil
		}
		if s.To == string(model.StatusPending) && pendingSince == nil {
			at := s.At
			pendingSince = &at
		}
		if s.To == string(model.StatusResolved) || s.To == string(model.StatusClosed) {
			f.resolved = true
			f.resolution = max(0, s.At.Sub(rc.CreatedAt)-pending)
			break
		}
	}
	return f
}

// caseTotals gathers the facts of the cases of one group.
type caseTotals struct {
	c                                    Cases
	first, firstBusiness, next, resolved []time.Duration
}

func newCaseTotals() *caseTotals {
	return &caseTotals{c: Cases{SentimentShift: map[string]int64{}, ByPriority: map[string]int64{}}}
}

func (t *caseTotals) add(f *caseFacts) {
	c := &t.c
	c.Opened++
	c.ByPriority[f.priority]++
	if f.needResponse {
		c.NeedResponse++
		if f.responded {
			c.Responded++
			t.first = append(t.first, f.firstResponse)
			t.firstBusiness = append(t.firstBusiness, f.firstResponseBusiness)
		}
	}
	t.next = append(t.next, f.nextResponses...)
	if f.resolved {
		c.Resolved++
		t.resolved = append(t.resolved, f.resolution)
	}
	if f.public {
		c.Public++
		if f.takenPrivate {
			c.TakenPrivate++
		}
	}
	if f.firstSentiment != "" && f.firstSentiment != f.lastSentiment {
		c.SentimentShift[f.firstSentiment+"_to_"+f.lastSentiment]++
	}
	if f.firstSentiment == model.SentimentNegative {
		c.OpenedNegative++
		if f.lastSentiment == model.SentimentPositive {
			c.NegativeToPositive++
		}
	}
}

func (t *caseTotals) cases() Cases {
	c := t.c
	c.ResponseRate = ratio(c.Responded, c.NeedResponse)
	c.TakePrivateRate = ratio(c.TakenPrivate, c.Public)
	c.FirstResponse = durations(t.first)
	c.FirstResponseBusiness = durations(t.firstBusiness)
	c.NextResponse = durations(t.next)
	c.Resolution = durations(t.resolved)
	return c
}

// ratio is n / of, 0 when of is 0; n never exceeds of here, so it is
// never above 1.
func ratio(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// durations describes ds: count, nearest-rank median and 90th
// percentile and mean in minutes to a tenth, and the distribution over
// BucketEdges.
func durations(ds []time.Duration) Durations {
	edges := BucketEdges()
	out := Durations{Count: int64(len(ds)), Distribution: make([]Bucket, len(edges)+1)}
	for i, e := range edges {
		out.Distribution[i].UpToMinutes = e
	}
	if len(ds) == 0 {
		return out
	}
	sorted := slices.Clone(ds)
	slices.SortFunc(sorted, cmp.Compare)
	var total time.Duration
	for _, d := range sorted {
		total += d
		m := d.Minutes()
		i, _ := slices.BinarySearch(edges, m) // first edge >= m
		out.Distribution[i].Count++
	}
	rank := func(p float64) time.Duration {
		i := int(math.Ceil(p*float64(len(sorted)))) - 1
		return sorted[max(0, min(i, len(sorted)-1))]
	}
	out.MedianMinutes = round1(rank(0.5).Minutes())
	out.P90Minutes = round1(rank(0.9).Minutes())
	out.MeanMinutes = round1(total.Minutes() / float64(len(sorted)))
	return out
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
