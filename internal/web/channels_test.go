package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/channels"
	"earshot/internal/connector"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store/storetest"
)

const channelsPageOrg = `organization: Test Health
timezone: America/Chicago
channels:
  - {id: news, platform: rss, url: "https://news.example.org/feed", poll: 1m}
  - {id: acme-x, platform: x, account_id: "42", token_env: ACME_X_TOKEN, secret_env: ACME_X_SECRET}
  - {id: reviews, platform: google, account_id: "accounts/1/locations/2", token_env: ACME_GBP_TOKEN, poll: 5m}
`

// quietPoller hears nothing.
type quietPoller struct{}

func (quietPoller) Poll(context.Context, string) ([]model.Mention, string, error) {
	return nil, "", nil
}

// channelsHarness serves the web app with channels from channelsPageOrg
// on a fake platform; ACME_X_TOKEN and ACME_X_SECRET are set, and
// ACME_GBP_TOKEN is not.
func channelsHarness(t *testing.T) (*harness, *channels.Hearing) {
	t.Helper()
	st := storetest.Open(t)
	o, err := org.Parse([]byte(channelsPageOrg))
	if err != nil {
		t.Fatal(err)
	}
	rt, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	live := route.NewLive(rt)
	live.Set(rt, time.Now())
	an := analyze.New()
	fake := func(cfg connector.Config) (connector.Channel, error) {
		return connector.Channel{ID: cfg.ID, Platform: cfg.Platform, Poller: quietPoller{}}, nil
	}
	env := map[string]string{"ACME_X_TOKEN": "tok-value-123", "ACME_X_SECRET": "sec-value-456"}
	hearing := channels.New(channels.Options{Store: st, Pipeline: ingest.New(st, an, ingest.Options{Routes: live}), Routes: live,
		Factories: map[string]connector.Factory{"rss": fake, "x": fake, "google": fake},
		Getenv:    func(k string) string { return env[k] }})
	app, err := New(Config{Store: st, Analyzer: an, Channels: hearing})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app)
	t.Cleanup(func() { app.Close(); srv.Close() })
	for _, role := range []string{model.RoleAdmin, model.RoleAgent} {
		if err := st.CreateUser(context.Background(), &model.User{Email: role + "@example.org", Name: role, Role: role, PasswordHash: sharedHash(), CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	return &harness{t: t, srv: srv, st: st, app: app}, hearing
}

// TestChannelsPageShowsStateAndPollsNow: admins see each channel's state
// (a missing secret named, never a value), the webhook URL to paste, and
// Poll now, which makes the channel due; others may not.
func TestChannelsPageShowsStateAndPollsNow(t *testing.T) {
	h, _ := channelsHarness(t)
	admin := h.signIn(model.RoleAdmin)
	code, body := h.get(admin, "/settings/channels")
	if code != http.StatusOK {
		t.Fatalf("channels page: %d", code)
	}
	for _, want := range []string{`id="channel-news"`, `id="channel-acme-x"`, `data-state="missing_secret"`,
		"ACME_GBP_TOKEN is not set; the channel does nothing until it is", `data-state="webhooks_only"`,
		`value="` + h.srv.URL + `/webhooks/x"`, `action="/settings/channels/news/poll"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "tok-value-123") || strings.Contains(body, "sec-value-456") {
		t.Fatal("the page shows a secret")
	}
	if strings.Contains(body, `action="/settings/channels/acme-x/poll"`) || strings.Contains(body, `action="/settings/channels/reviews/poll"`) {
		t.Error("Poll now offered for a channel that does not poll")
	}

	code, loc, _ := h.post(admin, "/settings/channels/news/poll", nil)
	if code != http.StatusSeeOther || loc != "/settings/channels?polling=news" {
		t.Fatalf("poll now: %d %q", code, loc)
	}
	states, err := h.st.ChannelStates(context.Background(), time.Now())
	if err != nil || states["news"].NextPollAt == nil || time.Since(*states["news"].NextPollAt) > time.Minute {
		t.Fatalf("after poll now: %+v %v", states["news"], err)
	}
	if _, body := h.get(admin, loc); !strings.Contains(body, "Polling news now") {
		t.Error("the page does not say it polls")
	}
	if _, body := h.get(admin, "/settings/channels?polling=%3Cscript%3E"); strings.Contains(body, "<script>") || strings.Contains(body, "Polling") {
		t.Error("the page echoes what the address says")
	}
	if code, loc, _ := h.post(admin, "/settings/channels/acme-x/poll", nil); code != http.StatusSeeOther || !strings.Contains(loc, "error=not-polled") {
		t.Errorf("poll now of a webhook channel: %d %q", code, loc)
	}
	if code, loc, _ := h.post(admin, "/settings/channels/nope/poll", nil); code != http.StatusSeeOther || !strings.Contains(loc, "error=unknown") {
		t.Errorf("poll now of no channel: %d %q", code, loc)
	}

	// From another site: refused (the same protection as every form).
	req, _ := http.NewRequest("POST", h.srv.URL+"/settings/channels/news/poll", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site poll now: %d", res.StatusCode)
	}

	agent := h.signIn(model.RoleAgent)
	if code, _ := h.get(agent, "/settings/channels"); code != http.StatusForbidden {
		t.Errorf("agent on the channels page: %d", code)
	}
	if code, _, _ := h.post(agent, "/settings/channels/news/poll", nil); code != http.StatusForbidden {
		t.Errorf("agent poll now: %d", code)
	}
}

// TestSettingsApplyWarnsOfUnsetChannelSecrets: applying channels whose
// variables are unset works and says which.
func TestSettingsApplyWarnsOfUnsetChannelSecrets(t *testing.T) {
	h, _ := channelsHarness(t)
	admin := h.signIn(model.RoleAdmin)
	code, _, body := h.post(admin, "/settings", url.Values{"source": {channelsPageOrg}})
	if code != http.StatusOK || !strings.Contains(body, "Applied.") {
		t.Fatalf("apply: %d", code)
	}
	if !strings.Contains(body, "channel reviews: ACME_GBP_TOKEN is not set; the channel does nothing until it is") || strings.Contains(body, "channel acme-x:") {
		t.Errorf("warnings wrong:\n%s", body)
	}
	if !strings.Contains(body, `href="/settings/channels"`) {
		t.Error("settings does not link the channels page")
	}
}
