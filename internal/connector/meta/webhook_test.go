package meta

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"earshot/internal/connector"
	"earshot/internal/model"
)

const (
	pageID    = "1029384756"
	igID      = "17841400000000000"
	appSecret = "app-secret"
	verify    = "verify-me"
)

// testChannels are a Facebook page and an Instagram account of one Meta
// app, and a second page whose secret is missing.
func testChannels() []connector.Config {
	return []connector.Config{
		{ID: "fb", Platform: model.PlatformFacebook, AccountID: pageID, Name: "Acme Health", Secret: appSecret, VerifyToken: verify},
		{ID: "ig", Platform: model.PlatformInstagram, AccountID: igID, Name: "@acmehealth", Secret: appSecret, VerifyToken: verify},
		{ID: "fb-nosecret", Platform: model.PlatformFacebook, AccountID: "555", VerifyToken: "other"},
	}
}

func newTestWebhook(t *testing.T) connector.Webhook {
	t.Helper()
	w, err := NewWebhook(testChannels())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func TestChallengeEchoesOnlyForAVerifyToken(t *testing.T) {
	w := newTestWebhook(t)
	q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {verify}, "hub.challenge": {"1158201444"}}
	ct, body, err := w.Challenge(q)
	if err != nil || string(body) != "1158201444" || !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("Challenge = %q, %q, %v", ct, body, err)
	}
	for name, change := range map[string]func(url.Values){
		"wrong token":          func(q url.Values) { q.Set("hub.verify_token", "guess") },
		"no token":             func(q url.Values) { q.Del("hub.verify_token") },
		"secretless channel's": func(q url.Values) { q.Set("hub.verify_token", "other") },
		"not subscribe":        func(q url.Values) { q.Set("hub.mode", "unsubscribe") },
		"no challenge":         func(q url.Values) { q.Del("hub.challenge") },
		"huge challenge":       func(q url.Values) { q.Set("hub.challenge", strings.Repeat("9", 1000)) },
	} {
		bad := url.Values{}
		for k, v := range q {
			bad[k] = append([]string(nil), v...)
		}
		change(bad)
		if _, body, err := w.Challenge(bad); err == nil || body != nil {
			t.Errorf("%s: answered %q", name, body)
		}
	}
}

func TestVerifyChecksTheAppSecretSignature(t *testing.T) {
	w := newTestWebhook(t)
	body := []byte(`{"object":"page","entry":[]}`)
	good := http.Header{SignatureHeader: {sign(appSecret, body)}}
	if err := w.Verify(good, body); err != nil {
		t.Fatalf("good signature refused: %v", err)
	}
	for name, h := range map[string]http.Header{
		"missing":         {},
		"wrong secret":    {SignatureHeader: {sign("other", body)}},
		"sha1 only":       {"X-Hub-Signature": {"sha1=" + strings.Repeat("a", 40)}},
		"not hex":         {SignatureHeader: {"sha256=zz"}},
		"short":           {SignatureHeader: {sign(appSecret, body)[:20]}},
		"no prefix":       {SignatureHeader: {strings.TrimPrefix(sign(appSecret, body), "sha256=")}},
		"upper-case hex":  {SignatureHeader: {"sha256=" + strings.Repeat("G", 64)}},
		"other body sign": {SignatureHeader: {sign(appSecret, []byte(`{}`))}},
	} {
		if err := w.Verify(h, body); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := w.Verify(good, append(body, ' ')); err == nil {
		t.Error("a changed body kept its signature")
	}
}

func TestNewWebhookRefusesBadChannels(t *testing.T) {
	_, err := NewWebhook([]connector.Config{
		{ID: "a", Platform: model.PlatformFacebook, AccountID: "1", Secret: "s"},
		{ID: "b", Platform: model.PlatformFacebook, AccountID: "1", Secret: "s"},
		{ID: "c", Platform: model.PlatformX, AccountID: "2"},
		{ID: "d", Platform: model.PlatformInstagram},
	})
	for _, want := range []string{`"a" and "b" are both facebook account 1`, `"c" is on platform "x"`, `"d" needs account_id`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to say %s", err, want)
		}
	}
}

// parse parses body with the test channels and fails on error.
func parse(t *testing.T, body string) []model.Mention {
	t.Helper()
	ms, err := newTestWebhook(t).Parse([]byte(body))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return ms
}

