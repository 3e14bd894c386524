package web

import (
	"encoding/json"
	"time"

	"earshot/internal/model"
)

// Deadline states as the workspace shows them.
const (
	deadlineRunning = "running" // counting down (or overdue)
	deadlinePaused  = "paused"  // the case waits on the member
	deadlineMet     = "met"
	deadlineStopped = "stopped" // the case was resolved or closed first
	deadlineNone    = "none"    // nothing to meet now
)

// deadlineView is one of a case's deadlines as the case page and the
// inbox show it: what it is, when it is due, and where it stands in
// words, so that no state is told by colour alone.
type deadlineView struct {
	Kind  string // model.DeadlineFirstResponse, ...
	Label string // "first response"
	State string // deadlineRunning, ...
	// Due is when it falls due; nil when none is set.
	Due *time.Time
	// MetAt is when it was met, when known.
	MetAt *time.Time
	// Text says where it stands: "due in 25m", "3h overdue", "met 2h
	// late", "paused while the case waits on the member".
	Text    string
	Overdue bool
}

// deadlineLabel names a deadline kind in running text.
func deadlineLabel(kind string) string {
	switch kind {
	case model.DeadlineFirstResponse:
		return "first response"
	case model.DeadlineNextResponse:
		return "next response"
	case model.DeadlineResolution:
		return "resolution"
	}
	return kind
}

// runningDeadline is a deadline that counts down at now: "due in 25m",
// or "3h overdue".
func runningDeadline(kind string, due, now time.Time) deadlineView {
	v := deadlineView{Kind: kind, Label: deadlineLabel(kind), State: deadlineRunning, Due: &due}
	d := due.Sub(now)
	v.Overdue = d < 0
	v.Text = humanDuration(d)
	if !v.Overdue {
		v.Text = "due " + v.Text
	}
	return v
}

// nextDeadline returns the case's nearest running deadline at now (see
// model.Case.NextDeadline, which orders the inbox), as the inbox row
// shows it, and whether one runs.
func nextDeadline(c *model.Case, now time.Time) (deadlineView, bool) {
	kind, due, ok := c.NextDeadline()
	if !ok {
		return deadlineView{}, false
	}
	return runningDeadline(kind, due, now), true
}

// caseDeadlines returns the case's first-response, next-response and
// resolution deadlines as of now, for the case page. The case's events
// date a resolution (its latest change to resolved or closed).
func caseDeadlines(c *model.Case, now time.Time) []deadlineView {
	kinds := model.DeadlineKinds()
	out := make([]deadlineView, 0, len(kinds))
	for _, kind := range kinds {
		out = append(out, caseDeadline(c, kind, now))
	}
	return out
}

func caseDeadline(c *model.Case, kind string, now time.Time) deadlineView {
	ended := c.Status == model.StatusResolved || c.Status == model.StatusClosed
	v := deadlineView{Kind: kind, Label: deadlineLabel(kind), State: deadlineNone}
	switch {
	case kind == model.DeadlineFirstResponse && c.FirstResponseAt != nil:
		v.State, v.Due, v.MetAt, v.Text = deadlineMet, c.FirstResponseDue, c.FirstResponseAt, "met"
		if v.Due != nil && c.FirstResponseAt.After(*v.Due) {
			v.Text = "met " + lateBy(c.FirstResponseAt.Sub(*v.Due))
		}
		return v
	case kind == model.DeadlineResolution && ended:
		v.State, v.Due, v.MetAt, v.Text = deadlineMet, c.ResolutionDue, resolvedAt(c), "met: case "+string(c.Status)
		return v
	}
	due := c.DeadlineDue(kind)
	switch {
	case due == nil:
		v.Text = noDeadlineText(kind)
	case ended:
		v.State, v.Due, v.Text = deadlineStopped, due, "not met: the case was "+string(c.Status)+" first"
	case c.SLAPausedAt != nil:
		v.State, v.Due, v.Text = deadlinePaused, due, "paused while the case waits on the member: the due time moves on when it resumes"
	default:
		v = runningDeadline(kind, *due, now)
	}
	return v
}

// noDeadlineText says why a deadline has no due time.
func noDeadlineText(kind string) string {
	switch kind {
	case model.DeadlineFirstResponse:
		return "none (nothing in the case needs a response)"
	case model.DeadlineNextResponse:
		return "none (no message of the member waits for an answer)"
	}
	return "none set"
}

// lateBy says how late something was met: "12m late".
func lateBy(d time.Duration) string {
	s := humanDuration(d) // "in 12m"
	return s[len("in "):] + " late"
}

// resolvedAt returns when the case was last resolved or closed, from its
// status_changed events, or nil when they do not say.
func resolvedAt(c *model.Case) *time.Time {
	var at *time.Time
	for i := range c.Events {
		e := &c.Events[i]
		if e.Type != model.EventStatusChanged {
			continue
		}
		var d struct {
			To model.Status `json:"to"`
		}
		if json.Unmarshal(e.Data, &d) == nil && (d.To == model.StatusResolved || d.To == model.StatusClosed) {
			t := e.CreatedAt
			at = &t
		}
	}
	return at
}
