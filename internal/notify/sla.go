package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/route"
	"earshot/internal/store"
)

// StaleTimer is how late a timer may fire and still alert. Older timers
// (an import of past mentions, a long outage) are recorded in the
// timeline but alert no one, so a backfill cannot flood the targets.
const StaleTimer = 24 * time.Hour

// SLASweep returns the sweep that fires SLA timers: it finds the cases
// whose next timer is due through the indexed sla_next_at, and for each,
// in one transaction with the case locked, marks the due timers fired,
// applies breach escalations, records sla_warning, sla_breach and
// escalated events and enqueues one alert job per target. Several
// replicas may sweep at once: the case lock (SKIP LOCKED on PostgreSQL,
// the single writer on SQLite), the fired flags read inside the
// transaction, a unique marker per timer and the alert jobs' dedupe keys
// make each warning and breach fire once, even when an ingest batch
// writes back a stale copy of the case's timers.
func SLASweep(st *store.Store, routes *route.Live, limit int) jobs.Sweep {
	if limit <= 0 {
		limit = 200
	}
	return func(ctx context.Context, now time.Time) error {
		ids, err := st.DueSLACases(ctx, now, limit)
		if err != nil {
			return err
		}
		r := routes.Router()
		for _, id := range ids {
			if _, _, err := st.FireSLA(ctx, id, now, func(c *model.Case) []store.SLAFiring { return fire(r, c, now) }); err != nil {
				return fmt.Errorf("fire SLA timers of case %d: %w", id, err)
			}
		}
		return nil
	}
}

// fire turns a case's due timers into events and alert jobs.
func fire(r *route.Router, c *model.Case, now time.Time) []store.SLAFiring {
	var all []store.SLAFiring
	for _, f := range r.Fire(c, now) {
		out := store.SLAFiring{Marker: fmt.Sprintf("sla:%d:%s:%s:%d", c.ID, f.Timer.Deadline, f.Timer.Stage, f.Timer.Due.UnixMilli())}
		typ, event := model.EventSLAWarning, "sla_warning"
		if f.Timer.Stage == model.StageBreach {
			typ, event = model.EventSLABreach, "sla_breach"
		}
		stale := now.Sub(f.Timer.At) > StaleTimer
		data, _ := json.Marshal(map[string]any{"deadline": f.Timer.Deadline, "due": f.Timer.Due, "policy": c.SLAPolicy, "stale": stale})
		out.Events = append(out.Events, model.Event{CaseID: c.ID, Type: typ, Actor: "sla", CreatedAt: now, Data: data})
		if len(f.Changes) > 0 {
			data, _ := json.Marshal(map[string]any{"deadline": f.Timer.Deadline, "set": f.Changes, "policy": c.SLAPolicy})
			out.Events = append(out.Events, model.Event{CaseID: c.ID, Type: model.EventEscalated, Actor: "sla", CreatedAt: now, Data: data})
		}
		reason := fmt.Sprintf("%s %s", deadlineName(f.Timer.Deadline), map[string]string{model.StageWarning: "due soon", model.StageBreach: "overdue"}[f.Timer.Stage])
		for _, target := range f.Targets {
			if stale {
				break
			}
			payload, _ := json.Marshal(model.Alert{Target: target, Event: event, CaseID: c.ID, Priority: c.Priority,
				Platform: c.Platform, Reason: reason, At: now})
			out.Jobs = append(out.Jobs, store.NewJob{Kind: model.JobKindAlert, Payload: payload, RunAt: now,
				DedupeKey: out.Marker + ":" + target})
		}
		all = append(all, out)
	}
	return all
}

func deadlineName(d string) string {
	switch d {
	case model.DeadlineFirstResponse:
		return "first response"
	case model.DeadlineNextResponse:
		return "next response"
	}
	return "resolution"
}
