package generate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"earshot/internal/model"
)

func jsonl(t testing.TB, opts Options, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := New(opts).WriteJSONL(&buf, n); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSameSeedSameBytes(t *testing.T) {
	for _, opts := range []Options{
		{Seed: 1},
		{Seed: -7, Days: 3},
		{Seed: 42, Start: time.Date(2025, 6, 1, 12, 30, 0, 0, time.UTC), Count: 500},
	} {
		a, b := jsonl(t, opts, 5000), jsonl(t, opts, 5000)
		if !bytes.Equal(a, b) {
			t.Errorf("%+v: two runs differ", opts)
		}
		if n := bytes.Count(a, []byte("\n")); n != 5000 {
			t.Errorf("%+v: %d lines, want 5000", opts, n)
		}
	}
}

func TestSeedsDiffer(t *testing.T) {
	ids := map[string]bool{}
	var outs [][]byte
	for _, seed := range []int64{1, 2, 1 << 40} {
		out := jsonl(t, Options{Seed: seed}, 3000)
		for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
			var m model.Mention
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatal(err)
			}
			if ids[m.ExternalID] {
				t.Fatalf("seed %d: external_id %s also produced by another seed", seed, m.ExternalID)
			}
			ids[m.ExternalID] = true
		}
		for _, o := range outs {
			if bytes.Equal(o, out) {
				t.Fatalf("seed %d: same output as an earlier seed", seed)
			}
		}
		outs = append(outs, out)
	}
}

// The fast encoder must agree with encoding/json byte for byte.
func TestJSONLMatchesEncodingJSON(t *testing.T) {
	const n = 20000
	opts := Options{Seed: 9, Start: time.Date(2026, 3, 1, 8, 0, 0, 123456789, time.FixedZone("", -5*3600)), Count: n}
	out := jsonl(t, opts, n)
	g := New(opts)
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	i := 0
	for sc.Scan() {
		want, err := json.Marshal(g.Next())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sc.Bytes(), want) {
			t.Fatalf("row %d:\n got %s\nwant %s", i, sc.Bytes(), want)
		}
		i++
	}
	if i != n {
		t.Fatalf("%d rows, want %d", i, n)
	}
}

