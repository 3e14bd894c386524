package model

import "time"

// Alert is one alert to one target: the payload of an alert job. It
// carries no text of the mention (no PHI): a case id, priority,
// platform, a short reason and a link.
type Alert struct {
	Target   string    `json:"target"`
	Event    string    `json:"event"` // critical, low_rating, sla_warning, sla_breach, spike, digest, rule
	CaseID   int64     `json:"case_id,omitempty"`
	Priority Priority  `json:"priority,omitempty"`
	Platform string    `json:"platform,omitempty"`
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
	// Body is a longer text for digests and spikes: counts only.
	Body string `json:"body,omitempty"`
}

// JobKindAlert is the kind of the durable job that delivers one Alert.
const JobKindAlert = "alert"
