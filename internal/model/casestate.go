package model

// Status is where a case stands in its handling.
type Status string

// Case statuses.
const (
	StatusNew      Status = "new"
	StatusOpen     Status = "open"
	StatusPending  Status = "pending"
	StatusResolved Status = "resolved"
	StatusClosed   Status = "closed"
)

// OpenStatuses are the statuses of a case still being handled: new,
// open and pending. A new mention of the author joins such a case.
func OpenStatuses() []Status { return []Status{StatusNew, StatusOpen, StatusPending} }

// Open reports whether a case of status s is still being handled (see
// OpenStatuses).
func (s Status) Open() bool {
	return s == StatusNew || s == StatusOpen || s == StatusPending
}

// AgentSettable reports whether an agent may set status s: open,
// pending, resolved or closed. New is only ever a case's first status.
func (s Status) AgentSettable() bool {
	switch s {
	case StatusOpen, StatusPending, StatusResolved, StatusClosed:
		return true
	}
	return false
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == StatusNew || s.AgentSettable() }

// Priority is how pressing a case is.
type Priority string

// Case priorities, from least to most pressing.
const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities are the known priorities, from least to most pressing.
func Priorities() []Priority {
	return []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}
}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool {
	switch p {
	case PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent:
		return true
	}
	return false
}

// Rank orders priorities: urgent 3, high 2, normal 1, low 0. A priority
// Earshot does not know (an empty or foreign value) ranks as normal, as
// it is given a normal priority's first-response time: it is neither
// hidden below low cases nor raised above high ones.
func (p Priority) Rank() int {
	switch p {
	case PriorityUrgent:
		return 3
	case PriorityHigh:
		return 2
	case PriorityLow:
		return 0
	}
	return 1
}

// MaxPriority returns the more pressing of a and b; on a tie, and for a
// b that is not a known priority, a.
func MaxPriority(a, b Priority) Priority {
	if b.Valid() && b.Rank() > a.Rank() {
		return b
	}
	return a
}

// Visibility says who sees a reply: everyone, or only the person.
type Visibility string

// Reply visibilities.
const (
	VisibilityPublic  Visibility = "public"
	VisibilityPrivate Visibility = "private"
)

// Valid reports whether v is public or private.
func (v Visibility) Valid() bool { return v == VisibilityPublic || v == VisibilityPrivate }

// ReplyState is where a reply is on its way out.
type ReplyState string

// Reply delivery states.
const (
	ReplyQueued ReplyState = "queued"
	ReplySent   ReplyState = "sent"
	ReplyFailed ReplyState = "failed"
	// ReplyAwaitingApproval waits for a supervisor before it is queued.
	ReplyAwaitingApproval ReplyState = "awaiting_approval"
	// ReplyRejected was held for approval and a supervisor refused it; it
	// never leaves.
	ReplyRejected ReplyState = "rejected"
	// ReplySending is being handed to the platform's connector. A reply
	// found in this state again was interrupted mid-send: the outbox then
	// asks the agent (ReplyUnknown) rather than sending it twice.
	ReplySending ReplyState = "sending"
	// ReplyUnknown may or may not have reached the platform (the request
	// was sent and no answer came). It is never sent again by itself: an
	// agent checks the platform.
	ReplyUnknown ReplyState = "unknown"
	// ReplyNoConnector was not sent: no connector answers for its case's
	// platform here, so someone must copy it to the platform by hand.
	ReplyNoConnector ReplyState = "no_connector"
)

// EventType names a fact in a case's timeline.
type EventType string

// Event types in a case's timeline.
const (
	EventCaseOpened    EventType = "case_opened"
	EventReplied       EventType = "replied"
	EventNoteAdded     EventType = "note_added"
	EventAssigned      EventType = "assigned"
	EventStatusChanged EventType = "status_changed"
	EventTaskAdded     EventType = "task_added"
	EventTaskDone      EventType = "task_done"
	EventHandedOff     EventType = "handed_off" // passed on with a context note
	EventReopened      EventType = "reopened"
	EventRouted        EventType = "routed"      // a rule or policy set team, site, priority, SLA...
	EventSLAWarning    EventType = "sla_warning" // a deadline reached its warning share
	EventSLABreach     EventType = "sla_breach"  // a deadline passed
	EventEscalated     EventType = "escalated"   // a breach raised priority or reassigned
	// EventReplyApproved: a supervisor let a held reply go.
	EventReplyApproved EventType = "reply_approved"
	// EventReplyRejected: a supervisor refused a held reply.
	EventReplyRejected EventType = "reply_rejected"
	// EventMemberLinked and EventMemberUnlinked: the case's author was
	// linked to a member record, or no longer is.
	EventMemberLinked   EventType = "member_linked"
	EventMemberUnlinked EventType = "member_unlinked"
	// EventMentionAdded is a mention joining the case. It is never
	// stored: Timeline derives it from the case's mentions when the case
	// is read, so that ingest writes no event row per mention.
	EventMentionAdded EventType = "mention_added"
	// EventReplyRetried: an agent sent a reply again that failed or
	// whose fate was unknown ({"reply_id","round","from"}).
	EventReplyRetried EventType = "reply_retried"
	// EventReplySentByHand: an agent marked a reply sent that went out
	// without the outbox ({"reply_id","from","url"}).
	EventReplySentByHand EventType = "reply_sent_by_hand"
	// EventMentionEdited: the author edited a stored mention, its text
	// or rating ({"mention_id","rating_from","rating_to"}; a rating is
	// null when there is none).
	EventMentionEdited EventType = "mention_edited"
)
