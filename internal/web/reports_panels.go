package web

import (
	"cmp"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"earshot/internal/chart"
	"earshot/internal/report"
)

// topN bounds the intents and topics the page lists.
const topN = 10

// panelSpec is what a panel's chart draws from its rows: the column of
// each row's label, and the columns of the values, one series each.
type panelSpec struct {
	labelCol   int
	valueCols  []int
	stacked    bool
	horizontal bool
	format     func(float64) string
}

// numCell is a number for a table: written for people, raw for the CSV.
func numCell(v float64, format func(float64) string, link template.URL) cell {
	return cell{Text: format(v), Raw: strconv.FormatFloat(v, 'f', -1, 64), Link: link}
}

func countCell(n int64, link template.URL) cell {
	return numCell(float64(n), chart.Number, link)
}

// finish draws a panel's chart from its rows' raw values and sets its
// CSV link.
func finish(p *panel, f reportsForm, spec panelSpec) error {
	p.CSV = f.exportURL(p.ID)
	if len(p.Rows) == 0 || len(spec.valueCols) == 0 {
		return nil
	}
	c := chart.Chart{ID: "chart-" + p.ID, Title: p.Title, Stacked: spec.stacked, Horizontal: spec.horizontal, Format: spec.format}
	for _, r := range p.Rows {
		c.Labels = append(c.Labels, r[spec.labelCol].Text)
	}
	for _, col := range spec.valueCols {
		s := chart.Series{Name: p.Columns[col]}
		for _, r := range p.Rows {
			v, err := strconv.ParseFloat(r[col].Raw, 64)
			if err != nil {
				return fmt.Errorf("panel %s: %w", p.ID, err)
			}
			s.Values = append(s.Values, v)
		}
		c.Series = append(c.Series, s)
	}
	svg, err := chart.SVG(c)
	p.SVG = svg
	return err
}

// periodLabel names an interval of a series by its start.
func periodLabel(t time.Time, iv report.Interval) string {
	switch iv {
	case report.Hour:
		return t.Format("Mon 2 Jan 15:04")
	case report.Week:
		return "Week of " + t.Format("2 Jan 2006")
	}
	return t.Format("Mon 2 Jan")
}

// nextStart is the start of the interval after the i-th point of line.
func nextStart(pts []report.Point, i int, to time.Time) time.Time {
	if i+1 < len(pts) {
		return pts[i+1].Start
	}
	return to
}

