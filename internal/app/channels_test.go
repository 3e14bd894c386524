package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/auth"
	"earshot/internal/connector"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/store"
)

// simPlatform stands in for a platform: a feed to poll, a webhook signed
// with hex HMAC-SHA256 in X-Sim-Signature, and replies it records.
type simPlatform struct {
	mu    sync.Mutex
	feed  []model.Mention
	sent  []connector.Outgoing
	polls int
}

func (p *simPlatform) factory(cfg connector.Config) (connector.Channel, error) {
	return connector.Channel{ID: cfg.ID, Platform: cfg.Platform, Poller: simPoller{p}, Sender: simSender{p}}, nil
}

type simPoller struct{ p *simPlatform }

func (s simPoller) Poll(_ context.Context, cursor string) ([]model.Mention, string, error) {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	s.p.polls++
	var out []model.Mention
	for _, m := range s.p.feed {
		if m.ExternalID > cursor {
			out = append(out, m)
			cursor = m.ExternalID
		}
	}
	return out, cursor, nil
}

type simSender struct{ p *simPlatform }

func (s simSender) Send(_ context.Context, out connector.Outgoing) (connector.Sent, error) {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	s.p.sent = append(s.p.sent, out)
	return connector.Sent{ID: "sim-reply-1", URL: "https://sim.example.org/r/1"}, nil
}

type simHook struct {
	secret  string
	account map[string]string
}

func simWebhooks(cfgs []connector.Config) (connector.Webhook, error) {
	h := &simHook{account: map[string]string{}}
	for _, c := range cfgs {
		h.secret, h.account[c.AccountID] = c.Secret, c.ID
	}
	return h, nil
}

func simSign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func (h *simHook) Challenge(q url.Values) (string, []byte, error) {
	return "text/plain", []byte(q.Get("c")), nil
}

func (h *simHook) Verify(hd http.Header, body []byte) error {
	if !hmac.Equal([]byte(hd.Get("X-Sim-Signature")), []byte(simSign(h.secret, body))) {
		return errors.New("bad signature")
	}
	return nil
}

func (h *simHook) Parse(body []byte) ([]model.Mention, error) {
	var d struct{ Account, ID, Text, Author string }
	if err := json.Unmarshal(body, &d); err != nil || d.Account == "" {
		return nil, errors.New("not an event")
	}
	return []model.Mention{{Platform: "x", Channel: h.account[d.Account], ExternalID: d.ID, Text: d.Text,
		CreatedAt: time.Now().UTC().Add(-time.Minute), Author: model.Author{ID: d.Author, Handle: d.Author}}}, nil
}

const channelsOrg = `organization: Acme Health
timezone: America/Chicago
channels:
  - {id: news, platform: rss, url: "https://news.example.org/feed", poll: 1s}
  - {id: acme-x, platform: x, account_id: "42", token_env: ACME_X_TOKEN, secret_env: ACME_X_SECRET}
  - {id: reviews, platform: google, account_id: "accounts/1/locations/2", token_env: ACME_GBP_TOKEN, poll: 5m}
`

