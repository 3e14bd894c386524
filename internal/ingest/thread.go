package ingest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"earshot/internal/model"
	"earshot/internal/route"
	"earshot/internal/store"
)

// caseState is a case touched by the batch, written back once at the end.
type caseState struct {
	c     *model.Case
	dirty bool
	// storedOpen is the case's opening as the store holds it (zero for
	// a case this batch opened), and early the times of our replies this
	// batch added before the case's opening then: when an older mention
	// opens the case, a reply between the two openings becomes its first
	// response (see settleEarly).
	storedOpen time.Time
	early      []time.Time
}

// threader threads the mentions of one batch.
type threader struct {
	p       *Pipeline
	r       *route.Router
	loads   map[string]map[string]int
	b       *store.Batch
	now     time.Time
	learned map[string]authorEntry
	cases   map[int64]*caseState
	// refs holds the stored mentions the batch names (its own ids and
	// the ids it replies to), by platform and external id, and grows as
	// the batch stores mentions.
	refs map[refID]store.MentionRef
	// The store does not see the batch's own rows until it ends, so the
	// threader indexes them: the cases the batch touched by author, and
	// the case of each thread id the batch stored.
	byAuthor map[authorCase][]*caseState
	threads  map[refID]int64
	// storedThreads caches the store's answer (0 for none) per thread id.
	storedThreads map[refID]int64
	// since is the earliest window start of the batch's mentions: an
	// author's stored open case is looked up once, from there, and each
	// mention then checks its own window.
	since time.Time
	// waiting holds our replies stored without a case, by the external
	// id of each mention they name (in reply, or as their thread): those
	// this batch stored and the stored ones loadWaiting found. Nearly
	// always empty.
	waiting map[refID][]*orphan
	// linked counts the replies the batch linked to a case.
	linked int
	// echoes are our sent replies that the batch's new mentions are, by
	// the platform's id (see loadEchoes).
	echoes map[refID]store.SentReply
}

// newThreader returns a threader for one batch, b, stored at now.
func (p *Pipeline) newThreader(b *store.Batch, now time.Time, learned map[string]authorEntry) *threader {
	return &threader{p: p, r: p.opts.Routes.Router(), loads: map[string]map[string]int{}, b: b, now: now, learned: learned,
		cases: map[int64]*caseState{}, byAuthor: map[authorCase][]*caseState{}, threads: map[refID]int64{}, storedThreads: map[refID]int64{}}
}

// authorCase keys an author's cases on one platform.
type authorCase struct {
	authorID int64
	platform string
}

// refID names a mention by platform and external id.
type refID struct{ platform, externalID string }

func refKey(platform, externalID string) refID { return refID{platform, externalID} }

// loadRefs looks up, in one query per platform, every stored mention the
// batch is, replies to, or names as its thread.
func (t *threader) loadRefs(ctx context.Context, ms []*model.Mention) error {
	ids := map[string][]string{}
	for _, m := range ms {
		ids[m.Platform] = append(ids[m.Platform], m.ExternalID)
		if m.InReplyTo != "" {
			ids[m.Platform] = append(ids[m.Platform], m.InReplyTo)
		}
		if m.ThreadID != "" {
			ids[m.Platform] = append(ids[m.Platform], m.ThreadID)
		}
	}
	t.refs = make(map[refID]store.MentionRef, len(ms))
	for i, m := range ms {
		if since := m.CreatedAt.Add(-t.p.opts.ThreadWindow); i == 0 || since.Before(t.since) {
			t.since = since
		}
	}
	for platform, list := range ids {
		found, err := t.b.MentionRefs(ctx, platform, list)
		if err != nil {
			return err
		}
		for ext, r := range found {
			t.refs[refKey(platform, ext)] = r
		}
	}
	return t.loadEchoes(ctx, ms)
}

