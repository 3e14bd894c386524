package cli

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"earshot/internal/auth"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/store"
)

// demoUsers are the demo's people, one of each role that signs in.
var demoUsers = []struct{ email, name, role string }{
	{"supervisor@lonestar.example", "Sam Rivera", model.RoleSupervisor},
	{"agent@lonestar.example", "Ana Flores", model.RoleAgent},
	{"claims@lonestar.example", "Cody Nguyen", model.RoleAgent},
	{"viewer@lonestar.example", "Vera Holt", model.RoleViewer},
}

// demoOrgFile is the demo's organisation file: teams, sites, people,
// hours, SLA policies, routing rules and reply templates.
//
//go:embed demo-org.yaml
var demoOrgFile []byte

// seedDemoOrg sets up the fictional Lone Star Health system the demo
// mentions talk about: it applies the demo organisation file (three
// sites, teams, people, SLA policies, routing rules, reply templates),
// unless one is applied already, then adds a few member records, settings and users of each role. Users made now have their
// passwords printed once; existing users are left alone.
func seedDemoOrg(ctx context.Context, env *Env, st *store.Store) error {
	now := time.Now().UTC()
	// An organisation file someone applied is theirs: the demo's goes in
	// only when there is none.
	if v, err := st.OrgVersion(ctx); err != nil {
		return err
	} else if v.IsZero() {
		o, err := org.Parse(demoOrgFile)
		if err != nil {
			return fmt.Errorf("demo organisation file: %w", err)
		}
		if _, err := st.ApplyOrg(ctx, demoOrgFile, o, "demo", now); err != nil {
			return err
		}
	}
	for _, m := range []store.Member{{ID: "LSH100200301", Name: "Gil Ortega", Plan: "Lone Star Select PPO"},
		{ID: "LSH100200302", Name: "Maria Delgado", Plan: "Bluebonnet HMO"}, {ID: "LSH100200303", Name: "James Parker", Plan: "Lone Star Senior Advantage"}} {
		m.CreatedAt = now
		if err := st.PutMember(ctx, m); err != nil {
			return err
		}
	}
	for k, v := range map[string]string{store.SettingDMLink: "https://x.com/messages/compose?recipient_id=lonestarhealth",
		store.SettingPhone: "1-800-555-0142"} {
		if err := st.PutSetting(ctx, k, v); err != nil {
			return err
		}
	}
	for _, du := range demoUsers {
		password := auth.NewPassword()
		hash, err := auth.HashPassword(password, du.email)
		if err != nil {
			return err
		}
		err = st.CreateUser(ctx, &model.User{Email: du.email, Name: du.name, Role: du.role, PasswordHash: hash, CreatedAt: now})
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Demo user %-10s %-28s password %s\n", du.role, du.email, password)
	}
	return nil
}
