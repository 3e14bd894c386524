package notify

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"encoding/base64"
	"fmt"
	htmltemplate "html/template"
	"io"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/wneessen/go-mail"

	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/report"
)

// WeeklyPraise is how many mentions the weekly email's social corner
// shows at most.
const WeeklyPraise = 5

// ChartName is the weekly chart's file name and, in angle brackets, its
// Content-ID: the HTML shows it as cid:volume.png.
const ChartName = "volume.png"

//go:embed weekly.html
var weeklyHTML string

//go:embed weekly.txt
var weeklyText string

var (
	weeklyHTMLTemplate = htmltemplate.Must(htmltemplate.New("weekly.html").Parse(weeklyHTML))
	weeklyTextTemplate = texttemplate.Must(texttemplate.New("weekly.txt").Parse(weeklyText))
)

// Weekly is the weekly report email of one week, rendered.
type Weekly struct {
	// From and To bound the week: [From, To).
	From, To time.Time
	Subject  string
	// Text is the plain-text part; HTML the HTML part, which shows the
	// chart as cid:volume.png; Chart the PNG.
	Text, HTML string
	Chart      []byte
	// view is what the templates read, for HTMLPreview.
	view *weeklyView
}

// weeklyView is what the weekly templates read.
type weeklyView struct {
	Organization string
	Week         string
	Figures      []figure
	Days         []dayRow
	ChartSrc     htmltemplate.URL
	ChartAlt     string
	Praise       []praiseRow
	ReportLink   string
}

// figure is one headline figure and its change against the week before.
type figure struct {
	Label, Value, Change string
}

// dayRow is one day of the chart, in numbers.
type dayRow struct {
	Day string
	dayVolume
}

// praiseRow is one mention of the social corner.
type praiseRow struct {
	Text, Platform, Handle, Link string
	Starred                      bool
}

// BuildWeekly renders the weekly report email of [from, to) from the
// figures of reports: the headline figures against the week before, the
// inbound volume of each day as a chart, and the week's praise (masked
// of health information). publicURL, when o has no base_url, is where
// the email links back to the reports page.
func BuildWeekly(ctx context.Context, reports *report.Reports, o *org.Org, from, to time.Time, publicURL string) (*Weekly, error) {
	loc := reports.Location()
	q := report.Query{From: from, To: to, Location: loc}
	sum, err := reports.Summary(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("weekly report summary: %w", err)
	}
	prev := sum.Previous
	if prev == nil {
		span := to.Sub(from)
		if prev, err = reports.Summary(ctx, report.Query{From: from.Add(-span), To: from, Location: loc}); err != nil {
			return nil, fmt.Errorf("weekly report summary of the week before: %w", err)
		}
	}
	v := &weeklyView{Organization: o.Organization, Week: weekName(from, to, loc)}
	v.Figures = figures(sum, prev)
	var volumes []dayVolume
	var alt []string
	for d := from.In(loc); d.Before(to); d = d.AddDate(0, 0, 1) {
		end := d.AddDate(0, 0, 1)
		if end.After(to) {
			end = to
		}
		day, err := reports.Summary(ctx, report.Query{From: d, To: end, Location: loc})
		if err != nil {
			return nil, fmt.Errorf("weekly report, volume of %s: %w", d.Format(time.DateOnly), err)
		}
		bs := day.Mentions.BySentiment
		dv := dayVolume{Negative: bs[model.SentimentNegative], Neutral: bs[model.SentimentNeutral], Positive: bs[model.SentimentPositive]}
		dv.Other = day.Mentions.Inbound - dv.Total()
		volumes = append(volumes, dv)
		v.Days = append(v.Days, dayRow{Day: d.Format("Mon 2 Jan"), dayVolume: dv})
		alt = append(alt, fmt.Sprintf("%s %d", d.Format("Mon"), dv.Total()))
	}
	chart, err := volumeChart(volumes)
	if err != nil {
		return nil, err
	}
	v.ChartAlt = "Inbound mentions by day: " + strings.Join(alt, ", ")
	praise, err := reports.Praise(ctx, from, to, WeeklyPraise)
	if err != nil {
		return nil, fmt.Errorf("weekly report: %w", err)
	}
	for _, p := range praise {
		v.Praise = append(v.Praise, praiseRow{Text: p.Text, Platform: p.Platform, Handle: p.Handle, Link: webLink(p.URL), Starred: p.Starred})
	}
	if base := strings.TrimRight(cmp.Or(o.BaseURL, publicURL), "/"); base != "" {
		qs := url.Values{"from": {from.In(loc).Format(time.RFC3339)}, "to": {to.In(loc).Format(time.RFC3339)}}
		v.ReportLink = base + "/reports?" + qs.Encode()
	}
	w := &Weekly{From: from, To: to, Chart: chart, view: v,
		Subject: fmt.Sprintf("[Earshot] Weekly report: %s, %s", o.Organization, v.Week)}
	if w.Text, err = render(weeklyTextTemplate.Execute, v); err != nil {
		return nil, err
	}
	v.ChartSrc = htmltemplate.URL("cid:" + ChartName)
	if w.HTML, err = render(weeklyHTMLTemplate.Execute, v); err != nil {
		return nil, err
	}
	return w, nil
}

// HTMLPreview is the HTML part with the chart inline as a data: URL, to
// open in a browser.
func (w *Weekly) HTMLPreview() (string, error) {
	v := *w.view
	v.ChartSrc = htmltemplate.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(w.Chart))
	return render(weeklyHTMLTemplate.Execute, &v)
}

// Message is the email from sender to the addresses to: the plain text,
// the HTML as its alternative, and the chart as an inline part that the
// HTML names by its Content-ID.
func (w *Weekly) Message(sender string, to []string) (*mail.Msg, error) {
	m := mail.NewMsg()
	if err := m.From(sender); err != nil {
		return nil, configError{fmt.Sprintf("smtp from %q: %v", sender, err)}
	}
	if err := m.To(to...); err != nil {
		return nil, configError{fmt.Sprintf("weekly report to: %v", err)}
	}
	m.Subject(w.Subject)
	m.SetDate()
	m.SetBodyString(mail.TypeTextPlain, w.Text)
	m.AddAlternativeString(mail.TypeTextHTML, w.HTML)
	if err := m.EmbedReader(ChartName, bytes.NewReader(w.Chart), mail.WithFileContentType("image/png"),
		mail.WithFileContentID("<"+ChartName+">")); err != nil {
		return nil, fmt.Errorf("weekly report chart: %w", err)
	}
	return m, nil
}

// render executes a template into a string.
func render(exec func(io.Writer, any) error, v *weeklyView) (string, error) {
	var b strings.Builder
	if err := exec(&b, v); err != nil {
		return "", fmt.Errorf("render weekly report: %w", err)
	}
	return b.String(), nil
}

// weekName names [from, to) as "2 Mar to 8 Mar 2026": its days run
// from the send time to the next, so the last is the day before to's.
func weekName(from, to time.Time, loc *time.Location) string {
	last := to.In(loc).AddDate(0, 0, -1)
	return from.In(loc).Format("2 Jan") + " to " + last.Format("2 Jan 2006")
}

// webLink returns u when it is an http or https URL, else "".
func webLink(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return ""
	}
	return p.String()
}
