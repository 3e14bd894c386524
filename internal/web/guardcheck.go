package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"unicode/utf8"

	"earshot/internal/cases"
	"earshot/internal/guard"
	"earshot/internal/model"
)

// guardRequest is the composer's live check.
type guardRequest struct {
	Text       string `json:"text"`
	Visibility string `json:"visibility"`
	// Crisis says the reply is for a critical case, whose public replies
	// must not discuss the crisis (the send checks the case itself).
	Crisis bool `json:"crisis"`
}

// maxReplyBytes bounds a reply's text.
const maxReplyBytes = model.MaxReplyBytes

// decodeGuardRequest reads and checks a guard request body.
func decodeGuardRequest(r io.Reader) (guardRequest, error) {
	var in guardRequest
	dec := json.NewDecoder(io.LimitReader(r, 64<<10))
	if err := dec.Decode(&in); err != nil {
		return in, fmt.Errorf("guard request: %w", err)
	}
	if !model.Visibility(in.Visibility).Valid() {
		return in, errors.New("guard request: visibility must be public or private")
	}
	if len(in.Text) > maxReplyBytes || !utf8.ValidString(in.Text) {
		return in, errors.New("guard request: text must be valid UTF-8 of at most 10000 bytes")
	}
	return in, nil
}

// guardCheck runs the privacy guard, and for a critical case the crisis
// rule, on a draft as the agent types. The answer holds only offsets
// into the text the browser already has.
func (s *Server) guardCheck(w http.ResponseWriter, r *http.Request) {
	in, err := decodeGuardRequest(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	vis := model.Visibility(in.Visibility)
	res := s.guard.Check(in.Text, vis)
	var crisis []guard.Reason
	if in.Crisis {
		ref := cases.CheckCrisisReply(&model.Case{Urgency: model.UrgencyCritical}, in.Text, vis, s.cases.Protocol())
		if ref != nil {
			crisis = ref.Reasons()
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(struct {
		guard.Result
		NeedsReason bool `json:"needs_reason"`
		// Crisis are the words that discuss the crisis, for a public
		// reply on a critical case.
		Crisis []guard.Reason `json:"crisis,omitempty"`
	}{res, res.NeedsReason(), crisis})
}
