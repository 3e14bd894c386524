package channels

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"earshot/internal/connector"
	"earshot/internal/ingest"
	"earshot/internal/jobs"
	"earshot/internal/model"
)

// MaxBackoff is the longest wait after failures, unless the channel
// polls less often than that anyway.
const MaxBackoff = 15 * time.Minute

// maxReason bounds a recorded error.
const maxReason = 300

// Sweep polls every polling channel that is due, each once among the
// replicas (a lease in the store), all at once so that a slow or failing
// one holds up no other. Run it with jobs.Runner.Every.
func (h *Hearing) Sweep() jobs.Sweep {
	return func(ctx context.Context, now time.Time) error {
		b := h.current()
		var wg sync.WaitGroup
		var mu sync.Mutex
		var errs []error
		for _, id := range b.order {
			c := b.chans[id]
			if c.conn.Poller == nil || c.def.Poll <= 0 {
				continue
			}
			wg.Go(func() {
				if err := h.poll(ctx, c, now); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return errors.Join(errs...)
	}
}

// poll polls channel c if it is due and this replica gets its lease.
// What the platform does wrong is recorded in the channel's state; the
// error return is for the store failing.
func (h *Hearing) poll(ctx context.Context, c *channel, now time.Time) error {
	st, id, owner := h.opts.Store, c.def.ID, h.opts.Owner
	leaseFor := h.opts.PollTimeout + time.Minute
	taken, failures, err := st.TakeChannelLease(ctx, id, owner, now, now.Add(leaseFor))
	if err != nil || !taken {
		return err
	}
	cursor, err := st.ConnectorCursor(ctx, id)
	if err != nil {
		return h.failed(ctx, c, failures, now, fmt.Errorf("could not read where it left off"), err)
	}
	pctx, cancel := context.WithTimeout(ctx, h.opts.PollTimeout)
	ms, next, perr := safePoll(pctx, c.conn.Poller, cursor)
	cancel()
	if ctx.Err() != nil {
		// Shutting down: the lease runs out and another poll starts over.
		return nil
	}
	now = h.opts.Now()
	if perr != nil {
		h.metrics.polls.WithLabelValues("failed").Inc()
		return h.failed(ctx, c, failures, now, perr, nil)
	}
	// A poll that outlasted its lease may have been taken over: then the
	// other replica stores what it heard, not this one.
	if ok, err := st.RenewChannelLease(ctx, id, owner, now, now.Add(leaseFor)); err != nil || !ok {
		if err == nil {
			h.opts.Logger.Warn("channel poll outlasted its lease; another replica took it over", "channel", id)
		}
		return err
	}
	for i := range ms {
		ms[i].Channel, ms[i].Platform = id, platformOf(ms[i], c.def.Platform)
	}
	heard, err := h.ingest(ctx, id, ms)
	if err != nil {
		return h.failed(ctx, c, failures, now, fmt.Errorf("what it heard could not be stored"), err)
	}
	// The cursor moves only once what it heard is stored: a crash before
	// this line polls the same again, and ingest drops the duplicates.
	if err := st.SetConnectorCursor(ctx, id, next, now); err != nil {
		return h.failed(ctx, c, failures, now, fmt.Errorf("where it left off could not be stored"), err)
	}
	h.metrics.polls.WithLabelValues("ok").Inc()
	return st.RecordChannelPoll(ctx, id, owner, heard, now, now.Add(time.Duration(c.def.Poll)))
}

// platformOf is the mention's platform, the channel's when it names none.
func platformOf(m model.Mention, platform string) string {
	if m.Platform != "" {
		return m.Platform
	}
	return platform
}

// safePoll polls, turning a connector's panic into an error so that one
// broken connector never stops the process.
func safePoll(ctx context.Context, p connector.Poller, cursor string) (ms []model.Mention, next string, err error) {
	defer func() {
		if r := recover(); r != nil {
			ms, next, err = nil, "", fmt.Errorf("the connector failed unexpectedly")
		}
	}()
	return p.Poll(ctx, cursor)
}

// ingest stores mentions a channel heard through the pipeline and
// returns how many were new. A mention the pipeline refuses is counted
// and logged without its text; it does not stop the others.
func (h *Hearing) ingest(ctx context.Context, channelID string, ms []model.Mention) (int, error) {
	if len(ms) == 0 {
		return 0, nil
	}
	results, err := h.opts.Pipeline.Ingest(ctx, ms)
	if err != nil {
		return 0, err
	}
	heard := 0
	for i, r := range results {
		switch {
		case r.Err != nil:
			h.metrics.rejected.WithLabelValues(channelID).Inc()
			h.opts.Logger.Warn("channel brought a mention the pipeline refused", "channel", channelID,
				"external_id", ms[i].ExternalID, "reason", fieldOf(r.Err))
		case !r.Duplicate:
			heard++
		}
	}
	h.metrics.heard.WithLabelValues(channelID).Add(float64(heard))
	return heard, nil
}

// fieldOf names what was wrong with a refused mention without quoting
// it: the field, where the error says.
func fieldOf(err error) string {
	var fe *ingest.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return "invalid"
}

// failed records a failed poll of c: a rate limit waits as long as the
// platform asks; other failures back off, doubling. why is what the
// channel's page says; cause, when set, is logged (a store error).
func (h *Hearing) failed(ctx context.Context, c *channel, failures int, now time.Time, why, cause error) error {
	poll := time.Duration(c.def.Poll)
	var wait time.Duration
	var rl *connector.RateLimited
	if errors.As(why, &rl) {
		wait = max(rl.RetryAfter, time.Second)
	} else {
		wait = Backoff(poll, failures+1)
	}
	next := now.Add(wait)
	reason := plain(why)
	if cause != nil {
		h.opts.Logger.Error("channel poll", "channel", c.def.ID, "err", cause)
	} else {
		h.opts.Logger.Warn("channel poll failed", "channel", c.def.ID, "reason", reason, "next_poll", next)
	}
	return h.opts.Store.RecordChannelError(ctx, c.def.ID, h.opts.Owner, reason, now, &next)
}

// Backoff is how long a channel that polls every poll waits after its
// nth failure in a row: poll doubled n times, at most MaxBackoff (or
// poll, when that is longer).
func Backoff(poll time.Duration, n int) time.Duration {
	ceiling := max(MaxBackoff, poll)
	d := max(poll, time.Second)
	for i := 0; i < n && d < ceiling; i++ {
		d *= 2
	}
	return min(d, ceiling)
}

// plain is an error in words fit for a channel's page: one line, no
// control characters, bounded.
func plain(err error) string {
	s := strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, err.Error())
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxReason {
		cut := maxReason
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
