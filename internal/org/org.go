// Package org is the organisation file: teams, sites, people, business
// hours and holidays, SLA policies, routing rules, alert targets, reply
// templates, the organisation's own contact details and its crisis
// protocol, as one document that `earshot apply -f` reads (YAML, or
// JSON). It parses and validates; it does no I/O.
package org

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// Org is a whole organisation file.
type Org struct {
	Organization string `yaml:"organization" json:"organization"`
	Timezone     string `yaml:"timezone" json:"timezone"`
	// BaseURL is where Earshot is reached; alert links point there.
	BaseURL     string        `yaml:"base_url,omitempty" json:"base_url,omitempty"`
	Holidays    []Holiday     `yaml:"holidays,omitempty" json:"holidays,omitempty"`
	People      []Person      `yaml:"people,omitempty" json:"people,omitempty"`
	Teams       []Team        `yaml:"teams,omitempty" json:"teams,omitempty"`
	Sites       []Site        `yaml:"sites,omitempty" json:"sites,omitempty"`
	SLAPolicies []SLAPolicy   `yaml:"sla_policies,omitempty" json:"sla_policies,omitempty"`
	Rules       []Rule        `yaml:"rules,omitempty" json:"rules,omitempty"`
	Alerts      []AlertTarget `yaml:"alerts,omitempty" json:"alerts,omitempty"`
	Templates   []Template    `yaml:"templates,omitempty" json:"templates,omitempty"`
	// Channels are the platform accounts Earshot hears and answers on.
	Channels []Channel `yaml:"channels,omitempty" json:"channels,omitempty"`
	// SMTP is the mail server for email alerts.
	SMTP *SMTP `yaml:"smtp,omitempty" json:"smtp,omitempty"`
	// Spike tunes spike alerts; nil takes defaults.
	Spike *Spike `yaml:"spike,omitempty" json:"spike,omitempty"`
	// Digest is the local time ("08:00") of the daily digest email.
	Digest string `yaml:"digest,omitempty" json:"digest,omitempty"`
	// ReplyApproval is ApprovalOn when public replies on urgent cases,
	// and replies sent over a privacy warning, wait for a second person's
	// approval; ApprovalOff or "" when they go straight to the outbox.
	ReplyApproval string `yaml:"reply_approval,omitempty" json:"reply_approval,omitempty"`
	// Contact is the organisation's own phones, emails and web
	// addresses, which the privacy guard never marks in a reply.
	Contact *Contact `yaml:"contact,omitempty" json:"contact,omitempty"`
	// Crisis is the crisis protocol the case page shows on a critical
	// case; nil when the file has none.
	Crisis *Crisis `yaml:"crisis,omitempty" json:"crisis,omitempty"`
	// Reports are the reports emailed on a schedule; nil sends none.
	Reports *Reports `yaml:"reports,omitempty" json:"reports,omitempty"`
}

// Values of reply_approval.
const (
	ApprovalOn  = "on"
	ApprovalOff = "off"
)

// ApprovalRequired reports whether the file turns reply approval on.
func (o *Org) ApprovalRequired() bool { return o != nil && o.ReplyApproval == ApprovalOn }

// Team is a group of people who handle work.
type Team struct {
	ID       string `yaml:"id" json:"id"`
	Name     string `yaml:"name" json:"name"`
	Hours    Hours  `yaml:"hours,omitempty" json:"hours"`
	Timezone string `yaml:"timezone,omitempty" json:"timezone,omitempty"`
	// Assign is how new cases get an assignee: "" (none),
	// "round_robin" or "least_loaded" among available members.
	Assign string `yaml:"assign,omitempty" json:"assign,omitempty"`
	// Supervisors are alert target ids told of escalations.
	Supervisors []string `yaml:"supervisors,omitempty" json:"supervisors,omitempty"`
}

// Site is a hospital, clinic or state plan.
type Site struct {
	ID       string   `yaml:"id" json:"id"`
	Name     string   `yaml:"name" json:"name"`
	Aliases  []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Channels []string `yaml:"channels,omitempty" json:"channels,omitempty"`
	Timezone string   `yaml:"timezone,omitempty" json:"timezone,omitempty"`
}

