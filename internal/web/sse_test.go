package web

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/auth"
	"earshot/internal/events"
	"earshot/internal/model"
	"earshot/internal/store"
)

// sseClient reads one live stream and records what it received.
type sseClient struct {
	mentions map[int64]bool // mention ids of mention_added events
	resyncs  int
	lastID   string
}

// readStream reads server-sent events from res until ctx ends, the
// stream ends, or stop returns true; ready is closed after the first
// line (the stream is subscribed by then).
func readStream(ctx context.Context, res *http.Response, ready chan<- struct{}, c *sseClient, stop func(*sseClient) bool) error {
	defer res.Body.Close()
	go func() { <-ctx.Done(); res.Body.Close() }()
	sc := bufio.NewScanner(res.Body)
	event, first := "", true
	for sc.Scan() {
		l := sc.Text()
		if first {
			close(ready)
			first = false
		}
		switch {
		case strings.HasPrefix(l, "id: "):
			c.lastID = strings.TrimPrefix(l, "id: ")
		case strings.HasPrefix(l, "event: "):
			event = strings.TrimPrefix(l, "event: ")
		case strings.HasPrefix(l, "data: "):
			switch event {
			case "resync":
				c.resyncs++
			case "change":
				var e events.Event
				if err := json.Unmarshal([]byte(strings.TrimPrefix(l, "data: ")), &e); err != nil {
					return fmt.Errorf("bad change event %q: %w", l, err)
				}
				if e.Type == events.MentionAdded {
					if c.mentions[e.MentionID] {
						return fmt.Errorf("mention %d delivered twice", e.MentionID)
					}
					c.mentions[e.MentionID] = true
				}
			}
			if stop(c) {
				return nil
			}
		case l == "":
			event = ""
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("stream ended: %v", sc.Err())
}

// newSessions creates n sessions for the user with email straight in the
// store (signing in n times would spend seconds on password hashing) and
// returns their cookie values.
func newSessions(t *testing.T, st *store.Store, email string, n int, now time.Time) []string {
	t.Helper()
	u, err := st.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = base64.RawURLEncoding.EncodeToString([]byte(rand.Text()))
		if err := st.CreateSession(context.Background(), store.Session{Hash: auth.HashToken(out[i]), UserID: u.ID,
			CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestSSEManyAgents connects 500 signed-in agents to the live stream,
// ingests mentions one by one through the pipeline, and checks that every
// agent received every mention exactly once, with no resync.
func TestSSEManyAgents(t *testing.T) {
	const agents, mentions = 500, 100
	h := newHarness(t)
	secrets := newSessions(t, h.st, "agent@example.org", agents, h.clock.Now())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	tr := &http.Transport{MaxIdleConnsPerHost: agents, MaxConnsPerHost: 0}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	clients := make([]*sseClient, agents)
	errs := make([]error, agents)
	readies := make([]chan struct{}, agents)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range agents {
		req, _ := http.NewRequestWithContext(ctx, "GET", h.srv.URL+"/events", nil)
		req.Header.Set("Accept", "text/event-stream")
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: secrets[i]})
		res, err := hc.Do(req)
		if err != nil {
			t.Fatalf("agent %d: %v", i, err)
		}
		if res.StatusCode != http.StatusOK {
			t.Fatalf("agent %d: status %d", i, res.StatusCode)
		}
		clients[i] = &sseClient{mentions: map[int64]bool{}}
		readies[i] = make(chan struct{})
		wg.Go(func() {
			errs[i] = readStream(ctx, res, readies[i], clients[i], func(c *sseClient) bool { return len(c.mentions) == mentions || c.resyncs > 0 })
		})
	}
	for i, r := range readies {
		select {
		case <-r:
		case <-ctx.Done():
			t.Fatalf("agent %d never got its stream", i)
		}
	}
	connected := time.Since(start)
	if n := h.broker.Subscribers(); n != agents {
		t.Fatalf("broker has %d subscribers, want %d", n, agents)
	}
	start = time.Now()
	want := map[int64]bool{}
	for i := range mentions {
		res, err := h.p.Ingest(ctx, []model.Mention{{Platform: "x", Channel: "acme", ExternalID: "sse" + strconv.Itoa(i), Text: "Still waiting on my card",
			CreatedAt: time.Now().UTC(), Author: model.Author{ID: "u" + strconv.Itoa(i), Handle: "member" + strconv.Itoa(i)}}})
		if err != nil || len(res) != 1 || res[0].ID == 0 {
			t.Fatalf("ingest %d: %+v %v", i, res, err)
		}
		want[res[0].ID] = true
	}
	ingested := time.Since(start)
	wg.Wait()
	delivered := time.Since(start)
	for i, c := range clients {
		if errs[i] != nil {
			t.Fatalf("agent %d: %v (got %d of %d)", i, errs[i], len(c.mentions), mentions)
		}
		if c.resyncs != 0 {
			t.Fatalf("agent %d was told to resync %d times", i, c.resyncs)
		}
		for id := range want {
			if !c.mentions[id] {
				t.Fatalf("agent %d missed mention %d", i, id)
			}
		}
	}
	t.Logf("%d agents connected in %v; %d mentions ingested in %v; all %d events delivered to every agent %v after the first ingest",
		agents, connected.Round(time.Millisecond), mentions, ingested.Round(time.Millisecond), agents*mentions, delivered.Round(time.Millisecond))
}

// TestSSEReplayAndResync checks that a browser reconnecting with
// Last-Event-ID gets the events it missed, and one whose gap is unknown
// is told to resync.
func TestSSEReplayAndResync(t *testing.T) {
	h := newHarness(t)
	secret := newSessions(t, h.st, "agent@example.org", 1, h.clock.Now())[0]
	before := h.broker.Seq()
	for i := range 3 {
		h.broker.Publish(events.Event{Type: events.MentionAdded, CaseID: 1, MentionID: int64(100 + i)})
	}
	tests := []struct {
		name      string
		lastID    string
		mentions  int
		resync    bool
		wantLast  string
		wantFirst int64
	}{
		{"missed three", strconv.FormatInt(before, 10), 3, false, strconv.FormatInt(before+3, 10), 100},
		{"unreadable id", "x", 0, true, "", 0},
		{"id from a previous server life", "999999", 0, true, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "GET", h.srv.URL+"/events", nil)
			req.Header.Set("Last-Event-ID", tt.lastID)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: secret})
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			c := &sseClient{mentions: map[int64]bool{}}
			err = readStream(ctx, res, make(chan struct{}), c, func(c *sseClient) bool {
				return len(c.mentions) == tt.mentions && c.resyncs == map[bool]int{true: 1}[tt.resync]
			})
			if err != nil {
				t.Fatalf("%v (got %d mentions, %d resyncs)", err, len(c.mentions), c.resyncs)
			}
			if tt.mentions > 0 && (!c.mentions[tt.wantFirst] || c.lastID != tt.wantLast) {
				t.Fatalf("replay: mentions %v, last id %q, want %d… and %q", c.mentions, c.lastID, tt.wantFirst, tt.wantLast)
			}
		})
	}
}

