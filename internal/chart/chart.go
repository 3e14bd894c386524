// Package chart draws small bar charts as SVG on the server, for pages
// that show figures without a script: columns over time (one or several
// series, side by side or stacked) and horizontal bars for categories.
// Every text in a chart (title, labels, series names) goes through
// html/template, so outside text such as an intent or a channel name is
// escaped. A chart is a picture (role="img" with a title); the numbers
// belong in a table beside it.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Series is one named set of values, a value per label.
type Series struct {
	Name   string
	Values []float64
}

// Chart describes a bar chart.
type Chart struct {
	// ID is the SVG element's id, unique on the page; its title's id is
	// ID + "-title".
	ID string
	// Title names the chart for screen readers (the SVG's <title>).
	Title string
	// Labels name the bars: times for columns, categories for bars.
	Labels []string
	// Series hold the values, a value per label each.
	Series []Series
	// Stacked puts the series on top of each other rather than side by
	// side.
	Stacked bool
	// Horizontal draws a bar per label from the left, for categories with
	// long names; otherwise columns rise from the bottom.
	Horizontal bool
	// Format writes a value for the axis; nil writes it with up to one
	// decimal.
	Format func(float64) string
}

// palette holds the series' colours in order; a legend names each, so
// colour is never the only cue.
var palette = [...]string{"#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#4a5568"}

// Colour is the fill of the i-th series.
func Colour(i int) string { return palette[i%len(palette)] }

const (
	width       = 640
	columnsH    = 240
	barH        = 22
	marginL     = 48
	marginLBars = 160
	marginR     = 16
	marginT     = 28
	marginB     = 40
)

type rect struct {
	X, Y, W, H float64
	Fill       string
	Label      string // the bar's label and value, as a tooltip
}

type text struct {
	X, Y   float64
	Anchor string
	Text   string
}

type legendItem struct {
	X, Y float64
	Fill string
	Name string
}

type drawing struct {
	ID, Title     string
	Width, Height float64
	Rects         []rect
	Texts         []text
	Legend        []legendItem
	AxisX, AxisY  float64
	AxisX2        float64
	AxisY2        float64
}

var svg = template.Must(template.New("svg").Parse(`<svg xmlns="http://www.w3.org/2000/svg" id="{{.ID}}" class="chart" role="img" aria-labelledby="{{.ID}}-title" viewBox="0 0 {{.Width}} {{.Height}}" width="{{.Width}}" height="{{.Height}}">` +
	`<title id="{{.ID}}-title">{{.Title}}</title>` +
	`<line x1="{{.AxisX}}" y1="{{.AxisY}}" x2="{{.AxisX2}}" y2="{{.AxisY2}}" stroke="#4a5568" stroke-width="1"></line>` +
	`{{range .Rects}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}"><title>{{.Label}}</title></rect>{{end}}` +
	`{{range .Texts}}<text x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}" font-size="11" fill="#1a202c">{{.Text}}</text>{{end}}` +
	`{{range .Legend}}<rect x="{{.X}}" y="{{.Y}}" width="10" height="10" fill="{{.Fill}}"></rect><text x="{{.X}}" y="{{.Y}}" dx="14" dy="9" font-size="11" fill="#1a202c">{{.Name}}</text>{{end}}` +
	`</svg>`))

// SVG draws c. It refuses a chart whose series do not have a value per
// label, or whose values are negative or not numbers.
func SVG(c Chart) (template.HTML, error) {
	if c.ID == "" {
		return "", errors.New("chart: no id")
	}
	for _, s := range c.Series {
		if len(s.Values) != len(c.Labels) {
			return "", fmt.Errorf("chart %s: series %q has %d values for %d labels", c.ID, s.Name, len(s.Values), len(c.Labels))
		}
		for i, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return "", fmt.Errorf("chart %s: series %q value %d is %v: want a number of at least 0", c.ID, s.Name, i, v)
			}
		}
	}
	format := c.Format
	if format == nil {
		format = Number
	}
	top := niceMax(maxTotal(c))
	d := &drawing{ID: c.ID, Title: c.Title, Width: width}
	if c.Horizontal {
		drawBars(d, c, top, format)
	} else {
		drawColumns(d, c, top, format)
	}
	if len(c.Series) > 1 {
		x := float64(marginL)
		for i, s := range c.Series {
			d.Legend = append(d.Legend, legendItem{X: x, Y: 8, Fill: Colour(i), Name: s.Name})
			x += 24 + 7*float64(len([]rune(s.Name)))
		}
	}
	var buf bytes.Buffer
	if err := svg.Execute(&buf, d); err != nil {
		return "", fmt.Errorf("chart %s: %w", c.ID, err)
	}
	return template.HTML(buf.String()), nil
}

