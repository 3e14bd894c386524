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

	// How each deadline ended stays, with its due time: the first
	// response met late at 20m (due 15m); the next response, due 90m and
	// moved by the 2h pause to 210m, stopped by resolving at 4h; the
	// resolution, due 24h and moved to 26h, met at 4h.
	type ending struct{ stage, at, due time.Duration }
	want := map[string]ending{
		model.DeadlineFirstResponse: {0, 20 * time.Minute, 15 * time.Minute},
		model.DeadlineNextResponse:  {1, 4 * time.Hour, 210 * time.Minute},
		model.DeadlineResolution:    {0, 4 * time.Hour, 26 * time.Hour},
	}
	stages := []string{model.StageMet, model.StageStopped}
	n := 0
	for _, tm := range c.SLATimers {
		if tm.Stage != model.StageMet && tm.Stage != model.StageStopped {
			continue
		}
		n++
		w := want[tm.Deadline]
		if !tm.Fired || tm.Stage != stages[w.stage] || !tm.At.Equal(opened.Add(w.at)) || !tm.Due.Equal(opened.Add(w.due)) {
			t.Errorf("%s ended %s at %v due %v (fired %v); want %s at %v due %v", tm.Deadline, tm.Stage, tm.At.Sub(opened), tm.Due.Sub(opened),
				tm.Fired, stages[w.stage], w.at, w.due)
		}
	}
	if n != 3 {
		t.Errorf("%d endings kept, want 3: %+v", n, c.SLATimers)
	}
}

// TestWarningMovesWithItsPausedDeadline: a warning that fired before the
// case was paused takes the deadline's new due time when it resumes, so
// the two read as one deadline; the breach then meets its answer.
func TestWarningMovesWithItsPausedDeadline(t *testing.T) {
	r := testRouter(t)
	opened := time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)
	c := &model.Case{Team: "member-services", SLAPolicy: "standard", CreatedAt: opened}
	r.Open(c, true)                       // first response due 1h, warning at 45m
	r.Fire(c, opened.Add(50*time.Minute)) // the warning
	r.StatusChanged(c, model.StatusOpen, model.StatusPending, opened.Add(55*time.Minute))
	r.Inbound(c, opened.Add(115*time.Minute), true) // an hour paused: due 2h
	r.Replied(c, opened.Add(118*time.Minute))
	var dues []time.Duration
	for _, tm := range c.SLATimers {
		if tm.Deadline == model.DeadlineFirstResponse {
			dues = append(dues, tm.Due.Sub(opened))
			if tm.Stage == model.StageBreach {
				t.Errorf("breach timer left after the answer: %+v", tm)
			}
		}
	}
	if len(dues) != 2 || dues[0] != 2*time.Hour || dues[1] != 2*time.Hour {
		t.Errorf("first response warning and ending due at %v; want both at 2h", dues)
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
