package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"earshot/internal/store/storetest"
)

// minutesFrom3 holds the next attempt back n minutes from the third.
func minutesFrom3(n int) time.Duration {
	if n < 3 {
		return 0
	}
	return time.Duration(n) * time.Minute
}

func TestReserveLoginAttempt(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, step := range []struct {
		at          time.Duration
		wantAttempt int
		wantLeft    time.Duration
	}{
		{0, 1, 0},
		{0, 2, 0},
		{0, 3, 0},
		{0, 0, 3 * time.Minute}, // held back: counts nothing
		{time.Minute, 0, 2 * time.Minute},
		{3 * time.Minute, 4, 0}, // the wait is over
		{4 * time.Minute, 0, 3 * time.Minute},
		{7 * time.Minute, 5, 0},
		{3 * time.Hour, 1, 0}, // more than an hour after the last: forgotten
	} {
		at := now.Add(step.at)
		n, left, err := st.ReserveLoginAttempt(ctx, "Ana@Example.org", at, at.Add(-time.Hour), minutesFrom3)
		if err != nil || n != step.wantAttempt || left != step.wantLeft {
			t.Fatalf("at +%v: attempt %d, left %v, err %v; want attempt %d, left %v", step.at, n, left, err, step.wantAttempt, step.wantLeft)
		}
	}
	f, err := st.GetLoginFailures(ctx, "ana@example.org")
	if err != nil || f.Failures != 1 || !f.LastFailure.Equal(now.Add(3*time.Hour)) {
		t.Fatalf("failures = %+v, %v", f, err)
	}
	if err := st.ClearLoginFailures(ctx, "ANA@example.org"); err != nil {
		t.Fatal(err)
	}
	if f, _ := st.GetLoginFailures(ctx, "ana@example.org"); f.Failures != 0 {
		t.Fatalf("after clear: %+v", f)
	}
}

// TestReserveLoginAttemptAtOnce checks that attempts made at the same
// moment are counted one after another: only those before the first wait
// are let through.
func TestReserveLoginAttemptAtOnce(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	var mu sync.Mutex
	let := 0
	for range 30 {
		wg.Go(func() {
			n, _, err := st.ReserveLoginAttempt(ctx, "ana@example.org", now, now.Add(-time.Hour), minutesFrom3)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if n > 0 {
				let++
			}
		})
	}
	wg.Wait()
	if let != 3 {
		t.Fatalf("%d of 30 attempts at once were let through, want 3", let)
	}
}

func TestDeleteLoginFailuresBounds(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	email := func(i int) string { return fmt.Sprintf("spray%02d@example.org", i) }
	for i := range 30 {
		at := now.Add(time.Duration(i) * time.Second)
		if _, _, err := st.ReserveLoginAttempt(ctx, email(i), at, at.Add(-time.Hour), minutesFrom3); err != nil {
			t.Fatal(err)
		}
	}
	// Forget those before +10 s, and keep at most the 5 latest.
	n, err := st.DeleteLoginFailures(ctx, now.Add(10*time.Second), 5)
	if err != nil || n != 25 {
		t.Fatalf("deleted %d, %v; want 25", n, err)
	}
	for i := range 30 {
		f, err := st.GetLoginFailures(ctx, email(i))
		if err != nil {
			t.Fatal(err)
		}
		if kept := f.Failures > 0; kept != (i >= 25) {
			t.Errorf("%s kept %v, want %v", email(i), kept, i >= 25)
		}
	}
}
