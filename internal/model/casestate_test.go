package model

import "testing"

func TestPriorityRank(t *testing.T) {
	for p, want := range map[Priority]int{
		PriorityLow: 0, PriorityNormal: 1, PriorityHigh: 2, PriorityUrgent: 3,
		// Unknown priorities rank as normal, as they get a normal
		// priority's deadline.
		"": 1, "bogus": 1,
	} {
		if got := p.Rank(); got != want {
			t.Errorf("%q.Rank() = %d, want %d", p, got, want)
		}
	}
}

func TestMaxPriority(t *testing.T) {
	for _, tc := range []struct{ a, b, want Priority }{
		{PriorityHigh, PriorityLow, PriorityHigh},
		{PriorityNormal, PriorityUrgent, PriorityUrgent},
		{PriorityLow, PriorityLow, PriorityLow},
		// An unknown priority never replaces a known one.
		{PriorityLow, "bogus", PriorityLow},
		{"", PriorityLow, ""},
		{"", PriorityHigh, PriorityHigh},
	} {
		if got := MaxPriority(tc.a, tc.b); got != tc.want {
			t.Errorf("MaxPriority(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestStatusSets(t *testing.T) {
	for _, tc := range []struct {
		s                    Status
		open, settable, know bool
	}{
		{StatusNew, true, false, true},
		{StatusOpen, true, true, true},
		{StatusPending, true, true, true},
		{StatusResolved, false, true, true},
		{StatusClosed, false, true, true},
		{"", false, false, false},
		{"Open", false, false, false},
	} {
		if tc.s.Open() != tc.open || tc.s.AgentSettable() != tc.settable || tc.s.Valid() != tc.know {
			t.Errorf("%q: Open %v AgentSettable %v Valid %v", tc.s, tc.s.Open(), tc.s.AgentSettable(), tc.s.Valid())
		}
	}
	for _, s := range OpenStatuses() {
		if !s.Open() {
			t.Errorf("OpenStatuses holds %q, which is not open", s)
		}
	}
}
