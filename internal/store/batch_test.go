package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// TestUpdateCaseStateWritesChanges updates a stored case in a later batch,
// field by field, and reads every change back, including the queue
// position that a first response moves.
func TestUpdateCaseStateWritesChanges(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	early := seedCase(t, st, "u1", t0, model.PriorityNormal)
	late := seedCase(t, st, "u2", t0.Add(time.Minute), model.PriorityNormal)
	due := t0.Add(time.Hour)
	steps := []func(c *model.Case){
		func(c *model.Case) { c.FirstResponseDue = &due; c.MentionCount = 2 },
		func(c *model.Case) { c.SentimentLast = model.SentimentNegative; c.LastActivityAt = t0.Add(time.Hour) },
		func(c *model.Case) {
			at := t0.Add(30 * time.Minute)
			c.FirstResponseAt = &at
			c.Status = model.StatusOpen
		},
		func(c *model.Case) { c.Priority = model.PriorityHigh; c.Urgency = "high" },
	}
	want := new(model.Case)
	for i, step := range steps {
		err := st.WriteBatch(ctx, func(b *store.Batch) error {
			c, err := b.CaseState(ctx, early)
			if err != nil {
				return err
			}
			step(c)
			*want = *c
			return b.UpdateCaseState(ctx, c)
		})
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		got, err := st.GetCase(ctx, early)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != want.Status || got.Priority != want.Priority || got.MentionCount != want.MentionCount ||
			got.SentimentLast != want.SentimentLast || !got.LastActivityAt.Equal(want.LastActivityAt) ||
			(got.FirstResponseDue == nil) != (want.FirstResponseDue == nil) || (got.FirstResponseAt == nil) != (want.FirstResponseAt == nil) {
			t.Fatalf("step %d: stored %+v, want %+v", i, got, want)
		}
		cases, _, err := st.ListCases(ctx, store.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		first := cases[0].ID
		switch i {
		case 0, 1: // a deadline puts the case ahead of one without
			if first != early {
				t.Fatalf("step %d: queue starts with %d, want %d (it has a deadline)", i, first, early)
			}
		case 2: // answered: no deadline, back behind by id
			if first != early || cases[1].ID != late {
				t.Fatalf("step %d: queue %d, %d", i, first, cases[1].ID)
			}
		case 3: // high priority first
			if first != early || cases[0].Priority != model.PriorityHigh {
				t.Fatalf("step %d: queue starts with %d (%s)", i, first, cases[0].Priority)
			}
		}
	}
}

// TestTeamAndAssigneeQueues filters by team and assignee, which use
// partial indexes that leave unrouted cases out.
func TestTeamAndAssigneeQueues(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a := seedCase(t, st, "q1", t0, model.PriorityNormal)
	seedCase(t, st, "q2", t0, model.PriorityNormal)
	team, who := "claims", "ann@example.org"
	if err := st.Assign(ctx, a, store.Assignment{Team: &team, Assignee: &who}, "lead@example.org", t0); err != nil {
		t.Fatal(err)
	}
	for _, f := range []store.CaseFilter{{Team: "claims"}, {Assignee: "ann@example.org"}, {Team: "claims", Assignee: "ann@example.org"}} {
		cases, _, err := st.ListCases(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(cases) != 1 || cases[0].ID != a {
			t.Fatalf("filter %+v: got %d cases", f, len(cases))
		}
	}
	cases, _, err := st.ListCases(ctx, store.CaseFilter{Team: "member-services"})
	if err != nil || len(cases) != 0 {
		t.Fatalf("other team: %d cases, %v", len(cases), err)
	}
}

// TestCheckpointerCopiesLog writes through the store and sees the
// database file itself grow while the store is open: the checkpointer,
// not a close, copied the log back.
func TestCheckpointerCopiesLog(t *testing.T) {
	cfg := storetest.Config(t)
	if cfg.DatabaseURL != "" {
		t.Skip("the write-ahead log checkpointer is SQLite's; this run is on PostgreSQL")
	}
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	path := filepath.Join(cfg.DataDir, "earshot.db")
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range 50 {
		seedCase(t, st, "c"+string(rune('a'+i%26))+string(rune('a'+i/26)), t0.Add(time.Duration(i)*time.Minute), model.PriorityNormal)
	}
	deadline := time.Now().Add(10 * time.Second)
	for size() <= before {
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes after 50 commits: the log was never checkpointed", before)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
