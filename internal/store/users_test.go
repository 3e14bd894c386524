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

func TestChangeUserKeepsAnActiveAdmin(t *testing.T) {
	ctx := context.Background()
	yes, no := true, false
	admin, agent := model.RoleAdmin, model.RoleAgent
	for _, tt := range []struct {
		name string
		// others are the roles of the people besides the one changed
		// (deactivated ones prefixed with "-").
		role   string
		others []string
		change store.UserChange
		want   error
	}{
		{"deactivate the only admin", admin, []string{agent}, store.UserChange{Active: &no}, store.ErrLastAdmin},
		{"demote the only admin", admin, []string{agent}, store.UserChange{Role: &agent}, store.ErrLastAdmin},
		{"demote the only active admin", admin, []string{"-admin"}, store.UserChange{Role: &agent}, store.ErrLastAdmin},
		{"deactivate one of two admins", admin, []string{admin}, store.UserChange{Active: &no}, nil},
		{"deactivate an agent with no admin at all", agent, nil, store.UserChange{Active: &no}, nil},
		{"keep the only admin admin", admin, nil, store.UserChange{Role: &admin, Active: &yes}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := storetest.Open(t)
			add := func(email, role string, active bool) int64 {
				u := &model.User{Email: email, Role: role, CreatedAt: time.Now()}
				if err := st.CreateUser(ctx, u); err != nil {
					t.Fatal(err)
				}
				if !active {
					if _, err := st.ChangeUser(ctx, u.ID, store.UserChange{Active: &no}, store.AccountEvent{Actor: "t", CreatedAt: time.Now()}); err != nil {
						t.Fatal(err)
					}
				}
				return u.ID
			}
			id := add("me@example.org", tt.role, true)
			for i, r := range tt.others {
				role, active := r, true
				if r[0] == '-' {
					role, active = r[1:], false
				}
				add(string(rune('a'+i))+"@example.org", role, active)
			}
			before, _ := st.AccountEvents(ctx, 100)
			_, err := st.ChangeUser(ctx, id, tt.change, store.AccountEvent{Actor: "t", CreatedAt: time.Now()})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v", err, tt.want)
			}
			after, _ := st.AccountEvents(ctx, 100)
			if u, _ := st.UserByID(ctx, id); tt.want != nil && (u.Role != tt.role || !u.Active() || len(after) != len(before)) {
				t.Fatalf("a refused change was kept: %+v, %d events", u, len(after)-len(before))
			}
		})
	}
}
