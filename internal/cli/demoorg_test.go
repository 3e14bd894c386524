package cli

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/app"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
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

// TestDemoOrgRoutes ingests a demo-like mention after seeding and finds it
// routed by the demo organisation file: team, site and SLA policy.
func TestDemoOrgRoutes(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	if err := seedDemoOrg(ctx, &Env{Stdout: io.Discard}, st); err != nil {
		t.Fatal(err)
	}
	live := route.NewLive(nil)
	if loaded, err := app.LoadOrg(ctx, st, live); err != nil || !loaded {
		t.Fatalf("load demo organisation: loaded %v, %v", loaded, err)
	}
	p := ingest.New(st, analyze.New(), ingest.Options{Routes: live})
	m := model.Mention{Platform: "google", Channel: "lsh-austin", ExternalID: "demo-1", Kind: "review", Direction: "inbound",
		Text: "Still no insurance ID card after three weeks. I called twice and nobody helps.", CreatedAt: time.Now().UTC(),
		Author: model.Author{ID: "g-1", Handle: "pat", Name: "Pat Doe"}}
	rs, err := p.Ingest(ctx, []model.Mention{m})
	if err != nil || rs[0].Err != nil {
		t.Fatalf("ingest: %v %v", err, rs[0].Err)
	}
	c, err := st.GetCase(ctx, rs[0].CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Team != "member-services" || c.Site != "lsh-austin" || c.SLAPolicy == "" {
		t.Fatalf("case routed to team %q site %q policy %q, want member-services, lsh-austin and a policy", c.Team, c.Site, c.SLAPolicy)
	}
}

// TestDemoKeepsAppliedOrg leaves an organisation file someone applied
// alone.
func TestDemoKeepsAppliedOrg(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	src := []byte("organization: Our Plan\ntimezone: UTC\nteams:\n  - {id: care, name: Care, hours: 24/7}\n")
	o, err := org.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplyOrg(ctx, src, o, "admin", time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	if err := seedDemoOrg(ctx, &Env{Stdout: io.Discard}, st); err != nil {
		t.Fatal(err)
	}
	f, err := st.LoadOrg(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.Org.Organization != "Our Plan" {
		t.Fatalf("organisation is %q after the demo seeded, want the applied one kept", f.Org.Organization)
	}
}

// TestDemoOrgHasContactsAndACrisisProtocol: the demo's file gives the
// organisation's own contacts (the phone its templates fill in among
// them) and a whole crisis protocol.
func TestDemoOrgHasContactsAndACrisisProtocol(t *testing.T) {
	o, err := org.Parse(demoOrgFile)
	if err != nil {
		t.Fatal(err)
	}
	if o.Contact == nil || !slices.Contains(o.Contact.Phones, "1-800-555-0142") || len(o.Contact.Emails) == 0 || len(o.Contact.Web) == 0 {
		t.Errorf("contact = %+v", o.Contact)
	}
	if c := o.Crisis; c == nil || len(c.Call) == 0 || len(c.Steps) == 0 || c.PublicReply == "" {
		t.Errorf("crisis = %+v", c)
	}
}
