package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// TestAssignmentNamesMustExist checks Assign, HandOff and AddTask against
// the teams, sites and users they name.
func TestAssignmentNamesMustExist(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	id := seedCase(t, st, "r1", at, model.PriorityNormal)
	if err := storetest.PutTeam(ctx, st, model.Team{ID: "claims", Name: "Claims"}); err != nil {
		t.Fatal(err)
	}
	if err := storetest.PutSite(ctx, st, model.Site{ID: "austin", Name: "Austin"}); err != nil {
		t.Fatal(err)
	}
	newUser(t, st, "ann@example.org", model.RoleAgent)
	newUser(t, st, "vic@example.org", model.RoleViewer)
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		name  string
		a     store.Assignment
		field string // "" when it is accepted
		// assignee is the case's assignee afterwards, when accepted.
		assignee string
	}{
		{"unknown team", store.Assignment{Team: s("nope")}, "team", ""},
		{"unknown site", store.Assignment{Team: s("claims"), Site: s("nope")}, "site", ""},
		{"unknown person", store.Assignment{Assignee: s("nobody@example.org")}, "assignee", ""},
		{"a viewer", store.Assignment{Assignee: s("vic@example.org")}, "assignee", ""},
		{"known names, email in other case", store.Assignment{Team: s("claims"), Site: s("austin"), Assignee: s("ANN@example.org")}, "", "ann@example.org"},
		{"empty strings clear", store.Assignment{Team: s(""), Site: s(""), Assignee: s("")}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for op, do := range map[string]func() error{
				"assign":   func() error { return st.Assign(ctx, id, tc.a, "lead", at) },
				"hand off": func() error { return st.HandOff(ctx, id, tc.a, "context", "lead", at) },
			} {
				err := do()
				var fe *store.FieldError
				switch {
				case tc.field == "" && err != nil:
					t.Fatalf("%s: %v", op, err)
				case tc.field != "" && (!errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, store.ErrInvalid)):
					t.Fatalf("%s: err %v, want a field error on %s", op, err, tc.field)
				case tc.field == "":
					if c, _ := st.GetCase(ctx, id); c.Assignee != tc.assignee {
						t.Fatalf("%s: assignee %q, want %q", op, c.Assignee, tc.assignee)
					}
				}
			}
		})
	}
	for who, field := range map[string]string{"": "", "ann@example.org": "", "Ann@Example.org": "", "nobody@example.org": "assignee", "vic@example.org": "assignee"} {
		tk := &model.Task{CaseID: id, Title: "Call back", Assignee: who, CreatedAt: at}
		err := st.AddTask(ctx, tk)
		var fe *store.FieldError
		if field == "" && (err != nil || (who != "" && tk.Assignee != "ann@example.org")) {
			t.Errorf("task for %q: %v, assignee %q", who, err, tk.Assignee)
		}
		if field != "" && (!errors.As(err, &fe) || fe.Field != field) {
			t.Errorf("task for %q: err %v, want a field error on %s", who, err, field)
		}
	}
	if err := st.CheckTemplate(ctx, "nope"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("unknown template: %v", err)
	}
	if err := storetest.PutTemplate(ctx, st, model.Template{ID: "dm", Name: "DM", Text: "Hi"}); err != nil {
		t.Fatal(err)
	}
	for _, tpl := range []string{"", "dm"} {
		if err := st.CheckTemplate(ctx, tpl); err != nil {
			t.Errorf("template %q: %v", tpl, err)
		}
	}
}
