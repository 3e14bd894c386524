// Package report computes the figures a communications lead takes
// upstairs: volumes, response rate and times, deadlines kept, saves,
// rating changes, conversations taken private and spikes, over any
// window and split by channel, platform, team, site, intent or agent.
// It reads the store and writes nothing; the API, the reports page and
// the weekly email all take their figures from here, so that each figure
// is defined once (README, "Reports").
package report

import (
	"fmt"
	"time"
)

// GroupBy names the dimension a summary is split by.
type GroupBy string

// The dimensions a summary can be split by. GroupNone gives no groups.
const (
	GroupNone     GroupBy = ""
	GroupChannel  GroupBy = "channel"
	GroupPlatform GroupBy = "platform"
	GroupTeam     GroupBy = "team"
	GroupSite     GroupBy = "site"
	GroupIntent   GroupBy = "intent"
	GroupAgent    GroupBy = "agent"
)

// GroupBys lists the dimensions in the order forms offer them.
func GroupBys() []GroupBy {
	return []GroupBy{GroupChannel, GroupPlatform, GroupTeam, GroupSite, GroupIntent, GroupAgent}
}

// ParseGroupBy reads a group_by value; "" is GroupNone.
func ParseGroupBy(s string) (GroupBy, error) {
	if s == "" {
		return GroupNone, nil
	}
	for _, g := range GroupBys() {
		if string(g) == s {
			return g, nil
		}
	}
	return GroupNone, fmt.Errorf("group_by %q: want one of channel, platform, team, site, intent, agent", s)
}

// Filter narrows what is counted, as the inbox's filters do; an empty
// field does not narrow.
type Filter struct {
	Platform string `json:"platform,omitempty"`
	Channel  string `json:"channel,omitempty"`
	Team     string `json:"team,omitempty"`
	Site     string `json:"site,omitempty"`
	Intent   string `json:"intent,omitempty"`
	Agent    string `json:"agent,omitempty"`
}

// Query asks for the figures of [From, To).
type Query struct {
	From, To time.Time
	GroupBy  GroupBy
	Filter   Filter
	// Location is the organisation's time zone: days, weeks and the
	// hour-of-week that spikes compare are read in it. nil is UTC.
	Location *time.Location
}

// Summary is the headline report of a window. The first five fields
// are the shape GET /api/v1/reports/summary has always had; the rest
// extend it.
type Summary struct {
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Mentions Mentions  `json:"mentions"`
	Cases    Cases     `json:"cases"`
	Ratings  Ratings   `json:"ratings"`

	Deadlines Deadlines `json:"deadlines"`
	Spikes    []Spike   `json:"spikes"`
	// Previous holds the same figures for the window of the same length
	// that ends at From (no groups, spikes or previous of its own), for
	// the change against it.
	Previous *Summary `json:"previous,omitempty"`
	// Groups split the figures by Query.GroupBy, largest first; absent
	// without a group_by.
	Groups []Group `json:"groups,omitempty"`
}

// Group is the figures of one value of the dimension a summary is
// split by.
type Group struct {
	Key       string    `json:"key"`
	Mentions  Mentions  `json:"mentions"`
	Cases     Cases     `json:"cases"`
	Ratings   Ratings   `json:"ratings"`
	Deadlines Deadlines `json:"deadlines"`
}

// Mentions counts the mentions made in the window.
type Mentions struct {
	Total    int64 `json:"total"`
	Inbound  int64 `json:"inbound"`
	Outbound int64 `json:"outbound"`
	// ByPlatform counts inbound and outbound together.
	ByPlatform map[string]int64 `json:"by_platform"`
	// BySentiment, ByIntent and ByTopic count inbound mentions only. A
	// mention with two intents counts under both; topics are the tags
	// the organisation's rules put on the mention's case.
	BySentiment map[string]int64 `json:"by_sentiment"`
	ByIntent    map[string]int64 `json:"by_intent"`
	ByTopic     map[string]int64 `json:"by_topic"`
}

// Durations describes a set of durations in minutes: how many, their
// median and 90th percentile (nearest rank) and mean, rounded to a tenth.
type Durations struct {
	Count         int64   `json:"count"`
	MedianMinutes float64 `json:"median_minutes"`
	P90Minutes    float64 `json:"p90_minutes"`
	MeanMinutes   float64 `json:"mean_minutes"`
	// Distribution counts the durations per bucket of BucketEdges.
	Distribution []Bucket `json:"distribution,omitempty"`
}

// Bucket counts durations of at most UpToMinutes (and more than the
// bucket before); the last bucket, UpToMinutes 0, holds the rest.
type Bucket struct {
	UpToMinutes float64 `json:"up_to_minutes"`
	Count       int64   `json:"count"`
}

