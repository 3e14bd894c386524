package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	"earshot/internal/notify/smtptest"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store/storetest"
)

// recorder is an httptest endpoint that keeps what it receives.
type recorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	path   string
	header http.Header
	body   string
}

func newRecorder(t *testing.T, status int) *recorder {
	rec := &recorder{}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, recorded{r.URL.Path, r.Header.Clone(), string(b)})
		rec.mu.Unlock()
		w.WriteHeader(status)
		fmt.Fprint(w, `{"sid": "SM1", "status": "queued"}`)
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

const e2eOrg = `
organization: Lone Star Health Plan
timezone: America/Chicago
base_url: https://earshot.example.org
smtp: {host: 127.0.0.1, port: %d, tls: none, from: earshot@example.org}
people:
  - {email: ana@example.org, teams: [member-services]}
teams:
  - {id: member-services, name: Member Services, hours: 24/7, assign: round_robin}
  - {id: risk, name: Risk Management}
sites:
  - {id: dallas, name: Dallas Medical Center, aliases: [DMC, "Dallas Med"], channels: [google-dallas]}
sla_policies:
  - {id: urgent, when: {urgency: [critical]}, first_response: 15m, resolution: 24h}
  - {id: member-cards, when: {intents_any: [id_card]}, first_response: 1h, resolution: 72h, warn_at: 0.75, notify: [on-call, ops-slack, ops-hook]}
  - {id: standard, first_response: 4h}
rules:
  - {name: Cards and enrollment, when: {intents_any: [id_card, enrollment]}, then: {team: member-services}}
  - {name: Bad reviews, when: {kind: review, rating_max: 2}, then: {team: risk, priority: high, alert: [risk-desk]}}
alerts:
  - {id: risk-desk, type: email, to: [risk@example.org], on: [low_rating]}
  - {id: on-call, type: sms, url: "%s", account: AC123, from: "+15550001111", to: ["+15552223333"], secret_env: TEST_SMS_TOKEN}
  - {id: ops-slack, type: slack, url: "%s/services/T0/B0/x"}
  - {id: ops-hook, type: webhook, url: "%s/earshot", secret_env: TEST_HOOK_SECRET}
`