// reportPanels builds the page's charts. sum is nil when the figures
// cannot be had for this query; the charts over time come from series.
func reportPanels(f reportsForm, sum *report.Summary, series map[string]*report.Series, iv report.Interval, loc *time.Location) ([]panel, error) {
	var out []panel
	add := func(p panel, spec panelSpec) error {
		if err := finish(&p, f, spec); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	}
	// Volume and sentiment over time, a row per interval.
	in, outb, sent := series["inbound"].Lines[0].Points, series["outbound"].Lines[0].Points, series["sentiment"]
	to := series["inbound"].To
	vol := panel{ID: "volume", Title: "Volume over time", Columns: []string{"Period", "Inbound", "Outbound", "Total"},
		Note: "Mentions made in each period, ours (outbound) included. A period links to the cases with a mention in it."}
	senti := panel{ID: "sentiment", Title: "Sentiment over time", Columns: []string{"Period", "Positive", "Neutral", "Negative"},
		Note: "Inbound mentions by sentiment. A period links to the cases with a mention in it."}
	for i, pt := range in {
		start, end := pt.Start.In(loc), nextStart(in, i, to).In(loc)
		link := f.inboxLink("mentioned_from", rfc3339(start), "mentioned_to", rfc3339(end))
		label := cell{Text: periodLabel(start, iv), Raw: rfc3339(start), Link: link}
		vol.Rows = append(vol.Rows, []cell{label, numCell(pt.Value, chart.Number, ""), numCell(outb[i].Value, chart.Number, ""),
			numCell(pt.Value+outb[i].Value, chart.Number, link)})
		senti.Rows = append(senti.Rows, []cell{label, numCell(sent.Lines[0].Points[i].Value, chart.Number, ""),
			numCell(sent.Lines[1].Points[i].Value, chart.Number, ""), numCell(sent.Lines[2].Points[i].Value, chart.Number, "")})
	}
	if err := add(vol, panelSpec{valueCols: []int{1, 2}, stacked: true}); err != nil {
		return nil, err
	}
	if err := add(senti, panelSpec{valueCols: []int{1, 2, 3}, stacked: true}); err != nil {
		return nil, err
	}
	if sum == nil {
		return out, nil
	}
	from, end := sum.From.In(loc), sum.To.In(loc)
	opened := []string{"opened_from", rfc3339(from), "opened_to", rfc3339(end)}
	mentioned := []string{"mentioned_from", rfc3339(from), "mentioned_to", rfc3339(end)}

	// Response time distribution.
	dist := panel{ID: "distribution", Title: "First response time", Columns: []string{"Answered within", "Cases"},
		Note: "How long members waited for our first answer, wall-clock."}
	prev := 0.0
	for _, b := range sum.Cases.FirstResponse.Distribution {
		label := "more than " + minutes(prev)
		if b.UpToMinutes > 0 {
			label = minutes(prev) + " to " + minutes(b.UpToMinutes)
			prev = b.UpToMinutes
		}
		dist.Rows = append(dist.Rows, []cell{{Text: label}, countCell(b.Count, "")})
	}
	if len(dist.Rows) == 0 {
		dist.Empty = "No distribution of first responses for this window."
	}
	if err := add(dist, panelSpec{valueCols: []int{1}, horizontal: true, format: chart.Number}); err != nil {
		return nil, err
	}

	// Per group: response rate, and first response time.
	dim := string(f.GroupBy)
	rate := panel{ID: "response_rate", Title: "Response rate per " + dim, Columns: []string{strings.ToUpper(dim[:1]) + dim[1:], "Response rate", "Answered", "Needed a response"},
		Note: "Answered of the cases opened that needed a response; a " + dim + " links to its cases."}
	times := panel{ID: "first_response", Title: "First response time per " + dim, Columns: []string{rate.Columns[0], "Median (min)", "90th percentile (min)", "Answered"}}
	for _, g := range sum.Groups {
		key, link := groupLink(f, g.Key, opened)
		rate.Rows = append(rate.Rows, []cell{{Text: key, Raw: g.Key, Link: link}, numCell(g.Cases.ResponseRate, chart.Percent, ""),
			countCell(g.Cases.Responded, ""), countCell(g.Cases.NeedResponse, "")})
		times.Rows = append(times.Rows, []cell{{Text: key, Raw: g.Key, Link: link}, numCell(g.Cases.FirstResponse.MedianMinutes, chart.Number, ""),
			numCell(g.Cases.FirstResponse.P90Minutes, chart.Number, ""), countCell(g.Cases.FirstResponse.Count, "")})
	}
	if len(sum.Groups) == 0 {
		rate.Empty, times.Empty = "No groups for this window.", "No groups for this window."
	}
	if err := add(rate, panelSpec{valueCols: []int{1}, horizontal: true, format: chart.Percent}); err != nil {
		return nil, err
	}
	if err := add(times, panelSpec{valueCols: []int{1, 2}, horizontal: true}); err != nil {
		return nil, err
	}

	// Deadline performance per team.
	dl := panel{ID: "deadlines", Title: "Deadline performance per team", Columns: []string{"Team", "Met", "Breached", "Warned", "Due", "Met rate"},
		Note: "Deadlines due in the window. Breached links to the team's cases with a breached deadline."}
	for _, team := range slices.Sorted(maps.Keys(sum.Deadlines.ByTeam)) {
		d := sum.Deadlines.ByTeam[team]
		name := team
		if name == "" {
			name = "(no team)"
		}
		dl.Rows = append(dl.Rows, []cell{{Text: name, Raw: team}, countCell(d.Met, ""),
			countCell(d.Breached, f.inboxLink(with(opened, "team", team, "breached", "1")...)), countCell(d.Warned, ""),
			countCell(d.Due, ""), numCell(d.MetRate, chart.Percent, "")})
	}
	if len(dl.Rows) == 0 {
		dl.Empty = "No deadlines fell due in this window."
	}
	if err := add(dl, panelSpec{valueCols: []int{1, 2}, stacked: true, horizontal: true}); err != nil {
		return nil, err
	}

	// Saves and rating changes.
	c, rt := sum.Cases, sum.Ratings
	saves := panel{ID: "saves", Title: "Saves and rating changes", Columns: []string{"Figure", "Count"},
		Note: "Saves: cases opened negative whose latest member mention is positive. Ratings: reviews whose rating changed."}
	saves.Rows = [][]cell{
		{{Text: "Negative to positive"}, countCell(c.NegativeToPositive, f.inboxLink(with(opened, "first_sentiment", "negative", "sentiment", "positive")...))},
		{{Text: "Opened negative"}, countCell(c.OpenedNegative, f.inboxLink(with(opened, "first_sentiment", "negative")...))},
		{{Text: "Ratings raised"}, countCell(rt.Raised, "")},
		{{Text: "Ratings lowered"}, countCell(rt.Lowered, "")},
		{{Text: "Raised after our reply"}, countCell(rt.RaisedAfterReply, "")},
	}
	for _, k := range slices.Sorted(maps.Keys(rt.ByChange)) {
		saves.Rows = append(saves.Rows, []cell{{Text: "Rating " + strings.ReplaceAll(k, "_to_", " to "), Raw: k}, countCell(rt.ByChange[k], "")})
	}
	if err := add(saves, panelSpec{valueCols: []int{1}, horizontal: true, format: chart.Number}); err != nil {
		return nil, err
	}

	// Spikes: hours well above the usual for that hour and weekday.
	sp := panel{ID: "spikes", Title: "Spikes", Columns: []string{"Hour", "Kind", "Value", "Usual", "Inbound mentions", "Negative"},
		Note: "Hours whose volume or negative share stood well above the usual for that hour and weekday. An hour links to its cases."}
	for _, k := range sum.Spikes {
		start, end := k.Start.In(loc), k.End.In(loc)
		format := chart.Number
		if k.Kind == "negative" {
			format = chart.Percent
		}
		sp.Rows = append(sp.Rows, []cell{{Text: start.Format("Mon 2 Jan 15:04"), Raw: rfc3339(start), Link: f.inboxLink("mentioned_from", rfc3339(start), "mentioned_to", rfc3339(end))},
			{Text: k.Kind}, numCell(k.Value, format, ""), numCell(k.Usual, format, ""), countCell(k.Mentions, ""), countCell(k.Negative, "")})
	}
	if len(sp.Rows) == 0 {
		sp.Empty = "No spikes in this window."
	}
	if err := add(sp, panelSpec{}); err != nil {
		return nil, err
	}

	// Top intents and topics.
	for _, t := range []struct {
		id, title, col, param string
		counts                map[string]int64
	}{
		{"intents", "Top intents", "Intent", "intent", sum.Mentions.ByIntent},
		{"topics", "Top topics", "Topic", "topic", sum.Mentions.ByTopic},
	} {
		p := panel{ID: t.id, Title: t.title, Columns: []string{t.col, "Inbound mentions"},
			Note: "Inbound mentions; one with two " + t.param + "s counts under both."}
		for _, k := range top(t.counts, topN) {
			p.Rows = append(p.Rows, []cell{{Text: k, Link: f.inboxLink(with(mentioned, t.param, k)...)}, countCell(t.counts[k], "")})
		}
		if len(p.Rows) == 0 {
			p.Empty = "None in this window."
		}
		if err := add(p, panelSpec{valueCols: []int{1}, horizontal: true, format: chart.Number}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// groupLink names a group's key and links to its cases opened in the
// window.
func groupLink(f reportsForm, key string, opened []string) (string, template.URL) {
	param := map[report.GroupBy]string{report.GroupChannel: "channel", report.GroupPlatform: "platform", report.GroupTeam: "team",
		report.GroupSite: "site", report.GroupIntent: "intent", report.GroupAgent: "agent"}[f.GroupBy]
	if key == "" {
		if f.GroupBy == report.GroupAgent {
			return "(unassigned)", f.inboxLink(with(opened, "assignee", "unassigned")...)
		}
		return "(none)", ""
	}
	name := key
	if f.GroupBy == report.GroupPlatform {
		name = platformName(key)
	}
	return name, f.inboxLink(with(opened, param, key)...)
}

// top lists the n keys of counts with the largest counts, ties by key.
func top(counts map[string]int64, n int) []string {
	keys := slices.Collect(maps.Keys(counts))
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
	return keys[:min(n, len(keys))]
}
