package report_test

// The replay: customer-care conversations written by hand after the way
// public threads on X, Facebook, Instagram, Google reviews and Yelp go
// (names, handles and ids invented), played through the real pipeline
// and case service on a real store, minute by minute, and the figures
// checked against a truth file written by hand (testdata/replay, see its
// README).

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/connector"
	"earshot/internal/guard"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/outbox"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

const replayDir = "testdata/replay"

// step is one line of script.jsonl: what an agent did, or when the
// platform brought a mention line that does not arrive at its own
// created_at (an edited review, our reply coming back).
type step struct {
	At time.Time `json:"at"`
	// Do is reply, retry, status or hear.
	Do string `json:"do"`
	// CaseOf names the case acted on by one of its mentions,
	// "platform:external_id".
	CaseOf     string `json:"case_of"`
	Visibility string `json:"visibility"`
	Text       string `json:"text"`
	Agent      string `json:"agent"`
	// Delivered is how a reply left: "sent" (the outbox sent it; the
	// platform gave it the id PlatformID, or one of its own), "by_hand"
	// (no reply API: an agent posted it and marked it sent) or "refused"
	// (the platform refused it for good: it failed). A retry step sends
	// the case's latest reply again, delivered as it says.
	Delivered  string `json:"delivered"`
	PlatformID string `json:"platform_id"`
	Status     string `json:"status"`
	// Mention and Line name, for hear, the mention line (1-based) that
	// arrives at At.
	Mention string `json:"mention"`
	Line    int    `json:"line"`
}

// replayData is the replay as read from testdata.
type replayData struct {
	lines [][]byte // mentions.jsonl, one mention per line
	steps []step
	truth truthFile
}

