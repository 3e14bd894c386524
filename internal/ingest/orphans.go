package ingest

import (
	"context"
	"fmt"

	"earshot/internal/events"
	"earshot/internal/model"
	"earshot/internal/store"
)

// An outbound mention (our own reply) joins the case of the mention it
// answers. When it arrives first (connectors race, an import file out of
// order, two batches) it is stored without a case and waits: when the
// mention it names in in_reply_to, or as its thread, is stored with a
// case, the reply joins that case just as if it had come after it
// (applyOutbound: count, activity, first response, SLA, new to open).
// The batch that stores the parent links the replies waiting for it,
// those stored by earlier batches (loadWaiting) and those earlier in the
// same batch (wait). What one PostgreSQL transaction cannot see of
// another's is left to LinkWaitingReplies, run by a sweep.

// orphan is one of our replies stored without a case that waits for the
// mention it answers.
type orphan struct {
	m *model.Mention
	// stored is the stored reply that loadWaiting found; nil for one
	// this batch stored.
	stored *store.Orphan
	done   bool
}

// waits reports whether m, stored without a case, waits for a mention it
// names: it is ours and answers something. Our own top-level posts, and
// the roots of our own threads, answer nothing.
func waits(m *model.Mention) bool {
	return m.Direction == model.DirectionOutbound && (m.InReplyTo != "" || ownThread(m) != "")
}

// ownThread is m's thread id, unless m is its thread's root.
func ownThread(m *model.Mention) string {
	if m.ThreadID == m.ExternalID {
		return ""
	}
	return m.ThreadID
}

// threadKeys are the keys replies waiting for m wait under: its own
// external id (they answer it, or it is their thread's root) and its
// thread (it gave the thread a case).
func threadKeys(m *model.Mention) []refID {
	if m.ThreadID == "" || m.ThreadID == m.ExternalID {
		return []refID{refKey(m.Platform, m.ExternalID)}
	}
	return []refID{refKey(m.Platform, m.ExternalID), refKey(m.Platform, m.ThreadID)}
}

// orphanMention is the stored reply o as the threader needs it: what
// places it in a thread, not its text or analysis.
func orphanMention(o *store.Orphan) *model.Mention {
	return &model.Mention{ID: o.ID, Platform: o.Platform, ExternalID: o.ExternalID, Direction: model.DirectionOutbound,
		InReplyTo: o.InReplyTo, ThreadID: o.ThreadID, CreatedAt: o.CreatedAt}
}

// wait files o under the mentions it names.
func (t *threader) wait(o *orphan) {
	if t.waiting == nil {
		t.waiting = map[refID][]*orphan{}
	}
	m := o.m
	if m.InReplyTo != "" {
		k := refKey(m.Platform, m.InReplyTo)
		t.waiting[k] = append(t.waiting[k], o)
	}
	if th := ownThread(m); th != "" && th != m.InReplyTo {
		k := refKey(m.Platform, th)
		t.waiting[k] = append(t.waiting[k], o)
	}
}

// loadWaiting finds the stored replies that wait for a mention the batch
// stores (named in reply or as thread root) or for a thread it adds to,
// and those that wait for them in turn, and the stored mentions they
// name. It asks one cheap question when no reply waits at all, nearly
// always the case.
func (t *threader) loadWaiting(ctx context.Context, ms []*model.Mention) error {
	waiting, err := t.b.HasOrphans(ctx)
	if err != nil || !waiting {
		return err
	}
	var refs []refID
	for _, m := range ms {
		if _, dup := t.refs[refKey(m.Platform, m.ExternalID)]; dup {
			continue
		}
		refs = append(refs, refKey(m.Platform, m.ExternalID))
		if m.ThreadID != "" {
			refs = append(refs, refKey(m.Platform, m.ThreadID))
		}
	}
	return t.loadOrphans(ctx, refs, nil)
}

