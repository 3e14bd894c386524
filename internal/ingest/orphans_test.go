package ingest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/events"
	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// ours is our own account's reply id, answering inReplyTo in thread.
func ours(id, inReplyTo, thread string, at time.Time) model.Mention {
	m := mention(id, "lonestar", "We're sorry to hear this. Please send us a DM so we can help.", at)
	m.Direction, m.InReplyTo, m.ThreadID = model.DirectionOutbound, inReplyTo, thread
	return m
}

// caseOf reads the case of a result, failing the test without one.
func caseOf(t *testing.T, st *store.Store, r Result) *model.Case {
	t.Helper()
	if r.CaseID == 0 {
		t.Fatalf("mention %d has no case", r.ID)
	}
	c, err := st.GetCase(context.Background(), r.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// mentionIDs are the ids of a case's mentions, in its order.
func mentionIDs(c *model.Case) []int64 {
	var ids []int64
	for _, m := range c.Mentions {
		ids = append(ids, m.ID)
	}
	return ids
}

// A reply of ours stored before the mention it answers joins that
// mention's case when it arrives, whichever way they come, exactly as if
// it had come after: counted, first response, status open, in the
// case's mentions; the results say so, and a re-import changes nothing.
func TestReplyBeforeParentJoinsItsCase(t *testing.T) {
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	parent := mention("500", "ann", "My claim was denied and nobody calls me back", at(0))
	for _, tc := range []struct {
		name string
		// batches are ingested in turn, each in one call.
		batches [][]model.Mention
		// replies are the external ids of our replies, in time order.
		replies []string
		// other is set when a second pipeline (another process on the
		// same store) ingests the batches after the first.
		other bool
	}{
		{name: "separate batches", batches: [][]model.Mention{{ours("501", "500", "500", at(20*time.Minute))}, {parent}},
			replies: []string{"501"}},
		{name: "same batch, reply first", batches: [][]model.Mention{{ours("501", "500", "500", at(20*time.Minute)), parent}},
			replies: []string{"501"}},
		{name: "in reply only", batches: [][]model.Mention{{ours("501", "500", "", at(20*time.Minute))}, {parent}},
			replies: []string{"501"}},
		{name: "thread root only", batches: [][]model.Mention{{ours("501", "", "500", at(20*time.Minute))}, {parent}},
			replies: []string{"501"}},
		{name: "another process", batches: [][]model.Mention{{ours("501", "500", "500", at(20*time.Minute))}, {parent}},
			replies: []string{"501"}, other: true},
		{name: "a reply to our reply, all before the parent", batches: [][]model.Mention{
			{ours("502", "501", "500", at(time.Hour))}, {ours("501", "500", "500", at(20*time.Minute))}, {parent}},
			replies: []string{"501", "502"}},
		{name: "a chain in one batch, parent last", batches: [][]model.Mention{
			{ours("502", "501", "", at(time.Hour)), ours("501", "500", "", at(20*time.Minute)), parent}},
			replies: []string{"501", "502"}},
		{name: "one stored, one in the parent's batch", batches: [][]model.Mention{
			{ours("501", "500", "500", at(20*time.Minute))}, {ours("502", "500", "500", at(time.Hour)), parent}},
			replies: []string{"501", "502"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			p, st, broker := newPipeline(t)
			sub := broker.Subscribe(100)
			defer sub.Close()
			byID := map[string]Result{}
			for i, batch := range tc.batches {
				ing := p
				if tc.other && i > 0 {
					ing = New(st, analyze.New(), Options{Now: func() time.Time { return t0.Add(time.Hour) }})
				}
				rs, err := ing.Ingest(ctx, slices.Clone(batch))
				if err != nil {
					t.Fatal(err)
				}
				for j, r := range rs {
					if r.Err != nil || r.Duplicate {
						t.Fatalf("%s: %+v", batch[j].ExternalID, r)
					}
					byID[batch[j].ExternalID] = r
				}
			}
			root := byID["500"]
			c := caseOf(t, st, root)
			for _, id := range tc.replies {
				if got := byID[id].CaseID; got != 0 && got != root.CaseID {
					t.Errorf("reply %s answered case %d, want 0 or %d", id, got, root.CaseID)
				}
			}
			if last := tc.batches[len(tc.batches)-1]; len(last) > 1 {
				// Replies stored in the parent's own batch answer with
				// its case.
				for _, m := range last {
					if r := byID[m.ExternalID]; r.CaseID != root.CaseID {
						t.Errorf("%s in the parent's batch answered case %d, want %d", m.ExternalID, r.CaseID, root.CaseID)
					}
				}
			}
			want := []int64{root.ID}
			for _, id := range tc.replies {
				want = append(want, byID[id].ID)
			}
			if got := mentionIDs(c); !slices.Equal(got, want) {
				t.Errorf("case mentions %v, want %v (parent, then replies by time)", got, want)
			}
			if c.MentionCount != 1+len(tc.replies) || c.Status != model.StatusOpen ||
				c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(at(20*time.Minute)) {
				t.Errorf("case: count %d status %s first response %v, want %d, open, %v",
					c.MentionCount, c.Status, c.FirstResponseAt, 1+len(tc.replies), at(20*time.Minute))
			}
			if c.FirstResponseDue == nil || c.FirstResponseAt != nil && c.FirstResponseAt.After(*c.FirstResponseDue) {
				t.Errorf("first response %v after its deadline %v", c.FirstResponseAt, c.FirstResponseDue)
			}
			wantLast := at(20 * time.Minute)
			if len(tc.replies) > 1 {
				wantLast = at(time.Hour)
			}
			if !c.LastActivityAt.Equal(wantLast) {
				t.Errorf("last activity %v, want the latest reply's %v", c.LastActivityAt, wantLast)
			}
			for _, m := range c.Mentions {
				if m.CaseID != root.CaseID {
					t.Errorf("mention %d lists case %d", m.ID, m.CaseID)
				}
			}

			// Every batch again, all at once: duplicates with the same
			// ids, now all in the parent's case, and nothing changes.
			var all []model.Mention
			for _, b := range tc.batches {
				all = append(all, b...)
			}
			rs, err := p.Ingest(ctx, all)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range rs {
				prev := byID[all[i].ExternalID]
				if !r.Duplicate || r.ID != prev.ID || r.CaseID != root.CaseID {
					t.Errorf("re-import of %s: %+v, want a duplicate of mention %d in case %d", all[i].ExternalID, r, prev.ID, root.CaseID)
				}
			}
			again := caseOf(t, st, root)
			if again.MentionCount != c.MentionCount || !slices.Equal(mentionIDs(again), mentionIDs(c)) ||
				!again.UpdatedAt.Equal(c.UpdatedAt) || len(again.Events) != len(c.Events) {
				t.Errorf("re-import changed the case: %+v, was %+v", again, c)
			}
			counts, err := st.Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if counts.Cases != 1 || counts.Mentions != int64(1+len(tc.replies)) {
				t.Errorf("counts %+v, want one case and %d mentions", counts, 1+len(tc.replies))
			}
			var published int
			for len(sub.C) > 0 {
				if e := <-sub.C; e.Type == events.MentionAdded {
					published++
				}
			}
			if !tc.other && published != 1+len(tc.replies) {
				t.Errorf("%d mention events, want %d", published, 1+len(tc.replies))
			}
		})
	}
}

// Our own posts that answer nothing, and replies whose parent never
// comes, stay without a case; a reply whose parent is our own caseless
// post waits too.
func TestOwnPostsAndUnansweredRepliesStayWithoutCase(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newPipeline(t)
	post := ours("600", "", "", t0)
	rooted := ours("601", "", "601", t0) // the root of a thread of ours
	lost := ours("602", "999", "999", t0.Add(time.Minute))
	toPost := ours("603", "600", "600", t0.Add(2*time.Minute))
	rs, err := p.Ingest(ctx, []model.Mention{post, rooted, lost, toPost})
	if err != nil {
		t.Fatal(err)
	}
	// A member answers in the thread our post started: a case opens,
	// and our post, which answers no one, stays out of it.
	reply := mention("610", "ann", "Is this for real? My card never came", t0.Add(time.Hour))
	reply.InReplyTo, reply.ThreadID = "601", "601"
	r := ingestOne(t, p, reply)
	c := caseOf(t, st, r)
	if c.MentionCount != 1 || c.FirstResponseAt != nil || len(c.Mentions) != 1 {
		t.Errorf("member's reply to our post: count %d first response %v mentions %d", c.MentionCount, c.FirstResponseAt, len(c.Mentions))
	}
	for i, m := range []model.Mention{post, rooted, lost, toPost} {
		if rs[i].CaseID != 0 {
			t.Errorf("%s got case %d", m.ExternalID, rs[i].CaseID)
		}
		again := ingestOne(t, p, m)
		if !again.Duplicate || again.ID != rs[i].ID || again.CaseID != 0 {
			t.Errorf("%s again: %+v", m.ExternalID, again)
		}
	}
}

// A reply waiting for a member's mention in a thread whose root never
// came joins the thread's case when another mention of the thread gives
// it one, as parentCase would have found it.
func TestReplyWaitingInThreadJoinsThreadCase(t *testing.T) {
	p, st, _ := newPipeline(t)
	r := ingestOne(t, p, ours("701", "702", "700", t0.Add(time.Hour)))
	if r.CaseID != 0 {
		t.Fatalf("reply to an unseen mention got case %d", r.CaseID)
	}
	member := mention("703", "bea", "Same here, no card for weeks", t0.Add(30*time.Minute))
	member.InReplyTo, member.ThreadID = "700", "700"
	m := ingestOne(t, p, member)
	c := caseOf(t, st, m)
	if !slices.Equal(mentionIDs(c), []int64{m.ID, r.ID}) || c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("thread case mentions %v first response %v, want [%d %d] and %v", mentionIDs(c), c.FirstResponseAt, m.ID, r.ID, t0.Add(time.Hour))
	}
}

// With an SLA policy, the early reply satisfies the first response
// deadline when its parent arrives: the timers stop and the case is not
// due.
func TestReplyBeforeParentSatisfiesSLA(t *testing.T) {
	ctx := context.Background()
	p, st := routedPipeline(t, func() time.Time { return t0 })
	reply := ours("801", "800", "800", t0.Add(10*time.Minute))
	if r := ingestOne(t, p, reply); r.CaseID != 0 {
		t.Fatalf("reply got case %d before its parent", r.CaseID)
	}
	root := ingestOne(t, p, mention("800", "ann", "My ID card has the wrong name on it", t0))
	c := caseOf(t, st, root)
	if c.SLAPolicy == "" {
		t.Fatal("the case has no SLA policy")
	}
	if c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(t0.Add(10*time.Minute)) || c.FirstResponseDue == nil || c.FirstResponseAt.After(*c.FirstResponseDue) {
		t.Errorf("first response %v, due %v", c.FirstResponseAt, c.FirstResponseDue)
	}
	for _, tm := range c.SLATimers {
		if (tm.Deadline == model.DeadlineFirstResponse || tm.Deadline == model.DeadlineNextResponse) && !tm.Fired {
			t.Errorf("response timer still runs after the reply: %+v", tm)
		}
	}
	if c.NextResponseDue != nil || c.Status != model.StatusOpen || c.MentionCount != 2 {
		t.Errorf("next response due %v, status %s, count %d", c.NextResponseDue, c.Status, c.MentionCount)
	}
	// Past the first response deadline nothing is due but resolution.
	due, err := st.DueSLACases(ctx, t0.Add(2*time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 0 {
		t.Errorf("cases due after the reply: %v", due)
	}
}

// storeWaiting stores our reply m without a case, as a writer that
// could not see its parent leaves it.
func storeWaiting(t *testing.T, st *store.Store, m model.Mention) int64 {
	t.Helper()
	return storetest.StoreUnthreaded(t, st, m, []byte(`{"intents":["question"]}`))
}

// LinkWaitingReplies links the replies that a batch storing their parent
// could not see, and those waiting for them, once, and says so to live
// views.
func TestLinkWaitingReplies(t *testing.T) {
	ctx := context.Background()
	p, st, broker := newPipeline(t)
	sub := broker.Subscribe(10)
	defer sub.Close()
	root := ingestOne(t, p, mention("900", "ann", "Charged twice for one visit", t0))
	<-sub.C // its mention_added
	reply := storeWaiting(t, st, ours("901", "900", "900", t0.Add(15*time.Minute)))
	again := storeWaiting(t, st, ours("902", "901", "", t0.Add(time.Hour)))
	lost := storeWaiting(t, st, ours("903", "999", "", t0.Add(time.Hour)))

	n, err := p.LinkWaitingReplies(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("linked %d replies, want 2", n)
	}
	c := caseOf(t, st, root)
	if !slices.Equal(mentionIDs(c), []int64{root.ID, reply, again}) || c.MentionCount != 3 || c.Status != model.StatusOpen ||
		c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(t0.Add(15*time.Minute)) || !c.LastActivityAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("case after linking: mentions %v count %d status %s first response %v last activity %v",
			mentionIDs(c), c.MentionCount, c.Status, c.FirstResponseAt, c.LastActivityAt)
	}
	if e := <-sub.C; e.Type != events.CaseChanged || e.CaseID != root.CaseID {
		t.Errorf("event %+v, want case_changed of %d", e, root.CaseID)
	}
	if n, err := p.LinkWaitingReplies(ctx, 10); err != nil || n != 0 {
		t.Errorf("second pass linked %d (%v)", n, err)
	}
	if r := ingestOne(t, p, ours("903", "999", "", t0.Add(time.Hour))); !r.Duplicate || r.ID != lost || r.CaseID != 0 {
		t.Errorf("the reply whose parent never came: %+v", r)
	}
}

// Two instances on one database (one PostgreSQL schema, or one SQLite
// file) store replies and their parents at the same time, each one
// mention a call: whatever each transaction could see of the other's,
// after LinkWaitingReplies every reply is in its parent's case, counted
// once.
func TestRepliesAndParentsOnTwoInstances(t *testing.T) {
	ctx := context.Background()
	cfg := storetest.Config(t)
	var ps []*Pipeline
	var stores []*store.Store
	for range 2 {
		st, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		stores = append(stores, st)
		ps = append(ps, New(st, analyze.New(), Options{Now: func() time.Time { return t0.Add(time.Hour) }}))
	}
	const n = 40
	var wg sync.WaitGroup
	parents := make([]Result, n)
	for side := range 2 {
		wg.Go(func() {
			for i := range n {
				var m model.Mention
				if side == 0 {
					m = ours(fmt.Sprint("r", i), fmt.Sprint("p", i), fmt.Sprint("p", i), t0.Add(10*time.Minute))
				} else {
					m = mention(fmt.Sprint("p", i), fmt.Sprint("member", i), "Where is my card?", t0)
				}
				rs, err := ps[side].Ingest(ctx, []model.Mention{m})
				if err != nil || rs[0].Err != nil {
					t.Errorf("%s: %v %v", m.ExternalID, err, rs)
					return
				}
				if side == 1 {
					parents[i] = rs[0]
				}
			}
		})
	}
	wg.Wait()
	linked, err := ps[0].LinkWaitingReplies(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d replies were left for the sweep", linked, n)
	for i, r := range parents {
		c := caseOf(t, stores[1], r)
		if c.MentionCount != 2 || len(c.Mentions) != 2 || c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(t0.Add(10*time.Minute)) {
			t.Errorf("case of p%d: count %d, %d mentions, first response %v", i, c.MentionCount, len(c.Mentions), c.FirstResponseAt)
		}
	}
	if err := stores[0].CheckReferences(ctx); err != nil {
		t.Error(err)
	}
}
