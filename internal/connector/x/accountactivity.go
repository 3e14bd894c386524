package x

import (
	"encoding/json"
	"fmt"
	"time"

	"earshot/internal/model"
)

// v1Time is how a v1.1 post dates itself: "Wed Oct 10 20:19:24 +0000 2018".
const v1Time = time.RubyDate

// accountActivity is one Account Activity API delivery (deprecated by X
// in 2026, still delivered to many accounts): the account it is for and
// its events by kind. See https://docs.x.com/x-api/account-activity/introduction.
type accountActivity struct {
	ForUserID         string    `json:"for_user_id"`
	TweetCreateEvents []v1Tweet `json:"tweet_create_events"`
	dmPayload
}

// v1Tweet is a v1.1 post as tweet_create_events carries it.
type v1Tweet struct {
	IDStr     string `json:"id_str"`
	Text      string `json:"text"`
	Truncated bool   `json:"truncated"`
	// ExtendedTweet holds the whole text of a post longer than text
	// shows (truncated is then true).
	ExtendedTweet *struct {
		FullText string `json:"full_text"`
	} `json:"extended_tweet"`
	CreatedAt            string     `json:"created_at"`
	InReplyToStatusIDStr string     `json:"in_reply_to_status_id_str"`
	User                 legacyUser `json:"user"`
	// RetweetedStatus is set on a repost, which says nothing new.
	RetweetedStatus json.RawMessage `json:"retweeted_status"`
}

// parseAccountActivity reads an Account Activity API delivery for the
// channel of for_user_id: its posts (tweet_create_events) and direct
// messages (direct_message_events). Other events (likes, follows) are no
// mentions.
func parseAccountActivity(body []byte, channels map[string]string) ([]model.Mention, error) {
	var a accountActivity
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("x webhook: the Account Activity event is not in X's shape (%v): %w", err, ErrShape)
	}
	channel, ok := channels[a.ForUserID]
	if !ok {
		return nil, nil
	}
	var out []model.Mention
	for i := range a.TweetCreateEvents {
		t := &a.TweetCreateEvents[i]
		if len(t.RetweetedStatus) > 0 && string(t.RetweetedStatus) != "null" {
			continue
		}
		m, err := t.mention(channel, a.ForUserID)
		if err != nil {
			return nil, fmt.Errorf("x webhook: tweet_create_events: %w", err)
		}
		out = append(out, m)
	}
	dms, err := a.mentions(channel, a.ForUserID)
	if err != nil {
		return nil, fmt.Errorf("x webhook: direct_message_events: %w", err)
	}
	return append(out, dms...), nil
}

// mention maps a v1.1 post to a mention.
func (t *v1Tweet) mention(channel, account string) (model.Mention, error) {
	if !numericID(t.IDStr) {
		return model.Mention{}, fmt.Errorf("a post has no id_str: %w", ErrShape)
	}
	at, err := time.Parse(v1Time, t.CreatedAt)
	if err == nil && at.IsZero() {
		err = ErrShape
	}
	if err != nil {
		return model.Mention{}, fmt.Errorf("post %s: created_at %q is not X's v1.1 date: %w", t.IDStr, clip(t.CreatedAt, 40), ErrShape)
	}
	author := t.User.author("")
	if !numericID(author.ID) {
		return model.Mention{}, fmt.Errorf("post %s has no user id_str: %w", t.IDStr, ErrShape)
	}
	text := t.Text
	if t.Truncated && t.ExtendedTweet != nil && t.ExtendedTweet.FullText != "" {
		text = t.ExtendedTweet.FullText
	}
	return model.Mention{
		Platform:   model.PlatformX,
		Channel:    channel,
		ExternalID: t.IDStr,
		Kind:       model.KindPost,
		Direction:  direction(author.ID, account),
		Text:       text,
		URL:        postURL(author.Handle, t.IDStr),
		CreatedAt:  at.UTC(),
		InReplyTo:  t.InReplyToStatusIDStr,
		// v1.1 posts carry no conversation_id. The post it answers stands
		// in for the thread; ingest follows the reply chain from it to
		// the conversation's root and threads the case there.
		ThreadID: t.InReplyToStatusIDStr,
		Author:   author,
	}, nil
}
