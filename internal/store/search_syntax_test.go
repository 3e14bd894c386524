package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// TestSearchReadsAnyWordsAsWords holds a search to its words, on either
// engine: characters that are query syntax to FTS5 or to a tsquery
// (quotes, stars, brackets, operators, a colon) are searched as text, a
// word of punctuation alone is left out as PostgreSQL leaves it out, and
// a search of punctuation alone finds nothing; none of it is an error.
func TestSearchReadsAnyWordsAsWords(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ids := seedSearchCases(t, st, start, []string{"Where is my ID card?", "claim denied again", "near the desk"}, func(int) bool { return false })
	for _, tc := range []struct {
		q    string
		want []int64
	}{
		{"ID card", ids[:1]},
		{`"ID" card*`, ids[:1]},
		{"card OR", nil},
		{"claim - denied", ids[1:2]},
		{"claim -- denied !", ids[1:2]},
		{"(claim) denied:", ids[1:2]},
		{"NEAR(desk", ids[2:3]},
		{"desk & near | !", ids[2:3]},
		{"'", nil},
		{"!!! ???", nil},
		{`\ % _`, nil},
		{"🙂 card", ids[:1]},
	} {
		cases, next, err := st.ListCases(ctx, store.CaseFilter{Q: tc.q})
		if err != nil {
			t.Errorf("search %q: %v", tc.q, err)
			continue
		}
		var got []int64
		for _, c := range cases {
			got = append(got, c.ID)
		}
		if !slices.Equal(got, tc.want) || next != "" {
			t.Errorf("search %q found %v (next %q), want %v", tc.q, got, next, tc.want)
		}
		if n, err := st.CountCases(ctx, store.CaseFilter{Q: tc.q}, 10); err != nil || n != len(tc.want) {
			t.Errorf("count of search %q: %d, %v; want %d", tc.q, n, err, len(tc.want))
		}
	}
}