func loadReplay(t *testing.T) *replayData {
	t.Helper()
	d := &replayData{}
	raw, err := os.ReadFile(filepath.Join(replayDir, "mentions.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for l := range bytes.Lines(raw) {
		if l = bytes.TrimSpace(l); len(l) > 0 {
			d.lines = append(d.lines, l)
		}
	}
	f, err := os.Open(filepath.Join(replayDir, "script.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var s step
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			t.Fatalf("script.jsonl line %d: %v", n, err)
		}
		d.steps = append(d.steps, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	d.truth = loadTruth(t)
	return d
}

// event is one moment of the replay: a mention line arriving, or a step.
type event struct {
	at   time.Time
	line int   // 1-based mention line, or 0
	step *step // or nil
}

// timeline orders the replay: each mention line arrives at its
// created_at unless a hear step says when; at the same instant mentions
// come before steps, each in file order.
func (d *replayData) timeline(t *testing.T) []event {
	t.Helper()
	heard := map[int]time.Time{}
	var evs []event
	for i := range d.steps {
		s := &d.steps[i]
		if s.Do == "hear" {
			if s.Line < 1 || s.Line > len(d.lines) {
				t.Fatalf("hear %s: no line %d", s.Mention, s.Line)
			}
			var m struct{ Platform, ExternalID string }
			if err := json.Unmarshal(d.lines[s.Line-1], &struct {
				P *string `json:"platform"`
				E *string `json:"external_id"`
			}{&m.Platform, &m.ExternalID}); err != nil {
				t.Fatal(err)
			}
			if got := m.Platform + ":" + m.ExternalID; got != s.Mention {
				t.Fatalf("hear %s: line %d is %s", s.Mention, s.Line, got)
			}
			heard[s.Line] = s.At
			continue
		}
		evs = append(evs, event{at: s.At, step: s})
	}
	for i, l := range d.lines {
		at, ok := heard[i+1]
		if !ok {
			var m struct {
				CreatedAt time.Time `json:"created_at"`
			}
			if err := json.Unmarshal(l, &m); err != nil {
				t.Fatalf("mentions.jsonl line %d: %v", i+1, err)
			}
			at = m.CreatedAt
		}
		evs = append(evs, event{at: at, line: i + 1})
	}
	slices.SortStableFunc(evs, func(a, b event) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(isStep(a), isStep(b)) // mentions first
	})
	return evs
}

// replayPlatform stands in for every platform with a reply API: it
// takes each reply and gives it the id next, the id under which the
// script's mentions bring it back.
// When refuse is set it refuses the reply for good, as a platform does
// a duplicate post.
type replayPlatform struct {
	next   string
	refuse bool
}

func (p *replayPlatform) Sender(channel, platform string) (connector.Sender, bool) { return p, true }

func (p *replayPlatform) Send(ctx context.Context, out connector.Outgoing) (connector.Sent, error) {
	if p.refuse {
		return connector.Sent{}, &connector.Permanent{Reason: "187 Status is a duplicate"}
	}
	return connector.Sent{ID: p.next}, nil
}

func isStep(e event) int {
	if e.step != nil {
		return 1
	}
	return 0
}

// played is a store the replay was played into.
type played struct {
	st *store.Store
	// caseOf is the case each mention was stored with when it arrived,
	// by "platform:external_id" (0: none then).
	caseOf map[string]int64
	// ids are the stored mention ids, by "platform:external_id".
	ids map[string]int64
	end time.Time
}

// play plays d into a fresh store: each mention through the pipeline as
// `earshot import` and the connectors feed it (ingest.Decode, then
// Ingest) at the moment it arrives, each agent action through the case
// service at its time, and each reply settled as the outbox settles it.
func play(t *testing.T, d *replayData) *played {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	var now time.Time
	clock := func() time.Time { return now }
	live := route.NewLive(nil)
	p := ingest.New(st, analyze.New(), ingest.Options{Routes: live, Now: clock})
	g := guard.New(analyze.New(), guard.WithContacts(cases.Contacts(live)))
	svc := cases.NewService(st, live, g, clock)
	plat := &replayPlatform{}
	ob := outbox.New(st, g, outbox.Options{Connectors: plat, Now: clock})
	pl := &played{st: st, caseOf: map[string]int64{}, ids: map[string]int64{}}
	lastReply := map[int64]int64{} // case -> its latest reply
	// deliver runs the outbox's job for reply replyID of case id in round
	// round, as the platform answers it for s.Delivered, and checks the
	// state it leaves.
	deliver := func(s *step, id, replyID int64, round int) {
		plat.next, plat.refuse = cmp.Or(s.PlatformID, fmt.Sprintf("reply-%d-%d", replyID, round)), s.Delivered == "refused"
		job, _ := json.Marshal(map[string]int64{"case_id": id, "reply_id": replyID, "round": int64(round)})
		if err := ob.Handler()(ctx, store.Job{ID: replyID, Payload: job, MaxAttempts: 3}); err != nil {
			t.Fatalf("%s: outbox: reply on %s: %v", s.At, s.CaseOf, err)
		}
		want, ok := map[string]model.ReplyState{"sent": model.ReplySent, "by_hand": model.ReplyNoConnector, "refused": model.ReplyFailed}[s.Delivered]
		if !ok {
			t.Fatalf("%s: delivered %q: want sent, by_hand or refused", s.At, s.Delivered)
		}
		if got, err := st.Reply(ctx, id, replyID); err != nil || got.State != want {
			t.Fatalf("%s: reply on %s, delivered %q: the outbox left it %s (%v)", s.At, s.CaseOf, s.Delivered, got.State, err)
		}
	}
	caseOf := func(ref string) int64 {
		id := pl.caseOf[ref]
		if id == 0 {
			t.Fatalf("script names %s, which has no case", ref)
		}
		return id
	}
	for _, e := range d.timeline(t) {
		now = e.at
		if e.line > 0 {
			m, err := p.Decode(d.lines[e.line-1])
			if err != nil {
				t.Fatalf("mentions.jsonl line %d: %v", e.line, err)
			}
			rs, err := p.Ingest(ctx, []model.Mention{m})
			if err != nil || rs[0].Err != nil {
				t.Fatalf("ingest line %d: %v %v", e.line, err, rs[0].Err)
			}
			ref := m.Platform + ":" + m.ExternalID
			if _, seen := pl.ids[ref]; !seen {
				pl.caseOf[ref] = rs[0].CaseID
			}
			pl.ids[ref] = rs[0].ID
			continue
		}
		s := e.step
		switch s.Do {
		case "reply":
			id := caseOf(s.CaseOf)
			rp, err := svc.Reply(ctx, cases.Draft{CaseID: id, Author: s.Agent, Text: s.Text, Visibility: model.Visibility(s.Visibility)})
			if err != nil {
				t.Fatalf("%s: reply on %s: %v", s.At, s.CaseOf, err)
			}
			if rp.State != model.ReplyQueued {
				t.Fatalf("%s: reply on %s is %s, want queued", s.At, s.CaseOf, rp.State)
			}
			lastReply[id] = rp.ID
			deliver(s, id, rp.ID, 0)
			if s.Delivered == "by_hand" {
				if err := svc.SentByHand(ctx, id, rp.ID, "", s.Agent); err != nil {
					t.Fatalf("%s: reply on %s sent by hand: %v", s.At, s.CaseOf, err)
				}
			}
		case "retry":
			id := caseOf(s.CaseOf)
			if err := svc.Retry(ctx, id, lastReply[id], s.Agent); err != nil {
				t.Fatalf("%s: retry on %s: %v", s.At, s.CaseOf, err)
			}
			deliver(s, id, lastReply[id], 1)
		case "status":
			if err := svc.SetStatus(ctx, caseOf(s.CaseOf), model.Status(s.Status), s.Agent); err != nil {
				t.Fatalf("%s: status %s on %s: %v", s.At, s.Status, s.CaseOf, err)
			}
		default:
			t.Fatalf("script: do %q: want reply, retry, status or hear", s.Do)
		}
	}
	pl.end = now
	return pl
}

// TestReplayCases checks the replay's cases against the truth, case by
// case: each conversation is one case holding exactly its mentions, our
// own post that opened one is in none, and each case's opening and first
// response are the conversation's.
func TestReplayCases(t *testing.T) {
	ctx := context.Background()
	d := loadReplay(t)
	pl := play(t, d)
	checkLabels(t, pl, d)
	seen := map[int64]string{}
	for _, c := range d.truth.Conversations {
		id := pl.caseOf[c.Mentions[0]]
		if id == 0 {
			t.Errorf("%s: its first mention %s opened no case", c.ID, c.Mentions[0])
			continue
		}
		if other, dup := seen[id]; dup {
			t.Errorf("%s and %s are both case %d", c.ID, other, id)
		}
		seen[id] = c.ID
		got, err := pl.st.GetCase(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var refs []string
		for _, m := range got.Mentions {
			refs = append(refs, m.Platform+":"+m.ExternalID)
		}
		want := slices.Clone(c.Mentions)
		slices.Sort(refs)
		slices.Sort(want)
		if !slices.Equal(refs, want) {
			t.Errorf("%s: case %d holds %v, truth %v", c.ID, id, refs, want)
		}
		for _, ref := range c.NoCase {
			if cid := pl.caseOf[ref]; cid != 0 {
				t.Errorf("%s: %s is in case %d, truth: in none", c.ID, ref, cid)
			}
		}
		if got.Platform != c.Platform || got.Channel != c.Channel {
			t.Errorf("%s: case on %s/%s, truth %s/%s", c.ID, got.Platform, got.Channel, c.Platform, c.Channel)
		}
		if !got.CreatedAt.Equal(c.OpenedAt) {
			t.Errorf("%s: case opened %s, truth %s", c.ID, got.CreatedAt, c.OpenedAt)
		}
		answered := c.AnsweredAt
		if c.CaseFirstResponseAt != nil {
			t.Logf("%s: the case's first response is held to %s, not the truth's %s: %s", c.ID, c.CaseFirstResponseAt, c.AnsweredAt, c.CaseFirstResponseWhy)
			answered = c.CaseFirstResponseAt
		}
		switch {
		case answered == nil && got.FirstResponseAt != nil && c.NeedsResponse:
			t.Errorf("%s: first response at %s, truth: never answered", c.ID, got.FirstResponseAt)
		case answered != nil && (got.FirstResponseAt == nil || !got.FirstResponseAt.Equal(*answered)):
			t.Errorf("%s: first response at %v, truth %s", c.ID, got.FirstResponseAt, answered)
		}
		if got.SentimentFirst != c.SentimentFirst || got.SentimentLast != c.SentimentLast {
			t.Errorf("%s: sentiment %s to %s, truth %s to %s", c.ID, got.SentimentFirst, got.SentimentLast, c.SentimentFirst, c.SentimentLast)
		}
	}
	n, err := pl.st.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(len(d.truth.Conversations)); n.Cases != want {
		t.Errorf("the store holds %d cases, truth %d (one per conversation)", n.Cases, want)
	}
}

// checkLabels checks that the analyser read each mention as the truth
// file does (sentiment, needs a response): the figures count what it
// read, so a disagreement here is the analyser's, not a figure's.
func checkLabels(t *testing.T, pl *played, d *replayData) {
	t.Helper()
	var ids []int64
	for _, l := range d.truth.Labels {
		ids = append(ids, pl.ids[l.Mention])
	}
	got, err := pl.st.MentionAnalyses(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range d.truth.Labels {
		a := got[pl.ids[l.Mention]]
		if a == nil {
			t.Errorf("label for %s: no such mention stored, or no analysis", l.Mention)
			continue
		}
		if a.Sentiment.Label != l.Sentiment || a.NeedsResponse != l.NeedsResponse {
			t.Errorf("%s: analysed as %s, needs_response %v; truth %s, %v", l.Mention, a.Sentiment.Label, a.NeedsResponse, l.Sentiment, l.NeedsResponse)
		}
	}
	if n := int64(len(d.truth.Labels)); n != d.truth.Totals.Mentions.Inbound {
		t.Errorf("truth labels %d mentions, and counts %d inbound", n, d.truth.Totals.Mentions.Inbound)
	}
}
