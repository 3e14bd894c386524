package model

import "time"

// JobKindDeliverReply is the kind of the durable job that sends one
// queued reply through its platform's connector.
const JobKindDeliverReply = "deliver_reply"

// ReplyDelivery is what the outbox records of sending a reply. Its fields
// extend the reply JSON and are left out until the outbox sets them.
type ReplyDelivery struct {
	// PlatformID and PlatformURL are the platform's id of the sent reply
	// and its link.
	PlatformID  string `json:"platform_id,omitempty"`
	PlatformURL string `json:"platform_url,omitempty"`
	// DeliveryError says why the last attempt did not send it: the
	// platform's reason, the privacy guard's, or that no connector is set up.
	DeliveryError string `json:"delivery_error,omitempty"`
	// DeliveryAttempts counts the requests made to the platform.
	DeliveryAttempts int `json:"delivery_attempts,omitempty"`
	// SentAt is when the platform accepted it.
	SentAt *time.Time `json:"sent_at,omitempty"`
	// DeliveryRound counts the times an agent sent it again after it
	// failed or its fate was unknown.
	DeliveryRound int `json:"delivery_round,omitempty"`
	// SentByHand says an agent posted it on the platform themselves (or
	// confirmed that it went out) and marked it sent.
	SentByHand bool `json:"sent_by_hand,omitempty"`
	// MentionID is our own post on the platform that a poll or webhook
	// brought back for it, stored as an outbound mention of the case.
	MentionID int64 `json:"mention_id,omitempty"`
}
