package ingest

import (
	"context"
	"encoding/json"
	"fmt"

	"earshot/internal/model"
	"earshot/internal/store"
)

// Two kinds of mention are neither new nor a plain copy sent again:
//
//   - our own reply, which the outbox sent, coming back from the platform
//     in a poll or a webhook (its external id is the reply's platform_id):
//     it is stored as the case's outbound mention and linked to the
//     reply, but it is no second response: the reply already counted;
//   - a stored mention its author edited (a Google review from 1 to 4
//     stars, a Facebook comment reworded): the stored one takes its text,
//     rating and analysis, and the case's timeline says so. The check
//     costs the duplicate path nothing it did not read: the stored
//     mention's content hash comes with its id.

// loadEchoes finds, in one query per platform, the sent replies that the
// batch's new mentions are.
func (t *threader) loadEchoes(ctx context.Context, ms []*model.Mention) error {
	ids := map[string][]string{}
	for _, m := range ms {
		if _, stored := t.refs[refKey(m.Platform, m.ExternalID)]; !stored {
			ids[m.Platform] = append(ids[m.Platform], m.ExternalID)
		}
	}
	for platform, list := range ids {
		found, err := t.b.SentReplies(ctx, platform, list)
		if err != nil {
			return err
		}
		for ext, r := range found {
			if t.echoes == nil {
				t.echoes = map[refID]store.SentReply{}
			}
			t.echoes[refKey(platform, ext)] = r
		}
	}
	return nil
}

// echo stores m, our sent reply e come back, as an outbound mention of
// the reply's case, linked to the reply. The case counts the mention but
// not a second response.
func (t *threader) echo(ctx context.Context, m *model.Mention, authorID int64, e store.SentReply) (Result, error) {
	m.Direction = model.DirectionOutbound
	cs, err := t.caseByID(ctx, e.CaseID)
	if err != nil {
		return Result{}, err
	}
	cs.dirty = true
	cs.c.MentionCount++
	cs.c.UpdatedAt = t.now
	analysis, err := analysisJSON(m)
	if err != nil {
		return Result{}, err
	}
	if err := t.b.InsertMention(ctx, m, authorID, e.CaseID, analysis); err != nil {
		return Result{}, err
	}
	t.refs[refKey(m.Platform, m.ExternalID)] = store.MentionRef{ID: m.ID, CaseID: e.CaseID}
	delete(t.echoes, refKey(m.Platform, m.ExternalID))
	t.noteThread(m, e.CaseID)
	t.b.LinkReplyMention(e.ReplyID, m.ID)
	return Result{ID: m.ID, CaseID: e.CaseID, Analysis: m.Analysis}, nil
}

// editedData is the payload of a mention_edited event.
type editedData struct {
	MentionID  int64 `json:"mention_id"`
	RatingFrom *int  `json:"rating_from"`
	RatingTo   *int  `json:"rating_to"`
}

// edit writes m, an edit of stored mention r, over it, and moves its
// case on: updated now, its latest sentiment the edit's when m is its
// latest activity, and a mention_edited event.
func (t *threader) edit(ctx context.Context, m *model.Mention, r store.MentionRef) (Result, error) {
	analysis, err := analysisJSON(m)
	if err != nil {
		return Result{}, err
	}
	from, err := t.b.EditMention(ctx, r.ID, r.CaseID, m, analysis, t.now)
	if err != nil {
		return Result{}, err
	}
	// A further copy in this batch compares with the edit.
	t.refs[refKey(m.Platform, m.ExternalID)] = store.MentionRef{ID: r.ID, CaseID: r.CaseID, Hash: store.MentionHash(m.Text, m.Rating)}
	if r.CaseID != 0 {
		cs, err := t.caseByID(ctx, r.CaseID)
		if err != nil {
			return Result{}, err
		}
		c := cs.c
		cs.dirty = true
		c.UpdatedAt = t.now
		// The edit is the person's latest word, whenever the mention
		// was first made: a review raised from 1 to 4 stars after our
		// reply ends the case positive.
		if m.Analysis != nil && m.Direction != model.DirectionOutbound {
			c.SentimentLast = m.Analysis.Sentiment.Label
		}
		data, _ := json.Marshal(editedData{MentionID: r.ID, RatingFrom: from, RatingTo: m.Rating}) // always encodes
		t.b.AddEvent(model.Event{CaseID: r.CaseID, Type: model.EventMentionEdited, CreatedAt: t.now, Data: data})
	}
	return Result{ID: r.ID, CaseID: r.CaseID, Duplicate: true, Updated: true}, nil
}

// caseByID returns the batch's state of case id, reading it once.
func (t *threader) caseByID(ctx context.Context, id int64) (*caseState, error) {
	if cs, ok := t.cases[id]; ok {
		return cs, nil
	}
	c, err := t.b.CaseState(ctx, id)
	if err != nil {
		return nil, err
	}
	return t.track(c), nil
}

// analysisJSON is m's analysis encoded for the store.
func analysisJSON(m *model.Mention) ([]byte, error) {
	if m.AnalysisJSON != nil {
		return m.AnalysisJSON, nil
	}
	b, err := json.Marshal(m.Analysis)
	if err != nil {
		return nil, fmt.Errorf("encode analysis: %w", err)
	}
	return b, nil
}
