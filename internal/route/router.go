package route

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"earshot/internal/model"
	"earshot/internal/org"
)

// Router routes mentions by one organisation file. Build it with
// Compile; it is safe for concurrent use and does no I/O.
type Router struct {
	org       *org.Org
	loc       *time.Location
	rules     []rule
	policies  []policy
	sites     []site
	calendars map[string]*Calendar // by team id; "" for the organisation
	members   map[string][]string  // available members by team
	subs      map[string][]string  // alert targets by event
	// rr counts round-robin assignments per team. It lives as long as
	// the Router (until the next apply) and is not shared by replicas,
	// which each rotate on their own.
	rr map[string]*atomic.Uint64
}

type rule struct {
	name string
	when cond
	then org.Action
}

type policy struct {
	p    *org.SLAPolicy
	when cond
}

type site struct {
	id       string
	channels []string
	needles  []string // lower-case name and aliases
}

// cond is a compiled Condition.
type cond struct {
	c        org.Condition
	keywords []string
	window   *window
}

type window struct {
	from, to int
	days     [7]bool
}

// Compile checks an organisation file's references and builds its Router.
// A nil file gives a Router with no rules that counts deadlines by
// DefaultPolicy.
func Compile(o *org.Org) (*Router, error) {
	if o == nil {
		o = &org.Org{Timezone: "UTC"}
	}
	loc, err := time.LoadLocation(o.Timezone)
	if err != nil {
		return nil, fmt.Errorf("organisation time zone: %w", err)
	}
	r := &Router{org: o, loc: loc, calendars: map[string]*Calendar{"": {loc: loc}}, members: map[string][]string{},
		subs: map[string][]string{}, rr: map[string]*atomic.Uint64{}}
	var holidays []string
	for _, h := range o.Holidays {
		holidays = append(holidays, h.Date)
	}
	for _, t := range o.Teams {
		tl := loc
		if t.Timezone != "" {
			if tl, err = time.LoadLocation(t.Timezone); err != nil {
				return nil, fmt.Errorf("team %s: %w", t.ID, err)
			}
		}
		if r.calendars[t.ID], err = NewCalendar(t.Hours, tl, holidays); err != nil {
			return nil, fmt.Errorf("team %s: %w", t.ID, err)
		}
		r.rr[t.ID] = new(atomic.Uint64)
	}
	for _, p := range o.People {
		if !p.IsAvailable() {
			continue
		}
		for _, t := range p.Teams {
			r.members[t] = append(r.members[t], strings.ToLower(p.Email))
		}
	}
	for _, s := range o.Sites {
		cs := site{id: s.ID, channels: slices.Clone(s.Channels), needles: []string{strings.ToLower(s.Name)}}
		// A channel of the file that names its site is one of the site's.
		for _, c := range o.Channels {
			if c.Site == s.ID {
				cs.channels = append(cs.channels, c.ID)
			}
		}
		for _, a := range s.Aliases {
			cs.needles = append(cs.needles, strings.ToLower(strings.TrimSpace(a)))
		}
		r.sites = append(r.sites, cs)
	}
	for i := range o.Rules {
		c, err := compileCond(o.Rules[i].When)
		if err != nil {
			return nil, fmt.Errorf("rule %q: %w", o.Rules[i].Name, err)
		}
		r.rules = append(r.rules, rule{name: o.Rules[i].Name, when: c, then: o.Rules[i].Then})
	}
	for i := range o.SLAPolicies {
		c, err := compileCond(o.SLAPolicies[i].When)
		if err != nil {
			return nil, fmt.Errorf("SLA policy %s: %w", o.SLAPolicies[i].ID, err)
		}
		r.policies = append(r.policies, policy{p: &o.SLAPolicies[i], when: c})
	}
	for _, a := range o.Alerts {
		for _, ev := range a.On {
			r.subs[ev] = append(r.subs[ev], a.ID)
		}
	}
	return r, nil
}

func compileCond(c org.Condition) (cond, error) {
	cc := cond{c: c}
	for _, k := range c.KeywordsAny {
		cc.keywords = append(cc.keywords, strings.ToLower(strings.TrimSpace(k)))
	}
	if w := c.TimeOfDay; w != nil {
		from, err := org.ParseClock(w.From)
		if err != nil {
			return cc, err
		}
		to, err := org.ParseClock(w.To)
		if err != nil {
			return cc, err
		}
		days, err := org.ParseDays(w.Days)
		if err != nil {
			return cc, err
		}
		cc.window = &window{from: from, to: to, days: days}
	}
	return cc, nil
}

