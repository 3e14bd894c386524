// Package yelp hears the reviews of one business on Yelp through the
// Yelp Fusion API (GET /v3/businesses/{id}/reviews: a few review
// excerpts, newest first). Yelp offers no public API to answer a review,
// so a Yelp channel has no Sender: replies are written on Yelp by hand.
package yelp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Yelp's times are Pacific; the host may have no zoneinfo

	"earshot/internal/connector"
	"earshot/internal/model"
)

// DefaultBaseURL is the Yelp Fusion API's public root.
const DefaultBaseURL = "https://api.yelp.com"

// timeLayout is time_created's form, in Pacific time
// (https://docs.developer.yelp.com/reference/v3_business_reviews).
const timeLayout = "2006-01-02 15:04:05"

// maxBody bounds one answer of the API.
const maxBody = 1 << 20

// maxSeen bounds the ids the cursor remembers: far more than the
// excerpts one call returns, so that a review seen once is not heard
// again when an older one comes back into the newest few (after a
// newer one is removed).
const maxSeen = 200

// accessLimitWait is how long to wait when the daily quota is spent
// (ACCESS_LIMIT_REACHED) and Yelp names no time.
const accessLimitWait = time.Hour

// client polls one business.
type client struct {
	channel  string
	business string
	base     string
	http     *http.Client
	agent    string
	auth     connector.TokenSource
	now      func() time.Time
	pacific  *time.Location
}

// New builds the connector of one Yelp channel: a Poller of the
// business's reviews and no Sender. cfg.AccountID is the Yelp business id
// or alias; cfg.Auth gives the Fusion API key.
func New(cfg connector.Config) (connector.Channel, error) {
	if cfg.AccountID == "" || strings.ContainsAny(cfg.AccountID, "/?#%\\ ") || cfg.AccountID == "." || cfg.AccountID == ".." {
		return connector.Channel{}, fmt.Errorf("yelp channel %q: account_id %q is not a Yelp business id or alias", cfg.ID, cfg.AccountID)
	}
	if cfg.Client == nil {
		return connector.Channel{}, fmt.Errorf("yelp channel %q: no HTTP client", cfg.ID)
	}
	pacific, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		return connector.Channel{}, fmt.Errorf("yelp channel %q: load Pacific time: %w", cfg.ID, err)
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	c := &client{
		channel: cfg.ID, business: cfg.AccountID, base: base, http: cfg.Client,
		agent: cfg.UserAgent, auth: cfg.Auth, now: cfg.Now, pacific: pacific,
	}
	if c.now == nil {
		c.now = time.Now
	}
	return connector.Channel{ID: cfg.ID, Platform: model.PlatformYelp, Poller: c}, nil
}

// cursorState is what the cursor remembers: the ids of the reviews
// already heard, newest first.
type cursorState struct {
	Seen []string `json:"seen"`
}

// Poll returns the reviews among the newest excerpts that were not heard
// before, oldest first. The cursor is a JSON list of ids already heard.
func (c *client) Poll(ctx context.Context, cursor string) ([]model.Mention, string, error) {
	var st cursorState
	if cursor != "" {
		if err := json.Unmarshal([]byte(cursor), &st); err != nil {
			return nil, cursor, fmt.Errorf("yelp channel %q: cursor is not a list of seen reviews: %w", c.channel, err)
		}
	}
	body, err := c.get(ctx, "/v3/businesses/"+url.PathEscape(c.business)+"/reviews?"+url.Values{"sort_by": {"newest"}}.Encode())
	if err != nil {
		return nil, cursor, fmt.Errorf("yelp channel %q: reviews: %w", c.channel, err)
	}
	reviews, err := parseReviews(body, c.pacific)
	if err != nil {
		return nil, cursor, fmt.Errorf("yelp channel %q: reviews: %w", c.channel, err)
	}
	var (
		out   []model.Mention
		fresh []string
	)
	for _, r := range reviews {
		if slices.Contains(st.Seen, r.ID) || slices.Contains(fresh, r.ID) {
			continue
		}
		out = append(out, r.mention(c.channel))
		fresh = append(fresh, r.ID)
	}
	if len(out) == 0 {
		return nil, cursor, nil
	}
	slices.SortStableFunc(out, func(a, b model.Mention) int { return a.CreatedAt.Compare(b.CreatedAt) })
	seen := append(fresh, st.Seen...)
	next, err := json.Marshal(cursorState{Seen: seen[:min(len(seen), maxSeen)]})
	if err != nil {
		return nil, cursor, fmt.Errorf("yelp channel %q: encode cursor: %w", c.channel, err)
	}
	return out, string(next), nil
}

// get sends one GET with the API key and returns the body of a 200.
func (c *client) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, data, err := connector.Exchange(ctx, c.http, req, c.auth, "Yelp API key", c.agent, "Yelp", maxBody)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, apiError(resp.StatusCode, resp.Header, data, c.now())
	}
	return data, nil
}

