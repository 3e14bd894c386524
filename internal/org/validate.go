package org

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"earshot/internal/egress"
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)

// Values the file may use.
var (
	platforms  = []string{"x", "facebook", "instagram", "yelp", "google", "rss", "web", "email", "sms"}
	kinds      = []string{"post", "comment", "review", "direct_message"}
	directions = []string{"inbound", "outbound"}
	sentiments = []string{"negative", "neutral", "positive"}
	urgencies  = []string{"low", "normal", "high", "critical"}
	priorities = []string{"low", "normal", "high", "urgent"}
	targets    = []string{TargetEmail, TargetSMS, TargetSlack, TargetTeams, TargetWebhook}
	events     = []string{OnCritical, OnLowRating, OnSLAWarning, OnSLABreach, OnSpike, OnDigest}
)

// validator collects every problem of a parsed file.
type validator struct {
	root   *yaml.Node
	errs   []FieldError
	o      *Org
	egress egress.Policy
}

func (v *validator) fail(p path, format string, a ...any) {
	v.errs = append(v.errs, FieldError{Line: line(v.root, p), Field: p.String(), Msg: fmt.Sprintf(format, a...)})
}

func (v *validator) id(p path, id, what string, seen map[string]bool) {
	switch {
	case id == "":
		v.fail(p, "%s id is missing", what)
	case !idPattern.MatchString(id):
		v.fail(p, "%s id %q: use lower-case letters, digits, '-', '_' or '.'", what, id)
	case seen[id]:
		v.fail(p, "%s id %q is used twice", what, id)
	}
	seen[id] = true
}

func (v *validator) zone(p path, tz string) {
	if tz == "" {
		return
	}
	if _, err := time.LoadLocation(tz); err != nil {
		v.fail(p, "unknown time zone %q", tz)
	}
}

func (v *validator) oneOf(p path, vals []string, allowed []string) {
	for i, x := range vals {
		if !slices.Contains(allowed, x) {
			v.fail(append(p, i), "%q is not one of %s", x, strings.Join(allowed, ", "))
		}
	}
}

func (v *validator) refs(p path, ids []string, what string, ok func(string) bool) {
	for i, id := range ids {
		if !ok(id) {
			v.fail(append(slices.Clone(p), i), "no %s with id %q", what, id)
		}
	}
}

