package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/report"
)

// summaryDay writes 1 April 2026: gil asks on X (acme-x) at 10:00 and we
// answer on X at 10:30; bo leaves a 1-star review on Google
// (acme-google) at 11:00 that nobody answers. Both need a response and
// read negative.
func summaryDay(t *testing.T, h *harness) {
	t.Helper()
	at := func(hh, mm int) time.Time { return time.Date(2026, 4, 1, hh, mm, 0, 0, time.UTC) }
	one := 1
	for _, m := range []model.Mention{
		{Platform: "x", Channel: "acme-x", ExternalID: "g1", Kind: model.KindPost, Direction: model.DirectionInbound, CreatedAt: at(10, 0),
			Author: model.Author{ID: "9", Handle: "gil"}, Text: "My ID card still has the wrong name on it, please help"},
		{Platform: "x", Channel: "acme-x", ExternalID: "o1", Kind: model.KindPost, Direction: model.DirectionOutbound, CreatedAt: at(10, 30),
			InReplyTo: "g1", Author: model.Author{ID: "1", Handle: "acme"}, Text: "We're sorry to hear that. Please send us a direct message."},
		{Platform: "google", Channel: "acme-google", ExternalID: "r1", Kind: model.KindReview, Direction: model.DirectionInbound, CreatedAt: at(11, 0),
			Author: model.Author{ID: "7", Handle: "bo"}, Text: "Terrible billing, nobody called me back", Rating: &one},
	} {
		res, err := h.p.Ingest(context.Background(), []model.Mention{m})
		if err != nil || res[0].Err != nil {
			t.Fatalf("ingest %s: %v %v", m.ExternalID, err, res[0].Err)
		}
	}
}

func TestSummaryGroupBy(t *testing.T) {
	h := newHarness(t)
	summaryDay(t, h)
	var s report.Summary
	if code := h.do(model.RoleViewer, "GET", "/api/v1/reports/summary?from=2026-04-01&to=2026-04-02&group_by=channel", "", &s); code != 200 {
		t.Fatalf("status %d", code)
	}
	// acme-x: g1 and o1 (2 mentions), gil's case answered in 30 min;
	// acme-google: r1, bo's case unanswered. Largest first.
	if len(s.Groups) != 2 || s.Groups[0].Key != "acme-x" || s.Groups[1].Key != "acme-google" {
		t.Fatalf("groups %+v", s.Groups)
	}
	x, g := s.Groups[0], s.Groups[1]
	if x.Mentions.Total != 2 || x.Mentions.Inbound != 1 || x.Mentions.Outbound != 1 || x.Cases.Opened != 1 ||
		x.Cases.NeedResponse != 1 || x.Cases.Responded != 1 || x.Cases.ResponseRate != 1 || x.Cases.FirstResponse.MedianMinutes != 30 {
		t.Errorf("acme-x %+v %+v", x.Mentions, x.Cases)
	}
	if g.Mentions.Total != 1 || g.Cases.Opened != 1 || g.Cases.NeedResponse != 1 || g.Cases.Responded != 0 || g.Cases.ResponseRate != 0 {
		t.Errorf("acme-google %+v %+v", g.Mentions, g.Cases)
	}
	// Overall: 3 mentions, 2 cases, 1 of 2 answered.
	if s.Mentions.Total != 3 || s.Cases.Opened != 2 || s.Cases.ResponseRate != 0.5 || s.Previous == nil {
		t.Errorf("summary %+v %+v previous %v", s.Mentions, s.Cases, s.Previous)
	}

	// A filter narrows: Google alone is r1 and bo's case.
	var gs report.Summary
	if code := h.do(model.RoleViewer, "GET", "/api/v1/reports/summary?from=2026-04-01&to=2026-04-02&platform=google", "", &gs); code != 200 {
		t.Fatalf("status %d", code)
	}
	if gs.Mentions.Total != 1 || gs.Cases.Opened != 1 || gs.Cases.Responded != 0 || gs.Groups != nil {
		t.Errorf("google %+v %+v groups %v", gs.Mentions, gs.Cases, gs.Groups)
	}
}

