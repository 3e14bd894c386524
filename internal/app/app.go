// Package app wires earshot serve: the store, the organisation file and
// sentiment model in force (reloaded when another process changes them),
// the jobs runner with its sweeps, alert delivery, the reply outbox, live
// events, the web app and the REST API, mounted side by side on one
// listener, with a graceful shutdown.
package app

import (
	"context"
	"earshot/internal/report"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"earshot/internal/api"
	"earshot/internal/cases"
	"earshot/internal/channels"
	"earshot/internal/connector"
	"earshot/internal/egress"
	"earshot/internal/events"
	"earshot/internal/guard"
	"earshot/internal/ingest"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/notify"
	"earshot/internal/org"
	"earshot/internal/outbox"
	"earshot/internal/redact"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/web"
)

// Config holds every setting of serve. The command line validates them;
// New takes them as given, with zero values meaning the defaults of the
// packages they go to.
type Config struct {
	// Addr is the address to listen on, such as 127.0.0.1:8080 (":0"
	// picks a free port; URL says which).
	Addr string
	// DataDir and DatabaseURL choose the store, as store.Config does.
	DataDir     string
	DatabaseURL string
	// PublicURL is the address browsers use behind a TLS-terminating
	// proxy (web.Config.PublicURL).
	PublicURL string
	// RateLimit and RateBurst bound each API token's requests a second
	// (0: no limit).
	RateLimit float64
	RateBurst int
	// SessionMaxAge is how long a web session lasts from sign-in.
	SessionMaxAge time.Duration
	// SignInSlots is how many password checks may run at once.
	SignInSlots int
	// TrustedProxies are the proxies whose X-Forwarded-For names the
	// client, for sign-in limits.
	TrustedProxies []netip.Prefix
	// Egress says where alert targets and the mail server may be.
	Egress egress.Policy
	// MetricsToken, when set, is the bearer token /metrics requires.
	MetricsToken string
	// Getenv reads the environment variables that hold alert targets'
	// and channels' secrets; nil reads none.
	Getenv func(string) string
	// Factories and Webhooks, when Factories is set, replace the
	// platforms this build has (tests and the demo's simulated platform).
	Factories map[string]connector.Factory
	Webhooks  map[string]connector.WebhookFactory
	Logger    *slog.Logger
}

// Server is a configured serve, ready to Run.
type Server struct {
	cfg      Config
	ln       net.Listener
	st       *store.Store
	live     *route.Live
	pipeline *ingest.Pipeline
	runner   *jobs.Runner
	channels *channels.Hearing
	web      *web.Server
	http     *http.Server
	tasks    []task
}

// task is work that lives as long as the server (Server.Go).
type task struct {
	name string
	run  func(ctx context.Context) error
}