// yelpError is Yelp's error answer: {"error":{"code","description"}}.
type yelpError struct {
	Error struct {
		Code        string `json:"code"`
		Description string `json:"description"`
	} `json:"error"`
}

// apiError turns a failed answer into a typed error: 429 and Yelp's
// limit codes a rate limit, 5xx temporary, other refusals permanent with
// Yelp's code and description.
func apiError(status int, h http.Header, body []byte, now time.Time) error {
	var ye yelpError
	_ = json.Unmarshal(body, &ye) // not Yelp's shape: the status speaks alone
	switch ye.Error.Code {
	case "TOO_MANY_REQUESTS_PER_SECOND":
		wait := time.Second
		if h.Get("Retry-After") != "" {
			wait = connector.RetryAfter(h, now)
		}
		return &connector.RateLimited{RetryAfter: wait}
	case "ACCESS_LIMIT_REACHED":
		wait := accessLimitWait
		if h.Get("Retry-After") != "" {
			wait = connector.RetryAfter(h, now)
		}
		return &connector.RateLimited{RetryAfter: wait}
	}
	if status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status >= 500 {
		return connector.FromStatus(status, h, "", now)
	}
	var reason string
	switch {
	case ye.Error.Code == "TOKEN_INVALID" || ye.Error.Code == "UNAUTHORIZED_ACCESS_TOKEN" || status == http.StatusUnauthorized:
		reason = "Yelp did not accept the API key: check the channel's key in the Yelp developer console"
	case ye.Error.Code == "BUSINESS_NOT_FOUND" || status == http.StatusNotFound:
		reason = "Yelp has no such business: check the channel's account_id (the business id or alias in its Yelp address)"
	default:
		reason = "Yelp refused the request"
	}
	if ye.Error.Code != "" {
		reason += fmt.Sprintf(" (Yelp: %s: %s)", cut(ye.Error.Code, 60), cut(ye.Error.Description, 200))
	}
	return connector.FromStatus(status, h, reason, now)
}

// cut shortens s to at most n bytes, keeping whole runes.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// reviewList is the answer of GET /v3/businesses/{id}/reviews.
type reviewList struct {
	Reviews []review `json:"reviews"`
}

// review is one excerpt.
type review struct {
	ID          string   `json:"id"`
	URL         string   `json:"url"`
	Text        string   `json:"text"`
	Rating      *float64 `json:"rating"`
	TimeCreated string   `json:"time_created"`
	User        struct {
		ID         string `json:"id"`
		ProfileURL string `json:"profile_url"`
		ImageURL   string `json:"image_url"`
		Name       string `json:"name"`
	} `json:"user"`

	created time.Time
	stars   int
}

// parseReviews reads an answer and checks each review for what a
// mention needs; one that breaks the documented shape fails the whole
// answer with a message naming the review and field.
func parseReviews(body []byte, pacific *time.Location) ([]review, error) {
	var list reviewList
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("answer is not a review list: %w", err)
	}
	for i := range list.Reviews {
		if err := list.Reviews[i].check(pacific); err != nil {
			return nil, fmt.Errorf("review %d: %w", i, err)
		}
	}
	return list.Reviews, nil
}

// check validates r and parses its time and rating.
func (r *review) check(pacific *time.Location) error {
	switch {
	case r.ID == "":
		return errors.New("has no id")
	case len(r.ID) > 256:
		return errors.New("id is longer than 256 bytes")
	case r.User.ID == "" && r.User.Name == "":
		return errors.New("has no user")
	case len(r.User.ID) > 256 || len(r.User.Name) > 256:
		return errors.New("user id or name is longer than 256 bytes")
	case r.URL != "" && !strings.HasPrefix(r.URL, "https://") && !strings.HasPrefix(r.URL, "http://"):
		return fmt.Errorf("url %q is not an http link", cut(r.URL, 60))
	case r.Rating == nil:
		return errors.New("has no rating")
	}
	if v := *r.Rating; math.IsNaN(v) || v < 1 || v > 5 {
		return fmt.Errorf("rating %v is not 1 to 5", v)
	}
	r.stars = int(math.Round(*r.Rating))
	t, err := time.ParseInLocation(timeLayout, r.TimeCreated, pacific)
	if err != nil {
		return fmt.Errorf("time_created %q is not YYYY-MM-DD hh:mm:ss", cut(r.TimeCreated, 40))
	}
	r.created = t
	return nil
}

// mention maps r to the mention contract; its url is the full review.
func (r *review) mention(channel string) model.Mention {
	stars := r.stars
	handle := r.User.Name
	if handle == "" {
		handle = r.User.ID
	}
	return model.Mention{
		Platform:   model.PlatformYelp,
		Channel:    channel,
		ExternalID: r.ID,
		Kind:       model.KindReview,
		Direction:  model.DirectionInbound,
		Text:       r.Text,
		URL:        r.URL,
		CreatedAt:  r.created,
		ThreadID:   r.ID,
		Rating:     &stars,
		Author:     model.Author{ID: r.User.ID, Handle: handle, Name: r.User.Name},
	}
}
