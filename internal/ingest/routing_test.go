package ingest

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// routedPipeline returns a pipeline routing by testdata/org.yaml.
func routedPipeline(t testing.TB, now func() time.Time) (*Pipeline, *store.Store) {
	t.Helper()
	src, err := os.ReadFile("testdata/org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o, err := org.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	r, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t)
	live := route.NewLive(r)
	return New(st, analyze.New(), Options{Routes: live, Now: now}), st
}

func TestIngestRoutes(t *testing.T) {
	ctx := context.Background()
	p, st := routedPipeline(t, func() time.Time { return t0 })
	card := mention("1", "ann", "Still no ID card from you, three weeks after enrolling. Dallas Med told me to call you. Useless.", t0)
	r := ingestOne(t, p, card)
	c, err := st.GetCase(ctx, r.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Team != "member-services" || c.Site != "dallas" || c.Assignee == "" {
		t.Errorf("routed to team %q site %q assignee %q", c.Team, c.Site, c.Assignee)
	}
	if c.SLAPolicy == "" || c.FirstResponseDue == nil || c.ResolutionDue == nil || len(c.SLATimers) != 4 {
		t.Errorf("SLA %q first %v resolution %v timers %v", c.SLAPolicy, c.FirstResponseDue, c.ResolutionDue, c.SLATimers)
	}
	var rules []string
	for _, e := range c.Events {
		if e.Type == model.EventRouted {
			var d struct {
				Rules []string `json:"rules"`
			}
			json.Unmarshal(e.Data, &d)
			rules = append(rules, d.Rules...)
		}
	}
	if got := strings.Join(rules, ","); got != "site detection,Cards and enrollment,SLA policy "+c.SLAPolicy+",assignment" {
		t.Errorf("routing events name %q", got)
	}

	// Least loaded: the second new card case goes to the other member.
	r2 := ingestOne(t, p, mention("2", "bob", "Where is my member ID card?", t0))
	c2, _ := st.GetCase(ctx, r2.CaseID)
	if c2.Assignee == "" || c2.Assignee == c.Assignee {
		t.Errorf("least loaded gave %q after %q", c2.Assignee, c.Assignee)
	}

	// A one-star review alerts the risk desk once, from the rule and the
	// subscription together.
	one := 1
	review := mention("3", "cat", "Rude front desk and a two hour wait.", t0)
	review.Platform, review.Kind, review.Rating, review.Channel = "google", "review", &one, "google-dallas"
	r3 := ingestOne(t, p, review)
	c3, _ := st.GetCase(ctx, r3.CaseID)
	if c3.Priority != model.PriorityHigh && c3.Priority != model.PriorityUrgent {
		t.Errorf("bad review priority %q", c3.Priority)
	}
	jobs, err := st.JobsByKind(ctx, JobAlert)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 {
		t.Fatalf("alert jobs: %+v", jobs)
	}
	var a model.Alert
	json.Unmarshal(jobs[0].Payload, &a)
	if a.Target != "risk-desk" || a.CaseID != r3.CaseID || a.Platform != "google" {
		t.Errorf("alert %+v", a)
	}
	// Importing the review again alerts no one.
	ingestOne(t, p, review)
	if jobs, _ := st.JobsByKind(ctx, JobAlert); len(jobs) != 1 {
		t.Errorf("re-import made %d alert jobs", len(jobs))
	}
}

func TestReplyAndPendingRecomputeDeadlines(t *testing.T) {
	ctx := context.Background()
	now := t0
	p, st := routedPipeline(t, func() time.Time { return now })
	r := ingestOne(t, p, mention("1", "ann", "My ID card has the wrong name on it", t0))
	rep := &model.Reply{CaseID: r.CaseID, Text: "Sorry! Please DM us.", Visibility: "public", Author: "agent", CreatedAt: t0.Add(10 * time.Minute)}
	if err := st.AddReply(ctx, rep, cases.Response(p.opts.Routes.Router(), rep.CreatedAt)); err != nil {
		t.Fatal(err)
	}
	c, _ := st.GetCase(ctx, r.CaseID)
	for _, tm := range c.SLATimers {
		if tm.Deadline == model.DeadlineFirstResponse && !tm.Fired {
			t.Errorf("first response timer still runs after the reply: %+v", tm)
		}
	}
	if err := agentAt(st, p.opts.Routes, t0.Add(20*time.Minute)).SetStatus(ctx, r.CaseID, model.StatusPending, "agent"); err != nil {
		t.Fatal(err)
	}
	c, _ = st.GetCase(ctx, r.CaseID)
	if c.SLAPausedAt == nil {
		t.Fatal("pending did not pause the deadlines")
	}
	if ids, _ := st.DueSLACases(ctx, t0.Add(1000*time.Hour), 10); len(ids) != 0 {
		t.Errorf("a paused case has due timers: %v", ids)
	}
	// The member answers: the case opens, deadlines run again and the
	// next response is due.
	now = t0.Add(3 * time.Hour)
	r2 := ingestOne(t, p, mention("2", "ann", "I sent the DM, still waiting", now))
	if r2.CaseID != r.CaseID {
		t.Fatalf("answer opened case %d, want %d", r2.CaseID, r.CaseID)
	}
	c, _ = st.GetCase(ctx, r.CaseID)
	if c.Status != model.StatusOpen || c.SLAPausedAt != nil || c.NextResponseDue == nil {
		t.Errorf("after the member's answer: status %s paused %v next due %v", c.Status, c.SLAPausedAt, c.NextResponseDue)
	}
	if c.ResolutionDue != nil && !c.ResolutionDue.After(t0.Add(72*time.Hour)) && c.SLAPolicy == "standard" {
		t.Errorf("resolution due %v was not moved on by the pause", c.ResolutionDue)
	}
}

func TestOldMentionsDoNotAlert(t *testing.T) {
	ctx := context.Background()
	p, st := routedPipeline(t, func() time.Time { return t0 })
	one := 1
	review := mention("old", "dan", "Rude front desk.", t0.Add(-48*time.Hour))
	review.Platform, review.Kind, review.Rating = "google", "review", &one
	ingestOne(t, p, review)
	if jobs, _ := st.JobsByKind(ctx, JobAlert); len(jobs) != 0 {
		t.Errorf("a two-day-old review raised %d alerts", len(jobs))
	}
}
