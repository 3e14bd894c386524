package route

import (
	"strings"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/org"
)

const testOrg = `
organization: Lone Star Health Plan
timezone: America/Chicago
holidays: ["2026-12-25"]
people:
  - {email: ana@example.org, teams: [member-services]}
  - {email: ben@example.org, teams: [member-services]}
  - {email: cy@example.org, teams: [member-services], available: false}
teams:
  - {id: member-services, name: Member Services, hours: 24/7, assign: round_robin, supervisors: [supervisors]}
  - {id: claims, name: Claims, hours: {days: mon-fri, from: "08:00", to: "18:00"}, assign: least_loaded}
  - {id: risk, name: Risk}
sites:
  - {id: dallas, name: Dallas Medical Center, aliases: [DMC, "Dallas Med"], channels: [google-dallas]}
  - {id: austin, name: Austin Clinic, channels: [google-austin]}
sla_policies:
  - {id: urgent, when: {urgency: [critical, high]}, first_response: 15m, next_response: 1h, resolution: 24h, warn_at: 0.8,
     notify: [on-call], escalate: {notify_supervisor: true, priority: urgent, team: risk}}
  - {id: claims-sla, when: {platform: email}, first_response: 2h, resolution: 72h}
  - {id: standard, first_response: 1h, next_response: 4h, resolution: 72h}
rules:
  - {name: Cards and enrollment, when: {intents_any: [id_card, enrollment]}, then: {team: member-services, tags: [cards]}}
  - {name: Claims, when: {intents_any: [claim], sentiment: negative}, then: {team: claims, sla: claims-sla}}
  - {name: Bad reviews, when: {kind: review, rating_max: 2}, then: {priority: high, alert: [risk-desk]}}
  - {name: Influencers, when: {followers_min: 10000, verified: true}, then: {priority: high, tags: [influencer]}}
  - {name: Night lawsuits, when: {keywords_any: [lawyer, lawsuit], time_of_day: {from: "18:00", to: "08:00"}}, then: {team: risk, alert: [on-call]}}
  - {name: Dallas, when: {site: dallas}, then: {tags: [dallas]}}
  - {name: Spanish, when: {language: [es]}, then: {tags: [spanish]}}
alerts:
  - {id: risk-desk, type: webhook, url: "https://risk.example.org/hook", on: [low_rating]}
  - {id: on-call, type: sms, url: "https://sms.example.org", account: AC1, from: "+15550000000", to: ["+15551111111"], secret_env: SMS_TOKEN, on: [critical, sla_breach]}
  - {id: supervisors, type: slack, url: "https://hooks.slack.example.org/x"}
`

func testRouter(t testing.TB) *Router {
	t.Helper()
	o, err := org.Parse([]byte(testOrg))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mention(text string, f func(m *model.Mention)) *model.Mention {
	m := &model.Mention{Platform: "x", Kind: "post", Direction: "inbound", Text: text,
		CreatedAt: time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC), // 09:00 in Chicago
		Analysis:  &model.Analysis{Sentiment: model.Sentiment{Label: "neutral"}, Urgency: model.Urgency{Level: "normal"}}}
	if f != nil {
		f(m)
	}
	return m
}

