package model

import (
	"testing"
	"time"
)

func TestNextDeadlineIsTheNearestRunningOne(t *testing.T) {
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	at := func(min int) *time.Time { v := t0.Add(time.Duration(min) * time.Minute); return &v }
	for _, tc := range []struct {
		name string
		c    Case
		kind string // "" when none runs
		due  int
	}{
		{"first response only", Case{Status: StatusNew, FirstResponseDue: at(60)}, DeadlineFirstResponse, 60},
		{"resolution before the first response", Case{Status: StatusNew, FirstResponseDue: at(60), ResolutionDue: at(30)}, DeadlineResolution, 30},
		{"first response met: the next response", Case{Status: StatusOpen, FirstResponseDue: at(5), FirstResponseAt: at(1),
			NextResponseDue: at(40), ResolutionDue: at(90)}, DeadlineNextResponse, 40},
		{"first response met, no next response: the resolution", Case{Status: StatusOpen, FirstResponseDue: at(5), FirstResponseAt: at(1),
			ResolutionDue: at(90)}, DeadlineResolution, 90},
		{"an overdue deadline still runs", Case{Status: StatusOpen, FirstResponseDue: at(-30), ResolutionDue: at(90)}, DeadlineFirstResponse, -30},
		{"same instant: the first response", Case{Status: StatusOpen, FirstResponseDue: at(10), NextResponseDue: at(10), ResolutionDue: at(10)},
			DeadlineFirstResponse, 10},
		{"same instant: next before resolution", Case{Status: StatusOpen, FirstResponseAt: at(0), NextResponseDue: at(10), ResolutionDue: at(10)},
			DeadlineNextResponse, 10},
		{"paused", Case{Status: StatusPending, FirstResponseDue: at(60), ResolutionDue: at(90), SLAPausedAt: at(0)}, "", 0},
		{"resolved", Case{Status: StatusResolved, FirstResponseDue: at(60)}, "", 0},
		{"closed", Case{Status: StatusClosed, ResolutionDue: at(60)}, "", 0},
		{"no deadlines", Case{Status: StatusOpen}, "", 0},
		{"first response met, nothing else", Case{Status: StatusOpen, FirstResponseDue: at(60), FirstResponseAt: at(2)}, "", 0},
	} {
		kind, due, ok := tc.c.NextDeadline()
		if kind != tc.kind || ok != (tc.kind != "") || (ok && !due.Equal(*at(tc.due))) {
			t.Errorf("%s: NextDeadline() = %q, %v, %v; want %q at %v", tc.name, kind, due, ok, tc.kind, *at(tc.due))
		}
		if got := tc.c.Running() && kind != ""; got != ok {
			t.Errorf("%s: Running %v but a deadline %v", tc.name, tc.c.Running(), ok)
		}
	}
}
