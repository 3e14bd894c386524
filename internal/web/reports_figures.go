package web

import (
	"math"
	"strconv"
	"time"

	"earshot/internal/chart"
	"earshot/internal/model"
	"earshot/internal/report"
)

// figureKind says how a headline figure is written and compared.
type figureKind int

const (
	countFigure   figureKind = iota // a count: change in per cent
	rateFigure                      // a ratio: change in percentage points
	minutesFigure                   // a duration in minutes: change in per cent, lower is better
)

// figureDef defines one headline figure: how to read it from a summary
// (also the previous window's), and the cases behind it.
type figureDef struct {
	id, name string
	kind     figureKind
	// higherIsWorse: a rise is bad news (negative share, response time).
	higherIsWorse bool
	value         func(*report.Summary) float64
	link          func(opened, mentioned []string) []string
	linkText      string
}

// negativeShare is the share of inbound mentions that were negative.
func negativeShare(s *report.Summary) float64 {
	if s.Mentions.Inbound == 0 {
		return 0
	}
	return float64(s.Mentions.BySentiment[model.SentimentNegative]) / float64(s.Mentions.Inbound)
}

func with(base []string, kv ...string) []string { return append(append([]string(nil), base...), kv...) }

// headlineDefs are the headline figures in the order the page shows
// them.
var headlineDefs = []figureDef{
	{id: "mentions", name: "Mentions", value: func(s *report.Summary) float64 { return float64(s.Mentions.Total) },
		link: func(_, m []string) []string { return m }, linkText: "cases with a mention in the window"},
	{id: "inbound", name: "Inbound", value: func(s *report.Summary) float64 { return float64(s.Mentions.Inbound) },
		link: func(_, m []string) []string { return m }, linkText: "cases with a mention in the window"},
	{id: "negative_share", name: "Negative share", kind: rateFigure, higherIsWorse: true, value: negativeShare,
		link: func(o, _ []string) []string { return with(o, "first_sentiment", model.SentimentNegative) }, linkText: "cases opened negative"},
	{id: "cases_opened", name: "Cases opened", value: func(s *report.Summary) float64 { return float64(s.Cases.Opened) },
		link: func(o, _ []string) []string { return o }, linkText: "cases opened"},
	{id: "response_rate", name: "Response rate", kind: rateFigure, value: func(s *report.Summary) float64 { return s.Cases.ResponseRate },
		link: func(o, _ []string) []string { return with(o, "needs_response", "1", "answered", "no") }, linkText: "cases not answered"},
	{id: "first_response_median", name: "First response, median", kind: minutesFigure, higherIsWorse: true,
		value: func(s *report.Summary) float64 { return s.Cases.FirstResponse.MedianMinutes },
		link:  func(o, _ []string) []string { return with(o, "needs_response", "1", "answered", "yes") }, linkText: "cases answered"},
	{id: "first_response_p90", name: "First response, 90th percentile", kind: minutesFigure, higherIsWorse: true,
		value: func(s *report.Summary) float64 { return s.Cases.FirstResponse.P90Minutes },
		link:  func(o, _ []string) []string { return with(o, "needs_response", "1", "answered", "yes") }, linkText: "cases answered"},
	{id: "saves", name: "Saves (negative to positive)", value: func(s *report.Summary) float64 { return float64(s.Cases.NegativeToPositive) },
		link: func(o, _ []string) []string {
			return with(o, "first_sentiment", model.SentimentNegative, "sentiment", model.SentimentPositive)
		}, linkText: "cases saved"},
	{id: "rating_changes", name: "Rating changes", value: func(s *report.Summary) float64 { return float64(s.Ratings.Changed) },
		link: func(_, m []string) []string { return m }, linkText: "cases with a mention in the window"},
	{id: "take_private_rate", name: "Taken private", kind: rateFigure, value: func(s *report.Summary) float64 { return s.Cases.TakePrivateRate },
		link: func(o, _ []string) []string { return o }, linkText: "cases opened"},
	{id: "deadlines_met", name: "Deadlines met", kind: rateFigure, value: func(s *report.Summary) float64 { return s.Deadlines.MetRate },
		link: func(o, _ []string) []string { return with(o, "breached", "1") }, linkText: "cases with a breached deadline"},
}

// headlineFigures writes the headline figures of sum against its
// previous window, each linking to the cases behind it in [from, to).
func headlineFigures(f reportsForm, sum *report.Summary, from, to time.Time) []figure {
	opened := []string{"opened_from", rfc3339(from), "opened_to", rfc3339(to)}
	mentioned := []string{"mentioned_from", rfc3339(from), "mentioned_to", rfc3339(to)}
	out := make([]figure, 0, len(headlineDefs))
	for _, d := range headlineDefs {
		v := d.value(sum)
		fg := figure{ID: d.id, Name: d.name, Value: formatFigure(d.kind, v), Link: f.inboxLink(d.link(opened, mentioned)...), LinkText: d.linkText,
			Raw: strconv.FormatFloat(v, 'f', -1, 64), Unit: [...]string{countFigure: "count", rateFigure: "ratio", minutesFigure: "minutes"}[d.kind]}
		if sum.Previous == nil {
			fg.Change = "no previous window to compare"
		} else {
			p := d.value(sum.Previous)
			fg.Previous, fg.PrevRaw = formatFigure(d.kind, p), strconv.FormatFloat(p, 'f', -1, 64)
			fg.Change, fg.Trend = change(d.kind, v, p)
			if fg.Trend != "same" && fg.Trend != "" {
				if (fg.Trend == "up") != d.higherIsWorse {
					fg.Trend += " good"
				} else {
					fg.Trend += " bad"
				}
			}
		}
		out = append(out, fg)
	}
	return out
}

// formatFigure writes a figure's value.
func formatFigure(k figureKind, v float64) string {
	switch k {
	case rateFigure:
		return chart.Percent(v)
	case minutesFigure:
		return minutes(v)
	}
	return chart.Number(v)
}

// minutes writes a duration in minutes: "12.5 min", "3.2 h" from two
// hours on.
func minutes(v float64) string {
	if v >= 120 {
		return chart.Number(v/60) + " h"
	}
	return chart.Number(v) + " min"
}

// change says how cur compares with prev, in words with an arrow, and
// its trend: "up", "down" or "same". Rates change in percentage points,
// the rest in per cent of prev.
func change(k figureKind, cur, prev float64) (string, string) {
	if k == rateFigure {
		pts := math.Round((cur-prev)*1000) / 10
		switch {
		case pts > 0:
			return "▲ up " + chart.Number(pts) + " points", "up"
		case pts < 0:
			return "▼ down " + chart.Number(-pts) + " points", "down"
		}
		return "= no change", "same"
	}
	switch {
	case cur == prev:
		return "= no change", "same"
	case prev == 0:
		return "▲ up from none", "up"
	}
	pct := (cur - prev) / prev * 100
	if cur > prev {
		return "▲ up " + chart.Number(pct) + "%", "up"
	}
	return "▼ down " + chart.Number(-pct) + "%", "down"
}
