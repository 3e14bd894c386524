package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// refusingPlatform refuses every reply, as X refuses a self-serve
// account's reply where the author did not mention it.
type refusingPlatform struct{}

func (refusingPlatform) Send(context.Context, connector.Outgoing) (connector.Sent, error) {
	return connector.Sent{}, &connector.Permanent{Reason: "HTTP 403: Reply to this conversation is not allowed"}
}

// unsurePlatform takes a reply and never answers.
type unsurePlatform struct{}

func (unsurePlatform) Send(context.Context, connector.Outgoing) (connector.Sent, error) {
	return connector.Sent{}, &connector.Unknown{Reason: "timeout after the request was sent"}
}

// A failed reply offers "Try again" to agents; trying again sends it once
// more; one whose fate is unknown offers "It went out" and "It did not
// go out: send again"; each is a POST refused from another site, and the
// timeline says who did it.
func TestCasePageReplyActions(t *testing.T) {
	h := newHarness(t)
	id := h.mention("1", "gil", "my card never came")
	a := h.signIn("agent")
	reply := func(text string, seen int) int64 {
		t.Helper()
		if code, _, _ := h.post(a, fmt.Sprintf("/cases/%d/reply", id), url.Values{"text": {text}, "visibility": {"private"}, "seen": {fmt.Sprint(seen)}}); code != 303 {
			t.Fatalf("reply: %d", code)
		}
		rs := h.apiReplies(id)
		return int64(rs[len(rs)-1]["id"].(float64))
	}
	page := func(c *http.Client) string {
		t.Helper()
		_, body := h.get(c, fmt.Sprintf("/cases/%d", id))
		return body
	}
	first := reply("We're sorry. Please send us a DM.", 0)
	h.deliver(refusingPlatform{})
	retry := fmt.Sprintf("/cases/%d/replies/%d/retry", id, first)
	if body := page(a); !strings.Contains(body, "Not sent: refused by the platform: HTTP 403: Reply to this conversation is not allowed") ||
		!strings.Contains(body, `action="`+retry+`"`) || !strings.Contains(body, ">Try again</button>") {
		t.Fatalf("a failed reply does not offer Try again: %s", body[strings.Index(body, "<li class=\"reply\""):])
	}
	if body := page(h.signIn("viewer")); strings.Contains(body, "Try again") {
		t.Error("a viewer is offered Try again")
	}
	if code, _, _ := h.post(h.signIn("viewer"), retry, nil); code != http.StatusForbidden {
		t.Errorf("a viewer tried again: %d", code)
	}
	req, _ := http.NewRequest("POST", h.srv.URL+retry, strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, err := a.Do(req); err != nil || res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site retry: %v %v", res, err)
	}
	if rs := h.apiReplies(id); rs[0]["state"] != string(model.ReplyFailed) {
		t.Fatalf("refused requests changed the reply: %v", rs[0])
	}
	if code, loc, _ := h.post(a, retry, nil); code != 303 || !strings.Contains(loc, "done=retried") {
		t.Fatalf("try again: %d %s", code, loc)
	}
	if code, _, _ := h.post(a, retry, nil); code != http.StatusConflict {
		t.Errorf("try again twice: %d, want 409", code)
	}
	h.deliver(platformDouble{connector.Sent{ID: "600", URL: "https://x.com/acme/status/600"}})
	if rs := h.apiReplies(id); rs[0]["state"] != string(model.ReplySent) || rs[0]["delivery_round"] != float64(1) {
		t.Fatalf("after trying again: %v", rs[0])
	}
	if body := page(a); !strings.Contains(body, "Reply sent again · agent@example.org") {
		t.Error("the timeline does not say who sent the reply again")
	}

	second := reply("Thanks, we got your DM.", 1)
	h.deliver(unsurePlatform{})
	body := page(a)
	byHand := fmt.Sprintf("/cases/%d/replies/%d/sent-by-hand", id, second)
	if !strings.Contains(body, `action="`+byHand+`"`) || !strings.Contains(body, "It went out") || !strings.Contains(body, "It did not go out: send again") {
		t.Fatal("a reply of unknown fate does not offer both answers")
	}
	if code, _, _ := h.post(a, byHand, url.Values{"url": {"javascript:alert(1)"}}); code != http.StatusBadRequest {
		t.Errorf("a javascript: link: %d", code)
	}
	if code, _, _ := h.post(a, byHand, url.Values{"url": {"https://x.com/acme/status/601"}}); code != 303 {
		t.Fatalf("it went out: %d", code)
	}
	if body := page(a); !strings.Contains(body, "Sent by hand") || !strings.Contains(body, `href="https://x.com/acme/status/601"`) ||
		!strings.Contains(body, "Reply marked sent by hand · agent@example.org") {
		t.Error("the case page does not show the reply sent by hand")
	}
}

