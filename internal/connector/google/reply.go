package google

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// NoPrivateChannel is the reason a private reply on Google fails: the
// platform has no way to write to a reviewer in private.
const NoPrivateChannel = "Google has no private channel: call or email the reviewer (use the phone/email template)"

// replyAnswer is the ReviewReply Google answers with, including the
// moderation state it may give a reply (State, PolicyViolation:
// https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews#ReviewReply).
// A reply still pending moderation counts as sent: Google has it.
type replyAnswer struct {
	Comment    string `json:"comment"`
	UpdateTime string `json:"updateTime"`
	State      string `json:"state"`
}

// Send puts out as the owner's reply on the review it answers
// (accounts.locations.reviews.updateReply: PUT {review name}/reply). A
// review has one reply; sending again replaces it, so a retry after a
// lost answer never posts twice.
func (c *client) Send(ctx context.Context, out connector.Outgoing) (connector.Sent, error) {
	if out.Visibility == model.VisibilityPrivate {
		return connector.Sent{}, &connector.Permanent{Reason: NoPrivateChannel}
	}
	name := out.InReplyTo
	if name == "" {
		name = out.ThreadID
	}
	if !c.ownReview(name) {
		return connector.Sent{}, &connector.Permanent{Reason: fmt.Sprintf("%q is not a review of this channel's Google location (%s)", cut(name, 120), c.location)}
	}
	body, err := json.Marshal(map[string]string{"comment": out.Text})
	if err != nil {
		return connector.Sent{}, &connector.Permanent{Reason: "reply cannot be encoded: " + err.Error()}
	}
	data, err := c.do(ctx, http.MethodPut, "/v4/"+name+"/reply", body)
	if err != nil {
		return connector.Sent{}, err
	}
	var ans replyAnswer
	if err := json.Unmarshal(data, &ans); err != nil {
		// Google took the reply (2xx); only its echo is unreadable.
		return connector.Sent{ID: name + "/reply"}, nil
	}
	if ans.State == "REJECTED" {
		return connector.Sent{}, &connector.Permanent{Reason: "Google's moderation rejected the reply for breaking its content policy: reword it, or call or email the reviewer"}
	}
	return connector.Sent{ID: name + "/reply"}, nil
}

// ownReview reports whether name is a review of the channel's location,
// accounts/{a}/locations/{l}/reviews/{r}, safe to put in a path.
func (c *client) ownReview(name string) bool {
	id, ok := strings.CutPrefix(name, c.location+"/reviews/")
	return ok && plainSegment(id)
}
