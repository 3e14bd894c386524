// Package demoplatform is the simulated social platform of earshot serve
// --demo: a loopback HTTP server that answers in the documented shapes of
// X API v2 (the mentions timeline, POST /2/tweets, direct messages) and
// the Google Business Profile API (a location's reviews and their
// replies), posts a new mention or review now and then, and takes the
// replies Earshot sends, answering with ids whose links are on
// simulated.invalid, so that nothing it shows can pass for the real
// platforms. It never calls out.
package demoplatform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// LinkHost is the host of every link the simulator gives: .invalid is
// reserved (RFC 2606), so no such link reaches a real site.
const LinkHost = "simulated.invalid"

// Options configure a Simulator.
type Options struct {
	// XAccountID is our X user id, whose mentions timeline it serves.
	XAccountID string
	// GoogleLocation is our location's resource name,
	// accounts/{a}/locations/{l}, whose reviews it serves.
	GoogleLocation string
	// Token is the bearer token every request must carry.
	Token string
	// Every is how often a new mention or review appears (Run); zero
	// means 20 seconds.
	Every  time.Duration
	Logger *slog.Logger
}

// Reply is one reply Earshot sent to the simulator.
type Reply struct {
	// Platform is "x" or "google"; ID is the id the simulator gave it
	// and InReplyTo the post or review it answers.
	Platform  string
	ID        string
	InReplyTo string
	Private   bool
	Text      string
}

// Simulator is the running simulated platform. Its methods are safe for
// concurrent use.
type Simulator struct {
	opts Options
	ln   net.Listener
	srv  *http.Server

	mu      sync.Mutex
	seq     int64
	posts   []post
	reviews []review
	replies []Reply
}

// post is a mention of our X account on the simulated timeline.
type post struct {
	ID, Text, AuthorID, Username, Name string
	At                                 time.Time
}

// review is a review of our location.
type review struct {
	ID, Reviewer, Stars, Comment string
	At                           time.Time
	Reply                        string
	RepliedAt                    time.Time
}

// Start listens on a free loopback port and serves the simulated
// platform until Close. It holds one mention and one review at once, so
// that the demo's channels hear something on their first poll.
func Start(opts Options) (*Simulator, error) {
	if opts.XAccountID == "" || opts.GoogleLocation == "" || opts.Token == "" {
		return nil, errors.New("demo platform: needs an X account id, a Google location and a token")
	}
	if opts.Every <= 0 {
		opts.Every = 20 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo platform: listen: %w", err)
	}
	s := &Simulator{opts: opts, ln: ln, seq: 1_900_000_000_000_000_000}
	s.srv = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	s.Post()
	s.Review()
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			opts.Logger.Error("demo platform stopped", "err", err)
		}
	}()
	return s, nil
}

// URL is the simulator's root, the base_url of the demo's channels.
func (s *Simulator) URL() string { return "http://" + s.ln.Addr().String() }

// Addr is the loopback address the simulator listens on, the one address
// the demo's channels may reach.
func (s *Simulator) Addr() netip.Addr {
	return s.ln.Addr().(*net.TCPAddr).AddrPort().Addr().Unmap()
}

// Close stops serving.
func (s *Simulator) Close() error { return s.srv.Close() }

// Run adds a mention or a review, in turn, every Options.Every until ctx
// ends.
func (s *Simulator) Run(ctx context.Context) error {
	t := time.NewTicker(s.opts.Every)
	defer t.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if n%3 == 2 {
			s.Review()
		} else {
			s.Post()
		}
	}
}

// Replies returns the replies sent to the simulator so far.
func (s *Simulator) Replies() []Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Reply(nil), s.replies...)
}

// Link is the simulated link of an id on a platform ("x" or "google").
func Link(platform, id string) string {
	return "https://" + LinkHost + "/" + platform + "/" + id
}

// nextID returns a new numeric id; the caller holds s.mu.
func (s *Simulator) nextID() string {
	s.seq++
	return strconv.FormatInt(s.seq, 10)
}

// Post puts a new mention of our account on the X timeline.
func (s *Simulator) Post() {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := len(s.posts)
	w := xWriters[i%len(xWriters)]
	s.posts = append(s.posts, post{ID: s.nextID(), Text: xTexts[i%len(xTexts)], AuthorID: strconv.Itoa(5000 + i%len(xWriters)),
		Username: w[0], Name: w[1], At: time.Now().UTC()})
	if len(s.posts) > 500 {
		s.posts = s.posts[len(s.posts)-500:]
	}
}

