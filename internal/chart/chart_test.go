package chart

import (
	"encoding/xml"
	"math"
	"strings"
	"testing"
)

// svgDoc is what the tests read back of a drawn chart.
type svgDoc struct {
	XMLName xml.Name `xml:"svg"`
	Role    string   `xml:"role,attr"`
	Labels  string   `xml:"aria-labelledby,attr"`
	Title   struct {
		ID   string `xml:"id,attr"`
		Text string `xml:",chardata"`
	} `xml:"title"`
	Rects []struct {
		X      float64 `xml:"x,attr"`
		Y      float64 `xml:"y,attr"`
		Width  float64 `xml:"width,attr"`
		Height float64 `xml:"height,attr"`
		Fill   string  `xml:"fill,attr"`
		Tip    string  `xml:"title"`
	} `xml:"rect"`
	Texts []string `xml:"text"`
}

func parse(t *testing.T, c Chart) svgDoc {
	t.Helper()
	out, err := SVG(c)
	if err != nil {
		t.Fatal(err)
	}
	var d svgDoc
	if err := xml.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("not XML: %v\n%s", err, out)
	}
	return d
}

func TestColumnsScaleToTheLargestStack(t *testing.T) {
	// Two days stacked: 3+1 = 4 and 6+2 = 8. The axis tops at 10 (8
	// rounded up to 1, 2 or 5 times a power of ten), so the plot's 172
	// pixels (240 - 28 - 40) hold 17.2 per unit: 3 is 51.6 high, 6 is
	// 103.2, 2 is 34.4.
	d := parse(t, Chart{ID: "vol", Title: "Mentions per day", Labels: []string{"1 Dec", "2 Dec"}, Stacked: true,
		Series: []Series{{Name: "negative", Values: []float64{3, 6}}, {Name: "positive", Values: []float64{1, 2}}}})
	if d.Role != "img" || d.Labels != "vol-title" || d.Title.ID != "vol-title" || d.Title.Text != "Mentions per day" {
		t.Fatalf("role %q labelledby %q title %+v", d.Role, d.Labels, d.Title)
	}
	// Four bars and a legend swatch per series.
	if len(d.Rects) != 6 {
		t.Fatalf("%d rects, want 6", len(d.Rects))
	}
	for i, want := range []struct {
		h, y float64
		tip  string
	}{
		{51.6, 200 - 51.6, "1 Dec · negative: 3"},
		{17.2, 200 - 51.6 - 17.2, "1 Dec · positive: 1"},
		{103.2, 200 - 103.2, "2 Dec · negative: 6"},
		{34.4, 200 - 103.2 - 34.4, "2 Dec · positive: 2"},
	} {
		r := d.Rects[i]
		if math.Abs(r.Height-want.h) > 0.01 || math.Abs(r.Y-want.y) > 0.01 || r.Tip != want.tip {
			t.Errorf("rect %d = %+v, want height %v at y %v, tip %q", i, r, want.h, want.y, want.tip)
		}
	}
	if !strings.Contains(strings.Join(d.Texts, "|"), "10|") {
		t.Errorf("axis texts %q, want the top 10", d.Texts)
	}
}

func TestBarsEscapeOutsideText(t *testing.T) {
	label := `<script>alert("x")</script> & co`
	out, err := SVG(Chart{ID: "ch", Title: "Per channel <b>", Horizontal: true, Labels: []string{label},
		Series: []Series{{Name: "rate", Values: []float64{0.5}}}, Format: Percent})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "<script>") || strings.Contains(string(out), "<b>") {
		t.Fatalf("outside text not escaped: %s", out)
	}
	var d svgDoc
	if err := xml.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	// The label is clipped to 24 characters; the value is written beside
	// the bar, 0.5 as 50%.
	if len(d.Texts) != 2 || d.Texts[0] != clip(label, 24) || d.Texts[1] != "50%" {
		t.Fatalf("texts %q", d.Texts)
	}
	if d.Rects[0].Tip != label+" · rate: 50%" {
		t.Fatalf("tip %q", d.Rects[0].Tip)
	}
}

func TestRefusesValuesItCannotDraw(t *testing.T) {
	for name, c := range map[string]Chart{
		"short":    {ID: "a", Labels: []string{"x", "y"}, Series: []Series{{Name: "s", Values: []float64{1}}}},
		"negative": {ID: "a", Labels: []string{"x"}, Series: []Series{{Name: "s", Values: []float64{-1}}}},
		"nan":      {ID: "a", Labels: []string{"x"}, Series: []Series{{Name: "s", Values: []float64{math.NaN()}}}},
		"no id":    {Labels: []string{"x"}, Series: []Series{{Name: "s", Values: []float64{1}}}},
	} {
		if _, err := SVG(c); err == nil {
			t.Errorf("%s: drawn", name)
		}
	}
}

func TestNiceMax(t *testing.T) {
	for _, tc := range []struct{ in, want float64 }{{0, 1}, {0.3, 0.5}, {1, 1}, {7, 10}, {12, 20}, {180, 200}, {501, 1000}} {
		if got := niceMax(tc.in); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("niceMax(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestNumberAndPercent(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{{0, "0"}, {12, "12"}, {12.46, "12.5"}, {999, "999"}, {1000, "1,000"}, {1250000, "1,250,000"}, {1234.56, "1,234.6"}, {-4500, "-4,500"}} {
		if got := Number(tc.v); got != tc.want {
			t.Errorf("Number(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
	// 2 of 3 is 66.666…%, to a tenth 66.7%.
	if got := Percent(2.0 / 3); got != "66.7%" {
		t.Errorf("Percent(2/3) = %q", got)
	}
}
