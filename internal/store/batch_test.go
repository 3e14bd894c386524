package store_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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
	if err := storetest.PutTeam(ctx, st, model.Team{ID: team, Name: "Claims"}); err != nil {
		t.Fatal(err)
	}
	newUser(t, st, who, model.RoleAgent)
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

// TestUpsertAuthorsInOrder writes more authors than one statement takes,
// new ones on two platforms and one already stored, and checks that the
// ids come back in the order asked, the stored one refreshed, and that a
// second write of the same rows returns the same ids.
func TestUpsertAuthorsInOrder(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	c := seedAndRead(t, st, "u1", at)
	var rows []store.AuthorRow
	for i := range 450 {
		platform := "x"
		if i%2 == 0 {
			platform = "facebook" // the same key on another platform is another author
		}
		rows = append(rows, store.AuthorRow{Platform: platform, Author: model.Author{ID: "n-" + strconv.Itoa(i/2), Handle: "h" + strconv.Itoa(i)}})
	}
	rows[300] = store.AuthorRow{Platform: "x", Author: model.Author{ID: "a-u1", Handle: "hu1", Name: "Renamed Person", Followers: 12000}}
	write := func() []int64 {
		var ids []int64
		err := st.WriteBatch(ctx, func(b *store.Batch) error {
			var err error
			ids, err = b.UpsertAuthors(ctx, rows, at.Add(time.Hour))
			return err
		})
		if err != nil {
			t.Fatalf("upsert authors: %v", err)
		}
		return ids
	}
	ids := write()
	if len(ids) != len(rows) {
		t.Fatalf("%d ids for %d rows", len(ids), len(rows))
	}
	seen := map[int64]int{}
	for i, id := range ids {
		if j, dup := seen[id]; dup || id == 0 {
			t.Fatalf("row %d got id %d (also row %d)", i, id, j)
		}
		seen[id] = i
	}
	if ids[300] != c.AuthorID {
		t.Errorf("the stored author came back as %d, want its id %d", ids[300], c.AuthorID)
	}
	c, err := st.GetCase(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Author.Name != "Renamed Person" || c.Author.Followers != 12000 {
		t.Errorf("stored author not refreshed: %+v", c.Author)
	}
	if again := write(); !slices.Equal(again, ids) {
		t.Errorf("writing the same authors again gave other ids")
	}

	rows = append(rows, rows[7])
	err = st.WriteBatch(ctx, func(b *store.Batch) error {
		_, err := b.UpsertAuthors(ctx, rows, at)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("an author given twice: got %v, want an error saying so", err)
	}
}
