package x

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// SignatureHeader is the header in which X signs a delivery.
const SignatureHeader = "x-twitter-webhooks-signature"

// Webhook receives X's deliveries at /webhooks/x for every X channel: it
// answers the CRC, checks signatures, and reads both the X Activity API
// and the Account Activity API formats, dispatching each event to the
// channel of the account it names. See
// https://docs.x.com/x-api/webhooks/quickstart.
type Webhook struct {
	// secret is the consumer secret of the X app that signs deliveries.
	secret []byte
	// channels maps our X user ids to channel ids.
	channels map[string]string
}

// NewWebhook returns the webhook of X's channels (a
// connector.WebhookFactory). One X app signs every delivery, so the
// channels' secrets (the app's consumer secret) must be the same. A
// channel without a secret hears nothing by webhook: its events are
// dropped, as a channel whose secret is missing does nothing.
func NewWebhook(cfgs []connector.Config) (connector.Webhook, error) {
	w := &Webhook{channels: map[string]string{}}
	var errs []error
	for _, cfg := range cfgs {
		if cfg.Secret == "" {
			continue
		}
		if !numericID(cfg.AccountID) {
			errs = append(errs, fmt.Errorf("x channel %q: account_id must be the numeric X user id", cfg.ID))
			continue
		}
		if other, dup := w.channels[cfg.AccountID]; dup {
			errs = append(errs, fmt.Errorf("x channels %q and %q name the same account_id %s", other, cfg.ID, cfg.AccountID))
			continue
		}
		if w.secret != nil && !hmac.Equal(w.secret, []byte(cfg.Secret)) {
			errs = append(errs, fmt.Errorf("x channel %q: its secret differs from another X channel's; one X app (one consumer secret) signs every delivery to /webhooks/x", cfg.ID))
			continue
		}
		w.secret = []byte(cfg.Secret)
		w.channels[cfg.AccountID] = cfg.ID
	}
	if len(errs) == 0 && w.secret == nil {
		errs = append(errs, errors.New("x webhook: no X channel has a secret (the app's consumer secret) to check deliveries with"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return w, nil
}

// sign is base64 HMAC-SHA256 of msg with the app's secret, prefixed as X
// writes it.
func (w *Webhook) sign(msg []byte) string {
	mac := hmac.New(sha256.New, w.secret)
	mac.Write(msg)
	return "sha256=" + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Challenge answers X's challenge-response check (GET /webhooks/x?crc_token=T)
// with {"response_token":"sha256=<base64 HMAC-SHA256(secret, T)>"}.
func (w *Webhook) Challenge(query url.Values) (string, []byte, error) {
	token := query.Get("crc_token")
	if token == "" {
		return "", nil, errors.New("x webhook: the check has no crc_token")
	}
	body, err := json.Marshal(map[string]string{"response_token": w.sign([]byte(token))})
	if err != nil {
		return "", nil, fmt.Errorf("x webhook: encode the CRC answer: %w", err)
	}
	return "application/json", body, nil
}

// Verify checks the x-twitter-webhooks-signature of a delivery against
// the HMAC-SHA256 of its raw body, in constant time.
func (w *Webhook) Verify(header http.Header, body []byte) error {
	got := strings.TrimSpace(header.Get(SignatureHeader))
	if got == "" {
		return errors.New("x webhook: the delivery is not signed")
	}
	if !hmac.Equal([]byte(got), []byte(w.sign(body))) {
		return errors.New("x webhook: the signature does not match")
	}
	return nil
}

// Parse reads a verified delivery: an X Activity API event
// ({"data":{"event_type",...}}) or an Account Activity API one
// ({"for_user_id",...}). Events of types Earshot does not hear, and
// events for an account no channel here has, are no mentions. A body
// that is JSON but in neither shape is an error wrapping ErrShape.
func (w *Webhook) Parse(body []byte) ([]model.Mention, error) {
	var probe struct {
		Data      json.RawMessage `json:"data"`
		ForUserID json.RawMessage `json:"for_user_id"`
	}
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, fmt.Errorf("x webhook: the delivery is not a JSON object (%v): %w", err, ErrShape)
	}
	switch {
	case probe.Data != nil:
		return parseActivity(body, w.channels)
	case probe.ForUserID != nil:
		return parseAccountActivity(body, w.channels)
	}
	return nil, fmt.Errorf("x webhook: the delivery has neither data nor for_user_id: %w", ErrShape)
}
