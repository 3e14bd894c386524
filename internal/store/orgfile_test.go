package store_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"earshot/internal/org"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

func TestApplyOrg(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	if _, err := st.LoadOrg(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("LoadOrg on a new store = %v, want ErrNotFound", err)
	}
	src, err := os.ReadFile("../org/testdata/org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o, err := org.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	res, err := st.ApplyOrg(ctx, src, o, "admin", at)
	if err != nil || !res.Changed || len(res.Removed) != 0 {
		t.Fatalf("first apply = %+v, %v", res, err)
	}
	teams, _ := st.ListTeams(ctx)
	sites, _ := st.ListSites(ctx)
	tpls, _ := st.ListTemplates(ctx)
	if len(teams) != 2 || len(sites) != 1 || len(tpls) != 1 {
		t.Fatalf("after apply: %d teams, %d sites, %d templates", len(teams), len(sites), len(tpls))
	}
	res, err = st.ApplyOrg(ctx, src, o, "admin", at.Add(time.Hour))
	if err != nil || res.Changed {
		t.Fatalf("second apply = %+v, %v; want no change", res, err)
	}
	f, err := st.LoadOrg(ctx)
	if err != nil || string(f.Source) != string(src) || f.Format != "yaml" || !f.AppliedAt.Equal(at) {
		t.Fatalf("LoadOrg = %+v, %v", f, err)
	}

	smaller := strings.Replace(string(src), `  - {id: claims, name: Claims, hours: {days: mon-fri, from: "08:00", to: "18:00"}}`+"\n", "", 1)
	smaller = strings.Replace(smaller, "  - {name: Bad reviews, when: {kind: review, rating_max: 2}, then: {priority: high, alert: [risk-desk]}}\n", "", 1)
	o2, err := org.Parse([]byte(smaller))
	if err != nil {
		t.Fatal(err)
	}
	res, err = st.ApplyOrg(ctx, []byte(smaller), o2, "admin", at.Add(2*time.Hour))
	if err != nil || !res.Changed {
		t.Fatalf("third apply = %+v, %v", res, err)
	}
	if got := strings.Join(res.Removed, ", "); got != `team "claims", rule "Bad reviews"` {
		t.Errorf("removed = %s", got)
	}
	teams, _ = st.ListTeams(ctx)
	if len(teams) != 1 || teams[0].ID != "member-services" {
		t.Errorf("teams after removal: %+v", teams)
	}
}
