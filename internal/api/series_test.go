package api

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"earshot/internal/model"
	"earshot/internal/report"
)

// TestSeriesAPI reads series of mentions the test posts (every author
// new, so each mention opens a case), in UTC:
//
//	a  2026-04-01 09:00  lonestar
//	b  2026-04-01 09:30  lonestar
//	c  2026-04-02 10:00  lonestar
//	d  2026-04-02 11:00  other
//	e  2026-04-03 00:10  lonestar
func TestSeriesAPI(t *testing.T) {
	now := time.Date(2026, 4, 3, 12, 0, 0, 0, time.UTC)
	h := newHarness(t, func(c *Config) { c.Now = func() time.Time { return now } })
	other, _ := json.Marshal(map[string]any{"platform": "x", "channel": "other", "external_id": "d", "text": "Where is my card?",
		"created_at": "2026-04-02T11:00:00Z", "author": map[string]any{"id": "u-d", "handle": "d"}})
	for _, m := range []string{mentionJSON("a", "a", "Where is my card?", 0), mentionJSON("b", "b", "Where is my card?", 30),
		mentionJSON("c", "c", "Where is my card?", 25*60), string(other), mentionJSON("e", "e", "Where is my card?", 39*60+10)} {
		if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", m, nil); code != 201 {
			t.Fatalf("post %s: %d", m, code)
		}
	}
	type series struct {
		Metric   string    `json:"metric"`
		Interval string    `json:"interval"`
		From     time.Time `json:"from"`
		To       time.Time `json:"to"`
		Lines    []struct {
			Key    string `json:"key"`
			Points []struct {
				Start time.Time `json:"start"`
				Value float64   `json:"value"`
			} `json:"points"`
		} `json:"lines"`
	}
	day := func(d int) time.Time { return time.Date(2026, 4, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		query  string
		starts []time.Time
		values []float64
	}{
		{"metric=inbound&from=2026-04-01&to=2026-04-03", []time.Time{day(1), day(2)}, []float64{2, 2}},
		{"metric=inbound&from=2026-04-01&to=2026-04-03&channel=lonestar", []time.Time{day(1), day(2)}, []float64{2, 1}},
		{"metric=cases_opened&from=2026-04-01&to=2026-04-03&channel=other", []time.Time{day(1), day(2)}, []float64{0, 1}},
		{"metric=mentions&interval=hour&from=2026-04-01T09:00:00Z&to=2026-04-01T11:00:00Z",
			[]time.Time{day(1).Add(9 * time.Hour), day(1).Add(10 * time.Hour)}, []float64{2, 0}},
		// 1 April is a Wednesday: its week starts on Monday 30 March.
		{"metric=inbound&interval=week&from=2026-04-01&to=2026-04-04", []time.Time{time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC)}, []float64{5}},
		// The default window is the seven days to now (27 March 12:00 to
		// 3 April 12:00), by day: eight days meet it; e is on the last.
		{"metric=inbound", []time.Time{day(1).AddDate(0, 0, -5), day(1).AddDate(0, 0, -4), day(1).AddDate(0, 0, -3),
			day(1).AddDate(0, 0, -2), day(1).AddDate(0, 0, -1), day(1), day(2), day(3)}, []float64{0, 0, 0, 0, 0, 2, 2, 1}},
	} {
		var s series
		if code := h.do(model.RoleViewer, "GET", "/api/v1/reports/series?"+tc.query, "", &s); code != 200 {
			t.Fatalf("%s: %d", tc.query, code)
		}
		if len(s.Lines) != 1 || len(s.Lines[0].Points) != len(tc.values) {
			t.Fatalf("%s: %+v", tc.query, s)
		}
		for i, p := range s.Lines[0].Points {
			if !p.Start.Equal(tc.starts[i]) || p.Value != tc.values[i] {
				t.Errorf("%s: point %d = %v %v, want %v %v", tc.query, i, p.Start, p.Value, tc.starts[i], tc.values[i])
			}
		}
	}
	var s series
	if code := h.do(model.RoleViewer, "GET", "/api/v1/reports/series?metric=sentiment", "", &s); code != 200 || s.Interval != "day" ||
		!s.To.Equal(now) || !s.From.Equal(now.AddDate(0, 0, -7)) || len(s.Lines) != 3 {
		t.Errorf("defaults: %d %+v", code, s)
	}

	for _, tc := range []struct {
		query, code, field string
	}{
		{"", "bad_metric", "metric"},
		{"metric=nonsense", "bad_metric", "metric"},
		{"metric=inbound&interval=month", "bad_interval", "interval"},
		{"metric=inbound&from=later", "bad_from", "from"},
		{"metric=inbound&to=2026-13-01", "bad_to", "to"},
		{"metric=inbound&from=2026-04-03&to=2026-04-01", "bad_window", ""},
		{"metric=inbound&interval=hour&from=2026-01-01&to=2027-01-01", "too_many_points", ""},
		{"metric=inbound&channel=a%00b", "bad_channel", "channel"},
		{"metric=inbound&intent=%ff", "bad_intent", "intent"},
	} {
		var e errBody
		if code := h.do(model.RoleViewer, "GET", "/api/v1/reports/series?"+tc.query, "", &e); code != 400 || e.Error.Code != tc.code || e.Error.Field != tc.field {
			t.Errorf("%q: %d %+v; want 400 %s naming %q", tc.query, code, e.Error, tc.code, tc.field)
		}
	}
	if code := h.do(model.RoleIntegration, "GET", "/api/v1/reports/series?metric=inbound", "", nil); code != 403 {
		t.Errorf("an integration token read a series: %d", code)
	}
}

// FuzzReportFilter holds the report filter reader to: a value it takes
// is the one given, valid UTF-8 of at most 256 bytes without NUL; any
// other is answered 400 naming the filter.
func FuzzReportFilter(f *testing.F) {
	f.Add("lonestar")
	f.Add("a\x00b")
	f.Add("\xff")
	f.Fuzz(func(t *testing.T, v string) {
		rec := httptest.NewRecorder()
		var got report.Filter
		ok := reportFilter(rec, url.Values{"site": {v}}, &got)
		valid := len(v) <= 256 && utf8.ValidString(v) && !strings.ContainsRune(v, 0)
		if ok != valid {
			t.Fatalf("reportFilter(site=%q) ok %v, want %v", v, ok, valid)
		}
		if ok && got != (report.Filter{Site: v}) {
			t.Fatalf("reportFilter(site=%q) = %+v", v, got)
		}
		if !ok && (rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"site"`)) {
			t.Fatalf("reportFilter(site=%q) answered %d %s", v, rec.Code, rec.Body)
		}
	})
}