func TestParseFacebookComment(t *testing.T) {
	ms := parse(t, `{"object":"page","entry":[{"id":"`+pageID+`","time":1767225600,"changes":[{"field":"feed","value":{
		"from":{"id":"6100000001","name":"Dana R"},
		"post":{"status_type":"added_photos","is_published":true,"updated_time":"2026-01-01T00:00:00+0000","permalink_url":"https://www.facebook.com/acmehealth/posts/pfbid02x","promotion_status":"inactive","id":"`+pageID+`_777"},
		"message":"Still waiting on my claim, 3 weeks now","post_id":"`+pageID+`_777","comment_id":"777_888","created_time":1767225590,
		"item":"comment","parent_id":"`+pageID+`_777","verb":"add"}}]}]}`)
	if len(ms) != 1 {
		t.Fatalf("mentions = %+v", ms)
	}
	m := ms[0]
	want := model.Mention{
		Platform: "facebook", Channel: "fb", ExternalID: "777_888", Kind: "comment", Direction: "inbound",
		Text: "Still waiting on my claim, 3 weeks now", URL: "https://www.facebook.com/acmehealth/posts/pfbid02x?comment_id=888",
		CreatedAt: time.Unix(1767225590, 0).UTC(), InReplyTo: pageID + "_777", ThreadID: pageID + "_777",
		Author: model.Author{ID: "6100000001", Name: "Dana R"},
	}
	if !sameMention(m, want) {
		t.Errorf("mention\n got %+v\nwant %+v", m, want)
	}
}

func TestParseFacebookPostsEditsRemovesAndOurOwn(t *testing.T) {
	feed := func(value string) string {
		return `{"object":"page","entry":[{"id":"` + pageID + `","time":1767225600,"changes":[{"field":"feed","value":` + value + `}]}]}`
	}
	// A visitor's post on the page is a post, its own thread.
	ms := parse(t, feed(`{"from":{"id":"61","name":"Lee"},"message":"Who do I call about a denied claim?","post_id":"`+pageID+`_901","created_time":1767225000,"item":"status","verb":"add","published":1}`))
	if len(ms) != 1 || ms[0].Kind != "post" || ms[0].ExternalID != pageID+"_901" || ms[0].ThreadID != pageID+"_901" || ms[0].InReplyTo != "" ||
		ms[0].URL != "https://www.facebook.com/"+pageID+"_901" || ms[0].Direction != "inbound" {
		t.Errorf("visitor post = %+v", ms)
	}
	// An edit is the same mention with its new text.
	ms = parse(t, feed(`{"from":{"id":"61","name":"Lee"},"message":"edited text","post_id":"`+pageID+`_901","comment_id":"901_5","parent_id":"`+pageID+`_901","created_time":1767225000,"item":"comment","verb":"edited"}`))
	if len(ms) != 1 || ms[0].ExternalID != "901_5" || ms[0].Text != "edited text" {
		t.Errorf("edit = %+v", ms)
	}
	// A reply to a comment keeps the post as its thread and the comment as parent.
	ms = parse(t, feed(`{"from":{"id":"62"},"message":"same here","post_id":"`+pageID+`_901","comment_id":"901_6","parent_id":"901_5","created_time":"1767225100","item":"comment","verb":"add"}`))
	if len(ms) != 1 || ms[0].InReplyTo != "901_5" || ms[0].ThreadID != pageID+"_901" || !ms[0].CreatedAt.Equal(time.Unix(1767225100, 0)) {
		t.Errorf("reply = %+v", ms)
	}
	// Our page's own comment comes back outbound, to be matched to our reply.
	ms = parse(t, feed(`{"from":{"id":"`+pageID+`","name":"Acme Health"},"message":"Please message us","post_id":"`+pageID+`_901","comment_id":"901_7","parent_id":"901_5","created_time":1767225200,"item":"comment","verb":"add"}`))
	if len(ms) != 1 || ms[0].Direction != "outbound" || ms[0].Author.ID != pageID {
		t.Errorf("our comment = %+v", ms)
	}
	// Meta leaves out from where the app may not read who wrote it.
	ms = parse(t, feed(`{"message":"who am I","post_id":"`+pageID+`_901","comment_id":"901_8","parent_id":"`+pageID+`_901","created_time":1767225300,"item":"comment","verb":"add"}`))
	if len(ms) != 1 || ms[0].Author.ID != "unknown:901_8" || ms[0].Direction != "inbound" {
		t.Errorf("comment without from = %+v", ms)
	}
	for name, value := range map[string]string{
		"removed comment": `{"from":{"id":"61"},"post_id":"` + pageID + `_901","comment_id":"901_5","item":"comment","verb":"remove","created_time":1767225000}`,
		"hidden comment":  `{"from":{"id":"61"},"message":"x","post_id":"` + pageID + `_901","comment_id":"901_5","item":"comment","verb":"hide","created_time":1767225000}`,
		"reaction":        `{"from":{"id":"61"},"post_id":"` + pageID + `_901","item":"reaction","verb":"add","reaction_type":"like","created_time":1767225000}`,
		"like":            `{"from":{"id":"61"},"post_id":"` + pageID + `_901","item":"like","verb":"add","created_time":1767225000}`,
		"photo no text":   `{"from":{"id":"61"},"post_id":"` + pageID + `_902","item":"photo","verb":"add","link":"https://x","created_time":1767225000}`,
	} {
		if ms := parse(t, feed(value)); len(ms) != 0 {
			t.Errorf("%s: mentions %+v", name, ms)
		}
	}
}