// BucketEdges are the upper edges, in minutes, of the response time
// distribution: 5 and 15 minutes, half an hour, 1, 4 and 24 hours; a
// last bucket holds the longer ones.
func BucketEdges() []float64 { return []float64{5, 15, 30, 60, 240, 1440} }

// Cases describes the cases opened in the window.
type Cases struct {
	Opened int64 `json:"opened"`
	// NeedResponse counts the opened cases that asked for an answer;
	// Responded those of them we answered (here or on the platform).
	// ResponseRate is Responded / NeedResponse, 0 when none, never
	// above 1.
	NeedResponse int64   `json:"need_response"`
	Responded    int64   `json:"responded"`
	ResponseRate float64 `json:"response_rate"`
	// FirstResponse is in wall-clock time, FirstResponseBusiness in the
	// business hours of the case's team (wall-clock when it has none).
	FirstResponse         Durations `json:"first_response"`
	FirstResponseBusiness Durations `json:"first_response_business"`
	// NextResponse is each later wait: from a member's mention that our
	// last answer left unanswered to our next answer.
	NextResponse Durations `json:"next_response"`
	// Resolution runs from opening to the case's first resolution.
	Resolution Durations `json:"resolution"`
	Resolved   int64     `json:"resolved"`
	// Public counts opened cases that began in public; TakenPrivate
	// those of them that went on in a private channel; TakePrivateRate
	// is their ratio.
	Public          int64   `json:"public"`
	TakenPrivate    int64   `json:"taken_private"`
	TakePrivateRate float64 `json:"take_private_rate"`
	// NegativeToPositive counts the saves: cases whose first member
	// mention was negative and whose latest is positive, of
	// OpenedNegative.
	NegativeToPositive int64            `json:"negative_to_positive"`
	OpenedNegative     int64            `json:"opened_negative"`
	SentimentShift     map[string]int64 `json:"sentiment_shift"`
	ByPriority         map[string]int64 `json:"by_priority"`
}

// Ratings describes the reviews whose rating changed: the first and the
// latest rating of the same review.
type Ratings struct {
	Changed int64 `json:"changed"`
	Raised  int64 `json:"raised"`
	Lowered int64 `json:"lowered"`
	// ByChange counts each move, such as "1_to_4".
	ByChange map[string]int64 `json:"by_change"`
	// AfterReply counts the changed reviews whose rating changed after
	// our reply to them; RaisedAfterReply those that rose.
	AfterReply       int64 `json:"after_reply"`
	RaisedAfterReply int64 `json:"raised_after_reply"`
}

// DeadlineCounts counts deadlines: those due, met in time, warned (their
// warning fired) and breached.
type DeadlineCounts struct {
	Due      int64   `json:"due"`
	Met      int64   `json:"met"`
	Warned   int64   `json:"warned"`
	Breached int64   `json:"breached"`
	MetRate  float64 `json:"met_rate"`
}

// Deadlines is deadline performance: in all, per kind (first_response,
// next_response, resolution), per team and per SLA policy.
type Deadlines struct {
	DeadlineCounts
	ByKind   map[string]DeadlineCounts `json:"by_kind"`
	ByTeam   map[string]DeadlineCounts `json:"by_team"`
	ByPolicy map[string]DeadlineCounts `json:"by_policy"`
}

// Spike is an hour whose volume or negative share stood well above the
// usual for that hour and weekday.
type Spike struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Kind is "volume" or "negative".
	Kind     string  `json:"kind"`
	Mentions int64   `json:"mentions"`
	Negative int64   `json:"negative"`
	Value    float64 `json:"value"`
	Usual    float64 `json:"usual"`
}

// Interval is the width of a series' points.
type Interval string

// Series intervals.
const (
	Hour Interval = "hour"
	Day  Interval = "day"
	Week Interval = "week"
)

// SeriesQuery asks for one metric over time.
type SeriesQuery struct {
	Metric   string
	Interval Interval
	From, To time.Time
	Filter   Filter
	// Location is the organisation's time zone: days start at its
	// midnight and weeks on its Monday. nil is UTC.
	Location *time.Location
}

// Series is a metric over time: one line, or several for a metric that
// splits (sentiment: positive, neutral, negative).
type Series struct {
	Metric   string    `json:"metric"`
	Interval Interval  `json:"interval"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Lines    []Line    `json:"lines"`
}

// Line is one named line of a series, a point per interval, every
// interval present (0 when nothing happened).
type Line struct {
	Key    string  `json:"key"`
	Points []Point `json:"points"`
}

// Point is the value of one interval that starts at Start.
type Point struct {
	Start time.Time `json:"start"`
	Value float64   `json:"value"`
}
