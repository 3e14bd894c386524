package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"earshot/internal/ingest"
	"earshot/internal/model"
)

// mentionResult is one item of POST /api/v1/mentions's answer.
type mentionResult struct {
	ID        int64           `json:"id,omitempty"`
	CaseID    int64           `json:"case_id,omitempty"`
	Duplicate bool            `json:"duplicate"`
	Analysis  *model.Analysis `json:"analysis,omitempty"`
	Error     *apiError       `json:"error,omitempty"`
}

// postMentions takes one mention, an array, or JSON Lines. One mention
// that is refused is a 400; in a batch each item answers for itself and
// the good ones are stored.
func (a *API) postMentions(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("request body over %d bytes; send smaller batches", MaxBodyBytes))
			return
		}
		writeError(w, http.StatusBadRequest, "bad_body", "could not read the request body")
		return
	}
	items, single, err := splitItems(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_json", err.Error())
		return
	}
	if len(items) == 0 {
		writeError(w, http.StatusBadRequest, "empty", "no mentions in the request body")
		return
	}
	if len(items) > MaxBatch {
		writeError(w, http.StatusRequestEntityTooLarge, "batch_too_large", fmt.Sprintf("%d mentions in one request; the limit is %d", len(items), MaxBatch))
		return
	}
	results := make([]mentionResult, len(items))
	ms := make([]*model.Mention, 0, len(items))
	idx := make([]int, 0, len(items))
	for i, raw := range items {
		m, err := ingest.Decode(raw)
		if err != nil {
			results[i].Error = itemError(err)
			continue
		}
		a.cfg.Pipeline.Analyze(&m)
		ms = append(ms, &m)
		idx = append(idx, i)
	}
	if rejected := len(items) - len(ms); rejected > 0 {
		a.cfg.Pipeline.Metrics().Rejected(rejected)
	}
	if single && results[0].Error != nil {
		writeJSON(w, http.StatusBadRequest, map[string]*apiError{"error": results[0].Error})
		return
	}
	stored, err := a.cfg.Pipeline.Store(r.Context(), ms)
	if err != nil {
		a.internal(w, r, err)
		return
	}
	for j, res := range stored {
		results[idx[j]] = mentionResult{ID: res.ID, CaseID: res.CaseID, Duplicate: res.Duplicate, Analysis: res.Analysis}
	}
	status := http.StatusOK
	if single && !results[0].Duplicate {
		status = http.StatusCreated
	}
	writeJSON(w, status, map[string]any{"results": results})
}

func itemError(err error) *apiError {
	var fe *ingest.FieldError
	if errors.As(err, &fe) {
		return &apiError{Code: "invalid_mention", Message: fe.Error(), Field: fe.Field}
	}
	return &apiError{Code: "invalid_mention", Message: err.Error()}
}

// splitItems finds the mentions in a body: a JSON array of objects, one
// object (possibly spread over lines), or JSON Lines. single reports the
// one-object form.
func splitItems(body []byte) (items [][]byte, single bool, err error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, false, nil
	}
	if trimmed[0] == '[' {
		items, err := ingest.SplitArray(trimmed)
		if err != nil {
			return nil, false, fmt.Errorf("the body starts like a JSON array but is not one: %v", err)
		}
		return items, false, nil
	}
	if json.Valid(trimmed) {
		return [][]byte{trimmed}, true, nil
	}
	for line := range bytes.Lines(trimmed) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			items = append(items, line)
		}
	}
	return items, false, nil
}
