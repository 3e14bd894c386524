package route

import (
	"slices"
	"time"

	"earshot/internal/model"
	"earshot/internal/org"
)

// DefaultWarnAt is the share of a deadline after which a warning goes out
// when a policy does not say.
const DefaultWarnAt = 0.75

// Apply sets what d decided on a case: on a new case everything; on an
// existing one the team, site and SLA policy only where none is set yet,
// while priority only rises and tags add up. It reports whether the case
// changed.
func Apply(c *model.Case, d Decision, isNew bool) bool {
	changed := false
	setIf := func(dst *string, v string) {
		if v != "" && *dst != v && (isNew || *dst == "") {
			*dst, changed = v, true
		}
	}
	setIf(&c.Team, d.Team)
	setIf(&c.Site, d.Site)
	setIf(&c.SLAPolicy, d.SLA)
	if d.Priority != "" {
		if p := model.MaxPriority(c.Priority, d.Priority); p != c.Priority {
			c.Priority, changed = p, true
		}
	}
	for _, t := range d.Tags {
		if !slices.Contains(c.Tags, t) {
			c.Tags, changed = append(c.Tags, t), true
		}
	}
	return changed
}

// policy returns the case's SLA policy, or nil.
func (r *Router) policy(c *model.Case) *org.SLAPolicy {
	if c.SLAPolicy == "" {
		return nil
	}
	return r.org.Policy(c.SLAPolicy)
}

// Calendar returns how a case's deadlines are counted: the handling
// team's hours in its time zone, or around the clock when the policy says
// 24/7 or no team handles the case.
func (r *Router) Calendar(c *model.Case) *Calendar {
	if p := r.policy(c); p != nil && p.Hours == "24/7" {
		return r.calendars[""]
	}
	if cal, ok := r.calendars[c.Team]; ok {
		return cal
	}
	return r.calendars[""]
}

func warnShare(p *org.SLAPolicy) float64 {
	if p.WarnAt > 0 {
		return p.WarnAt
	}
	return DefaultWarnAt
}

// setDeadline replaces the timers of one deadline: a warning and a breach
// for the time d counted from start. A timer already fired at the same
// time stays fired.
func (r *Router) setDeadline(c *model.Case, p *org.SLAPolicy, deadline string, start time.Time, d time.Duration) time.Time {
	cal := r.Calendar(c)
	due := cal.Add(start, d)
	warn := cal.Add(start, time.Duration(float64(d)*warnShare(p)))
	fired := func(stage string, at time.Time) bool {
		for _, t := range c.SLATimers {
			if t.Deadline == deadline && t.Stage == stage && t.At.Equal(at) && t.Fired {
				return true
			}
		}
		return false
	}
	next := []model.SLATimer{
		{Deadline: deadline, Stage: model.StageWarning, At: warn, Due: due, Fired: fired(model.StageWarning, warn)},
		{Deadline: deadline, Stage: model.StageBreach, At: due, Due: due, Fired: fired(model.StageBreach, due)},
	}
	// A warning already fired for the instance replaced is this one's.
	for i := range c.SLATimers {
		t := &c.SLATimers[i]
		if t.Deadline == deadline && !t.Fired && t.Stage == model.StageBreach {
			for j := range c.SLATimers {
				if w := &c.SLATimers[j]; w.Deadline == deadline && w.Fired && w.Stage == model.StageWarning && w.Due.Equal(t.Due) {
					w.Due = due
				}
			}
			break
		}
	}
	clearDeadline(c, deadline)
	c.SLATimers = append(c.SLATimers, next...)
	return due
}

// runningDue returns the due time of the deadline's instance that has
// not ended: its unfired breach timer's, or else that of a breach that
// fired and was neither met nor stopped since (a deadline met late).
func runningDue(c *model.Case, deadline string) (time.Time, bool) {
	var due time.Time
	found := false
	for _, t := range c.SLATimers {
		if t.Deadline != deadline || t.Stage != model.StageBreach {
			continue
		}
		if !t.Fired {
			return t.Due, true
		}
		if !found || t.Due.After(due) {
			due, found = t.Due, true
		}
	}
	if !found {
		return time.Time{}, false
	}
	for _, t := range c.SLATimers {
		if t.Deadline == deadline && (t.Stage == model.StageMet || t.Stage == model.StageStopped) && t.Due.Equal(due) {
			return time.Time{}, false
		}
	}
	return due, true
}

// endDeadline ends the running instance of a deadline at `at` as met or
// stopped: its unfired timers go, and a fired record of stage with the
// instance's due time stays as history.
func endDeadline(c *model.Case, deadline, stage string, at time.Time) {
	due, running := runningDue(c, deadline)
	clearDeadline(c, deadline)
	if running {
		c.SLATimers = append(c.SLATimers, model.SLATimer{Deadline: deadline, Stage: stage, At: at, Due: due, Fired: true})
	}
}

