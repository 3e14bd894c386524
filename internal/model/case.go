package model

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"
)

// Case is one conversation with one person about one matter.
type Case struct {
	ID               int64      `json:"id"`
	Status           Status     `json:"status"`
	Priority         Priority   `json:"priority"`
	Platform         string     `json:"platform"`
	Channel          string     `json:"channel"`
	AuthorID         int64      `json:"author_id"`
	Author           Author     `json:"author"`
	Team             string     `json:"team"`
	Site             string     `json:"site"`
	Assignee         string     `json:"assignee"`
	Urgency          string     `json:"urgency"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	LastActivityAt   time.Time  `json:"last_activity_at"`
	FirstResponseDue *time.Time `json:"first_response_due"`
	FirstResponseAt  *time.Time `json:"first_response_at"`
	SentimentFirst   string     `json:"sentiment_first"`
	SentimentLast    string     `json:"sentiment_last"`
	MentionCount     int        `json:"mention_count"`
	Summary          string     `json:"summary"`
	// Deadlines beyond the first response, set by the SLA policy.
	NextResponseDue *time.Time `json:"next_response_due"`
	ResolutionDue   *time.Time `json:"resolution_due"`
	SLAPolicy       string     `json:"sla_policy"`
	// SLAPausedAt is set while the case waits on the member (pending):
	// its deadlines do not run.
	SLAPausedAt *time.Time `json:"sla_paused_at,omitempty"`
	// SLATimers are the case's warnings and breaches, fired or not.
	SLATimers []SLATimer `json:"sla_timers,omitempty"`
	Tags      []string   `json:"tags,omitempty"`

	// Mentions are every mention of the case when it is read in full
	// (GET /api/v1/cases/{id}); in a list of cases, only the one that
	// opened it and the latest to arrive (one when they are the same).
	// Always an array in JSON.
	Mentions []Mention `json:"mentions"`
	// Filled only when one case is read in full, and then arrays even
	// when empty; a list of cases leaves them out (nil).
	Replies []Reply `json:"replies,omitzero"`
	Notes   []Note  `json:"notes,omitzero"`
	Tasks   []Task  `json:"tasks,omitzero"`
	Events  []Event `json:"events,omitzero"`
}

// Deadlines an SLA policy sets.
const (
	DeadlineFirstResponse = "first_response"
	DeadlineNextResponse  = "next_response"
	DeadlineResolution    = "resolution"
)

// SLA timer stages. Warning and breach timers go off; met and stopped
// are records, always fired, of how a deadline ended (answered, or the
// case resolved or closed first), kept with its due time as history for
// the deadline report.
const (
	StageWarning = "warning"
	StageBreach  = "breach"
	StageMet     = "met"
	StageStopped = "stopped"
)

// SLATimer is one warning or breach of one deadline of a case.
type SLATimer struct {
	Deadline string    `json:"deadline"`
	Stage    string    `json:"stage"`
	At       time.Time `json:"at"`
	Due      time.Time `json:"due"`
	Fired    bool      `json:"fired,omitempty"`
}

// NextSLATimer returns when the case's earliest unfired timer is due, or
// nil when none runs (none left, or the case is paused).
func (c *Case) NextSLATimer() *time.Time {
	if c.SLAPausedAt != nil {
		return nil
	}
	var next *time.Time
	for i := range c.SLATimers {
		t := &c.SLATimers[i]
		if !t.Fired && (next == nil || t.At.Before(*next)) {
			at := t.At
			next = &at
		}
	}
	return next
}

// Event is an append-only fact in a case's timeline.
type Event struct {
	// ID is the stored event's id; derived entries have none (0, left
	// out of JSON).
	ID        int64           `json:"id,omitzero"`
	CaseID    int64           `json:"case_id"`
	Type      EventType       `json:"type"`
	Actor     string          `json:"actor"`
	Data      json.RawMessage `json:"data,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	// Derived marks an entry made when the timeline is read (see
	// Timeline) rather than a stored event.
	Derived bool `json:"derived,omitempty"`
}

// mentionAddedData is the data of a derived EventMentionAdded entry, the
// same fields as a case_opened event's.
type mentionAddedData struct {
	MentionID int64  `json:"mention_id"`
	Direction string `json:"direction"`
}

