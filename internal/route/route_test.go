package route

import (
	"testing"
	"time"

	"earshot/internal/model"
)

func TestPriority(t *testing.T) {
	for _, tc := range []struct {
		urgency string
		want    model.Priority
	}{
		{model.UrgencyCritical, model.PriorityUrgent},
		{model.UrgencyHigh, model.PriorityHigh},
		{model.UrgencyNormal, model.PriorityNormal},
		{model.UrgencyLow, model.PriorityLow},
		{"", model.PriorityNormal},
	} {
		got := Priority(&model.Analysis{Urgency: model.Urgency{Level: tc.urgency}})
		if got != tc.want {
			t.Errorf("Priority(urgency %q) = %q, want %q", tc.urgency, got, tc.want)
		}
	}
	if got := Priority(nil); got != model.PriorityNormal {
		t.Errorf("Priority(nil) = %q", got)
	}
}

func TestMaxUrgency(t *testing.T) {
	if got := MaxUrgency(model.UrgencyCritical, model.UrgencyHigh); got != model.UrgencyCritical {
		t.Errorf("MaxUrgency(critical, high) = %q", got)
	}
	if got := MaxUrgency(model.UrgencyLow, model.UrgencyNormal); got != model.UrgencyNormal {
		t.Errorf("MaxUrgency(low, normal) = %q", got)
	}
}

func TestFirstResponseDue(t *testing.T) {
	from := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	p := DefaultPolicy()
	for prio, want := range map[model.Priority]time.Duration{
		model.PriorityUrgent: 15 * time.Minute, model.PriorityHigh: time.Hour,
		model.PriorityNormal: 4 * time.Hour, model.PriorityLow: 24 * time.Hour, "bogus": 4 * time.Hour,
	} {
		if got := p.FirstResponseDue(from, prio); !got.Equal(from.Add(want)) {
			t.Errorf("FirstResponseDue(%q) = %v, want %v", prio, got, from.Add(want))
		}
	}
}
