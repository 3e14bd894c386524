package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const settingsOrg = `organization: Test Health
timezone: America/Chicago
teams:
  - {id: member-services, name: Member Services, hours: 24/7}
  - {id: claims, name: Claims, hours: {days: mon-fri, from: "08:00", to: "18:00"}}
sla_policies:
  - {id: standard, first_response: 1h}
rules:
  - {name: Cards, when: {intents_any: [id_card]}, then: {team: member-services}}
`

func TestSettingsPage(t *testing.T) {
	h := newHarness(t)
	admin := h.signIn("admin")
	if code, body := h.get(admin, "/settings"); code != http.StatusOK || !strings.Contains(body, "No organisation file is applied yet") {
		t.Fatalf("empty settings: %d", code)
	}

	// A broken file changes nothing and names each problem's line and field.
	bad := strings.Replace(settingsOrg, "then: {team: member-services}", "then: {team: membership}", 1)
	bad = strings.Replace(bad, `to: "18:00"`, `to: "25:00"`, 1)
	code, _, body := h.post(admin, "/settings", url.Values{"source": {bad}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Nothing was changed") ||
		!strings.Contains(body, "Line 9") || !strings.Contains(body, "rules[0].then.team") || !strings.Contains(body, "teams[1].hours") {
		t.Fatalf("broken file: %d\n%s", code, body)
	}
	if _, err := h.st.LoadOrg(context.Background()); err == nil {
		t.Fatal("a broken file was applied")
	}
	if n := h.orgApplied.Load(); n != 0 {
		t.Fatalf("router reloaded %d times for a refused file", n)
	}

	// A good one is applied and the router told; the same again is no change.
	code, _, body = h.post(admin, "/settings", url.Values{"source": {settingsOrg}})
	if code != http.StatusOK || !strings.Contains(body, "Applied.") || !strings.Contains(body, "Member Services, Claims") {
		t.Fatalf("apply: %d\n%s", code, body)
	}
	f, err := h.st.LoadOrg(context.Background())
	if err != nil || f.Org.Organization != "Test Health" || f.AppliedBy != "admin@example.org" {
		t.Fatalf("stored file: %+v, %v", f, err)
	}
	if n := h.orgApplied.Load(); n != 1 {
		t.Fatalf("router reloaded %d times, want 1", n)
	}
	if _, _, body = h.post(admin, "/settings", url.Values{"source": {settingsOrg}}); !strings.Contains(body, "No changes") {
		t.Fatal("applying the same file twice did not say no changes")
	}
	// Dropping a team is reported.
	smaller := strings.Replace(settingsOrg, "  - {id: claims, name: Claims, hours: {days: mon-fri, from: \"08:00\", to: \"18:00\"}}\n", "", 1)
	if _, _, body = h.post(admin, "/settings", url.Values{"source": {smaller}}); !strings.Contains(body, "Removed by this file") || !strings.Contains(body, "claims") {
		t.Fatalf("removal not reported:\n%s", body)
	}

	// Supervisors read it; agents and viewers do not see it; only admins apply.
	super := h.signIn("supervisor")
	if code, body := h.get(super, "/settings"); code != http.StatusOK || !strings.Contains(body, "read only") || strings.Contains(body, `action="/settings"`) {
		t.Fatalf("supervisor view: %d", code)
	}
	if code, _, _ := h.post(super, "/settings", url.Values{"source": {settingsOrg}}); code != http.StatusForbidden {
		t.Fatalf("supervisor apply: %d, want 403", code)
	}
	for _, role := range []string{"agent", "viewer"} {
		if code, _ := h.get(h.signIn(role), "/settings"); code != http.StatusForbidden {
			t.Fatalf("%s settings: %d, want 403", role, code)
		}
	}
}