func (v *validator) org(o *Org) {
	v.o = o
	if strings.TrimSpace(o.Organization) == "" {
		v.fail(path{"organization"}, "organization name is missing")
	}
	if o.Timezone == "" {
		v.fail(path{"timezone"}, "timezone is missing (an IANA name such as America/Chicago)")
	}
	v.zone(path{"timezone"}, o.Timezone)
	if o.BaseURL != "" {
		if u, err := url.Parse(o.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			v.fail(path{"base_url"}, "want an http or https URL")
		}
	}
	seen := map[string]bool{}
	for i, h := range o.Holidays {
		p := path{"holidays", i}
		if _, err := time.Parse("2006-01-02", h.Date); err != nil {
			v.fail(p, "holiday %q: want a date like 2026-12-25", h.Date)
		} else if seen[h.Date] {
			v.fail(p, "holiday %s is listed twice", h.Date)
		}
		seen[h.Date] = true
	}
	teams, sites, tgts, pols := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, t := range o.Teams {
		p := path{"teams", i}
		v.id(append(p, "id"), t.ID, "team", teams)
		if t.Name == "" {
			v.fail(append(p, "name"), "team name is missing")
		}
		v.hours(append(p, "hours"), t.Hours)
		v.zone(append(p, "timezone"), t.Timezone)
		if t.Assign != "" && t.Assign != "round_robin" && t.Assign != "least_loaded" {
			v.fail(append(p, "assign"), "assign must be round_robin or least_loaded")
		}
	}
	for i, s := range o.Sites {
		p := path{"sites", i}
		v.id(append(p, "id"), s.ID, "site", sites)
		if s.Name == "" {
			v.fail(append(p, "name"), "site name is missing")
		}
		v.zone(append(p, "timezone"), s.Timezone)
		for j, a := range s.Aliases {
			if len(strings.TrimSpace(a)) < 2 {
				v.fail(path{"sites", i, "aliases", j}, "alias %q is too short to find in text", a)
			}
		}
	}
	if o.SMTP != nil && o.SMTP.Host != "" {
		if err := v.egress.CheckHost(o.SMTP.Host); err != nil {
			v.fail(path{"smtp", "host"}, "%s", reachable(err))
		}
	}
	for i, a := range o.Alerts {
		v.target(path{"alerts", i}, a, tgts)
	}
	for i, t := range o.Teams {
		v.refs(path{"teams", i, "supervisors"}, t.Supervisors, "alert target", func(s string) bool { return tgts[s] })
	}
	people := map[string]bool{}
	for i, pr := range o.People {
		p := path{"people", i}
		if !strings.Contains(pr.Email, "@") {
			v.fail(append(p, "email"), "email %q is not an address", pr.Email)
		} else if people[strings.ToLower(pr.Email)] {
			v.fail(append(p, "email"), "%s is listed twice", pr.Email)
		}
		people[strings.ToLower(pr.Email)] = true
		v.refs(append(p, "teams"), pr.Teams, "team", func(s string) bool { return teams[s] })
		v.refs(append(p, "sites"), pr.Sites, "site", func(s string) bool { return sites[s] })
	}
	for i, s := range o.SLAPolicies {
		p := path{"sla_policies", i}
		v.id(append(p, "id"), s.ID, "SLA policy", pols)
		v.cond(append(p, "when"), s.When, sites)
		if s.FirstResponse <= 0 {
			v.fail(append(p, "first_response"), "first_response is missing")
		}
		if s.NextResponse < 0 || s.Resolution < 0 {
			v.fail(p, "durations must be positive")
		}
		if s.WarnAt < 0 || s.WarnAt >= 1 {
			v.fail(append(p, "warn_at"), "warn_at must be a share between 0 and 1, like 0.75")
		}
		if s.Hours != "" && s.Hours != "24/7" {
			v.fail(append(p, "hours"), `hours must be "24/7" or left out (the team's hours)`)
		}
		v.refs(append(p, "notify"), s.Notify, "alert target", func(x string) bool { return tgts[x] })
		if e := s.Escalate; e != nil {
			ep := append(p, "escalate")
			v.refs(append(ep, "notify"), e.Notify, "alert target", func(x string) bool { return tgts[x] })
			if e.Priority != "" && !slices.Contains(priorities, e.Priority) {
				v.fail(append(ep, "priority"), "priority must be one of %s", strings.Join(priorities, ", "))
			}
			if e.Team != "" && !teams[e.Team] {
				v.fail(append(ep, "team"), "no team with id %q", e.Team)
			}
		}
	}
	for i, r := range o.Rules {
		p := path{"rules", i}
		if strings.TrimSpace(r.Name) == "" {
			v.fail(append(p, "name"), "rule name is missing")
		}
		v.cond(append(p, "when"), r.When, sites)
		v.action(append(p, "then"), r.Then, teams, sites, tgts, pols, people)
	}
	tpls := map[string]bool{}
	for i, t := range o.Templates {
		p := path{"templates", i}
		v.id(append(p, "id"), t.ID, "template", tpls)
		if t.Name == "" || t.Text == "" {
			v.fail(p, "template needs a name and a text")
		}
	}
	v.channels(sites)
	if o.ReplyApproval != "" && o.ReplyApproval != ApprovalOn && o.ReplyApproval != ApprovalOff {
		v.fail(path{"reply_approval"}, "reply_approval must be on or off, not %q", o.ReplyApproval)
	}
	if o.Digest != "" {
		if _, err := ParseClock(o.Digest); err != nil {
			v.fail(path{"digest"}, "%v", err)
		}
	}
	v.contact(o.Contact)
	v.crisis(o.Crisis)
	v.reports(o.Reports)
	if s := o.Spike; s != nil && (s.Window < 0 || s.Weeks < 0 || s.Factor < 0 || s.MinMentions < 0) {
		v.fail(path{"spike"}, "spike settings must be positive")
	}
}

