package ingest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// replySweepOrg routes every mention to member services under a
// one-hour first-response deadline, with escalation and alerts.
const replySweepOrg = `
organization: Test Plan
timezone: America/Chicago
teams:
  - {id: member-services, name: Member Services}
  - {id: escalations, name: Escalations}
sla_policies:
  - {id: standard, first_response: 1h, resolution: 24h, warn_at: 0.5, escalate: {priority: urgent, team: escalations}}
rules:
  - {name: Everything to member services, then: {team: member-services}}
alerts:
  - {id: pager, type: webhook, url: "https://hooks.example.org/pager", on: [sla_warning, sla_breach]}
`

// storeWaitingReply stores our reply to parent without a case, as the
// transaction of a replica that could not see the parent, stored by
// another at the same moment, leaves it.
func storeWaitingReply(t *testing.T, st *store.Store, id, parent string, at time.Time) {
	t.Helper()
	storetest.StoreUnthreaded(t, st, model.Mention{Platform: "x", ExternalID: id, InReplyTo: parent, Kind: "comment", Direction: model.DirectionOutbound,
		Text: "Sorry about this, please DM us", CreatedAt: at, ReceivedAt: at, Author: model.Author{ID: "org", Handle: "lonestar"}}, []byte(`{}`))
}

// Three instances on one database (one PostgreSQL schema, or one SQLite
// file) sweep together: every reply left waiting is linked to its
// parent's case exactly once, its first response stops the SLA timer,
// and after a quiet pass the sweep waits its interval.
func TestReplyLinkSweepAcrossRunners(t *testing.T) {
	ctx := context.Background()
	o, err := org.Parse([]byte(replySweepOrg))
	if err != nil {
		t.Fatal(err)
	}
	router, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	live := route.NewLive(router)
	stores := storetest.Replicas(t, 3)
	var now atomic.Int64
	now.Store(t0.Add(time.Hour).UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).UTC() }
	var runners []*jobs.Runner
	for i, s := range stores {
		p := New(s, analyze.New(), Options{Routes: live, Now: clock})
		r := jobs.New(s, jobs.Options{Worker: fmt.Sprint("instance-", i), Now: clock})
		r.Every("waiting replies", p.ReplyLinkSweep(time.Minute, 4))
		runners = append(runners, r)
	}

	const n = 12
	p := New(stores[0], analyze.New(), Options{Routes: live, Now: func() time.Time { return t0 }})
	var ms []*model.Mention
	for i := range n {
		ms = append(ms, &model.Mention{Platform: "x", ExternalID: fmt.Sprint("p", i), Kind: "post", Direction: "inbound",
			Text: "where is my card", CreatedAt: t0, Author: model.Author{ID: fmt.Sprint("a", i), Handle: fmt.Sprint("h", i)},
			Analysis: &model.Analysis{NeedsResponse: true, Sentiment: model.Sentiment{Label: "negative"}, Urgency: model.Urgency{Level: "normal"}}})
	}
	results, err := p.Store(ctx, ms)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		storeWaitingReply(t, stores[0], fmt.Sprint("r", i), fmt.Sprint("p", i), t0.Add(time.Duration(i+1)*time.Minute))
	}
	// A reply to a reply, and one whose parent never comes.
	storeWaitingReply(t, stores[0], "rr0", "r0", t0.Add(30*time.Minute))
	storeWaitingReply(t, stores[0], "lost", "nowhere", t0)

	tickAll := func() {
		var wg sync.WaitGroup
		for _, r := range runners {
			wg.Go(func() {
				for range 4 {
					if _, err := r.Tick(ctx); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
	}
	check := func(i int, count int) {
		t.Helper()
		c, err := stores[1].GetCase(ctx, results[i].CaseID)
		if err != nil {
			t.Fatal(err)
		}
		first := t0.Add(time.Duration(i+1) * time.Minute)
		if c.MentionCount != count || len(c.Mentions) != count || c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(first) ||
			c.Status != model.StatusOpen {
			t.Errorf("case of p%d: count %d, %d mentions, first response %v, status %s; want %d, %v, open",
				i, c.MentionCount, len(c.Mentions), c.FirstResponseAt, c.Status, count, first)
		}
		for _, tm := range c.SLATimers {
			if tm.Deadline == model.DeadlineFirstResponse && !tm.Fired {
				t.Errorf("case of p%d: first response timer still runs: %+v", i, tm)
			}
		}
	}
	tickAll()
	for i := range n {
		want := 2
		if i == 0 {
			want = 3
		}
		check(i, want)
	}

	// Quiet now: the sweeps wait a minute before they look again.
	storeWaitingReply(t, stores[0], "r1b", "p1", t0.Add(50*time.Minute))
	now.Add(int64(30 * time.Second))
	tickAll()
	check(1, 2)
	now.Add(int64(31 * time.Second))
	tickAll()
	check(1, 3)
	counts, err := stores[2].Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts.Cases != n || counts.Mentions != 2*n+3 {
		t.Errorf("counts %+v, want %d cases and %d mentions", counts, n, 2*n+3)
	}
}