// TestServeHearsAndAnswersThroughChannels runs serve with a simulated
// platform: a polled feed reaches the store within a couple of ticks, a
// signed webhook is stored and an unsigned one refused, the API lists
// the channels' states without secrets and polls on demand, and a reply
// on the webhook's case goes out through the channel's sender.
func TestServeHearsAndAnswersThroughChannels(t *testing.T) {
	ctx := context.Background()
	sim := &simPlatform{feed: []model.Mention{{Platform: "rss", ExternalID: "001", Text: "Acme Health opens a new clinic downtown",
		URL: "https://news.example.org/1", CreatedAt: time.Now().UTC().Add(-time.Hour), Author: model.Author{Handle: "newsdesk"}}}}
	env := map[string]string{"ACME_X_TOKEN": "tok-value-123", "ACME_X_SECRET": "sec-value-456"}
	s := build(t, Config{Getenv: func(k string) string { return env[k] },
		Factories: map[string]connector.Factory{"rss": sim.factory, "x": sim.factory, "google": sim.factory},
		Webhooks:  map[string]connector.WebhookFactory{"x": simWebhooks}})
	o, err := org.Parse([]byte(channelsOrg))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store().ApplyOrg(ctx, []byte(channelsOrg), o, "test", time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	if err := s.ReloadOrg(ctx); err != nil {
		t.Fatal(err)
	}
	run(t, s)

	waitFor(t, "the feed's mention stored", func() bool {
		total, _, err := s.Store().MentionCounts(ctx, time.Now().Add(-48*time.Hour), time.Now().Add(time.Hour))
		return err == nil && total == 1
	})

	post := func(body, sig string) int {
		req, _ := http.NewRequest("POST", s.URL()+"/webhooks/x", strings.NewReader(body))
		if sig != "" {
			req.Header.Set("X-Sim-Signature", sig)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	event := `{"account":"42","id":"9001","text":"@acme my card never came, can someone help","author":"u77"}`
	if code := post(event, ""); code != http.StatusUnauthorized {
		t.Errorf("unsigned webhook: %d", code)
	}
	if code := post(event, simSign("sec-value-456", []byte(event))); code != http.StatusOK {
		t.Fatalf("signed webhook: %d", code)
	}
	total, _, _ := s.Store().MentionCounts(ctx, time.Now().Add(-48*time.Hour), time.Now().Add(time.Hour))
	if total != 2 {
		t.Fatalf("%d mentions after the webhook, want 2", total)
	}

	secret, hash := auth.NewToken()
	if err := s.Store().CreateToken(ctx, &model.Token{Name: "admin", Role: "admin", Hash: hash, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	call := func(method, path string) (int, string) {
		req, _ := http.NewRequest(method, s.URL()+path, nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	code, body := call("GET", "/api/v1/channels")
	if code != http.StatusOK {
		t.Fatalf("GET channels: %d %s", code, body)
	}
	if strings.Contains(body, "tok-value-123") || strings.Contains(body, "sec-value-456") {
		t.Fatalf("the channels list shows a secret: %s", body)
	}
	var list struct {
		Channels []struct {
			ID, State, Why string
			WebhookURL     string `json:"webhook_url"`
			HeardToday     int64  `json:"heard_today"`
		}
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Channels) != 3 || list.Channels[1].ID != "acme-x" || list.Channels[1].WebhookURL != s.URL()+"/webhooks/x" ||
		list.Channels[1].HeardToday != 1 || list.Channels[2].State != "missing_secret" {
		t.Fatalf("channels: %s", body)
	}
	if !strings.Contains(body, `"state":"missing_secret"`) || !strings.Contains(body, "ACME_GBP_TOKEN is not set") ||
		!strings.Contains(body, s.URL()+"/webhooks/x") || !strings.Contains(body, `"state":"webhooks_only"`) {
		t.Errorf("channels: %s", body)
	}
	if code, body := call("POST", "/api/v1/channels/news/poll"); code != http.StatusAccepted {
		t.Errorf("poll now: %d %s", code, body)
	}
	if code, _ := call("POST", "/api/v1/channels/acme-x/poll"); code != http.StatusConflict {
		t.Errorf("poll now of a webhook channel: %d", code)
	}
	if code, _ := call("POST", "/api/v1/channels/nope/poll"); code != http.StatusNotFound {
		t.Errorf("poll now of no channel: %d", code)
	}
	// Applying through the API warns of the unset variable.
	req, _ := http.NewRequest("PUT", s.URL()+"/api/v1/org", strings.NewReader(strings.Replace(channelsOrg, "Acme Health", "Acme Health Plan", 1)))
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), `"warnings":["channel reviews: ACME_GBP_TOKEN is not set; the channel does nothing until it is"]`) {
		t.Errorf("PUT org: %d %s", res.StatusCode, b)
	}
	agentSecret, agentHash := auth.NewToken()
	if err := s.Store().CreateToken(ctx, &model.Token{Name: "agent", Role: "agent", Hash: agentHash, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	req, _ = http.NewRequest("GET", s.URL()+"/api/v1/channels", nil)
	req.Header.Set("Authorization", "Bearer "+agentSecret)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("agent lists channels: %v %v", res.StatusCode, err)
	} else {
		res.Body.Close()
	}

	// A reply on the webhook's case goes out through the channel.
	cs, _, err := s.Store().ListCases(ctx, storeFilterChannel("acme-x"))
	if err != nil || len(cs) != 1 {
		t.Fatalf("case of acme-x: %d %v", len(cs), err)
	}
	rp := &model.Reply{CaseID: cs[0].ID, Text: "We are sorry. Please send us a direct message so we can help.", Visibility: model.VisibilityPublic,
		Author: "agent@example.org", CreatedAt: time.Now()}
	if err := s.Store().AddReply(ctx, rp, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the reply sent through the channel", func() bool {
		c, err := s.Store().GetCase(ctx, rp.CaseID)
		return err == nil && c.Replies[0].State == model.ReplySent
	})
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if len(sim.sent) != 1 || sim.sent[0].Channel != "acme-x" || sim.sent[0].InReplyTo != "9001" {
		t.Errorf("sent: %+v", sim.sent)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 15s for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func storeFilterChannel(ch string) store.CaseFilter { return store.CaseFilter{Channel: ch, Limit: 10} }
