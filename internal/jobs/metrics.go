package jobs

import "github.com/prometheus/client_golang/prometheus"

// Metrics counts what runners did. A nil *Metrics records nothing.
type Metrics struct {
	jobs *prometheus.CounterVec
}

// NewMetrics registers the job metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "earshot_jobs_total",
		Help: "Job attempts by kind and outcome (done, retry, deferred, dead).",
	}, []string{"kind", "outcome"})}
	reg.MustRegister(m.jobs)
	return m
}

func (m *Metrics) count(kind, outcome string) {
	if m != nil {
		m.jobs.WithLabelValues(kind, outcome).Inc()
	}
}