// Review puts a new review on the location.
func (s *Simulator) Review() {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := len(s.reviews)
	r := googleReviews[i%len(googleReviews)]
	s.reviews = append(s.reviews, review{ID: "sim" + s.nextID(), Reviewer: r[0], Stars: r[1], Comment: r[2], At: time.Now().UTC()})
	if len(s.reviews) > 200 {
		s.reviews = s.reviews[len(s.reviews)-200:]
	}
}

// routes serves the endpoints the X and Google connectors call.
func (s *Simulator) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2/users/{id}/mentions", s.xMentions)
	mux.HandleFunc("POST /2/tweets", s.xPost)
	mux.HandleFunc("POST /2/dm_conversations/with/{id}/messages", s.xDM)
	mux.HandleFunc("GET /v4/accounts/{a}/locations/{l}/reviews", s.googleReviews)
	mux.HandleFunc("PUT /v4/accounts/{a}/locations/{l}/reviews/{r}/reply", s.googleReply)
	return s.authorized(mux)
}

// authorized refuses a request without the bearer token, as the
// platforms do (X's problem shape; Google answers in the same status).
func (s *Simulator) authorized(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+s.opts.Token {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// notFound answers 404 in X's problem shape.
func notFound(w http.ResponseWriter, detail string) {
	writeJSON(w, http.StatusNotFound, map[string]any{"title": "Not Found Error", "type": "https://api.twitter.com/2/problems/resource-not-found", "status": 404, "detail": detail})
}

// readJSON decodes a request body of at most 64 KiB into v.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"title": "Invalid Request", "status": 400, "detail": "the body is not the JSON expected"})
		return false
	}
	return true
}

// idLess orders X's numeric ids, which are compared as numbers.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// xMentions is GET /2/users/:id/mentions (X API v2, "User mention
// timeline"): the posts after since_id, newest first, with the authors
// in includes.users and meta.newest_id
// (https://docs.x.com/x-api/users/get-mentions).
func (s *Simulator) xMentions(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != s.opts.XAccountID {
		notFound(w, "Could not find user with id: ["+r.PathValue("id")+"].")
		return
	}
	since := r.URL.Query().Get("since_id")
	var data []map[string]any
	users := map[string]map[string]any{}
	s.mu.Lock()
	for i := len(s.posts) - 1; i >= 0 && len(data) < 100; i-- {
		p := s.posts[i]
		if since != "" && !idLess(since, p.ID) {
			break
		}
		data = append(data, map[string]any{"id": p.ID, "text": p.Text, "author_id": p.AuthorID, "created_at": p.At.Format(time.RFC3339),
			"conversation_id": p.ID, "lang": "en", "edit_history_tweet_ids": []string{p.ID}})
		users[p.AuthorID] = map[string]any{"id": p.AuthorID, "username": p.Username, "name": p.Name, "verified": false,
			"public_metrics": map[string]int{"followers_count": 120, "following_count": 80, "post_count": 900}}
	}
	s.mu.Unlock()
	if len(data) == 0 {
		writeJSON(w, http.StatusOK, map[string]any{"meta": map[string]int{"result_count": 0}})
		return
	}
	inc := make([]map[string]any, 0, len(users))
	for _, u := range users {
		inc = append(inc, u)
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "includes": map[string]any{"users": inc},
		"meta": map[string]any{"result_count": len(data), "newest_id": data[0]["id"], "oldest_id": data[len(data)-1]["id"]}})
}