// clearDeadline drops the unfired timers of a deadline; fired ones stay as
// history.
func clearDeadline(c *model.Case, deadline string) {
	c.SLATimers = slices.DeleteFunc(c.SLATimers, func(t model.SLATimer) bool { return t.Deadline == deadline && !t.Fired })
}

// Open sets the deadlines of a new case that needs a response, counted
// from when its first mention was made. Without an SLA policy the first
// response is due by DefaultPolicy and no timers run.
func (r *Router) Open(c *model.Case, needsResponse bool) {
	p := r.policy(c)
	if p == nil {
		if needsResponse {
			DefaultFirstResponse(c, c.CreatedAt)
		}
		return
	}
	if needsResponse {
		due := r.setDeadline(c, p, model.DeadlineFirstResponse, c.CreatedAt, time.Duration(p.FirstResponse))
		c.FirstResponseDue = &due
	}
	if p.Resolution > 0 {
		due := r.setDeadline(c, p, model.DeadlineResolution, c.CreatedAt, time.Duration(p.Resolution))
		c.ResolutionDue = &due
	}
}

// DefaultFirstResponse sets, for a case without an SLA policy, the first
// response due by DefaultPolicy counted from `from`, unless the case is
// due earlier already. It is the one place the default deadline is set.
func DefaultFirstResponse(c *model.Case, from time.Time) {
	due := DefaultPolicy().FirstResponseDue(from, c.Priority)
	if c.FirstResponseDue == nil || due.Before(*c.FirstResponseDue) {
		c.FirstResponseDue = &due
	}
}

// Inbound updates deadlines when the member writes again at `at`: a
// paused case resumes; after a first response, the next response is due;
// a case without a first-response deadline that now needs one gets it.
func (r *Router) Inbound(c *model.Case, at time.Time, needsResponse bool) {
	if c.SLAPausedAt != nil {
		r.Resume(c, at)
	}
	p := r.policy(c)
	if p == nil {
		if needsResponse && c.FirstResponseAt == nil {
			DefaultFirstResponse(c, at)
		}
		return
	}
	switch {
	case c.FirstResponseAt == nil && c.FirstResponseDue == nil && needsResponse:
		due := r.setDeadline(c, p, model.DeadlineFirstResponse, at, time.Duration(p.FirstResponse))
		c.FirstResponseDue = &due
	case c.FirstResponseAt != nil && !at.Before(*c.FirstResponseAt) && c.NextResponseDue == nil && p.NextResponse > 0:
		// Written after our first response (one that came in late,
		// from before it, was answered by it).
		due := r.setDeadline(c, p, model.DeadlineNextResponse, at, time.Duration(p.NextResponse))
		c.NextResponseDue = &due
	}
	if c.ResolutionDue == nil && p.Resolution > 0 {
		due := r.setDeadline(c, p, model.DeadlineResolution, at, time.Duration(p.Resolution))
		c.ResolutionDue = &due
	}
}

// Backdate moves the deadlines counted from a case's opening to its new,
// earlier opening, c.CreatedAt: a mention older than the case's first one
// came later (an import out of order) and opened it. The first response,
// when none was made and the mention needs one, falls due counted from
// there, as does the resolution. A paused case resumes (the member
// wrote), losing no time to the past. No deadline it sets ends before
// c.CreatedAt.
func (r *Router) Backdate(c *model.Case, needsResponse bool) {
	if c.SLAPausedAt != nil {
		r.Resume(c, c.CreatedAt)
	}
	p := r.policy(c)
	if p == nil {
		if needsResponse && c.FirstResponseAt == nil {
			DefaultFirstResponse(c, c.CreatedAt)
		}
		return
	}
	if needsResponse && c.FirstResponseAt == nil {
		due := r.setDeadline(c, p, model.DeadlineFirstResponse, c.CreatedAt, time.Duration(p.FirstResponse))
		c.FirstResponseDue = &due
	}
	if p.Resolution > 0 {
		due := r.setDeadline(c, p, model.DeadlineResolution, c.CreatedAt, time.Duration(p.Resolution))
		c.ResolutionDue = &due
	}
}

// Replied updates deadlines for an answer at `at` (cases.Respond records
// the response itself): the first and next response deadlines are met.
func (r *Router) Replied(c *model.Case, at time.Time) {
	endDeadline(c, model.DeadlineFirstResponse, model.StageMet, at)
	endDeadline(c, model.DeadlineNextResponse, model.StageMet, at)
	c.NextResponseDue = nil
}

// StatusChanged updates deadlines for a status change at `at`: pending
// pauses them (the case waits on the member), leaving pending resumes
// them, resolved and closed stop them (the resolution deadline is met,
// the response deadlines still running are stopped).
func (r *Router) StatusChanged(c *model.Case, from, to model.Status, at time.Time) {
	switch {
	case to == model.StatusResolved || to == model.StatusClosed:
		if c.SLAPausedAt != nil {
			r.Resume(c, at) // a due time moved by the pause is the one met
		}
		endDeadline(c, model.DeadlineFirstResponse, model.StageStopped, at)
		endDeadline(c, model.DeadlineNextResponse, model.StageStopped, at)
		endDeadline(c, model.DeadlineResolution, model.StageMet, at)
		c.NextResponseDue, c.ResolutionDue = nil, nil
	case to == model.StatusPending && c.SLAPausedAt == nil:
		c.SLAPausedAt = &at
	case from == model.StatusPending && c.SLAPausedAt != nil:
		r.Resume(c, at)
	}
}

