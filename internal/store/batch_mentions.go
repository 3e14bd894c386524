package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"earshot/internal/model"
)

// pendingMention is a mention to insert when the batch ends, under
// m.CaseID (0 for none; AdoptPending may set it meanwhile).
type pendingMention struct {
	m        *model.Mention
	authorID int64
	analysis []byte
}

// InsertMention gives m an id and stores it (with its analysis,
// serialised in analysisJSON) under authorID and caseID (0 for none,
// unless AdoptPending gives it one) when the batch ends. The caller has
// checked that it is not stored yet; if another writer stores it
// meanwhile, the batch fails with ErrRace.
func (b *Batch) InsertMention(ctx context.Context, m *model.Mention, authorID, caseID int64, analysisJSON []byte) error {
	id, err := b.newID(ctx, "mentions")
	if err != nil {
		return err
	}
	m.ID, m.CaseID = id, caseID
	b.mentions = append(b.mentions, pendingMention{m: m, authorID: authorID, analysis: analysisJSON})
	return nil
}

// flushIntents records in case_intents, the inbox's index for the
// intent filter, the intents of the batch's mentions that joined a case
// and of the stored replies it adopted.
func (b *Batch) flushIntents(ctx context.Context) error {
	type row struct {
		intent string
		caseID int64
	}
	seen := map[row]bool{}
	var rows []row
	add := func(intents []string, caseID int64) {
		for _, in := range intents {
			if r := (row{in, caseID}); in != "" && !seen[r] {
				seen[r] = true
				rows = append(rows, r)
			}
		}
	}
	for _, p := range b.mentions {
		if p.m.CaseID != 0 {
			add(mentionIntents(p), p.m.CaseID)
		}
	}
	for _, a := range b.adopted {
		add(a.intents, a.caseID)
	}
	for _, e := range b.edited {
		add(e.intents, e.caseID)
	}
	// In key order, so the inserts walk each intent's part of the table
	// front to back.
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(strings.Compare(a.intent, b.intent), cmp.Compare(a.caseID, b.caseID))
	})
	for chunk := range slices.Chunk(rows, 300) {
		args := make([]any, 0, len(chunk)*2)
		for _, r := range chunk {
			args = append(args, r.intent, r.caseID)
		}
		n := len(chunk)
		q := func() string {
			return `INSERT INTO case_intents (intent, case_id) VALUES ` + b.s.valuesList(n, 2) + ` ON CONFLICT DO NOTHING`
		}
		if err := b.execKeyed(ctx, stmtKey{"insert intents", uint64(n)}, q, args...); err != nil {
			return fmt.Errorf("index intents: %w", err)
		}
	}
	return nil
}

// mentionIntents returns the intents stored with p: its analysis's, or
// when the caller passed only the serialised analysis, those in it.
func mentionIntents(p pendingMention) []string {
	if p.m.Analysis != nil {
		return p.m.Analysis.Intents
	}
	var a struct {
		Intents []string `json:"intents"`
	}
	if json.Unmarshal(p.analysis, &a) != nil {
		return nil
	}
	return a.Intents
}

// MentionRef is a stored mention's id and case id (0 for none), and its
// content hash (MentionHash; 0 when unknown: stored before hashes were
// kept, or not stored yet).
type MentionRef struct {
	ID, CaseID int64
	Hash       int64
}

// MentionRefs finds stored mentions of one platform by external id, in
// chunks of one query each.
func (b *Batch) MentionRefs(ctx context.Context, platform string, externalIDs []string) (map[string]MentionRef, error) {
	out := make(map[string]MentionRef, len(externalIDs))
	for chunk := range slices.Chunk(externalIDs, 500) {
		args := make([]any, 0, len(chunk)+1)
		for _, id := range chunk {
			args = append(args, id)
		}
		args = append(args, platform)
		n := len(chunk)
		st, err := b.keyed(ctx, stmtKey{"mention refs", uint64(n)}, func() string {
			return `SELECT external_id, id, COALESCE(case_id, 0), COALESCE(content_hash, 0) FROM mentions WHERE external_id IN ` + b.s.valuesList(1, n) +
				` AND platform = ` + b.s.param(n+1)
		})
		if err != nil {
			return nil, fmt.Errorf("find mentions on %s: %w", platform, err)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("find mentions on %s: %w", platform, err)
		}
		for rows.Next() {
			var ext string
			var r MentionRef
			if err := rows.Scan(&ext, &r.ID, &r.CaseID, &r.Hash); err != nil {
				rows.Close()
				return nil, fmt.Errorf("find mentions on %s: %w", platform, err)
			}
			out[ext] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("find mentions on %s: %w", platform, err)
		}
	}
	return out, nil
}