// Person is someone's team and site membership.
type Person struct {
	Email string   `yaml:"email" json:"email"`
	Name  string   `yaml:"name,omitempty" json:"name,omitempty"`
	Teams []string `yaml:"teams,omitempty" json:"teams,omitempty"`
	Sites []string `yaml:"sites,omitempty" json:"sites,omitempty"`
	// Available is false for someone away; nil means available.
	Available *bool `yaml:"available,omitempty" json:"available,omitempty"`
}

// IsAvailable reports whether p takes new cases.
func (p Person) IsAvailable() bool { return p.Available == nil || *p.Available }

// Holiday is a day, in the organisation's time zone, when business hours
// do not run. It is written as "2026-12-25" or {date: ..., name: ...}
// (see decoder.value).
type Holiday struct {
	Date string `yaml:"date" json:"date"`
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
}

// Hours are when a team works: around the clock ("24/7") or on some
// days between two local times (decoder.value reads both forms).
type Hours struct {
	AllDay bool   `yaml:"-" json:"-"`
	Days   string `yaml:"days,omitempty" json:"days,omitempty"`
	From   string `yaml:"from,omitempty" json:"from,omitempty"`
	To     string `yaml:"to,omitempty" json:"to,omitempty"`
}

// MarshalJSON writes "24/7" or the mapping.
func (h Hours) MarshalJSON() ([]byte, error) {
	if h.AllDay || h == (Hours{}) {
		return []byte(`"24/7"`), nil
	}
	type plain Hours
	return json.Marshal(plain(h))
}

// MarshalYAML mirrors MarshalJSON.
func (h Hours) MarshalYAML() (any, error) {
	if h.AllDay || h == (Hours{}) {
		return "24/7", nil
	}
	type plain Hours
	return plain(h), nil
}

// Business reports whether the hours are not around the clock.
func (h Hours) Business() bool { return !h.AllDay && h != (Hours{}) }

// Duration is a length of time written like "15m", "4h" or "3d".
type Duration time.Duration

// ParseDuration reads a Duration; "d" counts 24 hours.
func ParseDuration(s string) (Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(d, "%d", &n); err != nil || fmt.Sprint(n) != d || n <= 0 {
			return 0, fmt.Errorf("duration %q: want a whole number of days like 3d", s)
		}
		if maxDays := math.MaxInt64 / int64(24*time.Hour); int64(n) > maxDays {
			// Beyond this the count of nanoseconds wraps around.
			return 0, fmt.Errorf("duration %q: longer than the longest, %dd", s, maxDays)
		}
		return Duration(time.Duration(n) * 24 * time.Hour), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: want a length like 15m, 4h or 3d", s)
	}
	return Duration(d), nil
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// MarshalYAML writes the duration as a string.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// String is the shortest form ("15m", "4h", "3d").
func (d Duration) String() string {
	td := time.Duration(d)
	switch {
	case td == 0:
		return "0s"
	case td%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", td/(24*time.Hour))
	case td%time.Hour == 0:
		return fmt.Sprintf("%dh", td/time.Hour)
	case td%time.Minute == 0:
		return fmt.Sprintf("%dm", td/time.Minute)
	}
	return td.String()
}

// List is a list of strings that may be written as one string (see
// decoder.value).
type List []string

// SLAPolicy sets deadlines for cases that match When (every case when
// When is empty). The first matching policy wins.
type SLAPolicy struct {
	ID            string    `yaml:"id" json:"id"`
	When          Condition `yaml:"when,omitempty" json:"when"`
	FirstResponse Duration  `yaml:"first_response" json:"first_response"`
	NextResponse  Duration  `yaml:"next_response,omitempty" json:"next_response,omitempty"`
	Resolution    Duration  `yaml:"resolution,omitempty" json:"resolution,omitempty"`
	// WarnAt is the share of the allowed time after which a warning goes
	// out (0.75 by default).
	WarnAt float64 `yaml:"warn_at,omitempty" json:"warn_at,omitempty"`
	// Hours is "24/7" to count around the clock whatever the team's
	// hours, or "" to count within the handling team's hours.
	Hours string `yaml:"hours,omitempty" json:"hours,omitempty"`
	// Notify are alert target ids told of warnings and breaches.
	Notify []string `yaml:"notify,omitempty" json:"notify,omitempty"`
	// Escalate is what a breach does besides notifying.
	Escalate *Escalation `yaml:"escalate,omitempty" json:"escalate,omitempty"`
}

