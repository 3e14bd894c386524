package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/guard"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/notify"
	"earshot/internal/org"
	"earshot/internal/report"
	"earshot/internal/route"
	"earshot/internal/store/storetest"
)

const deadlineOrg = `
organization: Test Health
timezone: UTC
teams:
  - {id: care, name: Care, hours: 24/7}
sla_policies:
  - {id: standard, first_response: 1h, next_response: 2h, resolution: 24h, warn_at: 0.75, hours: 24/7}
rules:
  - {name: Everything, when: {}, then: {team: care, sla: standard}}
`

// TestDeadlinePerformance plays cases through the pipeline, the case
// service and the SLA sweep on a clock, and counts their deadlines at
// t0+3h. The policy: first response 1h, next response 2h, resolution
// 24h, warning at 75% (45m for the first response). The sweep runs once,
// at t0+50m, and fires the first-response warnings of B and D.
//
//	A (acme)      answered at 30m: first response met; resolved at 2h: resolution met
//	B (acme)      warned at 50m, answered at 70m: met late, breached (warned)
//	C (acme)      pending from 10m to the member's mention at 2h: the 1h due
//	              moves by the 50m it had left to 2h50m; answered at 2h30m: met
//	D (acme-help) never answered: due at 1h, breached (warned), though the sweep
//	              never fired its breach
//	E (acme-help) answered at 20m: met; the member writes at 40m (next response
//	              due 2h40m), answered at 1h: met; writes again at 90m: next
//	              response due 3h30m, still running at 3h, not counted
//	F (acme)      opened the day before the window: not counted
//	G (acme)      resolved at 20m without an answer: first response stopped
//	              before its due time, not counted; resolution met
//
// Resolutions of B, C, D, E fall due at 24h or later: still running.
//
//	first_response: A met, B breached, C met, D breached, E met  -> due 5, met 3, warned 2, breached 2
//	next_response:  E's first                                    -> due 1, met 1
//	resolution:     A, G                                         -> due 2, met 2
//	all: due 8, met 6, warned 2, breached 2, met_rate 6/8 = 0.75
//	channel acme (A, B, C, G):   due 5 (A 2, B 1, C 1, G 1), met 4, warned 1, breached 1, 0.8
//	channel acme-help (D, E):    due 3 (D 1, E 2), met 2, warned 1, breached 1, 0.6667
func TestDeadlinePerformance(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	o, err := org.Parse([]byte(deadlineOrg))
	if err != nil {
		t.Fatal(err)
	}
	rt, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	live := route.NewLive(rt)
	t0 := time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)
	now := t0
	clock := func() time.Time { return now }
	p := ingest.New(st, analyze.New(), ingest.Options{Routes: live, Now: clock})
	svc := cases.NewService(st, live, guard.New(analyze.New()), clock)
	ids := map[string]int64{}
	written := 0
	write := func(who, channel string, at time.Time) {
		t.Helper()
		written++
		res, err := p.Store(ctx, []*model.Mention{{Platform: "x", Channel: channel, ExternalID: fmt.Sprint(written),
			Kind: "post", Direction: model.DirectionInbound, Text: "My ID card still has the wrong name on it, please help", CreatedAt: at,
			Author: model.Author{ID: who, Handle: who},
			Analysis: &model.Analysis{Sentiment: model.Sentiment{Label: "negative"}, Intents: []string{"id_card"},
				Urgency: model.Urgency{Level: "normal"}, NeedsResponse: true}}})
		if err != nil || res[0].Err != nil {
			t.Fatalf("mention of %s: %v %v", who, err, res[0].Err)
		}
		if id, ok := ids[who]; ok && id != res[0].CaseID {
			t.Fatalf("%s's mention opened case %d, not joined %d", who, res[0].CaseID, id)
		}
		ids[who] = res[0].CaseID
	}
	at := func(d time.Duration, do func()) {
		t.Helper()
		now = t0.Add(d)
		do()
	}
	reply := func(who string) func() {
		return func() {
			t.Helper()
			if _, err := svc.Reply(ctx, cases.Draft{CaseID: ids[who], Author: "ana@example.org", Text: "Sorry, please DM us.", Visibility: model.VisibilityPrivate}); err != nil {
				t.Fatalf("reply to %s: %v", who, err)
			}
		}
	}
	status := func(who string, s model.Status) func() {
		return func() {
			t.Helper()
			if err := svc.SetStatus(ctx, ids[who], s, "ana@example.org"); err != nil {
				t.Fatalf("%s %s: %v", who, s, err)
			}
		}
	}
	at(-24*time.Hour, func() { write("F", "acme", now) })
	at(0, func() {
		for _, who := range []string{"A", "B", "C", "G"} {
			write(who, "acme", now)
		}
		write("D", "acme-help", now)
		write("E", "acme-help", now)
	})
	at(10*time.Minute, status("C", model.StatusPending))
	at(20*time.Minute, reply("E"))
	at(20*time.Minute, status("G", model.StatusResolved))
	at(30*time.Minute, reply("A"))
	at(40*time.Minute, func() { write("E", "acme-help", now) })
	at(50*time.Minute, func() {
		if err := notify.SLASweep(st, live, 0)(ctx, now); err != nil {
			t.Fatal(err)
		}
	})
	at(60*time.Minute, reply("E"))
	at(70*time.Minute, reply("B"))
	at(90*time.Minute, func() { write("E", "acme-help", now) })
	at(120*time.Minute, status("A", model.StatusResolved))
	at(120*time.Minute, func() { write("C", "acme", now) })
	at(150*time.Minute, reply("C"))
	now = t0.Add(3 * time.Hour)

	r := report.New(st, report.Options{Now: clock})
	type counts struct{ due, met, warned, breached int64 }
	check := func(name string, got report.DeadlineCounts, want counts) {
		t.Helper()
		w := report.DeadlineCounts{Due: want.due, Met: want.met, Warned: want.warned, Breached: want.breached}
		if want.due > 0 {
			w.MetRate = float64(int64(float64(want.met)/float64(want.due)*10000+0.5)) / 10000
		}
		if got != w {
			t.Errorf("%s: %+v, want %+v", name, got, w)
		}
	}
	from, to := t0, t0.Add(24*time.Hour)
	s, err := r.Summary(ctx, report.Query{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	d := s.Deadlines
	check("all", d.DeadlineCounts, counts{8, 6, 2, 2})
	check("first_response", d.ByKind[model.DeadlineFirstResponse], counts{5, 3, 2, 2})
	check("next_response", d.ByKind[model.DeadlineNextResponse], counts{1, 1, 0, 0})
	check("resolution", d.ByKind[model.DeadlineResolution], counts{2, 2, 0, 0})
	check("team care", d.ByTeam["care"], counts{8, 6, 2, 2})
	check("policy standard", d.ByPolicy["standard"], counts{8, 6, 2, 2})
	if len(d.ByKind) != 3 || len(d.ByTeam) != 1 || len(d.ByPolicy) != 1 {
		t.Errorf("keys: by kind %v, by team %v, by policy %v", d.ByKind, d.ByTeam, d.ByPolicy)
	}

	all, groups, err := report.DeadlinesForTest(ctx, r, report.Query{From: from, To: to, GroupBy: report.GroupChannel})
	if err != nil {
		t.Fatal(err)
	}
	check("grouped, all", all.DeadlineCounts, counts{8, 6, 2, 2})
	if len(groups) != 2 {
		t.Fatalf("groups %v", groups)
	}
	check("acme", groups["acme"].DeadlineCounts, counts{5, 4, 1, 1})
	check("acme first_response", groups["acme"].ByKind[model.DeadlineFirstResponse], counts{3, 2, 1, 1})
	check("acme-help", groups["acme-help"].DeadlineCounts, counts{3, 2, 1, 1})
	check("acme-help next_response", groups["acme-help"].ByKind[model.DeadlineNextResponse], counts{1, 1, 0, 0})

	// Every case's mentions carry the one intent id_card.
	_, byIntent, err := report.DeadlinesForTest(ctx, r, report.Query{From: from, To: to, GroupBy: report.GroupIntent})
	if err != nil || len(byIntent) != 1 {
		t.Fatalf("by intent: %v %v", byIntent, err)
	}
	check("intent id_card", byIntent["id_card"].DeadlineCounts, counts{8, 6, 2, 2})

	only, _, err := report.DeadlinesForTest(ctx, r, report.Query{From: from, To: to, Filter: report.Filter{Channel: "acme-help"}})
	if err != nil {
		t.Fatal(err)
	}
	check("filter channel acme-help", only.DeadlineCounts, counts{3, 2, 1, 1})
}
