package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// storeOurs stores our own mentions, without a case, on platform x.
func storeOurs(t *testing.T, st *store.Store, at time.Time, ms ...[3]string) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	err := st.WriteBatch(context.Background(), func(b *store.Batch) error {
		a := model.Author{ID: "org", Handle: "lonestar"}
		authorID, err := b.UpsertAuthor(context.Background(), "x", a, at)
		if err != nil {
			return err
		}
		for _, f := range ms {
			m := &model.Mention{Platform: "x", ExternalID: f[0], InReplyTo: f[1], ThreadID: f[2], Kind: "comment", Direction: model.DirectionOutbound,
				Text: "Please DM us", CreatedAt: at, ReceivedAt: at, Author: a}
			if err := b.InsertMention(context.Background(), m, authorID, 0, []byte(`{"intents":["billing","question"]}`)); err != nil {
				return err
			}
			ids[f[0]] = m.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// orphanIDs runs fn in a batch and returns the external ids of the
// replies it found, sorted.
func orphanIDs(t *testing.T, st *store.Store, fn func(b *store.Batch) ([]store.Orphan, error)) []string {
	t.Helper()
	var got []string
	err := st.WriteBatch(context.Background(), func(b *store.Batch) error {
		found, err := fn(b)
		for _, o := range found {
			got = append(got, o.ExternalID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

func hasOrphans(t *testing.T, st *store.Store) bool {
	t.Helper()
	var has bool
	if err := st.WriteBatch(context.Background(), func(b *store.Batch) (err error) {
		has, err = b.HasOrphans(context.Background())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return has
}

// Our replies stored without a case are found by the mention they name,
// in reply or as their thread's root (through the partial indexes of
// migration 00010); our own posts, which answer nothing, are not. An
// adopted reply joins the case and its intent index, once.
func TestOrphanReplies(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	at := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	parentCase := seedCase(t, st, "p1", at, model.PriorityNormal)

	if hasOrphans(t, st) {
		t.Fatal("an empty store has waiting replies")
	}
	storeOurs(t, st, at, [3]string{"post", "", ""}, [3]string{"own", "", "own"})
	if hasOrphans(t, st) {
		t.Fatal("our own posts wait for something")
	}
	ids := storeOurs(t, st, at.Add(time.Minute), [3]string{"r1", "p1", "p1"}, [3]string{"r2", "", "t9"}, [3]string{"r3", "q", ""}, [3]string{"r4", "q", "p1"})
	if !hasOrphans(t, st) {
		t.Fatal("no waiting replies found")
	}
	for _, tc := range []struct {
		platform string
		refs     []string
		want     []string
	}{
		{"x", []string{"p1"}, []string{"r1", "r4"}},
		{"x", []string{"t9"}, []string{"r2"}},
		{"x", []string{"q", "p1", "zz"}, []string{"r1", "r3", "r4"}},
		{"x", []string{"own", "post", ""}, nil},
		{"facebook", []string{"p1", "q", "t9"}, nil},
	} {
		got := orphanIDs(t, st, func(b *store.Batch) ([]store.Orphan, error) { return b.Orphans(ctx, tc.platform, tc.refs) })
		if !slices.Equal(got, tc.want) {
			t.Errorf("Orphans(%s, %q) = %q, want %q", tc.platform, tc.refs, got, tc.want)
		}
	}
	adoptable := func(b *store.Batch) ([]store.Orphan, error) { return b.AdoptableOrphans(ctx, 10) }
	if got := orphanIDs(t, st, adoptable); !slices.Equal(got, []string{"r1", "r4"}) {
		t.Errorf("adoptable %q, want r1 and r4 (their parent or root has a case)", got)
	}

	var r1 store.Orphan
	err := st.WriteBatch(ctx, func(b *store.Batch) error {
		found, err := b.Orphans(ctx, "x", []string{"p1"})
		for _, o := range found {
			if o.ExternalID == "r1" {
				r1 = o
			}
		}
		if err != nil {
			return err
		}
		if r1.ID != ids["r1"] || r1.InReplyTo != "p1" || r1.ThreadID != "p1" || !r1.CreatedAt.Equal(at.Add(time.Minute)) ||
			!slices.Equal(r1.Intents, []string{"billing", "question"}) {
			t.Errorf("r1 read as %+v", r1)
		}
		b.AdoptMention(r1, parentCase)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.GetCase(ctx, parentCase)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(c.Mentions, func(m model.Mention) bool { return m.ID == ids["r1"] && m.CaseID == parentCase }) {
		t.Errorf("case mentions %+v lack r1", c.Mentions)
	}
	for _, intent := range []string{"billing", "question"} {
		cs, _, err := st.ListCases(ctx, store.CaseFilter{Intent: intent, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].ID != parentCase {
			t.Errorf("intent %s lists %d cases, want case %d", intent, len(cs), parentCase)
		}
	}
	if got := orphanIDs(t, st, adoptable); !slices.Equal(got, []string{"r4"}) {
		t.Errorf("adoptable after linking r1: %q", got)
	}
	// Another writer that read r1 as waiting before it was linked fails
	// its batch, to be retried, instead of linking it twice.
	err = st.WriteBatch(ctx, func(b *store.Batch) error {
		b.AdoptMention(r1, parentCase)
		return nil
	})
	if !errors.Is(err, store.ErrRace) {
		t.Errorf("linking a linked reply again: %v, want ErrRace", err)
	}
}
