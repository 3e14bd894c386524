// Package route decides who handles a case, how pressing it is and when
// it is due. Its functions are pure. Until an organisation file sets SLA
// policies, DefaultPolicy gives every case a first-response deadline by
// priority.
package route

import (
	"time"

	"earshot/internal/model"
)

// Priority maps an analysis to a case priority: critical urgency is
// urgent, high is high, low is low, everything else normal.
func Priority(a *model.Analysis) model.Priority {
	if a == nil {
		return model.PriorityNormal
	}
	switch a.Urgency.Level {
	case model.UrgencyCritical:
		return model.PriorityUrgent
	case model.UrgencyHigh:
		return model.PriorityHigh
	case model.UrgencyLow:
		return model.PriorityLow
	}
	return model.PriorityNormal
}

// MaxUrgency returns the more pressing of two urgency levels.
func MaxUrgency(a, b string) string {
	order := map[string]int{model.UrgencyLow: 0, model.UrgencyNormal: 1, model.UrgencyHigh: 2, model.UrgencyCritical: 3}
	if order[b] > order[a] {
		return b
	}
	return a
}

// Policy gives the first-response time allowed for each priority.
type Policy struct {
	FirstResponse map[model.Priority]time.Duration
}

// DefaultPolicy answers urgent cases in 15 minutes, high in one hour,
// normal in four hours and low in a day, around the clock.
func DefaultPolicy() Policy {
	return Policy{FirstResponse: map[model.Priority]time.Duration{
		model.PriorityUrgent: 15 * time.Minute,
		model.PriorityHigh:   time.Hour,
		model.PriorityNormal: 4 * time.Hour,
		model.PriorityLow:    24 * time.Hour,
	}}
}

// FirstResponseDue returns when a case of the given priority, opened at
// from, must first be answered, within model.TimeRange.
func (p Policy) FirstResponseDue(from time.Time, priority model.Priority) time.Time {
	d, ok := p.FirstResponse[priority]
	if !ok {
		d = p.FirstResponse[model.PriorityNormal]
	}
	return model.ClampTime(from.Add(d))
}