func (v *validator) hours(p path, h Hours) {
	if !h.Business() {
		return
	}
	if _, err := ParseDays(h.Days); err != nil {
		v.fail(append(p, "days"), "%v", err)
	}
	from, err1 := v.clock(append(p, "from"), h.From)
	to, err2 := v.clock(append(p, "to"), h.To)
	if err1 == nil && err2 == nil && from >= to {
		v.fail(append(p, "to"), "to must be after from")
	}
}

// clock checks a local time of business hours at p.
func (v *validator) clock(p path, s string) (int, error) {
	m, err := ParseClock(s)
	switch {
	case err != nil && s == "":
		v.fail(p, "%s is missing (a time like 08:00)", p[len(p)-1])
	case err != nil:
		v.fail(p, "%v", err)
	}
	return m, err
}

func (v *validator) cond(p path, c Condition, sites map[string]bool) {
	v.oneOf(append(p, "platform"), c.Platform, platforms)
	v.oneOf(append(p, "kind"), c.Kind, kinds)
	v.oneOf(append(p, "direction"), c.Direction, directions)
	v.oneOf(append(p, "sentiment"), c.Sentiment, sentiments)
	v.oneOf(append(p, "urgency"), c.Urgency, urgencies)
	v.oneOf(append(p, "priority"), c.Priority, priorities)
	for i, l := range c.Language {
		if !languageCode(l) {
			v.fail(append(p, "language", i), "%q is not a language code (two or three lower-case letters, such as es or und)", l)
		}
	}
	v.refs(append(p, "site"), c.Site, "site", func(s string) bool { return sites[s] })
	for _, r := range []struct {
		name string
		v    *int
	}{{"rating_min", c.RatingMin}, {"rating_max", c.RatingMax}} {
		if r.v != nil && (*r.v < 1 || *r.v > 5) {
			v.fail(append(p, r.name), "ratings are 1 to 5")
		}
	}
	if w := c.TimeOfDay; w != nil {
		wp := append(p, "time_of_day")
		if _, err := ParseClock(w.From); err != nil {
			v.fail(append(wp, "from"), "%v", err)
		}
		if _, err := ParseClock(w.To); err != nil {
			v.fail(append(wp, "to"), "%v", err)
		}
		if _, err := ParseDays(w.Days); err != nil {
			v.fail(append(wp, "days"), "%v", err)
		}
	}
	for i, k := range c.KeywordsAny {
		if strings.TrimSpace(k) == "" {
			v.fail(append(p, "keywords_any", i), "empty keyword")
		}
	}
}

func (v *validator) action(p path, a Action, teams, sites, tgts, pols, people map[string]bool) {
	if a.Team != "" && !teams[a.Team] {
		v.fail(append(p, "team"), "no team with id %q", a.Team)
	}
	if a.Site != "" && !sites[a.Site] {
		v.fail(append(p, "site"), "no site with id %q", a.Site)
	}
	if a.Priority != "" && !slices.Contains(priorities, a.Priority) {
		v.fail(append(p, "priority"), "priority must be one of %s", strings.Join(priorities, ", "))
	}
	if a.SLA != "" && !pols[a.SLA] {
		v.fail(append(p, "sla"), "no SLA policy with id %q", a.SLA)
	}
	switch {
	case a.Assign == "", a.Assign == "round_robin", a.Assign == "least_loaded":
	case strings.Contains(a.Assign, "@"):
		if !people[strings.ToLower(a.Assign)] {
			v.fail(append(p, "assign"), "%s is not among people", a.Assign)
		}
	default:
		v.fail(append(p, "assign"), "assign must be round_robin, least_loaded or a person's email")
	}
	v.refs(append(p, "alert"), a.Alert, "alert target", func(x string) bool { return tgts[x] })
}