// Escalation is what happens when a deadline is breached.
type Escalation struct {
	// NotifySupervisor tells the team's supervisors.
	NotifySupervisor bool `yaml:"notify_supervisor,omitempty" json:"notify_supervisor,omitempty"`
	// Notify are further alert target ids.
	Notify []string `yaml:"notify,omitempty" json:"notify,omitempty"`
	// Priority raises the case to at least this priority.
	Priority string `yaml:"priority,omitempty" json:"priority,omitempty"`
	// Team and Assignee reassign the case.
	Team     string `yaml:"team,omitempty" json:"team,omitempty"`
	Assignee string `yaml:"assignee,omitempty" json:"assignee,omitempty"`
}

// Rule is a condition on a mention and the actions it takes.
type Rule struct {
	Name string    `yaml:"name" json:"name"`
	When Condition `yaml:"when,omitempty" json:"when"`
	Then Action    `yaml:"then" json:"then"`
}

// Condition matches a mention and its case. Every field set must hold;
// a list holds when any of its values does.
type Condition struct {
	Platform   List `yaml:"platform,omitempty" json:"platform,omitempty"`
	Channel    List `yaml:"channel,omitempty" json:"channel,omitempty"`
	Kind       List `yaml:"kind,omitempty" json:"kind,omitempty"`
	Direction  List `yaml:"direction,omitempty" json:"direction,omitempty"`
	Sentiment  List `yaml:"sentiment,omitempty" json:"sentiment,omitempty"`
	IntentsAny List `yaml:"intents_any,omitempty" json:"intents_any,omitempty"`
	IntentsAll List `yaml:"intents_all,omitempty" json:"intents_all,omitempty"`
	Urgency    List `yaml:"urgency,omitempty" json:"urgency,omitempty"`
	// Language lists ISO 639-1 codes of the post's detected language
	// ("es", "vi"; "und" for a post without words).
	Language    List    `yaml:"language,omitempty" json:"language,omitempty"`
	KeywordsAny List    `yaml:"keywords_any,omitempty" json:"keywords_any,omitempty"`
	RatingMin   *int    `yaml:"rating_min,omitempty" json:"rating_min,omitempty"`
	RatingMax   *int    `yaml:"rating_max,omitempty" json:"rating_max,omitempty"`
	Site        List    `yaml:"site,omitempty" json:"site,omitempty"`
	Followers   *int64  `yaml:"followers_min,omitempty" json:"followers_min,omitempty"`
	Verified    *bool   `yaml:"verified,omitempty" json:"verified,omitempty"`
	TimeOfDay   *Window `yaml:"time_of_day,omitempty" json:"time_of_day,omitempty"`
	Priority    List    `yaml:"priority,omitempty" json:"priority,omitempty"`
}

// Window is a span of local time ("18:00" to "08:00" spans midnight),
// optionally on some days only ("mon-fri", "sat,sun").
type Window struct {
	From string `yaml:"from" json:"from"`
	To   string `yaml:"to" json:"to"`
	Days string `yaml:"days,omitempty" json:"days,omitempty"`
}

// Action is what a matching rule does.
type Action struct {
	Team     string `yaml:"team,omitempty" json:"team,omitempty"`
	Site     string `yaml:"site,omitempty" json:"site,omitempty"`
	Priority string `yaml:"priority,omitempty" json:"priority,omitempty"`
	Tags     List   `yaml:"tags,omitempty" json:"tags,omitempty"`
	SLA      string `yaml:"sla,omitempty" json:"sla,omitempty"`
	// Assign is "round_robin", "least_loaded" (among the team's
	// available members) or a person's email.
	Assign string `yaml:"assign,omitempty" json:"assign,omitempty"`
	Alert  List   `yaml:"alert,omitempty" json:"alert,omitempty"`
}

