package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/internal/auth"
	"earshot/internal/egress"
	"earshot/internal/model"
)

// xTimelineDouble answers as X API v2 does for account 42 (bearer token
// "x-user-token"): the mentions timeline holds nothing until the test
// posts to it, and POST /2/tweets records each reply it is sent. It
// counts the polls of the timeline, so a test can see what asked.
type xTimelineDouble struct {
	mu      sync.Mutex
	posts   []string // the timeline's posts, as v2 post objects
	users   []string // their authors, as v2 user objects
	polls   int
	replies []map[string]any
}

func (d *xTimelineDouble) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer x-user-token" {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}`)
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/2/users/42/mentions":
		d.polls++
		// https://docs.x.com/x-api/users/get-mentions: with since_id set
		// to the newest post, nothing new comes back.
		if len(d.posts) == 0 || r.URL.Query().Get("since_id") != "" {
			io.WriteString(w, `{"meta":{"result_count":0}}`)
			return
		}
		fmt.Fprintf(w, `{"data":[%s],"includes":{"users":[%s]},"meta":{"result_count":%d}}`,
			strings.Join(d.posts, ","), strings.Join(d.users, ","), len(d.posts))
	case r.Method == http.MethodPost && r.URL.Path == "/2/tweets":
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"title":"Invalid Request","status":400,"detail":"body is not JSON"}`)
			return
		}
		d.replies = append(d.replies, body)
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"data":{"id":"1900","text":"reply"}}`)
	default:
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"title":"Not Found Error","status":404,"detail":"no such endpoint"}`)
	}
}

// post puts a post of author on the timeline.
func (d *xTimelineDouble) post(post, author string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.posts, d.users = append(d.posts, post), append(d.users, author)
}

func (d *xTimelineDouble) pollCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.polls
}

func (d *xTimelineDouble) sent() []map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]map[string]any(nil), d.replies...)
}

// TestE2EAdminConnectsXAndAnswersThere drives serve in a browser: an
// admin applies an organisation file with an X channel pointing at a
// double of X's API, sees the channel healthy with its webhook URL,
// presses Poll now and sees the post it heard, a signed X Activity
// delivery shows up in the inbox live, and a public reply written in
// the composer reaches the double once and shows as sent with its link.
func TestE2EAdminConnectsXAndAnswersThere(t *testing.T) {
	ctx := context.Background()
	double := &xTimelineDouble{}
	api := httptest.NewServer(double)
	defer api.Close()
	env := map[string]string{"ACME_X_TOKEN": "x-user-token", "ACME_X_SECRET": "consumer-secret"}
	s := build(t, Config{Getenv: func(k string) string { return env[k] }, Egress: egress.Policy{AllowPrivate: true}})
	hash, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store().CreateUser(ctx, &model.User{Email: "admin@example.org", Name: "Ada Admin", Role: model.RoleAdmin,
		PasswordHash: hash, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	run(t, s)
	b := newBrowser(t)

	// 1. Sign in and apply an organisation file with the X channel.
	b.do(chromedp.Navigate(s.URL()+"/login"), chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "admin@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "correct horse battery"),
		chromedp.Submit(chromedp.CSS(`#password`)), chromedp.WaitVisible(chromedp.CSS(`#rows`)))
	src := `organization: Acme Health
timezone: UTC
channels:
  - {id: acme-x, platform: x, account_id: "42", name: "@acmehealth", base_url: "` + api.URL + `",
     token_env: ACME_X_TOKEN, secret_env: ACME_X_SECRET, poll: 1h}
`
	b.do(chromedp.Navigate(s.URL()+"/settings"), chromedp.WaitVisible(chromedp.CSS(`#source`)))
	b.eval(fmt.Sprintf(`document.querySelector('#source').value = %q`, src))
	b.do(chromedp.Submit(chromedp.CSS(`#source`)))
	b.waitText(`main`, "Applied.")
	if b.eval(`!!document.querySelector('#channel-warnings')`) == "true" {
		t.Fatalf("applying a channel whose secrets are set warns: %s", b.text(`#channel-warnings`))
	}

	// 2. The Channels page: healthy once the first poll (empty) is done,
	// the webhook URL to paste into X's console, and Poll now hears the
	// post that came after.
	waitFor(t, "the channel's first poll", func() bool { return double.pollCount() >= 1 })
	b.do(chromedp.Click(chromedp.CSS(`a[href="/settings/channels"]`)), chromedp.WaitVisible(chromedp.CSS(`#channel-acme-x`)))
	b.reloadUntil(`#channel-acme-x .state`, "Healthy")
	if got := b.eval(`document.querySelector('#hook-acme-x').value`); got != s.URL()+"/webhooks/x" {
		t.Errorf("the channel's webhook URL is %q, want %s/webhooks/x", got, s.URL())
	}
	if got := b.text(`#channel-acme-x .heard-today`); strings.TrimSpace(got) != "0" {
		t.Fatalf("before any post the channel heard %q today", got)
	}
	at := time.Now().UTC().Add(-10 * time.Minute).Format(time.RFC3339)
	double.post(`{"id":"1700","text":"@acmehealth is the pharmacy open on Sunday?","author_id":"501","created_at":"`+at+`","conversation_id":"1700"}`,
		`{"id":"501","username":"sam_q","name":"Sam Q","public_metrics":{"followers_count":12,"following_count":40,"post_count":300}}`)
	polls := double.pollCount()
	b.do(chromedp.Click(chromedp.CSS(`#channel-acme-x button.poll-now`)), chromedp.WaitVisible(chromedp.CSS(`#channels-done`)))
	b.reloadUntil(`#channel-acme-x .heard-today`, "1")
	if double.pollCount() != polls+1 {
		t.Errorf("Poll now made %d polls of X, want 1", double.pollCount()-polls)
	}

	// 3. A signed X Activity delivery: the inbox shows the new case live.
	b.do(chromedp.Navigate(s.URL()+"/"), chromedp.WaitVisible(chromedp.CSS(`#rows`)))
	b.waitText(`#rows`, "sam_q")
	b.waitJS(`document.documentElement.dataset.ready === '1'`)
	at = time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
	event := `{"data":{"event_uuid":"e-1","filter":{"user_id":"42"},"event_type":"post.mention.create",
		"payload":{"id":"1800","text":"@acmehealth my new member card never came and I need my meds","author_id":"777",
		"created_at":"` + at + `","conversation_id":"1800"},
		"includes":{"users":[{"id":"777","username":"pat_r","name":"Pat R"}]}}}`
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/webhooks/x", strings.NewReader(event))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-twitter-webhooks-signature", xSign("consumer-secret", []byte(event)))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the signed delivery answered %d", res.StatusCode)
	}
	b.waitText(`#rows`, "pat_r")

	// 4. Open the case from the inbox and send a public reply.
	b.eval(`[...document.querySelectorAll('#rows tr')].find(r => r.textContent.includes('@pat_r')).querySelector('td.summary a').click()`)
	b.do(chromedp.WaitVisible(chromedp.CSS(`#reply-text`)))
	b.waitJS(`document.documentElement.dataset.ready === '1'`)
	casePath := b.eval(`location.pathname`)
	b.do(chromedp.Click(chromedp.CSS(`input[name=visibility][value=public]`)),
		chromedp.SendKeys(chromedp.CSS(`#reply-text`), "We're sorry, Pat. Please send us a DM so we can help."),
		chromedp.Submit(chromedp.CSS(`#reply-text`)))

	// 5. X is sent one reply post answering the mention; the case page
	// shows the reply sent, with its link on X.
	waitFor(t, "the reply posted on X", func() bool { return len(double.sent()) > 0 })
	b.do(chromedp.Navigate(s.URL()+casePath), chromedp.WaitVisible(chromedp.CSS(`li.reply`)))
	b.reloadUntil(`li.reply .delivery`, "Sent")
	href := b.eval(`document.querySelector('li.reply .delivery a').href`)
	if !strings.Contains(href, "1900") {
		t.Errorf("the sent reply links to %q, want X's post 1900", href)
	}
	time.Sleep(2 * time.Second) // time for a second send, were there one
	posts := double.sent()
	if len(posts) != 1 {
		t.Fatalf("X was sent %d posts, want 1", len(posts))
	}
	if r, _ := posts[0]["reply"].(map[string]any); r["in_reply_to_tweet_id"] != "1800" || !strings.Contains(fmt.Sprint(posts[0]["text"]), "Please send us a DM") {
		t.Errorf("X was sent %v, want a reply to 1800", posts[0])
	}
}

