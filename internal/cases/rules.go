// Package cases owns what happens to a case: the rules over a
// model.Case (open, join, respond, reopen, status and priority changes)
// as pure functions, and the agent actions (reply, approve, reject,
// assign, hand off, set status, add a note or task) as one Service that
// the web app, the API and ingest all call. Deadlines are route's: the
// rules call a route.Router for them.
package cases

import (
	"encoding/json"
	"time"

	"earshot/internal/model"
	"earshot/internal/route"
)

// ActorRouter is the actor of the events the rules make on their own
// (a member's answer reopening a pending case).
const ActorRouter = "router"

// Open makes c, filled from the mention that opens it, a new case whose
// deadlines r sets: its first response, when needsResponse, counted from
// c.CreatedAt by the case's SLA policy or route.DefaultPolicy.
func Open(r *route.Router, c *model.Case, needsResponse bool) {
	c.Status = model.StatusNew
	r.Open(c, needsResponse)
}

// Inbound is a further mention of the member joining a case.
type Inbound struct {
	// At is when the mention was made.
	At time.Time
	// Priority is what its analysis asks for; the case's only rises.
	Priority model.Priority
	// NeedsResponse says whether it asks for an answer.
	NeedsResponse bool
	// Opens says that it is older than the case's opening and now opens
	// it: the caller has set c.CreatedAt to At.
	Opens bool
}

// Join applies an inbound mention to c as of now: the priority only
// rises; deadlines move (a pause ends, the next response falls due, or,
// when the mention opens the case, the deadlines counted from the
// opening move back to it); a pending case opens and a resolved or
// closed one reopens. It returns the event that records a status change,
// and whether there is one.
func Join(r *route.Router, c *model.Case, in Inbound, now time.Time) (model.Event, bool) {
	c.Priority = model.MaxPriority(c.Priority, in.Priority)
	switch {
	case c.SLAPolicy != "" && in.Opens:
		r.Backdate(c, in.NeedsResponse)
	case c.SLAPolicy != "":
		r.Inbound(c, in.At, in.NeedsResponse)
	case in.NeedsResponse && (c.FirstResponseAt == nil || in.Opens):
		// A first response made already was made after the opening
		// mention, so the opening was waiting for it.
		route.DefaultFirstResponse(c, in.At)
	}
	return reopen(c, now)
}

// reopen is the member's answer moving a case back to open: a pending
// case opens (status_changed by the router), a resolved or closed one
// reopens (reopened).
func reopen(c *model.Case, now time.Time) (model.Event, bool) {
	from := c.Status
	var e model.Event
	switch from {
	case model.StatusPending:
		e = model.Event{CaseID: c.ID, Type: model.EventStatusChanged, Actor: ActorRouter, CreatedAt: now}
	case model.StatusResolved, model.StatusClosed:
		e = model.Event{CaseID: c.ID, Type: model.EventReopened, CreatedAt: now}
	default:
		return model.Event{}, false
	}
	c.Status = model.StatusOpen
	e.Data = fromTo(from, model.StatusOpen)
	return e, true
}

// Engage moves a new case to open: someone of ours has acted on it.
func Engage(c *model.Case) {
	if c.Status == model.StatusNew {
		c.Status = model.StatusOpen
	}
}

// Respond records our answer at `at` (an agent's reply, an approved one,
// or our own post on the platform): it is the case's first response
// unless an earlier one was made, its first and next response deadlines
// are met, and a new case opens.
func Respond(r *route.Router, c *model.Case, at time.Time) {
	if c.FirstResponseAt == nil || at.Before(*c.FirstResponseAt) {
		c.FirstResponseAt = &at
	}
	r.Replied(c, at)
	Engage(c)
}

// SetStatus moves c to status `to` at `at` by actor, pausing, resuming or
// stopping its deadlines. It returns the status_changed event and
// whether the status changed at all. to must be AgentSettable.
func SetStatus(r *route.Router, c *model.Case, to model.Status, actor string, at time.Time) (model.Event, bool) {
	from := c.Status
	if from == to {
		return model.Event{}, false
	}
	c.Status = to
	r.StatusChanged(c, from, to, at)
	return model.Event{CaseID: c.ID, Type: model.EventStatusChanged, Actor: actor, CreatedAt: at, Data: fromTo(from, to)}, true
}

func fromTo(from, to model.Status) json.RawMessage {
	data, _ := json.Marshal(map[string]model.Status{"from": from, "to": to}) // strings always marshal
	return data
}