// prefetch reads, in a few queries for the whole batch, what threading
// would otherwise look up mention by mention: the id of each mention's
// author (writing new and changed authors), the open cases of the
// batch's authors, and the cases of the stored mentions the batch
// answers. On PostgreSQL it locks the authors before it looks for their
// open cases, and the cases it reads, until the batch ends (see
// lockAuthors and store.Batch.ThreadingCases): replicas' batches, and
// agents' actions, on the same cases take turns. It returns the author
// ids, aligned with ms (0 for a mention already stored).
func (t *threader) prefetch(ctx context.Context, ms []*model.Mention) ([]int64, error) {
	authorIDs, err := t.authors(ctx, ms)
	if err != nil {
		return nil, err
	}
	var openOf, parents []int64
	queried := map[authorCase]bool{}
	for i, m := range ms {
		if authorIDs[i] == 0 {
			continue // stored already
		}
		id := authorIDs[i]
		if m.Direction != model.DirectionOutbound {
			if k := (authorCase{id, m.Platform}); !queried[k] {
				queried[k] = true
				openOf = append(openOf, id)
			}
		}
		for _, ref := range [...]string{m.InReplyTo, m.ThreadID} {
			if ref == "" {
				continue
			}
			if r, ok := t.refs[refKey(m.Platform, ref)]; ok && r.CaseID != 0 && !slices.Contains(parents, r.CaseID) {
				parents = append(parents, r.CaseID)
			}
		}
	}
	cs, err := t.b.ThreadingCases(ctx, openOf, t.since, parents)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		t.track(c)
	}
	return authorIDs, nil
}

// add threads and stores m, whose author's id is authorID.
func (t *threader) add(ctx context.Context, m *model.Mention, authorID int64) (Result, error) {
	if r, ok := t.refs[refKey(m.Platform, m.ExternalID)]; ok {
		if r.Hash != 0 && r.Hash != store.MentionHash(m.Text, m.Rating) {
			return t.edit(ctx, m, r)
		}
		// Stored already: not m's analysis but the stored one answers,
		// read by Store after commit (the writer pays nothing for it).
		return Result{ID: r.ID, CaseID: r.CaseID, Duplicate: true}, nil
	}
	if e, ok := t.echoes[refKey(m.Platform, m.ExternalID)]; ok {
		return t.echo(ctx, m, authorID, e)
	}
	cs, err := t.parentCase(ctx, m)
	if err != nil {
		return Result{}, err
	}
	var events []model.Event
	var rt *routed
	opened := false
	if m.Direction == model.DirectionOutbound {
		if cs == nil {
			if cs, err = t.recipientCase(ctx, m); err != nil {
				return Result{}, err
			}
		}
		if cs != nil {
			t.applyOutbound(cs, m)
		}
	} else {
		if cs == nil {
			cs = t.openCase(authorID, m)
		}
		if cs == nil {
			c := t.newCase(m, authorID)
			if rt, err = t.routeNew(ctx, c, m); err != nil {
				return Result{}, err
			}
			if err := t.b.InsertCase(ctx, c); err != nil {
				return Result{}, err
			}
			cs = t.track(c)
			cs.storedOpen = time.Time{}
			opened = true
		} else {
			rt = t.routeInbound(cs.c, m)
			if e, changed := t.applyInbound(cs, m); changed {
				events = append(events, e)
			}
		}
	}
	var caseID int64
	if cs != nil {
		caseID = cs.c.ID
	}
	analysis := m.AnalysisJSON
	if analysis == nil {
		var err error
		if analysis, err = json.Marshal(m.Analysis); err != nil {
			return Result{}, fmt.Errorf("encode analysis: %w", err)
		}
	}
	if err := t.b.InsertMention(ctx, m, authorID, caseID, analysis); err != nil {
		return Result{}, err
	}
	t.refs[refKey(m.Platform, m.ExternalID)] = store.MentionRef{ID: m.ID, CaseID: caseID}
	if caseID != 0 {
		t.noteThread(m, caseID)
		if len(t.waiting) > 0 {
			// Replies of ours stored before m may have waited for it.
			if err := t.adoptWaiting(ctx, threadKeys(m)...); err != nil {
				return Result{}, err
			}
		}
	} else if waits(m) {
		t.wait(&orphan{m: m})
	}
	if opened {
		// The mentions themselves make up the case's timeline; the event
		// rows record what else happened, starting with the opening.
		data, _ := json.Marshal(openedData{MentionID: m.ID, Direction: m.Direction})
		events = append(events, model.Event{CaseID: caseID, Type: model.EventCaseOpened, CreatedAt: t.now, Data: data})
	}
	for _, e := range events {
		t.b.AddEvent(e)
	}
	if cs != nil {
		if err := t.record(rt, cs.c, m); err != nil {
			return Result{}, err
		}
	}
	return Result{ID: m.ID, CaseID: caseID, Analysis: m.Analysis}, nil
}