// Yelp has no reply API: the composer says to post the reply on Yelp
// (linking the review) and mark it sent; the stored reply offers "I
// posted it by hand". Google has no private channel: the composer offers
// public only and says to call or email the reviewer.
func TestComposerOnYelpAndGoogle(t *testing.T) {
	h := newHarness(t)
	at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	_, yelp := h.postMention(map[string]any{"platform": "yelp", "external_id": "rev-1", "kind": "review", "rating": 2, "text": "Waited two hours.",
		"url": "https://www.yelp.com/biz/dallas-medical-center-dallas?hrid=rev-1", "created_at": at, "author": map[string]any{"id": "y1", "handle": "Pat R."}})
	a := h.signIn("agent")
	_, body := h.get(a, fmt.Sprintf("/cases/%d", yelp))
	if !strings.Contains(body, "Yelp has no reply API") || !strings.Contains(body, "Post this on Yelp yourself") ||
		!strings.Contains(body, `href="https://www.yelp.com/biz/dallas-medical-center-dallas?hrid=rev-1"`) {
		t.Fatal("the composer on a Yelp case does not say to post the reply on Yelp")
	}
	if code, _, _ := h.post(a, fmt.Sprintf("/cases/%d/reply", yelp), url.Values{"text": {"Sorry about the wait, please call us."}, "visibility": {"public"}, "seen": {"0"}}); code != 303 {
		t.Fatalf("reply on Yelp: %d", code)
	}
	h.deliver(platformDouble{connector.Sent{ID: "1"}})
	_, body = h.get(a, fmt.Sprintf("/cases/%d", yelp))
	if !strings.Contains(body, "I posted it by hand") || !strings.Contains(body, "open the review") {
		t.Fatal("a Yelp reply does not offer I posted it by hand")
	}
	rs := h.apiReplies(yelp)
	if code, _, _ := h.post(a, fmt.Sprintf("/cases/%d/replies/%d/sent-by-hand", yelp, int64(rs[0]["id"].(float64))), url.Values{"url": {""}}); code != 303 {
		t.Fatalf("posted by hand: %d", code)
	}
	if rs := h.apiReplies(yelp); rs[0]["state"] != string(model.ReplySent) || rs[0]["sent_by_hand"] != true {
		t.Fatalf("Yelp reply after posting by hand: %v", rs[0])
	}

	_, google := h.postMention(map[string]any{"platform": "google", "external_id": "accounts/1/locations/2/reviews/r1", "kind": "review", "rating": 1,
		"text": "Rude staff and a terrible wait.", "created_at": at, "author": map[string]any{"id": "g1", "handle": "Sam"}})
	_, body = h.get(a, fmt.Sprintf("/cases/%d", google))
	if !strings.Contains(body, "Google has no private channel") || strings.Contains(body, `name="visibility" value="private"`) ||
		!strings.Contains(body, `name="visibility" value="public" checked`) {
		t.Fatal("the composer on a Google case offers a private reply")
	}
	code, _, body := h.post(a, fmt.Sprintf("/cases/%d/reply", google), url.Values{"text": {"Please call us."}, "visibility": {"private"}, "seen": {"0"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Google has no private channel: call or email the reviewer") {
		t.Fatalf("private reply on Google: %d", code)
	}
}

// An edited review shows in the case's timeline with its rating change.
func TestEditedReviewInTheTimeline(t *testing.T) {
	h := newHarness(t)
	at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	review := map[string]any{"platform": "google", "external_id": "accounts/1/locations/2/reviews/r2", "kind": "review", "rating": 1,
		"text": "Rude staff.", "created_at": at, "author": map[string]any{"id": "g2", "handle": "Kim"}}
	_, c := h.postMention(review)
	review["rating"], review["text"] = 4, "They called me back and fixed it."
	h.postMention(review)
	_, body := h.get(h.signIn("agent"), fmt.Sprintf("/cases/%d", c))
	if !strings.Contains(body, "Mention edited by its author: rating 1 to 4") || !strings.Contains(body, "They called me back and fixed it.") ||
		!strings.Contains(body, "Rating: 4 of 5") {
		t.Fatal("the case page does not show the edit")
	}
}
