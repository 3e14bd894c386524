package report_test

import (
	"context"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/guard"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/report"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// testOrg routes X to the care team, which keeps business hours (Monday
// to Friday, 09:00 to 17:00 UTC), and reviews to the reviews team, which
// works around the clock; a billing mention tags its case.
const testOrg = `
organization: Test Health
timezone: UTC
teams:
  - {id: care, name: Care, hours: {days: mon-fri, from: "09:00", to: "17:00"}}
  - {id: reviews, name: Reviews, hours: 24/7}
rules:
  - {name: Billing tag, when: {intents_any: [billing]}, then: {tags: [billing-issue]}}
  - {name: X, when: {platform: [x]}, then: {team: care}}
  - {name: Reviews, when: {kind: [review]}, then: {team: reviews}}
`

// env is a store written through the real ingest pipeline and case
// service, on a clock the test moves.
type env struct {
	t   *testing.T
	st  *store.Store
	p   *ingest.Pipeline
	svc *cases.Service
	r   *report.Reports
	now time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := storetest.Open(t)
	o, err := org.Parse([]byte(testOrg))
	if err != nil {
		t.Fatal(err)
	}
	router, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	live := route.NewLive(router)
	e := &env{t: t, st: st}
	clock := func() time.Time { return e.now }
	an := analyze.New()
	e.p = ingest.New(st, an, ingest.Options{Routes: live, Now: clock})
	e.svc = cases.NewService(st, live, guard.New(an), clock)
	e.r = report.New(st, report.Options{Router: live.Router})
	return e
}

// mention ingests m at its own time (the clock moves there first) and
// returns its case.
func (e *env) mention(m model.Mention) int64 {
	e.t.Helper()
	if e.now.Before(m.CreatedAt) {
		e.now = m.CreatedAt
	}
	if m.Direction == "" {
		m.Direction = model.DirectionInbound
	}
	if m.Kind == "" {
		m.Kind = model.KindPost
	}
	res, err := e.p.Ingest(context.Background(), []model.Mention{m})
	if err != nil || res[0].Err != nil {
		e.t.Fatalf("ingest %s: %v %v", m.ExternalID, err, res[0].Err)
	}
	return res[0].CaseID
}

// reply has an agent reply on case id at `at`; sent says the outbox
// sent it then.
func (e *env) reply(id int64, at time.Time, vis model.Visibility, text string, sent bool) {
	e.t.Helper()
	e.now = at
	ctx := context.Background()
	r, err := e.svc.Reply(ctx, cases.Draft{CaseID: id, Author: "agent@example.org", Text: text, Visibility: vis})
	if err != nil {
		e.t.Fatalf("reply on case %d: %v", id, err)
	}
	if !sent {
		return
	}
	if _, _, err := e.st.ClaimReply(ctx, id, r.ID, r.DeliveryRound); err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.MarkReplySent(ctx, r.ID, "sent-"+text[:4]+at.Format("150405"), "", at); err != nil {
		e.t.Fatal(err)
	}
}

// status sets case id's status at `at`.
func (e *env) status(id int64, at time.Time, s model.Status) {
	e.t.Helper()
	e.now = at
	if err := e.svc.SetStatus(context.Background(), id, s, "agent@example.org"); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) summary(q report.Query) *report.Summary {
	e.t.Helper()
	s, err := e.r.Summary(context.Background(), q)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func author(handle string) model.Author { return model.Author{ID: handle + "-id", Handle: handle} }

func rating(n int) *int { return &n }