// Org returns the organisation file the Router was built from.
func (r *Router) Org() *org.Org { return r.org }

// Location is the organisation's time zone.
func (r *Router) Location() *time.Location { return r.loc }

// Subscribers returns the alert targets that receive event (org.On...).
func (r *Router) Subscribers(event string) []string { return r.subs[event] }

// Step is one routing decision, for the case timeline.
type Step struct {
	// Rule names the rule or SLA policy that decided, or "site detection"
	// or "built-in alert".
	Rule string            `json:"rule"`
	Set  map[string]string `json:"set"`
}

// Alert is an alert a mention raises.
type Alert struct {
	Target string // alert target id
	Reason string // short and free of PHI: "rule Bad reviews", "critical urgency"
	Event  string // org.On... or "rule"
}

// Decision is what routing decided for one mention.
type Decision struct {
	Team, Site, SLA, Assign string
	Priority                model.Priority
	Tags                    []string
	Alerts                  []Alert
	Steps                   []Step
}

// input is what conditions look at.
type input struct {
	m        *model.Mention
	a        *model.Analysis
	lower    string // lower-case text, made on first use
	site     string
	priority model.Priority
}

func (in *input) text() string {
	if in.lower == "" && in.m.Text != "" {
		in.lower = strings.ToLower(in.m.Text)
	}
	return in.lower
}

// Route runs the rules over a mention, in order, given the case it joins
// (its site and priority count for conditions; nil for a new case).
// Later rules override the team, site and assignee of earlier ones;
// priority only rises; tags and alerts add up; the first SLA policy named
// by a rule, else the first SLA policy whose condition matches, wins.
func (r *Router) Route(m *model.Mention, c *model.Case) Decision {
	a := m.Analysis
	if a == nil {
		a = &model.Analysis{}
	}
	in := &input{m: m, a: a, priority: Priority(a)}
	var d Decision
	if c != nil {
		in.site = c.Site
		in.priority = model.MaxPriority(c.Priority, in.priority)
	}
	if in.site == "" && len(r.sites) > 0 {
		if id, by := r.detectSite(in); id != "" {
			in.site, d.Site = id, id
			d.Steps = append(d.Steps, Step{Rule: "site detection", Set: map[string]string{"site": id, "by": by}})
		}
	}
	for i := range r.rules {
		ru := &r.rules[i]
		if !r.match(&ru.when, in) {
			continue
		}
		set := map[string]string{}
		t := ru.then
		if t.Team != "" {
			d.Team, set["team"] = t.Team, t.Team
		}
		if t.Site != "" {
			d.Site, in.site, set["site"] = t.Site, t.Site, t.Site
		}
		if t.Priority != "" {
			p := model.MaxPriority(in.priority, model.Priority(t.Priority))
			if p != in.priority || d.Priority == "" {
				in.priority, d.Priority, set["priority"] = p, p, string(p)
			}
		}
		for _, tag := range t.Tags {
			if !slices.Contains(d.Tags, tag) {
				d.Tags = append(d.Tags, tag)
			}
		}
		if len(t.Tags) > 0 {
			set["tags"] = strings.Join(t.Tags, ",")
		}
		if t.SLA != "" && d.SLA == "" {
			d.SLA, set["sla_policy"] = t.SLA, t.SLA
		}
		if t.Assign != "" {
			d.Assign, set["assign"] = t.Assign, t.Assign
		}
		for _, tg := range t.Alert {
			d.Alerts = append(d.Alerts, Alert{Target: tg, Reason: "rule " + ru.name, Event: "rule"})
			set["alert"] = strings.Join(t.Alert, ",")
		}
		d.Steps = append(d.Steps, Step{Rule: ru.name, Set: set})
	}
	if d.SLA == "" && (c == nil || c.SLAPolicy == "") {
		for _, p := range r.policies {
			if r.match(&p.when, in) {
				d.SLA = p.p.ID
				d.Steps = append(d.Steps, Step{Rule: "SLA policy " + p.p.ID, Set: map[string]string{"sla_policy": p.p.ID}})
				break
			}
		}
	}
	if m.Direction != model.DirectionOutbound {
		if a.Urgency.Level == model.UrgencyCritical {
			for _, tg := range r.subs[org.OnCritical] {
				d.Alerts = append(d.Alerts, Alert{Target: tg, Reason: "critical urgency", Event: org.OnCritical})
			}
		}
		if m.Kind == model.KindReview && m.Rating != nil && *m.Rating <= 2 {
			for _, tg := range r.subs[org.OnLowRating] {
				d.Alerts = append(d.Alerts, Alert{Target: tg, Reason: fmt.Sprintf("%d-star review", *m.Rating), Event: org.OnLowRating})
			}
		}
	}
	return d
}