// xPost is POST /2/tweets: a reply post, answered 201 with its id and
// text (https://docs.x.com/x-api/posts/create-post).
func (s *Simulator) xPost(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Text  string `json:"text"`
		Reply struct {
			InReplyTo string `json:"in_reply_to_tweet_id"`
		} `json:"reply"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	s.mu.Lock()
	id := s.nextID()
	s.replies = append(s.replies, Reply{Platform: "x", ID: id, InReplyTo: body.Reply.InReplyTo, Text: body.Text})
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"data": map[string]any{"id": id, "text": body.Text, "edit_history_tweet_ids": []string{id}}})
}

// xDM is POST /2/dm_conversations/with/:participant_id/messages,
// answered 201 with the conversation and event ids
// (https://docs.x.com/x-api/direct-messages/create-dm-message-by-participant-id).
func (s *Simulator) xDM(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Text string `json:"text"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	s.mu.Lock()
	id := s.nextID()
	s.replies = append(s.replies, Reply{Platform: "x", ID: id, InReplyTo: r.PathValue("id"), Private: true, Text: body.Text})
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"data": map[string]any{"dm_conversation_id": s.opts.XAccountID + "-" + r.PathValue("id"), "dm_event_id": id}})
}

// location says whether the request's path names our location.
func (s *Simulator) location(r *http.Request) bool {
	return "accounts/"+r.PathValue("a")+"/locations/"+r.PathValue("l") == s.opts.GoogleLocation
}

// googleReviews is accounts.locations.reviews.list: the reviews, most
// recently updated first
// (https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews/list).
func (s *Simulator) googleReviews(w http.ResponseWriter, r *http.Request) {
	if !s.location(r) {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}})
		return
	}
	var out []map[string]any
	s.mu.Lock()
	for i := len(s.reviews) - 1; i >= 0 && len(out) < 50; i-- {
		rv := s.reviews[i]
		m := map[string]any{"name": s.opts.GoogleLocation + "/reviews/" + rv.ID, "reviewId": rv.ID,
			"reviewer": map[string]any{"displayName": rv.Reviewer}, "starRating": rv.Stars, "comment": rv.Comment,
			"createTime": rv.At.Format(time.RFC3339Nano), "updateTime": rv.At.Format(time.RFC3339Nano)}
		if rv.Reply != "" {
			m["reviewReply"] = map[string]any{"comment": rv.Reply, "updateTime": rv.RepliedAt.Format(time.RFC3339Nano)}
		}
		out = append(out, m)
	}
	n := len(s.reviews)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"reviews": out, "averageRating": 3.4, "totalReviewCount": n})
}

// googleReply is accounts.locations.reviews.updateReply: the owner's
// reply, answered with the ReviewReply
// (https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews/updateReply).
func (s *Simulator) googleReply(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Comment string `json:"comment"`
	}
	if !s.location(r) || !readJSON(w, r, &body) {
		if !s.location(r) {
			writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}})
		}
		return
	}
	now := time.Now().UTC()
	id := r.PathValue("r")
	s.mu.Lock()
	found := false
	for i := range s.reviews {
		if s.reviews[i].ID == id {
			s.reviews[i].Reply, s.reviews[i].RepliedAt, found = body.Comment, now, true
		}
	}
	if found {
		s.replies = append(s.replies, Reply{Platform: "google", ID: s.opts.GoogleLocation + "/reviews/" + id + "/reply", InReplyTo: id, Text: body.Comment})
	}
	s.mu.Unlock()
	if !found {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"comment": body.Comment, "updateTime": now.Format(time.RFC3339Nano), "state": "LIVE"})
}

// The simulated people and what they write.
var (
	xWriters = [][2]string{{"sim_maria", "Maria (simulated)"}, {"sim_devon", "Devon (simulated)"}, {"sim_priya", "Priya (simulated)"}, {"sim_lee", "Lee (simulated)"}}
	xTexts   = []string{
		"@lonestarhealth still waiting on my new member ID card, it's been three weeks",
		"@lonestarhealth my claim for last month's visit was denied and nobody can tell me why",
		"@lonestarhealth huge thanks to the nurses at Austin Medical Center, they were wonderful",
		"@lonestarhealth how do I find an in-network dermatologist near Round Rock?",
		"@lonestarhealth the wait at Mission Hospital ER was over five hours tonight",
		"@lonestarhealth why is my bill higher than the estimate you gave me?",
	}
	googleReviews = [][3]string{
		{"Jordan (simulated)", "TWO", "Front desk was rude and I waited an hour past my appointment."},
		{"Casey (simulated)", "FIVE", "Dr. Alvarez took time to explain everything. Clean clinic, friendly staff."},
		{"Robin (simulated)", "ONE", "Parking is impossible and nobody answers the phone."},
		{"Avery (simulated)", "FOUR", "Good care, but the billing office took weeks to call back."},
	}
)
