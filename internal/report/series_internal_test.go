package report

import (
	"testing"
	"time"
)

// TestIntervalsFollowTheClock: days start at local midnight across a
// change of clocks, weeks on Monday, and the hour that repeats when
// clocks go back is two hours.
func TestIntervalsFollowTheClock(t *testing.T) {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	// Clocks go back at 02:00 on 1 November 2026 in Chicago.
	from, to := time.Date(2026, 10, 31, 0, 0, 0, 0, chicago), time.Date(2026, 11, 3, 0, 0, 0, 0, chicago)
	days, err := intervals(from, to, Day, chicago)
	if err != nil || len(days) != 3 || days[1].Sub(days[0]) != 24*time.Hour || days[2].Sub(days[1]) != 25*time.Hour {
		t.Fatalf("days %v, %v", days, err)
	}
	hours, err := intervals(time.Date(2026, 11, 1, 0, 0, 0, 0, chicago), time.Date(2026, 11, 2, 0, 0, 0, 0, chicago), Hour, chicago)
	if err != nil || len(hours) != 25 {
		t.Fatalf("%d hours on the day clocks go back, %v; want 25", len(hours), err)
	}
	weeks, err := intervals(time.Date(2026, 11, 4, 12, 0, 0, 0, chicago), time.Date(2026, 11, 10, 0, 0, 0, 0, chicago), Week, chicago)
	if err != nil || len(weeks) != 2 || !weeks[0].Equal(time.Date(2026, 11, 2, 0, 0, 0, 0, chicago)) {
		t.Fatalf("weeks %v, %v", weeks, err)
	}
	kolkata := time.FixedZone("IST", 5*3600+1800)
	if got := intervalStart(time.Date(2026, 5, 3, 18, 45, 0, 0, time.UTC), Day, kolkata); !got.Equal(time.Date(2026, 5, 4, 0, 0, 0, 0, kolkata)) {
		t.Errorf("a quarter hour past midnight in India starts day %v", got)
	}
}