// detectSite finds the site of a mention: by its place, then its channel,
// then site names and aliases in its text.
func (r *Router) detectSite(in *input) (string, string) {
	if p := strings.ToLower(in.m.Place); p != "" {
		for _, s := range r.sites {
			for _, n := range s.needles {
				if containsWord(p, n) {
					return s.id, "place"
				}
			}
		}
	}
	if ch := in.m.Channel; ch != "" {
		for _, s := range r.sites {
			if slices.Contains(s.channels, ch) {
				return s.id, "channel"
			}
		}
	}
	if text := in.text(); text != "" {
		for _, s := range r.sites {
			for _, n := range s.needles {
				if containsWord(text, n) {
					return s.id, "text"
				}
			}
		}
	}
	return "", ""
}

// containsWord reports whether needle occurs in s between word
// boundaries. Both are lower-case.
func containsWord(s, needle string) bool {
	if needle == "" {
		return false
	}
	for off := 0; ; {
		i := strings.Index(s[off:], needle)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(needle)
		if (i == 0 || !wordByte(s[i-1])) && (end == len(s) || !wordByte(s[end])) {
			return true
		}
		off = i + 1
	}
}

func wordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_' || b >= 0x80
}

func anyOf(list org.List, v string) bool { return len(list) == 0 || slices.Contains(list, v) }

func (r *Router) match(cc *cond, in *input) bool {
	c, m, a := &cc.c, in.m, in.a
	dir := m.Direction
	if dir == "" {
		dir = model.DirectionInbound
	}
	if !anyOf(c.Platform, m.Platform) || !anyOf(c.Channel, m.Channel) || !anyOf(c.Kind, m.Kind) || !anyOf(c.Direction, dir) ||
		!anyOf(c.Sentiment, a.Sentiment.Label) || !anyOf(c.Urgency, a.Urgency.Level) || !anyOf(c.Priority, string(in.priority)) ||
		!anyOf(c.Language, a.Language) {
		return false
	}
	if len(c.IntentsAny) > 0 && !slices.ContainsFunc(c.IntentsAny, func(i string) bool { return slices.Contains(a.Intents, i) }) {
		return false
	}
	for _, i := range c.IntentsAll {
		if !slices.Contains(a.Intents, i) {
			return false
		}
	}
	if c.RatingMin != nil || c.RatingMax != nil {
		if m.Rating == nil || (c.RatingMin != nil && *m.Rating < *c.RatingMin) || (c.RatingMax != nil && *m.Rating > *c.RatingMax) {
			return false
		}
	}
	if len(c.Site) > 0 && !slices.Contains(c.Site, in.site) {
		return false
	}
	if c.Followers != nil && m.Author.Followers < *c.Followers {
		return false
	}
	if c.Verified != nil && m.Author.Verified != *c.Verified {
		return false
	}
	if w := cc.window; w != nil && !w.contains(m.CreatedAt.In(r.loc)) {
		return false
	}
	if len(cc.keywords) > 0 {
		text := in.text()
		if !slices.ContainsFunc(cc.keywords, func(k string) bool { return containsWord(text, k) }) {
			return false
		}
	}
	return true
}

// contains reports whether local time t falls in the window; a window
// whose end is before its start spans midnight and counts from the day
// it starts.
func (w *window) contains(t time.Time) bool {
	mins := t.Hour()*60 + t.Minute()
	if w.from <= w.to {
		return w.days[t.Weekday()] && mins >= w.from && mins < w.to
	}
	if mins >= w.from {
		return w.days[t.Weekday()]
	}
	return mins < w.to && w.days[(t.Weekday()+6)%7]
}
