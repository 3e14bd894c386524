package channels_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"earshot/internal/analyze"
	"earshot/internal/channels"
	"earshot/internal/connector"
	"earshot/internal/ingest"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

const orgYAML = `organization: Acme Health
timezone: America/Chicago
sites:
  - {id: dallas, name: Dallas Medical Center}
channels:
  - {id: news, platform: rss, url: "https://news.example.org/feed", poll: 1m, site: dallas}
  - {id: blog, platform: rss, url: "https://blog.example.org/feed", poll: 1m}
  - {id: reviews, platform: google, account_id: "accounts/1/locations/2", token_env: ACME_GBP_TOKEN, poll: 5m}
  - {id: acme-x, platform: x, account_id: "42", token_env: ACME_X_TOKEN, secret_env: ACME_X_SECRET}
`

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// rig is a Hearing over a test store with the fake platform for every
// platform, on a clock the test moves.
type rig struct {
	t    testing.TB
	ctx  context.Context
	st   *store.Store
	live *route.Live
	fake *fakePlatform
	h    *channels.Hearing
	reg  *prometheus.Registry
	logs *lockedBuffer
	mu   sync.Mutex
	now  time.Time
}

var env = map[string]string{"ACME_X_TOKEN": "x-token", "ACME_X_SECRET": "x-secret"}

func newRig(t testing.TB, st *store.Store, fake *fakePlatform, owner string) *rig {
	t.Helper()
	r := &rig{t: t, ctx: context.Background(), st: st, fake: fake, now: t0, reg: prometheus.NewRegistry(), live: route.NewLive(nil), logs: &lockedBuffer{}}
	r.apply(orgYAML, t0)
	p := ingest.New(st, analyze.New(), ingest.Options{Routes: r.live, Now: r.clock})
	factories := map[string]connector.Factory{"rss": fake.factory, "google": fake.factory, "x": fake.factory}
	r.h = channels.New(channels.Options{Store: st, Pipeline: p, Routes: r.live, Factories: factories,
		Webhooks: map[string]connector.WebhookFactory{"x": fakeWebhookFactory},
		Getenv:   func(k string) string { return env[k] }, Owner: owner, Registerer: r.reg, Now: r.clock,
		Logger: slog.New(slog.NewTextHandler(r.logs, nil))})
	return r
}

func (r *rig) apply(src string, version time.Time) {
	r.t.Helper()
	o, err := org.Parse([]byte(src))
	if err != nil {
		r.t.Fatal(err)
	}
	rt, err := route.Compile(o)
	if err != nil {
		r.t.Fatal(err)
	}
	r.live.Set(rt, version)
}

func (r *rig) clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

func (r *rig) at(d time.Duration) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.now = t0.Add(d)
	return r.now
}

// sweep runs the poll sweep at t0+d.
func (r *rig) sweep(d time.Duration) {
	r.t.Helper()
	if err := r.h.Sweep()(r.ctx, r.at(d)); err != nil {
		r.t.Fatalf("sweep at +%v: %v", d, err)
	}
}

func (r *rig) mentions() int {
	r.t.Helper()
	n, _, err := r.st.MentionCounts(r.ctx, t0.Add(-48*time.Hour), t0.Add(48*time.Hour))
	if err != nil {
		r.t.Fatal(err)
	}
	return n
}

func (r *rig) state(id string) channels.State {
	r.t.Helper()
	states, err := r.h.States(r.ctx, "https://care.example.org/")
	if err != nil {
		r.t.Fatal(err)
	}
	for _, s := range states {
		if s.ID == id {
			return s
		}
	}
	r.t.Fatalf("no state of channel %s in %+v", id, states)
	return channels.State{}
}

