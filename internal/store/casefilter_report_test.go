package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// TestCaseFiltersBehindReports stores five cases whose openings,
// mentions, answers, sentiments, tags and breaches differ, and checks
// that each filter the reports page links to keeps exactly the cases
// written to match it.
func TestCaseFiltersBehindReports(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	type spec struct {
		name        string
		opened      time.Time
		laterAt     time.Time // a second mention, when set
		first, last string
		answered    bool
		needs       bool
		tags        []string
		breached    bool
	}
	specs := []spec{
		// a: opened day 0, a later mention on day 3, negative to positive, answered.
		{name: "a", opened: t0, laterAt: t0.Add(72 * time.Hour), first: "negative", last: "positive", answered: true, needs: true, tags: []string{"billing", "x_y"}},
		// b: opened day 1, needs an answer, none yet, breached.
		{name: "b", opened: t0.Add(24 * time.Hour), first: "negative", last: "negative", needs: true, breached: true, tags: []string{"xay"}},
		// c: opened day 2, praise: no answer needed.
		{name: "c", opened: t0.Add(48 * time.Hour), first: "positive", last: "positive"},
		// d: opened day 3, neutral to positive, answered.
		{name: "d", opened: t0.Add(72 * time.Hour), first: "neutral", last: "positive", answered: true, needs: true, tags: []string{"billing"}},
		// e: opened day 4 at its very start.
		{name: "e", opened: t0.Add(96 * time.Hour), first: "negative", last: "positive", needs: true},
	}
	ids := map[int64]string{}
	for _, sp := range specs {
		err := st.WriteBatch(ctx, func(b *store.Batch) error {
			a := model.Author{ID: "a-" + sp.name, Handle: "h" + sp.name}
			aids, err := b.UpsertAuthors(ctx, []store.AuthorRow{{Platform: "x", Author: a}}, sp.opened)
			if err != nil {
				return err
			}
			c := &model.Case{Status: model.StatusNew, Priority: model.PriorityNormal, Platform: "x", AuthorID: aids[0], CreatedAt: sp.opened,
				UpdatedAt: sp.opened, LastActivityAt: sp.opened, SentimentFirst: sp.first, SentimentLast: sp.last, MentionCount: 1, Tags: sp.tags}
			if sp.answered {
				at := sp.opened.Add(time.Hour)
				c.FirstResponseAt = &at
			}
			if err := b.InsertCase(ctx, c); err != nil {
				return err
			}
			ids[c.ID] = sp.name
			needs := `{"needs_response":false}`
			if sp.needs {
				needs = `{"needs_response":true}`
			}
			m := &model.Mention{Platform: "x", ExternalID: sp.name + "1", Kind: "post", Direction: "inbound", Text: "one", CreatedAt: sp.opened, ReceivedAt: sp.opened, Author: a,
				Analysis: &model.Analysis{NeedsResponse: sp.needs}}
			if err := b.InsertMention(ctx, m, aids[0], c.ID, []byte(needs)); err != nil {
				return err
			}
			if !sp.laterAt.IsZero() {
				m := &model.Mention{Platform: "x", ExternalID: sp.name + "2", Kind: "post", Direction: "inbound", Text: "two", CreatedAt: sp.laterAt, ReceivedAt: sp.laterAt, Author: a}
				if err := b.InsertMention(ctx, m, aids[0], c.ID, []byte(`{}`)); err != nil {
					return err
				}
			}
			if sp.breached {
				b.AddEvent(model.Event{CaseID: c.ID, Type: model.EventSLABreach, Data: []byte(`{"kind":"first_response"}`), CreatedAt: sp.opened.Add(2 * time.Hour)})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		f    store.CaseFilter
		want []string
	}{
		// Opened in [day 1, day 4): b, c, d; e opens at day 4, outside.
		{"opened between", store.CaseFilter{OpenedFrom: t0.Add(24 * time.Hour), OpenedTo: t0.Add(96 * time.Hour)}, []string{"b", "c", "d"}},
		{"opened from", store.CaseFilter{OpenedFrom: t0.Add(72 * time.Hour)}, []string{"d", "e"}},
		// A mention made in [day 3, day 4): a's second and d's first.
		{"mentioned between", store.CaseFilter{MentionFrom: t0.Add(72 * time.Hour), MentionTo: t0.Add(96 * time.Hour)}, []string{"a", "d"}},
		{"answered", store.CaseFilter{Answered: "yes"}, []string{"a", "d"}},
		{"not answered", store.CaseFilter{Answered: "no"}, []string{"b", "c", "e"}},
		{"needs response", store.CaseFilter{NeedsResponse: true}, []string{"a", "b", "d", "e"}},
		{"needs response, not answered", store.CaseFilter{NeedsResponse: true, Answered: "no"}, []string{"b", "e"}},
		// Saves: first negative, latest positive.
		{"saves", store.CaseFilter{SentimentFirst: "negative", Sentiment: "positive"}, []string{"a", "e"}},
		{"breached", store.CaseFilter{Breached: true}, []string{"b"}},
		// "x_y" must not match "xay" through LIKE's _.
		{"tag billing", store.CaseFilter{Tag: "billing"}, []string{"a", "d"}},
		{"tag with underscore", store.CaseFilter{Tag: "x_y"}, []string{"a"}},
		{"tag 'bill' is no tag", store.CaseFilter{Tag: "bill"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.Limit = 50
			cs, _, err := st.ListCases(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cs {
				got = append(got, ids[c.ID])
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			n, err := st.CountCases(ctx, tc.f, 100)
			if err != nil || n != len(tc.want) {
				t.Errorf("count %d, %v; want %d", n, err, len(tc.want))
			}
		})
	}
}
