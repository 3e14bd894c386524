package ingest

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"earshot/internal/generate"
	"earshot/internal/model"
	"earshot/internal/store"
)

// The order of the mentions does not decide what a case looks like: an
// older mention that comes after a newer one of the same author opens
// the newer one's case, as if it had come first, and our reply to it is
// the case's first response.
func TestOlderMentionOpensCase(t *testing.T) {
	at := func(hm string) time.Time {
		v, err := time.Parse(time.RFC3339, "2026-11-30T"+hm+":00Z")
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	p1 := mention("a1", "a", "My claim was denied, why?", at("10:00"))
	r1 := mention("ar1", "bcbstx", "Please DM us.", at("10:05"))
	r1.Kind, r1.Direction, r1.InReplyTo, r1.ThreadID = model.KindComment, model.DirectionOutbound, "a1", "a1"
	p2 := mention("a2", "a", "Still no answer about the denied claim", at("12:00"))
	p1.Kind, p2.Kind = model.KindPost, model.KindPost

	// The case as the lines in time order make it.
	want := orderCase(t, []model.Mention{p1, r1, p2}, false)
	if !want.CreatedAt.Equal(at("10:00")) || want.FirstResponseAt == nil || !want.FirstResponseAt.Equal(at("10:05")) {
		t.Fatalf("in time order: created %v, first response %v", want.CreatedAt, want.FirstResponseAt)
	}
	for _, tc := range []struct {
		name    string
		order   []model.Mention
		batches bool // one batch per mention, else one for all
	}{
		{"backward in one batch", []model.Mention{p2, r1, p1}, false},
		{"backward in batches", []model.Mention{p2, r1, p1}, true},
		{"older last in one batch", []model.Mention{p2, p1, r1}, false},
		{"older last in batches", []model.Mention{p2, p1, r1}, true},
		{"reply first in batches", []model.Mention{r1, p2, p1}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := orderCase(t, tc.order, tc.batches)
			if !got.CreatedAt.Equal(want.CreatedAt) {
				t.Errorf("created_at = %v, want %v", got.CreatedAt, want.CreatedAt)
			}
			if got.FirstResponseAt == nil || !got.FirstResponseAt.Equal(*want.FirstResponseAt) {
				t.Errorf("first_response_at = %v, want %v", got.FirstResponseAt, *want.FirstResponseAt)
			}
			if got.FirstResponseDue == nil || got.FirstResponseDue.Before(got.CreatedAt) {
				t.Errorf("first_response_due = %v, before created_at %v", got.FirstResponseDue, got.CreatedAt)
			}
			if got.SentimentFirst != want.SentimentFirst || got.Summary != want.Summary {
				t.Errorf("sentiment_first, summary = %q, %q, want %q, %q", got.SentimentFirst, got.Summary, want.SentimentFirst, want.Summary)
			}
			if got.SentimentLast != want.SentimentLast || !got.LastActivityAt.Equal(want.LastActivityAt) || got.MentionCount != 3 {
				t.Errorf("sentiment_last, last activity, mentions = %q, %v, %d, want %q, %v, 3",
					got.SentimentLast, got.LastActivityAt, got.MentionCount, want.SentimentLast, want.LastActivityAt)
			}
		})
	}
}

