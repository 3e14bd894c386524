package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/internal/channels"
	"earshot/internal/model"
	"earshot/internal/store"
)

// TestDemoChannelsHearAndAnswer runs serve --demo: its simulated X and
// Google channels come up healthy and hear the simulated platform, and a
// reply to a case of each is sent there and ends sent, with a link on
// simulated.invalid. The real environment holds no demo token: serve
// supplies it.
func TestDemoChannelsHearAndAnswer(t *testing.T) {
	ctx := context.Background()
	env, cfg := storeEnv(t)
	url, out, cancel, done := startServe(t, env, "--demo")
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not shut down")
		}
	}()
	var token string
	waitUntil(t, "the demo API token printed", func() bool {
		m := regexp.MustCompile(`Demo API token \(admin\): (\S+)`).FindStringSubmatch(out.String())
		if m != nil {
			token = m[1]
		}
		return m != nil
	})
	if !strings.Contains(out.String(), "simulated platform") {
		t.Errorf("serve --demo does not say its channels are simulated:\n%s", out.String())
	}
	call := func(method, path, body string, v any) int {
		req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if v != nil {
			json.NewDecoder(res.Body).Decode(v)
		}
		return res.StatusCode
	}
	var last []channels.State
	defer func() {
		if t.Failed() {
			t.Logf("channels: %+v", last)
		}
	}()
	waitUntil(t, "both demo channels healthy and heard", func() bool {
		var list struct{ Channels []channels.State }
		call("GET", "/api/v1/channels", "", &list)
		healthy := 0
		for _, c := range list.Channels {
			if (c.ID == "demo-x" || c.ID == "demo-google") && c.State == channels.StateHealthy && c.HeardTotal > 0 && strings.Contains(c.Name, "Simulated") {
				healthy++
			}
		}
		if healthy != 2 {
			last = list.Channels
		}
		return healthy == 2
	})

	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tc := range []struct{ channel, link string }{
		{"demo-x", "https://simulated.invalid/x/"},
		{"demo-google", "https://simulated.invalid/google/accounts/1001/locations/2002/reviews/"},
	} {
		cs, _, err := st.ListCases(ctx, store.CaseFilter{Channel: tc.channel, Limit: 10})
		if err != nil || len(cs) == 0 {
			t.Fatalf("cases of %s: %d, %v", tc.channel, len(cs), err)
		}
		id := strconv.FormatInt(cs[0].ID, 10)
		if code := call("POST", "/api/v1/cases/"+id+"/replies", `{"text":"Thank you for telling us. Please call us so we can help.","visibility":"public"}`, nil); code != http.StatusCreated {
			t.Fatalf("reply on %s: %d", tc.channel, code)
		}
		var sent model.Reply
		waitUntil(t, "the reply on "+tc.channel+" sent", func() bool {
			c, err := st.GetCase(ctx, cs[0].ID)
			if err != nil || len(c.Replies) == 0 {
				return false
			}
			sent = c.Replies[len(c.Replies)-1]
			return sent.State == model.ReplySent || sent.State == model.ReplyFailed
		})
		if sent.State != model.ReplySent || sent.PlatformID == "" || !strings.HasPrefix(sent.PlatformURL, tc.link) {
			t.Errorf("the reply on %s: state %q, id %q, link %q; want sent with a link under %s", tc.channel, sent.State, sent.PlatformID, sent.PlatformURL, tc.link)
		}
		c, err := st.GetCase(ctx, cs[0].ID)
		if err != nil || len(c.Mentions) == 0 {
			t.Fatalf("case of %s: %v", tc.channel, err)
		}
		if u := c.Mentions[0].URL; !strings.HasPrefix(u, "https://simulated.invalid/") {
			t.Errorf("a mention heard on %s links to %q, not to simulated.invalid", tc.channel, u)
		}
	}
}

// waitUntil polls ok for up to 30 seconds.
func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
