package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// TestSearchLooksAtRecentMatches checks that a search for a word in more
// mentions than SearchWindow returns the cases of the most recent
// SearchWindow matches, in queue order, and that older matches of a rarer
// word are still found.
func TestSearchLooksAtRecentMatches(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	const old = 5
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	var oldIDs []int64
	err := st.WriteBatch(ctx, func(b *store.Batch) error {
		for i := range store.SearchWindow + old {
			at := start.Add(time.Duration(i) * time.Second)
			ext := strconv.Itoa(i)
			a := model.Author{ID: "a" + ext, Handle: "h" + ext}
			aid, err := b.UpsertAuthor(ctx, "x", a, at)
			if err != nil {
				return err
			}
			// The oldest matches are the most pressing: a search that
			// sorted every match would put them first.
			prio, text := model.PriorityNormal, "claim denied again "+ext
			if i < old {
				prio, text = model.PriorityUrgent, "claim denied, also quixotic "+ext
			}
			c := &model.Case{Status: model.StatusNew, Priority: prio, Platform: "x", AuthorID: aid, CreatedAt: at, UpdatedAt: at,
				LastActivityAt: at, MentionCount: 1}
			if err := b.InsertCase(ctx, c); err != nil {
				return err
			}
			if i < old {
				oldIDs = append(oldIDs, c.ID)
			}
			m := &model.Mention{Platform: "x", ExternalID: ext, Kind: "post", Direction: "inbound", Text: text, CreatedAt: at, ReceivedAt: at, Author: a}
			if err := b.InsertMention(ctx, m, aid, c.ID, []byte(`{}`)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	found := map[int64]bool{}
	cursor := ""
	for {
		cs, next, err := st.ListCases(ctx, store.CaseFilter{Q: "denied", Limit: store.MaxPageSize, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			found[c.ID] = true
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(found) != store.SearchWindow {
		t.Fatalf("search found %d cases, want the %d most recent", len(found), store.SearchWindow)
	}
	for _, id := range oldIDs {
		if found[id] {
			t.Fatalf("case %d is older than the search window but was found", id)
		}
	}
	cs, _, err := st.ListCases(ctx, store.CaseFilter{Q: "quixotic"})
	if err != nil || len(cs) != old || cs[0].Priority != model.PriorityUrgent {
		t.Fatalf("rare word: %d cases, %v", len(cs), err)
	}
	if n, err := st.CountCases(ctx, store.CaseFilter{Q: "denied"}, 5000); err != nil || n != store.SearchWindow {
		t.Fatalf("count of a common word = %d, %v; want %d", n, err, store.SearchWindow)
	}
}
