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
}