func TestAppendStringEscapes(t *testing.T) {
	for _, s := range []string{"plain", `q"b\`, "a<b>&c", "line\nnext\ttab\r", "\x01\x1f", "emoji 🙏 é", "sep\u2028\u2029x", "€‚"} {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

var urlPrefix = map[string]string{
	"x": "https://x.com/", "facebook": "https://www.facebook.com/lonestarhealth/posts/",
	"instagram": "https://www.instagram.com/p/", "google": "https://maps.google.com/?cid=",
	"yelp": "https://www.yelp.com/biz/", "rss": "https://", "web": "https://",
}

// checkRows validates n rows against the mention contract and the
// generator's promises, and returns them with their labels.
func checkRows(t *testing.T, opts Options, n int) ([]model.Mention, []Label) {
	t.Helper()
	g := New(opts)
	start := opts.Start
	if start.IsZero() {
		start, _ = time.Parse(time.RFC3339, DefaultStart)
	}
	seen := make(map[string]model.Mention, n)
	ms := make([]model.Mention, 0, n)
	ls := make([]Label, 0, n)
	var last time.Time
	fail := func(i int, m model.Mention, format string, a ...any) {
		t.Helper()
		b, _ := json.Marshal(m)
		t.Fatalf("row %d: "+format+"\n%s", append([]any{i}, append(a, b)...)...)
	}
	for i := range n {
		m, l := g.NextLabeled()
		switch {
		case m.Platform == "" || m.ExternalID == "" || m.CreatedAt.IsZero():
			fail(i, m, "missing a required field")
		case m.Author.Handle == "" && m.Author.ID == "":
			fail(i, m, "no author handle or id")
		case m.Text == "" && !(m.Kind == model.KindReview && m.Rating != nil):
			fail(i, m, "empty text outside a rating-only review")
		case !utf8.ValidString(m.Text):
			fail(i, m, "text is not UTF-8")
		case m.Kind == model.KindReview && (m.Rating == nil || *m.Rating < 1 || *m.Rating > 5):
			fail(i, m, "review without a 1-5 rating")
		case m.Kind != model.KindReview && m.Rating != nil:
			fail(i, m, "rating on a %s", m.Kind)
		case m.Kind == model.KindReview && m.Place == "":
			fail(i, m, "review without a place")
		case m.Direction != model.DirectionInbound && m.Direction != model.DirectionOutbound:
			fail(i, m, "bad direction")
		case m.Direction == model.DirectionOutbound && (m.InReplyTo == "" || m.Author.Handle != orgHandle):
			fail(i, m, "outbound row is not our reply")
		case m.CreatedAt.Before(last) || m.CreatedAt.Before(start):
			fail(i, m, "created_at out of order (previous %s, start %s)", last, start)
		case seen[m.ExternalID].ExternalID != "":
			fail(i, m, "duplicate external_id")
		case m.Channel == "":
			fail(i, m, "no channel")
		}
		if m.Kind != model.KindPost && m.Kind != model.KindComment && m.Kind != model.KindReview && m.Kind != model.KindDirectMessage {
			fail(i, m, "bad kind")
		}
		if (m.URL == "") != (m.Kind == model.KindDirectMessage) || m.URL != "" && !strings.HasPrefix(m.URL, urlPrefix[m.Platform]) {
			fail(i, m, "URL not shaped like %s", m.Platform)
		}
		for _, ref := range []string{m.InReplyTo, m.ThreadID} {
			if ref == "" {
				continue
			}
			p, ok := seen[ref]
			if !ok || p.Platform != m.Platform {
				fail(i, m, "reference %s is not an earlier mention on the same platform", ref)
			}
		}
		if (m.InReplyTo == "") != (m.ThreadID == "") {
			fail(i, m, "in_reply_to and thread_id must come together")
		}
		if m.ThreadID != "" && seen[m.ThreadID].ThreadID != "" {
			fail(i, m, "thread_id is not the thread's first mention")
		}
		if l.Category == "" || l.Sentiment == "" || l.Topic == "" {
			fail(i, m, "incomplete label %+v", l)
		}
		if (l.Category == CategoryResponse) != (m.Direction == model.DirectionOutbound) {
			fail(i, m, "label %q does not match direction", l.Category)
		}
		last = m.CreatedAt
		seen[m.ExternalID] = m
		ms = append(ms, m)
		ls = append(ls, l)
	}
	return ms, ls
}

func TestRowsFollowContract(t *testing.T) {
	for _, opts := range []Options{
		{Seed: 3},
		{Seed: 4, Days: 1, Count: 50000},
		{Seed: 5, Start: time.Date(2026, 7, 4, 15, 4, 5, 6, time.UTC), PerDay: 200},
	} {
		checkRows(t, opts, 50000)
	}
}

func TestUniqueExternalIDs(t *testing.T) {
	g := New(Options{Seed: 11, Count: 100000})
	seen := make(map[string]bool, 100000)
	for i := range 100000 {
		m := g.Next()
		if seen[m.ExternalID] {
			t.Fatalf("row %d: duplicate external_id %s", i, m.ExternalID)
		}
		seen[m.ExternalID] = true
	}
}

func TestStartAndSpan(t *testing.T) {
	start := time.Date(2026, 2, 2, 9, 15, 30, 500, time.FixedZone("CST", -6*3600))
	const n, days = 40000, 30
	g := New(Options{Seed: 8, Start: start, Days: days, Count: n})
	var first, last time.Time
	var byHour [24]int
	for i := range n {
		m := g.Next()
		if i == 0 {
			first = m.CreatedAt
		}
		last = m.CreatedAt
		byHour[m.CreatedAt.Hour()]++
	}
	if first.Before(start) || first.Sub(start) > time.Hour {
		t.Errorf("first mention at %s, want shortly after %s", first, start)
	}
	if first.Location() != start.Location() || first.Nanosecond() != start.Nanosecond() {
		t.Errorf("first mention %s lost Start's location or fraction", first)
	}
	if span := last.Sub(start).Hours() / 24; span < days*0.93 || span > days*1.07 {
		t.Errorf("%d mentions span %.1f days, want about %d", n, span, days)
	}
	if byHour[3]*3 > byHour[11] {
		t.Errorf("no daily rhythm: %d mentions at 3am, %d at 11am", byHour[3], byHour[11])
	}
}

func TestMixIsPlausible(t *testing.T) {
	const n = 100000
	ms, ls := checkRows(t, Options{Seed: 1, Count: n}, n)
	share := map[string]float64{}
	for i, m := range ms {
		l := ls[i]
		share["platform/"+m.Platform]++
		share["kind/"+m.Kind]++
		share["direction/"+m.Direction]++
		share["category/"+l.Category]++
		if l.PHI {
			share["phi"]++
		}
		if m.InReplyTo != "" {
			share["reply"]++
		}
		if m.Author.Followers >= 10000 && m.Direction == model.DirectionInbound {
			share["author/10k+"]++
		}
	}
	for k := range share {
		share[k] /= n
	}
	for _, c := range []struct {
		key    string
		lo, hi float64
	}{
		{"platform/x", 0.20, 0.45}, {"platform/facebook", 0.20, 0.45}, {"platform/instagram", 0.05, 0.20},
		{"platform/google", 0.08, 0.25}, {"platform/yelp", 0.03, 0.12}, {"platform/rss", 0.005, 0.04},
		{"platform/web", 0.005, 0.04},
		{"kind/review", 0.10, 0.30}, {"kind/direct_message", 0.08, 0.30}, {"kind/comment", 0.15, 0.50},
		{"direction/outbound", 0.10, 0.30},
		{"category/complaint", 0.20, 0.45}, {"category/question", 0.08, 0.25}, {"category/praise", 0.10, 0.30},
		{"category/crisis", 0.0015, 0.005}, {"phi", 0.02, 0.12}, {"reply", 0.25, 0.55},
		{"author/10k+", 0.002, 0.08},
	} {
		if s := share[c.key]; s < c.lo || s > c.hi {
			t.Errorf("%s share %.4f, want %.4f..%.4f", c.key, s, c.lo, c.hi)
		}
	}
	t.Logf("shares over %d rows: %v", n, share)

	texts := map[string]bool{}
	for _, m := range ms {
		texts[m.Text] = true
	}
	if len(texts) < n/4 {
		t.Errorf("only %d distinct texts in %d rows", len(texts), n)
	}
}

var (
	memberIDRe = regexp.MustCompile(`\b[A-Z]{3}[0-9]{9}\b`)
	phoneRe    = regexp.MustCompile(`\(?\b[0-9]{3}\)?[ -]555-01[0-9]{2}\b`)
	dobRe      = regexp.MustCompile(`\b[0-9]{1,2}/[0-9]{1,2}/(19|20)[0-9]{2}\b`)
	claimRe    = regexp.MustCompile(`\b26[0-9]{9}\b`)
)

func TestPHIPlantedOnlyWhereLabelled(t *testing.T) {
	ms, ls := checkRows(t, Options{Seed: 21}, 30000)
	planted := 0
	for i, m := range ms {
		has := memberIDRe.MatchString(m.Text) || phoneRe.MatchString(m.Text) || dobRe.MatchString(m.Text) || claimRe.MatchString(m.Text)
		if has != ls[i].PHI {
			t.Fatalf("row %d: PHI in text %v, label %v: %q", i, has, ls[i].PHI, m.Text)
		}
		if has && m.Direction == model.DirectionOutbound {
			t.Fatalf("row %d: our reply carries PHI: %q", i, m.Text)
		}
		if has && m.Kind != model.KindDirectMessage {
			planted++
		}
	}
	if planted == 0 {
		t.Error("no PHI in public posts")
	}
}

func TestRatingsMatchText(t *testing.T) {
	ms, ls := checkRows(t, Options{Seed: 13}, 30000)
	var got [6]int
	for i, m := range ms {
		if m.Rating == nil {
			continue
		}
		r := *m.Rating
		got[r]++
		switch ls[i].Category {
		case CategoryPraise:
			if r < 3 {
				t.Fatalf("row %d: praise rated %d: %q", i, r, m.Text)
			}
		case CategoryComplaint:
			if r > 3 {
				t.Fatalf("row %d: complaint rated %d: %q", i, r, m.Text)
			}
		}
	}
	for r := 1; r <= 5; r++ {
		if got[r] == 0 {
			t.Errorf("no %d-star reviews: %v", r, got)
		}
	}
}

func TestConversationsForm(t *testing.T) {
	ms, ls := checkRows(t, Options{Seed: 17}, 50000)
	byAuthor := map[string]int{}
	positiveTurn, dmAfterPublic := 0, 0
	index := map[string]int{}
	for i, m := range ms {
		index[m.ExternalID] = i
		byAuthor[m.Platform+"/"+m.Author.Key()]++
		if m.InReplyTo == "" || m.Direction == model.DirectionOutbound {
			continue
		}
		parent := ms[index[m.InReplyTo]]
		if parent.Direction == model.DirectionOutbound && ls[i].Sentiment == "positive" {
			positiveTurn++
		}
		if m.Kind == model.KindDirectMessage && ms[index[m.ThreadID]].Kind != model.KindDirectMessage {
			dmAfterPublic++
		}
	}
	repeat := 0
	for k, n := range byAuthor {
		if n >= 5 && !strings.HasSuffix(k, "/"+ourAuthor(pX).ID) {
			repeat++
		}
	}
	if repeat < 20 {
		t.Errorf("only %d authors posted 5+ times", repeat)
	}
	if positiveTurn < 100 {
		t.Errorf("only %d members turned positive after our reply", positiveTurn)
	}
	if dmAfterPublic < 100 {
		t.Errorf("only %d public conversations moved to DM", dmAfterPublic)
	}
}

func TestMemoryStaysBounded(t *testing.T) {
	// A flood: many mentions per second keeps many conversations open.
	g := New(Options{Seed: 2, Days: 1, Count: 50_000_000})
	peak := 0
	for range 300000 {
		g.step()
		peak = max(peak, len(g.pending))
	}
	if peak > maxPending {
		t.Errorf("pending window grew to %d, cap %d", peak, maxPending)
	}
	for p, pl := range g.pools {
		if len(pl.recs) > 20000 {
			t.Errorf("platform %s pool has %d authors", platNames[p], len(pl.recs))
		}
	}
}

// Every {slot} in every table must be one fill knows.
func TestTablesUseKnownSlots(t *testing.T) {
	known := map[string]bool{}
	for _, s := range slotNames {
		known[s] = true
	}
	var all []string
	for _, tp := range topics {
		if tp.weight <= 0 || len(tp.social)+len(tp.review) == 0 {
			t.Errorf("topic %s/%s has no weight or phrases", catNames[tp.cat], tp.name)
		}
		if len(tp.review) > 0 && (tp.stars[0] < 1 || tp.stars[1] > 5 || tp.stars[0] > tp.stars[1]) {
			t.Errorf("topic %s/%s reviews have bad stars %v", catNames[tp.cat], tp.name, tp.stars)
		}
		all = append(append(all, tp.social...), tp.review...)
	}
	for _, n := range news {
		all = append(all, n.headline, n.lede)
	}
	for _, l := range [][]string{replyComplaintPublic, replyPraise, replyNeutral,
		replyReviewNegative, replyReviewPositive, replySelfHarm, replyEmergency, replyThreat,
		replyEscalate, replyGlad, replyAskDetails, followDMSent,
		followNegative, followPublicPositive, followPublicNegative, followPraise, followCrisis,
		commentAgree, commentAdvice, commentSupport, commentNeutral, commentCrisis, phiSentences} {
		all = append(all, l...)
	}
	for _, m := range []map[string][]string{replyQuestion, replyDM, followDetails, followPositive, reviewUpdates} {
		if len(m[""]) == 0 {
			t.Errorf("topic table without generic phrases: %v", m)
		}
		for _, l := range m {
			all = append(all, l...)
		}
	}
	slotRe := regexp.MustCompile(`\{([^}]*)\}`)
	for _, s := range all {
		for _, m := range slotRe.FindAllStringSubmatch(s, -1) {
			if !known[m[1]] {
				t.Errorf("unknown slot {%s} in %q", m[1], s)
			}
		}
		if strings.Count(s, "{") != strings.Count(s, "}") {
			t.Errorf("unbalanced braces in %q", s)
		}
	}
	// Our replies never ask about or confirm a member's care in public.
	public := [][]string{replyComplaintPublic, replyPraise, replyReviewNegative, replyReviewPositive}
	for _, l := range replyQuestion {
		public = append(public, l)
	}
	for _, l := range public {
		for _, s := range l {
			for _, bad := range []string{"your claim", "your visit", "your surgery", "your appointment", "{mid}", "{dob}", "{phone}", "{fullname}"} {
				if strings.Contains(strings.ToLower(s), bad) {
					t.Errorf("public reply %q contains %q", s, bad)
				}
			}
		}
	}
}

func TestTypoKeepsUTF8AndIDs(t *testing.T) {
	g := New(Options{Seed: 5})
	for i := range 5000 {
		in := []byte("Hi I can't believe it 🙏 member ID XJH123456789 DOB 3/4/1980 héllo")
		out := g.typo(append([]byte(nil), in...), 0)
		if !utf8.Valid(out) || !bytes.Contains(out, []byte("XJH123456789")) || !bytes.Contains(out, []byte("3/4/1980")) {
			t.Fatalf("try %d: typo broke %q into %q", i, in, out)
		}
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, io.ErrShortWrite
}

func TestWriteJSONLReportsErrors(t *testing.T) {
	w := &failWriter{}
	if err := New(Options{Seed: 1}).WriteJSONL(w, 1000); err == nil || w.n != 1 {
		t.Fatalf("err %v after %d writes, want the writer's error at once", err, w.n)
	}
}

func BenchmarkWriteJSONL(b *testing.B) {
	g := New(Options{Seed: 1, Count: 1_000_000})
	w := bufio.NewWriterSize(io.Discard, 256<<10)
	b.ReportAllocs()
	b.ResetTimer()
	if err := g.WriteJSONL(w, b.N); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mentions/s")
}

func BenchmarkNext(b *testing.B) {
	g := New(Options{Seed: 1, Count: 1_000_000})
	b.ReportAllocs()
	for b.Loop() {
		_ = g.Next()
	}
}

func TestNoStraySpaces(t *testing.T) {
	g := New(Options{Seed: 31})
	for i := range 20000 {
		m := g.Next()
		if m.Text != strings.TrimSpace(m.Text) || strings.Contains(m.Text, "  ") {
			t.Fatalf("row %d: stray spaces in %q", i, m.Text)
		}
	}
}