// Timeline merges a case's stored events (in id order) with one derived
// EventMentionAdded entry per mention and returns them ordered by time.
//
// The mention entries are derived, not stored: the ingest path, whose
// speed matters most, writes no event row per mention, and the stored
// events stay append-only and unchanged. An entry is dated when the
// mention joined the case: when it reached Earshot (ReceivedAt, its
// CreatedAt when that is unset), or when the case opened if that is
// later (see MentionJoinedAt: a reply of ours stored before the mention
// it answers joins that mention's case when it opens). It carries the
// mention's id and direction. At the same instant the case's opening
// comes first, then the mention that opened it, then the other mentions
// in the order given, then the other events (which the mentions caused:
// routing, reopening). events and mentions are not changed.
func Timeline(events []Event, mentions []Mention) []Event {
	opened, openedBy := caseOpening(events)
	// Each entry with its rank among those at the same instant.
	type entry struct {
		e    Event
		rank int
	}
	all := make([]entry, 0, len(events)+len(mentions))
	for _, e := range events {
		rank := 3
		if e.Type == EventCaseOpened && !e.Derived {
			rank = 0
		}
		all = append(all, entry{e, rank})
	}
	for _, m := range mentions {
		data, _ := json.Marshal(mentionAddedData{MentionID: m.ID, Direction: m.Direction}) // plain fields always marshal
		rank := 2
		if openedBy != 0 && m.ID == openedBy {
			rank = 1
		}
		all = append(all, entry{Event{CaseID: m.CaseID, Type: EventMentionAdded, Data: data, CreatedAt: joinedAt(&m, opened), Derived: true}, rank})
	}
	slices.SortStableFunc(all, func(a, b entry) int {
		if c := a.e.CreatedAt.Compare(b.e.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.rank, b.rank)
	})
	out := make([]Event, len(all))
	for i := range all {
		out[i] = all[i].e
	}
	return out
}

// MentionJoinedAt returns when mention m joined the case whose stored
// events are events: when it reached Earshot (ReceivedAt, its CreatedAt
// when that is unset), but no earlier than the case's case_opened event.
// A mention can be stored before its case exists (a reply of ours that
// came before the mention it answers) and join it when it opens. It is
// the time of m's entry in Timeline, for the views that place mentions
// among the case's events themselves.
func MentionJoinedAt(events []Event, m *Mention) time.Time {
	opened, _ := caseOpening(events)
	return joinedAt(m, opened)
}

// joinedAt is MentionJoinedAt for a case opened at opened (zero when
// unknown).
func joinedAt(m *Mention, opened time.Time) time.Time {
	at := m.ReceivedAt
	if at.IsZero() {
		at = m.CreatedAt
	}
	if at.Before(opened) {
		at = opened
	}
	return at
}

// caseOpening returns the time of the first stored case_opened event
// among events and the id of the mention that opened the case (zero
// values when there is none).
func caseOpening(events []Event) (time.Time, int64) {
	for i := range events {
		if e := &events[i]; e.Type == EventCaseOpened && !e.Derived {
			return e.CreatedAt, e.MentionID()
		}
	}
	return time.Time{}, 0
}

// MentionID returns the mention_id in e's data: the mention that a
// case_opened event or a derived mention_added entry is about; 0 when
// it has none.
func (e *Event) MentionID() int64 {
	var d mentionAddedData
	if len(e.Data) == 0 || json.Unmarshal(e.Data, &d) != nil {
		return 0
	}
	return d.MentionID
}

// Limits of a reply, the same through the web app and the API.
const (
	MaxReplyBytes          = 10_000 // the text
	MaxTemplateIDBytes     = 256    // the id of the template it started from
	MaxOverrideReasonBytes = 1_000  // the reason given to send it over a warning
)

// Reply is a message an agent sends on a case.
type Reply struct {
	ID         int64      `json:"id"`
	CaseID     int64      `json:"case_id"`
	Text       string     `json:"text"`
	Visibility Visibility `json:"visibility"`
	Template   string     `json:"template"`
	Author     string     `json:"author"`
	State      ReplyState `json:"state"`
	CreatedAt  time.Time  `json:"created_at"`
	// OverrideReason is why the author sent it over a privacy warning.
	OverrideReason string `json:"override_reason,omitempty"`
	ReplyDelivery
}

// Note is an internal note on a case.
type Note struct {
	ID        int64     `json:"id"`
	CaseID    int64     `json:"case_id"`
	Text      string    `json:"text"`
	Author    string    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
}

// Task is a follow-up with an owner and a due time.
type Task struct {
	ID        int64      `json:"id"`
	CaseID    int64      `json:"case_id"`
	Title     string     `json:"title"`
	DueAt     *time.Time `json:"due_at"`
	Assignee  string     `json:"assignee"`
	Done      bool       `json:"done"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
}

// TaskDueRange returns the due times a task may have: from 1990-01-01
// (the earliest created_at a mention may have, ingest.MinCreatedAt: an
// earlier time is a placeholder such as the zero time
// 0001-01-01T00:00:00Z) up to, not including, 2200-01-01 (a later one
// is a typing slip, not a follow-up).
func TaskDueRange() (from, until time.Time) {
	return time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
}

// TaskDueOK reports whether due is in TaskDueRange.
func TaskDueOK(due time.Time) bool {
	from, until := TaskDueRange()
	return !due.Before(from) && due.Before(until)
}
