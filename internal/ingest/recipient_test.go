package ingest

import (
	"context"
	"strings"
	"testing"
	"time"

	"earshot/internal/model"
)

// Our direct message written natively to a person who complained in
// public, before they write to us in private (or when they never do),
// joins their open case on each platform's thread shape, and is its first
// response.
func TestOurFirstDirectMessageJoinsTheRecipientsCase(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		platform, member, ours, thread string
	}{
		// X: the DM conversation's two ids, the smaller first.
		{"x", "7700001", "1298876543210987776", "7700001-1298876543210987776"},
		{"x", "9900000000000000000000", "1298876543210987776", "1298876543210987776-9900000000000000000000"},
		// Facebook and Instagram: the person's id.
		{"facebook", "6200000015", "104728365519203", "6200000015"},
		{"instagram", "3300000024", "17841400000000001", "3300000024"},
	}
	for _, tc := range tests {
		t.Run(tc.platform+"/"+tc.thread, func(t *testing.T) {
			p, st, _ := newPipeline(t)
			complaint := model.Mention{Platform: tc.platform, Channel: "lsh", ExternalID: "c1", Kind: model.KindComment,
				Text: "My prior authorization has been pending for two weeks. Help.", CreatedAt: t0,
				Author: model.Author{ID: tc.member, Handle: "member"}}
			root := ingestOne(t, p, complaint)
			dm := model.Mention{Platform: tc.platform, Channel: "lsh", ExternalID: "d1", Kind: model.KindDirectMessage,
				Direction: model.DirectionOutbound, Text: "Hi, could you send us your member ID?", CreatedAt: t0.Add(20 * time.Minute),
				ThreadID: tc.thread, Author: model.Author{ID: tc.ours, Handle: "lonestarhealth"}}
			if r := ingestOne(t, p, dm); r.CaseID != root.CaseID {
				t.Fatalf("our DM is in case %d, want the member's case %d", r.CaseID, root.CaseID)
			}
			c, err := st.GetCase(ctx, root.CaseID)
			if err != nil {
				t.Fatal(err)
			}
			// Answered 20 minutes after the complaint.
			if c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(t0.Add(20*time.Minute)) || c.MentionCount != 2 {
				t.Fatalf("case after our DM: first response %v, %d mentions", c.FirstResponseAt, c.MentionCount)
			}
			// The member's answer in the same private conversation
			// joins the case by its thread.
			back := model.Mention{Platform: tc.platform, Channel: "lsh", ExternalID: "d2", Kind: model.KindDirectMessage,
				Text: "Here it is", CreatedAt: t0.Add(30 * time.Minute), ThreadID: tc.thread, Author: complaint.Author}
			if r := ingestOne(t, p, back); r.CaseID != root.CaseID {
				t.Fatalf("the member's DM is in case %d, want %d", r.CaseID, root.CaseID)
			}
		})
	}
}

// A direct message of ours to someone with no open case, or that names
// nobody we know, stays without a case (and waits for its thread).
func TestOurDirectMessageToNoOpenCase(t *testing.T) {
	p, _, _ := newPipeline(t)
	ours := model.Author{ID: "1298876543210987776", Handle: "lonestarhealth"}
	old := ingestOne(t, p, model.Mention{Platform: "x", Channel: "lsh", ExternalID: "c1", Text: "My card never came",
		CreatedAt: t0, Author: model.Author{ID: "7700002", Handle: "old"}})
	for _, dm := range []model.Mention{
		// Eight days after the member's case went quiet: outside the
		// thread window of seven.
		{ExternalID: "d1", ThreadID: "7700002-1298876543210987776", CreatedAt: t0.Add(8 * 24 * time.Hour)},
		// Someone Earshot never heard from.
		{ExternalID: "d2", ThreadID: "7700003-1298876543210987776", CreatedAt: t0.Add(time.Hour)},
		// A public post of ours is not addressed to anyone.
		{ExternalID: "p1", Kind: model.KindPost, ThreadID: "7700002", CreatedAt: t0.Add(time.Hour)},
	} {
		dm.Platform, dm.Channel, dm.Direction, dm.Author, dm.Text = "x", "lsh", model.DirectionOutbound, ours, "Hello from us"
		if dm.Kind == "" {
			dm.Kind = model.KindDirectMessage
		}
		if r := ingestOne(t, p, dm); r.CaseID != 0 {
			t.Errorf("%s: in case %d (the old case is %d), want none", dm.ExternalID, r.CaseID, old.CaseID)
		}
	}
}

// An edited review is the reviewer's latest word even when our reply came
// after the review was first written: the case ends as the edit reads.
func TestEditAfterOurReplyIsTheLatestSentiment(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newPipeline(t)
	one, four := 1, 4
	review := model.Mention{Platform: "google", Channel: "g", ExternalID: "reviews/r1", Kind: model.KindReview,
		Text: "Rude front desk and a 90 minute wait. Never again.", Rating: &one, CreatedAt: t0, Author: model.Author{ID: "g1", Handle: "Mel"}}
	first := ingestOne(t, p, review)
	reply := model.Mention{Platform: "google", Channel: "g", ExternalID: "reviews/r1/reply", Kind: model.KindComment,
		Direction: model.DirectionOutbound, Text: "We are sorry to hear this; please call us.", CreatedAt: t0.Add(15 * time.Hour),
		InReplyTo: "reviews/r1", ThreadID: "reviews/r1", Author: model.Author{ID: "owner", Handle: "lsh"}}
	ingestOne(t, p, reply)
	edited := review
	edited.Text, edited.Rating = "Update: the manager called and sorted it out. Much better visit this week. Thank you.", &four
	ingestOne(t, p, edited)
	c, err := st.GetCase(ctx, first.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.SentimentFirst != model.SentimentNegative || c.SentimentLast != model.SentimentPositive {
		t.Fatalf("case sentiment %s to %s, want negative to positive", c.SentimentFirst, c.SentimentLast)
	}
}

// FuzzRecipients: whatever thread id a platform sends with our direct
// message, the people it may be addressed to are never our own account,
// never empty, and each is the thread id or one of its two parts.
func FuzzRecipients(f *testing.F) {
	for _, s := range [][2]string{{"7700001-1298876543210987776", "1298876543210987776"}, {"6200000015", "104728365519203"},
		{"-", "1"}, {"1-", "1"}, {"", "1"}, {"a-b-c", "b"}, {"1298876543210987776", "1298876543210987776"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, thread, ours string) {
		m := &model.Mention{ThreadID: thread, Author: model.Author{ID: ours}}
		a, b, _ := strings.Cut(thread, "-")
		for _, k := range recipients(m) {
			if k == "" || k == ours || k != thread && k != a && k != b {
				t.Fatalf("recipients(%q, ours %q) gave %q", thread, ours, k)
			}
		}
	})
}
