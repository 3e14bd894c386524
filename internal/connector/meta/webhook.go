package meta

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// SignatureHeader carries Meta's signature of a delivery: "sha256=" and
// the hex HMAC-SHA256 of the raw body with the app secret.
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads
const SignatureHeader = "X-Hub-Signature-256"

// maxChallenge bounds the hub.challenge echoed back; Meta sends a short
// number.
const maxChallenge = 256

// Webhook is the one receiver of Meta deliveries for all facebook and
// instagram channels. It does not change once built.
type Webhook struct {
	// channels maps platform and account id to the channel it is.
	channels map[accountKey]channel
	// secrets are the distinct app secrets of the channels, verifyTokens
	// their distinct verify tokens.
	secrets      [][]byte
	verifyTokens []string
}

// accountKey names our account on one of the two platforms.
type accountKey struct {
	platform, id string
}

// channel is what the parser needs of a configured channel.
type channel struct {
	id, platform, accountID, name string
}

// NewWebhook builds the receiver of every facebook and instagram channel
// in cfgs; it is a connector.WebhookFactory. A channel without an app
// secret hears nothing: no delivery for it can be verified.
func NewWebhook(cfgs []connector.Config) (connector.Webhook, error) {
	w := &Webhook{channels: map[accountKey]channel{}}
	var errs []error
	for _, cfg := range cfgs {
		if err := checkChannel(cfg); err != nil {
			errs = append(errs, err)
			continue
		}
		k := accountKey{cfg.Platform, strings.TrimSpace(cfg.AccountID)}
		if other, dup := w.channels[k]; dup {
			errs = append(errs, fmt.Errorf("meta: channels %q and %q are both %s account %s", other.id, cfg.ID, cfg.Platform, k.id))
			continue
		}
		if cfg.Secret == "" {
			continue
		}
		w.channels[k] = channel{id: cfg.ID, platform: cfg.Platform, accountID: k.id, name: cfg.Name}
		w.secrets = appendNew(w.secrets, []byte(cfg.Secret))
		if cfg.VerifyToken != "" && !slices.Contains(w.verifyTokens, cfg.VerifyToken) {
			w.verifyTokens = append(w.verifyTokens, cfg.VerifyToken)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return w, nil
}

// Challenge answers Meta's verification request
// (hub.mode=subscribe&hub.verify_token=V&hub.challenge=C) with C as
// text/plain when V is the verify token of a channel.
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
func (w *Webhook) Challenge(q url.Values) (string, []byte, error) {
	if q.Get("hub.mode") != "subscribe" {
		return "", nil, errors.New("meta: hub.mode is not subscribe")
	}
	c := q.Get("hub.challenge")
	if c == "" || len(c) > maxChallenge {
		return "", nil, errors.New("meta: hub.challenge is missing or too long")
	}
	token := []byte(q.Get("hub.verify_token"))
	ok := 0
	for _, v := range w.verifyTokens {
		ok |= subtle.ConstantTimeCompare(token, []byte(v))
	}
	if ok != 1 {
		return "", nil, errors.New("meta: hub.verify_token matches no channel's verify token")
	}
	return "text/plain; charset=utf-8", []byte(c), nil
}

// Verify accepts a delivery whose X-Hub-Signature-256 is the HMAC-SHA256
// of body with the app secret of one of the channels.
func (w *Webhook) Verify(h http.Header, body []byte) error {
	sig, ok := strings.CutPrefix(h.Get(SignatureHeader), "sha256=")
	if !ok {
		return errors.New("meta: the delivery has no sha256 signature")
	}
	got, err := hex.DecodeString(sig)
	if err != nil || len(got) != sha256.Size {
		return errors.New("meta: the delivery's signature is not a hex SHA-256")
	}
	match := false
	for _, secret := range w.secrets {
		mac := hmac.New(sha256.New, secret)
		mac.Write(body)
		if hmac.Equal(mac.Sum(nil), got) {
			match = true
		}
	}
	if !match {
		return errors.New("meta: the delivery's signature does not match the app secret")
	}
	return nil
}

// Parse turns a verified delivery into mentions, each with the channel of
// the account its entry names. Entries for accounts not set up here and
// events of no interest (likes, reads, removals) are no mentions. A body
// that is not a Page or Instagram delivery is an error that quotes none of
// its text.
func (w *Webhook) Parse(body []byte) ([]model.Mention, error) {
	return parseDelivery(body, func(platform, accountID string) (channel, bool) {
		c, ok := w.channels[accountKey{platform, accountID}]
		return c, ok
	})
}

// appendNew appends b to list unless it holds it already.
func appendNew(list [][]byte, b []byte) [][]byte {
	for _, x := range list {
		if string(x) == string(b) {
			return list
		}
	}
	return append(list, b)
}
