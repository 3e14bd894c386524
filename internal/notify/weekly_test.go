package notify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/ingest"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/notify"
	"earshot/internal/notify/smtptest"
	"earshot/internal/report"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

const weeklyOrg = `
organization: Lone Star Health Plan
timezone: America/Chicago
base_url: https://care.example.org
smtp: {host: 127.0.0.1, port: %d, tls: none, from: earshot@example.org}
reports:
  weekly: {to: [comms@example.org, cmo@example.org]}
`

// weeklyMention is a mention of the weekly tests, analysed as said.
type weeklyMention struct {
	id, handle, direction, label string
	score                        float64
	needs                        bool
	text                         string
	at                           time.Time
	inReplyTo                    string
	platform, kind               string
	rating                       int
}

func (w weeklyMention) mention() *model.Mention {
	m := &model.Mention{Platform: cmpOr(w.platform, "x"), ExternalID: w.id, Kind: cmpOr(w.kind, "post"), Direction: w.direction,
		Text: w.text, URL: "https://x.com/" + w.handle + "/status/" + w.id, CreatedAt: w.at, InReplyTo: w.inReplyTo,
		Author:   model.Author{ID: "id-" + w.handle, Handle: w.handle},
		Analysis: &model.Analysis{Sentiment: model.Sentiment{Label: w.label, Score: w.score}, Urgency: model.Urgency{Level: "normal"}, NeedsResponse: w.needs}}
	if w.rating > 0 {
		r := w.rating
		m.Rating = &r
	}
	return m
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestWeeklyReportEmail ingests two weeks of conversations, stars a
// mention, and runs two replicas' runners through the Monday 08:00 send
// time and a restart: the SMTP double receives exactly one email per
// week, to the file's addresses, with every headline figure as computed
// by hand below, the chart as a PNG of ChartWidth × ChartHeight, the
// week's praise with its health information masked, and outside text
// escaped.
func TestWeeklyReportEmail(t *testing.T) {
	ctx := context.Background()
	srv := smtptest.Start(t)
	live := liveOrg(t, fmt.Sprintf(weeklyOrg, srv.Port()))
	// Two replicas: two handles on one database.
	stores := storetest.Replicas(t, 2)
	st := stores[0]
	var clock time.Time
	p := ingest.New(st, analyze.New(), ingest.Options{Routes: live, Now: func() time.Time { return clock }})
	chi, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	at := func(day, hour, min int) time.Time { return time.Date(2026, 4, day, hour, min, 0, 0, chi) }
	at3 := func(day, hour, min int) time.Time { return time.Date(2026, 3, day, hour, min, 0, 0, chi) }
	// The week reported: Monday 6 April 08:00 to Monday 13 April 08:00
	// (CDT); the week before it from Monday 30 March 08:00.
	ms := []weeklyMention{
		// The week before: two negative posts, one answered in 60
		// minutes, and a one-star review left unanswered.
		{id: "p1", handle: "pat", direction: "inbound", label: "negative", score: -0.7, needs: true, text: "My claim was denied again", at: at3(31, 10, 0)},
		{id: "p1r", handle: "lonestar", direction: "outbound", label: "neutral", text: "Sorry, Pat. Please DM us.", at: at3(31, 11, 0), inReplyTo: "p1"},
		{id: "p2", handle: "quinn", direction: "inbound", label: "negative", score: -0.6, needs: true, text: "On hold for an hour", at: at(1, 9, 0)},
		{id: "g1", handle: "gwen", direction: "inbound", label: "negative", score: -0.8, needs: true, text: "Rude front desk", at: at(2, 10, 0),
			platform: "google", kind: "review", rating: 1},
		// The week: A negative, answered in 30 minutes, then thanks
		// (a save); B negative, answered in 90; C a question, answered
		// in 10; D negative, unanswered; E and F praise.
		{id: "a1", handle: "ann", direction: "inbound", label: "negative", score: -0.8, needs: true, text: "My ID card never came", at: at(6, 10, 0)},
		{id: "a2", handle: "lonestar", direction: "outbound", label: "neutral", text: "Sorry, Ann. Please DM us.", at: at(6, 10, 30), inReplyTo: "a1"},
		{id: "a3", handle: "ann", direction: "inbound", label: "positive", score: 0.8, text: "Thanks so much, that fixed it!", at: at(6, 12, 30), inReplyTo: "a2"},
		{id: "b1", handle: "bob", direction: "inbound", label: "negative", score: -0.5, needs: true, text: "Billing charged me twice", at: at(7, 9, 0)},
		{id: "b2", handle: "lonestar", direction: "outbound", label: "neutral", text: "Sorry, Bob. Please DM us.", at: at(7, 10, 30), inReplyTo: "b1"},
		{id: "c1", handle: "cy", direction: "inbound", label: "neutral", score: 0, needs: true, text: "What are your pharmacy hours?", at: at(8, 12, 0)},
		{id: "c2", handle: "lonestar", direction: "outbound", label: "neutral", text: "Open 8 to 8, Cy.", at: at(8, 12, 10), inReplyTo: "c1"},
		{id: "d1", handle: "dee", direction: "inbound", label: "negative", score: -0.9, needs: true, text: "Nobody answers the phone", at: at(9, 20, 0)},
		{id: "e1", handle: "eve", direction: "inbound", label: "positive", score: 0.95, text: "Thank you <b>Dallas</b> team & nurses!", at: at(11, 11, 0)},
		{id: "f1", handle: "fay", direction: "inbound", label: "positive", score: 0.9, text: "Thank you Dr. Patel! My member ID XJH123456789 card came fast.", at: at(12, 15, 0)},
	}
	ids := map[string]int64{}
	for _, w := range ms {
		clock = w.at.Add(time.Minute)
		res, err := p.Store(ctx, []*model.Mention{w.mention()})
		if err != nil {
			t.Fatal(err)
		}
		ids[w.id] = res[0].ID
	}
	// Gwen edits her review from one star to four on Wednesday.
	clock = at(8, 14, 0)
	edit := ms[3]
	edit.text, edit.rating = "Rude front desk, but they called back and fixed it", 4
	if res, err := p.Store(ctx, []*model.Mention{edit.mention()}); err != nil || !res[0].Updated {
		t.Fatalf("edit: %+v %v", res, err)
	}
	if err := st.StarMention(ctx, ids["e1"], "sam@example.org", at(11, 12, 0)); err != nil {
		t.Fatal(err)
	}

	// Each replica (or restart of one) has its own store handle, reports,
	// notifier, sweep and runner, as serve wires them.
	replica := func(name string, st *store.Store, now *time.Time) *jobs.Runner {
		reports := report.New(st, report.Options{Location: func() *time.Location { return live.Router().Location() }})
		n := notify.New(notify.Options{Egress: inside()})
		r := jobs.New(st, jobs.Options{Worker: name, Now: func() time.Time { return *now }})
		r.Every("weekly report", notify.WeeklySweep(st, live))
		r.Handle(notify.JobKindWeeklyReport, n.WeeklyHandler(live, reports))
		return r
	}
	var now time.Time
	a, b := replica("a", stores[0], &now), replica("b", stores[1], &now)
	for _, step := range []struct {
		at   time.Time
		runs []*jobs.Runner
	}{
		{at(13, 7, 59), []*jobs.Runner{a, b}}, // not yet
		{at(13, 8, 0), []*jobs.Runner{a, b}},  // both replicas at the send time
		{at(13, 8, 1), []*jobs.Runner{b, a}},
		{at(13, 9, 0), []*jobs.Runner{replica("a-restarted", stores[0], &now)}}, // a restart forgets what it enqueued
		{at(14, 7, 0), []*jobs.Runner{replica("b-restarted", stores[1], &now)}}, // the next day, still within the catch-up
	} {
		now = step.at
		// The replicas tick at once, as they would.
		errs := make([]error, len(step.runs))
		var wg sync.WaitGroup
		for i, r := range step.runs {
			wg.Go(func() { _, errs[i] = r.Tick(ctx) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("tick at %v: %v", now, err)
		}
		if step.at.Before(at(13, 8, 0)) && len(srv.Messages()) != 0 {
			t.Fatalf("sent before the send time")
		}
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d emails for one week, want 1", len(got))
	}
	msg := got[0]
	if msg.From != "earshot@example.org" || !slices.Equal(msg.To, []string{"comms@example.org", "cmo@example.org"}) {
		t.Errorf("envelope from %q to %v", msg.From, msg.To)
	}
	e := parseWeekly(t, msg.Data)
	if want := "[Earshot] Weekly report: Lone Star Health Plan, 6 Apr to 12 Apr 2026"; e.subject != want {
		t.Errorf("subject %q, want %q", e.subject, want)
	}
	// The figures, by hand:
	// mentions made in the week: a1 a2 a3 b1 b2 c1 c2 d1 e1 f1 = 10
	//   (the week before: p1 p1r p2 g1 = 4; Gwen's edit is no new mention);
	// inbound 7 (a1 a3 b1 c1 d1 e1 f1; before 3: p1 p2 g1);
	// negative 3 of 7 = 42.9% (a1 b1 d1; before 3 of 3 = 100%): -57.1 pts;
	// cases opened 6 (A B C D E F; before 3: P1 P2 G);
	// needing a response 4 (A B C D), answered 3: 75% (before 1 of 3,
	//   33.3%): +41.7 pts;
	// first responses 10, 30, 90 minutes: median 30, p90 90 (nearest
	//   rank: the 2nd and 3rd of 3); before 60 and 60: -30 and +30 min;
	// saves 1 (A went from negative to positive; before 0);
	// ratings changed 1 (Gwen's 1 to 4, edited in the week; before 0).
	for _, want := range []string{
		"- Mentions: 10 (+6)",
		"- Inbound mentions: 7 (+4)",
		"- Negative share of inbound: 42.9% (3 of 7) (-57.1 pts)",
		"- Cases opened: 6 (+3)",
		"- Response rate: 75% (3 of 4 answered) (+41.7 pts)",
		"- First response, median: 30 min (-30 min)",
		"- First response, 90th percentile: 90 min (+30 min)",
		"- Review ratings changed: 1 (1 raised, 0 lowered) (+1)",
	} {
		if !strings.Contains(e.text, want+"\n") {
			t.Errorf("text lacks %q:\n%s", want, e.text)
		}
	}
	if i := strings.Index(e.text, "- Saves (negative to positive): 1"); i < 0 || !strings.HasSuffix(strings.SplitN(e.text[i:], "\n", 2)[0], "(+1)") {
		t.Errorf("saves line wrong:\n%s", e.text)
	}
	// Volume by day, each from 08:00 to 08:00: Mon a1 a3; Tue b1; Wed
	// c1; Thu d1; Fri none; Sat e1; Sun f1.
	for _, want := range []string{
		"- Mon 6 Apr: 2 (1 / 0 / 1)", "- Tue 7 Apr: 1 (1 / 0 / 0)", "- Wed 8 Apr: 1 (0 / 1 / 0)", "- Thu 9 Apr: 1 (1 / 0 / 0)",
		"- Fri 10 Apr: 0 (0 / 0 / 0)", "- Sat 11 Apr: 1 (0 / 0 / 1)", "- Sun 12 Apr: 1 (0 / 0 / 1)",
	} {
		if !strings.Contains(e.text, want+"\n") {
			t.Errorf("text lacks %q", want)
		}
	}
	// Praise: Eve's starred post, then the most positive others of the
	// week: Fay's (0.9) and Ann's thanks (0.8).
	eveAt := strings.Index(e.text, `"Thank you <b>Dallas</b> team & nurses!"`)
	fayAt := strings.Index(e.text, `"Thank you Dr. [name]! My member ID [member id] card came fast."`)
	annAt := strings.Index(e.text, `"Thanks so much, that fixed it!"`)
	if eveAt < 0 || fayAt < eveAt || annAt < fayAt || !strings.Contains(e.text, "@eve on x, https://x.com/eve/status/e1; starred by the team") ||
		!strings.Contains(e.text, "@fay on x, https://x.com/fay/status/f1; suggested") {
		t.Errorf("praise in the text part:\n%s", e.text)
	}
	link := "https://care.example.org/reports?from=2026-04-06T08%3A00%3A00-05%3A00&to=2026-04-13T08%3A00%3A00-05%3A00"
	if !strings.Contains(e.text, link) || !strings.Contains(e.html, strings.ReplaceAll(link, "&", "&amp;")) {
		t.Errorf("no link to the reports page %s", link)
	}
	for _, part := range []string{e.text, e.html} {
		if strings.Contains(part, "XJH123456789") || strings.Contains(part, "Patel") {
			t.Errorf("health information in the email:\n%s", part)
		}
	}
	if !strings.Contains(e.html, "Thank you &lt;b&gt;Dallas&lt;/b&gt; team &amp; nurses!") || strings.Contains(e.html, "<b>Dallas") {
		t.Errorf("outside text not escaped in the HTML:\n%s", e.html)
	}
	if !strings.Contains(e.html, `src="cid:volume.png"`) || !strings.Contains(e.html, "<td>42.9% (3 of 7)</td><td>-57.1 pts</td>") {
		t.Errorf("HTML part:\n%s", e.html)
	}
	if e.chartID != "<volume.png>" {
		t.Errorf("chart Content-ID %q", e.chartID)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(e.chart))
	if err != nil || cfg.Width != notify.ChartWidth || cfg.Height != notify.ChartHeight {
		t.Errorf("chart: %+v %v", cfg, err)
	}
	if _, err := png.Decode(bytes.NewReader(e.chart)); err != nil {
		t.Errorf("chart does not decode: %v", err)
	}

	// The next Monday brings the next week's, once.
	for _, r := range []*jobs.Runner{a, b} {
		now = at(20, 8, 0)
		if _, err := r.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got = srv.Messages()
	if len(got) != 2 {
		t.Fatalf("%d emails after the second week, want 2", len(got))
	}
	if e := parseWeekly(t, got[1].Data); !strings.HasSuffix(e.subject, "13 Apr to 19 Apr 2026") || !strings.Contains(e.text, "- Mentions: 0 (-10)\n") {
		t.Errorf("second week's email: %q\n%s", e.subject, e.text)
	}
}

// weeklyEmail is the parts of a received weekly email.
type weeklyEmail struct {
	subject, text, html string
	chart               []byte
	chartID             string
}

// parseWeekly reads the weekly email as a mail client would: a
// multipart/related of a multipart/alternative (plain text, then HTML)
// and the PNG.
func parseWeekly(t *testing.T, data string) weeklyEmail {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var e weeklyEmail
	if e.subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	var walk func(ct string, body io.Reader, cte, cid string)
	walk = func(ct string, body io.Reader, cte, cid string) {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil {
			t.Fatalf("content type %q: %v", ct, err)
		}
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				part, err := mr.NextRawPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				walk(part.Header.Get("Content-Type"), part, part.Header.Get("Content-Transfer-Encoding"), part.Header.Get("Content-Id"))
			}
		}
		switch strings.ToLower(cte) {
		case "quoted-printable":
			body = quotedprintable.NewReader(body)
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, body)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("%s part: %v", mt, err)
		}
		switch mt {
		case "text/plain":
			e.text = strings.ReplaceAll(string(b), "\r\n", "\n")
		case "text/html":
			e.html = string(b)
		case "image/png":
			e.chart, e.chartID = b, cid
		}
	}
	walk(m.Header.Get("Content-Type"), m.Body, m.Header.Get("Content-Transfer-Encoding"), "")
	if e.text == "" || e.html == "" || e.chart == nil {
		t.Fatalf("email lacks a part (text %d, html %d, png %d bytes):\n%s", len(e.text), len(e.html), len(e.chart), data)
	}
	return e
}

// TestWeeklySweepSendsOnlyNearTheSendTime checks the catch-up: a file
// applied midweek waits for the next send time, a server back within a
// day of it still sends, and a changed address set is a set of its own.
func TestWeeklySweepSendsOnlyNearTheSendTime(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	live := liveOrg(t, fmt.Sprintf(weeklyOrg, 2525))
	chi, _ := time.LoadLocation("America/Chicago")
	count := func() int {
		js, err := st.JobsByKind(ctx, notify.JobKindWeeklyReport)
		if err != nil {
			t.Fatal(err)
		}
		return len(js)
	}
	sweep := notify.WeeklySweep(st, live)
	for _, tc := range []struct {
		at   time.Time
		want int
	}{
		{time.Date(2026, 4, 8, 12, 0, 0, 0, chi), 0},  // Wednesday: last Monday's is two days late
		{time.Date(2026, 4, 13, 7, 59, 0, 0, chi), 0}, // not yet
		{time.Date(2026, 4, 14, 7, 59, 0, 0, chi), 1}, // back 23 h 59 m after the send time
		{time.Date(2026, 4, 14, 8, 0, 0, 0, chi), 1},  // and again: the same week
		{time.Date(2026, 4, 20, 8, 0, 0, 0, chi), 2},  // the next week
	} {
		if err := sweep(ctx, tc.at); err != nil {
			t.Fatal(err)
		}
		if got := count(); got != tc.want {
			t.Fatalf("at %v: %d weekly jobs, want %d", tc.at, got, tc.want)
		}
	}
	other := liveOrg(t, strings.Replace(fmt.Sprintf(weeklyOrg, 2525), "cmo@example.org", "ceo@example.org", 1))
	if err := notify.WeeklySweep(st, other)(ctx, time.Date(2026, 4, 20, 9, 0, 0, 0, chi)); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != 3 {
		t.Fatalf("a new address set: %d weekly jobs, want 3", got)
	}
}