// Resume ends a pause at `at`: every unfired timer and due time moves
// on by the counted time the pause took.
func (r *Router) Resume(c *model.Case, at time.Time) {
	if c.SLAPausedAt == nil {
		return
	}
	cal, paused := r.Calendar(c), *c.SLAPausedAt
	c.SLAPausedAt = nil
	if at.Before(paused) {
		at = paused // a mention from before the pause ends it with no time lost
	}
	shift := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		s := cal.Shift(*t, paused, at)
		return &s
	}
	// A warning that fired before the pause belongs to the deadline the
	// pause moves: its due time moves with it (it went off when it went
	// off), so that the report reads the two as one deadline.
	moved := map[string]time.Time{}
	for _, t := range c.SLATimers {
		if !t.Fired && t.Stage == model.StageBreach {
			moved[t.Deadline] = t.Due
		}
	}
	for i := range c.SLATimers {
		t := &c.SLATimers[i]
		if !t.Fired {
			t.At, t.Due = *shift(&t.At), *shift(&t.Due)
		} else if due, ok := moved[t.Deadline]; ok && t.Stage == model.StageWarning && t.Due.Equal(due) {
			t.Due = *shift(&t.Due)
		}
	}
	if c.FirstResponseAt == nil {
		c.FirstResponseDue = shift(c.FirstResponseDue)
	}
	c.NextResponseDue = shift(c.NextResponseDue)
	c.ResolutionDue = shift(c.ResolutionDue)
}

// Firing is a timer that went off and what it asks for.
type Firing struct {
	Timer model.SLATimer
	// Targets are alert target ids to notify.
	Targets []string
	// Changes are what a breach's escalation did to the case
	// (priority, team, assignee), for the timeline.
	Changes map[string]string
}

// Fire marks the case's timers due at now as fired, applies the
// escalation of each breach to the case and returns what to notify. A
// paused case fires nothing.
func (r *Router) Fire(c *model.Case, now time.Time) []Firing {
	if c.SLAPausedAt != nil {
		return nil
	}
	p := r.policy(c)
	var out []Firing
	for i := range c.SLATimers {
		t := &c.SLATimers[i]
		if t.Fired || t.At.After(now) {
			continue
		}
		t.Fired = true
		f := Firing{Timer: *t}
		event := org.OnSLAWarning
		if t.Stage == model.StageBreach {
			event = org.OnSLABreach
		}
		add := func(ids ...string) {
			for _, id := range ids {
				if !slices.Contains(f.Targets, id) {
					f.Targets = append(f.Targets, id)
				}
			}
		}
		add(r.subs[event]...)
		if p != nil {
			add(p.Notify...)
			if e := p.Escalate; e != nil && t.Stage == model.StageBreach {
				f.Changes = map[string]string{}
				add(e.Notify...)
				if e.NotifySupervisor {
					if tm := r.org.Team(c.Team); tm != nil {
						add(tm.Supervisors...)
					}
				}
				if p := model.Priority(e.Priority); p != "" && model.MaxPriority(c.Priority, p) != c.Priority {
					c.Priority = p
					f.Changes["priority"] = e.Priority
				}
				if e.Team != "" && e.Team != c.Team {
					c.Team = e.Team
					f.Changes["team"] = e.Team
				}
				if e.Assignee != "" && e.Assignee != c.Assignee {
					c.Assignee = e.Assignee
					f.Changes["assignee"] = e.Assignee
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// Members returns a team's available members.
func (r *Router) Members(team string) []string { return r.members[team] }

// Assignee picks who takes a new case of team by strategy: "round_robin"
// rotates through the available members, "least_loaded" takes the one
// with the fewest open cases in load (ties by file order), and an email
// names the person. It returns "" when nobody is available.
func (r *Router) Assignee(strategy, team string, load map[string]int) string {
	members := r.members[team]
	if strategy == "" {
		if t := r.org.Team(team); t != nil {
			strategy = t.Assign
		}
	}
	switch strategy {
	case "":
		return ""
	case "round_robin":
		if len(members) == 0 {
			return ""
		}
		n := r.rr[team].Add(1) - 1
		return members[n%uint64(len(members))]
	case "least_loaded":
		best := ""
		for _, m := range members {
			if best == "" || load[m] < load[best] {
				best = m
			}
		}
		return best
	}
	return strategy
}

// Strategy returns how a team's new cases are assigned when a rule does
// not say.
func (r *Router) Strategy(team string) string {
	if t := r.org.Team(team); t != nil {
		return t.Assign
	}
	return ""
}