// openedData is the payload of a case_opened event.
type openedData struct {
	MentionID int64  `json:"mention_id"`
	Direction string `json:"direction"`
}

// authors returns the stored id of each mention's author, aligned with
// ms (0 for a mention already stored). Authors this process saw with the
// same profile need no write; the new and changed ones are written
// together, a few statements for the batch, each with the last profile
// the batch carries for it.
func (t *threader) authors(ctx context.Context, ms []*model.Mention) ([]int64, error) {
	if t.b.Locking() {
		if err := t.lockAuthors(ctx, ms); err != nil {
			return nil, err
		}
	}
	ids := make([]int64, len(ms))
	var rows []store.AuthorRow
	var keys []string
	slot := map[string]int{} // author key -> index in rows
	pending := map[int]int{} // mention index -> index in rows
	for i, m := range ms {
		if _, dup := t.refs[refKey(m.Platform, m.ExternalID)]; dup {
			continue
		}
		key := m.Platform + "\x00" + m.Author.Key()
		if j, ok := slot[key]; ok {
			rows[j].Author = m.Author
			pending[i] = j
			continue
		}
		if e, ok := t.learned[key]; ok && sameProfile(e.author, m.Author) {
			ids[i] = e.id
			continue
		}
		if e, ok := t.p.authors.get(key); ok && sameProfile(e.author, m.Author) {
			ids[i] = e.id
			continue
		}
		slot[key] = len(rows)
		pending[i] = len(rows)
		rows = append(rows, store.AuthorRow{Platform: m.Platform, Author: m.Author})
		keys = append(keys, key)
	}
	if len(rows) == 0 {
		return ids, nil
	}
	written, err := t.b.UpsertAuthors(ctx, rows, t.now)
	if err != nil {
		return nil, err
	}
	for i, j := range pending {
		ids[i] = written[j]
	}
	for j, r := range rows {
		t.learned[keys[j]] = authorEntry{id: written[j], author: r.Author}
	}
	return ids, nil
}

