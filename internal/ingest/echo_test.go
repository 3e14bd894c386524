package ingest

import (
	"context"
	"earshot/internal/report"
	"encoding/json"
	"testing"
	"time"

	"earshot/internal/cases"
	"earshot/internal/model"
)

// Our reply, sent by the outbox, coming back from the platform (a poll
// of our mentions, a webhook of our own posts) is stored as the case's
// outbound mention, linked to the reply, and is no second response: the
// case's first response stays the reply's, and its next-response clock
// is not set again. Sent once more, it is a plain duplicate.
func TestOurSentReplyComingBackJoinsItsCase(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newPipeline(t)
	first := ingestOne(t, p, mention("500", "ann", "My card never came and nobody answers", t0))
	replyAt := t0.Add(10 * time.Minute)
	rp, err := agentAt(st, nil, replyAt).Reply(ctx, cases.Draft{CaseID: first.CaseID, Author: "agent@example.org",
		Text: "Sorry to hear that, please send us a DM.", Visibility: model.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.ClaimReply(ctx, first.CaseID, rp.ID, 0); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkReplySent(ctx, rp.ID, "9001", "https://x.com/lonestar/status/9001", replyAt); err != nil {
		t.Fatal(err)
	}
	before, err := st.GetCase(ctx, first.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	// The platform shows our post as ours; a connector may still call it
	// inbound (a mention of the member's handle). Another author's post
	// with the same id on another platform is not it.
	back := mention("9001", "lonestar", "Sorry to hear that, please send us a DM.", replyAt.Add(2*time.Second))
	back.InReplyTo = "500"
	other := mention("9001", "someone", "unrelated", replyAt)
	other.Platform = "facebook"
	rs, err := p.Ingest(ctx, []model.Mention{back, other})
	if err != nil {
		t.Fatal(err)
	}
	got := rs[0]
	if got.Err != nil || got.Duplicate || got.CaseID != first.CaseID {
		t.Fatalf("echo result %+v, want a new mention of case %d", got, first.CaseID)
	}
	if rs[1].CaseID == first.CaseID {
		t.Fatalf("a post on another platform with the same id joined the case: %+v", rs[1])
	}
	c, err := st.GetCase(ctx, first.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Mentions) != 2 || c.Mentions[1].ID != got.ID || c.Mentions[1].Direction != model.DirectionOutbound || c.MentionCount != 2 {
		t.Fatalf("case mentions %+v (count %d), want ours stored outbound", c.Mentions, c.MentionCount)
	}
	if len(c.Replies) != 1 || c.Replies[0].MentionID != got.ID || c.Replies[0].State != model.ReplySent {
		t.Fatalf("reply %+v, want it linked to mention %d", c.Replies, got.ID)
	}
	if c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(*before.FirstResponseAt) || c.Status != before.Status ||
		!equalTimes(c.NextResponseDue, before.NextResponseDue) {
		t.Fatalf("the echo counted as a response: first response %v (was %v), next due %v (was %v), status %s (was %s)",
			c.FirstResponseAt, before.FirstResponseAt, c.NextResponseDue, before.NextResponseDue, c.Status, before.Status)
	}
	again := ingestOne(t, p, back)
	if !again.Duplicate || again.Updated || again.ID != got.ID {
		t.Fatalf("echo sent again: %+v", again)
	}
}

func equalTimes(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
}

// A stored mention sent again with a new rating or text is its author's
// edit: the stored mention takes it (text, rating, analysis), the case
// says so in its timeline ("rating 1 to 4"), and the same edit sent again
// changes nothing more.
func TestEditedReviewUpdatesTheStoredMention(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newPipeline(t)
	one, four := 1, 4
	review := model.Mention{Platform: "google", Channel: "google-dallas", ExternalID: "accounts/1/locations/2/reviews/r1", Kind: "review",
		Text: "Rude front desk, waited three hours.", Rating: &one, CreatedAt: t0, Author: model.Author{ID: "g1", Handle: "Sam"}}
	first := ingestOne(t, p, review)
	edited := review
	edited.Text, edited.Rating = "They called me back and fixed it. Thank you!", &four
	got := ingestOne(t, p, edited)
	if !got.Duplicate || !got.Updated || got.ID != first.ID || got.CaseID != first.CaseID {
		t.Fatalf("edit result %+v, want an updated duplicate of %+v", got, first)
	}
	c, err := st.GetCase(ctx, first.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	m := c.Mentions[0]
	if len(c.Mentions) != 1 || m.Text != edited.Text || m.Rating == nil || *m.Rating != 4 || m.Analysis == nil ||
		m.Analysis.Sentiment.Label != model.SentimentPositive || c.SentimentLast != model.SentimentPositive || c.MentionCount != 1 {
		t.Fatalf("case after the edit: %+v, mentions %+v", c, c.Mentions)
	}
	var edits []map[string]any
	for _, e := range c.Events {
		if e.Type == model.EventMentionEdited {
			var d map[string]any
			if err := json.Unmarshal(e.Data, &d); err != nil {
				t.Fatal(err)
			}
			edits = append(edits, d)
		}
	}
	if len(edits) != 1 || edits[0]["mention_id"] != float64(first.ID) || edits[0]["rating_from"] != float64(1) || edits[0]["rating_to"] != float64(4) {
		t.Fatalf("mention_edited events %v", edits)
	}
	if again := ingestOne(t, p, edited); !again.Duplicate || again.Updated {
		t.Fatalf("the same edit again: %+v, want a plain duplicate", again)
	}
	// A text edit with the same rating is an edit too; a rating removed
	// is null.
	edited.Text, edited.Rating = "They called me back.", nil
	if r := ingestOne(t, p, edited); !r.Updated {
		t.Fatalf("text edit: %+v", r)
	}
	c, _ = st.GetCase(ctx, first.CaseID)
	n := 0
	for _, e := range c.Events {
		if e.Type == model.EventMentionEdited {
			n++
		}
	}
	if n != 2 || c.Mentions[0].Rating != nil || c.Mentions[0].Text != "They called me back." {
		t.Fatalf("after a text edit: %d edit events, mention %+v", n, c.Mentions[0])
	}
	// The report reads a review from its first rating to its latest: the
	// last edit took the rating away, so the review has no latest rating
	// and its moves count as no change (README, Reports: ratings).
	sum, err := report.New(st, report.Options{}).Summary(ctx, report.Query{From: t0.AddDate(-1, 0, 0), To: time.Now().AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if r := sum.Ratings; r.Changed != 0 || r.Raised != 0 || r.Lowered != 0 || len(r.ByChange) != 0 {
		t.Errorf("report ratings %+v, want no change for a review whose rating was taken away", r)
	}
}
