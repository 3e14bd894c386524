package report

import (
	"context"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
)

// deadline is one deadline of one case as the report reads it.
type deadline struct {
	kind        string
	due         time.Time
	warned      bool // its warning went off
	breachFired bool // its breach went off
	metAt       *time.Time
	stoppedAt   *time.Time // the case was resolved or closed first
}

// outcome is what a deadline counts as at now: not at all (still
// running, or stopped before it fell due), met in time, or breached.
type outcome int

const (
	notCounted outcome = iota
	metInTime
	breached
)

// judge reads a deadline at now (README, "Deadline performance"): met
// when answered (resolved, for resolution) by its due time; breached
// when its breach went off, when answered after its due time (met late),
// when stopped after its due time, or when its due time passed while it
// ran and the case was not paused; otherwise not counted yet.
func (d deadline) judge(paused bool, now time.Time) outcome {
	switch {
	case d.metAt != nil && !d.metAt.After(d.due):
		return metInTime
	case d.metAt != nil, d.breachFired:
		return breached
	case d.stoppedAt != nil:
		if d.stoppedAt.After(d.due) {
			return breached
		}
		return notCounted
	case !paused && !d.due.After(now):
		return breached
	}
	return notCounted
}

// caseDeadlines lists the deadlines of a case: its first response (from
// the case's due and answer, which stay after the answer, so that cases
// stored before timers kept their ending count too) and every next
// response and resolution its timers record, one per due time.
func caseDeadlines(c store.CaseDeadlines) []deadline {
	var out []deadline
	if c.FirstResponseDue != nil {
		d := deadline{kind: model.DeadlineFirstResponse, due: *c.FirstResponseDue, metAt: c.FirstResponseAt}
		for _, t := range c.Timers {
			if t.Deadline != model.DeadlineFirstResponse {
				continue
			}
			switch {
			case t.Stage == model.StageWarning && t.Fired:
				d.warned = true
			case t.Stage == model.StageBreach && t.Fired:
				d.breachFired = true
			case t.Stage == model.StageStopped:
				at := t.At
				d.stoppedAt = &at
			}
		}
		if d.metAt == nil && d.stoppedAt == nil && (c.Status == model.StatusResolved || c.Status == model.StatusClosed) {
			// Resolved without an answer, before its ending was kept: when
			// is unknown, so it counts only if its breach went off.
			d.stoppedAt = &d.due
		}
		out = append(out, d)
	}
	for _, kind := range []string{model.DeadlineNextResponse, model.DeadlineResolution} {
		var mine []deadline
		at := func(due time.Time) *deadline {
			for i := range mine {
				if mine[i].due.Equal(due) {
					return &mine[i]
				}
			}
			mine = append(mine, deadline{kind: kind, due: due})
			return &mine[len(mine)-1]
		}
		for _, t := range c.Timers {
			if t.Deadline != kind || t.Stage == model.StageWarning {
				continue
			}
			d, when := at(t.Due), t.At
			switch t.Stage {
			case model.StageBreach:
				d.breachFired = d.breachFired || t.Fired
			case model.StageMet:
				d.metAt = &when
			case model.StageStopped:
				d.stoppedAt = &when
			}
		}
		for _, t := range c.Timers {
			if t.Deadline == kind && t.Stage == model.StageWarning && t.Fired {
				for i := range mine {
					if mine[i].due.Equal(t.Due) {
						mine[i].warned = true
					}
				}
			}
		}
		out = append(out, mine...)
	}
	return out
}

// add counts one deadline's outcome.
func (dc *DeadlineCounts) add(o outcome, warned bool) {
	dc.Due++
	switch o {
	case metInTime:
		dc.Met++
	case breached:
		dc.Breached++
	}
	if warned {
		dc.Warned++
	}
	dc.MetRate = fraction(float64(dc.Met), float64(dc.Due))
}

func newDeadlines() Deadlines {
	return Deadlines{ByKind: map[string]DeadlineCounts{}, ByTeam: map[string]DeadlineCounts{}, ByPolicy: map[string]DeadlineCounts{}}
}

// add counts one deadline of a case of team and policy.
func (ds *Deadlines) add(d deadline, o outcome, team, policy string) {
	ds.DeadlineCounts.add(o, d.warned)
	for _, m := range []struct {
		into map[string]DeadlineCounts
		key  string
	}{{ds.ByKind, d.kind}, {ds.ByTeam, team}, {ds.ByPolicy, policy}} {
		dc := m.into[m.key]
		dc.add(o, d.warned)
		m.into[m.key] = dc
	}
}

// groupKeys are the keys of the groups of by that case c is in.
func groupKeys(c store.CaseDeadlines, by GroupBy) []string {
	switch by {
	case GroupChannel:
		return []string{c.Channel}
	case GroupPlatform:
		return []string{c.Platform}
	case GroupTeam:
		return []string{c.Team}
	case GroupSite:
		return []string{c.Site}
	case GroupAgent:
		return []string{c.Assignee}
	case GroupIntent:
		if len(c.Intents) == 0 {
			return []string{""}
		}
		return c.Intents
	}
	return nil
}

// deadlines computes deadline performance for q: in all, and per group
// of q.GroupBy keyed as Summary's groups are. It counts the deadlines of
// the cases opened in [q.From, q.To) that have ended or fallen due by
// now (README, "Deadline performance").
func (r *Reports) deadlines(ctx context.Context, q Query) (Deadlines, map[string]Deadlines, error) {
	now := r.now()
	rows, err := r.st.CaseDeadlinesOpened(ctx, q.From, q.To, store.SlotFilter(q.Filter), q.GroupBy == GroupIntent)
	if err != nil {
		return Deadlines{}, nil, err
	}
	all := newDeadlines()
	var groups map[string]Deadlines
	if q.GroupBy != GroupNone {
		groups = map[string]Deadlines{}
	}
	for _, c := range rows {
		keys := groupKeys(c, q.GroupBy)
		for _, d := range caseDeadlines(c) {
			o := d.judge(c.Paused, now)
			if o == notCounted {
				continue
			}
			all.add(d, o, c.Team, c.Policy)
			for _, k := range keys {
				g, ok := groups[k]
				if !ok {
					g = newDeadlines()
				}
				g.add(d, o, c.Team, c.Policy)
				groups[k] = g
			}
		}
	}
	return all, groups, nil
}