// lockAuthors locks, where other writers run beside the batch, the
// stored authors of its new inbound mentions before prefetch looks for
// their open cases: another batch that would open a case for one of them
// waits until this one commits, and then finds the case this one opened.
// They are locked in one statement, in one order, before authors writes
// any; an author not stored yet is held by the batch that inserts it.
func (t *threader) lockAuthors(ctx context.Context, ms []*model.Mention) error {
	seen := map[store.AuthorKey]bool{}
	var keys []store.AuthorKey
	for _, m := range ms {
		if _, dup := t.refs[refKey(m.Platform, m.ExternalID)]; dup || m.Direction == model.DirectionOutbound {
			continue
		}
		if k := (store.AuthorKey{Platform: m.Platform, Key: m.Author.Key()}); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return t.b.LockAuthors(ctx, keys)
}

// sameProfile reports whether the stored profile a is close enough to the
// one just seen, b, to leave it as it is: the same names, verification
// and location, and counts within 10%. Counts move with nearly every
// post; rewriting the author for each would cost a random page write per
// mention, and a follower count a few percent old tells an agent the
// same thing.
func sameProfile(a, b model.Author) bool {
	return a.ID == b.ID && a.Handle == b.Handle && a.Name == b.Name && a.Verified == b.Verified && a.Location == b.Location &&
		near(a.Followers, b.Followers) && near(a.Following, b.Following) && near(a.Posts, b.Posts)
}

// near reports whether b is within 10% of a.
func near(a, b int64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d*10 <= max(a, b, 1)
}

// noteThread records caseID, the case m was stored (or linked) with,
// as the case of m's thread when the thread has none yet.
func (t *threader) noteThread(m *model.Mention, caseID int64) {
	if m.ThreadID == "" {
		return
	}
	k := refKey(m.Platform, m.ThreadID)
	if _, ok := t.threads[k]; !ok {
		t.threads[k] = caseID
		// threadCase is asked only when the thread's root is not
		// stored with a case, and a stored mention never changes
		// its case, so only such a thread needs its case kept.
		if root := t.refs[k]; root.CaseID == 0 && t.storedThreads[k] == 0 {
			t.b.AddThread(m.Platform, m.ThreadID, caseID)
		}
	}
}

// parentCase finds the case of the conversation m answers: the case of
// the mention in in_reply_to, else of its thread.
func (t *threader) parentCase(ctx context.Context, m *model.Mention) (*caseState, error) {
	return t.parentCaseOf(ctx, m.Platform, m.InReplyTo, m.ThreadID)
}

// parentCaseOf is parentCase of a mention on platform that names
// inReplyTo and threadID (either may be empty).
func (t *threader) parentCaseOf(ctx context.Context, platform, inReplyTo, threadID string) (*caseState, error) {
	var caseID int64
	if inReplyTo != "" {
		caseID = t.refs[refKey(platform, inReplyTo)].CaseID
	}
	if caseID == 0 && threadID != "" {
		caseID = t.refs[refKey(platform, threadID)].CaseID // the thread's root
	}
	if caseID == 0 && threadID != "" {
		var err error
		if caseID, err = t.threadCase(ctx, platform, threadID); err != nil {
			return nil, err
		}
	}
	if caseID == 0 {
		return nil, nil
	}
	if cs, ok := t.cases[caseID]; ok {
		return cs, nil
	}
	c, err := t.b.CaseState(ctx, caseID)
	if err != nil {
		return nil, err
	}
	return t.track(c), nil
}

// threadCase returns the case of the first mention, by id, that carries
// threadID: a stored one (looked up once per batch) before one the batch
// added. It is asked only when the thread's root is not stored with a
// case.
func (t *threader) threadCase(ctx context.Context, platform, threadID string) (int64, error) {
	k := refKey(platform, threadID)
	id, looked := t.storedThreads[k]
	if !looked {
		found, ok, err := t.b.ThreadCase(ctx, platform, threadID)
		if err != nil {
			return 0, err
		}
		if ok {
			id = found
		}
		t.storedThreads[k] = id
	}
	if id != 0 {
		return id, nil
	}
	return t.threads[k], nil
}

// track remembers a case the batch touches.
func (t *threader) track(c *model.Case) *caseState {
	if cs, ok := t.cases[c.ID]; ok {
		return cs
	}
	cs := &caseState{c: c, storedOpen: c.CreatedAt}
	t.cases[c.ID] = cs
	k := authorCase{c.AuthorID, c.Platform}
	t.byAuthor[k] = append(t.byAuthor[k], cs)
	return cs
}

func (t *threader) flush(ctx context.Context) error {
	// In id order, the order of the cases table: a batch's updates then
	// walk its pages once, front to back, instead of jumping about it.
	dirty := make([]*model.Case, 0, len(t.cases))
	for _, cs := range t.cases {
		if !cs.dirty {
			continue
		}
		if err := t.settleStored(ctx, cs); err != nil {
			return err
		}
		dirty = append(dirty, cs.c)
	}
	slices.SortFunc(dirty, func(a, b *model.Case) int { return cmp.Compare(a.ID, b.ID) })
	for _, c := range dirty {
		if err := t.b.UpdateCaseState(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