func TestSummaryCSV(t *testing.T) {
	h := newHarness(t)
	summaryDay(t, h)
	for _, tc := range []struct {
		query string
		// rows by key: column -> value, computed from summaryDay.
		want map[string]map[string]string
	}{
		{"&group_by=channel", map[string]map[string]string{
			"acme-x": {"mentions_total": "2", "mentions_outbound": "1", "mentions_by_platform_x": "2", "mentions_by_sentiment_negative": "1",
				"cases_opened": "1", "cases_response_rate": "1", "cases_first_response_median_minutes": "30",
				"cases_first_response_distribution_up_to_30": "1", "cases_first_response_distribution_over_1440": "0"},
			"acme-google": {"mentions_total": "1", "mentions_by_platform_google": "1", "mentions_by_sentiment_negative": "1",
				"cases_opened": "1", "cases_response_rate": "0", "cases_first_response_median_minutes": "0"},
		}},
		{"", map[string]map[string]string{
			"all": {"mentions_total": "3", "mentions_by_platform_x": "2", "mentions_by_platform_google": "1", "mentions_by_platform_yelp": "0",
				"cases_opened": "2", "cases_need_response": "2", "cases_responded": "1", "cases_response_rate": "0.5"},
		}},
	} {
		code, hdr, body := h.send(model.RoleViewer, "GET", "/api/v1/reports/summary?from=2026-04-01&to=2026-04-02&format=csv"+tc.query, nil, nil)
		if code != 200 || hdr.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("%s: status %d, type %q: %s", tc.query, code, hdr.Get("Content-Type"), body)
		}
		records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if len(records) != len(tc.want)+1 || records[0][0] != "key" {
			t.Fatalf("%s: %d records, header %v", tc.query, len(records), records[0])
		}
		col := map[string]int{}
		for i, name := range records[0] {
			if _, dup := col[name]; dup {
				t.Errorf("%s: column %s twice", tc.query, name)
			}
			col[name] = i
		}
		for _, rec := range records[1:] {
			want, ok := tc.want[rec[0]]
			if !ok {
				t.Errorf("%s: row %q not expected", tc.query, rec[0])
				continue
			}
			for name, v := range want {
				i, ok := col[name]
				if !ok {
					t.Errorf("%s: no column %s", tc.query, name)
				} else if rec[i] != v {
					t.Errorf("%s: %s of %s = %q, want %q", tc.query, name, rec[0], rec[i], v)
				}
			}
		}
	}
}

func TestSummaryRefusesBadGroupByAndFilters(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct{ query, code, field string }{
		{"group_by=color", "bad_group_by", "group_by"},
		{"group_by=Channel", "bad_group_by", "group_by"},
		{"platform=myspace", "bad_platform", "platform"},
		{"team=a%00b", "bad_team", "team"},
		{"channel=%ff", "bad_channel", "channel"},
		{"agent=a%00", "bad_agent", "agent"},
		{"format=xml", "bad_format", "format"},
		{"from=later&group_by=team", "bad_from", "from"},
	} {
		var e errBody
		if code := h.do(model.RoleViewer, "GET", "/api/v1/reports/summary?"+tc.query, "", &e); code != 400 || e.Error.Code != tc.code || e.Error.Field != tc.field {
			t.Errorf("%s: %d %+v, want 400 %s naming %s", tc.query, code, e.Error, tc.code, tc.field)
		}
	}
}

// FuzzSummaryQuery holds the summary's group_by, filter and format
// reader to: 400 naming a field, or a query whose values are the ones
// sent.
func FuzzSummaryQuery(f *testing.F) {
	f.Add("group_by=team&platform=x&format=csv")
	f.Add("intent=%00&group_by=agent")
	f.Add("channel=%ff%fe&site=a")
	f.Fuzz(func(t *testing.T, raw string) {
		req := httptest.NewRequest("GET", "/api/v1/reports/summary", nil)
		req.URL.RawQuery = raw
		rec := httptest.NewRecorder()
		var q report.Query
		if !summaryQuery(rec, req, &q) {
			var e errBody
			if rec.Code != 400 || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Field == "" {
				t.Fatalf("%q: refused with %d %s", raw, rec.Code, rec.Body)
			}
			return
		}
		v := req.URL.Query()
		if string(q.GroupBy) != v.Get("group_by") || q.Filter.Platform != v.Get("platform") || q.Filter.Agent != v.Get("agent") {
			t.Fatalf("%q: read %+v", raw, q)
		}
	})
}