func (r *rig) cursor(id string) string {
	r.t.Helper()
	c, err := r.st.ConnectorCursor(r.ctx, id)
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

// TestPollHearsStoresAndKeepsTheCursor polls a feed: what it heard
// reaches the inbox through the pipeline (with the channel's site), the
// cursor is stored, a channel that is not due is left alone, and a
// restart neither loses nor repeats what was heard.
func TestPollHearsStoresAndKeepsTheCursor(t *testing.T) {
	st := storetest.Open(t)
	fake := newFakePlatform()
	r := newRig(t, st, fake, "r1")
	fake.post("news", "n1", "Dallas Medical Center opens a new wing for children", t0.Add(-time.Hour))
	fake.post("news", "n2", "Long waits reported at the emergency room", t0.Add(-30*time.Minute))

	r.sweep(0)
	if n := r.mentions(); n != 2 {
		t.Fatalf("stored %d mentions, want 2", n)
	}
	if c := r.cursor("news"); c != "2" {
		t.Errorf("cursor = %q, want 2", c)
	}
	cs, _, err := st.ListCases(r.ctx, store.CaseFilter{Channel: "news", Limit: 10})
	if err != nil || len(cs) != 2 {
		t.Fatalf("cases of channel news: %d, %v", len(cs), err)
	}
	for _, c := range cs {
		if c.Site != "dallas" || c.Platform != "rss" {
			t.Errorf("case %d: site %q platform %q, want the channel's site dallas on rss", c.ID, c.Site, c.Platform)
		}
	}
	s := r.state("news")
	if s.State != channels.StateHealthy || s.HeardToday != 2 || s.LastHeardAt == nil || s.NextPollAt == nil || !s.NextPollAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("state after the poll: %+v", s)
	}

	// Not due yet: no poll.
	r.sweep(30 * time.Second)
	if n := fake.pollCount("news"); n != 1 {
		t.Errorf("polled %d times before it was due, want 1", n)
	}
	fake.post("news", "n3", "Clinic hours change next week", t0.Add(10*time.Second))
	r.sweep(time.Minute)
	if n := r.mentions(); n != 3 || r.cursor("news") != "3" {
		t.Fatalf("after the second poll: %d mentions, cursor %q", n, r.cursor("news"))
	}

	// A restart (a new Hearing on the same store) goes on from the cursor.
	r2 := newRig(t, st, fake, "r2")
	fake.post("news", "n4", "A fourth story", t0.Add(90*time.Second))
	r2.sweep(2 * time.Minute)
	if n := r2.mentions(); n != 4 {
		t.Errorf("after the restart: %d mentions, want 4", n)
	}
	// A crash after storing but before the cursor moved polls the same
	// again; nothing is stored twice or counted as heard.
	if err := st.SetConnectorCursor(r.ctx, "news", "2", t0); err != nil {
		t.Fatal(err)
	}
	before := r2.state("news").HeardTotal
	r2.sweep(3 * time.Minute)
	if n := r2.mentions(); n != 4 || r2.cursor("news") != "4" {
		t.Errorf("after polling again from an old cursor: %d mentions, cursor %q", n, r2.cursor("news"))
	}
	if got := r2.state("news").HeardTotal; got != before {
		t.Errorf("heard total went from %d to %d on duplicates", before, got)
	}
}

