// Package httpmetrics times HTTP requests for Prometheus, by the route
// pattern a ServeMux matched and the status code written.
package httpmetrics

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Latency is a request-latency histogram labelled route and code.
type Latency struct {
	vec  *prometheus.HistogramVec
	skip map[string]bool
}

// New returns the histogram name, registered with reg when reg is not
// nil. Requests for the paths in skip (such as a live-update stream,
// which lasts as long as a page is open) are not timed.
func New(name, help string, reg prometheus.Registerer, skip ...string) *Latency {
	l := &Latency{vec: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    name,
		Help:    help,
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
	}, []string{"route", "code"}), skip: map[string]bool{}}
	for _, p := range skip {
		l.skip[p] = true
	}
	if reg != nil {
		reg.MustRegister(l.vec)
	}
	return l
}

// Wrap times h, whose ServeMux sets the pattern it matched on the request
// as it routes it. A pattern set before, by a mux that mounted h, is
// cleared first, so a request h refuses before routing (or that matches
// nothing) counts as "unmatched".
func (l *Latency) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.skip[r.URL.Path] {
			h.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		r.Pattern = ""
		cw := &codeWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(cw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		l.vec.WithLabelValues(route, strconv.Itoa(cw.code)).Observe(time.Since(start).Seconds())
	})
}

// codeWriter remembers the status code written.
type codeWriter struct {
	http.ResponseWriter
	code int
}

func (w *codeWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (w *codeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes a flush on, for handlers that stream.
func (w *codeWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Counts reads from g how many requests the histogram name has timed, by
// "route code" (such as "GET /items/{id} 200"): for tests and
// diagnostics.
func Counts(g prometheus.Gatherer, name string) (map[string]uint64, error) {
	mfs, err := g.Gather()
	if err != nil {
		return nil, fmt.Errorf("gather metrics: %w", err)
	}
	got := map[string]uint64{}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			var route, code string
			for _, l := range m.GetLabel() {
				switch l.GetName() {
				case "route":
					route = l.GetValue()
				case "code":
					code = l.GetValue()
				}
			}
			got[route+" "+code] += m.GetHistogram().GetSampleCount()
		}
	}
	return got, nil
}
