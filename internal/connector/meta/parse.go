package meta

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"earshot/internal/model"
)

// The shapes of a delivery, as documented for Page webhooks
// (https://developers.facebook.com/docs/graph-api/webhooks/reference/page/#feed),
// Instagram webhooks
// (https://developers.facebook.com/docs/instagram-platform/webhooks/examples/)
// and Messenger webhook events
// (https://developers.facebook.com/docs/messenger-platform/reference/webhook-events).

type delivery struct {
	Object string  `json:"object"`
	Entry  []entry `json:"entry"`
}

type entry struct {
	ID        graphID     `json:"id"`
	Time      unixTime    `json:"time"`
	Changes   []change    `json:"changes"`
	Messaging []messaging `json:"messaging"`
	// Field and Value: one Instagram example puts a change in the entry
	// itself rather than in changes.
	Field string          `json:"field"`
	Value json.RawMessage `json:"value"`
}

type change struct {
	Field string          `json:"field"`
	Value json.RawMessage `json:"value"`
}

// feedValue is a Page feed change: a post or a comment added, edited or
// removed.
type feedValue struct {
	Item        string   `json:"item"`
	Verb        string   `json:"verb"`
	PostID      graphID  `json:"post_id"`
	CommentID   graphID  `json:"comment_id"`
	ParentID    graphID  `json:"parent_id"`
	From        person   `json:"from"`
	Message     string   `json:"message"`
	CreatedTime unixTime `json:"created_time"`
	Post        struct {
		PermalinkURL string `json:"permalink_url"`
	} `json:"post"`
}

// commentValue is an Instagram comment on our media.
type commentValue struct {
	ID       graphID `json:"id"`
	Text     string  `json:"text"`
	From     person  `json:"from"`
	ParentID graphID `json:"parent_id"`
	Media    struct {
		ID graphID `json:"id"`
	} `json:"media"`
}

type person struct {
	ID       graphID `json:"id"`
	Name     string  `json:"name"`
	Username string  `json:"username"`
}

// messaging is one Messenger or Instagram messaging event; only those with
// a message are of interest.
type messaging struct {
	Sender    person   `json:"sender"`
	Recipient person   `json:"recipient"`
	Timestamp unixTime `json:"timestamp"`
	Message   *struct {
		MID       string `json:"mid"`
		Text      string `json:"text"`
		IsEcho    bool   `json:"is_echo"`
		IsDeleted bool   `json:"is_deleted"`
		ReplyTo   struct {
			MID string `json:"mid"`
		} `json:"reply_to"`
	} `json:"message"`
}

// findChannel returns the channel of our account accountID on platform.
type findChannel func(platform, accountID string) (channel, bool)

