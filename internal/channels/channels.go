// Package channels hears the platforms on Earshot's own: it builds the
// connectors of the organisation file's channels (with their secrets from
// the environment), polls the channels that poll, one replica at a time,
// receives the platforms' webhooks, and feeds what it hears to the
// ingest pipeline, the same path as the API. It keeps each channel's
// state for the Channels page, and is the connector.Lookup the outbox
// sends replies through, always of the file in force.
package channels

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"earshot/internal/connector"
	"earshot/internal/ingest"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
)

// Options configure a Hearing. Store, Pipeline and Routes are required.
type Options struct {
	Store    *store.Store
	Pipeline *ingest.Pipeline
	// Routes holds the organisation file in force; the channels follow
	// it, rebuilt when a new file is applied.
	Routes *route.Live
	// Factories build a channel's connector, by platform (x, facebook,
	// instagram, google, yelp, rss). A platform without one is shown as
	// unavailable in this build.
	Factories map[string]connector.Factory
	// Webhooks build the webhook receiver of an endpoint ("x" for X,
	// "meta" for Facebook and Instagram) from its channels.
	Webhooks map[string]connector.WebhookFactory
	// Refresh, when set, builds the token source of a channel that names
	// refresh_token_env (the OAuth 2.0 refresh flow); static is the token
	// of token_env, nil when it names none.
	Refresh func(ch org.Channel, static connector.TokenSource, getenv func(string) string) (connector.TokenSource, error)
	// Getenv reads the environment variables the channels name; nil
	// reads none (every channel then misses its secrets).
	Getenv func(string) string
	// Client makes the connectors' requests; UserAgent names Earshot.
	Client    *http.Client
	UserAgent string
	// Owner names this replica in poll leases.
	Owner string
	// PollTimeout bounds one poll (default 30s).
	PollTimeout time.Duration
	// Registerer collects the metrics; nil collects none.
	Registerer prometheus.Registerer
	Logger     *slog.Logger
	Now        func() time.Time
}

// Hearing is the channels of the file in force. It is safe for
// concurrent use.
type Hearing struct {
	opts    Options
	metrics *metrics

	mu  sync.Mutex
	cur *built
}

// built is what one organisation file's channels make.
type built struct {
	version time.Time
	// key is the channels' canonical JSON: a new file with the same
	// channels keeps the connectors.
	key   string
	order []string
	chans map[string]*channel
	reg   *connector.Registry
	hooks map[string]connector.Webhook
}

// channel is one channel of the file and what became of it.
type channel struct {
	def  org.Channel
	conn connector.Channel
	// missing are the environment variables it names that are unset.
	missing []string
	// problem says why it has no connector, in plain words.
	problem string
}

// New returns the Hearing of opts.
func New(opts Options) *Hearing {
	if opts.Getenv == nil {
		opts.Getenv = func(string) string { return "" }
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "Earshot"
	}
	if opts.Owner == "" {
		opts.Owner = "earshot"
	}
	if opts.PollTimeout <= 0 {
		opts.PollTimeout = 30 * time.Second
	}
	return &Hearing{opts: opts, metrics: newMetrics(opts.Registerer)}
}

// Endpoint is the webhook endpoint of a platform ("" for one that does
// not call us): /webhooks/x for X, /webhooks/meta for Facebook and
// Instagram, which share one app.
func Endpoint(platform string) string {
	switch platform {
	case org.PlatformX:
		return "x"
	case org.PlatformFacebook, org.PlatformInstagram:
		return "meta"
	}
	return ""
}

// Sender is the connector.Lookup of the file in force.
func (h *Hearing) Sender(channel, platform string) (connector.Sender, bool) {
	return h.current().reg.Sender(channel, platform)
}

// Warnings says which channels of o miss environment variables here.
func (h *Hearing) Warnings(o *org.Org) []string { return o.ChannelWarnings(h.opts.Getenv) }

