package ingest

import (
	"context"
	"slices"
	"testing"

	"earshot/internal/model"
	"earshot/internal/store"
)

// searchCases returns the ids of the cases a search for q finds.
func searchCases(t *testing.T, st *store.Store, q string) []int64 {
	t.Helper()
	cs, _, err := st.ListCases(context.Background(), store.CaseFilter{Q: q, Limit: 50})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// TestSearchFollowsAnEditedMention edits a review twice through the
// pipeline: search finds it by its newest words, and no longer by those
// it had, on either engine (on SQLite through search.db's index).
func TestSearchFollowsAnEditedMention(t *testing.T) {
	p, st, _ := newPipeline(t)
	one, four := 1, 4
	review := model.Mention{Platform: "google", Channel: "google-dallas", ExternalID: "accounts/1/locations/2/reviews/r9", Kind: "review",
		Text: "Rude receptionist, waited three hours.", Rating: &one, CreatedAt: t0, Author: model.Author{ID: "g9", Handle: "Robin"}}
	first := ingestOne(t, p, review)
	other := ingestOne(t, p, mention("x1", "pat", "The receptionist was kind to me", t0))
	want := []int64{first.CaseID}
	if got := searchCases(t, st, "rude receptionist"); !slices.Equal(got, want) {
		t.Fatalf("search for the first words found cases %v, want %v", got, want)
	}

	edited := review
	edited.Text, edited.Rating = "They phoned back and sorted the bill. Thank you!", &four
	if r := ingestOne(t, p, edited); !r.Updated || r.ID != first.ID {
		t.Fatalf("edit: %+v, want an update of mention %d", r, first.ID)
	}
	if got := searchCases(t, st, "phoned bill"); !slices.Equal(got, want) {
		t.Errorf("search for the edited words found cases %v, want %v", got, want)
	}
	if got := searchCases(t, st, "rude"); len(got) != 0 {
		t.Errorf("search for a word edited away found cases %v, want none", got)
	}
	if got := searchCases(t, st, "receptionist"); !slices.Equal(got, []int64{other.CaseID}) {
		t.Errorf("search for a word left only in another mention found cases %v, want [%d]", got, other.CaseID)
	}

	edited.Text = "Sorted in the end, though parking was awful."
	if r := ingestOne(t, p, edited); !r.Updated {
		t.Fatalf("second edit: %+v", r)
	}
	if got := searchCases(t, st, "parking"); !slices.Equal(got, want) {
		t.Errorf("search for the second edit's words found cases %v, want %v", got, want)
	}
	if got := searchCases(t, st, "phoned"); len(got) != 0 {
		t.Errorf("search for the first edit's words found cases %v, want none", got)
	}
	if got := searchCases(t, st, "robin"); !slices.Equal(got, want) {
		t.Errorf("search for the author found cases %v, want %v", got, want)
	}
}
