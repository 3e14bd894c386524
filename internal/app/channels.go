package app

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"earshot/internal/connector"
	"earshot/internal/connector/feed"
	"earshot/internal/connector/google"
	"earshot/internal/connector/meta"
	"earshot/internal/connector/oauth"
	"earshot/internal/connector/x"
	"earshot/internal/connector/yelp"
	"earshot/internal/org"
	"earshot/internal/secretbox"
	"earshot/internal/store"
)

// platformFactories are the platforms this build hears and answers on:
// a platform package's New, by the organisation file's platform name.
// Adding one is one line here. A channel on a platform without one
// shows as unavailable on the Channels page.
func platformFactories() map[string]connector.Factory {
	return map[string]connector.Factory{
		org.PlatformX:         x.New,
		org.PlatformFacebook:  meta.New,
		org.PlatformInstagram: meta.New,
		org.PlatformGoogle:    google.New,
		org.PlatformYelp:      yelp.New,
		org.PlatformRSS:       feed.New,
	}
}

// webhookFactories are the webhook receivers this build has, by
// endpoint: "x" (/webhooks/x) and "meta" (/webhooks/meta, Facebook and
// Instagram).
func webhookFactories() map[string]connector.WebhookFactory {
	return map[string]connector.WebhookFactory{
		"x":    x.NewWebhook,
		"meta": meta.NewWebhook,
	}
}

// tokenRefresher returns how a channel that names refresh_token_env gets
// its access tokens: the OAuth 2.0 refresh flow, with rotated refresh
// tokens sealed in st under the key in oauth.KeyEnv (none: kept in
// memory, and the channel's page says what a restart needs). A key that
// is set but malformed stops serve, naming the variable.
func tokenRefresher(st *store.Store, getenv func(string) string, client *http.Client, userAgent string, logger *slog.Logger) (
	func(ch org.Channel, static connector.TokenSource, getenv func(string) string) (connector.TokenSource, error), error) {
	var key *secretbox.Key
	if v := getenv(oauth.KeyEnv); v != "" {
		k, err := secretbox.ParseKey(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", oauth.KeyEnv, err)
		}
		key = k
	}
	return func(ch org.Channel, _ connector.TokenSource, getenv func(string) string) (connector.TokenSource, error) {
		return oauth.NewSource(oauth.Config{Channel: ch.ID, Platform: ch.Platform, BaseURL: ch.BaseURL,
			ClientID: getenv(ch.ClientIDEnv), ClientSecret: getenv(ch.ClientSecretEnv), RefreshToken: getenv(ch.RefreshTokenEnv),
			Store: st, Key: key, Client: client, UserAgent: userAgent, Logger: logger})
	}, nil
}

// replicaName names this process in poll leases: the host and a random
// suffix, so that two processes on one host differ.
func replicaName() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return host + "-" + hex.EncodeToString(b[:])
}

// Platforms returns the platform factories and webhook receivers this
// build has, for a Config.Factories that wraps some of them (the demo's
// simulated platform).
func Platforms() (map[string]connector.Factory, map[string]connector.WebhookFactory) {
	return platformFactories(), webhookFactories()
}
