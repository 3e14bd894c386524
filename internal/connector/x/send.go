package x

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// createdPost is the answer of POST /2/tweets
// (https://docs.x.com/x-api/posts/manage-tweets/quickstart).
type createdPost struct {
	Data struct {
		ID string `json:"id"`
	} `json:"data"`
}

// createdDM is the answer of POST /2/dm_conversations/with/{id}/messages
// (https://docs.x.com/x-api/direct-messages/manage/quickstart).
type createdDM struct {
	Data struct {
		ConversationID string `json:"dm_conversation_id"`
		EventID        string `json:"dm_event_id"`
	} `json:"data"`
}

// Send answers in public with a reply post to the mention (POST
// /2/tweets with reply.in_reply_to_tweet_id) or in private with a direct
// message to its author (POST /2/dm_conversations/with/{author}/messages).
func (c *Client) Send(ctx context.Context, out connector.Outgoing) (connector.Sent, error) {
	var (
		path string
		body any
	)
	switch out.Visibility {
	case model.VisibilityPublic:
		if !numericID(out.InReplyTo) {
			return connector.Sent{}, &connector.Permanent{Reason: "this reply names no X post to answer, so it cannot go out as a reply on X"}
		}
		path = "/2/tweets"
		body = map[string]any{"text": out.Text, "reply": map[string]string{"in_reply_to_tweet_id": out.InReplyTo}}
	case model.VisibilityPrivate:
		if !numericID(out.AuthorID) {
			return connector.Sent{}, &connector.Permanent{Reason: "the person answered has no X user id, so no direct message can reach them"}
		}
		path = "/2/dm_conversations/with/" + out.AuthorID + "/messages"
		body = map[string]string{"text": out.Text}
	default:
		return connector.Sent{}, &connector.Permanent{Reason: fmt.Sprintf("a reply's visibility must be public or private, not %q", out.Visibility)}
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return connector.Sent{}, &connector.Permanent{Reason: "encode the reply: " + err.Error()}
	}
	status, header, answer, err := c.post(ctx, path, payload)
	if err != nil {
		return connector.Sent{}, err
	}
	if status != http.StatusCreated && status != http.StatusOK {
		return connector.Sent{}, c.sendError(status, header, answer)
	}
	if out.Visibility == model.VisibilityPrivate {
		var dm createdDM
		if json.Unmarshal(answer, &dm) != nil || dm.Data.EventID == "" {
			return connector.Sent{}, &connector.Unknown{Reason: fmt.Sprintf("X answered HTTP %d to the direct message but named no message id", status)}
		}
		return connector.Sent{ID: dm.Data.EventID}, nil
	}
	var p createdPost
	if json.Unmarshal(answer, &p) != nil || !numericID(p.Data.ID) {
		return connector.Sent{}, &connector.Unknown{Reason: fmt.Sprintf("X answered HTTP %d to the reply but named no post id", status)}
	}
	return connector.Sent{ID: p.Data.ID, URL: postURL("", p.Data.ID)}, nil
}

// post sends one JSON request. A failure before the request was written
// is Temporary (nothing reached X); one after it (a timeout while X
// answers, a connection cut) is Unknown, since X may have taken it.
func (c *Client) post(ctx context.Context, path string, payload []byte) (int, http.Header, []byte, error) {
	var wrote atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) { wrote.Store(info.Err == nil) },
	})
	req, err := c.newRequest(ctx, http.MethodPost, path, nil, payload)
	if err != nil {
		return 0, nil, nil, &connector.Permanent{Reason: err.Error()}
	}
	resp, err := c.client.Do(req)
	if err != nil {
		if wrote.Load() {
			return 0, nil, nil, &connector.Unknown{Reason: fmt.Sprintf("x channel %q: the request reached X but no answer came (%s); check the conversation on X before sending again", c.channel, netReason(err))}
		}
		return 0, nil, nil, &connector.Temporary{Reason: fmt.Sprintf("x channel %q: could not reach X (%s)", c.channel, netReason(err))}
	}
	defer resp.Body.Close()
	answer, err := readBody(resp)
	if err != nil && resp.StatusCode/100 == 2 {
		return 0, nil, nil, &connector.Unknown{Reason: fmt.Sprintf("x channel %q: X took the request (HTTP %d) but its answer broke off", c.channel, resp.StatusCode)}
	}
	return resp.StatusCode, resp.Header, answer, nil
}

// netReason says in a few words why a request failed, without the URL.
func netReason(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		err = ue.Unwrap()
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return "timed out"
	}
	return err.Error()
}

// sendError types X's refusal of a reply. X lets self-serve accounts
// reply only where the post's author mentioned or engaged them; that
// 403 gets a plain reason and the next step.
func (c *Client) sendError(status int, h http.Header, answer []byte) error {
	if status == http.StatusForbidden && replyRestricted(reason(answer)) {
		return &connector.Permanent{Reason: "X does not let this account reply to that post: its author has not mentioned or engaged with us (X: " +
			reason(answer) + "). Send a direct message instead, or reach the person by phone or email."}
	}
	return c.statusError(status, h, answer)
}

// replyRestricted reports whether X's reason is the refusal of a reply
// to someone who did not mention or engage the account.
func replyRestricted(why string) bool {
	why = strings.ToLower(why)
	return strings.Contains(why, "reply") && (strings.Contains(why, "mentioned") || strings.Contains(why, "engaged"))
}
