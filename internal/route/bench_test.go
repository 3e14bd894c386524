package route

import (
	"testing"

	"earshot/internal/model"
)

// BenchmarkRouteAndDeadlines is the routing work ingest does for a new
// case: rules, site detection, SLA policy, assignment and deadlines.
func BenchmarkRouteAndDeadlines(b *testing.B) {
	o := testRouter(b)
	ms := []*model.Mention{
		mention("My new ID card never came and nobody at DMC answers the phone. I have called four times this week.", func(m *model.Mention) {
			m.Analysis.Intents = []string{"id_card", "complaint"}
			m.Analysis.Sentiment.Label = "negative"
			m.Analysis.NeedsResponse = true
		}),
		mention("Thank you to the nurses on the fourth floor, they were wonderful with my dad.", nil),
		mention("claim denied again, calling my lawyer", func(m *model.Mention) {
			m.Analysis.Intents = []string{"claim"}
			m.Analysis.Sentiment.Label = "negative"
			m.Analysis.NeedsResponse = true
		}),
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m := ms[i%len(ms)]
		i++
		c := &model.Case{Priority: Priority(m.Analysis), CreatedAt: m.CreatedAt}
		d := o.Route(m, nil)
		Apply(c, d, true)
		if a := o.Assignee(d.Assign, c.Team, nil); a != "" {
			c.Assignee = a
		}
		o.Open(c, m.Analysis.NeedsResponse)
		_ = c.NextSLATimer()
	}
}
