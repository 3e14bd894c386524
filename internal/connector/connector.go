// Package connector is the seam between Earshot and the platforms it
// hears and answers on. A platform package (internal/connector/<platform>)
// implements these interfaces for the channels of the organisation file:
// a Poller or a Webhook to hear, a Sender to answer. The outbox sends
// replies through a Sender and acts on the typed errors below; a
// Registry says which Sender answers for a case, and none is a normal
// answer.
package connector

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"earshot/internal/model"
)

// Poller hears a channel by asking the platform for what is new.
type Poller interface {
	// Poll returns the mentions after cursor, oldest first, and the
	// cursor to pass next time. The cursor is opaque to Earshot (a
	// since_id, a page token, an ETag) and "" on the first poll; the
	// caller stores next only after the mentions are stored, so that a
	// restart neither loses nor repeats them. Mentions follow the mention
	// contract, with Channel set.
	Poll(ctx context.Context, cursor string) (mentions []model.Mention, next string, err error)
}

// Webhook hears a platform that calls us: one per platform, dispatching
// to the channel by our account id in the payload.
type Webhook interface {
	// Challenge answers the platform's check of the endpoint (a GET with
	// a token to sign or echo) with the body to return. An error means
	// the check fails: answer 401 and store nothing.
	Challenge(query url.Values) (contentType string, body []byte, err error)
	// Verify checks the signature of a delivery's raw body. An error
	// means the request is refused: answer 401 and store nothing.
	Verify(header http.Header, body []byte) error
	// Parse turns a verified body into mentions, each with Channel set
	// to the channel of the account it names. Events of no interest (a
	// like, a read receipt) are no mentions.
	Parse(body []byte) ([]model.Mention, error)
}

// Sender answers on a channel.
type Sender interface {
	// Send delivers one reply and returns the platform's id and link of
	// it. Its errors say what the outbox may do next: a *RateLimited, a
	// *Temporary, a *Permanent or an *Unknown; any other error counts as
	// Unknown, since the outbox cannot tell whether the reply went out.
	Send(ctx context.Context, out Outgoing) (Sent, error)
}

// Outgoing is one reply to send.
type Outgoing struct {
	// ReplyID is Earshot's id of the reply, for a platform that takes an
	// idempotency key.
	ReplyID int64
	// Channel is the channel it goes out on.
	Channel string
	// Visibility is model.VisibilityPublic (a comment, a reply post, a
	// review answer) or model.VisibilityPrivate (a direct message).
	Visibility model.Visibility
	// Text is the reply as the privacy guard passed it.
	Text string
	// InReplyTo is the platform's id of the mention it answers, and
	// ThreadID that mention's conversation (model.Mention.ThreadID).
	InReplyTo string
	ThreadID  string
	// AuthorID is the platform's id of the person answered, for a
	// private reply.
	AuthorID string
}

// Sent is the platform's record of a sent reply.
type Sent struct {
	// ID is the platform's id of the reply, by which a poll or webhook
	// that brings it back is matched to it.
	ID string
	// URL links to it on the platform ("" where it has no public page).
	URL string
}

// Lookup finds the Sender that answers for a case's channel on its
// platform. ok is false when none is set up here, which is a normal
// answer: the reply is then copied to the platform by hand.
type Lookup interface {
	Sender(channel, platform string) (s Sender, ok bool)
}

// DefaultRetry is how long to wait on a rate limit that names no time.
const DefaultRetry = time.Minute
