package app

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/auth"
	"earshot/internal/egress"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/store"
)

// xAPIDouble answers as X API v2 does for one account (42, token
// "x-user-token"): the mentions timeline, which holds one post, and
// POST /2/tweets, which records the replies it is sent. It refuses a
// request without the bearer token, as X does.
type xAPIDouble struct {
	t  *testing.T
	mu sync.Mutex
	// replies are the bodies of POST /2/tweets.
	replies []map[string]any
}

func (d *xAPIDouble) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer x-user-token" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == "GET" && r.URL.Path == "/2/users/42/mentions":
		if !strings.Contains(r.URL.Query().Get("tweet.fields"), "conversation_id") || r.URL.Query().Get("expansions") != "author_id" {
			d.t.Errorf("the mentions poll did not ask for the fields it needs: %s", r.URL.RawQuery)
		}
		if r.URL.Query().Get("since_id") == "1700" {
			io.WriteString(w, `{"meta":{"result_count":0}}`)
			return
		}
		io.WriteString(w, `{"data":[{"id":"1700","text":"@acmehealth is the pharmacy open on Sunday?","author_id":"501",
			"created_at":"`+time.Now().UTC().Add(-10*time.Minute).Format(time.RFC3339)+`","conversation_id":"1700"}],
			"includes":{"users":[{"id":"501","username":"sam_q","name":"Sam Q","public_metrics":{"followers_count":12,"following_count":40,"post_count":300}}]},
			"meta":{"newest_id":"1700","oldest_id":"1700","result_count":1}}`)
	case r.Method == "POST" && r.URL.Path == "/2/tweets":
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			d.t.Errorf("POST /2/tweets body: %v", err)
		}
		d.mu.Lock()
		d.replies = append(d.replies, body)
		d.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"data":{"id":"1900","text":"reply"}}`)
	default:
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"title":"Not Found Error","status":404,"detail":"no such endpoint"}`)
	}
}

func (d *xAPIDouble) sent() []map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]map[string]any(nil), d.replies...)
}