func TestParseMessengerMessagesAndEchoes(t *testing.T) {
	ms := parse(t, `{"object":"page","entry":[{"id":"`+pageID+`","time":1767225600123,"messaging":[
		{"sender":{"id":"2400000001"},"recipient":{"id":"`+pageID+`"},"timestamp":1767225599000,"message":{"mid":"m_AAA","text":"My member ID is 123, can you check my claim?"}},
		{"sender":{"id":"`+pageID+`"},"recipient":{"id":"2400000001"},"timestamp":1767225700000,"message":{"mid":"m_BBB","text":"We will call you","is_echo":true,"app_id":123}},
		{"sender":{"id":"2400000001"},"recipient":{"id":"`+pageID+`"},"timestamp":1767225800000,"read":{"watermark":1767225700000}},
		{"sender":{"id":"2400000001"},"recipient":{"id":"`+pageID+`"},"delivery":{"mids":["m_BBB"],"watermark":1767225700000}},
		{"sender":{"id":"2400000001"},"recipient":{"id":"`+pageID+`"},"timestamp":1767225900000,"message":{"mid":"m_CCC","attachments":[{"type":"image","payload":{"url":"https://x"}}]}}
	]}]}`)
	if len(ms) != 2 {
		t.Fatalf("mentions = %+v", ms)
	}
	in, echo := ms[0], ms[1]
	want := model.Mention{
		Platform: "facebook", Channel: "fb", ExternalID: "m_AAA", Kind: "direct_message", Direction: "inbound",
		Text: "My member ID is 123, can you check my claim?", CreatedAt: time.UnixMilli(1767225599000).UTC(),
		ThreadID: "2400000001", Author: model.Author{ID: "2400000001"},
	}
	if !sameMention(in, want) {
		t.Errorf("message\n got %+v\nwant %+v", in, want)
	}
	if echo.Direction != "outbound" || echo.ThreadID != "2400000001" || echo.ExternalID != "m_BBB" || echo.Author.ID != pageID || echo.Author.Name != "Acme Health" {
		t.Errorf("echo = %+v", echo)
	}
}

func TestParseInstagramCommentsAndMessages(t *testing.T) {
	ms := parse(t, `{"object":"instagram","entry":[{"id":"`+igID+`","time":1767225600,"changes":[{"field":"comments","value":{
		"from":{"id":"17840000001","username":"sam.k","self_ig_scoped_id":"2105"},
		"media":{"id":"18000000042","media_product_type":"FEED"},
		"id":"17900000777","parent_id":"17900000700","text":"Your app keeps logging me out"}}]}]}`)
	if len(ms) != 1 {
		t.Fatalf("mentions = %+v", ms)
	}
	want := model.Mention{
		Platform: "instagram", Channel: "ig", ExternalID: "17900000777", Kind: "comment", Direction: "inbound",
		Text: "Your app keeps logging me out", CreatedAt: time.Unix(1767225600, 0).UTC(),
		InReplyTo: "17900000700", ThreadID: "18000000042", Author: model.Author{ID: "17840000001", Handle: "sam.k"},
	}
	if !sameMention(ms[0], want) {
		t.Errorf("comment\n got %+v\nwant %+v", ms[0], want)
	}
	// The form of the Instagram examples page: the change in the entry itself.
	ms = parse(t, `{"object":"instagram","entry":[{"id":"`+igID+`","time":1767225600,"field":"comments","value":{"id":"1790","from":{"id":"1784","username":"x"},"text":"hi","media":{"id":"18"}}}]}`)
	if len(ms) != 1 || ms[0].ExternalID != "1790" || ms[0].ThreadID != "18" {
		t.Errorf("entry-level comment = %+v", ms)
	}
	ms = parse(t, `{"object":"instagram","entry":[{"id":"`+igID+`","time":1767225600000,"messaging":[
		{"sender":{"id":"9900"},"recipient":{"id":"`+igID+`"},"timestamp":1767225600000,"message":{"mid":"aWdfZAG1AAA","text":"hello?"}},
		{"sender":{"id":"`+igID+`"},"recipient":{"id":"9900"},"timestamp":1767225601000,"message":{"mid":"aWdfZAG1BBB","text":"Hi! How can we help?","is_echo":true}},
		{"sender":{"id":"9900"},"recipient":{"id":"`+igID+`"},"timestamp":1767225602000,"message":{"mid":"aWdfZAG1AAA","is_deleted":true}}
	]}]}`)
	if len(ms) != 2 || ms[0].Platform != "instagram" || ms[0].Kind != "direct_message" || ms[0].ThreadID != "9900" || ms[0].Direction != "inbound" ||
		ms[1].Direction != "outbound" || ms[1].ThreadID != "9900" {
		t.Errorf("instagram messages = %+v", ms)
	}
	// A messages change (as the dashboard's test button sends it).
	ms = parse(t, `{"object":"instagram","entry":[{"id":"`+igID+`","time":1767225600,"changes":[{"field":"messages","value":{"sender":{"id":"9901"},"recipient":{"id":"`+igID+`"},"timestamp":"1767225600","message":{"mid":"aWdf2","text":"test"}}}]}]}`)
	if len(ms) != 1 || ms[0].ThreadID != "9901" || !ms[0].CreatedAt.Equal(time.Unix(1767225600, 0)) {
		t.Errorf("messages change = %+v", ms)
	}
}

