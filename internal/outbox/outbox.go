// Package outbox sends the replies agents write to the platforms, through
// the platforms' connectors, as durable jobs: one deliver_reply job per
// reply, enqueued once by a sweep over the queued replies (the reply row
// is the truth; the job's dedupe key makes it once). Just before sending
// it judges the reply again with the privacy guard and, since its case
// may have turned critical meanwhile, with the crisis rule. It records the
// platform's id and link of a sent reply, retries rate limits when the
// platform says and other passing failures with backoff, records a
// refusal with the platform's reason, and never sends a reply twice: one
// whose fate is unknown waits for an agent. Where no connector answers
// for a platform, the reply says so.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"earshot/internal/cases"
	"earshot/internal/connector"
	"earshot/internal/guard"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/store"
)

// keyPrefix starts the dedupe key of a reply's job; the reply's id and
// its delivery round end it (store.DeliveryKey).
const keyPrefix = model.JobKindDeliverReply + ":"

// payload is a deliver_reply job's payload. Round is the reply's delivery
// round the job sends it in: 0 at first, one more each time an agent
// sends it again.
type payload struct {
	CaseID  int64 `json:"case_id"`
	ReplyID int64 `json:"reply_id"`
	Round   int   `json:"round,omitempty"`
}

// Options configure an Outbox. Zero values take defaults.
type Options struct {
	// Connectors finds the sender for a case; nil finds none.
	Connectors connector.Lookup
	// SendTimeout bounds one Send (default 30s); a send cut by it is of
	// unknown outcome.
	SendTimeout time.Duration
	// Now is the clock; tests inject one.
	Now func() time.Time
	// Protocol, when set, returns the crisis protocol of the organisation
	// file in force (nil for none): a public reply on a case that turned
	// critical after it was queued may go only in its words, or in words
	// that say nothing of the crisis (cases.CheckCrisisReply).
	Protocol func() *org.Crisis
	// Publish, when set, tells open views that a case changed.
	Publish func(caseID int64)
	Logger  *slog.Logger
}

// Outbox delivers queued replies.
type Outbox struct {
	st    *store.Store
	guard *guard.Guard
	opts  Options
}

