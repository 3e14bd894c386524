// Package feed hears RSS and Atom feeds (news, blogs, Google Alerts):
// it polls a feed's address with a conditional GET (If-None-Match,
// If-Modified-Since) and turns each item not seen before into a mention
// (platform rss, kind post). A feed cannot be answered: its channel has
// no Sender.
package feed

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// MaxBody is the largest feed read; a larger one fails the poll.
const MaxBody = 5 << 20

// maxSeen bounds the item ids the cursor remembers: more than a feed
// holds at once, so that an item that drops out and comes back is not
// heard twice.
const maxSeen = 500

// accept says which answers Earshot can read.
const accept = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"

// client polls one feed.
type client struct {
	channel string
	url     *url.URL
	http    *http.Client
	agent   string
	auth    connector.TokenSource
	now     func() time.Time
}

// New builds the connector of one feed channel: a Poller of cfg.URL (an
// http or https address; base_url is not used) and no Sender.
func New(cfg connector.Config) (connector.Channel, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return connector.Channel{}, fmt.Errorf("feed channel %q: url %q is not an http or https address", cfg.ID, cfg.URL)
	}
	if cfg.Client == nil {
		return connector.Channel{}, fmt.Errorf("feed channel %q: no HTTP client", cfg.ID)
	}
	c := &client{channel: cfg.ID, url: u, http: cfg.Client, agent: cfg.UserAgent, auth: cfg.Auth, now: cfg.Now}
	if c.now == nil {
		c.now = time.Now
	}
	return connector.Channel{ID: cfg.ID, Platform: model.PlatformRSS, Poller: c}, nil
}

// cursorState is what the cursor remembers between polls.
type cursorState struct {
	ETag         string   `json:"etag,omitempty"`
	LastModified string   `json:"last_modified,omitempty"`
	Seen         []string `json:"seen,omitempty"` // item ids, newest first
}

// Poll fetches the feed unless it is unchanged since cursor (a JSON
// object of the last ETag, Last-Modified and item ids heard) and returns
// its items not heard before, oldest first.
func (c *client) Poll(ctx context.Context, cursor string) ([]model.Mention, string, error) {
	var st cursorState
	if cursor != "" {
		if err := json.Unmarshal([]byte(cursor), &st); err != nil {
			return nil, cursor, fmt.Errorf("feed channel %q: cursor is not a feed state: %w", c.channel, err)
		}
	}
	body, h, err := c.fetch(ctx, st)
	if err != nil {
		return nil, cursor, fmt.Errorf("feed channel %q: %w", c.channel, err)
	}
	if body == nil { // 304 Not Modified
		return nil, cursor, nil
	}
	doc, err := parseFeed(body, c.url)
	if err != nil {
		return nil, cursor, fmt.Errorf("feed channel %q: %s: %w", c.channel, c.url.Redacted(), err)
	}
	now := c.now()
	var (
		out     []model.Mention
		current []string
	)
	for _, it := range doc.Items {
		m, ok := c.mention(doc, it, now)
		if !ok || slices.Contains(current, m.ExternalID) {
			continue
		}
		current = append(current, m.ExternalID)
		if !slices.Contains(st.Seen, m.ExternalID) {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b model.Mention) int { return a.CreatedAt.Compare(b.CreatedAt) })
	next := cursorState{ETag: h.Get("ETag"), LastModified: h.Get("Last-Modified"), Seen: current}
	for _, id := range st.Seen {
		if len(next.Seen) >= maxSeen {
			break
		}
		if !slices.Contains(current, id) {
			next.Seen = append(next.Seen, id)
		}
	}
	next.Seen = next.Seen[:min(len(next.Seen), maxSeen)]
	data, err := json.Marshal(next)
	if err != nil {
		return nil, cursor, fmt.Errorf("feed channel %q: encode cursor: %w", c.channel, err)
	}
	return out, string(data), nil
}

// fetch GETs the feed, conditional on st's validators. It returns a nil
// body for 304 Not Modified.
func (c *client) fetch(ctx context.Context, st cursorState) ([]byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url.String(), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", accept)
	if c.agent != "" {
		req.Header.Set("User-Agent", c.agent)
	}
	if st.ETag != "" {
		req.Header.Set("If-None-Match", st.ETag)
	}
	if st.LastModified != "" {
		req.Header.Set("If-Modified-Since", st.LastModified)
	}
	if err := connector.Authorize(ctx, req, c.auth, "token for the feed"); err != nil {
		return nil, nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, &connector.Temporary{Reason: "could not reach the feed: " + err.Error()}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return nil, resp.Header, nil
	case resp.StatusCode != http.StatusOK:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
		reason := "the feed's address answered " + http.StatusText(resp.StatusCode) + ": check the channel's url"
		return nil, nil, connector.FromStatus(resp.StatusCode, resp.Header, reason, c.now())
	}
	body, err := connector.ReadBody(resp, MaxBody, "the feed")
	if err != nil {
		return nil, nil, err
	}
	return body, resp.Header, nil
}

// mention maps one item to the mention contract; ok is false for an item
// with nothing to read (no title, text or link).
func (c *client) mention(doc parsed, it item, now time.Time) (model.Mention, bool) {
	text := strings.TrimSpace(it.Title)
	if it.Body != "" && it.Body != text {
		text = strings.TrimSpace(text + "\n\n" + it.Body)
	}
	if text == "" && it.Link == "" {
		return model.Mention{}, false
	}
	if text == "" {
		text = it.Link
	}
	host := c.url.Hostname()
	for _, l := range []string{it.Link, doc.Link} {
		if u, err := url.Parse(l); err == nil && u.Hostname() != "" {
			host = u.Hostname()
			break
		}
	}
	created := it.Date
	// A date the pipeline would refuse (none, before 1990, ahead of the
	// clock) is replaced by the time it was heard rather than lose the item.
	if created.IsZero() || created.Year() < 1990 || created.After(now) {
		created = now
	}
	id := itemID(it, c.url.String())
	return model.Mention{
		Platform:   model.PlatformRSS,
		Channel:    c.channel,
		ExternalID: id,
		Kind:       model.KindPost,
		Direction:  model.DirectionInbound,
		Text:       text,
		URL:        it.Link,
		CreatedAt:  created,
		ThreadID:   id,
		Author:     model.Author{Handle: host, Name: firstOf(it.Author, doc.Author, doc.Title, host)},
	}, true
}
