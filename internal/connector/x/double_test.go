package x

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/connector"
)

// The double's fixed facts: our account, its token, the clock.
const (
	ourID     = "2244994945"
	testToken = "user-token-1"
	testUA    = "Earshot/test"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// xDouble is a stand-in for X API v2 built from its documented shapes:
// the mentions timeline (since_id, max_results, pagination_token,
// fields), POST /2/tweets and the one-to-one DM endpoint. It checks every
// request as X would (path, bearer token, User-Agent, the fields asked
// for, the JSON body) and records what it was sent.
type xDouble struct {
	t *testing.T
	// posts are the mentions of our account, newest first, as X keeps
	// them; users the authors it expands.
	posts []map[string]any
	users map[string]map[string]any
	// fail, when set, answers a request instead of the timeline or the
	// send (an error status, a broken body).
	fail func(w http.ResponseWriter, r *http.Request) bool

	mu       sync.Mutex
	requests []*http.Request
	bodies   []map[string]any
	nextID   int64
}

// serve starts the double and returns a client of our channel on it.
func (d *xDouble) serve() (*Client, *httptest.Server) {
	d.t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(d.handle))
	d.t.Cleanup(srv.Close)
	c, err := newClient(connector.Config{ID: "acme-x", Platform: "x", AccountID: ourID, BaseURL: srv.URL,
		Auth: connector.StaticToken(testToken), Client: srv.Client(), UserAgent: testUA, Now: func() time.Time { return testNow }})
	if err != nil {
		d.t.Fatal(err)
	}
	return c, srv
}

func (d *xDouble) handle(w http.ResponseWriter, r *http.Request) {
	// Read the whole body first, as X does, so that a client that gives
	// up is seen at once.
	raw, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(raw))
	d.mu.Lock()
	d.requests = append(d.requests, r)
	d.mu.Unlock()
	if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
		writeJSON(w, 401, map[string]any{"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})
		return
	}
	if got := r.Header.Get("User-Agent"); got != testUA {
		d.t.Errorf("User-Agent = %q", got)
	}
	if d.fail != nil && d.fail(w, r) {
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/2/users/"+ourID+"/mentions":
		d.mentions(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/2/tweets":
		body := d.readJSON(w, r)
		if body == nil {
			return
		}
		reply, _ := body["reply"].(map[string]any)
		if _, ok := body["text"].(string); !ok || reply == nil || reply["in_reply_to_tweet_id"] == nil {
			writeJSON(w, 400, map[string]any{"title": "Invalid Request", "detail": "text and reply.in_reply_to_tweet_id are required", "type": "https://api.x.com/2/problems/invalid-request"})
			return
		}
		writeJSON(w, 201, map[string]any{"data": map[string]any{"id": d.newID(), "text": body["text"]}})
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/2/dm_conversations/with/") && strings.HasSuffix(r.URL.Path, "/messages"):
		body := d.readJSON(w, r)
		if body == nil {
			return
		}
		who := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/2/dm_conversations/with/"), "/messages")
		writeJSON(w, 201, map[string]any{"data": map[string]any{"dm_conversation_id": dmConversation(ourID, who), "dm_event_id": d.newID()}})
	default:
		writeJSON(w, 404, map[string]any{"title": "Not Found Error", "detail": "no such route " + r.URL.Path, "type": "about:blank"})
	}
}

// mentions answers the timeline: posts newer than since_id, newest
// first, max_results a page, with a next_token while more remain.
func (d *xDouble) mentions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for key, want := range map[string][]string{
		"tweet.fields": {"created_at", "conversation_id", "in_reply_to_user_id", "referenced_tweets", "lang", "author_id"},
		"expansions":   {"author_id"},
		"user.fields":  {"public_metrics", "verified", "username", "name"},
	} {
		got := strings.Split(q.Get(key), ",")
		for _, f := range want {
			if !slices.Contains(got, f) {
				d.t.Errorf("%s = %q lacks %s", key, q.Get(key), f)
			}
		}
	}
	size, err := strconv.Atoi(q.Get("max_results"))
	if err != nil || size < 5 || size > 100 {
		writeJSON(w, 400, map[string]any{"title": "Invalid Request", "detail": "max_results must be 5 to 100", "type": "https://api.x.com/2/problems/invalid-request"})
		return
	}
	var newer []map[string]any
	for _, p := range d.posts {
		if since := q.Get("since_id"); since == "" || compareIDs(p["id"].(string), since) > 0 {
			newer = append(newer, p)
		}
	}
	start := 0
	if tok := q.Get("pagination_token"); tok != "" {
		start, err = strconv.Atoi(strings.TrimPrefix(tok, "page-"))
		if err != nil || start > len(newer) {
			writeJSON(w, 400, map[string]any{"title": "Invalid Request", "detail": "bad pagination_token", "type": "https://api.x.com/2/problems/invalid-request"})
			return
		}
	}
	end := min(start+size, len(newer))
	page := newer[start:end]
	meta := map[string]any{"result_count": len(page)}
	if len(page) > 0 {
		meta["newest_id"], meta["oldest_id"] = page[0]["id"], page[len(page)-1]["id"]
	}
	if end < len(newer) {
		meta["next_token"] = "page-" + strconv.Itoa(end)
	}
	answer := map[string]any{"meta": meta}
	if len(page) > 0 {
		answer["data"] = page
		var users []map[string]any
		seen := map[string]bool{}
		for _, p := range page {
			id := p["author_id"].(string)
			if u, ok := d.users[id]; ok && !seen[id] {
				seen[id] = true
				users = append(users, u)
			}
		}
		answer["includes"] = map[string]any{"users": users}
	}
	writeJSON(w, 200, answer)
}

func (d *xDouble) readJSON(w http.ResponseWriter, r *http.Request) map[string]any {
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		d.t.Errorf("Content-Type = %q", ct)
	}
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		writeJSON(w, 400, map[string]any{"title": "Invalid Request", "detail": "body is not JSON", "type": "https://api.x.com/2/problems/invalid-request"})
		return nil
	}
	d.mu.Lock()
	d.bodies = append(d.bodies, body)
	d.mu.Unlock()
	return body
}

func (d *xDouble) newID() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.nextID++
	return strconv.FormatInt(1900000000000000000+d.nextID, 10)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// post is a v2 post of the timeline.
func post(id, author, text string, extra ...any) map[string]any {
	p := map[string]any{"id": id, "author_id": author, "text": text, "created_at": "2026-03-01T11:00:00.000Z",
		"conversation_id": id, "lang": "en", "edit_history_tweet_ids": []string{id}}
	for i := 0; i+1 < len(extra); i += 2 {
		p[extra[i].(string)] = extra[i+1]
	}
	return p
}

// user is a v2 user with public metrics; counts names the post count's
// key (post_count in X's newest reference, tweet_count before).
func user(id, username string, counts string, n int) map[string]any {
	return map[string]any{"id": id, "username": username, "name": strings.ToUpper(username[:1]) + username[1:],
		"verified": n > 1000, "public_metrics": map[string]any{"followers_count": n, "following_count": 7, counts: 321, "listed_count": 1}}
}