// New returns an outbox over st that judges replies with g.
func New(st *store.Store, g *guard.Guard, opts Options) *Outbox {
	if opts.SendTimeout <= 0 {
		opts.SendTimeout = 30 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Outbox{st: st, guard: g, opts: opts}
}

// Sweep returns the sweep that enqueues a deliver_reply job for each
// queued reply that has none in its delivery round, up to limit a tick.
// A reply queued by any door (the composer, the API, an approval, an
// agent's "try again") is found here, so none needs a hook; the dedupe
// key keeps it to one job a round, however many replicas sweep.
func (o *Outbox) Sweep(limit int) jobs.Sweep {
	return func(ctx context.Context, now time.Time) error {
		refs, err := o.st.QueuedReplies(ctx, keyPrefix, limit)
		if err != nil || len(refs) == 0 {
			return err
		}
		js := make([]store.NewJob, len(refs))
		for i, r := range refs {
			p, _ := json.Marshal(payload{CaseID: r.CaseID, ReplyID: r.ReplyID, Round: r.Round}) // numbers always marshal
			js[i] = store.NewJob{Kind: model.JobKindDeliverReply, Payload: p, DedupeKey: store.DeliveryKey(keyPrefix, r.ReplyID, r.Round)}
		}
		_, err = o.st.EnqueueJobs(ctx, now, js...)
		return err
	}
}

// Handler returns the handler of deliver_reply jobs.
func (o *Outbox) Handler() jobs.Handler {
	return func(ctx context.Context, j store.Job) error {
		var p payload
		if err := json.Unmarshal(j.Payload, &p); err != nil || p.ReplyID == 0 {
			return jobs.Permanent(fmt.Errorf("deliver_reply job %d: bad payload", j.ID))
		}
		return o.deliver(ctx, p, j.Attempts >= j.MaxAttempts)
	}
}

// deliver sends one reply; last says this is the job's last attempt.
func (o *Outbox) deliver(ctx context.Context, p payload, last bool) error {
	c, err := o.st.GetCase(ctx, p.CaseID)
	if errors.Is(err, store.ErrNotFound) {
		o.opts.Logger.Warn("reply to deliver has no case", "case", p.CaseID, "reply", p.ReplyID)
		return nil
	}
	if err != nil {
		return err
	}
	rp, was, err := o.st.ClaimReply(ctx, p.CaseID, p.ReplyID, p.Round)
	if errors.Is(err, store.ErrNotFound) {
		o.opts.Logger.Warn("reply to deliver is gone", "case", p.CaseID, "reply", p.ReplyID)
		return nil
	}
	if err != nil {
		return err
	}
	if rp.DeliveryRound != p.Round {
		// An agent sent it again since this job was made: the new
		// round's job sends it, this one must not.
		return nil
	}
	switch was {
	case model.ReplyQueued:
	case model.ReplySending:
		// An attempt before this one was cut off (the process stopped, its
		// lease ran out) after it may have sent the reply.
		return o.settle(ctx, rp, model.ReplyUnknown, "an earlier attempt stopped while sending it: check the platform before sending it again")
	default:
		return nil // already settled, or not to be sent (held, rejected)
	}
	var protocol *org.Crisis
	if o.opts.Protocol != nil {
		protocol = o.opts.Protocol()
	}
	if err := cases.JudgeStored(o.guard, c, &rp, protocol); err != nil {
		ref := cases.AsRefusal(err)
		if ref == nil {
			return o.release(ctx, rp, err)
		}
		who := "the privacy guard"
		if ref.Code == cases.RefusedCrisis {
			who = "the crisis rule"
		}
		return o.settle(ctx, rp, model.ReplyFailed, who+" refused it when it was to be sent ("+ref.Code+"): "+ref.Error())
	}
	m := answered(c, rp)
	channel := m.Channel
	if channel == "" {
		channel = c.Channel
	}
	if !cases.HasReplyAPI(c.Platform) {
		return o.settle(ctx, rp, model.ReplyNoConnector, c.Platform+" has no reply API: post it there yourself, then mark it sent")
	}
	var sender connector.Sender
	ok := false
	if o.opts.Connectors != nil {
		sender, ok = o.opts.Connectors.Sender(channel, c.Platform)
	}
	if !ok {
		where := c.Platform
		if channel != "" {
			where += fmt.Sprintf(" channel %q", channel)
		}
		return o.settle(ctx, rp, model.ReplyNoConnector, "no connector for "+where+" is set up here")
	}
	out := connector.Outgoing{ReplyID: rp.ID, Channel: channel, Visibility: rp.Visibility, Text: rp.Text,
		InReplyTo: m.ExternalID, ThreadID: m.ThreadID, AuthorID: m.Author.ID}
	if out.AuthorID == "" {
		out.AuthorID = c.Author.ID
	}
	sendCtx, cancel := context.WithTimeout(ctx, o.opts.SendTimeout)
	sent, err := sender.Send(sendCtx, out)
	cancel()
	return o.record(ctx, rp, sent, err, last)
}

// record settles a reply after its Send.
func (o *Outbox) record(ctx context.Context, rp model.Reply, sent connector.Sent, err error, last bool) error {
	var (
		rate *connector.RateLimited
		tmp  *connector.Temporary
		perm *connector.Permanent
	)
	switch {
	case err == nil:
		if err := o.st.MarkReplySent(ctx, rp.ID, sent.ID, sent.URL, o.opts.Now()); err != nil {
			// Sent, but not recorded: the retry finds the reply sending and
			// asks the agent, rather than sending it again.
			o.opts.Logger.Error("reply sent but not recorded", "case", rp.CaseID, "reply", rp.ID, "platform_id", sent.ID, "err", err)
			return err
		}
		o.opts.Logger.Info("reply sent", "case", rp.CaseID, "reply", rp.ID, "platform_id", sent.ID)
		o.publish(rp.CaseID)
		return nil
	case errors.As(err, &rate):
		if err := o.st.ReleaseReply(ctx, rp.ID, rate.Error()); err != nil {
			return err
		}
		return jobs.DeferError{After: rate.RetryAfter}
	case errors.As(err, &tmp):
		if last {
			return o.settle(ctx, rp, model.ReplyFailed, "gave up after repeated failures: "+tmp.Error())
		}
		return o.release(ctx, rp, err)
	case errors.As(err, &perm):
		return o.settle(ctx, rp, model.ReplyFailed, perm.Error())
	}
	// An *Unknown, or an error the connector did not type: it may have
	// gone out.
	return o.settle(ctx, rp, model.ReplyUnknown, err.Error()+": check the platform before sending it again")
}

// release puts a reply back in the queue after a failure that may pass
// and returns the failure, so that the job is tried again with backoff.
func (o *Outbox) release(ctx context.Context, rp model.Reply, cause error) error {
	if err := o.st.ReleaseReply(ctx, rp.ID, cause.Error()); err != nil {
		return errors.Join(cause, err)
	}
	o.opts.Logger.Info("reply not sent; will retry", "case", rp.CaseID, "reply", rp.ID, "err", cause)
	return fmt.Errorf("deliver reply %d: %w", rp.ID, cause)
}

// settle gives a reply being sent its final state and why.
func (o *Outbox) settle(ctx context.Context, rp model.Reply, state model.ReplyState, reason string) error {
	var err error
	switch state {
	case model.ReplyFailed:
		err = o.st.MarkReplyFailed(ctx, rp.ID, reason)
	case model.ReplyUnknown:
		err = o.st.MarkReplyUnknown(ctx, rp.ID, reason)
	case model.ReplyNoConnector:
		err = o.st.MarkReplyNoConnector(ctx, rp.ID, reason)
	default:
		err = fmt.Errorf("settle reply %d: no final state %q", rp.ID, state)
	}
	if err != nil {
		return err
	}
	o.opts.Logger.Info("reply not sent", "case", rp.CaseID, "reply", rp.ID, "state", state)
	o.publish(rp.CaseID)
	return nil
}

func (o *Outbox) publish(caseID int64) {
	if o.opts.Publish != nil {
		o.opts.Publish(caseID)
	}
}

// answered returns the mention a reply answers: the latest inbound
// mention that came before it was written, else the case's latest
// inbound, else its first mention.
func answered(c *model.Case, rp model.Reply) model.Mention {
	var best, latest *model.Mention
	for i := range c.Mentions {
		m := &c.Mentions[i]
		if m.Direction == model.DirectionOutbound {
			continue
		}
		if latest == nil || m.CreatedAt.After(latest.CreatedAt) {
			latest = m
		}
		if !m.ReceivedAt.After(rp.CreatedAt) && (best == nil || m.CreatedAt.After(best.CreatedAt)) {
			best = m
		}
	}
	switch {
	case best != nil:
		return *best
	case latest != nil:
		return *latest
	case len(c.Mentions) > 0:
		return c.Mentions[0]
	}
	return model.Mention{}
}
