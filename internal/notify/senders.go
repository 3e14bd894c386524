package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/wneessen/go-mail"

	"earshot/internal/egress"
	"earshot/internal/model"
	"earshot/internal/org"
)

// configError is a mistake in the organisation file or environment that
// retrying cannot fix.
type configError struct{ msg string }

func (e configError) Error() string   { return e.msg }
func (e configError) Permanent() bool { return true }

func (n *Notifier) sendEmail(ctx context.Context, s *org.SMTP, t *org.AlertTarget, msg Message) error {
	if s == nil {
		return configError{"email alerts need smtp settings in the organisation file"}
	}
	m := mail.NewMsg()
	if err := m.From(s.From); err != nil {
		return configError{fmt.Sprintf("smtp from %q: %v", s.From, err)}
	}
	if err := m.To(t.To...); err != nil {
		return configError{fmt.Sprintf("alert target %s: %v", t.ID, err)}
	}
	m.Subject(msg.Subject)
	m.SetBodyString(mail.TypeTextPlain, msg.Text)
	return n.sendMail(ctx, s, m)
}

// sendMail delivers m through the mail server s.
func (n *Notifier) sendMail(ctx context.Context, s *org.SMTP, m *mail.Msg) error {
	// The mail server is reached through the Egress policy like any
	// target; go-mail leaves implicit TLS to a dialer of our own.
	dialer := n.opts.Egress.Dialer(n.opts.SMTPTimeout)
	dial := dialer.DialContext
	opts := []mail.Option{mail.WithTimeout(n.opts.SMTPTimeout)}
	port := s.Port
	switch s.TLS {
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
		if port == 0 {
			port = 25
		}
	case "tls":
		opts = append(opts, mail.WithSSL())
		tlsDialer := &tls.Dialer{NetDialer: dialer, Config: &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}}
		dial = tlsDialer.DialContext
		if port == 0 {
			port = 465
		}
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
		if port == 0 {
			port = 587
		}
	}
	opts = append(opts, mail.WithPort(port), mail.WithDialContextFunc(dial))
	if s.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(s.Username), mail.WithPassword(n.opts.Getenv(s.PasswordEnv)))
	}
	c, err := mail.NewClient(s.Host, opts...)
	if err != nil {
		return configError{fmt.Sprintf("smtp client for %s: %v", s.Host, err)}
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("send email via %s:%d: %w", s.Host, port, err)
	}
	return nil
}

// sendSMS sends one message per number through an API in the shape of
// Twilio's Messages resource: POST {url}/2010-04-01/Accounts/{account}/
// Messages.json with form fields To, From and Body, HTTP basic auth of
// the account id and the token in secret_env.
func (n *Notifier) sendSMS(ctx context.Context, t *org.AlertTarget, msg Message) error {
	token := n.opts.Getenv(t.SecretEnv)
	if token == "" {
		return configError{fmt.Sprintf("alert target %s: environment variable %s is empty", t.ID, t.SecretEnv)}
	}
	endpoint := strings.TrimRight(t.URL, "/") + "/2010-04-01/Accounts/" + url.PathEscape(t.Account) + "/Messages.json"
	body := msg.Subject
	if msg.Link != "" {
		body += " " + msg.Link
	}
	var errs []error
	for _, to := range t.To {
		form := url.Values{"To": {to}, "From": {t.From}, "Body": {body}}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
		if err != nil {
			return configError{fmt.Sprintf("alert target %s: %v", t.ID, err)}
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.SetBasicAuth(t.Account, token)
		errs = append(errs, n.do(req))
	}
	return errors.Join(errs...)
}

// do sends req and fails on any status but 2xx (see egress.Send).
func (n *Notifier) do(req *http.Request) error { return egress.Send(n.http, req) }

func (n *Notifier) postJSON(ctx context.Context, endpoint string, v any, header http.Header) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode alert: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return configError{fmt.Sprintf("alert URL: %v", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range header {
		req.Header[k] = vs
	}
	return n.do(req)
}

// slackBody is a Slack incoming-webhook message.
func slackBody(m Message) any {
	text := "*" + m.Subject + "*\n" + m.Text
	return map[string]string{"text": text}
}

// teamsBody is a Microsoft Teams incoming-webhook message carrying an
// Adaptive Card.
func teamsBody(m Message) any {
	body := []map[string]any{
		{"type": "TextBlock", "text": m.Subject, "weight": "Bolder", "wrap": true},
		{"type": "TextBlock", "text": m.Text, "wrap": true},
	}
	card := map[string]any{"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4", "body": body}
	if m.Link != "" {
		card["actions"] = []map[string]string{{"type": "Action.OpenUrl", "title": "Open in Earshot", "url": m.Link}}
	}
	return map[string]any{"type": "message", "attachments": []map[string]any{{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}}}
}

// WebhookBody is what the generic webhook receives.
type WebhookBody struct {
	model.Alert
	Subject string `json:"subject"`
	Link    string `json:"link,omitempty"`
}

// SignatureHeader carries the webhook body's HMAC-SHA256, as
// "sha256=<hex>", keyed with the secret in the target's secret_env.
const SignatureHeader = "X-Earshot-Signature"

// Sign returns the signature header value of body under secret.
func Sign(secret, body []byte) string {
	h := hmac.New(sha256.New, secret)
	h.Write(body)
	return "sha256=" + hex.EncodeToString(h.Sum(nil))
}

// Verify reports whether sig is body's signature under secret.
func Verify(secret, body []byte, sig string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(sig))
}

func (n *Notifier) sendWebhook(ctx context.Context, t *org.AlertTarget, a model.Alert, msg Message) error {
	body, err := json.Marshal(WebhookBody{Alert: a, Subject: msg.Subject, Link: msg.Link})
	if err != nil {
		return fmt.Errorf("encode alert: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return configError{fmt.Sprintf("alert target %s: %v", t.ID, err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Earshot-Event", a.Event)
	if t.SecretEnv != "" {
		secret := n.opts.Getenv(t.SecretEnv)
		if secret == "" {
			return configError{fmt.Sprintf("alert target %s: environment variable %s is empty", t.ID, t.SecretEnv)}
		}
		req.Header.Set(SignatureHeader, Sign([]byte(secret), body))
	}
	return n.do(req)
}
