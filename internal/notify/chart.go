package notify

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
)

// The weekly chart's size in pixels.
const (
	ChartWidth  = 560
	ChartHeight = 200
)

// Colours of the weekly chart: sentiment as the reports page shows it.
var (
	chartBackground = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	chartGrid       = color.NRGBA{0xe3, 0xe6, 0xea, 0xff}
	chartAxis       = color.NRGBA{0x5f, 0x6b, 0x76, 0xff}
	chartNegative   = color.NRGBA{0xc0, 0x39, 0x2b, 0xff}
	chartNeutral    = color.NRGBA{0x9a, 0xa5, 0xb1, 0xff}
	chartPositive   = color.NRGBA{0x23, 0x8b, 0x57, 0xff}
)

// dayVolume is one day's inbound mentions by sentiment; Other are those
// with none of the three labels.
type dayVolume struct {
	Negative, Neutral, Positive, Other int64
}

// Total is the day's inbound mentions.
func (d dayVolume) Total() int64 { return d.Negative + d.Neutral + d.Positive + d.Other }

// volumeChart draws one stacked bar per day (negative at the foot, then
// neutral and unlabelled, then positive) scaled to the busiest day, over
// grid lines at each quarter of it, as a ChartWidth × ChartHeight PNG.
// It carries no text: the email prints the days and counts beside it,
// where screen readers and text-only clients read them too.
func volumeChart(days []dayVolume) ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, ChartWidth, ChartHeight))
	fill := func(r image.Rectangle, c color.Color) {
		draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
	}
	fill(img.Bounds(), chartBackground)
	const margin, top = 12, 10
	base := ChartHeight - margin // the baseline's y
	height := base - top
	for q := 1; q <= 4; q++ {
		y := base - height*q/4
		fill(image.Rect(margin, y, ChartWidth-margin, y+1), chartGrid)
	}
	var most int64 = 1
	for _, d := range days {
		most = max(most, d.Total())
	}
	if n := len(days); n > 0 {
		slot := (ChartWidth - 2*margin) / n
		bar := slot * 7 / 10
		for i, d := range days {
			x := margin + i*slot + (slot-bar)/2
			y := base
			for _, part := range []struct {
				n int64
				c color.Color
			}{{d.Negative, chartNegative}, {d.Neutral + d.Other, chartNeutral}, {d.Positive, chartPositive}} {
				h := int(part.n * int64(height) / most)
				fill(image.Rect(x, y-h, x+bar, y), part.c)
				y -= h
			}
		}
	}
	fill(image.Rect(margin, base, ChartWidth-margin, base+2), chartAxis)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("encode weekly chart: %w", err)
	}
	return b.Bytes(), nil
}