func TestParseDispatchesByAccountID(t *testing.T) {
	body := `{"object":"page","entry":[
		{"id":"` + pageID + `","time":1,"messaging":[{"sender":{"id":"1"},"recipient":{"id":"` + pageID + `"},"timestamp":2,"message":{"mid":"m_1","text":"ours"}}]},
		{"id":"555","time":1,"messaging":[{"sender":{"id":"1"},"recipient":{"id":"555"},"timestamp":2,"message":{"mid":"m_2","text":"secretless page"}}]},
		{"id":"999","time":1,"messaging":[{"sender":{"id":"1"},"recipient":{"id":"999"},"timestamp":2,"message":{"mid":"m_3","text":"not ours"}}]},
		{"id":"` + igID + `","time":1,"messaging":[{"sender":{"id":"1"},"recipient":{"id":"` + igID + `"},"timestamp":2,"message":{"mid":"m_4","text":"an instagram id under page"}}]}
	]}`
	ms := parse(t, body)
	if len(ms) != 1 || ms[0].ExternalID != "m_1" || ms[0].Channel != "fb" {
		t.Errorf("mentions = %+v", ms)
	}
	// Instagram's fields under a page and a page's under instagram are of no interest.
	if ms := parse(t, `{"object":"page","entry":[{"id":"`+pageID+`","changes":[{"field":"comments","value":{"id":"1","text":"x","media":{"id":"2"}}}]}]}`); len(ms) != 0 {
		t.Errorf("comments under page = %+v", ms)
	}
	if ms := parse(t, `{"object":"instagram","entry":[{"id":"`+igID+`","changes":[{"field":"feed","value":{"item":"comment","verb":"add","post_id":"1","comment_id":"2","message":"x"}}]}]}`); len(ms) != 0 {
		t.Errorf("feed under instagram = %+v", ms)
	}
}

func TestParseRefusesOtherShapesWithoutQuotingThem(t *testing.T) {
	w := newTestWebhook(t)
	for name, body := range map[string]string{
		"not json":         `SECRET-TEXT`,
		"array":            `["SECRET-TEXT"]`,
		"other object":     `{"object":"SECRET-TEXT","entry":[]}`,
		"no object":        `{"entry":[]}`,
		"entry not a list": `{"object":"page","entry":"SECRET-TEXT"}`,
		"value not object": `{"object":"page","entry":[{"id":"` + pageID + `","changes":[{"field":"feed","value":"SECRET-TEXT"}]}]}`,
		"message number":   `{"object":"page","entry":[{"id":"` + pageID + `","changes":[{"field":"feed","value":{"message":5,"item":"comment"}}]}]}`,
		"time not a time":  `{"object":"page","entry":[{"id":"` + pageID + `","changes":[{"field":"feed","value":{"created_time":"SECRET-TEXT"}}]}]}`,
		"missing value":    `{"object":"page","entry":[{"id":"` + pageID + `","changes":[{"field":"feed"}]}]}`,
	} {
		ms, err := w.Parse([]byte(body))
		if err == nil || ms != nil {
			t.Errorf("%s: %v, %+v", name, err, ms)
			continue
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s: the error quotes the payload: %v", name, err)
		}
	}
	// A shape Meta documents but we do not hear is acknowledged with no mentions.
	if ms := parse(t, `{"object":"page","entry":[{"id":"`+pageID+`","changes":[{"field":"ratings","value":{"review_text":"x"}}]}]}`); len(ms) != 0 {
		t.Errorf("ratings = %+v", ms)
	}
}

func sameMention(a, b model.Mention) bool {
	return a.Platform == b.Platform && a.Channel == b.Channel && a.ExternalID == b.ExternalID && a.Kind == b.Kind &&
		a.Direction == b.Direction && a.Text == b.Text && a.URL == b.URL && a.CreatedAt.Equal(b.CreatedAt) &&
		a.InReplyTo == b.InReplyTo && a.ThreadID == b.ThreadID && a.Author == b.Author && a.Rating == nil
}
