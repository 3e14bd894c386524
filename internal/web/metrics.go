package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// pageMetrics times the web app's requests by route and status, beside
// the API's earshot_http_request_seconds.
type pageMetrics struct {
	latency *prometheus.HistogramVec
}

// newPageMetrics registers the web app's request histogram with reg; nil
// reg measures nothing.
func newPageMetrics(reg prometheus.Registerer) *pageMetrics {
	if reg == nil {
		return nil
	}
	m := &pageMetrics{latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "earshot_web_request_seconds",
		Help:    "Web app request latency by route and status (live-update streams excluded).",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
	}, []string{"route", "code"})}
	reg.MustRegister(m.latency)
	return m
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

// wrap measures h, whose ServeMux sets the pattern it matched on the
// request as it routes it; a request refused before (by the cross-origin
// check) counts as "unmatched". The live-update stream is left out: it
// lasts as long as the page is open.
func (m *pageMetrics) wrap(h http.Handler) http.Handler {
	if m == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/events" {
			h.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		r.Pattern = "" // the pattern that mounted the app; the app's own mux sets its own
		cw := &codeWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(cw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.latency.WithLabelValues(route, strconv.Itoa(cw.code)).Observe(time.Since(start).Seconds())
	})
}
