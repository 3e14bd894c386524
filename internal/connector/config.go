package connector

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Config is one channel of the organisation file as a platform package
// needs it, with its secrets already read from the environment variables
// the file names. A platform package builds its connector from it (see
// Factory); it never reads the environment itself, and never logs or
// returns Token, Secret or VerifyToken.
type Config struct {
	// ID is the channel's id, which the mentions it hears carry.
	ID       string
	Platform string
	// AccountID is our own account on the platform: the X user id, the
	// Facebook page id, the Instagram professional account id, the Google
	// location's resource name, the Yelp business id.
	AccountID string
	Name      string
	Site      string
	// BaseURL is the platform's API root; "" means the platform's public
	// one. Tests and proxies set it.
	BaseURL string
	// URL is a feed's address (rss).
	URL string
	// Auth gives the access token for each request (nil where the
	// platform needs none); a refreshing one renews it when it expires.
	Auth TokenSource
	// Secret signs webhooks (X consumer secret, Meta app secret), and
	// VerifyToken answers Meta's subscription check.
	Secret      string
	VerifyToken string
	// Poll is how often to poll; 0 means webhooks only.
	Poll time.Duration
	// Client makes the requests: Earshot's egress-checked client with its
	// timeouts. UserAgent names Earshot in them.
	Client    *http.Client
	UserAgent string
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Factory builds the connector of one channel. Platform packages provide
// one each; the app picks it by Config.Platform.
type Factory func(cfg Config) (Channel, error)

// WebhookFactory builds the one webhook receiver of a platform from all
// of its channels: it verifies deliveries with their shared secret and
// dispatches each event to the channel of the account it names.
type WebhookFactory func(cfgs []Config) (Webhook, error)

// TokenSource gives the access token to send with a request.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// StaticToken is a token that does not expire (a page token, an API key).
type StaticToken string

// Token returns t; an empty one is ErrNoToken.
func (t StaticToken) Token(context.Context) (string, error) {
	if t == "" {
		return "", ErrNoToken
	}
	return string(t), nil
}

// ErrNoToken is the error of a channel whose token is not set.
var ErrNoToken = errors.New("no access token is set for this channel")