// browser is one headless Chromium tab for one test.
type browser struct {
	t   *testing.T
	ctx context.Context
}

// newBrowser starts Chromium (EARSHOT_CHROMIUM, or chromium on PATH),
// closed when the test ends. Without it the test is skipped, except in
// CI, where browser tests must run.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	bin := os.Getenv("EARSHOT_CHROMIUM")
	if bin == "" {
		bin, _ = exec.LookPath("chromium")
	}
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is missing (set EARSHOT_CHROMIUM or put chromium on PATH); browser tests must run in CI")
		}
		t.Skip("Chromium not found (EARSHOT_CHROMIUM or chromium on PATH)")
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelT(); cancel(); cancelAlloc() })
	return &browser{t: t, ctx: ctx}
}

// do runs actions; a failure ends the test with where the page was and
// what it said.
func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fail(err)
	}
}

func (b *browser) fail(err error) {
	b.t.Helper()
	url, _ := chromedp.Run(b.ctx, chromedp.Location())
	body, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 1500) : ""`))
	b.t.Fatalf("browser: %v\nat %s\n%s", err, url, body)
}

// eval runs JavaScript and returns its value as text.
func (b *browser) eval(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](js))
	if err != nil {
		b.fail(err)
	}
	return fmt.Sprint(v)
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.fail(err)
	}
	return s
}

// waitJS waits up to 15s for js to be true on the page; evaluation
// fails while a page navigates, so it tries again.
func (b *browser) waitJS(js string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.fail(fmt.Errorf("waiting for %s: %v", js, err))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitText waits for the element's text to contain want, without a
// reload: what live updates and navigations bring.
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	b.waitJS(fmt.Sprintf(`(function(){var e=document.querySelector(%q);return !!e && e.textContent.indexOf(%q)>=0})()`, sel, want))
}

// reloadUntil reloads the page until the element's text contains want,
// for up to 15s.
func (b *browser) reloadUntil(sel, want string) {
	b.t.Helper()
	js := fmt.Sprintf(`(function(){var e=document.querySelector(%q);return !!e && e.textContent.indexOf(%q)>=0})()`, sel, want)
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.fail(fmt.Errorf("%s never said %q", sel, want))
		}
		time.Sleep(200 * time.Millisecond)
		b.do(chromedp.Reload())
	}
}
