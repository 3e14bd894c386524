package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"earshot/internal/api"
	"earshot/internal/auth"
	"earshot/internal/events"
	"earshot/internal/ingest"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/notify"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
	"earshot/internal/web"
)

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	usage(fs, "serve [flags]", "Runs the web app, the REST API and the background jobs. On first start with an empty store it\ncreates an admin account and prints its one-time password.")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (env EARSHOT_ADDR)")
	demo := fs.Bool("demo", false, "seed demo data and stream generated mentions")
	publicURL := fs.String("public-url", "", "address browsers use, e.g. https://care.example.org behind a TLS-terminating proxy: secure cookies (env EARSHOT_PUBLIC_URL)")
	adminEmail := fs.String("admin-email", "admin@earshot.local", "email of the admin account created on first start")
	apiRate := fs.Float64("api-rate", api.DefaultRateLimit, "requests a second each API token may make (429 beyond it); 0 for no limit (env EARSHOT_API_RATE)")
	apiBurst := fs.Int("api-burst", api.DefaultRateBurst, "requests an API token may make at once above its rate (env EARSHOT_API_BURST)")
	reach := addEgressFlag(fs)
	sessionMaxAge := fs.Duration("session-max-age", 24*time.Hour, "how long a web session lasts from sign-in, however busy (env EARSHOT_SESSION_MAX_AGE)")
	signinSlots := fs.Int("signin-slots", max(2, runtime.GOMAXPROCS(0)), "password checks that may run at once, 64 MiB each; more wait up to 1 s, then 429 (env EARSHOT_SIGNIN_SLOTS)")
	trustedProxies := fs.String("trusted-proxies", "", "comma-separated addresses or CIDR prefixes of proxies whose X-Forwarded-For names the client, for sign-in limits (env EARSHOT_TRUSTED_PROXIES)")
	metricsTokenFile := fs.String("metrics-token-file", "", "file holding the bearer token /metrics then requires (env EARSHOT_METRICS_TOKEN_FILE; or the token itself in EARSHOT_METRICS_TOKEN); without one /metrics is open")
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("serve takes no arguments, got %q", pos[0])
	}
	if !(*apiRate >= 0) || math.IsInf(*apiRate, 0) {
		return usageErrorf("--api-rate (EARSHOT_API_RATE) must be a number of requests a second, 0 or more, got %v", *apiRate)
	}
	if *apiRate > 0 && *apiBurst < 1 {
		return usageErrorf("--api-burst (EARSHOT_API_BURST) must be 1 or more, got %d", *apiBurst)
	}
	if *sessionMaxAge < time.Minute {
		return usageErrorf("--session-max-age (EARSHOT_SESSION_MAX_AGE) must be a duration of a minute or more, such as 12h, got %v", *sessionMaxAge)
	}
	if *signinSlots < 1 {
		return usageErrorf("--signin-slots (EARSHOT_SIGNIN_SLOTS) must be 1 or more, got %d", *signinSlots)
	}
	proxies, err := web.ParseTrustedProxies(*trustedProxies)
	if err != nil {
		return usageErrorf("--trusted-proxies (EARSHOT_TRUSTED_PROXIES): %v", err)
	}
	metricsTok, err := metricsToken(env, *metricsTokenFile)
	if err != nil {
		return err
	}
	// Take the address first: a first start that cannot serve must not
	// use up the admin's one-time password.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	defer ln.Close()
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	created, err := firstStart(ctx, env, st, *adminEmail)
	if err != nil {
		return err
	}
	an, modelStamp, err := jobs.LoadAnalyzer(ctx, st)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	broker := events.NewBroker()
	// The organisation file in force routes ingest, recomputes deadlines
	// on replies and status changes, and is reloaded when applied again.
	live := route.NewLive(nil)
	if _, err := jobs.LoadOrg(ctx, st, live); err != nil {
		return err
	}
	st.SetSLAHook(live)
	reload := func(ctx context.Context) {
		if _, err := jobs.LoadOrg(ctx, st, live); err != nil {
			env.Logger.Error("reload organisation file", "err", err)
		}
	}
	app, err := web.New(web.Config{Store: st, Analyzer: an, Broker: broker, Logger: env.Logger, PublicURL: *publicURL, OnOrgApplied: reload, Registerer: reg,
		OrgOptions:    org.Options{Egress: *reach},
		SessionMaxAge: *sessionMaxAge, PasswordChecks: *signinSlots, TrustedProxies: proxies})
	if err != nil {
		return err
	}
	p := ingest.New(st, an, ingest.Options{Broker: broker, Logger: env.Logger, Metrics: ingest.NewMetrics(reg), Routes: live})
	runner := jobs.New(st, jobs.Options{Logger: env.Logger, Metrics: jobs.NewMetrics(reg)})
	runner.Every("org reload", jobs.OrgReload(st, live, env.Logger))
	// A model stored by earshot train (the web and API use the analyser
	// only for PHI, which the model does not change).
	runner.Every("model reload", jobs.ModelReload(st, modelStamp, p.SetAnalyzer, env.Logger))
	runner.Every("sla timers", jobs.SLASweep(st, live, 200))
	runner.Every("spikes", notify.SpikeSweep(st, live))
	runner.Every("digest", notify.DigestSweep(st, live))
	runner.Every("purge", jobs.PurgeSweep(st, 90*24*time.Hour))
	// Ingest links a reply stored before its parent when the parent
	// comes; this catches what a replica's transaction could not see.
	runner.Every("waiting replies", jobs.ReplyLinkSweep(p.LinkWaitingReplies, time.Minute, 500))
	runner.Handle(model.JobKindAlert, notify.New(notify.Options{Getenv: env.getenv, Logger: env.Logger, Egress: *reach}).Handler(live))
	jobsDone := make(chan struct{})
	go func() {
		defer close(jobsDone)
		runner.Run(ctx)
	}()
	apiHandler := api.New(api.Config{Store: st, Pipeline: p, Analyzer: an, Gatherer: reg, Registerer: reg, Logger: env.Logger, OnOrgApplied: reload,
		RateLimit: *apiRate, RateBurst: *apiBurst, OrgOptions: org.Options{Egress: *reach}, MetricsToken: metricsTok})
	handler := web.Mount(app, apiHandler)

	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          nil,
	}
	srv.RegisterOnShutdown(app.Close)
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(env.Stdout, "Earshot is listening on %s (%s store)\n", url, st.Engine())
	signIn := "sign in with your account; earshot user add makes more"
	if created {
		signIn = "sign in with the admin account above"
	}
	fmt.Fprintf(env.Stdout, "  web:    %s/   (%s)\n", url, signIn)
	fmt.Fprintf(env.Stdout, "  API:    %s/api/v1/cases   (create a token: earshot token create --name me --role admin)\n", url)
	metricsNote := ""
	if metricsTok != "" {
		metricsNote = "   (metrics need the metrics token)"
	}
	fmt.Fprintf(env.Stdout, "  health: %s/healthz  %s/readyz  %s/metrics%s\n", url, url, url, metricsNote)

	demoDone := make(chan struct{})
	if *demo {
		if err := seedDemoOrg(ctx, env, st); err != nil {
			return fmt.Errorf("seed demo organisation: %w", err)
		}
		// Route the demo's mentions by the organisation file just applied.
		if _, err := jobs.LoadOrg(ctx, st, live); err != nil {
			return err
		}
		go func() {
			defer close(demoDone)
			if err := runDemo(ctx, env, st, p, url); err != nil && !errors.Is(err, context.Canceled) {
				env.Logger.Error("demo stopped", "err", err)
			}
		}()
	} else {
		close(demoDone)
	}

	// The web app's upkeep (deleting expired sessions) lives as long as serve.
	runCtx, stopRun := context.WithCancel(ctx)
	webDone := make(chan struct{})
	go func() { defer close(webDone); app.Run(runCtx) }()
	defer func() { stopRun(); <-webDone }()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	env.Logger.Info("shutting down; finishing requests in flight")
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	err = srv.Shutdown(shutCtx)
	<-demoDone
	<-jobsDone
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// firstStart creates an admin account with a one-time password when the
// store has no users yet, prints how to sign in, and says whether it did.
func firstStart(ctx context.Context, env *Env, st *store.Store, email string) (bool, error) {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	password := auth.NewPassword()
	hash, err := auth.HashPassword(password, email)
	if err != nil {
		return false, err
	}
	u := &model.User{Email: email, Name: "Administrator", Role: model.RoleAdmin, PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := st.CreateUser(ctx, u); errors.Is(err, store.ErrConflict) {
		// Another replica, started at the same moment on the same
		// database, created it first and printed its password.
		env.Logger.Info("the admin account was created by another replica starting at the same time", "email", email)
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("create the admin account: %w", err)
	}
	fmt.Fprintf(env.Stdout, "First start: created admin account %s with one-time password %s\n", email, password)
	fmt.Fprintln(env.Stdout, "  (shown only now; keep it somewhere safe)")
	return true, nil
}
