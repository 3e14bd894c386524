package store_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// testAt is the time of the rows the migration tests set up.
const testAt = "2026-02-01T10:00:00.000000Z"

// openAtVersion opens a store of the test's engine migrated up to
// version only, for a test of a later migration, and runs setup there:
// author 1 and the cases with the given ids, then the statements.
func openAtVersion(t *testing.T, version int64, caseIDs []int, setup ...string) *store.Store {
	t.Helper()
	ctx := context.Background()
	cfg := storetest.Config(t)
	cfg.SkipMigrate = true
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := store.MigrateTo(ctx, st, version); err != nil {
		t.Fatalf("migrate to %d: %v", version, err)
	}
	stmts := []string{`INSERT INTO authors (id, platform, key, updated_at) VALUES (1, 'x', 'ana', '` + testAt + `')`}
	for _, id := range caseIDs {
		stmts = append(stmts, `INSERT INTO cases (id, status, priority, prio_rank, platform, author_id, created_at, updated_at, last_activity_at, sort_due)
			VALUES (`+strconv.Itoa(id)+`, 'open', 'normal', 1, 'x', 1, '`+testAt+`', '`+testAt+`', '`+testAt+`', 0)`)
	}
	for _, q := range append(stmts, setup...) {
		if err := store.Exec(ctx, st, q); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// Migration 00007 keeps one row per case and intent of what the
// per-mention index held, so the intent filter finds the same cases.
func TestCaseIntentsMigrationKeepsIntents(t *testing.T) {
	ctx := context.Background()
	// Case 10: billing in two mentions, complaint in one; case 11: praise.
	st := openAtVersion(t, 6, []int{10, 11}, `INSERT INTO mention_intents (intent, case_id, mention_id) VALUES
		('billing', 10, 100), ('billing', 10, 101), ('complaint', 10, 101), ('praise', 11, 102)`)
	if err := store.Migrate(ctx, st); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	for _, limit := range []int{0, 1000} { // both ways of the intent filter
		store.SetRareIntentLimit(st, limit)
		for intent, want := range map[string]int64{"billing": 10, "complaint": 10, "praise": 11} {
			cs, _, err := st.ListCases(ctx, store.CaseFilter{Intent: intent, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != 1 || cs[0].ID != want {
				t.Errorf("limit %d, intent %s: %d cases, want case %d", limit, intent, len(cs), want)
			}
		}
	}
}

// The SQLite writer leaves checkpoints to the checkpointer until the log
// is large, and cuts the log file back when it starts over.
func TestSQLiteWriterLogSettings(t *testing.T) {
	st := storetest.Open(t)
	if st.Engine() != store.SQLite {
		return // the log settings are SQLite's; the rest of the suite covers PostgreSQL
	}
	ctx := context.Background()
	for name, want := range map[string]int64{"wal_autocheckpoint": 131072, "journal_size_limit": 64 << 20} {
		got, err := store.WriterPragma(ctx, st, name)
		if err != nil || got != want {
			t.Errorf("writer %s = %d, %v; want %d", name, got, err, want)
		}
	}
}

// Migration 00008 indexes a case's mentions by case id alone; the case
// still lists them in the order they were posted, not stored.
func TestCaseMentionsIndexKeepsTimeOrder(t *testing.T) {
	ctx := context.Background()
	// Mention 1 was stored first but posted last; 2 and 3 share a time,
	// so the id breaks the tie.
	st := openAtVersion(t, 7, []int{10}, `INSERT INTO mentions (id, platform, external_id, case_id, author_id, kind, direction, text, created_at, received_at) VALUES
		(1, 'x', 'e1', 10, 1, 'post', 'inbound', 'third', '2026-02-01T12:00:00.000000Z', '`+testAt+`'),
		(2, 'x', 'e2', 10, 1, 'post', 'inbound', 'first', '2026-02-01T09:00:00.000000Z', '`+testAt+`'),
		(3, 'x', 'e3', 10, 1, 'post', 'inbound', 'second', '2026-02-01T09:00:00.000000Z', '`+testAt+`')`)
	if err := store.Migrate(ctx, st); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	c, err := st.GetCase(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range c.Mentions {
		got = append(got, m.Text)
	}
	if want := []string{"first", "second", "third"}; !slices.Equal(got, want) {
		t.Errorf("mentions %q, want %q", got, want)
	}
}

// Migration 00009 records, for each thread, the case of its first
// mention with a case, as the index it replaces found it.
func TestThreadsMigrationKeepsFirstCase(t *testing.T) {
	ctx := context.Background()
	// Thread t1: mention 1 has no case, 2 is in case 11, 3 in case 10.
	// Thread t2 only in case 10; mention 6 has no thread.
	st := openAtVersion(t, 8, []int{10, 11}, `INSERT INTO mentions (id, platform, external_id, case_id, author_id, kind, direction, text, created_at, received_at, thread_id) VALUES
		(1, 'x', 'e1', NULL, 1, 'post', 'outbound', 'ours', '`+testAt+`', '`+testAt+`', 't1'),
		(2, 'x', 'e2', 11, 1, 'post', 'inbound', 'a', '`+testAt+`', '`+testAt+`', 't1'),
		(3, 'x', 'e3', 10, 1, 'post', 'inbound', 'b', '`+testAt+`', '`+testAt+`', 't1'),
		(4, 'x', 'e4', 10, 1, 'post', 'inbound', 'c', '`+testAt+`', '`+testAt+`', 't2'),
		(5, 'facebook', 'e5', 11, 1, 'post', 'inbound', 'd', '`+testAt+`', '`+testAt+`', 't2'),
		(6, 'x', 'e6', 11, 1, 'post', 'inbound', 'e', '`+testAt+`', '`+testAt+`', '')`)
	if err := store.Migrate(ctx, st); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	for _, tc := range []struct {
		platform, thread string
		want             int64
	}{{"x", "t1", 11}, {"x", "t2", 10}, {"facebook", "t2", 11}, {"x", "", 0}, {"x", "t3", 0}} {
		var got int64
		if err := st.WriteBatch(ctx, func(b *store.Batch) error {
			id, _, err := b.ThreadCase(ctx, tc.platform, tc.thread)
			got = id
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("thread %s/%q: case %d, want %d", tc.platform, tc.thread, got, tc.want)
		}
	}
}
