package channels

import (
	"context"
	"errors"
	"strings"
	"time"
)

// States of a channel.
const (
	// StateHealthy: it hears (its last poll or delivery went well, or it
	// has not polled yet).
	StateHealthy = "healthy"
	// StateFailing: its last poll failed; Why says why.
	StateFailing = "failing"
	// StateMissingSecret: an environment variable it names is not set,
	// so it does nothing.
	StateMissingSecret = "missing_secret"
	// StateWebhooksOnly: it polls never and hears what the platform
	// delivers.
	StateWebhooksOnly = "webhooks_only"
	// StateUnavailable: this build cannot run it (no connector for its
	// platform) or its connector could not be set up; Why says which.
	StateUnavailable = "unavailable"
)

// State is what a channel is doing, for its page and the API. It holds
// no secret: only the names of the variables that are missing.
type State struct {
	ID        string `json:"id"`
	Platform  string `json:"platform"`
	Name      string `json:"name"`
	AccountID string `json:"account_id"`
	Site      string `json:"site"`
	// Poll is how often it polls ("0s": webhooks only).
	Poll  string `json:"poll"`
	State string `json:"state"`
	// Why says, in plain words, what is wrong or how it hears.
	Why           string     `json:"why"`
	LastHeardAt   *time.Time `json:"last_heard_at"`
	LastSuccessAt *time.Time `json:"last_success_at"`
	LastError     string     `json:"last_error"`
	LastErrorAt   *time.Time `json:"last_error_at"`
	NextPollAt    *time.Time `json:"next_poll_at"`
	HeardToday    int64      `json:"heard_today"`
	HeardTotal    int64      `json:"heard_total"`
	// WebhookURL is the address to paste into the platform's console,
	// for a platform that calls us ("" otherwise).
	WebhookURL string `json:"webhook_url"`
	// Polls says whether "poll now" applies.
	Polls bool `json:"polls"`
}

// States returns every channel of the file in force, in the file's
// order; base is the server's public root for the webhook URLs
// ("https://care.example.org").
func (h *Hearing) States(ctx context.Context, base string) ([]State, error) {
	b := h.current()
	now := h.opts.Now()
	recorded, err := h.opts.Store.ChannelStates(ctx, now)
	if err != nil {
		return nil, err
	}
	out := make([]State, 0, len(b.order))
	for _, id := range b.order {
		c := b.chans[id]
		d := c.def
		r := recorded[id]
		s := State{ID: id, Platform: d.Platform, Name: d.Name, AccountID: d.AccountID, Site: d.Site, Poll: d.Poll.String(),
			LastHeardAt: r.LastHeardAt, LastSuccessAt: r.LastSuccessAt, LastError: r.LastError, LastErrorAt: r.LastErrorAt,
			HeardToday: r.HeardToday, HeardTotal: r.HeardTotal, Polls: c.conn.Poller != nil && d.Poll > 0}
		if s.Polls {
			s.NextPollAt = r.NextPollAt
		}
		if e := Endpoint(d.Platform); e != "" {
			s.WebhookURL = strings.TrimRight(base, "/") + WebhookPath(e)
		}
		switch {
		case len(c.missing) > 0:
			s.State = StateMissingSecret
			s.Why = strings.Join(c.missing, ", ") + " " + isAre(len(c.missing)) + " not set; the channel does nothing until " + itThey(len(c.missing)) + " " + isAre(len(c.missing))
		case c.problem != "":
			s.State, s.Why = StateUnavailable, c.problem
		case r.Failures > 0 && r.LastError != "":
			s.State, s.Why = StateFailing, r.LastError
		case d.Poll == 0:
			s.State, s.Why = StateWebhooksOnly, "heard by the platform's webhooks"
		default:
			s.State = StateHealthy
			if r.LastSuccessAt == nil {
				s.Why = "not polled yet"
			}
		}
		out = append(out, s)
	}
	return out, nil
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func itThey(n int) string {
	if n == 1 {
		return "it"
	}
	return "they"
}

// Errors of PollNow.
var (
	ErrNoChannel = errors.New("no channel with this id")
	ErrNotPolled = errors.New("this channel does not poll: it is heard by webhooks, or is not set up")
)

// PollNow makes a polling channel due at once: the next sweep on any
// replica polls it.
func (h *Hearing) PollNow(ctx context.Context, id string) error {
	c := h.current().chans[id]
	switch {
	case c == nil:
		return ErrNoChannel
	case c.conn.Poller == nil || c.def.Poll <= 0:
		return ErrNotPolled
	}
	return h.opts.Store.PollChannelNow(ctx, id, h.opts.Now())
}
