package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"earshot/internal/store"
)

// Migration 00017 rewrites the queue key of stored cases from the
// first-response due time alone to the nearest running deadline, the
// same key the store now writes (store.SortDue).
func TestSortDueMigrationKeysTheNearestRunningDeadline(t *testing.T) {
	ctx := context.Background()
	set := func(id int, cols string) string {
		return `UPDATE cases SET ` + cols + ` WHERE id = ` + strconv.Itoa(id)
	}
	const (
		due1 = "2026-02-01T11:00:00.123456Z" // the first response, 1h after testAt
		due2 = "2026-02-01T10:20:00.000999Z"
		due3 = "2026-02-01T13:00:00.500000Z"
		old  = 1769943600123 // due1 in unix milliseconds, the old key
	)
	oldKeys := `, sort_due = ` + strconv.FormatInt(old, 10)
	st := openAtVersion(t, 16, []int{1, 2, 3, 4, 5, 6, 7, 8},
		set(1, `first_response_due = '`+due1+`'`+oldKeys),
		// Answered: the next response, then the resolution.
		set(2, `first_response_due = '`+due1+`', first_response_at = '`+testAt+`', next_response_due = '`+due2+`', resolution_due = '`+due3+`', sort_due = 4611686018427387904`),
		// Unanswered, but the resolution falls due first.
		set(3, `first_response_due = '`+due1+`', resolution_due = '`+due2+`'`+oldKeys),
		// Answered, only the resolution runs.
		set(4, `first_response_due = '`+due1+`', first_response_at = '`+testAt+`', resolution_due = '`+due3+`', sort_due = 4611686018427387904`),
		// Paused while pending.
		set(5, `status = 'pending', first_response_due = '`+due1+`', resolution_due = '`+due3+`', sla_paused_at = '`+testAt+`'`+oldKeys),
		// Resolved and closed with a first response never made.
		set(6, `status = 'resolved', first_response_due = '`+due1+`'`+oldKeys),
		set(7, `status = 'closed', first_response_due = '`+due1+`'`+oldKeys),
		// Nothing to meet.
		set(8, `sort_due = 4611686018427387904`),
	)
	if err := store.Migrate(ctx, st); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	ms := func(s string) int64 {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UnixMilli()
	}
	want := map[int64]int64{1: old, 2: ms(due2), 3: ms(due2), 4: ms(due3), 5: store.NoDue, 6: store.NoDue, 7: store.NoDue, 8: store.NoDue}
	for id, key := range want {
		c, err := st.GetCase(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := store.SortDueOf(ctx, st, id)
		if err != nil {
			t.Fatal(err)
		}
		if got != key || got != store.SortDue(c) {
			t.Errorf("case %d: sort_due %d after the migration, want %d (the store writes %d)", id, got, key, store.SortDue(c))
		}
	}
}
