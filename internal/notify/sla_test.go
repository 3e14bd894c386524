package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/ingest"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/notify"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

const slaOrg = `
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

var t0 = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

// TestSLATimersFireOnceAcrossRunners runs three runners, each with its own
// store handle as three Earshot instances would have, on one database
// (one PostgreSQL schema, or one SQLite file), and shows that every
// warning and breach fires exactly once.
func TestSLATimersFireOnceAcrossRunners(t *testing.T) {
	ctx := context.Background()
	o, err := org.Parse([]byte(slaOrg))
	if err != nil {
		t.Fatal(err)
	}
	router, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	live := route.NewLive(router)
	stores := storetest.Replicas(t, 3)

	// Twenty cases that need a response, opened at t0.
	p := ingest.New(stores[0], analyze.New(), ingest.Options{Routes: live, Now: func() time.Time { return t0 }})
	const cases = 20
	var ms []*model.Mention
	for i := range cases {
		ms = append(ms, &model.Mention{Platform: "x", ExternalID: fmt.Sprint(i), Kind: "post", Direction: "inbound",
			Text: "where is my card", CreatedAt: t0, Author: model.Author{ID: fmt.Sprint("a", i), Handle: fmt.Sprint("h", i)},
			Analysis: &model.Analysis{NeedsResponse: true, Sentiment: model.Sentiment{Label: "negative"}, Urgency: model.Urgency{Level: "normal"}}})
	}
	if _, err := p.Store(ctx, ms); err != nil {
		t.Fatal(err)
	}

	var now atomic.Int64
	now.Store(t0.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).UTC() }
	var mu sync.Mutex
	delivered := map[string]int{} // case/event/reason -> deliveries
	var runners []*jobs.Runner
	for i, s := range stores {
		r := jobs.New(s, jobs.Options{Worker: fmt.Sprint("instance-", i), Now: clock, Batch: 5})
		r.Every("sla", notify.SLASweep(s, live, 7))
		r.Handle(model.JobKindAlert, func(ctx context.Context, j store.Job) error {
			var a model.Alert
			if err := json.Unmarshal(j.Payload, &a); err != nil {
				return err
			}
			mu.Lock()
			delivered[fmt.Sprint(a.CaseID, "/", a.Event, "/", a.Reason)]++
			mu.Unlock()
			return nil
		})
		runners = append(runners, r)
	}
	tickAll := func() {
		var wg sync.WaitGroup
		for _, r := range runners {
			wg.Go(func() {
				for range 6 {
					if _, err := r.Tick(ctx); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
	}
	count := func() (warn, breach int) {
		mu.Lock()
		defer mu.Unlock()
		for k, n := range delivered {
			if n != 1 {
				t.Errorf("%s delivered %d times", k, n)
			}
			switch {
			case strings.Contains(k, "/sla_warning/"):
				warn++
			case strings.Contains(k, "/sla_breach/"):
				breach++
			}
		}
		return warn, breach
	}

	tickAll() // nothing is due yet
	if w, b := count(); w+b != 0 {
		t.Fatalf("alerts before any timer: %d warnings, %d breaches", w, b)
	}
	now.Store(t0.Add(31 * time.Minute).UnixNano())
	tickAll()
	if w, b := count(); w != cases || b != 0 {
		t.Fatalf("after the warning time: %d warnings, %d breaches; want %d, 0", w, b, cases)
	}
	now.Store(t0.Add(61 * time.Minute).UnixNano())
	tickAll()
	tickAll()
	if w, b := count(); w != cases || b != cases {
		t.Fatalf("after the breach time: %d warnings, %d breaches; want %d each", w, b, cases)
	}
	// The breach escalated each case once.
	c, err := stores[1].GetCase(ctx, ms[0].CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Priority != model.PriorityUrgent || c.Team != "escalations" {
		t.Errorf("escalated case: priority %s team %s", c.Priority, c.Team)
	}
	var warnings, breaches, escalations int
	for _, e := range c.Events {
		switch e.Type {
		case model.EventSLAWarning:
			warnings++
		case model.EventSLABreach:
			breaches++
		case model.EventEscalated:
			escalations++
		}
	}
	if warnings != 1 || breaches != 1 || escalations != 1 {
		t.Errorf("timeline: %d warnings, %d breaches, %d escalations; want 1 each", warnings, breaches, escalations)
	}
	if ids, _ := stores[2].DueSLACases(ctx, t0.Add(2*time.Hour), 100); len(ids) != 0 {
		t.Errorf("cases with due timers left: %v", ids)
	}
}

// TestSLAFiresOnceDespiteStaleWrite shows a timer fires once even when a
// writer that read the case before the firing (an ingest batch) writes
// its stale, unfired timers back.
func TestSLAFiresOnceDespiteStaleWrite(t *testing.T) {
	ctx := context.Background()
	o, err := org.Parse([]byte(slaOrg))
	if err != nil {
		t.Fatal(err)
	}
	router, _ := route.Compile(o)
	live := route.NewLive(router)
	st := storetest.Open(t)
	p := ingest.New(st, analyze.New(), ingest.Options{Routes: live, Now: func() time.Time { return t0 }})
	m := &model.Mention{Platform: "x", ExternalID: "1", Kind: "post", Direction: "inbound", Text: "where is my card", CreatedAt: t0,
		Author: model.Author{ID: "a"}, Analysis: &model.Analysis{NeedsResponse: true, Urgency: model.Urgency{Level: "normal"}}}
	if _, err := p.Store(ctx, []*model.Mention{m}); err != nil {
		t.Fatal(err)
	}
	var stale *model.Case
	err = st.WriteBatch(ctx, func(b *store.Batch) error {
		var err error
		stale, err = b.CaseState(ctx, m.CaseID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sweep := notify.SLASweep(st, live, 10)
	at := t0.Add(31 * time.Minute)
	if err := sweep(ctx, at); err != nil {
		t.Fatal(err)
	}
	if err := st.WriteBatch(ctx, func(b *store.Batch) error { return b.UpdateCaseState(ctx, stale) }); err != nil {
		t.Fatal(err)
	}
	if err := sweep(ctx, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	c, _ := st.GetCase(ctx, m.CaseID)
	warnings := 0
	for _, e := range c.Events {
		if e.Type == model.EventSLAWarning {
			warnings++
		}
	}
	alerts, _ := st.JobsByKind(ctx, model.JobKindAlert)
	if warnings != 1 || len(alerts) != 1 {
		t.Errorf("%d warning events, %d alert jobs after a stale write; want 1 each", warnings, len(alerts))
	}
}

func TestStaleTimersDoNotAlert(t *testing.T) {
	ctx := context.Background()
	o, _ := org.Parse([]byte(slaOrg))
	router, _ := route.Compile(o)
	live := route.NewLive(router)
	st := storetest.Open(t)
	p := ingest.New(st, analyze.New(), ingest.Options{Routes: live, Now: func() time.Time { return t0 }})
	m := &model.Mention{Platform: "x", ExternalID: "old", Kind: "post", Direction: "inbound", Text: "where is my card", CreatedAt: t0.Add(-72 * time.Hour),
		Author: model.Author{ID: "a"}, Analysis: &model.Analysis{NeedsResponse: true, Urgency: model.Urgency{Level: "normal"}}}
	if _, err := p.Store(ctx, []*model.Mention{m}); err != nil {
		t.Fatal(err)
	}
	if err := notify.SLASweep(st, live, 10)(ctx, t0); err != nil {
		t.Fatal(err)
	}
	c, _ := st.GetCase(ctx, m.CaseID)
	fired := 0
	for _, e := range c.Events {
		if e.Type == model.EventSLAWarning || e.Type == model.EventSLABreach {
			fired++
		}
	}
	alerts, _ := st.JobsByKind(ctx, model.JobKindAlert)
	if fired != 4 || len(alerts) != 0 { // first response and resolution, warning and breach
		t.Errorf("a 3-day-old case: %d timer events (want 4), %d alerts (want 0)", fired, len(alerts))
	}
}
