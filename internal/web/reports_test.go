package web

import (
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/input"
	"earshot/internal/model"
	"earshot/internal/report"
)

// chicago is the organisation's zone in the reports tests: UTC-6 in
// February.
func chicago(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// reportMention is one mention a reports test writes, with what the
// analyzer must make of it for the expected figures to hold.
type reportMention struct {
	ext, handle, text string
	at                time.Time
	outbound          bool
	inReplyTo         string
	platform          string
	sentiment         string
	needs             bool
}

// reportHarness is a harness whose organisation reads days in Chicago,
// at 22:00 Chicago time on Wednesday 11 February 2026 (04:00 UTC on the
// 12th), holding the mentions of reportData.
func reportHarness(t *testing.T) *harness {
	t.Helper()
	loc := chicago(t)
	h := newHarness(t, func(c *Config) {
		c.Reports = report.New(c.Store, report.Options{Location: func() *time.Location { return loc }})
	})
	h.clock.mu.Lock()
	h.clock.now = time.Date(2026, 2, 12, 4, 0, 0, 0, time.UTC)
	h.clock.mu.Unlock()
	an := analyze.New()
	for _, m := range reportData() {
		dir := model.DirectionInbound
		if m.outbound {
			dir = model.DirectionOutbound
		}
		a := an.Analyze(analyze.Input{Text: m.text, Direction: dir})
		if a.Sentiment.Label != m.sentiment || a.NeedsResponse != m.needs {
			t.Fatalf("precondition: %q reads %s, needs response %v; the test wants %s, %v", m.text, a.Sentiment.Label, a.NeedsResponse, m.sentiment, m.needs)
		}
		platform := cmpOr(m.platform, "x")
		fields := map[string]any{"platform": platform, "channel": "acme", "external_id": m.ext, "text": m.text, "direction": dir,
			"created_at": m.at.Format(time.RFC3339), "author": map[string]any{"id": "id-" + m.handle, "handle": m.handle}}
		if m.inReplyTo != "" {
			fields["in_reply_to"], fields["kind"] = m.inReplyTo, "comment"
		}
		h.postMention(fields)
	}
	return h
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// reportData: the window "last 7 days" at the harness's clock is Thu 5
// Feb to Wed 11 Feb in Chicago, [05 Feb 06:00 UTC, 12 Feb 06:00 UTC).
//
//	ann  Sun 8 Feb 06:00 CST  positive, no answer needed (praise)
//	bob  Tue 10 Feb 09:00 CST negative, needs an answer; we answer at 09:30 (outbound, on X)
//	cy   Wed 11 Feb 21:00 CST negative, needs an answer, unanswered (12 Feb 03:00 UTC: outside a UTC week)
//	dee  Wed 4 Feb 21:00 CST  negative, before the window (5 Feb 03:00 UTC: inside a UTC week)
//
// So, in the window: mentions 4 (ann, bob, our answer, cy), inbound 3,
// outbound 1; negative share 2 of 3 = 66.7%; cases opened 3 (ann, bob,
// cy: our answer joins bob's case); need a response 2 (bob, cy),
// answered 1 (bob): response rate 50%; first response 30 min, median and
// 90th percentile alike; no saves. Per day: Sun 8 Feb 1 inbound
// positive; Tue 10 Feb 1 inbound negative and 1 outbound; Wed 11 Feb 1
// inbound negative; the other four days nothing.
func reportData() []reportMention {
	utc := func(d, h, m int) time.Time { return time.Date(2026, 2, d, h, m, 0, 0, time.UTC) }
	return []reportMention{
		{ext: "p-ann", handle: "ann", text: "Thank you @acme, the nurses were wonderful", at: utc(8, 12, 0), sentiment: "positive"},
		{ext: "p-bob", handle: "bob", text: "@acme my claim was denied again and nobody calls me back. This is terrible.", at: utc(10, 15, 0), sentiment: "negative", needs: true},
		{ext: "r-bob", handle: "acme", text: "Hi Bob, we are sorry. Please DM us so we can help.", at: utc(10, 15, 30), outbound: true, inReplyTo: "p-bob", sentiment: "neutral"},
		{ext: "p-cy", handle: "cy", text: "@acme I have been on hold for two hours, awful service", at: utc(12, 3, 0), sentiment: "negative", needs: true},
		{ext: "p-dee", handle: "dee", text: "@acme my bill is wrong and I am furious", at: utc(5, 3, 0), sentiment: "negative", needs: true},
	}
}

var (
	tableRe = regexp.MustCompile(`(?s)<table class="numbers" id="table-([a-z_]+)">(.*?)</table>`)
	rowRe   = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRe  = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	tagRe   = regexp.MustCompile(`<[^>]+>`)
	hrefRe  = regexp.MustCompile(`href="([^"]*)"`)
	svgRe   = regexp.MustCompile(`(?s)<svg [^>]*id="chart-([a-z_]+)".*?</svg>`)
)

// pageTable is a table of the page: its header and rows of cell texts,
// and each cell's link ("" without).
type pageTable struct {
	head  []string
	rows  [][]string
	links [][]string
}

// tables reads the panels' tables of a reports page.
func tables(t *testing.T, body string) map[string]pageTable {
	t.Helper()
	out := map[string]pageTable{}
	for _, m := range tableRe.FindAllStringSubmatch(body, -1) {
		var tb pageTable
		for i, r := range rowRe.FindAllStringSubmatch(m[2], -1) {
			var texts, links []string
			for _, c := range cellRe.FindAllStringSubmatch(r[1], -1) {
				texts = append(texts, html.UnescapeString(strings.TrimSpace(tagRe.ReplaceAllString(c[1], ""))))
				link := ""
				if l := hrefRe.FindStringSubmatch(c[1]); l != nil {
					link = html.UnescapeString(l[1])
				}
				links = append(links, link)
			}
			if i == 0 {
				tb.head = texts
				continue
			}
			tb.rows, tb.links = append(tb.rows, texts), append(tb.links, links)
		}
		out[m[1]] = tb
	}
	return out
}

// column is one column of a table.
func (tb pageTable) column(i int) []string {
	var out []string
	for _, r := range tb.rows {
		out = append(out, r[i])
	}
	return out
}

// figureValue reads a headline figure's value and change.
func figureValue(t *testing.T, body, id string) (value, change string) {
	t.Helper()
	re := regexp.MustCompile(`(?s)<li class="figure" id="fig-` + id + `">.*?<a class="fig-value" href="[^"]*"[^>]*>([^<]*)<span.*?<span class="fig-change[^"]*">([^<]*)</span>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no figure %s on the page", id)
	}
	return html.UnescapeString(m[1]), html.UnescapeString(m[2])
}

func TestReportsPageFiguresTablesAndCharts(t *testing.T) {
	h := reportHarness(t)
	c := h.signIn("viewer")
	code, body := h.get(c, "/reports")
	if code != http.StatusOK {
		t.Fatalf("reports: %d\n%s", code, body)
	}
	if !strings.Contains(body, "Thu 5 Feb 2026 to Wed 11 Feb 2026, days in America/Chicago") {
		t.Errorf("window line missing")
	}
	for id, want := range map[string]string{
		"mentions": "4", "inbound": "3", "negative_share": "66.7%", "cases_opened": "3",
		"response_rate": "50%", "first_response_median": "30 min", "first_response_p90": "30 min", "saves": "0",
	} {
		if got, _ := figureValue(t, body, id); got != want {
			t.Errorf("figure %s = %q, want %q", id, got, want)
		}
	}
	tbs := tables(t, body)
	days := []string{"Thu 5 Feb", "Fri 6 Feb", "Sat 7 Feb", "Sun 8 Feb", "Mon 9 Feb", "Tue 10 Feb", "Wed 11 Feb"}
	vol := tbs["volume"]
	if !slices.Equal(vol.head, []string{"Period", "Inbound", "Outbound", "Total"}) || !slices.Equal(vol.column(0), days) {
		t.Fatalf("volume table: %v %v", vol.head, vol.column(0))
	}
	for i, want := range []struct {
		col  int
		vals []string
	}{
		{1, []string{"0", "0", "0", "1", "0", "1", "1"}},
		{2, []string{"0", "0", "0", "0", "0", "1", "0"}},
		{3, []string{"0", "0", "0", "1", "0", "2", "1"}},
	} {
		if got := vol.column(want.col); !slices.Equal(got, want.vals) {
			t.Errorf("volume column %d (%s) = %v, want %v", i, vol.head[want.col], got, want.vals)
		}
	}
	sent := tbs["sentiment"]
	for _, want := range []struct {
		col  int
		vals []string
	}{
		{1, []string{"0", "0", "0", "1", "0", "0", "0"}},
		{2, []string{"0", "0", "0", "0", "0", "0", "0"}},
		{3, []string{"0", "0", "0", "0", "0", "1", "1"}},
	} {
		if got := sent.column(want.col); !slices.Equal(got, want.vals) {
			t.Errorf("sentiment %s = %v, want %v", sent.head[want.col], got, want.vals)
		}
	}
	// Each chart parses as XML, is an image with a title, and its bars
	// hold the table's numbers.
	charts := 0
	for _, m := range svgRe.FindAllStringSubmatch(body, -1) {
		charts++
		var doc struct {
			Role  string `xml:"role,attr"`
			Title string `xml:"title"`
			Rects []struct {
				Tip string `xml:"title"`
			} `xml:"rect"`
		}
		if err := xml.Unmarshal([]byte(m[0]), &doc); err != nil {
			t.Fatalf("chart %s is not XML: %v", m[1], err)
		}
		if doc.Role != "img" || doc.Title == "" {
			t.Errorf("chart %s: role %q title %q", m[1], doc.Role, doc.Title)
		}
		tb, ok := tbs[m[1]]
		if !ok {
			t.Errorf("chart %s has no table", m[1])
			continue
		}
		tips := map[string]bool{}
		for _, r := range doc.Rects {
			if r.Tip != "" {
				tips[r.Tip] = true
			}
		}
		// Every bar's tip is "label · column: value" of a table cell.
		for tip := range tips {
			found := false
			for _, r := range tb.rows {
				for j := 1; j < len(r); j++ {
					if tip == strings.TrimSuffix(r[0], "…")+" · "+tb.head[j]+": "+r[j] || (strings.HasPrefix(tip, r[0]+" · ") && tip == r[0]+" · "+tb.head[j]+": "+r[j]) {
						found = true
					}
				}
			}
			if !found {
				t.Errorf("chart %s: bar %q is not in its table", m[1], tip)
			}
		}
	}
	if charts < 2 {
		t.Errorf("%d charts, want at least volume and sentiment", charts)
	}
	// The per-group figures, when this build splits them: all in channel acme.
	if rate, ok := tbs["response_rate"]; ok && len(rate.rows) > 0 {
		if !slices.Equal(rate.rows[0], []string{"acme", "50%", "1", "2"}) {
			t.Errorf("response rate per channel: %v", rate.rows)
		}
	}
	if it, ok := tbs["intents"]; ok && len(it.rows) > 0 {
		// claim (bob), wait_time (cy), complaint (both), staff and praise
		// (ann): complaint 2, the rest 1 each by name.
		if got := it.column(0); !slices.Equal(got, []string{"complaint", "claim", "praise", "staff", "wait_time"}) {
			t.Errorf("intents %v", got)
		}
	}
}

// TestReportsFigureLinksShowTheCasesBehindThem follows the links of the
// page to the inbox and reads which cases it lists.
func TestReportsFigureLinksShowTheCasesBehindThem(t *testing.T) {
	h := reportHarness(t)
	c := h.signIn("supervisor")
	_, body := h.get(c, "/reports")
	link := func(id string) string {
		re := regexp.MustCompile(`(?s)id="fig-` + id + `">.*?href="([^"]*)"`)
		m := re.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no link for %s", id)
		}
		return html.UnescapeString(m[1])
	}
	authors := func(path string) []string {
		code, page := h.get(c, path)
		if code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		var out []string
		for _, m := range regexp.MustCompile(`@([a-z]+)</`).FindAllStringSubmatch(page, -1) {
			out = append(out, m[1])
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	for _, tc := range []struct {
		fig  string
		want []string
	}{
		{"cases_opened", []string{"ann", "bob", "cy"}},
		{"mentions", []string{"ann", "bob", "cy"}},
		{"response_rate", []string{"cy"}},          // needed an answer, none yet
		{"first_response_median", []string{"bob"}}, // answered
		{"negative_share", []string{"bob", "cy"}},  // opened negative
		{"saves", nil},
	} {
		if got := authors(link(tc.fig)); !slices.Equal(got, tc.want) {
			t.Errorf("%s links to %s: cases of %v, want %v", tc.fig, link(tc.fig), got, tc.want)
		}
	}
	// A day of the volume table links to the cases with a mention that day.
	vol := tables(t, body)["volume"]
	if got := authors(vol.links[5][0]); !slices.Equal(got, []string{"bob"}) {
		t.Errorf("Tue 10 Feb links to %s: %v, want bob", vol.links[5][0], got)
	}
}

func TestReportsWindowsAndFilters(t *testing.T) {
	h := reportHarness(t)
	c := h.signIn("viewer")
	for _, tc := range []struct {
		query, window string
		mentions      string // inbound in the volume table, summed
	}{
		// This week: Mon 9 to Sun 15 Feb; bob and cy inbound.
		{"window=this_week", "Mon 9 Feb 2026 to Sun 15 Feb 2026", "2"},
		// Last week: Mon 2 to Sun 8 Feb: ann and dee (Wed 4 Feb in Chicago).
		{"window=last_week", "Mon 2 Feb 2026 to Sun 8 Feb 2026", "2"},
		// A custom day: 4 Feb in Chicago holds dee only.
		{"window=custom&from=2026-02-04&to=2026-02-04", "Wed 4 Feb 2026 to Wed 4 Feb 2026", "1"},
		// The last 30 days hold all four inbound.
		{"window=30d", "Tue 13 Jan 2026 to Wed 11 Feb 2026", "4"},
		// A platform filter: nothing on Facebook.
		{"platform=facebook", "Thu 5 Feb 2026 to Wed 11 Feb 2026", "0"},
	} {
		code, body := h.get(c, "/reports?"+tc.query)
		if code != 200 || !strings.Contains(body, tc.window) {
			t.Errorf("%s: %d, want window %q", tc.query, code, tc.window)
			continue
		}
		sum := 0
		for _, v := range tables(t, body)["volume"].column(1) {
			var n int
			fmt.Sscan(v, &n)
			sum += n
		}
		if fmt.Sprint(sum) != tc.mentions {
			t.Errorf("%s: %d inbound, want %s", tc.query, sum, tc.mentions)
		}
	}
	for _, bad := range []struct{ query, field string }{
		{"window=forever", "window"}, {"group_by=mood", "group_by"}, {"platform=myspace", "platform"},
		{"window=custom&from=2026-02-10&to=2026-02-01", "to is before from"}, {"window=custom&from=yesterday&to=2026-02-01", "from is not a date"},
		{"window=custom&from=2024-01-01&to=2026-02-01", "to is more than 366 days"}, {"channel=" + url.QueryEscape("a\x00"), "channel"},
	} {
		code, body := h.get(c, "/reports?"+bad.query)
		if code != http.StatusBadRequest || !strings.Contains(body, bad.field) || !strings.Contains(body, "Last 7 days") {
			t.Errorf("%s: %d, want 400 naming %q", bad.query, code, bad.field)
		}
	}
}

func TestReportsRoles(t *testing.T) {
	h := newHarness(t)
	for _, role := range []string{model.RoleAdmin, model.RoleSupervisor, model.RoleAgent, model.RoleViewer} {
		c := h.signIn(role)
		code, body := h.get(c, "/reports")
		if code != 200 || !strings.Contains(body, `href="/reports" aria-current="page">Reports</a>`) {
			t.Errorf("%s: reports %d", role, code)
		}
		if code, _ := h.get(c, "/reports/export.csv?chart=volume"); code != 200 {
			t.Errorf("%s: export %d", role, code)
		}
	}
	if code, _ := h.get(h.client(), "/reports"); code != http.StatusSeeOther {
		t.Errorf("signed out: %d, want a redirect to sign in", code)
	}
}

func TestReportsExportCSV(t *testing.T) {
	h := reportHarness(t)
	c := h.signIn("viewer")
	res, err := c.Get(h.srv.URL + "/reports/export.csv?window=this_week&chart=volume")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "earshot-volume-2026-02-09-2026-02-15.csv") {
		t.Fatalf("export: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(res.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Mon 9 to Sun 15 Feb, a row a day from its Chicago midnight (06:00
	// UTC): bob and our answer on Tue 10, cy on Wed 11.
	want := [][]string{{"Period", "Inbound", "Outbound", "Total"},
		{"2026-02-09T00:00:00-06:00", "0", "0", "0"}, {"2026-02-10T00:00:00-06:00", "1", "1", "2"},
		{"2026-02-11T00:00:00-06:00", "1", "0", "1"}, {"2026-02-12T00:00:00-06:00", "0", "0", "0"},
		{"2026-02-13T00:00:00-06:00", "0", "0", "0"}, {"2026-02-14T00:00:00-06:00", "0", "0", "0"},
		{"2026-02-15T00:00:00-06:00", "0", "0", "0"}}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Fatalf("csv = %v, want %v", rows, want)
	}
	if code, body := h.get(c, "/reports/export.csv?chart=nope"); code != 400 || !strings.Contains(body, `chart "nope"`) {
		t.Errorf("unknown chart: %d %q", code, body)
	}
	// Every figure per group, as the API writes it, when this build's
	// summary has a CSV form: channel acme holds all of the window's.
	code, body := h.get(c, "/reports/export.csv?chart=groups&group_by=channel")
	switch code {
	case http.StatusOK:
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(recs) != 2 || recs[0][0] != "key" || recs[1][0] != "acme" {
			t.Fatalf("groups csv: %v %q", err, body)
		}
		col := func(name string) string { return recs[1][slices.Index(recs[0], name)] }
		if col("mentions_total") != "4" || col("cases_opened") != "3" || col("cases_need_response") != "2" || col("cases_responded") != "1" {
			t.Errorf("groups csv: %q", body)
		}
	case http.StatusNotFound:
		if !strings.Contains(body, "cannot write every figure per group") {
			t.Errorf("groups csv refused: %q", body)
		}
	default:
		t.Errorf("groups csv: %d %q", code, body)
	}
	code, body = h.get(c, "/reports/export.csv?chart=headline")
	if code != 200 || !strings.Contains(body, "response_rate,0.5,") || !strings.Contains(body, "cases_opened,3,") ||
		!strings.Contains(body, "first_response_median,30,") {
		t.Errorf("headline csv: %d\n%s", code, body)
	}
}

func TestSpreadsheetSafe(t *testing.T) {
	for in, want := range map[string]string{"acme": "acme", "=HYPERLINK(1)": "'=HYPERLINK(1)", "+1": "'+1", "@x": "'@x",
		"-3": "-3", "-0.5": "-0.5", "-x": "'-x", "-1+1": "'-1+1", "": ""} {
		if got := spreadsheetSafe(in); got != want {
			t.Errorf("spreadsheetSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzReportsForm(f *testing.F) {
	f.Add("window=custom&from=2026-02-01&to=2026-02-03&platform=x&group_by=team")
	f.Add("window=30d&channel=%00&agent=a%40b")
	f.Add("window=custom&from=2026-02-30&to=2026-01-01")
	f.Add("group_by=&intent=billing&site=%FF")
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 3, 8, 8, 30, 0, 0, time.UTC) // the morning clocks go forward in Chicago
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		rf, err := parseReportsForm(v, []string{"billing"})
		var from, to time.Time
		if err == nil {
			from, to, err = rf.window(now, loc)
		}
		if err != nil {
			var p *input.Problem
			if !errors.As(err, &p) || !v.Has(p.Field) && p.Field != "to" && p.Field != "from" {
				t.Fatalf("%q: %v, want a problem naming one of its keys", raw, err)
			}
			return
		}
		if !from.Before(to) || to.Sub(from) > (maxCustomDays+1)*24*time.Hour {
			t.Fatalf("%q: window %v to %v", raw, from, to)
		}
		for _, s := range []string{rf.Filter.Platform, rf.Filter.Channel, rf.Filter.Team, rf.Filter.Site, rf.Filter.Intent, rf.Filter.Agent} {
			if input.Text("", s, input.MaxFilterBytes) != nil {
				t.Fatalf("%q accepted %q", raw, s)
			}
		}
		// A preset window drops dates it does not use.
		want := rf
		if rf.Window != "custom" {
			want.From, want.To = "", ""
		}
		again, err := parseReportsForm(rf.values(), []string{"billing"})
		if err != nil || again != want {
			t.Fatalf("round trip of %q: %+v vs %+v (%v)", raw, again, rf, err)
		}
	})
}
