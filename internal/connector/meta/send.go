package meta

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// maxAnswer bounds the body of a Graph answer read.
const maxAnswer = 1 << 20

// sender answers on one facebook or instagram channel.
type sender struct {
	platform  string
	accountID string
	base      *url.URL
	client    *http.Client
	userAgent string
	auth      connector.TokenSource
	// secret is the app secret, which signs the token as appsecret_proof.
	secret string
	now    func() time.Time
}

func newSender(cfg connector.Config) (*sender, error) {
	if err := checkChannel(cfg); err != nil {
		return nil, err
	}
	cfg.AccountID = strings.TrimSpace(cfg.AccountID)
	if err := checkPathID(cfg.AccountID); err != nil {
		return nil, fmt.Errorf("meta: channel %q: account_id %w", cfg.ID, err)
	}
	if cfg.Client == nil {
		return nil, fmt.Errorf("meta: channel %q has no HTTP client", cfg.ID)
	}
	raw := cfg.BaseURL
	if raw == "" {
		raw = DefaultBaseURL
	}
	base, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.RawQuery != "" {
		return nil, fmt.Errorf("meta: channel %q: base_url must be an http or https root without a query", cfg.ID)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &sender{
		platform: cfg.Platform, accountID: cfg.AccountID, base: base, client: cfg.Client,
		userAgent: cfg.UserAgent, auth: cfg.Auth, secret: cfg.Secret, now: now,
	}, nil
}

// commentAnswer is what Graph answers a new comment or reply with (the
// permalink only where asked for in fields).
type commentAnswer struct {
	ID        graphID `json:"id"`
	Permalink string  `json:"permalink_url"`
}

// messageAnswer is what the Send API answers a message with.
type messageAnswer struct {
	RecipientID graphID `json:"recipient_id"`
	MessageID   string  `json:"message_id"`
}

// Send delivers one reply. In public it is a comment under the comment or
// post answered (Facebook) or a reply to the comment (Instagram); in
// private, a private reply to that comment or post through the page's or
// account's messages (one per comment, within 7 days of it), or, in a
// conversation of direct messages, the next message of it.
//
// https://developers.facebook.com/docs/graph-api/reference/object/comments/#publish
// https://developers.facebook.com/docs/instagram-platform/comment-moderation
// https://developers.facebook.com/docs/messenger-platform/discovery/private-replies
func (s *sender) Send(ctx context.Context, out connector.Outgoing) (connector.Sent, error) {
	if strings.TrimSpace(out.Text) == "" {
		return connector.Sent{}, &connector.Permanent{Reason: "The reply is empty."}
	}
	// In a conversation of direct messages the thread is the person; a
	// comment's or post's thread is the post or media it is on.
	conversation := out.ThreadID != "" && out.ThreadID == out.AuthorID
	if err := checkPathID(out.InReplyTo); err != nil && !conversation {
		return connector.Sent{}, &connector.Permanent{Reason: "The reply names no comment or post to answer on " + s.platform + "."}
	}
	token, err := s.token(ctx)
	if err != nil {
		return connector.Sent{}, err
	}
	switch {
	case out.Visibility == model.VisibilityPublic && conversation:
		return connector.Sent{}, &connector.Permanent{Reason: "A direct message has no public reply. Next step: send the answer in private."}
	case out.Visibility == model.VisibilityPublic:
		return s.sendComment(ctx, token, out)
	case out.Visibility == model.VisibilityPrivate:
		return s.sendMessage(ctx, token, out, conversation)
	}
	return connector.Sent{}, &connector.Permanent{Reason: fmt.Sprintf("A reply must be public or private, not %q.", out.Visibility)}
}

// sendComment posts a public answer: POST /{comment-id}/comments on
// Facebook (asking for its permalink), POST /{comment-id}/replies on
// Instagram, with the text as message.
func (s *sender) sendComment(ctx context.Context, token string, out connector.Outgoing) (connector.Sent, error) {
	edge := "comments"
	form := url.Values{"message": {out.Text}}
	if s.platform == model.PlatformInstagram {
		edge = "replies"
	} else {
		form.Set("fields", "id,permalink_url")
	}
	s.sign(form, token)
	var a commentAnswer
	if err := s.post(ctx, s.endpoint(out.InReplyTo, edge, nil), "application/x-www-form-urlencoded", []byte(form.Encode()), &a); err != nil {
		return connector.Sent{}, err
	}
	if a.ID == "" {
		return connector.Sent{}, &connector.Unknown{Reason: "Meta took the reply but answered without its id."}
	}
	sent := connector.Sent{ID: string(a.ID)}
	if s.platform == model.PlatformFacebook && out.ThreadID != "" {
		sent.URL = facebookURL(a.Permalink, out.ThreadID, sent.ID)
	}
	return sent, nil
}

// sendMessage sends a private answer through POST /{account-id}/messages:
// to the comment (or a visitor's post) as a private reply, or to the
// person in a conversation.
func (s *sender) sendMessage(ctx context.Context, token string, out connector.Outgoing, conversation bool) (connector.Sent, error) {
	type recipient struct {
		ID        string `json:"id,omitempty"`
		CommentID string `json:"comment_id,omitempty"`
		PostID    string `json:"post_id,omitempty"`
	}
	var body struct {
		Recipient     recipient `json:"recipient"`
		MessagingType string    `json:"messaging_type,omitempty"`
		Message       struct {
			Text string `json:"text"`
		} `json:"message"`
	}
	switch {
	case conversation:
		body.Recipient.ID = out.AuthorID
		body.MessagingType = "RESPONSE"
	case s.platform == model.PlatformFacebook && out.InReplyTo == out.ThreadID:
		body.Recipient.PostID = out.InReplyTo
	default:
		body.Recipient.CommentID = out.InReplyTo
	}
	body.Message.Text = out.Text
	b, err := json.Marshal(body)
	if err != nil {
		return connector.Sent{}, &connector.Permanent{Reason: "The reply could not be encoded: " + err.Error()}
	}
	q := url.Values{}
	s.sign(q, token)
	var a messageAnswer
	if err := s.post(ctx, s.endpoint(s.accountID, "messages", q), "application/json", b, &a); err != nil {
		return connector.Sent{}, err
	}
	if a.MessageID == "" {
		return connector.Sent{}, &connector.Unknown{Reason: "Meta took the message but answered without its id."}
	}
	return connector.Sent{ID: a.MessageID}, nil
}

// token gets the page access token. A missing one is Permanent until an
// admin sets it; one that could not be fetched (a refresh that failed) may
// pass.
func (s *sender) token(ctx context.Context) (string, error) {
	if s.auth == nil {
		return "", &connector.Permanent{Reason: "No access token is set for this channel. Next step: an admin sets the variable named by its token_env."}
	}
	t, err := s.auth.Token(ctx)
	switch {
	case errors.Is(err, connector.ErrNoToken):
		return "", &connector.Permanent{Reason: "No access token is set for this channel. Next step: an admin sets the variable named by its token_env."}
	case err != nil:
		return "", &connector.Temporary{Reason: "could not get the channel's access token"}
	}
	return t, nil
}

// sign adds the token and, where the app secret is known, its
// appsecret_proof, which apps that require it need on every call.
// https://developers.facebook.com/docs/graph-api/securing-requests/#appsecret_proof
func (s *sender) sign(v url.Values, token string) {
	v.Set("access_token", token)
	if s.secret != "" {
		mac := hmac.New(sha256.New, []byte(s.secret))
		mac.Write([]byte(token))
		v.Set("appsecret_proof", hex.EncodeToString(mac.Sum(nil)))
	}
}

// endpoint is {base}/{version}/{id}/{edge}?query.
func (s *sender) endpoint(id, edge string, query url.Values) *url.URL {
	u := *s.base
	u.Path = strings.TrimRight(u.Path, "/") + "/" + Version + "/" + id + "/" + edge
	u.RawPath = ""
	u.RawQuery = query.Encode()
	return &u
}

// post sends one request and decodes a successful answer into answer. Its
// errors are typed for the outbox and never carry the URL, which holds the
// token, nor Meta's body beyond its error code and message.
func (s *sender) post(ctx context.Context, u *url.URL, contentType string, body []byte, answer any) error {
	// wrote says whether the request reached the wire: a failure before
	// that sent nothing and may be retried; one after it may have posted
	// the reply.
	var wrote atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) { wrote.Store(info.Err == nil) },
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return &connector.Permanent{Reason: "the request could not be built"}
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	if s.userAgent != "" {
		req.Header.Set("User-Agent", s.userAgent)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		reason := fmt.Sprintf("POST %s: %s", u.Path, netReason(err))
		if wrote.Load() {
			return &connector.Unknown{Reason: reason}
		}
		return &connector.Temporary{Reason: reason}
	}
	defer resp.Body.Close()
	data, readErr := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return classify(resp.StatusCode, resp.Header, data, s.now())
	}
	if readErr != nil {
		return &connector.Unknown{Reason: fmt.Sprintf("POST %s: HTTP %d, the answer was cut off: %s", u.Path, resp.StatusCode, netReason(readErr))}
	}
	if err := json.Unmarshal(data, answer); err != nil {
		return &connector.Unknown{Reason: fmt.Sprintf("POST %s: HTTP %d, the answer is not the documented JSON: %v", u.Path, resp.StatusCode, shapeError(err))}
	}
	return nil
}

// netReason says what failed in a request without the URL a *url.Error
// would print (it holds the access token).
func netReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	return err.Error()
}

// checkPathID accepts a Graph id to put in a path: digits, letters and
// underscores (a comment id is {post}_{comment}).
func checkPathID(id string) error {
	if id == "" || len(id) > 128 {
		return errors.New("is empty or too long")
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '-') {
			return errors.New("is not a Graph API id")
		}
	}
	return nil
}
