package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// TestMentionAnalyses reads the stored analyses of more mentions than
// one query takes, with ids that are not stored and a mention stored
// without an analysis among them.
func TestMentionAnalyses(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	at := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	const n = 1201
	var ids []int64
	err := st.WriteBatch(ctx, func(b *store.Batch) error {
		a := model.Author{ID: "a1", Handle: "ann"}
		authorID, err := b.UpsertAuthor(ctx, "x", a, at)
		if err != nil {
			return err
		}
		c := &model.Case{Status: model.StatusNew, Priority: model.PriorityNormal, Platform: "x", AuthorID: authorID, CreatedAt: at, UpdatedAt: at, LastActivityAt: at, MentionCount: n}
		if err := b.InsertCase(ctx, c); err != nil {
			return err
		}
		for i := range n {
			m := &model.Mention{Platform: "x", ExternalID: fmt.Sprint(i), Kind: "post", Direction: "inbound", Text: "text", CreatedAt: at, ReceivedAt: at, Author: a}
			analysis := fmt.Appendf(nil, `{"sentiment":{"label":"negative","score":-%d.5e-4},"intents":["cost"],"language":"en"}`, i)
			if i == 7 {
				analysis = []byte(`{}`)
			}
			if err := b.InsertMention(ctx, m, authorID, c.ID, analysis); err != nil {
				return err
			}
			ids = append(ids, m.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.MentionAnalyses(ctx, append(ids, ids[n-1]+1000, -1))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n-1 || got[ids[7]] != nil {
		t.Fatalf("%d analyses (mention 7: %+v); want %d, none for mention 7 or for ids not stored", len(got), got[ids[7]], n-1)
	}
	for _, i := range []int{0, 499, 500, 1000, n - 1} {
		a := got[ids[i]]
		want := -(float64(i) + 0.5) / 10000
		if a == nil || a.Sentiment.Label != model.SentimentNegative || a.Sentiment.Score != want || len(a.Intents) != 1 || a.Language != "en" {
			t.Errorf("mention %d: analysis %+v, want score %v", i, a, want)
		}
	}
	if got, err := st.MentionAnalyses(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("no ids: %v, %v", got, err)
	}
}
