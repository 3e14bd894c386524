package route

import (
	"testing"
	"time"

	"earshot/internal/model"
)

func timers(c *model.Case) map[string]time.Time {
	out := map[string]time.Time{}
	for _, t := range c.SLATimers {
		if !t.Fired {
			out[t.Deadline+"/"+t.Stage] = t.At
		}
	}
	return out
}

func TestDeadlinesLifecycle(t *testing.T) {
	r := testRouter(t)
	chicago, _ := time.LoadLocation("America/Chicago")
	opened := time.Date(2026, 3, 3, 9, 0, 0, 0, chicago)
	c := &model.Case{Team: "member-services", SLAPolicy: "urgent", Priority: "high", CreatedAt: opened}
	r.Open(c, true)
	if want := opened.Add(15 * time.Minute); c.FirstResponseDue == nil || !c.FirstResponseDue.Equal(want) {
		t.Fatalf("first response due %v, want %v", c.FirstResponseDue, want)
	}
	tm := timers(c)
	if !tm["first_response/warning"].Equal(opened.Add(12*time.Minute)) || !tm["resolution/breach"].Equal(opened.Add(24*time.Hour)) {
		t.Fatalf("timers %v", tm)
	}
	if n := c.NextSLATimer(); n == nil || !n.Equal(opened.Add(12*time.Minute)) {
		t.Fatalf("next timer %v", n)
	}

	// The warning fires once, then the breach escalates.
	f := r.Fire(c, opened.Add(13*time.Minute))
	if len(f) != 1 || f[0].Timer.Stage != model.StageWarning || len(f[0].Targets) != 1 || f[0].Targets[0] != "on-call" {
		t.Fatalf("warning firings %+v", f)
	}
	if f := r.Fire(c, opened.Add(14*time.Minute)); len(f) != 0 {
		t.Fatalf("fired twice: %+v", f)
	}
	f = r.Fire(c, opened.Add(16*time.Minute))
	if len(f) != 1 || f[0].Timer.Stage != model.StageBreach {
		t.Fatalf("breach firings %+v", f)
	}
	if got := f[0].Targets; len(got) != 2 || got[0] != "on-call" || got[1] != "supervisors" {
		t.Errorf("breach targets %v", got)
	}
	if c.Priority != "urgent" || c.Team != "risk" || f[0].Changes["team"] != "risk" {
		t.Errorf("escalation: priority %s team %s changes %v", c.Priority, c.Team, f[0].Changes)
	}

	// A reply meets the first response; the member writes again: the
	// next response is due in an hour.
	c.Team = "member-services"
	r.Replied(c, opened.Add(20*time.Minute))
	c.FirstResponseAt = new(opened.Add(20 * time.Minute)) // as cases.Respond records it
	if _, ok := timers(c)["first_response/breach"]; ok {
		t.Error("first response timers still run after a reply")
	}
	r.Inbound(c, opened.Add(30*time.Minute), true)
	if c.NextResponseDue == nil || !c.NextResponseDue.Equal(opened.Add(90*time.Minute)) {
		t.Fatalf("next response due %v", c.NextResponseDue)
	}

	// Pending pauses; the member's answer two hours later resumes with
	// the time that was left.
	r.StatusChanged(c, model.StatusOpen, model.StatusPending, opened.Add(40*time.Minute))
	if c.NextSLATimer() != nil {
		t.Error("a paused case has a running timer")
	}
	if f := r.Fire(c, opened.Add(10*time.Hour)); len(f) != 0 {
		t.Errorf("a paused case fired %+v", f)
	}
	r.Inbound(c, opened.Add(160*time.Minute), true) // resumes
	if c.SLAPausedAt != nil || !c.NextResponseDue.Equal(opened.Add(210*time.Minute)) {
		t.Errorf("after resume: paused %v next due %v, want %v", c.SLAPausedAt, c.NextResponseDue, opened.Add(210*time.Minute))
	}
	r.StatusChanged(c, model.StatusOpen, model.StatusResolved, opened.Add(4*time.Hour))
	if len(timers(c)) != 0 || c.NextSLATimer() != nil {
		t.Errorf("resolved case keeps timers %v", timers(c))
	}
}

