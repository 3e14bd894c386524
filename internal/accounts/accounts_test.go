package accounts

import (
	"context"
	"errors"
	"strings"
	"testing"

	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

func TestInputIsCheckedBeforeAnythingIsStored(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	m := &Manager{Store: st}
	for _, tt := range []struct {
		name    string
		do      func() error
		field   string
		missing bool
		msg     string
	}{
		{"no email", func() error { _, _, err := m.CreateUser(ctx, "t", NewUser{Role: "agent"}); return err }, "email", true, "email is required"},
		{"display name in email", func() error {
			_, _, err := m.CreateUser(ctx, "t", NewUser{Email: "Ann <ann@example.org>", Role: "agent"})
			return err
		}, "email", false, "email must be an address"},
		{"token role for a person", func() error {
			_, _, err := m.CreateUser(ctx, "t", NewUser{Email: "ann@example.org", Role: "integration"})
			return err
		}, "role", false, `role must be one of admin, supervisor, agent, viewer, got "integration"`},
		{"short password", func() error {
			_, _, err := m.CreateUser(ctx, "t", NewUser{Email: "ann@example.org", Role: "agent", Password: "short"})
			return err
		}, "password", false, "password"},
		{"long name", func() error {
			_, _, err := m.CreateUser(ctx, "t", NewUser{Email: "ann@example.org", Role: "agent", Name: strings.Repeat("n", 201)})
			return err
		}, "name", false, "at most 200 bytes"},
		{"token without a name", func() error { _, _, err := m.CreateToken(ctx, "t", "  ", "agent"); return err }, "name", true, "name is required"},
		{"token with no role", func() error { _, _, err := m.CreateToken(ctx, "t", "crm", ""); return err }, "role", true, "role is required"},
		{"unknown role", func() error { _, err := m.ChangeUser(ctx, "t", 1, store.UserChange{Role: new("root")}); return err }, "role", false, `got "root"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ie *InputError
			if err := tt.do(); !errors.As(err, &ie) || ie.Field != tt.field || ie.Missing != tt.missing || !strings.Contains(ie.Msg, tt.msg) {
				t.Fatalf("err %v (%+v), want field %s missing %v and %q", err, ie, tt.field, tt.missing, tt.msg)
			}
			if strings.Contains(ie.Msg, "short\"") {
				t.Fatal("the message repeats the password")
			}
		})
	}
	if us, _ := st.ListUsers(ctx); len(us) != 0 {
		t.Fatalf("refused input stored %d people", len(us))
	}
	if ts, _ := st.ListTokens(ctx); len(ts) != 0 {
		t.Fatalf("refused input stored %d tokens", len(ts))
	}
	if evs, _ := st.AccountEvents(ctx, 10); len(evs) != 0 {
		t.Fatalf("refused input left %d account events", len(evs))
	}
}
