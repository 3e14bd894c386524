package web

import (
	"errors"
	"net/http"

	"earshot/internal/accounts"
	"earshot/internal/auth"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/store"
)

type settingsData struct {
	base
	// Source is the organisation file as applied, or as just submitted
	// when it had problems.
	Source   string
	Applied  *store.OrgFile
	CanEdit  bool
	Problems []org.FieldError
	Result   string
	Removed  []string
	// Warnings name the channels whose secrets are not set here.
	Warnings  []string
	DeadJobs  []store.Job
	Submitted bool
	// accountsView is filled for admins only.
	accountsView
}

// settingsPage shows the organisation file in force (teams, sites, SLA
// policies, rules, alert targets, templates) and the alerts that failed
// every attempt. Admins edit the file here; supervisors read it.
func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.settingsData(r)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if d.Applied != nil {
		d.Source = string(d.Applied.Source)
	}
	s.render(w, r, http.StatusOK, "settings", d)
}

// applySettings applies an edited organisation file, as `earshot apply`
// does: the whole file is checked first and nothing changes when any
// part of it is wrong; each problem is shown with its line and field.
func (s *Server) applySettings(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, org.MaxFileBytes+64<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusRequestEntityTooLarge, "The organisation file is too large or the form could not be read.")
		return
	}
	src := r.PostForm.Get("source")
	d, err := s.settingsData(r)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d.Source, d.Submitted = src, true
	o, err := org.ParseWith([]byte(src), s.cfg.OrgOptions)
	var oe *org.Error
	if errors.As(err, &oe) {
		d.Problems = oe.Problems
		s.render(w, r, http.StatusUnprocessableEntity, "settings", d)
		return
	}
	if err != nil {
		d.Problems = []org.FieldError{{Msg: err.Error()}}
		s.render(w, r, http.StatusUnprocessableEntity, "settings", d)
		return
	}
	res, err := s.cfg.Store.ApplyOrg(r.Context(), []byte(src), o, currentUser(r).User.Email, s.cfg.Now().UTC())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if res.Changed && s.cfg.OnOrgApplied != nil {
		s.cfg.OnOrgApplied(r.Context())
	}
	if d, err = s.settingsData(r); err != nil {
		s.internal(w, r, err)
		return
	}
	d.Source, d.Submitted, d.Removed = src, true, res.Removed
	if s.cfg.Channels != nil {
		d.Warnings = s.cfg.Channels.Warnings(o)
	}
	d.Result = "Applied. Routing and deadlines follow the new file from now on."
	if !res.Changed {
		d.Result = "No changes: this file is already in force."
	}
	s.render(w, r, http.StatusOK, "settings", d)
}

func (s *Server) settingsData(r *http.Request) (*settingsData, error) {
	u := currentUser(r)
	d := &settingsData{base: s.base(r, u, "Settings"), CanEdit: auth.Can(u.User.Role, auth.Administer)}
	f, err := s.cfg.Store.LoadOrg(r.Context())
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, err
	default:
		d.Applied = f
	}
	if d.DeadJobs, err = s.cfg.Store.DeadJobs(r.Context(), 50); err != nil {
		return nil, err
	}
	if !d.CanEdit {
		return d, nil
	}
	d.UserRoles, d.TokenRoles = accounts.UserRoles, model.Roles
	d.AccountDone = accountsDone[r.URL.Query().Get("done")]
	if d.Users, err = s.cfg.Store.ListUsers(r.Context()); err != nil {
		return nil, err
	}
	if d.Tokens, err = s.cfg.Store.ListTokens(r.Context()); err != nil {
		return nil, err
	}
	return d, nil
}
