package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"earshot/internal/auth"
	"earshot/internal/model"
	"earshot/internal/store"
)

// demoUsers are the demo's people, one of each role that signs in.
var demoUsers = []struct{ email, name, role string }{
	{"supervisor@lonestar.example", "Sam Rivera", model.RoleSupervisor},
	{"agent@lonestar.example", "Ana Flores", model.RoleAgent},
	{"claims@lonestar.example", "Cody Nguyen", model.RoleAgent},
	{"viewer@lonestar.example", "Vera Holt", model.RoleViewer},
}

// seedDemoOrg sets up the fictional Lone Star Health system the demo
// mentions talk about: three sites, teams, reply templates, a few member
// records, settings and users of each role. Users made now have their
// passwords printed once; existing users are left alone.
func seedDemoOrg(ctx context.Context, env *Env, st *store.Store) error {
	now := time.Now().UTC()
	for _, t := range []model.Team{{ID: "member-services", Name: "Member services"}, {ID: "claims", Name: "Claims"},
		{ID: "billing", Name: "Billing"}, {ID: "patient-experience", Name: "Patient experience"}, {ID: "social", Name: "Social care"}} {
		if err := st.PutTeam(ctx, t); err != nil {
			return err
		}
	}
	for _, s := range []model.Site{{ID: "lsh-austin", Name: "Austin Medical Center"}, {ID: "lsh-mission", Name: "Mission Hospital (San Antonio)"},
		{ID: "lsh-roundrock", Name: "Round Rock Clinic"}} {
		if err := st.PutSite(ctx, s); err != nil {
			return err
		}
	}
	for _, t := range []model.Template{
		{ID: "move-private", Name: "Move to private", Text: "Hi {first_name}, we're sorry to hear this and want to help. Please send us a direct message at {dm_link} or call {phone} so we can look into it privately."},
		{ID: "thanks", Name: "Thank you", Text: "Thank you so much, {first_name}! We'll share your kind words with the team."},
		{ID: "id-card", Name: "ID card help", Text: "Hi {first_name}, you can view and download a digital ID card any time in our app. For anything else, message us at {dm_link}."},
		{ID: "review-response", Name: "Review response", Text: "Thank you for the feedback, {first_name}. We take every review seriously. Please reach our patient experience team at {phone} so we can follow up."},
	} {
		if err := st.PutTemplate(ctx, t); err != nil {
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
		hash, err := auth.HashPassword(password)
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
