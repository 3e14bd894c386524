// Package notify delivers alerts: email over SMTP, SMS through an HTTP
// API in Twilio's Messages shape, Slack and Microsoft Teams incoming
// webhooks, and a generic webhook signed with HMAC-SHA256. Deliveries run
// as durable jobs (see Handler): retried with backoff, dead-lettered,
// rate limited per target. Alert texts carry a case id, priority,
// platform, a short reason and a link, never the words of a mention. The
// sweeps that raise alerts live here too: SLA warnings and breaches (with
// their escalations), spikes, the daily digest and the weekly report
// email.
package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"earshot/internal/egress"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
)

// DefaultPerMinute bounds deliveries to one target when it does not say.
const DefaultPerMinute = 30

// Options configure a Notifier.
type Options struct {
	// Getenv reads secrets named by the organisation file (secret_env,
	// password_env); nil reads none.
	Getenv func(string) string
	// Egress is where deliveries may connect: webhook, Slack, Teams and
	// SMS URLs and the mail server, checked after DNS. The zero Policy
	// reaches the public internet only.
	Egress egress.Policy
	// Now is the clock of rate limits.
	Now    func() time.Time
	Logger *slog.Logger
	// SMTPTimeout bounds one email delivery (default 30s).
	SMTPTimeout time.Duration
	// PublicURL is where Earshot is reached (serve --public-url): the
	// weekly report links to its reports page there when the
	// organisation file has no base_url.
	PublicURL string
}

// Notifier sends alerts to targets. It is safe for concurrent use.
type Notifier struct {
	opts     Options
	http     *http.Client
	mu       sync.Mutex
	limiters map[string]*limiter
}

type limiter struct {
	perMinute int
	l         *rate.Limiter
}

// New returns a Notifier.
func New(opts Options) *Notifier {
	if opts.Getenv == nil {
		opts.Getenv = func(string) string { return "" }
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.SMTPTimeout <= 0 {
		opts.SMTPTimeout = 30 * time.Second
	}
	return &Notifier{opts: opts, http: opts.Egress.Client(15 * time.Second), limiters: map[string]*limiter{}}
}

// Message is an alert rendered for people.
type Message struct {
	Subject string
	Text    string
	Link    string
}

// Render writes an alert as a short message without PHI.
func Render(o *org.Org, a model.Alert) Message {
	var m Message
	what := map[string]string{
		org.OnCritical: "Critical mention", org.OnLowRating: "Low review", org.OnSLAWarning: "Deadline soon",
		org.OnSLABreach: "Deadline missed", org.OnSpike: "Spike", org.OnDigest: "Daily digest", "rule": "Alert",
	}[a.Event]
	if what == "" {
		what = "Alert"
	}
	if a.CaseID != 0 {
		m.Subject = fmt.Sprintf("[Earshot] %s: case %d (%s, %s)", what, a.CaseID, a.Priority, a.Platform)
		if o.BaseURL != "" {
			m.Link = fmt.Sprintf("%s/cases/%d", strings.TrimRight(o.BaseURL, "/"), a.CaseID)
		}
	} else {
		m.Subject = fmt.Sprintf("[Earshot] %s: %s", what, o.Organization)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", a.Reason)
	if a.CaseID != 0 {
		fmt.Fprintf(&b, "Case: %d\nPriority: %s\nPlatform: %s\n", a.CaseID, a.Priority, a.Platform)
	}
	if a.Body != "" {
		fmt.Fprintf(&b, "%s\n", a.Body)
	}
	if m.Link != "" {
		fmt.Fprintf(&b, "Open: %s\n", m.Link)
	}
	m.Text = b.String()
	return m
}

// Send delivers alert a to target t of organisation o.
func (n *Notifier) Send(ctx context.Context, o *org.Org, t *org.AlertTarget, a model.Alert) error {
	msg := Render(o, a)
	switch t.Type {
	case org.TargetEmail:
		return n.sendEmail(ctx, o.SMTP, t, msg)
	case org.TargetSMS:
		return n.sendSMS(ctx, t, msg)
	case org.TargetSlack:
		return n.postJSON(ctx, t.URL, slackBody(msg), nil)
	case org.TargetTeams:
		return n.postJSON(ctx, t.URL, teamsBody(msg), nil)
	case org.TargetWebhook:
		return n.sendWebhook(ctx, t, a, msg)
	}
	return fmt.Errorf("alert target %s: unknown type %q", t.ID, t.Type)
}

// allow takes a delivery from target's rate limit, or says how long to
// wait.
func (n *Notifier) allow(t *org.AlertTarget, now time.Time) time.Duration {
	per := t.PerMinute
	if per <= 0 {
		per = DefaultPerMinute
	}
	n.mu.Lock()
	l := n.limiters[t.ID]
	if l == nil || l.perMinute != per {
		l = &limiter{perMinute: per, l: rate.NewLimiter(rate.Limit(float64(per)/60), per)}
		n.limiters[t.ID] = l
	}
	n.mu.Unlock()
	r := l.l.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}

// Handler returns the job handler that delivers alert jobs to the
// targets of the organisation file in force. A target no longer in the
// file, one at an address the Egress policy refuses, one that redirects,
// or one that refuses the request (HTTP 4xx but 408 and 429)
// dead-letters the job; other failures are retried. What a failure
// keeps, for people to read, is our own words and the HTTP status,
// never what the target answered.
func (n *Notifier) Handler(live *route.Live) jobs.Handler {
	return func(ctx context.Context, j store.Job) error {
		var a model.Alert
		if err := json.Unmarshal(j.Payload, &a); err != nil {
			return jobs.Permanent(fmt.Errorf("decode alert: %w", err))
		}
		o := live.Router().Org()
		t := o.Target(a.Target)
		if t == nil {
			return jobs.Permanent(fmt.Errorf("alert target %q is not in the organisation file", a.Target))
		}
		if wait := n.allow(t, n.opts.Now()); wait > 0 {
			return jobs.DeferError{After: wait}
		}
		err := n.Send(ctx, o, t, a)
		if err == nil {
			n.opts.Logger.Info("alert delivered", "target", t.ID, "type", t.Type, "event", a.Event, "case", a.CaseID)
			return nil
		}
		var se *egress.StatusError
		if errors.As(err, &se) && final(se.Code) {
			return jobs.Permanent(fmt.Errorf("alert target %s refused: %w", t.ID, err))
		}
		var re *egress.RefusedError
		if errors.As(err, &re) {
			return jobs.Permanent(fmt.Errorf("alert target %s: %w; %s", t.ID, err, org.PrivateTargets))
		}
		var perm interface{ Permanent() bool }
		if errors.As(err, &perm) && perm.Permanent() {
			return jobs.Permanent(err)
		}
		return fmt.Errorf("alert target %s: %w", t.ID, err)
	}
}

// final reports whether an HTTP status says the same request will fail
// again: a redirect (never followed), or a 4xx but a timeout or a rate
// limit.
func final(code int) bool {
	return code/100 == 3 || code/100 == 4 && code != http.StatusTooManyRequests && code != http.StatusRequestTimeout
}