// parseDelivery turns a delivery into mentions for the channels find
// knows. Its errors name the part that breaks the shape, never the text.
func parseDelivery(body []byte, find findChannel) ([]model.Mention, error) {
	var d delivery
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, fmt.Errorf("meta: the delivery is not a Page or Instagram webhook: %w", shapeError(err))
	}
	var platform string
	switch d.Object {
	case "page":
		platform = model.PlatformFacebook
	case "instagram":
		platform = model.PlatformInstagram
	default:
		return nil, errors.New(`meta: the delivery's object is not "page" or "instagram"`)
	}
	var out []model.Mention
	for i, e := range d.Entry {
		ch, ok := find(platform, string(e.ID))
		if !ok {
			continue
		}
		changes := e.Changes
		if e.Field != "" {
			changes = append(changes, change{Field: e.Field, Value: e.Value})
		}
		for j, c := range changes {
			m, ok, err := parseChange(ch, e, c)
			if err != nil {
				return nil, fmt.Errorf("meta: entry %d, change %d (%q): %w", i, j, boundField(c.Field), err)
			}
			if ok {
				out = append(out, m)
			}
		}
		for _, ev := range e.Messaging {
			if m, ok := messageMention(ch, e, ev); ok {
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// parseChange maps one change of an entry; ok is false for a change of no
// interest.
func parseChange(ch channel, e entry, c change) (model.Mention, bool, error) {
	var field string
	switch {
	case ch.platform == model.PlatformFacebook && c.Field == "feed":
		field = "feed"
	case ch.platform == model.PlatformInstagram && (c.Field == "comments" || c.Field == "live_comments"):
		field = "comments"
	case c.Field == "messages":
		field = "messages"
	default:
		return model.Mention{}, false, nil
	}
	if len(c.Value) == 0 || bytes.Equal(c.Value, []byte("null")) {
		return model.Mention{}, false, errors.New("value is missing")
	}
	switch field {
	case "feed":
		var v feedValue
		if err := json.Unmarshal(c.Value, &v); err != nil {
			return model.Mention{}, false, shapeError(err)
		}
		m, ok := feedMention(ch, e, v)
		return m, ok, nil
	case "comments":
		var v commentValue
		if err := json.Unmarshal(c.Value, &v); err != nil {
			return model.Mention{}, false, shapeError(err)
		}
		m, ok := commentMention(ch, e, v)
		return m, ok, nil
	default:
		var v messaging
		if err := json.Unmarshal(c.Value, &v); err != nil {
			return model.Mention{}, false, shapeError(err)
		}
		m, ok := messageMention(ch, e, v)
		return m, ok, nil
	}
}

// feedMention maps a Page feed change: a comment, or a post by a visitor
// or by the page. An edit is the same mention with its new text; a
// removal, a reaction or a like is none.
func feedMention(ch channel, e entry, v feedValue) (model.Mention, bool) {
	switch v.Verb {
	case "add", "edited", "edit":
	default:
		return model.Mention{}, false
	}
	m := model.Mention{
		Platform:  model.PlatformFacebook,
		Channel:   ch.id,
		Direction: direction(ch, string(v.From.ID)),
		Text:      v.Message,
		CreatedAt: v.CreatedTime.orElse(e.Time),
		ThreadID:  string(v.PostID),
		Author:    model.Author{ID: string(v.From.ID), Name: v.From.Name},
	}
	switch v.Item {
	case "comment":
		m.Kind, m.ExternalID, m.InReplyTo = model.KindComment, string(v.CommentID), string(v.ParentID)
	case "post", "status", "photo", "video", "share":
		m.Kind, m.ExternalID = model.KindPost, string(v.PostID)
	default:
		return model.Mention{}, false
	}
	if m.ExternalID == "" || m.ThreadID == "" || strings.TrimSpace(m.Text) == "" {
		return model.Mention{}, false
	}
	m.URL = facebookURL(v.Post.PermalinkURL, m.ThreadID, string(v.CommentID))
	if m.Author.ID == "" {
		// Meta leaves out from where the app may not read who wrote it;
		// the comment is still heard, as a person of its own.
		m.Author = model.Author{ID: unknownAuthor + m.ExternalID, Name: "Facebook user"}
	}
	return m, true
}

// unknownAuthor prefixes the author id given to a comment or post whose
// author Meta does not name.
const unknownAuthor = "unknown:"

// commentMention maps an Instagram comment on our media; the media is its
// thread.
func commentMention(ch channel, e entry, v commentValue) (model.Mention, bool) {
	m := model.Mention{
		Platform:   model.PlatformInstagram,
		Channel:    ch.id,
		ExternalID: string(v.ID),
		Kind:       model.KindComment,
		Direction:  direction(ch, string(v.From.ID)),
		Text:       v.Text,
		CreatedAt:  e.Time.time(),
		InReplyTo:  string(v.ParentID),
		ThreadID:   string(v.Media.ID),
		Author:     model.Author{ID: string(v.From.ID), Handle: v.From.Username},
	}
	if m.ExternalID == "" || m.ThreadID == "" || strings.TrimSpace(m.Text) == "" {
		return model.Mention{}, false
	}
	if m.Author.ID == "" && m.Author.Handle == "" {
		m.Author = model.Author{ID: unknownAuthor + m.ExternalID, Name: "Instagram user"}
	}
	return m, true
}

// messageMention maps a private message. The conversation with one
// person is its thread, by that person's page- or Instagram-scoped id; our
// own messages coming back (echoes) are outbound, so that they can be
// matched to the replies we sent.
func messageMention(ch channel, e entry, ev messaging) (model.Mention, bool) {
	msg := ev.Message
	if msg == nil || msg.IsDeleted || msg.MID == "" || strings.TrimSpace(msg.Text) == "" {
		return model.Mention{}, false
	}
	m := model.Mention{
		Platform:   ch.platform,
		Channel:    ch.id,
		ExternalID: msg.MID,
		Kind:       model.KindDirectMessage,
		Direction:  model.DirectionInbound,
		Text:       msg.Text,
		CreatedAt:  ev.Timestamp.orElse(e.Time),
		InReplyTo:  msg.ReplyTo.MID,
		ThreadID:   string(ev.Sender.ID),
		Author:     model.Author{ID: string(ev.Sender.ID)},
	}
	if msg.IsEcho || string(ev.Sender.ID) == ch.accountID {
		m.Direction = model.DirectionOutbound
		m.ThreadID = string(ev.Recipient.ID)
		m.Author = model.Author{ID: ch.accountID, Name: ch.name}
	}
	if m.ThreadID == "" {
		return model.Mention{}, false
	}
	return m, true
}

// direction is outbound for what our own account wrote.
func direction(ch channel, authorID string) string {
	if authorID != "" && authorID == ch.accountID {
		return model.DirectionOutbound
	}
	return model.DirectionInbound
}

// facebookURL links to a post, or to a comment on it: the post's permalink
// when the delivery gives one, else facebook.com/{post-id}, which Facebook
// resolves; a comment is the post's link with comment_id, the comment's
// own id after the post's.
func facebookURL(permalink, postID, commentID string) string {
	u, err := url.Parse(permalink)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		u = &url.URL{Scheme: "https", Host: "www.facebook.com", Path: "/" + postID}
	}
	if commentID != "" {
		q := u.Query()
		q.Set("comment_id", commentID[strings.LastIndexByte(commentID, '_')+1:])
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// graphID is a Graph API id: a string, which a number is taken as too.
type graphID string

func (g *graphID) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*g = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*g = graphID(strings.TrimSpace(s))
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("an id is neither a string nor a number")
	}
	*g = graphID(n.String())
	return nil
}

// unixTime is a time Meta gives as Unix seconds (created_time, a Page
// entry's time) or milliseconds (a messaging timestamp, a Messenger
// entry's time), as a number or a numeric string; an ISO 8601 string is
// taken too.
type unixTime struct{ t time.Time }

// msThreshold: a Unix time above it is in milliseconds (in seconds it
// would be past the year 5000).
const msThreshold = 100_000_000_000

func (u *unixTime) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		u.t = time.Time{}
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05-0700"} {
			if t, err := time.Parse(layout, s); err == nil {
				u.t = t.UTC()
				return nil
			}
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 || n > 1e16 {
		return errors.New("a time is not a Unix time")
	}
	if n > msThreshold {
		u.t = time.UnixMilli(int64(n)).UTC()
	} else {
		u.t = time.Unix(int64(n), 0).UTC()
	}
	return nil
}

func (u unixTime) time() time.Time { return u.t }

// orElse is u, or other when u is not set.
func (u unixTime) orElse(other unixTime) time.Time {
	if u.t.IsZero() {
		return other.t
	}
	return u.t
}

// shapeError says where JSON broke the expected shape without quoting any
// of its text.
func shapeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("invalid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Errorf("field %q is a JSON %s, not the documented type", boundField(typ.Field), typ.Value)
	}
	return errors.New("a field is not of the documented type")
}

// boundField shortens a field name from a payload for an error message.
func boundField(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
