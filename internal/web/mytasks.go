package web

import (
	"net/http"
	"time"

	"earshot/internal/model"
)

type tasksData struct {
	base
	Tasks []model.Task
	Now   time.Time
}

// myTasks lists the user's open tasks, soonest due first.
func (s *Server) myTasks(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	tasks, err := s.cfg.Store.ListOpenTasks(r.Context(), u.User.Email, 200)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	rd := s.reader(u)
	for i := range tasks {
		rd.Task(&tasks[i])
	}
	s.render(w, r, http.StatusOK, "tasks", &tasksData{base: s.base(r, u, "My tasks"), Tasks: tasks, Now: s.cfg.Now()})
}
