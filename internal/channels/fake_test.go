package channels_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// fakePlatform is a platform double: each channel's feed is a list of
// posts, its cursor the count already delivered; a test may make the
// next polls of a channel fail.
type fakePlatform struct {
	mu      sync.Mutex
	posts   map[string][]model.Mention // by channel id
	fail    map[string]error           // by channel id
	polls   map[string]int             // by channel id
	configs map[string]connector.Config
	sent    []connector.Outgoing
}

func newFakePlatform() *fakePlatform {
	return &fakePlatform{posts: map[string][]model.Mention{}, fail: map[string]error{}, polls: map[string]int{}, configs: map[string]connector.Config{}}
}

// post adds a post by someone to channel's feed.
func (f *fakePlatform) post(channel, id, text string, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.posts[channel] = append(f.posts[channel], model.Mention{Platform: "rss", ExternalID: id, Text: text, CreatedAt: at,
		URL: "https://news.example.org/" + id, Author: model.Author{ID: "a-" + id, Handle: "writer" + id}})
}

func (f *fakePlatform) setFail(channel string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[channel] = err
}

func (f *fakePlatform) pollCount(channel string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.polls[channel]
}

// factory is a connector.Factory for the fake.
func (f *fakePlatform) factory(cfg connector.Config) (connector.Channel, error) {
	f.mu.Lock()
	f.configs[cfg.ID] = cfg
	f.mu.Unlock()
	return connector.Channel{ID: cfg.ID, Platform: cfg.Platform, Poller: &fakePoller{f: f, cfg: cfg}, Sender: &fakeSender{f: f}}, nil
}

type fakePoller struct {
	f   *fakePlatform
	cfg connector.Config
}

func (p *fakePoller) Poll(ctx context.Context, cursor string) ([]model.Mention, string, error) {
	f := p.f
	f.mu.Lock()
	defer f.mu.Unlock()
	f.polls[p.cfg.ID]++
	if err := f.fail[p.cfg.ID]; err != nil {
		return nil, "", err
	}
	if p.cfg.Auth != nil {
		if tok, err := p.cfg.Auth.Token(ctx); err != nil || tok == "" {
			return nil, "", errors.New("no token")
		}
	}
	n := 0
	if cursor != "" {
		var err error
		if n, err = strconv.Atoi(cursor); err != nil {
			return nil, "", fmt.Errorf("bad cursor %q", cursor)
		}
	}
	all := f.posts[p.cfg.ID]
	if n > len(all) {
		n = len(all)
	}
	out := append([]model.Mention(nil), all[n:]...)
	return out, strconv.Itoa(len(all)), nil
}

type fakeSender struct{ f *fakePlatform }

func (s *fakeSender) Send(_ context.Context, out connector.Outgoing) (connector.Sent, error) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.sent = append(s.f.sent, out)
	return connector.Sent{ID: "r" + strconv.Itoa(len(s.f.sent))}, nil
}

// fakeWebhook is a platform that signs deliveries with
// X-Fake-Signature: hex HMAC-SHA256(secret, body), and delivers
// {"account": "...", "posts": [{"id", "text", "author"}]}.
type fakeWebhook struct {
	secret   string
	channels map[string]string // account id -> channel id
}

func fakeWebhookFactory(cfgs []connector.Config) (connector.Webhook, error) {
	w := &fakeWebhook{channels: map[string]string{}}
	for _, c := range cfgs {
		w.secret = c.Secret
		w.channels[c.AccountID] = c.ID
	}
	return w, nil
}

func sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func (w *fakeWebhook) Challenge(q url.Values) (string, []byte, error) {
	t := q.Get("token")
	if t == "" {
		return "", nil, errors.New("no token")
	}
	return "text/plain", []byte(sign(w.secret, []byte(t))), nil
}

func (w *fakeWebhook) Verify(h http.Header, body []byte) error {
	if !hmac.Equal([]byte(h.Get("X-Fake-Signature")), []byte(sign(w.secret, body))) {
		return errors.New("bad signature")
	}
	return nil
}

func (w *fakeWebhook) Parse(body []byte) ([]model.Mention, error) {
	var d struct {
		Account string `json:"account"`
		Posts   []struct {
			ID, Text, Author string
		} `json:"posts"`
	}
	if err := json.Unmarshal(body, &d); err != nil || d.Account == "" {
		return nil, errors.New("not a delivery")
	}
	var out []model.Mention
	for _, p := range d.Posts {
		out = append(out, model.Mention{Platform: "x", Channel: w.channels[d.Account], ExternalID: p.ID, Text: p.Text,
			CreatedAt: time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC), Author: model.Author{ID: p.Author, Handle: p.Author}})
	}
	return out, nil
}
