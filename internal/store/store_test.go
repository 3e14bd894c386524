package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"earshot/internal/cases"
	"earshot/internal/model"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

func TestReplicasMigrateAtOnce(t *testing.T) {
	cfg := storetest.Config(t)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Go(func() {
			st, err := store.Open(context.Background(), cfg)
			if err == nil {
				err = st.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
	}
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Count(context.Background()); err != nil {
		t.Fatalf("schema unusable after concurrent migration: %v", err)
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	_, err := store.Open(context.Background(), store.Config{DatabaseURL: "mysql://x"})
	if err == nil {
		t.Fatal("mysql URL accepted")
	}
}

// seedCase stores one case with one mention through a batch.
// respond is the change of a reply of ours at `at` to its case, as the
// cases service makes it (no organisation file).
func respond(at time.Time) store.CaseChange {
	return cases.Response(route.NewLive(nil).Router(), at)
}

func seedCase(t *testing.T, st *store.Store, ext string, at time.Time, prio model.Priority) int64 {
	t.Helper()
	var id int64
	err := st.WriteBatch(context.Background(), func(b *store.Batch) error {
		a := model.Author{ID: "a-" + ext, Handle: "h" + ext}
		authorID, err := b.UpsertAuthor(context.Background(), "x", a, at)
		if err != nil {
			return err
		}
		c := &model.Case{Status: model.StatusNew, Priority: prio, Platform: "x", AuthorID: authorID, CreatedAt: at, UpdatedAt: at, LastActivityAt: at,
			SentimentFirst: model.SentimentNegative, SentimentLast: model.SentimentPositive, MentionCount: 1}
		if err := b.InsertCase(context.Background(), c); err != nil {
			return err
		}
		id = c.ID
		m := &model.Mention{Platform: "x", ExternalID: ext, Kind: "post", Direction: "inbound", Text: "text of " + ext, CreatedAt: at, ReceivedAt: at, Author: a,
			Analysis: &model.Analysis{Sentiment: model.Sentiment{Label: model.SentimentNegative}}}
		return b.InsertMention(context.Background(), m, authorID, c.ID, []byte(`{"sentiment":{"label":"negative","score":-0.5}}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// seedAndRead stores one normal-priority case with one mention, as
// seedCase does, and reads it back.
func seedAndRead(t *testing.T, st *store.Store, ext string, at time.Time) *model.Case {
	t.Helper()
	c, err := st.GetCase(context.Background(), seedCase(t, st, ext, at, model.PriorityNormal))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCaseActionsAndErrors(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	at := time.Date(2026, 5, 1, 12, 0, 0, 123456000, time.UTC)
	c := seedAndRead(t, st, "1", at)
	id := c.ID
	if !c.CreatedAt.Equal(at) || len(c.Mentions) != 1 || c.Mentions[0].Analysis == nil || c.Mentions[0].Analysis.Sentiment.Score != -0.5 {
		t.Fatalf("case read back wrong: %+v", c)
	}
	called := false
	if err := st.UpdateCase(ctx, 9999, func(*model.Case) ([]model.Event, error) { called = true; return nil, nil }); !errors.Is(err, store.ErrNotFound) || called {
		t.Fatalf("missing case: %v (change called: %v)", err, called)
	}
	team := "claims"
	if err := storetest.PutTeam(ctx, st, model.Team{ID: team, Name: "Claims"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Assign(ctx, id, store.Assignment{Team: &team}, "me", at); err != nil {
		t.Fatal(err)
	}
	if err := st.Assign(ctx, id, store.Assignment{Team: &team}, "me", at); err != nil { // no change, no event
		t.Fatal(err)
	}
	c, _ = st.GetCase(ctx, id)
	assigned := 0
	for _, e := range c.Events {
		if e.Type == model.EventAssigned {
			assigned++
		}
	}
	if c.Team != "claims" || assigned != 1 {
		t.Fatalf("team %q, %d assigned events", c.Team, assigned)
	}
	if _, _, err := st.ListCases(ctx, store.CaseFilter{Cursor: "bm90LWEtY3Vyc29y"}); !errors.Is(err, store.ErrBadCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
	// Search input is data, never FTS or tsquery syntax.
	for _, q := range []string{`"`, `text AND`, `NEAR(a b)`, `*`, `'); DROP TABLE cases; --`, `text of`} {
		if _, _, err := st.ListCases(ctx, store.CaseFilter{Q: q}); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
	}
	found, _, err := st.ListCases(ctx, store.CaseFilter{Q: "text of"})
	if err != nil || len(found) != 1 {
		t.Fatalf("search found %d, %v", len(found), err)
	}
}

func TestQueueOrderAndSummary(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	low := seedCase(t, st, "1", at, model.PriorityLow)
	urgent := seedCase(t, st, "2", at.Add(time.Minute), model.PriorityUrgent)
	normal := seedCase(t, st, "3", at.Add(2*time.Minute), model.PriorityNormal)
	cases, next, err := st.ListCases(ctx, store.CaseFilter{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 || cases[0].ID != urgent || cases[1].ID != normal || next == "" {
		t.Fatalf("first page %v next %q", []int64{cases[0].ID, cases[1].ID}, next)
	}
	rest, next, err := st.ListCases(ctx, store.CaseFilter{Limit: 2, Cursor: next})
	if err != nil || len(rest) != 1 || rest[0].ID != low || next != "" {
		t.Fatalf("second page %+v %q %v", rest, next, err)
	}
	r := &model.Reply{CaseID: urgent, Text: "We're on it", Visibility: model.VisibilityPrivate, CreatedAt: at.Add(11 * time.Minute)}
	if err := st.AddReply(ctx, r, respond(r.CreatedAt)); err != nil {
		t.Fatal(err)
	}
}

// TestWrittenTimesAreStoredTimes checks that a reply, note and task hold,
// once added, their times as the store keeps them: cut to the
// microsecond on both engines, as reading them back gives.
func TestWrittenTimesAreStoredTimes(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	at := time.Date(2026, 5, 1, 12, 0, 0, 999999999, time.FixedZone("CDT", -5*3600))
	want := time.Date(2026, 5, 1, 17, 0, 0, 999999000, time.UTC)
	id := seedCase(t, st, "p1", at, model.PriorityNormal)
	r := &model.Reply{CaseID: id, Text: "Sorry", Visibility: model.VisibilityPrivate, CreatedAt: at}
	n := &model.Note{CaseID: id, Text: "Called", CreatedAt: at}
	due := at.Add(time.Hour)
	tk := &model.Task{CaseID: id, Title: "Call back", DueAt: &due, CreatedAt: at}
	for _, err := range []error{st.AddReply(ctx, r, respond(r.CreatedAt)), st.AddNote(ctx, n), st.AddTask(ctx, tk)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	c, err := st.GetCase(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name          string
		written, read time.Time
		want          time.Time
	}{
		{"reply", r.CreatedAt, c.Replies[0].CreatedAt, want},
		{"note", n.CreatedAt, c.Notes[0].CreatedAt, want},
		{"task", tk.CreatedAt, c.Tasks[0].CreatedAt, want},
		{"task due", *tk.DueAt, *c.Tasks[0].DueAt, want.Add(time.Hour)},
	} {
		if tc.written != tc.read || tc.read != tc.want {
			t.Errorf("%s: written %v, read %v, want %v", tc.name, tc.written, tc.read, tc.want)
		}
	}
}

// TestTimesPastTheRangeAreStoredAtItsEnd writes a case due in the year
// 10000 and reads it back, on either engine, due at the range's end.
func TestTimesPastTheRangeAreStoredAtItsEnd(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	_, latest := model.TimeRange()
	opened := time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC)
	due := time.Date(10000, 1, 1, 3, 0, 0, 0, time.UTC)
	var id int64
	err := st.WriteBatch(ctx, func(b *store.Batch) error {
		authorID, err := b.UpsertAuthor(ctx, "x", model.Author{ID: "a1", Handle: "mallory"}, opened)
		if err != nil {
			return err
		}
		c := &model.Case{Status: model.StatusNew, Priority: model.PriorityNormal, Platform: "x", AuthorID: authorID,
			CreatedAt: opened, UpdatedAt: opened, LastActivityAt: opened, FirstResponseDue: &due, ResolutionDue: &due, MentionCount: 1,
			SLATimers: []model.SLATimer{{Deadline: model.DeadlineResolution, Stage: model.StageBreach, At: due, Due: due}}}
		if err := b.InsertCase(ctx, c); err != nil {
			return err
		}
		id = c.ID
		m := &model.Mention{Platform: "x", ExternalID: "1", Kind: "post", Direction: "inbound", Text: "my claim", CreatedAt: opened, ReceivedAt: opened,
			Author: model.Author{ID: "a1", Handle: "mallory"}}
		return b.InsertMention(ctx, m, authorID, c.ID, []byte(`{}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.GetCase(ctx, id)
	if err != nil {
		t.Fatalf("read the case: %v", err)
	}
	for name, got := range map[string]*time.Time{"first response due": c.FirstResponseDue, "resolution due": c.ResolutionDue,
		"timer": &c.SLATimers[0].At, "timer due": &c.SLATimers[0].Due} {
		if got == nil || !got.Equal(latest) {
			t.Errorf("%s = %v, want %v", name, got, latest)
		}
	}
	if cases, _, err := st.ListCases(ctx, store.CaseFilter{}); err != nil || len(cases) != 1 || !cases[0].FirstResponseDue.Equal(latest) {
		t.Fatalf("list: %v, %v", cases, err)
	}
}