// TestEndToEnd ingests a negative mention about an ID card, sees it
// routed to member services at the right site under the right SLA
// policy, and receives exactly one warning and one breach on SMS, Slack
// and the signed webhook as the clock passes them; a one-star review
// emails the risk desk through SMTP.
func TestEndToEnd(t *testing.T) {
	ctx := context.Background()
	smtp := smtptest.Start(t)
	sms, slack, hook := newRecorder(t, http.StatusCreated), newRecorder(t, http.StatusOK), newRecorder(t, http.StatusOK)
	src := fmt.Sprintf(e2eOrg, smtp.Port(), sms.srv.URL, slack.srv.URL, hook.srv.URL)
	o, err := org.ParseWith([]byte(src), org.Options{Egress: inside()})
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t)
	if _, err := st.ApplyOrg(ctx, []byte(src), o, "test", time.Now()); err != nil {
		t.Fatal(err)
	}
	r, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	live := route.NewLive(r)

	t0 := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	var clockNS atomic.Int64
	clockNS.Store(t0.UnixNano())
	now := func() time.Time { return time.Unix(0, clockNS.Load()).UTC() }
	env := map[string]string{"TEST_SMS_TOKEN": "sms-token", "TEST_HOOK_SECRET": "hook-secret"}
	n := notify.New(notify.Options{Getenv: func(k string) string { return env[k] }, Now: now, Egress: inside()})
	runner := jobs.New(st, jobs.Options{Now: now})
	runner.Every("sla", notify.SLASweep(st, live, 100))
	runner.Handle(model.JobKindAlert, n.Handler(live))
	tick := func() {
		t.Helper()
		if _, err := runner.Tick(ctx); err != nil {
			t.Fatalf("tick: %v", err)
		}
	}
	p := ingest.New(st, analyze.New(), ingest.Options{Routes: live, Now: now})

	text := "Still no ID card three weeks after enrolling, and nobody at Dallas Med picks up the phone. Terrible service."
	res, err := p.Ingest(ctx, []model.Mention{{Platform: "x", Channel: "lonestar", ExternalID: "1", Text: text, CreatedAt: t0,
		Author: model.Author{ID: "9", Handle: "upset_member"}}})
	if err != nil || res[0].Err != nil {
		t.Fatalf("ingest: %v %v", err, res[0].Err)
	}
	c, err := st.GetCase(ctx, res[0].CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Team != "member-services" || c.Site != "dallas" || c.SLAPolicy != "member-cards" || c.Assignee != "ana@example.org" {
		t.Fatalf("routed to team %q site %q policy %q assignee %q", c.Team, c.Site, c.SLAPolicy, c.Assignee)
	}
	if want := t0.Add(time.Hour); c.FirstResponseDue == nil || !c.FirstResponseDue.Equal(want) {
		t.Fatalf("first response due %v, want %v", c.FirstResponseDue, want)
	}

	counts := func() (smsN, slackN, hookN int) { return len(sms.all()), len(slack.all()), len(hook.all()) }
	for _, step := range []struct {
		at                   time.Duration
		sms, slack, webhooks int
	}{
		{0, 0, 0, 0},
		{44 * time.Minute, 0, 0, 0},
		{45 * time.Minute, 1, 1, 1}, // warning at 75% of the hour
		{50 * time.Minute, 1, 1, 1},
		{time.Hour, 2, 2, 2}, // breach
		{3 * time.Hour, 2, 2, 2},
	} {
		clockNS.Store(t0.Add(step.at).UnixNano())
		tick()
		tick()
		if a, b, c := counts(); a != step.sms || b != step.slack || c != step.webhooks {
			t.Fatalf("at +%v: %d SMS, %d Slack, %d webhook deliveries; want %d, %d, %d", step.at, a, b, c, step.sms, step.slack, step.webhooks)
		}
	}

	// The SMS went in Twilio's shape, the webhook was signed, and no text
	// of the mention left Earshot.
	for i, r := range sms.all() {
		form, _ := url.ParseQuery(r.body)
		user, pass, _ := (&http.Request{Header: r.header}).BasicAuth()
		if r.path != "/2010-04-01/Accounts/AC123/Messages.json" || form.Get("To") != "+15552223333" || form.Get("From") != "+15550001111" ||
			user != "AC123" || pass != "sms-token" {
			t.Errorf("SMS %d: %s %v auth %s:%s", i, r.path, form, user, pass)
		}
		want := []string{"Deadline soon", "Deadline missed"}[i]
		if !strings.Contains(form.Get("Body"), want) || !strings.Contains(form.Get("Body"), fmt.Sprintf("/cases/%d", c.ID)) {
			t.Errorf("SMS %d body %q, want %q and a link", i, form.Get("Body"), want)
		}
	}
	var events []string
	for _, r := range hook.all() {
		if !notify.Verify([]byte("hook-secret"), []byte(r.body), r.header.Get(notify.SignatureHeader)) {
			t.Errorf("webhook signature %q does not verify", r.header.Get(notify.SignatureHeader))
		}
		var b notify.WebhookBody
		if err := json.Unmarshal([]byte(r.body), &b); err != nil || b.CaseID != c.ID {
			t.Errorf("webhook body %s: %v", r.body, err)
		}
		events = append(events, b.Event)
	}
	if strings.Join(events, ",") != "sla_warning,sla_breach" {
		t.Errorf("webhook events %v", events)
	}
	for _, r := range append(append(sms.all(), slack.all()...), hook.all()...) {
		if strings.Contains(r.body, "Dallas Med") || strings.Contains(r.body, "enrolling") || strings.Contains(r.body, "upset_member") {
			t.Errorf("alert carries the mention's text: %s", r.body)
		}
	}
	var slackMsg map[string]string
	if err := json.Unmarshal([]byte(slack.all()[1].body), &slackMsg); err != nil || !strings.Contains(slackMsg["text"], "Deadline missed") {
		t.Errorf("Slack body %q: %v", slack.all()[1].body, err)
	}

	// A one-star review alerts the risk desk by email, once.
	one := 1
	res, err = p.Ingest(ctx, []model.Mention{{Platform: "google", Channel: "google-dallas", Kind: "review", ExternalID: "r1",
		Text: "Rude front desk and a two hour wait. Never again.", Rating: &one, CreatedAt: t0.Add(3 * time.Hour),
		Author: model.Author{ID: "77", Handle: "reviewer"}}})
	if err != nil || res[0].Err != nil {
		t.Fatalf("ingest review: %v %v", err, res[0].Err)
	}
	tick()
	tick()
	msgs := smtp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d emails, want 1", len(msgs))
	}
	m := msgs[0]
	if m.From != "earshot@example.org" || len(m.To) != 1 || m.To[0] != "risk@example.org" ||
		!strings.Contains(m.Data, "Low review") || !strings.Contains(m.Data, fmt.Sprintf("case %d", res[0].CaseID)) {
		t.Errorf("email from %s to %v:\n%s", m.From, m.To, m.Data)
	}
	if strings.Contains(m.Data, "front desk") {
		t.Error("email carries the review's text")
	}
	if dead, _ := st.DeadJobs(ctx, 10); len(dead) != 0 {
		t.Errorf("dead jobs: %+v", dead)
	}
}
