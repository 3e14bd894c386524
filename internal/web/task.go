package web

import (
	"fmt"
	"net/http"
	"time"

	"earshot/internal/model"
)

// dueLayout is the form of <input type="datetime-local">.
const dueLayout = "2006-01-02T15:04"

// addTask adds a follow-up task with an owner and a due time.
func (s *Server) addTask(w http.ResponseWriter, r *http.Request) {
	id, ok := s.caseForm(w, r)
	if !ok {
		return
	}
	title, ok1 := field(r, "title", 1000)
	owner, ok2 := field(r, "assignee", 256)
	due, ok3 := field(r, "due", 40)
	if !ok1 || !ok2 || !ok3 || title == "" {
		s.errorPage(w, r, http.StatusBadRequest, "A task needs a title of at most 1,000 bytes.")
		return
	}
	u := currentUser(r)
	if owner == "" {
		owner = u.User.Email
	}
	t := &model.Task{CaseID: id, Title: title, Assignee: owner, CreatedBy: u.User.Email, CreatedAt: s.cfg.Now().UTC()}
	if due != "" {
		d, err := time.Parse(dueLayout, due)
		if err != nil {
			s.errorPage(w, r, http.StatusBadRequest, "The due time must be a date and time.")
			return
		}
		// The browser sends local wall time; the offset field says where.
		if off, ok := field(r, "tz_offset", 6); ok && off != "" {
			if m, err := time.ParseDuration(off + "m"); err == nil && m > -15*time.Hour && m < 15*time.Hour {
				d = d.Add(m)
			}
		}
		d = d.UTC()
		if !model.TaskDueOK(d) {
			from, until := model.TaskDueRange()
			s.errorPage(w, r, http.StatusBadRequest, fmt.Sprintf("The due time must be from %s and before %s.", from.Format("2 January 2006"), until.Format("2 January 2006")))
			return
		}
		t.DueAt = &d
	}
	if err := s.cfg.Store.AddTask(r.Context(), t); err != nil {
		s.storeError(w, r, err)
		return
	}
	s.publish(id)
	backToCase(w, r, id, "task", "tasks")
}

// taskDone marks a task done.
func (s *Server) taskDone(w http.ResponseWriter, r *http.Request) {
	id, ok := s.caseForm(w, r)
	if !ok {
		return
	}
	taskID, ok := pathID(r, "task")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "No such task.")
		return
	}
	if err := s.cfg.Store.CompleteTask(r.Context(), id, taskID, currentUser(r).User.Email, s.cfg.Now().UTC()); err != nil {
		s.storeError(w, r, err)
		return
	}
	s.publish(id)
	if r.PostForm.Get("back") == "tasks" {
		http.Redirect(w, r, "/tasks", http.StatusSeeOther)
		return
	}
	backToCase(w, r, id, "taskdone", "tasks")
}
