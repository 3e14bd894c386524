package report_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/internal/report"
)

// truthFile is testdata/replay/truth.json, written by hand: what each
// conversation was, and the figures of the whole replay and of each
// platform, worked out on paper from the conversations (see the
// README there).
type truthFile struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Channels names the platform of each channel: one channel per
	// platform here, so a channel's figures are its platform's.
	Channels      map[string]string       `json:"channels"`
	Labels        []labelTruth            `json:"labels"`
	Conversations []convTruth             `json:"conversations"`
	Totals        figuresTruth            `json:"totals"`
	ByPlatform    map[string]figuresTruth `json:"by_platform"`
	// Windows are shorter windows of the replay, each with its figures.
	Windows []windowTruth `json:"windows"`
}

// windowTruth is the figures of [From, To): the cases opened then, the
// mentions made then, the rating changes made then.
type windowTruth struct {
	Name    string       `json:"name"`
	From    time.Time    `json:"from"`
	To      time.Time    `json:"to"`
	Figures figuresTruth `json:"figures"`
}

// labelTruth is how a person reads one mention (as it stands at the end:
// an edited review as edited).
type labelTruth struct {
	Mention       string `json:"mention"`
	Sentiment     string `json:"sentiment"`
	NeedsResponse bool   `json:"needs_response"`
}

// convTruth is one conversation.
type convTruth struct {
	ID       string `json:"id"`
	Story    string `json:"story"`
	Platform string `json:"platform"`
	Channel  string `json:"channel"`
	// Mentions are the conversation's mentions, the one that opened its
	// case first; NoCase those that belong to no case (our own post that
	// members answered).
	Mentions      []string   `json:"mentions"`
	NoCase        []string   `json:"no_case"`
	OpenedAt      time.Time  `json:"opened_at"`
	NeedsResponse bool       `json:"needs_response"`
	AnsweredAt    *time.Time `json:"answered_at"`
	// FirstResponse is in minutes from the first mention that needed an
	// answer to our first answer after it; NextResponses each later wait.
	FirstResponse  *float64  `json:"first_response"`
	NextResponses  []float64 `json:"next_responses"`
	Resolution     *float64  `json:"resolution"`
	Public         bool      `json:"public"`
	TakenPrivate   bool      `json:"taken_private"`
	SentimentFirst string    `json:"sentiment_first"`
	SentimentLast  string    `json:"sentiment_last"`
	Save           bool      `json:"save"`
	// CaseFirstResponseAt is the case's first_response_at as the case
	// service keeps it, where it differs from AnsweredAt, and
	// CaseFirstResponseWhy why (for the lead to settle).
	CaseFirstResponseAt  *time.Time `json:"case_first_response_at"`
	CaseFirstResponseWhy string     `json:"case_first_response_why"`
	Rating               *struct {
		From       int  `json:"from"`
		To         int  `json:"to"`
		AfterReply bool `json:"after_reply"`
	} `json:"rating"`
}

// figuresTruth is the figures of Summary the replay checks.
type figuresTruth struct {
	Mentions struct {
		Total       int64            `json:"total"`
		Inbound     int64            `json:"inbound"`
		Outbound    int64            `json:"outbound"`
		ByPlatform  map[string]int64 `json:"by_platform"`
		BySentiment map[string]int64 `json:"by_sentiment"`
	} `json:"mentions"`
	Cases struct {
		Opened       int64 `json:"opened"`
		NeedResponse int64 `json:"need_response"`
		Responded    int64 `json:"responded"`
		// Rates are written as the fraction they are, "28/34".
		ResponseRate       fraction       `json:"response_rate"`
		FirstResponse      durationsTruth `json:"first_response"`
		NextResponse       durationsTruth `json:"next_response"`
		Resolution         durationsTruth `json:"resolution"`
		Resolved           int64          `json:"resolved"`
		Public             int64          `json:"public"`
		TakenPrivate       int64          `json:"taken_private"`
		TakePrivateRate    fraction       `json:"take_private_rate"`
		NegativeToPositive int64          `json:"negative_to_positive"`
		OpenedNegative     int64          `json:"opened_negative"`
	} `json:"cases"`
	Ratings report.Ratings `json:"ratings"`
}

// durationsTruth is a set of durations in minutes, with its median and
// 90th percentile by nearest rank and its mean to a tenth, and the count
// per bucket of report.BucketEdges (the last: longer).
type durationsTruth struct {
	Values       []float64 `json:"values"`
	Median       float64   `json:"median"`
	P90          float64   `json:"p90"`
	Mean         float64   `json:"mean"`
	Distribution []int64   `json:"distribution"`
}

// fraction is a rate written "n/d" (or "0").
type fraction struct{ n, d int64 }

func (f *fraction) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	n, d, ok := strings.Cut(s, "/")
	if !ok {
		d = "1"
	}
	var err error
	if f.n, err = strconv.ParseInt(n, 10, 64); err != nil {
		return err
	}
	f.d, err = strconv.ParseInt(d, 10, 64)
	return err
}

func (f fraction) value() float64 {
	if f.d == 0 {
		return 0
	}
	return float64(f.n) / float64(f.d)
}

func loadTruth(t *testing.T) truthFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(replayDir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tf truthFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tf); err != nil {
		t.Fatalf("truth.json: %v", err)
	}
	return tf
}

