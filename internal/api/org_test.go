package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/internal/egress"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/store"
)

func TestGetOrg(t *testing.T) {
	h := newHarness(t)
	if code := h.do("admin", "GET", "/api/v1/org", "", nil); code != http.StatusNotFound {
		t.Fatalf("before apply: %d, want 404", code)
	}
	src, _ := os.ReadFile("../org/testdata/org.yaml")
	o, err := org.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.st.ApplyOrg(context.Background(), src, o, "test", time.Now()); err != nil {
		t.Fatal(err)
	}
	for role, want := range map[string]int{"admin": 200, "supervisor": 200, "agent": 403, "viewer": 403, "integration": 403, "": 401} {
		if code := h.do(role, "GET", "/api/v1/org", "", nil); code != want {
			t.Errorf("GET /api/v1/org as %q: %d, want %d", role, code, want)
		}
	}
	req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/org", nil)
	req.Header.Set("Authorization", "Bearer "+h.tokens["admin"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body := make([]byte, len(src)+10)
	n, _ := res.Body.Read(body)
	if res.Header.Get("Content-Type") != "application/yaml; charset=utf-8" || string(body[:n]) != string(src[:n]) {
		t.Errorf("GET /api/v1/org: %s %q", res.Header.Get("Content-Type"), body[:n])
	}
	var canon map[string]any
	if code := h.do("supervisor", "GET", "/api/v1/org?format=json", "", &canon); code != 200 || canon["organization"] != "Lone Star Health Plan" {
		t.Errorf("format=json: %d %v", code, canon)
	}
}

func TestDeadJobs(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	now := time.Now().UTC()
	if _, err := h.st.EnqueueJobs(ctx, now, store.NewJob{Kind: "alert", DedupeKey: "k1", MaxAttempts: 1}); err != nil {
		t.Fatal(err)
	}
	jobs, err := h.st.ClaimJobs(ctx, "w", now, time.Minute, 10)
	if err != nil || len(jobs) != 1 {
		t.Fatalf("claim: %v %v", jobs, err)
	}
	if err := h.st.FailJob(ctx, jobs[0].ID, "w", "smtp refused", time.Time{}, false, now); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Jobs []store.Job `json:"jobs"`
	}
	if code := h.do("supervisor", "GET", "/api/v1/jobs/dead", "", nil); code != 403 {
		t.Errorf("supervisor: %d, want 403", code)
	}
	if code := h.do("admin", "GET", "/api/v1/jobs/dead", "", &out); code != 200 || len(out.Jobs) != 1 || out.Jobs[0].LastError != "smtp refused" {
		b, _ := json.Marshal(out)
		t.Errorf("dead jobs: %d %s", code, b)
	}
}

func TestPutOrg(t *testing.T) {
	h := newHarness(t)
	src, _ := os.ReadFile("../org/testdata/org.yaml")
	var out struct {
		Changed bool     `json:"changed"`
		Removed []string `json:"removed"`
	}
	if code := h.do("supervisor", "PUT", "/api/v1/org", string(src), nil); code != 403 {
		t.Errorf("supervisor PUT: %d, want 403", code)
	}
	if code := h.do("admin", "PUT", "/api/v1/org", string(src), &out); code != 200 || !out.Changed {
		t.Fatalf("PUT: %d %+v", code, out)
	}
	if code := h.do("admin", "PUT", "/api/v1/org", string(src), &out); code != 200 || out.Changed || len(out.Removed) != 0 {
		t.Fatalf("second PUT: %d %+v", code, out)
	}
	var bad struct {
		Error struct {
			Code  string           `json:"code"`
			Items []map[string]any `json:"items"`
		} `json:"error"`
	}
	broken := strings.Replace(string(src), "team: member-services}", "team: nobody}", 1)
	if code := h.do("admin", "PUT", "/api/v1/org", broken, &bad); code != 422 || bad.Error.Code != "invalid_org" ||
		len(bad.Error.Items) != 1 || bad.Error.Items[0]["line"] != 12.0 || bad.Error.Items[0]["field"] != "rules[0].then.team" {
		t.Errorf("invalid PUT: %d %+v", code, bad)
	}
}

// TestPutOrgBodyKeysMatchExactly sends organisation files (JSON and
// YAML) with a key in the wrong case, an unknown key, a value of the
// wrong type and data after the object: each is a 422 naming every
// problem's line and field in plain words, and the file applied before
// stays.
func TestPutOrgBodyKeysMatchExactly(t *testing.T) {
	h := newHarness(t)
	const valid = `{"organization": "Lone Star", "timezone": "America/Chicago", "teams": [{"id": "claims", "name": "Claims", "hours": "24/7"}]}`
	if code := h.do("admin", "PUT", "/api/v1/org", valid, nil); code != 200 {
		t.Fatalf("valid PUT: %d", code)
	}
	type item = map[string]any // line a JSON number
	for _, tc := range []struct {
		name, body string
		want       []item
	}{
		{"wrong case", `{"organization": "Lone Star", "timezone": "America/Chicago", "Teams": []}`,
			[]item{{"line": 1, "field": "Teams", "message": `unknown field "Teams"; names are case-sensitive: did you mean "teams"?`}}},
		{"unknown key", `{"organization": "Lone Star", "timezone": "America/Chicago", "teams": [{"id": "claims", "name": "Claims", "huors": "24/7"}]}`,
			[]item{{"line": 1, "field": "teams[0].huors", "message": `unknown field "huors"; the fields here are id, name, hours, timezone, assign, supervisors`}}},
		{"wrong types", "organization: Lone Star\ntimezone: America/Chicago\nteams: {id: claims}\nspike: {weeks: many}\n",
			[]item{{"line": 3, "field": "teams", "message": "want a list, not a mapping"}, {"line": 4, "field": "spike.weeks", "message": `want a whole number, not "many"`}}},
		{"trailing", valid + `{"teams": []}`,
			[]item{{"line": 1, "field": "", "message": "the file goes on after the JSON object; put everything in one object"}}},
		{"second document", "organization: Lone Star\ntimezone: America/Chicago\n---\nteams: []\n",
			[]item{{"line": 3, "field": "", "message": "the file goes on after the organisation (a second YAML document); put everything in one"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var bad struct {
				Error struct {
					Code  string `json:"code"`
					Items []item `json:"items"`
				} `json:"error"`
			}
			code := h.do("admin", "PUT", "/api/v1/org", tc.body, &bad)
			got, _ := json.Marshal(bad.Error.Items)
			want, _ := json.Marshal(tc.want)
			if code != 422 || bad.Error.Code != "invalid_org" || string(got) != string(want) {
				t.Fatalf("status %d, code %q, items %s; want 422 invalid_org, %s", code, bad.Error.Code, got, want)
			}
		})
	}
	f, err := h.st.LoadOrg(context.Background())
	if err != nil || string(f.Source) != valid {
		t.Fatalf("applied file after the refused ones: %v %s", err, f.Source)
	}
}

// TestPutOrgTargetsInOurOwnNetwork: an alert target on loopback (here a
// decimal address) or the cloud metadata address is refused with 422,
// its line and field, unless the server allows private targets; the
// file in force stays.
func TestPutOrgTargetsInOurOwnNetwork(t *testing.T) {
	const file = "organization: T\ntimezone: UTC\nalerts:\n  - {id: hook, type: webhook, url: %q}\n"
	for _, u := range []string{"http://2130706433:8080/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://localhost/"} {
		h := newHarness(t)
		var bad struct {
			Error struct {
				Code  string           `json:"code"`
				Items []map[string]any `json:"items"`
			} `json:"error"`
		}
		code := h.do("admin", "PUT", "/api/v1/org", fmt.Sprintf(file, u), &bad)
		if code != 422 || bad.Error.Code != "invalid_org" || len(bad.Error.Items) != 1 || bad.Error.Items[0]["line"] != 4.0 ||
			bad.Error.Items[0]["field"] != "alerts[0].url" || !strings.Contains(fmt.Sprint(bad.Error.Items[0]["message"]), "EARSHOT_ALLOW_PRIVATE_TARGETS") {
			t.Errorf("PUT with %s: %d %+v", u, code, bad)
		}
		if _, err := h.st.LoadOrg(context.Background()); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("PUT with %s applied the file: %v", u, err)
		}
		allowed := newHarness(t, func(c *Config) { c.OrgOptions = org.Options{Egress: egress.Policy{AllowPrivate: true}} })
		if code := allowed.do("admin", "PUT", "/api/v1/org", fmt.Sprintf(file, u), nil); code != 200 {
			t.Errorf("PUT with %s, private targets allowed: %d", u, code)
		}
	}
}

func TestPutOrgSetsReplyApproval(t *testing.T) {
	h := newHarness(t)
	src, _ := os.ReadFile("../org/testdata/org.yaml")
	withApproval := "reply_approval: on\n" + string(src)
	var out struct {
		Changed bool     `json:"changed"`
		Removed []string `json:"removed"`
	}
	if code := h.do("admin", "PUT", "/api/v1/org", withApproval, &out); code != 200 || !out.Changed {
		t.Fatalf("PUT: %d %+v", code, out)
	}
	c := h.ingest(mentionJSON("1", "gil", "My claim was denied", 0))[0].CaseID
	replies := "/api/v1/cases/" + strconv.FormatInt(c, 10) + "/replies"
	body := `{"text":"Sorry about your hospital stay, please DM us.","visibility":"public","override_reason":"asked by the author"}`
	var reply model.Reply
	if code := h.do("agent", "POST", replies, body, &reply); code != 201 || reply.State != model.ReplyAwaitingApproval {
		t.Fatalf("reply over a warning with reply_approval on: %d %+v", code, reply)
	}
	if code := h.do("admin", "PUT", "/api/v1/org", string(src), &out); code != 200 || len(out.Removed) != 1 || !strings.Contains(out.Removed[0], "reply approval") {
		t.Fatalf("PUT without reply_approval: %d %+v", code, out)
	}
	reply = model.Reply{}
	if code := h.do("agent", "POST", replies, body, &reply); code != 201 || reply.State != model.ReplyQueued {
		t.Fatalf("reply over a warning with reply_approval left out: %d %+v", code, reply)
	}
	var bad struct {
		Error struct {
			Items []map[string]any `json:"items"`
		} `json:"error"`
	}
	if code := h.do("admin", "PUT", "/api/v1/org", "reply_approval: sometimes\n"+string(src), &bad); code != 422 || len(bad.Error.Items) != 1 ||
		bad.Error.Items[0]["line"] != 1.0 || bad.Error.Items[0]["field"] != "reply_approval" {
		t.Fatalf("PUT with a bad reply_approval: %d %+v", code, bad)
	}
}
