package x

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"earshot/internal/model"
)

// activityEvent is one X Activity API delivery: a common envelope around
// an event-specific payload. See https://docs.x.com/x-api/activity/event-payloads.
type activityEvent struct {
	Data struct {
		EventUUID string `json:"event_uuid"`
		Filter    struct {
			UserID string `json:"user_id"`
		} `json:"filter"`
		EventType string          `json:"event_type"`
		Payload   json.RawMessage `json:"payload"`
		Includes  struct {
			Users []v2User `json:"users"`
		} `json:"includes"`
	} `json:"data"`
}

// parseActivity reads an X Activity API event for the channels by our
// account id. Posts that mention us or reply to us, and our own posts,
// are v2 posts; direct messages come in the legacy
// direct_message_events shape with a users map.
func parseActivity(body []byte, channels map[string]string) ([]model.Mention, error) {
	var ev activityEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		return nil, fmt.Errorf("x webhook: the X Activity event is not in X's shape (%v): %w", err, ErrShape)
	}
	d := &ev.Data
	if d.EventType == "" {
		return nil, fmt.Errorf("x webhook: the X Activity event has no event_type: %w", ErrShape)
	}
	channel, ok := channels[d.Filter.UserID]
	switch d.EventType {
	case "post.mention.create", "post.reply.create", "post.create":
		if !ok {
			return nil, nil
		}
		var p v2Post
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return nil, fmt.Errorf("x webhook: the %s payload is not a post (%v): %w", d.EventType, err, ErrShape)
		}
		m, err := p.mention(channel, d.Filter.UserID, usersByID(d.Includes.Users))
		if err != nil {
			return nil, fmt.Errorf("x webhook: %s: %w", d.EventType, err)
		}
		return []model.Mention{m}, nil
	case "dm.received", "dm.sent":
		if !ok {
			return nil, nil
		}
		var p dmPayload
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return nil, fmt.Errorf("x webhook: the %s payload is not direct_message_events (%v): %w", d.EventType, err, ErrShape)
		}
		ms, err := p.mentions(channel, d.Filter.UserID)
		if err != nil {
			return nil, fmt.Errorf("x webhook: %s: %w", d.EventType, err)
		}
		return ms, nil
	}
	return nil, nil
}

// dmPayload is the legacy direct message shape that both the X Activity
// API (dm.received, dm.sent) and the Account Activity API deliver: the
// events and a map of the users they name.
type dmPayload struct {
	Events []dmEvent             `json:"direct_message_events"`
	Users  map[string]legacyUser `json:"users"`
}

// dmEvent is one direct message event.
type dmEvent struct {
	Type             string `json:"type"`
	ID               string `json:"id"`
	CreatedTimestamp string `json:"created_timestamp"` // Unix milliseconds
	MessageCreate    struct {
		Target struct {
			RecipientID string `json:"recipient_id"`
		} `json:"target"`
		SenderID    string `json:"sender_id"`
		MessageData struct {
			Text string `json:"text"`
		} `json:"message_data"`
	} `json:"message_create"`
}

// legacyUser is a user in a users map or a v1.1 post: the Account
// Activity API gives v1.1 fields, the X Activity API a v2 user in data.
type legacyUser struct {
	Data           *v2User `json:"data"`
	IDStr          string  `json:"id_str"`
	ScreenName     string  `json:"screen_name"`
	Name           string  `json:"name"`
	Location       string  `json:"location"`
	Verified       bool    `json:"verified"`
	FollowersCount int64   `json:"followers_count"`
	FriendsCount   int64   `json:"friends_count"`
	StatusesCount  int64   `json:"statuses_count"`
	// ID is a string in a users map and a number in a v1.1 post's user;
	// id_str says it as a string there.
	ID json.RawMessage `json:"id"`
}

// author is the author card of u, whose id is id when u does not say.
func (u *legacyUser) author(id string) model.Author {
	if u.Data != nil {
		a := u.Data.author()
		a.ID = cmp.Or(a.ID, id)
		return a
	}
	uid := u.IDStr
	if uid == "" {
		var s string
		if json.Unmarshal(u.ID, &s) == nil {
			uid = s
		}
	}
	return model.Author{ID: cmp.Or(uid, id), Handle: u.ScreenName, Name: u.Name, Location: u.Location, Verified: u.Verified,
		Followers: u.FollowersCount, Following: u.FriendsCount, Posts: u.StatusesCount}
}

// mentions maps the message_create events of p, heard on channel whose
// account is account, to direct message mentions. Other events (typing,
// read receipts) are none.
func (p *dmPayload) mentions(channel, account string) ([]model.Mention, error) {
	var out []model.Mention
	for i := range p.Events {
		e := &p.Events[i]
		if e.Type != "message_create" {
			continue
		}
		mc := &e.MessageCreate
		if !numericID(e.ID) || !numericID(mc.SenderID) {
			return nil, fmt.Errorf("a direct message has no id or sender_id: %w", ErrShape)
		}
		ms, err := strconv.ParseInt(e.CreatedTimestamp, 10, 64)
		if err != nil || ms < 0 {
			return nil, fmt.Errorf("direct message %s: created_timestamp %q is no Unix time in milliseconds: %w", e.ID, clip(e.CreatedTimestamp, 40), ErrShape)
		}
		author := model.Author{ID: mc.SenderID}
		if u, ok := p.Users[mc.SenderID]; ok {
			author = u.author(mc.SenderID)
		}
		out = append(out, model.Mention{
			Platform:   model.PlatformX,
			Channel:    channel,
			ExternalID: e.ID,
			Kind:       model.KindDirectMessage,
			Direction:  direction(mc.SenderID, account),
			Text:       mc.MessageData.Text,
			CreatedAt:  time.UnixMilli(ms).UTC(),
			ThreadID:   dmConversation(mc.SenderID, mc.Target.RecipientID),
			Author:     author,
		})
	}
	return out, nil
}

// dmConversation is X's id of the one-to-one conversation between two
// users: their ids, the smaller first, joined by "-" (the
// dm_conversation_id of https://docs.x.com/x-api/direct-messages/manage/quickstart).
// "" when the recipient is not named.
func dmConversation(a, b string) string {
	if !numericID(a) || !numericID(b) {
		return ""
	}
	if compareIDs(a, b) > 0 {
		a, b = b, a
	}
	return a + "-" + b
}