// orderCase ingests ms, in one batch or one batch each, into a fresh
// store, and returns the one case they make.
func orderCase(t *testing.T, ms []model.Mention, batches bool) *model.Case {
	t.Helper()
	ctx := context.Background()
	p, st, _ := newPipeline(t)
	groups := [][]model.Mention{slices.Clone(ms)}
	if batches {
		groups = nil
		for _, m := range ms {
			groups = append(groups, []model.Mention{m})
		}
	}
	for _, g := range groups {
		if _, err := p.Ingest(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	cases := allCases(t, st)
	if len(cases) != 1 {
		t.Fatalf("%d cases, want 1", len(cases))
	}
	return cases[0]
}

// allCases reads every case of st with its mentions, by id.
func allCases(t *testing.T, st *store.Store) []*model.Case {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	f := store.CaseFilter{Limit: 500}
	for {
		page, next, err := st.ListCases(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			ids = append(ids, c.ID)
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	slices.Sort(ids)
	out := make([]*model.Case, 0, len(ids))
	for _, id := range ids {
		c, err := st.GetCase(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// Importing the same mentions in time order, backwards and shuffled
// makes the same cases, each opened by its earliest inbound mention and
// first answered by our earliest reply since, with its first response
// due no earlier than it opened.
//
// The number of cases may differ a little, never down (fewer cases would
// mean mentions joined a case they would not have joined in time order):
// cases do not merge, so a mention that comes after two cases of its
// author that it falls between joins one of them, where in time order
// the two would have been one (shuffled); and another person's reply to
// a post that comes before the post opens a case of its own, where in
// time order it joins the post's case (both orders, when the file has
// such replies).
func TestImportOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 3,000 mentions six times")
	}
	const n = 3000
	g := generate.New(generate.Options{Seed: 7, Count: n, Days: 14})
	all := make([]model.Mention, n)
	for i := range all {
		all[i] = g.Next()
	}
	for _, file := range []struct {
		name string
		ms   []model.Mention
		// How many more cases than in time order each order may make,
		// in percent.
		backward, shuffled int
	}{
		{"generated", all, 8, 12},
		{"one person a conversation", onePerson(all), 1, 6},
	} {
		t.Run(file.name, func(t *testing.T) {
			backward := slices.Clone(file.ms)
			slices.Reverse(backward)
			shuffled := slices.Clone(file.ms)
			rand.New(rand.NewPCG(7, 11)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			inOrder := importCases(t, file.ms)
			for _, order := range []struct {
				name  string
				ms    []model.Mention
				slack int
			}{{"backward", backward, file.backward}, {"shuffled", shuffled, file.shuffled}} {
				got := importCases(t, order.ms)
				t.Logf("%s: %d cases in time order, %d %s", file.name, inOrder, got, order.name)
				if d := got - inOrder; d < 0 || d*100 > inOrder*order.slack {
					t.Errorf("%s: %d cases, want %d (up to %d%% more)", order.name, got, inOrder, order.slack)
				}
			}
		})
	}
}

// onePerson is ms without other people's replies to someone's mention
// (and what answers them): each conversation is with one person.
func onePerson(ms []model.Mention) []model.Mention {
	author := map[string]string{} // external id -> author, "" for ours
	dropped := map[string]bool{}
	var out []model.Mention
	for _, m := range ms {
		author[m.ExternalID] = m.Author.Key()
		if m.Direction == model.DirectionOutbound {
			author[m.ExternalID] = ""
		}
		if m.InReplyTo != "" {
			parent, ok := author[m.InReplyTo]
			if dropped[m.InReplyTo] || m.Direction != model.DirectionOutbound && ok && parent != "" && parent != m.Author.Key() {
				dropped[m.ExternalID] = true
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// importCases ingests ms, 500 a batch, into a fresh store, checks each
// case it makes (checkCaseOrder) and returns how many it made.
func importCases(t *testing.T, ms []model.Mention) int {
	t.Helper()
	ctx := context.Background()
	p, st, _ := newPipeline(t)
	for chunk := range slices.Chunk(ms, 500) {
		if _, err := p.Ingest(ctx, slices.Clone(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	cases := allCases(t, st)
	for _, c := range cases {
		checkCaseOrder(t, c)
	}
	return len(cases)
}

// checkCaseOrder checks what a case says of its own mentions: it opened
// with its earliest inbound mention (and that mention's sentiment), our
// earliest reply since is its first response, and its first response was
// due no earlier than it opened.
func checkCaseOrder(t *testing.T, c *model.Case) {
	t.Helper()
	var first time.Time
	var firstLabels []string
	var reply *time.Time
	for _, m := range c.Mentions {
		if m.Direction == model.DirectionOutbound || m.Analysis == nil {
			continue
		}
		switch {
		case first.IsZero() || m.CreatedAt.Before(first):
			first, firstLabels = m.CreatedAt, []string{m.Analysis.Sentiment.Label}
		case m.CreatedAt.Equal(first):
			firstLabels = append(firstLabels, m.Analysis.Sentiment.Label)
		}
	}
	for _, m := range c.Mentions {
		if m.Direction == model.DirectionOutbound && !m.CreatedAt.Before(first) && (reply == nil || m.CreatedAt.Before(*reply)) {
			at := m.CreatedAt
			reply = &at
		}
	}
	if !c.CreatedAt.Equal(first) {
		t.Errorf("case %d: created_at %v, earliest inbound mention %v", c.ID, c.CreatedAt, first)
	}
	if !slices.Contains(firstLabels, c.SentimentFirst) {
		t.Errorf("case %d: sentiment_first %q, earliest inbound mention's %q", c.ID, c.SentimentFirst, firstLabels)
	}
	switch {
	case reply == nil && c.FirstResponseAt != nil:
		t.Errorf("case %d: first_response_at %v, no reply since it opened at %v", c.ID, *c.FirstResponseAt, c.CreatedAt)
	case reply != nil && (c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(*reply)):
		t.Errorf("case %d: first_response_at %v, earliest reply since opening %v", c.ID, c.FirstResponseAt, *reply)
	}
	if c.FirstResponseDue != nil && c.FirstResponseDue.Before(c.CreatedAt) {
		t.Errorf("case %d: first_response_due %v before created_at %v", c.ID, *c.FirstResponseDue, c.CreatedAt)
	}
}
