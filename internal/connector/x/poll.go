package x

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// The fields a poll asks for: X returns only a post's id and text unless
// asked (https://docs.x.com/x-api/fundamentals/fields).
const (
	tweetFields = "created_at,conversation_id,in_reply_to_user_id,referenced_tweets,lang,author_id"
	userFields  = "public_metrics,verified,username,name,location"
	// pageSize is the most the mentions timeline gives a page.
	pageSize = 100
	// maxPages bounds one poll: the timeline reaches back 800 posts, 8
	// pages of 100.
	maxPages = 16
)

// mentionsPage is one answer of GET /2/users/{id}/mentions. See
// https://docs.x.com/x-api/posts/timelines/introduction.
type mentionsPage struct {
	Data     []v2Post `json:"data"`
	Includes struct {
		Users []v2User `json:"users"`
	} `json:"includes"`
	Meta struct {
		ResultCount int    `json:"result_count"`
		NewestID    string `json:"newest_id"`
		OldestID    string `json:"oldest_id"`
		NextToken   string `json:"next_token"`
	} `json:"meta"`
	Errors []json.RawMessage `json:"errors"`
}

// parseMentionsPage reads one page of the mentions timeline into the
// channel's mentions. An answer that is not the documented shape is an
// error wrapping ErrShape; so is an answer with errors and no posts (X
// answers 200 with only errors when the account is gone).
func parseMentionsPage(body []byte, channel, account string) (mentions []model.Mention, newest, next string, err error) {
	var p mentionsPage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, "", "", fmt.Errorf("the mentions answer is not the JSON X documents (%v): %w", err, ErrShape)
	}
	if p.Data == nil && len(p.Errors) > 0 {
		why := reason(p.Errors[0])
		if why == "" {
			why = "no reason given"
		}
		return nil, "", "", &connector.Permanent{Reason: "X answered with an error instead of mentions: " + why}
	}
	if p.Meta.NewestID != "" && !numericID(p.Meta.NewestID) {
		return nil, "", "", fmt.Errorf("meta.newest_id %q is no X id: %w", clip(p.Meta.NewestID, 40), ErrShape)
	}
	users := usersByID(p.Includes.Users)
	mentions = make([]model.Mention, 0, len(p.Data))
	for i := range p.Data {
		m, err := p.Data[i].mention(channel, account, users)
		if err != nil {
			return nil, "", "", err
		}
		mentions = append(mentions, m)
	}
	return mentions, p.Meta.NewestID, p.Meta.NextToken, nil
}

// Poll returns the mentions of the account after cursor (a post id, the
// since_id; "" on the first poll), oldest first, following next_token
// through every page. next is the newest post id X reports, or cursor
// when nothing is new.
func (c *Client) Poll(ctx context.Context, cursor string) ([]model.Mention, string, error) {
	if cursor != "" && !numericID(cursor) {
		return nil, cursor, fmt.Errorf("x channel %q: cursor %q is no post id", c.channel, clip(cursor, 40))
	}
	var (
		all   []model.Mention
		next  = cursor
		token string
		seen  = map[string]bool{}
	)
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, cursor, fmt.Errorf("x channel %q: the mentions timeline gave more than %d pages", c.channel, maxPages)
		}
		ms, newest, nextToken, err := c.mentionsPage(ctx, cursor, token)
		if err != nil {
			return nil, cursor, err
		}
		// The first page holds the newest posts: its newest_id is where
		// the next poll starts.
		if page == 0 && newest != "" {
			next = newest
		}
		for _, m := range ms {
			if !seen[m.ExternalID] {
				seen[m.ExternalID] = true
				all = append(all, m)
			}
		}
		if nextToken == "" {
			break
		}
		if nextToken == token {
			return nil, cursor, fmt.Errorf("x channel %q: the mentions timeline gave the same next_token twice", c.channel)
		}
		token = nextToken
	}
	slices.SortFunc(all, func(a, b model.Mention) int { return compareIDs(a.ExternalID, b.ExternalID) })
	if len(all) > 0 && compareIDs(all[len(all)-1].ExternalID, next) > 0 {
		next = all[len(all)-1].ExternalID
	}
	return all, next, nil
}

// mentionsPage asks for one page of mentions.
func (c *Client) mentionsPage(ctx context.Context, since, token string) ([]model.Mention, string, string, error) {
	q := url.Values{
		"max_results":  {strconv.Itoa(pageSize)},
		"tweet.fields": {tweetFields},
		"expansions":   {"author_id"},
		"user.fields":  {userFields},
	}
	if since != "" {
		q.Set("since_id", since)
	}
	if token != "" {
		q.Set("pagination_token", token)
	}
	req, err := c.newRequest(ctx, http.MethodGet, "/2/users/"+c.accountID+"/mentions", q, nil)
	if err != nil {
		return nil, "", "", err
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, "", "", &connector.Temporary{Reason: fmt.Sprintf("x channel %q: could not reach X for mentions (%s)", c.channel, netReason(err))}
	}
	defer resp.Body.Close()
	body, err := readBody(resp)
	if err != nil {
		return nil, "", "", &connector.Temporary{Reason: fmt.Sprintf("x channel %q: the mentions answer broke off (%s)", c.channel, netReason(err))}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, "", "", fmt.Errorf("x channel %q: mentions: %w", c.channel, c.statusError(resp.StatusCode, resp.Header, body))
	}
	ms, newest, next, err := parseMentionsPage(body, c.channel, c.accountID)
	if err != nil {
		return nil, "", "", fmt.Errorf("x channel %q: mentions: %w", c.channel, err)
	}
	return ms, newest, next, nil
}

// compareIDs orders X ids (decimal numbers of up to 19 digits) by value.
func compareIDs(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}