func (v *validator) target(p path, a AlertTarget, seen map[string]bool) {
	v.id(append(p, "id"), a.ID, "alert target", seen)
	httpURL := func() {
		if err := v.egress.CheckURL(a.URL); err != nil {
			v.fail(append(p, "url"), "%s", reachable(err))
		}
	}
	switch a.Type {
	case TargetEmail:
		if len(a.To) == 0 {
			v.fail(append(p, "to"), "email target needs addresses in to")
		}
		for i, t := range a.To {
			if !strings.Contains(t, "@") {
				v.fail(append(p, "to", i), "%q is not an email address", t)
			}
		}
		if v.o.SMTP == nil || v.o.SMTP.Host == "" || v.o.SMTP.From == "" {
			v.fail(append(p, "type"), "email alerts need smtp: {host, from} at the top of the file")
		}
	case TargetSMS:
		httpURL()
		if len(a.To) == 0 || a.From == "" || a.Account == "" || a.SecretEnv == "" {
			v.fail(p, "sms target needs to, from, account and secret_env")
		}
	case TargetSlack, TargetTeams, TargetWebhook:
		httpURL()
	default:
		v.fail(append(p, "type"), "type must be one of %s", strings.Join(targets, ", "))
	}
	v.oneOf(append(p, "on"), a.On, events)
	if a.PerMinute < 0 {
		v.fail(append(p, "per_minute"), "per_minute must be positive")
	}
}

// PrivateTargets says how the operator lets alerts go into private
// networks; it follows a refusal, at apply time and when delivering.
const PrivateTargets = "alerts go into private networks only when the server allows it (earshot serve and apply --allow-private-targets, env EARSHOT_ALLOW_PRIVATE_TARGETS)"

// reachable words a problem of where alerts would go, saying how to
// allow private targets when that is the problem.
func reachable(err error) string {
	var re *egress.RefusedError
	if errors.As(err, &re) {
		return err.Error() + "; " + PrivateTargets
	}
	return err.Error()
}

// Changes lists what applying next over prev removes, as "team claims",
// "rule \"Bad reviews\"" and so on.
func Changes(prev, next *Org) (removed []string) {
	if prev == nil {
		return nil
	}
	gone := func(what string, old, cur []string) {
		for _, id := range old {
			if !slices.Contains(cur, id) {
				removed = append(removed, fmt.Sprintf("%s %q", what, id))
			}
		}
	}
	ids := func(n int, f func(int) string) []string {
		out := make([]string, n)
		for i := range n {
			out[i] = f(i)
		}
		return out
	}
	gone("team", ids(len(prev.Teams), func(i int) string { return prev.Teams[i].ID }), ids(len(next.Teams), func(i int) string { return next.Teams[i].ID }))
	gone("site", ids(len(prev.Sites), func(i int) string { return prev.Sites[i].ID }), ids(len(next.Sites), func(i int) string { return next.Sites[i].ID }))
	gone("person", ids(len(prev.People), func(i int) string { return prev.People[i].Email }), ids(len(next.People), func(i int) string { return next.People[i].Email }))
	gone("holiday", ids(len(prev.Holidays), func(i int) string { return prev.Holidays[i].Date }), ids(len(next.Holidays), func(i int) string { return next.Holidays[i].Date }))
	gone("SLA policy", ids(len(prev.SLAPolicies), func(i int) string { return prev.SLAPolicies[i].ID }), ids(len(next.SLAPolicies), func(i int) string { return next.SLAPolicies[i].ID }))
	gone("rule", ids(len(prev.Rules), func(i int) string { return prev.Rules[i].Name }), ids(len(next.Rules), func(i int) string { return next.Rules[i].Name }))
	gone("alert target", ids(len(prev.Alerts), func(i int) string { return prev.Alerts[i].ID }), ids(len(next.Alerts), func(i int) string { return next.Alerts[i].ID }))
	gone("channel", ids(len(prev.Channels), func(i int) string { return prev.Channels[i].ID }), ids(len(next.Channels), func(i int) string { return next.Channels[i].ID }))
	gone("template", ids(len(prev.Templates), func(i int) string { return prev.Templates[i].ID }), ids(len(next.Templates), func(i int) string { return next.Templates[i].ID }))
	if prev.ApprovalRequired() && !next.ApprovalRequired() {
		removed = append(removed, "reply approval (replies no longer wait for a second person)")
	}
	if prev.Reports != nil && prev.Reports.Weekly != nil && (next.Reports == nil || next.Reports.Weekly == nil) {
		removed = append(removed, "weekly report email (no longer sent)")
	}
	if prev.Crisis != nil && next.Crisis == nil {
		removed = append(removed, "crisis protocol (critical cases no longer show who to call)")
	}
	return removed
}

// languageCode reports whether s looks like an ISO 639 code.
func languageCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}
