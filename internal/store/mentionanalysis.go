package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"earshot/internal/model"
)

// MentionAnalyses returns the stored analysis of each mention of ids
// that has one, by mention id: what GET /api/v1/cases/{id} shows for it.
// Ingest reads it for the mentions it found already stored, so that a
// duplicate's result says what is stored rather than what the resent
// copy would have been.
func (s *Store) MentionAnalyses(ctx context.Context, ids []int64) (map[int64]*model.Analysis, error) {
	out := make(map[int64]*model.Analysis, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.read.QueryContext(ctx, `SELECT id, analysis FROM mentions WHERE id IN `+s.valuesList(1, len(chunk)), args...)
		if err != nil {
			return nil, fmt.Errorf("read analyses of %d mentions: %w", len(ids), err)
		}
		for rows.Next() {
			var id int64
			var raw []byte
			if err := rows.Scan(&id, &raw); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read analyses of %d mentions: %w", len(ids), err)
			}
			a, err := decodeAnalysis(id, raw)
			if err != nil {
				rows.Close()
				return nil, err
			}
			if a != nil {
				out[id] = a
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read analyses of %d mentions: %w", len(ids), err)
		}
	}
	return out, nil
}

// decodeAnalysis decodes mention id's stored analysis column; an empty
// one ('{}', the column's default) is nil.
func decodeAnalysis(id int64, raw []byte) (*model.Analysis, error) {
	if len(raw) <= 2 {
		return nil, nil
	}
	a := new(model.Analysis)
	if err := json.Unmarshal(raw, a); err != nil {
		return nil, fmt.Errorf("decode analysis of mention %d: %w", id, err)
	}
	return a, nil
}
