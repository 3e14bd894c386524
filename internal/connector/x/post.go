package x

import (
	"errors"
	"fmt"
	"time"

	"earshot/internal/model"
)

// ErrShape marks an answer or delivery of X that is valid JSON but not
// in X's documented shape (a post with no id, a date that is no date).
// The text of the post is never in the error.
var ErrShape = errors.New("not in X's documented shape")

// v2Post is a post of API v2 as the mentions timeline and the X Activity
// API give it, with the fields Earshot asks for. See
// https://docs.x.com/x-api/fundamentals/data-dictionary (Post object).
type v2Post struct {
	ID             string `json:"id"`
	Text           string `json:"text"`
	AuthorID       string `json:"author_id"`
	CreatedAt      string `json:"created_at"`
	ConversationID string `json:"conversation_id"`
	// InReplyToTweetID is in the X Activity API's payloads; the mentions
	// timeline says the same in referenced_tweets.
	InReplyToTweetID string `json:"in_reply_to_tweet_id"`
	InReplyToUserID  string `json:"in_reply_to_user_id"`
	ReferencedTweets []struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"referenced_tweets"`
	Lang string `json:"lang"`
}

// v2User is a user of API v2 (the includes of an answer or an event).
type v2User struct {
	ID            string `json:"id"`
	Username      string `json:"username"`
	Name          string `json:"name"`
	Verified      bool   `json:"verified"`
	Location      string `json:"location"`
	PublicMetrics struct {
		FollowersCount int64 `json:"followers_count"`
		FollowingCount int64 `json:"following_count"`
		// X's newest reference names the count of a user's posts
		// post_count; older answers, and the event samples, tweet_count.
		PostCount  *int64 `json:"post_count"`
		TweetCount *int64 `json:"tweet_count"`
	} `json:"public_metrics"`
}

// author is the author card of u.
func (u *v2User) author() model.Author {
	a := model.Author{ID: u.ID, Handle: u.Username, Name: u.Name, Verified: u.Verified, Location: u.Location,
		Followers: u.PublicMetrics.FollowersCount, Following: u.PublicMetrics.FollowingCount}
	switch {
	case u.PublicMetrics.PostCount != nil:
		a.Posts = *u.PublicMetrics.PostCount
	case u.PublicMetrics.TweetCount != nil:
		a.Posts = *u.PublicMetrics.TweetCount
	}
	return a
}

// usersByID indexes the users of an answer's includes.
func usersByID(users []v2User) map[string]*v2User {
	m := make(map[string]*v2User, len(users))
	for i := range users {
		m[users[i].ID] = &users[i]
	}
	return m
}

// mention maps a v2 post heard on channel, whose X account is account,
// to a mention. users are the answer's expanded authors; a post whose
// author is not among them carries the author's id only.
func (p *v2Post) mention(channel, account string, users map[string]*v2User) (model.Mention, error) {
	if !numericID(p.ID) {
		return model.Mention{}, fmt.Errorf("a post's id %q is no X id: %w", clip(p.ID, 40), ErrShape)
	}
	if !numericID(p.AuthorID) {
		return model.Mention{}, fmt.Errorf("post %s has no author_id: %w", p.ID, ErrShape)
	}
	at, err := time.Parse(time.RFC3339, p.CreatedAt)
	if err == nil && at.IsZero() {
		err = ErrShape
	}
	if err != nil {
		return model.Mention{}, fmt.Errorf("post %s: created_at %q is no RFC 3339 time: %w", p.ID, clip(p.CreatedAt, 40), ErrShape)
	}
	author := model.Author{ID: p.AuthorID}
	if u := users[p.AuthorID]; u != nil {
		author = u.author()
	}
	parent := p.InReplyToTweetID
	for _, r := range p.ReferencedTweets {
		if parent == "" && r.Type == "replied_to" {
			parent = r.ID
		}
	}
	m := model.Mention{
		Platform:   model.PlatformX,
		Channel:    channel,
		ExternalID: p.ID,
		// A reply on X is a post like any other; that it answers one is
		// in InReplyTo.
		Kind:      model.KindPost,
		Direction: direction(p.AuthorID, account),
		Text:      p.Text,
		URL:       postURL(author.Handle, p.ID),
		CreatedAt: at,
		InReplyTo: parent,
		ThreadID:  p.ConversationID,
		Author:    author,
	}
	return m, nil
}

// direction is outbound for what our own account wrote.
func direction(authorID, account string) string {
	if authorID == account {
		return model.DirectionOutbound
	}
	return model.DirectionInbound
}