// loadOrphans files, for adoptWaiting, the stored replies waiting for the
// mentions named by refs, and those waiting for them in turn; known
// replies (found already, by id) are not filed again. It also reads the
// stored mentions that the replies name, which parentCase asks for.
func (t *threader) loadOrphans(ctx context.Context, refs []refID, known map[int64]bool) error {
	if known == nil {
		known = map[int64]bool{}
	}
	asked := map[refID]bool{}
	named := map[string][]string{} // platform -> ids the replies name, not in refs
	for len(refs) > 0 {
		byPlatform := map[string][]string{}
		for _, k := range refs {
			if k.externalID != "" && !asked[k] {
				asked[k] = true
				byPlatform[k.platform] = append(byPlatform[k.platform], k.externalID)
			}
		}
		refs = refs[:0:0]
		for platform, ids := range byPlatform {
			found, err := t.b.Orphans(ctx, platform, ids)
			if err != nil {
				return err
			}
			for i := range found {
				o := &found[i]
				if known[o.ID] {
					continue
				}
				known[o.ID] = true
				m := orphanMention(o)
				t.wait(&orphan{m: m, stored: o})
				refs = append(refs, threadKeys(m)...)
				for _, ref := range [...]string{m.InReplyTo, ownThread(m)} {
					if _, ok := t.refs[refKey(platform, ref)]; ref != "" && !ok {
						named[platform] = append(named[platform], ref)
					}
				}
			}
		}
	}
	for platform, ids := range named {
		found, err := t.b.MentionRefs(ctx, platform, ids)
		if err != nil {
			return err
		}
		for ext, r := range found {
			if _, ok := t.refs[refKey(platform, ext)]; !ok {
				t.refs[refKey(platform, ext)] = r
			}
		}
	}
	return nil
}

// adoptWaiting links to their parent's case the replies waiting under
// keys whose parent now has one, and then those waiting for them.
func (t *threader) adoptWaiting(ctx context.Context, keys ...refID) error {
	queue := keys
	for len(queue) > 0 {
		k := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, o := range t.waiting[k] {
			if o.done {
				continue
			}
			m := o.m
			cs, err := t.parentCaseOf(ctx, m.Platform, m.InReplyTo, ownThread(m))
			if err != nil {
				return err
			}
			if cs == nil {
				continue
			}
			o.done = true
			t.applyOutbound(cs, m)
			caseID := cs.c.ID
			if o.stored != nil {
				t.b.AdoptMention(*o.stored, caseID)
			} else {
				t.b.AdoptPending(m, caseID)
			}
			t.refs[refKey(m.Platform, m.ExternalID)] = store.MentionRef{ID: m.ID, CaseID: caseID}
			t.noteThread(m, caseID)
			t.linked++
			queue = append(queue, threadKeys(m)...)
		}
	}
	return nil
}

// LinkWaitingReplies links up to limit stored replies of ours whose
// parent (the mention in their in_reply_to, their thread's root or the
// thread's case) is stored with a case, as the batch storing the parent
// would have, and returns how many it linked. Ingest links them as it
// goes; this finds those it could not see: a reply and its parent stored
// at the same time by two PostgreSQL transactions (several replicas),
// and replies stored before Earshot linked them. It publishes a
// case_changed event for each case that gained a reply.
func (p *Pipeline) LinkWaitingReplies(ctx context.Context, limit int) (int, error) {
	var n int
	var changed []int64
	err := p.retry(ctx, func() error { // an ingest batch linked one first: look again
		var err error
		n, changed, err = p.linkOnce(ctx, limit)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("link waiting replies: %w", err)
	}
	p.opts.Metrics.linkedReplies(n)
	if p.opts.Broker != nil {
		for _, id := range changed {
			p.opts.Broker.Publish(events.Event{Type: events.CaseChanged, CaseID: id})
		}
	}
	return n, nil
}

func (p *Pipeline) linkOnce(ctx context.Context, limit int) (int, []int64, error) {
	var linked int
	var changed []int64
	err := p.store.WriteBatch(ctx, func(b *store.Batch) error {
		found, err := b.AdoptableOrphans(ctx, limit)
		if err != nil || len(found) == 0 {
			return err
		}
		t := p.newThreader(b, p.opts.Now().UTC(), map[string]authorEntry{})
		t.refs = map[refID]store.MentionRef{}
		known := map[int64]bool{}
		var refs, parents []refID
		for i := range found {
			o := &found[i]
			known[o.ID] = true
			m := orphanMention(o)
			t.wait(&orphan{m: m, stored: o})
			refs = append(refs, threadKeys(m)...)
			for _, ref := range [...]string{m.InReplyTo, ownThread(m)} {
				if ref != "" {
					parents = append(parents, refKey(m.Platform, ref))
				}
			}
		}
		// The parents themselves, and the replies waiting for the ones
		// found here.
		named := map[string][]string{}
		for _, k := range parents {
			named[k.platform] = append(named[k.platform], k.externalID)
		}
		for platform, ids := range named {
			rs, err := b.MentionRefs(ctx, platform, ids)
			if err != nil {
				return err
			}
			for ext, r := range rs {
				t.refs[refKey(platform, ext)] = r
			}
		}
		if err := t.loadOrphans(ctx, refs, known); err != nil {
			return err
		}
		if err := t.adoptWaiting(ctx, parents...); err != nil {
			return err
		}
		linked = t.linked
		for id, cs := range t.cases {
			if cs.dirty {
				changed = append(changed, id)
			}
		}
		return t.flush(ctx)
	})
	return linked, changed, err
}