// TestRateLimitAndFailuresDoNotStopOtherChannels makes one channel
// rate limited and then failing: it waits as long as the platform asks,
// then backs off doubling, and says why; the other channel is polled
// all along.
func TestRateLimitAndFailuresDoNotStopOtherChannels(t *testing.T) {
	fake := newFakePlatform()
	r := newRig(t, storetest.Open(t), fake, "r1")
	fake.post("blog", "b1", "A post about the plan's new benefits", t0.Add(-time.Hour))
	fake.setFail("news", &connector.RateLimited{RetryAfter: 10 * time.Minute})

	r.sweep(0)
	if n := r.mentions(); n != 1 {
		t.Fatalf("the healthy channel stored %d, want 1", n)
	}
	s := r.state("news")
	if s.State != channels.StateFailing || !strings.Contains(s.Why, "rate limited") || s.NextPollAt == nil || !s.NextPollAt.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("rate limited channel: %+v", s)
	}
	r.sweep(5 * time.Minute)
	if n := fake.pollCount("news"); n != 1 {
		t.Errorf("polled %d times within the platform's wait, want 1", n)
	}
	if n := fake.pollCount("blog"); n != 2 {
		t.Errorf("the other channel polled %d times, want 2", n)
	}
	fake.setFail("news", &connector.Temporary{Reason: "HTTP 503"})
	r.sweep(10 * time.Minute)
	s = r.state("news")
	// The second failure in a row: 1m doubled twice.
	if s.State != channels.StateFailing || s.Why != "temporary failure: HTTP 503" || !s.NextPollAt.Equal(t0.Add(14*time.Minute)) {
		t.Fatalf("failing channel: %+v", s)
	}
	fake.setFail("news", nil)
	fake.post("news", "n1", "Back again", t0.Add(time.Minute))
	r.sweep(14 * time.Minute)
	if s := r.state("news"); s.State != channels.StateHealthy || s.LastError != "" || r.mentions() != 2 {
		t.Errorf("after recovering: %+v, %d mentions", s, r.mentions())
	}
}

func TestBackoffDoublesUpToFifteenMinutes(t *testing.T) {
	for _, tc := range []struct {
		poll time.Duration
		n    int
		want time.Duration
	}{
		{time.Minute, 1, 2 * time.Minute},
		{time.Minute, 2, 4 * time.Minute},
		{time.Minute, 4, channels.MaxBackoff},
		{time.Minute, 60, channels.MaxBackoff},
		{time.Second, 1, 2 * time.Second},
		{time.Hour, 3, time.Hour},
	} {
		if got := channels.Backoff(tc.poll, tc.n); got != tc.want {
			t.Errorf("Backoff(%v, %d) = %v, want %v", tc.poll, tc.n, got, tc.want)
		}
	}
}

// TestMissingSecretDoesNothingAndSaysSo: a channel whose token is not in
// the environment is not polled, cannot answer, and its state names the
// variable (never a value).
func TestMissingSecretDoesNothingAndSaysSo(t *testing.T) {
	fake := newFakePlatform()
	r := newRig(t, storetest.Open(t), fake, "r1")
	fake.post("reviews", "g1", "Great nurses", t0.Add(-time.Hour))
	r.sweep(0)
	if n := fake.pollCount("reviews"); n != 0 {
		t.Errorf("a channel without its token polled %d times", n)
	}
	if _, ok := r.h.Sender("reviews", "google"); ok {
		t.Error("a channel without its token can answer")
	}
	if _, ok := r.h.Sender("acme-x", "x"); !ok {
		t.Error("the x channel has no sender")
	}
	s := r.state("reviews")
	if s.State != channels.StateMissingSecret || s.Why != "ACME_GBP_TOKEN is not set; the channel does nothing until it is" {
		t.Errorf("state: %+v", s)
	}
	if x := r.state("acme-x"); x.State != channels.StateWebhooksOnly || x.WebhookURL != "https://care.example.org/webhooks/x" {
		t.Errorf("x state: %+v", x)
	}
	if err := r.h.PollNow(r.ctx, "reviews"); !errors.Is(err, channels.ErrNotPolled) {
		t.Errorf("PollNow of a channel without its token = %v", err)
	}
	if _, ok := fake.configs["acme-x"]; !ok || fake.configs["acme-x"].Secret != "x-secret" {
		t.Errorf("x channel built with %+v", fake.configs["acme-x"])
	}
}

// TestReplicasPollEachChannelOnce runs the sweep on several replicas
// of one database at the same moment: each channel is polled once.
func TestReplicasPollEachChannelOnce(t *testing.T) {
	reps := storetest.Replicas(t, 3)
	fake := newFakePlatform()
	fake.post("news", "n1", "One story", t0.Add(-time.Hour))
	var rigs []*rig
	for i, st := range reps {
		rigs = append(rigs, newRig(t, st, fake, "replica-"+string(rune('a'+i))))
	}
	for range 3 {
		var wg sync.WaitGroup
		for _, r := range rigs {
			wg.Go(func() { r.sweep(0) })
		}
		wg.Wait()
	}
	if n := fake.pollCount("news"); n != 1 {
		t.Errorf("news polled %d times by %d replicas, want 1", n, len(rigs))
	}
	if n := fake.pollCount("blog"); n != 1 {
		t.Errorf("blog polled %d times, want 1", n)
	}
	if n := rigs[0].mentions(); n != 1 {
		t.Errorf("stored %d mentions, want 1", n)
	}
}