// current returns the channels of the file in force, building them when
// a new file was applied.
func (h *Hearing) current() *built {
	v := h.opts.Routes.Version()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur != nil && h.cur.version.Equal(v) {
		return h.cur
	}
	o := h.opts.Routes.Router().Org()
	var defs []org.Channel
	if o != nil {
		defs = o.Channels
	}
	key, _ := json.Marshal(defs)
	if h.cur != nil && bytes.Equal([]byte(h.cur.key), key) {
		h.cur.version = v
		return h.cur
	}
	h.cur = h.build(defs, v, string(key))
	return h.cur
}

// build makes the connectors of defs.
func (h *Hearing) build(defs []org.Channel, version time.Time, key string) *built {
	b := &built{version: version, key: key, chans: map[string]*channel{}, hooks: map[string]connector.Webhook{}}
	var conns []connector.Channel
	hookCfgs := map[string][]connector.Config{}
	for _, d := range defs {
		c := &channel{def: d, missing: d.Unset(h.opts.Getenv)}
		b.order = append(b.order, d.ID)
		b.chans[d.ID] = c
		if len(c.missing) > 0 {
			continue
		}
		cfg, err := h.config(d)
		if err != nil {
			c.problem = err.Error()
			continue
		}
		// Only a channel that names a secret to check deliveries with
		// hears by webhook; one without (an X channel that polls) must
		// not make the platform's receiver fail for the others.
		if e := Endpoint(d.Platform); e != "" && d.SecretEnv != "" {
			hookCfgs[e] = append(hookCfgs[e], cfg)
		}
		f := h.opts.Factories[d.Platform]
		if f == nil {
			c.problem = "this build of Earshot has no " + d.Platform + " connector"
			continue
		}
		conn, err := f(cfg)
		if err != nil {
			c.problem = "the connector could not be set up: " + plain(err)
			continue
		}
		conn.ID, conn.Platform = d.ID, d.Platform
		c.conn = conn
		conns = append(conns, conn)
	}
	reg, err := connector.NewRegistry(conns...)
	if err != nil {
		// The file's ids are unique; this cannot happen with a valid one.
		h.opts.Logger.Error("channels: build registry", "err", err)
		reg = nil
	}
	b.reg = reg
	for e, cfgs := range hookCfgs {
		f := h.opts.Webhooks[e]
		if f == nil {
			continue
		}
		hook, err := f(cfgs)
		if err != nil {
			h.opts.Logger.Error("channels: set up webhook receiver", "endpoint", e, "err", err)
			for _, cfg := range cfgs {
				if c := b.chans[cfg.ID]; c.problem == "" {
					c.problem = "its webhook receiver could not be set up: " + plain(err)
				}
			}
			continue
		}
		b.hooks[e] = hook
	}
	return b
}

// config is the connector.Config of d, with its secrets read.
func (h *Hearing) config(d org.Channel) (connector.Config, error) {
	getenv := h.opts.Getenv
	cfg := connector.Config{
		ID: d.ID, Platform: d.Platform, AccountID: d.AccountID, Name: d.Name, Site: d.Site,
		BaseURL: d.BaseURL, URL: d.URL, Poll: time.Duration(d.Poll),
		Client: h.opts.Client, UserAgent: h.opts.UserAgent, Now: h.opts.Now,
	}
	if d.SecretEnv != "" {
		cfg.Secret = getenv(d.SecretEnv)
	}
	if d.VerifyTokenEnv != "" {
		cfg.VerifyToken = getenv(d.VerifyTokenEnv)
	}
	var static connector.TokenSource
	if d.TokenEnv != "" {
		static = connector.StaticToken(getenv(d.TokenEnv))
	}
	cfg.Auth = static
	if d.RefreshTokenEnv != "" {
		if h.opts.Refresh == nil {
			return cfg, errNoRefresh
		}
		ts, err := h.opts.Refresh(d, static, getenv)
		if err != nil {
			return cfg, err
		}
		cfg.Auth = ts
	}
	return cfg, nil
}

// errNoRefresh is the problem of a channel that needs token refresh in a
// build without it.
var errNoRefresh = plainError("this build of Earshot cannot refresh OAuth tokens (refresh_token_env)")

type plainError string

func (e plainError) Error() string { return string(e) }