// notifyReader reads "notify" events' data from a live stream.
func notifyReader(t *testing.T, ctx context.Context, c *http.Client, url string) <-chan string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("events: status %d", res.StatusCode)
	}
	out := make(chan string, 10)
	sc := bufio.NewScanner(res.Body)
	if !sc.Scan() { // the stream is subscribed once its first line is out
		t.Fatalf("events: %v", sc.Err())
	}
	go func() {
		defer res.Body.Close()
		event := ""
		for sc.Scan() {
			l := sc.Text()
			if strings.HasPrefix(l, "event: ") {
				event = strings.TrimPrefix(l, "event: ")
			}
			if strings.HasPrefix(l, "data: ") && event == "notify" {
				out <- strings.TrimPrefix(l, "data: ")
			}
		}
		close(out)
	}()
	return out
}

// TestLiveNotification checks that an @mention in a note reaches the
// mentioned colleague's open pages at once (with the unread count for the
// badge), not the writer's or anyone else's, and that reading the
// notifications clears the badge everywhere.
func TestLiveNotification(t *testing.T) {
	h := newHarness(t)
	id := h.mention("1", "gil", "Where is my card?")
	agent, sup, admin := h.signIn("agent"), h.signIn("supervisor"), h.signIn("admin")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	agentInbox := notifyReader(t, ctx, agent, h.srv.URL+"/events")
	agentCase := notifyReader(t, ctx, agent, fmt.Sprintf("%s/events?case=%d", h.srv.URL, id))
	supStream := notifyReader(t, ctx, sup, h.srv.URL+"/events")
	adminStream := notifyReader(t, ctx, admin, h.srv.URL+"/events")
	for n := 1; n <= 2; n++ {
		if code, _, _ := h.post(sup, fmt.Sprintf("/cases/%d/note", id), url.Values{"text": {"@agent can you call them back?"}}); code != http.StatusSeeOther {
			t.Fatalf("note: %d", code)
		}
		want := fmt.Sprintf(`{"case_id":%d,"unread":%d}`, id, n)
		for name, ch := range map[string]<-chan string{"inbox": agentInbox, "case": agentCase} {
			select {
			case d := <-ch:
				if d != want {
					t.Fatalf("agent's %s stream: notify %s, want %s", name, d, want)
				}
			case <-ctx.Done():
				t.Fatalf("agent's %s stream got no notify event", name)
			}
		}
	}
	if _, body := h.get(agent, "/"); !strings.Contains(body, `<span id="unread-n">2</span>`) {
		t.Fatal("the badge does not show 2 unread on a fresh page")
	}
	if code, _ := h.get(agent, "/notifications"); code != http.StatusOK {
		t.Fatalf("notifications: %d", code)
	}
	select {
	case d := <-agentInbox:
		if d != `{"case_id":0,"unread":0}` {
			t.Fatalf("after reading: notify %s", d)
		}
	case <-ctx.Done():
		t.Fatal("reading the notifications did not clear the other tabs' badge")
	}
	for name, ch := range map[string]<-chan string{"writer": supStream, "bystander": adminStream} {
		select {
		case d := <-ch:
			t.Fatalf("the %s got a notify event meant for someone else: %s", name, d)
		default:
		}
	}
}
