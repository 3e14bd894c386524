package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"earshot/internal/store/storetest"
)

func TestSeedDemoOrg(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	var out bytes.Buffer
	env := &Env{Stdout: &out}
	if err := seedDemoOrg(ctx, env, st); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.String(), "Demo user"); got != len(demoUsers) {
		t.Fatalf("printed %d demo users, want %d:\n%s", got, len(demoUsers), out.String())
	}
	out.Reset()
	if err := seedDemoOrg(ctx, env, st); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Fatalf("second seeding printed passwords again:\n%s", out.String())
	}
	teams, _ := st.ListTeams(ctx)
	sites, _ := st.ListSites(ctx)
	tpls, _ := st.ListTemplates(ctx)
	users, _ := st.ListUsers(ctx)
	if len(teams) != 5 || len(sites) != 3 || len(tpls) != 4 || len(users) != len(demoUsers) {
		t.Fatalf("seeded %d teams, %d sites, %d templates, %d users", len(teams), len(sites), len(tpls), len(users))
	}
	roles := map[string]bool{}
	for _, u := range users {
		roles[u.Role] = true
	}
	for _, r := range []string{"supervisor", "agent", "viewer"} {
		if !roles[r] {
			t.Errorf("no demo %s", r)
		}
	}
}
