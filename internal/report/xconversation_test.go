package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/connector"
	"earshot/internal/connector/x"
	"earshot/internal/ingest"
	"earshot/internal/store/storetest"
)

// TestXConversationIsOneCase follows posts of two X conversations along
// the path a user meets, X Activity API deliveries parsed by the X
// connector and then ingested one delivery at a time, in the order X may
// deliver them (a reply before the post it answers, a reply to a post
// never delivered): the posts that share a conversation_id are one case,
// and a member who answers in another conversation is in that one's case.
func TestXConversationIsOneCase(t *testing.T) {
	ctx := context.Background()
	const ours = "1298876543210987776"
	wh, err := x.NewWebhook([]connector.Config{{ID: "lsh-x", Platform: "x", AccountID: ours, Secret: "s3cret"}})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	event := func(kind, id, author, conversation, inReplyTo, text string, minutes int) []byte {
		reply := ""
		if inReplyTo != "" {
			reply = fmt.Sprintf(`,"in_reply_to_tweet_id":%q,"referenced_tweets":[{"type":"replied_to","id":%q}]`, inReplyTo, inReplyTo)
		}
		return fmt.Appendf(nil, `{"data":{"event_uuid":"e%s","filter":{"user_id":%q},"event_type":%q,"payload":{"id":%q,"author_id":%q,`+
			`"created_at":%q,"conversation_id":%q,"text":%q%s},"includes":{"users":[{"id":%q,"username":"u%s","public_metrics":{}}]}}}`,
			id, ours, kind, id, author, at.Add(time.Duration(minutes)*time.Minute).Format(time.RFC3339), conversation, text, reply, author, author)
	}
	deliveries := []struct {
		name string
		body []byte
		conv string // the conversation the post belongs to
	}{
		{"another member answers the complaint before it is delivered", event("post.reply.create", "5003", "7002", "5001", "5001",
			"@lonestarhealth same here, no card for a month", 5), "5001"},
		{"the complaint", event("post.mention.create", "5001", "7001", "5001", "",
			"@lonestarhealth three weeks and still no ID card. Pharmacy turned me away.", 0), "5001"},
		{"our reply, typed on X", event("post.reply.create", "5002", ours, "5001", "5001",
			"We're sorry. Please send us a DM so we can look into it.", 12), "5001"},
		{"the member answers our reply", event("post.reply.create", "5004", "7001", "5001", "5002",
			"@lonestarhealth sent you a DM", 20), "5001"},
		{"the member answers a post never delivered", event("post.reply.create", "5005", "7001", "5001", "4999",
			"@lonestarhealth still nothing, this is ridiculous", 90), "5001"},
		{"someone else's complaint", event("post.mention.create", "6001", "7003", "6001", "",
			"@lonestarhealth my claim was denied twice, why?", 30), "6001"},
		{"the first member answers in that conversation", event("post.reply.create", "6002", "7001", "6001", "6001",
			"@lonestarhealth same happened to me last year", 40), "6001"},
	}
	st := storetest.Open(t)
	p := ingest.New(st, analyze.New(), ingest.Options{Now: func() time.Time { return at.Add(2 * time.Hour) }})
	caseOf := map[string]int64{} // conversation -> case
	for _, d := range deliveries {
		ms, err := wh.Parse(d.body)
		if err != nil || len(ms) != 1 {
			t.Fatalf("%s: parsed %d mentions, %v", d.name, len(ms), err)
		}
		if ms[0].ThreadID != d.conv {
			t.Fatalf("%s: thread_id %q, want the conversation_id %s", d.name, ms[0].ThreadID, d.conv)
		}
		rs, err := p.Ingest(ctx, ms)
		if err != nil || rs[0].Err != nil {
			t.Fatalf("%s: ingest: %v %v", d.name, err, rs[0].Err)
		}
		if want, ok := caseOf[d.conv]; ok && rs[0].CaseID != want {
			t.Errorf("%s: in case %d, want the case of conversation %s, %d", d.name, rs[0].CaseID, d.conv, want)
		}
		if rs[0].CaseID == 0 {
			t.Errorf("%s: in no case", d.name)
		}
		caseOf[d.conv] = rs[0].CaseID
	}
	if caseOf["5001"] == caseOf["6001"] {
		t.Fatalf("both conversations are case %d", caseOf["5001"])
	}
	// Conversation 5001: the complaint opened it at :00 (though a reply
	// came first) and our reply at :12 is its first response. (The case
	// keeps the author of the post that reached it first, here the other
	// member's: cases keep what came first, see internal/ingest.)
	c, err := st.GetCase(ctx, caseOf["5001"])
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Mentions) != 5 || !c.CreatedAt.Equal(at) || c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(at.Add(12*time.Minute)) {
		t.Errorf("conversation 5001: %d mentions, opened %s, first response %v; want 5, %s, %s",
			len(c.Mentions), c.CreatedAt, c.FirstResponseAt, at, at.Add(12*time.Minute))
	}
	if n, err := st.Count(ctx); err != nil || n.Cases != 2 {
		t.Errorf("%d cases (%v), want 2: one per conversation", n.Cases, err)
	}
}
