package cli

import (
	"context"
	"log/slog"
	"net/netip"
	"net/url"
	"time"

	"earshot/internal/app"
	"earshot/internal/auth"
	"earshot/internal/connector"
	"earshot/internal/demoplatform"
	"earshot/internal/egress"
	"earshot/internal/model"
	"earshot/internal/org"
)

// The demo organisation file's channels (demo-org.yaml) are at
// demoSimulatedHost, which serve --demo answers with its in-process
// simulated platform, and take their token from demoTokenEnv and the X
// webhook secret from demoSecretEnv, which serve --demo supplies itself.
const (
	demoSimulatedHost  = demoplatform.LinkHost
	demoTokenEnv       = "EARSHOT_DEMO_SIMULATOR_TOKEN"
	demoSecretEnv      = "EARSHOT_DEMO_SIMULATOR_SECRET"
	demoXAccount       = "1555000000000000001"
	demoGoogleLocation = "accounts/1001/locations/2002"
	demoSimulatorEvery = 15 * time.Second
)

// demoChannels is the simulated platform of serve --demo and what serve
// needs to reach it: the token, and the platform factories that send the
// demo's channels there.
type demoChannels struct {
	sim           *demoplatform.Simulator
	token, secret string
}

// startDemoChannels starts the simulated platform on a loopback port.
func startDemoChannels(logger *slog.Logger) (*demoChannels, error) {
	token, _ := auth.NewToken()
	sim, err := demoplatform.Start(demoplatform.Options{XAccountID: demoXAccount, GoogleLocation: demoGoogleLocation,
		Token: token, Every: demoSimulatorEvery, Logger: logger})
	if err != nil {
		return nil, err
	}
	secret, _ := auth.NewToken()
	return &demoChannels{sim: sim, token: token, secret: secret}, nil
}

// getenv reads demoTokenEnv as the simulator's token, demoSecretEnv as
// the secret the demo X channel's webhook checks, and everything else
// with next: the demo's secrets never go into the environment.
func (d *demoChannels) getenv(next func(string) string) func(string) string {
	return func(k string) string {
		switch k {
		case demoTokenEnv:
			return d.token
		case demoSecretEnv:
			return d.secret
		}
		return next(k)
	}
}

// factories are this build's platforms, with the X and Google ones
// sending a channel at demoSimulatedHost to the simulator: its base URL
// becomes the simulator's, its client may reach the simulator's loopback
// address and no other inner one, and the links of what it hears and
// sends are on simulated.invalid. Other channels are left as they are.
func (d *demoChannels) factories() (map[string]connector.Factory, map[string]connector.WebhookFactory) {
	fs, hooks := app.Platforms()
	only := egress.Policy{Allow: []netip.Prefix{netip.PrefixFrom(d.sim.Addr(), d.sim.Addr().BitLen())}}
	for _, p := range []string{org.PlatformX, org.PlatformGoogle} {
		real := fs[p]
		fs[p] = func(cfg connector.Config) (connector.Channel, error) {
			if u, err := url.Parse(cfg.BaseURL); err != nil || u.Hostname() != demoSimulatedHost {
				return real(cfg)
			}
			cfg.BaseURL = d.sim.URL()
			cfg.Client = only.Client(10 * time.Second)
			ch, err := real(cfg)
			if err != nil {
				return ch, err
			}
			if ch.Poller != nil {
				ch.Poller = simulatedPoller{ch.Poller, p}
			}
			if ch.Sender != nil {
				ch.Sender = simulatedSender{ch.Sender, p}
			}
			return ch, nil
		}
	}
	return fs, hooks
}

// run adds simulated mentions and reviews until ctx ends, then stops the
// simulator.
func (d *demoChannels) run(ctx context.Context) error {
	defer d.sim.Close()
	return d.sim.Run(ctx)
}

// simulatedPoller links what a simulated channel hears on
// simulated.invalid, so that no case page points at a real site.
type simulatedPoller struct {
	connector.Poller
	platform string
}

func (p simulatedPoller) Poll(ctx context.Context, cursor string) ([]model.Mention, string, error) {
	ms, next, err := p.Poller.Poll(ctx, cursor)
	for i := range ms {
		ms[i].URL = demoplatform.Link(p.platform, ms[i].ExternalID)
	}
	return ms, next, err
}

// simulatedSender links a reply sent to the simulator on
// simulated.invalid.
type simulatedSender struct {
	connector.Sender
	platform string
}

func (s simulatedSender) Send(ctx context.Context, out connector.Outgoing) (connector.Sent, error) {
	sent, err := s.Sender.Send(ctx, out)
	if err == nil {
		sent.URL = demoplatform.Link(s.platform, sent.ID)
	}
	return sent, err
}
