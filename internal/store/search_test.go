package store_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// seedSearchCases stores one case a text, each with one mention of that
// text, a second apart from start (so ids and times follow the order of
// texts), and returns their ids. Cases whose index is in urgent are urgent,
// the rest normal.
func seedSearchCases(t *testing.T, st *store.Store, start time.Time, texts []string, urgent func(i int) bool) []int64 {
	t.Helper()
	ctx := context.Background()
	ids := make([]int64, len(texts))
	err := st.WriteBatch(ctx, func(b *store.Batch) error {
		for i, text := range texts {
			at := start.Add(time.Duration(i) * time.Second)
			ext := fmt.Sprintf("s%d-%d", start.Unix(), i)
			a := model.Author{ID: "a" + ext, Handle: "h" + ext}
			aid, err := b.UpsertAuthor(ctx, "x", a, at)
			if err != nil {
				return err
			}
			prio := model.PriorityNormal
			if urgent(i) {
				prio = model.PriorityUrgent
			}
			c := &model.Case{Status: model.StatusNew, Priority: prio, Platform: "x", AuthorID: aid, CreatedAt: at, UpdatedAt: at,
				LastActivityAt: at, MentionCount: 1}
			if err := b.InsertCase(ctx, c); err != nil {
				return err
			}
			ids[i] = c.ID
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
	return ids
}

// addSearchMention stores one more mention of text on case caseID.
func addSearchMention(t *testing.T, st *store.Store, caseID int64, ext, text string, at time.Time) {
	t.Helper()
	ctx := context.Background()
	err := st.WriteBatch(ctx, func(b *store.Batch) error {
		a := model.Author{ID: "a" + ext, Handle: "h" + ext}
		aid, err := b.UpsertAuthor(ctx, "x", a, at)
		if err != nil {
			return err
		}
		m := &model.Mention{Platform: "x", ExternalID: ext, Kind: "post", Direction: "inbound", Text: text, CreatedAt: at, ReceivedAt: at, Author: a}
		return b.InsertMention(ctx, m, aid, caseID, []byte(`{}`))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pageAll follows a list's cursors to the end and returns the case ids in
// the order listed and how many pages it took.
func pageAll(t *testing.T, st *store.Store, f store.CaseFilter, between func(page int)) ([]int64, int) {
	t.Helper()
	var got []int64
	for pages := 1; ; pages++ {
		cs, next, err := st.ListCases(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			got = append(got, c.ID)
		}
		if next == "" {
			return got, pages
		}
		if pages > 1000 {
			t.Fatalf("still paging after %d pages", pages)
		}
		if between != nil {
			between(pages)
		}
		f.Cursor = next
	}
}

// TestSearchPagesThroughEveryMatch is the QA report's case: 1,200 cases
// mention "zebra" and a search pages through all of them, 200 at a time,
// each once. The pages take the matches SearchWindow at a time, newest
// first, each window's cases in queue order; a case with matches in two
// windows comes with the newer.
func TestSearchPagesThroughEveryMatch(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	const n = store.SearchWindow + 200
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	texts := make([]string, n)
	for i := range texts {
		texts[i] = "a zebra at the clinic " + strconv.Itoa(i)
	}
	// The oldest cases are the most pressing: a search that sorted every
	// match at once would put them first.
	ids := seedSearchCases(t, st, start, texts, func(i int) bool { return i < 5 })
	// The oldest case matches again, newest of all: it belongs to the
	// first window, and the second leaves it out.
	addSearchMention(t, st, ids[0], "again", "the zebra is back", start.Add(n*time.Second))

	got, pages := pageAll(t, st, store.CaseFilter{Q: "zebra", Limit: 200}, nil)
	if pages != 6 {
		t.Errorf("%d pages of 200, want 6", pages)
	}
	if len(got) != n {
		t.Fatalf("search listed %d cases, want all %d", len(got), n)
	}
	sorted := slices.Sorted(slices.Values(got))
	if !slices.Equal(sorted, slices.Compact(slices.Clone(sorted))) {
		t.Fatal("a case was listed twice")
	}
	// Window 0: the newest match (case 0, urgent, first) and the cases
	// of the 999 matches before it; window 1: cases 1-200, urgent first.
	first := got[:store.SearchWindow]
	if first[0] != ids[0] {
		t.Errorf("search starts with case %d, want %d (urgent, newest match)", first[0], ids[0])
	}
	if !slices.Contains(first, ids[n-1]) || slices.Contains(first, ids[1]) {
		t.Error("the first window holds cases of older matches")
	}
	if !slices.Equal(got[store.SearchWindow:store.SearchWindow+4], ids[1:5]) {
		t.Errorf("second window starts %v, want its urgent cases %v", got[store.SearchWindow:store.SearchWindow+4], ids[1:5])
	}
	// Counting stays with the first window.
	if c, err := st.CountCases(ctx, store.CaseFilter{Q: "zebra"}, 5000); err != nil || c != store.SearchWindow {
		t.Errorf("count of zebra = %d, %v; want %d", c, err, store.SearchWindow)
	}
	// A rare word among old mentions is found at once.
	if cs, next, err := st.ListCases(ctx, store.CaseFilter{Q: "clinic 3"}); err != nil || len(cs) != 1 || cs[0].ID != ids[3] || next != "" {
		t.Errorf("rare words: %d cases, next %q, %v", len(cs), next, err)
	}
}

// TestSearchWindows pages searches through small windows: filters that
// leave short (even empty) pages, a search's windows staying put while
// mentions arrive, and a case matching in several windows.
func TestSearchWindows(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		// n cases, each with one mention "wombat <i>"; urgent ones.
		n      int
		urgent func(i int) bool
		f      store.CaseFilter
		// between runs after each page but the last.
		between func(t *testing.T, st *store.Store, ids []int64, page int)
		want    func(ids []int64) []int64
	}{{
		name: "every case, each window in queue order",
		n:    10, urgent: func(i int) bool { return i%4 == 0 },
		f: store.CaseFilter{Q: "wombat", Limit: 3},
		// Windows of 3, newest first: 9 8 7 | 6 5 4 | 3 2 1 | 0.
		want: func(ids []int64) []int64 {
			return []int64{ids[8], ids[7], ids[9], ids[4], ids[5], ids[6], ids[1], ids[2], ids[3], ids[0]}
		},
	}, {
		name: "filter leaves most windows empty",
		n:    20, urgent: func(i int) bool { return i == 1 },
		f:    store.CaseFilter{Q: "wombat", Priority: string(model.PriorityUrgent), Limit: 5},
		want: func(ids []int64) []int64 { return []int64{ids[1]} },
	}, {
		name: "matches stored while paging wait for the next search",
		n:    9, urgent: func(int) bool { return false },
		f: store.CaseFilter{Q: "wombat", Limit: 2},
		between: func(t *testing.T, st *store.Store, ids []int64, page int) {
			if page == 1 {
				// Case 0 matches again, newer than the search: it is
				// still listed once, in its old window.
				addSearchMention(t, st, ids[0], "late", "wombat late", start.Add(time.Hour))
			}
		},
		want: func(ids []int64) []int64 {
			return []int64{ids[6], ids[7], ids[8], ids[3], ids[4], ids[5], ids[0], ids[1], ids[2]}
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			st := storetest.Open(t)
			store.SetSearchWindow(st, 3)
			texts := make([]string, tc.n)
			for i := range texts {
				texts[i] = "wombat " + strconv.Itoa(i)
			}
			ids := seedSearchCases(t, st, start, texts, tc.urgent)
			var between func(int)
			if tc.between != nil {
				between = func(page int) { tc.between(t, st, ids, page) }
			}
			got, _ := pageAll(t, st, tc.f, between)
			if want := tc.want(ids); !slices.Equal(got, want) {
				t.Errorf("listed %v, want %v", got, want)
			}
		})
	}
}