// Alert target types.
const (
	TargetEmail   = "email"
	TargetSMS     = "sms"
	TargetSlack   = "slack"
	TargetTeams   = "teams"
	TargetWebhook = "webhook"
)

// Alert events a target can subscribe to with On.
const (
	OnCritical   = "critical"    // a mention of critical urgency
	OnLowRating  = "low_rating"  // a new review of 2 stars or fewer
	OnSLAWarning = "sla_warning" // a deadline reached its warn_at share
	OnSLABreach  = "sla_breach"  // a deadline passed
	OnSpike      = "spike"       // volume or negative share well above usual
	OnDigest     = "digest"      // the daily digest
)

// AlertTarget is somewhere alerts go.
type AlertTarget struct {
	ID   string `yaml:"id" json:"id"`
	Type string `yaml:"type" json:"type"`
	// To are email addresses or phone numbers.
	To List `yaml:"to,omitempty" json:"to,omitempty"`
	// URL is the webhook, Slack or Teams URL, or the SMS API's base URL.
	URL string `yaml:"url,omitempty" json:"url,omitempty"`
	// SecretEnv names the environment variable holding the webhook
	// signing secret or the SMS API's auth token.
	SecretEnv string `yaml:"secret_env,omitempty" json:"secret_env,omitempty"`
	// Account is the SMS API's account id; From its sender number.
	Account string `yaml:"account,omitempty" json:"account,omitempty"`
	From    string `yaml:"from,omitempty" json:"from,omitempty"`
	// On are the alert events the target receives besides the rules and
	// policies that name it.
	On List `yaml:"on,omitempty" json:"on,omitempty"`
	// PerMinute bounds deliveries to this target (default 30).
	PerMinute int `yaml:"per_minute,omitempty" json:"per_minute,omitempty"`
}

// Template is a reply template.
type Template struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
	Text string `yaml:"text" json:"text"`
}

// SMTP is the mail server email alerts go through.
type SMTP struct {
	Host string `yaml:"host" json:"host"`
	Port int    `yaml:"port,omitempty" json:"port,omitempty"`
	// TLS is "starttls" (default), "tls" or "none" (for a local relay).
	TLS         string `yaml:"tls,omitempty" json:"tls,omitempty"`
	Username    string `yaml:"username,omitempty" json:"username,omitempty"`
	PasswordEnv string `yaml:"password_env,omitempty" json:"password_env,omitempty"`
	From        string `yaml:"from" json:"from"`
}

// Spike tunes spike alerts.
type Spike struct {
	// Window is the length of the window compared (default 1h).
	Window Duration `yaml:"window,omitempty" json:"window,omitempty"`
	// Weeks is how many past weeks the same window is averaged over
	// (default 4).
	Weeks int `yaml:"weeks,omitempty" json:"weeks,omitempty"`
	// Factor is how many times the usual volume or negative share count
	// as a spike (default 3).
	Factor float64 `yaml:"factor,omitempty" json:"factor,omitempty"`
	// MinMentions is the least volume that can be a spike (default 20).
	MinMentions int `yaml:"min_mentions,omitempty" json:"min_mentions,omitempty"`
}

// Canonical is the file's canonical JSON: two files that mean the same
// have the same canonical form.
func (o *Org) Canonical() []byte {
	b, err := json.Marshal(o)
	if err != nil {
		panic(fmt.Sprintf("org: marshal: %v", err)) // plain data always marshals
	}
	return b
}

// Team returns the team with id, or nil.
func (o *Org) Team(id string) *Team {
	for i := range o.Teams {
		if o.Teams[i].ID == id {
			return &o.Teams[i]
		}
	}
	return nil
}

// Target returns the alert target with id, or nil.
func (o *Org) Target(id string) *AlertTarget {
	for i := range o.Alerts {
		if o.Alerts[i].ID == id {
			return &o.Alerts[i]
		}
	}
	return nil
}

// Policy returns the SLA policy with id, or nil.
func (o *Org) Policy(id string) *SLAPolicy {
	for i := range o.SLAPolicies {
		if o.SLAPolicies[i].ID == id {
			return &o.SLAPolicies[i]
		}
	}
	return nil
}
