package web

import (
	"cmp"
	"context"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"sync"
	"time"

	"earshot/internal/model"
	"earshot/internal/report"
)

// cell is one value of a panel's table: the text shown, the raw value
// the CSV holds (the text when empty), and a link to the cases behind
// it.
type cell struct {
	Text string
	Raw  string
	Link template.URL
}

// panel is one chart of the reports page with its numbers: the SVG, a
// table holding the same numbers (for screen readers, and to read them
// exactly), and its CSV. Table, chart and CSV come from the same rows.
type panel struct {
	ID      string
	Title   string
	Note    string
	Columns []string
	Rows    [][]cell
	SVG     template.HTML
	CSV     template.URL
	// Empty says why there is nothing to show.
	Empty string
}

// figure is one headline number with its change against the previous
// window.
type figure struct {
	ID, Name string
	Value    string
	Previous string
	// Change says the change in words and with an arrow (▲ up, ▼ down,
	// = same); Trend is "up", "down" or "same" for the colour, which is
	// never the only cue.
	Change string
	Trend  string
	Link   template.URL
	// LinkText names the cases the link shows.
	LinkText string
	// Raw and PrevRaw are the values for the CSV ("" without a previous
	// window), in Unit: "count", "ratio" or "minutes".
	Raw, PrevRaw, Unit string
}

type reportsData struct {
	base
	Form      reportsForm
	Windows   []reportWindow
	GroupBys  []report.GroupBy
	Platforms []string
	Intents   []string
	Teams     []model.Team
	Sites     []model.Site
	From, To  time.Time
	// Last is the window's last day, as a person names it.
	Last     time.Time
	Zone     string
	Problem  string
	Notice   []string
	Figures  []figure
	Panels   []panel
	Praise   []praiseItem
	Headline template.URL
	// Groups is the CSV of every figure per group, when this build
	// writes it.
	Groups template.URL
}

// reportsPage shows the figures, charts and tables of a window.
func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	ctx := r.Context()
	data := &reportsData{base: s.base(r, u, "Reports"), Windows: reportWindows, GroupBys: report.GroupBys(),
		Platforms: model.Platforms, Intents: s.intents}
	code := http.StatusOK
	f, from, to, err := s.readReportsForm(r)
	if err != nil {
		data.Problem, code = "Those report settings cannot be used: "+err.Error()+"; showing the last 7 days.", http.StatusBadRequest
	}
	data.Form, data.From, data.To, data.Last = f, from, to, to.AddDate(0, 0, -1)
	data.Zone = s.cfg.Reports.Location().String()
	if data.Teams, err = s.cfg.Store.ListTeams(ctx); err != nil {
		s.internal(w, r, err)
		return
	}
	if data.Sites, err = s.cfg.Store.ListSites(ctx); err != nil {
		s.internal(w, r, err)
		return
	}
	rep, err := s.buildReport(ctx, f, from, to)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	data.Figures, data.Panels, data.Notice = rep.figures, rep.panels, rep.notice
	data.Headline = f.exportURL("headline")
	data.Groups = f.exportURL("groups")
	rd := s.reader(u)
	for _, p := range rep.praise {
		item := praiseItem{Praise: p.Praise, Suggested: !p.Starred, Text: rd.Spans(p.Text, nil), Link: safeLink(p.URL)}
		item.Praise.Text, _ = rd.Text(p.Text, nil)
		data.Praise = append(data.Praise, item)
	}
	s.render(w, r, code, "reports", data)
}

// readReportsForm reads the page's query and its window; on a problem
// it returns the default form and window with the error.
func (s *Server) readReportsForm(r *http.Request) (reportsForm, time.Time, time.Time, error) {
	loc := s.cfg.Reports.Location()
	f, err := parseReportsForm(r.URL.Query(), s.intents)
	if err == nil {
		var from, to time.Time
		if from, to, err = f.window(s.cfg.Now(), loc); err == nil {
			return f, from, to, nil
		}
	}
	def, _ := parseReportsForm(nil, s.intents)
	from, to, _ := def.window(s.cfg.Now(), loc)
	return def, from, to, err
}

// builtReport is everything the page and its CSV show.
type builtReport struct {
	summary *report.Summary
	figures []figure
	panels  []panel
	notice  []string
	praise  []report.PraiseItem
}

// buildReport computes the figures and panels of [from, to) for f. The
// summary, the series and the praise are independent reads: they run at
// once, so that the page takes as long as the slowest of them.
func (s *Server) buildReport(ctx context.Context, f reportsForm, from, to time.Time) (*builtReport, error) {
	loc := s.cfg.Reports.Location()
	out := &builtReport{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 5)
	run := func(i int, read func() error) {
		wg.Go(func() {
			if errs[i] = read(); errs[i] != nil {
				cancel()
			}
		})
	}
	run(0, func() error {
		var err error
		out.summary, out.notice, err = s.summary(ctx, f, from, to)
		return err
	})
	iv := seriesInterval(from, to)
	metrics := []string{"inbound", "outbound", "sentiment"}
	got := make([]*report.Series, len(metrics))
	for i, m := range metrics {
		run(1+i, func() error {
			var err error
			got[i], err = s.cfg.Reports.Series(ctx, report.SeriesQuery{Metric: m, Interval: iv, From: from, To: to, Filter: f.Filter, Location: loc})
			return err
		})
	}
	run(4, func() error {
		var err error
		out.praise, err = s.cfg.Reports.Praise(ctx, from, to, 5)
		return err
	})
	wg.Wait()
	// The first error that is not the cancellation another caused.
	slices.SortStableFunc(errs, func(a, b error) int { return cmp.Compare(rank(a), rank(b)) })
	if errs[0] != nil {
		return nil, errs[0]
	}
	series := map[string]*report.Series{}
	for i, m := range metrics {
		series[m] = got[i]
	}
	from, to = from.In(loc), to.In(loc)
	if out.summary != nil {
		out.figures = headlineFigures(f, out.summary, from, to)
	}
	var err error
	if out.panels, err = reportPanels(f, out.summary, series, iv, loc); err != nil {
		return nil, err
	}
	return out, nil
}

// rank orders errors for reporting: a real one first, then a
// cancellation, then none.
func rank(err error) int {
	switch {
	case err == nil:
		return 2
	case errors.Is(err, context.Canceled):
		return 1
	}
	return 0
}

// summary reads the figures of [from, to) for f.
func (s *Server) summary(ctx context.Context, f reportsForm, from, to time.Time) (*report.Summary, []string, error) {
	q := report.Query{From: from, To: to, GroupBy: f.GroupBy, Filter: f.Filter, Location: s.cfg.Reports.Location()}
	sum, err := s.cfg.Reports.Summary(ctx, q)
	return sum, nil, err
}
