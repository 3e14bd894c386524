package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"earshot/internal/cases"
	"earshot/internal/guard"
	"earshot/internal/input"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/redact"
	"earshot/internal/store"
)

func (a *API) listCases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.CaseFilter{
		Status: q.Get("status"), Team: q.Get("team"), Site: q.Get("site"), Priority: q.Get("priority"),
		Assignee: q.Get("assignee"), Platform: q.Get("platform"), Q: q.Get("q"), Cursor: q.Get("cursor"),
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxPageSize {
			fieldError(w, "bad_limit", "limit", fmt.Sprintf("limit must be a whole number from 1 to %d", store.MaxPageSize))
			return
		}
		f.Limit = n
	}
	if f.Status != "" && !model.Status(f.Status).Valid() {
		fieldError(w, "bad_status", "status", "status must be new, open, pending, resolved or closed")
		return
	}
	if f.Priority != "" && !model.Priority(f.Priority).Valid() {
		fieldError(w, "bad_priority", "priority", "priority must be low, normal, high or urgent")
		return
	}
	// No case has a value with a NUL or invalid UTF-8 (PostgreSQL would
	// refuse to compare one) or longer than any name or search.
	for _, p := range []struct{ name, code, v string }{
		{"team", "bad_team", f.Team}, {"site", "bad_site", f.Site}, {"assignee", "bad_assignee", f.Assignee},
		{"platform", "bad_platform", f.Platform}, {"q", "bad_query", f.Q}, {"cursor", "bad_cursor", f.Cursor},
	} {
		if err := input.Text(p.name, p.v, input.MaxFilterBytes); err != nil {
			fieldError(w, p.code, p.name, err.Error())
			return
		}
	}
	cases, next, err := a.cfg.Store.ListCases(r.Context(), f)
	if err != nil {
		a.storeError(w, r, err)
		return
	}
	// Each case carries the mention that opened it and the latest, read
	// for the whole page at once; GET /api/v1/cases/{id} has them all.
	if err := a.cfg.Store.FillEdgeMentions(r.Context(), cases); err != nil {
		a.internal(w, r, err)
		return
	}
	rd := a.reader(r)
	for i := range cases {
		rd.Case(&cases[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": cases, "next_cursor": next})
}

func caseID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, "bad_id", "case id must be a positive whole number")
		return 0, false
	}
	return id, true
}

func (a *API) getCase(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	c, err := a.cfg.Store.GetCase(r.Context(), id)
	if err != nil {
		a.storeError(w, r, err)
		return
	}
	// The stored events with a mention_added entry per mention merged in:
	// those entries are derived here, at read time (see model.Timeline),
	// not stored, so ingest writes no event per mention.
	c.Events = model.Timeline(c.Events, c.Mentions)
	rd := a.reader(r)
	rd.Case(c)
	if rd.Full() && redact.ShowsMemberIDs(c) {
		a.redact.MemberViewed(r.Context(), principal(r.Context()).Name, id)
	}
	// A critical case carries the crisis protocol in force, for clients
	// that show agents what to do (an additive field).
	var protocol *org.Crisis
	if c.Urgency == model.UrgencyCritical {
		protocol = a.cases.Protocol()
	}
	writeJSON(w, http.StatusOK, struct {
		*model.Case
		CrisisProtocol *org.Crisis `json:"crisis_protocol,omitempty"`
	}{c, protocol})
}

// caseExists answers 404 when case id does not exist and returns false,
// so that the handlers that work a case and do not read it first refuse
// a missing case before they judge the body: a missing case is 404
// whatever was sent. A case removed after the check is still refused by
// the write itself, with 404 too.
func (a *API) caseExists(w http.ResponseWriter, r *http.Request, id int64) bool {
	if err := a.cfg.Store.CaseExists(r.Context(), id); err != nil {
		a.storeError(w, r, err)
		return false
	}
	return true
}

// requireText checks a required text field and its size.
func requireText(w http.ResponseWriter, field, v string, maxBytes int) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		fieldError(w, "missing_field", field, field+" is required")
		return "", false
	}
	if err := input.Text(field, v, maxBytes); err != nil {
		fieldError(w, "bad_field", field, err.Error())
		return "", false
	}
	return v, true
}

