package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"

	"github.com/prometheus/client_golang/prometheus"
)

// replicaTexts are what the shared authors say, some needing a response.
var replicaTexts = []string{
	"Where is my new ID card? I have been waiting three weeks",
	"Still nothing, I called twice and nobody calls me back",
	"My claim was denied and I can't afford this bill",
	"Thanks, the team sorted it out. Great help!",
	"How do I find a doctor in network near Austin?",
}

// sentMention is a mention a replica stored, with its result.
type sentMention struct {
	m model.Mention
	r Result
}

// Several replicas (pipelines, each with its own store on one database:
// one PostgreSQL schema, or one SQLite file) ingest many small batches
// at once from a few shared authors, with our replies and members'
// replies into each other's cases, while an agent moves cases between
// pending and open. No update of a case is lost: each case counts the
// mentions it holds, an author has one open case, every reply is in its
// parent's case and counts as a response, and a case's status is the one
// its timeline ends with.
func TestReplicasShareCases(t *testing.T) {
	ctx := context.Background()
	cfg := storetest.Config(t)
	const replicas, workers, rounds = 3, 2, 40
	authors := []string{"ann", "bob", "cy"}
	now := func() time.Time { return t0.Add(24 * time.Hour) }
	var ps []*Pipeline
	var stores []*store.Store
	var regs []*prometheus.Registry
	for range replicas {
		st, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		stores = append(stores, st)
		reg := prometheus.NewRegistry()
		regs = append(regs, reg)
		ps = append(ps, New(st, analyze.New(), Options{Now: now, Metrics: NewMetrics(reg),
			Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))}))
	}

	var mu sync.Mutex
	var sent []sentMention
	var inbound []sentMention // stored (committed) inbound mentions, to reply to
	// pick returns a stored inbound mention at random, if any.
	pick := func(rng *rand.Rand) (sentMention, bool) {
		mu.Lock()
		defer mu.Unlock()
		if len(inbound) == 0 {
			return sentMention{}, false
		}
		return inbound[rng.IntN(len(inbound))], true
	}
	// work stores one small batch of worker w on replica rep in round i.
	work := func(rep, w, i int, rng *rand.Rand) {
		at := t0.Add(time.Duration(rng.IntN(3600)) * time.Second)
		id := func(j int) string { return fmt.Sprintf("r%d-w%d-%d-%d", rep, w, i, j) }
		// A shared author, or one of two that every worker meets first
		// in this round, so that their first posts race to open a case.
		author := authors[rng.IntN(len(authors))]
		if rng.IntN(2) == 0 {
			author = fmt.Sprintf("new%d-%d", i, rng.IntN(2))
		}
		batch := []model.Mention{mention(id(0), author, replicaTexts[rng.IntN(len(replicaTexts))], at)}
		if p, ok := pick(rng); ok && rng.IntN(2) == 0 {
			batch = append(batch, ours(id(1), p.m.ExternalID, "", p.m.CreatedAt.Add(time.Minute)))
		}
		if p, ok := pick(rng); ok && rng.IntN(3) == 0 {
			m := mention(id(2), authors[rng.IntN(len(authors))], "Same here, any news?", p.m.CreatedAt.Add(2*time.Minute))
			m.InReplyTo = p.m.ExternalID
			batch = append(batch, m)
		}
		rs, err := ps[rep].Ingest(ctx, batch)
		if err != nil {
			t.Errorf("replica %d: %v", rep, err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for j, r := range rs {
			if r.Err != nil || r.Duplicate || r.ID == 0 {
				t.Errorf("replica %d, %s: %+v", rep, batch[j].ExternalID, r)
			}
			s := sentMention{batch[j], r}
			sent = append(sent, s)
			if batch[j].Direction != model.DirectionOutbound {
				inbound = append(inbound, s)
			}
		}
	}
	// act is an agent on replica rep moving a case between pending and
	// open, or replying, in round i.
	act := func(rep, i int, rng *rand.Rand) {
		p, ok := pick(rng)
		if !ok {
			return
		}
		at := now().Add(time.Duration(i*replicas+rep) * time.Second)
		var err error
		agent := agentAt(stores[rep], nil, at)
		switch rng.IntN(3) {
		case 0:
			err = agent.SetStatus(ctx, p.r.CaseID, model.StatusPending, "agent@example.org")
		case 1:
			err = agent.SetStatus(ctx, p.r.CaseID, model.StatusOpen, "agent@example.org")
		default:
			_, err = agent.Reply(ctx, cases.Draft{CaseID: p.r.CaseID, Text: "Please send us a DM.", Visibility: model.VisibilityPrivate,
				Author: "agent@example.org"})
		}
		if err != nil {
			t.Errorf("agent on replica %d, case %d: %v", rep, p.r.CaseID, err)
		}
	}
	// The authors who come new in a round have written before, a reply
	// in ann's case, through every replica: stored, known to each
	// replica, and with no case of their own.
	record := func(rep int, batch []model.Mention) {
		rs, err := ps[rep].Ingest(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		for j, r := range rs {
			if r.Err != nil || r.Duplicate {
				t.Fatalf("%s: %+v", batch[j].ExternalID, r)
			}
			sent = append(sent, sentMention{batch[j], rs[j]})
		}
	}
	seed := mention("seed", "ann", "Is anyone else still waiting for their ID card?", t0)
	record(0, []model.Mention{seed})
	for rep := range replicas {
		var batch []model.Mention
		for i := range rounds {
			for j := range 2 {
				m := mention(fmt.Sprintf("seed-r%d-%d-%d", rep, i, j), fmt.Sprintf("new%d-%d", i, j), "Me too", t0.Add(time.Minute))
				m.InReplyTo = seed.ExternalID
				batch = append(batch, m)
			}
		}
		record(rep, batch)
	}
	workRNG := make([][]*rand.Rand, replicas)
	actRNG := make([]*rand.Rand, replicas)
	for rep := range replicas {
		actRNG[rep] = rand.New(rand.NewPCG(uint64(rep), 99))
		for w := range workers {
			workRNG[rep] = append(workRNG[rep], rand.New(rand.NewPCG(uint64(rep), uint64(w))))
		}
	}
	// Every worker and agent of a round starts at once.
	for i := range rounds {
		var wg sync.WaitGroup
		for rep := range replicas {
			for w := range workers {
				wg.Go(func() { work(rep, w, i, workRNG[rep][w]) })
			}
			wg.Go(func() { act(rep, i, actRNG[rep]) })
		}
		wg.Wait()
	}
	if t.Failed() {
		return
	}
	var retried float64
	for _, reg := range regs {
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if mf.GetName() == "earshot_ingest_batch_retries_total" {
				retried += mf.GetMetric()[0].GetCounter().GetValue()
			}
		}
	}
	t.Logf("%d mentions, %.0f batches tried again", len(sent), retried)
	// Replies whose parent a replica stored at the same time are linked
	// by the sweep (none here: every reply names a stored mention).
	if n, err := ps[0].LinkWaitingReplies(ctx, 1000); err != nil || n != 0 {
		t.Errorf("the sweep linked %d replies (%v), want none", n, err)
	}
	checkReplicaCases(t, stores[0], sent)
}

// checkReplicaCases checks what TestReplicasShareCases stored.
func checkReplicaCases(t *testing.T, st *store.Store, sent []sentMention) {
	t.Helper()
	ctx := context.Background()
	caseIDs := map[int64]bool{}
	for _, s := range sent {
		caseIDs[s.r.CaseID] = true
	}
	counts, err := st.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts.Mentions != int64(len(sent)) || counts.Cases != int64(len(caseIDs)) {
		t.Errorf("stored %d mentions in %d cases, want %d in %d (the cases the results name)",
			counts.Mentions, counts.Cases, len(sent), len(caseIDs))
	}
	caseOfMention := map[string]int64{} // external id -> stored case
	type authorKey struct {
		id       int64
		platform string
	}
	open := map[authorKey][]int64{}
	lost := 0
	for id := range caseIDs {
		c, err := st.GetCase(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.MentionCount != len(c.Mentions) {
			lost++
			t.Errorf("case %d counts %d mentions, holds %d", id, c.MentionCount, len(c.Mentions))
		}
		outbound := false
		for _, m := range c.Mentions {
			if _, dup := caseOfMention[m.ExternalID]; dup {
				t.Errorf("mention %s stored twice", m.ExternalID)
			}
			caseOfMention[m.ExternalID] = id
			outbound = outbound || m.Direction == model.DirectionOutbound
		}
		if outbound && c.FirstResponseAt == nil {
			t.Errorf("case %d holds our reply but has no first response", id)
		}
		if c.Status == model.StatusNew || c.Status == model.StatusOpen || c.Status == model.StatusPending {
			k := authorKey{c.AuthorID, c.Platform}
			open[k] = append(open[k], id)
		}
		checkStatusTimeline(t, c)
	}
	if lost > 0 {
		t.Errorf("%d of %d cases lost updates to their mention count", lost, len(caseIDs))
	}
	for k, ids := range open {
		if len(ids) > 1 {
			t.Errorf("author %d on %s has %d open cases %v, all within one thread window", k.id, k.platform, len(ids), ids)
		}
	}
	byExt := map[string]sentMention{}
	for _, s := range sent {
		byExt[s.m.ExternalID] = s
	}
	for _, s := range sent {
		got, ok := caseOfMention[s.m.ExternalID]
		if !ok {
			t.Errorf("mention %s is in no case", s.m.ExternalID)
			continue
		}
		if got != s.r.CaseID {
			t.Errorf("mention %s is in case %d, its result said %d", s.m.ExternalID, got, s.r.CaseID)
		}
		if s.m.InReplyTo != "" {
			if want := caseOfMention[s.m.InReplyTo]; got != want {
				t.Errorf("reply %s (%s) is in case %d, its parent %s in %d", s.m.ExternalID, s.m.Direction, got, s.m.InReplyTo, want)
			}
		}
	}
}

// checkStatusTimeline checks that c's status changes, in the order they
// were recorded, follow on from each other and end with c's status: a
// writer that changed the status from one it read before another writer
// changed it breaks the chain.
func checkStatusTimeline(t *testing.T, c *model.Case) {
	t.Helper()
	var last string
	for _, e := range c.Events {
		if e.Type != model.EventStatusChanged && e.Type != model.EventReopened {
			continue
		}
		var d struct{ From, To string }
		if err := json.Unmarshal(e.Data, &d); err != nil {
			t.Fatalf("case %d, event %d: %v", c.ID, e.ID, err)
		}
		// Only new goes to open without an event (a response); nothing
		// goes back to new.
		if last != "" && d.From != last {
			t.Errorf("case %d: status changed from %s after it changed to %s (event %d)", c.ID, d.From, last, e.ID)
		}
		last = d.To
	}
	if last != "" && string(c.Status) != last {
		t.Errorf("case %d has status %s, its timeline ends with %s", c.ID, c.Status, last)
	}
}