func TestRoute(t *testing.T) {
	r := testRouter(t)
	rating := func(n int) *int { return &n }
	for _, tc := range []struct {
		name                      string
		m                         *model.Mention
		team, site, priority, sla string
		tags, alerts, rules       string
	}{
		{name: "id card to member services, standard SLA",
			m:    mention("My new ID card never came", func(m *model.Mention) { m.Analysis.Intents = []string{"id_card"} }),
			team: "member-services", sla: "standard", tags: "cards", rules: "Cards and enrollment,SLA policy standard"},
		{name: "urgent policy by urgency",
			m:    mention("card", func(m *model.Mention) { m.Analysis.Intents = []string{"id_card"}; m.Analysis.Urgency.Level = "high" }),
			team: "member-services", sla: "urgent", tags: "cards", rules: "Cards and enrollment,SLA policy urgent"},
		{name: "claims rule names its SLA",
			m: mention("claim denied again", func(m *model.Mention) {
				m.Analysis.Intents = []string{"claim"}
				m.Analysis.Sentiment.Label = "negative"
			}),
			team: "claims", sla: "claims-sla", rules: "Claims"},
		{name: "claims rule needs negative sentiment",
			m:   mention("how do I file a claim", func(m *model.Mention) { m.Analysis.Intents = []string{"claim"} }),
			sla: "standard", rules: "SLA policy standard"},
		{name: "one-star review at a site by channel",
			m: mention("Waited three hours", func(m *model.Mention) {
				m.Platform, m.Kind, m.Channel, m.Rating = "google", "review", "google-dallas", rating(1)
			}),
			site: "dallas", priority: "high", sla: "standard", tags: "dallas", alerts: "risk-desk:rule,risk-desk:low_rating",
			rules: "site detection,Bad reviews,Dallas,SLA policy standard"},
		{name: "three-star review is not bad",
			m:   mention("ok", func(m *model.Mention) { m.Kind, m.Rating = "review", rating(3) }),
			sla: "standard", rules: "SLA policy standard"},
		{name: "site by alias in text, word boundaries",
			m:    mention("Parking at DMC is a mess", nil),
			site: "dallas", sla: "standard", tags: "dallas", rules: "site detection,Dallas,SLA policy standard"},
		{name: "alias inside a word does not count",
			m:   mention("admc pharmacy", nil),
			sla: "standard", rules: "SLA policy standard"},
		{name: "site by place",
			m:    mention("nice staff", func(m *model.Mention) { m.Place = "Austin Clinic, 5th St" }),
			site: "austin", sla: "standard", rules: "site detection,SLA policy standard"},
		{name: "influencer needs verified",
			m:   mention("hmm", func(m *model.Mention) { m.Author.Followers = 50000 }),
			sla: "standard", rules: "SLA policy standard"},
		{name: "verified influencer",
			m:        mention("hmm", func(m *model.Mention) { m.Author.Followers, m.Author.Verified = 50000, true }),
			priority: "high", sla: "standard", tags: "influencer", rules: "Influencers,SLA policy standard"},
		{name: "lawsuit at night (20:00 Chicago)",
			m: mention("calling my lawyer", func(m *model.Mention) {
				m.CreatedAt = time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)
			}),
			team: "risk", sla: "standard", alerts: "on-call:rule", rules: "Night lawsuits,SLA policy standard"},
		{name: "lawsuit in the day",
			m:   mention("calling my lawyer", nil),
			sla: "standard", rules: "SLA policy standard"},
		{name: "critical urgency alerts subscribers",
			m:   mention("help", func(m *model.Mention) { m.Analysis.Urgency.Level = "critical" }),
			sla: "urgent", alerts: "on-call:critical", rules: "SLA policy urgent"},
		{name: "by detected language",
			m:   mention("necesito mi tarjeta", func(m *model.Mention) { m.Analysis.Language = "es" }),
			sla: "standard", tags: "spanish", rules: "Spanish,SLA policy standard"},
		{name: "other language",
			m:   mention("I need my card", func(m *model.Mention) { m.Analysis.Language = "en" }),
			sla: "standard", rules: "SLA policy standard"},
		{name: "outbound raises no alert",
			m:   mention("help", func(m *model.Mention) { m.Analysis.Urgency.Level = "critical"; m.Direction = "outbound" }),
			sla: "urgent", rules: "SLA policy urgent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := r.Route(tc.m, nil)
			var alerts, rules []string
			for _, a := range d.Alerts {
				alerts = append(alerts, a.Target+":"+a.Event)
			}
			for _, s := range d.Steps {
				rules = append(rules, s.Rule)
			}
			got := []string{d.Team, d.Site, string(d.Priority), d.SLA, strings.Join(d.Tags, ","), strings.Join(alerts, ","), strings.Join(rules, ",")}
			want := []string{tc.team, tc.site, tc.priority, tc.sla, tc.tags, tc.alerts, tc.rules}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("team|site|priority|sla|tags|alerts|rules\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestRouteExistingCase(t *testing.T) {
	r := testRouter(t)
	c := &model.Case{Site: "austin", SLAPolicy: "standard", Priority: "normal", Team: "claims"}
	d := r.Route(mention("DMC again", func(m *model.Mention) { m.Analysis.Intents = []string{"id_card"} }), c)
	if d.Site != "" || d.SLA != "" {
		t.Errorf("an existing case's site and SLA must stay: %+v", d)
	}
	if changed := Apply(c, d, false); !changed || c.Team != "claims" || len(c.Tags) != 1 {
		t.Errorf("Apply on existing case: %v %+v", changed, c)
	}
}

func TestAssignee(t *testing.T) {
	r := testRouter(t)
	var got []string
	for range 4 {
		got = append(got, r.Assignee("", "member-services", nil))
	}
	if strings.Join(got, ",") != "ana@example.org,ben@example.org,ana@example.org,ben@example.org" {
		t.Errorf("round robin skipping the unavailable: %v", got)
	}
	load := map[string]int{"ana@example.org": 5, "ben@example.org": 2}
	if a := r.Assignee("least_loaded", "member-services", load); a != "ben@example.org" {
		t.Errorf("least loaded = %q", a)
	}
	if a := r.Assignee("", "claims", nil); a != "" {
		t.Errorf("a team without members assigned %q", a)
	}
	if a := r.Assignee("cy@example.org", "claims", nil); a != "cy@example.org" {
		t.Errorf("named assignee = %q", a)
	}
}
