package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"earshot/internal/cases"
	"earshot/internal/model"
	"earshot/internal/route"
	"earshot/internal/store"
)

// StaleMention is how old a mention may be and still alert: an import
// of past mentions is routed but pages no one.
const StaleMention = 24 * time.Hour

// JobAlert is the kind of job that delivers one alert (model.Alert).
const JobAlert = model.JobKindAlert

// routed is what routing decided for one mention, kept until the mention
// and its case have ids.
type routed struct {
	d     route.Decision
	steps []route.Step
}

// routeNew routes the first mention of a new case and sets its team,
// site, priority, tags, SLA policy, assignee and deadlines.
func (t *threader) routeNew(ctx context.Context, c *model.Case, m *model.Mention) (*routed, error) {
	d := t.r.Route(m, nil)
	route.Apply(c, d, true)
	rt := &routed{d: d, steps: d.Steps}
	strategy := d.Assign
	if strategy == "" {
		strategy = t.r.Strategy(c.Team)
	}
	if strategy != "" && c.Team != "" {
		var load map[string]int
		if strategy == "least_loaded" {
			var err error
			if load, err = t.load(ctx, c.Team); err != nil {
				return nil, err
			}
		}
		if a := t.r.Assignee(strategy, c.Team, load); a != "" {
			c.Assignee = a
			if load != nil {
				load[a]++
			}
			rt.steps = append(rt.steps, route.Step{Rule: "assignment", Set: map[string]string{"assignee": a, "by": strategy}})
		}
	}
	// After routing: its SLA policy and priority count for the deadlines.
	cases.Open(t.r, c, m.Analysis.NeedsResponse)
	return rt, nil
}

// routeInbound routes a further inbound mention of an existing case.
func (t *threader) routeInbound(c *model.Case, m *model.Mention) *routed {
	d := t.r.Route(m, c)
	if !route.Apply(c, d, false) && len(d.Alerts) == 0 {
		return nil
	}
	return &routed{d: d, steps: d.Steps}
}

// load returns the open-case counts of a team's available members, read
// once per batch and kept up to date as the batch assigns.
func (t *threader) load(ctx context.Context, team string) (map[string]int, error) {
	if l, ok := t.loads[team]; ok {
		return l, nil
	}
	l, err := t.b.OpenCaseLoad(ctx, t.r.Members(team))
	if err != nil {
		return nil, err
	}
	t.loads[team] = l
	return l, nil
}

// record adds the routing decisions to the case timeline (one "routed"
// event naming the rules) and enqueues the alerts, in the batch's
// transaction. An alert's dedupe key is the
// mention and the target, so one mention alerts a target once however
// many rules name it, and never again on a retry.
func (t *threader) record(rt *routed, c *model.Case, m *model.Mention) error {
	if rt == nil {
		return nil
	}
	if len(rt.steps) > 0 {
		// One event per mention lists every decision and the rule that
		// made it.
		rules := make([]string, len(rt.steps))
		for i, s := range rt.steps {
			rules[i] = s.Rule
		}
		data, err := json.Marshal(map[string]any{"rules": rules, "steps": rt.steps, "mention_id": m.ID})
		if err != nil {
			return fmt.Errorf("encode routing event: %w", err)
		}
		t.b.AddEvent(model.Event{CaseID: c.ID, Type: model.EventRouted, Actor: "router", CreatedAt: t.now, Data: data})
	}
	// One alert per target: reasons join, and a built-in event (critical,
	// low_rating) names the alert over a plain rule.
	var merged []route.Alert
	for _, a := range rt.d.Alerts {
		i := slices.IndexFunc(merged, func(x route.Alert) bool { return x.Target == a.Target })
		if i < 0 {
			merged = append(merged, a)
			continue
		}
		merged[i].Reason += "; " + a.Reason
		if merged[i].Event == "rule" {
			merged[i].Event = a.Event
		}
	}
	if t.now.Sub(m.CreatedAt) > StaleMention {
		return nil
	}
	for _, a := range merged {
		payload, err := json.Marshal(model.Alert{Target: a.Target, Event: a.Event, CaseID: c.ID, Priority: c.Priority,
			Platform: c.Platform, Reason: a.Reason, At: t.now})
		if err != nil {
			return fmt.Errorf("encode alert: %w", err)
		}
		t.b.EnqueueJob(store.NewJob{Kind: JobAlert, Payload: payload, RunAt: t.now,
			DedupeKey: fmt.Sprintf("mention:%s:%s:%s", m.Platform, m.ExternalID, a.Target)})
	}
	return nil
}
