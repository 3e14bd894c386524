package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"earshot/internal/store/storetest"
)

// TestChannelLeaseOnePollerAmongReplicas has replicas on one database
// ask for the lease of a due channel at the same moment: exactly one
// gets it; after its poll is recorded (next poll later) none gets it
// until the channel is due again or made due by "poll now".
func TestChannelLeaseOnePollerAmongReplicas(t *testing.T) {
	ctx := context.Background()
	reps := storetest.Replicas(t, 4)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	owners := []string{"a", "b", "c", "d"}
	var mu sync.Mutex
	var winners []string
	var wg sync.WaitGroup
	for i, st := range reps {
		wg.Go(func() {
			ok, _, err := st.TakeChannelLease(ctx, "acme-x", owners[i], now, now.Add(time.Minute))
			if err != nil {
				t.Error(err)
				return
			}
			if ok {
				mu.Lock()
				winners = append(winners, owners[i])
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(winners) != 1 {
		t.Fatalf("lease taken by %v, want exactly one", winners)
	}
	w := winners[0]
	other := "a"
	if w == "a" {
		other = "b"
	}
	// While the lease runs nobody else takes it; its owner may renew it.
	if ok, _, _ := reps[0].TakeChannelLease(ctx, "acme-x", other, now.Add(30*time.Second), now.Add(2*time.Minute)); ok {
		t.Fatal("a second replica took a running lease")
	}
	if ok, err := reps[1].RenewChannelLease(ctx, "acme-x", w, now.Add(30*time.Second), now.Add(90*time.Second)); err != nil || !ok {
		t.Fatalf("renew by its owner = %v, %v", ok, err)
	}
	if ok, _ := reps[1].RenewChannelLease(ctx, "acme-x", other, now.Add(30*time.Second), now.Add(90*time.Second)); ok {
		t.Fatal("a replica renewed a lease it does not hold")
	}
	if err := reps[2].RecordChannelPoll(ctx, "acme-x", w, 3, now.Add(40*time.Second), now.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	// Released but not due: nobody polls.
	for i, st := range reps {
		if ok, _, _ := st.TakeChannelLease(ctx, "acme-x", owners[i], now.Add(time.Minute), now.Add(2*time.Minute)); ok {
			t.Fatalf("replica %d took the lease of a channel that is not due", i)
		}
	}
	// Poll now makes it due for one of them.
	if err := reps[3].PollChannelNow(ctx, "acme-x", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := reps[0].TakeChannelLease(ctx, "acme-x", "a", now.Add(time.Minute), now.Add(2*time.Minute)); !ok {
		t.Fatal("a channel made due was not leased")
	}
	if ok, _, _ := reps[1].TakeChannelLease(ctx, "acme-x", "b", now.Add(time.Minute), now.Add(2*time.Minute)); ok {
		t.Fatal("two replicas took the lease of one due channel")
	}
	// A lease that ran out (its replica died) is taken over.
	if ok, _, _ := reps[1].TakeChannelLease(ctx, "acme-x", "b", now.Add(3*time.Minute), now.Add(4*time.Minute)); !ok {
		t.Fatal("an expired lease was not taken over")
	}
	if ok, _ := reps[0].RenewChannelLease(ctx, "acme-x", "a", now.Add(3*time.Minute), now.Add(5*time.Minute)); ok {
		t.Fatal("the replica whose lease ran out renewed it")
	}
}

// TestChannelStateRecordsPollsErrorsAndCounts follows one channel
// through a failure, a success and webhook deliveries over two days.
func TestChannelStateRecordsPollsErrorsAndCounts(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	day1 := time.Date(2026, 3, 1, 23, 0, 0, 0, time.UTC)
	if ok, _, err := st.TakeChannelLease(ctx, "feed", "r1", day1, day1.Add(time.Minute)); err != nil || !ok {
		t.Fatalf("take = %v, %v", ok, err)
	}
	next := day1.Add(2 * time.Minute)
	if err := st.RecordChannelError(ctx, "feed", "r1", "the platform answered HTTP 503", day1, &next); err != nil {
		t.Fatal(err)
	}
	states, err := st.ChannelStates(ctx, day1)
	if err != nil {
		t.Fatal(err)
	}
	s := states["feed"]
	if s.LastError != "the platform answered HTTP 503" || s.Failures != 1 || s.NextPollAt == nil || !s.NextPollAt.Equal(next) || s.LeaseOwner != "" || s.LastSuccessAt != nil {
		t.Fatalf("after an error: %+v", s)
	}
	if ok, failures, _ := st.TakeChannelLease(ctx, "feed", "r1", next, next.Add(time.Minute)); !ok || failures != 1 {
		t.Fatalf("take after the error = %v, failures %d", ok, failures)
	}
	if err := st.RecordChannelPoll(ctx, "feed", "r1", 2, next, next.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	day2 := day1.Add(2 * time.Hour)
	if err := st.RecordChannelHeard(ctx, "feed", 5, day2); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordChannelHeard(ctx, "hook", 1, day2); err != nil {
		t.Fatal(err)
	}
	states, err = st.ChannelStates(ctx, day2)
	if err != nil {
		t.Fatal(err)
	}
	s = states["feed"]
	if s.LastError != "" || s.Failures != 0 || s.HeardTotal != 7 || s.HeardToday != 5 || s.LastHeardAt == nil || !s.LastHeardAt.Equal(day2) {
		t.Errorf("after a poll and a delivery the next day: %+v", s)
	}
	if s.LastErrorAt == nil || !s.LastErrorAt.Equal(day1) {
		t.Errorf("the last error's time is kept: %+v", s.LastErrorAt)
	}
	if h := states["hook"]; h.HeardTotal != 1 || h.HeardToday != 1 {
		t.Errorf("webhook channel: %+v", h)
	}
	// A day later nothing is heard today.
	states, _ = st.ChannelStates(ctx, day2.Add(24*time.Hour))
	if states["feed"].HeardToday != 0 || states["feed"].HeardTotal != 7 {
		t.Errorf("the next day: %+v", states["feed"])
	}
}
