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

// ThreadingCases reads the authors' open cases active since the window's
// start and the cases named, each once; on PostgreSQL the batch holds
// them, and the authors it locked, until it ends, and nothing else.
func TestBatchHoldsWhatItReads(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	recent := seedAndRead(t, st, "t1", t0)
	old := seedAndRead(t, st, "t2", t0.Add(-30*24*time.Hour))
	resolved := seedAndRead(t, st, "t3", t0)
	other := seedAndRead(t, st, "t4", t0)
	if err := st.UpdateCase(ctx, resolved.ID, func(c *model.Case) ([]model.Event, error) { c.Status = model.StatusResolved; return nil, nil }); err != nil {
		t.Fatal(err)
	}
	err := st.WriteBatch(ctx, func(b *store.Batch) error {
		if err := b.LockAuthors(ctx, []store.AuthorKey{{Platform: "x", Key: recent.Author.Key()}, {Platform: "x", Key: "never-stored"}}); err != nil {
			return err
		}
		cs, err := b.ThreadingCases(ctx, []int64{recent.AuthorID, old.AuthorID, resolved.AuthorID}, t0.Add(-time.Hour),
			[]int64{recent.ID, resolved.ID, 1 << 40})
		if err != nil {
			return err
		}
		var ids []int64
		for _, c := range cs {
			ids = append(ids, c.ID)
		}
		slices.Sort(ids)
		if want := []int64{recent.ID, resolved.ID}; !slices.Equal(ids, want) {
			t.Errorf("threading cases %v, want %v (the open one in the window, and the one named)", ids, want)
		}
		if !b.Locking() {
			return nil // the one writer: nobody else to keep out
		}
		for _, row := range []struct {
			table string
			id    int64
			held  bool
		}{
			{"authors", recent.AuthorID, true}, {"authors", other.AuthorID, false},
			{"cases", recent.ID, true}, {"cases", resolved.ID, true}, {"cases", old.ID, false}, {"cases", other.ID, false},
		} {
			held, err := store.HeldElsewhere(ctx, st, row.table, row.id)
			if err != nil {
				return err
			}
			if held != row.held {
				t.Errorf("%s row %d held %v, want %v", row.table, row.id, held, row.held)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Engine() != store.Postgres {
		return
	}
	for _, id := range []int64{recent.ID, resolved.ID} {
		if held, err := store.HeldElsewhere(ctx, st, "cases", id); err != nil || held {
			t.Errorf("case %d held after the batch (%v)", id, err)
		}
	}
}