// New listens on cfg.Addr, opens and migrates the store, puts the stored
// organisation file and sentiment model in force and builds everything
// serve runs. It listens first so that a start that cannot serve fails
// before anything is written. Close the Server when done.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Getenv == nil {
		cfg.Getenv = func(string) string { return "" }
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	st, err := store.Open(ctx, store.Config{DataDir: cfg.DataDir, DatabaseURL: cfg.DatabaseURL, Logger: cfg.Logger})
	if err != nil {
		ln.Close()
		return nil, err
	}
	s := &Server{cfg: cfg, ln: ln, st: st}
	if err := s.build(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// build makes the parts of serve over the open store and mounts them.
func (s *Server) build(ctx context.Context) error {
	cfg, st := s.cfg, s.st
	an, modelStamp, err := LoadAnalyzer(ctx, st)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	broker := events.NewBroker()
	// The organisation file in force routes ingest, sets the deadlines
	// that agents' replies and status changes move (cases), and is
	// reloaded when applied again.
	s.live = route.NewLive(nil)
	if err := s.ReloadOrg(ctx); err != nil {
		return err
	}
	// The organisation's own contact details, from the file in force
	// when each reply is judged, are never findings.
	g := guard.New(an, guard.WithContacts(cases.Contacts(s.live)))
	caseService := cases.NewService(st, s.live, g, nil)
	reload := func(ctx context.Context) {
		if err := s.ReloadOrg(ctx); err != nil {
			cfg.Logger.Error("reload organisation file", "err", err)
		}
	}
	orgOpts := org.Options{Egress: cfg.Egress}
	s.pipeline = ingest.New(st, an, ingest.Options{Broker: broker, Logger: cfg.Logger, Metrics: ingest.NewMetrics(reg), Routes: s.live})
	// The channels of the file in force hear the platforms through the
	// same pipeline, and are what the outbox answers through.
	factories, hooks := platformFactories(), webhookFactories()
	if cfg.Factories != nil {
		factories, hooks = cfg.Factories, cfg.Webhooks
	}
	refresh, err := tokenRefresher(st, cfg.Getenv, cfg.Egress.Client(0), egress.UserAgent, cfg.Logger)
	if err != nil {
		return err
	}
	s.channels = channels.New(channels.Options{Store: st, Pipeline: s.pipeline, Routes: s.live,
		Factories: factories, Webhooks: hooks, Refresh: refresh, Getenv: cfg.Getenv,
		Client: cfg.Egress.Client(0), UserAgent: egress.UserAgent, Owner: replicaName(), Registerer: reg, Logger: cfg.Logger})
	reports := report.New(st, report.Options{Location: func() *time.Location { return s.live.Router().Location() },
		Router: s.live.Router, Redact: redact.New(an, cfg.Logger), Spike: func() *org.Spike { return s.live.Router().Org().Spike }})
	s.web, err = web.New(web.Config{Store: st, Reports: reports, Analyzer: an, Cases: caseService, Broker: broker, Logger: cfg.Logger, PublicURL: cfg.PublicURL,
		OnOrgApplied: reload, Registerer: reg, OrgOptions: orgOpts, Channels: s.channels,
		SessionMaxAge: cfg.SessionMaxAge, PasswordChecks: cfg.SignInSlots, TrustedProxies: cfg.TrustedProxies})
	if err != nil {
		return err
	}
	s.runner = jobs.New(st, jobs.Options{Logger: cfg.Logger, Metrics: jobs.NewMetrics(reg)})
	s.runner.Every("org reload", orgReload(st, s.live, cfg.Logger))
	// A model stored by earshot train (the web and API use the analyser
	// only for PHI, which the model does not change).
	s.runner.Every("model reload", modelReload(st, modelStamp, s.pipeline.SetAnalyzer, cfg.Logger))
	s.runner.Every("sla timers", notify.SLASweep(st, s.live, 200))
	s.runner.Every("spikes", notify.SpikeSweep(st, s.live))
	s.runner.Every("digest", notify.DigestSweep(st, s.live))
	s.runner.Every("purge", jobs.PurgeSweep(st, 90*24*time.Hour))
	// Ingest links a reply stored before its parent when the parent
	// comes; this catches what a replica's transaction could not see.
	s.runner.Every("waiting replies", s.pipeline.ReplyLinkSweep(time.Minute, 500))
	notifier := notify.New(notify.Options{Getenv: cfg.Getenv, Logger: cfg.Logger, Egress: cfg.Egress, PublicURL: cfg.PublicURL})
	s.runner.Handle(model.JobKindAlert, notifier.Handler(s.live))
	s.runner.Every("weekly report", notify.WeeklySweep(st, s.live))
	s.runner.Handle(notify.JobKindWeeklyReport, notifier.WeeklyHandler(s.live, reports))
	s.runner.Every("channels", s.channels.Sweep())
	// Replies go out through the connectors of the file in force; a
	// platform with none here says the reply was not sent and why.
	out := outbox.New(st, g, outbox.Options{Connectors: s.channels, Logger: cfg.Logger, Protocol: caseService.Protocol,
		Publish: func(caseID int64) { broker.Publish(events.Event{Type: events.CaseChanged, CaseID: caseID}) }})
	s.runner.Handle(model.JobKindDeliverReply, out.Handler())
	s.runner.Every("outbox", out.Sweep(200))
	apiHandler := api.New(api.Config{Store: st, Reports: reports, Pipeline: s.pipeline, Analyzer: an, Cases: caseService, Gatherer: reg, Registerer: reg, Logger: cfg.Logger,
		OnOrgApplied: reload, RateLimit: cfg.RateLimit, RateBurst: cfg.RateBurst, OrgOptions: orgOpts, MetricsToken: cfg.MetricsToken,
		Channels: s.channels, PublicURL: cfg.PublicURL})
	s.http = &http.Server{
		Handler:           Mount(s.web, apiHandler, s.channels.Webhooks()),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	s.http.RegisterOnShutdown(s.web.Close)
	return nil
}

// Mount serves the API's paths (api.Paths) with apiHandler, the
// platforms' webhooks (/webhooks/, verified by their signatures, outside
// sign-in and CSRF protection) with webhooks, and everything else with
// the web app.
func Mount(webApp, apiHandler, webhooks http.Handler) http.Handler {
	mux := http.NewServeMux()
	for _, p := range api.Paths() {
		mux.Handle(p, apiHandler)
	}
	mux.Handle("/webhooks/", webhooks)
	mux.Handle("/", webApp)
	return mux
}

// Store returns the store serve runs on.
func (s *Server) Store() *store.Store { return s.st }

// Pipeline returns the ingest pipeline, routed by the organisation file
// in force.
func (s *Server) Pipeline() *ingest.Pipeline { return s.pipeline }

// URL returns the address the server listens on, as http://host:port.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// ReloadOrg puts the stored organisation file in force now, when it is
// newer than the one in force (the sweep does so within a tick anyway).
func (s *Server) ReloadOrg(ctx context.Context) error {
	_, err := LoadOrg(ctx, s.st, s.live)
	return err
}

// Go adds work that runs as long as the server, such as the demo's
// stream of mentions: Run starts it, and on shutdown cancels its context
// and waits for it. An error other than the cancellation is logged as
// "<name> stopped". Call before Run.
func (s *Server) Go(name string, run func(ctx context.Context) error) {
	s.tasks = append(s.tasks, task{name, run})
}

// Run serves until ctx ends, then stops taking connections, lets the
// requests in flight finish (up to 30 seconds) and waits for the jobs
// runner and the work added with Go.
func (s *Server) Run(ctx context.Context) error {
	// Background work stops with ctx, or when serving fails.
	bg, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { stop(); wg.Wait() }()
	wg.Go(func() { s.runner.Run(bg) })
	// The web app's upkeep deletes expired sessions.
	wg.Go(func() { s.web.Run(bg) })
	for _, t := range s.tasks {
		wg.Go(func() {
			if err := t.run(bg); err != nil && !errors.Is(err, context.Canceled) {
				s.cfg.Logger.Error(t.name+" stopped", "err", err)
			}
		})
	}

	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.cfg.Logger.Info("shutting down; finishing requests in flight")
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := s.http.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// Close releases the listener and the store. Call it after Run returns.
func (s *Server) Close() error {
	s.ln.Close()
	return s.st.Close()
}
