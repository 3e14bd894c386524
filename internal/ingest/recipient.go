package ingest

import (
	"context"
	"strings"

	"earshot/internal/model"
)

// A direct message of ours that answers nothing stored (we wrote to the
// person first, natively on the platform, after their public complaint)
// names no mention in in_reply_to, and its thread is the private
// conversation, which has no case until the person writes back. The
// person it is addressed to is in its thread id, as the connectors set
// it: on Facebook and Instagram the thread is that person's id, on X the
// two ids of the conversation, the smaller first, joined by "-". Such a
// message joins that person's open case, as their own mention would
// (openCase): it is our answer, taken private, and a person who never
// writes back was still answered.

// recipientCase returns the open case of the person our direct message m
// is addressed to, or nil when m is no such message or the person has
// none.
func (t *threader) recipientCase(ctx context.Context, m *model.Mention) (*caseState, error) {
	if m.Direction != model.DirectionOutbound || m.Kind != model.KindDirectMessage {
		return nil, nil
	}
	for _, key := range recipients(m) {
		id, ok, err := t.b.AuthorID(ctx, m.Platform, key)
		if err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		cs, err := t.authorOpenCase(ctx, id, m)
		if cs != nil || err != nil {
			return cs, err
		}
	}
	return nil, nil
}

// recipients are the author keys (model.Author.Key) that the thread of
// our direct message m may name as the person it is addressed to: the
// thread id itself, and each of its "-" separated parts that is not our
// own account.
func recipients(m *model.Mention) []string {
	th := m.ThreadID
	if th == "" || th == m.Author.ID {
		return nil
	}
	out := []string{th}
	if a, b, ok := strings.Cut(th, "-"); ok {
		for _, p := range [...]string{a, b} {
			if p != "" && p != m.Author.ID {
				out = append(out, p)
			}
		}
	}
	return out
}

// authorOpenCase is openCase for author authorID, whose stored open
// cases within the thread window of m are read first (prefetch reads
// only those of the batch's inbound authors).
func (t *threader) authorOpenCase(ctx context.Context, authorID int64, m *model.Mention) (*caseState, error) {
	cs, err := t.b.OpenCasesForAuthors(ctx, []int64{authorID}, m.CreatedAt.Add(-t.p.opts.ThreadWindow))
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if _, seen := t.cases[c.ID]; !seen {
			t.track(c)
		}
	}
	return t.openCase(authorID, m), nil
}
