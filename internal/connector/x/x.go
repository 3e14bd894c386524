// Package x is Earshot's connector for X (formerly Twitter), API v2: it
// polls an account's mentions timeline, answers with posts and direct
// messages, and reads the two webhook formats X delivers (the X Activity
// API and the Account Activity API it replaces).
//
// X's references: https://docs.x.com/x-api/posts/timelines/introduction
// (mentions), https://docs.x.com/x-api/posts/manage-tweets/introduction
// (posting), https://docs.x.com/x-api/direct-messages/manage/introduction
// (DMs), https://docs.x.com/x-api/activity/event-payloads and
// https://docs.x.com/x-api/account-activity/introduction (webhooks),
// https://docs.x.com/x-api/fundamentals/response-codes-and-errors.
package x

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// DefaultBaseURL is X's public API root.
const DefaultBaseURL = "https://api.x.com"

// maxBody caps what is read of one answer of X: a page of 100 posts with
// their authors is well under a megabyte.
const maxBody = 8 << 20

// Client is the connector of one X channel: a Poller of its mentions and
// a Sender of its replies.
type Client struct {
	channel   string
	accountID string
	base      string
	auth      connector.TokenSource
	client    *http.Client
	userAgent string
	now       func() time.Time
}

// New returns the connector of one X channel (a connector.Factory).
// cfg.AccountID is our X user id; cfg.Auth gives the OAuth 2.0 user
// access token.
func New(cfg connector.Config) (connector.Channel, error) {
	c, err := newClient(cfg)
	if err != nil {
		return connector.Channel{}, err
	}
	return connector.Channel{ID: cfg.ID, Platform: model.PlatformX, Sender: c, Poller: c}, nil
}

// newClient checks cfg and builds the client.
func newClient(cfg connector.Config) (*Client, error) {
	if cfg.ID == "" {
		return nil, errors.New("x channel: needs an id")
	}
	if !numericID(cfg.AccountID) {
		return nil, fmt.Errorf("x channel %q: account_id must be the numeric X user id, not %q", cfg.ID, cfg.AccountID)
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("x channel %q: base_url %q is not an http(s) URL", cfg.ID, cfg.BaseURL)
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	auth := cfg.Auth
	if auth == nil {
		auth = connector.StaticToken("")
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	ua := cfg.UserAgent
	if ua == "" {
		ua = "Earshot"
	}
	return &Client{channel: cfg.ID, accountID: cfg.AccountID, base: base, auth: auth,
		client: client, userAgent: ua, now: now}, nil
}

// numericID reports whether s is an X id: a non-empty run of digits.
func numericID(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// newRequest builds a request to path under the base URL with the
// channel's token and User-Agent.
func (c *Client) newRequest(ctx context.Context, method, path string, query url.Values, body []byte) (*http.Request, error) {
	token, err := c.auth.Token(ctx)
	if err != nil {
		return nil, fmt.Errorf("x channel %q: %w", c.channel, err)
	}
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var r io.Reader
	if body != nil {
		r = strings.NewReader(string(body))
	}
	req, err := http.NewRequestWithContext(ctx, method, u, r)
	if err != nil {
		return nil, fmt.Errorf("x channel %q: build request: %w", c.channel, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// problem is X's error answer (RFC 7807 style), and the errors array of
// a partial answer. See
// https://docs.x.com/x-api/fundamentals/response-codes-and-errors.
type problem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
	Errors []struct {
		Title   string `json:"title"`
		Detail  string `json:"detail"`
		Message string `json:"message"`
	} `json:"errors"`
}

// reason is X's explanation in a problem body, in its own words ("" when
// the body says nothing readable). It is short and plain: the title and
// the detail, never the rest of the body.
func reason(body []byte) string {
	var p problem
	if json.Unmarshal(body, &p) != nil {
		return ""
	}
	title, detail := p.Title, p.Detail
	if title == "" && detail == "" && len(p.Errors) > 0 {
		title, detail = p.Errors[0].Title, p.Errors[0].Detail
		if detail == "" {
			detail = p.Errors[0].Message
		}
	}
	var parts []string
	for _, s := range []string{title, detail} {
		if s = strings.TrimSpace(s); s != "" && !strings.Contains(strings.Join(parts, " "), s) {
			parts = append(parts, s)
		}
	}
	return clip(strings.Join(parts, ": "), 300)
}

// clip shortens s to at most n bytes at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// statusError types a failed answer of X for the outbox and the poller:
// 429 is RateLimited (until x-rate-limit-reset), 5xx Temporary, 401 and
// 403 Permanent with X's title and detail in plain words.
func (c *Client) statusError(status int, h http.Header, body []byte) error {
	why := reason(body)
	if status == http.StatusUnauthorized {
		if why == "" {
			why = "Unauthorized"
		}
		why = "X did not accept the channel's access token (" + why + "); renew the token of channel " + c.channel
	}
	return connector.FromStatus(status, h, why, c.now())
}

// readBody reads at most maxBody bytes of resp's body.
func readBody(resp *http.Response) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("the answer is over %d bytes", maxBody)
	}
	return body, nil
}

// postURL is the public link of a post.
func postURL(username, id string) string {
	if username == "" {
		return "https://x.com/i/web/status/" + id
	}
	return "https://x.com/" + url.PathEscape(username) + "/status/" + id
}
