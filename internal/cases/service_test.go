package cases_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/guard"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

var t0 = time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)

const slaOrg = `
organization: Test Health
timezone: UTC
teams:
  - {id: care, name: Care, hours: 24/7}
sla_policies:
  - {id: standard, first_response: 1h, next_response: 2h, resolution: 24h, hours: 24/7}
rules:
  - {name: Everything, when: {}, then: {team: care, sla: standard}}
`

// fixture is a store with one case opened by a member's mention at t0,
// routed by src (none when empty), and a service on a clock at *now.
type fixture struct {
	st   *store.Store
	svc  *cases.Service
	live *route.Live
	id   int64
	now  *time.Time
}

func newFixture(t *testing.T, src string) *fixture {
	t.Helper()
	st := storetest.Open(t)
	live := route.NewLive(nil)
	if src != "" {
		o, err := org.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		r, err := route.Compile(o)
		if err != nil {
			t.Fatal(err)
		}
		live = route.NewLive(r)
	}
	now := t0.Add(10 * time.Minute)
	clock := func() time.Time { return now }
	p := ingest.New(st, analyze.New(), ingest.Options{Routes: live, Now: clock})
	res, err := p.Ingest(context.Background(), []model.Mention{{Platform: "x", Channel: "acme", ExternalID: "1",
		Text: "My ID card still has the wrong name on it, please help", CreatedAt: t0, Author: model.Author{ID: "9", Handle: "gil"}}})
	if err != nil || res[0].Err != nil {
		t.Fatalf("ingest: %v %v", err, res[0].Err)
	}
	an := analyze.New()
	return &fixture{st: st, live: live, id: res[0].CaseID, now: &now,
		svc: cases.NewService(st, live, guard.New(an), clock)}
}

func (f *fixture) read(t *testing.T) *model.Case {
	t.Helper()
	c, err := f.st.GetCase(context.Background(), f.id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReplyPolicyRefusals(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "")
	long := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'a'
		}
		return string(b)
	}
	draft := func(change func(d *cases.Draft)) cases.Draft {
		d := cases.Draft{CaseID: f.id, Author: "ana@example.org", Text: "Sorry to hear that, please DM us.", Visibility: model.VisibilityPublic}
		change(&d)
		return d
	}
	for _, tc := range []struct {
		name  string
		d     cases.Draft
		code  string
		field string
	}{
		{"no text", draft(func(d *cases.Draft) { d.Text = "  " }), cases.RefusedMissing, "text"},
		{"text too long", draft(func(d *cases.Draft) { d.Text = long(model.MaxReplyBytes + 1) }), cases.RefusedBadField, "text"},
		{"text with a NUL", draft(func(d *cases.Draft) { d.Text = "a\x00b" }), cases.RefusedBadField, "text"},
		{"no visibility", draft(func(d *cases.Draft) { d.Visibility = "" }), cases.RefusedBadField, "visibility"},
		{"reason too long", draft(func(d *cases.Draft) { d.OverrideReason = long(model.MaxOverrideReasonBytes + 1) }), cases.RefusedBadField, "override_reason"},
		{"template id too long", draft(func(d *cases.Draft) { d.Template = long(model.MaxTemplateIDBytes + 1) }), cases.RefusedBadField, "template"},
		{"unknown template", draft(func(d *cases.Draft) { d.Template = "nope" }), cases.RefusedUnknownTemplate, "template"},
		{"health information", draft(func(d *cases.Draft) { d.Text = "Your member ID XJH123456789 is fixed." }), guard.RefusedPHI, ""},
		{"hidden characters", draft(func(d *cases.Draft) { d.Text = "Call \u202e9910-555-215\u202c please." }), guard.RefusedHidden, ""},
		{"placeholder", draft(func(d *cases.Draft) { d.Text = "Hi {first_name}, please DM us." }), guard.RefusedPlaceholder, ""},
		{"relationship", draft(func(d *cases.Draft) { d.Text = "Sorry about your visit, please DM us." }), guard.RefusedRelationship, ""},
	} {
		_, err := f.svc.Reply(ctx, tc.d)
		ref := cases.AsRefusal(err)
		if ref == nil || ref.Code != tc.code || ref.Field != tc.field {
			t.Errorf("%s: %v (%+v), want %s on %q", tc.name, err, ref, tc.code, tc.field)
			continue
		}
		if isGuard := ref.Guard != nil; isGuard != (tc.field == "" && tc.code != cases.RefusedColleagueReplied) {
			t.Errorf("%s: guard refusal %v", tc.name, ref.Guard)
		}
	}
	if _, err := f.svc.Reply(ctx, draft(func(d *cases.Draft) { d.CaseID = 999999 })); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("reply to a missing case: %v", err)
	}
	if c := f.read(t); len(c.Replies) != 0 || c.FirstResponseAt != nil || c.Status != model.StatusNew {
		t.Fatalf("refused replies changed the case: %d replies, first response %v, status %s", len(c.Replies), c.FirstResponseAt, c.Status)
	}

	// A reason lets a relationship warning go, and is kept.
	rp, err := f.svc.Reply(ctx, draft(func(d *cases.Draft) {
		d.Text, d.OverrideReason = "Sorry about your visit, please DM us.", " they said it first "
	}))
	if err != nil || rp.State != model.ReplyQueued || rp.OverrideReason != "they said it first" {
		t.Fatalf("reply with a reason: %+v, %v", rp, err)
	}
	// A reason given without need is not kept.
	rp, err = f.svc.Reply(ctx, draft(func(d *cases.Draft) { d.OverrideReason = "just because" }))
	if err != nil || rp.OverrideReason != "" {
		t.Fatalf("reply with a needless reason: %+v, %v", rp, err)
	}
	// Someone replied since the author read the case (0 replies seen).
	_, err = f.svc.Reply(ctx, draft(func(d *cases.Draft) { d.CheckSeen, d.Seen = true, 0 }))
	if ref := cases.AsRefusal(err); ref == nil || ref.Code != cases.RefusedColleagueReplied || len(ref.Replies) != 2 {
		t.Fatalf("colleague replied: %v", err)
	}
	if _, err := f.svc.Reply(ctx, draft(func(d *cases.Draft) { d.CheckSeen, d.Seen = true, 2 })); err != nil {
		t.Fatalf("reply having seen the others: %v", err)
	}
}

