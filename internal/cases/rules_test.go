package cases

import (
	"encoding/json"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
)

var t0 = time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)

const policyOrg = `
organization: Test Health
timezone: UTC
teams:
  - {id: care, name: Care, hours: 24/7}
sla_policies:
  - {id: standard, first_response: 1h, next_response: 2h, resolution: 24h, hours: 24/7}
`

// router returns the Router of no organisation file, or with src.
func router(t *testing.T, src string) *route.Router {
	t.Helper()
	var o *org.Org
	if src != "" {
		var err error
		if o, err = org.Parse([]byte(src)); err != nil {
			t.Fatal(err)
		}
	}
	r, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestOpenSetsTheDefaultDeadline(t *testing.T) {
	r := router(t, "")
	for _, tc := range []struct {
		prio  model.Priority
		needs bool
		want  time.Duration
	}{
		{model.PriorityUrgent, true, 15 * time.Minute},
		{model.PriorityLow, true, 24 * time.Hour},
		{"bogus", true, 4 * time.Hour},
		{model.PriorityUrgent, false, 0},
	} {
		c := &model.Case{Priority: tc.prio, CreatedAt: t0}
		Open(r, c, tc.needs)
		if c.Status != model.StatusNew {
			t.Errorf("%s: status %q", tc.prio, c.Status)
		}
		switch {
		case !tc.needs && c.FirstResponseDue != nil:
			t.Errorf("%s: due %v for a mention that needs no response", tc.prio, c.FirstResponseDue)
		case tc.needs && (c.FirstResponseDue == nil || !c.FirstResponseDue.Equal(t0.Add(tc.want))):
			t.Errorf("%s: due %v, want %v", tc.prio, c.FirstResponseDue, t0.Add(tc.want))
		}
	}
}

func TestJoinRaisesPriorityAndReopens(t *testing.T) {
	r := router(t, "")
	for _, tc := range []struct {
		from      model.Status
		wantEvent model.EventType
		actor     string
	}{
		{model.StatusNew, "", ""},
		{model.StatusOpen, "", ""},
		{model.StatusPending, model.EventStatusChanged, ActorRouter},
		{model.StatusResolved, model.EventReopened, ""},
		{model.StatusClosed, model.EventReopened, ""},
	} {
		c := &model.Case{ID: 7, Status: tc.from, Priority: model.PriorityHigh, CreatedAt: t0}
		e, changed := Join(r, c, Inbound{At: t0.Add(time.Hour), Priority: model.PriorityLow}, t0.Add(2*time.Hour))
		if c.Priority != model.PriorityHigh {
			t.Errorf("%s: priority fell to %s", tc.from, c.Priority)
		}
		if changed != (tc.wantEvent != "") || e.Type != tc.wantEvent || e.Actor != tc.actor {
			t.Errorf("%s: event %+v, changed %v", tc.from, e, changed)
			continue
		}
		if !changed {
			if c.Status != tc.from {
				t.Errorf("%s: status became %s", tc.from, c.Status)
			}
			continue
		}
		var d map[string]string
		if err := json.Unmarshal(e.Data, &d); err != nil || d["from"] != string(tc.from) || d["to"] != "open" || c.Status != model.StatusOpen || e.CaseID != 7 {
			t.Errorf("%s: status %s, event data %s", tc.from, c.Status, e.Data)
		}
	}
	c := &model.Case{Status: model.StatusOpen, Priority: model.PriorityNormal, CreatedAt: t0}
	Join(r, c, Inbound{At: t0, Priority: model.PriorityUrgent}, t0)
	if c.Priority != model.PriorityUrgent {
		t.Errorf("priority %s, want it raised to urgent", c.Priority)
	}
}

func TestJoinDefaultDeadline(t *testing.T) {
	r := router(t, "")
	// Unanswered: a later mention keeps the earlier deadline.
	c := &model.Case{Status: model.StatusOpen, Priority: model.PriorityNormal, CreatedAt: t0}
	Open(r, c, true)
	Join(r, c, Inbound{At: t0.Add(time.Hour), Priority: model.PriorityNormal, NeedsResponse: true}, t0)
	if !c.FirstResponseDue.Equal(t0.Add(4 * time.Hour)) {
		t.Errorf("due %v after a later mention, want the first deadline kept", c.FirstResponseDue)
	}
	// An older mention opens the case: counted from it, even when a
	// response was made already (after it).
	answered := t0.Add(30 * time.Minute)
	c.FirstResponseAt = &answered
	c.CreatedAt = t0.Add(-2 * time.Hour)
	Join(r, c, Inbound{At: c.CreatedAt, Priority: model.PriorityNormal, NeedsResponse: true, Opens: true}, t0)
	if !c.FirstResponseDue.Equal(t0.Add(2 * time.Hour)) {
		t.Errorf("due %v after an older mention opened the case, want %v", c.FirstResponseDue, t0.Add(2*time.Hour))
	}
}

func TestRespondKeepsTheEarliestResponse(t *testing.T) {
	r := router(t, policyOrg)
	c := &model.Case{Status: model.StatusNew, Team: "care", SLAPolicy: "standard", Priority: model.PriorityNormal, CreatedAt: t0}
	Open(r, c, true)
	Respond(r, c, t0.Add(40*time.Minute))
	if c.Status != model.StatusOpen || c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(t0.Add(40*time.Minute)) {
		t.Fatalf("after a reply: status %s first response %v", c.Status, c.FirstResponseAt)
	}
	for _, tm := range c.SLATimers {
		if tm.Deadline == model.DeadlineFirstResponse && !tm.Fired {
			t.Errorf("first response timer still runs: %+v", tm)
		}
	}
	Respond(r, c, t0.Add(50*time.Minute))
	Respond(r, c, t0.Add(20*time.Minute))
	if !c.FirstResponseAt.Equal(t0.Add(20 * time.Minute)) {
		t.Errorf("first response %v, want the earliest", c.FirstResponseAt)
	}
	// The member writes again: the next response falls due, and a reply
	// meets it.
	Join(r, c, Inbound{At: t0.Add(2 * time.Hour), Priority: model.PriorityNormal, NeedsResponse: true}, t0)
	if c.NextResponseDue == nil || !c.NextResponseDue.Equal(t0.Add(4*time.Hour)) {
		t.Fatalf("next response due %v", c.NextResponseDue)
	}
	Respond(r, c, t0.Add(3*time.Hour))
	if c.NextResponseDue != nil {
		t.Errorf("next response due %v after a reply", c.NextResponseDue)
	}
}

func TestEngageOpensOnlyNewCases(t *testing.T) {
	for from, want := range map[model.Status]model.Status{
		model.StatusNew: model.StatusOpen, model.StatusPending: model.StatusPending, model.StatusResolved: model.StatusResolved,
	} {
		c := &model.Case{Status: from}
		Engage(c)
		if c.Status != want {
			t.Errorf("Engage on %s: %s, want %s", from, c.Status, want)
		}
	}
}

func TestSetStatusPausesAndResumes(t *testing.T) {
	r := router(t, policyOrg)
	c := &model.Case{ID: 3, Status: model.StatusOpen, Team: "care", SLAPolicy: "standard", Priority: model.PriorityNormal, CreatedAt: t0}
	Open(r, c, true)
	c.Status = model.StatusOpen
	if _, changed := SetStatus(r, c, model.StatusOpen, "ana", t0); changed {
		t.Error("setting the status a case has changed it")
	}
	e, changed := SetStatus(r, c, model.StatusPending, "ana", t0.Add(10*time.Minute))
	if !changed || e.Type != model.EventStatusChanged || e.Actor != "ana" || string(e.Data) != `{"from":"open","to":"pending"}` || c.SLAPausedAt == nil {
		t.Fatalf("to pending: %+v %s, paused %v", e, e.Data, c.SLAPausedAt)
	}
	SetStatus(r, c, model.StatusOpen, "ana", t0.Add(70*time.Minute))
	if c.SLAPausedAt != nil || !c.FirstResponseDue.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("after an hour's pause: paused %v, first response due %v (want %v)", c.SLAPausedAt, c.FirstResponseDue, t0.Add(2*time.Hour))
	}
	SetStatus(r, c, model.StatusResolved, "ana", t0.Add(3*time.Hour))
	if c.ResolutionDue != nil || c.NextSLATimer() != nil {
		t.Errorf("resolved case still has deadlines: resolution %v, next timer %v", c.ResolutionDue, c.NextSLATimer())
	}
}