// maxTotal is the longest bar: the largest stack, or the largest value.
func maxTotal(c Chart) float64 {
	m := 0.0
	for i := range c.Labels {
		sum := 0.0
		for _, s := range c.Series {
			if c.Stacked {
				sum += s.Values[i]
			} else {
				sum = max(sum, s.Values[i])
			}
		}
		m = max(m, sum)
	}
	return m
}

// niceMax rounds m up to 1, 2 or 5 times a power of ten (1 when m is 0),
// so that the axis reads in round numbers.
func niceMax(m float64) float64 {
	if m <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(m)))
	for _, f := range []float64{1, 2, 5, 10} {
		if m <= f*p {
			return f * p
		}
	}
	return 10 * p
}

// drawColumns lays the labels along the bottom, values rising.
func drawColumns(d *drawing, c Chart, top float64, format func(float64) string) {
	d.Height = columnsH
	plotW := float64(width - marginL - marginR)
	plotH := float64(columnsH - marginT - marginB)
	base := float64(marginT) + plotH
	d.AxisX, d.AxisY, d.AxisX2, d.AxisY2 = marginL, base, marginL+plotW, base
	d.Texts = append(d.Texts, text{X: marginL - 4, Y: base + 4, Anchor: "end", Text: format(0)},
		text{X: marginL - 4, Y: marginT + 4, Anchor: "end", Text: format(top)})
	n := len(c.Labels)
	if n == 0 {
		return
	}
	slot := plotW / float64(n)
	every := (n + 7) / 8 // at most eight labels along the axis
	for i, label := range c.Labels {
		x := marginL + slot*float64(i)
		y := base
		for k, s := range c.Series {
			v := s.Values[i]
			h := v / top * plotH
			r := rect{Fill: Colour(k), Label: label + " · " + s.Name + ": " + format(v), H: h}
			if c.Stacked || len(c.Series) == 1 {
				r.X, r.W, r.Y = x+slot*0.1, slot*0.8, y-h
				y -= h
			} else {
				w := slot * 0.8 / float64(len(c.Series))
				r.X, r.W, r.Y = x+slot*0.1+w*float64(k), w, base-h
			}
			d.Rects = append(d.Rects, round(r))
		}
		if i%every == 0 {
			d.Texts = append(d.Texts, text{X: round2(x + slot/2), Y: base + 16, Anchor: "middle", Text: label})
		}
	}
}

// drawBars lays the labels down the left, values reaching right.
func drawBars(d *drawing, c Chart, top float64, format func(float64) string) {
	n := len(c.Labels)
	per := float64(barH)
	if !c.Stacked && len(c.Series) > 1 {
		per = float64(barH) * float64(len(c.Series)) * 0.75
	}
	d.Height = round2(float64(marginT+20) + per*float64(max(n, 1)))
	plotW := float64(width - marginLBars - marginR - 48)
	d.AxisX, d.AxisY, d.AxisX2, d.AxisY2 = marginLBars, marginT, marginLBars, d.Height-20
	for i, label := range c.Labels {
		y := marginT + per*float64(i)
		x := float64(marginLBars)
		for k, s := range c.Series {
			v := s.Values[i]
			w := v / top * plotW
			r := rect{Fill: Colour(k), Label: label + " · " + s.Name + ": " + format(v), W: w}
			if c.Stacked || len(c.Series) == 1 {
				r.X, r.Y, r.H = x, y+2, per-4
				x += w
			} else {
				h := (per - 4) / float64(len(c.Series))
				r.X, r.Y, r.H = marginLBars, y+2+h*float64(k), h
			}
			d.Rects = append(d.Rects, round(r))
		}
		d.Texts = append(d.Texts, text{X: marginLBars - 6, Y: round2(y + per/2 + 4), Anchor: "end", Text: clip(label, 24)})
		if len(c.Series) == 1 {
			d.Texts = append(d.Texts, text{X: round2(x + 4), Y: round2(y + per/2 + 4), Anchor: "start", Text: format(c.Series[0].Values[i])})
		}
	}
}

// clip shortens a label to n characters with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func round(r rect) rect {
	r.X, r.Y, r.W, r.H = round2(r.X), round2(r.Y), round2(r.W), round2(r.H)
	return r
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// Number writes v with up to one decimal and its thousands grouped:
// 12, 12.5, 1,250,000.
func Number(v float64) string {
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if frac != "" {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

// Percent writes a ratio as a percentage with up to one decimal: 0.755
// is "75.5%".
func Percent(v float64) string { return Number(v*100) + "%" }
