package x

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"earshot/internal/connector"
	"earshot/internal/model"
)

const appSecret = "consumer-secret-of-the-app"

func testWebhook(t *testing.T) *Webhook {
	t.Helper()
	w, err := NewWebhook([]connector.Config{
		{ID: "acme-x", Platform: "x", AccountID: ourID, Secret: appSecret},
		{ID: "acme-care", Platform: "x", AccountID: "1111111111111111111", Secret: appSecret},
		{ID: "no-secret", Platform: "x", AccountID: "3333"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return w.(*Webhook)
}

// xSignature signs as X does: base64 HMAC-SHA256 with the consumer secret.
func xSignature(secret string, msg []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(msg)
	return "sha256=" + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func TestChallengeAnswersTheCRC(t *testing.T) {
	w := testWebhook(t)
	ct, body, err := w.Challenge(url.Values{"crc_token": {"9b4507b3-9040-4669-9ca3-6b94edb50553"}})
	if err != nil || ct != "application/json" {
		t.Fatalf("%q, %v", ct, err)
	}
	var answer map[string]string
	if err := json.Unmarshal(body, &answer); err != nil || len(answer) != 1 {
		t.Fatalf("answer %s: %v", body, err)
	}
	if want := xSignature(appSecret, []byte("9b4507b3-9040-4669-9ca3-6b94edb50553")); answer["response_token"] != want {
		t.Errorf("response_token = %q, want %q", answer["response_token"], want)
	}
	if _, _, err := w.Challenge(url.Values{}); err == nil {
		t.Error("a check with no crc_token was answered")
	}
}

func TestVerifyTakesOnlyXsSignature(t *testing.T) {
	w := testWebhook(t)
	body := []byte(`{"for_user_id":"2244994945","tweet_create_events":[]}`)
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	for _, tc := range []struct {
		name, sig string
		ok        bool
	}{
		{"good", xSignature(appSecret, body), true},
		{"missing", "", false},
		{"another secret", xSignature("other", body), false},
		{"another body", xSignature(appSecret, append(body, ' ')), false},
		{"hex, not base64", "sha256=" + hex.EncodeToString(mac.Sum(nil)), false},
		{"no prefix", strings.TrimPrefix(xSignature(appSecret, body), "sha256="), false},
	} {
		h := http.Header{}
		if tc.sig != "" {
			h.Set("X-Twitter-Webhooks-Signature", tc.sig)
		}
		if err := w.Verify(h, body); (err == nil) != tc.ok {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}

func TestNewWebhookNeedsOneSecret(t *testing.T) {
	for name, cfgs := range map[string][]connector.Config{
		"no secret":         {{ID: "a", AccountID: "1"}},
		"two secrets":       {{ID: "a", AccountID: "1", Secret: "s1"}, {ID: "b", AccountID: "2", Secret: "s2"}},
		"one account twice": {{ID: "a", AccountID: "1", Secret: "s"}, {ID: "b", AccountID: "1", Secret: "s"}},
		"handle, not id":    {{ID: "a", AccountID: "@acme", Secret: "s"}},
	} {
		if _, err := NewWebhook(cfgs); err == nil {
			t.Errorf("%s: built", name)
		}
	}
}

// Deliveries in the shapes of https://docs.x.com/x-api/activity/event-payloads
// and https://docs.x.com/x-api/account-activity/introduction.
const (
	mentionEvent = `{"data":{"event_uuid":"2080765813578191303","filter":{"user_id":"1111111111111111111"},
"event_type":"post.mention.create","tag":"mentions","payload":{"created_at":"2026-07-24T21:23:23.000Z",
"edit_history_tweet_ids":["2080765813578191303"],"conversation_id":"2080765813578191303","text":"hey @ExampleUser my claim was denied",
"author_id":"2222222222222222222","reply_settings":"everyone","id":"2080765813578191303","lang":"en"},
"includes":{"users":[{"public_metrics":{"followers_count":97,"following_count":1,"tweet_count":50,"listed_count":4},
"username":"OtherUser","name":"Other User","verified":false,"id":"2222222222222222222"},
{"public_metrics":{"followers_count":5502,"following_count":651,"post_count":789},"username":"ExampleUser","name":"Example User","verified":true,"id":"1111111111111111111"}]}}}`

	replyEvent = `{"data":{"event_uuid":"3091827364059182736","filter":{"user_id":"1111111111111111111"},
"event_type":"post.reply.create","tag":"replies","payload":{"created_at":"2026-08-12T18:00:00.000Z",
"conversation_id":"2080761390344937796","in_reply_to_tweet_id":"2080761390344937796","in_reply_to_user_id":"1111111111111111111",
"referenced_tweets":[{"type":"replied_to","id":"2080761390344937796"}],"text":"@ExampleUser thanks for sharing!",
"author_id":"2222222222222222222","id":"2090000000000000001","lang":"en"},"includes":{}}}`

	dmEventJSON = `{"data":{"event_uuid":"-6850472171600526495","filter":{"user_id":"1111111111111111111"},"event_type":"dm.received",
"tag":"dm-inbound","payload":{"direct_message_events":[{"type":"message_create","id":"2080765901528535096","created_timestamp":"1784928224372",
"message_create":{"target":{"recipient_id":"1111111111111111111"},"sender_id":"2222222222222222222","message_data":{"text":"hello!","entities":{}}}}],
"users":{"2222222222222222222":{"data":{"public_metrics":{"followers_count":97,"following_count":1,"tweet_count":50},"id":"2222222222222222222",
"username":"OtherUser","verified":false,"name":"OtherUser"}},"1111111111111111111":{"data":{"id":"1111111111111111111","username":"ExampleUser"}}}}}}`

	aaaTruncated = `{"for_user_id":"2244994945","user_has_blocked":"false","tweet_create_events":[{"created_at":"Mon May 19 14:01:46 +0000 2025",
"id":1924465506158879000,"id_str":"1924465506158878979","text":"@BCBSTX I have waited three weeks for my ID card and… https://t.co/bzbEKj8cd8",
"truncated":true,"in_reply_to_status_id":1924000000000000000,"in_reply_to_status_id_str":"1924000000000000001",
"user":{"id":3001969357,"id_str":"3001969357","name":"Jordan B","screen_name":"furiouscamper","location":"Boulder, CO",
"verified":false,"followers_count":22,"friends_count":45,"statuses_count":494},
"extended_tweet":{"full_text":"@BCBSTX I have waited three weeks for my ID card and nobody answers the phone. What now?","display_text_range":[0,88]}},
{"created_at":"Mon May 19 14:02:00 +0000 2025","id_str":"1924465506158879999","text":"RT @someone: hi","truncated":false,
"user":{"id_str":"5","screen_name":"rt_bot"},"retweeted_status":{"id_str":"1"}}]}`

	aaaDM = `{"for_user_id":"4337869213","direct_message_events":[{"type":"message_create","id":"954491830116155396","created_timestamp":"1516403560557",
"message_create":{"target":{"recipient_id":"4337869213"},"sender_id":"3001969357","source_app_id":"13090192","message_data":{"text":"Hello World!"}}}],
"apps":{"13090192":{"id":"13090192","name":"FuriousCamperTestApp1"}},
"users":{"3001969357":{"id":"3001969357","name":"Jordan Brinks","screen_name":"furiouscamper","location":"Boulder, CO","verified":false,
"followers_count":22,"friends_count":45,"statuses_count":494},"4337869213":{"id":"4337869213","screen_name":"Harris_0ff"}}}`
)

func TestParseXActivityEvents(t *testing.T) {
	w := testWebhook(t)
	ms, err := w.Parse([]byte(mentionEvent))
	if err != nil || len(ms) != 1 {
		t.Fatalf("mention: %d, %v", len(ms), err)
	}
	want := model.Mention{Platform: "x", Channel: "acme-care", ExternalID: "2080765813578191303", Kind: "post", Direction: "inbound",
		Text: "hey @ExampleUser my claim was denied", URL: "https://x.com/OtherUser/status/2080765813578191303",
		CreatedAt: time.Date(2026, 7, 24, 21, 23, 23, 0, time.UTC), ThreadID: "2080765813578191303",
		Author: model.Author{ID: "2222222222222222222", Handle: "OtherUser", Name: "Other User", Followers: 97, Following: 1, Posts: 50}}
	if !mentionEqual(ms[0], want) {
		t.Errorf("mention\n got %+v\nwant %+v", ms[0], want)
	}

	ms, err = w.Parse([]byte(replyEvent))
	if err != nil || len(ms) != 1 {
		t.Fatalf("reply: %d, %v", len(ms), err)
	}
	if m := ms[0]; m.InReplyTo != "2080761390344937796" || m.ThreadID != "2080761390344937796" || m.Author.ID != "2222222222222222222" ||
		m.URL != "https://x.com/i/web/status/2090000000000000001" || m.Channel != "acme-care" {
		t.Errorf("reply = %+v", m)
	}

	ms, err = w.Parse([]byte(dmEventJSON))
	if err != nil || len(ms) != 1 {
		t.Fatalf("dm: %d, %v", len(ms), err)
	}
	wantDM := model.Mention{Platform: "x", Channel: "acme-care", ExternalID: "2080765901528535096", Kind: "direct_message", Direction: "inbound",
		Text: "hello!", CreatedAt: time.UnixMilli(1784928224372), ThreadID: "1111111111111111111-2222222222222222222",
		Author: model.Author{ID: "2222222222222222222", Handle: "OtherUser", Name: "OtherUser", Followers: 97, Following: 1, Posts: 50}}
	if !mentionEqual(ms[0], wantDM) {
		t.Errorf("dm\n got %+v\nwant %+v", ms[0], wantDM)
	}

	sent := strings.Replace(strings.Replace(dmEventJSON, `"dm.received"`, `"dm.sent"`, 1), `"sender_id":"2222222222222222222"`, `"sender_id":"1111111111111111111"`, 1)
	if ms, err := w.Parse([]byte(sent)); err != nil || len(ms) != 1 || ms[0].Direction != model.DirectionOutbound || ms[0].Author.Handle != "ExampleUser" {
		t.Errorf("our own DM: %+v, %v", ms, err)
	}
}

func TestParseAccountActivityEvents(t *testing.T) {
	w := testWebhook(t)
	ms, err := w.Parse([]byte(aaaTruncated))
	if err != nil || len(ms) != 1 { // the repost says nothing new
		t.Fatalf("%d mentions, %v", len(ms), err)
	}
	want := model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "1924465506158878979", Kind: "post", Direction: "inbound",
		Text: "@BCBSTX I have waited three weeks for my ID card and nobody answers the phone. What now?",
		URL:  "https://x.com/furiouscamper/status/1924465506158878979", CreatedAt: time.Date(2025, 5, 19, 14, 1, 46, 0, time.UTC),
		InReplyTo: "1924000000000000001", ThreadID: "1924000000000000001",
		Author: model.Author{ID: "3001969357", Handle: "furiouscamper", Name: "Jordan B", Location: "Boulder, CO", Followers: 22, Following: 45, Posts: 494}}
	if !mentionEqual(ms[0], want) {
		t.Errorf("post\n got %+v\nwant %+v", ms[0], want)
	}

	short := strings.Replace(aaaTruncated, `"truncated":true`, `"truncated":false`, 1)
	if ms, err := w.Parse([]byte(short)); err != nil || !strings.HasSuffix(ms[0].Text, "https://t.co/bzbEKj8cd8") {
		t.Errorf("untruncated: %+v, %v", ms, err)
	}

	dmWebhook, err := NewWebhook([]connector.Config{{ID: "harris", AccountID: "4337869213", Secret: appSecret}})
	if err != nil {
		t.Fatal(err)
	}
	ms, err = dmWebhook.Parse([]byte(aaaDM))
	if err != nil || len(ms) != 1 {
		t.Fatalf("dm: %d, %v", len(ms), err)
	}
	wantDM := model.Mention{Platform: "x", Channel: "harris", ExternalID: "954491830116155396", Kind: "direct_message", Direction: "inbound",
		Text: "Hello World!", CreatedAt: time.UnixMilli(1516403560557), ThreadID: "3001969357-4337869213",
		Author: model.Author{ID: "3001969357", Handle: "furiouscamper", Name: "Jordan Brinks", Location: "Boulder, CO", Followers: 22, Following: 45, Posts: 494}}
	if !mentionEqual(ms[0], wantDM) {
		t.Errorf("dm\n got %+v\nwant %+v", ms[0], wantDM)
	}
}

func TestParseHearsNothingOfOtherEventsAndAccounts(t *testing.T) {
	w := testWebhook(t)
	for name, body := range map[string]string{
		"a like":                 `{"data":{"event_uuid":"1","filter":{"user_id":"2244994945"},"event_type":"like.create","payload":{"id":"9"}}}`,
		"a read receipt":         `{"data":{"event_uuid":"1","filter":{"user_id":"2244994945"},"event_type":"dm.read","payload":{}}}`,
		"an account not here":    strings.Replace(mentionEvent, `"filter":{"user_id":"1111111111111111111"}`, `"filter":{"user_id":"999"}`, 1),
		"a channel with no key":  strings.Replace(mentionEvent, `"filter":{"user_id":"1111111111111111111"}`, `"filter":{"user_id":"3333"}`, 1),
		"AAA favorites":          `{"for_user_id":"2244994945","favorite_events":[{"id":"a7","created_at":"Mon Mar 26 16:33:26 +0000 2018"}]}`,
		"AAA for another":        strings.Replace(aaaTruncated, `"for_user_id":"2244994945"`, `"for_user_id":"77"`, 1),
		"AAA typing indicator":   `{"for_user_id":"2244994945","direct_message_indicate_typing_events":[{"created_timestamp":"1","sender_id":"5"}]}`,
		"a DM event not created": `{"for_user_id":"2244994945","direct_message_events":[{"type":"message_delete","id":"1"}]}`,
	} {
		if ms, err := w.Parse([]byte(body)); err != nil || len(ms) != 0 {
			t.Errorf("%s: %d mentions, %v", name, len(ms), err)
		}
	}
}

func TestParseRefusesWhatIsNotXsShape(t *testing.T) {
	w := testWebhook(t)
	for name, body := range map[string]string{
		"not JSON":             `{"data":`,
		"an array":             `[]`,
		"an empty object":      `{}`,
		"data not an object":   `{"data":5}`,
		"no event type":        `{"data":{"filter":{"user_id":"1111111111111111111"},"payload":{}}}`,
		"post with no id":      strings.Replace(mentionEvent, `"id":"2080765813578191303","lang"`, `"lang"`, 1),
		"post with bad date":   strings.Replace(mentionEvent, `"2026-07-24T21:23:23.000Z"`, `"yesterday"`, 1),
		"payload not a post":   strings.Replace(replyEvent, `"payload":{`, `"payload":["x",{`, 1),
		"DM with no sender":    strings.Replace(dmEventJSON, `"sender_id":"2222222222222222222",`, ``, 1),
		"DM with bad time":     strings.Replace(dmEventJSON, `"1784928224372"`, `"soon"`, 1),
		"AAA post bad date":    strings.Replace(aaaTruncated, `"Mon May 19 14:01:46 +0000 2025"`, `"2025-05-19"`, 1),
		"AAA post no user":     strings.Replace(aaaTruncated, `"id_str":"3001969357",`, `"id":3001969357,`, 1),
		"AAA events not array": `{"for_user_id":"2244994945","tweet_create_events":{"id_str":"1"}}`,
	} {
		ms, err := w.Parse([]byte(body))
		if !errors.Is(err, ErrShape) || len(ms) != 0 {
			t.Errorf("%s: %d mentions, err %v", name, len(ms), err)
		}
		if err != nil && (strings.Contains(err.Error(), "claim was denied") || strings.Contains(err.Error(), "three weeks")) {
			t.Errorf("%s: the error carries the post's text: %v", name, err)
		}
	}
}
