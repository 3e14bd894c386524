package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"earshot/internal/model"
	"earshot/internal/route"
	"earshot/internal/store"
)

// ErrBadQuery says a query cannot be answered as asked: its window is
// empty or its group_by unknown.
var ErrBadQuery = errors.New("bad report query")

// Summary computes the figures of q (README, "Reports"), with the same
// figures for the window of equal length that ends at q.From.
func (r *Reports) Summary(ctx context.Context, q Query) (*Summary, error) {
	if _, err := ParseGroupBy(string(q.GroupBy)); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadQuery, err)
	}
	if !q.From.Before(q.To) {
		return nil, fmt.Errorf("%w: from %s is not before to %s", ErrBadQuery, q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	out, err := r.figures(ctx, q)
	if err != nil {
		return nil, err
	}
	prevQ := q
	// Before the earliest time Earshot stores, the previous window is cut
	// there (and is empty when nothing is left of it).
	prevQ.From, prevQ.To, prevQ.GroupBy = model.ClampTime(q.From.Add(-q.To.Sub(q.From))), q.From, GroupNone
	if prevQ.From.Before(prevQ.To) {
		if out.Previous, err = r.figures(ctx, prevQ); err != nil {
			return nil, err
		}
	} else {
		out.Previous = &Summary{From: prevQ.From.UTC(), To: prevQ.To.UTC(), Mentions: emptyMentions(), Cases: newCaseTotals().cases(),
			Ratings: emptyRatings(), Deadlines: fillDeadlines(Deadlines{})}
	}
	out.Previous.Spikes = nil

	dl, byKey, err := r.deadlines(ctx, q)
	if err != nil {
		return nil, err
	}
	out.Deadlines = fillDeadlines(dl)
	if q.GroupBy != GroupNone {
		index := map[string]int{}
		for i, g := range out.Groups {
			index[g.Key] = i
		}
		for k, d := range byKey {
			if _, ok := index[k]; !ok {
				index[k] = len(out.Groups)
				out.Groups = append(out.Groups, emptyGroup(k))
			}
			out.Groups[index[k]].Deadlines = fillDeadlines(d)
		}
		sortGroups(out.Groups)
	}
	if out.Spikes, err = r.spikes(ctx, q); err != nil {
		return nil, err
	}
	if out.Spikes == nil {
		out.Spikes = []Spike{}
	}
	return out, nil
}

// fillDeadlines gives d's maps a value, so that JSON shows {} for none.
func fillDeadlines(d Deadlines) Deadlines {
	if d.ByKind == nil {
		d.ByKind = map[string]DeadlineCounts{}
	}
	if d.ByTeam == nil {
		d.ByTeam = map[string]DeadlineCounts{}
	}
	if d.ByPolicy == nil {
		d.ByPolicy = map[string]DeadlineCounts{}
	}
	return d
}

func emptyMentions() Mentions {
	return Mentions{ByPlatform: map[string]int64{}, BySentiment: map[string]int64{}, ByIntent: map[string]int64{}, ByTopic: map[string]int64{}}
}

func emptyRatings() Ratings { return Ratings{ByChange: map[string]int64{}} }

func emptyGroup(key string) Group {
	return Group{Key: key, Mentions: emptyMentions(), Cases: newCaseTotals().cases(), Ratings: emptyRatings(), Deadlines: fillDeadlines(Deadlines{})}
}

// sortGroups orders groups by mentions, then cases opened, largest
// first, then by key.
func sortGroups(gs []Group) {
	slices.SortFunc(gs, func(a, b Group) int {
		if c := cmp.Compare(b.Mentions.Total, a.Mentions.Total); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Cases.Opened, a.Cases.Opened); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
}

// scope is q as the store's report rows take it.
func scope(q Query) store.ReportScope {
	f := q.Filter
	return store.ReportScope{From: q.From, To: q.To, GroupBy: string(q.GroupBy),
		Platform: f.Platform, Channel: f.Channel, Team: f.Team, Site: f.Site, Intent: f.Intent, Agent: f.Agent}
}

// figures computes the mentions, cases and ratings of q, in all and per
// group, without previous window, deadlines or spikes.
func (r *Reports) figures(ctx context.Context, q Query) (*Summary, error) {
	sc := scope(q)
	mc, err := r.st.ReportMentionCounts(ctx, sc)
	if err != nil {
		return nil, err
	}
	intents, err := r.st.ReportMentionIntents(ctx, sc)
	if err != nil {
		return nil, err
	}
	topics, err := r.st.ReportMentionTopics(ctx, sc)
	if err != nil {
		return nil, err
	}
	cs, err := r.st.ReportCases(ctx, sc)
	if err != nil {
		return nil, err
	}
	edits, answers, err := r.st.ReportRatingEdits(ctx, sc)
	if err != nil {
		return nil, err
	}

	out := &Summary{From: q.From.UTC(), To: q.To.UTC(), Spikes: []Spike{}}
	groups := map[string]*groupTotals{}
	group := func(key string) *groupTotals {
		g, ok := groups[key]
		if !ok {
			g = newGroupTotals()
			groups[key] = g
		}
		return g
	}
	all := newGroupTotals()
	// Under intent a row counts in each of its case's intents, so the
	// figures in all are not the sum of the groups': they are counted
	// apart, from rows without a group.
	apart := q.GroupBy == GroupIntent
	if apart {
		all, err = r.allOf(ctx, q)
		if err != nil {
			return nil, err
		}
	}
	grouped := q.GroupBy != GroupNone
	for _, m := range mc {
		if grouped {
			addMentionCount(&group(m.Key).mentions, m)
		}
		if !apart {
			addMentionCount(&all.mentions, m)
		}
	}
	for _, kc := range intents {
		if grouped {
			group(kc.Key).mentions.ByIntent[kc.Value] += kc.N
		}
		if !apart {
			all.mentions.ByIntent[kc.Value] += kc.N
		}
	}
	for _, kc := range topics {
		for _, tag := range strings.Split(kc.Value, ",") {
			if grouped {
				group(kc.Key).mentions.ByTopic[tag] += kc.N
			}
			if !apart {
				all.mentions.ByTopic[tag] += kc.N
			}
		}
	}
	router := r.router()
	for i := range cs {
		f := factsOf(&cs[i], calendarOf(router, cs[i].Team))
		if grouped {
			for _, k := range cs[i].Keys {
				group(k).cases.add(&f)
			}
		}
		if !apart {
			all.cases.add(&f)
		}
	}
	for _, rv := range reviews(edits, answers) {
		if grouped {
			for _, k := range rv.keys {
				addReview(&group(k).ratings, rv)
			}
		}
		if !apart {
			addReview(&all.ratings, rv)
		}
	}
	out.Mentions, out.Ratings = all.mentions, all.ratings
	if all.fixed != nil {
		out.Cases = *all.fixed
	} else {
		out.Cases = all.cases.cases()
	}
	if grouped {
		out.Groups = []Group{}
		for k, g := range groups {
			out.Groups = append(out.Groups, Group{Key: k, Mentions: g.mentions, Cases: g.cases.cases(), Ratings: g.ratings, Deadlines: fillDeadlines(Deadlines{})})
		}
		sortGroups(out.Groups)
	}
	out.Deadlines = fillDeadlines(Deadlines{})
	return out, nil
}

// allOf computes q's figures in all, without groups.
func (r *Reports) allOf(ctx context.Context, q Query) (*groupTotals, error) {
	q.GroupBy = GroupNone
	s, err := r.figures(ctx, q)
	if err != nil {
		return nil, err
	}
	return &groupTotals{mentions: s.Mentions, ratings: s.Ratings, fixed: &s.Cases}, nil
}

// groupTotals gathers the figures of one group.
type groupTotals struct {
	mentions Mentions
	cases    *caseTotals
	ratings  Ratings
	// fixed, when set, are cases figures computed already.
	fixed *Cases
}

func newGroupTotals() *groupTotals {
	return &groupTotals{mentions: emptyMentions(), cases: newCaseTotals(), ratings: emptyRatings()}
}

func addMentionCount(m *Mentions, mc store.MentionCount) {
	m.Total += mc.N
	m.ByPlatform[mc.Platform] += mc.N
	if mc.Direction == model.DirectionOutbound {
		m.Outbound += mc.N
		return
	}
	m.Inbound += mc.N
	m.BySentiment[mc.Sentiment] += mc.N
}

// router is the organisation's router now, or nil.
func (r *Reports) router() *route.Router {
	if r.opts.Router == nil {
		return nil
	}
	return r.opts.Router()
}

// calendarOf is how the business time of team's cases is counted: its
// hours in its time zone; nil (wall-clock) without a router.
func calendarOf(r *route.Router, team string) *route.Calendar {
	if r == nil {
		return nil
	}
	return r.Calendar(&model.Case{Team: team})
}
