package web

import (
	"net/http"
	"slices"

	"earshot/internal/store"
)

// correct stores an agent's correction of a mention's sentiment and
// intents, for `earshot train`.
func (s *Server) correct(w http.ResponseWriter, r *http.Request) {
	id, ok := s.caseForm(w, r)
	if !ok {
		return
	}
	mid, ok := pathID(r, "mention")
	if !ok || !s.mentionOfCase(w, r, id, mid) {
		return
	}
	sentiment := r.PostForm.Get("sentiment")
	if sentiment != "" && !slices.Contains(sentiments, sentiment) {
		s.errorPage(w, r, http.StatusBadRequest, "Sentiment must be negative, neutral or positive.")
		return
	}
	intents := r.PostForm["intent"]
	for _, in := range intents {
		if !slices.Contains(s.intents, in) {
			s.errorPage(w, r, http.StatusBadRequest, "Unknown intent.")
			return
		}
	}
	if sentiment == "" && len(intents) == 0 {
		s.errorPage(w, r, http.StatusBadRequest, "Choose a sentiment or intents.")
		return
	}
	c := &store.Correction{MentionID: mid, Sentiment: sentiment, Intents: intents, Author: currentUser(r).User.Email, CreatedAt: s.cfg.Now().UTC()}
	if err := s.cfg.Store.AddCorrection(r.Context(), c); err != nil {
		s.storeError(w, r, err)
		return
	}
	backToCase(w, r, id, "fixed", "m"+r.PathValue("mention"))
}
