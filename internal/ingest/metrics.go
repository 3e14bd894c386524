package ingest

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts what the pipeline did. A nil *Metrics records nothing.
type Metrics struct {
	mentions *prometheus.CounterVec
	batch    prometheus.Histogram
	linked   prometheus.Counter
	retries  prometheus.Counter
}

// NewMetrics registers the pipeline's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		mentions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "earshot_ingest_mentions_total",
			Help: "Mentions through the ingest pipeline by result (new, duplicate, rejected).",
		}, []string{"result"}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "earshot_ingest_batch_seconds",
			Help:    "Time to thread and persist one batch of mentions.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		linked: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "earshot_ingest_replies_linked_total",
			Help: "Replies of ours stored before the mention they answer and linked to its case when it came.",
		}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "earshot_ingest_batch_retries_total",
			Help: "Ingest batches tried again after a conflict with another writer (one of their mentions stored first, or a deadlock between replicas).",
		}),
	}
	reg.MustRegister(m.mentions, m.batch, m.linked, m.retries)
	return m
}

func (m *Metrics) rejected(n int) {
	if m != nil {
		m.mentions.WithLabelValues("rejected").Add(float64(n))
	}
}

// Rejected counts n mentions refused before reaching the pipeline (bad
// JSON, for example).
func (m *Metrics) Rejected(n int) { m.rejected(n) }

func (m *Metrics) stored(fresh, dup int, d time.Duration) {
	if m == nil {
		return
	}
	m.mentions.WithLabelValues("new").Add(float64(fresh))
	m.mentions.WithLabelValues("duplicate").Add(float64(dup))
	m.batch.Observe(d.Seconds())
}

// linkedReplies counts n replies linked to a case after they were stored.
func (m *Metrics) linkedReplies(n int) {
	if m != nil && n > 0 {
		m.linked.Add(float64(n))
	}
}

// retried counts one batch tried again.
func (m *Metrics) retried() {
	if m != nil {
		m.retries.Inc()
	}
}