func (a *API) postReply(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	// A reply to a case that does not exist is 404 whatever its body: the
	// case is looked up before the body is read (and so before the privacy
	// guard reads the text).
	if !a.caseExists(w, r, id) {
		return
	}
	var in struct {
		Text       string `json:"text"`
		Visibility string `json:"visibility"`
		Template   string `json:"template"`
		// OverrideReason lets a reply go over a relationship warning.
		OverrideReason string `json:"override_reason"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	if in.Visibility == "" {
		in.Visibility = string(model.VisibilityPublic)
	}
	reply, err := a.cases.Reply(r.Context(), cases.Draft{CaseID: id, Author: principal(r.Context()).Name, Text: in.Text,
		Visibility: model.Visibility(in.Visibility), Template: in.Template, OverrideReason: in.OverrideReason})
	if err != nil {
		a.writeRefusal(w, r, err)
		return
	}
	a.reader(r).Reply(reply)
	writeJSON(w, http.StatusCreated, reply)
}

// writeRefusal answers a reply the reply policy refused: 400 naming the
// field for input out of bounds or an unknown template, 422 with the
// code and what refused it for the privacy guard and the crisis rule
// (with reasons and a suggestion for health information, a relationship
// and a crisis); other errors as the store's.
func (a *API) writeRefusal(w http.ResponseWriter, r *http.Request, err error) {
	ref := cases.AsRefusal(err)
	switch {
	case ref == nil:
		a.storeError(w, r, err)
		return
	case ref.Code == cases.RefusedUnknownTemplate:
		a.storeError(w, r, ref.Err)
		return
	case ref.Code == cases.RefusedNoPrivateChannel:
		writeJSON(w, http.StatusUnprocessableEntity, map[string]apiError{"error": {Code: ref.Code, Field: ref.Field, Message: ref.Message}})
		return
	case ref.Code == cases.RefusedCrisis:
		writeJSON(w, http.StatusUnprocessableEntity, map[string]apiError{"error": {Code: ref.Code, Field: ref.Field, Message: ref.Message,
			Reasons: ref.Reasons(), Suggestion: ref.Suggested()}})
		return
	case ref.Guard == nil:
		writeJSON(w, http.StatusBadRequest, map[string]apiError{"error": {Code: ref.Code, Field: ref.Field, Message: ref.Message}})
		return
	}
	g := ref.Guard
	e := apiError{Code: g.Code, Message: g.Error()}
	switch g.Code {
	case guard.RefusedPHI:
		e.Findings, e.Reasons, e.Suggestion = g.Result.PHI, ref.Reasons(), ref.Suggested()
	case guard.RefusedHidden:
		e.Field, e.Characters, e.Findings = "text", g.Result.Hidden, g.Result.PHI
	case guard.RefusedPlaceholder:
		e.Field, e.Placeholders = "text", g.Placeholders
	case guard.RefusedRelationship:
		e.Warnings, e.Reasons, e.Suggestion = g.Result.Warnings, ref.Reasons(), ref.Suggested()
	}
	writeJSON(w, http.StatusUnprocessableEntity, map[string]apiError{"error": e})
}

func (a *API) postNote(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	if !a.caseExists(w, r, id) {
		return
	}
	var in struct {
		Text string `json:"text"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	text, ok := requireText(w, "text", in.Text, 20_000)
	if !ok {
		return
	}
	n := &model.Note{CaseID: id, Text: text, Author: principal(r.Context()).Name}
	if err := a.cases.AddNote(r.Context(), n); err != nil {
		a.storeError(w, r, err)
		return
	}
	a.reader(r).Note(n)
	writeJSON(w, http.StatusCreated, n)
}

func (a *API) postAssign(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	if !a.caseExists(w, r, id) {
		return
	}
	var in store.Assignment
	var raw struct {
		Team     *string `json:"team"`
		Site     *string `json:"site"`
		Assignee *string `json:"assignee"`
	}
	if !decodeBody(w, r, &raw) {
		return
	}
	if raw.Team == nil && raw.Site == nil && raw.Assignee == nil {
		writeError(w, http.StatusBadRequest, "missing_field", "give at least one of team, site, assignee")
		return
	}
	for name, v := range map[string]*string{"team": raw.Team, "site": raw.Site, "assignee": raw.Assignee} {
		if v != nil && (len(*v) > 256 || !utf8.ValidString(*v)) {
			writeJSON(w, http.StatusBadRequest, map[string]apiError{"error": {Code: "bad_field", Field: name, Message: name + " must be at most 256 bytes of UTF-8"}})
			return
		}
	}
	in.Team, in.Site, in.Assignee = raw.Team, raw.Site, raw.Assignee
	if err := a.cases.Assign(r.Context(), id, in, principal(r.Context()).Name); err != nil {
		a.storeError(w, r, err)
		return
	}
	a.getCase(w, r)
}

func (a *API) postStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	if !a.caseExists(w, r, id) {
		return
	}
	var in struct {
		Status string `json:"status"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	if in.Status == "" {
		writeJSON(w, http.StatusBadRequest, map[string]apiError{"error": {Code: "missing_field", Field: "status", Message: "status is required: open, pending, resolved or closed"}})
		return
	}
	err := a.cases.SetStatus(r.Context(), id, model.Status(in.Status), principal(r.Context()).Name)
	if errors.Is(err, cases.ErrBadStatus) {
		writeJSON(w, http.StatusBadRequest, map[string]apiError{"error": {Code: "bad_field", Field: "status", Message: "status must be open, pending, resolved or closed"}})
		return
	}
	if err != nil {
		a.storeError(w, r, err)
		return
	}
	a.getCase(w, r)
}

func (a *API) postTask(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	if !a.caseExists(w, r, id) {
		return
	}
	var in struct {
		Title    string `json:"title"`
		DueAt    string `json:"due_at"`
		Assignee string `json:"assignee"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	title, ok := requireText(w, "title", in.Title, 1000)
	if !ok {
		return
	}
	t := &model.Task{CaseID: id, Title: title, Assignee: in.Assignee, CreatedBy: principal(r.Context()).Name}
	if in.DueAt != "" {
		due, err := time.Parse(time.RFC3339, in.DueAt)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]apiError{"error": {Code: "bad_field", Field: "due_at", Message: "due_at must be an RFC 3339 time"}})
			return
		}
		if !model.TaskDueOK(due) {
			from, until := model.TaskDueRange()
			writeJSON(w, http.StatusBadRequest, map[string]apiError{"error": {Code: "bad_field", Field: "due_at",
				Message: fmt.Sprintf("due_at must be from %s and before %s, not %s", from.Format(time.DateOnly), until.Format(time.DateOnly), in.DueAt)}})
			return
		}
		due = due.UTC()
		t.DueAt = &due
	}
	if err := a.cases.AddTask(r.Context(), t); err != nil {
		a.storeError(w, r, err)
		return
	}
	a.reader(r).Task(t)
	writeJSON(w, http.StatusCreated, t)
}