// TestPollNowAndReload: poll now makes a channel due on the next sweep;
// a new file rebuilds the channels, and the outbox's lookup follows it.
func TestPollNowAndReload(t *testing.T) {
	fake := newFakePlatform()
	r := newRig(t, storetest.Open(t), fake, "r1")
	r.sweep(0)
	r.sweep(time.Second)
	if n := fake.pollCount("news"); n != 1 {
		t.Fatalf("polled %d times", n)
	}
	if err := r.h.PollNow(r.ctx, "news"); err != nil {
		t.Fatal(err)
	}
	r.sweep(2 * time.Second)
	if n := fake.pollCount("news"); n != 2 {
		t.Errorf("after poll now: polled %d times, want 2", n)
	}
	if err := r.h.PollNow(r.ctx, "nope"); !errors.Is(err, channels.ErrNoChannel) {
		t.Errorf("PollNow(nope) = %v", err)
	}
	if err := r.h.PollNow(r.ctx, "acme-x"); !errors.Is(err, channels.ErrNotPolled) {
		t.Errorf("PollNow of a webhook channel = %v", err)
	}
	r.apply(strings.Replace(orgYAML, `  - {id: acme-x, platform: x, account_id: "42", token_env: ACME_X_TOKEN, secret_env: ACME_X_SECRET}
`, "", 1), t0.Add(time.Hour))
	if _, ok := r.h.Sender("acme-x", "x"); ok {
		t.Error("a channel removed from the file still answers")
	}
	states, _ := r.h.States(r.ctx, "")
	if len(states) != 3 {
		t.Errorf("%d channels after the reload, want 3", len(states))
	}
}

// lockedBuffer is a log sink safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestPollOnlyXChannelNeedsNoWebhookSecret: an X channel that polls and
// names no secret is heard by polling, not marked unavailable because
// the X webhook receiver needs a secret it does not have.
func TestPollOnlyXChannelNeedsNoWebhookSecret(t *testing.T) {
	fake := newFakePlatform()
	r := newRig(t, storetest.Open(t), fake, "r1")
	r.h = channels.New(channels.Options{Store: r.st, Pipeline: ingest.New(r.st, analyze.New(), ingest.Options{Routes: r.live, Now: r.clock}),
		Routes: r.live, Factories: map[string]connector.Factory{"rss": fake.factory, "google": fake.factory, "x": fake.factory},
		Webhooks: map[string]connector.WebhookFactory{"x": func(cfgs []connector.Config) (connector.Webhook, error) {
			for _, c := range cfgs {
				if c.Secret == "" {
					return nil, errors.New("no X channel has a secret to check deliveries with")
				}
			}
			return fakeWebhookFactory(cfgs)
		}},
		Getenv: func(k string) string { return env[k] }, Owner: "r1", Now: r.clock})
	r.apply(`organization: Acme Health
timezone: UTC
channels:
  - {id: acme-x, platform: x, account_id: "42", token_env: ACME_X_TOKEN, poll: 1m}
`, t0.Add(time.Second))
	fake.post("acme-x", "x1", "@acme where is my card", t0.Add(-time.Hour))
	r.sweep(time.Minute)
	if s := r.state("acme-x"); s.State != channels.StateHealthy || fake.pollCount("acme-x") != 1 || r.mentions() != 1 {
		t.Errorf("a poll-only X channel without a secret: state %+v, %d polls, %d mentions", s, fake.pollCount("acme-x"), r.mentions())
	}
}