// TestReplayTruthAddsUp checks the hand-written truth against itself:
// each total is what its conversations add up to, each percentile is at
// its rank among the values listed, and each platform's values are its
// conversations'. It guards the arithmetic done on paper, so that the
// figures are compared with a truth without slips.
func TestReplayTruthAddsUp(t *testing.T) {
	tf := loadTruth(t)
	check := func(scope string, convs []convTruth, f figuresTruth) {
		var need, responded, public, private, neg, saves, resolved int64
		var first, next, resolution []float64
		for _, c := range convs {
			if c.NeedsResponse {
				need++
				if c.FirstResponse != nil {
					responded++
					first = append(first, *c.FirstResponse)
				}
			}
			next = append(next, c.NextResponses...)
			if c.Resolution != nil {
				resolved++
				resolution = append(resolution, *c.Resolution)
			}
			if c.Public {
				public++
				if c.TakenPrivate {
					private++
				}
			}
			if c.SentimentFirst == "negative" {
				neg++
				if c.Save {
					saves++
				}
			}
		}
		fc := f.Cases
		for _, x := range []struct {
			name      string
			got, want int64
		}{
			{"opened", int64(len(convs)), fc.Opened}, {"need_response", need, fc.NeedResponse}, {"responded", responded, fc.Responded},
			{"response_rate numerator", responded, fc.ResponseRate.n}, {"response_rate denominator", need, fc.ResponseRate.d},
			{"resolved", resolved, fc.Resolved}, {"public", public, fc.Public}, {"taken_private", private, fc.TakenPrivate},
			{"take_private_rate numerator", private, fc.TakePrivateRate.n}, {"take_private_rate denominator", public, fc.TakePrivateRate.d},
			{"opened_negative", neg, fc.OpenedNegative}, {"negative_to_positive", saves, fc.NegativeToPositive},
		} {
			if x.got != x.want {
				t.Errorf("%s: conversations add up to %s %d, truth says %d", scope, x.name, x.got, x.want)
			}
		}
		for _, d := range []struct {
			name string
			vals []float64
			dt   durationsTruth
		}{{"first_response", first, fc.FirstResponse}, {"next_response", next, fc.NextResponse}, {"resolution", resolution, fc.Resolution}} {
			checkDurationsTruth(t, scope+" "+d.name, d.vals, d.dt)
		}
	}
	check("totals", tf.Conversations, tf.Totals)
	for p, f := range tf.ByPlatform {
		check(p, onPlatform(tf.Conversations, p), f)
	}
	for _, w := range tf.Windows {
		var in []convTruth
		for _, c := range tf.Conversations {
			if !c.OpenedAt.Before(w.From) && c.OpenedAt.Before(w.To) {
				in = append(in, c)
			}
		}
		check(w.Name, in, w.Figures)
	}
	// Inbound mentions by sentiment are the labels'.
	bySentiment := map[string]map[string]int64{"": {}}
	for _, l := range tf.Labels {
		p, _, _ := strings.Cut(l.Mention, ":")
		if bySentiment[p] == nil {
			bySentiment[p] = map[string]int64{}
		}
		bySentiment[p][l.Sentiment]++
		bySentiment[""][l.Sentiment]++
	}
	for p, f := range tf.ByPlatform {
		if !maps.Equal(bySentiment[p], f.Mentions.BySentiment) {
			t.Errorf("%s: the labels count %v by sentiment, truth says %v", p, bySentiment[p], f.Mentions.BySentiment)
		}
	}
	if !maps.Equal(bySentiment[""], tf.Totals.Mentions.BySentiment) {
		t.Errorf("totals: the labels count %v by sentiment, truth says %v", bySentiment[""], tf.Totals.Mentions.BySentiment)
	}
}

func onPlatform(convs []convTruth, platform string) []convTruth {
	var out []convTruth
	for _, c := range convs {
		if c.Platform == platform {
			out = append(out, c)
		}
	}
	return out
}

// checkDurationsTruth checks a durations truth against the values its
// conversations list.
func checkDurationsTruth(t *testing.T, scope string, vals []float64, dt durationsTruth) {
	t.Helper()
	a, b := slices.Sorted(slices.Values(vals)), slices.Sorted(slices.Values(dt.Values))
	if !slices.Equal(a, b) {
		t.Errorf("%s: conversations give %v, truth lists %v", scope, a, b)
		return
	}
	if len(a) == 0 {
		return
	}
	rank := func(p float64) float64 { return a[int(math.Ceil(p*float64(len(a))))-1] }
	var sum float64
	for _, v := range a {
		sum += v
	}
	if rank(0.5) != dt.Median || rank(0.9) != dt.P90 || math.Round(sum/float64(len(a))*10)/10 != dt.Mean {
		t.Errorf("%s: values %v: median %v p90 %v mean %v, truth %v %v %v", scope, a, rank(0.5), rank(0.9),
			math.Round(sum/float64(len(a))*10)/10, dt.Median, dt.P90, dt.Mean)
	}
	edges := report.BucketEdges()
	dist := make([]int64, len(edges)+1)
	for _, v := range a {
		i, _ := slices.BinarySearch(edges, v)
		dist[i]++
	}
	if !slices.Equal(dist, dt.Distribution) {
		t.Errorf("%s: values %v fall in buckets %v, truth %v", scope, a, dist, dt.Distribution)
	}
}
