package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"earshot/internal/model"
)

// dueLayout is the form of <input type="datetime-local">.
const dueLayout = "2006-01-02T15:04"

// parseDue reads a task form's due time: the local wall time
// <input type="datetime-local"> sends, and the browser's offset from UTC
// in minutes (tz_offset, JavaScript's getTimezoneOffset: UTC is local
// time plus it). Without a readable offset (no script ran) the time is
// UTC. The error is a sentence for the page.
func parseDue(due, offset string) (time.Time, error) {
	d, err := time.Parse(dueLayout, due)
	if err != nil {
		return time.Time{}, errors.New("The due time must be a date and time.")
	}
	// Every zone is within 15 hours of UTC.
	if m, err := strconv.Atoi(offset); err == nil && m > -15*60 && m < 15*60 {
		d = d.Add(time.Duration(m) * time.Minute)
	}
	if !model.TaskDueOK(d) {
		from, until := model.TaskDueRange()
		return time.Time{}, fmt.Errorf("The due time must be from %s and before %s.", from.Format("2 January 2006"), until.Format("2 January 2006"))
	}
	return d.UTC(), nil
}

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
	t := &model.Task{CaseID: id, Title: title, Assignee: owner, CreatedBy: u.User.Email}
	if due != "" {
		off, _ := field(r, "tz_offset", 6)
		d, err := parseDue(due, off)
		if err != nil {
			s.errorPage(w, r, http.StatusBadRequest, err.Error())
			return
		}
		t.DueAt = &d
	}
	if err := s.cases.AddTask(r.Context(), t); err != nil {
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
	if err := s.cases.CompleteTask(r.Context(), id, taskID, currentUser(r).User.Email); err != nil {
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