func TestReplyIsTheFirstResponse(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, slaOrg)
	c := f.read(t)
	if c.SLAPolicy != "standard" || c.FirstResponseDue == nil || c.NextSLATimer() == nil {
		t.Fatalf("routed case: policy %q due %v timers %v", c.SLAPolicy, c.FirstResponseDue, c.SLATimers)
	}
	rp, err := f.svc.Reply(ctx, cases.Draft{CaseID: f.id, Author: "ana@example.org", Text: "Please DM us.", Visibility: model.VisibilityPrivate})
	if err != nil {
		t.Fatal(err)
	}
	c = f.read(t)
	if c.Status != model.StatusOpen || c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(rp.CreatedAt) || !c.LastActivityAt.Equal(rp.CreatedAt) {
		t.Fatalf("after the reply: status %s first response %v activity %v", c.Status, c.FirstResponseAt, c.LastActivityAt)
	}
	for _, tm := range c.SLATimers {
		if tm.Deadline == model.DeadlineFirstResponse && !tm.Fired {
			t.Errorf("first response timer still runs: %+v", tm)
		}
	}
	// A later reply is not the first response.
	*f.now = f.now.Add(time.Hour)
	if _, err := f.svc.Reply(ctx, cases.Draft{CaseID: f.id, Author: "ana@example.org", Text: "Any news?", Visibility: model.VisibilityPrivate}); err != nil {
		t.Fatal(err)
	}
	if c2 := f.read(t); !c2.FirstResponseAt.Equal(*c.FirstResponseAt) {
		t.Errorf("first response moved to %v", c2.FirstResponseAt)
	}
}

