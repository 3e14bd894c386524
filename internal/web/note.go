package web

import (
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"earshot/internal/events"
	"earshot/internal/model"
	"earshot/internal/store"
)

// note adds an internal note and notifies the colleagues it @mentions.
func (s *Server) note(w http.ResponseWriter, r *http.Request) {
	id, ok := s.caseForm(w, r)
	if !ok {
		return
	}
	text, ok := field(r, "text", 20_000)
	if !ok || text == "" {
		s.errorPage(w, r, http.StatusBadRequest, "A note needs text (at most 20,000 bytes).")
		return
	}
	u := currentUser(r)
	n := &model.Note{CaseID: id, Text: text, Author: u.User.Email}
	if err := s.cases.AddNote(r.Context(), n); err != nil {
		s.storeError(w, r, err)
		return
	}
	if err := s.notifyMentioned(r, id, text, n.CreatedAt); err != nil {
		s.internal(w, r, err)
		return
	}
	s.publish(id)
	backToCase(w, r, id, "note", "timeline")
}

// notifyMentioned notifies each user @mentioned in text, by the part of
// their email before the @ or by the whole email, except the writer.
func (s *Server) notifyMentioned(r *http.Request, caseID int64, text string, now time.Time) error {
	handles := mentionedHandles(text)
	if len(handles) == 0 {
		return nil
	}
	users, err := s.cfg.Store.ListUsers(r.Context())
	if err != nil {
		return err
	}
	me := currentUser(r).User
	var ns []store.Notification
	for _, u := range users {
		local, _, _ := strings.Cut(u.Email, "@")
		if u.ID != me.ID && (handles[strings.ToLower(local)] || handles[strings.ToLower(u.Email)]) {
			ns = append(ns, store.Notification{UserID: u.ID, CaseID: caseID, Actor: me.Email, Kind: store.NotifyMentioned, CreatedAt: now})
		}
	}
	if err := s.cfg.Store.AddNotifications(r.Context(), ns); err != nil {
		return err
	}
	if s.cfg.Broker != nil {
		for _, n := range ns {
			s.cfg.Broker.Publish(events.Event{Type: events.Notified, CaseID: caseID, UserID: n.UserID})
		}
	}
	return nil
}

// mentionedHandles returns the lower-cased @handles in text; a handle is
// letters, digits and . _ - + (and one @ for a whole email).
func mentionedHandles(text string) map[string]bool {
	out := map[string]bool{}
	isHandle := func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-+@", r)
	}
	for i := 0; i < len(text); {
		at := strings.IndexByte(text[i:], '@')
		if at < 0 {
			break
		}
		at += i
		i = at + 1
		// An @ inside a word (ann@example.org) mentions no one.
		if prev, _ := utf8.DecodeLastRuneInString(text[:at]); at > 0 && isHandle(prev) {
			continue
		}
		j := at + 1
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !isHandle(r) {
				break
			}
			j += size
		}
		if h := strings.Trim(strings.ToLower(text[at+1:j]), ".-_@"); h != "" {
			out[h] = true
		}
		i = j
	}
	return out
}
