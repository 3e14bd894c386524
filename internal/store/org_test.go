package store_test

import (
	"context"
	"testing"

	"earshot/internal/model"
	"earshot/internal/store/storetest"
)

func TestTeamsSitesTemplates(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	for _, err := range []error{
		storetest.PutTeam(ctx, st, model.Team{ID: "claims", Name: "Claims"}),
		storetest.PutTeam(ctx, st, model.Team{ID: "ms", Name: "Member Services"}),
		storetest.PutTeam(ctx, st, model.Team{ID: "claims", Name: "Claims and Billing"}),
		storetest.PutSite(ctx, st, model.Site{ID: "dallas", Name: "Dallas Medical Center"}),
		storetest.PutTemplate(ctx, st, model.Template{ID: "sorry", Name: "Apology", Text: "Sorry, {first_name}."}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	teams, err := st.ListTeams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(teams) != 2 || teams[0] != (model.Team{ID: "claims", Name: "Claims and Billing"}) || teams[1].ID != "ms" {
		t.Fatalf("teams = %+v", teams)
	}
	sites, err := st.ListSites(ctx)
	if err != nil || len(sites) != 1 || sites[0].Name != "Dallas Medical Center" {
		t.Fatalf("sites = %+v, %v", sites, err)
	}
	tpls, err := st.ListTemplates(ctx)
	if err != nil || len(tpls) != 1 || tpls[0].Text != "Sorry, {first_name}." {
		t.Fatalf("templates = %+v, %v", tpls, err)
	}
}
