package app

import (
	"crypto/rand"
	"encoding/hex"
	"os"

	"earshot/internal/connector"
)

// platformFactories are the platforms this build hears and answers on:
// a platform package's New, by the organisation file's platform name.
// Adding one is one line here, such as "x": x.New. A channel on a
// platform without one shows as unavailable on the Channels page.
func platformFactories() map[string]connector.Factory {
	return map[string]connector.Factory{}
}

// webhookFactories are the webhook receivers this build has, by
// endpoint: "x" (/webhooks/x) and "meta" (/webhooks/meta, Facebook and
// Instagram), such as "meta": meta.NewWebhook.
func webhookFactories() map[string]connector.WebhookFactory {
	return map[string]connector.WebhookFactory{}
}

// replicaName names this process in poll leases: the host and a random
// suffix, so that two processes on one host differ.
func replicaName() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return host + "-" + hex.EncodeToString(b[:])
}