func TestApprovalHoldsThenResponds(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "")
	if err := f.st.PutSetting(ctx, store.SettingApproval, "on"); err != nil {
		t.Fatal(err)
	}
	rp, err := f.svc.Reply(ctx, cases.Draft{CaseID: f.id, Author: "ana@example.org", Text: "Sorry about your visit, please DM us.",
		Visibility: model.VisibilityPublic, OverrideReason: "they said it first"})
	if err != nil || rp.State != model.ReplyAwaitingApproval {
		t.Fatalf("held reply: %+v, %v", rp, err)
	}
	if c := f.read(t); c.FirstResponseAt != nil || c.Status != model.StatusNew {
		t.Fatalf("a held reply counted as a response: %v, %s", c.FirstResponseAt, c.Status)
	}
	if err := f.svc.Approve(ctx, f.id, rp.ID, "ANA@example.org"); !errors.Is(err, store.ErrOwnReply) {
		t.Fatalf("author approving: %v", err)
	}
	*f.now = f.now.Add(time.Hour)
	if err := f.svc.Approve(ctx, f.id, rp.ID, "sam@example.org"); err != nil {
		t.Fatal(err)
	}
	c := f.read(t)
	if c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(*f.now) || c.Status != model.StatusOpen || c.Replies[0].State != model.ReplyQueued {
		t.Fatalf("approved: first response %v status %s reply %+v", c.FirstResponseAt, c.Status, c.Replies[0])
	}
	if err := f.svc.Approve(ctx, f.id, rp.ID, "sam@example.org"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("approving twice: %v", err)
	}
	// A reply the guard refuses now is refused on approval too.
	bad := &model.Reply{CaseID: f.id, Text: "Member ID X\u200bJ\u200bH123456789 is fixed.", Visibility: model.VisibilityPublic,
		Author: "ana@example.org", State: model.ReplyAwaitingApproval, CreatedAt: *f.now}
	if err := f.st.AddReply(ctx, bad, nil); err != nil {
		t.Fatal(err)
	}
	if ref := cases.AsRefusal(f.svc.Approve(ctx, f.id, bad.ID, "sam@example.org")); ref == nil || ref.Code != guard.RefusedPHI {
		t.Fatalf("approving health information: %+v", ref)
	}
	if err := f.svc.Reject(ctx, f.id, bad.ID, "sam@example.org", "health information"); err != nil {
		t.Fatal(err)
	}
	if c := f.read(t); c.Replies[1].State != model.ReplyRejected {
		t.Fatalf("rejected reply is %s", c.Replies[1].State)
	}
}

func TestSetStatusThroughTheService(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, slaOrg)
	for _, st := range []model.Status{model.StatusNew, "bogus", ""} {
		if err := f.svc.SetStatus(ctx, f.id, st, "ana"); !errors.Is(err, cases.ErrBadStatus) {
			t.Errorf("status %q: %v", st, err)
		}
	}
	if err := f.svc.SetStatus(ctx, 999999, model.StatusOpen, "ana"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing case: %v", err)
	}
	if err := f.svc.SetStatus(ctx, f.id, model.StatusPending, "ana"); err != nil {
		t.Fatal(err)
	}
	c := f.read(t)
	if c.Status != model.StatusPending || c.SLAPausedAt == nil || !c.UpdatedAt.Equal(*f.now) {
		t.Fatalf("pending: status %s paused %v updated %v", c.Status, c.SLAPausedAt, c.UpdatedAt)
	}
	if ids, _ := f.st.DueSLACases(ctx, t0.Add(1000*time.Hour), 10); len(ids) != 0 {
		t.Errorf("a paused case has due timers: %v", ids)
	}
	events := len(c.Events)
	if err := f.svc.SetStatus(ctx, f.id, model.StatusPending, "ana"); err != nil {
		t.Fatal(err)
	}
	if c := f.read(t); len(c.Events) != events {
		t.Errorf("setting the same status added %d events", len(c.Events)-events)
	}
	*f.now = f.now.Add(time.Hour)
	if err := f.svc.SetStatus(ctx, f.id, model.StatusResolved, "ana"); err != nil {
		t.Fatal(err)
	}
	c = f.read(t)
	if c.Status != model.StatusResolved || c.SLAPausedAt != nil || c.ResolutionDue != nil || c.NextSLATimer() != nil {
		t.Fatalf("resolved: status %s paused %v resolution %v", c.Status, c.SLAPausedAt, c.ResolutionDue)
	}
	last := c.Events[len(c.Events)-1]
	var d map[string]string
	if err := json.Unmarshal(last.Data, &d); err != nil || last.Type != model.EventStatusChanged || last.Actor != "ana" ||
		d["from"] != "pending" || d["to"] != "resolved" {
		t.Errorf("last event %+v %s", last, last.Data)
	}
}

func TestNotesAndTasksAreDatedByTheService(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "")
	n := &model.Note{CaseID: f.id, Text: "Called the member", Author: "ana@example.org", CreatedAt: t0.Add(-time.Hour)}
	if err := f.svc.AddNote(ctx, n); err != nil || !n.CreatedAt.Equal(*f.now) {
		t.Fatalf("note at %v, %v", n.CreatedAt, err)
	}
	tk := &model.Task{CaseID: f.id, Title: "Call back", CreatedBy: "ana@example.org"}
	if err := f.svc.AddTask(ctx, tk); err != nil || !tk.CreatedAt.Equal(*f.now) {
		t.Fatalf("task at %v, %v", tk.CreatedAt, err)
	}
	if err := f.svc.CompleteTask(ctx, f.id, tk.ID, "ana@example.org"); err != nil {
		t.Fatal(err)
	}
	c := f.read(t)
	if len(c.Notes) != 1 || len(c.Tasks) != 1 || !c.Tasks[0].Done {
		t.Fatalf("notes %+v tasks %+v", c.Notes, c.Tasks)
	}
}
