package app

import (
	"context"
	"testing"
	"time"

	"earshot/internal/model"
)

// TestServeSaysWhenNoConnectorSendsAReply: serve has no connector yet,
// so a reply written in Earshot is marked no_connector within a tick or
// two, rather than waiting queued for a delivery that never comes.
func TestServeSaysWhenNoConnectorSendsAReply(t *testing.T) {
	ctx := context.Background()
	s := build(t, Config{})
	run(t, s)
	rs, err := s.Pipeline().Ingest(ctx, []model.Mention{{Platform: "google", ExternalID: "accounts/1/locations/2/reviews/r1", Kind: "review", Text: "the wait was long",
		CreatedAt: time.Now().UTC(), Author: model.Author{ID: "u1", Handle: "u1"}}})
	if err != nil || rs[0].Err != nil {
		t.Fatalf("ingest: %v %v", err, rs[0].Err)
	}
	rp := &model.Reply{CaseID: rs[0].CaseID, Text: "We are sorry about the wait. Please call us.", Visibility: model.VisibilityPublic,
		Author: "agent@example.org", CreatedAt: time.Now()}
	if err := s.Store().AddReply(ctx, rp, nil); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := s.Store().GetCase(ctx, rp.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		got := c.Replies[0]
		if got.State == model.ReplyNoConnector && got.DeliveryError == "no connector for google is set up here" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("reply after 10s: %+v", got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
