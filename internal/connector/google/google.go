// Package google hears and answers the reviews of one Google Business
// Profile location through the Business Profile API v4: it polls the
// location's reviews, newest update first, and puts the owner's reply on
// a review. Google has no private channel to a reviewer.
package google

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// DefaultBaseURL is the Business Profile API's public root.
const DefaultBaseURL = "https://mybusiness.googleapis.com"

// pageSize is how many reviews one list call asks for: the most the API
// gives (https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews/list).
const pageSize = 50

// maxPages bounds one poll. The first poll of a location reads its history
// up to here; later polls stop at the first review not updated since.
const maxPages = 40

// maxBody bounds what one answer of the API may hold.
const maxBody = 8 << 20

// client speaks to the API for one channel.
type client struct {
	channel  string
	location string // accounts/{a}/locations/{l}
	base     string
	http     *http.Client
	agent    string
	auth     connector.TokenSource
	now      func() time.Time
}

// New builds the connector of one Google channel: a Poller of the
// location's reviews and a Sender of public replies. cfg.AccountID is
// the location's resource name, "accounts/{a}/locations/{l}".
func New(cfg connector.Config) (connector.Channel, error) {
	if !validLocation(cfg.AccountID) {
		return connector.Channel{}, fmt.Errorf("google channel %q: account_id %q is not a location name like accounts/111/locations/222", cfg.ID, cfg.AccountID)
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	if _, err := url.Parse(base); err != nil {
		return connector.Channel{}, fmt.Errorf("google channel %q: base_url: %w", cfg.ID, err)
	}
	c := &client{
		channel: cfg.ID, location: cfg.AccountID, base: base,
		http: cfg.Client, agent: cfg.UserAgent, auth: cfg.Auth, now: cfg.Now,
	}
	if c.http == nil {
		return connector.Channel{}, fmt.Errorf("google channel %q: no HTTP client", cfg.ID)
	}
	if c.now == nil {
		c.now = time.Now
	}
	return connector.Channel{ID: cfg.ID, Platform: model.PlatformGoogle, Poller: c, Sender: c}, nil
}

// validLocation reports whether name is accounts/{a}/locations/{l} with
// plain segments.
func validLocation(name string) bool {
	parts := strings.Split(name, "/")
	return len(parts) == 4 && parts[0] == "accounts" && parts[2] == "locations" &&
		plainSegment(parts[1]) && plainSegment(parts[3])
}

// plainSegment reports whether s is one non-empty path segment that needs
// no escaping and cannot climb the path.
func plainSegment(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// Poll returns the reviews created or edited since cursor, the newest
// updateTime seen (RFC 3339; "" on the first poll), oldest update first.
// An edited review comes again with its own name as external id and its
// new rating and text.
func (c *client) Poll(ctx context.Context, cursor string) ([]model.Mention, string, error) {
	var since time.Time
	if cursor != "" {
		t, err := time.Parse(time.RFC3339Nano, cursor)
		if err != nil {
			return nil, cursor, fmt.Errorf("google channel %q: cursor %q is not a time: %w", c.channel, cursor, err)
		}
		since = t
	}
	var (
		out    []model.Mention
		newest = since
		token  string
	)
	for page := 0; page < maxPages; page++ {
		q := url.Values{"pageSize": {fmt.Sprint(pageSize)}, "orderBy": {"updateTime desc"}}
		if token != "" {
			q.Set("pageToken", token)
		}
		body, err := c.do(ctx, http.MethodGet, "/v4/"+c.location+"/reviews?"+q.Encode(), nil)
		if err != nil {
			return nil, cursor, fmt.Errorf("google channel %q: list reviews: %w", c.channel, err)
		}
		list, err := parseReviews(body)
		if err != nil {
			return nil, cursor, fmt.Errorf("google channel %q: list reviews: %w", c.channel, err)
		}
		done := false
		for _, r := range list.Reviews {
			if !r.updated.After(since) {
				done = true // newest first: the rest were seen
				break
			}
			if !strings.HasPrefix(r.Name, c.location+"/reviews/") {
				return nil, cursor, fmt.Errorf("google channel %q: list reviews: review %q is not of location %s", c.channel, r.Name, c.location)
			}
			out = append(out, r.mention(c.channel))
			if r.updated.After(newest) {
				newest = r.updated
			}
		}
		if done || list.NextPageToken == "" {
			break
		}
		token = list.NextPageToken
	}
	// Oldest update first, as Poll promises; the API gave newest first.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	next := cursor
	if newest.After(since) {
		next = newest.UTC().Format(time.RFC3339Nano)
	}
	return out, next, nil
}

// do sends one request to path under the base with the channel's token
// and returns the body of a 2xx answer. Any other answer is a typed
// connector error (see apiError).
func (c *client) do(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, data, err := connector.Exchange(ctx, c.http, req, c.auth, "access token for Google", c.agent, "Google", maxBody)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, apiError(resp.StatusCode, resp.Header, data, c.now())
	}
	return data, nil
}

// googleError is the API's error answer:
// {"error":{"code":403,"message":"...","status":"PERMISSION_DENIED"}}
// (https://cloud.google.com/apis/design/errors#http_mapping).
type googleError struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
	} `json:"error"`
}

// apiError turns a failed answer into the typed error the outbox and the
// poll loop act on: 429 (and RESOURCE_EXHAUSTED) a rate limit, 5xx
// temporary, any other refusal permanent in plain words with Google's own.
func apiError(status int, h http.Header, body []byte, now time.Time) error {
	var ge googleError
	_ = json.Unmarshal(body, &ge) // a body that is not Google's shape leaves the status alone to speak
	if ge.Error.Status == "RESOURCE_EXHAUSTED" {
		status = http.StatusTooManyRequests
	}
	if status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status >= 500 {
		return connector.FromStatus(status, h, "", now)
	}
	reason := plainReason(status, ge.Error.Status)
	if msg := strings.TrimSpace(ge.Error.Message); msg != "" {
		reason += " (Google: " + cut(msg, 300) + ")"
	}
	return connector.FromStatus(status, h, reason, now)
}

// plainReason says what a refusal means for the agent, and what to do.
func plainReason(status int, code string) string {
	switch {
	case code == "UNAUTHENTICATED" || status == http.StatusUnauthorized:
		return "Google did not accept the channel's token: it expired or was revoked; reconnect the Google account"
	case code == "PERMISSION_DENIED" || status == http.StatusForbidden:
		return "the Google account may not manage this location's reviews: give it the owner or manager role on the Business Profile"
	case code == "NOT_FOUND" || status == http.StatusNotFound:
		return "Google has no such review or location: the review may have been removed"
	case code == "FAILED_PRECONDITION":
		return "Google refused: the location must be verified before its reviews can be answered"
	case code == "INVALID_ARGUMENT" || status == http.StatusBadRequest:
		return "Google refused the reply as written (too long or not allowed): shorten or reword it, or answer by phone or email"
	}
	return "Google refused the request"
}

// cut shortens s to at most n bytes on a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
