package report_test

import (
	"bytes"
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/generate"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/report"
	"earshot/internal/store/storetest"
)

// The generated replay: `earshot generate` output, imported as
// `earshot import` does, and the figures of Summary compared with a
// reference computed here from the JSON Lines alone, in a few plain
// loops: which mentions make one case, which case needed an answer, and
// when our first and later answers came.

// refCase is one case as the reference sees it.
type refCase struct {
	platform      string
	opened, last  time.Time
	author        string
	steps         []refStep
	needsResponse bool
}

// refStep is a member's mention that needs an answer, or an answer of ours.
type refStep struct {
	at     time.Time
	answer bool
}

// threadWindow is ingest's default thread window: a member's new post
// joins their open case when it falls within a week of it.
const threadWindow = 7 * 24 * time.Hour

// reference groups ms, in the order given, into cases by the product's
// rule: a mention answering another, or in its thread, is in that one's
// case; a member's other mention, unless a review, joins their open
// case on the platform when it falls within a week of its span (the
// nearest); else it opens one. Our own mentions answer the case they are in; ours that answer
// nothing stored are in none. It returns the cases and the number of
// conversations (threads, counting a mention with no thread as its own).
func reference(ms []model.Mention, needs []bool) ([]*refCase, int) {
	byMention := map[string]*refCase{} // platform + external id
	byAuthor := map[string][]*refCase{}
	threads := map[string]bool{}
	var out []*refCase
	for i, m := range ms {
		key := func(id string) string { return m.Platform + "\x00" + id }
		threads[key(cmpOr(m.ThreadID, m.ExternalID))] = true
		c := byMention[key(m.InReplyTo)]
		if c == nil && m.ThreadID != "" {
			c = byMention[key(m.ThreadID)]
		}
		if c == nil && m.ThreadID != "" {
			c = byMention[key("thread:"+m.ThreadID)]
		}
		if m.Direction == model.DirectionOutbound {
			if c != nil {
				c.steps = append(c.steps, refStep{at: m.CreatedAt, answer: true})
				if m.CreatedAt.After(c.last) {
					c.last = m.CreatedAt
				}
				byMention[key(m.ExternalID)] = c
				if m.ThreadID != "" && byMention[key("thread:"+m.ThreadID)] == nil {
					byMention[key("thread:"+m.ThreadID)] = c
				}
			}
			continue
		}
		author := key(m.Author.Key())
		if c == nil && m.Kind != model.KindReview {
			var gap time.Duration
			for _, o := range byAuthor[author] {
				g := time.Duration(0)
				if m.CreatedAt.Before(o.opened) {
					g = o.opened.Sub(m.CreatedAt)
				} else if m.CreatedAt.After(o.last) {
					g = m.CreatedAt.Sub(o.last)
				}
				if g <= threadWindow && (c == nil || g < gap || g == gap && o.last.After(c.last)) {
					c, gap = o, g
				}
			}
		}
		if c == nil {
			c = &refCase{platform: m.Platform, opened: m.CreatedAt, last: m.CreatedAt, author: author}
			byAuthor[author] = append(byAuthor[author], c)
			out = append(out, c)
		}
		if m.CreatedAt.After(c.last) {
			c.last = m.CreatedAt
		}
		if needs[i] {
			c.needsResponse = true
			c.steps = append(c.steps, refStep{at: m.CreatedAt})
		}
		byMention[key(m.ExternalID)] = c
		if m.ThreadID != "" && byMention[key("thread:"+m.ThreadID)] == nil {
			byMention[key("thread:"+m.ThreadID)] = c
		}
	}
	return out, len(threads)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// waits returns c's first response and its later ones: each answer
// after a member's mention that needed one and that no answer of ours
// had followed yet, measured from that mention (at the same instant the
// member's mention comes first).
func (c *refCase) waits() (first *time.Duration, next []time.Duration) {
	steps := slices.Clone(c.steps)
	slices.SortStableFunc(steps, func(a, b refStep) int {
		if a.at.Equal(b.at) {
			return boolInt(a.answer) - boolInt(b.answer)
		}
		return a.at.Compare(b.at)
	})
	var since *time.Time
	for _, s := range steps {
		switch {
		case !s.answer && since == nil:
			at := s.at
			since = &at
		case s.answer && since != nil:
			d := s.at.Sub(*since)
			if first == nil {
				first = &d
			} else {
				next = append(next, d)
			}
			since = nil
		}
	}
	return first, next
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// refFigures are the reference's figures of a set of cases.
type refFigures struct {
	opened, need, responded int64
	first, next             []time.Duration
}

func (f *refFigures) add(c *refCase) {
	f.opened++
	first, next := c.waits()
	if c.needsResponse {
		f.need++
		if first != nil {
			f.responded++
			f.first = append(f.first, *first)
		}
	}
	f.next = append(f.next, next...)
}

// refDurations summarises ds as report.Durations reads: nearest-rank
// median and 90th percentile, mean, in minutes to a tenth.
func refDurations(ds []time.Duration) (n int64, median, p90, mean float64) {
	if len(ds) == 0 {
		return 0, 0, 0, 0
	}
	s := slices.Sorted(slices.Values(ds))
	at := func(p float64) float64 { return tenth(s[int(math.Ceil(p*float64(len(s))))-1].Minutes()) }
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return int64(len(s)), at(0.5), at(0.9), tenth(sum.Minutes() / float64(len(s)))
}

func tenth(x float64) float64 { return math.Round(x*10) / 10 }

// TestGeneratedReplay compares Summary with the reference on 3,000
// generated mentions (seed 21), in all and per platform.
func TestGeneratedReplay(t *testing.T) {
	ctx := context.Background()
	var buf bytes.Buffer
	if err := generate.New(generate.Options{Seed: 21}).WriteJSONL(&buf, 3000); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	an := analyze.New()
	var ms []model.Mention
	var needs []bool
	for l := range bytes.Lines(buf.Bytes()) {
		m, err := ingest.Decode(l, now)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(ms); n > 0 && m.CreatedAt.Before(ms[n-1].CreatedAt) {
			t.Fatalf("generated mentions out of time order at %s", m.ExternalID)
		}
		ms = append(ms, m)
		needs = append(needs, m.Direction != model.DirectionOutbound && an.Analyze(analyze.InputFromMention(&m)).NeedsResponse)
	}
	cases, conversations := reference(ms, needs)

	st := storetest.Open(t)
	p := ingest.New(st, analyze.New(), ingest.Options{})
	if _, err := p.Import(ctx, bytes.NewReader(buf.Bytes()), ingest.ImportOptions{Strict: true}); err != nil {
		t.Fatal(err)
	}
	q := report.Query{From: ms[0].CreatedAt.Add(-time.Hour), To: ms[len(ms)-1].CreatedAt.Add(time.Hour)}
	s, err := report.New(st, report.Options{}).Summary(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	all := &refFigures{}
	byPlatform := map[string]*refFigures{}
	for _, c := range cases {
		all.add(c)
		if byPlatform[c.platform] == nil {
			byPlatform[c.platform] = &refFigures{}
		}
		byPlatform[c.platform].add(c)
	}
	compareRef(t, "all", s.Cases, all)
	n, med, p90, mean := refDurations(all.first)
	t.Logf("%d mentions, %d conversations (threads), %d cases (%.3f cases per conversation); need a response %d, answered %d (%.1f%%); first response: %d, median %v p90 %v mean %v min",
		len(ms), conversations, len(cases), float64(len(cases))/float64(conversations), all.need, all.responded,
		100*float64(all.responded)/float64(all.need), n, med, p90, mean)

	q.GroupBy = report.GroupPlatform
	g, err := report.New(st, report.Options{}).Summary(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, grp := range g.Groups {
		seen[grp.Key] = true
		if f := byPlatform[grp.Key]; f != nil {
			compareRef(t, grp.Key, grp.Cases, f)
		} else if grp.Cases.Opened != 0 {
			t.Errorf("%s: Summary opened %d cases, the reference none", grp.Key, grp.Cases.Opened)
		}
	}
	for p := range byPlatform {
		if !seen[p] {
			t.Errorf("no group for %s", p)
		}
	}
}

func compareRef(t *testing.T, scope string, c report.Cases, f *refFigures) {
	t.Helper()
	if c.Opened != f.opened || c.NeedResponse != f.need || c.Responded != f.responded {
		t.Errorf("%s: opened %d need_response %d responded %d; reference %d %d %d", scope, c.Opened, c.NeedResponse, c.Responded,
			f.opened, f.need, f.responded)
	}
	for _, x := range []struct {
		name string
		got  report.Durations
		want []time.Duration
	}{{"first_response", c.FirstResponse, f.first}, {"next_response", c.NextResponse, f.next}} {
		n, med, p90, mean := refDurations(x.want)
		if x.got.Count != n || x.got.MedianMinutes != med || x.got.P90Minutes != p90 || x.got.MeanMinutes != mean {
			t.Errorf("%s: %s count %d median %v p90 %v mean %v; reference %d %v %v %v", scope, x.name, x.got.Count,
				x.got.MedianMinutes, x.got.P90Minutes, x.got.MeanMinutes, n, med, p90, mean)
		}
	}
}
