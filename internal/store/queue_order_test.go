package store_test

import (
	"context"
	"earshot/internal/cases"
	"earshot/internal/guard"
	"fmt"
	"slices"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// deadlineOrg has a policy with all three deadlines, counted around the
// clock.
const deadlineOrg = `
organization: Test Plan
timezone: UTC
sla_policies:
  - {id: standard, first_response: 1h, next_response: 20m, resolution: 3h, hours: 24/7}
`

// deadlineRouter compiles deadlineOrg.
func deadlineRouter(t *testing.T) *route.Live {
	t.Helper()
	o, err := org.Parse([]byte(deadlineOrg))
	if err != nil {
		t.Fatal(err)
	}
	r, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	return route.NewLive(r)
}

// postAt stores an inbound mention of author that needs a response,
// made at `at`, through the pipeline, and returns its case.
func postAt(t *testing.T, p *ingest.Pipeline, author string, at time.Time) int64 {
	t.Helper()
	res, err := p.Store(context.Background(), []*model.Mention{{Platform: "x", ExternalID: fmt.Sprint(author, at.Unix()), Kind: "post",
		Direction: "inbound", Text: "where is my card", CreatedAt: at, Author: model.Author{ID: author, Handle: author},
		Analysis: &model.Analysis{NeedsResponse: true, Sentiment: model.Sentiment{Label: "negative"}, Urgency: model.Urgency{Level: "normal"}}}})
	if err != nil || len(res) != 1 || res[0].CaseID == 0 {
		t.Fatalf("store mention of %s: %+v, %v", author, res, err)
	}
	return res[0].CaseID
}

// The inbox puts, within a priority, the case whose nearest running
// deadline (first response, next response or resolution) falls due
// first; a paused, resolved or closed case has none and comes last.
func TestQueueOrdersByNearestRunningDeadline(t *testing.T) {
	ctx := context.Background()
	live := deadlineRouter(t)
	st := storetest.Replicas(t, 1)[0]
	t0 := time.Now().UTC().Truncate(time.Second)
	p := ingest.New(st, analyze.New(), ingest.Options{Routes: live, Now: func() time.Time { return t0 }})
	min := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

	// first: opened now, first response due in 60m (resolution in 3h).
	first := postAt(t, p, "first", min(0))
	// early: opened 30m ago, first response due in 30m.
	early := postAt(t, p, "early", min(-30))
	// next: opened 165m ago and answered; the member wrote 15m ago, so
	// the next response is due in 5m (the resolution in 15m).
	next := postAt(t, p, "next", min(-165))
	if err := st.AddReply(ctx, &model.Reply{CaseID: next, Text: "Sorry, please DM us", Visibility: "public", Author: "agent@example.org", CreatedAt: min(-150)}, cases.Response(live.Router(), min(-150))); err != nil {
		t.Fatal(err)
	}
	// resolution: opened 170m ago and answered: the resolution is due in 10m.
	resolution := postAt(t, p, "resolution", min(-170))
	if err := st.AddReply(ctx, &model.Reply{CaseID: resolution, Text: "Sorry, please DM us", Visibility: "public", Author: "agent@example.org", CreatedAt: min(-160)}, cases.Response(live.Router(), min(-160))); err != nil {
		t.Fatal(err)
	}
	if got := postAt(t, p, "next", min(-15)); got != next {
		t.Fatalf("the member's second post opened case %d, want it in case %d", got, next)
	}
	// paused: its first response would be due in 1m, but it waits on the member.
	paused := postAt(t, p, "paused", min(-59))
	if err := cases.NewService(st, live, guard.New(analyze.New()), func() time.Time { return min(-1) }).SetStatus(ctx, paused, model.StatusPending, "agent@example.org"); err != nil {
		t.Fatal(err)
	}
	// resolved: its first response would be 2m overdue.
	resolved := postAt(t, p, "resolved", min(-62))
	if err := cases.NewService(st, live, guard.New(analyze.New()), func() time.Time { return min(-1) }).SetStatus(ctx, resolved, model.StatusResolved, "agent@example.org"); err != nil {
		t.Fatal(err)
	}

	tail := []int64{paused, resolved} // no running deadline: by id
	slices.Sort(tail)
	want := append([]int64{next, resolution, early, first}, tail...)
	cases, _, err := st.ListCases(ctx, store.CaseFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, c := range cases {
		got = append(got, c.ID)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("queue %v, want %v (next, resolution, early, first, then paused and resolved by id)", got, want)
	}
	// The key of each case is its nearest running deadline, and the page
	// cursor walks the same order one case at a time.
	wantDue := map[int64]int64{next: min(5).UnixMilli(), resolution: min(10).UnixMilli(), early: min(30).UnixMilli(),
		first: min(60).UnixMilli(), paused: store.NoDue, resolved: store.NoDue}
	for id, due := range wantDue {
		if v, err := store.SortDueOf(ctx, st, id); err != nil || v != due {
			t.Errorf("case %d: sort_due %d, %v; want %d", id, v, err, due)
		}
	}
	var walked []int64
	for cursor := ""; ; {
		page, nextCursor, err := st.ListCases(ctx, store.CaseFilter{Limit: 1, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			walked = append(walked, c.ID)
		}
		if nextCursor == "" {
			break
		}
		cursor = nextCursor
	}
	if !slices.Equal(walked, want) {
		t.Fatalf("pages walk %v, want %v", walked, want)
	}
}

// A first response (and one approved by a supervisor) moves the case's key on to its next
// running deadline, not to the end of the queue.
func TestFirstResponseKeepsTheResolutionDeadlineInTheQueue(t *testing.T) {
	ctx := context.Background()
	live := deadlineRouter(t)
	st := storetest.Open(t)
	t0 := time.Now().UTC().Truncate(time.Second)
	p := ingest.New(st, analyze.New(), ingest.Options{Routes: live, Now: func() time.Time { return t0 }})
	replied := postAt(t, p, "replied", t0)
	approved := postAt(t, p, "approved", t0.Add(time.Minute))
	if err := st.AddReply(ctx, &model.Reply{CaseID: replied, Text: "Please DM us", Visibility: "private", Author: "agent@example.org", CreatedAt: t0}, cases.Response(live.Router(), t0)); err != nil {
		t.Fatal(err)
	}
	held := &model.Reply{CaseID: approved, Text: "Please DM us", Visibility: "public", Author: "agent@example.org", CreatedAt: t0,
		State: model.ReplyAwaitingApproval}
	if err := st.AddReply(ctx, held, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.ApproveReply(ctx, approved, held.ID, "super@example.org", t0.Add(2*time.Minute), cases.Response(live.Router(), t0.Add(2*time.Minute))); err != nil {
		t.Fatal(err)
	}
	for id, opened := range map[int64]time.Time{replied: t0, approved: t0.Add(time.Minute)} {
		c, err := st.GetCase(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.FirstResponseAt == nil || c.ResolutionDue == nil || !c.ResolutionDue.Equal(opened.Add(3*time.Hour)) {
			t.Fatalf("case %d: first response %v, resolution due %v; want a response and the resolution 3h after %v", id, c.FirstResponseAt, c.ResolutionDue, opened)
		}
		v, err := store.SortDueOf(ctx, st, id)
		if err != nil || v != c.ResolutionDue.UnixMilli() || v != store.SortDue(c) {
			t.Errorf("case %d: sort_due %d, %v; want the resolution due %d", id, v, err, c.ResolutionDue.UnixMilli())
		}
	}
}
