package cases

import (
	"context"
	"net/url"
	"strings"

	"earshot/internal/input"
	"earshot/internal/model"
)

// MaxReplyURLBytes bounds the link an agent gives for a reply sent by
// hand.
const MaxReplyURLBytes = 1000

// What an agent may do with a reply the outbox did not settle as sent.
var (
	// RetryFrom are the states "Try again" starts from: a refusal the
	// platform explained, and an attempt whose fate was unknown once the
	// agent has checked that it did not go out.
	RetryFrom = []model.ReplyState{model.ReplyFailed, model.ReplyUnknown}
	// SentByHandFrom are the states "It went out" and "I posted it by
	// hand" start from.
	SentByHandFrom = []model.ReplyState{model.ReplyUnknown, model.ReplyNoConnector}
)

// Retry sends reply replyID of case caseID again, as actor's decision:
// from RetryFrom only, it goes back to the outbox queue in a new delivery
// round, whose own job sends it once. Two agents asking at once requeue
// it once; the other gets store.ErrReplyState. The privacy guard judges it
// again just before it is sent.
func (s *Service) Retry(ctx context.Context, caseID, replyID int64, actor string) error {
	_, err := s.store.RequeueReply(ctx, caseID, replyID, RetryFrom, actor, s.clock())
	return err
}

// SentByHand records, as actor's word, that reply replyID of case caseID
// went out on the platform without the outbox (from SentByHandFrom only;
// otherwise store.ErrReplyState), with its link there, which may be
// empty and otherwise must be an http or https URL (a *Refusal with
// Field "url").
func (s *Service) SentByHand(ctx context.Context, caseID, replyID int64, link, actor string) error {
	link = strings.TrimSpace(link)
	if ref := checkLink(link); ref != nil {
		return ref
	}
	return s.store.MarkReplySentByHand(ctx, caseID, replyID, SentByHandFrom, link, actor, s.clock())
}

// checkLink checks a link to a post on a platform: empty, or an absolute
// http(s) URL with a host, of at most MaxReplyURLBytes.
func checkLink(link string) *Refusal {
	if link == "" {
		return nil
	}
	if err := input.Text("url", link, MaxReplyURLBytes); err != nil {
		return badField("url", "url must be at most %d bytes of UTF-8", MaxReplyURLBytes)
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return badField("url", "url must be an http or https link to the reply on the platform")
	}
	return nil
}
