package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// An agent sees a reply the platform refused, with its reason, presses
// "Try again", and the outbox sends it once more to the platform double;
// an edited Google review shows its rating change in the timeline.
func TestE2ETryAgainAndEditedReview(t *testing.T) {
	h := newHarness(t)
	id := h.mention("300", "gil", "My new card never came and nobody answers the phone")
	tb := newTab(t, h)
	tb.signIn("agent")
	casePath := fmt.Sprintf("%s/cases/%d", h.srv.URL, id)
	tb.run(chromedp.Navigate(casePath), chromedp.WaitVisible(chromedp.CSS(`#reply-text`)))
	tb.waitReady()
	tb.run(
		chromedp.Click(chromedp.CSS(`input[name=visibility][value=private]`)),
		chromedp.SendKeys(chromedp.CSS(`#reply-text`), "We're sorry. Please send us a DM so we can help."),
	)
	tb.submit(`#reply-text`)
	h.deliver(refusingPlatform{})

	tb.run(chromedp.Navigate(casePath), chromedp.WaitVisible(chromedp.CSS(`form.reply-retry button`)))
	tb.waitReady()
	if got := tb.text(`li.reply .delivery`); !strings.Contains(got, "Reply to this conversation is not allowed") {
		t.Fatalf("the refused reply says %q", got)
	}
	tb.submit(`form.reply-retry button`)
	tb.waitText(`#flash`, "Reply queued again")
	tb.waitText(`li.reply .pill`, "queued in outbox")
	if n := eval[int](tb, `document.querySelectorAll('form.reply-retry').length`); n != 0 {
		t.Fatalf("a queued reply still offers Try again (%d forms)", n)
	}

	h.deliver(platformDouble{connector.Sent{ID: "700", URL: "https://x.com/acme/status/700"}})
	tb.run(chromedp.Navigate(casePath), chromedp.WaitVisible(chromedp.CSS(`li.reply .delivery a`)))
	if href := eval[string](tb, `document.querySelector('li.reply .delivery a').href`); href != "https://x.com/acme/status/700" {
		t.Fatalf("sent reply links to %q", href)
	}
	if rs := h.apiReplies(id); len(rs) != 1 || rs[0]["state"] != string(model.ReplySent) || rs[0]["delivery_attempts"] != float64(2) {
		t.Fatalf("API replies %v", rs)
	}
	tb.waitText(`#timeline`, "Reply sent again · agent@example.org")

	at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	review := map[string]any{"platform": "google", "external_id": "accounts/1/locations/2/reviews/r3", "kind": "review", "rating": 1,
		"text": "Rude staff.", "created_at": at, "author": map[string]any{"id": "g3", "handle": "Jo"}}
	_, c := h.postMention(review)
	review["rating"], review["text"] = 4, "They called me back and fixed it."
	h.postMention(review)
	tb.run(chromedp.Navigate(fmt.Sprintf("%s/cases/%d", h.srv.URL, c)), chromedp.WaitVisible(chromedp.CSS(`#timeline`)))
	tb.waitText(`#timeline`, "Mention edited by its author: rating 1 to 4")
	tb.waitText(`#timeline`, "Rating: 4 of 5")
	if eval[bool](tb, `!!document.querySelector('input[name=visibility][value=private]')`) {
		t.Error("a Google case offers a private reply")
	}
}