func TestDeadlinesBusinessHours(t *testing.T) {
	r := testRouter(t)
	chicago, _ := time.LoadLocation("America/Chicago")
	// Friday 17:30 before the spring DST change; claims work mon-fri 8-18.
	opened := time.Date(2026, 3, 6, 17, 30, 0, 0, chicago)
	c := &model.Case{Team: "claims", SLAPolicy: "claims-sla", CreatedAt: opened}
	r.Open(c, true)
	want := time.Date(2026, 3, 9, 9, 30, 0, 0, chicago) // 30 min Friday + 1.5 h Monday
	if !c.FirstResponseDue.Equal(want) {
		t.Errorf("business first response due %v, want %v", c.FirstResponseDue.In(chicago), want)
	}
	if w := timers(c)["first_response/warning"]; !w.Equal(time.Date(2026, 3, 9, 9, 0, 0, 0, chicago)) {
		t.Errorf("warning at %v", w.In(chicago))
	}
	// Without an SLA policy the default first-response time applies, and
	// no timers run.
	d := &model.Case{Priority: "high", CreatedAt: opened}
	r.Open(d, true)
	if !d.FirstResponseDue.Equal(opened.Add(time.Hour)) || len(d.SLATimers) != 0 {
		t.Errorf("default policy: %v %v", d.FirstResponseDue, d.SLATimers)
	}
}

// A mention older than a case's first one, come later, opens the case:
// its deadlines count from the earlier opening, and a mention from
// before our first response asks for no next one.
func TestDeadlinesBackdated(t *testing.T) {
	r := testRouter(t)
	opened := time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)
	c := &model.Case{Team: "member-services", SLAPolicy: "urgent", Priority: "high", CreatedAt: opened}
	r.Open(c, true)

	earlier := opened.Add(-2 * time.Hour)
	c.CreatedAt = earlier
	r.Backdate(c, true)
	if want := earlier.Add(15 * time.Minute); c.FirstResponseDue == nil || !c.FirstResponseDue.Equal(want) {
		t.Fatalf("first response due %v, want %v", c.FirstResponseDue, want)
	}
	tm := timers(c)
	if !tm["first_response/breach"].Equal(earlier.Add(15*time.Minute)) || !tm["resolution/breach"].Equal(earlier.Add(24*time.Hour)) {
		t.Fatalf("timers %v", tm)
	}
	if c.ResolutionDue == nil || !c.ResolutionDue.Equal(earlier.Add(24*time.Hour)) {
		t.Fatalf("resolution due %v", c.ResolutionDue)
	}

	// Answered; a mention from before the answer, come late, asks for no
	// next response, one after it does.
	r.Replied(c, earlier.Add(10*time.Minute))
	c.FirstResponseAt = new(earlier.Add(10 * time.Minute))
	r.Inbound(c, earlier.Add(5*time.Minute), true)
	if c.NextResponseDue != nil {
		t.Fatalf("next response due %v for a mention before the first response", c.NextResponseDue)
	}
	r.Inbound(c, earlier.Add(20*time.Minute), true)
	if want := earlier.Add(80 * time.Minute); c.NextResponseDue == nil || !c.NextResponseDue.Equal(want) {
		t.Fatalf("next response due %v, want %v", c.NextResponseDue, want)
	}

	// A pause ended by a mention from before it loses no time.
	r.StatusChanged(c, model.StatusOpen, model.StatusPending, earlier.Add(30*time.Minute))
	r.Inbound(c, earlier, true)
	if want := earlier.Add(80 * time.Minute); c.SLAPausedAt != nil || !c.NextResponseDue.Equal(want) {
		t.Errorf("after resume: paused %v, next due %v, want %v", c.SLAPausedAt, c.NextResponseDue, want)
	}
}
