package channels

import "github.com/prometheus/client_golang/prometheus"

// metrics counts what the channels hear.
type metrics struct {
	polls    *prometheus.CounterVec
	heard    *prometheus.CounterVec
	rejected *prometheus.CounterVec
	// unparsed counts signed webhook deliveries that were JSON but not
	// the platform's shape, by endpoint.
	unparsed *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "earshot_channel_polls_total",
			Help: "Channel polls by outcome (ok, failed)."}, []string{"outcome"}),
		heard: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "earshot_channel_heard_total",
			Help: "New mentions heard, by channel."}, []string{"channel"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "earshot_channel_rejected_total",
			Help: "Mentions a channel brought that the pipeline refused, by channel."}, []string{"channel"}),
		unparsed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "earshot_webhook_unparsed_total",
			Help: "Signed webhook deliveries that were JSON but not in the platform's shape, by endpoint."}, []string{"endpoint"}),
	}
	if reg != nil {
		reg.MustRegister(m.polls, m.heard, m.rejected, m.unparsed)
	}
	return m
}
