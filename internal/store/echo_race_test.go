package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/store/storetest"
)

// Our reply can come back from the platform (a webhook of our own post)
// before the outbox records it as sent: ingest then stores it as our
// outbound mention, knowing no reply by its id. Recording the send links
// that mention to the reply, so that the two are one.
func TestSentReplyLinksOurPostThatCameBackFirst(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	t0 := time.Now().UTC().Truncate(time.Second)
	p := ingest.New(st, analyze.New(), ingest.Options{Now: func() time.Time { return t0 }})
	caseID := postAt(t, p, "gil", t0.Add(-time.Hour))
	rp := &model.Reply{CaseID: caseID, Text: "Sorry, please DM us", Visibility: model.VisibilityPublic, Author: "agent@example.org", CreatedAt: t0}
	if err := st.AddReply(ctx, rp, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.ClaimReply(ctx, caseID, rp.ID, 0); err != nil {
		t.Fatal(err)
	}
	// X delivers our post before the outbox hears back from the send.
	res, err := p.Store(ctx, []*model.Mention{{Platform: "x", ExternalID: "555", Kind: "post", Direction: "outbound",
		Text: "@gil Sorry, please DM us", CreatedAt: t0, InReplyTo: fmt.Sprint("gil", t0.Add(-time.Hour).Unix()),
		Author: model.Author{ID: "acme", Handle: "acme"}}})
	if err != nil || len(res) != 1 || res[0].CaseID != caseID {
		t.Fatalf("our post: %+v, %v (want it on case %d)", res, err, caseID)
	}
	if err := st.MarkReplySent(ctx, rp.ID, "555", "https://x.com/acme/status/555", t0); err != nil {
		t.Fatal(err)
	}
	c, err := st.GetCase(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Replies[0]; got.State != model.ReplySent || got.MentionID != res[0].ID {
		t.Errorf("reply after the send: state %s, mention %d; want sent and linked to our post %d", got.State, got.MentionID, res[0].ID)
	}
}