// xSign signs a webhook delivery as X does.
func xSign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// TestServeHearsAndAnswersOnX runs serve with the real X connector
// against a double of X's API: the channel's poll brings in the
// timeline's post, the CRC check is answered, a signed X Activity event
// opens a case and an unsigned one is refused, a reply written through
// the API goes out as a reply post on X exactly once and records X's id
// and link, and our reply coming back by webhook joins its case linked
// to the reply rather than as a second response.
func TestServeHearsAndAnswersOnX(t *testing.T) {
	ctx := context.Background()
	double := &xAPIDouble{t: t}
	api := httptest.NewServer(double)
	defer api.Close()
	env := map[string]string{"ACME_X_TOKEN": "x-user-token", "ACME_X_SECRET": "consumer-secret"}
	s := build(t, Config{Getenv: func(k string) string { return env[k] }, Egress: egress.Policy{AllowPrivate: true}})
	src := `organization: Acme Health
timezone: UTC
channels:
  - {id: acme-x, platform: x, account_id: "42", name: "@acmehealth", base_url: "` + api.URL + `",
     token_env: ACME_X_TOKEN, secret_env: ACME_X_SECRET, poll: 1s}
`
	o, err := org.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store().ApplyOrg(ctx, []byte(src), o, "test", time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	if err := s.ReloadOrg(ctx); err != nil {
		t.Fatal(err)
	}
	run(t, s)

	mentions := func() int {
		total, _, err := s.Store().MentionCounts(ctx, time.Now().Add(-48*time.Hour), time.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return total
	}
	waitFor(t, "the polled post stored", func() bool { return mentions() == 1 })

	// The CRC check X makes when the webhook is registered.
	res, err := http.Get(s.URL() + "/webhooks/x?crc_token=" + url.QueryEscape("challenge-123"))
	if err != nil {
		t.Fatal(err)
	}
	crc, _ := io.ReadAll(res.Body)
	res.Body.Close()
	want, _ := json.Marshal(map[string]string{"response_token": xSign("consumer-secret", []byte("challenge-123"))})
	if res.StatusCode != http.StatusOK || !bytes.Equal(bytes.TrimSpace(crc), want) {
		t.Fatalf("CRC answer %d %s, want %s", res.StatusCode, crc, want)
	}

	deliver := func(body string, signed bool) int {
		req, _ := http.NewRequest("POST", s.URL()+"/webhooks/x", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if signed {
			req.Header.Set("x-twitter-webhooks-signature", xSign("consumer-secret", []byte(body)))
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	at := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
	event := `{"data":{"event_uuid":"e-1","filter":{"user_id":"42"},"event_type":"post.mention.create",
		"payload":{"id":"1800","text":"@acmehealth my new member card never came and I need my meds","author_id":"777",
		"created_at":"` + at + `","conversation_id":"1800"},
		"includes":{"users":[{"id":"777","username":"pat_r","name":"Pat R"}]}}}`
	if code := deliver(event, false); code != http.StatusUnauthorized {
		t.Fatalf("an unsigned delivery answered %d, want 401", code)
	}
	if mentions() != 1 {
		t.Fatal("an unsigned delivery was stored")
	}
	if code := deliver(event, true); code != http.StatusOK {
		t.Fatalf("a signed delivery answered %d", code)
	}
	cs, _, err := s.Store().ListCases(ctx, store.CaseFilter{Channel: "acme-x", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var caseID int64
	for _, c := range cs {
		if c.Author.Handle == "pat_r" {
			caseID = c.ID
		}
	}
	if caseID == 0 {
		t.Fatalf("no case of @pat_r among %d cases of the channel", len(cs))
	}

	secret, hash := auth.NewToken()
	if err := s.Store().CreateToken(ctx, &model.Token{Name: "agent", Role: "admin", Hash: hash, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", s.URL()+"/api/v1/cases/"+strconv.FormatInt(caseID, 10)+"/replies",
		strings.NewReader(`{"text":"We're sorry, Pat. Please send us a DM so we can help.","visibility":"public"}`))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("reply: %d", res.StatusCode)
	}
	var sent model.Reply
	waitFor(t, "the reply sent on X", func() bool {
		c, err := s.Store().GetCase(ctx, caseID)
		if err != nil || len(c.Replies) != 1 {
			return false
		}
		sent = c.Replies[0]
		return sent.State == model.ReplySent
	})
	if sent.PlatformID != "1900" || !strings.Contains(sent.PlatformURL, "1900") {
		t.Errorf("the sent reply records id %q, link %q", sent.PlatformID, sent.PlatformURL)
	}
	posts := double.sent()
	if len(posts) != 1 {
		t.Fatalf("X was sent %d posts, want 1", len(posts))
	}
	if r, _ := posts[0]["reply"].(map[string]any); r["in_reply_to_tweet_id"] != "1800" || !strings.Contains(posts[0]["text"].(string), "Please send us a DM") {
		t.Errorf("X was sent %v, want a reply to 1800", posts[0])
	}

	// X brings our reply back: it joins the case as our outbound mention,
	// linked to the reply, and the first response stays the reply's.
	before, err := s.Store().GetCase(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	echo := `{"data":{"event_uuid":"e-2","filter":{"user_id":"42"},"event_type":"post.create",
		"payload":{"id":"1900","text":"@pat_r We're sorry, Pat. Please send us a DM so we can help.","author_id":"42",
		"created_at":"` + time.Now().UTC().Format(time.RFC3339) + `","conversation_id":"1800","in_reply_to_user_id":"777",
		"referenced_tweets":[{"type":"replied_to","id":"1800"}]},
		"includes":{"users":[{"id":"42","username":"acmehealth","name":"Acme Health"}]}}}`
	if code := deliver(echo, true); code != http.StatusOK {
		t.Fatalf("the echo delivery answered %d", code)
	}
	after, err := s.Store().GetCase(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	if after.MentionCount != before.MentionCount+1 || !after.FirstResponseAt.Equal(*before.FirstResponseAt) {
		t.Errorf("after our reply came back: %d mentions (was %d), first response %v (was %v)",
			after.MentionCount, before.MentionCount, after.FirstResponseAt, before.FirstResponseAt)
	}
	if after.Replies[0].MentionID == 0 {
		t.Error("our reply that came back is not linked to the reply sent")
	}
	if len(double.sent()) != 1 {
		t.Errorf("X was sent %d posts after the echo, want still 1", len(double.sent()))
	}
}
