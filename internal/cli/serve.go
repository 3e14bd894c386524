package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"runtime"
	"time"

	"earshot/internal/api"
	"earshot/internal/app"
	"earshot/internal/auth"
	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/web"
)

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	usage(fs, "serve [flags]", "Runs the web app, the REST API and the background jobs. On first start with an empty store it\ncreates an admin account and prints its one-time password.")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (env EARSHOT_ADDR)")
	demo := fs.Bool("demo", false, "seed demo data, stream generated mentions, and connect demo channels to a simulated X and Google in this process")
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
	cfg := app.Config{Addr: *addr, DataDir: sf.data, DatabaseURL: sf.databaseURL, PublicURL: *publicURL,
		RateLimit: *apiRate, RateBurst: *apiBurst, SessionMaxAge: *sessionMaxAge, SignInSlots: *signinSlots,
		TrustedProxies: proxies, Egress: *reach, MetricsToken: metricsTok, Getenv: env.getenv, Logger: env.Logger}
	// The demo's channels hear and answer a simulated platform in this
	// process, which its channels alone may reach.
	var sim *demoChannels
	if *demo {
		if sim, err = startDemoChannels(env.Logger); err != nil {
			return err
		}
		defer sim.sim.Close()
		cfg.Getenv = sim.getenv(env.getenv)
		cfg.Factories, cfg.Webhooks = sim.factories()
	}
	// app.New listens first: a first start that cannot serve must not
	// use up the admin's one-time password.
	srv, err := app.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	st := srv.Store()
	created, err := firstStart(ctx, env, st, *adminEmail)
	if err != nil {
		return err
	}
	url := srv.URL()
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

	if *demo {
		if err := seedDemoOrg(ctx, env, st); err != nil {
			return fmt.Errorf("seed demo organisation: %w", err)
		}
		// Route the demo's mentions by the organisation file just applied.
		if err := srv.ReloadOrg(ctx); err != nil {
			return err
		}
		srv.Go("demo", func(ctx context.Context) error { return runDemo(ctx, env, st, srv.Pipeline(), url) })
		srv.Go("demo platform", sim.run)
		fmt.Fprintf(env.Stdout, "  demo:   channels %q and %q hear and answer a simulated platform at %s (links on %s); nothing reaches X or Google\n",
			"Simulated X (demo)", "Simulated Google reviews (demo)", sim.sim.URL(), demoSimulatedHost)
	}
	return srv.Run(ctx)
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
