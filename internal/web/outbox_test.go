package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"earshot/internal/analyze"
	"earshot/internal/connector"
	"earshot/internal/guard"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/outbox"
)

// platformDouble stands in for a platform's connector: it takes every
// reply and answers with sent.
type platformDouble struct{ sent connector.Sent }

func (p platformDouble) Send(context.Context, connector.Outgoing) (connector.Sent, error) {
	return p.sent, nil
}

// deliver runs the outbox once over h's store, with sender as the
// connector of the harness's channel (acme on x), or none when nil.
func (h *harness) deliver(sender connector.Sender) {
	h.t.Helper()
	var lookup connector.Lookup
	if sender != nil {
		reg, err := connector.NewRegistry(connector.Channel{ID: "acme", Platform: "x", Sender: sender})
		if err != nil {
			h.t.Fatal(err)
		}
		lookup = reg
	}
	ob := outbox.New(h.st, guard.New(analyze.New()), outbox.Options{Connectors: lookup})
	r := jobs.New(h.st, jobs.Options{})
	r.Handle(model.JobKindDeliverReply, ob.Handler())
	r.Every("outbox", ob.Sweep(100))
	if _, err := r.Tick(context.Background()); err != nil {
		h.t.Fatal(err)
	}
}

// apiReplies reads a case's replies through the API.
func (h *harness) apiReplies(caseID int64) []map[string]any {
	h.t.Helper()
	req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/cases/"+strconv.FormatInt(caseID, 10), nil)
	req.Header.Set("Authorization", "Bearer "+h.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	var c struct {
		Replies []map[string]any `json:"replies"`
	}
	if err := json.NewDecoder(res.Body).Decode(&c); err != nil {
		h.t.Fatal(err)
	}
	return c.Replies
}

// TestCasePageAndAPISayWhetherAReplyWent: a reply on a platform with no
// connector says so, on the case page and in the API, instead of
// promising a delivery; a sent one links to the platform.
func TestCasePageAndAPISayWhetherAReplyWent(t *testing.T) {
	h := newHarness(t)
	id := h.mention("1", "gil", "my card never came")
	a := h.signIn("agent")
	reply := func(text, seen string) {
		t.Helper()
		if code, _, _ := h.post(a, fmt.Sprintf("/cases/%d/reply", id), url.Values{"text": {text}, "visibility": {"private"}, "seen": {seen}}); code != 303 {
			t.Fatalf("reply: %d", code)
		}
	}
	page := func() string {
		t.Helper()
		_, body := h.get(a, fmt.Sprintf("/cases/%d", id))
		return body
	}

	reply("We're sorry. Please send us a DM.", "0")
	if body := page(); !strings.Contains(body, "queued in outbox") || strings.Contains(body, "until a connector delivers") {
		t.Fatal("before the outbox runs, the page should say queued and promise nothing")
	}
	h.deliver(nil)
	if body := page(); !strings.Contains(body, "Not sent: no connector for x is set up here. Copy it to the platform yourself, then mark it sent.") ||
		!strings.Contains(body, "not sent: no connector") {
		t.Error("the case page does not say that no connector sent the reply")
	}
	rs := h.apiReplies(id)
	if len(rs) != 1 || rs[0]["state"] != string(model.ReplyNoConnector) || rs[0]["delivery_error"] != `no connector for x channel "acme" is set up here` {
		t.Errorf("API replies = %v", rs)
	}

	reply("Thanks, we got your DM.", "1")
	h.deliver(platformDouble{connector.Sent{ID: "555", URL: "https://x.com/acme/status/555"}})
	if body := page(); !strings.Contains(body, `<a href="https://x.com/acme/status/555" rel="noopener noreferrer" target="_blank">see it on the platform</a>`) {
		t.Error("the case page does not link to the sent reply")
	}
	rs = h.apiReplies(id)
	if len(rs) != 2 || rs[1]["state"] != string(model.ReplySent) || rs[1]["platform_id"] != "555" || rs[1]["platform_url"] != "https://x.com/acme/status/555" || rs[1]["sent_at"] == nil {
		t.Errorf("API replies = %v", rs)
	}
	if _, ok := rs[0]["platform_id"]; ok {
		t.Errorf("an unsent reply has a platform_id: %v", rs[0])
	}

	// A link from the platform is outside text: one that is no web
	// address is not made a link.
	reply("One more thing.", "2")
	h.deliver(platformDouble{connector.Sent{ID: "556", URL: "javascript:alert(1)"}})
	if body := page(); strings.Contains(body, "javascript:alert") {
		t.Error("the case page links to a javascript: address")
	}
}
